//! Builtins of the `arrays` family: `array.concat`, `array.slice`, `array.reverse` and
//! `array.flatten`.

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "array.concat",
        arity: 2,
        func: concat,
    },
    BuiltinDef {
        name: "array.slice",
        arity: 3,
        func: slice,
    },
    BuiltinDef {
        name: "array.reverse",
        arity: 1,
        func: reverse,
    },
    BuiltinDef {
        name: "array.flatten",
        arity: 1,
        func: flatten,
    },
];

fn concat(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = args::array(args, 0)?;
    let b = args::array(args, 1)?;
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    Ok(Value::array(out))
}

/// `array.slice(a, start, stop)`: `a[start:stop]`, both indexes clamped into range and an
/// empty array when `stop <= start`.
fn slice(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = args::array(args, 0)?;
    let start = args::integer(args, 1)?;
    let stop = args::integer(args, 2)?;
    let len = a.len();
    let stop = usize::try_from(stop.max(0)).unwrap_or(usize::MAX).min(len);
    let start = usize::try_from(start.max(0))
        .unwrap_or(usize::MAX)
        .min(stop);
    Ok(Value::array(a[start..stop].to_vec()))
}

fn reverse(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = args::array(args, 0)?;
    Ok(Value::array(a.iter().rev().cloned().collect()))
}

/// `array.flatten(a)`: the elements of `a`, with elements that are arrays spliced in (one
/// level deep).
fn flatten(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = args::array(args, 0)?;
    let mut out = Vec::with_capacity(a.len());
    for item in a {
        match item.as_array() {
            Some(inner) => out.extend_from_slice(inner),
            None => out.push(item.clone()),
        }
    }
    Ok(Value::array(out))
}

#[cfg(test)]
mod tests {
    use crate::{call_ok as ok, call_type_error as err};

    #[test]
    fn concat() {
        assert_eq!(ok("array.concat", &["[1, 2]", "[3, 4]"]), "[1, 2, 3, 4]");
        assert_eq!(ok("array.concat", &["[]", "[]"]), "[]");
        assert_eq!(
            err("array.concat", &["{}", "[3, 4]"]),
            "operand 1 must be array but got object"
        );
        assert_eq!(
            err("array.concat", &["[1, 2]", "{}"]),
            "operand 2 must be array but got object"
        );
    }

    #[test]
    fn slice() {
        let s = |a: &str, b: &str, c: &str| ok("array.slice", &[a, b, c]);
        assert_eq!(s("[1, 2, 3, 4, 5]", "1", "3"), "[2, 3]");
        assert_eq!(s("[1, 2, 3]", "0", "0"), "[]");
        assert_eq!(s("[1, 2, 3, 4, 5]", "-4", "-1"), "[]");
        assert_eq!(s("[1, 2, 3, 4, 5]", "4", "1"), "[]");
        assert_eq!(s("[1, 2, 3, 4, 5]", "-1", "2"), "[1, 2]");
        assert_eq!(s("[1, 2, 3, 4, 5]", "3", "6"), "[4, 5]");
        assert_eq!(s("[]", "1000", "2000"), "[]");
        assert_eq!(s("[1, 2, 3]", "1000", "2000"), "[]");
        assert_eq!(s("[1, 2, 3]", "1.0", "2"), "[2]");
        assert_eq!(
            err("array.slice", &["[1]", "0.5", "1"]),
            "operand 2 must be integer number but got floating-point number"
        );
        assert_eq!(
            err("array.slice", &["[1]", "0", "\"1\""]),
            "operand 3 must be number but got string"
        );
        assert_eq!(
            err("array.slice", &["\"abc\"", "0", "1"]),
            "operand 1 must be array but got string"
        );
    }

    #[test]
    fn reverse_and_flatten() {
        assert_eq!(ok("array.reverse", &["[1, 2, 3]"]), "[3, 2, 1]");
        assert_eq!(ok("array.reverse", &["[]"]), "[]");
        assert_eq!(
            err("array.reverse", &[r#"{"bar": "baz"}"#]),
            "operand 1 must be array but got object"
        );
        assert_eq!(ok("array.flatten", &["[]"]), "[]");
        assert_eq!(
            ok("array.flatten", &["[[1, 2], [3, 4], [5]]"]),
            "[1, 2, 3, 4, 5]"
        );
        assert_eq!(
            ok("array.flatten", &["[[[1], [2, 3, []]], [[4, 5]]]"]),
            "[[1], [2, 3, []], [4, 5]]"
        );
        assert_eq!(
            ok(
                "array.flatten",
                &[r#"[[1, 2], "string", [3, {"a": "b"}], 4.5, [6, [7, 8]]]"#]
            ),
            r#"[1, 2, "string", 3, {"a": "b"}, 4.5, 6, [7, 8]]"#
        );
        assert_eq!(
            err("array.flatten", &["42"]),
            "operand 1 must be array but got number"
        );
    }
}
