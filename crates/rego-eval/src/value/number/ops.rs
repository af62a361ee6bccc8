//! Arithmetic on numbers: exact on integers (checked `i64` fast paths, promoted to big
//! integers on overflow), `f64` as soon as a non-integral operand or quotient is involved.

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

use super::{NumError, Number, Repr};

impl Number {
    /// `self + other`: exact on integers; `Err(Overflow)` only if a float result is infinite.
    pub fn add(&self, other: &Number) -> Result<Number, NumError> {
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => Ok(a.checked_add(*b).map_or_else(
                || Number::from_i128(i128::from(*a) + i128::from(*b)),
                Number::from_i64,
            )),
            (Repr::Float(_), _) | (_, Repr::Float(_)) => {
                float_result(self.as_f64() + other.as_f64())
            }
            _ => Ok(Number::from_bigint(self.big() + other.big())),
        }
    }

    /// `self - other`: exact on integers; `Err(Overflow)` only if a float result is infinite.
    pub fn sub(&self, other: &Number) -> Result<Number, NumError> {
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => Ok(a.checked_sub(*b).map_or_else(
                || Number::from_i128(i128::from(*a) - i128::from(*b)),
                Number::from_i64,
            )),
            (Repr::Float(_), _) | (_, Repr::Float(_)) => {
                float_result(self.as_f64() - other.as_f64())
            }
            _ => Ok(Number::from_bigint(self.big() - other.big())),
        }
    }

    /// `self * other`: exact on integers; `Err(Overflow)` only if a float result is infinite.
    pub fn mul(&self, other: &Number) -> Result<Number, NumError> {
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => Ok(a.checked_mul(*b).map_or_else(
                || Number::from_i128(i128::from(*a) * i128::from(*b)),
                Number::from_i64,
            )),
            (Repr::Float(_), _) | (_, Repr::Float(_)) => {
                float_result(self.as_f64() * other.as_f64())
            }
            _ => Ok(Number::from_bigint(self.big() * other.big())),
        }
    }

    /// `self / other`. An exact integer quotient stays an exact integer (`4 / 2 == 2`); any
    /// other quotient is the nearest `f64` (`7 / 2 == 3.5`). Dividing by zero is an error.
    pub fn div(&self, other: &Number) -> Result<Number, NumError> {
        if other.is_zero() {
            return Err(NumError::DivideByZero);
        }
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => {
                if a.checked_rem(*b).unwrap_or(0) == 0 {
                    // Only i64::MIN / -1 overflows.
                    Ok(Number::from_i128(i128::from(*a) / i128::from(*b)))
                } else if a.unsigned_abs() <= 1 << 53 && b.unsigned_abs() <= 1 << 53 {
                    float_result(*a as f64 / *b as f64)
                } else {
                    float_result(ratio_to_f64(&BigInt::from(*a), &BigInt::from(*b)))
                }
            }
            (Repr::Float(_), _) | (_, Repr::Float(_)) => {
                float_result(self.as_f64() / other.as_f64())
            }
            _ => {
                let (a, b) = (self.big(), other.big());
                if (&a % &b).is_zero() {
                    Ok(Number::from_bigint(a / b))
                } else {
                    float_result(ratio_to_f64(&a, &b))
                }
            }
        }
    }

    /// `self % other` on integers, with the sign of `self` (`-7 % 3 == -1`, as in Go and OPA).
    /// Errors on a zero divisor and on non-integral operands.
    pub fn rem(&self, other: &Number) -> Result<Number, NumError> {
        if !self.is_integer() || !other.is_integer() {
            return Err(NumError::ModuloOnFloat);
        }
        if other.is_zero() {
            return Err(NumError::ModuloByZero);
        }
        match (&self.0, &other.0) {
            // Only i64::MIN % -1 overflows, and its remainder is 0.
            (Repr::Int(a), Repr::Int(b)) => Ok(Number::from_i64(a.checked_rem(*b).unwrap_or(0))),
            _ => Ok(Number::from_bigint(self.big() % other.big())),
        }
    }

    /// `-self` (exact).
    pub fn neg(&self) -> Number {
        match &self.0 {
            Repr::Int(i) => i
                .checked_neg()
                .map_or_else(|| Number::from_i128(-i128::from(*i)), Number::from_i64),
            Repr::Float(x) => Number(Repr::Float(-x)),
            Repr::Big(b) => Number::from_bigint(-BigInt::clone(b)),
        }
    }

    /// The absolute value (exact).
    pub fn abs(&self) -> Number {
        if self.is_negative() {
            self.neg()
        } else {
            self.clone()
        }
    }

    /// The largest integer not above `self`.
    pub fn floor(&self) -> Number {
        self.map_float(f64::floor)
    }

    /// The smallest integer not below `self`.
    pub fn ceil(&self) -> Number {
        self.map_float(f64::ceil)
    }

    /// The nearest integer, halves rounded away from zero (`round(-2.5) == -3`, as in OPA).
    pub fn round(&self) -> Number {
        self.map_float(f64::round)
    }

    /// Applies an integral-valued rounding to a float; integers are unchanged.
    fn map_float(&self, f: fn(f64) -> f64) -> Number {
        match self.0 {
            // A non-integral float is below 2^52 in magnitude, so the result is a small integer.
            Repr::Float(x) => Number(Repr::Int(f(x) as i64)),
            _ => self.clone(),
        }
    }

    /// The value as a big integer; callers have checked that it is an integer.
    fn big(&self) -> BigInt {
        match &self.0 {
            Repr::Int(i) => BigInt::from(*i),
            Repr::Big(b) => BigInt::clone(b),
            Repr::Float(x) => num_traits::FromPrimitive::from_f64(*x).unwrap_or_default(),
        }
    }
}

/// A float result of arithmetic: canonical, or an overflow error if not finite.
fn float_result(x: f64) -> Result<Number, NumError> {
    Number::from_f64(x).ok_or(NumError::Overflow)
}

/// `a / b` as the nearest-ish `f64`, also when `a` and `b` are beyond `f64` range.
fn ratio_to_f64(a: &BigInt, b: &BigInt) -> f64 {
    // Drop low bits that cannot matter so both sides convert finitely.
    let shift = a.bits().max(b.bits()).saturating_sub(1000);
    let (a, b) = (a >> shift, b >> shift);
    let (x, y) = (
        a.to_f64().unwrap_or(f64::NAN),
        b.to_f64().unwrap_or(f64::NAN),
    );
    x / y
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn arithmetic() {
        let calc = |a: &str, op: &str, b: &str| {
            let (a, b) = (n(a), n(b));
            match op {
                "+" => a.add(&b),
                "-" => a.sub(&b),
                "*" => a.mul(&b),
                "/" => a.div(&b),
                "%" => a.rem(&b),
                _ => unreachable!(),
            }
            .map(|r| r.to_string())
        };
        let ok = |s: &str| Ok(s.to_string());
        assert_eq!(calc("1", "+", "2"), ok("3"));
        assert_eq!(calc("1.5", "+", "1.5"), ok("3"));
        assert_eq!(calc("0.1", "+", "0.2"), ok("0.30000000000000004"));
        assert_eq!(
            calc("9223372036854775807", "+", "1"),
            ok("9223372036854775808")
        );
        assert_eq!(
            calc("9223372036854775808", "-", "1"),
            ok("9223372036854775807")
        );
        assert_eq!(
            calc("-9223372036854775808", "-", "1"),
            ok("-9223372036854775809")
        );
        assert_eq!(
            calc("18446744073709551614", "+", "1"),
            ok("18446744073709551615")
        );
        assert_eq!(
            calc("9223372036854775807", "*", "9223372036854775807"),
            ok("85070591730234615847396907784232501249")
        );
        assert_eq!(
            calc(
                "85070591730234615847396907784232501249",
                "*",
                "85070591730234615847396907784232501249"
            ),
            ok("7237005577332262210834635695349653859421902880380109739573089701262786560001")
        );
        assert_eq!(calc("7", "/", "2"), ok("3.5"));
        assert_eq!(calc("4", "/", "2"), ok("2"));
        assert_eq!(calc("1", "/", "3"), ok("0.3333333333333333"));
        assert_eq!(
            calc("-9223372036854775808", "/", "-1"),
            ok("9223372036854775808")
        );
        assert_eq!(
            calc("36893488147419103232", "/", "2"),
            ok("18446744073709551616")
        );
        assert_eq!(
            calc("36893488147419103233", "/", "36893488147419103232"),
            ok("1")
        );
        assert_eq!(calc("1", "/", "0"), Err(NumError::DivideByZero));
        assert_eq!(calc("1.5", "/", "0"), Err(NumError::DivideByZero));
        assert_eq!(calc("-7", "%", "3"), ok("-1"));
        assert_eq!(calc("7", "%", "-3"), ok("1"));
        assert_eq!(calc("-9223372036854775808", "%", "-1"), ok("0"));
        assert_eq!(calc("18446744073709551615", "%", "10"), ok("5"));
        assert_eq!(calc("7", "%", "0"), Err(NumError::ModuloByZero));
        assert_eq!(calc("7.5", "%", "2"), Err(NumError::ModuloOnFloat));
        assert_eq!(calc("7", "%", "0.5"), Err(NumError::ModuloOnFloat));
        assert_eq!(calc("1e400", "*", "0.5"), Err(NumError::Overflow));
        assert_eq!(calc("0.5", "*", "4"), ok("2"));
        assert_eq!(
            n("-9223372036854775808").neg().to_string(),
            "9223372036854775808"
        );
        assert_eq!(
            n("9223372036854775808").neg().to_string(),
            "-9223372036854775808"
        );
        assert_eq!(n("9223372036854775808").neg().as_i64(), Some(i64::MIN));
        assert_eq!(n("-1.5").abs().to_string(), "1.5");
        assert_eq!(n("-2.5").round().to_string(), "-3");
        assert_eq!(n("2.5").round().to_string(), "3");
        assert_eq!(n("-2.5").floor().to_string(), "-3");
        assert_eq!(n("-2.5").ceil().to_string(), "-2");
        assert_eq!(
            n("18446744073709551614").floor().to_string(),
            "18446744073709551614"
        );
    }
}
