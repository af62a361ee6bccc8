//! [`Value`], the one runtime value of Rego: null, booleans, numbers, strings, arrays, objects
//! and sets.
//!
//! A value is 16 bytes and cheap to clone: strings are [`ArcStr`]s and containers are shared
//! behind an `Arc`, so a clone is a reference-count increment. Sets and objects are vectors kept
//! sorted by the value order ([`Set`], [`Object`]), which is OPA's sort order, so output is
//! ordered for free and lookups are binary searches.
//!
//! ```
//! use rego_eval::Value;
//! let v = Value::from_json_str(r#"{"b": [1, 2.5], "a": null}"#).unwrap();
//! assert_eq!(v.to_string(), r#"{"a": null, "b": [1, 2.5]}"#);
//! assert_eq!(v.object_get_str("b").and_then(|b| b.get(&Value::from(1))), Some(&Value::from_f64(2.5)));
//! ```

mod arith;
mod collections;
mod display;
mod json;
mod number;
mod order;
#[cfg(test)]
mod proptests;

use std::sync::Arc;

use arcstr::ArcStr;

pub use collections::{Object, ObjectBuilder, Set, SetBuilder};
pub use json::JsonError;
/// The big integer type of [`Number::from_bigint`] and [`Number::to_bigint`], re-exported so
/// callers need no `num-bigint` dependency of their own.
pub use num_bigint::BigInt;
pub use number::{NumError, Number, ParseNumberError};
pub(crate) use order::identical;

/// A Rego value. "Undefined" is not a value: it is the absence of one.
///
/// Equality, ordering and hashing follow OPA. Between types the order is null < boolean <
/// number < string < array < object < set. Within a type: `false < true`; numbers by value
/// across representations (`1 == 1.0`, and they hash alike); strings by bytes; arrays, sets
/// (their sorted elements) and objects (their sorted `(key, value)` pairs, key first)
/// lexicographically, a proper prefix first.
#[derive(Clone, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number; see [`Number`] for the representation.
    Number(Number),
    /// A string (UTF-8).
    String(ArcStr),
    /// An array.
    Array(Arc<Vec<Value>>),
    /// An object: entries sorted by key, keys of any type.
    Object(Object),
    /// A set: distinct elements in ascending order.
    Set(Set),
}

const _: () = assert!(std::mem::size_of::<Value>() == 16);

const fn assert_send_sync<T: Send + Sync>() {}
const _: () = assert_send_sync::<Value>();

impl Value {
    /// A string value.
    pub fn string(s: &str) -> Value {
        Value::String(ArcStr::from(s))
    }

    /// An integer value.
    pub const fn from_i64(i: i64) -> Value {
        Value::Number(Number::from_i64(i))
    }

    /// A number from a float; an integral float is the integer (`2.0` is `2`). NaN and the
    /// infinities have no Rego value and become `null`, as in `serde_json`; use
    /// [`Number::from_f64`] to see that case.
    pub fn from_f64(x: f64) -> Value {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }

    /// A number from Rego/JSON number text of any size (`"18446744073709551616"`, `"1e3"`,
    /// `"-0.5"`); `None` if the text is not a number or too large. See [`Number::parse`].
    pub fn parse_number(text: &str) -> Option<Value> {
        Number::parse(text).ok().map(Value::Number)
    }

    /// An array value.
    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Arc::new(items))
    }

    /// A set of `items`, sorted and deduplicated once.
    pub fn set_from(items: Vec<Value>) -> Value {
        Value::Set(Set::from_vec(items))
    }

    /// An object of `entries`, sorted by key once; of entries with equal keys the **last** wins.
    pub fn object_from(entries: Vec<(Value, Value)>) -> Value {
        Value::Object(Object::from_vec(entries))
    }

    /// `[]`.
    pub fn empty_array() -> Value {
        Value::Array(Arc::new(Vec::new()))
    }

    /// `set()`.
    pub fn empty_set() -> Value {
        Value::Set(Set::new())
    }

    /// `{}`.
    pub fn empty_object() -> Value {
        Value::Object(Object::new())
    }

    /// OPA's name of the value's type: `"null"`, `"boolean"`, `"number"`, `"string"`,
    /// `"array"`, `"object"` or `"set"`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Set(_) => "set",
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The boolean, if the value is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if the value is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer in range (also for `2.0`, which is `2`).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The number as the nearest `f64`, if the value is a number.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    /// True if the value is an integral number (of any size).
    pub fn is_integer(&self) -> bool {
        self.as_number().is_some_and(Number::is_integer)
    }

    /// The string, if the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The shared string, if the value is one (clone it to keep it without copying).
    pub fn as_arcstr(&self) -> Option<&ArcStr> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if the value is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The elements in ascending order, if the value is a set.
    pub fn as_set(&self) -> Option<&[Value]> {
        match self {
            Value::Set(s) => Some(s),
            _ => None,
        }
    }

    /// The entries in ascending key order, if the value is an object.
    pub fn as_object(&self) -> Option<&[(Value, Value)]> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Rego's `x[key]`: an object's value at `key`, an array's element at an integral index in
    /// range, or a set's element equal to `key`. `None` (undefined) otherwise.
    pub fn get(&self, key: &Value) -> Option<&Value> {
        match self {
            Value::Object(o) => o.get(key),
            Value::Array(a) => a.get(key.as_number()?.as_usize()?),
            Value::Set(s) => s.get(key),
            _ => None,
        }
    }

    /// An object's value at the string key `key`.
    pub fn object_get_str(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(o) => o.get_str(key),
            _ => None,
        }
    }

    /// True if the value is a set containing `element`.
    pub fn contains_set(&self, element: &Value) -> bool {
        match self {
            Value::Set(s) => s.contains(element),
            _ => false,
        }
    }

    /// OPA's `count`: the number of elements of an array or set, entries of an object, or
    /// characters (Unicode scalar values) of a string; `None` for other types.
    pub fn count(&self) -> Option<usize> {
        match self {
            Value::String(s) => Some(s.chars().count()),
            Value::Array(a) => Some(a.len()),
            Value::Object(o) => Some(o.len()),
            Value::Set(s) => Some(s.len()),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::string(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(ArcStr::from(s))
    }
}

impl From<ArcStr> for Value {
    fn from(s: ArcStr) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::from_i64(i)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::from_i64(i64::from(i))
    }
}

impl From<u32> for Value {
    fn from(u: u32) -> Value {
        Value::from_i64(i64::from(u))
    }
}

impl From<u64> for Value {
    fn from(u: u64) -> Value {
        Value::Number(Number::from_u64(u))
    }
}

impl From<usize> for Value {
    fn from(u: usize) -> Value {
        Value::Number(Number::from(u))
    }
}

impl From<f64> for Value {
    /// See [`Value::from_f64`]: NaN and the infinities become `null`.
    fn from(x: f64) -> Value {
        Value::from_f64(x)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl From<Set> for Value {
    fn from(s: Set) -> Value {
        Value::Set(s)
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::Object(o)
    }
}

impl From<Vec<Value>> for Value {
    /// An array.
    fn from(items: Vec<Value>) -> Value {
        Value::array(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_and_threads() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
        let v = Value::array(vec![Value::from("x")]);
        let w = v.clone();
        std::thread::spawn(move || assert_eq!(w.count(), Some(1)))
            .join()
            .unwrap();
        assert_eq!(v.count(), Some(1));
    }

    #[test]
    fn type_names() {
        let names: Vec<_> = [
            Value::Null,
            Value::from(false),
            Value::from(1),
            Value::from("s"),
            Value::empty_array(),
            Value::empty_object(),
            Value::empty_set(),
        ]
        .iter()
        .map(Value::type_name)
        .collect();
        assert_eq!(
            names,
            [
                "null", "boolean", "number", "string", "array", "object", "set"
            ]
        );
    }

    #[test]
    fn accessors() {
        let a = Value::array(vec![Value::from("x"), Value::from("y")]);
        assert_eq!(a.get(&Value::from(1)), Some(&Value::from("y")));
        assert_eq!(a.get(&Value::from_f64(1.0)), Some(&Value::from("y")));
        assert_eq!(a.get(&Value::from(2)), None);
        assert_eq!(a.get(&Value::from(-1)), None);
        assert_eq!(a.get(&Value::from_f64(0.5)), None);
        assert_eq!(a.get(&Value::from("0")), None);
        assert_eq!(a.as_array().map(<[Value]>::len), Some(2));
        assert_eq!(a.as_set(), None);

        let s = Value::set_from(vec![Value::from(2), Value::from(1), Value::from(2)]);
        assert_eq!(s.as_set(), Some(&[Value::from(1), Value::from(2)][..]));
        assert!(s.contains_set(&Value::from(1)));
        assert!(!s.contains_set(&Value::from(3)));
        assert!(!a.contains_set(&Value::from("x")));
        assert_eq!(s.get(&Value::from(2)), Some(&Value::from(2)));

        let o = Value::object_from(vec![
            (Value::from("k"), Value::from(1)),
            (Value::from("k"), Value::from(2)),
        ]);
        assert_eq!(o.object_get_str("k"), Some(&Value::from(2)));
        assert_eq!(o.get(&Value::from("k")), Some(&Value::from(2)));
        assert_eq!(o.as_object().map(<[_]>::len), Some(1));
        assert_eq!(a.object_get_str("k"), None);

        assert_eq!(Value::from("héllo").count(), Some(5));
        assert_eq!(Value::from(1).count(), None);
        assert_eq!(Value::from(true).as_bool(), Some(true));
        assert_eq!(Value::from("s").as_str(), Some("s"));
        assert_eq!(Value::from(2.5).as_f64(), Some(2.5));
        assert_eq!(Value::from(2.0).as_i64(), Some(2));
        assert!(Value::from(2.0).is_integer());
        assert!(!Value::from(2.5).is_integer());
        assert!(Value::from(f64::NAN).is_null());
        assert_eq!(Value::from(u64::MAX).to_string(), "18446744073709551615");
        assert_eq!(Value::parse_number("x"), None);
        assert_eq!(Value::default(), Value::Null);
    }
}
