//! Equality, OPA's total order and hashing of values.
//!
//! Between types the order is OPA's (`ast.Compare`): null < boolean < number < string < array <
//! object < set. Within a type: `false < true`; numbers by numeric value (`1 == 1.0`); strings by
//! bytes; arrays, sets (sorted elements) and objects (sorted `(key, value)` pairs, a key and then
//! its value) lexicographically, a proper prefix first.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::{Object, Set, Value};

impl Value {
    /// The position of the value's type in OPA's order of types.
    fn type_rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Array(_) => 4,
            Value::Object(_) => 5,
            Value::Set(_) => 6,
        }
    }
}

/// Compares strings by bytes. Short strings (object keys, mostly) are compared inline, eight
/// bytes at a time: a `memcmp` call costs more than the comparison.
#[inline]
pub(crate) fn cmp_str(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len().min(b.len());
    if n > 32 {
        return a.cmp(b);
    }
    let mut i = 0;
    while i + 8 <= n {
        let (x, y) = (word(a, i), word(b, i));
        if x != y {
            return x.cmp(&y);
        }
        i += 8;
    }
    for j in i..n {
        if a[j] != b[j] {
            return a[j].cmp(&b[j]);
        }
    }
    a.len().cmp(&b.len())
}

/// Eight bytes of `s` from `i` as a big-endian word, which orders as the bytes do.
#[inline]
fn word(s: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&s[i..i + 8]);
    u64::from_be_bytes(w)
}

/// Whether two strings are equal, short ones compared inline (see [`cmp_str`]).
#[inline]
fn eq_str(a: &arcstr::ArcStr, b: &arcstr::ArcStr) -> bool {
    if arcstr::ArcStr::ptr_eq(a, b) {
        return true;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 32 {
        return a == b;
    }
    let mut i = 0;
    while i + 8 <= a.len() {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    a[i..].iter().zip(&b[i..]).all(|(x, y)| x == y)
}

/// Whether two values are cheaply known to be equal: the same shared string or container, or
/// equal scalars. `false` says nothing.
#[inline]
pub(crate) fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => arcstr::ArcStr::ptr_eq(x, y),
        (Value::Array(x), Value::Array(y)) => Arc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Object::ptr_eq(x, y),
        (Value::Set(x), Value::Set(y)) => Set::ptr_eq(x, y),
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        _ => false,
    }
}

/// The position of a value equal to `v` in `items`. Values that are shared (strings of one
/// document, interned) are usually found by pointer, before any contents are compared.
pub(crate) fn position_of(items: &[Value], v: &Value) -> Option<usize> {
    items
        .iter()
        .position(|x| identical(x, v))
        .or_else(|| items.iter().position(|x| x == v))
}

/// Compares a value with the string value `s` without building one.
#[inline]
pub(crate) fn cmp_to_str(v: &Value, s: &str) -> Ordering {
    match v {
        Value::String(x) => cmp_str(x, s),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ordering::Less,
        Value::Array(_) | Value::Object(_) | Value::Set(_) => Ordering::Greater,
    }
}

impl Ord for Value {
    fn cmp(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Number(a), Value::Number(b)) => a.cmp(b),
            (Value::String(a), Value::String(b)) => {
                if arcstr::ArcStr::ptr_eq(a, b) {
                    Ordering::Equal
                } else {
                    cmp_str(a, b)
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                if Arc::ptr_eq(a, b) {
                    Ordering::Equal
                } else {
                    a.as_slice().cmp(b.as_slice())
                }
            }
            (Value::Object(a), Value::Object(b)) => {
                if Object::ptr_eq(a, b) {
                    Ordering::Equal
                } else {
                    a.as_slice().cmp(b.as_slice())
                }
            }
            (Value::Set(a), Value::Set(b)) => {
                if Set::ptr_eq(a, b) {
                    Ordering::Equal
                } else {
                    a.as_slice().cmp(b.as_slice())
                }
            }
            _ => self.type_rank().cmp(&other.type_rank()),
        }
    }
}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Value) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        // Same answers as `cmp == Equal`, but slices compare lengths before elements.
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => eq_str(a, b),
            (Value::Array(a), Value::Array(b)) => Arc::ptr_eq(a, b) || a.as_slice() == b.as_slice(),
            (Value::Object(a), Value::Object(b)) => {
                Object::ptr_eq(a, b) || a.as_slice() == b.as_slice()
            }
            (Value::Set(a), Value::Set(b)) => Set::ptr_eq(a, b) || a.as_slice() == b.as_slice(),
            _ => false,
        }
    }
}

impl Eq for Value {}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<i64> for Value {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl Hash for Value {
    /// Agrees with `==`: numbers hash by value (`1` and `1.0` hash alike, see [`super::Number`]),
    /// containers by length and elements.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(self.type_rank());
        match self {
            Value::Null => {}
            Value::Bool(b) => b.hash(state),
            Value::Number(n) => n.hash(state),
            Value::String(s) => s.as_str().hash(state),
            Value::Array(a) => a.as_slice().hash(state),
            Value::Object(o) => o.as_slice().hash(state),
            Value::Set(s) => s.as_slice().hash(state),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn h(v: &Value) -> u64 {
        let mut s = DefaultHasher::new();
        v.hash(&mut s);
        s.finish()
    }

    fn arr(v: Vec<Value>) -> Value {
        Value::array(v)
    }

    fn obj(v: Vec<(Value, Value)>) -> Value {
        Value::object_from(v)
    }

    fn set(v: Vec<Value>) -> Value {
        Value::set_from(v)
    }

    /// Values in ascending order, one per distinct value.
    fn ladder() -> Vec<Value> {
        let n = |s: &str| Value::parse_number(s).unwrap();
        let s = Value::from;
        vec![
            Value::Null,
            Value::Bool(false),
            Value::Bool(true),
            n("-18446744073709551614"),
            n("-1.5"),
            n("0"),
            n("0.5"),
            n("1"),
            n("18446744073709551614"),
            s(""),
            s("A"),
            s("a"),
            s("ab"),
            s("b"),
            s("é"),
            arr(vec![]),
            arr(vec![n("1")]),
            arr(vec![n("1"), n("1")]),
            arr(vec![n("1"), s("a")]),
            arr(vec![n("2")]),
            arr(vec![s("a")]),
            obj(vec![]),
            obj(vec![(n("1"), n("9"))]),
            obj(vec![(s("a"), n("1"))]),
            obj(vec![(s("a"), n("1")), (s("b"), n("0"))]),
            obj(vec![(s("a"), n("2"))]),
            obj(vec![(s("b"), n("0"))]),
            set(vec![]),
            set(vec![n("1")]),
            set(vec![n("1"), n("2")]),
            set(vec![n("2")]),
            set(vec![set(vec![])]),
        ]
    }

    #[test]
    fn ladder_is_strictly_ascending() {
        let l = ladder();
        for (i, a) in l.iter().enumerate() {
            for (j, b) in l.iter().enumerate() {
                assert_eq!(a.cmp(b), i.cmp(&j), "{a} vs {b}");
                assert_eq!(a == b, i == j, "{a} == {b}");
                assert_eq!(a.partial_cmp(b), Some(i.cmp(&j)));
            }
        }
    }

    #[test]
    fn numbers_equal_across_representations() {
        let pairs = [
            (Value::from(1), Value::from_f64(1.0)),
            (Value::from(0), Value::from_f64(-0.0)),
            (Value::parse_number("1e3").unwrap(), Value::from(1000)),
            (
                Value::parse_number("10000000000000000000").unwrap(),
                Value::from_f64(1e19),
            ),
            (Value::parse_number("2.50").unwrap(), Value::from_f64(2.5)),
        ];
        for (a, b) in pairs {
            assert_eq!(a, b);
            assert_eq!(a.cmp(&b), Ordering::Equal);
            assert_eq!(h(&a), h(&b), "{a}");
        }
        let nested_a = set(vec![
            arr(vec![Value::from(1)]),
            obj(vec![(Value::from(2), Value::from("x"))]),
        ]);
        let nested_b = set(vec![
            obj(vec![(Value::from_f64(2.0), Value::from("x"))]),
            arr(vec![Value::from_f64(1.0)]),
        ]);
        assert_eq!(nested_a, nested_b);
        assert_eq!(h(&nested_a), h(&nested_b));
    }

    #[test]
    fn object_order_is_key_then_value() {
        let (s, i) = (Value::from, Value::from_i64);
        // {"a": 2} > {"a": 1, "b": 0}: the first differing (key, value) pair decides.
        let a2 = obj(vec![(s("a"), i(2))]);
        let a1b0 = obj(vec![(s("a"), i(1)), (s("b"), i(0))]);
        assert!(a1b0 < a2);
        // A proper prefix first.
        assert!(obj(vec![(s("a"), i(1))]) < a1b0);
    }

    #[test]
    fn comparisons_with_rust_values() {
        assert_eq!(Value::from("a"), "a");
        assert_eq!(Value::from(3), 3);
        assert_eq!(Value::from_f64(3.0), 3);
        assert_eq!(Value::from(true), true);
        assert_ne!(Value::from(1), true);
    }

    #[test]
    fn shared_strings_compare_equal() {
        let s = arcstr::ArcStr::from("key");
        let (a, b) = (Value::String(s.clone()), Value::String(s));
        assert_eq!(a.cmp(&b), Ordering::Equal);
        assert_eq!(a, Value::from("key"));
    }

    #[test]
    fn strings_order_by_bytes() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abd",
            "b",
            "user",
            "user-1",
            "user-2",
            "é",
            "a-long-key-of-more-than-sixteen-bytes",
            "a-long-key-of-more-than-sixteen-bytez",
        ];
        for a in words {
            for b in words {
                let (va, vb) = (Value::from(a), Value::from(b));
                assert_eq!(va.cmp(&vb), a.cmp(b), "{a} vs {b}");
                assert_eq!(va == vb, a == b, "{a} == {b}");
                assert_eq!(cmp_to_str(&va, b), a.cmp(b));
            }
        }
    }
}
