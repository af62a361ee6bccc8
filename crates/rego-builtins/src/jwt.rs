//! Builtins of the `jwt` family (`io.jwt.*`): decoding, signature verification with certificates,
//! public keys, JWKs and secrets, full validation with constraints, and signing.

mod decode_verify;
mod encode;
mod jws;
mod keys;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};
use subtle::ConstantTimeEq as _;

use crate::args;
use crate::crypto::codec::{base64url, hex};
use crate::crypto::keys::PublicKey;
use crate::crypto::sig::{Hash, verify_ecdsa, verify_ed25519, verify_pkcs1, verify_pss};
use keys::{VerificationKey, keys_from_cert_or_jwk};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "io.jwt.decode",
        arity: 1,
        func: decode,
    },
    BuiltinDef {
        name: "io.jwt.decode_verify",
        arity: 2,
        func: decode_verify::decode_verify,
    },
    BuiltinDef {
        name: "io.jwt.encode_sign",
        arity: 3,
        func: encode::encode_sign,
    },
    BuiltinDef {
        name: "io.jwt.encode_sign_raw",
        arity: 3,
        func: encode::encode_sign_raw,
    },
    BuiltinDef {
        name: "io.jwt.verify_rs256",
        arity: 2,
        func: verify_rs256,
    },
    BuiltinDef {
        name: "io.jwt.verify_rs384",
        arity: 2,
        func: verify_rs384,
    },
    BuiltinDef {
        name: "io.jwt.verify_rs512",
        arity: 2,
        func: verify_rs512,
    },
    BuiltinDef {
        name: "io.jwt.verify_ps256",
        arity: 2,
        func: verify_ps256,
    },
    BuiltinDef {
        name: "io.jwt.verify_ps384",
        arity: 2,
        func: verify_ps384,
    },
    BuiltinDef {
        name: "io.jwt.verify_ps512",
        arity: 2,
        func: verify_ps512,
    },
    BuiltinDef {
        name: "io.jwt.verify_es256",
        arity: 2,
        func: verify_es256,
    },
    BuiltinDef {
        name: "io.jwt.verify_es384",
        arity: 2,
        func: verify_es384,
    },
    BuiltinDef {
        name: "io.jwt.verify_es512",
        arity: 2,
        func: verify_es512,
    },
    BuiltinDef {
        name: "io.jwt.verify_eddsa",
        arity: 2,
        func: verify_eddsa,
    },
    BuiltinDef {
        name: "io.jwt.verify_hs256",
        arity: 2,
        func: verify_hs256,
    },
    BuiltinDef {
        name: "io.jwt.verify_hs384",
        arity: 2,
        func: verify_hs384,
    },
    BuiltinDef {
        name: "io.jwt.verify_hs512",
        arity: 2,
        func: verify_hs512,
    },
];

fn fail(msg: impl Into<String>) -> BuiltinError {
    BuiltinError::Builtin(msg.into())
}

/// The three base64url sections of a compact JWS.
pub(crate) struct Token<'a> {
    /// The encoded header.
    pub header: &'a str,
    /// The encoded payload.
    pub payload: &'a str,
    /// The encoded signature.
    pub signature: &'a str,
}

/// Splits a compact JWS (operand 1 of every `io.jwt` builtin).
pub(crate) fn split(jwt: &Value) -> Result<Token<'_>, BuiltinError> {
    let text = jwt
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", jwt))?;
    split_text(text).map_err(fail)
}

fn split_text(text: &str) -> Result<Token<'_>, String> {
    if !text.contains('.') {
        return Err("encoded JWT had no period separators".into());
    }
    let parts: Vec<&str> = text.split('.').collect();
    match parts[..] {
        [header, payload, signature] => Ok(Token {
            header,
            payload,
            signature,
        }),
        _ => Err(format!(
            "encoded JWT must have 3 sections, found {}",
            parts.len()
        )),
    }
}

/// Parses JSON text that must be an object, as OPA's `extractJSONObject`.
pub(crate) fn json_object(bytes: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(bytes);
    let value = Value::from_json_str(&text).map_err(|e| format!("invalid JSON: {e}"))?;
    match value {
        Value::Object(_) => Ok(value),
        _ => Err("decoded JSON type was not an Object".into()),
    }
}

impl Token<'_> {
    /// The decoded header object; JWE headers (with `enc`) are refused.
    pub(crate) fn decode_header(&self) -> Result<Value, String> {
        let bytes =
            base64url(self.header).map_err(|e| format!("JWT header had invalid encoding: {e}"))?;
        let header = json_object(&bytes).map_err(|e| format!("bad JWT header: {e}"))?;
        if header.object_get_str("enc").is_some() {
            return Err("JWT is a JWE object, which is not supported".into());
        }
        Ok(header)
    }

    /// The decoded signature bytes.
    pub(crate) fn decode_signature(&self) -> Result<Vec<u8>, String> {
        base64url(self.signature)
    }

    /// The JWS signing input, `header.payload`.
    pub(crate) fn signing_input(&self) -> Vec<u8> {
        format!("{}.{}", self.header, self.payload).into_bytes()
    }
}

/// The JOSE header fields OPA interprets.
#[derive(Default)]
pub(crate) struct Header {
    /// `alg`, empty when absent.
    pub alg: String,
    /// `kid`, empty when absent.
    pub kid: String,
    /// `cty`, empty when absent.
    pub cty: String,
    crit: Vec<String>,
    unknown: Vec<String>,
}

impl Header {
    /// Reads the header object, with OPA's errors for badly typed fields.
    pub(crate) fn parse(header: &Value) -> Result<Header, String> {
        let mut out = Header::default();
        for (key, value) in header.as_object().unwrap_or_default() {
            let Some(key) = key.as_str() else { continue };
            let field = match key {
                "alg" => &mut out.alg,
                "kid" => &mut out.kid,
                "cty" => &mut out.cty,
                "typ" => {
                    value.as_str().ok_or("typ: must be a string")?;
                    continue;
                }
                "crit" => {
                    let items = value.as_array().ok_or("crit: must be a list")?;
                    out.crit = items
                        .iter()
                        .map_while(|v| v.as_str().map(str::to_string))
                        .collect();
                    if out.crit.is_empty() {
                        return Err("crit: must be a nonempty list".into());
                    }
                    continue;
                }
                other => {
                    out.unknown.push(other.to_string());
                    continue;
                }
            };
            *field = value
                .as_str()
                .ok_or_else(|| format!("{key}: must be a string"))?
                .to_string();
        }
        Ok(out)
    }

    /// RFC 7515: `alg` is present and no critical parameter is unknown.
    pub(crate) fn valid(&self) -> bool {
        !self.alg.is_empty() && !self.unknown.iter().any(|u| self.crit.contains(u))
    }
}

fn decode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let token = split(&args[0])?;
    decode_token(&token).map_err(fail)
}

fn decode_token(token: &Token<'_>) -> Result<Value, String> {
    let header = token.decode_header()?;
    let payload =
        base64url(token.payload).map_err(|e| format!("JWT payload had invalid encoding: {e}"))?;
    if header.object_get_str("cty").and_then(Value::as_str) == Some("JWT") {
        // A nested token; jwt.io quotes it, so quotes are trimmed.
        let inner = String::from_utf8_lossy(&payload);
        let inner = inner.trim_matches(['"', '\'']);
        return decode_token(&split_text(inner)?);
    }
    let payload = json_object(&payload)?;
    let signature = base64url(token.signature)
        .map_err(|e| format!("JWT signature had invalid encoding: {e}"))?;
    Ok(Value::array(vec![
        header,
        payload,
        Value::from(hex(&signature)),
    ]))
}

/// How one `verify_*` builtin checks a signature with a key.
type KeyCheck = fn(&PublicKey, &[u8], &[u8]) -> bool;

/// OPA's shared verification for the asymmetric `io.jwt.verify_*` builtins: a key whose `kid`
/// matches the header's decides alone; otherwise any key whose `alg` (if declared) matches.
fn verify_asymmetric(args: &[Value], check: KeyCheck) -> Result<Value, BuiltinError> {
    let token = split(&args[0])?;
    let keys_text = args::string(args, 1)?;
    let keys = keys_from_cert_or_jwk(keys_text).map_err(fail)?;
    let signature = token.decode_signature().map_err(fail)?;
    let header = token.decode_header().map_err(fail)?;
    let header = Header::parse(&header).map_err(fail)?;
    let input = token.signing_input();
    let verify = |k: &VerificationKey| match &k.key {
        keys::Key::Public(key) => check(key, &input, &signature),
        _ => false,
    };
    if !header.kid.is_empty() {
        if let Some(key) = keys.iter().find(|k| k.kid == header.kid) {
            return Ok(Value::Bool(verify(key)));
        }
    }
    let valid = keys
        .iter()
        .filter(|k| k.alg.is_empty() || k.alg == header.alg)
        .any(verify);
    Ok(Value::Bool(valid))
}

macro_rules! asymmetric {
    ($($name:ident => $check:expr;)*) => {$(
        fn $name(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
            verify_asymmetric(args, $check)
        }
    )*};
}

fn rsa_pkcs1(hash: Hash, key: &PublicKey, input: &[u8], sig: &[u8]) -> bool {
    matches!(key, PublicKey::Rsa(k) if verify_pkcs1(k, hash, &hash.digest(input), sig))
}

fn rsa_pss(hash: Hash, key: &PublicKey, input: &[u8], sig: &[u8]) -> bool {
    matches!(key, PublicKey::Rsa(k) if verify_pss(k, hash, &hash.digest(input), sig))
}

/// OPA's own ECDSA check: the signature's halves are `r` and `s`, whatever the curve.
fn ecdsa(hash: Hash, key: &PublicKey, input: &[u8], sig: &[u8]) -> bool {
    let (r, s) = sig.split_at(sig.len() / 2);
    verify_ecdsa(key, &hash.digest(input), r, s)
}

asymmetric! {
    verify_rs256 => |k, i, s| rsa_pkcs1(Hash::Sha256, k, i, s);
    verify_rs384 => |k, i, s| rsa_pkcs1(Hash::Sha384, k, i, s);
    verify_rs512 => |k, i, s| rsa_pkcs1(Hash::Sha512, k, i, s);
    verify_ps256 => |k, i, s| rsa_pss(Hash::Sha256, k, i, s);
    verify_ps384 => |k, i, s| rsa_pss(Hash::Sha384, k, i, s);
    verify_ps512 => |k, i, s| rsa_pss(Hash::Sha512, k, i, s);
    verify_es256 => |k, i, s| ecdsa(Hash::Sha256, k, i, s);
    verify_es384 => |k, i, s| ecdsa(Hash::Sha384, k, i, s);
    verify_es512 => |k, i, s| ecdsa(Hash::Sha512, k, i, s);
    verify_eddsa => verify_ed25519;
}

fn verify_hmac(args: &[Value], hash: Hash) -> Result<Value, BuiltinError> {
    args::string(args, 0)?;
    let secret = args::string(args, 1)?;
    let token = split(&args[0])?;
    let mac = jws::hmac(hash, secret.as_bytes(), &token.signing_input());
    let signature = token.decode_signature().map_err(fail)?;
    Ok(Value::Bool(bool::from(signature.ct_eq(&mac))))
}

fn verify_hs256(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    verify_hmac(args, Hash::Sha256)
}

fn verify_hs384(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    verify_hmac(args, Hash::Sha384)
}

fn verify_hs512(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    verify_hmac(args, Hash::Sha512)
}

#[cfg(test)]
mod tests;
