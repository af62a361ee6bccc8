//! Printing values in Rego syntax, as OPA prints them (`sprintf("%v")`, error messages).
//!
//! `null`, `true`; numbers as JSON numbers ([`super::Number`]'s `Display`); strings quoted with
//! JSON escapes (`"a\n"`); arrays `["a", 1]`; objects `{"a": 1, 2: [3]}`; sets `{1, 2, 3}` and
//! the empty set `set()`. `Debug` prints the same text.

use std::fmt::{self, Write};

use super::{Object, Set, Value};

/// Writes `s` as a JSON string literal: quotes, backslash and control characters escaped
/// (`\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`), everything else as is.
pub(crate) fn write_quoted<W: Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    out.write_char('"')?;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // Escaped bytes are ASCII, so `start..i` lies on character boundaries.
        out.write_str(&s[start..i])?;
        if escape.is_empty() {
            write!(out, "\\u{b:04x}")?;
        } else {
            out.write_str(escape)?;
        }
        start = i + 1;
    }
    out.write_str(&s[start..])?;
    out.write_char('"')
}

/// Writes `items` separated by `", "`.
fn write_list<'a, W: Write + ?Sized>(
    out: &mut W,
    items: impl Iterator<Item = &'a Value>,
) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        write!(out, "{item}")?;
    }
    Ok(())
}

fn write_object<W: Write + ?Sized>(out: &mut W, o: &Object) -> fmt::Result {
    out.write_char('{')?;
    for (i, (k, v)) in o.iter().enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        write!(out, "{k}: {v}")?;
    }
    out.write_char('}')
}

fn write_set<W: Write + ?Sized>(out: &mut W, s: &Set) -> fmt::Result {
    if s.is_empty() {
        return out.write_str("set()");
    }
    out.write_char('{')?;
    write_list(out, s.iter())?;
    out.write_char('}')
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Number(n) => fmt::Display::fmt(n, f),
            Value::String(s) => write_quoted(f, s),
            Value::Array(a) => {
                f.write_char('[')?;
                write_list(f, a.iter())?;
                f.write_char(']')
            }
            Value::Object(o) => write_object(f, o),
            Value::Set(s) => write_set(f, s),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_set(f, self)
    }
}

impl fmt::Debug for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_set(f, self)
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_object(f, self)
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_object(f, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Value {
        Value::parse_number(s).unwrap()
    }

    #[test]
    fn scalars() {
        assert_eq!(Value::Null.to_string(), "null");
        assert_eq!(Value::from(true).to_string(), "true");
        assert_eq!(Value::from(false).to_string(), "false");
        assert_eq!(n("1.5").to_string(), "1.5");
        assert_eq!(n("2.0").to_string(), "2");
        assert_eq!(n("1e3").to_string(), "1000");
        assert_eq!(n("-0.1").to_string(), "-0.1");
        assert_eq!(
            n("18446744073709551614").to_string(),
            "18446744073709551614"
        );
        assert_eq!(Value::from(1e-7).to_string(), "1e-7");
        assert_eq!(Value::from(123.456).to_string(), "123.456");
        assert_eq!(Value::from("a").to_string(), r#""a""#);
        assert_eq!(Value::from("").to_string(), r#""""#);
    }

    #[test]
    fn string_escapes() {
        assert_eq!(
            Value::from("q\"b\\n\nr\rt\t\u{8}\u{c}\u{1}\u{1f}").to_string(),
            r#""q\"b\\n\nr\rt\t\b\f\u0001\u001f""#
        );
        assert_eq!(
            Value::from("é ☃ 😀 \u{7f} <&>").to_string(),
            "\"é ☃ 😀 \u{7f} <&>\""
        );
    }

    #[test]
    fn containers() {
        let a = Value::array(vec![Value::from("a"), n("1")]);
        assert_eq!(a.to_string(), r#"["a", 1]"#);
        assert_eq!(Value::empty_array().to_string(), "[]");
        let o = Value::object_from(vec![
            (Value::from("b"), Value::array(vec![n("2")])),
            (Value::from("a"), n("1")),
        ]);
        assert_eq!(o.to_string(), r#"{"a": 1, "b": [2]}"#);
        assert_eq!(Value::empty_object().to_string(), "{}");
        let s = Value::set_from(vec![n("3"), n("1"), n("2"), n("1")]);
        assert_eq!(s.to_string(), "{1, 2, 3}");
        assert_eq!(Value::empty_set().to_string(), "set()");
        let mixed = Value::object_from(vec![
            (n("1"), Value::empty_set()),
            (Value::array(vec![Value::from("k")]), Value::Null),
            (Value::set_from(vec![Value::from(true)]), Value::from(false)),
        ]);
        assert_eq!(
            mixed.to_string(),
            r#"{1: set(), ["k"]: null, {true}: false}"#
        );
        assert_eq!(format!("{mixed:?}"), mixed.to_string());
        if let Value::Set(s) = &s {
            assert_eq!(format!("{s} {s:?}"), "{1, 2, 3} {1, 2, 3}");
        }
        if let Value::Object(o) = &o {
            assert_eq!(format!("{o:?}"), r#"{"a": 1, "b": [2]}"#);
        }
    }
}
