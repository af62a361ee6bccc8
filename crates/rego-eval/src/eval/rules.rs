//! Rule sets to values: complete rules, partial sets and objects, functions; each computed
//! once per query (memoized), conflicts reported as OPA reports them.

use super::{Evaluator, Flow};
use crate::error::EvalError;
use crate::ir::*;
use crate::value::{SetBuilder, Value};
use std::collections::BTreeMap;

type Res<T> = Result<T, EvalError>;

/// A partial object under construction: nested keys to leaf values.
enum Tree {
    Leaf(Value),
    Set(Vec<Value>),
    Map(BTreeMap<Value, Tree>),
}

impl Tree {
    fn into_value(self) -> Value {
        match self {
            Tree::Leaf(v) => v,
            Tree::Set(items) => Value::set_from(items),
            Tree::Map(m) => {
                Value::object_from(m.into_iter().map(|(k, t)| (k, t.into_value())).collect())
            }
        }
    }
}

impl Evaluator<'_> {
    /// Runs `f` in a fresh frame of `slots` slots (a spare one, reused).
    fn in_frame<T>(&mut self, slots: u32, f: impl FnOnce(&mut Self) -> T) -> T {
        let mut fresh = self.spare_frames.pop().unwrap_or_default();
        fresh.resize(slots as usize, None);
        let outer = std::mem::replace(&mut self.frame, fresh);
        let r = f(self);
        let mut used = std::mem::replace(&mut self.frame, outer);
        used.clear();
        self.spare_frames.push(used);
        r
    }

    /// The value of a (non-function) rule set, memoized.
    pub(crate) fn eval_rule_set(&mut self, id: RuleSetId) -> Res<Option<Value>> {
        if let Some(v) = self.memo.rule(id) {
            return Ok(v.clone());
        }
        let compiled = self.env.compiled;
        let rs = &compiled.rule_sets[id as usize];
        let v = match rs.kind {
            RuleKind::Complete => self.complete(rs)?,
            RuleKind::PartialSet => Some(self.partial_set(rs)?),
            RuleKind::PartialObject => Some(self.partial_object(rs, false)?),
            RuleKind::PartialObjectOfSets => Some(self.partial_object(rs, true)?),
            RuleKind::Function => None,
        };
        self.memo.set_rule(id, v.clone());
        Ok(v)
    }

    /// The definitions worth trying, by the rule index when there is one.
    fn candidates<'r>(&self, rs: &'r RuleSet) -> Vec<&'r RuleDef> {
        let Some(index) = &rs.index else {
            return rs.defs.iter().collect();
        };
        let mut ids: Vec<usize> = index.others.clone();
        let tested = self
            .input
            .as_ref()
            .and_then(|i| index.path.iter().try_fold(i, |v, k| v.get(k)));
        if let Some(v) = tested {
            if let Some(found) = index.by_value.get(v) {
                ids.extend(found);
            }
        }
        ids.sort_unstable();
        ids.into_iter().map(|i| &rs.defs[i]).collect()
    }

    /// Values a definition produces (its else chain included), each passed to `out`.
    fn def_values(
        &mut self,
        def: &RuleDef,
        stop_after_first: bool,
        out: &mut dyn FnMut(Value),
    ) -> Res<()> {
        self.in_frame(def.slots, |ev| {
            let mut found = false;
            ev.eval_body(&def.body, 0, &mut |ev| {
                ev.eval_term(&def.value, &mut |_, v| {
                    found = true;
                    out(v);
                    Ok(if stop_after_first {
                        Flow::Halt
                    } else {
                        Flow::Continue
                    })
                })
            })?;
            if !found {
                for (value, body) in &def.elses {
                    ev.eval_body(body, 0, &mut |ev| {
                        ev.eval_term(value, &mut |_, v| {
                            found = true;
                            out(v);
                            Ok(if stop_after_first {
                                Flow::Halt
                            } else {
                                Flow::Continue
                            })
                        })
                    })?;
                    if found {
                        break;
                    }
                }
            }
            Ok(())
        })
    }

    fn complete(&mut self, rs: &RuleSet) -> Res<Option<Value>> {
        // When every definition yields the same constant, the first success decides.
        let same_constant = match rs.defs.first().map(|d| &d.value) {
            Some(Term::Const(c)) => rs
                .defs
                .iter()
                .all(|d| d.elses.is_empty() && matches!(&d.value, Term::Const(x) if x == c)),
            _ => false,
        };
        let mut values: Vec<Value> = Vec::new();
        for def in self.candidates(rs) {
            let mut conflict = false;
            self.def_values(def, same_constant, &mut |v| {
                if !values.contains(&v) {
                    values.push(v);
                    conflict |= values.len() > 1;
                }
            })?;
            if conflict {
                return Err(self.err(
                    "eval_conflict_error",
                    def.span,
                    "complete rules must not produce multiple outputs",
                ));
            }
            if same_constant && !values.is_empty() {
                break;
            }
        }
        if let Some(v) = values.pop() {
            return Ok(Some(v));
        }
        match &rs.default {
            Some(def) => {
                let mut out = None;
                self.def_values(def, true, &mut |v| out = Some(v))?;
                Ok(out)
            }
            None => Ok(None),
        }
    }

    fn partial_set(&mut self, rs: &RuleSet) -> Res<Value> {
        let mut out = SetBuilder::new();
        for def in self.candidates(rs) {
            self.in_frame(def.slots, |ev| {
                ev.eval_body(&def.body, 0, &mut |ev| {
                    ev.eval_term(&def.key[0], &mut |_, v| {
                        out.push(v);
                        Ok(Flow::Continue)
                    })
                })
            })?;
        }
        Ok(out.finish_value())
    }

    fn partial_object(&mut self, rs: &RuleSet, sets: bool) -> Res<Value> {
        let mut root = BTreeMap::new();
        for def in self.candidates(rs) {
            let mut entries: Vec<(Vec<Value>, Value)> = Vec::new();
            self.in_frame(def.slots, |ev| {
                let mut found = false;
                ev.eval_body(&def.body, 0, &mut |ev| {
                    found = true;
                    let mut acc = Vec::new();
                    ev.eval_list(&def.key, &mut acc, &mut |ev, keys| {
                        let keys = keys.to_vec();
                        ev.eval_term(&def.value, &mut |_, v| {
                            entries.push((keys.clone(), v));
                            Ok(Flow::Continue)
                        })
                    })
                })?;
                if !found {
                    for (value, body) in &def.elses {
                        ev.eval_body(body, 0, &mut |ev| {
                            found = true;
                            let mut acc = Vec::new();
                            ev.eval_list(&def.key, &mut acc, &mut |ev, keys| {
                                let keys = keys.to_vec();
                                ev.eval_term(value, &mut |_, v| {
                                    entries.push((keys.clone(), v));
                                    Ok(Flow::Continue)
                                })
                            })?;
                            Ok(Flow::Halt)
                        })?;
                        if found {
                            break;
                        }
                    }
                }
                Ok::<_, EvalError>(())
            })?;
            for (keys, v) in entries {
                if !insert(&mut root, &keys, v, sets) {
                    return Err(self.err(
                        "eval_conflict_error",
                        def.span,
                        "object keys must be unique",
                    ));
                }
            }
        }
        Ok(Tree::Map(root).into_value())
    }

    /// Calls a user function with argument values, memoized per arguments.
    pub(crate) fn call_function(
        &mut self,
        id: RuleSetId,
        args: &[Value],
        span: rego_syntax::Span,
    ) -> Res<Option<Value>> {
        if let Some(v) = self.memo.func(id, args) {
            return Ok(v.clone());
        }
        let compiled = self.env.compiled;
        let rs = &compiled.rule_sets[id as usize];
        let mut values: Vec<Value> = Vec::new();
        for def in &rs.defs {
            self.function_def(def, args, &mut values)?;
            if values.len() > 1 {
                return Err(self.err(
                    "eval_conflict_error",
                    span,
                    "functions must not produce multiple outputs for same inputs",
                ));
            }
        }
        let mut result = values.pop();
        if result.is_none() {
            if let Some(def) = &rs.default {
                let mut vals = Vec::new();
                self.function_def(def, args, &mut vals)?;
                result = vals.pop();
            }
        }
        self.memo.set_func(id, args, result.clone());
        Ok(result)
    }

    fn function_def(&mut self, def: &RuleDef, args: &[Value], values: &mut Vec<Value>) -> Res<()> {
        self.in_frame(def.slots, |ev| {
            let mut found = false;
            ev.match_args(&def.args, args, &mut |ev| {
                let mut local = false;
                ev.eval_body(&def.body, 0, &mut |ev| {
                    ev.eval_term(&def.value, &mut |_, v| {
                        local = true;
                        if !values.contains(&v) {
                            values.push(v);
                        }
                        Ok(Flow::Continue)
                    })
                })?;
                if !local {
                    for (value, body) in &def.elses {
                        ev.eval_body(body, 0, &mut |ev| {
                            ev.eval_term(value, &mut |_, v| {
                                local = true;
                                if !values.contains(&v) {
                                    values.push(v);
                                }
                                Ok(Flow::Halt)
                            })
                        })?;
                        if local {
                            break;
                        }
                    }
                }
                found |= local;
                Ok(Flow::Continue)
            })?;
            let _ = found;
            Ok(())
        })
    }

    fn match_args(
        &mut self,
        pats: &[Term],
        args: &[Value],
        k: &mut dyn FnMut(&mut Self) -> super::R,
    ) -> super::R {
        let (Some((p, pr)), Some((a, ar))) = (pats.split_first(), args.split_first()) else {
            return k(self);
        };
        self.match_pattern(p, a.clone(), &mut |ev| ev.match_args(pr, ar, k))
    }

    /// `rego.metadata.rule()` / `rego.metadata.chain()`: not tracked yet, so empty.
    pub(crate) fn metadata(&mut self, kind: MetadataKind) -> Value {
        match kind {
            MetadataKind::Rule => Value::empty_object(),
            MetadataKind::Chain => Value::empty_array(),
        }
    }
}

/// Inserts `v` at nested `keys` (into a set leaf when `sets`); false on a conflicting value.
fn insert(map: &mut BTreeMap<Value, Tree>, keys: &[Value], v: Value, sets: bool) -> bool {
    let (first, rest) = keys.split_first().expect("at least one key");
    if rest.is_empty() {
        return match (map.get_mut(first), sets) {
            (Some(Tree::Set(items)), true) => {
                items.push(v);
                true
            }
            (Some(Tree::Leaf(existing)), false) => *existing == v,
            (Some(_), _) => false,
            (None, true) => {
                map.insert(first.clone(), Tree::Set(vec![v]));
                true
            }
            (None, false) => {
                map.insert(first.clone(), Tree::Leaf(v));
                true
            }
        };
    }
    match map
        .entry(first.clone())
        .or_insert_with(|| Tree::Map(BTreeMap::new()))
    {
        Tree::Map(inner) => insert(inner, rest, v, sets),
        _ => false,
    }
}
