//! `io.jwt.decode_verify`: signature verification against constraints, nested tokens, and the
//! registered claims `iss`, `aud`, `exp` and `nbf`.

use rego_eval::{BuiltinContext, BuiltinError, Value};

use super::keys::{Key, VerificationKey, keys_from_cert_or_jwk};
use super::{Header, Token, fail, json_object, jws, split};
use crate::args;
use crate::crypto::codec::base64url;

/// The parsed constraints object.
struct Constraints {
    secret: String,
    alg: String,
    iss: String,
    aud: String,
    keys: Option<Vec<VerificationKey>>,
    /// Nanoseconds since the epoch.
    time: f64,
}

fn time_constraint(value: &Value) -> Result<f64, String> {
    let n = value
        .as_number()
        .ok_or("token time constraint: must be a number")?
        .as_f64();
    if !n.is_finite() {
        return Err("token time constraint: unvalid float64".into());
    }
    if n < 0.0 {
        return Err("token time constraint: must not be negative".into());
    }
    Ok(n)
}

impl Constraints {
    fn parse(obj: &[(Value, Value)], now_ns: i64) -> Result<Constraints, String> {
        let mut c = Constraints {
            secret: String::new(),
            alg: String::new(),
            iss: String::new(),
            aud: String::new(),
            keys: None,
            time: -1.0,
        };
        for (key, value) in obj {
            let name = key.as_str().unwrap_or_default();
            let string = |field: &mut String| -> Result<(), String> {
                *field = value
                    .as_str()
                    .ok_or_else(|| format!("{name} constraint: must be a string"))?
                    .to_string();
                Ok(())
            };
            match name {
                "cert" => {
                    let text = value.as_str().ok_or("cert constraint: must be a string")?;
                    c.keys = Some(keys_from_cert_or_jwk(text)?);
                }
                "secret" => string(&mut c.secret)?,
                "alg" => string(&mut c.alg)?,
                "iss" => string(&mut c.iss)?,
                "aud" => string(&mut c.aud)?,
                "time" => c.time = time_constraint(value)?,
                _ => return Err(format!("unknown token validation constraint: {name}")),
            }
        }
        if c.time == -1.0 {
            c.time = time_constraint(&Value::from(now_ns))?;
        }
        let key_constraints = usize::from(c.keys.is_some()) + usize::from(!c.secret.is_empty());
        if key_constraints > 1 {
            return Err("duplicate key constraints".into());
        }
        if key_constraints < 1 {
            return Err("no key constraint".into());
        }
        Ok(c)
    }

    /// Verifies the signature with the configured key(s) or secret.
    fn verify(&self, header: &Header, token: &Token<'_>, signature: &[u8]) -> bool {
        let input = token.signing_input();
        if let Some(keys) = &self.keys {
            if !header.kid.is_empty() {
                if let Some(key) = keys.iter().find(|k| k.kid == header.kid) {
                    return jws::verify(&key.key, &header.alg, &input, signature);
                }
            }
            return keys
                .iter()
                .filter(|k| k.alg.is_empty() || k.alg == header.alg)
                .any(|k| jws::verify(&k.key, &header.alg, &input, signature));
        }
        let secret = Key::Secret(self.secret.as_bytes().to_vec());
        jws::verify(&secret, &header.alg, &input, signature)
    }

    fn valid_audience(&self, aud: &Value) -> bool {
        match aud {
            Value::String(s) => s.as_str() == self.aud,
            Value::Array(items) => items.iter().any(|i| i.as_str() == Some(self.aud.as_str())),
            _ => false,
        }
    }
}

fn unverified() -> Value {
    Value::array(vec![
        Value::Bool(false),
        Value::empty_object(),
        Value::empty_object(),
    ])
}

/// `io.jwt.decode_verify(jwt, constraints)`.
pub(crate) fn decode_verify(
    ctx: &BuiltinContext<'_>,
    args: &[Value],
) -> Result<Value, BuiltinError> {
    let constraints = Constraints::parse(args::object(args, 1)?, ctx.now_ns()).map_err(fail)?;
    let mut jwt = args[0].clone();
    let (header, payload) = loop {
        let token = split(&jwt)?;
        let header_value = token.decode_header().map_err(fail)?;
        let header = Header::parse(&header_value).map_err(fail)?;
        if !header.valid() || (!constraints.alg.is_empty() && constraints.alg != header.alg) {
            return Ok(unverified());
        }
        let signature = token.decode_signature().map_err(fail)?;
        if !constraints.verify(&header, &token, &signature) {
            return Ok(unverified());
        }
        let payload = base64url(token.payload)
            .map_err(|e| fail(format!("JWT payload had invalid encoding: {e}")))?;
        if header.cty.eq_ignore_ascii_case("JWT") {
            // A nested token: verify it with the same constraints.
            jwt = Value::from(String::from_utf8_lossy(&payload).into_owned());
            continue;
        }
        break (header_value, payload);
    };
    let payload = json_object(&payload).map_err(fail)?;
    if !claims_hold(&constraints, &payload).map_err(fail)? {
        return Ok(unverified());
    }
    Ok(Value::array(vec![Value::Bool(true), header, payload]))
}

/// Checks `iss`, `aud`, `exp` and `nbf`; errors for non-numeric `exp` or `nbf`.
fn claims_hold(c: &Constraints, payload: &Value) -> Result<bool, String> {
    if !c.iss.is_empty()
        && payload.object_get_str("iss").and_then(Value::as_str) != Some(c.iss.as_str())
    {
        return Ok(false);
    }
    match payload.object_get_str("aud") {
        Some(aud) if !c.valid_audience(aud) => return Ok(false),
        None if !c.aud.is_empty() => return Ok(false),
        _ => {}
    }
    // The time in seconds, as the shortest decimal of the float, compared exactly.
    let now = Value::from_f64(c.time / 1e9);
    if let Some(exp) = payload.object_get_str("exp") {
        if exp.as_number().is_none() {
            return Err("exp value must be a number".into());
        }
        if now >= *exp {
            return Ok(false);
        }
    }
    if let Some(nbf) = payload.object_get_str("nbf") {
        if nbf.as_number().is_none() {
            return Err("nbf value must be a number".into());
        }
        if now < *nbf {
            return Ok(false);
        }
    }
    Ok(true)
}
