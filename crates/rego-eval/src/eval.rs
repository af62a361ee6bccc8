//! The evaluator: bodies and literals by backtracking over slot frames.
//!
//! Every generator (a reference with an unbound key, `some x in xs`, unification) binds slots,
//! calls its continuation, then unbinds: backtracking is an undo, never a copy of bindings.
//! Rules are evaluated whole, once per query (memoized), when first referenced.

mod compr;
mod data;
mod memo;
mod ops;
mod peek;
mod rules;
mod scan;
mod terms;
mod unify;

use crate::builtin::BuiltinContext;
use crate::compile::Compiled;
use crate::error::EvalError;
use crate::ir::*;
use crate::value::Value;
use memo::Memo;
use peek::Peek;
use rego_syntax::{SourceMap, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether to keep looking for solutions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Keep going.
    Continue,
    /// Stop: enough was found.
    Halt,
}

/// The result of a step.
pub(crate) type R = Result<Flow, EvalError>;

/// A replacement installed by `with` for a function.
#[derive(Clone)]
pub(crate) enum Mock {
    /// Every call returns this value.
    Value(Value),
    /// Calls go to this function instead.
    Func(Func),
}

/// Read-only inputs of an evaluation.
pub(crate) struct Env<'p> {
    pub compiled: &'p Compiled,
    pub sources: &'p SourceMap,
    pub strict: bool,
    pub print: Option<&'p (dyn Fn(&str) + Send + Sync)>,
    pub cancel: Option<&'p AtomicBool>,
    pub deadline: Option<std::time::Instant>,
    pub now_ns: i64,
    pub network: bool,
    /// Answer comprehensions from their per-evaluation index when their plan allows.
    pub compr_index: bool,
}

/// One evaluation in progress.
pub(crate) struct Evaluator<'p> {
    pub env: Env<'p>,
    pub frame: Vec<Option<Value>>,
    /// Frames of finished rule evaluations, cleared, for the next ones.
    pub spare_frames: Vec<Vec<Option<Value>>>,
    pub input: Option<Value>,
    pub data: Value,
    /// `data` paths replaced by `with`: rules at or below them are not evaluated.
    pub data_overrides: Vec<Vec<Value>>,
    pub mocks: HashMap<Arc<str>, Mock>,
    pub memo: Memo,
    pub builtin_memo: RefCell<HashMap<(String, Vec<Value>), Value>>,
    /// The capture slot of a query made of one expression: its value is reported even when
    /// it is `false`, as OPA reports it.
    pub keep_false: Option<Slot>,
    steps: u32,
}

impl<'p> Evaluator<'p> {
    /// A fresh evaluation over `data` and `input`.
    pub fn new(env: Env<'p>, data: Value, input: Option<Value>, slots: u32) -> Evaluator<'p> {
        Evaluator {
            env,
            frame: vec![None; slots as usize],
            spare_frames: Vec::new(),
            input,
            data,
            data_overrides: Vec::new(),
            mocks: HashMap::new(),
            memo: Memo::default(),
            builtin_memo: RefCell::new(HashMap::new()),
            keep_false: None,
            steps: 0,
        }
    }

    pub(crate) fn location(&self, span: Span) -> Option<rego_syntax::Location> {
        self.env
            .sources
            .get(span.file)
            .map(|_| self.env.sources.location(span))
    }

    pub(crate) fn err(
        &self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> EvalError {
        EvalError::new(code, message, self.location(span))
    }

    pub(crate) fn builtin_ctx(&self) -> BuiltinContext<'_> {
        BuiltinContext::new(self.env.now_ns, &self.builtin_memo, self.env.network)
    }

    fn check_cancel(&mut self, span: Span) -> Result<(), EvalError> {
        self.steps = self.steps.wrapping_add(1);
        if self.steps % 1024 != 0 {
            return Ok(());
        }
        if self.env.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(self.err(
                "eval_cancel_error",
                span,
                "caller cancelled query execution",
            ));
        }
        if self
            .env
            .deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
        {
            return Err(self.err("eval_cancel_error", span, "query timed out"));
        }
        Ok(())
    }

    /// Reads a slot.
    pub(crate) fn slot(&self, s: Slot) -> Option<&Value> {
        self.frame[s as usize].as_ref()
    }

    /// Binds a slot for the duration of `k`.
    pub(crate) fn bind(&mut self, s: Slot, v: Value, k: &mut dyn FnMut(&mut Self) -> R) -> R {
        let old = self.frame[s as usize].replace(v);
        let r = k(self);
        self.frame[s as usize] = old;
        r
    }

    /// Runs `k` once per solution of `body` from literal `i` on.
    pub(crate) fn eval_body(
        &mut self,
        body: &Body,
        i: usize,
        k: &mut dyn FnMut(&mut Self) -> R,
    ) -> R {
        let Some(lit) = body.lits.get(i) else {
            return k(self);
        };
        self.check_cancel(lit.span)?;
        if lit.with.is_empty() {
            if let Some(r) = self.try_scan(body, i, k) {
                return r;
            }
            self.eval_lit(lit, &mut |ev| ev.eval_body(body, i + 1, k))
        } else {
            self.eval_with(lit, &mut |ev| ev.eval_body(body, i + 1, k))
        }
    }

    /// Whether `body` has at least one solution.
    pub(crate) fn has_solution(&mut self, body: &Body) -> Result<bool, EvalError> {
        let mut found = false;
        self.eval_body(body, 0, &mut |_| {
            found = true;
            Ok(Flow::Halt)
        })?;
        Ok(found)
    }

    fn eval_lit(&mut self, lit: &Lit, k: &mut dyn FnMut(&mut Self) -> R) -> R {
        match &lit.kind {
            LitKind::Expr(t) => match self.peek(t) {
                Peek::Value(Value::Bool(false)) | Peek::Undefined => Ok(Flow::Continue),
                Peek::Value(_) => k(self),
                Peek::Complex => self.eval_term(t, &mut |ev, v| {
                    if v == Value::Bool(false) {
                        Ok(Flow::Continue)
                    } else {
                        k(ev)
                    }
                }),
            },
            LitKind::ExprCapture(t, slot) => {
                let slot = *slot;
                let keep_false = self.keep_false == Some(slot);
                self.eval_term(t, &mut |ev, v| {
                    if v == Value::Bool(false) && !keep_false {
                        Ok(Flow::Continue)
                    } else {
                        ev.bind(slot, v, k)
                    }
                })
            }
            LitKind::Unify(a, b) => self.unify(a, b, k),
            LitKind::Not(body) => {
                if self.has_solution(body)? {
                    Ok(Flow::Continue)
                } else {
                    k(self)
                }
            }
            LitKind::SomeIn(None, Term::Var(x), coll) if self.slot(*x).is_none() => {
                self.eval_term(coll, &mut |ev, c| ev.bind_each(&c, *x, k))
            }
            LitKind::SomeIn(key, value, coll) => self.eval_term(coll, &mut |ev, c| {
                ev.for_each_member(&c, &mut |ev, kv, vv| match key {
                    Some(key) => {
                        ev.match_pattern(key, kv, &mut |ev| ev.match_pattern(value, vv.clone(), k))
                    }
                    None => ev.match_pattern(value, vv, k),
                })
            }),
            LitKind::Every(key, value, domain, body) => {
                let mut holds = false;
                self.eval_term(domain, &mut |ev, d| {
                    if !matches!(d, Value::Array(_) | Value::Object(_) | Value::Set(_)) {
                        return Ok(Flow::Halt);
                    }
                    let mut ok = true;
                    ev.for_each_member(&d, &mut |ev, kv, vv| {
                        let mut found = false;
                        let mut check = |ev: &mut Self| {
                            found = ev.has_solution(body)?;
                            Ok(Flow::Continue)
                        };
                        match key {
                            Some(ks) => {
                                ev.bind(*ks, kv, &mut |ev| ev.bind(*value, vv.clone(), &mut check))?
                            }
                            None => ev.bind(*value, vv, &mut check)?,
                        };
                        ok = found;
                        Ok(if found { Flow::Continue } else { Flow::Halt })
                    })?;
                    holds = ok;
                    Ok(Flow::Halt)
                })?;
                if holds { k(self) } else { Ok(Flow::Continue) }
            }
            LitKind::True => k(self),
        }
    }

    /// Calls `f(key, value)` for each member of a collection: index/element for arrays,
    /// key/value for objects, element/element for sets. Other values have no members.
    pub(crate) fn for_each_member(
        &mut self,
        c: &Value,
        f: &mut dyn FnMut(&mut Self, Value, Value) -> R,
    ) -> R {
        match c {
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    if f(self, Value::from(i as i64), v.clone())? == Flow::Halt {
                        return Ok(Flow::Halt);
                    }
                }
            }
            Value::Object(o) => {
                for (key, v) in o.iter() {
                    if f(self, key.clone(), v.clone())? == Flow::Halt {
                        return Ok(Flow::Halt);
                    }
                }
            }
            Value::Set(s) => {
                for v in s.iter() {
                    if f(self, v.clone(), v.clone())? == Flow::Halt {
                        return Ok(Flow::Halt);
                    }
                }
            }
            _ => {}
        }
        Ok(Flow::Continue)
    }

    /// Evaluates a literal under its `with` modifiers.
    fn eval_with(&mut self, lit: &Lit, k: &mut dyn FnMut(&mut Self) -> R) -> R {
        // Values first, in the outer context.
        let mut values = Vec::with_capacity(lit.with.len());
        for w in &lit.with {
            let mut found = None;
            if let (WithTarget::Function(_), Some(f)) = (
                &w.target,
                w.func.clone().or_else(|| self.as_function(&w.value)),
            ) {
                values.push(Mock::Func(f));
                continue;
            }
            self.eval_term(&w.value, &mut |_, v| {
                found = Some(v);
                Ok(Flow::Halt)
            })?;
            match found {
                Some(v) => values.push(Mock::Value(v)),
                None => return Ok(Flow::Continue),
            }
        }
        let saved_input = self.input.clone();
        let saved_data = self.data.clone();
        let saved_overrides = self.data_overrides.len();
        let saved_mocks = self.mocks.clone();
        for (w, v) in lit.with.iter().zip(values) {
            match (&w.target, v) {
                (WithTarget::Input(path), Mock::Value(v)) => {
                    let base = self.input.take().unwrap_or(Value::empty_object());
                    self.input = Some(if path.is_empty() {
                        v
                    } else {
                        set_path(&base, path, v)
                    });
                }
                (WithTarget::Data(path), Mock::Value(v)) => {
                    self.data = set_path(&self.data, path, v);
                    self.data_overrides.push(path.clone());
                }
                (WithTarget::Function(name), m) => {
                    self.mocks.insert(name.clone(), m);
                }
                (_, Mock::Func(_)) => {}
            }
        }
        let saved_memo = std::mem::take(&mut self.memo);
        // The literal itself runs in the modified world; its continuation in the original.
        let mut solutions: Vec<Vec<Option<Value>>> = Vec::new();
        let result = self.eval_lit(lit, &mut |ev| {
            solutions.push(ev.frame.clone());
            Ok(Flow::Continue)
        });
        self.memo = saved_memo;
        self.input = saved_input;
        self.data = saved_data;
        self.data_overrides.truncate(saved_overrides);
        self.mocks = saved_mocks;
        result?;
        let original = self.frame.clone();
        for frame in solutions {
            self.frame = frame;
            let flow = k(self);
            if !matches!(flow, Ok(Flow::Continue)) {
                self.frame = original;
                return flow;
            }
        }
        self.frame = original;
        Ok(Flow::Continue)
    }

    /// The function a `with` value names, if it names one.
    fn as_function(&self, t: &Term) -> Option<Func> {
        match t {
            Term::Data(keys) => {
                let names: Option<Vec<&str>> = keys
                    .iter()
                    .map(|k| match k {
                        Term::Const(v) => v.as_str(),
                        _ => None,
                    })
                    .collect();
                let id = self.env.compiled.rule_set_at(&names?)?;
                (self.env.compiled.rule_sets[id as usize].kind == RuleKind::Function)
                    .then_some(Func::Rule(id))
            }
            Term::Call(_) => None,
            _ => None,
        }
    }
}

/// `base` with `v` placed at `path` (objects created along the way).
pub(crate) fn set_path(base: &Value, path: &[Value], v: Value) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return v;
    };
    let mut entries: Vec<(Value, Value)> = base.as_object().map(|o| o.to_vec()).unwrap_or_default();
    let child = entries
        .iter()
        .find(|(k, _)| k == first)
        .map(|(_, c)| c.clone())
        .unwrap_or(Value::empty_object());
    let new_child = set_path(&child, rest, v);
    entries.retain(|(k, _)| k != first);
    entries.push((first.clone(), new_child));
    Value::object_from(entries)
}
