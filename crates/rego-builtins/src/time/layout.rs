//! Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`): splitting a layout into
//! literal text and elements, and formatting a civil time with one.

use super::zone::Civil;

/// OPA's named layouts (Go's constants).
pub(super) fn named_layout(name: &str) -> Option<&'static str> {
    Some(match name {
        "ANSIC" => "Mon Jan _2 15:04:05 2006",
        "UnixDate" => "Mon Jan _2 15:04:05 MST 2006",
        "RubyDate" => "Mon Jan 02 15:04:05 -0700 2006",
        "RFC822" => "02 Jan 06 15:04 MST",
        "RFC822Z" => "02 Jan 06 15:04 -0700",
        "RFC850" => "Monday, 02-Jan-06 15:04:05 MST",
        "RFC1123" => "Mon, 02 Jan 2006 15:04:05 MST",
        "RFC1123Z" => "Mon, 02 Jan 2006 15:04:05 -0700",
        "RFC3339" => RFC3339,
        "RFC3339Nano" => RFC3339_NANO,
        _ => return None,
    })
}

/// Go's `time.RFC3339`.
pub(super) const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
/// Go's `time.RFC3339Nano`.
pub(super) const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

pub(super) const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(super) const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const SHORT_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// How a numeric zone offset is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OffsetStyle {
    /// `-0700`
    HhMm,
    /// `-07:00`
    ColonHhMm,
    /// `-07`
    Hh,
    /// `-070000`
    HhMmSs,
    /// `-07:00:00`
    ColonHhMmSs,
}

/// One layout element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Std {
    /// `January`
    LongMonth,
    /// `Jan`
    Month,
    /// `1`
    NumMonth,
    /// `01`
    ZeroMonth,
    /// `Monday`
    LongWeekDay,
    /// `Mon`
    WeekDay,
    /// `2`
    Day,
    /// `_2`
    UnderDay,
    /// `02`
    ZeroDay,
    /// `__2`
    UnderYearDay,
    /// `002`
    ZeroYearDay,
    /// `15`
    Hour,
    /// `3`
    Hour12,
    /// `03`
    ZeroHour12,
    /// `4`
    Minute,
    /// `04`
    ZeroMinute,
    /// `5`
    Second,
    /// `05`
    ZeroSecond,
    /// `2006`
    LongYear,
    /// `06`
    Year,
    /// `PM`
    PM,
    /// `pm`
    Pm,
    /// `MST`
    TzName,
    /// `-0700` and friends; `iso` for the `Z0700` forms, which print `Z` for UTC.
    Offset { style: OffsetStyle, iso: bool },
    /// `.000` (exactly `digits` digits) or `.999` (`trim`: trailing zeros dropped); the
    /// separator is `.` or `,`.
    Frac { digits: usize, trim: bool, sep: u8 },
}

fn starts_with_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

/// Go's `nextStdChunk`: the literal prefix, the first element and the rest of the layout.
pub(super) fn next_chunk(layout: &str) -> (&str, Option<(Std, &str)>) {
    let b = layout.as_bytes();
    let at = |i: usize, lit: &str| b[i..].starts_with(lit.as_bytes());
    for i in 0..b.len() {
        let found = match b[i] {
            b'J' if at(i, "January") => Some((Std::LongMonth, 7)),
            b'J' if at(i, "Jan") && !starts_with_lower(&b[i + 3..]) => Some((Std::Month, 3)),
            b'M' if at(i, "Monday") => Some((Std::LongWeekDay, 6)),
            b'M' if at(i, "Mon") && !starts_with_lower(&b[i + 3..]) => Some((Std::WeekDay, 3)),
            b'M' if at(i, "MST") => Some((Std::TzName, 3)),
            b'0' if i + 1 < b.len() && (b'1'..=b'6').contains(&b[i + 1]) => {
                let std = [
                    Std::ZeroMonth,
                    Std::ZeroDay,
                    Std::ZeroHour12,
                    Std::ZeroMinute,
                    Std::ZeroSecond,
                    Std::Year,
                ][usize::from(b[i + 1] - b'1')];
                Some((std, 2))
            }
            b'0' if at(i, "002") => Some((Std::ZeroYearDay, 3)),
            b'1' if at(i, "15") => Some((Std::Hour, 2)),
            b'1' => Some((Std::NumMonth, 1)),
            b'2' if at(i, "2006") => Some((Std::LongYear, 4)),
            b'2' => Some((Std::Day, 1)),
            b'_' if at(i, "_2006") => {
                // A literal `_` followed by the year.
                return (&layout[..i + 1], Some((Std::LongYear, &layout[i + 5..])));
            }
            b'_' if at(i, "_2") => Some((Std::UnderDay, 2)),
            b'_' if at(i, "__2") => Some((Std::UnderYearDay, 3)),
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if at(i, "PM") => Some((Std::PM, 2)),
            b'p' if at(i, "pm") => Some((Std::Pm, 2)),
            b'-' | b'Z' => {
                let iso = b[i] == b'Z';
                [
                    ("070000", OffsetStyle::HhMmSs),
                    ("07:00:00", OffsetStyle::ColonHhMmSs),
                    ("0700", OffsetStyle::HhMm),
                    ("07:00", OffsetStyle::ColonHhMm),
                    ("07", OffsetStyle::Hh),
                ]
                .into_iter()
                .find(|(pattern, _)| at(i + 1, pattern))
                .map(|(pattern, style)| (Std::Offset { style, iso }, pattern.len() + 1))
            }
            b'.' | b',' if i + 1 < b.len() && (b[i + 1] == b'0' || b[i + 1] == b'9') => {
                let digit = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == digit {
                    j += 1;
                }
                // Only a fractional second if no other digit follows.
                if j < b.len() && b[j].is_ascii_digit() {
                    None
                } else {
                    let std = Std::Frac {
                        digits: j - (i + 1),
                        trim: digit == b'9',
                        sep: b[i],
                    };
                    Some((std, j - i))
                }
            }
            _ => None,
        };
        if let Some((std, len)) = found {
            return (&layout[..i], Some((std, &layout[i + len..])));
        }
    }
    (layout, None)
}

/// Appends `n` zero-padded to `width` digits (Go's `appendInt`).
fn push_int(out: &mut String, n: i64, width: usize) {
    if n < 0 {
        out.push('-');
    }
    let digits = n.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Formats `t` with a Go layout (`Time.Format`).
pub(super) fn format(t: &Civil, layout: &str) -> String {
    let mut out = String::new();
    let mut rest = layout;
    loop {
        let (prefix, next) = next_chunk(rest);
        out.push_str(prefix);
        let Some((std, suffix)) = next else {
            return out;
        };
        rest = suffix;
        let hour12 = match t.hour % 12 {
            0 => 12,
            h => h,
        };
        match std {
            Std::Year => push_int(&mut out, t.year % 100, 2),
            Std::LongYear => push_int(&mut out, t.year, 4),
            Std::Month => out.push_str(SHORT_MONTHS[t.month as usize - 1]),
            Std::LongMonth => out.push_str(LONG_MONTHS[t.month as usize - 1]),
            Std::NumMonth => push_int(&mut out, t.month.into(), 0),
            Std::ZeroMonth => push_int(&mut out, t.month.into(), 2),
            Std::WeekDay => out.push_str(SHORT_DAYS[t.weekday as usize]),
            Std::LongWeekDay => out.push_str(LONG_DAYS[t.weekday as usize]),
            Std::Day => push_int(&mut out, t.day.into(), 0),
            Std::UnderDay => {
                if t.day < 10 {
                    out.push(' ');
                }
                push_int(&mut out, t.day.into(), 0);
            }
            Std::ZeroDay => push_int(&mut out, t.day.into(), 2),
            Std::UnderYearDay => {
                if t.yearday < 100 {
                    out.push(' ');
                    if t.yearday < 10 {
                        out.push(' ');
                    }
                }
                push_int(&mut out, t.yearday.into(), 0);
            }
            Std::ZeroYearDay => push_int(&mut out, t.yearday.into(), 3),
            Std::Hour => push_int(&mut out, t.hour.into(), 2),
            Std::Hour12 => push_int(&mut out, hour12.into(), 0),
            Std::ZeroHour12 => push_int(&mut out, hour12.into(), 2),
            Std::Minute => push_int(&mut out, t.minute.into(), 0),
            Std::ZeroMinute => push_int(&mut out, t.minute.into(), 2),
            Std::Second => push_int(&mut out, t.second.into(), 0),
            Std::ZeroSecond => push_int(&mut out, t.second.into(), 2),
            Std::PM => out.push_str(if t.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => out.push_str(if t.hour >= 12 { "pm" } else { "am" }),
            Std::Offset { style, iso } => format_offset(&mut out, t.offset, style, iso),
            Std::TzName => {
                if t.zone_name.is_empty() {
                    format_offset(&mut out, t.offset, OffsetStyle::HhMm, false);
                } else {
                    out.push_str(&t.zone_name);
                }
            }
            Std::Frac { digits, trim, sep } => {
                format_frac(&mut out, t.nanosecond, digits, trim, sep)
            }
        }
    }
}

fn format_offset(out: &mut String, offset: i32, style: OffsetStyle, iso: bool) {
    if offset == 0 && iso {
        out.push('Z');
        return;
    }
    out.push(if offset < 0 { '-' } else { '+' });
    let abs = i64::from(offset.unsigned_abs());
    let minutes = abs / 60;
    push_int(out, minutes / 60, 2);
    match style {
        OffsetStyle::Hh => {}
        OffsetStyle::HhMm | OffsetStyle::HhMmSs => push_int(out, minutes % 60, 2),
        OffsetStyle::ColonHhMm | OffsetStyle::ColonHhMmSs => {
            out.push(':');
            push_int(out, minutes % 60, 2);
        }
    }
    match style {
        OffsetStyle::HhMmSs => push_int(out, abs % 60, 2),
        OffsetStyle::ColonHhMmSs => {
            out.push(':');
            push_int(out, abs % 60, 2);
        }
        _ => {}
    }
}

fn format_frac(out: &mut String, nanos: u32, digits: usize, trim: bool, sep: u8) {
    if trim && (digits == 0 || nanos == 0) {
        return;
    }
    let mut frac = format!("{nanos:09}");
    frac.truncate(digits.min(9));
    if trim {
        let kept = frac.trim_end_matches('0').len();
        frac.truncate(kept);
        if frac.is_empty() {
            return;
        }
    }
    out.push(char::from(sep));
    out.push_str(&frac);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(layout: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = layout;
        loop {
            let (prefix, next) = next_chunk(rest);
            if !prefix.is_empty() {
                out.push(format!("'{prefix}'"));
            }
            let Some((std, suffix)) = next else {
                return out;
            };
            out.push(format!("{std:?}"));
            rest = suffix;
        }
    }

    #[test]
    fn splits_like_go() {
        assert_eq!(
            chunks("Jan January Janet Mon Monday Month MST"),
            [
                "Month",
                "' '",
                "LongMonth",
                "' Janet '",
                "WeekDay",
                "' '",
                "LongWeekDay",
                "' Month '",
                "TzName"
            ]
        );
        assert_eq!(
            chunks("_2006 __2 _2 002 .000 ,999 .0001"),
            [
                "'_'",
                "LongYear",
                "' '",
                "UnderYearDay",
                "' '",
                "UnderDay",
                "' '",
                "ZeroYearDay",
                "' '",
                "Frac { digits: 3, trim: false, sep: 46 }",
                "' '",
                "Frac { digits: 3, trim: true, sep: 44 }",
                "' .00'",
                "ZeroMonth"
            ]
        );
        assert_eq!(
            chunks("Z07:00:00-07"),
            [
                "Offset { style: ColonHhMmSs, iso: true }",
                "Offset { style: Hh, iso: false }"
            ]
        );
    }
}
