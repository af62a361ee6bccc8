package p

p contains x := 1
