//! Unification (`=`, `:=`) and pattern matching of values against terms with unbound variables.

use super::{Evaluator, Flow, R};
use crate::ir::*;
use crate::value::Value;

impl Evaluator<'_> {
    /// Solves `a = b`: binds unbound variables on either side, otherwise compares.
    pub(crate) fn unify(&mut self, a: &Term, b: &Term, k: &mut dyn FnMut(&mut Self) -> R) -> R {
        if let (Term::Array(xs), Term::Array(ys)) = (a, b) {
            if xs.len() != ys.len() {
                return Ok(Flow::Continue);
            }
            return self.unify_pairs(xs, ys, k);
        }
        if let (Term::Object(xs), Term::Object(ys)) = (a, b) {
            if xs.len() == ys.len() && (self.has_unbound(a) && self.has_unbound(b)) {
                // Both sides are patterns: match key by key (keys must be ground).
                let mut pairs_a = Vec::new();
                let mut pairs_b = Vec::new();
                for ((ka, va), (kb, vb)) in xs.iter().zip(ys) {
                    let (Term::Const(ka), Term::Const(kb)) = (ka, kb) else {
                        break;
                    };
                    pairs_a.push((ka.clone(), va.clone()));
                    pairs_b.push((kb.clone(), vb.clone()));
                }
                if pairs_a.len() == xs.len() {
                    pairs_a.sort_by(|x, y| x.0.cmp(&y.0));
                    pairs_b.sort_by(|x, y| x.0.cmp(&y.0));
                    if pairs_a.iter().zip(&pairs_b).any(|(x, y)| x.0 != y.0) {
                        return Ok(Flow::Continue);
                    }
                    let va: Vec<Term> = pairs_a.into_iter().map(|p| p.1).collect();
                    let vb: Vec<Term> = pairs_b.into_iter().map(|p| p.1).collect();
                    return self.unify_pairs(&va, &vb, k);
                }
            }
        }
        if self.has_unbound(a) {
            if self.has_unbound(b) && !matches!(a, Term::Var(_)) && matches!(b, Term::Var(_)) {
                return self.eval_term(a, &mut |ev, v| ev.match_pattern(b, v, k));
            }
            return self.eval_term(b, &mut |ev, v| ev.match_pattern(a, v, k));
        }
        if self.has_unbound(b) {
            return self.eval_term(a, &mut |ev, v| ev.match_pattern(b, v, k));
        }
        self.eval_term(a, &mut |ev, va| {
            ev.eval_term(b, &mut |ev, vb| {
                if va == vb { k(ev) } else { Ok(Flow::Continue) }
            })
        })
    }

    fn unify_pairs(&mut self, xs: &[Term], ys: &[Term], k: &mut dyn FnMut(&mut Self) -> R) -> R {
        let (Some((x, xr)), Some((y, yr))) = (xs.split_first(), ys.split_first()) else {
            return k(self);
        };
        // Solve a pair that can run now first; patterns bound later may depend on it.
        if self.has_unbound(x) && self.has_unbound(y) && !xr.is_empty() {
            let mut xs2: Vec<Term> = xr.to_vec();
            let mut ys2: Vec<Term> = yr.to_vec();
            xs2.push(x.clone());
            ys2.push(y.clone());
            if xs2
                .iter()
                .zip(&ys2)
                .any(|(a, b)| !(self.has_unbound(a) && self.has_unbound(b)))
            {
                return self.unify_pairs(&xs2, &ys2, k);
            }
        }
        self.unify(x, y, &mut |ev| ev.unify_pairs(xr, yr, k))
    }

    /// Matches a value against a pattern term, binding its unbound variables.
    pub(crate) fn match_pattern(
        &mut self,
        pattern: &Term,
        v: Value,
        k: &mut dyn FnMut(&mut Self) -> R,
    ) -> R {
        match pattern {
            Term::Var(s) => match self.slot(*s) {
                None => self.bind(*s, v, k),
                Some(bound) if *bound == v => k(self),
                Some(_) => Ok(Flow::Continue),
            },
            Term::Array(items) if self.has_unbound(pattern) => {
                let Some(values) = v.as_array() else {
                    return Ok(Flow::Continue);
                };
                if values.len() != items.len() {
                    return Ok(Flow::Continue);
                }
                let values = values.to_vec();
                self.match_all(items, &values, k)
            }
            Term::Object(items) if self.has_unbound(pattern) => {
                let Some(obj) = v.as_object() else {
                    return Ok(Flow::Continue);
                };
                if obj.len() != items.len() {
                    return Ok(Flow::Continue);
                }
                let obj = v.clone();
                let key_terms: Vec<Term> = items.iter().map(|(k, _)| k.clone()).collect();
                let mut acc = Vec::new();
                self.eval_list(&key_terms, &mut acc, &mut |ev, ks| {
                    let mut values = Vec::with_capacity(ks.len());
                    for key in ks {
                        match obj.get(key) {
                            Some(x) => values.push(x.clone()),
                            None => return Ok(Flow::Continue),
                        }
                    }
                    let pats: Vec<Term> = items.iter().map(|(_, p)| p.clone()).collect();
                    ev.match_all(&pats, &values, k)
                })
            }
            other => self.eval_term(other, &mut |ev, x| {
                if x == v { k(ev) } else { Ok(Flow::Continue) }
            }),
        }
    }

    fn match_all(
        &mut self,
        pats: &[Term],
        values: &[Value],
        k: &mut dyn FnMut(&mut Self) -> R,
    ) -> R {
        let (Some((p, pr)), Some((v, vr))) = (pats.split_first(), values.split_first()) else {
            return k(self);
        };
        self.match_pattern(p, v.clone(), &mut |ev| ev.match_all(pr, vr, k))
    }
}
