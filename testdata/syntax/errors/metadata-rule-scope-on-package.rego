# METADATA
# scope: rule
package p

allow := true
