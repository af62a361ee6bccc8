//! Per-evaluation memo tables: rule values by rule set id, function results by arguments,
//! comprehension indexes. `with` starts a fresh set of tables.

use super::compr::ComprIndex;
use crate::ir::RuleSetId;
use crate::value::Value;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Per-query memo tables; replaced wholesale under `with`.
#[derive(Default)]
pub(crate) struct Memo {
    /// Rule values by rule set id: `None` not yet computed, `Some(None)` undefined.
    rules: Vec<Option<Option<Value>>>,
    /// Function results by function and hash of the arguments (see [`args_hash`]).
    funcs: HashMap<(RuleSetId, u64), Vec<Call>>,
    /// Comprehension indexes, by plan id.
    pub comprs: HashMap<u64, ComprIndex>,
}

impl Memo {
    /// The memoized value of a rule set: `None` when not computed yet.
    pub fn rule(&self, id: RuleSetId) -> Option<&Option<Value>> {
        self.rules.get(id as usize).and_then(Option::as_ref)
    }

    /// Records the value of a rule set.
    pub fn set_rule(&mut self, id: RuleSetId, v: Option<Value>) {
        let i = id as usize;
        if self.rules.len() <= i {
            self.rules.resize(i + 1, None);
        }
        self.rules[i] = Some(v);
    }

    /// The memoized result of a function call, if any.
    pub fn func(&self, id: RuleSetId, args: &[Value]) -> Option<&Option<Value>> {
        let calls = self.funcs.get(&(id, args_hash(args)))?;
        calls
            .iter()
            .find(|(a, _)| same_args(a, args))
            .map(|(_, v)| v)
    }

    /// Records the result of a function call.
    pub fn set_func(&mut self, id: RuleSetId, args: &[Value], v: Option<Value>) {
        let calls = self.funcs.entry((id, args_hash(args))).or_default();
        match calls.iter_mut().find(|(a, _)| same_args(a, args)) {
            Some(call) => call.1 = v,
            None => calls.push((args.to_vec(), v)),
        }
    }
}

/// A memoized call: arguments and result.
type Call = (Vec<Value>, Option<Value>);

/// Function arguments as a memo key: scalars compared by value, arrays, objects and sets by
/// identity (the same shared allocation). Hashing a container's contents on every call would
/// cost more than the call saves; an equal container that is a different allocation only
/// misses the memo, and the function is evaluated again.
fn args_hash(args: &[Value]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write_usize(args.len());
    for v in args {
        match container_addr(v) {
            Some(addr) => h.write_usize(addr),
            None => v.hash(&mut h),
        }
    }
    h.finish()
}

fn same_args(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_arg(x, y))
}

/// The address of a container's allocation, `None` for scalars.
fn container_addr(v: &Value) -> Option<usize> {
    match v {
        Value::Array(a) => Some(Arc::as_ptr(a) as usize),
        Value::Object(o) => Some(o.as_slice().as_ptr() as usize),
        Value::Set(s) => Some(s.as_slice().as_ptr() as usize),
        _ => None,
    }
}

fn same_arg(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => Arc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => crate::value::Object::ptr_eq(x, y),
        (Value::Set(x), Value::Set(y)) => crate::value::Set::ptr_eq(x, y),
        (Value::Array(_) | Value::Object(_) | Value::Set(_), _)
        | (_, Value::Array(_) | Value::Object(_) | Value::Set(_)) => false,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_by_identity_scalars_by_value() {
        let mut memo = Memo::default();
        let obj = Value::from_json_str(r#"{"a": [1, 2]}"#).unwrap();
        memo.set_func(3, &[obj.clone(), Value::from(1)], Some(Value::from("x")));
        assert_eq!(
            memo.func(3, &[obj.clone(), Value::from_f64(1.0)]),
            Some(&Some(Value::from("x")))
        );
        // An equal object that is another allocation misses.
        let copy = Value::from_json_str(r#"{"a": [1, 2]}"#).unwrap();
        assert_eq!(memo.func(3, &[copy, Value::from(1)]), None);
        assert_eq!(memo.func(4, &[obj, Value::from(1)]), None);
    }

    #[test]
    fn rules_by_id() {
        let mut memo = Memo::default();
        assert_eq!(memo.rule(5), None);
        memo.set_rule(5, None);
        assert_eq!(memo.rule(5), Some(&None));
        memo.set_rule(2, Some(Value::from(true)));
        assert_eq!(memo.rule(2), Some(&Some(Value::from(true))));
        assert_eq!(memo.rule(3), None);
    }
}
