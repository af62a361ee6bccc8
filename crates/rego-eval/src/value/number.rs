//! Rego numbers: exact integers of any size next to binary floats, in one canonical form.
//!
//! OPA keeps numbers as decimal text and computes with arbitrary precision. We keep:
//!
//! - integers that fit an `i64` inline ([`Number::from_i64`]);
//! - integers beyond `i64` as an exact [`BigInt`] behind an `Arc`;
//! - every other value as a finite `f64` that is **not integral**.
//!
//! Each numeric value has exactly one representation (an integral `f64` becomes an integer), so
//! equality and hashing are structural and `1 == 1.0` holds for free. An integral `f64` of
//! magnitude 2^53 or more becomes the integer written by its shortest round-trip decimal form:
//! `1e300` becomes 10^300, not the 301-digit binary expansion of the nearest double.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

mod ops;
mod text;

use text::Parts;

/// 2^53: every `f64` below this magnitude that is integral converts to `i64` exactly, and every
/// integer below it is an exact `f64`.
const TWO_POW_53: f64 = 9_007_199_254_740_992.0;

/// A Rego number: an exact integer of any size, or a non-integral finite `f64`.
///
/// Build one with [`Number::from_i64`], [`Number::from_f64`], [`Number::from_bigint`] or by
/// parsing Rego/JSON number text with [`Number::parse`]. Numbers compare by numeric value.
///
/// ```
/// use rego_eval::Number;
/// let a: Number = "18446744073709551614".parse().unwrap();
/// let b = a.add(&Number::from_i64(1)).unwrap();
/// assert_eq!(b.to_string(), "18446744073709551615");
/// assert_eq!(Number::from_f64(2.0), Some(Number::from_i64(2)));
/// ```
#[derive(Clone)]
pub struct Number(Repr);

/// The canonical representation; the invariants are upheld by every constructor.
#[derive(Clone)]
enum Repr {
    /// Any integer in `i64` range.
    Int(i64),
    /// A finite, non-integral value (so its magnitude is below 2^52).
    Float(f64),
    /// An integer outside `i64` range.
    Big(Arc<BigInt>),
}

/// An arithmetic error, worded as OPA words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumError {
    /// `x / 0`.
    #[error("divide by zero")]
    DivideByZero,
    /// `x % 0`.
    #[error("modulo by zero")]
    ModuloByZero,
    /// `1.5 % 1`: the remainder is defined on integers only.
    #[error("modulo on floating-point number")]
    ModuloOnFloat,
    /// A floating-point result that is not finite, e.g. a huge integer times `0.5` overflowing
    /// `f64`.
    #[error("number too large")]
    Overflow,
    /// An operand of an arithmetic operator on [`crate::Value`] is not a number.
    #[error("operand {operand} must be number but got {got}")]
    NotANumber {
        /// 1 for the left operand, 2 for the right one.
        operand: u8,
        /// The OPA type name of the operand (`"string"`, `"set"`, ...).
        got: &'static str,
    },
}

/// Why number text did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseNumberError {
    /// Not a JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    #[error("invalid number")]
    Invalid,
    /// The number is too large to represent: an exponent blowing an integer up beyond 30000
    /// digits (`1e400000`), or a non-integral number beyond `f64` range.
    #[error("number too large")]
    TooLarge,
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number(Repr::Int(0));

    /// An integer.
    pub const fn from_i64(i: i64) -> Number {
        Number(Repr::Int(i))
    }

    /// An unsigned integer (exact, also beyond `i64::MAX`).
    pub fn from_u64(u: u64) -> Number {
        match i64::try_from(u) {
            Ok(i) => Number(Repr::Int(i)),
            Err(_) => Number(Repr::Big(Arc::new(BigInt::from(u)))),
        }
    }

    /// A 128-bit integer (exact).
    pub fn from_i128(i: i128) -> Number {
        match i64::try_from(i) {
            Ok(i) => Number(Repr::Int(i)),
            Err(_) => Number(Repr::Big(Arc::new(BigInt::from(i)))),
        }
    }

    /// A big integer, stored inline when it fits an `i64`.
    pub fn from_bigint(b: BigInt) -> Number {
        match b.to_i64() {
            Some(i) => Number(Repr::Int(i)),
            None => Number(Repr::Big(Arc::new(b))),
        }
    }

    /// A float; `None` if it is NaN or infinite. Integral values become integers (`2.0` is the
    /// integer 2; `1e300` is 10^300, the integer its shortest decimal form names).
    pub fn from_f64(x: f64) -> Option<Number> {
        if !x.is_finite() {
            return None;
        }
        if x.fract() != 0.0 {
            return Some(Number(Repr::Float(x)));
        }
        if x.abs() < TWO_POW_53 {
            // Exact; also turns -0.0 into 0.
            return Some(Number(Repr::Int(x as i64)));
        }
        // Rust's `{:e}` is the shortest text that reads back as `x`, e.g. `1.152921504606847e18`.
        let text = format!("{x:e}");
        match Parts::scan(&text).map(|p| p.integer(text.len())) {
            Some(Ok(Some(n))) => Some(n),
            // Not reachable (the shortest form of an integral double at or above 2^53 is
            // integral), but the exact binary value is a faithful fallback.
            _ => num_traits::FromPrimitive::from_f64(x).map(Number::from_bigint),
        }
    }

    /// True for integers (of any size); false for non-integral values.
    pub fn is_integer(&self) -> bool {
        !matches!(self.0, Repr::Float(_))
    }

    /// The value as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The value as a `u64`, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.0 {
            Repr::Int(i) => u64::try_from(*i).ok(),
            Repr::Big(b) => b.to_u64(),
            Repr::Float(_) => None,
        }
    }

    /// The value as a `usize` index, if it is a non-negative integer in range.
    pub fn as_usize(&self) -> Option<usize> {
        match self.0 {
            Repr::Int(i) => usize::try_from(i).ok(),
            _ => None,
        }
    }

    /// The value as a big integer, if it is an integer.
    pub fn to_bigint(&self) -> Option<BigInt> {
        match &self.0 {
            Repr::Int(i) => Some(BigInt::from(*i)),
            Repr::Big(b) => Some(BigInt::clone(b)),
            Repr::Float(_) => None,
        }
    }

    /// The nearest `f64` (infinite for integers beyond `f64::MAX`).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::Int(i) => *i as f64,
            Repr::Float(x) => *x,
            Repr::Big(b) => b.to_f64().unwrap_or(if b.is_negative() {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
        }
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        matches!(self.0, Repr::Int(0))
    }

    /// True for values below zero.
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Int(i) => *i < 0,
            Repr::Float(x) => *x < 0.0,
            Repr::Big(b) => b.is_negative(),
        }
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        Number::from_i64(i)
    }
}

impl From<i32> for Number {
    fn from(i: i32) -> Number {
        Number::from_i64(i64::from(i))
    }
}

impl From<u32> for Number {
    fn from(u: u32) -> Number {
        Number::from_i64(i64::from(u))
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Number {
        Number::from_u64(u)
    }
}

impl From<usize> for Number {
    fn from(u: usize) -> Number {
        Number::from_u64(u as u64)
    }
}

impl From<BigInt> for Number {
    fn from(b: BigInt) -> Number {
        Number::from_bigint(b)
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        // Canonical representations: equal values have equal representations.
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => a == b,
            (Repr::Float(a), Repr::Float(b)) => a == b,
            (Repr::Big(a), Repr::Big(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Number {}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => a.cmp(b),
            (Repr::Float(a), Repr::Float(b)) => a.total_cmp(b),
            (Repr::Int(a), Repr::Float(b)) => cmp_int_float(*a, *b),
            (Repr::Float(a), Repr::Int(b)) => cmp_int_float(*b, *a).reverse(),
            (Repr::Big(a), Repr::Big(b)) => a.cmp(b),
            // A big integer is beyond every i64 and every (non-integral, so small) float.
            (Repr::Big(a), _) => {
                if a.is_negative() {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (_, Repr::Big(b)) => {
                if b.is_negative() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
        }
    }
}

/// Compares an integer with a non-integral float (never equal).
fn cmp_int_float(a: i64, b: f64) -> Ordering {
    // `b` is below 2^52 in magnitude, so its floor converts exactly; a <= floor(b) < b.
    if a <= b.floor() as i64 {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Repr::Int(i) => {
                state.write_u8(0);
                state.write_i64(*i);
            }
            Repr::Float(x) => {
                state.write_u8(1);
                state.write_u64(x.to_bits());
            }
            Repr::Big(b) => {
                state.write_u8(2);
                b.hash(state);
            }
        }
    }
}

impl fmt::Display for Number {
    /// JSON number text: integers as all their digits; non-integral floats in the shortest form
    /// that reads back as the same `f64`, positional (`0.1`, `3.5`) unless the magnitude is below
    /// 1e-6, then with an exponent (`1e-7`, `2.5e-10`), the rule Go's `encoding/json` uses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Int(i) => fmt::Display::fmt(i, f),
            Repr::Big(b) => fmt::Display::fmt(&**b, f),
            Repr::Float(x) => {
                if x.abs() < 1e-6 {
                    write!(f, "{x:e}")
                } else {
                    write!(f, "{x}")
                }
            }
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn n(s: &str) -> Number {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn h(x: &Number) -> u64 {
        let mut s = DefaultHasher::new();
        x.hash(&mut s);
        s.finish()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(Number::from_f64(2.0), Some(Number::from_i64(2)));
        assert_eq!(Number::from_f64(-0.0), Some(Number::ZERO));
        assert_eq!(Number::from_f64(f64::NAN), None);
        assert_eq!(Number::from_f64(f64::INFINITY), None);
        assert_eq!(n("1.0"), n("1"));
        assert_eq!(h(&n("1.0")), h(&n("1")));
        assert_eq!(Number::from_f64(1e19).unwrap(), n("10000000000000000000"));
        assert_eq!(
            h(&Number::from_f64(1e19).unwrap()),
            h(&n("10000000000000000000"))
        );
        assert_eq!(Number::from_f64(1e300).unwrap(), n("1e300"));
        // 2^60 reads as its shortest decimal form.
        assert_eq!(
            Number::from_f64(2f64.powi(60)).unwrap().to_string(),
            "1152921504606847000"
        );
        assert_eq!(Number::from_bigint(BigInt::from(5)).as_i64(), Some(5));
        assert_eq!(Number::from_u64(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Number::from_u64(u64::MAX).as_i64(), None);
        assert!(n("1.5").as_i64().is_none());
        assert_eq!(n("2.0").as_i64(), Some(2));
        assert!(n("1e20").is_integer());
        assert!(!n("0.5").is_integer());
        assert_eq!(n("0.5").as_f64(), 0.5);
        assert_eq!(n("-1e400").as_f64(), f64::NEG_INFINITY);
    }

    #[test]
    fn ordering_across_representations() {
        let sorted = [
            "-1e30",
            "-9223372036854775809",
            "-9223372036854775808",
            "-2.5",
            "-1",
            "0",
            "0.1",
            "1",
            "1.5",
            "2",
            "4503599627370495.5",
            "4503599627370496",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551614",
            "1e30",
        ];
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate() {
                assert_eq!(n(a).cmp(&n(b)), i.cmp(&j), "{a} vs {b}");
            }
        }
    }
}
