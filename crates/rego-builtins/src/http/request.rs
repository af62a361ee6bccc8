//! The request-object checks shared by `http.send` and `providers.aws.sign_req`, with OPA's
//! wording (`operand 1 invalid request parameters(s): {"bad_key"}`).

use rego_eval::{BuiltinError, Value};

/// The keys an `http.send` request object may have.
pub(crate) const ALLOWED_KEYS: &[&str] = &[
    "method",
    "url",
    "body",
    "enable_redirect",
    "force_json_decode",
    "force_yaml_decode",
    "headers",
    "raw_body",
    "tls_use_system_certs",
    "tls_ca_cert",
    "tls_ca_cert_file",
    "tls_ca_cert_env_variable",
    "tls_client_cert",
    "tls_client_cert_file",
    "tls_client_cert_env_variable",
    "tls_client_key",
    "tls_client_key_file",
    "tls_client_key_env_variable",
    "tls_insecure_skip_verify",
    "tls_server_name",
    "timeout",
    "cache",
    "force_cache",
    "force_cache_duration_seconds",
    "raise_error",
    "caching_mode",
    "max_retry_attempts",
    "cache_ignored_headers",
];

const REQUIRED_KEYS: &[&str] = &["method", "url"];

/// A set rendered as OPA prints it in messages: `{"a", "b"}`.
pub(crate) fn set_text(items: Vec<Value>) -> String {
    Value::set_from(items).to_string()
}

/// The request object, once its keys are known and the required ones are present.
pub(crate) fn validate_request(v: &Value, pos: usize) -> Result<&[(Value, Value)], BuiltinError> {
    let obj = v
        .as_object()
        .ok_or_else(|| BuiltinError::operand(pos, "object", v))?;
    let invalid: Vec<Value> = obj
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !k.as_str().is_some_and(|s| ALLOWED_KEYS.contains(&s)))
        .cloned()
        .collect();
    if !invalid.is_empty() {
        return Err(BuiltinError::Type(format!(
            "operand {pos} invalid request parameters(s): {}",
            set_text(invalid)
        )));
    }
    let missing: Vec<Value> = REQUIRED_KEYS
        .iter()
        .filter(|k| v.object_get_str(k).is_none())
        .map(|k| Value::string(k))
        .collect();
    if !missing.is_empty() {
        return Err(BuiltinError::Type(format!(
            "operand {pos} missing required request parameters(s): {}",
            set_text(missing)
        )));
    }
    Ok(obj)
}

/// JSON text as Go's `encoding/json` writes it: compact, keys sorted, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped, as are control characters other than `\n`, `\r`, `\t`.
pub(crate) fn go_json(v: &Value) -> String {
    let text = v.to_json_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') => out.push_str("\\u0008"),
                Some('f') => out.push_str("\\u000c"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
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
