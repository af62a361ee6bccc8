//! Builtins of the `aws` family: `providers.aws.sign_req`, AWS Signature Version 4 signing of
//! an `http.send` request object, as OPA does it (same canonical request, same headers).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};
use sha2::{Digest, Sha256};

#[cfg(feature = "http")]
use crate::http::request;
#[cfg(not(feature = "http"))]
#[path = "http/request.rs"]
mod request;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[BuiltinDef {
    name: "providers.aws.sign_req",
    arity: 3,
    func: sign_req,
}];

const REQUIRED_CONFIG: &[&str] = &[
    "aws_access_key",
    "aws_region",
    "aws_secret_access_key",
    "aws_service",
];

/// Headers a proxy may change, left out of the signature (as the AWS SDK does).
const IGNORED_HEADERS: &[&str] = &["authorization", "user-agent", "x-amzn-trace-id"];

fn string_of(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_string()
}

fn check_config(config: &Value) -> Result<(), BuiltinError> {
    let missing: Vec<Value> = REQUIRED_CONFIG
        .iter()
        .filter(|k| config.object_get_str(k).is_none())
        .map(|k| Value::string(k))
        .collect();
    if !missing.is_empty() {
        return Err(BuiltinError::Type(format!(
            "operand 2 missing required AWS config parameters(s): {}",
            request::set_text(missing)
        )));
    }
    let invalid: Vec<Value> = REQUIRED_CONFIG
        .iter()
        .filter(|k| {
            config
                .object_get_str(k)
                .is_some_and(|v| v.as_str().is_none())
        })
        .map(|k| Value::string(k))
        .collect();
    if !invalid.is_empty() {
        return Err(BuiltinError::Type(format!(
            "operand 2 invalid values for required AWS config parameters(s): {}",
            request::set_text(invalid)
        )));
    }
    Ok(())
}

/// The parts of a URL that signing uses: host (with port), escaped path, raw query.
struct UrlParts {
    host: String,
    path: String,
    query: String,
}

fn parse_url(url: &str) -> Result<UrlParts, BuiltinError> {
    if url.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(BuiltinError::msg(format!(
            "parse {url:?}: net/url: invalid control character in URL"
        )));
    }
    let rest = url.split('#').next().unwrap_or_default();
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, q.to_string()),
        None => (rest, String::new()),
    };
    // A scheme is letters, digits, `+`, `-`, `.` after a letter, then `:`.
    let rest = match rest.split_once(':') {
        Some((scheme, r))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            r
        }
        _ => rest,
    };
    let (host, path) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find('/').unwrap_or(r.len());
            let authority = &r[..end];
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            (host.to_string(), &r[end..])
        }
        None => (String::new(), rest),
    };
    Ok(UrlParts {
        host,
        path: escaped_path(path),
        query,
    })
}

/// Go's `URL.EscapedPath`: the path as written when it is validly escaped, else re-escaped.
fn escaped_path(raw: &str) -> String {
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b);
    if raw.bytes().all(|b| keep(b) || b"!'()*[]%".contains(&b)) {
        return raw.to_string();
    }
    let decoded = percent_encoding::percent_decode_str(raw).collect::<Vec<u8>>();
    let mut out = String::new();
    for b in decoded {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hmac(key: &[u8], message: &str) -> Vec<u8> {
    // HMAC accepts keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Signs; returns the `Authorization` header and the headers AWS adds.
#[allow(clippy::too_many_arguments)]
fn sign_v4(
    headers: &[(String, String)],
    method: &str,
    url: &UrlParts,
    body: &[u8],
    service: &str,
    creds: &Creds,
    time: DateTime<Utc>,
    unsigned_payload: bool,
) -> (String, Vec<(String, String)>) {
    let content_hash = if unsigned_payload {
        "UNSIGNED-PAYLOAD".to_string()
    } else {
        hex::encode(Sha256::digest(body))
    };
    let date = time.format("%Y%m%d").to_string();
    let stamp = time.format("%Y%m%dT%H%M%SZ").to_string();
    let mut aws_headers = vec![
        ("host".to_string(), url.host.clone()),
        ("x-amz-date".to_string(), stamp.clone()),
    ];
    if service == "s3" || service == "glacier" {
        aws_headers.push(("x-amz-content-sha256".to_string(), content_hash.clone()));
    }
    if !creds.session_token.is_empty() {
        aws_headers.push((
            "x-amz-security-token".to_string(),
            creds.session_token.clone(),
        ));
    }
    let mut to_sign: std::collections::BTreeMap<String, String> =
        aws_headers.iter().cloned().collect();
    for (k, v) in headers {
        let lower = k.to_lowercase();
        if !IGNORED_HEADERS.contains(&lower.as_str()) {
            to_sign.insert(lower, v.clone());
        }
    }
    let mut canonical = format!("{method}\n{}\n{}\n", url.path, url.query);
    for (k, v) in &to_sign {
        canonical.push_str(&format!("{k}:{v}\n"));
    }
    let signed: Vec<&str> = to_sign.keys().map(String::as_str).collect();
    let signed = signed.join(";");
    canonical.push_str(&format!("\n{signed}\n{content_hash}"));
    let scope = format!("{date}/{}/{service}/aws4_request", creds.region);
    let to_sign_text = format!(
        "AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{}", creds.secret_key).as_bytes(), &date);
    for part in [creds.region.as_str(), service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let signature = hex::encode(hmac(&key, &to_sign_text));
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope},SignedHeaders={signed},Signature={signature}",
        creds.access_key
    );
    (auth, aws_headers)
}

struct Creds {
    access_key: String,
    secret_key: String,
    region: String,
    session_token: String,
}

/// `providers.aws.sign_req(request, aws_config, time_ns)`: the request with signed headers.
fn sign_req(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let req = &args[0];
    let req_obj = req
        .as_object()
        .ok_or_else(|| BuiltinError::operand(1, "object", req))?;
    let config = &args[1];
    // OPA reports a non-object config as operand 1 too.
    config
        .as_object()
        .ok_or_else(|| BuiltinError::operand(1, "object", config))?;
    check_config(config)?;
    let service = string_of(config.object_get_str("aws_service"));
    let creds = Creds {
        access_key: string_of(config.object_get_str("aws_access_key")),
        secret_key: string_of(config.object_get_str("aws_secret_access_key")),
        region: string_of(config.object_get_str("aws_region")),
        session_token: string_of(config.object_get_str("aws_session_token")),
    };
    let ts = args[2]
        .as_number()
        .ok_or_else(|| BuiltinError::operand(1, "number", &args[2]))?;
    // OPA accepts only numbers written as integers; `-1e9` reaches us as an integer, so
    // negative times are refused too (they cannot be signing times anyway).
    let time = ts
        .as_i64()
        .filter(|t| *t >= 0)
        .map(DateTime::from_timestamp_nanos)
        .ok_or_else(|| {
            BuiltinError::Type(
                "operand 3 could not convert time_ns value into a unix timestamp".to_string(),
            )
        })?;
    request::validate_request(req, 1)?;
    let headers = match req.object_get_str("headers") {
        None => &[][..],
        Some(h) => h
            .as_object()
            .ok_or_else(|| BuiltinError::operand(0, "object", h))?,
    };
    let url = req.object_get_str("url");
    let method = req.object_get_str("method");
    let mut invalid = Vec::new();
    if url.is_none_or(|u| u.as_str().is_none()) {
        invalid.push(Value::string("url"));
    }
    if method.is_none_or(|m| m.as_str().is_none()) {
        invalid.push(Value::string("method"));
    }
    if !invalid.is_empty() {
        return Err(BuiltinError::Type(format!(
            "operand 1 invalid values for required request parameters(s): {}",
            request::set_text(invalid)
        )));
    }
    let url = parse_url(&string_of(url))?;
    let method = string_of(method);
    let body = match (req.object_get_str("raw_body"), req.object_get_str("body")) {
        (Some(raw), _) => raw.as_str().unwrap_or_default().as_bytes().to_vec(),
        (None, Some(body)) => request::go_json(body).into_bytes(),
        (None, None) => Vec::new(),
    };
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (string_of(Some(k)), string_of(Some(v))))
        .collect();
    let unsigned = match config.object_get_str("disable_payload_signing") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(BuiltinError::Type(
                "operand 2 invalid value for 'disable_payload_signing' in AWS config".to_string(),
            ));
        }
    };
    let (auth, aws_headers) = sign_v4(
        &headers, &method, &url, &body, &service, &creds, time, unsigned,
    );
    let mut signed: Vec<(Value, Value)> = headers
        .into_iter()
        .map(|(k, v)| (Value::string(&k), Value::string(&v)))
        .collect();
    signed.push((Value::string("Authorization"), Value::string(&auth)));
    for (k, v) in aws_headers {
        signed.push((Value::string(&k), Value::string(&v)));
    }
    let mut out: Vec<(Value, Value)> = req_obj
        .iter()
        .filter(|(k, _)| k.as_str() != Some("headers"))
        .cloned()
        .collect();
    out.push((Value::string("headers"), Value::object_from(signed)));
    Ok(Value::object_from(out))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn v(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    const CONFIG: &str = r#"{"aws_access_key": "MYAWSACCESSKEYGOESHERE", "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE", "aws_service": "s3", "aws_region": "us-east-1"}"#;
    const TIME: i64 = 1451311705000000000;

    fn sign(req: &str, config: &str) -> Result<Value, rego_eval::BuiltinError> {
        call(
            "providers.aws.sign_req",
            &[v(req), v(config), Value::from_i64(TIME)],
        )
    }

    fn header(out: &Value, name: &str) -> String {
        out.object_get_str("headers")
            .and_then(|h| h.object_get_str(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn signs_without_body() {
        let out = sign(r#"{"method": "get", "url": "http://example.com"}"#, CONFIG).unwrap();
        assert_eq!(
            header(&out, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3"
        );
        assert_eq!(header(&out, "x-amz-date"), "20151228T140825Z");
        assert_eq!(header(&out, "host"), "example.com");
        assert_eq!(out.object_get_str("method"), Some(&Value::string("get")));
    }

    #[test]
    fn signs_bodies_and_headers() {
        let body = r#"{"method": "get", "url": "https://example.com", "headers": {"foo": "bar", "x-amz-content-sha256": "existing-value"}, "body": {"example": [1, 2, 3, 4]}}"#;
        let out = sign(body, CONFIG).unwrap();
        assert!(header(&out, "Authorization").ends_with(
            "Signature=42bcac7fc6d170e09be72fdf38b62e59361265bc59d5f9156f0d6faf889e98ba"
        ));
        assert_eq!(
            header(&out, "x-amz-content-sha256"),
            "bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07"
        );
        assert_eq!(header(&out, "foo"), "bar");
        let raw = r#"{"method": "get", "url": "http://example.com", "raw_body": "{\"example\": {1, 2, 3, 4}}"}"#;
        assert!(
            header(&sign(raw, CONFIG).unwrap(), "Authorization").ends_with(
                "Signature=5bf26e169cb8b02330dba39d53932532438fc856c2f10537689a09ed807c7195"
            )
        );
        let config = CONFIG.replace(
            '}',
            r#", "disable_payload_signing": true, "aws_session_token": "T"}"#,
        );
        let out = sign(
            r#"{"method": "get", "url": "https://example.com/a b?x=1"}"#,
            &config,
        )
        .unwrap();
        assert_eq!(header(&out, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
        assert_eq!(header(&out, "x-amz-security-token"), "T");
        assert!(header(&out, "Authorization").contains("x-amz-security-token"));
    }

    #[test]
    fn errors() {
        let msg = |r: Result<Value, rego_eval::BuiltinError>| r.unwrap_err().message().to_string();
        assert_eq!(
            msg(sign("{}", CONFIG)),
            r#"operand 1 missing required request parameters(s): {"method", "url"}"#
        );
        assert_eq!(
            msg(sign(r#"{"method": 1, "url": 2}"#, CONFIG)),
            r#"operand 1 invalid values for required request parameters(s): {"method", "url"}"#
        );
        assert_eq!(
            msg(sign(r#"{"method": "get", "url": "u", "x": 1}"#, CONFIG)),
            r#"operand 1 invalid request parameters(s): {"x"}"#
        );
        assert_eq!(
            msg(sign(
                r#"{"method": "get", "url": "u"}"#,
                r#"{"example": 1}"#
            )),
            r#"operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"}"#
        );
        assert_eq!(
            msg(sign(
                r#"{"method": "get", "url": "u"}"#,
                r#"{"aws_access_key": 1, "aws_secret_access_key": 2, "aws_service": "s3", "aws_region": 5}"#
            )),
            r#"operand 2 invalid values for required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key"}"#
        );
        let config = CONFIG.replace('}', r#", "disable_payload_signing": "false"}"#);
        assert_eq!(
            msg(sign(r#"{"method": "get", "url": "u"}"#, &config)),
            "operand 2 invalid value for 'disable_payload_signing' in AWS config"
        );
        let bad_time = call(
            "providers.aws.sign_req",
            &[
                v(r#"{"method": "get", "url": "u"}"#),
                v(CONFIG),
                Value::from_i64(-1_000_000_000),
            ],
        );
        assert_eq!(
            msg(bad_time),
            "operand 3 could not convert time_ns value into a unix timestamp"
        );
    }
}
