# With --combine the input is an array of {"path", "contents"} objects, one per file.
package combine

deny contains msg if {
	paths := [entry.path | some entry in input]
	msg := sprintf("combined %d files: %v", [count(input), paths])
}

deny contains msg if {
	some entry in input
	entry.contents.replicas
	msg := sprintf("combined %s has %d replicas", [entry.path, entry.contents.replicas])
}
