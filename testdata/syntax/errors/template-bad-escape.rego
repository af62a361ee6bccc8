package p

s := $"a \q {input.x}"
