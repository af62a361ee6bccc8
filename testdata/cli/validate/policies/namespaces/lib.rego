# Helpers only: no deny, violation or warn rules here.
package lib

owner := input.metadata.labels.owner
