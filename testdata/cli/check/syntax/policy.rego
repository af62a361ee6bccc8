package syntax

allow if {
	input.user == "admin"
