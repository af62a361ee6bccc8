//! Property tests: the value order is a total order consistent with `==` and hashing, JSON
//! round-trips, and sets do not depend on insertion order.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use proptest::prelude::*;

use super::{Number, Value};

fn hash_of(v: &Value) -> u64 {
    let mut s = DefaultHasher::new();
    v.hash(&mut s);
    s.finish()
}

/// JSON text as a `serde_json::Value`.
fn reparse(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

/// Numbers of every representation, with small values frequent so that equalities occur.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (-3i64..=3).prop_map(Value::from),
        3 => (-6i32..=6).prop_map(|i| Value::from_f64(f64::from(i) / 4.0)),
        2 => any::<i64>().prop_map(Value::from),
        2 => any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(Value::from_f64),
        2 => any::<i128>().prop_map(|i| Value::Number(Number::from_i128(i))),
        1 => (any::<u64>(), 0u32..40, any::<bool>()).prop_map(|(m, e, neg)| {
            let sign = if neg { "-" } else { "" };
            Value::parse_number(&format!("{sign}{m}e{e}")).expect("valid number text")
        }),
    ]
}

/// Short strings over a tiny alphabet, so that equal strings occur.
fn small_string() -> impl Strategy<Value = Value> {
    "[ab]{0,2}".prop_map(Value::from)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        4 => number(),
        3 => small_string(),
    ]
}

/// Any value, sets and non-string keys included.
fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::array),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::set_from),
            prop::collection::vec((inner.clone(), inner), 0..4).prop_map(Value::object_from),
        ]
    })
}

/// Any string, control characters and non-ASCII included.
fn any_string() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..5).prop_map(String::from_iter)
}

/// Values that JSON represents exactly: no sets, string keys, integers within `i64`/`u64`.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Value::from_f64),
        any_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::array),
            prop::collection::vec((any_string(), inner), 0..4).prop_map(|kv| Value::object_from(
                kv.into_iter().map(|(k, v)| (Value::from(k), v)).collect()
            )),
        ]
    })
}

/// An equal value built along other paths: numbers re-parsed from their text, strings freshly
/// allocated, sets and objects from reversed input.
fn rebuild(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) if i.unsigned_abs() < 1 << 53 => Value::from_f64(i as f64),
            _ => Value::parse_number(&n.to_string()).expect("numbers print as number text"),
        },
        Value::String(s) => Value::from(s.to_string()),
        Value::Array(a) => Value::array(a.iter().map(rebuild).collect()),
        Value::Set(s) => Value::set_from(s.iter().rev().map(rebuild).collect()),
        Value::Object(o) => Value::object_from(
            o.iter()
                .rev()
                .map(|(k, v)| (rebuild(k), rebuild(v)))
                .collect(),
        ),
        Value::Null | Value::Bool(_) => v.clone(),
    }
}

proptest! {
    #[test]
    fn order_is_total(a in value(), b in value(), c in value()) {
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
        let mut sorted = [a, b, c];
        sorted.sort();
        prop_assert!(sorted[0] <= sorted[1] && sorted[1] <= sorted[2]);
        prop_assert!(sorted[0] <= sorted[2], "transitivity: {:?}", sorted);
        if sorted[0] == sorted[1] && sorted[1] == sorted[2] {
            prop_assert_eq!(&sorted[0], &sorted[2]);
        }
    }

    #[test]
    fn order_is_transitive_on_numbers(a in number(), b in number(), c in number()) {
        let (ab, bc, ac) = (a.cmp(&b), b.cmp(&c), a.cmp(&c));
        if ab != Ordering::Greater && bc != Ordering::Greater {
            prop_assert!(ac != Ordering::Greater, "{} <= {} <= {} but {:?}", a, b, c, ac);
        }
        if ab == Ordering::Equal && bc == Ordering::Equal {
            prop_assert_eq!(ac, Ordering::Equal);
        }
        // Numeric order agrees with f64 order wherever f64 tells them apart.
        let (x, y) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        if x < y {
            prop_assert_eq!(ab, Ordering::Less);
        }
    }

    #[test]
    fn equal_values_hash_alike(a in value(), b in value()) {
        let a2 = rebuild(&a);
        prop_assert_eq!(&a2, &a);
        prop_assert_eq!(a2.cmp(&a), Ordering::Equal);
        prop_assert_eq!(hash_of(&a2), hash_of(&a));
        if a == b {
            prop_assert_eq!(hash_of(&a), hash_of(&b));
        }
    }

    #[test]
    fn json_round_trips(v in json_value()) {
        let compact = v.to_json_string();
        prop_assert_eq!(&Value::from_json_str(&compact).unwrap(), &v, "{}", compact);
        prop_assert_eq!(&Value::from_json_str(&v.to_json_pretty()).unwrap(), &v);
        // serde's number methods stop at i128, so compare as parsed JSON.
        prop_assert_eq!(reparse(&serde_json::to_string(&v).unwrap()), reparse(&compact));
        prop_assert_eq!(&Value::from(v.to_serde_json()), &v);
        let via_serde: Value = serde_json::from_str(&compact).unwrap();
        prop_assert_eq!(via_serde, v);
    }

    #[test]
    fn json_output_is_valid_for_any_value(v in value()) {
        let text = v.to_json_string();
        prop_assert_eq!(reparse(&serde_json::to_string(&v).unwrap()), reparse(&text));
    }

    #[test]
    fn sets_ignore_insertion_order(
        (items, shuffled) in prop::collection::vec(value(), 0..8)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let (a, b) = (Value::set_from(items.clone()), Value::set_from(shuffled));
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(hash_of(&a), hash_of(&b));
        prop_assert_eq!(a.to_string(), b.to_string());
        let elements = a.as_set().unwrap();
        prop_assert!(elements.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(items.iter().all(|i| a.contains_set(i)));
    }

    #[test]
    fn objects_ignore_insertion_order(
        (entries, shuffled) in prop::collection::btree_map(small_string(), value(), 0..6)
            .prop_map(|m| m.into_iter().collect::<Vec<_>>())
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let (a, b) = (Value::object_from(entries.clone()), Value::object_from(shuffled));
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(hash_of(&a), hash_of(&b));
        for (k, v) in &entries {
            prop_assert_eq!(a.get(k), Some(v));
            prop_assert_eq!(a.object_get_str(k.as_str().unwrap()), Some(v));
        }
    }

    #[test]
    fn numbers_print_as_parseable_text(n in number()) {
        let text = n.to_string();
        prop_assert_eq!(Value::parse_number(&text), Some(n));
    }
}
