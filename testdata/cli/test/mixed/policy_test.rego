package mixed_test

import data.mixed

test_double if {
	mixed.double(2) == 4
}

test_double_wrong if {
	print("double(3) is", mixed.double(3))
	mixed.double(3) == 7
}

test_conflict if {
	mixed.limit > 0
}

todo_test_later if {
	false
}
