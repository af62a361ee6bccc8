package p

if := 1
