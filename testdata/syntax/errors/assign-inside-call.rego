package p

p if count(x := [1]) > 0
