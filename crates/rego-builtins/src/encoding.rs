//! Builtins of the `encoding` family: base64, base64url, hex, URL query strings, JSON and YAML.
//!
//! Decoders follow Go's standard library, which OPA uses: base64 decoding skips `\r` and `\n`,
//! requires padding and tolerates non-zero trailing bits; error texts are Go's
//! (`illegal base64 data at input byte 4`, `encoding/hex: invalid byte: U+0067 'g'`,
//! `invalid URL escape "%zz"`). Decoded bytes that are not UTF-8 become U+FFFD, since Rego
//! strings are UTF-8.

mod gojson;
mod json;
mod yaml;

use base64::Engine as _;
use base64::alphabet::{Alphabet, STANDARD, URL_SAFE};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, ObjectBuilder, Value};

use crate::args;
use crate::def;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    def("base64.encode", 1, base64_encode),
    def("base64.decode", 1, base64_decode),
    def("base64.is_valid", 1, base64_is_valid),
    def("base64url.encode", 1, base64url_encode),
    def("base64url.encode_no_pad", 1, base64url_encode_no_pad),
    def("base64url.decode", 1, base64url_decode),
    def("hex.encode", 1, hex_encode),
    def("hex.decode", 1, hex_decode),
    def("urlquery.encode", 1, urlquery_encode),
    def("urlquery.decode", 1, urlquery_decode),
    def("urlquery.encode_object", 1, urlquery_encode_object),
    def("urlquery.decode_object", 1, urlquery_decode_object),
    def("json.marshal", 1, json::marshal),
    def("json.marshal_with_options", 2, json::marshal_with_options),
    def("json.unmarshal", 1, json::unmarshal),
    def("json.is_valid", 1, json::is_valid),
    def("yaml.marshal", 1, yaml::marshal),
    def("yaml.unmarshal", 1, yaml::unmarshal),
    def("yaml.is_valid", 1, yaml::is_valid),
];

/// A string value from decoded bytes (invalid UTF-8 becomes U+FFFD).
fn bytes_value(bytes: &[u8]) -> Value {
    Value::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Go's lenient decoder: padding required, trailing bits ignored.
fn go_engine(alphabet: &Alphabet) -> GeneralPurpose {
    GeneralPurpose::new(
        alphabet,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    )
}

fn is_std_symbol(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

fn is_url_symbol(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Checks `src` as Go's padded base64 decoder does; `Err(offset)` is the byte offset Go's
/// `CorruptInputError` reports.
fn go_base64_check(src: &[u8], is_symbol: fn(u8) -> bool) -> Result<(), usize> {
    let skip_newlines = |mut i: usize| {
        while i < src.len() && is_newline(src[i]) {
            i += 1;
        }
        i
    };
    let mut si = 0;
    loop {
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                return if j == 0 { Ok(()) } else { Err(si - j) };
            }
            let c = src[si];
            si += 1;
            if is_symbol(c) {
                j += 1;
                continue;
            }
            if is_newline(c) {
                continue;
            }
            if c != b'=' || j < 2 {
                return Err(si - 1);
            }
            if j == 2 {
                // A second `=` must follow.
                si = skip_newlines(si);
                if si == src.len() {
                    return Err(src.len());
                }
                if src[si] != b'=' {
                    return Err(si - 1);
                }
                si += 1;
            }
            si = skip_newlines(si);
            return if si < src.len() { Err(si) } else { Ok(()) };
        }
    }
}

/// Decodes like Go's `base64.StdEncoding` / `URLEncoding` `DecodeString`.
fn go_base64_decode(src: &str, url: bool) -> Result<Vec<u8>, BuiltinError> {
    let (is_symbol, alphabet) = if url {
        (is_url_symbol as fn(u8) -> bool, &URL_SAFE)
    } else {
        (is_std_symbol as fn(u8) -> bool, &STANDARD)
    };
    let illegal = |at: usize| BuiltinError::msg(format!("illegal base64 data at input byte {at}"));
    go_base64_check(src.as_bytes(), is_symbol).map_err(illegal)?;
    let cleaned: Vec<u8> = src.bytes().filter(|&c| !is_newline(c)).collect();
    go_engine(alphabet).decode(cleaned).map_err(|_| illegal(0))
}

fn base64_encode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(s),
    ))
}

fn base64_decode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(bytes_value(&go_base64_decode(s, false)?))
}

fn base64_is_valid(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let Some(s) = args[0].as_str() else {
        return Ok(Value::Bool(false));
    };
    Ok(Value::Bool(go_base64_decode(s, false).is_ok()))
}

fn base64url_encode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(Value::from(
        base64::engine::general_purpose::URL_SAFE.encode(s),
    ))
}

fn base64url_encode_no_pad(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(Value::from(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s),
    ))
}

fn base64url_decode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    // Unpadded input is padded first (RFC 7515 appendix C), as OPA does.
    let mut padded = s.to_string();
    if !s.ends_with('=') {
        match s.len() % 4 {
            0 => {}
            2 => padded.push_str("=="),
            3 => padded.push('='),
            _ => return Err(BuiltinError::msg(format!("illegal base64url string: {s}"))),
        }
    }
    Ok(bytes_value(&go_base64_decode(&padded, true)?))
}

fn hex_encode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(Value::from(hex::encode(s)))
}

fn hex_decode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    // Go reports the first invalid byte before an odd length.
    if let Some(&b) = s.as_bytes().iter().find(|b| !b.is_ascii_hexdigit()) {
        return Err(BuiltinError::msg(format!(
            "encoding/hex: invalid byte: {}",
            go_rune_verbose(b)
        )));
    }
    if s.len() % 2 == 1 {
        return Err(BuiltinError::msg("encoding/hex: odd length hex string"));
    }
    let bytes = hex::decode(s).map_err(|e| BuiltinError::msg(format!("encoding/hex: {e}")))?;
    Ok(bytes_value(&bytes))
}

/// Go's `%#U` of a byte taken as a rune: `U+0067 'g'`, or just `U+000A` when not printable.
fn go_rune_verbose(b: u8) -> String {
    let printable = (0x20..0x7f).contains(&b) || (b >= 0xa1 && b != 0xad);
    if printable {
        format!("U+{:04X} '{}'", b, char::from(b))
    } else {
        format!("U+{b:04X}")
    }
}

/// What Go's `url.QueryEscape` leaves alone: letters, digits and `-_.~`.
const QUERY_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Go's `url.QueryEscape`: spaces become `+`, everything but `[A-Za-z0-9-_.~]` is escaped.
fn query_escape(s: &str) -> String {
    s.split(' ')
        .map(|part| percent_encoding::utf8_percent_encode(part, QUERY_ESCAPE).to_string())
        .collect::<Vec<_>>()
        .join("+")
}

/// Go's `url.QueryUnescape`: `+` becomes a space; a `%` must start two hex digits, else
/// `invalid URL escape "%zz"`.
fn query_unescape(s: &str) -> Result<String, BuiltinError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let valid = i + 2 < bytes.len()
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit();
                if !valid {
                    let end = (i + 3).min(bytes.len());
                    let bad = String::from_utf8_lossy(&bytes[i..end]);
                    return Err(BuiltinError::msg(format!(
                        "invalid URL escape {}",
                        go_quote(&bad)
                    )));
                }
                let hi = hex_val(bytes[i + 1]);
                let lo = hex_val(bytes[i + 2]);
                out.push(hi << 4 | lo);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.wrapping_sub(b'A').wrapping_add(10),
    }
}

/// Go's `strconv.Quote` for the ASCII-printable case; other characters are kept as they are
/// when printable and escaped as `\u`/`\x` otherwise.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || c == '\u{ad}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn urlquery_encode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(Value::from(query_escape(s)))
}

fn urlquery_decode(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    Ok(Value::from(query_unescape(s)?))
}

fn urlquery_encode_object(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let object = args::object(args, 0)?;
    let bad_value = || {
        BuiltinError::Type("operand 1 values must be string, array[string], or set[string]".into())
    };
    // Keys as JSON sees them (non-string keys become their JSON text), in sorted order as
    // Go's `url.Values.Encode` writes them.
    let mut pairs: Vec<(String, Vec<&str>)> = Vec::with_capacity(object.len());
    for (k, v) in object {
        let key = match k.as_str() {
            Some(s) => s.to_string(),
            None => k.to_json_string(),
        };
        let values = match v {
            Value::String(s) => vec![s.as_str()],
            Value::Array(_) | Value::Set(_) => {
                let items = v.as_array().or_else(|| v.as_set()).unwrap_or_default();
                items
                    .iter()
                    .map(|x| x.as_str().ok_or_else(bad_value))
                    .collect::<Result<Vec<_>, _>>()?
            }
            _ => return Err(bad_value()),
        };
        pairs.push((key, values));
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs.dedup_by(|later, kept| {
        if later.0 == kept.0 {
            std::mem::swap(later, kept);
            true
        } else {
            false
        }
    });
    let mut out = String::new();
    for (key, values) in &pairs {
        let key = query_escape(key);
        for v in values {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&key);
            out.push('=');
            out.push_str(&query_escape(v));
        }
    }
    Ok(Value::from(out))
}

fn urlquery_decode_object(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let query = args::string(args, 0)?;
    // Go's `url.ParseQuery`: the first error is reported, after parsing everything.
    let mut first_error = None;
    let mut params: Vec<(String, Vec<Value>)> = Vec::new();
    for part in query.split('&') {
        if part.is_empty() {
            continue;
        }
        if part.contains(';') {
            first_error
                .get_or_insert_with(|| BuiltinError::msg("invalid semicolon separator in query"));
            continue;
        }
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = match query_unescape(key) {
            Ok(k) => k,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        let value = match query_unescape(value) {
            Ok(v) => v,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        match params.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(Value::from(value)),
            None => params.push((key, vec![Value::from(value)])),
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let mut object = ObjectBuilder::with_capacity(params.len());
    for (k, values) in params {
        object.insert(Value::from(k), Value::array(values));
    }
    Ok(object.finish_value())
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    fn ok(name: &str, arg: Value) -> Value {
        call(name, &[arg]).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn err(name: &str, arg: Value) -> (String, &'static str) {
        let e = call(name, &[arg]).expect_err(name);
        (e.message().to_string(), e.code())
    }

    #[test]
    fn base64_round_trips() {
        assert_eq!(ok("base64.encode", s("hello")), s("aGVsbG8="));
        assert_eq!(ok("base64.encode", s("subjects?_d")), s("c3ViamVjdHM/X2Q="));
        assert_eq!(ok("base64.decode", s("c3ViamVjdHM/X2Q=")), s("subjects?_d"));
        assert_eq!(ok("base64.decode", s("aGVs\nbG8=")), s("hello"));
        assert_eq!(ok("base64.decode", s("")), s(""));
        // Go ignores non-zero trailing bits.
        assert_eq!(ok("base64.decode", s("aGVsbG9=")), s("hello"));
        assert_eq!(ok("base64.is_valid", s("aGVsbG8=")), Value::Bool(true));
        assert_eq!(
            ok("base64.is_valid", s("{'not':'base64'}")),
            Value::Bool(false)
        );
        assert_eq!(ok("base64.is_valid", Value::from(1)), Value::Bool(false));
    }

    #[test]
    fn base64_errors_match_go() {
        for (input, at) in [
            ("aGVsbG8", 4),
            ("a", 0),
            ("aGVsbG8=x", 8),
            ("a===", 1),
            ("aG!s", 2),
            ("aG=", 3),
            ("aG=x", 2),
        ] {
            assert_eq!(
                err("base64.decode", s(input)),
                (
                    format!("illegal base64 data at input byte {at}"),
                    "eval_builtin_error"
                ),
                "{input}"
            );
        }
        assert_eq!(
            err("base64.decode", Value::from(1)),
            (
                "operand 1 must be string but got number".into(),
                "eval_type_error"
            )
        );
    }

    #[test]
    fn base64url() {
        assert_eq!(ok("base64url.encode", s("hello")), s("aGVsbG8="));
        assert_eq!(ok("base64url.encode_no_pad", s("there")), s("dGhlcmU"));
        assert_eq!(ok("base64url.encode", s("\u{fb}\u{ff}")), s("w7vDvw=="));
        assert_eq!(ok("base64url.decode", s("aGVsbG8")), s("hello"));
        assert_eq!(ok("base64url.decode", s("aGVsbG8=")), s("hello"));
        assert_eq!(ok("base64url.decode", s("w7vDvw")), s("\u{fb}\u{ff}"));
        assert_eq!(
            err("base64url.decode", s("abcde")).0,
            "illegal base64url string: abcde"
        );
        assert_eq!(
            err("base64url.decode", s("w7v/vw")).0,
            "illegal base64 data at input byte 3"
        );
    }

    #[test]
    fn hex() {
        assert_eq!(
            ok("hex.encode", s("lorem ipsum")),
            s("6c6f72656d20697073756d")
        );
        assert_eq!(ok("hex.decode", s("6C6f72")), s("lor"));
        assert_eq!(
            err("hex.decode", s("fghijkl")),
            (
                "encoding/hex: invalid byte: U+0067 'g'".into(),
                "eval_builtin_error"
            )
        );
        assert_eq!(
            err("hex.decode", s("abc")).0,
            "encoding/hex: odd length hex string"
        );
        assert_eq!(
            err("hex.decode", s("a\n")).0,
            "encoding/hex: invalid byte: U+000A"
        );
        assert_eq!(
            err("hex.decode", s("aé")).0,
            "encoding/hex: invalid byte: U+00C3 'Ã'"
        );
        // Invalid UTF-8 decodes to U+FFFD.
        assert_eq!(ok("hex.decode", s("ff41")), s("\u{fffd}A"));
    }

    #[test]
    fn urlquery_strings() {
        assert_eq!(ok("urlquery.encode", s("a=b+1")), s("a%3Db%2B1"));
        assert_eq!(ok("urlquery.encode", s("")), s(""));
        assert_eq!(ok("urlquery.encode", s("a b~*é")), s("a+b~%2A%C3%A9"));
        assert_eq!(ok("urlquery.decode", s("a%3Db%2B1")), s("a=b+1"));
        assert_eq!(ok("urlquery.decode", s("a+b%7e%C3%A9")), s("a b~é"));
        assert_eq!(
            err("urlquery.decode", s("a%zzb")),
            ("invalid URL escape \"%zz\"".into(), "eval_builtin_error")
        );
        assert_eq!(
            err("urlquery.decode", s("%4")).0,
            "invalid URL escape \"%4\""
        );
        assert_eq!(
            err("urlquery.decode", s("ab%")).0,
            "invalid URL escape \"%\""
        );
    }

    #[test]
    fn urlquery_objects() {
        let obj = |text: &str| Value::from_json_str(text).unwrap();
        assert_eq!(ok("urlquery.encode_object", obj("{}")), s(""));
        assert_eq!(
            ok("urlquery.encode_object", obj(r#"{"c": "d", "a": "b"}"#)),
            s("a=b&c=d")
        );
        assert_eq!(
            ok(
                "urlquery.encode_object",
                obj(r#"{"a": ["b+1", "c+2"], "x y": []}"#)
            ),
            s("a=b%2B1&a=c%2B2")
        );
        let with_set = Value::object_from(vec![(s("a"), Value::set_from(vec![s("c"), s("b+1")]))]);
        assert_eq!(ok("urlquery.encode_object", with_set), s("a=b%2B1&a=c"));
        assert_eq!(
            err("urlquery.encode_object", obj(r#"{"a": 1}"#)),
            (
                "operand 1 values must be string, array[string], or set[string]".into(),
                "eval_type_error"
            )
        );
        assert_eq!(
            err("urlquery.encode_object", obj(r#"{"a": [1]}"#)).1,
            "eval_type_error"
        );
        assert_eq!(
            ok(
                "urlquery.decode_object",
                s("a=value_a1&b=value_b&a=value_a2&c&=e&&d=%41+")
            ),
            obj(
                r#"{"a": ["value_a1", "value_a2"], "b": ["value_b"], "c": [""], "": ["e"], "d": ["A "]}"#
            )
        );
        assert_eq!(ok("urlquery.decode_object", s("")), obj("{}"));
        assert_eq!(
            err("urlquery.decode_object", s("a=1;b=2&c=%x")).0,
            "invalid semicolon separator in query"
        );
        assert_eq!(
            err("urlquery.decode_object", s("c=%x")).0,
            "invalid URL escape \"%x\""
        );
    }
}
