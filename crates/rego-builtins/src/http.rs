//! Builtins of the `http` family: `http.send`.
//!
//! The request object is checked as OPA checks it (same keys, same messages); a request is
//! only made when the embedder allows network access (`BuiltinContext::network_allowed`),
//! otherwise the call fails as OPA fails for a host outside its `allow_net` list. With
//! `raise_error: false`, failures become `{"status_code": 0, "error": {...}}` results.
//! Responses are remembered for the rest of the query, so repeated calls agree.

mod client;
pub(crate) mod request;

use std::time::Duration;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[BuiltinDef {
    name: "http.send",
    arity: 1,
    func: send,
}];

const NETWORK_ERROR: &str = "eval_http_send_network_error";
const INTERNAL_ERROR: &str = "eval_http_send_internal_error";

/// How a request failed: OPA's error classes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Failure {
    /// The request could not be made or answered (`eval_http_send_network_error`).
    Network,
    /// A bad parameter of the wrong type (`eval_type_error`).
    Type,
    /// Anything else (`eval_builtin_error`).
    Other,
}

/// Why a request failed.
#[derive(Debug)]
pub(crate) struct SendError {
    failure: Failure,
    message: String,
    /// For network errors: the shorter text OPA raises when the request timed out.
    timeout_message: Option<String>,
}

impl SendError {
    fn internal(message: impl Into<String>) -> SendError {
        SendError {
            failure: Failure::Other,
            message: message.into(),
            timeout_message: None,
        }
    }
}

/// Everything `http.send` needs to make the request.
#[derive(Debug, Default)]
pub(crate) struct Request {
    method: String,
    url: String,
    body: Option<Vec<u8>>,
    raw_body: Option<Vec<u8>>,
    headers: Vec<(String, String)>,
    enable_redirect: bool,
    timeout: Option<Duration>,
    tls_insecure_skip_verify: bool,
    tls_ca_cert: Vec<u8>,
    tls_client_cert: Vec<u8>,
    tls_client_key: Vec<u8>,
    retries: u32,
}

/// `{"status_code": 0, "error": {"code": ..., "message": ...}}`.
fn error_result(code: &str, message: &str) -> Value {
    let error = Value::object_from(vec![
        (Value::string("code"), Value::string(code)),
        (Value::string("message"), Value::string(message)),
    ]);
    Value::object_from(vec![
        (Value::string("status_code"), Value::from_i64(0)),
        (Value::string("error"), error),
    ])
}

/// `http.send(request)`: the response object.
fn send(ctx: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let req = &args[0];
    req.as_object()
        .ok_or_else(|| BuiltinError::operand(1, "object", req))?;
    let raise_error = match req.object_get_str("raise_error") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(BuiltinError::msg("invalid value for raise_error field")),
    };
    if let Err(e) = request::validate_request(req, 1) {
        if raise_error {
            return Err(e);
        }
        let message = format!("{}: http.send: {}", e.code(), e.message());
        return Ok(error_result(INTERNAL_ERROR, &message));
    }
    let mut failure = None;
    let response = ctx.memoize("http.send", args, || {
        respond(ctx, req).map_err(|e| {
            failure = Some(e);
            BuiltinError::msg("http.send failed")
        })
    });
    let Some(e) = failure else {
        return response;
    };
    match (raise_error, e.failure) {
        (true, Failure::Type) => Err(BuiltinError::Type(e.message)),
        (true, Failure::Network) => Err(BuiltinError::msg(e.timeout_message.unwrap_or(e.message))),
        (true, Failure::Other) => Err(BuiltinError::msg(e.message)),
        (false, Failure::Network) => Ok(error_result(NETWORK_ERROR, &e.message)),
        (false, Failure::Type) => Ok(error_result(
            INTERNAL_ERROR,
            &format!("eval_type_error: http.send: {}", e.message),
        )),
        (false, Failure::Other) => Ok(error_result(
            INTERNAL_ERROR,
            &format!("eval_builtin_error: http.send: {}", e.message),
        )),
    }
}

fn respond(ctx: &BuiltinContext<'_>, req: &Value) -> Result<Value, SendError> {
    check_cache_options(req)?;
    let request = build_request(ctx, req)?;
    let force_json = bool_option(req, "force_json_decode")?;
    let force_yaml = bool_option(req, "force_yaml_decode")?;
    client::execute(&request, force_json, force_yaml)
}

/// A boolean option (false when absent).
fn bool_option(req: &Value, key: &str) -> Result<bool, SendError> {
    match req.object_get_str(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(SendError::internal(format!(
            "invalid value for \"{key}\" field"
        ))),
    }
}

fn check_cache_options(req: &Value) -> Result<(), SendError> {
    bool_option(req, "cache")?;
    if bool_option(req, "force_cache")? {
        let Some(seconds) = req.object_get_str("force_cache_duration_seconds") else {
            return Err(SendError::internal(
                "'force_cache' set but 'force_cache_duration_seconds' parameter is missing",
            ));
        };
        let text = seconds.to_string();
        text.parse::<i32>().map_err(|_| {
            SendError::internal(format!(
                "strconv.ParseInt: parsing {}: invalid syntax",
                go_quote(&text)
            ))
        })?;
    }
    Ok(())
}

fn go_quote(s: &str) -> String {
    Value::string(s).to_string()
}

/// Go's `strconv.ParseBool` on the Rego text of a value.
fn parse_bool(v: &Value) -> Result<bool, SendError> {
    let text = v.to_string();
    match text.as_str() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(SendError::internal(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            go_quote(&text)
        ))),
    }
}

const STRING_KEYS: &[&str] = &[
    "method",
    "url",
    "raw_body",
    "tls_ca_cert",
    "tls_ca_cert_file",
    "tls_ca_cert_env_variable",
    "tls_client_cert",
    "tls_client_cert_file",
    "tls_client_cert_env_variable",
    "tls_client_key",
    "tls_client_key_file",
    "tls_client_key_env_variable",
    "tls_server_name",
];

/// Reads the request parameters in key order, as OPA does, checking each.
fn build_request(ctx: &BuiltinContext<'_>, req: &Value) -> Result<Request, SendError> {
    let mut out = Request::default();
    let (mut ca_file, mut ca_env) = (String::new(), String::new());
    let (mut cert_file, mut key_file) = (String::new(), String::new());
    let (mut cert_env, mut key_env) = (String::new(), String::new());
    for (k, v) in req.as_object().unwrap_or_default() {
        let key = k.as_str().unwrap_or_default();
        let text = match v.as_str() {
            Some(s) => s.trim_matches('"').to_string(),
            None if STRING_KEYS.contains(&key) => {
                return Err(SendError::internal(format!(
                    "{} must be a string",
                    go_quote(key)
                )));
            }
            None => String::new(),
        };
        match key {
            "method" => out.method = text.to_uppercase(),
            "url" => {
                if !ctx.network_allowed() {
                    let host = client::host_of(&text);
                    return Err(SendError::internal(format!(
                        "unallowed host: {host} (network access is disabled)"
                    )));
                }
                out.url = text;
            }
            "enable_redirect" => out.enable_redirect = parse_bool(v)?,
            "body" => out.body = Some(request::go_json(v).into_bytes()),
            "raw_body" => out.raw_body = Some(text.into_bytes()),
            "tls_use_system_certs" => {
                parse_bool(v)?;
            }
            "tls_insecure_skip_verify" => out.tls_insecure_skip_verify = parse_bool(v)?,
            "tls_ca_cert" => out.tls_ca_cert = text.replace("\\n", "\n").into_bytes(),
            "tls_ca_cert_file" => ca_file = text,
            "tls_ca_cert_env_variable" => ca_env = text,
            "tls_client_cert" => out.tls_client_cert = text.into_bytes(),
            "tls_client_key" => out.tls_client_key = text.into_bytes(),
            "tls_client_cert_file" => cert_file = text,
            "tls_client_key_file" => key_file = text,
            "tls_client_cert_env_variable" => cert_env = text,
            "tls_client_key_env_variable" => key_env = text,
            "tls_server_name" if !text.is_empty() => {
                return Err(SendError::internal("tls_server_name is not supported"));
            }
            "headers" => out.headers = headers(v)?,
            "timeout" => {
                out.timeout = Some(timeout(v).map_err(|e| match e {
                    TimeoutError::Type(message) => SendError {
                        failure: Failure::Type,
                        message,
                        timeout_message: None,
                    },
                    TimeoutError::Value(m) => SendError::internal(m),
                })?);
            }
            "max_retry_attempts" => out.retries = retries(v)?,
            _ => {}
        }
    }
    let read = |path: &str| {
        std::fs::read(path).map_err(|e| SendError::internal(format!("open {path}: {e}")))
    };
    if !ca_file.is_empty() {
        out.tls_ca_cert.extend(read(&ca_file)?);
    }
    if !ca_env.is_empty() {
        out.tls_ca_cert
            .extend(std::env::var(&ca_env).unwrap_or_default().into_bytes());
    }
    if !cert_file.is_empty() && !key_file.is_empty() {
        out.tls_client_cert = read(&cert_file)?;
        out.tls_client_key = read(&key_file)?;
    }
    if !cert_env.is_empty() && !key_env.is_empty() {
        out.tls_client_cert = std::env::var(&cert_env).unwrap_or_default().into_bytes();
        out.tls_client_key = std::env::var(&key_env).unwrap_or_default().into_bytes();
    }
    Ok(out)
}

fn headers(v: &Value) -> Result<Vec<(String, String)>, SendError> {
    let obj = v
        .as_object()
        .ok_or_else(|| SendError::internal("invalid type for headers key"))?;
    obj.iter()
        .map(|(k, val)| {
            let name = k
                .as_str()
                .map_or_else(|| k.to_json_string(), str::to_string);
            let value = val.as_str().ok_or_else(|| {
                SendError::internal(format!(
                    "invalid type for headers value {}",
                    val.to_json_string()
                ))
            })?;
            Ok((client::canonical_header(&name), value.to_string()))
        })
        .collect()
}

fn retries(v: &Value) -> Result<u32, SendError> {
    v.as_number()
        .and_then(|n| n.as_i64())
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            SendError::internal(format!(
                "invalid value {v} for field \"max_retry_attempts\""
            ))
        })
}

/// A bad `timeout` value.
#[derive(Debug, PartialEq)]
pub(crate) enum TimeoutError {
    Type(String),
    Value(String),
}

/// The request timeout: nanoseconds as a number or digits, or a Go duration (`"5s"`).
fn timeout(v: &Value) -> Result<Duration, TimeoutError> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(|ns| Duration::from_nanos(ns.max(0).unsigned_abs()))
            .ok_or_else(|| {
                TimeoutError::Value(format!("invalid timeout number value {v}, must be int64"))
            }),
        Value::String(s) => {
            if let Ok(ns) = s.parse::<i64>() {
                return Ok(Duration::from_nanos(ns.max(0).unsigned_abs()));
            }
            go_duration(s).ok_or_else(|| {
                TimeoutError::Value(format!(
                    "invalid timeout value {v}: time: invalid duration {}",
                    go_quote(s)
                ))
            })
        }
        _ => Err(TimeoutError::Type(format!(
            "operand 1 'timeout' must be one of {{string, number}} but got {}",
            v.type_name()
        ))),
    }
}

/// Go's `time.ParseDuration` (`1h2m3.5s`, `300ms`, `-1.5h`); negative durations are zero.
pub(crate) fn go_duration(s: &str) -> Option<Duration> {
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(Duration::ZERO);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    if negative {
        return Some(Duration::ZERO);
    }
    Some(Duration::from_nanos(total as u64))
}

#[cfg(test)]
mod tests;
