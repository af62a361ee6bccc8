package p

1 := 2
