package p

a := "\q"

b if {
	input.x ==
}

c := [1, 2

d := 1 @ 2
