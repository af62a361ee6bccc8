package p

default allow := false if input.x
