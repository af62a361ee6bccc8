package p

p if input.x ==
