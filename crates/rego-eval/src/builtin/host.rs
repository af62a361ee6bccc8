//! Typed host functions: `registry.add_fn("ext.double", |x: i64| x * 2)`.
//!
//! Arguments convert from [`Value`] through [`FromValue`] (a mismatch is OPA's
//! `operand N must be T but got U` type error); results convert back through [`IntoValue`],
//! and a closure may return `Result<T, BuiltinError>` to fail.

use super::{BuiltinError, Registry};
use crate::value::Value;
use std::sync::Arc;

/// A Rust type a builtin argument can be read as.
pub trait FromValue: Sized {
    /// Converts argument number `position` (1-based, for error messages).
    fn from_value(v: &Value, position: usize) -> Result<Self, BuiltinError>;
}

/// A Rust type a builtin can return.
pub trait IntoValue {
    /// Converts the result.
    fn into_value(self) -> Result<Value, BuiltinError>;
}

impl FromValue for Value {
    fn from_value(v: &Value, _: usize) -> Result<Self, BuiltinError> {
        Ok(v.clone())
    }
}

impl FromValue for String {
    fn from_value(v: &Value, position: usize) -> Result<Self, BuiltinError> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| BuiltinError::operand(position, "string", v))
    }
}

impl FromValue for i64 {
    fn from_value(v: &Value, position: usize) -> Result<Self, BuiltinError> {
        v.as_i64()
            .ok_or_else(|| BuiltinError::operand(position, "integer number", v))
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value, position: usize) -> Result<Self, BuiltinError> {
        v.as_f64()
            .ok_or_else(|| BuiltinError::operand(position, "number", v))
    }
}

impl FromValue for bool {
    fn from_value(v: &Value, position: usize) -> Result<Self, BuiltinError> {
        v.as_bool()
            .ok_or_else(|| BuiltinError::operand(position, "boolean", v))
    }
}

impl FromValue for Vec<Value> {
    fn from_value(v: &Value, position: usize) -> Result<Self, BuiltinError> {
        v.as_array()
            .map(<[Value]>::to_vec)
            .ok_or_else(|| BuiltinError::operand(position, "array", v))
    }
}

impl IntoValue for Value {
    fn into_value(self) -> Result<Value, BuiltinError> {
        Ok(self)
    }
}

macro_rules! into_value_via_from {
    ($($t:ty),*) => {$(
        impl IntoValue for $t {
            fn into_value(self) -> Result<Value, BuiltinError> {
                Ok(Value::from(self))
            }
        }
    )*};
}
into_value_via_from!(i64, f64, bool, String, &str, Vec<Value>);

impl<T: IntoValue> IntoValue for Result<T, BuiltinError> {
    fn into_value(self) -> Result<Value, BuiltinError> {
        self.and_then(IntoValue::into_value)
    }
}

/// A closure usable as a builtin: `Fn(A, B, ...) -> R` with convertible arguments and result.
pub trait HostFn<Args>: Send + Sync + 'static {
    /// The number of arguments.
    const ARITY: usize;
    /// Calls the closure with converted arguments.
    fn invoke(&self, args: &[Value]) -> Result<Value, BuiltinError>;
}

macro_rules! host_fn {
    ($($arg:ident : $pos:tt),*) => {
        impl<F, R, $($arg),*> HostFn<($($arg,)*)> for F
        where
            F: Fn($($arg),*) -> R + Send + Sync + 'static,
            R: IntoValue,
            $($arg: FromValue,)*
        {
            const ARITY: usize = <[usize]>::len(&[$($pos),*]);
            #[allow(unused_variables)]
            fn invoke(&self, args: &[Value]) -> Result<Value, BuiltinError> {
                self($($arg::from_value(&args[$pos], $pos + 1)?),*).into_value()
            }
        }
    };
}
host_fn!();
host_fn!(A: 0);
host_fn!(A: 0, B: 1);
host_fn!(A: 0, B: 1, C: 2);
host_fn!(A: 0, B: 1, C: 2, D: 3);

impl Registry {
    /// Registers a typed closure as a builtin; its arity is the closure's.
    ///
    /// ```
    /// let mut registry = rego_eval::Registry::new();
    /// registry.add_fn("ext.double", |x: i64| x * 2);
    /// assert_eq!(registry.get("ext.double").unwrap().arity(), 1);
    /// ```
    pub fn add_fn<Args, F: HostFn<Args>>(&mut self, name: &str, f: F) {
        let f = Arc::new(f);
        self.add(name, F::ARITY, move |_, args| f.invoke(args));
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Value};

    #[test]
    fn typed_closures_are_callable_from_rego() {
        let mut engine = Engine::new();
        engine.registry_mut().add_fn("ext.double", |x: i64| x * 2);
        engine
            .registry_mut()
            .add_fn("ext.greet", |name: String, loud: bool| {
                let s = format!("hello {name}");
                if loud { s.to_uppercase() } else { s }
            });
        engine
            .add_module("t.rego", "package t\n\nd := ext.double(21)\n\ng := ext.greet(\"bob\", true)\n\nbad := ext.double(\"x\")\n")
            .unwrap();
        let policy = engine.compile().unwrap();
        assert_eq!(
            policy.eval_rule("data.t.d", None).unwrap(),
            Some(Value::from(42i64))
        );
        assert_eq!(
            policy.eval_rule("data.t.g", None).unwrap(),
            Some(Value::from("HELLO BOB"))
        );
        // A type mismatch makes the call undefined (not strict).
        assert_eq!(policy.eval_rule("data.t.bad", None).unwrap(), None);
    }
}
