//! Builtins of the `sprintf` family: `sprintf`, Go's `fmt.Sprintf` over Rego values.
//!
//! OPA hands Go's formatter a string as a Go string, an integer as an `int64` (a `*big.Int`
//! beyond that), any other number as a `float64`, and every other value as its Rego text
//! (`["a", 1]`, `{"k": 1}`, `{1, 2}`, `true`, `null`). So `sprintf("%d", ["x"])` gives
//! `%!d(string=x)` and `sprintf("%s", [5])` gives `%!s(int64=5)`, exactly as Go prints them.

mod float;
mod printer;
mod quote;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;

pub(crate) use printer::{GoArg, sprint, sprintf as go_sprintf, sprintln};
pub(crate) use quote::{is_print, quote as go_quote};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[BuiltinDef {
    name: "sprintf",
    arity: 2,
    func: sprintf,
}];

/// `sprintf(format, values)`.
fn sprintf(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let format = args::string(a, 0)?;
    let values = a[1]
        .as_array()
        .ok_or_else(|| BuiltinError::operand(2, "array", &a[1]))?;
    let go_args: Vec<GoArg> = values.iter().map(go_arg).collect();
    Ok(Value::from(go_sprintf(format, &go_args)))
}

/// The Go value OPA passes to `fmt.Sprintf` for `v`.
fn go_arg(v: &Value) -> GoArg {
    match v {
        Value::String(s) => GoArg::Str(s.to_string(), "string"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                GoArg::Int(i, "int64")
            } else if let Some(b) = n.to_bigint() {
                if n.as_f64().is_finite() {
                    GoArg::Big(b)
                } else {
                    // Beyond float64 range: OPA passes the number's own text, which for such
                    // a number is written with an exponent.
                    GoArg::Str(exponent_text(&b.to_string()), "string")
                }
            } else {
                GoArg::Float(n.as_f64())
            }
        }
        other => GoArg::Str(other.to_string(), "string"),
    }
}

/// `2000` → `2e3`, `-1250` → `-1.25e3`: an integer's digits in exponent form.
fn exponent_text(digits: &str) -> String {
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits),
    };
    let exp = digits.len().saturating_sub(1);
    let mantissa = digits.trim_end_matches('0');
    let (first, rest) = mantissa.split_at(mantissa.len().min(1));
    if rest.is_empty() {
        format!("{sign}{first}e{exp}")
    } else {
        format!("{sign}{first}.{rest}e{exp}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call;

    fn n(text: &str) -> Value {
        Value::parse_number(text).unwrap()
    }

    fn s(v: &str) -> Value {
        Value::from(v)
    }

    fn fmt(format: &str, values: Vec<Value>) -> String {
        let out = call("sprintf", &[s(format), Value::array(values)]).unwrap();
        out.as_str().unwrap().to_string()
    }

    #[test]
    fn conformance_cases() {
        assert_eq!(fmt("hi", vec![]), "hi");
        assert_eq!(fmt("hi %s", vec![s("there")]), "hi there");
        assert_eq!(fmt("hi %02d", vec![n("5")]), "hi 05");
        assert_eq!(fmt("hi %02X.%02X", vec![n("127"), n("1")]), "hi 7F.01");
        assert_eq!(fmt("hi %.2f", vec![n("3.1415")]), "hi 3.14");
        assert_eq!(fmt("hi %v", vec![n("2e308")]), "hi 2e308");
        assert_eq!(fmt("hi %s", vec![Value::from(true)]), "hi true");
        assert_eq!(
            fmt(
                "hi %v",
                vec![Value::array(vec![s("there"), n("5"), n("3.14")])]
            ),
            r#"hi ["there", 5, 3.14]"#
        );
        assert_eq!(
            fmt("%s", vec![n("123456789123456789123")]),
            "123456789123456789123"
        );
        assert_eq!(
            fmt("%s", vec![n("1208925819614629174706175")]),
            "1208925819614629174706175"
        );
    }

    #[test]
    fn rego_values_print_as_rego() {
        let set = Value::set_from(vec![n("2"), n("1")]);
        let obj = Value::object_from(vec![(s("a"), n("1"))]);
        assert_eq!(
            fmt(
                "%v %v %v %v",
                vec![set, obj, Value::Null, Value::empty_set()]
            ),
            r#"{1, 2} {"a": 1} null set()"#
        );
        assert_eq!(fmt("%d", vec![s("hello")]), "%!d(string=hello)");
        assert_eq!(fmt("%s", vec![n("5")]), "%!s(int64=5)");
        assert_eq!(fmt("%d", vec![n("1.5")]), "%!d(float64=1.5)");
        assert_eq!(fmt("%t", vec![Value::from(true)]), "%!t(string=true)");
        assert_eq!(fmt("%v", vec![n("1e21")]), "1000000000000000000000");
        assert_eq!(fmt("%v", vec![n("0.000001")]), "1e-06");
        assert_eq!(
            fmt("%x", vec![n("18446744073709551616")]),
            "10000000000000000"
        );
        assert_eq!(
            fmt("%f", vec![n("18446744073709551616")]),
            "%!f(big.Int=18446744073709551616)"
        );
    }

    #[test]
    fn errors_in_output() {
        assert_eq!(fmt("%d %d", vec![n("1")]), "1 %!d(MISSING)");
        assert_eq!(fmt("%d", vec![n("1"), s("x")]), "1%!(EXTRA string=x)");
        assert_eq!(fmt("%", vec![]), "%!(NOVERB)");
        assert_eq!(fmt("%[3]d", vec![n("1")]), "%!d(BADINDEX)");
        assert_eq!(fmt("%[2]d %[1]d", vec![n("1"), n("2")]), "2 1");
        assert_eq!(fmt("%*d", vec![s("x"), n("1")]), "%!(BADWIDTH)1");
        assert_eq!(fmt("%.*f", vec![n("2.5")]), "%!(BADPREC)%!f(MISSING)");
        assert_eq!(fmt("%5d", vec![s("hi")]), "%!d(string=   hi)");
        assert_eq!(fmt("100%%", vec![]), "100%");
        assert_eq!(fmt("%!", vec![n("1")]), "%!!(int64=1)");
    }

    #[test]
    fn flags_width_precision() {
        assert_eq!(
            fmt(
                "[%5s|%-5s|%.2s|%05s]",
                vec![s("ab"), s("ab"), s("abc"), s("ab")]
            ),
            "[   ab|ab   |ab|000ab]"
        );
        assert_eq!(
            fmt(
                "%+d % d %x %#x %#o %#b %O",
                vec![n("5"), n("5"), n("-255"), n("255"), n("8"), n("5"), n("8")]
            ),
            "+5  5 -ff 0xff 010 0b101 0o10"
        );
        assert_eq!(
            fmt(
                "%08.3f|%-8.2e|%+.1e|%g|%G",
                vec![
                    n("-3.14159"),
                    n("1234.5"),
                    n("0.5"),
                    n("1e-7"),
                    n("2.5e-10")
                ]
            ),
            "-003.142|1.23e+03|+5.0e-01|1e-07|2.5E-10"
        );
        assert_eq!(
            fmt(
                "%q %+q %#q %x % X",
                vec![s("a\"b"), s("é"), s("x"), s("hi"), s("hi")]
            ),
            r#""a\"b" "\u00e9" `x` 6869 68 69"#
        );
        assert_eq!(
            fmt("%c %q %U %#U", vec![n("65"), n("66"), n("67"), n("9731")]),
            "A 'B' U+0043 U+2603 '☃'"
        );
        assert_eq!(
            fmt("%T %T %T", vec![n("1"), n("1.5"), s("x")]),
            "int64 float64 string"
        );
        assert_eq!(
            fmt("%.0d|%5.0d|%.3d", vec![n("0"), n("0"), n("7")]),
            "|     |007"
        );
        assert_eq!(fmt("%#v %+v", vec![s("hi"), n("3")]), r#""hi" 3"#);
        assert_eq!(
            fmt("%#g %#.3f %#e", vec![n("1.5"), n("2.5"), n("0.5")]),
            "1.50000 2.500 5.000000e-01"
        );
        assert_eq!(
            fmt("%030d", vec![n("-12345678901234567890123")]),
            "-00000012345678901234567890123"
        );
        // Widths and precisions up to Go's limit (a million) do not trip the formatter.
        assert_eq!(fmt("%.70000U", vec![n("65")]).len(), 70002);
        assert_eq!(fmt("%70000d", vec![n("1")]).len(), 70000);
        assert_eq!(fmt("%.70000f", vec![n("0.5")]).len(), 70002);
        assert_eq!(fmt("%.70000e", vec![n("0.5")]).len(), 70006);
        assert_eq!(
            fmt("%.70000x", vec![n("18446744073709551616")]).len(),
            70000
        );
    }

    #[test]
    fn argument_errors() {
        let err = call("sprintf", &[n("1"), Value::empty_array()]).unwrap_err();
        assert_eq!(err.message(), "operand 1 must be string but got number");
        let err = call("sprintf", &[s("x"), Value::empty_set()]).unwrap_err();
        assert_eq!(err.message(), "operand 2 must be array but got set");
    }

    #[test]
    fn exponent_form() {
        assert_eq!(exponent_text("2000"), "2e3");
        assert_eq!(exponent_text("-1250"), "-1.25e3");
        assert_eq!(exponent_text("7"), "7e0");
    }
}
