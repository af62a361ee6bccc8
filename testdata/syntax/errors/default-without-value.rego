package p

default allow
