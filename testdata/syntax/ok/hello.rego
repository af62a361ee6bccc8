package hello

import rego.v1

# METADATA
# title: Greet known users
# description: Allow when the user in the input is on the list.
default allow := false

allow if input.user in data.users

greeting := $"hello, {input.user}!" if allow

deny contains msg if {
	not allow
	msg := sprintf("unknown user %q", [input.user])
}
