//! Builtins of the `aggregates` family: `count`, `sum`, `product`, `max`, `min` and `sort`.
//!
//! The deprecated `any` and `all` are not provided (OPA's capabilities mark them deprecated and
//! no v1 policy can call them).

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::numbers::num_err;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "count",
        arity: 1,
        func: count,
    },
    BuiltinDef {
        name: "sum",
        arity: 1,
        func: sum,
    },
    BuiltinDef {
        name: "product",
        arity: 1,
        func: product,
    },
    BuiltinDef {
        name: "max",
        arity: 1,
        func: max,
    },
    BuiltinDef {
        name: "min",
        arity: 1,
        func: min,
    },
    BuiltinDef {
        name: "sort",
        arity: 1,
        func: sort,
    },
];

/// The result OPA gives as "undefined" (no value, no error): `max([])`, `min(set())`.
///
/// The builtin API has no undefined outcome yet, so this is an error, which the evaluator turns
/// into undefined unless builtin errors are strict.
fn undefined() -> BuiltinError {
    BuiltinError::Undefined
}

/// The elements of an array or set argument, with OPA's `one of {set, array}` wording.
fn collection(v: &Value) -> Result<&[Value], BuiltinError> {
    match v {
        Value::Array(a) => Ok(a),
        Value::Set(s) => Ok(s),
        _ => Err(BuiltinError::operand(1, "one of {set, array}", v)),
    }
}

/// `count(x)`: elements of an array or set, entries of an object, characters of a string.
fn count(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    args[0]
        .count()
        .map(Value::from)
        .ok_or_else(|| BuiltinError::operand(1, "one of {array, object, set, string}", &args[0]))
}

/// Folds the numbers of an array or set with `op`, starting from `init`.
fn fold_numbers(
    v: &Value,
    init: i64,
    op: fn(&Value, &Value) -> Result<Value, rego_eval::NumError>,
) -> Result<Value, BuiltinError> {
    let items = collection(v)?;
    let mut acc = Value::from_i64(init);
    for item in items {
        if item.as_number().is_none() {
            return Err(BuiltinError::Type(format!(
                "operand 1 must be {0} of numbers but got {0} containing {1}",
                v.type_name(),
                item.type_name()
            )));
        }
        acc = op(&acc, item).map_err(num_err)?;
    }
    Ok(acc)
}

fn sum(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    fold_numbers(&args[0], 0, Value::add)
}

fn product(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    fold_numbers(&args[0], 1, Value::mul)
}

fn max(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    collection(&args[0])?
        .iter()
        .max()
        .cloned()
        .ok_or_else(undefined)
}

fn min(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    collection(&args[0])?
        .iter()
        .min()
        .cloned()
        .ok_or_else(undefined)
}

/// `sort(x)`: the elements of an array or set as an ascending array.
fn sort(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    match &args[0] {
        // A set's elements are already in order.
        Value::Set(s) => Ok(Value::array(s.to_vec())),
        v => {
            let mut items = collection(v)?.to_vec();
            items.sort();
            Ok(Value::array(items))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn v(s: &str) -> Value {
        Value::from_json_str(s).unwrap()
    }

    fn set(items: &[&str]) -> Value {
        Value::set_from(items.iter().map(|s| v(s)).collect())
    }

    fn ok(name: &str, arg: Value) -> String {
        call(name, &[arg]).unwrap().to_string()
    }

    fn err(name: &str, arg: Value) -> String {
        let e = call(name, &[arg]).unwrap_err();
        assert_eq!(e.code(), "eval_type_error");
        e.message().to_string()
    }

    #[test]
    fn counting() {
        assert_eq!(ok("count", v("[1, 2, 3, 4]")), "4");
        assert_eq!(ok("count", v(r#"{"v1": "a", "v2": "b"}"#)), "2");
        assert_eq!(ok("count", set(&["1", "2"])), "2");
        assert_eq!(ok("count", v("\"abcde\"")), "5");
        assert_eq!(ok("count", v("\"åäö\"")), "3");
        assert_eq!(ok("count", v("\"\"")), "0");
        assert_eq!(
            err("count", v("null")),
            "operand 1 must be one of {array, object, set, string} but got null"
        );
        assert_eq!(
            err("count", v("5")),
            "operand 1 must be one of {array, object, set, string} but got number"
        );
    }

    #[test]
    fn sums_and_products() {
        assert_eq!(ok("sum", v("[1, 2, 3, 4]")), "10");
        assert_eq!(ok("sum", set(&["1", "2", "3", "4"])), "10");
        assert_eq!(ok("sum", v("[]")), "0");
        assert_eq!(ok("sum", v("[49649733057, 1]")), "49649733058");
        assert_eq!(ok("sum", v("[1.5, 2.5]")), "4");
        assert_eq!(ok("sum", v("[0.5, 1]")), "1.5");
        assert_eq!(
            ok("sum", v("[9223372036854775807, 9223372036854775807]")),
            "18446744073709551614"
        );
        assert_eq!(ok("product", v("[1, 2, 3, 4]")), "24");
        assert_eq!(ok("product", set(&["1", "2", "3", "4"])), "24");
        assert_eq!(ok("product", v("[]")), "1");
        assert_eq!(
            ok("product", v("[4294967296, 4294967296]")),
            "18446744073709551616"
        );
        assert_eq!(
            err("sum", v(r#"[1, "a"]"#)),
            "operand 1 must be array of numbers but got array containing string"
        );
        assert_eq!(
            err("product", set(&["1", "null"])),
            "operand 1 must be set of numbers but got set containing null"
        );
        assert_eq!(
            err("sum", v("{}")),
            "operand 1 must be one of {set, array} but got object"
        );
        assert_eq!(
            err("product", v("\"x\"")),
            "operand 1 must be one of {set, array} but got string"
        );
    }

    #[test]
    fn extremes() {
        assert_eq!(ok("max", v("[1, 2, 3, 4]")), "4");
        assert_eq!(ok("max", set(&["1", "2", "3", "4"])), "4");
        assert_eq!(ok("min", v("[3, 2, 1, 4, 6, -7, 10]")), "-7");
        assert_eq!(ok("min", v("[1, 2, 1, 3, 4]")), "1");
        assert_eq!(ok("min", set(&["1", "2"])), "1");
        // Any values compare, in the value order.
        assert_eq!(ok("max", v(r#"[1, "a", null, [0]]"#)), "[0]");
        assert_eq!(ok("min", v(r#"[1, "a", false, [0]]"#)), "false");
        assert!(call("max", &[v("[]")]).is_err());
        assert!(call("min", &[Value::empty_set()]).is_err());
        assert_eq!(
            err("max", v("1")),
            "operand 1 must be one of {set, array} but got number"
        );
    }

    #[test]
    fn sorting() {
        assert_eq!(ok("sort", v("[4, 3, 2, 1]")), "[1, 2, 3, 4]");
        assert_eq!(ok("sort", set(&["4", "1", "3"])), "[1, 3, 4]");
        assert_eq!(
            ok("sort", v(r#"[[1], "b", 2, null, {"a": 1}, true, 1.5]"#)),
            r#"[null, true, 1.5, 2, "b", [1], {"a": 1}]"#
        );
        assert_eq!(ok("sort", v("[]")), "[]");
        assert_eq!(
            err("sort", v("{}")),
            "operand 1 must be one of {set, array} but got object"
        );
    }
}
