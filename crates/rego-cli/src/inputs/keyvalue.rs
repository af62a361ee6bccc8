//! The key-value formats: INI, dotenv and Java properties, read as conftest reads them.
//!
//! - INI: an object of sections, each an object of its keys. Keys outside any section, and
//!   those of a section named `DEFAULT`, are dropped (conftest skips go-ini's default
//!   section). Values that read as a finite number (Go's `strconv.ParseFloat`) become numbers,
//!   those that read as a Go boolean (`true`, `T`, `FALSE`, ...) become booleans, the rest stay
//!   strings. A section that appears twice is one section; a key set twice keeps its last
//!   value. Quoted values lose their quotes, and `;` or `#` after a space starts a comment.
//! - dotenv: an object of the variables, all strings, read without touching the process
//!   environment (`${VAR}` references are expanded from earlier lines, then the environment).
//! - properties: an object of the keys, all strings, `${...}` references left as written.

use super::{InputError, go_float, line_column};
use rego_eval::Value;
use std::collections::BTreeMap;

/// Parses an INI file (see the module docs).
pub fn parse_ini(name: &str, text: &str) -> Result<Value, InputError> {
    let options = ini::ParseOption {
        enabled_quote: true,
        enabled_escape: false,
        ..ini::ParseOption::default()
    };
    let parsed = ini::Ini::load_from_str_opt(text, options).map_err(|e| {
        let message = format!("invalid INI: {}", e.msg);
        // rust-ini counts lines from 1; its column is past the culprit, so it is left out.
        InputError::at(name, e.line.max(1), None, message)
    })?;
    let mut sections: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for (section, properties) in parsed.iter() {
        let Some(section) = section.filter(|s| *s != "DEFAULT") else {
            continue;
        };
        let keys = sections.entry(section).or_default();
        for (key, value) in properties.iter() {
            keys.insert(key, value);
        }
    }
    Ok(Value::object_from(
        sections
            .into_iter()
            .map(|(section, keys)| {
                let keys = keys
                    .into_iter()
                    .map(|(k, v)| (Value::from(k), ini_value(v)))
                    .collect();
                (Value::from(section), Value::object_from(keys))
            })
            .collect(),
    ))
}

/// An INI value typed as conftest types it: number, then boolean, else string.
fn ini_value(text: &str) -> Value {
    if let Some(number) = go_float(text) {
        return Value::from_f64(number);
    }
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Value::Bool(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Value::Bool(false),
        _ => Value::from(text),
    }
}

/// Parses a dotenv file (see the module docs).
pub fn parse_env(name: &str, text: &str) -> Result<Value, InputError> {
    let mut variables = BTreeMap::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((key, value)) => {
                variables.insert(key, value);
            }
            Err(dotenvy::Error::LineParse(line, index)) => {
                return Err(env_line_error(name, text, &line, index));
            }
            Err(e) => return Err(InputError::new(name, format!("invalid dotenv: {e}"))),
        }
    }
    Ok(Value::object_from(
        variables
            .into_iter()
            .map(|(k, v)| (Value::from(k), Value::from(v)))
            .collect(),
    ))
}

/// dotenvy reports the offending line's text and a character index in it; this finds the
/// line in the file.
fn env_line_error(name: &str, text: &str, line: &str, index: usize) -> InputError {
    let message = format!("invalid dotenv: cannot parse {line:?}");
    let found = (!line.is_empty()).then(|| text.find(line)).flatten();
    match found {
        Some(start) => {
            let within = line
                .char_indices()
                .nth(index)
                .map_or(line.len(), |(i, _)| i);
            let (line, column) = line_column(text, start + within);
            InputError::at(name, line, Some(column), message)
        }
        None => InputError::new(name, message),
    }
}

/// Parses a Java properties file (see the module docs).
pub fn parse_properties(name: &str, text: &str) -> Result<Value, InputError> {
    let properties = java_properties::read(text.as_bytes()).map_err(|e| {
        let message = format!("invalid properties: {e}");
        match e.line_number() {
            Some(line) => InputError::at(name, line, None, message),
            None => InputError::new(name, message),
        }
    })?;
    Ok(Value::object_from(
        properties
            .into_iter()
            .map(|(k, v)| (Value::from(k), Value::from(v)))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json_str(text).expect("valid JSON")
    }

    #[test]
    fn ini_sections_and_typed_values() {
        let text = "\
top = dropped
; a comment
[server]
host = example.com
port = 8080
ratio: 0.5
debug = true
on = T
name = \"quoted value\"
note = text ; trailing comment
version = 1.10
[DEFAULT]
x = 1
[empty]
[server]
port = 9090
";
        assert_eq!(
            parse_ini("a.ini", text),
            Ok(j(r#"{
                "server": {
                    "host": "example.com", "port": 9090, "ratio": 0.5, "debug": true,
                    "on": true, "name": "quoted value", "note": "text", "version": 1.1
                },
                "empty": {}
            }"#))
        );
    }

    #[test]
    fn ini_typing_follows_go() {
        assert_eq!(ini_value("1e3"), Value::from(1000));
        assert_eq!(ini_value("-2"), Value::from(-2));
        assert_eq!(ini_value("1"), Value::from(1));
        assert_eq!(ini_value("F"), Value::Bool(false));
        assert_eq!(ini_value("yes"), Value::from("yes"));
        assert_eq!(ini_value("inf"), Value::from("inf"));
        assert_eq!(ini_value("NaN"), Value::from("NaN"));
        assert_eq!(ini_value(""), Value::from(""));
    }

    #[test]
    fn ini_errors_have_a_line() {
        let e = parse_ini("a.ini", "[s]\na = 1\n= x\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.starts_with("invalid INI: "), "{e}");
    }

    #[test]
    fn dotenv_variables() {
        let text = "\
# comment
export A=1
B=\"two words\"
C='single $A'
D=${A}-x
E=plain # comment
";
        assert_eq!(
            parse_env(".env", text),
            Ok(j(
                r#"{"A": "1", "B": "two words", "C": "single $A", "D": "1-x", "E": "plain"}"#
            ))
        );
    }

    #[test]
    fn dotenv_errors_have_a_line() {
        let e = parse_env(".env", "A=1\nB C\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.starts_with("invalid dotenv: "), "{e}");
    }

    #[test]
    fn properties_as_strings() {
        let text = "\
# comment
! another
a.b = 1
c: two
d three
long = first \\
       second
uni = caf\\u00e9
ref = ${a.b}
";
        assert_eq!(
            parse_properties("a.properties", text),
            Ok(j(r#"{
                "a.b": "1", "c": "two", "d": "three", "long": "first second",
                "uni": "café", "ref": "${a.b}"
            }"#))
        );
    }

    #[test]
    fn properties_errors_have_a_line() {
        let e = parse_properties("a.properties", "a = 1\nb = \\u12\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }
}
