//! Unit tests of the `units` family, including every conformance case.

use crate::call;
use rego_eval::Value;

fn run(name: &str, s: &str) -> Result<Value, rego_eval::BuiltinError> {
    call(name, &[Value::from(s)])
}

fn num(s: &str) -> Value {
    Value::parse_number(s).unwrap()
}

#[test]
fn conformance_values() {
    assert_eq!(run("units.parse", "500m").unwrap(), num("0.5"), "500m");
    assert_eq!(
        run("units.parse", "0.0005K").unwrap(),
        num("0.5"),
        "0.0005K"
    );
    assert_eq!(
        run("units.parse", "0.0000005M").unwrap(),
        num("0.5"),
        "0.0000005M"
    );
    assert_eq!(
        run("units.parse_bytes", "\"100TIB\"").unwrap(),
        num("109951162777600"),
        "\"100TIB\""
    );
    assert_eq!(run("units.parse_bytes", "0").unwrap(), num("0"), "0");
    assert_eq!(run("units.parse_bytes", "0.0").unwrap(), num("0"), "0.0");
    assert_eq!(run("units.parse_bytes", ".0").unwrap(), num("0"), ".0");
    assert_eq!(
        run("units.parse_bytes", "12345").unwrap(),
        num("12345"),
        "12345"
    );
    assert_eq!(
        run("units.parse_bytes", "10KB").unwrap(),
        num("10000"),
        "10KB"
    );
    assert_eq!(
        run("units.parse_bytes", "10KIB").unwrap(),
        num("10240"),
        "10KIB"
    );
    assert_eq!(
        run("units.parse_bytes", "10kb").unwrap(),
        num("10000"),
        "10kb"
    );
    assert_eq!(
        run("units.parse_bytes", "10Kib").unwrap(),
        num("10240"),
        "10Kib"
    );
    assert_eq!(
        run("units.parse_bytes", "200mb").unwrap(),
        num("200000000"),
        "200mb"
    );
    assert_eq!(
        run("units.parse_bytes", "300GiB").unwrap(),
        num("322122547200"),
        "300GiB"
    );
    assert_eq!(
        run("units.parse_bytes", "1.1KB").unwrap(),
        num("1100"),
        "1.1KB"
    );
    assert_eq!(
        run("units.parse_bytes", "1.1KiB").unwrap(),
        num("1126"),
        "1.1KiB"
    );
    assert_eq!(
        run("units.parse_bytes", ".5KB").unwrap(),
        num("500"),
        ".5KB"
    );
    assert_eq!(
        run("units.parse_bytes", "100k").unwrap(),
        num("100000"),
        "100k"
    );
    assert_eq!(
        run("units.parse_bytes", "100kb").unwrap(),
        num("100000"),
        "100kb"
    );
    assert_eq!(
        run("units.parse_bytes", "100ki").unwrap(),
        num("102400"),
        "100ki"
    );
    assert_eq!(
        run("units.parse_bytes", "100kib").unwrap(),
        num("102400"),
        "100kib"
    );
    assert_eq!(
        run("units.parse_bytes", "100m").unwrap(),
        num("100000000"),
        "100m"
    );
    assert_eq!(
        run("units.parse_bytes", "100mb").unwrap(),
        num("100000000"),
        "100mb"
    );
    assert_eq!(
        run("units.parse_bytes", "100mi").unwrap(),
        num("104857600"),
        "100mi"
    );
    assert_eq!(
        run("units.parse_bytes", "100mib").unwrap(),
        num("104857600"),
        "100mib"
    );
    assert_eq!(
        run("units.parse_bytes", "100g").unwrap(),
        num("100000000000"),
        "100g"
    );
    assert_eq!(
        run("units.parse_bytes", "100gb").unwrap(),
        num("100000000000"),
        "100gb"
    );
    assert_eq!(
        run("units.parse_bytes", "100gi").unwrap(),
        num("107374182400"),
        "100gi"
    );
    assert_eq!(
        run("units.parse_bytes", "100gib").unwrap(),
        num("107374182400"),
        "100gib"
    );
    assert_eq!(
        run("units.parse_bytes", "100t").unwrap(),
        num("100000000000000"),
        "100t"
    );
    assert_eq!(
        run("units.parse_bytes", "100tb").unwrap(),
        num("100000000000000"),
        "100tb"
    );
    assert_eq!(
        run("units.parse_bytes", "100ti").unwrap(),
        num("109951162777600"),
        "100ti"
    );
    assert_eq!(
        run("units.parse_bytes", "100tib").unwrap(),
        num("109951162777600"),
        "100tib"
    );
    assert_eq!(
        run("units.parse_bytes", "100p").unwrap(),
        num("100000000000000000"),
        "100p"
    );
    assert_eq!(
        run("units.parse_bytes", "100pb").unwrap(),
        num("100000000000000000"),
        "100pb"
    );
    assert_eq!(
        run("units.parse_bytes", "100pi").unwrap(),
        num("112589990684262400"),
        "100pi"
    );
    assert_eq!(
        run("units.parse_bytes", "100pib").unwrap(),
        num("112589990684262400"),
        "100pib"
    );
    assert_eq!(
        run("units.parse_bytes", "10e").unwrap(),
        num("10000000000000000000"),
        "10e"
    );
    assert_eq!(
        run("units.parse_bytes", "10eb").unwrap(),
        num("10000000000000000000"),
        "10eb"
    );
    assert_eq!(
        run("units.parse_bytes", "10ei").unwrap(),
        num("11529215046068469760"),
        "10ei"
    );
    assert_eq!(
        run("units.parse_bytes", "10eib").unwrap(),
        num("11529215046068469760"),
        "10eib"
    );
    assert_eq!(
        run("units.parse_bytes", "1e3KB").unwrap(),
        num("1000000"),
        "1e3KB"
    );
    assert_eq!(
        run("units.parse_bytes", "3.2E2MiB").unwrap(),
        num("335544320"),
        "3.2E2MiB"
    );
    assert_eq!(
        run("units.parse_bytes", "4.5e1GiB").unwrap(),
        num("48318382080"),
        "4.5e1GiB"
    );
    assert_eq!(
        run("units.parse_bytes", "5e6").unwrap(),
        num("5000000"),
        "5e6"
    );
    assert_eq!(
        run("units.parse_bytes", "1e-2KB").unwrap(),
        num("10"),
        "1e-2KB"
    );
    assert_eq!(
        run("units.parse_bytes", "6.4E1GB").unwrap(),
        num("64000000000"),
        "6.4E1GB"
    );
    assert_eq!(
        run("units.parse_bytes", "7.5e1TiB").unwrap(),
        num("82463372083200"),
        "7.5e1TiB"
    );
    assert_eq!(
        run("units.parse_bytes", "5e2MiB").unwrap(),
        num("524288000"),
        "5e2MiB"
    );
    assert_ne!(run("units.parse_bytes", "5E").unwrap(), num("5"));
    assert_eq!(
        run("units.parse_bytes", "2e2GiB").unwrap(),
        num("214748364800"),
        "2e2GiB"
    );
    assert_eq!(
        run("units.parse", "\"100TI\"").unwrap(),
        num("109951162777600"),
        "\"100TI\""
    );
    assert_eq!(run("units.parse", "0").unwrap(), num("0"), "0");
    assert_eq!(run("units.parse", "0.0").unwrap(), num("0"), "0.0");
    assert_eq!(run("units.parse", ".0").unwrap(), num("0"), ".0");
    assert_eq!(run("units.parse", "12345").unwrap(), num("12345"), "12345");
    assert_eq!(run("units.parse", "10K").unwrap(), num("10000"), "10K");
    assert_eq!(run("units.parse", "10KI").unwrap(), num("10240"), "10KI");
    assert_eq!(run("units.parse", "10k").unwrap(), num("10000"), "10k");
    assert_eq!(run("units.parse", "10Ki").unwrap(), num("10240"), "10Ki");
    assert_eq!(
        run("units.parse", "200M").unwrap(),
        num("200000000"),
        "200M"
    );
    assert_eq!(
        run("units.parse", "300Gi").unwrap(),
        num("322122547200"),
        "300Gi"
    );
    assert_eq!(run("units.parse", "1.1K").unwrap(), num("1100"), "1.1K");
    assert_eq!(run("units.parse", "1.1Ki").unwrap(), num("1126.4"), "1.1Ki");
    assert_eq!(run("units.parse", ".5K").unwrap(), num("500"), ".5K");
    assert_eq!(run("units.parse", "100k").unwrap(), num("100000"), "100k");
    assert_eq!(run("units.parse", "100K").unwrap(), num("100000"), "100K");
    assert_eq!(run("units.parse", "100ki").unwrap(), num("102400"), "100ki");
    assert_eq!(run("units.parse", "100Ki").unwrap(), num("102400"), "100Ki");
    assert_eq!(
        run("units.parse", "100M").unwrap(),
        num("100000000"),
        "100M"
    );
    assert_eq!(
        run("units.parse", "100mi").unwrap(),
        num("104857600"),
        "100mi"
    );
    assert_eq!(
        run("units.parse", "100Mi").unwrap(),
        num("104857600"),
        "100Mi"
    );
    assert_eq!(
        run("units.parse", "100g").unwrap(),
        num("100000000000"),
        "100g"
    );
    assert_eq!(
        run("units.parse", "100gi").unwrap(),
        num("107374182400"),
        "100gi"
    );
    assert_eq!(
        run("units.parse", "100t").unwrap(),
        num("100000000000000"),
        "100t"
    );
    assert_eq!(
        run("units.parse", "100T").unwrap(),
        num("100000000000000"),
        "100T"
    );
    assert_eq!(
        run("units.parse", "100ti").unwrap(),
        num("109951162777600"),
        "100ti"
    );
    assert_eq!(
        run("units.parse", "100Ti").unwrap(),
        num("109951162777600"),
        "100Ti"
    );
    assert_eq!(
        run("units.parse", "100p").unwrap(),
        num("100000000000000000"),
        "100p"
    );
    assert_eq!(
        run("units.parse", "100P").unwrap(),
        num("100000000000000000"),
        "100P"
    );
    assert_eq!(
        run("units.parse", "100pi").unwrap(),
        num("112589990684262400"),
        "100pi"
    );
    assert_eq!(
        run("units.parse", "100Pi").unwrap(),
        num("112589990684262400"),
        "100Pi"
    );
    assert_eq!(
        run("units.parse", "10e").unwrap(),
        num("10000000000000000000"),
        "10e"
    );
    assert_eq!(
        run("units.parse", "10E").unwrap(),
        num("10000000000000000000"),
        "10E"
    );
    assert_eq!(
        run("units.parse", "10ei").unwrap(),
        num("11529215046068469760"),
        "10ei"
    );
    assert_eq!(
        run("units.parse", "10Ei").unwrap(),
        num("11529215046068469760"),
        "10Ei"
    );
    assert_eq!(
        run("units.parse", "1e10").unwrap(),
        num("10000000000"),
        "1e10"
    );
    assert_eq!(run("units.parse", "3.2E4").unwrap(), num("32000"), "3.2E4");
    assert_eq!(
        run("units.parse", "2.5e3K").unwrap(),
        num("2500000"),
        "2.5e3K"
    );
    assert_eq!(
        run("units.parse", "1e3M").unwrap(),
        num("1000000000"),
        "1e3M"
    );
    assert_eq!(
        run("units.parse", "4E2G").unwrap(),
        num("400000000000"),
        "4E2G"
    );
    assert_eq!(
        run("units.parse", "5e1Gi").unwrap(),
        num("53687091200"),
        "5e1Gi"
    );
    assert_eq!(run("units.parse", "1e-2").unwrap(), num("0.01"), "1e-2");
    assert_eq!(run("units.parse", "7.8E-1").unwrap(), num("0.78"), "7.8E-1");
    assert_eq!(
        run("units.parse", "6e3Mi").unwrap(),
        num("6291456000"),
        "6e3Mi"
    );
    assert_ne!(run("units.parse", "5E").unwrap(), num("5"));
    assert_eq!(run("units.parse", "42").unwrap(), num("42"), "42");
    assert_eq!(
        run("units.parse", "-3.5E2m").unwrap(),
        num("-0.35"),
        "-3.5E2m"
    );
    assert_eq!(run("units.parse", "100m").unwrap(), num("0.1"));
    assert_eq!(run("units.parse", "1G").unwrap().to_string(), "1000000000");
}

#[test]
fn conformance_comparisons() {
    assert!(run("units.parse_bytes", "8kb").unwrap() > run("units.parse_bytes", "7kb").unwrap());
    assert!(run("units.parse_bytes", "8gb").unwrap() > run("units.parse_bytes", "8mb").unwrap());
    assert!(run("units.parse_bytes", "1234kb").unwrap() < run("units.parse_bytes", "1gb").unwrap());
    assert!(run("units.parse_bytes", "1024").unwrap() == run("units.parse_bytes", "1KiB").unwrap());
    assert!(
        run("units.parse_bytes", "2MiB").unwrap() == run("units.parse_bytes", "2097152").unwrap()
    );
    assert!(run("units.parse_bytes", "3MiB").unwrap() > run("units.parse_bytes", "3MB").unwrap());
    assert!(run("units.parse_bytes", "2MiB").unwrap() == run("units.parse_bytes", "2Mi").unwrap());
    assert!(run("units.parse_bytes", "4Mi").unwrap() > run("units.parse_bytes", "4M").unwrap());
    assert!(run("units.parse_bytes", "4.1Mi").unwrap() > run("units.parse_bytes", "4Mi").unwrap());
    assert!(
        run("units.parse_bytes", "128Gi").unwrap()
            == run("units.parse_bytes", "137438953472").unwrap()
    );
    assert!(run("units.parse", "8k").unwrap() > run("units.parse", "7k").unwrap());
    assert!(run("units.parse", "8g").unwrap() > run("units.parse", "8m").unwrap());
    assert!(run("units.parse", "1234k").unwrap() < run("units.parse", "1g").unwrap());
    assert!(run("units.parse", "1024").unwrap() == run("units.parse", "1Ki").unwrap());
    assert!(run("units.parse", "2Mi").unwrap() == run("units.parse", "2097152").unwrap());
    assert!(run("units.parse", "3Mi").unwrap() > run("units.parse", "3M").unwrap());
    assert!(run("units.parse", "2Mi").unwrap() == run("units.parse", "2Mi").unwrap());
    assert!(run("units.parse", "4Mi").unwrap() > run("units.parse", "4M").unwrap());
    assert!(run("units.parse", "4.1Mi").unwrap() > run("units.parse", "4Mi").unwrap());
    assert!(run("units.parse", "128Gi").unwrap() == run("units.parse", "137438953472").unwrap());
}

#[test]
fn conformance_errors() {
    let e = run("units.parse_bytes", "").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse_bytes: no byte amount provided"
        )
    );
    let e = run("units.parse_bytes", "GB").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse_bytes: no byte amount provided"
        )
    );
    let e = run("units.parse_bytes", "foo").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse_bytes: no byte amount provided"
        )
    );
    let e = run("units.parse_bytes", "0.0.0").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse_bytes: could not parse byte amount to a number"
        )
    );
    let e = run("units.parse_bytes", ".5.2").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse_bytes: could not parse byte amount to a number"
        )
    );
    let e = run("units.parse_bytes", "100 kb").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse_bytes: spaces not allowed in resource strings"
        )
    );
    let e = run("units.parse_bytes", " 327MiB ").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse_bytes: spaces not allowed in resource strings"
        )
    );
    let e = run("units.parse", "").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("eval_builtin_error", "units.parse: no amount provided")
    );
    let e = run("units.parse", "G").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("eval_builtin_error", "units.parse: no amount provided")
    );
    let e = run("units.parse", "foo").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("eval_builtin_error", "units.parse: no amount provided")
    );
    let e = run("units.parse", "0.0.0").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse: could not parse amount to a number"
        )
    );
    let e = run("units.parse", ".5.2").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse: could not parse amount to a number"
        )
    );
    let e = run("units.parse", "100 k").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse: spaces not allowed in resource strings"
        )
    );
    let e = run("units.parse", " 327Mi ").unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "eval_builtin_error",
            "units.parse: spaces not allowed in resource strings"
        )
    );
}
#[test]
fn other_units_and_errors() {
    assert_eq!(run("units.parse", "1.1Ki").unwrap(), num("1126.4"));
    assert_eq!(run("units.parse", "1m").unwrap(), num("0.001"));
    assert_eq!(run("units.parse", "-1.5k").unwrap(), num("-1500"));
    assert_eq!(run("units.parse", "+2").unwrap(), num("2"));
    assert_eq!(run("units.parse", "5.").unwrap(), num("5"));
    // Ten decimal places, halves away from zero.
    assert_eq!(
        run("units.parse", "0.00000000005").unwrap(),
        num("0.0000000001")
    );
    assert_eq!(
        run("units.parse", "-0.00000000005").unwrap(),
        num("-0.0000000001")
    );
    assert_eq!(run("units.parse", "0.00000000004").unwrap(), num("0"));
    assert_eq!(run("units.parse", "1e-999999").unwrap(), num("0"));
    assert_eq!(
        run("units.parse", "10EI").unwrap(),
        num("11529215046068469760")
    );
    let e = run("units.parse", "1mb").unwrap_err();
    assert_eq!(e.message(), "units.parse: unit mb not recognized");
    let e = run("units.parse", "1KB").unwrap_err();
    assert_eq!(e.message(), "units.parse: unit Kb not recognized");
    let e = run("units.parse", "1e1234567").unwrap_err();
    assert_eq!(e.message(), "units.parse: exponent too large");
    let e = run("units.parse", "1e999999").unwrap_err();
    assert_eq!(e.code(), "eval_builtin_error");
    let e = run("units.parse", "1-2").unwrap_err();
    assert_eq!(
        e.message(),
        "units.parse: could not parse amount to a number"
    );
    let e = run("units.parse", ".").unwrap_err();
    assert_eq!(
        e.message(),
        "units.parse: could not parse amount to a number"
    );
    let e = call("units.parse", &[Value::from(1)]).unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("eval_type_error", "operand 1 must be string but got number")
    );
}

#[test]
fn bytes_round_like_go() {
    assert_eq!(run("units.parse_bytes", "1.9").unwrap(), num("1"));
    assert_eq!(run("units.parse_bytes", "-1.9k").unwrap(), num("-1900"));
    assert_eq!(run("units.parse_bytes", "-1.5").unwrap(), num("-1"));
    // 20 nines round up to 1 in a 64-bit mantissa, as in Go.
    assert_eq!(
        run("units.parse_bytes", "0.99999999999999999999").unwrap(),
        num("1")
    );
    assert_eq!(
        run("units.parse_bytes", "0.999999999999").unwrap(),
        num("0")
    );
    // Integers beyond 64 bits lose their low bits.
    assert_eq!(
        run("units.parse_bytes", "100000000000000000000001").unwrap(),
        num("100000000000000000000000")
    );
    assert_eq!(
        run("units.parse_bytes", "18446744073709551615").unwrap(),
        num("18446744073709551615")
    );
    assert_eq!(
        run("units.parse_bytes", "36893488147419103231").unwrap(),
        num("36893488147419103232")
    );
    assert_eq!(run("units.parse_bytes", "1e-999999kb").unwrap(), num("0"));
    let e = run("units.parse_bytes", "1xb").unwrap_err();
    assert_eq!(
        e.message(),
        "units.parse_bytes: byte unit xb not recognized"
    );
    let e = run("units.parse_bytes", "1e1234567").unwrap_err();
    assert_eq!(e.message(), "units.parse_bytes: exponent too large");
}
