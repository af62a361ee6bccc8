package p

xs := {k: v | }
