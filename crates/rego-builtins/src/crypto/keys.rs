//! Public and private keys: parsing from DER (SPKI, PKCS#1, PKCS#8, SEC 1) and their JSON forms,
//! both Go's `encoding/json` shape of the `crypto` key structs and JWK.

use der::Decode as _;
use der::asn1::ObjectIdentifier;
use rsa::pkcs1::{DecodeRsaPrivateKey as _, DecodeRsaPublicKey as _};
use rsa::pkcs8::{self, DecodePrivateKey as _};
use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};
use rsa::{RsaPrivateKey, RsaPublicKey};
use spki::SubjectPublicKeyInfoRef;

use super::codec::{base64url_encode, bytes_value, object, unsigned_value};
use rego_eval::Value;

pub(crate) const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(crate) const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// A public key of a kind the builtins can verify with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PublicKey {
    /// RSA.
    Rsa(RsaPublicKey),
    /// ECDSA on P-256.
    P256(p256::PublicKey),
    /// ECDSA on P-384.
    P384(p384::PublicKey),
    /// ECDSA on P-521.
    P521(p521::PublicKey),
    /// Ed25519.
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// A private key.
#[derive(Clone, Debug)]
pub(crate) enum PrivateKey {
    /// RSA.
    Rsa(Box<RsaPrivateKey>),
    /// ECDSA on P-256.
    P256(p256::SecretKey),
    /// ECDSA on P-384.
    P384(p384::SecretKey),
    /// ECDSA on P-521.
    P521(p521::SecretKey),
    /// Ed25519.
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

/// Why a SubjectPublicKeyInfo gave no key.
#[derive(Debug)]
pub(crate) enum SpkiError {
    /// An algorithm Go's x509 package does not know (a certificate still parses).
    UnknownAlgorithm,
    /// A known algorithm with a bad or unsupported key, with Go's message.
    Bad(&'static str),
}

/// Parses a DER SubjectPublicKeyInfo as Go's `x509.ParsePKIXPublicKey`.
pub(crate) fn parse_spki(der: &[u8]) -> Result<PublicKey, SpkiError> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|_| SpkiError::Bad("x509: malformed public key"))?;
    let bits = spki.subject_public_key.raw_bytes();
    let oid = spki.algorithm.oid;
    if oid == OID_RSA {
        RsaPublicKey::from_pkcs1_der(bits)
            .map(PublicKey::Rsa)
            .map_err(|_| SpkiError::Bad("x509: invalid RSA public key"))
    } else if oid == OID_EC {
        let curve = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| SpkiError::Bad("x509: invalid ECDSA parameters"))?;
        let bad = SpkiError::Bad("x509: failed to unmarshal elliptic curve point");
        match curve {
            c if c == OID_P256 => p256::PublicKey::from_sec1_bytes(bits)
                .map(PublicKey::P256)
                .map_err(|_| bad),
            c if c == OID_P384 => p384::PublicKey::from_sec1_bytes(bits)
                .map(PublicKey::P384)
                .map_err(|_| bad),
            c if c == OID_P521 => p521::PublicKey::from_sec1_bytes(bits)
                .map(PublicKey::P521)
                .map_err(|_| bad),
            _ => Err(SpkiError::Bad("x509: unsupported elliptic curve")),
        }
    } else if oid == OID_ED25519 {
        let bytes: [u8; 32] = bits
            .try_into()
            .map_err(|_| SpkiError::Bad("x509: wrong Ed25519 public key size"))?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(PublicKey::Ed25519)
            .map_err(|_| SpkiError::Bad("x509: invalid Ed25519 public key"))
    } else {
        Err(SpkiError::UnknownAlgorithm)
    }
}

/// Go's `x509.PublicKeyAlgorithm` number for an SPKI algorithm OID.
pub(crate) fn public_key_algorithm(oid: &ObjectIdentifier) -> i64 {
    match *oid {
        o if o == OID_RSA => 1,
        o if o == OID_DSA => 2,
        o if o == OID_EC => 3,
        o if o == OID_ED25519 => 4,
        _ => 0,
    }
}

impl PublicKey {
    /// The key's family, as Go's key types tell them apart: `"RSA"`, `"ECDSA"` or `"Ed25519"`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "RSA",
            PublicKey::P256(_) | PublicKey::P384(_) | PublicKey::P521(_) => "ECDSA",
            PublicKey::Ed25519(_) => "Ed25519",
        }
    }

    /// Go's JSON of the key: `{"N", "E"}` for RSA, `{"Curve", "X", "Y"}` for ECDSA, base64 bytes
    /// for Ed25519.
    pub(crate) fn to_go_value(&self) -> Value {
        match self {
            PublicKey::Rsa(k) => rsa_public_go(k),
            PublicKey::P256(k) => ec_public_go(&k.to_sec1_bytes(), 32, Vec::new()),
            PublicKey::P384(k) => ec_public_go(&k.to_sec1_bytes(), 48, Vec::new()),
            PublicKey::P521(k) => ec_public_go(&k.to_sec1_bytes(), 66, Vec::new()),
            PublicKey::Ed25519(k) => bytes_value(k.as_bytes()),
        }
    }
}

fn rsa_public_go(k: &RsaPublicKey) -> Value {
    let e = k.e().to_bytes_be();
    object(vec![
        ("N", unsigned_value(&k.n().to_bytes_be())),
        ("E", unsigned_value(&e)),
    ])
}

/// `{"Curve": {}, "X", "Y"}` plus `extra` from an uncompressed SEC 1 point; Go's curve
/// values have no exported fields.
fn ec_public_go(sec1: &[u8], size: usize, extra: Vec<(&str, Value)>) -> Value {
    let (x, y) = ec_coordinates(sec1, size);
    let mut entries = vec![
        ("Curve", Value::empty_object()),
        ("X", unsigned_value(x)),
        ("Y", unsigned_value(y)),
    ];
    entries.extend(extra);
    object(entries)
}

/// The X and Y coordinates of an uncompressed SEC 1 point (`04 || X || Y`).
pub(crate) fn ec_coordinates(sec1: &[u8], size: usize) -> (&[u8], &[u8]) {
    match sec1.get(1..) {
        Some(xy) if xy.len() == 2 * size => xy.split_at(size),
        _ => (&[], &[]),
    }
}

/// Parses a PEM block's bytes by its label, as OPA's private key reader does:
/// `RSA PRIVATE KEY` (PKCS #1), `PRIVATE KEY` (PKCS #8) or `EC PRIVATE KEY` (SEC 1).
/// `Ok(None)` for other labels.
pub(crate) fn parse_private_block(label: &str, der: &[u8]) -> Result<Option<PrivateKey>, String> {
    match label {
        "RSA PRIVATE KEY" => parse_pkcs1(der).map(Some),
        "PRIVATE KEY" => parse_pkcs8(der).map(Some),
        "EC PRIVATE KEY" => parse_sec1(der).map(Some),
        _ => Ok(None),
    }
}

/// Go's `x509.ParsePKCS1PrivateKey`.
pub(crate) fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey, String> {
    RsaPrivateKey::from_pkcs1_der(der)
        .map(|k| PrivateKey::Rsa(Box::new(k)))
        .map_err(|_| {
            if parse_pkcs8(der).is_ok() {
                "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"
                    .to_string()
            } else if parse_sec1(der).is_ok() {
                "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
                    .to_string()
            } else {
                "x509: failed to parse private key".to_string()
            }
        })
}

/// Go's `x509.ParsePKCS8PrivateKey` (RSA, ECDSA and Ed25519 keys).
pub(crate) fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let info = pkcs8::PrivateKeyInfo::try_from(der)
        .map_err(|e| format!("x509: failed to parse private key: {e}"))?;
    let oid = info.algorithm.oid;
    let bad = |e: pkcs8::Error| format!("x509: failed to parse private key: {e}");
    if oid == OID_RSA {
        RsaPrivateKey::from_pkcs8_der(der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(bad)
    } else if oid == OID_EC {
        p256::SecretKey::from_pkcs8_der(der)
            .map(PrivateKey::P256)
            .or_else(|_| p384::SecretKey::from_pkcs8_der(der).map(PrivateKey::P384))
            .or_else(|_| p521::SecretKey::from_pkcs8_der(der).map(PrivateKey::P521))
            .map_err(|_| "x509: failed to parse EC private key embedded in PKCS#8".to_string())
    } else if oid == OID_ED25519 {
        ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map(|k| PrivateKey::Ed25519(Box::new(k)))
            .map_err(|e| format!("x509: failed to parse private key: {e}"))
    } else {
        Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {oid}"
        ))
    }
}

/// Go's `x509.ParseECPrivateKey`.
pub(crate) fn parse_sec1(der: &[u8]) -> Result<PrivateKey, String> {
    p256::SecretKey::from_sec1_der(der)
        .map(PrivateKey::P256)
        .or_else(|_| p384::SecretKey::from_sec1_der(der).map(PrivateKey::P384))
        .or_else(|_| p521::SecretKey::from_sec1_der(der).map(PrivateKey::P521))
        .map_err(|_| "x509: failed to parse EC private key".to_string())
}

impl PrivateKey {
    /// The matching public key.
    pub(crate) fn public_key(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(k) => PublicKey::Rsa(k.to_public_key()),
            PrivateKey::P256(k) => PublicKey::P256(k.public_key()),
            PrivateKey::P384(k) => PublicKey::P384(k.public_key()),
            PrivateKey::P521(k) => PublicKey::P521(k.public_key()),
            PrivateKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
        }
    }

    /// Go's JSON of the key struct (`rsa.PrivateKey`, `ecdsa.PrivateKey`, or the 64 bytes of an
    /// `ed25519.PrivateKey`).
    pub(crate) fn to_go_value(&self) -> Value {
        match self {
            PrivateKey::Rsa(k) => {
                let n = |b: Option<&rsa::BigUint>| {
                    b.map_or(Value::Null, |b| unsigned_value(&b.to_bytes_be()))
                };
                let precomputed = object(vec![
                    ("Dp", n(k.dp())),
                    ("Dq", n(k.dq())),
                    ("Qinv", n(k.crt_coefficient().as_ref())),
                    ("CRTValues", Value::empty_array()),
                ]);
                object(vec![
                    ("N", unsigned_value(&k.n().to_bytes_be())),
                    ("E", unsigned_value(&k.e().to_bytes_be())),
                    ("D", unsigned_value(&k.d().to_bytes_be())),
                    (
                        "Primes",
                        Value::array(
                            k.primes()
                                .iter()
                                .map(|p| unsigned_value(&p.to_bytes_be()))
                                .collect(),
                        ),
                    ),
                    ("Precomputed", precomputed),
                ])
            }
            PrivateKey::P256(k) => {
                ec_private_go(&k.public_key().to_sec1_bytes(), &k.to_bytes(), 32)
            }
            PrivateKey::P384(k) => {
                ec_private_go(&k.public_key().to_sec1_bytes(), &k.to_bytes(), 48)
            }
            PrivateKey::P521(k) => {
                ec_private_go(&k.public_key().to_sec1_bytes(), &k.to_bytes(), 66)
            }
            PrivateKey::Ed25519(k) => bytes_value(&k.to_keypair_bytes()),
        }
    }

    /// The key as a JWK object, as OPA's `crypto.x509.parse_rsa_private_key` returns it.
    pub(crate) fn to_jwk(&self) -> Result<Value, String> {
        let b64 = |b: &[u8]| Value::from(base64url_encode(trim_zeros(b)));
        match self {
            PrivateKey::Rsa(k) => {
                let primes = k.primes();
                let (Some(p), Some(q)) = (primes.first(), primes.get(1)) else {
                    return Err("invalid RSA private key".into());
                };
                let opt =
                    |b: Option<&rsa::BigUint>| b.map_or(Value::Null, |b| b64(&b.to_bytes_be()));
                Ok(object(vec![
                    ("kty", Value::string("RSA")),
                    ("n", b64(&k.n().to_bytes_be())),
                    ("e", b64(&k.e().to_bytes_be())),
                    ("d", b64(&k.d().to_bytes_be())),
                    ("p", b64(&p.to_bytes_be())),
                    ("q", b64(&q.to_bytes_be())),
                    ("dp", opt(k.dp())),
                    ("dq", opt(k.dq())),
                    ("qi", opt(k.crt_coefficient().as_ref())),
                ]))
            }
            PrivateKey::P256(k) => Ok(ec_jwk(
                "P-256",
                &k.public_key().to_sec1_bytes(),
                &k.to_bytes(),
                32,
            )),
            PrivateKey::P384(k) => Ok(ec_jwk(
                "P-384",
                &k.public_key().to_sec1_bytes(),
                &k.to_bytes(),
                48,
            )),
            PrivateKey::P521(k) => Ok(ec_jwk(
                "P-521",
                &k.public_key().to_sec1_bytes(),
                &k.to_bytes(),
                66,
            )),
            PrivateKey::Ed25519(_) => Err("invalid key type for JWK: ed25519.PrivateKey".into()),
        }
    }
}

fn ec_private_go(sec1: &[u8], d: &[u8], size: usize) -> Value {
    ec_public_go(sec1, size, vec![("D", unsigned_value(d))])
}

fn ec_jwk(crv: &str, sec1: &[u8], d: &[u8], size: usize) -> Value {
    let (x, y) = ec_coordinates(sec1, size);
    let b64 = |b: &[u8]| Value::from(base64url_encode(trim_zeros(b)));
    object(vec![
        ("kty", Value::string("EC")),
        ("crv", Value::string(crv)),
        ("x", b64(x)),
        ("y", b64(y)),
        ("d", b64(d)),
    ])
}

/// Big-endian bytes without leading zeros, as Go's `big.Int.Bytes`.
fn trim_zeros(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::codec::{base64_std, pem_decode};

    const RSA_PEM: &str = include_str!("../../testdata/crypto/rsa.pem");

    #[test]
    fn rsa_private_key_json_forms() {
        let (block, _) = pem_decode(RSA_PEM.as_bytes()).unwrap();
        let key = parse_private_block(&block.label, &block.bytes)
            .unwrap()
            .unwrap();
        let jwk = key.to_jwk().unwrap();
        assert_eq!(jwk.object_get_str("kty"), Some(&Value::string("RSA")));
        assert_eq!(jwk.object_get_str("e"), Some(&Value::string("AQAB")));
        let go = key.to_go_value();
        assert_eq!(go.object_get_str("E"), Some(&Value::from(65537)));
        assert_eq!(
            go.object_get_str("Primes")
                .and_then(Value::as_array)
                .map(<[_]>::len),
            Some(2)
        );
        assert!(matches!(key.public_key(), PublicKey::Rsa(_)));
    }

    #[test]
    fn bad_keys_are_errors() {
        assert!(parse_pkcs1(b"nope").is_err());
        assert!(parse_pkcs8(b"nope").is_err());
        assert!(parse_sec1(b"nope").is_err());
        assert!(parse_private_block("OTHER", b"").unwrap().is_none());
        let ed =
            base64_std("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=").unwrap();
        assert!(matches!(parse_spki(&ed), Ok(PublicKey::Ed25519(_))));
        assert!(matches!(parse_spki(b"junk"), Err(SpkiError::Bad(_))));
    }
}
