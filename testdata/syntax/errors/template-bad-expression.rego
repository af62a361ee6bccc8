package p

s := $"hello {1 +}"
