# Rules for labels and services.
package main

import data.lib.k8s

required_labels := {"app.kubernetes.io/name", "owner"}

warn contains msg if {
	k8s.is_workload
	some label in required_labels
	not input.metadata.labels[label]
	msg := sprintf("%s %s: missing label %s", [input.kind, k8s.name, label])
}

warn_load_balancer contains msg if {
	input.kind == "Service"
	input.spec.type == "LoadBalancer"
	msg := sprintf("Service %s: type LoadBalancer exposes it outside the cluster", [k8s.name])
}
