//! Go's duration syntax, which OPA's flags take and its test reports print: `500ms`, `1m30s`,
//! `1.417µs`.

use std::time::Duration;

/// Parses a Go duration: a sequence of decimal numbers with units `ns`, `us` (`µs`), `ms`,
/// `s`, `m`, `h` (`1h30m`, `1.5s`, `300ms`); a bare `0` is zero.
pub fn parse(text: &str) -> Result<Duration, String> {
    let bad = || format!("invalid duration {text:?} (expected e.g. 500ms, 2s, 1m30s)");
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    if rest.is_empty() {
        return Err(bad());
    }
    let mut nanos = 0f64;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().map_err(|_| bad())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        nanos += number * unit;
    }
    if nanos > u64::MAX as f64 {
        return Err(bad());
    }
    Ok(Duration::from_nanos(nanos.round() as u64))
}

/// Formats a duration as Go's `time.Duration.String` does: `0s`, `417ns`, `1.5µs`,
/// `1.234567ms`, `2.5s`, `1m30s`, `1h0m0s` (fractions without trailing zeros).
pub fn format(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".to_string();
    }
    if nanos < 1_000 {
        return format!("{nanos}ns");
    }
    if nanos < 1_000_000 {
        return decimal(nanos, 3) + "µs";
    }
    if nanos < 1_000_000_000 {
        return decimal(nanos, 6) + "ms";
    }
    let seconds = decimal(nanos % 60_000_000_000, 9) + "s";
    let minutes = nanos / 60_000_000_000;
    match (minutes / 60, minutes % 60) {
        (0, 0) => seconds,
        (0, m) => format!("{m}m{seconds}"),
        (h, m) => format!("{h}h{m}m{seconds}"),
    }
}

/// `n` divided by 10^`places`, without trailing zeros in the fraction.
fn decimal(n: u128, places: u32) -> String {
    let scale = 10u128.pow(places);
    let fraction = format!("{:0width$}", n % scale, width = places as usize);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{}", n / scale)
    } else {
        format!("{}.{fraction}", n / scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_as_go_does() {
        assert_eq!(parse("0"), Ok(Duration::ZERO));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse("10µs"), Ok(Duration::from_micros(10)));
        for bad in ["", "5", "s", "1x", "-1s", "1..5s"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_print_as_go_does() {
        let cases = [
            (0, "0s"),
            (417, "417ns"),
            (1_000, "1µs"),
            (1_417, "1.417µs"),
            (1_500, "1.5µs"),
            (1_234_567, "1.234567ms"),
            (50_000_000, "50ms"),
            (2_500_000_000, "2.5s"),
            (90_000_000_000, "1m30s"),
            (60_000_000_000, "1m0s"),
            (3_600_000_000_000, "1h0m0s"),
            (3_723_000_000_001, "1h2m3.000000001s"),
        ];
        for (nanos, text) in cases {
            assert_eq!(format(Duration::from_nanos(nanos)), text, "{nanos}");
        }
    }
}
