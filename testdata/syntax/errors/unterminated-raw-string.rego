package p

s := `abc

t := 1
