package p

p if {
	every 1 in [1] { true }
}
