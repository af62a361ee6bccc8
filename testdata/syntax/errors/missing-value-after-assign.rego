package p

p :=
