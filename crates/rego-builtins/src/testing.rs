//! `internal.test_case`: test-case metadata reporting used by `opa test`; a no-op here.

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

/// The builtins of this file.
pub(crate) const BUILTINS: &[BuiltinDef] = &[BuiltinDef {
    name: "internal.test_case",
    arity: 1,
    func: internal_test_case,
}];

/// OPA declares no result: the call only records metadata for the test runner. Outside a test
/// runner there is nothing to record, so it yields `null` (a defined, non-false value).
fn internal_test_case(_: &BuiltinContext<'_>, _args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Null)
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    #[test]
    fn is_a_no_op() {
        let arg = Value::array(vec![Value::string("name"), Value::from_i64(1)]);
        assert_eq!(call("internal.test_case", &[arg]), Ok(Value::Null));
        assert_eq!(
            call("internal.test_case", &[Value::empty_array()]),
            Ok(Value::Null)
        );
    }
}
