package security

violation contains {"msg": msg, "severity": "high"} if {
	input.spec.hostNetwork == true
	msg := sprintf("security: %s uses the host network", [input.metadata.name])
}

warn_ports contains msg if {
	some port in input.spec.ports
	port.port < 1024
	msg := sprintf("security: %s exposes privileged port %d", [input.metadata.name, port.port])
}
