# A Dockerfile is a list of instructions with Cmd, Value, Flags and Stage.
package dockerfile

deny contains msg if {
	some instruction in input
	instruction.Cmd == "user"
	msg := sprintf("dockerfile user %s in stage %d", [instruction.Value[0], instruction.Stage])
}

deny contains msg if {
	some instruction in input
	instruction.Cmd == "from"
	msg := sprintf("dockerfile from %s", [instruction.Value[0]])
}
