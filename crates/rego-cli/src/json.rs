//! JSON laid out as Go's `encoding/json` encoder with a two-space indent lays it out, and
//! strings escaped as Go escapes them (`<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`), so
//! output compares byte for byte with OPA's; and OPA's `{"errors": [...]}` document.

use rego_eval::Value;
use rego_syntax::Location;
use std::fmt::Write as _;

/// One error as `opa eval --format json` reports it.
#[derive(Clone, Debug)]
pub struct ErrorEntry {
    /// What went wrong.
    pub message: String,
    /// OPA's error code; `None` for errors without one (unreadable files, bad data).
    pub code: Option<String>,
    /// Where: the file is empty for a place in the query, as in OPA.
    pub location: Option<Location>,
}

/// A JSON document to print: the envelope around values, with fields in OPA's order.
pub enum Json<'a> {
    /// Fields in the order given.
    Object(Vec<(&'a str, Json<'a>)>),
    /// Items in order.
    Array(Vec<Json<'a>>),
    /// A Rego value, pretty-printed.
    Value(&'a Value),
    /// A string.
    Str(&'a str),
    /// An integer.
    Int(i64),
    /// `true` or `false`.
    Bool(bool),
}

impl Json<'_> {
    /// Writes the document indented by two spaces per level, starting at `depth`.
    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Object(fields) if fields.is_empty() => out.push_str("{}"),
            Json::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    out.push_str(&Value::from(*key).to_json_string());
                    out.push_str(": ");
                    value.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push('}');
            }
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    item.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push(']');
            }
            Json::Value(value) => {
                let text = value.to_json_pretty();
                // Newlines only occur between tokens (strings escape theirs).
                out.push_str(&text.replace('\n', &format!("\n{}", "  ".repeat(depth))));
            }
            Json::Str(s) => out.push_str(&Value::from(*s).to_json_string()),
            Json::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        }
    }

    /// The whole document, Go-escaped, with a final newline.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        go_escape(&out)
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Escapes what Go's JSON encoder escapes beyond the JSON minimum. The characters only occur
/// inside strings, so the whole text can be rewritten.
pub fn go_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `--format json` for errors: `{"errors": [{"message", "code", "location"}]}`.
pub fn json_errors(errors: &[ErrorEntry]) -> String {
    let entries = errors
        .iter()
        .map(|e| {
            let mut fields = vec![("message", Json::Str(&e.message))];
            if let Some(code) = &e.code {
                fields.push(("code", Json::Str(code)));
            }
            if let Some(l) = &e.location {
                let location = Json::Object(vec![
                    ("file", Json::Str(&l.file)),
                    ("row", Json::Int(l.row.into())),
                    ("col", Json::Int(l.col.into())),
                ]);
                fields.push(("location", location));
            }
            Json::Object(fields)
        })
        .collect();
    Json::Object(vec![("errors", Json::Array(entries))]).render()
}
