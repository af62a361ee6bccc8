package p

p if data.f(1) with input.x
