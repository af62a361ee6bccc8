package p

p if {
	every := [1]
}
