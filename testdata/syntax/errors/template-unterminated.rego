package p

s := $"hello
