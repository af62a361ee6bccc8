//! Rule indexing: definitions grouped by the constant they require of one `input` path, so
//! a rule set with many `allow if input.action == "..."` definitions tries only the candidates.

use crate::compile::Compiled;
use crate::ir::*;
use crate::value::Value;
use std::collections::HashMap;

/// The `input` path and constant a definition's body tests with `==` or `=`, if any.
fn constant_test(def: &RuleDef) -> Option<(Vec<Value>, Value)> {
    if !def.elses.is_empty() {
        return None;
    }
    for lit in &def.body.lits {
        if !lit.with.is_empty() {
            continue;
        }
        let (a, b) = match &lit.kind {
            LitKind::Unify(a, b) => (a, b),
            LitKind::Expr(Term::Call(c))
                if matches!(c.func, Func::Op(rego_syntax::ast::BinOp::Eq)) =>
            {
                (&c.args[0], &c.args[1])
            }
            _ => continue,
        };
        let pair = match (input_path(a), b, input_path(b), a) {
            (Some(p), Term::Const(v), _, _) | (_, _, Some(p), Term::Const(v)) => {
                Some((p, v.clone()))
            }
            _ => None,
        };
        if pair.is_some() {
            return pair;
        }
    }
    None
}

fn input_path(t: &Term) -> Option<Vec<Value>> {
    match t {
        Term::Ref(head, keys) if matches!(**head, Term::Input) => keys
            .iter()
            .map(|k| match k {
                Term::Const(v) => Some(v.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Builds an index for every rule set with enough definitions testing one input path.
pub(crate) fn build_indexes(compiled: &mut Compiled) {
    for rs in &mut compiled.rule_sets {
        if rs.defs.len() < 4 || rs.kind == RuleKind::Function {
            continue;
        }
        let tests: Vec<Option<(Vec<Value>, Value)>> = rs.defs.iter().map(constant_test).collect();
        // The most common tested path wins.
        let mut counts: HashMap<&Vec<Value>, usize> = HashMap::new();
        for (p, _) in tests.iter().flatten() {
            *counts.entry(p).or_default() += 1;
        }
        let Some((path, n)) = counts.into_iter().max_by_key(|(_, n)| *n) else {
            continue;
        };
        if n < 2 {
            continue;
        }
        let path = path.clone();
        let mut by_value: HashMap<Value, Vec<usize>> = HashMap::new();
        let mut others = Vec::new();
        for (i, t) in tests.iter().enumerate() {
            match t {
                Some((p, v)) if *p == path => by_value.entry(v.clone()).or_default().push(i),
                _ => others.push(i),
            }
        }
        rs.index = Some(RuleIndex {
            path,
            by_value,
            others,
        });
    }
}
