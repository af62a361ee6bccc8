//! Printing query results and errors the way `opa eval` prints them, for each `--format`.
//!
//! JSON is laid out as Go's `encoding/json` encoder with a two-space indent lays it out, and
//! strings are escaped as Go escapes them (`<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`), so
//! output compares byte for byte with OPA's.

use crate::json::{Json, go_escape};
use rego_eval::{QueryResult, Value};

/// A value as compact JSON, Go-escaped.
fn compact(value: &Value) -> String {
    go_escape(&value.to_json_string())
}

/// The bindings of one result as an object, keys in name order.
fn bindings_object(result: &QueryResult) -> Json<'_> {
    let mut fields: Vec<(&str, Json<'_>)> = result
        .bindings
        .iter()
        .map(|(name, value)| (name.as_str(), Json::Value(value)))
        .collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    Json::Object(fields)
}

/// `--format json`: `{"result": [...]}`, or `{}` when there is no result.
pub fn json(results: &[QueryResult]) -> String {
    if results.is_empty() {
        return Json::Object(Vec::new()).render();
    }
    let results = results
        .iter()
        .map(|result| {
            let expressions = result
                .expressions
                .iter()
                .map(|e| {
                    let location = Json::Object(vec![
                        ("row", Json::Int(e.location.row.into())),
                        ("col", Json::Int(e.location.col.into())),
                    ]);
                    Json::Object(vec![
                        ("value", Json::Value(&e.value)),
                        ("text", Json::Str(&e.text)),
                        ("location", location),
                    ])
                })
                .collect();
            let mut fields = vec![("expressions", Json::Array(expressions))];
            if !result.bindings.is_empty() {
                fields.push(("bindings", bindings_object(result)));
            }
            Json::Object(fields)
        })
        .collect();
    Json::Object(vec![("result", Json::Array(results))]).render()
}

/// `--format values`: per result, the array of its expression values.
pub fn values(results: &[QueryResult]) -> String {
    results
        .iter()
        .map(|r| {
            Json::Array(
                r.expressions
                    .iter()
                    .map(|e| Json::Value(&e.value))
                    .collect(),
            )
            .render()
        })
        .collect()
}

/// `--format bindings`: per result, the object of its bindings.
pub fn bindings(results: &[QueryResult]) -> String {
    results
        .iter()
        .map(|r| bindings_object(r).render())
        .collect()
}

/// `--format raw`: per result one line, its expression values separated by spaces; strings
/// as they are, other values as compact JSON.
pub fn raw(results: &[QueryResult]) -> String {
    let mut out = String::new();
    for result in results {
        let line: Vec<String> = result
            .expressions
            .iter()
            .map(|e| match &e.value {
                Value::String(s) => s.to_string(),
                other => compact(other),
            })
            .collect();
        out.push_str(&line.join(" "));
        out.push('\n');
    }
    out
}

/// `--format pretty`: `undefined`; the value itself, as indented JSON, for one result without
/// bindings whose expressions are one, or all booleans; otherwise a table with a column per
/// variable (in name order) and per non-boolean expression (every expression when there are
/// no variables). Cells longer than `limit` bytes are cut and end in `...` (`0`: no limit).
pub fn pretty(results: &[QueryResult], limit: usize) -> String {
    let Some(first) = results.first() else {
        return "undefined\n".to_string();
    };
    let all_bool = first
        .expressions
        .iter()
        .all(|e| matches!(e.value, Value::Bool(_)));
    if results.len() == 1 && first.bindings.is_empty() && (first.expressions.len() == 1 || all_bool)
    {
        if let Some(e) = first.expressions.first() {
            return Json::Value(&e.value).render();
        }
    }
    /// A column: a variable's name or an expression's index.
    enum Column<'a> {
        Var(&'a str),
        Expr(usize),
    }
    let mut vars: Vec<&str> = first.bindings.iter().map(|(n, _)| n.as_str()).collect();
    vars.sort_unstable();
    let mut columns: Vec<Column<'_>> = vars.into_iter().map(Column::Var).collect();
    columns.extend(
        first
            .expressions
            .iter()
            .enumerate()
            .filter(|(_, e)| !matches!(e.value, Value::Bool(_)) || first.bindings.is_empty())
            .map(|(i, _)| Column::Expr(i)),
    );
    let headers: Vec<String> = columns
        .iter()
        .map(|c| match c {
            Column::Var(name) => name.to_string(),
            Column::Expr(i) => first.expressions[*i].text.replace('\n', " "),
        })
        .collect();
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    let value = match c {
                        Column::Var(name) => {
                            r.bindings.iter().find(|(n, _)| n == name).map(|(_, v)| v)
                        }
                        Column::Expr(i) => r.expressions.get(*i).map(|e| &e.value),
                    };
                    cut(value.map_or_else(|| "null".to_string(), compact), limit)
                })
                .collect()
        })
        .collect();
    table(&headers, &rows)
}

/// `text` cut to at most `limit` bytes (on a character boundary) plus `...`.
fn cut(text: String, limit: usize) -> String {
    if limit == 0 || text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// A box-drawn table: headers centered, cells left-aligned.
fn table(headers: &[String], rows: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().count();
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .chain([width(h)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let rule = |left: &str, mid: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(mid))
    };
    let line = |cells: &[String], center: bool| {
        let parts: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let cell = cells.get(i).map_or("", String::as_str);
                let pad = w - width(cell);
                let left = if center { pad / 2 } else { 0 };
                format!(" {}{cell}{} ", " ".repeat(left), " ".repeat(pad - left))
            })
            .collect();
        format!("│{}│\n", parts.join("│"))
    };
    let mut out = rule("┌", "┬", "┐");
    out.push_str(&line(headers, true));
    out.push_str(&rule("├", "┼", "┤"));
    for row in rows {
        out.push_str(&line(row, false));
    }
    out.push_str(&rule("└", "┴", "┘"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rego_eval::ExpressionValue;
    use rego_syntax::Location;

    fn result(values: &[(&str, &str)], bindings: &[(&str, &str)]) -> QueryResult {
        let j = |t: &str| Value::from_json_str(t).expect("valid JSON");
        QueryResult {
            expressions: values
                .iter()
                .map(|(text, value)| ExpressionValue {
                    value: j(value),
                    text: text.to_string(),
                    location: Location {
                        file: "query.rego".into(),
                        row: 1,
                        col: 1,
                    },
                })
                .collect(),
            bindings: bindings
                .iter()
                .map(|(n, v)| (n.to_string(), j(v)))
                .collect(),
        }
    }

    #[test]
    fn json_envelope_orders_fields_like_opa() {
        let text = json(&[result(&[("x = 1", "true")], &[("x", "1")])]);
        assert_eq!(
            text,
            "{\n  \"result\": [\n    {\n      \"expressions\": [\n        {\n          \"value\": true,\n          \"text\": \"x = 1\",\n          \"location\": {\n            \"row\": 1,\n            \"col\": 1\n          }\n        }\n      ],\n      \"bindings\": {\n        \"x\": 1\n      }\n    }\n  ]\n}\n"
        );
        assert_eq!(json(&[]), "{}\n");
    }

    #[test]
    fn nested_values_are_indented_in_place() {
        let text = values(&[result(&[("a", r#"{"k": [1]}"#)], &[])]);
        assert_eq!(text, "[\n  {\n    \"k\": [\n      1\n    ]\n  }\n]\n");
    }

    #[test]
    fn html_characters_are_escaped_as_go_does() {
        assert_eq!(go_escape(r#""<a&b>""#), r#""\u003ca\u0026b\u003e""#);
        let text = raw(&[result(&[("s", r#""<x>""#), ("o", r#"{"k": "<"}"#)], &[])]);
        assert_eq!(text, "<x> {\"k\":\"\\u003c\"}\n");
    }

    #[test]
    fn pretty_tables_have_a_column_per_variable() {
        let rs = [
            result(&[("x := a[_]", "true")], &[("x", "1")]),
            result(&[("x := a[_]", "true")], &[("x", "\"two\"")]),
        ];
        assert_eq!(
            pretty(&rs, 80),
            "┌───────┐\n│   x   │\n├───────┤\n│ 1     │\n│ \"two\" │\n└───────┘\n"
        );
        assert_eq!(pretty(&[], 80), "undefined\n");
        assert_eq!(pretty(&[result(&[("a", "[1]")], &[])], 80), "[\n  1\n]\n");
    }

    #[test]
    fn long_cells_are_cut() {
        assert_eq!(cut("abcdef".to_string(), 3), "abc...");
        assert_eq!(cut("é".repeat(3), 3), "é...");
        assert_eq!(cut("abc".to_string(), 0), "abc");
    }
}
