package p

xs := {x | }
