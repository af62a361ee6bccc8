# Names every configuration it sees, so a test can tell which ones were checked.
package main

deny contains msg if {
	msg := sprintf("%s %s was checked", [input.kind, input.metadata.name])
}
