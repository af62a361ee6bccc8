//! `format_int` and `to_number`: numbers to and from text.

use rego_eval::{BuiltinContext, BuiltinError, Number, Value};

use crate::args;
use crate::sprintf::go_quote;

/// `format_int(number, base)`: the integer part (truncated toward zero) in base 2, 8, 10 or 16.
pub(super) fn format_int(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let n = args::number(a, 0)?;
    let base = args::number(a, 1)?;
    let radix = match base.as_i64() {
        Some(b @ (2 | 8 | 10 | 16)) => b as u32,
        _ => {
            return Err(BuiltinError::Type(
                "operand 2 must be one of {2, 8, 10, 16}".into(),
            ));
        }
    };
    let int = match n.to_bigint() {
        Some(i) => i,
        None => Number::from_f64(n.as_f64().trunc())
            .and_then(|t| t.to_bigint())
            .unwrap_or_default(),
    };
    Ok(Value::from(int.to_str_radix(radix)))
}

/// `to_number(x)`: null and false are 0, true is 1, numbers are themselves, strings are parsed
/// with Go's float syntax and keep their exact value.
pub(super) fn to_number(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    match &a[0] {
        Value::Null => Ok(Value::from(0)),
        Value::Bool(b) => Ok(Value::from(i64::from(*b))),
        Value::Number(_) => Ok(a[0].clone()),
        Value::String(s) => {
            let bare = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
            if matches!(bare.as_str(), "inf" | "infinity" | "nan") {
                return Err(BuiltinError::operand(1, "valid number string", &a[0]));
            }
            parse_go_float(s).map(Value::Number).map_err(|reason| {
                BuiltinError::msg(format!(
                    "strconv.ParseFloat: parsing {}: {reason}",
                    go_quote(s, false)
                ))
            })
        }
        other => Err(BuiltinError::operand(
            1,
            "one of {null, boolean, number, string}",
            other,
        )),
    }
}

/// The parts of a decimal literal in Go's float syntax.
struct Decimal {
    negative: bool,
    int: String,
    frac: String,
    exp: i64,
}

/// Parses `s` as Go's `strconv.ParseFloat` does (decimal or hexadecimal, `_` between digits),
/// keeping a decimal's exact value. Errors are Go's reasons.
fn parse_go_float(s: &str) -> Result<Number, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    const RANGE: &str = "value out of range";
    if s.contains('_') && !underscores_ok(s) {
        return Err(SYNTAX);
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let (negative, body) = match clean.as_bytes().first() {
        Some(b'-') => (true, &clean[1..]),
        Some(b'+') => (false, &clean[1..]),
        _ => (false, clean.as_str()),
    };
    if body.len() > 2 && body.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x")) {
        let x = parse_hex_float(&body[2..]).ok_or(SYNTAX)?;
        let x = if negative { -x } else { x };
        return Number::from_f64(x).ok_or(RANGE);
    }
    let dec = parse_decimal(negative, body).ok_or(SYNTAX)?;
    let mut json = String::new();
    if dec.negative {
        json.push('-');
    }
    let int = dec.int.trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if !dec.frac.is_empty() {
        json.push('.');
        json.push_str(&dec.frac);
    }
    if dec.exp != 0 {
        json.push('e');
        json.push_str(&dec.exp.to_string());
    }
    let float: f64 = json.parse().map_err(|_| SYNTAX)?;
    if float.is_infinite() {
        return Err(RANGE);
    }
    Number::parse(&json)
        .ok()
        .or_else(|| Number::from_f64(float))
        .ok_or(RANGE)
}

/// `ddd[.ddd][e[+-]ddd]`, `.ddd` or `ddd.` (underscores already removed).
fn parse_decimal(negative: bool, body: &str) -> Option<Decimal> {
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let exp = match exp {
        None => 0,
        Some(e) => {
            let e_digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if e_digits.is_empty() || !digits(e_digits) {
                return None;
            }
            // Saturate like Go; such exponents overflow or underflow any float anyway.
            let mag = e_digits
                .trim_start_matches('0')
                .parse::<i64>()
                .unwrap_or(0)
                .min(100_000);
            let mag = if e_digits.len() > 18 { 100_000 } else { mag };
            if e.starts_with('-') { -mag } else { mag }
        }
    };
    Some(Decimal {
        negative,
        int: int.to_string(),
        frac: frac.trim_end_matches('0').to_string(),
        exp,
    })
}

/// `hhh[.hhh]p[+-]ddd` after the `0x` prefix; the exponent is required.
fn parse_hex_float(body: &str) -> Option<f64> {
    let p = body.find(['p', 'P'])?;
    let (mantissa, exp) = (&body[..p], &body[p + 1..]);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let hex = |t: &str| t.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(int) || !hex(frac) || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let e_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    if e_digits.is_empty() || !e_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut e: i64 = e_digits.parse().unwrap_or(100_000).min(100_000);
    if exp.starts_with('-') {
        e = -e;
    }
    let mut value = 0f64;
    for b in int.bytes().chain(frac.bytes()) {
        value = value * 16.0 + f64::from((b as char).to_digit(16)?);
    }
    e -= 4 * frac.len() as i64;
    Some(value * 2f64.powi(e.clamp(-2000, 2000) as i32))
}

/// Go's rule for `_` in number literals: only between digits (a base prefix counts as one).
fn underscores_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1].eq_ignore_ascii_case(&b'x');
    }
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn n(text: &str) -> Value {
        Value::parse_number(text).unwrap()
    }

    fn to_number(s: &str) -> Result<Value, String> {
        call("to_number", &[Value::from(s)]).map_err(|e| e.message().to_string())
    }

    #[test]
    fn format_int() {
        let f = |x: &str, b: i64| call("format_int", &[n(x), Value::from(b)]).unwrap();
        assert_eq!(f("15.5", 16), Value::from("f"));
        assert_eq!(f("-15.9", 16), Value::from("-f"));
        assert_eq!(f("3.1", 10), Value::from("3"));
        assert_eq!(f("8", 8), Value::from("10"));
        assert_eq!(f("5", 2), Value::from("101"));
        assert_eq!(f("-0.5", 10), Value::from("0"));
        assert_eq!(
            f("18446744073709551617", 16),
            Value::from("10000000000000001")
        );
        let err = call("format_int", &[n("4.1"), n("199")]).unwrap_err();
        assert_eq!(err.message(), "operand 2 must be one of {2, 8, 10, 16}");
        assert_eq!(err.code(), "eval_type_error");
        let err = call("format_int", &[Value::from("1"), n("10")]).unwrap_err();
        assert_eq!(err.message(), "operand 1 must be number but got string");
    }

    #[test]
    fn to_number_values() {
        assert_eq!(call("to_number", &[Value::Null]).unwrap(), n("0"));
        assert_eq!(call("to_number", &[Value::from(true)]).unwrap(), n("1"));
        assert_eq!(call("to_number", &[Value::from(false)]).unwrap(), n("0"));
        assert_eq!(call("to_number", &[n("100.1")]).unwrap(), n("100.1"));
        assert_eq!(to_number("-42.0"), Ok(n("-42")));
        assert_eq!(to_number("3"), Ok(n("3")));
        assert_eq!(to_number("0.1"), Ok(n("0.1")));
        assert_eq!(to_number("+007"), Ok(n("7")));
        assert_eq!(to_number(".5"), Ok(n("0.5")));
        assert_eq!(to_number("5."), Ok(n("5")));
        assert_eq!(to_number("1_000"), Ok(n("1000")));
        assert_eq!(to_number("1E3"), Ok(n("1000")));
        assert_eq!(to_number("0x1.8p1"), Ok(n("3")));
        assert_eq!(
            to_number("12345678901234567890123"),
            Ok(n("12345678901234567890123"))
        );
        assert_eq!(to_number("1e-400"), Ok(n("0")));
    }

    #[test]
    fn to_number_errors() {
        assert_eq!(
            to_number("broken"),
            Err(r#"strconv.ParseFloat: parsing "broken": invalid syntax"#.into())
        );
        assert_eq!(
            to_number("1e400"),
            Err(r#"strconv.ParseFloat: parsing "1e400": value out of range"#.into())
        );
        for bad in [
            "1__0", "1e+", "0x1", " 1", "1_", "_1", "", "-", ".", "1e", "0x", "1.2.3",
        ] {
            assert!(
                to_number(bad).unwrap_err().contains("invalid syntax"),
                "{bad}"
            );
        }
        for special in [
            "nan",
            "inf",
            "-inf",
            "Infinity",
            "-Infinity",
            "-nan",
            "-NaN",
            "iNf",
            "+-inf",
        ] {
            let err = call("to_number", &[Value::from(special)]).unwrap_err();
            assert_eq!(err.code(), "eval_type_error");
            assert_eq!(
                err.message(),
                "operand 1 must be valid number string but got string"
            );
        }
        let err = call("to_number", &[Value::empty_array()]).unwrap_err();
        assert_eq!(
            err.message(),
            "operand 1 must be one of {null, boolean, number, string} but got array"
        );
    }
}
