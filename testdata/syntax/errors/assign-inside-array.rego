package p

p := [x := 1]
