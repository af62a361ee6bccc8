package main_test

import data.main

container(image) := {
	"name": "app",
	"image": image,
	"resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
	"securityContext": {"runAsNonRoot": true},
}

pod(containers) := {
	"apiVersion": "v1",
	"kind": "Pod",
	"metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "owner": "team-a"}},
	"spec": {"containers": containers},
}

test_latest_tag_is_denied if {
	"Pod web: container app uses the latest tag (nginx:latest)" in main.deny with input as pod([container("nginx:latest")])
}

test_missing_tag_is_denied if {
	"Pod web: container app has an image without a tag (registry.local:5000/nginx)" in main.deny with input as pod([container("registry.local:5000/nginx")])
}

test_pinned_images_pass if {
	count(main.deny) == 0 with input as pod([container("nginx:1.27"), container("nginx@sha256:0123abcd")])
}

test_privileged_is_denied if {
	privileged := object.union(container("nginx:1.27"), {"securityContext": {"runAsNonRoot": true, "privileged": true}})
	main.deny == {"Pod web: container app is privileged"} with input as pod([privileged])
}

test_each_missing_limit_is_denied if {
	no_limits := object.remove(container("nginx:1.27"), ["resources"])
	main.deny == {
		"Pod web: container app has no cpu limit",
		"Pod web: container app has no memory limit",
	} with input as pod([no_limits])
}

test_root_is_denied_without_run_as_non_root if {
	root := object.remove(container("nginx:1.27"), ["securityContext"])
	main.deny_run_as_root == {"Pod web: container app may run as root (set runAsNonRoot: true)"} with input as pod([root])
}

test_pod_level_run_as_non_root_counts if {
	root := object.remove(container("nginx:1.27"), ["securityContext"])
	manifest := json.patch(pod([root]), [{"op": "add", "path": "/spec/securityContext", "value": {"runAsNonRoot": true}}])
	count(main.deny_run_as_root) == 0 with input as manifest
}
