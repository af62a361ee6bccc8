//! `json.patch`: RFC 6902 JSON Patch as OPA applies it.
//!
//! Paths are read as by `json.filter` (strings with or without the leading `/`, or arrays of
//! segments). Beyond the RFC, a set can be patched: its elements are its keys, so an `add`
//! to a set needs the key to equal the value. Array indexes are decimal strings without
//! leading zeros (or numbers); `-` is the end of an array. A patch that cannot be applied
//! (a missing location, a failed `test`, a malformed operation) makes the result undefined.

use rego_eval::{BuiltinContext, BuiltinError, Object, Set, Value};

use super::json::parse_path;
use super::undefined;
use crate::args;

/// `json.patch(doc, patches)`: `doc` with the operations applied in order.
pub(super) fn patch(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let ops = args::array(args, 1)?;
    let mut doc = Some(args[0].clone());
    for op in ops {
        doc = apply(doc, op).ok_or_else(undefined)?;
    }
    doc.ok_or_else(undefined)
}

/// One operation of a patch, read from its object.
struct Operation<'a> {
    op: &'a str,
    path: &'a Value,
    from: Option<&'a Value>,
    value: Option<&'a Value>,
}

impl<'a> Operation<'a> {
    fn read(v: &'a Value) -> Option<Operation<'a>> {
        let op = v.object_get_str("op")?.as_str()?;
        if !matches!(op, "add" | "remove" | "replace" | "move" | "copy" | "test") {
            return None;
        }
        let path = v.object_get_str("path")?;
        let from = match op {
            "move" | "copy" => Some(v.object_get_str("from")?),
            _ => None,
        };
        let value = match op {
            "add" | "replace" | "test" => Some(v.object_get_str("value")?),
            _ => None,
        };
        Some(Operation {
            op,
            path,
            from,
            value,
        })
    }
}

/// Applies one operation to the document (`None` once the whole document was removed);
/// `None` if it cannot be applied.
fn apply(doc: Option<Value>, op: &Value) -> Option<Option<Value>> {
    let op = Operation::read(op)?;
    let path = parse_path(op.path).ok()?;
    match op.op {
        "add" => insert_at(doc, &path, op.value?.clone()),
        "remove" => delete_at(doc?, &path),
        "replace" => {
            let doc = delete_at(doc?, &path)?;
            insert_at(doc, &path, op.value?.clone())
        }
        "move" => {
            let from = parse_path(op.from?).ok()?;
            let doc = doc?;
            let chunk = get_at(&doc, &from)?.clone();
            let doc = delete_at(doc, &from)?;
            insert_at(doc, &path, chunk)
        }
        "copy" => {
            let from = parse_path(op.from?).ok()?;
            let doc = doc?;
            let chunk = get_at(&doc, &from)?.clone();
            insert_at(Some(doc), &path, chunk)
        }
        // "test"
        _ => {
            let doc = doc?;
            (get_at(&doc, &path)? == op.value?).then_some(Some(doc))
        }
    }
}

/// An array index from a path segment: an integral number, a decimal string without leading
/// zeros (a sign allowed, as Go's `strconv.ParseInt` reads it), or `-` for the end.
fn to_index(len: usize, key: &Value) -> Option<i64> {
    match key {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.as_str() == "-" => i64::try_from(len).ok(),
        Value::String(s) => {
            let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            if s.as_str() != "0" && s.starts_with('0') {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

/// An existing element's position: `0 <= index < len`.
fn existing_index(len: usize, key: &Value) -> Option<usize> {
    usize::try_from(to_index(len, key)?)
        .ok()
        .filter(|&i| i < len)
}

/// The child of a container under `key`, if it exists.
fn child<'v>(v: &'v Value, key: &Value) -> Option<&'v Value> {
    match v {
        Value::Object(o) => o.get(key),
        Value::Set(s) => s.get(key),
        Value::Array(a) => a.get(existing_index(a.len(), key)?),
        _ => None,
    }
}

/// The value at `path`.
fn get_at<'v>(doc: &'v Value, path: &[Value]) -> Option<&'v Value> {
    path.iter().try_fold(doc, |v, key| child(v, key))
}

/// `doc` with the value at `path` (which must exist) replaced by `f` of it.
fn update(doc: Value, path: &[Value], f: impl FnOnce(Value) -> Option<Value>) -> Option<Value> {
    let Some((key, rest)) = path.split_first() else {
        return f(doc);
    };
    match doc {
        Value::Object(o) => {
            let new = update(o.get(key)?.clone(), rest, f)?;
            let mut o = o;
            o.insert(key.clone(), new);
            Some(Value::Object(o))
        }
        Value::Set(s) => {
            let old = s.get(key)?.clone();
            let new = update(old.clone(), rest, f)?;
            let mut items = s.into_vec();
            items.retain(|x| *x != old);
            items.push(new);
            Some(Value::Set(Set::from_vec(items)))
        }
        Value::Array(a) => {
            let i = existing_index(a.len(), key)?;
            let new = update(a[i].clone(), rest, f)?;
            let mut items = std::sync::Arc::unwrap_or_clone(a);
            items[i] = new;
            Some(Value::array(items))
        }
        _ => None,
    }
}

/// `doc` with `value` added at `path`: set under an object key, inserted into an array
/// (shifting later elements), added to a set (the key must equal the value), or replacing
/// the whole document for the empty path.
fn insert_at(doc: Option<Value>, path: &[Value], value: Value) -> Option<Option<Value>> {
    let Some((last, parent)) = path.split_last() else {
        return Some(Some(value));
    };
    let updated = update(doc?, parent, |container| match container {
        Value::Object(mut o) => {
            o.insert(last.clone(), value);
            Some(Value::Object(o))
        }
        Value::Set(mut s) => {
            if *last != value {
                return None;
            }
            s.insert(value);
            Some(Value::Set(s))
        }
        Value::Array(a) => {
            let i = usize::try_from(to_index(a.len(), last)?)
                .ok()
                .filter(|&i| i <= a.len())?;
            let mut items = std::sync::Arc::unwrap_or_clone(a);
            items.insert(i, value);
            Some(Value::array(items))
        }
        _ => None,
    })?;
    Some(Some(updated))
}

/// `doc` without the value at `path` (which must exist); `Some(None)` for the empty path.
fn delete_at(doc: Value, path: &[Value]) -> Option<Option<Value>> {
    let Some((last, parent)) = path.split_last() else {
        return Some(None);
    };
    let updated = update(doc, parent, |container| match container {
        Value::Object(o) => {
            let mut o: Object = o;
            o.remove(last)?;
            Some(Value::Object(o))
        }
        Value::Set(s) => {
            let mut items = s.into_vec();
            let before = items.len();
            items.retain(|x| x != last);
            (items.len() < before).then(|| Value::Set(Set::from_vec(items)))
        }
        Value::Array(a) => {
            let i = existing_index(a.len(), last)?;
            let mut items = std::sync::Arc::unwrap_or_clone(a);
            items.remove(i);
            Some(Value::array(items))
        }
        _ => None,
    })?;
    Some(Some(updated))
}
