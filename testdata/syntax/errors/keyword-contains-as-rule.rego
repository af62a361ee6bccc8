package p

contains := 1
