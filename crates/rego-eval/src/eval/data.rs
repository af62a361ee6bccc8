//! References into `data`: base documents merged with the rules of the data tree.

use super::{Evaluator, Flow, R};
use crate::ir::*;
use crate::value::{ObjectBuilder, Value};

impl Evaluator<'_> {
    /// Calls `k` with each value of `data[keys...]`.
    pub(crate) fn eval_data(
        &mut self,
        keys: &[Term],
        k: &mut dyn FnMut(&mut Self, Value) -> R,
    ) -> R {
        let data = self.data.clone();
        let mut path = Vec::with_capacity(keys.len());
        self.walk_data(Some(0), Some(data), keys, &mut path, k)
    }

    fn overridden(&self, path: &[Value]) -> bool {
        self.data_overrides.iter().any(|o| path.starts_with(o))
    }

    fn walk_data(
        &mut self,
        node: Option<NodeId>,
        base: Option<Value>,
        keys: &[Term],
        path: &mut Vec<Value>,
        k: &mut dyn FnMut(&mut Self, Value) -> R,
    ) -> R {
        let node = node.filter(|_| !self.overridden(path));
        let Some(node) = node else {
            return match base {
                Some(b) => self.walk_base(b, keys, k),
                None => Ok(Flow::Continue),
            };
        };
        let compiled = self.env.compiled;
        if let Some(rs) = compiled.nodes[node as usize].rules {
            if compiled.rule_sets[rs as usize].kind == RuleKind::Function {
                return Ok(Flow::Continue);
            }
            let Some(mut value) = self.eval_rule_set(rs)? else {
                return Ok(Flow::Continue);
            };
            if !compiled.nodes[node as usize].children.is_empty() {
                if let Some(sub) = self.subtree(node, None, path)? {
                    value = self.overlay_rules(rs, value, sub)?;
                }
            }
            return self.walk_value(value, keys, k);
        }
        let Some((key, rest)) = keys.split_first() else {
            return match self.subtree(node, base, path)? {
                Some(v) => k(self, v),
                None => Ok(Flow::Continue),
            };
        };
        match key {
            Term::Var(s) if self.slot(*s).is_none() => {
                let s = *s;
                let mut names: Vec<Value> = compiled.nodes[node as usize]
                    .children
                    .keys()
                    .map(|n| Value::from(&**n))
                    .collect();
                if let Some(obj) = base.as_ref().and_then(Value::as_object) {
                    names.extend(obj.iter().map(|(k, _)| k.clone()));
                }
                names.sort();
                names.dedup();
                for name in names {
                    let child = name
                        .as_str()
                        .and_then(|n| compiled.nodes[node as usize].children.get(n))
                        .copied();
                    let child_base = base.as_ref().and_then(|b| b.get(&name)).cloned();
                    path.push(name.clone());
                    let flow = self.bind(s, name, &mut |ev| {
                        ev.walk_data(child, child_base.clone(), rest, path, k)
                    });
                    path.pop();
                    if flow? == Flow::Halt {
                        return Ok(Flow::Halt);
                    }
                }
                Ok(Flow::Continue)
            }
            t => self.eval_term(t, &mut |ev, kv| {
                // Numbers address data by their text, as object keys in JSON are strings.
                let kv = match &kv {
                    Value::Number(_) => Value::from(kv.to_string()),
                    _ => kv,
                };
                let child = kv
                    .as_str()
                    .and_then(|n| compiled.nodes[node as usize].children.get(n))
                    .copied();
                let child_base = base.as_ref().and_then(|b| b.get(&kv)).cloned();
                if child.is_none() && child_base.is_none() {
                    return Ok(Flow::Continue);
                }
                path.push(kv);
                let r = ev.walk_data(child, child_base, rest, path, k);
                path.pop();
                r
            }),
        }
    }

    /// Follows `keys` into base data: like [`Self::walk_value`], but a number key also finds
    /// an object key of the same text (`data.nested[2]` reads `{"2": ...}`).
    fn walk_base(
        &mut self,
        base: Value,
        keys: &[Term],
        k: &mut dyn FnMut(&mut Self, Value) -> R,
    ) -> R {
        let Some((key, rest)) = keys.split_first() else {
            return k(self, base);
        };
        if base.as_object().is_none() || (matches!(key, Term::Var(s) if self.slot(*s).is_none())) {
            return self.walk_value(base, keys, k);
        }
        self.eval_term(key, &mut |ev, kv| {
            let found = base.get(&kv).or_else(|| match &kv {
                Value::Number(_) => base.get(&Value::from(kv.to_string())),
                _ => None,
            });
            match found {
                Some(v) => {
                    let v = v.clone();
                    ev.walk_base(v, rest, k)
                }
                None => Ok(Flow::Continue),
            }
        })
    }

    /// The whole document at a tree node: base data merged with every rule below.
    fn subtree(
        &mut self,
        node: NodeId,
        base: Option<Value>,
        path: &mut Vec<Value>,
    ) -> Result<Option<Value>, crate::error::EvalError> {
        let compiled = self.env.compiled;
        if self.overridden(path) {
            return Ok(base);
        }
        let mut out = ObjectBuilder::new();
        let mut any = false;
        let children: Vec<(std::sync::Arc<str>, NodeId)> = compiled.nodes[node as usize]
            .children
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        for (name, child) in children {
            let key = Value::from(&*name);
            let child_base = base.as_ref().and_then(|b| b.get(&key)).cloned();
            path.push(key.clone());
            let v = if self.overridden(path) {
                child_base
            } else if let Some(rs) = compiled.nodes[child as usize].rules {
                if compiled.rule_sets[rs as usize].kind == RuleKind::Function {
                    None
                } else {
                    let v = self.eval_rule_set(rs)?;
                    match (v, compiled.nodes[child as usize].children.is_empty()) {
                        (Some(v), true) => Some(v),
                        (Some(v), false) => match self.subtree(child, None, path)? {
                            Some(sub) => Some(self.overlay_rules(rs, v, sub)?),
                            None => Some(v),
                        },
                        (None, _) => None,
                    }
                }
            } else {
                self.subtree(child, child_base, path)?
            };
            path.pop();
            if let Some(v) = v {
                out.insert(key, v);
                any = true;
            }
        }
        match base {
            Some(Value::Object(o)) => {
                let mut merged: Vec<(Value, Value)> = o.to_vec();
                let built = out.finish();
                for (k, v) in built.iter() {
                    match merged.iter_mut().find(|(mk, _)| mk == k) {
                        Some(slot) => slot.1 = merge(v.clone(), slot.1.clone()),
                        None => merged.push((k.clone(), v.clone())),
                    }
                }
                Ok(Some(Value::object_from(merged)))
            }
            Some(other) if !any => Ok(Some(other)),
            _ => Ok(Some(out.finish_value())),
        }
    }
}

impl Evaluator<'_> {
    /// Merges the documents of rules below a rule set's path into its value. Within the
    /// levels the rule set's own keys span, a key both define must agree: anything else is
    /// OPA's `object keys must be unique` conflict.
    fn overlay_rules(
        &self,
        rs: RuleSetId,
        value: Value,
        below: Value,
    ) -> Result<Value, crate::error::EvalError> {
        let set = &self.env.compiled.rule_sets[rs as usize];
        let depth = set.defs.first().map_or(0, |d| d.key.len());
        overlay(value, below, depth).ok_or_else(|| {
            let span = set.defs.first().map(|d| d.span).unwrap_or_default();
            self.err("eval_conflict_error", span, "object keys must be unique")
        })
    }
}

/// `below` merged into `value`, which is structural for `depth` levels; `None` on a conflict.
fn overlay(value: Value, below: Value, depth: usize) -> Option<Value> {
    if depth == 0 {
        return match (&value, &below) {
            (Value::Set(x), Value::Set(y)) => Some(Value::Set(x.union(y))),
            _ if value == below => Some(value),
            _ => None,
        };
    }
    let (Some(v), Some(b)) = (value.as_object(), below.as_object()) else {
        return None;
    };
    let mut entries: Vec<(Value, Value)> = v.to_vec();
    for (k, bv) in b {
        match entries.iter().position(|(ek, _)| ek == k) {
            Some(i) => {
                let merged = overlay(entries[i].1.clone(), bv.clone(), depth - 1)?;
                entries[i].1 = merged;
            }
            None => entries.push((k.clone(), bv.clone())),
        }
    }
    Some(Value::object_from(entries))
}

/// Deep-merges two objects, uniting sets (the right side wins on other conflicts).
fn merge(a: Value, b: Value) -> Value {
    match (&a, &b) {
        (Value::Set(x), Value::Set(y)) => Value::Set(x.union(y)),
        (Value::Object(x), Value::Object(y)) => {
            let mut entries: Vec<(Value, Value)> = x.to_vec();
            for (k, v) in y.iter() {
                match entries.iter_mut().find(|(ek, _)| ek == k) {
                    Some(e) => e.1 = merge(e.1.clone(), v.clone()),
                    None => entries.push((k.clone(), v.clone())),
                }
            }
            Value::object_from(entries)
        }
        _ => b,
    }
}
