package p

obj := {"a": 1,
