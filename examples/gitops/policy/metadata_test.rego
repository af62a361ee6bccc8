package main_test

import data.main

deployment(labels) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "api", "labels": labels},
	"spec": {"template": {"spec": {"containers": []}}},
}

test_labelled_deployment_has_no_warning if {
	count(main.warn) == 0 with input as deployment({"app.kubernetes.io/name": "api", "owner": "team-a"})
}

test_missing_owner_warns if {
	main.warn == {"Deployment api: missing label owner"} with input as deployment({"app.kubernetes.io/name": "api"})
}

test_load_balancer_warns if {
	service := {"kind": "Service", "metadata": {"name": "edge"}, "spec": {"type": "LoadBalancer"}}
	main.warn_load_balancer == {"Service edge: type LoadBalancer exposes it outside the cluster"} with input as service
}

test_node_exporter_may_run_as_root if {
	daemonset := {"kind": "DaemonSet", "metadata": {"name": "node-exporter"}}
	main.exception == {["run_as_root"]} with input as daemonset
}

test_other_daemonsets_have_no_exception if {
	count(main.exception) == 0 with input as {"kind": "DaemonSet", "metadata": {"name": "fluentd"}}
}
