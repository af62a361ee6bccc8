//! Unit tests for `http.send`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use rego_eval::{BuiltinContext, BuiltinError, Value};

use super::{go_duration, send};
use crate::call;

fn v(text: &str) -> Value {
    Value::from_json_str(text).unwrap()
}

/// Calls `http.send` with network access allowed.
fn send_online(req: &Value) -> Result<Value, BuiltinError> {
    let memo = RefCell::new(HashMap::new());
    let ctx = BuiltinContext::new(0, &memo, true);
    send(&ctx, std::slice::from_ref(req))
}

/// Serves one canned HTTP response on a local port; returns the URL and the request seen.
fn serve_once(response: &'static str) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/path?q=1", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        stream.write_all(response.as_bytes()).unwrap();
        String::from_utf8_lossy(&seen).into_owned()
    });
    (url, handle)
}

#[test]
fn argument_checks() {
    let err = call(
        "http.send",
        &[v(r#"{"bad_key": "x", "method": "get", "url": "u"}"#)],
    )
    .unwrap_err();
    assert_eq!(err.code(), "eval_type_error");
    assert_eq!(
        err.message(),
        r#"operand 1 invalid request parameters(s): {"bad_key"}"#
    );
    let err = call("http.send", &[v(r#"{"method": "get"}"#)]).unwrap_err();
    assert_eq!(
        err.message(),
        r#"operand 1 missing required request parameters(s): {"url"}"#
    );
    let err = call("http.send", &[Value::from_i64(1)]).unwrap_err();
    assert_eq!(err.message(), "operand 1 must be object but got number");
    let err = call(
        "http.send",
        &[v(r#"{"method": "get", "url": "u", "raise_error": 1}"#)],
    )
    .unwrap_err();
    assert_eq!(err.message(), "invalid value for raise_error field");
}

#[test]
fn raise_error_false_gives_error_objects() {
    let got = call(
        "http.send",
        &[v(r#"{"method": "get", "raise_error": false}"#)],
    )
    .unwrap();
    assert_eq!(got.object_get_str("status_code"), Some(&Value::from_i64(0)));
    let error = got.object_get_str("error").unwrap();
    assert_eq!(
        error.object_get_str("code"),
        Some(&Value::string("eval_http_send_internal_error"))
    );
    assert!(
        error
            .object_get_str("message")
            .unwrap()
            .as_str()
            .unwrap()
            .contains(r#"missing required request parameters(s): {"url"}"#)
    );
}

#[test]
fn network_disabled() {
    let req = v(r#"{"method": "get", "url": "https://example.com:8443/x"}"#);
    let err = call("http.send", &[req]).unwrap_err();
    assert_eq!(err.code(), "eval_builtin_error");
    assert_eq!(
        err.message(),
        "unallowed host: example.com (network access is disabled)"
    );
    let req = v(r#"{"method": "get", "url": "http://example.com", "raise_error": false}"#);
    let got = call("http.send", &[req]).unwrap();
    assert!(
        got.to_string().contains("eval_http_send_internal_error"),
        "{got}"
    );
}

#[test]
fn parameter_checks() {
    let err = call("http.send", &[v(r#"{"method": 1, "url": "http://x"}"#)]).unwrap_err();
    assert_eq!(err.message(), r#""method" must be a string"#);
    let err = call(
        "http.send",
        &[v(
            r#"{"method": "get", "url": "http://x", "timeout": true}"#,
        )],
    )
    .unwrap_err();
    assert_eq!(err.code(), "eval_type_error");
    assert_eq!(
        err.message(),
        "operand 1 'timeout' must be one of {string, number} but got boolean"
    );
    let err = call(
        "http.send",
        &[v(
            r#"{"method": "get", "url": "http://x", "timeout": "soon"}"#,
        )],
    )
    .unwrap_err();
    assert_eq!(
        err.message(),
        r#"invalid timeout value "soon": time: invalid duration "soon""#
    );
    let err = call(
        "http.send",
        &[v(
            r#"{"method": "get", "url": "http://x", "enable_redirect": "yes"}"#,
        )],
    )
    .unwrap_err();
    assert_eq!(
        err.message(),
        r#"strconv.ParseBool: parsing "\"yes\"": invalid syntax"#
    );
    let err = call(
        "http.send",
        &[v(
            r#"{"method": "get", "url": "http://x", "force_cache": true}"#,
        )],
    )
    .unwrap_err();
    assert_eq!(
        err.message(),
        "'force_cache' set but 'force_cache_duration_seconds' parameter is missing"
    );
}

#[test]
fn durations() {
    assert_eq!(go_duration("1.5s"), Some(Duration::from_millis(1500)));
    assert_eq!(go_duration("1h2m"), Some(Duration::from_secs(3720)));
    assert_eq!(go_duration("300ms"), Some(Duration::from_millis(300)));
    assert_eq!(go_duration("0"), Some(Duration::ZERO));
    assert_eq!(go_duration("5"), None);
    assert_eq!(go_duration("5x"), None);
}

#[test]
fn real_request() {
    let (url, server) = serve_once(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Thing: a\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\": [1]}",
    );
    let req = Value::object_from(vec![
        (Value::string("method"), Value::string("post")),
        (Value::string("url"), Value::string(&url)),
        (Value::string("body"), v(r#"{"a": "<b>"}"#)),
        (Value::string("headers"), v(r#"{"x-custom": "yes"}"#)),
    ]);
    let got = send_online(&req).unwrap();
    let seen = server.join().unwrap();
    assert!(seen.starts_with("POST /path?q=1 HTTP/1.1\r\n"), "{seen}");
    assert!(
        seen.contains("X-Custom: yes") || seen.contains("x-custom: yes"),
        "{seen}"
    );
    assert_eq!(
        got.object_get_str("status_code"),
        Some(&Value::from_i64(201))
    );
    assert_eq!(
        got.object_get_str("status"),
        Some(&Value::string("201 Created"))
    );
    assert_eq!(got.object_get_str("body"), Some(&v(r#"{"ok": [1]}"#)));
    assert_eq!(
        got.object_get_str("raw_body"),
        Some(&Value::string(r#"{"ok": [1]}"#))
    );
    let headers = got.object_get_str("headers").unwrap();
    assert_eq!(headers.object_get_str("x-thing"), Some(&v(r#"["a"]"#)));
}

#[test]
fn refused_connection() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let req = Value::object_from(vec![
        (Value::string("method"), Value::string("get")),
        (Value::string("url"), Value::string(&url)),
        (Value::string("raise_error"), Value::Bool(false)),
    ]);
    let got = send_online(&req).unwrap();
    assert_eq!(got.object_get_str("status_code"), Some(&Value::from_i64(0)));
    let error = got.object_get_str("error").unwrap();
    assert_eq!(
        error.object_get_str("code"),
        Some(&Value::string("eval_http_send_network_error"))
    );
    let message = error.object_get_str("message").unwrap().as_str().unwrap();
    assert!(
        message.starts_with(&format!("Get \"{url}\": ")),
        "{message}"
    );
}
