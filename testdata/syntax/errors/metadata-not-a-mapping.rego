package p

# METADATA
# - a
# - b
allow := true
