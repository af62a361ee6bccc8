package p

users[name] = u {
	u := input.users[name]
}
