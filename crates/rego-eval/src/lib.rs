//! The Rego compiler and evaluator.

pub mod value;

pub use value::{
    JsonError, NumError, Number, Object, ObjectBuilder, ParseNumberError, Set, SetBuilder, Value,
};
