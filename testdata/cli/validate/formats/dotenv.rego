# A .env file is one object of string variables.
package dotenv

deny contains msg if {
	input.APP_PORT == "8080"
	msg := sprintf("dotenv %s port %s greeting %s", [input.APP_ENV, input.APP_PORT, input.GREETING])
}
