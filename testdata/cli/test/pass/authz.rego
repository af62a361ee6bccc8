package authz

default allow := false

allow if {
	input.method == "GET"
	input.user in data.users.readers
}

allow if {
	input.method == "POST"
	input.user == "admin"
}
