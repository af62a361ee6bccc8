package broken

test_ok if true

test_bad if {
	x := [1, 2
}
