//! Builtins of the `crypto` family: digests, HMACs, and X.509 certificates, requests and keys
//! returned in the JSON shapes of Go's `crypto/x509` types, as OPA returns them.

pub(crate) mod codec;
mod csr;
pub(crate) mod keys;
pub(crate) mod sig;
mod verify;
pub(crate) mod x509;

use hmac::{Hmac, Mac};
use md5::Md5;
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use subtle::ConstantTimeEq as _;

use crate::args;
use codec::{base64_std, bytes_value, hex, object, pem_decode};
use keys::{PrivateKey, parse_pkcs1, parse_pkcs8, parse_private_block, parse_sec1};
use x509::{Cert, parse_certificates};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "crypto.md5",
        arity: 1,
        func: md5,
    },
    BuiltinDef {
        name: "crypto.sha1",
        arity: 1,
        func: sha1,
    },
    BuiltinDef {
        name: "crypto.sha256",
        arity: 1,
        func: sha256,
    },
    BuiltinDef {
        name: "crypto.hmac.md5",
        arity: 2,
        func: hmac_md5,
    },
    BuiltinDef {
        name: "crypto.hmac.sha1",
        arity: 2,
        func: hmac_sha1,
    },
    BuiltinDef {
        name: "crypto.hmac.sha256",
        arity: 2,
        func: hmac_sha256,
    },
    BuiltinDef {
        name: "crypto.hmac.sha512",
        arity: 2,
        func: hmac_sha512,
    },
    BuiltinDef {
        name: "crypto.hmac.equal",
        arity: 2,
        func: hmac_equal,
    },
    BuiltinDef {
        name: "crypto.x509.parse_certificates",
        arity: 1,
        func: parse_certificates_builtin,
    },
    BuiltinDef {
        name: "crypto.x509.parse_and_verify_certificates",
        arity: 1,
        func: parse_and_verify,
    },
    BuiltinDef {
        name: "crypto.x509.parse_and_verify_certificates_with_options",
        arity: 2,
        func: parse_and_verify_with_options,
    },
    BuiltinDef {
        name: "crypto.x509.parse_certificate_request",
        arity: 1,
        func: parse_certificate_request,
    },
    BuiltinDef {
        name: "crypto.x509.parse_keypair",
        arity: 2,
        func: parse_keypair,
    },
    BuiltinDef {
        name: "crypto.x509.parse_rsa_private_key",
        arity: 1,
        func: parse_rsa_private_key,
    },
    BuiltinDef {
        name: "crypto.parse_private_keys",
        arity: 1,
        func: parse_private_keys,
    },
];

fn fail(msg: impl Into<String>) -> BuiltinError {
    BuiltinError::Builtin(msg.into())
}

fn digest<D: Digest>(args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(Value::from(hex(&D::digest(s.as_bytes()))))
}

fn md5(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    digest::<Md5>(args)
}

fn sha1(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    digest::<Sha1>(args)
}

fn sha256(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    digest::<Sha256>(args)
}

fn hmac<M: Mac + hmac::digest::KeyInit>(args: &[Value]) -> Result<Value, BuiltinError> {
    let message = args::string(args, 0)?;
    let key = args::string(args, 1)?;
    let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key.as_bytes())
        .map_err(|e| fail(e.to_string()))?;
    mac.update(message.as_bytes());
    Ok(Value::from(hex(&mac.finalize().into_bytes())))
}

fn hmac_md5(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    hmac::<Hmac<Md5>>(args)
}

fn hmac_sha1(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    hmac::<Hmac<Sha1>>(args)
}

fn hmac_sha256(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    hmac::<Hmac<Sha256>>(args)
}

fn hmac_sha512(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    hmac::<Hmac<Sha512>>(args)
}

/// Constant-time comparison (different lengths compare unequal at once, as in Go).
fn hmac_equal(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = args::string(args, 0)?;
    let b = args::string(args, 1)?;
    Ok(Value::Bool(bool::from(a.as_bytes().ct_eq(b.as_bytes()))))
}

/// Certificates from PEM, base64 PEM or base64 DER, as OPA reads them.
fn certs_from_string(input: &str) -> Result<Vec<Cert>, String> {
    if input.starts_with("-----BEGIN") {
        return certs_from_pem(input.as_bytes());
    }
    let bytes = base64_std(input)?;
    if bytes.starts_with(b"-----BEGIN") {
        return certs_from_pem(&bytes);
    }
    parse_certificates(&bytes)
}

fn certs_from_pem(mut data: &[u8]) -> Result<Vec<Cert>, String> {
    let mut der = Vec::new();
    while let Some((block, rest)) = pem_decode(data) {
        if block.label != "CERTIFICATE" {
            return Err(format!(
                "PEM block type is '{}', expected CERTIFICATE",
                block.label
            ));
        }
        der.extend(block.bytes);
        data = rest;
    }
    parse_certificates(&der)
}

fn certs_value(certs: &[&Cert], uri_strings: bool) -> Value {
    Value::array(certs.iter().map(|c| c.to_value(uri_strings)).collect())
}

fn parse_certificates_builtin(
    _: &BuiltinContext<'_>,
    args: &[Value],
) -> Result<Value, BuiltinError> {
    let input = args::string(args, 0)?;
    let certs = certs_from_string(input).map_err(fail)?;
    Ok(certs_value(&certs.iter().collect::<Vec<_>>(), true))
}

fn invalid_chain() -> Value {
    Value::array(vec![Value::Bool(false), Value::empty_array()])
}

fn verified_chain(
    ctx: &BuiltinContext<'_>,
    certs: &[Cert],
    opts: &verify::VerifyOptions,
    uri_strings: bool,
) -> Value {
    match verify::verify_chain(certs, opts, ctx.now_ns()) {
        Ok(chain) => {
            let chain: Vec<&Cert> = chain.into_iter().map(|i| &certs[i]).collect();
            Value::array(vec![Value::Bool(true), certs_value(&chain, uri_strings)])
        }
        Err(_) => invalid_chain(),
    }
}

fn parse_and_verify(ctx: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let input = args::string(args, 0)?;
    let Ok(certs) = certs_from_string(input) else {
        return Ok(invalid_chain());
    };
    Ok(verified_chain(
        ctx,
        &certs,
        &verify::VerifyOptions::default(),
        true,
    ))
}

fn parse_and_verify_with_options(
    ctx: &BuiltinContext<'_>,
    args: &[Value],
) -> Result<Value, BuiltinError> {
    let input = args::string(args, 0)?;
    let options = args::object(args, 1)?;
    let Ok(certs) = certs_from_string(input) else {
        return Ok(invalid_chain());
    };
    let opts = verify::parse_options(options).map_err(fail)?;
    Ok(verified_chain(ctx, &certs, &opts, false))
}

fn parse_certificate_request(
    _: &BuiltinContext<'_>,
    args: &[Value],
) -> Result<Value, BuiltinError> {
    let input = args::string(args, 0)?;
    let mut bytes = if input.starts_with("-----BEGIN CERTIFICATE REQUEST-----") {
        input.as_bytes().to_vec()
    } else {
        base64_std(input).map_err(fail)?
    };
    if let Some((block, _)) = pem_decode(&bytes) {
        if block.label != "CERTIFICATE REQUEST" {
            return Err(fail("invalid PEM-encoded certificate signing request"));
        }
        bytes = block.bytes;
    }
    csr::parse_request(&bytes).map_err(fail)
}

/// Every private key in PEM (or base64 PEM) text, as OPA's private key reader collects them.
fn private_keys(input: &str) -> Result<Vec<PrivateKey>, String> {
    let data = base64_std(input).unwrap_or_else(|_| input.as_bytes().to_vec());
    let mut rest = &data[..];
    let mut keys = Vec::new();
    while let Some((block, after)) = pem_decode(rest) {
        rest = after;
        if let Some(key) = parse_private_block(&block.label, &block.bytes)? {
            keys.push(key);
        }
    }
    Ok(keys)
}

fn parse_rsa_private_key(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let input = args::string(args, 0)?;
    if input.is_empty() {
        return Err(fail("input PEM data was empty"));
    }
    let text = if input.starts_with("-----BEGIN") {
        input.to_string()
    } else {
        String::from_utf8_lossy(&base64_std(input).map_err(fail)?).into_owned()
    };
    match private_keys(&text).map_err(fail)?.first() {
        None => Ok(Value::Null),
        Some(key) => key.to_jwk().map_err(fail),
    }
}

fn parse_private_keys(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let input = args::string(args, 0)?;
    if input.is_empty() {
        return Ok(Value::Null);
    }
    let keys = private_keys(input).map_err(fail)?;
    Ok(Value::array(
        keys.iter().map(PrivateKey::to_go_value).collect(),
    ))
}

/// PEM text of `input`: as is when it starts a PEM block, else base64-decoded, and DER wrapped
/// in a block labelled `label`.
fn keypair_pem(input: &str, label: &str) -> Result<Vec<u8>, String> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let bytes = if input.as_bytes().starts_with(BEGIN) {
        return Ok(input.as_bytes().to_vec());
    } else {
        base64_std(input)?
    };
    if bytes.starts_with(BEGIN) {
        return Ok(bytes);
    }
    let body = codec::base64_std_encode(&bytes);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    Ok(pem.into_bytes())
}

/// Go's `tls.X509KeyPair`: the certificates of `cert_pem` and the private key of `key_pem`,
/// which must match the leaf's public key.
fn x509_key_pair(cert_pem: &[u8], key_pem: &[u8]) -> Result<Value, String> {
    let mut ders = Vec::new();
    let mut skipped = Vec::new();
    let mut rest = cert_pem;
    while let Some((block, after)) = pem_decode(rest) {
        rest = after;
        if block.label == "CERTIFICATE" {
            ders.push(block.bytes);
        } else {
            skipped.push(block.label);
        }
    }
    if ders.is_empty() {
        return Err(if skipped.is_empty() {
            "tls: failed to find any PEM data in certificate input".into()
        } else {
            format!(
                "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [{}]",
                skipped.join(" ")
            )
        });
    }
    let mut skipped = Vec::new();
    let mut rest = key_pem;
    let key_der = loop {
        let Some((block, after)) = pem_decode(rest) else {
            return Err(if skipped.is_empty() {
                "tls: failed to find any PEM data in key input".into()
            } else if skipped.iter().any(|l| l == "CERTIFICATE") {
                "tls: found a certificate rather than a key in the PEM for the private key".into()
            } else {
                format!(
                    "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [{}]",
                    skipped.join(" ")
                )
            });
        };
        rest = after;
        if block.label == "PRIVATE KEY" || block.label.ends_with(" PRIVATE KEY") {
            break block.bytes;
        }
        skipped.push(block.label);
    };
    let leaf = x509::parse_certificate(&ders[0])?;
    let key = parse_pkcs1(&key_der)
        .or_else(|_| parse_pkcs8(&key_der))
        .or_else(|_| parse_sec1(&key_der))
        .map_err(|_| "tls: failed to parse private key".to_string())?;
    let public = key.public_key();
    match &leaf.public_key {
        Some(p) if *p == public => {}
        Some(p) if p.kind() == public.kind() => {
            return Err("tls: private key does not match public key".into());
        }
        Some(_) => return Err("tls: private key type does not match public key type".into()),
        None => return Err("tls: unknown public key algorithm".into()),
    }
    Ok(object(vec![
        (
            "Certificate",
            Value::array(ders.iter().map(|d| bytes_value(d)).collect()),
        ),
        ("PrivateKey", key.to_go_value()),
        ("SupportedSignatureAlgorithms", Value::Null),
        ("OCSPStaple", Value::Null),
        ("SignedCertificateTimestamps", Value::Null),
        ("Leaf", leaf.to_value(false)),
    ]))
}

fn parse_keypair(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let cert = args::string(args, 0)?;
    // OPA names the key operand 1 too.
    let key = args[1]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", &args[1]))?;
    let cert_pem = keypair_pem(cert, "CERTIFICATE").map_err(fail)?;
    let key_pem = keypair_pem(key, "PRIVATE KEY").map_err(fail)?;
    x509_key_pair(&cert_pem, &key_pem).map_err(fail)
}

#[cfg(test)]
pub(crate) mod tests;
