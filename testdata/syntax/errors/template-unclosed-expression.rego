package p

s := $"hello {input.name"
