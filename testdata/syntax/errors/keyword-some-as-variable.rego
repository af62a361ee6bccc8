package p

p if {
	some := 2
}
