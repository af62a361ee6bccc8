package p

p[x := 1] := 2
