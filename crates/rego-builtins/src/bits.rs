//! Builtins of the `bits` family: bitwise operations on integers of any size, in two's
//! complement as OPA (Go's `math/big`) computes them.

use num_bigint::{BigInt, Sign};
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Number, Value};

use crate::numbers::big_integer;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "bits.and",
        arity: 2,
        func: and,
    },
    BuiltinDef {
        name: "bits.or",
        arity: 2,
        func: or,
    },
    BuiltinDef {
        name: "bits.xor",
        arity: 2,
        func: xor,
    },
    BuiltinDef {
        name: "bits.negate",
        arity: 1,
        func: negate,
    },
    BuiltinDef {
        name: "bits.lsh",
        arity: 2,
        func: lsh,
    },
    BuiltinDef {
        name: "bits.rsh",
        arity: 2,
        func: rsh,
    },
];

/// The largest left shift we perform: a result beyond 2^(2^24) (five million decimal digits)
/// is refused rather than exhausting memory.
const MAX_SHIFT: u64 = 1 << 24;

fn int(b: BigInt) -> Value {
    Value::Number(Number::from_bigint(b))
}

fn binary(args: &[Value], f: fn(&BigInt, &BigInt) -> BigInt) -> Result<Value, BuiltinError> {
    let a = big_integer(args, 0)?;
    let b = big_integer(args, 1)?;
    Ok(int(f(&a, &b)))
}

fn and(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    binary(args, |a, b| a & b)
}

fn or(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    binary(args, |a, b| a | b)
}

fn xor(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    binary(args, |a, b| a ^ b)
}

fn negate(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(int(!big_integer(args, 0)?))
}

/// The shift operands: the value and a non-negative shift amount (saturated to `u64`).
fn shift_operands(args: &[Value]) -> Result<(BigInt, u64), BuiltinError> {
    let a = big_integer(args, 0)?;
    let b = big_integer(args, 1)?;
    if b.sign() == Sign::Minus {
        return Err(BuiltinError::Type(
            "operand 2 must be an unsigned integer number but got a negative integer".into(),
        ));
    }
    Ok((a, u64::try_from(&b).unwrap_or(u64::MAX)))
}

fn lsh(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let (a, shift) = shift_operands(args)?;
    if a.sign() == Sign::NoSign {
        return Ok(Value::from_i64(0));
    }
    if shift > MAX_SHIFT {
        return Err(BuiltinError::msg("number too large"));
    }
    // `shift <= MAX_SHIFT` fits every `usize` we build for.
    Ok(int(a << usize::try_from(shift).unwrap_or(usize::MAX)))
}

fn rsh(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let (a, shift) = shift_operands(args)?;
    // An arithmetic shift: beyond the value's bits it is 0, or -1 for negative values.
    if shift >= a.bits() {
        return Ok(Value::from_i64(if a.sign() == Sign::Minus {
            -1
        } else {
            0
        }));
    }
    Ok(int(a >> usize::try_from(shift).unwrap_or(usize::MAX)))
}

#[cfg(test)]
mod tests {
    use crate::{arg as v, call, call_ok as ok, call_type_error as err};

    #[test]
    fn bitwise() {
        assert_eq!(ok("bits.and", &["7", "9"]), "1");
        assert_eq!(ok("bits.and", &["50", "0"]), "0");
        assert_eq!(ok("bits.or", &["7", "9"]), "15");
        assert_eq!(ok("bits.or", &["50", "0"]), "50");
        assert_eq!(ok("bits.xor", &["42", "3"]), "41");
        assert_eq!(ok("bits.xor", &["42", "42"]), "0");
        assert_eq!(ok("bits.negate", &["42"]), "-43");
        assert_eq!(ok("bits.negate", &["-1"]), "0");
        // Two's complement on negative and big operands.
        assert_eq!(ok("bits.and", &["-1", "255"]), "255");
        assert_eq!(ok("bits.or", &["-8", "3"]), "-5");
        assert_eq!(
            ok(
                "bits.and",
                &["36893488147419103231", "18446744073709551616"]
            ),
            "18446744073709551616"
        );
        assert_eq!(
            ok("bits.negate", &["18446744073709551616"]),
            "-18446744073709551617"
        );
    }

    #[test]
    fn shifts() {
        assert_eq!(ok("bits.lsh", &["1", "3"]), "8");
        assert_eq!(ok("bits.lsh", &["2147483647", "1"]), "4294967294");
        assert_eq!(
            ok("bits.lsh", &["9223372036854775807", "1"]),
            "18446744073709551614"
        );
        assert_eq!(ok("bits.lsh", &["0", "100000000000"]), "0");
        assert_eq!(ok("bits.rsh", &["8", "3"]), "1");
        assert_eq!(ok("bits.rsh", &["-8", "1"]), "-4");
        assert_eq!(ok("bits.rsh", &["-7", "1"]), "-4");
        assert_eq!(ok("bits.rsh", &["-7", "1000"]), "-1");
        assert_eq!(ok("bits.rsh", &["7", "99999999999999999999"]), "0");
        assert_eq!(ok("bits.rsh", &["18446744073709551616", "64"]), "1");
        let e = call("bits.lsh", &[v("1"), v("100000000000")]).unwrap_err();
        assert_eq!(e.code(), "eval_builtin_error");
    }

    #[test]
    fn errors() {
        for f in ["bits.and", "bits.or", "bits.xor", "bits.lsh", "bits.rsh"] {
            assert_eq!(
                err(f, &["7.2", "42"]),
                "operand 1 must be integer number but got floating-point number"
            );
            assert_eq!(
                err(f, &["7", "\"a\""]),
                "operand 2 must be integer but got string"
            );
        }
        assert_eq!(
            err("bits.negate", &["7.2"]),
            "operand 1 must be integer number but got floating-point number"
        );
        for f in ["bits.lsh", "bits.rsh"] {
            assert_eq!(
                err(f, &["7", "-1"]),
                "operand 2 must be an unsigned integer number but got a negative integer"
            );
        }
    }
}
