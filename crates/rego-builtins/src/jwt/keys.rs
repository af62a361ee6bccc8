//! Keys for JWS: JWKs and JWK sets, and the PEM certificates and public keys OPA accepts in
//! their place.

use serde_json::{Map, Value as Json};

use crate::crypto::codec::{base64url, pem_decode};
use crate::crypto::keys::{PrivateKey, PublicKey, SpkiError, parse_spki};
use crate::crypto::x509::parse_certificate;

/// Key material of one JWK (or the key of a certificate).
#[derive(Clone, Debug)]
pub(crate) enum Key {
    /// A public key.
    Public(PublicKey),
    /// A private key (JWKs with a `d` member).
    Private(PrivateKey),
    /// A symmetric key (`kty: oct`).
    Secret(Vec<u8>),
    /// A certificate whose key type is not supported.
    Unsupported,
}

impl Key {
    /// The key to verify with: public keys as they are, private keys' public halves.
    pub(crate) fn verifying(&self) -> Option<PublicKey> {
        match self {
            Key::Public(k) => Some(k.clone()),
            Key::Private(k) => Some(k.public_key()),
            _ => None,
        }
    }
}

/// A key with the `alg` and `kid` its JWK declares (empty when absent).
#[derive(Clone, Debug)]
pub(crate) struct VerificationKey {
    /// The key material.
    pub key: Key,
    /// The JWK's `alg`.
    pub alg: String,
    /// The JWK's `kid`.
    pub kid: String,
}

/// The algorithms OPA knows; JWKs declaring another `alg` are skipped.
pub(crate) const ALGORITHMS: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256",
    "HS384", "HS512", "EdDSA",
];

/// The keys of a PEM certificate, PEM public key, JWK or JWK set, as OPA's JWT verification
/// reads its key argument.
pub(crate) fn keys_from_cert_or_jwk(text: &str) -> Result<Vec<VerificationKey>, String> {
    let plain = |key| {
        vec![VerificationKey {
            key,
            alg: String::new(),
            kid: String::new(),
        }]
    };
    if let Some((block, rest)) = pem_decode(text.as_bytes()) {
        if !rest.is_empty() {
            return Err("extra data after a PEM certificate block".into());
        }
        return match block.label.as_str() {
            "CERTIFICATE" => {
                let cert = parse_certificate(&block.bytes)
                    .map_err(|e| format!("failed to parse a PEM certificate: {e}"))?;
                Ok(plain(cert.public_key.map_or(Key::Unsupported, Key::Public)))
            }
            "PUBLIC KEY" => match parse_spki(&block.bytes) {
                Ok(key) => Ok(plain(Key::Public(key))),
                Err(SpkiError::UnknownAlgorithm) => Err(
                    "failed to parse a PEM public key: x509: unknown public key algorithm".into(),
                ),
                Err(SpkiError::Bad(msg)) => Err(format!("failed to parse a PEM public key: {msg}")),
            },
            _ => Err("failed to extract a Key from the PEM certificate".into()),
        };
    }
    let keys = parse_jwks(text).map_err(|e| format!("failed to parse a JWK key (set): {e}"))?;
    Ok(keys
        .into_iter()
        .filter(|k| k.alg.is_empty() || ALGORITHMS.contains(&k.alg.as_str()))
        .collect())
}

/// Parses a JWK or a JWK set (`{"keys": [...]}`).
pub(crate) fn parse_jwks(text: &str) -> Result<Vec<VerificationKey>, String> {
    let json: Json =
        serde_json::from_str(text).map_err(|e| format!("failed to unmarshal JSON: {e}"))?;
    let Json::Object(obj) = json else {
        return Err("invalid JWK: expected a JSON object".into());
    };
    match obj.get("keys") {
        Some(Json::Array(keys)) => keys
            .iter()
            .enumerate()
            .map(|(i, k)| match k {
                Json::Object(k) => {
                    parse_jwk(k).map_err(|e| format!("failed to parse key #{i}: {e}"))
                }
                _ => Err(format!("failed to parse key #{i}: expected a JSON object")),
            })
            .collect(),
        Some(_) => Err("invalid JWK set: \"keys\" must be an array".into()),
        None => parse_jwk(&obj).map(|k| vec![k]),
    }
}

fn member<'a>(k: &'a Map<String, Json>, name: &str) -> Option<&'a str> {
    k.get(name).and_then(Json::as_str)
}

fn bytes(k: &Map<String, Json>, name: &str) -> Result<Vec<u8>, String> {
    let text = member(k, name).ok_or_else(|| format!("required field {name} is missing"))?;
    // JWK members are base64url; standard base64 is tolerated as in lestrrat-go/jwx.
    base64url(text)
        .or_else(|_| base64url(&text.replace('+', "-").replace('/', "_")))
        .map_err(|e| format!("failed to decode field {name}: {e}"))
}

fn uint(k: &Map<String, Json>, name: &str) -> Result<rsa::BigUint, String> {
    bytes(k, name).map(|b| rsa::BigUint::from_bytes_be(&b))
}

/// Left-pads (or rejects) big-endian bytes to a curve's field size.
fn field(bytes: &[u8], size: usize) -> Result<Vec<u8>, String> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let trimmed = &bytes[start..];
    if trimmed.len() > size {
        return Err("invalid EC key: coordinate too large".into());
    }
    let mut out = vec![0; size - trimmed.len()];
    out.extend_from_slice(trimmed);
    Ok(out)
}

/// Parses one JWK object.
pub(crate) fn parse_jwk(k: &Map<String, Json>) -> Result<VerificationKey, String> {
    let kty = member(k, "kty").ok_or("invalid key type from JSON: missing \"kty\"")?;
    let private = k.contains_key("d");
    let key = match kty {
        "RSA" => {
            let (n, e) = (uint(k, "n")?, uint(k, "e")?);
            if private {
                let d = uint(k, "d")?;
                let primes = match (k.contains_key("p"), k.contains_key("q")) {
                    (true, true) => vec![uint(k, "p")?, uint(k, "q")?],
                    _ => Vec::new(),
                };
                let key = rsa::RsaPrivateKey::from_components(n, e, d, primes)
                    .map_err(|e| format!("invalid RSA private key: {e}"))?;
                Key::Private(PrivateKey::Rsa(Box::new(key)))
            } else {
                let key = rsa::RsaPublicKey::new(n, e)
                    .map_err(|e| format!("invalid RSA public key: {e}"))?;
                Key::Public(PublicKey::Rsa(key))
            }
        }
        "EC" => ec_key(k, private)?,
        "OKP" => {
            let crv = member(k, "crv").unwrap_or_default();
            if crv != "Ed25519" {
                return Err(format!("unsupported curve for OKP key: {crv:?}"));
            }
            if private {
                let d: [u8; 32] = bytes(k, "d")?
                    .try_into()
                    .map_err(|_| "invalid Ed25519 private key size")?;
                Key::Private(PrivateKey::Ed25519(Box::new(
                    ed25519_dalek::SigningKey::from_bytes(&d),
                )))
            } else {
                let x: [u8; 32] = bytes(k, "x")?
                    .try_into()
                    .map_err(|_| "invalid Ed25519 public key size")?;
                let key = ed25519_dalek::VerifyingKey::from_bytes(&x)
                    .map_err(|_| "invalid Ed25519 public key")?;
                Key::Public(PublicKey::Ed25519(key))
            }
        }
        "oct" => Key::Secret(bytes(k, "k")?),
        other => return Err(format!("invalid key type from JSON ({other})")),
    };
    Ok(VerificationKey {
        key,
        alg: member(k, "alg").unwrap_or_default().to_string(),
        kid: member(k, "kid").unwrap_or_default().to_string(),
    })
}

fn ec_key(k: &Map<String, Json>, private: bool) -> Result<Key, String> {
    let crv = member(k, "crv").unwrap_or_default();
    let size = match crv {
        "P-256" => 32,
        "P-384" => 48,
        "P-521" => 66,
        _ => return Err(format!("unsupported curve for EC key: {crv:?}")),
    };
    let bad = |_| format!("invalid EC key for curve {crv}");
    if private {
        let d = field(&bytes(k, "d")?, size)?;
        let key = match size {
            32 => PrivateKey::P256(p256::SecretKey::from_slice(&d).map_err(bad)?),
            48 => PrivateKey::P384(p384::SecretKey::from_slice(&d).map_err(bad)?),
            _ => PrivateKey::P521(p521::SecretKey::from_slice(&d).map_err(bad)?),
        };
        return Ok(Key::Private(key));
    }
    let mut point = vec![4];
    point.extend(field(&bytes(k, "x")?, size)?);
    point.extend(field(&bytes(k, "y")?, size)?);
    let key = match size {
        32 => PublicKey::P256(p256::PublicKey::from_sec1_bytes(&point).map_err(bad)?),
        48 => PublicKey::P384(p384::PublicKey::from_sec1_bytes(&point).map_err(bad)?),
        _ => PublicKey::P521(p521::PublicKey::from_sec1_bytes(&point).map_err(bad)?),
    };
    Ok(Key::Public(key))
}
