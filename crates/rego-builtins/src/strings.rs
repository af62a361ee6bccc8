//! Builtins of the `strings` family: searching, slicing, splitting, trimming, replacing and
//! case mapping of strings, with OPA's (Go's) semantics. Positions and lengths count
//! characters (code points), as OPA does.

mod case;
mod number;
mod replace;
#[cfg(test)]
mod tests;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;
use crate::def;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    def("concat", 2, concat),
    def("contains", 2, contains),
    def("startswith", 2, startswith),
    def("endswith", 2, endswith),
    def("lower", 1, lower),
    def("upper", 1, upper),
    def("split", 2, split),
    def("strings.split_n", 3, split_n),
    def("replace", 3, replace),
    def("strings.replace_n", 2, replace_n),
    def("trim", 2, trim),
    def("trim_left", 2, trim_left),
    def("trim_right", 2, trim_right),
    def("trim_prefix", 2, trim_prefix),
    def("trim_suffix", 2, trim_suffix),
    def("trim_space", 1, trim_space),
    def("substring", 3, substring),
    def("indexof", 2, indexof),
    def("indexof_n", 2, indexof_n),
    def("strings.reverse", 1, reverse),
    def("strings.count", 2, count),
    def("strings.any_prefix_match", 2, any_prefix_match),
    def("strings.any_suffix_match", 2, any_suffix_match),
    def("format_int", 2, number::format_int),
    def("to_number", 1, number::to_number),
    def("internal.template_string", 1, template_string),
];

type Result<T = Value> = std::result::Result<T, BuiltinError>;

/// OPA's error for a collection holding a value of the wrong type:
/// `operand 2 must be array of strings but got array containing number`.
fn element_error(pos: usize, collection: &Value, element: &Value, want: &str) -> BuiltinError {
    let kind = collection.type_name();
    BuiltinError::Type(format!(
        "operand {pos} must be {kind} of {want}s but got {kind} containing {}",
        element.type_name()
    ))
}

/// The strings of an array or set argument (element errors as OPA words them).
fn string_elements<'a>(a: &'a [Value], i: usize, wrong_type: &str) -> Result<Vec<&'a str>> {
    let items = match &a[i] {
        Value::Array(items) => &items[..],
        Value::Set(items) => items.as_slice(),
        other => return Err(BuiltinError::operand(i + 1, wrong_type, other)),
    };
    items
        .iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| element_error(i + 1, &a[i], v, "string"))
        })
        .collect()
}

fn concat(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let sep = args::string(a, 0)?;
    let parts = string_elements(a, 1, "one of {set, array}")?;
    Ok(Value::from(parts.join(sep)))
}

fn contains(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    Ok(Value::from(
        args::string(a, 0)?.contains(args::string(a, 1)?),
    ))
}

fn startswith(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    Ok(Value::from(
        args::string(a, 0)?.starts_with(args::string(a, 1)?),
    ))
}

fn endswith(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    Ok(Value::from(
        args::string(a, 0)?.ends_with(args::string(a, 1)?),
    ))
}

fn lower(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    Ok(Value::from(case::to_lower(args::string(a, 0)?)))
}

fn upper(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    Ok(Value::from(case::to_upper(args::string(a, 0)?)))
}

fn strings_value<'a>(parts: impl IntoIterator<Item = &'a str>) -> Value {
    Value::array(parts.into_iter().map(Value::from).collect())
}

/// Go's `strings.SplitN(s, sep, n)` for `n > 0` (`None` for no limit).
fn go_split<'a>(s: &'a str, sep: &str, limit: Option<usize>) -> Vec<&'a str> {
    if sep.is_empty() {
        // Explode into characters, the last piece holding the rest.
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if limit.is_some_and(|n| parts.len() + 1 == n) {
                break;
            }
            parts.push(&rest[..c.len_utf8()]);
            rest = &rest[c.len_utf8()..];
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
        return parts;
    }
    match limit {
        Some(n) => s.splitn(n, sep).collect(),
        None => s.split(sep).collect(),
    }
}

fn split(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let s = args::string(a, 0)?;
    let sep = args::string(a, 1)?;
    Ok(strings_value(go_split(s, sep, None)))
}

/// `strings.split_n(s, sep, n)`: the first `n` pieces of the split (the last `-n` for a
/// negative `n`).
fn split_n(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let s = args::string(a, 0)?;
    let sep = args::string(a, 1)?;
    let n = args::integer(a, 2)?;
    if n >= 0 {
        let limit = n.checked_add(1).and_then(|l| usize::try_from(l).ok());
        let parts = go_split(s, sep, limit);
        let keep = usize::try_from(n).unwrap_or(usize::MAX).min(parts.len());
        Ok(strings_value(parts.into_iter().take(keep)))
    } else {
        let parts = go_split(s, sep, None);
        let drop = usize::try_from(parts.len() as i128 + i128::from(n)).unwrap_or(0);
        Ok(strings_value(parts.into_iter().skip(drop)))
    }
}

fn replace(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let s = args::string(a, 0)?;
    let old = args::string(a, 1)?;
    let new = args::string(a, 2)?;
    Ok(Value::from(replace::replace_all(s, &[(old, new)])))
}

/// `strings.replace_n(patterns, s)`: every key of `patterns` replaced by its value, keys
/// tried in sorted order at each position.
fn replace_n(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let patterns = args::object(a, 0)?;
    let s = args::string(a, 1)?;
    let mut pairs = Vec::with_capacity(patterns.len());
    for (k, v) in patterns {
        let k = k.as_str().ok_or_else(|| {
            BuiltinError::Type("operand 1 non-string key found in pattern object".into())
        })?;
        let v = v.as_str().ok_or_else(|| {
            BuiltinError::Type("operand 1 non-string value found in pattern object".into())
        })?;
        pairs.push((k, v));
    }
    Ok(Value::from(replace::replace_all(s, &pairs)))
}

/// A string argument and a set of characters to trim.
fn trim_args(a: &[Value]) -> Result<(&str, Vec<char>)> {
    Ok((args::string(a, 0)?, args::string(a, 1)?.chars().collect()))
}

fn trim(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let (s, cut) = trim_args(a)?;
    Ok(Value::from(s.trim_matches(|c| cut.contains(&c))))
}

fn trim_left(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let (s, cut) = trim_args(a)?;
    Ok(Value::from(s.trim_start_matches(|c| cut.contains(&c))))
}

fn trim_right(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let (s, cut) = trim_args(a)?;
    Ok(Value::from(s.trim_end_matches(|c| cut.contains(&c))))
}

fn trim_prefix(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let s = args::string(a, 0)?;
    let prefix = args::string(a, 1)?;
    Ok(Value::from(s.strip_prefix(prefix).unwrap_or(s)))
}

fn trim_suffix(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let s = args::string(a, 0)?;
    let suffix = args::string(a, 1)?;
    Ok(Value::from(s.strip_suffix(suffix).unwrap_or(s)))
}

fn trim_space(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    // Go's unicode.IsSpace is the Unicode White_Space property, as `char::is_whitespace`.
    Ok(Value::from(args::string(a, 0)?.trim()))
}

/// `substring(s, offset, length)`: `length` characters from `offset` (all the rest for a
/// negative length); a negative offset is an error.
fn substring(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let s = args::string(a, 0)?;
    let offset = args::integer(a, 1)?;
    let length = args::integer(a, 2)?;
    if offset < 0 {
        return Err(BuiltinError::msg("negative offset"));
    }
    let start = match s.char_indices().nth(offset as usize) {
        Some((i, _)) => i,
        None => return Ok(Value::from("")),
    };
    let rest = &s[start..];
    if length < 0 {
        return Ok(Value::from(rest));
    }
    let end = rest
        .char_indices()
        .nth(length as usize)
        .map_or(rest.len(), |(i, _)| i);
    Ok(Value::from(&rest[..end]))
}

/// The search string of `indexof`/`indexof_n`, which may not be empty.
fn search_args(a: &[Value]) -> Result<(&str, &str)> {
    let s = args::string(a, 0)?;
    let search = args::string(a, 1)?;
    if search.is_empty() {
        return Err(BuiltinError::msg("empty search character"));
    }
    Ok((s, search))
}

fn indexof(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let (s, search) = search_args(a)?;
    Ok(match s.find(search) {
        Some(byte) => Value::from(s[..byte].chars().count()),
        None => Value::from(-1),
    })
}

/// Every character index where `search` starts, overlapping occurrences included.
fn indexof_n(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let (s, search) = search_args(a)?;
    let found = s
        .char_indices()
        .enumerate()
        .filter(|(_, (byte, _))| s[*byte..].starts_with(search))
        .map(|(index, _)| Value::from(index))
        .collect();
    Ok(Value::array(found))
}

fn reverse(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    Ok(Value::from(
        args::string(a, 0)?.chars().rev().collect::<String>(),
    ))
}

/// `strings.count(s, sub)`: non-overlapping occurrences; for an empty `sub`, one more than
/// the number of characters.
fn count(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let s = args::string(a, 0)?;
    let sub = args::string(a, 1)?;
    let n = if sub.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(sub).count()
    };
    Ok(Value::from(n))
}

/// The strings of a `string`, `array` or `set` operand.
fn one_or_many(a: &[Value], i: usize) -> Result<Vec<&str>> {
    match &a[i] {
        Value::String(s) => Ok(vec![s.as_str()]),
        _ => string_elements(a, i, "one of {string, set, array}"),
    }
}

fn any_prefix_match(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let strings = one_or_many(a, 0)?;
    let prefixes = one_or_many(a, 1)?;
    let found = strings
        .iter()
        .any(|s| prefixes.iter().any(|p| s.starts_with(p)));
    Ok(Value::from(found))
}

fn any_suffix_match(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let strings = one_or_many(a, 0)?;
    let suffixes = one_or_many(a, 1)?;
    let found = strings
        .iter()
        .any(|s| suffixes.iter().any(|p| s.ends_with(p)));
    Ok(Value::from(found))
}

/// `internal.template_string(parts)`: the text of a template string `$"..."`. Each part is a
/// string (printed as is), another value (printed as Rego), or a set holding the values of an
/// embedded expression: empty is `<undefined>`, one value is that value, more is an error.
fn template_string(_: &BuiltinContext<'_>, a: &[Value]) -> Result {
    let parts = args::array(a, 0)?;
    let mut out = String::new();
    let push = |out: &mut String, v: &Value| match v {
        Value::String(s) => out.push_str(s),
        other => out.push_str(&other.to_string()),
    };
    for part in parts {
        match part {
            Value::Set(values) => match values.as_slice() {
                [] => out.push_str("<undefined>"),
                [one] => push(&mut out, one),
                _ => {
                    return Err(BuiltinError::msg(
                        "template-strings must not produce multiple outputs",
                    ));
                }
            },
            other => push(&mut out, other),
        }
    }
    Ok(Value::from(out))
}
