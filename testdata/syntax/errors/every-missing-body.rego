package p

p if {
	every x in input.xs
}
