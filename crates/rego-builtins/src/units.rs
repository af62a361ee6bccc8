//! Builtins of the `units` family: `units.parse` (SI and binary suffixes, `m` for milli) and
//! `units.parse_bytes` (byte amounts, suffixes case-insensitive).
//!
//! As in OPA, `units.parse` computes exactly (a decimal amount times the unit) and gives a
//! non-integral result to ten decimal places, while `units.parse_bytes` computes with 64-bit
//! binary mantissas (Go's default `big.Float` precision) and truncates to an integer.
//! OPA's error texts repeat the builtin's name (`units.parse: units.parse: no amount
//! provided`), and so do ours.

use num_bigint::{BigInt, Sign};
use num_traits::{One, Zero};
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Number, Value};

use crate::args;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "units.parse",
        arity: 1,
        func: parse,
    },
    BuiltinDef {
        name: "units.parse_bytes",
        arity: 1,
        func: parse_bytes,
    },
];

/// OPA refuses exponents with more digits than this (`1e1234567`).
const MAX_EXPONENT_DIGITS: usize = 6;

/// Results beyond this many decimal digits are refused as too large.
const MAX_DIGITS: i64 = 30_000;

/// Splits `s` into its number part (digits, `.`, signs and exponents) and its unit part, as
/// OPA does; `Err(())` if an exponent has more than six digits.
fn split_amount(s: &str) -> Result<(&str, &str), ()> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
            break;
        }
        if matches!(c, b'e' | b'E') {
            // An `e` not followed by a digit or a sign starts the unit (`5E` is 5 exa).
            match b.get(i + 1) {
                Some(n) if n.is_ascii_digit() || matches!(n, b'+' | b'-') => {}
                _ => break,
            }
            if matches!(b[i + 1], b'+' | b'-') {
                i += 1;
            }
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > MAX_EXPONENT_DIGITS {
                return Err(());
            }
        }
        i += 1;
    }
    Ok((&s[..i], &s[i..]))
}

/// A decimal amount `mantissa * 10^exp10`, parsed from `[+-]? digits [. digits] [e [+-] digits]`
/// (digits on at least one side of the point), as Go's `big.Rat` and `big.Float` read it.
struct Decimal {
    mantissa: BigInt,
    exp10: i64,
}

impl Decimal {
    fn parse(s: &str) -> Option<Decimal> {
        let b = s.as_bytes();
        let mut i = 0;
        let negative = match b.first() {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let mut digits = String::new();
        let mut exp10: i64 = 0;
        let mut seen_point = false;
        while i < b.len() {
            match b[i] {
                d if d.is_ascii_digit() => {
                    digits.push(char::from(d));
                    if seen_point {
                        exp10 -= 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if digits.is_empty() {
            return None;
        }
        if i < b.len() {
            if !matches!(b[i], b'e' | b'E') {
                return None;
            }
            let exp: &str = &s[i + 1..];
            let (neg_exp, exp_digits) = match exp.as_bytes().first() {
                Some(b'-') => (true, &exp[1..]),
                Some(b'+') => (false, &exp[1..]),
                _ => (false, exp),
            };
            if exp_digits.is_empty() || !exp_digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            // At most six digits reach here (see `split_amount`); saturate all the same.
            let e: i64 = exp_digits.parse().unwrap_or(i64::from(i32::MAX));
            exp10 += if neg_exp { -e } else { e };
        }
        let mut mantissa: BigInt = digits.parse().ok()?;
        if negative {
            mantissa = -mantissa;
        }
        Some(Decimal { mantissa, exp10 })
    }

    /// The number of decimal digits before the point (may be zero or negative for values
    /// below one); an estimate of the magnitude for refusing absurd sizes.
    fn magnitude(&self) -> i64 {
        let digits = self.mantissa.magnitude().to_string().len();
        i64::try_from(digits).unwrap_or(i64::MAX) + self.exp10
    }
}

fn pow10(n: i64) -> BigInt {
    BigInt::from(10).pow(u32::try_from(n).unwrap_or(u32::MAX))
}

/// `units.parse(s)`: the amount in `s` times its SI (`k`, `M`, `G`, ..., `m` for milli) or
/// binary (`Ki`, `Mi`, ...) unit.
fn parse(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let err = |m: &str| BuiltinError::msg(format!("units.parse: {m}"));
    let s = args::string(args, 0)?.replace('"', "");
    if s.contains(' ') {
        return Err(err("spaces not allowed in resource strings"));
    }
    let (num, unit) = split_amount(&s).map_err(|()| err("exponent too large"))?;
    if num.is_empty() {
        return Err(err("no amount provided"));
    }
    // Only the letters after the first are case-insensitive: `m` is milli, `M` mega.
    let mut chars = unit.chars();
    let unit: String = match chars.next() {
        Some(first) => std::iter::once(first)
            .chain(chars.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    };
    // The unit as `factor * 10^exp10`.
    let (factor, exp10): (u64, i64) = match unit.as_str() {
        "m" => (1, -3),
        "" => (1, 0),
        "k" | "K" => (1, 3),
        "ki" | "Ki" => (1 << 10, 0),
        "M" => (1, 6),
        "mi" | "Mi" => (1 << 20, 0),
        "g" | "G" => (1, 9),
        "gi" | "Gi" => (1 << 30, 0),
        "t" | "T" => (1, 12),
        "ti" | "Ti" => (1 << 40, 0),
        "p" | "P" => (1, 15),
        "pi" | "Pi" => (1 << 50, 0),
        "e" | "E" => (1, 18),
        "ei" | "Ei" => (1 << 60, 0),
        _ => return Err(err(&format!("unit {unit} not recognized"))),
    };
    let amount = Decimal::parse(num).ok_or_else(|| err("could not parse amount to a number"))?;
    let value = Decimal {
        mantissa: amount.mantissa * BigInt::from(factor),
        exp10: amount.exp10 + exp10,
    };
    if value.mantissa.is_zero() || value.magnitude() < -20 {
        // Rounds to zero at ten decimal places.
        return Ok(Value::from_i64(0));
    }
    if value.magnitude() > MAX_DIGITS {
        return Err(err("number too large"));
    }
    if value.exp10 >= 0 {
        let n = value.mantissa * pow10(value.exp10);
        return Ok(Value::Number(Number::from_bigint(n)));
    }
    let denominator = pow10(-value.exp10);
    if (&value.mantissa % &denominator).is_zero() {
        return Ok(Value::Number(Number::from_bigint(
            value.mantissa / denominator,
        )));
    }
    // Ten decimal places, halves rounded away from zero (Go's `big.Rat.FloatString`).
    let scaled = value.mantissa.magnitude() * pow10(10).magnitude();
    let (q, r) = (
        &scaled / denominator.magnitude(),
        &scaled % denominator.magnitude(),
    );
    let q = if r * 2u32 >= *denominator.magnitude() {
        q + 1u32
    } else {
        q
    };
    let mut digits = q.to_string();
    if digits.len() < 11 {
        digits.insert_str(0, &"0".repeat(11 - digits.len()));
    }
    let (int, frac) = digits.split_at(digits.len() - 10);
    let sign = if value.mantissa.sign() == Sign::Minus {
        "-"
    } else {
        ""
    };
    let text = format!("{sign}{int}.{frac}");
    Number::parse(&text)
        .map(Value::Number)
        .map_err(|_| err("number too large"))
}

/// `units.parse_bytes(s)`: the byte amount in `s` (`10KB`, `1.5GiB`, `100`), truncated to an
/// integer. Units are case-insensitive; `k`/`kb` are 1000, `ki`/`kib` 1024, and so on up to
/// `e`/`eib`.
fn parse_bytes(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let err = |m: &str| BuiltinError::msg(format!("units.parse_bytes: {m}"));
    let s = args::string(args, 0)?.to_lowercase().replace('"', "");
    if s.contains(' ') {
        return Err(err("spaces not allowed in resource strings"));
    }
    let (num, unit) = split_amount(&s).map_err(|()| err("exponent too large"))?;
    if num.is_empty() {
        return Err(err("no byte amount provided"));
    }
    let factor: u64 = match unit {
        "" => 1,
        "kb" | "k" => 1000,
        "kib" | "ki" => 1 << 10,
        "mb" | "m" => 1000u64.pow(2),
        "mib" | "mi" => 1 << 20,
        "gb" | "g" => 1000u64.pow(3),
        "gib" | "gi" => 1 << 30,
        "tb" | "t" => 1000u64.pow(4),
        "tib" | "ti" => 1 << 40,
        "pb" | "p" => 1000u64.pow(5),
        "pib" | "pi" => 1 << 50,
        "eb" | "e" => 1000u64.pow(6),
        "eib" | "ei" => 1 << 60,
        _ => return Err(err(&format!("byte unit {unit} not recognized"))),
    };
    let amount =
        Decimal::parse(num).ok_or_else(|| err("could not parse byte amount to a number"))?;
    if amount.mantissa.is_zero() || amount.magnitude() < -40 {
        return Ok(Value::from_i64(0));
    }
    if amount.magnitude() > MAX_DIGITS {
        return Err(err("number too large"));
    }
    let (num, den) = if amount.exp10 >= 0 {
        (amount.mantissa * pow10(amount.exp10), BigInt::one())
    } else {
        (amount.mantissa, pow10(-amount.exp10))
    };
    // As Go computes it: the amount rounded to a 64-bit mantissa, times the unit, rounded
    // again, truncated towards zero.
    let (m, e) = round_to_64_bits(&num, &den);
    let (m, e2) = round_to_64_bits(&(m * BigInt::from(factor)), &BigInt::one());
    let total = shift(&m, e + e2);
    Ok(Value::Number(Number::from_bigint(total)))
}

/// `m * 2^e`, truncated towards zero.
fn shift(m: &BigInt, e: i64) -> BigInt {
    let amount = usize::try_from(e.unsigned_abs()).unwrap_or(usize::MAX);
    if e >= 0 {
        m << amount
    } else {
        let magnitude = BigInt::from(m.magnitude().clone()) >> amount;
        if m.sign() == Sign::Minus {
            -magnitude
        } else {
            magnitude
        }
    }
}

/// `num / den` (`den > 0`) rounded to 64 significant bits, halves to even: `(m, e)` with the
/// value `m * 2^e` and `|m| < 2^64`.
fn round_to_64_bits(num: &BigInt, den: &BigInt) -> (BigInt, i64) {
    if num.is_zero() {
        return (BigInt::zero(), 0);
    }
    let (n, d) = (BigInt::from(num.magnitude().clone()), den.clone());
    let bits = |x: &BigInt| i64::try_from(x.bits()).unwrap_or(i64::MAX);
    // Scale so that the quotient has at least 66 bits.
    let s = 66 - (bits(&n) - bits(&d));
    let (scaled_n, scaled_d) = if s >= 0 {
        (shift(&n, s), d)
    } else {
        (n, shift(&d, -s))
    };
    let q = &scaled_n / &scaled_d;
    let sticky = !(&scaled_n % &scaled_d).is_zero();
    let extra = bits(&q) - 64;
    let (mut m, mut e) = (q.clone(), -s);
    if extra > 0 {
        let extra_usize = usize::try_from(extra).unwrap_or(usize::MAX);
        m = &q >> extra_usize;
        e += extra;
        let dropped = &q - (&m << extra_usize);
        let half = BigInt::one() << (extra_usize - 1);
        let odd = !(&m % 2u32).is_zero();
        if dropped > half || (dropped == half && (sticky || odd)) {
            m += 1u32;
        }
    }
    if num.sign() == Sign::Minus {
        m = -m;
    }
    (m, e)
}

#[cfg(test)]
mod tests;
