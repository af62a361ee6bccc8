//! `json.marshal`, `json.marshal_with_options`, `json.unmarshal` and `json.is_valid`.
//!
//! Output is what Go's `encoding/json` writes for OPA: compact, object keys sorted, sets as
//! arrays, non-string keys as their JSON text, and `<`, `>`, `&`, U+2028 and U+2029 escaped
//! as `\u003c` etc. Pretty output follows Go's `json.MarshalIndent`, with OPA's prefix added
//! to the first line too.

use std::borrow::Cow;

use rego_eval::{BuiltinContext, BuiltinError, Value};

use super::go_quote;
use super::gojson::{self, ScanError};
use crate::args;

/// Pretty-printing options.
struct Layout<'a> {
    prefix: &'a str,
    indent: &'a str,
}

/// Writes `s` as a JSON string the way Go escapes it (HTML-safe).
fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 || c == '<' || c == '>' || c == '&' => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A line break followed by the prefix and `depth` indents (pretty mode only).
fn newline(out: &mut String, layout: Option<&Layout<'_>>, depth: usize) {
    if let Some(layout) = layout {
        out.push('\n');
        out.push_str(layout.prefix);
        for _ in 0..depth {
            out.push_str(layout.indent);
        }
    }
}

/// Object entries keyed by their JSON key text, in Go's (byte) order; of keys with the same
/// text the last in value order wins, as when OPA builds a Go map.
fn entries(object: &[(Value, Value)]) -> Vec<(Cow<'_, str>, &Value)> {
    let mut entries: Vec<(Cow<'_, str>, &Value)> = object
        .iter()
        .map(|(k, v)| match k.as_str() {
            Some(s) => (Cow::Borrowed(s), v),
            None => (Cow::Owned(to_json(k, None)), v),
        })
        .collect();
    if object.iter().all(|(k, _)| k.as_str().is_some()) {
        return entries;
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|later, kept| {
        if later.0 == kept.0 {
            std::mem::swap(later, kept);
            true
        } else {
            false
        }
    });
    entries
}

fn write_value(out: &mut String, v: &Value, layout: Option<&Layout<'_>>, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(_) | Value::Set(_) => {
            let items = v.as_array().or_else(|| v.as_set()).unwrap_or_default();
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, layout, depth + 1);
                write_value(out, item, layout, depth + 1);
            }
            newline(out, layout, depth);
            out.push(']');
        }
        Value::Object(o) => {
            if o.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in entries(o).iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, layout, depth + 1);
                write_string(out, k);
                out.push_str(if layout.is_some() { ": " } else { ":" });
                write_value(out, item, layout, depth + 1);
            }
            newline(out, layout, depth);
            out.push('}');
        }
    }
}

/// JSON text of `v`, compact or laid out.
fn to_json(v: &Value, layout: Option<&Layout<'_>>) -> String {
    let mut out = String::new();
    if let Some(layout) = layout {
        out.push_str(layout.prefix);
    }
    write_value(&mut out, v, layout, 0);
    out
}

/// `json.marshal(x)`.
pub(super) fn marshal(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::from(to_json(&args[0], None)))
}

/// `json.marshal_with_options(x, {"prefix": ..., "indent": ..., "pretty": ...})`.
pub(super) fn marshal_with_options(
    _: &BuiltinContext<'_>,
    args: &[Value],
) -> Result<Value, BuiltinError> {
    let options = args::object(args, 1)?;
    let mut prefix = "";
    let mut indent = "\t";
    let mut implicit_pretty = false;
    let mut explicit_pretty = None;
    for (idx, (k, v)) in options.iter().enumerate() {
        let Some(key) = k.as_str() else {
            return Err(BuiltinError::Type(format!(
                "operand 2 failed to stringify key {k} at index {idx}: operand {idx} must be string but got {}",
                k.type_name()
            )));
        };
        let as_string = || {
            v.as_str().ok_or_else(|| {
                BuiltinError::Type(format!(
                    "operand 2 key {} failed cast to string: operand {idx} must be string but got {}",
                    go_quote(key),
                    v.type_name()
                ))
            })
        };
        match key {
            "prefix" => {
                prefix = as_string()?;
                implicit_pretty = true;
            }
            "indent" => {
                indent = as_string()?;
                implicit_pretty = true;
            }
            "pretty" => {
                let b = v.as_bool().ok_or_else(|| {
                    BuiltinError::Type(format!(
                        "operand 2 key {} failed cast to bool",
                        go_quote(key)
                    ))
                })?;
                explicit_pretty = Some(b);
            }
            _ => {
                return Err(BuiltinError::Type(format!(
                    "operand 2 object contained unknown key {}",
                    go_quote(key)
                )));
            }
        }
    }
    let layout = Layout { prefix, indent };
    let pretty = explicit_pretty.unwrap_or(implicit_pretty);
    Ok(Value::from(to_json(&args[0], pretty.then_some(&layout))))
}

/// Reads JSON text as OPA does (Go's `json.Decoder`, then a check for trailing content), with
/// Go's error texts.
pub(super) fn go_unmarshal(text: &str) -> Result<Value, BuiltinError> {
    let s = text.as_bytes();
    let fail = |e: ScanError| match e {
        ScanError::Eof => BuiltinError::msg("unexpected EOF"),
        ScanError::Syntax(m) => BuiltinError::msg(m),
    };
    if gojson::skip_space(s, 0) == s.len() {
        return Err(BuiltinError::msg("EOF"));
    }
    let (begin, end) = gojson::decode_span(s, 0).map_err(fail)?;
    let value =
        Value::from_json_slice(&s[begin..end]).map_err(|e| BuiltinError::msg(e.to_string()))?;
    // OPA reads one more token after the value and rejects anything but the end of input
    // (or, by a quirk of Go's token API, a `null`).
    let next = gojson::skip_space(s, end);
    let Some(&c) = s.get(next) else {
        return Ok(value);
    };
    let after_top = |token: &str| {
        BuiltinError::msg(format!(
            "error: invalid character '{token}' after top-level value"
        ))
    };
    match c {
        b'[' | b'{' => Err(after_top(&char::from(c).to_string())),
        b']' | b'}' | b',' | b':' => Err(BuiltinError::msg(format!(
            "invalid character {} looking for beginning of value",
            gojson::quote_char(c)
        ))),
        _ => {
            let (b, e) = gojson::decode_span(s, next).map_err(fail)?;
            match Value::from_json_slice(&s[b..e]) {
                Ok(Value::Null) => Ok(value),
                Ok(Value::Bool(x)) => Err(after_top(&format!("%!s(bool={x})"))),
                Ok(Value::String(x)) => Err(after_top(&x)),
                Ok(_) => Err(after_top(&String::from_utf8_lossy(&s[b..e]))),
                Err(e) => Err(BuiltinError::msg(e.to_string())),
            }
        }
    }
}

/// `json.unmarshal(s)`.
pub(super) fn unmarshal(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    go_unmarshal(args::string(args, 0)?)
}

/// `json.is_valid(s)`: false for non-strings.
pub(super) fn is_valid(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(
        args[0]
            .as_str()
            .is_some_and(|s| gojson::is_valid(s.as_bytes())),
    ))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn j(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    fn marshal(v: Value) -> String {
        call("json.marshal", &[v])
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn with_options(v: Value, options: &str) -> Result<String, (String, &'static str)> {
        call("json.marshal_with_options", &[v, j(options)])
            .map(|v| v.as_str().unwrap().to_string())
            .map_err(|e| (e.message().to_string(), e.code()))
    }

    fn unmarshal_err(text: &str) -> String {
        call("json.unmarshal", &[s(text)])
            .expect_err(text)
            .message()
            .to_string()
    }

    #[test]
    fn marshal_compact() {
        let v = Value::array(vec![Value::object_from(vec![(
            s("foo"),
            Value::set_from(vec![Value::from(3), Value::from(1), Value::from(2)]),
        )])]);
        assert_eq!(marshal(v), r#"[{"foo":[1,2,3]}]"#);
        assert_eq!(
            marshal(j(r#"{"b": 1, "a": "<&>\u2028", "c": 0.5}"#)),
            r#"{"a":"\u003c\u0026\u003e\u2028","b":1,"c":0.5}"#
        );
        assert_eq!(
            marshal(s("tab\there\u{1}\u{7f}")),
            "\"tab\\there\\u0001\u{7f}\""
        );
        let keyed = Value::object_from(vec![
            (Value::from(2), s("two")),
            (Value::array(vec![s("<")]), Value::Null),
            (s("1"), s("one")),
        ]);
        assert_eq!(
            marshal(keyed),
            r#"{"1":"one","2":"two","[\"\\u003c\"]":null}"#
        );
        assert_eq!(marshal(Value::empty_set()), "[]");
    }

    #[test]
    fn marshal_with_layouts() {
        let nums = j("[1234567890, 2000000, 1000000000]");
        assert_eq!(
            with_options(nums.clone(), r#"{"indent": "  "}"#).unwrap(),
            "[\n  1234567890,\n  2000000,\n  1000000000\n]"
        );
        assert_eq!(
            with_options(nums.clone(), "{}").unwrap(),
            "[1234567890,2000000,1000000000]"
        );
        assert_eq!(
            with_options(nums.clone(), r#"{"pretty": true}"#).unwrap(),
            "[\n\t1234567890,\n\t2000000,\n\t1000000000\n]"
        );
        assert_eq!(
            with_options(
                nums.clone(),
                r#"{"pretty": false, "prefix": "NO!", "indent": "BAD!"}"#
            )
            .unwrap(),
            "[1234567890,2000000,1000000000]"
        );
        assert_eq!(
            with_options(
                j(r#"{"foo": "bar", "bar": {"x": []}}"#),
                r#"{"prefix": "> "}"#
            )
            .unwrap(),
            "> {\n> \t\"bar\": {\n> \t\t\"x\": []\n> \t},\n> \t\"foo\": \"bar\"\n> }"
        );
        assert_eq!(
            with_options(j("[]"), r#"{"indent": "    ", "prefix": "---"}"#).unwrap(),
            "---[]"
        );
    }

    #[test]
    fn marshal_option_errors() {
        let e = |options: &str| with_options(Value::Null, options).unwrap_err();
        assert_eq!(
            e(r#"{"indent": "  ", "include_winning_lottery_numbers": true}"#),
            (
                "operand 2 object contained unknown key \"include_winning_lottery_numbers\"".into(),
                "eval_type_error"
            )
        );
        assert_eq!(
            e(r#"{"indent": 1}"#).0,
            "operand 2 key \"indent\" failed cast to string: operand 0 must be string but got number"
        );
        assert_eq!(
            e(r#"{"pretty": "yes"}"#).0,
            "operand 2 key \"pretty\" failed cast to bool"
        );
        let bad_key = Value::object_from(vec![(Value::from(1), Value::Null)]);
        let err = call("json.marshal_with_options", &[Value::Null, bad_key]).unwrap_err();
        assert_eq!(
            err.message(),
            "operand 2 failed to stringify key 1 at index 0: operand 0 must be string but got number"
        );
        let err = call("json.marshal_with_options", &[Value::Null, Value::Null]).unwrap_err();
        assert_eq!(err.message(), "operand 2 must be object but got null");
    }

    #[test]
    fn unmarshal_values() {
        let ok = |text: &str| call("json.unmarshal", &[s(text)]).unwrap();
        assert_eq!(ok(r#"[{"foo":[1,2,3]}]"#), j(r#"[{"foo":[1,2,3]}]"#));
        assert_eq!(
            ok(" 18446744073709551615 ").to_string(),
            "18446744073709551615"
        );
        assert_eq!(ok("\"a\" null"), s("a"));
        assert_eq!(ok("{}\n"), j("{}"));
    }

    #[test]
    fn unmarshal_errors_match_opa() {
        assert_eq!(unmarshal_err(""), "EOF");
        assert_eq!(unmarshal_err("[1, 2"), "unexpected EOF");
        assert_eq!(
            unmarshal_err("{\"a\" 1}"),
            "invalid character '1' after object key"
        );
        assert_eq!(
            unmarshal_err("[1] [2]"),
            "error: invalid character '[' after top-level value"
        );
        assert_eq!(
            unmarshal_err("1 2"),
            "error: invalid character '2' after top-level value"
        );
        assert_eq!(
            unmarshal_err("1 true"),
            "error: invalid character '%!s(bool=true)' after top-level value"
        );
        assert_eq!(
            unmarshal_err("1 \"ab\""),
            "error: invalid character 'ab' after top-level value"
        );
        assert_eq!(
            unmarshal_err("1 }"),
            "invalid character '}' looking for beginning of value"
        );
        assert_eq!(
            unmarshal_err("{} x"),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            unmarshal_err("1x"),
            "invalid character 'x' after top-level value"
        );
        let e = call("json.unmarshal", &[Value::from(1)]).unwrap_err();
        assert_eq!(
            (e.message(), e.code()),
            ("operand 1 must be string but got number", "eval_type_error")
        );
    }

    #[test]
    fn validity() {
        let valid = |v: Value| call("json.is_valid", &[v]).unwrap();
        assert_eq!(valid(s("plainstring")), Value::Bool(false));
        assert_eq!(valid(s("{")), Value::Bool(false));
        assert_eq!(valid(s(r#"{"json": "ok"}"#)), Value::Bool(true));
        assert_eq!(valid(Value::from(1)), Value::Bool(false));
    }
}
