package p

p := input.
