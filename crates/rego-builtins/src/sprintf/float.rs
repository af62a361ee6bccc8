//! Go's `strconv.FormatFloat` for `f64`: the formats `e E f g G b x X`, with a precision or
//! (`-1`) the shortest text that reads back as the same value.
//!
//! Decimal digits come from the standard library, which rounds exactly (half to even on the
//! exact binary value) as Go does; this module only lays them out the way Go does.

/// More decimal places than any `f64` has non-zero digits (1074 after the point, 767
/// significant), and within the standard formatter's precision limit.
const EXACT: usize = 1100;

/// Decimal digits `0.d1 d2 ... dn × 10^dp`, without trailing zeros (no digits for zero).
struct Digits {
    d: Vec<u8>,
    dp: i64,
}

impl Digits {
    /// Parses Rust's `{:e}` output of a non-negative finite number (`1.25e-7`, `0e0`).
    fn from_exp_text(text: &str) -> Digits {
        let (mant, exp) = text.split_once('e').unwrap_or((text, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() {
            return Digits { d, dp: 0 };
        }
        Digits { d, dp: exp + 1 }
    }

    /// The shortest digits of `v` (non-negative, finite).
    fn shortest(v: f64) -> Digits {
        let short = format!("{v:e}");
        // Of the shortest texts, Go takes the one nearest the exact value, ties to even; the
        // standard library may take another, so prefer the correctly rounded one when it
        // reads back as `v`.
        let n = short
            .split('e')
            .next()
            .map_or(1, |m| m.bytes().filter(u8::is_ascii_digit).count());
        let rounded = format!("{:.*e}", n.saturating_sub(1), v);
        if rounded != short && rounded.parse::<f64>() == Ok(v) {
            return Digits::from_exp_text(&rounded);
        }
        Digits::from_exp_text(&short)
    }

    /// `v` rounded to `n >= 1` significant digits.
    fn significant(v: f64, n: usize) -> Digits {
        // Beyond `EXACT` digits an `f64` has no more non-zero digits (and the formatter takes
        // no larger precision): the digits are exact, so no rounding is lost.
        Digits::from_exp_text(&format!("{:.*e}", n.min(EXACT) - 1, v))
    }

    fn nd(&self) -> i64 {
        self.d.len() as i64
    }

    fn digit(&self, i: i64) -> u8 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.d.get(i).copied())
            .unwrap_or(b'0')
    }
}

/// `%e`: `d.ddddde±dd`.
fn fmt_e(out: &mut String, digs: &Digits, prec: i64, fmt: u8) {
    out.push(char::from(digs.digit(0)));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(char::from(digs.digit(i)));
        }
    }
    out.push(char::from(fmt));
    let exp = if digs.d.is_empty() { 0 } else { digs.dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// `%f`: `ddd.ddd`.
fn fmt_f(out: &mut String, digs: &Digits, prec: i64) {
    if digs.dp > 0 {
        for i in 0..digs.dp {
            out.push(char::from(digs.digit(i)));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(char::from(digs.digit(digs.dp + i - 1)));
        }
    }
}

/// `%b`: `-ddddp±ddd`, the binary mantissa and exponent.
fn fmt_b(out: &mut String, mant: u64, exp: i64) {
    out.push_str(&mant.to_string());
    out.push('p');
    let exp = exp - 52;
    if exp >= 0 {
        out.push('+');
    }
    out.push_str(&exp.to_string());
}

/// `%x`: `-0x1.yyyyp±dd`, hexadecimal mantissa and binary exponent.
fn fmt_x(out: &mut String, prec: i64, fmt: u8, mant: u64, exp: i64) {
    let mut exp = if mant == 0 { 0 } else { exp };
    let mut mant = mant << 8; // the leading bit at 1 << 60
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if fmt == b'X' {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    out.push('0');
    out.push(char::from(fmt));
    out.push(if mant >> 60 & 1 == 1 { '1' } else { '0' });
    mant <<= 4;
    if prec < 0 && mant != 0 {
        out.push('.');
        while mant != 0 {
            out.push(char::from(hex[(mant >> 60 & 15) as usize]));
            mant <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(char::from(hex[(mant >> 60 & 15) as usize]));
            mant <<= 4;
        }
    }
    out.push(if fmt == b'X' { 'P' } else { 'p' });
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// Go's `strconv.FormatFloat(v, fmt, prec, 64)`; `prec < 0` asks for the shortest digits.
pub(crate) fn format_float(v: f64, fmt: u8, prec: i64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-Inf" } else { "+Inf" }.to_string();
    }
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    let a = v.abs();
    match fmt {
        b'b' | b'x' | b'X' => {
            let bits = a.to_bits();
            let biased = (bits >> 52) as i64;
            let mut mant = bits & ((1 << 52) - 1);
            let exp = if biased == 0 {
                1 - 1023
            } else {
                mant |= 1 << 52;
                biased - 1023
            };
            if fmt == b'b' {
                fmt_b(&mut out, mant, exp);
            } else {
                fmt_x(&mut out, prec, fmt, mant, exp);
            }
        }
        b'f' if prec >= 0 => {
            let prec = prec as usize;
            out.push_str(&format!("{:.*}", prec.min(EXACT), a));
            out.extend(std::iter::repeat_n('0', prec.saturating_sub(EXACT)));
        }
        b'e' | b'E' | b'f' | b'g' | b'G' => {
            let shortest = prec < 0;
            let mut prec = prec;
            let digs = if shortest {
                let digs = Digits::shortest(a);
                prec = match fmt {
                    b'e' | b'E' => (digs.nd() - 1).max(0),
                    b'f' => (digs.nd() - digs.dp).max(0),
                    _ => digs.nd(),
                };
                digs
            } else {
                match fmt {
                    b'e' | b'E' => Digits::significant(a, prec as usize + 1),
                    _ => {
                        if prec == 0 {
                            prec = 1;
                        }
                        Digits::significant(a, prec as usize)
                    }
                }
            };
            match fmt {
                b'e' | b'E' => fmt_e(&mut out, &digs, prec, fmt),
                b'f' => fmt_f(&mut out, &digs, prec),
                _ => {
                    let mut eprec = prec;
                    if eprec > digs.nd() && digs.nd() >= digs.dp {
                        eprec = digs.nd();
                    }
                    if shortest {
                        eprec = 6;
                    }
                    let exp = digs.dp - 1;
                    if exp < -4 || exp >= eprec {
                        if prec > digs.nd() {
                            prec = digs.nd();
                        }
                        fmt_e(&mut out, &digs, prec - 1, fmt + b'e' - b'g');
                    } else {
                        if prec > digs.dp {
                            prec = digs.nd();
                        }
                        fmt_f(&mut out, &digs, (prec - digs.dp).max(0));
                    }
                }
            }
        }
        other => {
            out.push('%');
            out.push(char::from(other));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_float as ff;

    #[test]
    fn shortest() {
        assert_eq!(ff(1.0, b'g', -1), "1");
        assert_eq!(ff(3.25, b'g', -1), "3.25");
        assert_eq!(ff(1e21, b'g', -1), "1e+21");
        assert_eq!(ff(1e-7, b'g', -1), "1e-07");
        assert_eq!(ff(123456.0, b'g', -1), "123456");
        assert_eq!(ff(1234567.0, b'g', -1), "1.234567e+06");
        assert_eq!(ff(0.0001, b'g', -1), "0.0001");
        assert_eq!(ff(0.00001, b'g', -1), "1e-05");
        assert_eq!(ff(0.0, b'g', -1), "0");
        assert_eq!(ff(-2.5, b'e', -1), "-2.5e+00");
        assert_eq!(ff(1e100, b'e', -1), "1e+100");
        assert_eq!(ff(0.5, b'f', -1), "0.5");
    }

    #[test]
    fn with_precision() {
        assert_eq!(ff(1.2345, b'f', 2), "1.23");
        assert_eq!(ff(0.125, b'f', 2), "0.12");
        assert_eq!(ff(2.5, b'f', 0), "2");
        assert_eq!(ff(1.0625, b'e', 3), "1.062e+00");
        assert_eq!(ff(1.0, b'g', 3), "1");
        assert_eq!(ff(123456.0, b'g', 3), "1.23e+05");
        assert_eq!(ff(0.000123, b'g', 2), "0.00012");
        assert_eq!(ff(100.0, b'g', 0), "1e+02");
        assert_eq!(ff(1.5, b'E', 1), "1.5E+00");
        assert_eq!(ff(1.5, b'G', 10), "1.5");
        assert_eq!(ff(0.5, b'f', 70000).len(), 70002);
        assert_eq!(ff(0.5, b'e', 70000).len(), 70006);
    }

    #[test]
    fn binary_and_hex() {
        assert_eq!(ff(1.0, b'b', -1), "4503599627370496p-52");
        assert_eq!(ff(0.0, b'b', -1), "0p-1074");
        assert_eq!(ff(255.5, b'x', -1), "0x1.ffp+07");
        assert_eq!(ff(255.5, b'X', -1), "0X1.FFP+07");
        assert_eq!(ff(1.0, b'x', -1), "0x1p+00");
        assert_eq!(ff(0.0, b'x', -1), "0x0p+00");
        assert_eq!(ff(1.5, b'x', 0), "0x1p+01");
        assert_eq!(ff(-1.0, b'x', 2), "-0x1.00p+00");
    }
}
