package main

deny contains "too many replicas" if {
	replicas > 3
}
