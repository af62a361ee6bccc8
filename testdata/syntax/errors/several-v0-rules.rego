package p

a {
	true
}

b[x] {
	x := 1
}

c = 1 {
	true
}
