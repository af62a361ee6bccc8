package p

p if {
	every x { x > 0 }
}
