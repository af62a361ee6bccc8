package p

ok1 := 1

bad1 {
	true
}

ok2 if input.x

bad2 := )
