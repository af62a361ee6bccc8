package p

deny contains "a" if {
	input.x
} else := "b"
