package p

p if {
	some 1
}
