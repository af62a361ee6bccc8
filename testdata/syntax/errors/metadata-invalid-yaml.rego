package p

# METADATA
# title: [unclosed
allow := true
