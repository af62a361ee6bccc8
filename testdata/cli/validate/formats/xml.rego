# XML as goxml2json shapes it: repeated elements are lists, attributes start with `-`.
package xml

deny contains msg if {
	some dependency in input.project.dependencies.dependency
	dependency["-scope"] == "test"
	msg := sprintf("xml %s has test dependency %s", [input.project.artifactId, dependency.artifactId])
}
