//! Filtered scans: `some x in coll` followed by comparisons that test `x`
//! (`x.user == input.user`) runs as one loop over the collection. Each element is bound and the
//! comparisons are read in place; only elements that pass them go on to the rest of the body.
//! The side of a comparison that does not mention `x` is read once, before the loop.
//!
//! A comparison that cannot be read in place for an element (a call, a rule not computed yet)
//! is evaluated the ordinary way for that element, from that literal on, so the results are
//! those of evaluating the literals one by one.

use super::{Evaluator, Flow, R};
use crate::ir::*;
use crate::value::Value;
use rego_syntax::ast::BinOp;

use super::peek::Peek;

/// One side of a filter comparison.
enum Side<'t> {
    /// Does not depend on the scanned element: its value, read before the loop.
    Fixed(Value),
    /// Does not depend on the scanned element and has no value.
    Undefined,
    /// Read for each element.
    Live(&'t Term),
}

/// A comparison literal following the scan.
struct Filter<'t> {
    op: BinOp,
    a: Side<'t>,
    b: Side<'t>,
}

/// How an element fared against the filters.
enum Pass {
    /// It passed them all.
    All,
    /// It failed one.
    Fail,
    /// Filter `j` must be evaluated the ordinary way.
    Evaluate(usize),
}

/// The comparison a literal is, if it can be a filter.
fn filter_of(lit: &Lit) -> Option<(BinOp, &Term, &Term)> {
    if !lit.with.is_empty() {
        return None;
    }
    match &lit.kind {
        LitKind::Expr(Term::Call(c)) if c.args.len() == 2 => match c.func {
            Func::Op(
                op @ (BinOp::Eq | BinOp::Neq | BinOp::Lt | BinOp::Lte | BinOp::Gt | BinOp::Gte),
            ) => Some((op, &c.args[0], &c.args[1])),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a term may depend on slot `x` (anything but a constant, `input` and references
/// built of those is assumed to).
fn mentions(t: &Term, x: Slot) -> bool {
    match t {
        Term::Const(_) | Term::Input => false,
        Term::Var(s) => *s == x,
        Term::Ref(head, keys) => mentions(head, x) || keys.iter().any(|k| mentions(k, x)),
        Term::Data(keys) => keys.iter().any(|k| mentions(k, x)),
        _ => true,
    }
}

/// The outcome of a comparison operator on two values.
fn compare(op: BinOp, a: &Value, b: &Value) -> bool {
    match op {
        BinOp::Eq => a == b,
        BinOp::Neq => a != b,
        BinOp::Lt => a < b,
        BinOp::Lte => a <= b,
        BinOp::Gt => a > b,
        _ => a >= b,
    }
}

impl Evaluator<'_> {
    /// Runs literal `i` of `body`, `some x in coll`, as a filtered scan when comparisons
    /// follow it; `None` (nothing evaluated) when it is not one.
    pub(crate) fn try_scan(
        &mut self,
        body: &Body,
        i: usize,
        k: &mut dyn FnMut(&mut Self) -> R,
    ) -> Option<R> {
        let LitKind::SomeIn(None, Term::Var(x), coll) = &body.lits[i].kind else {
            return None;
        };
        if self.slot(*x).is_some() || !self.mocks.is_empty() {
            return None;
        }
        let n = body.lits[i + 1..]
            .iter()
            .take_while(|l| filter_of(l).is_some())
            .count();
        if n == 0 {
            return None;
        }
        Some(self.scan(body, i, *x, coll, n, k))
    }

    fn scan(
        &mut self,
        body: &Body,
        i: usize,
        x: Slot,
        coll: &Term,
        n: usize,
        k: &mut dyn FnMut(&mut Self) -> R,
    ) -> R {
        let filters: Vec<Filter<'_>> = body.lits[i + 1..=i + n]
            .iter()
            .filter_map(filter_of)
            .map(|(op, a, b)| Filter {
                op,
                a: self.side(a, x),
                b: self.side(b, x),
            })
            .collect();
        let span = body.lits[i].span;
        self.eval_term(coll, &mut |ev, c| {
            ev.bind_each(&c, x, &mut |ev| {
                ev.check_cancel(span)?;
                match ev.run_filters(&filters) {
                    Pass::All => ev.eval_body(body, i + 1 + n, k),
                    Pass::Fail => Ok(Flow::Continue),
                    Pass::Evaluate(j) => ev.eval_body(body, i + 1 + j, k),
                }
            })
        })
    }

    /// `some x in c` for an unbound `x`: binds `x` to each value (array element, object
    /// value, set element) for the duration of `k`.
    pub(crate) fn bind_each(&mut self, c: &Value, x: Slot, k: &mut dyn FnMut(&mut Self) -> R) -> R {
        let items: &mut dyn Iterator<Item = &Value> = match c {
            Value::Array(items) => &mut items.iter(),
            Value::Object(o) => &mut o.values(),
            Value::Set(s) => &mut s.iter(),
            _ => return Ok(Flow::Continue),
        };
        for v in items {
            self.frame[x as usize] = Some(v.clone());
            let flow = k(self);
            self.frame[x as usize] = None;
            if flow? == Flow::Halt {
                return Ok(Flow::Halt);
            }
        }
        Ok(Flow::Continue)
    }

    /// One side of a filter, read now when it does not depend on the scanned element.
    fn side<'t>(&self, t: &'t Term, x: Slot) -> Side<'t> {
        if mentions(t, x) {
            return Side::Live(t);
        }
        match self.peek(t) {
            Peek::Value(v) => Side::Fixed(v.clone()),
            Peek::Undefined => Side::Undefined,
            Peek::Complex => Side::Live(t),
        }
    }

    fn read<'a>(&'a self, side: &'a Side<'_>) -> Peek<'a> {
        match side {
            Side::Fixed(v) => Peek::Value(v),
            Side::Undefined => Peek::Undefined,
            Side::Live(t) => self.peek(t),
        }
    }

    /// Applies the filters, in order, to the element bound now.
    fn run_filters(&self, filters: &[Filter<'_>]) -> Pass {
        for (j, f) in filters.iter().enumerate() {
            match (self.read(&f.a), self.read(&f.b)) {
                (Peek::Value(a), Peek::Value(b)) => {
                    if !compare(f.op, a, b) {
                        return Pass::Fail;
                    }
                }
                (Peek::Undefined, _) | (Peek::Value(_), Peek::Undefined) => return Pass::Fail,
                _ => return Pass::Evaluate(j),
            }
        }
        Pass::All
    }
}
