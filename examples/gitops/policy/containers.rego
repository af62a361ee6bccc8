# Rules for the containers of every workload: images, privileges, resources.
package main

import data.lib.k8s

# An image must name a tag, and the tag must not be `latest`.
deny contains msg if {
	some container in k8s.containers
	k8s.image_tag(container.image) == "latest"
	msg := sprintf("%s %s: container %s uses the latest tag (%s)", [input.kind, k8s.name, container.name, container.image])
}

deny contains msg if {
	some container in k8s.containers
	not k8s.image_tag(container.image)
	msg := sprintf("%s %s: container %s has an image without a tag (%s)", [input.kind, k8s.name, container.name, container.image])
}

deny contains msg if {
	some container in k8s.containers
	container.securityContext.privileged == true
	msg := sprintf("%s %s: container %s is privileged", [input.kind, k8s.name, container.name])
}

deny contains msg if {
	some container in k8s.containers
	some resource in ["cpu", "memory"]
	not container.resources.limits[resource]
	msg := sprintf("%s %s: container %s has no %s limit", [input.kind, k8s.name, container.name, resource])
}

# Running as root is denied unless an exception (exceptions.rego) allows it.
deny_run_as_root contains msg if {
	some container in k8s.containers
	not k8s.runs_as_non_root(container)
	msg := sprintf("%s %s: container %s may run as root (set runAsNonRoot: true)", [input.kind, k8s.name, container.name])
}
