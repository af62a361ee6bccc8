//! The Rego compiler and evaluator.

pub mod builtin;
pub mod value;

pub use builtin::{Builtin, BuiltinContext, BuiltinDef, BuiltinError, BuiltinFn, Registry};
pub use value::{
    JsonError, NumError, Number, Object, ObjectBuilder, ParseNumberError, Set, SetBuilder, Value,
};
