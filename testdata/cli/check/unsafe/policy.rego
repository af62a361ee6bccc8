package unsafe

allow if {
	x > 1
}

deny if {
	y == z
}

helper := nosuchfn(1)
