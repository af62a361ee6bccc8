package p

größe := 1
