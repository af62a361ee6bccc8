package p

o := {"a": }
