# Reads the shape of each YAML document: a Service's first port, a Deployment's replicas.
package yaml

deny contains msg if {
	input.kind == "Service"
	msg := sprintf("yaml Service %s port %d", [input.metadata.name, input.spec.ports[0].port])
}

deny contains msg if {
	input.kind == "Deployment"
	msg := sprintf("yaml Deployment %s replicas %d image %s", [input.metadata.name, input.spec.replicas, input.spec.template.spec.containers[0].image])
}
