package p

# METADATA
# scope: package
# title: Not a rule
allow := true
