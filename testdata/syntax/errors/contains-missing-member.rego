package p

deny contains if input.x
