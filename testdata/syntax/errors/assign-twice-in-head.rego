package p

p := 1 := 2
