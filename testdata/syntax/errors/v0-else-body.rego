package p

p = 1 {
	input.a
} else = 2 {
	input.b
}
