//! `opa.runtime`: what OPA reports of the process it runs in. This engine has no runtime
//! configuration to report, so the object is empty, as `opa eval` reports without a config.

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[BuiltinDef {
    name: "opa.runtime",
    arity: 0,
    func: runtime,
}];

fn runtime(_: &BuiltinContext<'_>, _: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::empty_object())
}

#[cfg(test)]
mod tests {
    #[test]
    fn runtime_is_an_object() {
        let v = crate::call("opa.runtime", &[]).expect("defined");
        assert!(v.as_object().is_some());
    }
}
