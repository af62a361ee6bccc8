//! Comprehension plans: which comprehensions can be answered from an index of their results,
//! grouped by the outer values they test, built once per evaluation.
//!
//! `[r.amount | some r in records; r.region == region]`, evaluated once per outer `region`,
//! would scan every record each time. Its body reads the outer `region` only in the key test
//! `r.region == region`, so one pass that binds the key to `r.region` instead of testing it
//! yields the results for every region at once.
//!
//! A comprehension qualifies when each outer variable it reads occurs only in key tests:
//! literals `expr == x`, `x == expr`, `expr = x` (`expr` a reference or a call) or `x in expr`,
//! where `x` is the outer variable and `expr` reads only the comprehension's own variables.
//! Its other literals and its head must not read outer variables at all, and nothing in it may
//! use `with` or `print` (whose effects would differ between one pass and many). A
//! comprehension that reads no outer variable qualifies with no keys: it is computed once per
//! evaluation.

use super::Compiled;
use super::safety::{lit_slots, nested_locals, term_slots};
use crate::ir::*;
use rego_syntax::ast::BinOp;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// Plans every comprehension in the policy's rule definitions.
pub(crate) fn plan_policy(compiled: &mut Compiled) {
    for rs in &mut compiled.rule_sets {
        for def in rs.defs.iter_mut().chain(rs.default.iter_mut()) {
            plan_def(def);
        }
    }
}

fn plan_def(def: &mut RuleDef) {
    def.args.iter_mut().for_each(visit_term);
    def.key.iter_mut().for_each(visit_term);
    visit_term(&mut def.value);
    visit_body(&mut def.body);
    for (value, body) in &mut def.elses {
        visit_term(value);
        visit_body(body);
    }
}

/// Plans every comprehension in a (query) body.
pub(crate) fn plan_body(body: &mut Body) {
    visit_body(body);
}

fn visit_body(b: &mut Body) {
    for lit in &mut b.lits {
        match &mut lit.kind {
            LitKind::Expr(t) | LitKind::ExprCapture(t, _) => visit_term(t),
            LitKind::Unify(a, b) => {
                visit_term(a);
                visit_term(b);
            }
            LitKind::Not(body) => visit_body(body),
            LitKind::SomeIn(k, v, c) => {
                k.iter_mut().for_each(visit_term);
                visit_term(v);
                visit_term(c);
            }
            LitKind::Every(_, _, d, body) => {
                visit_term(d);
                visit_body(body);
            }
            LitKind::True => {}
        }
        for w in &mut lit.with {
            visit_term(&mut w.value);
        }
    }
}

fn visit_term(t: &mut Term) {
    match t {
        Term::Const(_) | Term::Var(_) | Term::Input => {}
        Term::Ref(head, keys) => {
            visit_term(head);
            keys.iter_mut().for_each(visit_term);
        }
        Term::Data(items) | Term::Array(items) | Term::Set(items) => {
            items.iter_mut().for_each(visit_term)
        }
        Term::Object(items) => items.iter_mut().for_each(|(k, v)| {
            visit_term(k);
            visit_term(v);
        }),
        Term::ArrayCompr(head, body) | Term::SetCompr(head, body) => {
            visit_term(head);
            visit_body(body);
            body.index = plan(&[head], body);
        }
        Term::ObjectCompr(key, value, body) => {
            visit_term(key);
            visit_term(value);
            visit_body(body);
            body.index = plan(&[key, value], body);
        }
        Term::Call(c) => c.args.iter_mut().for_each(visit_term),
        Term::Member(k, v, c) => {
            if let Some(k) = k {
                visit_term(k);
            }
            visit_term(v);
            visit_term(c);
        }
        Term::Template(pieces) => {
            for p in pieces {
                if let TemplatePiece::Expr(body, _) = p {
                    visit_body(body);
                }
            }
        }
    }
}

/// The plan of a comprehension with these head terms and body, if it qualifies.
fn plan(heads: &[&Term], body: &Body) -> Option<Box<ComprPlan>> {
    let locals = nested_locals(body);
    let mut keys = Vec::new();
    for (i, lit) in body.lits.iter().enumerate() {
        if !pure_lit(lit) {
            return None;
        }
        if let Some(mut test) = key_test(&lit.kind, &locals) {
            test.lit = i;
            keys.push(test);
            continue;
        }
        let mut slots = HashSet::new();
        lit_slots(lit, &mut slots);
        if !slots.is_subset(&locals) {
            return None;
        }
    }
    for head in heads {
        let mut slots = HashSet::new();
        term_slots(head, &mut slots);
        if !slots.is_subset(&locals) || !pure_term(head) {
            return None;
        }
    }
    Some(Box::new(ComprPlan {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        keys,
    }))
}

/// The id of the next plan.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The key test a literal is, if it is one.
fn key_test(kind: &LitKind, locals: &HashSet<Slot>) -> Option<KeyTest> {
    let reads_locals_only = |t: &Term| {
        let mut slots = HashSet::new();
        term_slots(t, &mut slots);
        slots.is_subset(locals)
    };
    let outer = |t: &Term| match t {
        Term::Var(s) if !locals.contains(s) => Some(*s),
        _ => None,
    };
    let equality = |a: &Term, b: &Term, computed_only: bool| {
        let (o, expr) = match (outer(a), outer(b)) {
            (Some(o), None) => (o, b),
            (None, Some(o)) => (o, a),
            _ => return None,
        };
        // In a unification a variable or collection on the other side could be a pattern that
        // binds; only values that are computed are compared.
        let computed = matches!(expr, Term::Ref(..) | Term::Data(_) | Term::Call(_));
        (reads_locals_only(expr) && (computed || !computed_only)).then(|| KeyTest {
            lit: 0,
            outer: o,
            expr: expr.clone(),
            member: false,
        })
    };
    match kind {
        LitKind::Expr(Term::Call(c)) if matches!(c.func, Func::Op(BinOp::Eq)) => {
            equality(&c.args[0], &c.args[1], false)
        }
        LitKind::Unify(a, b) => equality(a, b, true),
        LitKind::Expr(Term::Member(None, v, c)) => {
            let o = outer(v)?;
            reads_locals_only(c).then(|| KeyTest {
                lit: 0,
                outer: o,
                expr: (**c).clone(),
                member: true,
            })
        }
        _ => None,
    }
}

/// Whether a literal, and everything nested in it, is free of `with` and `print`.
fn pure_lit(lit: &Lit) -> bool {
    if !lit.with.is_empty() {
        return false;
    }
    let mut pure = true;
    lit.for_each_child(&mut |c| pure &= pure_child(c));
    pure
}

fn pure_child(c: Child<'_>) -> bool {
    match c {
        Child::Term(t) => pure_term(t),
        Child::Body(b) => b.lits.iter().all(pure_lit),
    }
}

fn pure_term(t: &Term) -> bool {
    if let Term::Call(c) = t {
        if matches!(c.func, Func::Print) {
            return false;
        }
    }
    let mut pure = true;
    t.for_each_child(&mut |c| pure &= pure_child(c));
    pure
}
