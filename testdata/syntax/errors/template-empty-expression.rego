package p

s := $"hello {}"
