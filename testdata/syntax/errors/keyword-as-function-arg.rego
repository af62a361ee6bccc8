package p

f(if) := 1
