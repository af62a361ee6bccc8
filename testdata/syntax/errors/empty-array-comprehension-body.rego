package p

xs := [x | ]
