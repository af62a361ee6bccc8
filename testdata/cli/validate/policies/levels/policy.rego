# Warns and fails on request: `warn` and `fail` fields of the input.
package main

warn contains msg if {
	some text in input.warn
	msg := sprintf("warning: %s", [text])
}

deny contains msg if {
	some text in input.fail
	msg := sprintf("failure: %s", [text])
}
