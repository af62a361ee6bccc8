package p

n := count(input.xs
