# The allowed registries come from a data file passed with --data.
package main

deny contains msg if {
	not input.registry in data.registries
	msg := sprintf("registry %s is not one of %v", [input.registry, data.registries])
}
