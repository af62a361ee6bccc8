package example.constructs

import data.lib.util as u
import input.request

# METADATA
# title: Ports
# custom:
#   severity: high
ports contains p if {
	some i, p in input.ports
	i < 10
}

default limit := 100

limit := n if {
	n := to_number(request.headers["x-limit"])
} else := 0 if {
	request.anonymous
}

by_name[name] := user if {
	some user in input.users
	name := user.name
}

a.b.c := {"x": [1, -2.5e3, null, true], "y": set()}

double(x) := x * 2

squares := [(n * n) | some n in numbers]

lookup := {k: v | some k, v in {"a": 1}}

evens := {n | some n in numbers; n % 2 == 0}

numbers := [1, 2, 3]

all_positive if {
	every n in numbers {
		n > 0
	}
}

mocked if {
	not u.denied with input.user as "bob" with data.lib.util.denied as false
	count(input.xs) >= 1 + 2 * (3 - 4)
	x := `raw \n text`
	msg := $"user {input.user} has {count(input.roles)} roles"
	[a, b] = [1, 2]
	input.role in {"admin", "owner"}
}
