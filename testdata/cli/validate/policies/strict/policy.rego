# to_number fails on text that is not a number: undefined, or an error when strict.
package main

deny contains msg if {
	replicas := to_number(input.replicas)
	replicas > 3
	msg := sprintf("%v replicas is too many", [replicas])
}
