//! Reading number text: JSON's grammar, any size, exact integers.

use std::str::FromStr;

use num_bigint::{BigInt, BigUint, Sign};

use super::{Number, ParseNumberError, Repr};

/// How many decimal digits an exponent may blow a number up to (`1e29999` is accepted,
/// `1e30000` is "number too large"). OPA rejects numbers with a binary exponent beyond 1e5,
/// about 30103 decimal digits.
const MAX_SCALED_DIGITS: usize = 30_000;

impl Number {
    /// Parses Rego/JSON number text of any size: `-12`, `1.5`, `1e3`, `18446744073709551616`.
    ///
    /// Integral values (`2.0`, `1e3`, `1.5e1`) become exact integers; other values become the
    /// nearest `f64` (so `0.1000000000000000000001` reads as `0.1`, and `1e-400` as `0`). The
    /// grammar is JSON's: no leading `+`, no leading zeros, no `.5` or `5.`.
    pub fn parse(text: &str) -> Result<Number, ParseNumberError> {
        let b = text.as_bytes();
        // Fast path: a short plain integer.
        let (neg, digits) = match b.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, b),
        };
        if !digits.is_empty()
            && digits.len() <= 18
            && digits.iter().all(u8::is_ascii_digit)
            && (digits[0] != b'0' || digits.len() == 1)
        {
            let v = digits
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            return Ok(Number(Repr::Int(if neg { -v } else { v })));
        }
        let parts = Parts::scan(text).ok_or(ParseNumberError::Invalid)?;
        if let Some(n) = parts.integer(text.len())? {
            return Ok(n);
        }
        // Not integral: the nearest double (Rust's parser rounds correctly).
        let x: f64 = text.parse().map_err(|_| ParseNumberError::Invalid)?;
        Number::from_f64(x).ok_or(ParseNumberError::TooLarge)
    }
}

/// Number text split into sign, significant digits and a decimal exponent.
pub(super) struct Parts {
    negative: bool,
    /// ASCII digits without leading zeros; empty for zero.
    digits: Vec<u8>,
    /// The value is `digits * 10^exp10`.
    exp10: i64,
}

impl Parts {
    /// Scans JSON number text; `None` if it is not one.
    pub(super) fn scan(text: &str) -> Option<Parts> {
        let b = text.as_bytes();
        let mut i = 0;
        let negative = b.first() == Some(&b'-');
        if negative {
            i += 1;
        }
        let digit_run = |i: &mut usize| {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            &b[start..*i]
        };
        let int = digit_run(&mut i);
        if int.is_empty() || (int.len() > 1 && int[0] == b'0') {
            return None;
        }
        let mut frac: &[u8] = &[];
        if b.get(i) == Some(&b'.') {
            i += 1;
            frac = digit_run(&mut i);
            if frac.is_empty() {
                return None;
            }
        }
        let mut exp: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_negative = b.get(i) == Some(&b'-');
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let e = digit_run(&mut i);
            if e.is_empty() {
                return None;
            }
            // Saturate far beyond any accepted size; callers reject such exponents anyway.
            exp = e
                .iter()
                .fold(0i64, |acc, d| (acc * 10 + i64::from(d - b'0')).min(1 << 40));
            if exp_negative {
                exp = -exp;
            }
        }
        if i != b.len() {
            return None;
        }
        let mut digits: Vec<u8> = int
            .iter()
            .chain(frac)
            .copied()
            .skip_while(|&d| d == b'0')
            .collect();
        let mut exp10 = exp - frac.len() as i64;
        while digits.last() == Some(&b'0') {
            digits.pop();
            exp10 += 1;
        }
        Some(Parts {
            negative,
            digits,
            exp10,
        })
    }

    /// The exact integer, if the value is integral (`Ok(None)` if it is not). `text_len` raises
    /// the digit limit for numbers written out in full.
    pub(super) fn integer(&self, text_len: usize) -> Result<Option<Number>, ParseNumberError> {
        if self.digits.is_empty() {
            return Ok(Some(Number::ZERO));
        }
        if self.exp10 < 0 {
            return Ok(None);
        }
        let total = self.digits.len() as i64 + self.exp10;
        if total > MAX_SCALED_DIGITS.max(text_len) as i64 {
            return Err(ParseNumberError::TooLarge);
        }
        if total <= 18 {
            let mut v = self
                .digits
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            for _ in 0..self.exp10 {
                v *= 10;
            }
            return Ok(Some(Number::from_i64(if self.negative { -v } else { v })));
        }
        let mantissa = BigUint::parse_bytes(&self.digits, 10).ok_or(ParseNumberError::Invalid)?;
        let magnitude = mantissa * BigUint::from(10u32).pow(self.exp10 as u32);
        let sign = if self.negative {
            Sign::Minus
        } else {
            Sign::Plus
        };
        Ok(Some(Number::from_bigint(BigInt::from_biguint(
            sign, magnitude,
        ))))
    }
}

impl FromStr for Number {
    type Err = ParseNumberError;

    fn from_str(s: &str) -> Result<Number, ParseNumberError> {
        Number::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parse_and_render() {
        for (text, shown) in [
            ("0", "0"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("1.5", "1.5"),
            ("0.1", "0.1"),
            ("1e3", "1000"),
            ("1E+3", "1000"),
            ("2.0", "2"),
            ("1.5e1", "15"),
            ("-12", "-12"),
            ("123456789012345678", "123456789012345678"),
            ("9223372036854775807", "9223372036854775807"),
            ("9223372036854775808", "9223372036854775808"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("18446744073709551614", "18446744073709551614"),
            ("1e20", "100000000000000000000"),
            ("12.5e-1", "1.25"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("2.5e-10", "2.5e-10"),
            ("3.14159265358979", "3.14159265358979"),
            (
                "100000000000000000000000000000000000001",
                "100000000000000000000000000000000000001",
            ),
        ] {
            assert_eq!(n(text).to_string(), shown, "{text}");
        }
        assert_eq!(n("1e300").to_string(), format!("1{}", "0".repeat(300)));
        for bad in [
            "", "-", "+1", "01", "1.", ".5", "1e", "1e+", "0x10", "1 ", "NaN", "inf", "--1",
        ] {
            assert_eq!(
                Number::parse(bad),
                Err(ParseNumberError::Invalid),
                "{bad:?}"
            );
        }
        assert_eq!(Number::parse("1e30000"), Err(ParseNumberError::TooLarge));
        assert_eq!(
            Number::parse("1e99999999999999999999999"),
            Err(ParseNumberError::TooLarge)
        );
        assert!(Number::parse("1e29999").is_ok());
        assert_eq!(
            n(&format!("1{}", "0".repeat(40_000))).to_string().len(),
            40_001
        );
        assert_eq!(n("1e-400"), Number::ZERO);
    }
}
