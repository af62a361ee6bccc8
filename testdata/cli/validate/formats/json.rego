# A JSON object with `name`, `replicas` and `ports`.
package json

deny contains msg if {
	input.replicas > 2
	msg := sprintf("json %s has %d replicas, ports %v", [input.name, input.replicas, input.ports])
}
