//! Signature primitives shared by certificate chain verification and JWS.

use p256::ecdsa::signature::hazmat::{PrehashSigner as _, PrehashVerifier as _};
use rsa::traits::PublicKeyParts as _;
use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use super::keys::{PrivateKey, PublicKey};

/// A hash function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// The digest of `data`.
    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn output_len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    fn pkcs1(self) -> Pkcs1v15Sign {
        match self {
            Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }

    fn pss(self, salt: usize) -> Pss {
        match self {
            Hash::Sha256 => Pss::new_with_salt::<Sha256>(salt),
            Hash::Sha384 => Pss::new_with_salt::<Sha384>(salt),
            Hash::Sha512 => Pss::new_with_salt::<Sha512>(salt),
        }
    }
}

/// RSASSA-PKCS1-v1_5 verification of a digest.
pub(crate) fn verify_pkcs1(key: &RsaPublicKey, hash: Hash, digest: &[u8], sig: &[u8]) -> bool {
    usable(key) && key.verify(hash.pkcs1(), digest, sig).is_ok()
}

/// Whether an RSA key is large enough to verify with at all (tiny moduli from hand-written
/// JWKs are refused rather than fed to the arithmetic).
fn usable(key: &RsaPublicKey) -> bool {
    key.n().bits() >= 256
}

/// RSASSA-PSS verification of a digest. Like Go's `rsa.VerifyPSS` with automatic salt length,
/// the common salt lengths are tried: the hash length, the maximum, and none.
pub(crate) fn verify_pss(key: &RsaPublicKey, hash: Hash, digest: &[u8], sig: &[u8]) -> bool {
    if !usable(key) {
        return false;
    }
    let em_len = (key.n().bits() - 1).div_ceil(8);
    let h = hash.output_len();
    let max = em_len.saturating_sub(h + 2);
    [h, max, 0]
        .into_iter()
        .filter(|&salt| salt <= max)
        .any(|salt| key.verify(hash.pss(salt), digest, sig).is_ok())
}

/// ECDSA verification of a digest with the signature given as its two integers (big-endian,
/// any length up to the curve size).
pub(crate) fn verify_ecdsa(key: &PublicKey, digest: &[u8], r: &[u8], s: &[u8]) -> bool {
    fn fixed(r: &[u8], s: &[u8], size: usize) -> Option<Vec<u8>> {
        let trim = |b: &[u8]| -> Option<Vec<u8>> {
            let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
            let b = &b[start..];
            if b.len() > size {
                return None;
            }
            let mut out = vec![0; size - b.len()];
            out.extend_from_slice(b);
            Some(out)
        };
        let mut out = trim(r)?;
        out.extend(trim(s)?);
        Some(out)
    }
    match key {
        PublicKey::P256(k) => fixed(r, s, 32)
            .and_then(|b| p256::ecdsa::Signature::from_slice(&b).ok())
            .is_some_and(|sig| {
                p256::ecdsa::VerifyingKey::from(k)
                    .verify_prehash(digest, &sig)
                    .is_ok()
            }),
        PublicKey::P384(k) => fixed(r, s, 48)
            .and_then(|b| p384::ecdsa::Signature::from_slice(&b).ok())
            .is_some_and(|sig| {
                p384::ecdsa::VerifyingKey::from(k)
                    .verify_prehash(digest, &sig)
                    .is_ok()
            }),
        PublicKey::P521(k) => fixed(r, s, 66)
            .and_then(|b| p521::ecdsa::Signature::from_slice(&b).ok())
            .is_some_and(|sig| {
                p521::ecdsa::VerifyingKey::from_affine(*k.as_affine())
                    .is_ok_and(|vk| vk.verify_prehash(digest, &sig).is_ok())
            }),
        _ => false,
    }
}

/// ECDSA verification of a digest with a DER `Ecdsa-Sig-Value` signature (certificates).
pub(crate) fn verify_ecdsa_der(key: &PublicKey, digest: &[u8], sig: &[u8]) -> bool {
    let Some(parts) = super::x509::der_children(sig) else {
        return false;
    };
    match parts.as_slice() {
        [r, s] => match (integer_body(r), integer_body(s)) {
            (Some(r), Some(s)) => verify_ecdsa(key, digest, r, s),
            _ => false,
        },
        _ => false,
    }
}

/// The content bytes of a DER INTEGER TLV.
fn integer_body(tlv: &[u8]) -> Option<&[u8]> {
    use der::{Decode as _, Reader as _};
    let mut reader = der::SliceReader::new(tlv).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    if header.tag != der::Tag::Integer {
        return None;
    }
    reader.read_slice(header.length).ok()
}

/// Ed25519 verification of a message.
pub(crate) fn verify_ed25519(key: &PublicKey, msg: &[u8], sig: &[u8]) -> bool {
    use ed25519_dalek::Verifier as _;
    let PublicKey::Ed25519(k) = key else {
        return false;
    };
    ed25519_dalek::Signature::from_slice(sig).is_ok_and(|sig| k.verify(msg, &sig).is_ok())
}

/// RSASSA-PKCS1-v1_5 signature of a digest.
pub(crate) fn sign_pkcs1(
    key: &RsaPrivateKey,
    hash: Hash,
    digest: &[u8],
) -> Result<Vec<u8>, String> {
    key.sign(hash.pkcs1(), digest).map_err(|e| e.to_string())
}

/// RSASSA-PSS signature of a digest with a salt as long as the hash.
pub(crate) fn sign_pss(key: &RsaPrivateKey, hash: Hash, digest: &[u8]) -> Result<Vec<u8>, String> {
    let mut rng = rsa::rand_core::OsRng;
    key.sign_with_rng(&mut rng, hash.pss(hash.output_len()), digest)
        .map_err(|e| e.to_string())
}

/// ECDSA signature of a digest as the fixed-size `r || s` of JWS.
pub(crate) fn sign_ecdsa(key: &PrivateKey, digest: &[u8]) -> Result<Vec<u8>, String> {
    let fail = |e: p256::ecdsa::Error| e.to_string();
    match key {
        PrivateKey::P256(k) => p256::ecdsa::SigningKey::from(k)
            .sign_prehash(digest)
            .map(|s: p256::ecdsa::Signature| s.to_bytes().to_vec())
            .map_err(fail),
        PrivateKey::P384(k) => p384::ecdsa::SigningKey::from(k)
            .sign_prehash(digest)
            .map(|s: p384::ecdsa::Signature| s.to_bytes().to_vec())
            .map_err(fail),
        PrivateKey::P521(k) => p521::ecdsa::SigningKey::from_bytes(&k.to_bytes())
            .and_then(|sk| sk.sign_prehash(digest))
            .map(|s: p521::ecdsa::Signature| s.to_bytes().to_vec())
            .map_err(fail),
        _ => Err("invalid key type for ECDSA".into()),
    }
}
