//! Arithmetic on values: the number operations of [`Number`] with OPA's operand type errors.

use super::{NumError, Number, Value};

/// The numbers of two operands, or the error naming the first that is not a number.
fn operands<'a>(a: &'a Value, b: &'a Value) -> Result<(&'a Number, &'a Number), NumError> {
    Ok((operand(a, 1)?, operand(b, 2)?))
}

fn operand(v: &Value, position: u8) -> Result<&Number, NumError> {
    v.as_number().ok_or(NumError::NotANumber {
        operand: position,
        got: v.type_name(),
    })
}

impl Value {
    /// Rego's `a + b` on numbers (exact on integers). See [`Number::add`].
    pub fn add(&self, other: &Value) -> Result<Value, NumError> {
        let (a, b) = operands(self, other)?;
        a.add(b).map(Value::Number)
    }

    /// Rego's `a - b` on numbers. Set difference is [`super::Set::difference`].
    pub fn sub(&self, other: &Value) -> Result<Value, NumError> {
        let (a, b) = operands(self, other)?;
        a.sub(b).map(Value::Number)
    }

    /// Rego's `a * b` on numbers.
    pub fn mul(&self, other: &Value) -> Result<Value, NumError> {
        let (a, b) = operands(self, other)?;
        a.mul(b).map(Value::Number)
    }

    /// Rego's `a / b` (`7 / 2 == 3.5`, `4 / 2 == 2`); division by zero is an error.
    pub fn div(&self, other: &Value) -> Result<Value, NumError> {
        let (a, b) = operands(self, other)?;
        a.div(b).map(Value::Number)
    }

    /// Rego's `a % b` on integers, with the sign of `a` (`-7 % 3 == -1`).
    pub fn rem(&self, other: &Value) -> Result<Value, NumError> {
        let (a, b) = operands(self, other)?;
        a.rem(b).map(Value::Number)
    }

    /// `-a`, for a number.
    pub fn neg(&self) -> Result<Value, NumError> {
        Ok(Value::Number(operand(self, 1)?.neg()))
    }

    /// `abs(a)`, for a number.
    pub fn abs(&self) -> Result<Value, NumError> {
        Ok(Value::Number(operand(self, 1)?.abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Value {
        Value::parse_number(s).unwrap()
    }

    #[test]
    fn operators() {
        assert_eq!(n("7").div(&n("2")), Ok(n("3.5")));
        assert_eq!(n("4").div(&n("2")), Ok(n("2")));
        assert!(n("4").div(&n("2")).unwrap().is_integer());
        assert_eq!(n("-7").rem(&n("3")), Ok(n("-1")));
        assert_eq!(n("1").div(&n("0")), Err(NumError::DivideByZero));
        assert_eq!(
            n("1.5").rem(&n("1")).unwrap_err().to_string(),
            "modulo on floating-point number"
        );
        assert_eq!(
            n("9223372036854775807").add(&n("9223372036854775807")),
            Ok(n("18446744073709551614"))
        );
        assert_eq!(
            n("4294967296").mul(&n("4294967296")),
            Ok(n("18446744073709551616"))
        );
        assert_eq!(n("1").sub(&n("1.5")), Ok(n("-0.5")));
        assert_eq!(
            n("-9223372036854775808").abs(),
            Ok(n("9223372036854775808"))
        );
        assert_eq!(n("2").neg(), Ok(n("-2")));
    }

    #[test]
    fn type_errors_name_the_operand() {
        let e = Value::from("a").add(&n("1")).unwrap_err();
        assert_eq!(
            e,
            NumError::NotANumber {
                operand: 1,
                got: "string"
            }
        );
        assert_eq!(e.to_string(), "operand 1 must be number but got string");
        let e = n("1").mul(&Value::empty_set()).unwrap_err();
        assert_eq!(e.to_string(), "operand 2 must be number but got set");
        assert_eq!(
            Value::Null.neg().unwrap_err().to_string(),
            "operand 1 must be number but got null"
        );
    }
}
