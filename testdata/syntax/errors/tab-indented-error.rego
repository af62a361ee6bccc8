package p

p if {
		input.x == 1 )
}
