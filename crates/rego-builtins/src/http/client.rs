//! Making an `http.send` request with `ureq` and shaping the response as OPA does.

use std::time::Duration;

use rego_eval::Value;
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig, parse_pem};

use super::{Failure, Request, SendError};

/// The host of a URL without its port, as OPA checks it against `allow_net`.
pub(crate) fn host_of(url: &str) -> String {
    let Some((_, rest)) = url.split_once("//") else {
        return String::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.split(':').next().unwrap_or_default().to_string()
}

/// Go's `http.CanonicalHeaderKey`: `content-type` becomes `Content-Type`.
pub(crate) fn canonical_header(name: &str) -> String {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return name.to_string();
    }
    let mut upper = true;
    name.chars()
        .map(|c| {
            let out = if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            upper = c == '-';
            out
        })
        .collect()
}

fn tls_error(e: ureq::Error) -> SendError {
    SendError::internal(e.to_string())
}

fn tls_config(req: &Request) -> Result<TlsConfig, SendError> {
    let mut tls = TlsConfig::builder().disable_verification(req.tls_insecure_skip_verify);
    let certs = |pem: &[u8]| -> Result<Vec<Certificate<'static>>, SendError> {
        let mut out = Vec::new();
        for item in parse_pem(pem) {
            if let PemItem::Certificate(c) = item.map_err(tls_error)? {
                out.push(c);
            }
        }
        Ok(out)
    };
    if !req.tls_ca_cert.is_empty() {
        let roots = certs(&req.tls_ca_cert)?;
        if roots.is_empty() {
            return Err(SendError::internal("could not append CA certificates"));
        }
        tls = tls.root_certs(RootCerts::new_with_certs(&roots));
    }
    if !req.tls_client_cert.is_empty() && !req.tls_client_key.is_empty() {
        let chain = certs(&req.tls_client_cert)?;
        let key = PrivateKey::from_pem(&req.tls_client_key).map_err(tls_error)?;
        tls = tls.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
    }
    Ok(tls.build())
}

/// `Get`, `Post`, ...: the operation name in Go's URL errors.
fn operation(method: &str) -> String {
    let mut chars = method.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + &chars.as_str().to_lowercase(),
        None => String::new(),
    }
}

fn is_json(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media.split_once('/') {
        Some(("application", sub)) => sub == "json" || sub.ends_with("+json"),
        _ => false,
    }
}

/// Makes the request (retrying failed attempts) and builds the response object.
pub(crate) fn execute(
    req: &Request,
    force_json: bool,
    force_yaml: bool,
) -> Result<Value, SendError> {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .max_redirects(if req.enable_redirect { 10 } else { 0 })
        .max_redirects_will_error(false)
        .timeout_global(Some(req.timeout.unwrap_or(Duration::from_secs(5))))
        .tls_config(tls_config(req)?)
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let method = if req.method.is_empty() {
        "GET"
    } else {
        &req.method
    };
    let body = req.raw_body.as_ref().or(req.body.as_ref());
    let mut attempt = 0u32;
    let mut response = loop {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(req.url.as_str());
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let result = match body.filter(|b| !b.is_empty()) {
            Some(b) => builder
                .body(b.clone())
                .map_err(|e| SendError::internal(e.to_string()))
                .and_then(|r| agent.run(r).map_err(|e| network_error(method, &req.url, e))),
            None => builder
                .body(())
                .map_err(|e| SendError::internal(e.to_string()))
                .and_then(|r| agent.run(r).map_err(|e| network_error(method, &req.url, e))),
        };
        match result {
            Ok(r) => break r,
            Err(e) if attempt >= req.retries || e.failure != Failure::Network => return Err(e),
            Err(_) => {
                let delay = 100u64.saturating_mul(1 << attempt.min(10)).min(60_000);
                std::thread::sleep(Duration::from_millis(delay));
                attempt += 1;
            }
        }
    };
    let status = response.status();
    let raw = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .map_err(|e| network_error(method, &req.url, e))?;
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let body = if force_json || is_json(content_type) {
        Value::from_json_slice(&raw).unwrap_or(Value::Null)
    } else if force_yaml
        || content_type.contains("application/yaml")
        || content_type.contains("application/x-yaml")
    {
        serde_yaml_ng::from_slice::<Value>(&raw).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let mut headers: Vec<(Value, Value)> = Vec::new();
    for name in response.headers().keys() {
        let values = response
            .headers()
            .get_all(name)
            .iter()
            .map(|v| Value::string(&String::from_utf8_lossy(v.as_bytes())))
            .collect();
        headers.push((Value::string(name.as_str()), Value::array(values)));
    }
    let status_text = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    );
    Ok(Value::object_from(vec![
        (Value::string("status"), Value::string(&status_text)),
        (
            Value::string("status_code"),
            Value::from_i64(i64::from(status.as_u16())),
        ),
        (Value::string("body"), body),
        (
            Value::string("raw_body"),
            Value::string(&String::from_utf8_lossy(&raw)),
        ),
        (Value::string("headers"), Value::object_from(headers)),
    ]))
}

/// A failed request, worded like Go's `url.Error`.
fn network_error(method: &str, url: &str, e: ureq::Error) -> SendError {
    let op = operation(method);
    let timed_out = matches!(e, ureq::Error::Timeout(_));
    SendError {
        failure: Failure::Network,
        message: format!("{op} \"{url}\": {e}"),
        timeout_message: timed_out.then(|| format!("{op} {url}: request timed out")),
    }
}
