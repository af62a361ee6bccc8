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
    /// Function results by function and arguments.
    funcs: HashMap<(RuleSetId, Args), Option<Value>>,
    /// Comprehension indexes, by the address of the comprehension's body.
    pub comprs: HashMap<usize, ComprIndex>,
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
        // The lookup key borrows nothing: arguments are cheap clones (shared containers).
        self.funcs.get(&(id, Args(args.to_vec())))
    }

    /// Records the result of a function call.
    pub fn set_func(&mut self, id: RuleSetId, args: &[Value], v: Option<Value>) {
        self.funcs.insert((id, Args(args.to_vec())), v);
    }
}

/// Function arguments as a memo key: scalars compared by value, arrays, objects and sets by
/// identity (the same shared allocation). Hashing a container's contents on every call would
/// cost more than the call saves; an equal container that is a different allocation only
/// misses the memo, and the function is evaluated again.
#[derive(Clone)]
struct Args(Vec<Value>);

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

impl PartialEq for Args {
    fn eq(&self, other: &Args) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| same_arg(a, b))
    }
}

impl Eq for Args {}

impl Hash for Args {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for v in &self.0 {
            match container_addr(v) {
                Some(addr) => state.write_usize(addr),
                None => v.hash(state),
            }
        }
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
