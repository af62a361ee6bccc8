package p

allow if {
	input.x == 1
