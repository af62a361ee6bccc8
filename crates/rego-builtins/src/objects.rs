//! Builtins of the `objects` family: `object.get`, `object.keys`, `object.remove`,
//! `object.filter`, `object.union`, `object.union_n` and `object.subset`; the JSON document
//! builtins `json.filter` and `json.remove` ([`json`]) and `json.patch` ([`patch`]).

mod json;
mod patch;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Object, ObjectBuilder, Set, Value};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "object.get",
        arity: 3,
        func: get,
    },
    BuiltinDef {
        name: "object.keys",
        arity: 1,
        func: keys,
    },
    BuiltinDef {
        name: "object.remove",
        arity: 2,
        func: remove,
    },
    BuiltinDef {
        name: "object.filter",
        arity: 2,
        func: filter,
    },
    BuiltinDef {
        name: "object.union",
        arity: 2,
        func: union,
    },
    BuiltinDef {
        name: "object.union_n",
        arity: 1,
        func: union_n,
    },
    BuiltinDef {
        name: "object.subset",
        arity: 2,
        func: subset,
    },
    BuiltinDef {
        name: "json.filter",
        arity: 2,
        func: json::filter,
    },
    BuiltinDef {
        name: "json.remove",
        arity: 2,
        func: json::remove,
    },
    BuiltinDef {
        name: "json.patch",
        arity: 2,
        func: patch::patch,
    },
];

/// The result OPA gives as "undefined" (no value, no error), e.g. a `json.patch` that fails.
///
/// The builtin API has no undefined outcome yet, so this is an error, which the evaluator turns
/// into undefined unless builtin errors are strict.
fn undefined() -> BuiltinError {
    BuiltinError::Undefined
}

/// Argument `i` as an object, keeping the shared [`Object`].
fn object_arg(args: &[Value], i: usize) -> Result<&Object, BuiltinError> {
    match &args[i] {
        Value::Object(o) => Ok(o),
        v => Err(BuiltinError::operand(i + 1, "object", v)),
    }
}

/// The keys named by the second operand of `object.remove` / `object.filter`: the elements of
/// an array or set, or the keys of an object.
fn keys_param(v: &Value) -> Result<Set, BuiltinError> {
    match v {
        Value::Array(a) => Ok(Set::from_vec(a.to_vec())),
        Value::Set(s) => Ok(s.clone()),
        Value::Object(o) => Ok(Set::from_vec(o.keys().cloned().collect())),
        _ => Err(BuiltinError::operand(2, "one of {object, set, array}", v)),
    }
}

/// `object.get(obj, key, default)`: `obj[key]`, or `default` if absent. An array `key` is a
/// path of keys (and array indexes) into nested values; the empty path selects `obj`.
fn get(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let obj = object_arg(args, 0)?;
    let found = match &args[1] {
        Value::Array(path) => {
            let mut cur = Some(&args[0]);
            for key in path.iter() {
                cur = cur.and_then(|v| v.get(key));
            }
            cur
        }
        key => obj.get(key),
    };
    Ok(found.unwrap_or(&args[2]).clone())
}

/// `object.keys(obj)`: the set of `obj`'s keys.
fn keys(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let obj = object_arg(args, 0)?;
    Ok(Value::Set(Set::from_vec(obj.keys().cloned().collect())))
}

/// `object.remove(obj, keys)`: `obj` without the given keys.
fn remove(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let obj = object_arg(args, 0)?;
    let drop = keys_param(&args[1])?;
    let kept = obj
        .iter()
        .filter(|(k, _)| !drop.contains(k))
        .cloned()
        .collect();
    Ok(Value::Object(Object::from_vec(kept)))
}

/// `object.filter(obj, keys)`: `obj` with only the given keys.
fn filter(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let obj = object_arg(args, 0)?;
    let keep = keys_param(&args[1])?;
    let kept = obj
        .iter()
        .filter(|(k, _)| keep.contains(k))
        .cloned()
        .collect();
    Ok(Value::Object(Object::from_vec(kept)))
}

/// `a` merged with `b`: `b`'s values win, except that two objects under one key are merged
/// recursively.
fn merge(a: &Object, b: &Object) -> Object {
    let mut out = ObjectBuilder::with_capacity(a.len() + b.len());
    for (k, v) in a.iter() {
        match (v, b.get(k)) {
            (_, None) => out.insert(k.clone(), v.clone()),
            (Value::Object(x), Some(Value::Object(y))) => {
                out.insert(k.clone(), Value::Object(merge(x, y)));
            }
            (_, Some(w)) => out.insert(k.clone(), w.clone()),
        }
    }
    for (k, v) in b.iter() {
        if !a.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    out.finish()
}

/// `object.union(a, b)`: `a` and `b` merged, `b` winning conflicts (recursively for objects).
fn union(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = object_arg(args, 0)?;
    let b = object_arg(args, 1)?;
    if args[0] == args[1] {
        return Ok(args[0].clone());
    }
    Ok(Value::Object(merge(a, b)))
}

/// `object.union_n(objects)`: the objects of an array merged left to right as by
/// `object.union`.
fn union_n(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let items = crate::args::array(args, 0)?;
    // OPA checks the elements from the last one backwards.
    if let Some(bad) = items.iter().rev().find(|v| v.as_object().is_none()) {
        return Err(BuiltinError::Type(format!(
            "operand 1 must be array of objects but got array containing {}",
            bad.type_name()
        )));
    }
    let mut acc = Object::new();
    for item in items {
        if let Value::Object(o) = item {
            acc = merge(&acc, o);
        }
    }
    Ok(Value::Object(acc))
}

/// `object.subset(super, sub)`: whether `sub` is contained in `super`: recursively for objects
/// (every key of `sub` in `super` with a matching value), element-wise for sets, as a
/// contiguous run for arrays, and as elements for an array `super` and a set `sub`.
fn subset(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let result = match (&args[0], &args[1]) {
        (Value::Object(a), Value::Object(b)) => object_subset(a, b),
        (Value::Set(a), Value::Set(b)) => set_subset(a, b),
        (Value::Array(a), Value::Array(b)) => array_subset(a, b),
        (Value::Array(a), Value::Set(b)) => array_set_subset(a, b),
        _ => {
            return Err(BuiltinError::Type(
                "both arguments object.subset must be of the same type or array and set".into(),
            ));
        }
    };
    Ok(Value::Bool(result))
}

fn object_subset(sup: &Object, sub: &Object) -> bool {
    sub.iter().all(|(k, sub_v)| {
        let Some(sup_v) = sup.get(k) else {
            return false;
        };
        if sub_v == sup_v {
            return true;
        }
        match (sup_v, sub_v) {
            (Value::Object(a), Value::Object(b)) => object_subset(a, b),
            (Value::Set(a), Value::Set(b)) => set_subset(a, b),
            (Value::Array(a), Value::Array(b)) => array_subset(a, b),
            _ => false,
        }
    })
}

fn set_subset(sup: &Set, sub: &Set) -> bool {
    sub.iter().all(|v| sup.contains(v))
}

/// Whether `sub` occurs as a contiguous run in `sup`.
fn array_subset(sup: &[Value], sub: &[Value]) -> bool {
    sub.is_empty() || sup.windows(sub.len()).any(|w| w == sub)
}

/// OPA's array/set subset: counts the elements of `sup` found in `sub` (repeats included)
/// until the count reaches the size of `sub`.
fn array_set_subset(sup: &[Value], sub: &Set) -> bool {
    let mut unmatched = sub.len();
    for v in sup {
        if sub.contains(v) {
            unmatched = unmatched.saturating_sub(1);
        }
        if unmatched == 0 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests;
