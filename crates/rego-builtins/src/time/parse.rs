//! Go's `time.Parse`: reading a time with a reference-time layout, with Go's error texts
//! (`parsing time "x" as "2006-01-02": cannot parse "x" as "2006"`).

use super::layout::{LONG_DAYS, LONG_MONTHS, SHORT_DAYS, SHORT_MONTHS, Std, next_chunk};
use super::zone::{Zone, date, days_in_month};

/// Go's `quote` in the `time` package: double quotes, `"` and `\` escaped, and every byte
/// that is not printable ASCII written as `\xHH`.
pub(super) fn quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// Go's `ParseError` text.
fn parse_error(
    layout: &str,
    value: &[u8],
    layout_elem: &str,
    value_elem: &[u8],
    message: &str,
) -> String {
    if message.is_empty() {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value),
            quote(layout.as_bytes()),
            quote(value_elem),
            quote(layout_elem.as_bytes())
        )
    } else {
        format!("parsing time {}{message}", quote(value))
    }
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

fn digit(s: &[u8], i: usize) -> i64 {
    i64::from(s[i] - b'0')
}

/// One or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !is_digit(s, 0) {
        return None;
    }
    if !is_digit(s, 1) {
        if fixed {
            return None;
        }
        return Some((digit(s, 0), &s[1..]));
    }
    Some((digit(s, 0) * 10 + digit(s, 1), &s[2..]))
}

/// One to three digits (exactly three when `fixed`).
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0;
    let mut num = 0;
    while n < 3 && is_digit(s, n) {
        num = num * 10 + digit(s, n);
        n += 1;
    }
    if n == 0 || (fixed && n != 3) {
        return None;
    }
    Some((num, &s[n..]))
}

/// Go's `atoi`: an optional sign and decimal digits (the empty digit string is 0).
fn atoi(s: &[u8]) -> Option<i64> {
    let (negative, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut x: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        x = x.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
    }
    Some(if negative { -x } else { x })
}

/// Case-insensitive lookup of a name at the start of `value`.
fn lookup<'a>(table: &[&str], value: &'a [u8]) -> Option<(i64, &'a [u8])> {
    table.iter().enumerate().find_map(|(i, name)| {
        let name = name.as_bytes();
        let head = value.get(..name.len())?;
        head.eq_ignore_ascii_case(name)
            .then(|| (i as i64, &value[name.len()..]))
    })
}

/// Go's `skip`: matches the layout's literal text; a space matches any run of spaces.
fn skip<'a>(mut value: &'a [u8], mut prefix: &[u8]) -> Result<&'a [u8], &'a [u8]> {
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&c| c != b' ') {
                return Err(value);
            }
            while prefix.first() == Some(&b' ') {
                prefix = &prefix[1..];
            }
            while value.first() == Some(&b' ') {
                value = &value[1..];
            }
            continue;
        }
        if value.first() != Some(&p) {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

/// A parsed fraction `.ddd` of `nbytes` bytes (separator included) in nanoseconds; `Err(true)`
/// for a range error, `Err(false)` for a syntax error.
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, bool> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(false);
    }
    let nbytes = nbytes.min(10);
    let ns = atoi(&value[1..nbytes]).ok_or(false)?;
    if ns < 0 {
        return Err(true);
    }
    Ok(ns * 10i64.pow((10 - nbytes) as u32))
}

/// The length of a zone abbreviation at the start of `value` (Go's `parseTimeZone`).
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with(b"ChST") || value.starts_with(b"MeST") {
        return Some(4);
    }
    if value.starts_with(b"GMT") {
        return Some(3 + parse_signed_offset(&value[3..]));
    }
    if value[0] == b'+' || value[0] == b'-' {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = value
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        3 => Some(3),
        4 if value[3] == b'T' || value.starts_with(b"WITA") => Some(4),
        5 if value[4] == b'T' => Some(5),
        _ => None,
    }
}

/// `+hh` / `-h` after `GMT` or alone: its length, or 0.
fn parse_signed_offset(value: &[u8]) -> usize {
    if !matches!(value.first(), Some(b'+' | b'-')) {
        return 0;
    }
    let digits = value[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return 0;
    }
    match atoi(&value[1..1 + digits]) {
        Some(x) if x <= 12 => 1 + digits,
        _ => 0,
    }
}

const DAYS_BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Go's `time.Parse(layout, value)` as nanoseconds since the epoch; the local zone resolves
/// zone abbreviations. Errors are Go's messages.
pub(super) fn parse(alayout: &str, avalue: &str, local: &Zone) -> Result<i128, String> {
    let avalue_bytes = avalue.as_bytes();
    let mut layout = alayout;
    let mut value = avalue_bytes;
    let mut range_err: Option<&str> = None;
    let (mut am, mut pm) = (false, false);
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut utc = false;
    let mut zone_offset: Option<i64> = None;
    let mut zone_name: &[u8] = b"";

    loop {
        let (prefix, next) = next_chunk(layout);
        value = skip(value, prefix.as_bytes())
            .map_err(|v| parse_error(alayout, avalue_bytes, prefix, v, ""))?;
        let Some((std, suffix)) = next else {
            if !value.is_empty() {
                let message = format!(": extra text: {}", quote(value));
                return Err(parse_error(alayout, avalue_bytes, "", value, &message));
            }
            break;
        };
        let stdstr = &layout[prefix.len()..layout.len() - suffix.len()];
        layout = suffix;
        let hold = value;
        let ok: bool = 'element: {
            match std {
                Std::Year => {
                    let Some(n) = value.get(..2).and_then(atoi) else {
                        break 'element false;
                    };
                    value = &value[2..];
                    year = n + if n >= 69 { 1900 } else { 2000 };
                }
                Std::LongYear => {
                    if value.len() < 4 || !is_digit(value, 0) {
                        break 'element false;
                    }
                    let Some(n) = atoi(&value[..4]) else {
                        break 'element false;
                    };
                    year = n;
                    value = &value[4..];
                }
                Std::Month | Std::LongMonth => {
                    let table = if std == Std::Month {
                        &SHORT_MONTHS
                    } else {
                        &LONG_MONTHS
                    };
                    let Some((m, rest)) = lookup(table, value) else {
                        break 'element false;
                    };
                    month = m + 1;
                    value = rest;
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let Some((m, rest)) = getnum(value, std == Std::ZeroMonth) else {
                        break 'element false;
                    };
                    (month, value) = (m, rest);
                    if !(1..=12).contains(&month) {
                        range_err = Some("month");
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let table = if std == Std::WeekDay {
                        &SHORT_DAYS
                    } else {
                        &LONG_DAYS
                    };
                    let Some((_, rest)) = lookup(table, value) else {
                        break 'element false;
                    };
                    value = rest;
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && value.first() == Some(&b' ') {
                        value = &value[1..];
                    }
                    let Some((d, rest)) = getnum(value, std == Std::ZeroDay) else {
                        break 'element false;
                    };
                    (day, value) = (d, rest);
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    for _ in 0..2 {
                        if std == Std::UnderYearDay && value.first() == Some(&b' ') {
                            value = &value[1..];
                        }
                    }
                    let Some((d, rest)) = getnum3(value, std == Std::ZeroYearDay) else {
                        break 'element false;
                    };
                    (yday, value) = (d, rest);
                }
                Std::Hour => {
                    let Some((h, rest)) = getnum(value, false) else {
                        break 'element false;
                    };
                    (hour, value) = (h, rest);
                    if hour >= 24 {
                        range_err = Some("hour");
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let Some((h, rest)) = getnum(value, std == Std::ZeroHour12) else {
                        break 'element false;
                    };
                    (hour, value) = (h, rest);
                    if hour > 12 {
                        range_err = Some("hour");
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let Some((m, rest)) = getnum(value, std == Std::ZeroMinute) else {
                        break 'element false;
                    };
                    (min, value) = (m, rest);
                    if min >= 60 {
                        range_err = Some("minute");
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let Some((s, rest)) = getnum(value, std == Std::ZeroSecond) else {
                        break 'element false;
                    };
                    (sec, value) = (s, rest);
                    if sec >= 60 {
                        range_err = Some("second");
                        break 'element true;
                    }
                    // A fraction in the value that the layout does not spell out.
                    if value.len() >= 2 && matches!(value[0], b'.' | b',') && is_digit(value, 1) {
                        if let (_, Some((Std::Frac { .. }, _))) = next_chunk(layout) {
                            break 'element true;
                        }
                        let mut n = 2;
                        while is_digit(value, n) {
                            n += 1;
                        }
                        match parse_nanoseconds(value, n) {
                            Ok(ns) => nsec = ns,
                            Err(true) => range_err = Some("fractional second"),
                            Err(false) => break 'element false,
                        }
                        value = &value[n..];
                    }
                }
                Std::PM | Std::Pm => {
                    let Some(p) = value.get(..2) else {
                        break 'element false;
                    };
                    value = &value[2..];
                    let (pm_text, am_text): (&[u8], &[u8]) = if std == Std::PM {
                        (b"PM", b"AM")
                    } else {
                        (b"pm", b"am")
                    };
                    if p == pm_text {
                        pm = true;
                    } else if p == am_text {
                        am = true;
                    } else {
                        break 'element false;
                    }
                }
                Std::Offset { style, iso } => {
                    if iso && value.first() == Some(&b'Z') {
                        value = &value[1..];
                        utc = true;
                        break 'element true;
                    }
                    use super::layout::OffsetStyle as S;
                    // (length, positions of hh, mm, ss, colon positions)
                    let (len, mm_at, ss_at, colons): (
                        usize,
                        Option<usize>,
                        Option<usize>,
                        &[usize],
                    ) = match style {
                        S::ColonHhMm => (6, Some(4), None, &[3]),
                        S::Hh => (3, None, None, &[]),
                        S::ColonHhMmSs => (9, Some(4), Some(7), &[3, 6]),
                        S::HhMmSs => (7, Some(3), Some(5), &[]),
                        S::HhMm => (5, Some(3), None, &[]),
                    };
                    if value.len() < len || colons.iter().any(|&c| value[c] != b':') {
                        break 'element false;
                    }
                    let field = |at: Option<usize>| match at {
                        Some(i) => getnum(&value[i..i + 2], true).map(|(n, _)| n),
                        None => Some(0),
                    };
                    let sign = value[0];
                    let (hr, mm, ss) = (field(Some(1)), field(mm_at), field(ss_at));
                    value = &value[len..];
                    let (h, m, s) = (hr.unwrap_or(0), mm.unwrap_or(0), ss.unwrap_or(0));
                    if h > 24 {
                        range_err = Some("time zone offset hour");
                    }
                    if m > 60 {
                        range_err = Some("time zone offset minute");
                    }
                    if s > 60 {
                        range_err = Some("time zone offset second");
                    }
                    if hr.is_none() || mm.is_none() || ss.is_none() {
                        break 'element false;
                    }
                    let offset = (h * 60 + m) * 60 + s;
                    zone_offset = Some(match sign {
                        b'+' => offset,
                        b'-' => -offset,
                        _ => break 'element false,
                    });
                }
                Std::TzName => {
                    if value.starts_with(b"UTC") {
                        utc = true;
                        value = &value[3..];
                        break 'element true;
                    }
                    let Some(n) = parse_time_zone(value) else {
                        break 'element false;
                    };
                    (zone_name, value) = value.split_at(n);
                }
                Std::Frac {
                    digits,
                    trim: false,
                    ..
                } => {
                    let ndigit = 1 + digits;
                    if value.len() < ndigit {
                        break 'element false;
                    }
                    match parse_nanoseconds(value, ndigit) {
                        Ok(ns) => nsec = ns,
                        Err(true) => range_err = Some("fractional second"),
                        Err(false) => break 'element false,
                    }
                    value = &value[ndigit..];
                }
                Std::Frac { trim: true, .. } => {
                    if value.len() < 2 || !matches!(value[0], b'.' | b',') || !is_digit(value, 1) {
                        // The fraction is optional.
                        break 'element true;
                    }
                    let mut i = 0;
                    while is_digit(value, i + 1) {
                        i += 1;
                    }
                    match parse_nanoseconds(value, 1 + i) {
                        Ok(ns) => nsec = ns,
                        Err(true) => range_err = Some("fractional second"),
                        Err(false) => break 'element false,
                    }
                    value = &value[1 + i..];
                }
            }
            true
        };
        if let Some(what) = range_err {
            let message = format!(": {what} out of range");
            return Err(parse_error(alayout, avalue_bytes, stdstr, value, &message));
        }
        if !ok {
            return Err(parse_error(alayout, avalue_bytes, stdstr, hold, ""));
        }
    }
    if pm && hour < 12 {
        hour += 12;
    } else if am && hour == 12 {
        hour = 0;
    }

    let fail = |message: &str| Err(parse_error(alayout, avalue_bytes, "", value, message));
    if yday >= 0 {
        let mut m = 0;
        let mut d = 0;
        if is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return fail(": day-of-year out of range");
        }
        if m == 0 {
            m = (yday - 1) / 31 + 1;
            if DAYS_BEFORE[m as usize] < yday {
                m += 1;
            }
            d = yday - DAYS_BEFORE[m as usize - 1];
        }
        if month >= 0 && month != m {
            return fail(": day-of-year does not match month");
        }
        month = m;
        if day >= 0 && day != d {
            return fail(": day-of-year does not match day");
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in_month(year, month).unwrap_or(31) {
        return fail(": day out of range");
    }

    let out_of_range = || "time outside of valid range".to_string();
    let wall = date(year, month, day, hour, min, sec, nsec, &Zone::Utc).ok_or_else(out_of_range)?;
    if utc {
        return Ok(wall);
    }
    if let Some(offset) = zone_offset {
        return Ok(wall - i128::from(offset) * super::zone::NANOS);
    }
    if !zone_name.is_empty() {
        let name = String::from_utf8_lossy(zone_name);
        let secs =
            i64::try_from(wall.div_euclid(super::zone::NANOS)).map_err(|_| out_of_range())?;
        if let Some(offset) = local.lookup_name(&name, secs) {
            return Ok(wall - i128::from(offset) * super::zone::NANOS);
        }
        // An unknown abbreviation records the offset but keeps the wall clock as UTC.
    }
    Ok(wall)
}
