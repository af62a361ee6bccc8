package p

p if
