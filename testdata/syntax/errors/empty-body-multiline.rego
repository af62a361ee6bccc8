package p

p if {
}
