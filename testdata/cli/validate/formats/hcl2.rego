# HCL2 as hcl2json shapes it: blocks are lists of objects under their labels.
package hcl2

deny contains msg if {
	some name, blocks in input.resource.aws_s3_bucket
	bucket := blocks[0]
	msg := sprintf("hcl2 bucket %s acl %s versioning %v region %s", [name, bucket.acl, bucket.versioning[0].enabled, input.variable.region[0].default])
}
