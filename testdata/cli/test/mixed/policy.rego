package mixed

double(x) := x * 2

limit := 1

limit := 2
