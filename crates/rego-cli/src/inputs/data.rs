//! The data formats: JSON, YAML and TOML, read as conftest reads them.
//!
//! - JSON is a stream of values, as conftest reads `.json` and `.ndjson` files: one value is
//!   itself, several are an array of them, and an empty file is an empty array.
//! - YAML is a stream of documents: one document is itself, several are an array of them.
//!   Empty (null) documents are dropped, so an empty file is an empty array. Anchors, aliases
//!   and `<<` merge keys are resolved; custom tags (`!Ref x`) are dropped, leaving the tagged
//!   value, as Go's YAML decoder does for untyped data. Mapping keys that are numbers,
//!   booleans or null become their text (`1: a` has the key `"1"`), so every object has
//!   string keys as JSON would.
//! - TOML is one table. Dates and times become strings the way Go writes a `time.Time` in
//!   JSON (RFC 3339 with nanoseconds trimmed): an offset date-time keeps its offset (`Z` for
//!   zero), a local date-time gets `Z`, a local date midnight (`1979-05-27T00:00:00Z`) and a
//!   local time the date `0000-01-01`.

use super::{InputError, line_column};
use crate::load::{json_position, strip_position};
use rego_eval::Value;
use serde::Deserialize;

/// Parses a JSON stream (see the module docs).
pub fn parse_json(name: &str, text: &str) -> Result<Value, InputError> {
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        values.push(value.map_err(|e| json_error(name, text, &e))?);
    }
    Ok(one_or_array(values))
}

fn json_error(name: &str, text: &str, e: &serde_json::Error) -> InputError {
    let (line, column) = (e.line(), e.column());
    let message = format!(
        "invalid JSON: {}",
        strip_position(&e.to_string(), line, column)
    );
    match json_position(text, line, column) {
        Some((line, column)) => InputError::at(name, line, Some(column), message),
        None => InputError::new(name, message),
    }
}

/// Streams at least this long are split at their `---` lines and the pieces parsed on
/// several threads.
const PARALLEL_YAML_BYTES: usize = 256 * 1024;

/// Parses a YAML stream (see the module docs).
pub fn parse_yaml(name: &str, text: &str) -> Result<Value, InputError> {
    let documents = if text.len() >= PARALLEL_YAML_BYTES {
        use rayon::prelude::*;
        let pieces: Vec<Vec<Value>> = split_at_document_starts(text)
            .par_iter()
            .map(|&(first_line, piece)| parse_yaml_documents(name, piece, first_line))
            .collect::<Result<_, _>>()?;
        pieces.into_iter().flatten().collect()
    } else {
        parse_yaml_documents(name, text, 1)?
    };
    Ok(one_or_array(documents))
}

/// The non-empty documents of a YAML stream that starts at line `first_line` of the file.
fn parse_yaml_documents(
    name: &str,
    text: &str,
    first_line: usize,
) -> Result<Vec<Value>, InputError> {
    let error = |e: serde_yaml_ng::Error| {
        let mut error = yaml_error(name, &e);
        // libyaml notices some mistakes only at the end of the text: point at the last line.
        let lines = text.lines().count().max(1);
        if error.line.is_some_and(|line| line > lines) {
            (error.line, error.column) = (Some(lines), None);
        }
        error.line = error.line.map(|line| line + first_line - 1);
        error.message = shift_line_mentions(&error.message, first_line - 1);
        error
    };
    let mut documents = Vec::new();
    for document in serde_yaml_ng::Deserializer::from_str(text) {
        let mut value = serde_yaml_ng::Value::deserialize(document).map_err(error)?;
        value.apply_merge().map_err(error)?;
        if !value.is_null() {
            documents.push(from_yaml(value));
        }
    }
    Ok(documents)
}

/// Adds `by` to each `line N` a YAML error message mentions ("while parsing a flow sequence
/// at line 3 column 6"), for a piece of the file that starts below its top.
fn shift_line_mentions(message: &str, by: usize) -> String {
    if by == 0 {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(line) => out.push_str(&(line + by).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Cuts a YAML stream before each line that starts a document (`---` at the start of a line,
/// alone or followed by a space), with the 1-based line each piece starts at. Such a line
/// always starts a new document in YAML, whatever came before it (block scalars included), so
/// each piece parses on its own to the same documents.
fn split_at_document_starts(text: &str) -> Vec<(usize, &str)> {
    let mut pieces = Vec::new();
    let (mut start, mut start_line, mut line) = (0, 1, 1);
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let is_start = raw
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']));
        if is_start && offset > start {
            pieces.push((start_line, &text[start..offset]));
            (start, start_line) = (offset, line);
        }
        offset += raw.len();
        line += 1;
    }
    pieces.push((start_line, &text[start..]));
    pieces
}

fn yaml_error(name: &str, e: &serde_yaml_ng::Error) -> InputError {
    match e.location() {
        Some(at) => {
            let message = strip_position(&e.to_string(), at.line(), at.column());
            InputError::at(
                name,
                at.line(),
                Some(at.column()),
                format!("invalid YAML: {message}"),
            )
        }
        None => InputError::new(name, format!("invalid YAML: {e}")),
    }
}

/// A YAML value as a Rego value (see the module docs for keys and tags).
fn from_yaml(value: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => yaml_number(&n),
        Y::String(s) => Value::from(s),
        Y::Sequence(items) => Value::array(items.into_iter().map(from_yaml).collect()),
        Y::Mapping(mapping) => Value::object_from(
            mapping
                .into_iter()
                .map(|(k, v)| (yaml_key(k), from_yaml(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => from_yaml(tagged.value),
    }
}

fn yaml_number(n: &serde_yaml_ng::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::from(i)
    } else if let Some(u) = n.as_u64() {
        Value::from(u)
    } else {
        Value::from_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// A mapping key: scalars as their text, anything else as its value.
fn yaml_key(key: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match key {
        Y::Null => Value::from("null"),
        Y::Bool(b) => Value::from(b.to_string()),
        Y::Number(n) => Value::from(n.to_string()),
        Y::Tagged(tagged) => yaml_key(tagged.value),
        other => from_yaml(other),
    }
}

/// One value as itself; none or several as an array.
fn one_or_array(mut values: Vec<Value>) -> Value {
    if values.len() == 1 {
        values.pop().unwrap_or_default()
    } else {
        Value::array(values)
    }
}

/// Parses a TOML document (see the module docs for dates).
pub fn parse_toml(name: &str, text: &str) -> Result<Value, InputError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let message = format!("invalid TOML: {}", e.message());
        match e.span() {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                InputError::at(name, line, Some(column), message)
            }
            None => InputError::new(name, message),
        }
    })?;
    Ok(from_toml_table(table))
}

fn from_toml_table(table: toml::Table) -> Value {
    Value::object_from(
        table
            .into_iter()
            .map(|(k, v)| (Value::from(k), from_toml(v)))
            .collect(),
    )
}

fn from_toml(value: toml::Value) -> Value {
    use toml::Value as T;
    match value {
        T::String(s) => Value::from(s),
        T::Integer(i) => Value::from(i),
        T::Float(f) => Value::from_f64(f),
        T::Boolean(b) => Value::Bool(b),
        T::Datetime(d) => Value::from(go_time_text(&d)),
        T::Array(items) => Value::array(items.into_iter().map(from_toml).collect()),
        T::Table(table) => from_toml_table(table),
    }
}

/// A TOML date-time as Go's `time.Time` writes itself in JSON (see the module docs).
fn go_time_text(d: &toml::value::Datetime) -> String {
    use toml::value::Offset;
    let (year, month, day) = d.date.map_or((0, 1, 1), |x| (x.year, x.month, x.day));
    let mut out = format!("{year:04}-{month:02}-{day:02}T");
    match d.time {
        Some(t) => {
            let second = t.second.unwrap_or(0);
            out.push_str(&format!("{:02}:{:02}:{second:02}", t.hour, t.minute));
            let nanos = t.nanosecond.unwrap_or(0);
            if nanos > 0 {
                let digits = format!("{nanos:09}");
                out.push('.');
                out.push_str(digits.trim_end_matches('0'));
            }
        }
        None => out.push_str("00:00:00"),
    }
    match d.offset {
        None | Some(Offset::Z) | Some(Offset::Custom { minutes: 0 }) => out.push('Z'),
        Some(Offset::Custom { minutes }) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let minutes = minutes.unsigned_abs();
            out.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json_str(text).expect("valid JSON")
    }

    #[test]
    fn json_one_value_or_a_stream() {
        assert_eq!(
            parse_json("a.json", r#"{"a": [1, 2.5]}"#),
            Ok(j(r#"{"a": [1, 2.5]}"#))
        );
        assert_eq!(
            parse_json("a.ndjson", "{\"a\": 1}\n{\"a\": 2}\n"),
            Ok(j(r#"[{"a": 1}, {"a": 2}]"#))
        );
        assert_eq!(parse_json("a.json", "  \n"), Ok(j("[]")));
    }

    #[test]
    fn json_errors_point_at_the_problem() {
        let e = parse_json("a.json", "{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (Some(2), "a.json"));
        assert!(e.message.starts_with("invalid JSON: "), "{e}");
        assert!(!e.message.contains("at line"), "{e}");
        let e = parse_json("a.json", "{\"a\": 1}\n{\"b\": }\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn yaml_single_and_multi_document() {
        assert_eq!(
            parse_yaml("a.yaml", "kind: Service\nspec:\n  ports: [80]\n"),
            Ok(j(r#"{"kind": "Service", "spec": {"ports": [80]}}"#))
        );
        let two = "---\nkind: A\n---\n---\nkind: B\n...\n";
        assert_eq!(
            parse_yaml("a.yaml", two),
            Ok(j(r#"[{"kind": "A"}, {"kind": "B"}]"#))
        );
        // One document left after dropping the empty one is the document itself.
        assert_eq!(parse_yaml("a.yaml", "a: 1\n---\n"), Ok(j(r#"{"a": 1}"#)));
        assert_eq!(parse_yaml("a.yaml", ""), Ok(j("[]")));
        assert_eq!(parse_yaml("a.yaml", "- 1\n- two\n"), Ok(j(r#"[1, "two"]"#)));
    }

    #[test]
    fn yaml_error_lines_count_from_the_top_of_the_file() {
        let text = "a: 1\n---\nb: 2\nc: [1,\n";
        let e = parse_yaml("m.yaml", text).unwrap_err();
        assert_eq!(e.file, "m.yaml");
        // libyaml notices the unclosed flow sequence at the end of the file, past the last
        // line; the error points at the last line.
        assert_eq!((e.line, e.column), (Some(4), None), "{e}");
        assert!(e.message.starts_with("invalid YAML: "), "{e}");
        assert!(!e.message.contains("at line"), "{e}");
        let e = parse_yaml("m.yaml", "a: 1\n---\nb: 2\n  c: 3\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn yaml_anchors_merges_tags_and_keys() {
        let text = "\
base: &base {image: nginx, port: 80}
web:
  <<: *base
  port: 8080
copy: *base
ref: !Ref MyBucket
1: one
true: yes
";
        assert_eq!(
            parse_yaml("a.yaml", text),
            Ok(j(r#"{
                "base": {"image": "nginx", "port": 80},
                "web": {"image": "nginx", "port": 8080},
                "copy": {"image": "nginx", "port": 80},
                "ref": "MyBucket",
                "1": "one",
                "true": "yes"
            }"#))
        );
    }

    #[test]
    fn toml_tables_and_dates() {
        let text = r#"
title = "x"
[owner]
n = 3
f = 1.5
ok = true
dob = 1979-05-27T07:32:00-08:00
utc = 1979-05-27T07:32:00.500Z
local = 1979-05-27T07:32:00
day = 1979-05-27
at = 07:32:00.25
[[servers]]
name = "a"
"#;
        assert_eq!(
            parse_toml("c.toml", text),
            Ok(j(r#"{
                "title": "x",
                "owner": {
                    "n": 3, "f": 1.5, "ok": true,
                    "dob": "1979-05-27T07:32:00-08:00",
                    "utc": "1979-05-27T07:32:00.5Z",
                    "local": "1979-05-27T07:32:00Z",
                    "day": "1979-05-27T00:00:00Z",
                    "at": "0000-01-01T07:32:00.25Z"
                },
                "servers": [{"name": "a"}]
            }"#))
        );
    }

    #[test]
    fn toml_errors_have_a_line() {
        let e = parse_toml("c.toml", "a = 1\nb = = 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.starts_with("invalid TOML: "), "{e}");
        let e = parse_toml("c.toml", "a = 1\na = 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }
}

#[cfg(test)]
mod split_tests {
    use super::*;

    /// A stream of `n` documents, each a mapping with a block scalar.
    fn stream(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "---\nname: doc-{i}\nscript: |\n  echo ---\n  --- not a start\nitems: [1, 2]\n"
                )
            })
            .collect()
    }

    #[test]
    fn pieces_start_at_document_markers_with_their_lines() {
        let text = "# lead\na: 1\n--- \nb: 2\n---\n--- !tag\nc: 3\n----\n";
        let pieces = split_at_document_starts(text);
        let starts: Vec<usize> = pieces.iter().map(|(line, _)| *line).collect();
        assert_eq!(starts, [1, 3, 5, 6]);
        assert_eq!(pieces.iter().map(|(_, p)| *p).collect::<String>(), text);
    }

    #[test]
    fn parallel_parse_matches_serial_parse() {
        let text = stream(5000);
        assert!(text.len() >= PARALLEL_YAML_BYTES);
        let parallel = parse_yaml("big.yaml", &text).unwrap();
        let serial = one_or_array(parse_yaml_documents("big.yaml", &text, 1).unwrap());
        assert_eq!(parallel, serial);
        assert_eq!(parallel.as_array().unwrap().len(), 5000);
    }

    #[test]
    fn line_mentions_shift_with_the_piece() {
        assert_eq!(
            shift_line_mentions("found x, while parsing a map at line 3 column 6", 10),
            "found x, while parsing a map at line 13 column 6"
        );
        assert_eq!(shift_line_mentions("no lines here", 4), "no lines here");
    }

    #[test]
    fn parallel_errors_have_file_lines() {
        let mut text = stream(5000);
        text.push_str("---\nok: 1\n---\nbad: [1, 2\nnext: 3\n");
        let lines = text.lines().count();
        let error = parse_yaml("big.yaml", &text).unwrap_err();
        assert_eq!(error.line, Some(lines), "{error}");
    }
}
