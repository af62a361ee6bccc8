//! The standard OPA builtin functions, in static tables by family, and the engine users
//! start from.
//!
//! ```
//! use rego_builtins::{EvalOptions, Value};
//!
//! let mut engine = rego_builtins::engine(); // OPA's standard library registered
//! // A host function, registered as a typed closure:
//! engine.registry_mut().add_fn("ext.double", |x: i64| x * 2);
//! engine.add_module("authz.rego", r#"
//!     package authz
//!
//!     default allow := false
//!     allow if startswith(input.path, "/public/")
//!     allow if input.user in data.admins
//!     doubled := ext.double(21)
//! "#).unwrap();
//! engine.add_data_json(r#"{"admins": ["alice"]}"#).unwrap();
//! let policy = engine.compile().unwrap(); // immutable, Send + Sync, shareable
//!
//! let input = Value::from_json_str(r#"{"user": "bob", "path": "/public/x"}"#).unwrap();
//! assert_eq!(policy.eval_rule("data.authz.allow", Some(&input)).unwrap(), Some(Value::Bool(true)));
//! assert_eq!(policy.eval_rule("data.authz.doubled", None).unwrap(), Some(Value::from(42i64)));
//!
//! let rows = policy.eval_query("x := data.admins[_]", Some(&input), &EvalOptions::default()).unwrap();
//! assert_eq!(rows[0].bindings[0], ("x".to_string(), Value::from("alice")));
//! ```

mod aggregates;
mod args;
mod arrays;
#[cfg(feature = "crypto")]
mod aws;
mod bits;
#[cfg(feature = "crypto")]
mod crypto;
mod encoding;
mod glob;
mod graph;
#[cfg(feature = "graphql")]
mod graphql;
#[cfg(feature = "http")]
mod http;
#[cfg(feature = "jsonschema")]
mod jsonschema;
#[cfg(feature = "crypto")]
mod jwt;
mod net;
mod numbers;
mod objects;
mod parse_module;
mod regex;
mod render_template;
mod runtime;
mod semver;
mod sets;
mod sprintf;
mod strings;
mod testing;
mod time;
mod types;
mod units;
mod uri;
mod uuid;

use rego_eval::BuiltinDef;

pub use rego_eval::{
    BuiltinContext, BuiltinError, CompileError, CompileErrors, Engine, Error, EvalError,
    EvalOptions, Policy, PreparedQuery, QueryResult, Registry, Value,
};

/// An [`Engine`] with every standard builtin registered.
pub fn engine() -> Engine {
    Engine::with_registry(standard())
}

/// Every family's table, in registration order.
fn tables() -> Vec<&'static [BuiltinDef]> {
    vec![
        strings::BUILTINS,
        sprintf::BUILTINS,
        regex::BUILTINS,
        runtime::BUILTINS,
        glob::BUILTINS,
        render_template::BUILTINS,
        numbers::BUILTINS,
        bits::BUILTINS,
        aggregates::BUILTINS,
        arrays::BUILTINS,
        sets::BUILTINS,
        objects::BUILTINS,
        types::BUILTINS,
        graph::BUILTINS,
        units::BUILTINS,
        semver::BUILTINS,
        uuid::BUILTINS,
        encoding::BUILTINS,
        time::BUILTINS,
        net::BUILTINS,
        uri::BUILTINS,
        testing::BUILTINS,
        parse_module::BUILTINS,
        #[cfg(feature = "crypto")]
        crypto::BUILTINS,
        #[cfg(feature = "crypto")]
        jwt::BUILTINS,
        #[cfg(feature = "graphql")]
        graphql::BUILTINS,
        #[cfg(feature = "jsonschema")]
        jsonschema::BUILTINS,
        #[cfg(feature = "crypto")]
        aws::BUILTINS,
        #[cfg(feature = "http")]
        http::BUILTINS,
    ]
}

/// A registry holding every standard builtin.
pub fn standard() -> Registry {
    let mut registry = Registry::new();
    for table in tables() {
        registry.add_table(table);
    }
    registry
}

/// A builtin table entry: name, number of arguments, implementation.
const fn def(name: &'static str, arity: usize, func: rego_eval::BuiltinFn) -> BuiltinDef {
    BuiltinDef { name, arity, func }
}

/// An argument written as text for [`call_ok`] and [`call_type_error`]: a number (exact at
/// any size) or other JSON.
#[cfg(test)]
pub(crate) fn arg(text: &str) -> rego_eval::Value {
    rego_eval::Value::parse_number(text)
        .unwrap_or_else(|| rego_eval::Value::from_json_str(text).expect("a JSON argument"))
}

/// The result of calling `name` on arguments written as text, in Rego syntax, for tests.
#[cfg(test)]
pub(crate) fn call_ok(name: &str, args: &[&str]) -> String {
    let args: Vec<rego_eval::Value> = args.iter().map(|a| arg(a)).collect();
    call(name, &args).unwrap().to_string()
}

/// The message of the type error `name` raises on arguments written as text, for tests.
#[cfg(test)]
pub(crate) fn call_type_error(name: &str, args: &[&str]) -> String {
    let args: Vec<rego_eval::Value> = args.iter().map(|a| arg(a)).collect();
    let e = call(name, &args).unwrap_err();
    assert_eq!(e.code(), "eval_type_error");
    e.message().to_string()
}

/// Calls a standard builtin by name outside any query, for unit tests.
#[cfg(test)]
pub(crate) fn call(
    name: &str,
    args: &[rego_eval::Value],
) -> Result<rego_eval::Value, rego_eval::BuiltinError> {
    let registry = standard();
    let builtin = registry
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not registered"));
    assert_eq!(
        builtin.arity(),
        args.len(),
        "{name} takes {} arguments",
        builtin.arity()
    );
    let memo = std::cell::RefCell::new(std::collections::HashMap::new());
    let ctx = rego_eval::BuiltinContext::new(1_700_000_000_000_000_000, &memo, false);
    builtin.call(&ctx, args)
}
