//! `uri.is_valid` and `uri.parse`: URI references parsed with the rules of Go's `url.Parse`
//! (which OPA uses), not the WHATWG URL standard of the `url` crate (which normalises hosts
//! and paths and rejects relative references).

use crate::args;
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

/// The builtins of this file.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "uri.is_valid",
        arity: 1,
        func: uri_is_valid,
    },
    BuiltinDef {
        name: "uri.parse",
        arity: 1,
        func: uri_parse,
    },
];

fn uri_is_valid(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(parse(args::string(a, 0)?).is_ok()))
}

fn uri_parse(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let raw = args::string(a, 0)?;
    let u = parse(raw).map_err(|e| BuiltinError::msg(format!("parse {raw:?}: {e}")))?;
    let (hostname, port) = split_host_port(&u.host);
    let fields = [
        ("scheme", u.scheme.as_str()),
        ("opaque", &u.opaque),
        ("user", &u.user),
        ("host", &u.host),
        ("hostname", hostname),
        ("port", port),
        ("path", &u.path),
        ("raw_path", &u.raw_path),
        ("raw_query", &u.raw_query),
        ("fragment", &u.fragment),
    ];
    Ok(Value::object_from(
        fields
            .iter()
            .map(|(k, v)| (Value::string(k), Value::string(v)))
            .collect(),
    ))
}

/// The parts of a URI reference, decoded as Go's `url.URL` holds them.
#[derive(Debug, Default, PartialEq)]
struct Uri {
    scheme: String,
    opaque: String,
    /// The userinfo as written (`user:pass`).
    user: String,
    host: String,
    path: String,
    /// The path as written, only when it differs from the default encoding of `path`.
    raw_path: String,
    raw_query: String,
    fragment: String,
}

/// Which component is being decoded: the rules for `%` escapes differ.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Path,
    Host,
    User,
    Fragment,
}

/// Parses like Go's `url.Parse`; the error is Go's message without the `parse "..."` prefix.
fn parse(raw: &str) -> Result<Uri, String> {
    let (rest, frag) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    let mut u = Uri::default();
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if let Some(f) = frag {
        u.fragment = unescape(f, Mode::Fragment)?;
    }
    if rest == "*" {
        u.path = "*".into();
        return Ok(u);
    }
    let (scheme, mut rest) = split_scheme(rest)?;
    u.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        rest = r;
        u.raw_query = q.to_string();
    }
    if !rest.starts_with('/') {
        if !u.scheme.is_empty() {
            u.opaque = rest.to_string();
            return Ok(u);
        }
        let first_segment = rest.split('/').next().unwrap_or_default();
        if first_segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!u.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        parse_authority(&mut u, authority)?;
        rest = path;
    }
    u.path = unescape(rest, Mode::Path)?;
    if escape_path(&u.path) != rest {
        u.raw_path = rest.to_string();
    }
    Ok(u)
}

/// Splits `scheme:rest`; no scheme when the text before `:` is not a scheme.
fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return Err("missing protocol scheme".into()),
            ':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_authority(u: &mut Uri, authority: &str) -> Result<(), String> {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    u.host = parse_host(host)?;
    if let Some(info) = userinfo {
        if !info.chars().all(valid_userinfo_char) {
            return Err("net/url: invalid userinfo".into());
        }
        match info.split_once(':') {
            Some((name, pass)) => {
                let name = unescape(name, Mode::User)?;
                let pass = unescape(pass, Mode::User)?;
                u.user = format!("{name}:{pass}");
            }
            None => u.user = unescape(info, Mode::User)?,
        }
    }
    Ok(())
}

fn valid_userinfo_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c)
}

fn parse_host(host: &str) -> Result<String, String> {
    if let Some(inner) = host.strip_prefix('[') {
        let Some(i) = inner.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let port = &inner[i + 1..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {port:?} after host"));
        }
        // An IPv6 zone (`%25eth0`) may hold any escaped bytes.
        let (addr, zone) = match inner[..i].find("%25") {
            Some(z) => (&inner[..z], &inner[z..i]),
            None => (&inner[..i], ""),
        };
        let addr = unescape(addr, Mode::Host)?;
        let zone = unescape(zone, Mode::Fragment)?;
        return Ok(format!("[{addr}{zone}]{port}"));
    }
    if let Some(i) = host.rfind(':') {
        let port = &host[i..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {port:?} after host"));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Splits `host:port` (brackets removed from IPv6 literals).
fn split_host_port(host: &str) -> (&str, &str) {
    if let Some(inner) = host.strip_prefix('[') {
        return match inner.rfind(']') {
            Some(i) => (&inner[..i], inner[i + 1..].trim_start_matches(':')),
            None => (inner, ""),
        };
    }
    match host.rfind(':') {
        Some(i) => (&host[..i], &host[i + 1..]),
        None => (host, ""),
    }
}

/// Decodes `%XX` escapes, with Go's checks for hosts.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(v) = hex else {
                let bad: String = s[i..].chars().take(3).collect();
                return Err(format!("invalid URL escape {bad:?}"));
            };
            if mode == Mode::Host && v < 0x80 && &s[i..i + 3] != "%25" {
                return Err(format!("invalid URL escape {:?}", &s[i..i + 3]));
            }
            out.push(v);
            i += 3;
            continue;
        }
        if mode == Mode::Host && b < 0x80 && !valid_host_byte(b) {
            return Err(format!("invalid character {:?} in host name", b as char));
        }
        out.push(b);
        i += 1;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn valid_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:[]<>\"".contains(&b)
}

/// Go's default encoding of a path (`EscapedPath` without a raw path).
fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn parsed(s: &str) -> serde_json::Value {
        let v = call("uri.parse", &[Value::string(s)]).expect("parses");
        serde_json::from_str(&v.to_json_string()).expect("json")
    }

    fn valid(s: &str) -> bool {
        call("uri.is_valid", &[Value::string(s)]) == Ok(Value::Bool(true))
    }

    #[test]
    fn full_url() {
        let u = parsed("HTTPS://bob:pw@example.com:8443/a%20b/c?x=1&y=2#frag%21");
        assert_eq!(u["scheme"], "https");
        assert_eq!(u["user"], "bob:pw");
        assert_eq!(u["host"], "example.com:8443");
        assert_eq!(u["hostname"], "example.com");
        assert_eq!(u["port"], "8443");
        assert_eq!(u["path"], "/a b/c");
        assert_eq!(u["raw_path"], "");
        assert_eq!(u["raw_query"], "x=1&y=2");
        assert_eq!(u["fragment"], "frag!");
        assert_eq!(u["opaque"], "");
    }

    #[test]
    fn opaque_relative_and_raw_path() {
        let u = parsed("mailto:joe@example.com");
        assert_eq!(u["scheme"], "mailto");
        assert_eq!(u["opaque"], "joe@example.com");
        let u = parsed("/foo/bar?q");
        assert_eq!(u["scheme"], "");
        assert_eq!(u["path"], "/foo/bar");
        assert_eq!(u["raw_query"], "q");
        let u = parsed("http://h/a%2Fb");
        assert_eq!(u["path"], "/a/b");
        assert_eq!(u["raw_path"], "/a%2Fb");
        let u = parsed("http://[::1]:80/");
        assert_eq!(u["hostname"], "::1");
        assert_eq!(u["port"], "80");
        assert_eq!(parsed("")["path"], "");
    }

    #[test]
    fn validity() {
        assert!(valid("https://example.com"));
        assert!(valid("relative/path"));
        assert!(!valid(":nope"));
        assert!(valid("a:b/c:d")); // scheme "a", opaque "b/c:d"
        assert!(!valid("1a:b"));
        assert!(!valid("http://host:port/"));
        assert!(!valid("http://h/%zz"));
        assert!(!valid("http://[::1/"));
        assert!(!valid("http://a b.com/"));
        assert!(!valid("http://h/\n"));
    }

    #[test]
    fn errors() {
        let err = call("uri.parse", &[Value::string(":x")]).unwrap_err();
        assert_eq!(err.message(), "parse \":x\": missing protocol scheme");
        let err = call("uri.parse", &[Value::string("http://h:x/")]).unwrap_err();
        assert_eq!(
            err.message(),
            "parse \"http://h:x/\": invalid port \":x\" after host"
        );
        let err = call("uri.is_valid", &[Value::from_i64(1)]).unwrap_err();
        assert_eq!(err.message(), "operand 1 must be string but got number");
    }
}
