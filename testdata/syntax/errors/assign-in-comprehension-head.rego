package p

xs := [x := 1 | true]
