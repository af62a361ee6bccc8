//! `io.jwt.encode_sign` and `io.jwt.encode_sign_raw`: compact JWS signed with a JWK.

use rego_eval::{BuiltinContext, BuiltinError, Value};

use super::keys::{ALGORITHMS, parse_jwks};
use super::{fail, jws};
use crate::args;
use crate::crypto::codec::base64url_encode;

/// JSON text as Go's `json.Marshal` writes it: compact, sorted keys, and `<`, `>`, `&`, U+2028
/// and U+2029 escaped (they can only occur inside strings).
fn go_json(value: &Value) -> String {
    let text = value.to_json_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `io.jwt.encode_sign(headers, payload, key)`: the objects are serialised as Go would.
pub(crate) fn encode_sign(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let headers = go_json(&args[0]);
    let payload = go_json(&args[1]);
    let key = go_json(&args[2]);
    sign(headers.as_bytes(), payload.as_bytes(), &key).map_err(fail)
}

/// `io.jwt.encode_sign_raw(headers, payload, key)` with the JSON texts as given.
pub(crate) fn encode_sign_raw(
    _: &BuiltinContext<'_>,
    args: &[Value],
) -> Result<Value, BuiltinError> {
    let key = args::string(args, 2)?;
    let headers = args::string(args, 0)?;
    let payload = args::string(args, 1)?;
    sign(headers.as_bytes(), payload.as_bytes(), key).map_err(fail)
}

fn sign(headers: &[u8], payload: &[u8], jwk: &str) -> Result<Value, String> {
    let keys = parse_jwks(jwk).map_err(|e| format!("failed to parse JWK: {e}"))?;
    let key = keys.first().ok_or("no keys found in JWK set")?;
    let alg = jws::header_string(headers, "alg")
        .map_err(|e| format!("missing or invalid 'alg' header: {e}"))?;
    if !ALGORITHMS.contains(&alg.as_str()) {
        return Err(format!("unknown JWS algorithm: {alg}"));
    }
    let typ = jws::header_string(headers, "typ");
    let needs_json = typ.as_deref().map_or(true, |t| t == "JWT");
    if needs_json && serde_json::from_slice::<serde::de::IgnoredAny>(payload).is_err() {
        return Err("type is JWT but payload is not JSON".into());
    }
    let input = format!(
        "{}.{}",
        base64url_encode(headers),
        base64url_encode(payload)
    );
    let signature = jws::sign(&key.key, &alg, input.as_bytes())?;
    Ok(Value::from(format!(
        "{input}.{}",
        base64url_encode(&signature)
    )))
}
