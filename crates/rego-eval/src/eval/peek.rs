//! Borrowed reads: a term that denotes at most one value without binding or iterating anything
//! (a constant, a bound variable, a reference with ground keys into a bound value, `input`,
//! base data or an already computed rule) is read in place. Comparisons, membership tests and
//! lookups then need no reference-count traffic and no temporary values; only a value that is
//! kept is cloned.

use super::Evaluator;
use crate::ir::*;
use crate::value::Value;

/// What reading a term in place found.
#[derive(Clone, Copy)]
pub(crate) enum Peek<'a> {
    /// Its one value.
    Value(&'a Value),
    /// It has no value.
    Undefined,
    /// It cannot be read in place: evaluate it.
    Complex,
}

impl Evaluator<'_> {
    /// Reads a term in place, if it has at most one value and binds nothing.
    pub(crate) fn peek<'a>(&'a self, t: &'a Term) -> Peek<'a> {
        match t {
            Term::Const(v) => Peek::Value(v),
            Term::Var(s) => match self.slot(*s) {
                Some(v) => Peek::Value(v),
                None => Peek::Complex,
            },
            Term::Input => match &self.input {
                Some(v) => Peek::Value(v),
                None => Peek::Undefined,
            },
            Term::Ref(head, keys) => match self.peek(head) {
                Peek::Value(base) => self.peek_keys(base, keys),
                other => other,
            },
            Term::Data(keys) => self.peek_data(keys),
            _ => Peek::Complex,
        }
    }

    /// Follows ground keys into a value, as `walk_value` does.
    fn peek_keys<'a>(&'a self, mut base: &'a Value, keys: &'a [Term]) -> Peek<'a> {
        for key in keys {
            let kv = match key {
                Term::Const(kv) => kv,
                _ => match self.peek(key) {
                    Peek::Value(kv) => kv,
                    other => return other,
                },
            };
            match base.get(kv) {
                Some(v) => base = v,
                None => return Peek::Undefined,
            }
        }
        Peek::Value(base)
    }

    /// Reads `data[keys...]` where it is base data, or inside a rule's memoized value, as
    /// `walk_data` would find it. Anything involving a subtree of rules, a rule not yet
    /// computed, a number key or a `with` on data is left to `eval_data`.
    fn peek_data<'a>(&'a self, keys: &'a [Term]) -> Peek<'a> {
        if !self.data_overrides.is_empty() {
            return Peek::Complex;
        }
        let nodes = &self.env.compiled.nodes;
        let mut node = Some(0);
        let mut base = Some(&self.data);
        for (i, key) in keys.iter().enumerate() {
            let Some(n) = node else {
                break;
            };
            if let Some(rs) = nodes[n as usize].rules {
                return match self.memo.rule(rs) {
                    Some(Some(v)) if nodes[n as usize].children.is_empty() => {
                        self.peek_keys(v, &keys[i..])
                    }
                    Some(None) => Peek::Undefined,
                    _ => Peek::Complex,
                };
            }
            let kv = match self.peek(key) {
                Peek::Value(kv @ Value::String(name)) => {
                    node = nodes[n as usize].children.get(name.as_str()).copied();
                    kv
                }
                Peek::Value(Value::Number(_)) | Peek::Complex => return Peek::Complex,
                Peek::Value(kv) => {
                    node = None;
                    kv
                }
                Peek::Undefined => return Peek::Undefined,
            };
            base = base.and_then(|b| b.get(kv));
            if node.is_none() {
                // Below the tree of rules: plain base data from here on.
                return match base {
                    Some(b) => self.peek_base(b, &keys[i + 1..]),
                    None => Peek::Undefined,
                };
            }
        }
        match node {
            Some(n) => match nodes[n as usize].rules {
                Some(rs) if nodes[n as usize].children.is_empty() => match self.memo.rule(rs) {
                    Some(Some(v)) => Peek::Value(v),
                    Some(None) => Peek::Undefined,
                    None => Peek::Complex,
                },
                // A whole subtree: base data merged with rules.
                _ => Peek::Complex,
            },
            None => base.map_or(Peek::Undefined, Peek::Value),
        }
    }

    /// Follows ground keys into base data, as `walk_base` does (a number key into an object
    /// is left to it).
    fn peek_base<'a>(&'a self, mut base: &'a Value, keys: &'a [Term]) -> Peek<'a> {
        for key in keys {
            let kv = match self.peek(key) {
                Peek::Value(kv) => kv,
                other => return other,
            };
            if matches!(kv, Value::Number(_)) && matches!(base, Value::Object(_)) {
                return Peek::Complex;
            }
            match base.get(kv) {
                Some(v) => base = v,
                None => return Peek::Undefined,
            }
        }
        Peek::Value(base)
    }
}
