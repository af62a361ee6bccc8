use crate::call;
use rego_eval::Value;

fn s(x: &str) -> Value {
    Value::from(x)
}

fn n(x: i64) -> Value {
    Value::from_i64(x)
}

fn zoned(ns: i64, tz: &str) -> Value {
    Value::array(vec![n(ns), s(tz)])
}

fn ok(name: &str, args: &[Value]) -> Value {
    call(name, args).unwrap_or_else(|e| panic!("{name}{args:?}: {e}"))
}

fn err(name: &str, args: &[Value]) -> (String, &'static str) {
    let e = call(name, args).expect_err(name);
    (e.message().to_string(), e.code())
}

fn ints(xs: &[i64]) -> Value {
    Value::array(xs.iter().copied().map(n).collect())
}

fn parse_ns(layout: &str, value: &str) -> Result<Value, String> {
    call("time.parse_ns", &[s(layout), s(value)]).map_err(|e| e.message().to_string())
}

#[test]
fn now_is_the_query_time() {
    assert_eq!(ok("time.now_ns", &[]), n(1_700_000_000_000_000_000));
}

#[test]
fn parse_ns_conformance() {
    let rfc = "2006-01-02T15:04:05Z07:00";
    for (layout, value, want) in [
        (rfc, "2017-06-02T19:00:00-07:00", 1_496_455_200_000_000_000),
        (rfc, "1677-09-21T00:12:43.145224192-00:00", i64::MIN),
        (rfc, "2262-04-11T23:47:16.854775807-00:00", i64::MAX),
        (
            "01/02 03:04:05PM '06 -0700",
            "06/02 07:00:00PM '17 -0700",
            1_496_455_200_000_000_000,
        ),
        (
            "02 Jan 06 15:04 -0700",
            "02 Jun 17 19:00 -0700",
            1_496_455_200_000_000_000,
        ),
        (
            "RFC822Z",
            "02 Jun 17 19:00 -0700",
            1_496_455_200_000_000_000,
        ),
        ("2006-01-02", "2020-02-02", 1_580_601_600_000_000_000),
        ("RFC3339", "1970-01-01T00:00:00Z", 0),
        (
            "Jan _2 3:04:05.000pm 2006 Z07",
            "jan  2 3:04:05.123am 1970 +01",
            93_845_123_000_000,
        ),
        ("2006 002 15h", "2020 060 01h", 1_582_938_000_000_000_000),
        (
            "2006-01-02 15:04:05,999 MST",
            "2020-02-29 01:00:00,5 UTC",
            1_582_938_000_500_000_000,
        ),
        (
            "RFC3339Nano",
            "2020-02-29T01:00:00.123456789+05:30",
            1_582_918_200_123_456_789,
        ),
        (
            "Monday, 02-Jan-06",
            "Saturday, 29-Feb-20",
            1_582_934_400_000_000_000,
        ),
    ] {
        assert_eq!(parse_ns(layout, value), Ok(n(want)), "{layout} / {value}");
    }
}

#[test]
fn parse_rfc3339_conformance() {
    for (value, want) in [
        ("1677-09-21T00:12:43.145224192-00:00", i64::MIN),
        ("1970-01-01T00:00:00-00:00", 0),
        ("2017-06-02T19:00:00-07:00", 1_496_455_200_000_000_000),
        ("2262-04-11T23:47:16.854775807-00:00", i64::MAX),
    ] {
        assert_eq!(ok("time.parse_rfc3339_ns", &[s(value)]), n(want), "{value}");
    }
    for value in [
        "1677-09-21T00:12:43.145224191-00:00",
        "2262-04-11T23:47:16.854775808-00:00",
    ] {
        assert_eq!(
            err("time.parse_rfc3339_ns", &[s(value)]),
            ("time outside of valid range".into(), "eval_builtin_error")
        );
        assert_eq!(
            parse_ns("2006-01-02T15:04:05Z07:00", value).unwrap_err(),
            "time outside of valid range"
        );
    }
}

#[test]
fn parse_errors_match_go() {
    for (layout, value, message) in [
        (
            "2006-01-02",
            "x",
            r#"parsing time "x" as "2006-01-02": cannot parse "x" as "2006""#,
        ),
        (
            "2006-01-02",
            "2021-13-01",
            r#"parsing time "2021-13-01": month out of range"#,
        ),
        (
            "2006-01-02",
            "2021-02-30",
            r#"parsing time "2021-02-30": day out of range"#,
        ),
        (
            "2006-01-02",
            "2021-01-01x",
            r#"parsing time "2021-01-01x": extra text: "x""#,
        ),
        (
            "2006-01-02T15:04:05Z07:00",
            "2021-01-01",
            r#"parsing time "2021-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#,
        ),
        (
            "15:04",
            "25:00",
            r#"parsing time "25:00": hour out of range"#,
        ),
        (
            "15:04 MST",
            "10:00 xyz",
            r#"parsing time "10:00 xyz" as "15:04 MST": cannot parse "xyz" as "MST""#,
        ),
        (
            "2006 002",
            "2021 366",
            r#"parsing time "2021 366": day-of-year out of range"#,
        ),
        (
            "Jan 2006",
            "Foo 2006",
            r#"parsing time "Foo 2006" as "Jan 2006": cannot parse "Foo 2006" as "Jan""#,
        ),
        (
            "2006",
            "é",
            r#"parsing time "\xc3\xa9" as "2006": cannot parse "\xc3\xa9" as "2006""#,
        ),
        (
            "-07:00",
            "+25:00",
            r#"parsing time "+25:00": time zone offset hour out of range"#,
        ),
    ] {
        assert_eq!(
            parse_ns(layout, value).unwrap_err(),
            message,
            "{layout} / {value}"
        );
    }
    assert_eq!(
        err("time.parse_ns", &[n(1), s("x")]),
        (
            "operand 1 must be string but got number".into(),
            "eval_type_error"
        )
    );
    assert_eq!(
        err("time.parse_ns", &[s("x"), n(1)]).0,
        "operand 2 must be string but got number"
    );
}

#[test]
fn parse_zone_names() {
    // An unknown abbreviation keeps the wall clock as UTC (Go's fake zone); GMT offsets too.
    let layout = "2006-01-02 15:04 MST";
    assert_eq!(
        parse_ns(layout, "2020-01-01 00:00 UTC"),
        parse_ns(layout, "2020-01-01 00:00 GMT+3")
    );
    assert_eq!(
        parse_ns(layout, "2020-01-01 00:00 XYZ"),
        Ok(n(1_577_836_800_000_000_000))
    );
}

#[test]
fn durations() {
    assert_eq!(ok("time.parse_duration_ns", &[s("100ms")]), n(100_000_000));
    assert_eq!(
        ok("time.parse_duration_ns", &[s("-1h2m3.5s")]),
        n(-3_723_500_000_000)
    );
    assert_eq!(
        err("time.parse_duration_ns", &[s("1d")]),
        (
            "time: unknown unit \"d\" in duration \"1d\"".into(),
            "eval_builtin_error"
        )
    );
}

#[test]
fn date_clock_weekday_conformance() {
    let ns = 1_517_814_000 * 1_000_000_000;
    assert_eq!(ok("time.date", &[n(ns)]), ints(&[2018, 2, 5]));
    assert_eq!(
        ok("time.date", &[zoned(ns, "America/Los_Angeles")]),
        ints(&[2018, 2, 4])
    );
    let noon = 1_517_832_000 * 1_000_000_000;
    assert_eq!(ok("time.date", &[zoned(noon, "")]), ints(&[2018, 2, 5]));
    assert_eq!(ok("time.clock", &[n(noon)]), ints(&[12, 0, 0]));
    assert_eq!(
        ok("time.clock", &[zoned(noon, "America/New_York")]),
        ints(&[7, 0, 0])
    );
    let leap = 1_582_977_600 * 1_000_000_000;
    assert_eq!(ok("time.date", &[n(leap)]), ints(&[2020, 2, 29]));
    assert_eq!(ok("time.clock", &[n(leap)]), ints(&[12, 0, 0]));
    for (i, day) in [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .iter()
    .enumerate()
    {
        let at = (1_517_832_000 + 86_400 * i as i64) * 1_000_000_000;
        assert_eq!(ok("time.weekday", &[n(at)]), s(day));
    }
    let too_big = Value::parse_number("1582977600000000000000").unwrap();
    for name in ["time.date", "time.clock", "time.weekday", "time.format"] {
        assert_eq!(
            err(name, std::slice::from_ref(&too_big)),
            ("timestamp too big".into(), "eval_builtin_error")
        );
    }
    assert_eq!(
        err("time.date", &[Value::from_f64(1.5)]).0,
        "timestamp too big"
    );
}

#[test]
fn zone_argument_errors() {
    assert_eq!(
        err("time.date", &[s("x")]),
        (
            "operand 1 must be either number (ns) or [number (ns), string (tz)] but got string"
                .into(),
            "eval_type_error"
        )
    );
    assert_eq!(
        err("time.clock", &[Value::empty_array()]).0,
        "operand 1 must be either number (ns) or [number (ns), string (tz)] but got array"
    );
    assert_eq!(
        err("time.weekday", &[Value::array(vec![s("1")])]).0,
        "operand 1 must be number but got string"
    );
    assert_eq!(
        err("time.diff", &[n(0), Value::array(vec![n(0), n(1)])]).0,
        "operand 1 must be string but got number"
    );
    assert_eq!(
        err("time.date", &[zoned(0, "Mars/Olympus")]),
        (
            "unknown time zone Mars/Olympus".into(),
            "eval_builtin_error"
        )
    );
    assert_eq!(
        err("time.format", &[Value::array(vec![n(0), s("UTC"), n(1)])]).0,
        "operand 1 must be string but got number"
    );
}

#[test]
fn add_date_conformance() {
    let t = 1_585_852_421_593_912_000;
    assert_eq!(
        ok("time.add_date", &[n(t), n(3), n(9), n(12)]),
        n(1_705_257_221_593_912_000)
    );
    assert_eq!(
        ok("time.add_date", &[n(t), n(-1), n(-1), n(-1)]),
        n(1_551_465_221_593_912_000)
    );
    assert_eq!(
        err("time.add_date", &[n(0), n(2262), n(1), n(1)]),
        ("time outside of valid range".into(), "eval_builtin_error")
    );
    assert_eq!(
        err("time.add_date", &[n(i64::MIN), n(0), n(0), n(-1)]).0,
        "time outside of valid range"
    );
    assert_eq!(
        err("time.add_date", &[n(0), n(i64::MAX), n(0), n(0)]).0,
        "time outside of valid range"
    );
    assert_eq!(
        err("time.add_date", &[n(0), Value::from_f64(1.5), n(0), n(0)]),
        (
            "operand 2 must be integer number but got floating-point number".into(),
            "eval_type_error"
        )
    );
    // January 31st plus a month is March 2nd (Go normalises the day).
    let jan31 = 1_612_051_200_000_000_000; // 2021-01-31T00:00:00Z
    assert_eq!(
        ok("time.add_date", &[n(jan31), n(0), n(1), n(0)]),
        n(jan31 + 31 * 86_400_000_000_000)
    );
}

#[test]
fn add_date_across_dst() {
    // 2021-03-13T12:00:00-05:00 plus one day in New York is noon EDT, 23 hours later.
    let before = 1_615_654_800_000_000_000;
    assert_eq!(
        ok(
            "time.add_date",
            &[zoned(before, "America/New_York"), n(0), n(0), n(1)]
        ),
        n(before + 23 * 3_600_000_000_000)
    );
    // In UTC it is 24 hours.
    assert_eq!(
        ok("time.add_date", &[n(before), n(0), n(0), n(1)]),
        n(before + 24 * 3_600_000_000_000)
    );
}

#[test]
fn diff_conformance() {
    let now = 1_700_000_000_000_000_000;
    let sec = 1_000_000_000;
    assert_eq!(
        ok("time.diff", &[n(now + 61 * sec), n(now)]),
        ints(&[0, 0, 0, 0, 1, 1])
    );
    assert_eq!(
        ok(
            "time.diff",
            &[zoned(now + 60 * sec, "UTC"), zoned(now, "Asia/Shanghai")]
        ),
        ints(&[0, 0, 0, 0, 1, 0])
    );
    let day = |text: &str| parse_ns("2006-01-02", text).unwrap();
    let diff = |a: &str, b: &str| ok("time.diff", &[day(a), day(b)]);
    assert_eq!(diff("2020-02-02", "2020-03-01"), ints(&[0, 0, 28, 0, 0, 0]));
    assert_eq!(diff("2021-02-02", "2021-03-01"), ints(&[0, 0, 27, 0, 0, 0]));
    assert_eq!(diff("2004-02-29", "2005-03-01"), ints(&[1, 0, 1, 0, 0, 0]));
    // Across the New York spring-forward night: 23 hours are one calendar day there.
    let before = 1_615_654_800_000_000_000;
    let after = before + 23 * 3_600_000_000_000;
    assert_eq!(
        ok("time.diff", &[zoned(before, "America/New_York"), n(after)]),
        ints(&[0, 0, 1, 0, 0, 0])
    );
    assert_eq!(
        ok("time.diff", &[n(before), n(after)]),
        ints(&[0, 0, 0, 23, 0, 0])
    );
}

#[test]
fn format_conformance() {
    let t = 1_670_006_453_141_828_752;
    let fmt = |v: Value| ok("time.format", &[v]);
    assert_eq!(fmt(n(t)), s("2022-12-02T18:40:53.141828752Z"));
    assert_eq!(
        fmt(zoned(t, "Asia/Kolkata")),
        s("2022-12-03T00:10:53.141828752+05:30")
    );
    let with = |tz: &str, layout: &str| Value::array(vec![n(t), s(tz), s(layout)]);
    assert_eq!(
        fmt(with("Asia/Kolkata", "Mon Jan 02 15:04:05 -0700 2006")),
        s("Sat Dec 03 00:10:53 +0530 2022")
    );
    assert_eq!(
        fmt(with("Asia/Kolkata", "RFC1123Z")),
        s("Sat, 03 Dec 2022 00:10:53 +0530")
    );
    assert_eq!(
        fmt(with("Asia/Kolkata", "RFC1123")),
        s("Sat, 03 Dec 2022 00:10:53 IST")
    );
    assert_eq!(fmt(with("", "")), s("2022-12-02T18:40:53.141828752Z"));
    assert_eq!(
        fmt(with(
            "UTC",
            "Monday January _2 3:4:5.000 pm Z07:00:00 __2 002 .999"
        )),
        s("Friday December  2 6:40:53.141 pm Z 336 336 .141")
    );
    assert_eq!(fmt(with("UTC", "ANSIC")), s("Fri Dec  2 18:40:53 2022"));
    assert_eq!(
        fmt(with("UTC", "UnixDate")),
        s("Fri Dec  2 18:40:53 UTC 2022")
    );
    assert_eq!(
        fmt(with("UTC", "RFC850")),
        s("Friday, 02-Dec-22 18:40:53 UTC")
    );
    assert_eq!(
        fmt(with("UTC", "RubyDate")),
        s("Fri Dec 02 18:40:53 +0000 2022")
    );
    assert_eq!(fmt(with("UTC", "RFC822")), s("02 Dec 22 18:40 UTC"));
    assert_eq!(
        fmt(with("UTC", "2006-01-02T15:04:05.000000Z")),
        s("2022-12-02T18:40:53.141828Z")
    );
}

#[test]
fn format_across_dst() {
    // 2021-03-14T06:59:59Z is the last second of EST in New York.
    let last_est = 1_615_705_199_000_000_000;
    let ny = |ns: i64, layout: &str| {
        ok(
            "time.format",
            &[Value::array(vec![n(ns), s("America/New_York"), s(layout)])],
        )
    };
    assert_eq!(ny(last_est, "RFC3339"), s("2021-03-14T01:59:59-05:00"));
    assert_eq!(
        ny(last_est + 1_000_000_000, "RFC3339"),
        s("2021-03-14T03:00:00-04:00")
    );
    assert_eq!(ny(last_est, "RFC1123"), s("Sun, 14 Mar 2021 01:59:59 EST"));
    assert_eq!(
        ny(last_est + 1_000_000_000, "RFC1123"),
        s("Sun, 14 Mar 2021 03:00:00 EDT")
    );
    // Kolkata has no daylight saving time: +05:30 all year.
    let kolkata = |ns: i64| {
        ok(
            "time.format",
            &[Value::array(vec![
                n(ns),
                s("Asia/Kolkata"),
                s("15:04 -07:00 MST"),
            ])],
        )
    };
    assert_eq!(kolkata(last_est), s("12:29 +05:30 IST"));
    assert_eq!(
        kolkata(last_est + 183 * 86_400_000_000_000),
        s("12:29 +05:30 IST")
    );
    // Zones whose abbreviation is numeric print it as is.
    assert_eq!(
        ok(
            "time.format",
            &[Value::array(vec![n(0), s("America/Sao_Paulo"), s("MST")])]
        ),
        s("-03")
    );
}

#[test]
fn date_in_kolkata_and_new_york() {
    // 2021-12-31T20:00:00Z is already 2022 in Kolkata, still 2021 in New York.
    let ns = 1_640_980_800_000_000_000;
    assert_eq!(
        ok("time.date", &[zoned(ns, "Asia/Kolkata")]),
        ints(&[2022, 1, 1])
    );
    assert_eq!(
        ok("time.clock", &[zoned(ns, "Asia/Kolkata")]),
        ints(&[1, 30, 0])
    );
    assert_eq!(
        ok("time.date", &[zoned(ns, "America/New_York")]),
        ints(&[2021, 12, 31])
    );
    assert_eq!(
        ok("time.weekday", &[zoned(ns, "Asia/Kolkata")]),
        s("Saturday")
    );
    assert_eq!(
        ok("time.weekday", &[zoned(ns, "America/New_York")]),
        s("Friday")
    );
}
