# TOML tables and arrays of tables; dates become strings.
package toml

deny contains msg if {
	some user in input.users
	user.admin == true
	msg := sprintf("toml admin %s on %s:%d since %s", [user.name, input.server.host, input.server.port, input.server.started])
}
