//! The embedding API: load modules and data into an [`Engine`], compile it into an immutable,
//! shareable [`Policy`], evaluate rules and queries against inputs. Listing and renaming the
//! rule definitions before compiling lives in `engine/rules.rs`.

mod rules;

pub use rules::{RuleId, RuleInfo, RuleShape};

use crate::builtin::Registry;
use crate::compile::{self, Compiled, QueryLowering};
use crate::error::{CompileErrors, Error, EvalError};
use crate::eval::{Env, Evaluator, Flow};
use crate::ir::Slot;
use crate::value::Value;
use rego_syntax::ast::Module;
use rego_syntax::{Location, SourceMap};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

mod catalog;
mod documents;

pub use documents::PreparedDocuments;

/// Collects modules and data; [`Engine::compile`] turns them into a [`Policy`].
#[derive(Clone, Default)]
pub struct Engine {
    sources: SourceMap,
    modules: Vec<Module>,
    data: Option<Value>,
    registry: Registry,
}

/// A function receiving `print(...)` output, one call per `print`.
pub type PrintHook = Arc<dyn Fn(&str) + Send + Sync>;

/// How to evaluate one query.
#[derive(Clone, Default)]
pub struct EvalOptions {
    /// Builtin errors abort the query (`--strict-builtin-errors`) instead of making the call
    /// undefined.
    pub strict_builtin_errors: bool,
    /// Abort with `eval_cancel_error` after this instant.
    pub deadline: Option<Instant>,
    /// Abort with `eval_cancel_error` once this flag is set (from any thread).
    pub cancel: Option<Arc<AtomicBool>>,
    /// Where `print` output goes; dropped when `None`.
    pub print: Option<PrintHook>,
    /// Allow builtins to use the network (`http.send`, `net.lookup_ip_addr`).
    pub allow_network: bool,
    /// Fixes `time.now_ns()` (nanoseconds since the epoch); the wall clock when `None`.
    pub now_ns: Option<i64>,
    /// Evaluate every comprehension by a full pass over its body, never from the
    /// per-evaluation index of results by the outer values it tests (to check that both agree).
    pub plain_comprehensions: bool,
}

/// One solution of a query.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryResult {
    /// The value of each top-level expression, in query order.
    pub expressions: Vec<ExpressionValue>,
    /// The query's variables and their values (generated variables excluded).
    pub bindings: Vec<(String, Value)>,
}

/// The value of one query expression.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpressionValue {
    /// Its value (`true` for unifications and assignments).
    pub value: Value,
    /// The expression's source text.
    pub text: String,
    /// Where it stands in the query.
    pub location: Location,
}

impl Engine {
    /// An engine with no builtins registered. Use `rego_builtins::engine()` for OPA's
    /// standard library, or [`Engine::with_registry`].
    pub fn new() -> Engine {
        Engine::default()
    }

    /// An engine whose calls resolve against `registry`.
    pub fn with_registry(registry: Registry) -> Engine {
        Engine {
            registry,
            ..Engine::default()
        }
    }

    /// The builtin registry, to add host functions.
    pub fn registry_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }

    /// Parses and adds a module. Parse errors carry the file name, span and code.
    pub fn add_module(&mut self, name: &str, source: &str) -> Result<(), CompileErrors> {
        let file = self.sources.add(name, source);
        let module = rego_syntax::parse_module(&self.sources, file)?;
        self.modules.push(module);
        Ok(())
    }

    /// Merges a JSON document into `data`.
    pub fn add_data_json(&mut self, json: &str) -> Result<(), Error> {
        let value = Value::from_json_str(json)
            .map_err(|e| Error::Data(format!("invalid JSON data: {e}")))?;
        self.add_data(value)
    }

    /// Merges a value (an object) into `data`; conflicting scalar values are an error.
    pub fn add_data(&mut self, value: Value) -> Result<(), Error> {
        if value.as_object().is_none() {
            return Err(Error::Data(format!(
                "data must be an object, got {}",
                value.type_name()
            )));
        }
        self.data = Some(match self.data.take() {
            None => value,
            Some(existing) => merge_data(existing, value, &mut Vec::new())?,
        });
        Ok(())
    }

    /// The source map of every added module.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Compiles the modules: safety, recursion and conflict checks, rule indexes.
    pub fn compile(&self) -> Result<Policy, CompileErrors> {
        let compiled = compile::compile(&self.sources, &self.modules, &self.registry)?;
        let mut packages: Vec<String> = self
            .modules
            .iter()
            .map(|m| {
                let names: Vec<&str> = m.package.path.iter().map(|n| n.name.as_str()).collect();
                names.join(".")
            })
            .collect();
        packages.sort();
        packages.dedup();
        Ok(Policy {
            inner: Arc::new(PolicyInner {
                compiled,
                packages,
                sources: self.sources.clone(),
                data: self.data.clone().unwrap_or_else(Value::empty_object),
                registry: self.registry.clone(),
            }),
        })
    }
}

fn merge_data(a: Value, b: Value, path: &mut Vec<String>) -> Result<Value, Error> {
    match (&a, &b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut entries: Vec<(Value, Value)> = x.to_vec();
            for (k, v) in y.iter() {
                match entries.iter().position(|(ek, _)| ek == k) {
                    Some(i) => {
                        path.push(k.to_string());
                        let merged = merge_data(entries[i].1.clone(), v.clone(), path)?;
                        path.pop();
                        entries[i].1 = merged;
                    }
                    None => entries.push((k.clone(), v.clone())),
                }
            }
            Ok(Value::object_from(entries))
        }
        _ => Err(Error::Data(format!(
            "merge error: conflicting data at path {}",
            path.join(".")
        ))),
    }
}

struct PolicyInner {
    compiled: Compiled,
    /// Every module's package path (`a.b.c`), sorted, without duplicates.
    packages: Vec<String>,
    sources: SourceMap,
    data: Value,
    registry: Registry,
}

/// A compiled policy: immutable, `Send + Sync`, cheap to clone and share across threads.
#[derive(Clone)]
pub struct Policy {
    inner: Arc<PolicyInner>,
}

/// A query compiled against a policy, ready to run many times.
#[derive(Clone)]
pub struct PreparedQuery {
    policy: Policy,
    lowered: Arc<QueryLowering>,
    sources: Arc<SourceMap>,
    texts: Arc<Vec<(String, Location)>>,
}

impl Policy {
    /// Registers a query's text in `sources` under `name`, parses and lowers it.
    fn lower(
        &self,
        sources: &mut SourceMap,
        name: &str,
        query: &str,
    ) -> Result<(rego_syntax::ast::Query, QueryLowering), CompileErrors> {
        let file = sources.add(name, query);
        let parsed = rego_syntax::parse_query(sources, file)?;
        let lowered =
            compile::lower_query(sources, &self.inner.compiled, &self.inner.registry, &parsed)
                .map_err(CompileErrors)?;
        Ok((parsed, lowered))
    }

    /// Compiles a query (literals separated by `;` or newlines) against this policy.
    pub fn prepare(&self, query: &str) -> Result<PreparedQuery, CompileErrors> {
        let mut sources = self.inner.sources.clone();
        let (parsed, lowered) = self.lower(&mut sources, "query.rego", query)?;
        let texts = parsed
            .literals
            .iter()
            .map(|l| {
                (
                    sources.snippet(l.span).to_string(),
                    sources.location(l.span),
                )
            })
            .collect();
        Ok(PreparedQuery {
            policy: self.clone(),
            lowered: Arc::new(lowered),
            sources: Arc::new(sources),
            texts: Arc::new(texts),
        })
    }

    /// Evaluates a query: every solution with its bindings and expression values.
    pub fn eval_query(
        &self,
        query: &str,
        input: Option<&Value>,
        options: &EvalOptions,
    ) -> Result<Vec<QueryResult>, Error> {
        Ok(self.prepare(query)?.eval(input, options)?)
    }

    /// The value of the document at a `data` path such as `data.authz.allow`; `None` when
    /// undefined.
    pub fn eval_rule(&self, path: &str, input: Option<&Value>) -> Result<Option<Value>, Error> {
        let results = self.eval_query(path, input, &EvalOptions::default())?;
        Ok(results
            .into_iter()
            .next()
            .and_then(|r| r.expressions.into_iter().next())
            .map(|e| e.value))
    }

    /// The base data document.
    pub fn data(&self) -> &Value {
        &self.inner.data
    }
}

impl PreparedQuery {
    /// Runs the query on an input.
    pub fn eval(
        &self,
        input: Option<&Value>,
        options: &EvalOptions,
    ) -> Result<Vec<QueryResult>, EvalError> {
        let inner = &self.policy.inner;
        let env = evaluation_env(inner, &self.sources, options);
        let lowered = &self.lowered;
        let mut ev = Evaluator::new(env, inner.data.clone(), input.cloned(), lowered.slots);
        if let [Some(slot)] = lowered.captures[..] {
            ev.keep_false = Some(slot);
        }
        let mut results = Vec::new();
        let vars: Vec<(String, Slot)> = lowered
            .vars
            .iter()
            .filter(|(n, _)| !n.starts_with("__") && n != "_")
            .cloned()
            .collect();
        ev.eval_body(&lowered.body, 0, &mut |ev| {
            let expressions = lowered
                .captures
                .iter()
                .zip(self.texts.iter())
                .map(|(cap, (text, location))| ExpressionValue {
                    value: cap
                        .and_then(|s| ev.slot(s).cloned())
                        .unwrap_or(Value::Bool(true)),
                    text: text.clone(),
                    location: location.clone(),
                })
                .collect();
            let bindings = vars
                .iter()
                .filter_map(|(n, s)| ev.slot(*s).map(|v| (n.clone(), v.clone())))
                .collect();
            results.push(QueryResult {
                expressions,
                bindings,
            });
            Ok(Flow::Continue)
        })?;
        Ok(results)
    }
}

/// The evaluation environment of one query run.
fn evaluation_env<'a>(
    inner: &'a PolicyInner,
    sources: &'a SourceMap,
    options: &'a EvalOptions,
) -> Env<'a> {
    let now_ns = options.now_ns.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64)
    });
    Env {
        compiled: &inner.compiled,
        sources,
        strict: options.strict_builtin_errors,
        print: options.print.as_deref(),
        cancel: options.cancel.as_deref(),
        deadline: options.deadline,
        now_ns,
        network: options.allow_network,
        compr_index: !options.plain_comprehensions,
    }
}
