package p

p if {
	in := 1
}
