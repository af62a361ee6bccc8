//! Time zones and civil time, with Go's `time` package semantics.
//!
//! Instants are nanoseconds since the Unix epoch in an `i128` (wide enough for any civil time
//! the builtins compute). A [`Zone`] maps an instant to a UTC offset and abbreviation; civil
//! times map back to instants the way Go's `time.Date` does (fields normalised, and in a gap or
//! overlap the offset in effect just before the transition is used).

use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Offset, TimeZone, Timelike};
use chrono_tz::{OffsetName, Tz};

/// Nanoseconds per second.
pub(super) const NANOS: i128 = 1_000_000_000;

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// A time zone: UTC or an IANA zone.
#[derive(Clone, Debug)]
pub(super) enum Zone {
    /// UTC, abbreviated `UTC`.
    Utc,
    /// An IANA zone.
    Tz(Tz),
}

impl Zone {
    /// Go's `time.LoadLocation` (without `Local`, which callers handle): `""` and `"UTC"` are
    /// UTC; errors are Go's texts.
    pub(super) fn load(name: &str) -> Result<Zone, String> {
        if name.is_empty() || name == "UTC" {
            return Ok(Zone::Utc);
        }
        if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
            return Err("time: invalid location name".to_string());
        }
        Tz::from_str(name)
            .map(Zone::Tz)
            .map_err(|_| format!("unknown time zone {name}"))
    }

    /// The machine's local zone, as Go finds it: `$TZ` if set (empty means UTC), else the
    /// system setting; UTC when neither names a known zone.
    pub(super) fn local() -> Zone {
        static LOCAL: OnceLock<Zone> = OnceLock::new();
        LOCAL
            .get_or_init(|| {
                let name = match std::env::var("TZ") {
                    Ok(tz) => tz.trim_start_matches(':').to_string(),
                    Err(_) => iana_time_zone::get_timezone().unwrap_or_default(),
                };
                Tz::from_str(&name).map_or(Zone::Utc, Zone::Tz)
            })
            .clone()
    }

    /// The offset (seconds east of UTC) and abbreviation in effect at `unix_secs`.
    pub(super) fn lookup(&self, unix_secs: i64) -> (i32, String) {
        match self {
            Zone::Utc => (0, "UTC".to_string()),
            Zone::Tz(tz) => {
                let Some(utc) = chrono::DateTime::from_timestamp(unix_secs, 0) else {
                    return (0, "UTC".to_string());
                };
                let offset = tz.offset_from_utc_datetime(&utc.naive_utc());
                let seconds = offset.fix().local_minus_utc();
                let abbreviation = match offset.abbreviation() {
                    Some(name) => name.to_string(),
                    None => numeric_abbreviation(seconds),
                };
                (seconds, abbreviation)
            }
        }
    }

    /// The offset of the zone period named `name` near `unix_secs`, as Go's `lookupName`
    /// finds it: a period with that name in effect at the instant it would give, else any
    /// period with that name. Periods are searched at `unix_secs` and half a year either side
    /// (the other side of daylight saving time).
    pub(super) fn lookup_name(&self, name: &str, unix_secs: i64) -> Option<i32> {
        const HALF_YEAR: i64 = 183 * 86_400;
        let mut fallback = None;
        for delta in [0, -HALF_YEAR, HALF_YEAR] {
            let Some(probe) = unix_secs.checked_add(delta) else {
                continue;
            };
            let (offset, abbreviation) = self.lookup(probe);
            if abbreviation != name {
                continue;
            }
            if let Some(at) = unix_secs.checked_sub(i64::from(offset)) {
                let (actual, actual_name) = self.lookup(at);
                if actual_name == name {
                    return Some(actual);
                }
            }
            fallback.get_or_insert(offset);
        }
        fallback
    }
}

/// tzdata's numeric abbreviation (`%z`) for zones without a name: `-03`, `+0530`.
fn numeric_abbreviation(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    match (m, s) {
        (0, 0) => format!("{sign}{h:02}"),
        (_, 0) => format!("{sign}{h:02}{m:02}"),
        _ => format!("{sign}{h:02}{m:02}{s:02}"),
    }
}

/// Floor division and remainder of an instant into seconds and nanoseconds.
pub(super) fn split_nanos(ns: i128) -> (i128, u32) {
    let secs = ns.div_euclid(NANOS);
    let nanos = ns.rem_euclid(NANOS) as u32;
    (secs, nanos)
}

/// An instant seen in a zone: the civil fields Go's `Time` methods return.
#[derive(Clone, Debug)]
pub(super) struct Civil {
    pub year: i64,
    /// 1..=12.
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanosecond: u32,
    /// 0 = Sunday.
    pub weekday: u32,
    /// 1..=366.
    pub yearday: u32,
    /// Seconds east of UTC.
    pub offset: i32,
    /// Zone abbreviation (maybe empty).
    pub zone_name: String,
}

/// The civil time of instant `ns` in `zone`; `None` beyond chrono's calendar range.
pub(super) fn civil(ns: i128, zone: &Zone) -> Option<Civil> {
    let (secs, nanosecond) = split_nanos(ns);
    let secs = i64::try_from(secs).ok()?;
    let (offset, zone_name) = zone.lookup(secs);
    let local = chrono::DateTime::from_timestamp(secs.checked_add(i64::from(offset))?, nanosecond)?
        .naive_utc();
    Some(Civil {
        year: i64::from(local.year()),
        month: local.month(),
        day: local.day(),
        hour: local.hour(),
        minute: local.minute(),
        second: local.second(),
        nanosecond,
        weekday: local.weekday().num_days_from_sunday(),
        yearday: local.ordinal(),
        offset,
        zone_name,
    })
}

/// Days from 1970-01-01 to the first of `month` (1-based, normalised into the year) of `year`.
fn days_to_month_start(year: i64, month: i64) -> Option<i64> {
    let year = year.checked_add((month - 1).div_euclid(12))?;
    let month = (month - 1).rem_euclid(12) + 1;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month as u32, 1)?;
    Some(i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE)
}

/// The number of days in `month` of `year` (month normalised into the year).
pub(super) fn days_in_month(year: i64, month: i64) -> Option<i64> {
    Some(days_to_month_start(year, month + 1)? - days_to_month_start(year, month)?)
}

/// Go's `time.Date`: fields may be out of range and are normalised; the zone offset is the one
/// in effect at the resulting instant (before a transition when the civil time is ambiguous).
#[allow(clippy::too_many_arguments)]
pub(super) fn date(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    nanosecond: i64,
    zone: &Zone,
) -> Option<i128> {
    let days = i128::from(days_to_month_start(year, month)?) + i128::from(day) - 1;
    let local =
        ((days * 24 + i128::from(hour)) * 60 + i128::from(minute)) * 60 + i128::from(second);
    let local_ns = local * NANOS + i128::from(nanosecond);
    let (local_secs, _) = split_nanos(local_ns);
    let local_secs = i64::try_from(local_secs).ok()?;
    let (guess, _) = zone.lookup(local_secs);
    let (offset, _) = zone.lookup(local_secs.checked_sub(i64::from(guess))?);
    Some(local_ns - i128::from(offset) * NANOS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> Zone {
        Zone::load("America/New_York").unwrap()
    }

    #[test]
    fn loading() {
        assert!(matches!(Zone::load(""), Ok(Zone::Utc)));
        assert!(matches!(Zone::load("UTC"), Ok(Zone::Utc)));
        assert_eq!(
            Zone::load("Mars/Olympus").unwrap_err(),
            "unknown time zone Mars/Olympus"
        );
        assert_eq!(
            Zone::load("../etc/passwd").unwrap_err(),
            "time: invalid location name"
        );
        assert_eq!(
            Zone::load("america/new_york").unwrap_err(),
            "unknown time zone america/new_york"
        );
    }

    #[test]
    fn civil_fields_across_dst() {
        // 2021-03-14 06:59:59 UTC is 01:59:59 EST; a second later it is 03:00:00 EDT.
        let before = civil(1_615_705_199 * NANOS, &ny()).unwrap();
        assert_eq!(
            (before.hour, before.minute, before.offset),
            (1, 59, -5 * 3600)
        );
        assert_eq!(before.zone_name, "EST");
        let after = civil(1_615_705_200 * NANOS, &ny()).unwrap();
        assert_eq!((after.hour, after.minute, after.offset), (3, 0, -4 * 3600));
        assert_eq!(after.zone_name, "EDT");
        let kolkata = civil(0, &Zone::load("Asia/Kolkata").unwrap()).unwrap();
        assert_eq!(
            (kolkata.hour, kolkata.minute, kolkata.zone_name.as_str()),
            (5, 30, "IST")
        );
        assert_eq!(kolkata.weekday, 4);
    }

    #[test]
    fn dates_resolve_like_go() {
        let utc = Zone::Utc;
        assert_eq!(date(1970, 1, 1, 0, 0, 0, 0, &utc), Some(0));
        // Normalisation: month 13 is January of the next year, day 0 the last of the month.
        assert_eq!(
            date(2020, 13, 0, 0, 0, 0, 0, &utc),
            date(2020, 12, 31, 0, 0, 0, 0, &utc)
        );
        assert_eq!(
            date(2021, 2, 29, 0, 0, 0, 0, &utc),
            date(2021, 3, 1, 0, 0, 0, 0, &utc)
        );
        // In the spring-forward gap 02:30 does not exist; Go reads it with the offset after
        // the gap (EDT), which lands at 01:30 EST.
        let gap = date(2021, 3, 14, 2, 30, 0, 0, &ny()).unwrap();
        assert_eq!(gap, (1_615_705_200 - 30 * 60) * NANOS);
        // In the fall-back overlap 01:30 happens twice; Go picks the first (EDT).
        let overlap = date(2021, 11, 7, 1, 30, 0, 0, &ny()).unwrap();
        assert_eq!(civil(overlap, &ny()).unwrap().zone_name, "EDT");
        assert_eq!(days_in_month(2020, 2), Some(29));
        assert_eq!(days_in_month(2020, 14), Some(28));
        assert_eq!(days_in_month(2021, 2), Some(28));
        assert_eq!(days_in_month(2021, 12), Some(31));
    }

    #[test]
    fn abbreviations() {
        let ny = ny();
        let july = 1_625_140_800; // 2021-07-01T12:00:00Z
        let january = 1_610_000_000;
        assert_eq!(ny.lookup_name("EDT", july), Some(-4 * 3600));
        assert_eq!(ny.lookup_name("EST", july), Some(-5 * 3600));
        assert_eq!(ny.lookup_name("EDT", january), Some(-4 * 3600));
        assert_eq!(ny.lookup_name("PST", july), None);
        assert_eq!(Zone::Utc.lookup_name("UTC", july), Some(0));
        // Zones without a name use tzdata's numeric form.
        let kathmandu = Zone::load("Asia/Kathmandu").unwrap();
        assert_eq!(kathmandu.lookup(july).1, "+0545");
        assert_eq!(numeric_abbreviation(-3 * 3600), "-03");
        assert_eq!(numeric_abbreviation(-(3600 + 61)), "-010101");
    }
}
