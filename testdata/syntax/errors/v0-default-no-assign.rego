package p

default allow false
