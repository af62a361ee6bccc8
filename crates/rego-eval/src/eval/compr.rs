//! Comprehensions: evaluated by a plain pass over their body, or answered from an index of
//! their results by key, built once per evaluation (per `with` generation) when the body's
//! plan allows it (see `compile/compr_plan.rs`).
//!
//! The index pass runs the body with each key test replaced by "bind the key to the tested
//! value", so the results of every key come out in the order a plain pass would find them.
//! A failing pass (an error that a plain pass for one key might not meet) falls back to plain
//! passes for that comprehension; conflicts of an object comprehension are reported only for
//! the keys that are asked for.

use super::{Evaluator, Flow, R};
use crate::error::EvalError;
use crate::ir::*;
use crate::value::{SetBuilder, Value, identical};
use std::collections::HashMap;

/// What a comprehension builds, and from which head terms.
#[derive(Clone, Copy)]
pub(crate) enum Shape<'t> {
    /// `[head | ...]`
    Array(&'t Term),
    /// `{head | ...}`
    Set(&'t Term),
    /// `{key: value | ...}`
    Object(&'t Term, &'t Term),
}

/// The state of one comprehension's index in the current evaluation.
pub(crate) enum ComprIndex {
    /// Being built: a use meanwhile evaluates plainly.
    Building,
    /// Results by key values, in key test order; a missing key has the empty result.
    Built(HashMap<Vec<Value>, Result<Value, EvalError>>),
    /// The index pass failed: evaluate plainly.
    Failed,
}

/// Results of a comprehension as they are found.
enum Collected {
    Array(Vec<Value>),
    Set(SetBuilder),
    Object(Vec<(Value, Value)>),
}

impl Collected {
    fn new(shape: Shape<'_>) -> Collected {
        match shape {
            Shape::Array(_) => Collected::Array(Vec::new()),
            Shape::Set(_) => Collected::Set(SetBuilder::new()),
            Shape::Object(..) => Collected::Object(Vec::new()),
        }
    }

    /// The comprehension's value; an object whose key has two values is a conflict.
    fn finish(self) -> Result<Value, EvalError> {
        match self {
            Collected::Array(items) => Ok(Value::array(items)),
            Collected::Set(b) => Ok(b.finish_value()),
            Collected::Object(mut pairs) => {
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                if pairs
                    .windows(2)
                    .any(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1)
                {
                    return Err(EvalError::new(
                        "eval_conflict_error",
                        "object keys must be unique",
                        None,
                    ));
                }
                pairs.dedup_by(|a, b| a.0 == b.0);
                Ok(Value::object_from(pairs))
            }
        }
    }
}

/// Results by key during an index pass. Groups are usually few, and their keys shared
/// strings, so they are found by a linear scan (equal shared strings compare by pointer);
/// past [`FEW_GROUPS`] groups, by hashing.
#[derive(Default)]
struct Groups {
    entries: Vec<(Vec<Value>, Collected)>,
    by_key: HashMap<Vec<Value>, usize>,
}

/// How many groups are searched linearly.
const FEW_GROUPS: usize = 16;

impl Groups {
    fn get_or_insert(&mut self, keys: &[Value], shape: Shape<'_>) -> &mut Collected {
        let found = if self.entries.len() <= FEW_GROUPS {
            let same = |k: &Vec<Value>| k.iter().zip(keys).all(|(a, b)| identical(a, b));
            (self.entries.iter().position(|(k, _)| same(k)))
                .or_else(|| self.entries.iter().position(|(k, _)| k.as_slice() == keys))
        } else {
            self.by_key.get(keys).copied()
        };
        let i = match found {
            Some(i) => i,
            None => {
                self.entries.push((keys.to_vec(), Collected::new(shape)));
                let n = self.entries.len();
                if n == FEW_GROUPS + 1 {
                    self.by_key = (self.entries.iter().enumerate())
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect();
                } else if n > FEW_GROUPS + 1 {
                    self.by_key.insert(keys.to_vec(), n - 1);
                }
                n - 1
            }
        };
        &mut self.entries[i].1
    }
}

impl Evaluator<'_> {
    /// The value of a comprehension.
    pub(crate) fn comprehension(
        &mut self,
        shape: Shape<'_>,
        body: &Body,
    ) -> Result<Value, EvalError> {
        let Some(plan) = body.index.as_deref().filter(|_| self.env.compr_index) else {
            return self.plain_comprehension(shape, body);
        };
        let mut keys = Vec::with_capacity(plan.keys.len());
        for test in &plan.keys {
            match self.slot(test.outer) {
                Some(v) => keys.push(v.clone()),
                None => return self.plain_comprehension(shape, body),
            }
        }
        let id = plan.id;
        match self.memo.comprs.get(&id) {
            Some(ComprIndex::Built(groups)) => {
                return match groups.get(&keys) {
                    Some(found) => found.clone(),
                    None => Collected::new(shape).finish(),
                };
            }
            Some(_) => return self.plain_comprehension(shape, body),
            None => {}
        }
        self.memo.comprs.insert(id, ComprIndex::Building);
        let state = match self.index_pass(shape, body, plan) {
            Ok(groups) => ComprIndex::Built(groups),
            Err(e) if e.code == "eval_cancel_error" => return Err(e),
            Err(_) => ComprIndex::Failed,
        };
        self.memo.comprs.insert(id, state);
        // Answer from the index just built (or plainly, if it failed).
        self.comprehension(shape, body)
    }

    /// A plain pass: every solution of the body, in order.
    fn plain_comprehension(&mut self, shape: Shape<'_>, body: &Body) -> Result<Value, EvalError> {
        let mut out = Collected::new(shape);
        self.eval_body(body, 0, &mut |ev| ev.collect_head(shape, &mut out))?;
        out.finish()
    }

    /// Adds the head's value(s) under the current bindings.
    fn collect_head(&mut self, shape: Shape<'_>, out: &mut Collected) -> R {
        match (shape, out) {
            (Shape::Array(head), Collected::Array(items)) => self.eval_term(head, &mut |_, v| {
                items.push(v);
                Ok(Flow::Continue)
            }),
            (Shape::Set(head), Collected::Set(b)) => self.eval_term(head, &mut |_, v| {
                b.push(v);
                Ok(Flow::Continue)
            }),
            (Shape::Object(key, value), Collected::Object(pairs)) => {
                self.eval_term(key, &mut |ev, kv| {
                    ev.eval_term(value, &mut |_, vv| {
                        pairs.push((kv.clone(), vv));
                        Ok(Flow::Continue)
                    })
                })
            }
            _ => unreachable!("collector made for its shape"),
        }
    }

    /// One pass computing the results of every key.
    fn index_pass(
        &mut self,
        shape: Shape<'_>,
        body: &Body,
        plan: &ComprPlan,
    ) -> Result<HashMap<Vec<Value>, Result<Value, EvalError>>, EvalError> {
        let mut groups = Groups::default();
        let mut keys = Vec::with_capacity(plan.keys.len());
        self.eval_keyed(body, plan, 0, &mut keys, &mut |ev, keys| {
            let group = groups.get_or_insert(keys, shape);
            ev.collect_head(shape, group)
        })?;
        Ok(groups
            .entries
            .into_iter()
            .map(|(k, c)| (k, c.finish()))
            .collect())
    }

    /// Runs `k` once per solution of `body` from literal `i` on, with key tests binding the
    /// keys (pushed on `keys`) instead of testing them.
    fn eval_keyed(
        &mut self,
        body: &Body,
        plan: &ComprPlan,
        i: usize,
        keys: &mut Vec<Value>,
        k: &mut dyn FnMut(&mut Self, &[Value]) -> R,
    ) -> R {
        let Some(lit) = body.lits.get(i) else {
            return k(self, keys);
        };
        self.check_cancel(lit.span)?;
        let Some(test) = plan.keys.iter().find(|t| t.lit == i) else {
            return self.eval_lit(lit, &mut |ev| ev.eval_keyed(body, plan, i + 1, keys, k));
        };
        self.eval_term(&test.expr, &mut |ev, v| {
            let members = if test.member {
                distinct_members(&v)
            } else {
                vec![v]
            };
            for m in members {
                keys.push(m);
                let flow = ev.eval_keyed(body, plan, i + 1, keys, k);
                keys.pop();
                if flow? == Flow::Halt {
                    return Ok(Flow::Halt);
                }
            }
            Ok(Flow::Continue)
        })
    }
}

/// The distinct values `x` for which `x in c` holds.
fn distinct_members(c: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = match c {
        Value::Set(s) => return s.to_vec(),
        Value::Array(items) => items.to_vec(),
        Value::Object(o) => o.values().cloned().collect(),
        _ => return Vec::new(),
    };
    out.sort_unstable();
    out.dedup();
    out
}
