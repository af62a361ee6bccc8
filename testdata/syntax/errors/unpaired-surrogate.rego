package p

s := "\ud800"
