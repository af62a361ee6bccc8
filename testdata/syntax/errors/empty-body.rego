package p

p if {}
