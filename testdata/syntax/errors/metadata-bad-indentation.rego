package p

# METADATA
# title: x
#  description: y
#   custom:
# a: 1
allow := true
