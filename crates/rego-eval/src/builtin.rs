//! The builtin function registry: named functions the evaluator calls by id.
//!
//! `rego-builtins::standard()` fills a [`Registry`] with OPA's catalogue; embedders add their
//! own functions with [`Registry::add`] or the typed [`Registry::add_fn`].

mod host;

pub use host::{FromValue, HostFn, IntoValue};

use crate::value::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Why a builtin call failed. The evaluator prefixes the builtin's name and location:
/// `test.rego:4: eval_type_error: strings.any_prefix_match: operand 1 must be ...`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuiltinError {
    /// An operand of the wrong type (`eval_type_error`), e.g.
    /// `operand 1 must be string but got number`.
    #[error("{0}")]
    Type(String),
    /// Any other failure (`eval_builtin_error`), e.g. `invalid regular expression`.
    #[error("{0}")]
    Builtin(String),
    /// No result and no error: the call is undefined even under strict builtin errors
    /// (`max([])`).
    #[error("undefined")]
    Undefined,
}

impl BuiltinError {
    /// `operand N must be WANT but got GOT`, OPA's wording (N is 1-based).
    pub fn operand(position: usize, want: &str, got: &Value) -> BuiltinError {
        BuiltinError::Type(format!(
            "operand {position} must be {want} but got {}",
            got.type_name()
        ))
    }

    /// A builtin error with a message.
    pub fn msg(message: impl Into<String>) -> BuiltinError {
        BuiltinError::Builtin(message.into())
    }

    /// OPA's error code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            BuiltinError::Type(_) => "eval_type_error",
            BuiltinError::Builtin(_) | BuiltinError::Undefined => "eval_builtin_error",
        }
    }

    /// The message without the code.
    pub fn message(&self) -> &str {
        match self {
            BuiltinError::Type(m) | BuiltinError::Builtin(m) => m,
            BuiltinError::Undefined => "undefined",
        }
    }
}

/// What a builtin may ask of the evaluation that calls it.
pub struct BuiltinContext<'a> {
    now_ns: i64,
    memo: &'a RefCell<HashMap<(String, Vec<Value>), Value>>,
    network: bool,
}

impl<'a> BuiltinContext<'a> {
    /// A context for one query evaluation.
    pub fn new(
        now_ns: i64,
        memo: &'a RefCell<HashMap<(String, Vec<Value>), Value>>,
        network: bool,
    ) -> BuiltinContext<'a> {
        BuiltinContext {
            now_ns,
            memo,
            network,
        }
    }

    /// Nanoseconds since the Unix epoch, fixed for the whole query (`time.now_ns`).
    pub fn now_ns(&self) -> i64 {
        self.now_ns
    }

    /// Whether the embedder allows network access (`http.send`, `net.lookup_ip_addr`).
    pub fn network_allowed(&self) -> bool {
        self.network
    }

    /// Returns the value remembered for `(name, args)` in this query, computing it once.
    /// Used by builtins that must be stable within one query (`rand.intn`, `uuid.rfc4122`).
    pub fn memoize(
        &self,
        name: &str,
        args: &[Value],
        compute: impl FnOnce() -> Result<Value, BuiltinError>,
    ) -> Result<Value, BuiltinError> {
        let key = (name.to_string(), args.to_vec());
        if let Some(v) = self.memo.borrow().get(&key) {
            return Ok(v.clone());
        }
        let v = compute()?;
        self.memo.borrow_mut().insert(key, v.clone());
        Ok(v)
    }
}

/// The signature of a builtin implementation.
pub type BuiltinFn = fn(&BuiltinContext<'_>, &[Value]) -> Result<Value, BuiltinError>;

/// One entry of a static builtin table.
#[derive(Clone, Copy)]
pub struct BuiltinDef {
    /// The full name, e.g. `strings.any_prefix_match`.
    pub name: &'static str,
    /// The number of arguments.
    pub arity: usize,
    /// The implementation.
    pub func: BuiltinFn,
}

type DynFn = dyn Fn(&BuiltinContext<'_>, &[Value]) -> Result<Value, BuiltinError> + Send + Sync;

/// A registered builtin.
#[derive(Clone)]
pub struct Builtin {
    name: Arc<str>,
    arity: usize,
    func: Arc<DynFn>,
}

impl Builtin {
    /// The builtin's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its number of arguments.
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// Calls it.
    pub fn call(&self, ctx: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
        (self.func)(ctx, args)
    }
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.name, self.arity)
    }
}

/// Named builtin functions.
#[derive(Clone, Default, Debug)]
pub struct Registry {
    entries: HashMap<Arc<str>, Builtin>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds every entry of a static table (later entries replace earlier ones).
    pub fn add_table(&mut self, table: &[BuiltinDef]) {
        for def in table {
            let func = def.func;
            self.insert(def.name, def.arity, Arc::new(func));
        }
    }

    /// Adds a builtin taking the raw argument slice.
    pub fn add(
        &mut self,
        name: &str,
        arity: usize,
        func: impl Fn(&BuiltinContext<'_>, &[Value]) -> Result<Value, BuiltinError>
        + Send
        + Sync
        + 'static,
    ) {
        self.insert(name, arity, Arc::new(func));
    }

    fn insert(&mut self, name: &str, arity: usize, func: Arc<DynFn>) {
        let name: Arc<str> = name.into();
        self.entries
            .insert(name.clone(), Builtin { name, arity, func });
    }

    /// The builtin registered under `name`.
    pub fn get(&self, name: &str) -> Option<&Builtin> {
        self.entries.get(name)
    }

    /// Every registered name, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.entries.keys().map(|k| &**k).collect();
        names.sort_unstable();
        names
    }

    /// Number of registered builtins.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
