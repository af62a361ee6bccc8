//! JWS signatures by algorithm name: verification with a key of any kind, and signing.

use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384, Sha512};
use subtle::ConstantTimeEq as _;

use super::keys::Key;
use crate::crypto::keys::{PrivateKey, PublicKey};
use crate::crypto::sig::{
    Hash, sign_ecdsa, sign_pkcs1, sign_pss, verify_ecdsa, verify_ed25519, verify_pkcs1, verify_pss,
};

/// The hash of an `RS`, `PS`, `ES` or `HS` algorithm.
pub(crate) fn alg_hash(alg: &str) -> Option<Hash> {
    match alg.get(2..) {
        Some("256") => Some(Hash::Sha256),
        Some("384") => Some(Hash::Sha384),
        Some("512") => Some(Hash::Sha512),
        _ => None,
    }
}

/// HMAC of `data` under `key` with the given hash.
pub(crate) fn hmac(hash: Hash, key: &[u8], data: &[u8]) -> Vec<u8> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length.
        match <M as hmac::digest::KeyInit>::new_from_slice(key) {
            Ok(mut mac) => {
                mac.update(data);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }
    match hash {
        Hash::Sha256 => run::<Hmac<Sha256>>(key, data),
        Hash::Sha384 => run::<Hmac<Sha384>>(key, data),
        _ => run::<Hmac<Sha512>>(key, data),
    }
}

/// The size in bytes of a curve's scalars.
fn curve_size(key: &PublicKey) -> usize {
    match key {
        PublicKey::P256(_) => 32,
        PublicKey::P384(_) => 48,
        PublicKey::P521(_) => 66,
        _ => 0,
    }
}

/// Verifies a JWS signature over `input` with `key` by the algorithm named in the header, as
/// lestrrat-go/jwx's `jwsbb.Verify` does for OPA's `io.jwt.decode_verify`.
pub(crate) fn verify(key: &Key, alg: &str, input: &[u8], sig: &[u8]) -> bool {
    let hash = alg_hash(alg);
    match (alg.get(..2), hash, key) {
        (Some("HS"), Some(hash), Key::Secret(secret)) => {
            bool::from(hmac(hash, secret, input).ct_eq(sig))
        }
        (Some("HS"), ..) => false,
        (Some("RS"), Some(hash), key) => match key.verifying() {
            Some(PublicKey::Rsa(k)) => verify_pkcs1(&k, hash, &hash.digest(input), sig),
            _ => false,
        },
        (Some("PS"), Some(hash), key) => match key.verifying() {
            Some(PublicKey::Rsa(k)) => verify_pss(&k, hash, &hash.digest(input), sig),
            _ => false,
        },
        (Some("ES"), Some(hash), key) => match key.verifying() {
            Some(k) => {
                let size = curve_size(&k);
                size > 0 && sig.len() == 2 * size && {
                    let (r, s) = sig.split_at(size);
                    verify_ecdsa(&k, &hash.digest(input), r, s)
                }
            }
            None => false,
        },
        _ if alg == "EdDSA" => key
            .verifying()
            .is_some_and(|k| verify_ed25519(&k, input, sig)),
        _ => false,
    }
}

/// Signs `input` with `key` by algorithm `alg`.
pub(crate) fn sign(key: &Key, alg: &str, input: &[u8]) -> Result<Vec<u8>, String> {
    let mismatch = || format!("failed to sign payload: invalid key type for algorithm {alg}");
    if alg == "EdDSA" {
        let Key::Private(PrivateKey::Ed25519(k)) = key else {
            return Err(mismatch());
        };
        use ed25519_dalek::Signer as _;
        return Ok(k.sign(input).to_bytes().to_vec());
    }
    let hash = alg_hash(alg).ok_or_else(|| format!("unknown JWS algorithm: {alg}"))?;
    match (alg.get(..2), key) {
        (Some("HS"), Key::Secret(secret)) => Ok(hmac(hash, secret, input)),
        (Some("RS"), Key::Private(PrivateKey::Rsa(k))) => sign_pkcs1(k, hash, &hash.digest(input)),
        (Some("PS"), Key::Private(PrivateKey::Rsa(k))) => sign_pss(k, hash, &hash.digest(input)),
        (Some("ES"), Key::Private(k)) => sign_ecdsa(k, &hash.digest(input)),
        _ => Err(mismatch()),
    }
}

/// A string member of a JOSE header given as JSON text, as `jwsbb.HeaderGetString` reads it:
/// a parse error, or "not found" for anything but an object with that string member.
pub(crate) fn header_string(header: &[u8], name: &str) -> Result<String, String> {
    let text = String::from_utf8_lossy(header);
    let trimmed = text.trim_matches([' ', '\t', '\r', '\n']);
    if trimmed.is_empty() {
        return Err("cannot parse JSON: cannot parse empty string; unparsed tail: \"\"".into());
    }
    let not_found = || format!("jwsbb: header {name:?} not found");
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(obj)) => match obj.get(name) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            _ => Err(not_found()),
        },
        Ok(_) => Err(not_found()),
        // fastjson takes any run of number characters as an (unvalidated) number.
        Err(_) if trimmed.chars().all(|c| "0123456789.-+eE".contains(c)) => Err(not_found()),
        Err(e) => Err(format!("cannot parse JSON: {e}")),
    }
}
