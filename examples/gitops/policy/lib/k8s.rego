# Helpers over Kubernetes manifests.
package lib.k8s

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}

is_workload if input.kind in workload_kinds

is_workload if input.kind == "Pod"

name := input.metadata.name

pod_spec := input.spec if input.kind == "Pod"

pod_spec := input.spec.template.spec if input.kind in workload_kinds

containers contains c if some c in pod_spec.containers

containers contains c if some c in pod_spec.initContainers

# The tag of an image reference (`nginx:1.27` -> `1.27`), undefined when it has none.
# A digest (`@sha256:...`) pins the image, which counts as a tag.
image_tag(image) := "digest" if contains(image, "@")

image_tag(image) := tag if {
	not contains(image, "@")
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
}

runs_as_non_root(container) if container.securityContext.runAsNonRoot == true

runs_as_non_root(container) if {
	pod_spec.securityContext.runAsNonRoot == true
	not container.securityContext.runAsNonRoot == false
}
