package p

else := 1
