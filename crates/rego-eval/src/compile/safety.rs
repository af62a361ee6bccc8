//! Safety: every variable is bound before it is read. Literals are reordered so that each runs
//! once the variables it reads are bound (OPA's reordering); what can never be bound is an
//! `rego_unsafe_var_error`.

use crate::error::CompileError;
use crate::ir::*;
use rego_syntax::ast::BinOp;
use rego_syntax::{SourceMap, Span};
use std::collections::HashSet;

type Bound = HashSet<Slot>;

/// Every slot occurring in a term, nested bodies included.
pub(crate) fn term_slots(t: &Term, out: &mut Bound) {
    match t {
        Term::Var(s) => {
            out.insert(*s);
        }
        _ => t.for_each_child(&mut |c| child_slots(c, out)),
    }
}

fn child_slots(c: Child<'_>, out: &mut Bound) {
    match c {
        Child::Term(t) => term_slots(t, out),
        Child::Body(b) => body_slots(b, out),
    }
}

fn body_slots(b: &Body, out: &mut Bound) {
    for lit in &b.lits {
        lit_slots(lit, out);
    }
}

pub(crate) fn lit_slots(lit: &Lit, out: &mut Bound) {
    if let LitKind::Every(k, v, _, _) = &lit.kind {
        out.extend(k.iter().copied());
        out.insert(*v);
    }
    lit.for_each_child(&mut |c| child_slots(c, out));
}

/// Slots a nested body reads from outside: all its slots but its own locals.
fn free_slots(b: &Body, out: &mut Bound) {
    let mut all = Bound::new();
    body_slots(b, &mut all);
    let locals: Bound = nested_locals(b);
    out.extend(all.difference(&locals));
}

/// Locals of a body and of every body nested in it.
pub(crate) fn nested_locals(b: &Body) -> Bound {
    fn child_locals(c: Child<'_>, out: &mut Bound) {
        match c {
            Child::Term(t) => t.for_each_child(&mut |c| child_locals(c, out)),
            Child::Body(b) => out.extend(nested_locals(b)),
        }
    }
    let mut out: Bound = b.locals.iter().copied().collect();
    for lit in &b.lits {
        lit.for_each_child(&mut |c| child_locals(c, &mut out));
    }
    out
}

/// Slots a term needs bound to be evaluated, and slots its evaluation binds (ref keys).
fn term_needs(t: &Term, bound: &Bound, needs: &mut Bound, gives: &mut Bound) {
    match t {
        Term::Const(_) | Term::Input => {}
        Term::Var(s) => {
            if !bound.contains(s) && !gives.contains(s) {
                needs.insert(*s);
            }
        }
        Term::Ref(head, keys) => {
            term_needs(head, bound, needs, gives);
            ref_keys(keys, bound, needs, gives);
        }
        Term::Data(keys) => ref_keys(keys, bound, needs, gives),
        Term::Array(items) | Term::Set(items) => items
            .iter()
            .for_each(|i| term_needs(i, bound, needs, gives)),
        Term::Object(items) => items.iter().for_each(|(k, v)| {
            term_needs(k, bound, needs, gives);
            term_needs(v, bound, needs, gives);
        }),
        Term::ArrayCompr(..) | Term::SetCompr(..) | Term::ObjectCompr(..) | Term::Template(_) => {
            let mut free = Bound::new();
            match t {
                Term::ArrayCompr(h, b) | Term::SetCompr(h, b) => {
                    term_slots(h, &mut free);
                    free_slots(b, &mut free);
                    let locals = nested_locals(b);
                    free.retain(|s| !locals.contains(s));
                }
                Term::ObjectCompr(k, v, b) => {
                    term_slots(k, &mut free);
                    term_slots(v, &mut free);
                    free_slots(b, &mut free);
                    let locals = nested_locals(b);
                    free.retain(|s| !locals.contains(s));
                }
                Term::Template(pieces) => {
                    for p in pieces {
                        if let TemplatePiece::Expr(b, _) = p {
                            free_slots(b, &mut free);
                        }
                    }
                }
                _ => unreachable!(),
            }
            for s in free {
                if !bound.contains(&s) && !gives.contains(&s) {
                    needs.insert(s);
                }
            }
        }
        Term::Call(c) => c
            .args
            .iter()
            .for_each(|a| term_needs(a, bound, needs, gives)),
        Term::Member(k, v, c) => {
            if let Some(k) = k {
                term_needs(k, bound, needs, gives);
            }
            term_needs(v, bound, needs, gives);
            term_needs(c, bound, needs, gives);
        }
    }
}

fn ref_keys(keys: &[Term], bound: &Bound, needs: &mut Bound, gives: &mut Bound) {
    for k in keys {
        match k {
            Term::Var(s) if !bound.contains(s) => {
                gives.insert(*s);
            }
            // A composite key with unbound variables matches keys by pattern.
            Term::Array(_) | Term::Object(_) => pattern_needs(k, bound, needs, gives),
            other => term_needs(other, bound, needs, gives),
        }
    }
}

/// A pattern binds its unbound variables; refs and calls inside it must be evaluable.
fn pattern_needs(t: &Term, bound: &Bound, needs: &mut Bound, gives: &mut Bound) {
    match t {
        Term::Var(s) => {
            if !bound.contains(s) {
                gives.insert(*s);
            }
        }
        Term::Array(items) => items
            .iter()
            .for_each(|i| pattern_needs(i, bound, needs, gives)),
        Term::Object(items) => items.iter().for_each(|(k, v)| {
            term_needs(k, bound, needs, gives);
            pattern_needs(v, bound, needs, gives);
        }),
        other => term_needs(other, bound, needs, gives),
    }
}

fn evaluable(t: &Term, bound: &Bound) -> Option<Bound> {
    let (mut needs, mut gives) = (Bound::new(), Bound::new());
    term_needs(t, bound, &mut needs, &mut gives);
    needs.is_empty().then_some(gives)
}

fn as_pattern(t: &Term, bound: &Bound) -> Option<Bound> {
    let (mut needs, mut gives) = (Bound::new(), Bound::new());
    pattern_needs(t, bound, &mut needs, &mut gives);
    needs.is_empty().then_some(gives)
}

/// Whether `a = b` can run with `bound`, and what it binds.
fn unify_gives(a: &Term, b: &Term, bound: &Bound) -> Option<Bound> {
    if let (Term::Array(xs), Term::Array(ys)) = (a, b) {
        if xs.len() == ys.len() {
            let mut now = bound.clone();
            let mut all = Bound::new();
            let mut pending: Vec<(&Term, &Term)> = xs.iter().zip(ys).collect();
            while !pending.is_empty() {
                let before = pending.len();
                let mut rest = Vec::new();
                for (x, y) in pending {
                    match unify_gives(x, y, &now) {
                        Some(g) => {
                            now.extend(g.iter().copied());
                            all.extend(g);
                        }
                        None => rest.push((x, y)),
                    }
                }
                if rest.len() == before {
                    return None;
                }
                pending = rest;
            }
            return Some(all);
        }
    }
    if let (Term::Object(xs), Term::Object(ys)) = (a, b) {
        let key = |t: &Term| match t {
            Term::Const(v) => Some(v.clone()),
            _ => None,
        };
        let mut xk: Vec<(crate::value::Value, &Term)> =
            xs.iter().filter_map(|(k, v)| Some((key(k)?, v))).collect();
        let mut yk: Vec<(crate::value::Value, &Term)> =
            ys.iter().filter_map(|(k, v)| Some((key(k)?, v))).collect();
        if xk.len() == xs.len() && yk.len() == ys.len() && xs.len() == ys.len() {
            xk.sort_by(|p, q| p.0.cmp(&q.0));
            yk.sort_by(|p, q| p.0.cmp(&q.0));
            if xk.iter().zip(&yk).all(|(p, q)| p.0 == q.0) {
                let xa = Term::Array(xk.into_iter().map(|p| p.1.clone()).collect());
                let ya = Term::Array(yk.into_iter().map(|p| p.1.clone()).collect());
                return unify_gives(&xa, &ya, bound);
            }
        }
    }
    if let Some(mut g) = evaluable(a, bound) {
        let mut now = bound.clone();
        now.extend(g.iter().copied());
        if let Some(g2) = as_pattern(b, &now) {
            g.extend(g2);
            return Some(g);
        }
    }
    if let Some(mut g) = evaluable(b, bound) {
        let mut now = bound.clone();
        now.extend(g.iter().copied());
        if let Some(g2) = as_pattern(a, &now) {
            g.extend(g2);
            return Some(g);
        }
    }
    None
}

/// The literal with the operands of `==` or `!=` swapped (they are symmetric, and operands
/// are evaluated left to right, so the swap can let one operand bind the other's variables).
fn swap_operands(lit: &Lit) -> Option<Lit> {
    let (LitKind::Expr(Term::Call(call)) | LitKind::ExprCapture(Term::Call(call), _)) = &lit.kind
    else {
        return None;
    };
    if !matches!(call.func, Func::Op(BinOp::Eq | BinOp::Neq)) || call.args.len() != 2 {
        return None;
    }
    let mut swapped = lit.clone();
    if let LitKind::Expr(Term::Call(call)) | LitKind::ExprCapture(Term::Call(call), _) =
        &mut swapped.kind
    {
        call.args.swap(0, 1);
    }
    Some(swapped)
}

/// Whether a literal can run with `bound`; what it binds.
fn lit_gives(lit: &Lit, bound: &Bound) -> Option<Bound> {
    for w in &lit.with {
        evaluable(&w.value, bound)?;
    }
    match &lit.kind {
        LitKind::Expr(t) | LitKind::ExprCapture(t, _) => evaluable(t, bound),
        LitKind::Unify(a, b) => unify_gives(a, b, bound),
        LitKind::Not(body) => {
            let mut free = Bound::new();
            free_slots(body, &mut free);
            free.iter().all(|s| bound.contains(s)).then(Bound::new)
        }
        LitKind::SomeIn(k, v, c) => {
            let mut g = evaluable(c, bound)?;
            let mut now = bound.clone();
            now.extend(g.iter().copied());
            if let Some(k) = k {
                g.extend(as_pattern(k, &now)?);
            }
            g.extend(as_pattern(v, &now)?);
            Some(g)
        }
        LitKind::Every(k, v, d, body) => {
            evaluable(d, bound)?;
            let mut free = Bound::new();
            free_slots(body, &mut free);
            free.remove(v);
            if let Some(k) = k {
                free.remove(k);
            }
            free.iter().all(|s| bound.contains(s)).then(Bound::new)
        }
        LitKind::True => Some(Bound::new()),
    }
}

/// A literal that no ordering makes safe.
pub(crate) struct UnsafeLit {
    lit: Lit,
    /// What was bound where it stands.
    context: Bound,
    /// Its variables that nothing binds.
    missing: Bound,
    /// Those of them it would bind itself if the rest were bound.
    derived: Bound,
}

/// The unsafe variables to report: the causes, not their consequences. `y := f(x)` with `x`
/// unbound makes `y` unsafe too, and every later use of `y`; reporting `x` alone says what
/// to fix. Variables are assumed bound one at a time, preferring those no literal could
/// bind, then the rarest, then the first seen, until every literal could be ordered.
/// Returns the causes and every variable that assuming them would bind.
fn unsafe_causes(unsafe_lits: &[UnsafeLit]) -> (Bound, Bound) {
    let mut causes = Bound::new();
    let mut assumed = Bound::new();
    let mut done = vec![false; unsafe_lits.len()];
    loop {
        // Order what can be ordered under the assumptions so far.
        let mut progressed = true;
        while progressed {
            progressed = false;
            for (u, done) in unsafe_lits.iter().zip(done.iter_mut()) {
                if *done {
                    continue;
                }
                let mut bound = u.context.clone();
                bound.extend(assumed.iter().copied());
                if let Some(gives) = lit_gives(&u.lit, &bound) {
                    assumed.extend(gives);
                    *done = true;
                    progressed = true;
                }
            }
        }
        let pending = unsafe_lits
            .iter()
            .zip(&done)
            .filter(|(_, done)| !**done)
            .map(|(u, _)| u);
        // Candidates with their rank: derivable, occurrences, first literal.
        let mut best: Option<((bool, usize, usize), Slot)> = None;
        for (i, u) in pending.enumerate() {
            for v in u.missing.iter().filter(|v| !assumed.contains(v)) {
                let derivable = unsafe_lits.iter().any(|o| o.derived.contains(v));
                let count = unsafe_lits.iter().filter(|o| o.missing.contains(v)).count();
                let rank = ((derivable, count, i), *v);
                if best.as_ref().is_none_or(|b| rank < *b) {
                    best = Some(rank);
                }
            }
        }
        match best {
            Some((_, v)) => {
                causes.insert(v);
                assumed.insert(v);
            }
            None => return (causes, assumed),
        }
    }
}

/// Orders a body's literals; then the bodies nested in each literal. Returns the final bound
/// set, or the literals that could never run.
fn order_body(body: &mut Body, bound: &Bound, unsafe_lits: &mut Vec<UnsafeLit>) -> Bound {
    let mut now = bound.clone();
    let mut remaining: Vec<Lit> = std::mem::take(&mut body.lits);
    let mut ordered = Vec::with_capacity(remaining.len());
    // Swapping the operands of a comparison is the last resort, tried only once nothing else
    // can run: it must not move a comparison ahead of the literals that would bind it.
    let mut swap = false;
    loop {
        let mut progressed = false;
        let mut rest = Vec::new();
        for lit in remaining {
            // `x == input.xs[x]` runs as `input.xs[x] == x`: the reference binds `x` first.
            let (lit, gives) = match lit_gives(&lit, &now) {
                Some(g) => (lit, Some(g)),
                None => match swap.then(|| swap_operands(&lit)).flatten() {
                    Some(swapped) => match lit_gives(&swapped, &now) {
                        Some(g) => (swapped, Some(g)),
                        None => (lit, None),
                    },
                    None => (lit, None),
                },
            };
            match gives {
                Some(g) => {
                    let mut lit = lit;
                    order_nested(&mut lit, &now, unsafe_lits);
                    now.extend(g);
                    ordered.push(lit);
                    progressed = true;
                }
                None => rest.push(lit),
            }
        }
        remaining = rest;
        if remaining.is_empty() || (!progressed && swap) {
            break;
        }
        // Without progress, one more round with swapping allowed; with progress, without.
        swap = !progressed;
    }
    for lit in remaining {
        let mut all = Bound::new();
        lit_slots(&lit, &mut all);
        let single = Body {
            lits: vec![lit],
            locals: Vec::new(),
            index: None,
        };
        let locals = nested_locals(&single);
        let lit = single.lits.into_iter().next().expect("one literal");
        let missing: Bound = all
            .into_iter()
            .filter(|s| !now.contains(s) && !locals.contains(s))
            .collect();
        // The missing variables this literal would bind itself, were the others bound.
        let derived: Bound = missing
            .iter()
            .copied()
            .filter(|v| {
                let mut assumed = now.clone();
                assumed.extend(missing.iter().copied().filter(|m| m != v));
                lit_gives(&lit, &assumed).is_some_and(|g| g.contains(v))
            })
            .collect();
        unsafe_lits.push(UnsafeLit {
            lit: lit.clone(),
            context: now.clone(),
            missing,
            derived,
        });
        ordered.push(lit);
    }
    body.lits = ordered;
    now
}

fn order_nested(lit: &mut Lit, bound: &Bound, unsafe_lits: &mut Vec<UnsafeLit>) {
    fn term(t: &mut Term, bound: &Bound, u: &mut Vec<UnsafeLit>) {
        match t {
            Term::ArrayCompr(h, b) | Term::SetCompr(h, b) => {
                let now = order_body(b, bound, u);
                term(h, &now, u);
            }
            Term::ObjectCompr(k, v, b) => {
                let now = order_body(b, bound, u);
                term(k, &now, u);
                term(v, &now, u);
            }
            Term::Ref(h, keys) => {
                term(h, bound, u);
                keys.iter_mut().for_each(|k| term(k, bound, u));
            }
            Term::Data(keys) | Term::Array(keys) | Term::Set(keys) => {
                keys.iter_mut().for_each(|k| term(k, bound, u))
            }
            Term::Object(items) => items.iter_mut().for_each(|(k, v)| {
                term(k, bound, u);
                term(v, bound, u);
            }),
            Term::Call(c) => c.args.iter_mut().for_each(|a| term(a, bound, u)),
            Term::Member(k, v, c) => {
                if let Some(k) = k {
                    term(k, bound, u);
                }
                term(v, bound, u);
                term(c, bound, u);
            }
            Term::Template(pieces) => {
                for p in pieces {
                    if let TemplatePiece::Expr(b, _) = p {
                        order_body(b, bound, u);
                    }
                }
            }
            Term::Const(_) | Term::Var(_) | Term::Input => {}
        }
    }
    match &mut lit.kind {
        LitKind::Expr(t) | LitKind::ExprCapture(t, _) => term(t, bound, unsafe_lits),
        LitKind::Unify(a, b) => {
            term(a, bound, unsafe_lits);
            term(b, bound, unsafe_lits);
        }
        LitKind::Not(body) => {
            order_body(body, bound, unsafe_lits);
        }
        LitKind::SomeIn(k, v, c) => {
            term(c, bound, unsafe_lits);
            if let Some(k) = k {
                term(k, bound, unsafe_lits);
            }
            term(v, bound, unsafe_lits);
        }
        LitKind::Every(k, v, d, body) => {
            term(d, bound, unsafe_lits);
            let mut inner = bound.clone();
            inner.insert(*v);
            if let Some(k) = k {
                inner.insert(*k);
            }
            order_body(body, &inner, unsafe_lits);
        }
        LitKind::True => {}
    }
    for w in &mut lit.with {
        term(&mut w.value, bound, unsafe_lits);
    }
}

/// Orders a rule (or query) body and checks that the head's variables end up bound.
#[allow(clippy::too_many_arguments)]
pub(crate) fn order_rule(
    sources: &SourceMap,
    names: &[String],
    wildcards: &HashSet<Slot>,
    body: &mut Body,
    bound: &Bound,
    head: &[&Term],
    head_span: Span,
    errors: &mut Vec<CompileError>,
) {
    let mut unsafe_lits = Vec::new();
    let now = order_body(body, bound, &mut unsafe_lits);
    let name_of = |s: &Slot| {
        let n = names.get(*s as usize).map_or("?", String::as_str);
        if wildcards.contains(s) {
            "_".to_string()
        } else {
            n.to_string()
        }
    };
    let (causes, consequences) = unsafe_causes(&unsafe_lits);
    let mut report = |span: Span, vars: &mut dyn Iterator<Item = &Slot>| {
        let mut vars: Vec<String> = vars.map(name_of).collect();
        vars.sort();
        vars.dedup();
        for v in vars {
            errors.push(super::error(
                sources,
                "rego_unsafe_var_error",
                span,
                format!("var {v} is unsafe"),
            ));
        }
    };
    let mut reported = Bound::new();
    for u in &unsafe_lits {
        let fresh: Vec<Slot> = u
            .missing
            .iter()
            .copied()
            .filter(|v| causes.contains(v) && reported.insert(*v))
            .collect();
        report(u.lit.span, &mut fresh.iter());
    }
    for t in head {
        let (mut needs, mut gives) = (Bound::new(), Bound::new());
        term_needs(t, &now, &mut needs, &mut gives);
        report(
            head_span,
            &mut needs.iter().filter(|v| !consequences.contains(v)),
        );
    }
    let _ = wildcards;
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    /// The `var NAME is unsafe` errors of a module, as `line: name`.
    fn unsafe_vars(source: &str) -> Vec<String> {
        let mut engine = Engine::new();
        engine.add_module("p.rego", source).unwrap();
        let errors = engine.compile().err().expect("a compile error").0;
        errors
            .iter()
            .map(|e| {
                assert_eq!(e.code, "rego_unsafe_var_error");
                let name = e
                    .message
                    .trim_start_matches("var ")
                    .trim_end_matches(" is unsafe");
                format!("{}: {name}", e.location.row)
            })
            .collect()
    }

    #[test]
    fn only_the_cause_of_a_chain_is_reported() {
        let source = "package p\n\
                      r if {\n\
                      \ty := x\n\
                      \ty > 1\n\
                      \tz := y + 1\n\
                      \tz == 3\n\
                      }\n";
        assert_eq!(unsafe_vars(source), ["3: x"]);
    }

    #[test]
    fn a_head_variable_bound_by_an_unsafe_literal_is_not_reported() {
        let source = "package p\ndeny contains msg if {\n\tmsg := [\"pod\", name]\n}\n";
        assert_eq!(unsafe_vars(source), ["3: name"]);
    }

    #[test]
    fn independent_causes_are_all_reported() {
        let source = "package p\nr if {\n\ta := b\n\tc > 1\n}\nq contains z if true\n";
        assert_eq!(unsafe_vars(source), ["3: b", "4: c", "6: z"]);
    }

    #[test]
    fn a_comparison_runs_after_the_reference_that_binds_its_variable() {
        let mut engine = Engine::new();
        engine
            .add_module(
                "p.rego",
                "package p\nfixed contains i if {\n\tsome i\n\ti == input.xs[i]\n}\n",
            )
            .unwrap();
        let policy = engine.compile().expect("safe after swapping the operands");
        let input = crate::Value::from_json_str(r#"{"xs": [2, 1, 0, 3]}"#).unwrap();
        let value = policy.eval_rule("data.p.fixed", Some(&input)).unwrap();
        assert_eq!(
            value,
            Some(crate::Value::set_from(vec![1.into(), 3.into()]))
        );
    }
}
