package p

allow if {
	input.x == 1

deny contains "x" if input.y
