# Java properties: one object of string values, keys with dots kept whole.
package properties

deny contains msg if {
	msg := sprintf("properties %s listens on %s", [input["spring.application.name"], input["server.port"]])
}
