package p

p if == 1
