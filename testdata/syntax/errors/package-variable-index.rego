package a[x]
