package p

deny contain msg if input.x
