variable "region" {
  type    = string
  default = "eu-west-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.region}"
  acl    = "private"

  versioning {
    enabled = true
  }
}
