//! Builtins of the `types` family: `is_number`, `is_string`, `is_boolean`, `is_array`,
//! `is_set`, `is_object`, `is_null` and `type_name`.
//!
//! The deprecated `cast_*` builtins are not provided.

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "is_number",
        arity: 1,
        func: is_number,
    },
    BuiltinDef {
        name: "is_string",
        arity: 1,
        func: is_string,
    },
    BuiltinDef {
        name: "is_boolean",
        arity: 1,
        func: is_boolean,
    },
    BuiltinDef {
        name: "is_array",
        arity: 1,
        func: is_array,
    },
    BuiltinDef {
        name: "is_set",
        arity: 1,
        func: is_set,
    },
    BuiltinDef {
        name: "is_object",
        arity: 1,
        func: is_object,
    },
    BuiltinDef {
        name: "is_null",
        arity: 1,
        func: is_null,
    },
    BuiltinDef {
        name: "type_name",
        arity: 1,
        func: type_name,
    },
];

fn is(args: &[Value], name: &str) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(args[0].type_name() == name))
}

fn is_number(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    is(args, "number")
}

fn is_string(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    is(args, "string")
}

fn is_boolean(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    is(args, "boolean")
}

fn is_array(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    is(args, "array")
}

fn is_set(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    is(args, "set")
}

fn is_object(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    is(args, "object")
}

fn is_null(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    is(args, "null")
}

/// `type_name(x)`: `"null"`, `"boolean"`, `"number"`, `"string"`, `"array"`, `"object"` or
/// `"set"`.
fn type_name(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::string(args[0].type_name()))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    #[test]
    fn predicates_and_names() {
        let values = [
            Value::Null,
            Value::from(true),
            Value::from(-42.0),
            Value::from("Hello"),
            Value::array(vec![Value::from(1)]),
            Value::object_from(vec![(Value::from("foo"), Value::from(1))]),
            Value::set_from(vec![Value::from(1)]),
        ];
        let preds = [
            "is_null",
            "is_boolean",
            "is_number",
            "is_string",
            "is_array",
            "is_object",
            "is_set",
        ];
        let names = [
            "null", "boolean", "number", "string", "array", "object", "set",
        ];
        for (i, value) in values.iter().enumerate() {
            for (j, pred) in preds.iter().enumerate() {
                assert_eq!(
                    call(pred, std::slice::from_ref(value)).unwrap(),
                    Value::Bool(i == j),
                    "{pred}({value})"
                );
            }
            assert_eq!(
                call("type_name", std::slice::from_ref(value)).unwrap(),
                Value::from(names[i])
            );
        }
        assert_eq!(
            call("is_number", &[Value::from(100.1)]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            call("is_boolean", &[Value::from(false)]).unwrap(),
            Value::Bool(true)
        );
    }
}
