//! Terms to values: references (iterating unbound keys), collections, comprehensions, calls.

use super::compr::Shape;
use super::peek::Peek;
use super::{Evaluator, Flow, Mock, R};
use crate::ir::*;
use crate::value::{ObjectBuilder, Value};

/// Evaluated key/value pairs of an object term.
type Pairs = [(Value, Value)];

impl Evaluator<'_> {
    /// Calls `k` with each value of `t` (usually one; references with unbound keys iterate).
    pub(crate) fn eval_term(&mut self, t: &Term, k: &mut dyn FnMut(&mut Self, Value) -> R) -> R {
        match t {
            Term::Const(v) => k(self, v.clone()),
            Term::Var(s) => match self.slot(*s) {
                Some(v) => {
                    let v = v.clone();
                    k(self, v)
                }
                None => Ok(Flow::Continue),
            },
            Term::Input => match self.input.clone() {
                Some(v) => k(self, v),
                None => Ok(Flow::Continue),
            },
            Term::Ref(head, keys) => match self.peek(t) {
                Peek::Value(v) => {
                    let v = v.clone();
                    k(self, v)
                }
                Peek::Undefined => Ok(Flow::Continue),
                Peek::Complex => self.eval_term(head, &mut |ev, base| ev.walk_value(base, keys, k)),
            },
            Term::Data(keys) => match self.peek(t) {
                Peek::Value(v) => {
                    let v = v.clone();
                    k(self, v)
                }
                Peek::Undefined => Ok(Flow::Continue),
                Peek::Complex => self.eval_data(keys, k),
            },
            Term::Array(items) => {
                let mut acc = Vec::with_capacity(items.len());
                self.eval_list(items, &mut acc, &mut |ev, vals| {
                    k(ev, Value::array(vals.to_vec()))
                })
            }
            Term::Set(items) => {
                let mut acc = Vec::with_capacity(items.len());
                self.eval_list(items, &mut acc, &mut |ev, vals| {
                    k(ev, Value::set_from(vals.to_vec()))
                })
            }
            Term::Object(items) => {
                let mut acc = Vec::with_capacity(items.len());
                self.eval_pairs(items, &mut acc, &mut |ev, pairs| {
                    let mut b = ObjectBuilder::with_capacity(pairs.len());
                    for (key, value) in pairs {
                        b.insert(key.clone(), value.clone());
                    }
                    k(ev, b.finish_value())
                })
            }
            Term::ArrayCompr(head, body) => {
                let v = self.comprehension(Shape::Array(head), body)?;
                k(self, v)
            }
            Term::SetCompr(head, body) => {
                let v = self.comprehension(Shape::Set(head), body)?;
                k(self, v)
            }
            Term::ObjectCompr(key, value, body) => {
                let v = self.comprehension(Shape::Object(key, value), body)?;
                k(self, v)
            }
            Term::Call(call)
                if matches!(call.func, Func::Op(_))
                    && call.args.len() == 2
                    && self.mocks.is_empty() =>
            {
                let Func::Op(op) = call.func else {
                    unreachable!()
                };
                let result = match (self.peek(&call.args[0]), self.peek(&call.args[1])) {
                    (Peek::Value(a), Peek::Value(b)) => super::ops::binary(op, a, b),
                    (Peek::Undefined, _) | (Peek::Value(_), Peek::Undefined) => {
                        return Ok(Flow::Continue);
                    }
                    _ => {
                        return self.eval_term(&call.args[0], &mut |ev, a| {
                            ev.eval_term(&call.args[1], &mut |ev, b| {
                                ev.call(call, &[a.clone(), b], k)
                            })
                        });
                    }
                };
                match result {
                    Ok(v) => k(self, v),
                    Err(e) => self.builtin_failure(call, e),
                }
            }
            Term::Call(call) => match call.args.as_slice() {
                [] => self.call(call, &[], k),
                [a] => self.eval_term(a, &mut |ev, va| ev.call(call, std::slice::from_ref(&va), k)),
                [a, b] => self.eval_term(a, &mut |ev, va| {
                    ev.eval_term(b, &mut |ev, vb| ev.call(call, &[va.clone(), vb], k))
                }),
                args => {
                    let mut acc = Vec::with_capacity(args.len());
                    self.eval_list(args, &mut acc, &mut |ev, vals| ev.call(call, vals, k))
                }
            },
            Term::Member(None, value, coll) if !self.complex_member(value, coll) => {
                match (self.peek(value), self.peek(coll)) {
                    (Peek::Value(v), Peek::Value(c)) => {
                        let found = member(v, c);
                        k(self, Value::Bool(found))
                    }
                    _ => Ok(Flow::Continue),
                }
            }
            Term::Member(key, value, coll) => self.eval_term(value, &mut |ev, v| {
                ev.eval_term(coll, &mut |ev, c| match key {
                    Some(key) => ev.eval_term(key, &mut |ev, kk| {
                        k(ev, Value::Bool(member_kv(&kk, &v, &c)))
                    }),
                    None => k(ev, Value::Bool(member(&v, &c))),
                })
            }),
            Term::Template(pieces) => {
                let mut text = String::new();
                for piece in pieces {
                    match piece {
                        TemplatePiece::Text(t) => text.push_str(t),
                        TemplatePiece::Expr(body, slot) => {
                            let mut got: Option<Value> = None;
                            let slot = *slot;
                            self.eval_body(body, 0, &mut |ev| {
                                got = ev.slot(slot).cloned();
                                Ok(Flow::Halt)
                            })?;
                            match got {
                                Some(Value::String(s)) => text.push_str(&s),
                                Some(v) => text.push_str(&v.to_string()),
                                None => text.push_str("<undefined>"),
                            }
                        }
                    }
                }
                k(self, Value::from(text))
            }
        }
    }

    /// Evaluates terms left to right (each may iterate), calling `k` with all values.
    pub(crate) fn eval_list(
        &mut self,
        items: &[Term],
        acc: &mut Vec<Value>,
        k: &mut dyn FnMut(&mut Self, &[Value]) -> R,
    ) -> R {
        let Some((first, rest)) = items.split_first() else {
            return k(self, acc);
        };
        self.eval_term(first, &mut |ev, v| {
            acc.push(v);
            let r = ev.eval_list(rest, acc, k);
            acc.pop();
            r
        })
    }

    /// Evaluates key/value term pairs left to right, calling `k` with all value pairs.
    fn eval_pairs(
        &mut self,
        items: &[(Term, Term)],
        acc: &mut Vec<(Value, Value)>,
        k: &mut dyn FnMut(&mut Self, &Pairs) -> R,
    ) -> R {
        let Some(((kt, vt), rest)) = items.split_first() else {
            return k(self, acc);
        };
        self.eval_term(kt, &mut |ev, kv| {
            ev.eval_term(vt, &mut |ev, vv| {
                acc.push((kv.clone(), vv));
                let r = ev.eval_pairs(rest, acc, k);
                acc.pop();
                r
            })
        })
    }

    /// Follows `keys` into `base`; unbound variable keys iterate.
    pub(crate) fn walk_value(
        &mut self,
        base: Value,
        keys: &[Term],
        k: &mut dyn FnMut(&mut Self, Value) -> R,
    ) -> R {
        let Some((key, rest)) = keys.split_first() else {
            return k(self, base);
        };
        match key {
            Term::Const(kv) => match base.get(kv) {
                Some(v) => {
                    let v = v.clone();
                    self.walk_value(v, rest, k)
                }
                None => Ok(Flow::Continue),
            },
            Term::Var(s) if self.slot(*s).is_none() => {
                let s = *s;
                self.for_each_member(&base, &mut |ev, kv, vv| {
                    ev.bind(s, kv, &mut |ev| ev.walk_value(vv.clone(), rest, k))
                })
            }
            t if self.has_unbound(t) => self.for_each_member(&base, &mut |ev, kv, vv| {
                ev.match_pattern(t, kv, &mut |ev| ev.walk_value(vv.clone(), rest, k))
            }),
            t => self.eval_term(t, &mut |ev, kv| match base.get(&kv) {
                Some(v) => {
                    let v = v.clone();
                    ev.walk_value(v, rest, k)
                }
                None => Ok(Flow::Continue),
            }),
        }
    }

    /// Dispatches a call with evaluated arguments.
    fn call(&mut self, call: &Call, args: &[Value], k: &mut dyn FnMut(&mut Self, Value) -> R) -> R {
        if !self.mocks.is_empty() {
            if let Some(mock) = self.mocks.get(&call.name).cloned() {
                return match mock {
                    Mock::Value(v) => k(self, v),
                    Mock::Func(f) => {
                        // A replacement runs without any mocks: one mock never calls another.
                        let mocked = Call {
                            func: f,
                            name: call.name.clone(),
                            args: Vec::new(),
                            span: call.span,
                        };
                        let saved = std::mem::take(&mut self.mocks);
                        let saved_memo = std::mem::take(&mut self.memo);
                        let mut results = Vec::new();
                        let r = self.call_func(&mocked, args, &mut |_, v| {
                            results.push(v);
                            Ok(Flow::Continue)
                        });
                        self.memo = saved_memo;
                        self.mocks = saved;
                        r?;
                        for v in results {
                            if k(self, v)? == Flow::Halt {
                                return Ok(Flow::Halt);
                            }
                        }
                        Ok(Flow::Continue)
                    }
                };
            }
        }
        self.call_func(call, args, k)
    }

    fn call_func(
        &mut self,
        call: &Call,
        args: &[Value],
        k: &mut dyn FnMut(&mut Self, Value) -> R,
    ) -> R {
        match &call.func {
            Func::Op(op) => match super::ops::binary(*op, &args[0], &args[1]) {
                Ok(v) => k(self, v),
                Err(e) => self.builtin_failure(call, e),
            },
            Func::Neg => match args[0].neg() {
                Ok(v) => k(self, v),
                Err(e) => {
                    self.builtin_failure(call, crate::builtin::BuiltinError::Type(e.to_string()))
                }
            },
            Func::Builtin(b) => {
                let result = {
                    let ctx = self.builtin_ctx();
                    b.call(&ctx, args)
                };
                match result {
                    Ok(v) => k(self, v),
                    Err(e) => self.builtin_failure(call, e),
                }
            }
            Func::Rule(id) => match self.call_function(*id, args, call.span)? {
                Some(v) => k(self, v),
                None => Ok(Flow::Continue),
            },
            Func::Print => {
                if let Some(print) = self.env.print {
                    let parts: Vec<String> = args
                        .iter()
                        .map(|a| match a {
                            Value::String(s) => s.to_string(),
                            other => other.to_string(),
                        })
                        .collect();
                    print(&parts.join(" "));
                }
                k(self, Value::Bool(true))
            }
            Func::Trace => k(self, Value::Bool(true)),
            Func::Walk => {
                let mut pairs = Vec::new();
                walk_paths(&args[0], &mut Vec::new(), &mut pairs);
                for (path, v) in pairs {
                    if k(self, Value::array(vec![Value::array(path), v]))? == Flow::Halt {
                        return Ok(Flow::Halt);
                    }
                }
                Ok(Flow::Continue)
            }
            Func::Metadata(kind) => {
                let v = self.metadata(*kind);
                k(self, v)
            }
            Func::Unknown => Ok(Flow::Continue),
        }
    }

    /// A builtin error: the query fails in strict mode, the call is undefined otherwise.
    fn builtin_failure(&mut self, call: &Call, e: crate::builtin::BuiltinError) -> R {
        use crate::builtin::BuiltinError;
        if matches!(e, BuiltinError::Undefined) || !self.env.strict {
            return Ok(Flow::Continue);
        }
        Err(self.err(
            e.code(),
            call.span,
            format!("{}: {}", call.name, e.message()),
        ))
    }

    /// Whether `value in coll` must be evaluated rather than read in place.
    fn complex_member(&self, value: &Term, coll: &Term) -> bool {
        match self.peek(value) {
            Peek::Complex => true,
            Peek::Undefined => false,
            Peek::Value(_) => matches!(self.peek(coll), Peek::Complex),
        }
    }

    /// Whether a term has unbound variables in pattern positions.
    pub(crate) fn has_unbound(&self, t: &Term) -> bool {
        match t {
            Term::Var(s) => self.slot(*s).is_none(),
            Term::Array(items) => items.iter().any(|i| self.has_unbound(i)),
            Term::Object(items) => items.iter().any(|(_, v)| self.has_unbound(v)),
            _ => false,
        }
    }
}

/// `v in c`: an element of an array or set, or a value of an object.
fn member(v: &Value, c: &Value) -> bool {
    match c {
        Value::Array(items) => items.iter().any(|x| x == v),
        Value::Set(s) => s.contains(v),
        Value::Object(o) => o.values().any(|x| x == v),
        _ => false,
    }
}

/// `k, v in c`: index and element of an array, key and value of an object.
fn member_kv(k: &Value, v: &Value, c: &Value) -> bool {
    match c {
        Value::Array(_) | Value::Object(_) => c.get(k).is_some_and(|x| x == v),
        Value::Set(s) => k == v && s.contains(v),
        _ => false,
    }
}

/// Every `(path, value)` pair of `walk`, the root first.
fn walk_paths(v: &Value, path: &mut Vec<Value>, out: &mut Vec<(Vec<Value>, Value)>) {
    out.push((path.clone(), v.clone()));
    match v {
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(Value::from(i as i64));
                walk_paths(x, path, out);
                path.pop();
            }
        }
        Value::Object(o) => {
            for (key, x) in o.iter() {
                path.push(key.clone());
                walk_paths(x, path, out);
                path.pop();
            }
        }
        Value::Set(s) => {
            for x in s.iter() {
                path.push(x.clone());
                walk_paths(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}
