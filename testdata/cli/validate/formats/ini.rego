# INI sections of keys; numbers and booleans are converted.
package ini

deny contains msg if {
	input.database.port == 5432
	input.database.ssl == true
	msg := sprintf("ini database %s:%d ttl %v", [input.database.host, input.database.port, input.cache.ttl])
}
