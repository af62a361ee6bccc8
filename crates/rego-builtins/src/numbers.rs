//! Builtins of the `numbers` family: arithmetic by name (`plus`, `minus`, ...), rounding,
//! comparisons by name (`equal`, `lt`, ...), `numbers.range`, `numbers.range_step` and
//! `rand.intn`.
//!
//! The infix operators are value operations inside `rego-eval`; these entries make the same
//! operations callable by name (`plus(1, 2)`), with OPA's error texts.

use num_bigint::BigInt;
use rand::Rng;
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, NumError, Number, Value};

use crate::args;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "abs",
        arity: 1,
        func: abs,
    },
    BuiltinDef {
        name: "ceil",
        arity: 1,
        func: ceil,
    },
    BuiltinDef {
        name: "floor",
        arity: 1,
        func: floor,
    },
    BuiltinDef {
        name: "round",
        arity: 1,
        func: round,
    },
    BuiltinDef {
        name: "plus",
        arity: 2,
        func: plus,
    },
    BuiltinDef {
        name: "minus",
        arity: 2,
        func: minus,
    },
    BuiltinDef {
        name: "mul",
        arity: 2,
        func: mul,
    },
    BuiltinDef {
        name: "div",
        arity: 2,
        func: div,
    },
    BuiltinDef {
        name: "rem",
        arity: 2,
        func: rem,
    },
    BuiltinDef {
        name: "equal",
        arity: 2,
        func: equal,
    },
    BuiltinDef {
        name: "neq",
        arity: 2,
        func: neq,
    },
    BuiltinDef {
        name: "lt",
        arity: 2,
        func: lt,
    },
    BuiltinDef {
        name: "lte",
        arity: 2,
        func: lte,
    },
    BuiltinDef {
        name: "gt",
        arity: 2,
        func: gt,
    },
    BuiltinDef {
        name: "gte",
        arity: 2,
        func: gte,
    },
    BuiltinDef {
        name: "numbers.range",
        arity: 2,
        func: range,
    },
    BuiltinDef {
        name: "numbers.range_step",
        arity: 3,
        func: range_step,
    },
    BuiltinDef {
        name: "rand.intn",
        arity: 2,
        func: rand_intn,
    },
];

/// An arithmetic error as OPA reports it: operand type errors are `eval_type_error`, the rest
/// (`divide by zero`, `modulo by zero`, ...) `eval_builtin_error`.
pub(crate) fn num_err(e: NumError) -> BuiltinError {
    match e {
        NumError::NotANumber { .. } => BuiltinError::Type(e.to_string()),
        _ => BuiltinError::msg(e.to_string()),
    }
}

/// Argument `i` as an integer of any size, with OPA's wording for big-integer operands
/// (`operand 1 must be integer but got string`, `... must be integer number but got
/// floating-point number`).
pub(crate) fn big_integer(args: &[Value], i: usize) -> Result<BigInt, BuiltinError> {
    let n = args[i]
        .as_number()
        .ok_or_else(|| BuiltinError::operand(i + 1, "integer", &args[i]))?;
    n.to_bigint().ok_or_else(|| {
        BuiltinError::Type(format!(
            "operand {} must be integer number but got floating-point number",
            i + 1
        ))
    })
}

fn unary(args: &[Value], f: fn(&Number) -> Number) -> Result<Value, BuiltinError> {
    Ok(Value::Number(f(args::number(args, 0)?)))
}

fn abs(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    unary(args, Number::abs)
}

fn ceil(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    unary(args, Number::ceil)
}

fn floor(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    unary(args, Number::floor)
}

fn round(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    unary(args, Number::round)
}

fn plus(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    args[0].add(&args[1]).map_err(num_err)
}

/// `minus`: number difference, or set difference when both operands are sets.
fn minus(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let (a, b) = (&args[0], &args[1]);
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => a.sub(b).map_err(num_err),
        (Value::Set(x), Value::Set(y)) => Ok(Value::Set(x.difference(y))),
        (Value::Number(_), _) => Err(BuiltinError::operand(2, "number", b)),
        (Value::Set(_), _) => Err(BuiltinError::operand(2, "set", b)),
        _ => Err(BuiltinError::operand(1, "one of {number, set}", a)),
    }
}

fn mul(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    args[0].mul(&args[1]).map_err(num_err)
}

fn div(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    args[0].div(&args[1]).map_err(num_err)
}

fn rem(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    args[0].rem(&args[1]).map_err(num_err)
}

fn equal(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(args[0] == args[1]))
}

fn neq(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(args[0] != args[1]))
}

fn lt(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(args[0] < args[1]))
}

fn lte(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(args[0] <= args[1]))
}

fn gt(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(args[0] > args[1]))
}

fn gte(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(args[0] >= args[1]))
}

/// `numbers.range(a, b)`: the integers from `a` to `b` inclusive, descending if `b < a`.
fn range(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let from = big_integer(args, 0)?;
    let to = big_integer(args, 1)?;
    Ok(generate_range(&from, &to, &BigInt::from(1)))
}

/// `numbers.range_step(a, b, step)`: like `numbers.range`, every `step`-th integer.
fn range_step(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let from = big_integer(args, 0)?;
    let to = big_integer(args, 1)?;
    let step = big_integer(args, 2)?;
    if step <= BigInt::ZERO {
        return Err(BuiltinError::msg(
            "numbers.range_step: step must be a positive integer",
        ));
    }
    Ok(generate_range(&from, &to, &step))
}

/// The integers from `from` towards `to` (inclusive) by `step > 0`.
fn generate_range(from: &BigInt, to: &BigInt, step: &BigInt) -> Value {
    // Fast path on machine integers.
    if let (Ok(a), Ok(b), Ok(s)) = (i64::try_from(from), i64::try_from(to), i64::try_from(step)) {
        let mut out = Vec::new();
        let mut i = a;
        if a <= b {
            while i <= b {
                out.push(Value::from_i64(i));
                match i.checked_add(s) {
                    Some(next) => i = next,
                    None => break,
                }
            }
        } else {
            while i >= b {
                out.push(Value::from_i64(i));
                match i.checked_sub(s) {
                    Some(next) => i = next,
                    None => break,
                }
            }
        }
        return Value::array(out);
    }
    let mut out = Vec::new();
    let mut i = from.clone();
    if from <= to {
        while &i <= to {
            out.push(Value::Number(Number::from_bigint(i.clone())));
            i += step;
        }
    } else {
        while &i >= to {
            out.push(Value::Number(Number::from_bigint(i.clone())));
            i -= step;
        }
    }
    Value::array(out)
}

/// `rand.intn(key, n)`: a random integer in `[0, |n|)`, the same for the same `(key, |n|)`
/// within one query; `0` for `n == 0`.
fn rand_intn(ctx: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let key = args::string(args, 0)?;
    let n = args::integer(args, 1)?;
    if n == 0 {
        return Ok(Value::from_i64(0));
    }
    let bound = n.unsigned_abs();
    let memo_args = [Value::string(key), Value::from(bound)];
    ctx.memoize("rand.intn", &memo_args, || {
        Ok(Value::from(rand::rng().random_range(0..bound)))
    })
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    /// A number (exact at any size) or other JSON text.
    fn v(s: &str) -> Value {
        Value::parse_number(s).unwrap_or_else(|| Value::from_json_str(s).unwrap())
    }

    fn ok(name: &str, args: &[Value]) -> String {
        call(name, args).unwrap().to_string()
    }

    fn err(name: &str, args: &[Value]) -> (String, &'static str) {
        let e = call(name, args).unwrap_err();
        (e.message().to_string(), e.code())
    }

    #[test]
    fn rounding() {
        assert_eq!(ok("abs", &[v("-10")]), "10");
        assert_eq!(ok("abs", &[v("-1.5")]), "1.5");
        assert_eq!(
            ok("abs", &[v("-9223372036854775808")]),
            "9223372036854775808"
        );
        assert_eq!(ok("ceil", &[v("1.01")]), "2");
        assert_eq!(ok("ceil", &[v("-1.99999")]), "-1");
        assert_eq!(ok("ceil", &[v("2222.2222222222")]), "2223");
        assert_eq!(ok("floor", &[v("-1.001")]), "-2");
        assert_eq!(ok("floor", &[v("99.99999")]), "99");
        assert_eq!(ok("round", &[v("2.5")]), "3");
        assert_eq!(ok("round", &[v("-2.5")]), "-3");
        assert_eq!(
            ok("round", &[v("18446744073709551616")]),
            "18446744073709551616"
        );
        assert_eq!(
            err("abs", &[v("\"x\"")]),
            (
                "operand 1 must be number but got string".into(),
                "eval_type_error"
            )
        );
    }

    #[test]
    fn arithmetic_by_name() {
        assert_eq!(ok("plus", &[v("1"), v("2")]), "3");
        assert_eq!(ok("plus", &[v("49649733057"), v("1")]), "49649733058");
        assert_eq!(
            ok("mul", &[v("4294967296"), v("4294967296")]),
            "18446744073709551616"
        );
        assert_eq!(ok("div", &[v("7"), v("2")]), "3.5");
        assert_eq!(ok("rem", &[v("7"), v("4")]), "3");
        assert_eq!(ok("minus", &[v("1"), v("3")]), "-2");
        assert_eq!(
            err("div", &[v("1"), v("0")]),
            ("divide by zero".into(), "eval_builtin_error")
        );
        assert_eq!(
            err("rem", &[v("7"), v("0")]),
            ("modulo by zero".into(), "eval_builtin_error")
        );
        assert_eq!(
            err("rem", &[v("1.1"), v("1")]),
            (
                "modulo on floating-point number".into(),
                "eval_builtin_error"
            )
        );
        assert_eq!(
            err("plus", &[v("1"), v("null")]),
            (
                "operand 2 must be number but got null".into(),
                "eval_type_error"
            )
        );
    }

    #[test]
    fn minus_on_sets() {
        let s = |items: &[i64]| Value::set_from(items.iter().map(|&i| Value::from(i)).collect());
        assert_eq!(ok("minus", &[s(&[1, 2, 3, 4]), s(&[1, 3])]), "{2, 4}");
        assert_eq!(ok("minus", &[s(&[1]), s(&[1])]), "set()");
        assert_eq!(
            err("minus", &[s(&[1]), v("1")]),
            (
                "operand 2 must be set but got number".into(),
                "eval_type_error"
            )
        );
        assert_eq!(
            err("minus", &[v("1"), s(&[1])]),
            (
                "operand 2 must be number but got set".into(),
                "eval_type_error"
            )
        );
        assert_eq!(
            err("minus", &[v("\"a\""), v("1")]),
            (
                "operand 1 must be one of {number, set} but got string".into(),
                "eval_type_error"
            )
        );
    }

    #[test]
    fn comparisons_by_name() {
        assert_eq!(ok("equal", &[v("1"), v("1.0")]), "true");
        assert_eq!(ok("neq", &[v("1"), v("\"1\"")]), "true");
        assert_eq!(ok("lt", &[v("1"), v("\"a\"")]), "true");
        assert_eq!(ok("lte", &[v("[1]"), v("[1]")]), "true");
        assert_eq!(ok("gt", &[v("null"), v("false")]), "false");
        assert_eq!(ok("gte", &[v("{}"), v("[]")]), "true");
    }

    #[test]
    fn ranges() {
        assert_eq!(ok("numbers.range", &[v("0"), v("0")]), "[0]");
        assert_eq!(
            ok("numbers.range", &[v("-2"), v("3")]),
            "[-2, -1, 0, 1, 2, 3]"
        );
        assert_eq!(
            ok("numbers.range", &[v("2"), v("-3")]),
            "[2, 1, 0, -1, -2, -3]"
        );
        assert_eq!(
            ok(
                "numbers.range",
                &[v("18446744073709551615"), v("18446744073709551617")]
            ),
            "[18446744073709551615, 18446744073709551616, 18446744073709551617]"
        );
        assert_eq!(
            ok(
                "numbers.range",
                &[v("9223372036854775806"), v("9223372036854775807")]
            ),
            "[9223372036854775806, 9223372036854775807]"
        );
        assert_eq!(
            err("numbers.range", &[v("3.14"), v("4")]),
            (
                "operand 1 must be integer number but got floating-point number".into(),
                "eval_type_error"
            )
        );
        assert_eq!(
            err("numbers.range", &[v("3"), v("\"4\"")]),
            (
                "operand 2 must be integer but got string".into(),
                "eval_type_error"
            )
        );
        assert_eq!(
            ok("numbers.range_step", &[v("0"), v("10"), v("2")]),
            "[0, 2, 4, 6, 8, 10]"
        );
        assert_eq!(
            ok("numbers.range_step", &[v("0"), v("-10"), v("2")]),
            "[0, -2, -4, -6, -8, -10]"
        );
        assert_eq!(
            ok("numbers.range_step", &[v("10"), v("3"), v("2")]),
            "[10, 8, 6, 4]"
        );
        assert_eq!(
            ok("numbers.range_step", &[v("2"), v("5"), v("2")]),
            "[2, 4]"
        );
        assert_eq!(
            ok(
                "numbers.range_step",
                &[v("0"), v("10"), v("99999999999999999999")]
            ),
            "[0]"
        );
        assert_eq!(
            err("numbers.range_step", &[v("0"), v("10"), v("-2")]),
            (
                "numbers.range_step: step must be a positive integer".into(),
                "eval_builtin_error"
            )
        );
        assert_eq!(
            err("numbers.range_step", &[v("0"), v("10"), v("0")]).0,
            "numbers.range_step: step must be a positive integer"
        );
    }

    #[test]
    fn rand_intn_is_stable_and_bounded() {
        let registry = crate::standard();
        let f = registry.get("rand.intn").unwrap();
        let memo = std::cell::RefCell::new(std::collections::HashMap::new());
        let ctx = rego_eval::BuiltinContext::new(0, &memo, false);
        let a = f.call(&ctx, &[v("\"k\""), v("100")]).unwrap();
        for _ in 0..20 {
            assert_eq!(f.call(&ctx, &[v("\"k\""), v("100")]).unwrap(), a);
            // A negative bound shares the key of its absolute value, as in OPA.
            assert_eq!(f.call(&ctx, &[v("\"k\""), v("-100")]).unwrap(), a);
        }
        let n = a.as_i64().unwrap();
        assert!((0..100).contains(&n));
        assert_eq!(f.call(&ctx, &[v("\"k\""), v("0")]).unwrap(), v("0"));
        assert_eq!(f.call(&ctx, &[v("\"k\""), v("1")]).unwrap(), v("0"));
        assert_eq!(
            f.call(&ctx, &[v("\"k\""), v("1.5")]).unwrap_err().message(),
            "operand 2 must be integer number but got floating-point number"
        );
        assert_eq!(
            f.call(&ctx, &[v("1"), v("1")]).unwrap_err().message(),
            "operand 1 must be string but got number"
        );
    }
}
