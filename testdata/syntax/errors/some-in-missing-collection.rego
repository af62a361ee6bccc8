package p

p if {
	some x in
}
