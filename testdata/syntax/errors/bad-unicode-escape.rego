package p

s := "\u12"
