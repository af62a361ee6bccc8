package a.b(x)
