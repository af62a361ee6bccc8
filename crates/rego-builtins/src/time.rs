//! Builtins of the `time` family, with Go's `time` package semantics as OPA exposes them.
//!
//! Times are nanoseconds since the Unix epoch. Where an argument may carry a zone it is
//! `ns`, `[ns, tz]` or (for `time.format`) `[ns, tz, layout]`; `tz` is an IANA name, `""` or
//! `"UTC"` for UTC, or `"Local"`. Layouts are Go's reference-time layouts
//! (`2006-01-02T15:04:05Z07:00`) or OPA's names for Go's constants (`RFC3339`, `RFC1123Z`, ...).

mod duration;
mod layout;
mod parse;
mod zone;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;
use crate::def;
use layout::{LONG_DAYS, RFC3339, RFC3339_NANO, named_layout};
use zone::{Civil, Zone, civil, date, days_in_month};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    def("time.now_ns", 0, now_ns),
    def("time.parse_ns", 2, parse_ns),
    def("time.parse_rfc3339_ns", 1, parse_rfc3339_ns),
    def("time.parse_duration_ns", 1, parse_duration_ns),
    def("time.format", 1, format),
    def("time.date", 1, date_of),
    def("time.clock", 1, clock),
    def("time.weekday", 1, weekday),
    def("time.add_date", 4, add_date),
    def("time.diff", 2, diff),
];

/// The error for an instant outside the `i64` nanosecond range.
fn out_of_range() -> BuiltinError {
    BuiltinError::msg("time outside of valid range")
}

/// An instant as a Rego number, if it fits `i64` nanoseconds.
fn ns_value(ns: i128) -> Result<Value, BuiltinError> {
    i64::try_from(ns)
        .map(Value::from_i64)
        .map_err(|_| out_of_range())
}

/// A time argument: `ns`, `[ns, tz]` or `[ns, tz, layout]`, read as OPA reads it (every
/// element error names operand 1, whatever the argument's position).
struct ZonedTime {
    ns: i64,
    zone: Zone,
    layout: Option<String>,
}

impl ZonedTime {
    fn read(arg: &Value) -> Result<ZonedTime, BuiltinError> {
        let wrong =
            || BuiltinError::operand(1, "either number (ns) or [number (ns), string (tz)]", arg);
        let (number, zone, layout) = match arg {
            Value::Number(n) => (n, Zone::Utc, None),
            Value::Array(items) => {
                let first = items.first().ok_or_else(wrong)?;
                let number = first
                    .as_number()
                    .ok_or_else(|| BuiltinError::operand(1, "number", first))?;
                let string = |v: &Value| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| BuiltinError::operand(1, "string", v))
                };
                let zone = match items.get(1) {
                    None => Zone::Utc,
                    Some(tz) => match string(tz)?.as_str() {
                        "Local" => Zone::local(),
                        name => Zone::load(name).map_err(BuiltinError::msg)?,
                    },
                };
                let layout = items.get(2).map(string).transpose()?;
                (number, zone, layout)
            }
            _ => return Err(wrong()),
        };
        // OPA: anything but an exact int64 (fractions too) is "too big".
        let ns = number
            .as_i64()
            .ok_or_else(|| BuiltinError::msg("timestamp too big"))?;
        Ok(ZonedTime { ns, zone, layout })
    }

    /// The civil time in the argument's zone.
    fn civil(&self) -> Result<Civil, BuiltinError> {
        civil(i128::from(self.ns), &self.zone).ok_or_else(out_of_range)
    }
}

fn now_ns(ctx: &BuiltinContext<'_>, _: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::from_i64(ctx.now_ns()))
}

fn parse_with(layout: &str, value: &str) -> Result<Value, BuiltinError> {
    let ns = parse::parse(layout, value, &Zone::local()).map_err(BuiltinError::msg)?;
    ns_value(ns)
}

fn parse_ns(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let layout = args::string(args, 0)?;
    let value = args::string(args, 1)?;
    parse_with(named_layout(layout).unwrap_or(layout), value)
}

fn parse_rfc3339_ns(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    parse_with(RFC3339, args::string(args, 0)?)
}

fn parse_duration_ns(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let text = args::string(args, 0)?;
    duration::parse_duration(text)
        .map(Value::from_i64)
        .map_err(BuiltinError::msg)
}

fn format(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let t = ZonedTime::read(&args[0])?;
    let layout = match t.layout.as_deref() {
        None | Some("") => RFC3339_NANO,
        Some(name) => named_layout(name).unwrap_or(name),
    };
    Ok(Value::from(layout::format(&t.civil()?, layout)))
}

fn date_of(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let c = ZonedTime::read(&args[0])?.civil()?;
    Ok(Value::array(vec![
        Value::from(c.year),
        Value::from(c.month),
        Value::from(c.day),
    ]))
}

fn clock(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let c = ZonedTime::read(&args[0])?.civil()?;
    Ok(Value::array(vec![
        Value::from(c.hour),
        Value::from(c.minute),
        Value::from(c.second),
    ]))
}

fn weekday(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let c = ZonedTime::read(&args[0])?.civil()?;
    Ok(Value::from(LONG_DAYS[c.weekday as usize]))
}

fn add_date(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let t = ZonedTime::read(&args[0])?;
    let years = args::integer(args, 1)?;
    let months = args::integer(args, 2)?;
    let days = args::integer(args, 3)?;
    let c = t.civil()?;
    let ns = (|| {
        date(
            c.year.checked_add(years)?,
            i64::from(c.month).checked_add(months)?,
            i64::from(c.day).checked_add(days)?,
            c.hour.into(),
            c.minute.into(),
            c.second.into(),
            c.nanosecond.into(),
            &t.zone,
        )
    })()
    .ok_or_else(out_of_range)?;
    ns_value(ns)
}

fn diff(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = ZonedTime::read(&args[0])?;
    let b = ZonedTime::read(&args[1])?;
    // Both are seen in the first argument's zone; the earlier one comes first.
    let (early, late) = if a.ns <= b.ns {
        (a.ns, b.ns)
    } else {
        (b.ns, a.ns)
    };
    let t1 = ZonedTime {
        ns: early,
        zone: a.zone.clone(),
        layout: None,
    }
    .civil()?;
    let t2 = ZonedTime {
        ns: late,
        zone: a.zone,
        layout: None,
    }
    .civil()?;
    let mut year = t2.year - t1.year;
    let mut month = i64::from(t2.month) - i64::from(t1.month);
    let mut day = i64::from(t2.day) - i64::from(t1.day);
    let mut hour = i64::from(t2.hour) - i64::from(t1.hour);
    let mut min = i64::from(t2.minute) - i64::from(t1.minute);
    let mut sec = i64::from(t2.second) - i64::from(t1.second);
    if sec < 0 {
        sec += 60;
        min -= 1;
    }
    if min < 0 {
        min += 60;
        hour -= 1;
    }
    if hour < 0 {
        hour += 24;
        day -= 1;
    }
    if day < 0 {
        day += days_in_month(t1.year, t1.month.into()).unwrap_or(31);
        month -= 1;
    }
    if month < 0 {
        month += 12;
        year -= 1;
    }
    Ok(Value::array(
        [year, month, day, hour, min, sec]
            .into_iter()
            .map(Value::from_i64)
            .collect(),
    ))
}

#[cfg(test)]
mod tests;
