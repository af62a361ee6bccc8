package dupes

test_same if true

test_same if false

test_same if 1 == 1
