//go:build ignore

// Prints the Go JSON of a certificate, request, private key or key pair (see README.md).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
)

func main() {
	kind := os.Args[1]
	data, _ := os.ReadFile(os.Args[2])
	var v interface{}
	switch kind {
	case "cert":
		b, _ := pem.Decode(data)
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil { panic(err) }
		v = c
	case "csr":
		b, _ := pem.Decode(data)
		c, err := x509.ParseCertificateRequest(b.Bytes)
		if err != nil { panic(err) }
		v = c
	case "key":
		b, _ := pem.Decode(data)
		var k interface{}
		var err error
		switch b.Type {
		case "RSA PRIVATE KEY": k, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "PRIVATE KEY": k, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "EC PRIVATE KEY": k, err = x509.ParseECPrivateKey(b.Bytes)
		}
		if err != nil { panic(err) }
		v = []interface{}{k}
	case "pair":
		kd, _ := os.ReadFile(os.Args[3])
		c, err := tls.X509KeyPair(data, kd)
		if err != nil { panic(err) }
		v = c
	}
	out, _ := json.Marshal(v)
	fmt.Println(string(out))
}
