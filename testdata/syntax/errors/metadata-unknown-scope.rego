package p

# METADATA
# scope: everything
allow := true
