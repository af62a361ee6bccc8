//! The operators: comparisons, arithmetic, and set union/intersection/difference.

use crate::builtin::BuiltinError;
use crate::value::{Set, Value};
use rego_syntax::ast::BinOp;

/// Applies a binary operator. Errors use OPA's operand wording.
pub(crate) fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value, BuiltinError> {
    Ok(match op {
        BinOp::Eq => Value::Bool(a == b),
        BinOp::Neq => Value::Bool(a != b),
        BinOp::Lt => Value::Bool(a < b),
        BinOp::Lte => Value::Bool(a <= b),
        BinOp::Gt => Value::Bool(a > b),
        BinOp::Gte => Value::Bool(a >= b),
        BinOp::Or => match (a, b) {
            (Value::Set(x), Value::Set(y)) => Value::Set(x.union(y)),
            (Value::Set(_), other) => return Err(BuiltinError::operand(2, "set", other)),
            (other, _) => return Err(BuiltinError::operand(1, "set", other)),
        },
        BinOp::And => match (a, b) {
            (Value::Set(x), Value::Set(y)) => Value::Set(x.intersection(y)),
            (Value::Set(_), other) => return Err(BuiltinError::operand(2, "set", other)),
            (other, _) => return Err(BuiltinError::operand(1, "set", other)),
        },
        BinOp::Sub => match (a, b) {
            (Value::Set(x), Value::Set(y)) => Value::Set(Set::difference(x, y)),
            (Value::Number(_), Value::Number(_)) => arith(a.sub(b))?,
            (Value::Set(_), other) => return Err(BuiltinError::operand(2, "set", other)),
            (Value::Number(_), other) => return Err(BuiltinError::operand(2, "number", other)),
            (other, _) => return Err(BuiltinError::operand(1, "one of {number, set}", other)),
        },
        BinOp::Add | BinOp::Mul | BinOp::Div | BinOp::Rem => {
            if a.as_number().is_none() {
                return Err(BuiltinError::operand(1, "number", a));
            }
            if b.as_number().is_none() {
                return Err(BuiltinError::operand(2, "number", b));
            }
            arith(match op {
                BinOp::Add => a.add(b),
                BinOp::Mul => a.mul(b),
                BinOp::Div => a.div(b),
                _ => a.rem(b),
            })?
        }
    })
}

fn arith(r: Result<Value, crate::value::NumError>) -> Result<Value, BuiltinError> {
    r.map_err(|e| BuiltinError::Builtin(e.to_string()))
}
