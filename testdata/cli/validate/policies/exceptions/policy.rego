package main

deny_root contains msg if {
	input.user == "root"
	msg := sprintf("%s runs as root", [input.name])
}

deny_ports contains msg if {
	some port in input.ports
	port < 1024
	msg := sprintf("%s listens on privileged port %d", [input.name, port])
}

# The trusted agent may run as root, but not listen on low ports.
exception contains rules if {
	input.name == "trusted-agent"
	rules := ["root"]
}
