package p

p if {
	some input.x
}
