package slow

test_fast if true

test_forever if {
	some i in numbers.range(1, 1000)
	some j in numbers.range(1, 1000)
	some k in numbers.range(1, 1000)
	i + j + k < 0
}
