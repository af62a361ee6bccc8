//! Argument access with OPA's type-error wording (`operand 2 must be string but got number`).

use rego_eval::{BuiltinError, Number, Value};

/// Argument `i` (0-based) as a string.
pub(crate) fn string(args: &[Value], i: usize) -> Result<&str, BuiltinError> {
    args[i]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(i + 1, "string", &args[i]))
}

/// Argument `i` as a number.
pub(crate) fn number(args: &[Value], i: usize) -> Result<&Number, BuiltinError> {
    args[i]
        .as_number()
        .ok_or_else(|| BuiltinError::operand(i + 1, "number", &args[i]))
}

/// Argument `i` as an integral number that fits `i64`; OPA's wording for non-integers.
pub(crate) fn integer(args: &[Value], i: usize) -> Result<i64, BuiltinError> {
    let n = number(args, i)?;
    n.as_i64().ok_or_else(|| {
        BuiltinError::Type(format!(
            "operand {} must be integer number but got floating-point number",
            i + 1
        ))
    })
}

/// Argument `i` as an array.
pub(crate) fn array(args: &[Value], i: usize) -> Result<&[Value], BuiltinError> {
    args[i]
        .as_array()
        .ok_or_else(|| BuiltinError::operand(i + 1, "array", &args[i]))
}

/// Argument `i` as an object.
pub(crate) fn object(args: &[Value], i: usize) -> Result<&[(Value, Value)], BuiltinError> {
    args[i]
        .as_object()
        .ok_or_else(|| BuiltinError::operand(i + 1, "object", &args[i]))
}
