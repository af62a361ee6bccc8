//! JSON (and any serde format) in and out of [`Value`].
//!
//! Reading deserialises straight into values through a serde visitor, with no intermediate
//! `serde_json::Value`; short strings (all keys, and values up to 32 bytes) are interned per
//! document, so repeated keys share one allocation and compare by pointer first.
//!
//! Numbers read from JSON: integers in `i64` or `u64` range are exact. Other numbers reach us as
//! `f64` (serde_json is built without `arbitrary_precision`), so an integer beyond `u64::MAX` or
//! below `i64::MIN` in JSON text reads as the integer of its nearest double's shortest form
//! (`123456789012345678901234567890` reads as `123456789012345680000000000000`), and a number
//! beyond `f64` range (`1e400`) is an error.
//!
//! Writing ([`Value::to_json_string`], [`Value::to_json_pretty`]) is exact: integers of any size
//! as all their digits, non-integral floats in shortest round-trip form (see
//! [`super::Number`]'s `Display`). Sets become arrays in sorted order. An object key that is not
//! a string becomes its compact JSON text, as OPA marshals it (key `1` becomes `"1"`, key `["a"]`
//! becomes `"[\"a\"]"`); keys are then written in string order, and if two keys end up with the
//! same text, the later one in value order wins (the string key `"1"` over the number `1`).

use std::collections::HashSet;
use std::fmt::{self, Write};

use arcstr::ArcStr;
use num_traits::ToPrimitive;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::display::write_quoted;
use super::{Number, Object, Value};

/// Malformed JSON, or a number beyond `f64` range; carries serde_json's line and column.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct JsonError(#[from] serde_json::Error);

impl JsonError {
    /// The 1-based line of the error (0 if unknown).
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// The 1-based column of the error (0 if unknown).
    pub fn column(&self) -> usize {
        self.0.column()
    }
}

/// Longest string value that is interned (keys are interned up to [`MAX_INTERNED_KEY`]).
const MAX_INTERNED_VALUE: usize = 32;
/// Longest key that is interned.
const MAX_INTERNED_KEY: usize = 256;
/// The interner stops admitting new strings beyond this many (lookups go on).
const MAX_INTERNED_COUNT: usize = 1 << 16;

/// Shares equal short strings within one document.
#[derive(Default)]
struct Interner {
    strings: HashSet<ArcStr>,
}

impl Interner {
    fn intern(&mut self, s: &str, limit: usize) -> ArcStr {
        if s.len() > limit {
            return ArcStr::from(s);
        }
        if let Some(shared) = self.strings.get(s) {
            return shared.clone();
        }
        let fresh = ArcStr::from(s);
        if self.strings.len() < MAX_INTERNED_COUNT {
            self.strings.insert(fresh.clone());
        }
        fresh
    }
}

/// Deserialises one value; `limit` is the longest string to intern.
struct ValueSeed<'a> {
    interner: &'a mut Interner,
    limit: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from_i64(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(Number::from_u64(u)))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        Ok(Value::Number(Number::from_i128(i)))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
        Ok(Value::Number(Number::from_bigint(u.into())))
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Value, E> {
        Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(self.interner.intern(s, self.limit)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        let interner = self.interner;
        while let Some(item) = seq.next_element_seed(ValueSeed {
            interner: &mut *interner,
            limit: MAX_INTERNED_VALUE,
        })? {
            items.push(item);
        }
        Ok(Value::array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        let interner = self.interner;
        while let Some(key) = map.next_key_seed(ValueSeed {
            interner: &mut *interner,
            limit: MAX_INTERNED_KEY,
        })? {
            let value = map.next_value_seed(ValueSeed {
                interner: &mut *interner,
                limit: MAX_INTERNED_VALUE,
            })?;
            entries.push((key, value));
        }
        Ok(Value::object_from(entries))
    }
}

impl<'de> Deserialize<'de> for Value {
    /// Reads any self-describing format (JSON, YAML, ...); map keys may be any value. For JSON
    /// text prefer [`Value::from_json_str`].
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        let mut interner = Interner::default();
        ValueSeed {
            interner: &mut interner,
            limit: MAX_INTERNED_VALUE,
        }
        .deserialize(d)
    }
}

/// Reads one JSON document and checks that only whitespace follows it.
fn read_document<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
) -> Result<Value, JsonError> {
    let mut interner = Interner::default();
    let value = ValueSeed {
        interner: &mut interner,
        limit: MAX_INTERNED_VALUE,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

impl Value {
    /// Parses JSON text into a value (see the module docs for numbers).
    ///
    /// ```
    /// use rego_eval::Value;
    /// let v = Value::from_json_str(r#"{"n": 18446744073709551614, "f": 1.5}"#).unwrap();
    /// assert_eq!(v.to_json_string(), r#"{"f":1.5,"n":18446744073709551614}"#);
    /// ```
    pub fn from_json_str(text: &str) -> Result<Value, JsonError> {
        read_document(serde_json::Deserializer::from_str(text))
    }

    /// Parses JSON bytes into a value.
    pub fn from_json_slice(bytes: &[u8]) -> Result<Value, JsonError> {
        read_document(serde_json::Deserializer::from_slice(bytes))
    }

    /// Parses JSON from a reader (buffer it: serde_json reads byte by byte).
    pub fn from_json_reader<R: std::io::Read>(reader: R) -> Result<Value, JsonError> {
        read_document(serde_json::Deserializer::from_reader(reader))
    }

    /// Compact JSON text (`{"a":[1,2]}`), numbers exact.
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, None).expect("writing to a String cannot fail");
        out
    }

    /// JSON text indented by two spaces per level, one element or entry per line, as
    /// `serde_json::to_string_pretty` and Go's `json.MarshalIndent(v, "", "  ")` lay it out.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, Some(0)).expect("writing to a String cannot fail");
        out
    }

    /// The value as a `serde_json::Value`. Lossy where serde_json is: an integer beyond `u64`
    /// and `i64` range becomes the nearest `f64` (`null` if even that overflows).
    pub fn to_serde_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_serde(n),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a) => {
                serde_json::Value::Array(a.iter().map(Value::to_serde_json).collect())
            }
            Value::Set(s) => serde_json::Value::Array(s.iter().map(Value::to_serde_json).collect()),
            Value::Object(o) => serde_json::Value::Object(
                json_entries(o)
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.to_serde_json()))
                    .collect(),
            ),
        }
    }
}

fn number_to_serde(n: &Number) -> serde_json::Value {
    if let Some(i) = n.as_i64() {
        return serde_json::Value::from(i);
    }
    if let Some(u) = n.as_u64() {
        return serde_json::Value::from(u);
    }
    serde_json::Number::from_f64(n.as_f64())
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::from_i64(i)
                } else if let Some(u) = n.as_u64() {
                    Value::Number(Number::from_u64(u))
                } else {
                    n.as_f64().map_or(Value::Null, Value::from_f64)
                }
            }
            serde_json::Value::String(s) => Value::from(s),
            serde_json::Value::Array(a) => Value::array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => Value::object_from(
                o.into_iter()
                    .map(|(k, v)| (Value::from(k), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

/// An object's entries with JSON keys: string keys as they are, other keys as their compact
/// JSON text; in key-text order, and of equal texts the last in value order.
fn json_entries(o: &Object) -> Vec<(std::borrow::Cow<'_, str>, &Value)> {
    let mut entries: Vec<_> = o
        .iter()
        .map(|(k, v)| match k {
            Value::String(s) => (std::borrow::Cow::Borrowed(s.as_str()), v),
            _ => (std::borrow::Cow::Owned(k.to_json_string()), v),
        })
        .collect();
    if o.iter().all(|(k, _)| matches!(k, Value::String(_))) {
        // Already in string order and distinct.
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

/// Writes JSON; `indent` is `None` for compact output, else the current depth.
fn write_json(out: &mut String, v: &Value, indent: Option<usize>) -> fmt::Result {
    match v {
        Value::Null => out.write_str("null"),
        Value::Bool(b) => out.write_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write!(out, "{n}"),
        Value::String(s) => write_quoted(out, s),
        Value::Array(a) => write_seq(out, a, indent),
        Value::Set(s) => write_seq(out, s, indent),
        Value::Object(o) => {
            if o.is_empty() {
                return out.write_str("{}");
            }
            let inner = indent.map(|d| d + 1);
            out.write_char('{')?;
            for (i, (k, v)) in json_entries(o).iter().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                newline(out, inner);
                write_quoted(out, k)?;
                out.write_str(if indent.is_some() { ": " } else { ":" })?;
                write_json(out, v, inner)?;
            }
            newline(out, indent);
            out.write_char('}')
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: Option<usize>) -> fmt::Result {
    if items.is_empty() {
        return out.write_str("[]");
    }
    let inner = indent.map(|d| d + 1);
    out.write_char('[')?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        newline(out, inner);
        write_json(out, item, inner)?;
    }
    newline(out, indent);
    out.write_char(']')
}

/// In pretty mode, a line break and `depth` levels of indentation.
fn newline(out: &mut String, depth: Option<usize>) {
    if let Some(depth) = depth {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

impl Serialize for Value {
    /// Sets serialise as arrays in sorted order, objects as maps with JSON keys (see the module
    /// docs). Numbers go through the serializer's own number methods: integers as `i64`, `u64`
    /// or `i128`, anything larger as its nearest `f64`. Use [`Value::to_json_string`] for JSON
    /// with exact numbers.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(x) => s.serialize_str(x),
            Value::Array(a) => s.collect_seq(a.iter()),
            Value::Set(x) => s.collect_seq(x.iter()),
            Value::Object(o) => {
                let entries = json_entries(o);
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in &entries {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
        }
    }
}

impl Serialize for Number {
    /// As an `i64`, `u64` or `i128` when the integer fits, otherwise as the nearest `f64`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(i) = self.as_i64() {
            return s.serialize_i64(i);
        }
        if let Some(u) = self.as_u64() {
            return s.serialize_u64(u);
        }
        if let Some(i) = self.to_bigint().and_then(|b| b.to_i128()) {
            return s.serialize_i128(i);
        }
        s.serialize_f64(self.as_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn numbers_in_and_out() {
        for (text, compact) in [
            ("18446744073709551614", "18446744073709551614"),
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("9223372036854775807", "9223372036854775807"),
            ("1.5", "1.5"),
            ("0.1", "0.1"),
            ("2.0", "2"),
            ("-0.0", "0"),
            ("1e3", "1000"),
            ("1E-7", "1e-7"),
            ("0.30000000000000004", "0.30000000000000004"),
            ("1e20", "100000000000000000000"),
        ] {
            assert_eq!(j(text).to_json_string(), compact, "{text}");
        }
        assert_eq!(j("1e300").to_json_string(), format!("1{}", "0".repeat(300)));
        assert_eq!(
            j("18446744073709551614"),
            Value::parse_number("18446744073709551614").unwrap()
        );
        assert_eq!(
            j("123456789012345678901234567890").to_string(),
            "123456789012345680000000000000"
        );
        assert!(Value::from_json_str("1e400").is_err());
        let big = Value::parse_number("-100000000000000000000000000000000000001").unwrap();
        assert_eq!(
            big.to_json_string(),
            "-100000000000000000000000000000000000001"
        );
    }

    #[test]
    fn nested_documents_round_trip() {
        let text = r#"{"a":[1,2.5,"x",null,true,false,{}],"b":{"c":{"d":[]}},"e":"é\n\"","f":18446744073709551614}"#;
        let v = j(text);
        assert_eq!(v.to_json_string(), text);
        assert_eq!(j(&v.to_json_pretty()), v);
        assert_eq!(serde_json::to_string(&v).unwrap(), text);
        assert_eq!(Value::from(v.to_serde_json()), v);
        assert_eq!(Value::from_json_slice(text.as_bytes()).unwrap(), v);
        assert_eq!(Value::from_json_reader(text.as_bytes()).unwrap(), v);
        let via_serde: Value = serde_json::from_str(text).unwrap();
        assert_eq!(via_serde, v);
    }

    #[test]
    fn objects_sort_and_last_duplicate_wins() {
        let v = j(r#"{"b": 1, "a": 2, "b": 3}"#);
        assert_eq!(v.to_json_string(), r#"{"a":2,"b":3}"#);
    }

    #[test]
    fn sets_and_non_string_keys() {
        let set = Value::set_from(vec![Value::from(3), Value::from("a"), Value::from(1)]);
        assert_eq!(set.to_json_string(), r#"[1,3,"a"]"#);
        let o = Value::object_from(vec![
            (Value::from(1), Value::from("one")),
            (Value::array(vec![Value::from("a")]), Value::from("arr")),
            (Value::from("z"), set.clone()),
            (Value::set_from(vec![Value::from(2)]), Value::Null),
        ]);
        let text = r#"{"1":"one","[\"a\"]":"arr","[2]":null,"z":[1,3,"a"]}"#;
        assert_eq!(o.to_json_string(), text);
        assert_eq!(serde_json::to_string(&o).unwrap(), text);
        assert_eq!(o.to_serde_json().to_string(), text);
        // The string key "1" sorts after the number 1 and wins.
        let clash = Value::object_from(vec![
            (Value::from(1), Value::from("n")),
            (Value::from("1"), Value::from("s")),
        ]);
        assert_eq!(clash.to_json_string(), r#"{"1":"s"}"#);
        assert_eq!(serde_json::to_string(&clash).unwrap(), r#"{"1":"s"}"#);
    }

    #[test]
    fn pretty_layout() {
        let v = j(r#"{"a": [1, {"b": null}], "c": {}, "d": []}"#);
        let expected = "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}";
        assert_eq!(v.to_json_pretty(), expected);
        assert_eq!(serde_json::to_string_pretty(&v).unwrap(), expected);
        assert_eq!(Value::from(1).to_json_pretty(), "1");
    }

    #[test]
    fn keys_are_interned() {
        let v = j(r#"[{"name": "a"}, {"name": "b"}]"#);
        let key = |i: usize| {
            v.as_array().unwrap()[i].as_object().unwrap()[0]
                .0
                .as_arcstr()
                .unwrap()
                .clone()
        };
        assert!(ArcStr::ptr_eq(&key(0), &key(1)));
    }

    #[test]
    fn errors_carry_positions() {
        let e = Value::from_json_str("{\n  \"a\": tru }").unwrap_err();
        assert_eq!(e.line(), 2);
        assert!(e.column() > 0);
        assert!(Value::from_json_str("[1] 2").is_err());
        assert!(Value::from_json_str("").is_err());
    }

    #[test]
    fn serde_json_number_conversions() {
        let n = |v: serde_json::Value| Value::from(v);
        assert_eq!(
            n(serde_json::json!(u64::MAX)).to_string(),
            "18446744073709551615"
        );
        assert_eq!(n(serde_json::json!(2.0)), Value::from(2));
        assert_eq!(n(serde_json::json!(-3)), Value::from(-3));
        let huge = Value::parse_number("100000000000000000000000").unwrap();
        assert_eq!(huge.to_serde_json(), serde_json::json!(1e23));
        assert_eq!(
            Value::parse_number("1e400").unwrap().to_serde_json(),
            serde_json::Value::Null
        );
        assert_eq!(
            serde_json::to_string(&Value::parse_number("-18446744073709551616").unwrap()).unwrap(),
            "-18446744073709551616"
        );
    }
}
