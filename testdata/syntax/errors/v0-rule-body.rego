package p

allow {
	input.user == "alice"
}
