package p

s := "a\qb"
