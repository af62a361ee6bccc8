package authz_test

import data.authz

test_reader_may_get if {
	authz.allow with input as {"method": "GET", "user": "alice"}
}

test_stranger_may_not_get if {
	not authz.allow with input as {"method": "GET", "user": "mallory"}
}

test_admin_may_post if {
	authz.allow with input as {"method": "POST", "user": "admin"}
}
