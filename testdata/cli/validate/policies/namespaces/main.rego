package main

deny contains msg if {
	not input.metadata.labels.owner
	msg := sprintf("main: %s has no owner", [input.metadata.name])
}
