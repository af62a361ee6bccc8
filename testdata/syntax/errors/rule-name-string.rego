package p

"p" := 1
