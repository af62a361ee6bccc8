//! The Rego compiler and evaluator, values, and the embedding API.
//!
//! ```
//! use rego_eval::{Engine, EvalOptions, Value};
//!
//! let mut engine = Engine::new();
//! engine.add_module("authz.rego", r#"
//!     package authz
//!
//!     default allow := false
//!     allow if input.user in data.admins
//! "#).unwrap();
//! engine.add_data_json(r#"{"admins": ["alice"]}"#).unwrap();
//! let policy = engine.compile().unwrap();
//!
//! let input = Value::from_json_str(r#"{"user": "alice"}"#).unwrap();
//! assert_eq!(policy.eval_rule("data.authz.allow", Some(&input)).unwrap(), Some(Value::Bool(true)));
//! ```

pub mod builtin;
mod compile;
mod engine;
mod error;
mod eval;
mod index;
mod ir;
pub mod value;

pub use builtin::{
    Builtin, BuiltinContext, BuiltinDef, BuiltinError, BuiltinFn, FromValue, HostFn, IntoValue,
    Registry,
};
pub use engine::{
    Engine, EvalOptions, ExpressionValue, Policy, PreparedDocuments, PreparedQuery, PrintHook,
    QueryResult, RuleId, RuleInfo, RuleShape,
};
pub use error::{CompileError, CompileErrors, Error, EvalError};
pub use rego_syntax;
pub use value::{
    JsonError, NumError, Number, Object, ObjectBuilder, ParseNumberError, Set, SetBuilder, Value,
};
