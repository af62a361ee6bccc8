package p

xs := [1,, 2]
