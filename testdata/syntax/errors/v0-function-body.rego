package p

f(x) = y {
	y := x + 1
}
