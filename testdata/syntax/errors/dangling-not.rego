package p

p if not
