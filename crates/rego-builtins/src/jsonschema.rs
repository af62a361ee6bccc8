//! Builtins of the `jsonschema` family: `json.verify_schema` and `json.match_schema`.
//!
//! Validation uses the `jsonschema` crate; errors are reported in the shape and wording of
//! gojsonschema, the Go library OPA uses: objects with `error`, `type`, `field` and `desc`,
//! where `field` is the dotted path of the value (`(root)` for the document itself).

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, ValidationError, Validator};
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};
use serde_json::Value as Json;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "json.verify_schema",
        arity: 1,
        func: verify_schema,
    },
    BuiltinDef {
        name: "json.match_schema",
        arity: 2,
        func: match_schema,
    },
];

const JSON_TYPES: &[&str] = &[
    "array", "boolean", "integer", "number", "null", "object", "string",
];

/// A document or schema given as JSON text, an object or an array.
fn load(v: &Value) -> Result<Json, String> {
    match v {
        Value::String(s) => serde_json::from_str(s).map_err(|_| "invalid JSON string".to_string()),
        Value::Object(_) | Value::Array(_) => Ok(v.to_serde_json()),
        _ => Err("wrong type, expected string or object".to_string()),
    }
}

/// gojsonschema's check of `type` keywords, which it makes before anything else we report.
fn check_types(schema: &Json) -> Result<(), String> {
    let Json::Object(map) = schema else {
        if let Json::Array(items) = schema {
            return items.iter().try_for_each(check_types);
        }
        return Ok(());
    };
    let invalid = |t: &Json| match t {
        Json::String(s) if !JSON_TYPES.contains(&s.as_str()) => Some(s.clone()),
        _ => None,
    };
    if let Some(t) = map.get("type") {
        let given = match t {
            Json::Array(items) => items.iter().find_map(invalid),
            other => invalid(other),
        };
        if let Some(given) = given {
            return Err(format!(
                "has a primitive type that is NOT VALID -- given: /{given}/ Expected valid values are:[{}]",
                JSON_TYPES.join(" ")
            ));
        }
    }
    for (key, value) in map {
        if !matches!(key.as_str(), "enum" | "const" | "default" | "examples") {
            check_types(value)?;
        }
    }
    Ok(())
}

/// Compiles a schema (draft 7 unless it names its own with `$schema`).
fn compile(schema: &Json) -> Result<Validator, String> {
    check_types(schema)?;
    let mut options = jsonschema::options().should_validate_formats(true);
    let names_draft = schema
        .as_object()
        .is_some_and(|m| m.get("$schema").is_some_and(Json::is_string));
    if !names_draft {
        options = options.with_draft(Draft::Draft7);
    }
    options.build(schema).map_err(|e| e.to_string())
}

/// `json.verify_schema(schema)`: `[true, null]`, or `[false, message]`.
fn verify_schema(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let result = load(&args[0]).and_then(|s| compile(&s).map(|_| ()));
    Ok(match result {
        Ok(()) => Value::array(vec![Value::Bool(true), Value::Null]),
        Err(e) => Value::array(vec![
            Value::Bool(false),
            Value::string(&format!("jsonschema: {e}")),
        ]),
    })
}

/// `json.match_schema(document, schema)`: `[true, []]`, or `[false, errors]`.
fn match_schema(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let document = load(&args[0]).map_err(BuiltinError::msg)?;
    let schema = load(&args[1]).map_err(BuiltinError::msg)?;
    let validator = compile(&schema).map_err(BuiltinError::msg)?;
    let errors: Vec<ValidationError<'_>> = validator.iter_errors(&document).collect();
    let mut out = Vec::new();
    for e in gojsonschema_order(&errors) {
        report(e, &mut out);
    }
    let valid = out.is_empty();
    let rows = out
        .into_iter()
        .map(|r| {
            Value::object_from(vec![
                (
                    Value::string("error"),
                    Value::string(&format!("{}: {}", r.field, r.desc)),
                ),
                (Value::string("type"), Value::string(r.kind)),
                (Value::string("field"), Value::string(&r.field)),
                (Value::string("desc"), Value::string(&r.desc)),
            ])
        })
        .collect();
    Ok(Value::array(vec![Value::Bool(valid), Value::array(rows)]))
}

/// Drops what gojsonschema never checks: once a value has the wrong type, the other
/// keywords of that schema are skipped.
fn gojsonschema_order<'a, 'b>(errors: &'b [ValidationError<'a>]) -> Vec<&'b ValidationError<'a>> {
    let type_schemas: Vec<(String, String)> = errors
        .iter()
        .filter(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
        .map(|e| {
            let path = e.schema_path().as_str();
            let parent = path.strip_suffix("/type").unwrap_or(path);
            (e.instance_path().as_str().to_string(), format!("{parent}/"))
        })
        .collect();
    errors
        .iter()
        .filter(|e| {
            matches!(e.kind(), ValidationErrorKind::Type { .. })
                || !type_schemas.iter().any(|(instance, parent)| {
                    e.instance_path().as_str() == instance
                        && e.schema_path().as_str().starts_with(parent.as_str())
                })
        })
        .collect()
}

/// One reported error.
struct Row {
    kind: &'static str,
    field: String,
    desc: String,
}

/// gojsonschema's field: the dotted path below `(root)`, or `(root)` itself.
fn field_of(pointer: &str) -> String {
    if pointer.is_empty() {
        return "(root)".to_string();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

/// A JSON value as gojsonschema shows it in messages.
fn shown(v: &Json) -> String {
    Value::from_json_str(&v.to_string())
        .map(|v| v.to_json_string())
        .unwrap_or_else(|_| v.to_string())
}

/// A number limit as gojsonschema prints it.
fn number(v: &Json) -> String {
    match v {
        Json::Number(_) => shown(v),
        other => other.to_string(),
    }
}

fn json_type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) => {
            let integral = n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
            if integral { "integer" } else { "number" }
        }
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// The errors gojsonschema reports for one of ours (several for some kinds).
fn report(e: &ValidationError<'_>, out: &mut Vec<Row>) {
    let field = field_of(e.instance_path().as_str());
    let mut push = |kind: &'static str, desc: String| {
        out.push(Row {
            kind,
            field: field.clone(),
            desc,
        });
    };
    let instance = e.instance();
    match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => {
                    let names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
                    format!("[{}]", names.join(" "))
                }
            };
            push(
                "invalid_type",
                format!(
                    "Invalid type. Expected: {expected}, given: {}",
                    json_type_name(instance)
                ),
            );
        }
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            push("required", format!("{name} is required"));
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for p in unexpected {
                push(
                    "additional_property_not_allowed",
                    format!("Additional property {p} is not allowed"),
                );
            }
        }
        ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for p in unexpected {
                push(
                    "additional_property_not_allowed",
                    format!("Additional property {p} is not allowed"),
                );
            }
        }
        ValidationErrorKind::AdditionalItems { .. }
        | ValidationErrorKind::UnevaluatedItems { .. } => {
            push(
                "array_no_additional_items",
                "No additional items allowed on array".to_string(),
            );
        }
        ValidationErrorKind::AnyOf { context } => {
            push(
                "number_any_of",
                "Must validate at least one schema (anyOf)".to_string(),
            );
            report_closest(context, out);
        }
        ValidationErrorKind::OneOfNotValid { context } => {
            push(
                "number_one_of",
                "Must validate one and only one schema (oneOf)".to_string(),
            );
            report_closest(context, out);
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => push(
            "number_one_of",
            "Must validate one and only one schema (oneOf)".to_string(),
        ),
        ValidationErrorKind::Not { .. } => {
            push(
                "number_not",
                "Must not validate the schema (not)".to_string(),
            );
        }
        ValidationErrorKind::Constant { expected_value } => {
            let desc = format!("{field} does not match: {}", shown(expected_value));
            push("const", desc);
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = match options.as_ref() {
                Json::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
                other => shown(other),
            };
            let desc = format!("{field} must be one of the following: {allowed}");
            push("enum", desc);
        }
        ValidationErrorKind::MinItems { limit } => {
            push(
                "array_min_items",
                format!("Array must have at least {limit} items"),
            );
        }
        ValidationErrorKind::MaxItems { limit } => {
            push(
                "array_max_items",
                format!("Array must have at most {limit} items"),
            );
        }
        ValidationErrorKind::UniqueItems => {
            let items: Vec<Value> = instance
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|i| Value::from_json_str(&i.to_string()).unwrap_or(Value::Null))
                        .collect()
                })
                .unwrap_or_default();
            for j in 0..items.len() {
                if let Some(i) = items[..j].iter().rposition(|x| *x == items[j]) {
                    push("unique", format!("array items[{i},{j}] must be unique"));
                }
            }
        }
        ValidationErrorKind::Contains => {
            push(
                "contains",
                "At least one of the items must match".to_string(),
            );
        }
        ValidationErrorKind::MinProperties { limit } => push(
            "array_min_properties",
            format!("Must have at least {limit} properties"),
        ),
        ValidationErrorKind::MaxProperties { limit } => push(
            "array_max_properties",
            format!("Must have at most {limit} properties"),
        ),
        ValidationErrorKind::PropertyNames { error } => {
            let name = error
                .instance()
                .as_str()
                .map_or_else(|| error.instance().to_string(), str::to_string);
            push(
                "invalid_property_name",
                format!("Property name of \"{name}\" does not match"),
            );
        }
        ValidationErrorKind::MinLength { limit } => push(
            "string_gte",
            format!("String length must be greater than or equal to {limit}"),
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            "string_lte",
            format!("String length must be less than or equal to {limit}"),
        ),
        ValidationErrorKind::Pattern { pattern } => push(
            "does_not_match_pattern",
            format!("Does not match pattern '{pattern}'"),
        ),
        ValidationErrorKind::Format { format } => push(
            "does_not_match_format",
            format!("Does not match format '{format}'"),
        ),
        ValidationErrorKind::MultipleOf { multiple_of } => {
            let shown = Value::from_f64(*multiple_of).to_string();
            push("multiple_of", format!("Must be a multiple of {shown}"));
        }
        ValidationErrorKind::Minimum { limit } => push(
            "number_gte",
            format!("Must be greater than or equal to {}", number(limit)),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => push(
            "number_gt",
            format!("Must be greater than {}", number(limit)),
        ),
        ValidationErrorKind::Maximum { limit } => push(
            "number_lte",
            format!("Must be less than or equal to {}", number(limit)),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            push("number_lt", format!("Must be less than {}", number(limit)))
        }
        ValidationErrorKind::FalseSchema => {
            push("false", "False always fails validation".to_string());
        }
        _ => push("internal", format!("Internal Error {e}")),
    }
}

/// gojsonschema adds the errors of the alternative that came closest to matching; we take
/// the one with the fewest errors (the first of equals).
fn report_closest(context: &[Vec<ValidationError<'static>>], out: &mut Vec<Row>) {
    if let Some(best) = context.iter().min_by_key(|errors| errors.len()) {
        for e in gojsonschema_order(best) {
            report(e, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn json(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    fn matches(doc: &str, schema: &str) -> Value {
        call("json.match_schema", &[json(doc), json(schema)]).unwrap()
    }

    #[test]
    fn verify() {
        assert_eq!(
            call(
                "json.verify_schema",
                &[Value::string(r#"{"type": "boolean"}"#)]
            )
            .unwrap(),
            json("[true, null]")
        );
        assert_eq!(
            call("json.verify_schema", &[json(r#"{"type": "unknown_type"}"#)]).unwrap(),
            json(
                r#"[false, "jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]"]"#
            )
        );
        assert_eq!(
            call("json.verify_schema", &[Value::string("{")]).unwrap(),
            json(r#"[false, "jsonschema: invalid JSON string"]"#)
        );
        assert_eq!(
            call("json.verify_schema", &[Value::from_i64(1)]).unwrap(),
            json(r#"[false, "jsonschema: wrong type, expected string or object"]"#)
        );
        let nested = r#"{"properties": {"a": {"type": ["string", "bogus"]}}}"#;
        let got = call("json.verify_schema", &[json(nested)]).unwrap();
        assert!(got.to_string().contains("given: /bogus/"), "{got}");
    }

    #[test]
    fn match_ok_and_type_error() {
        let schema = r#"{"properties": {"id": {"type": "integer"}}, "required": ["id"]}"#;
        assert_eq!(matches(r#"{"id": 5}"#, schema), json("[true, []]"));
        assert_eq!(
            call(
                "json.match_schema",
                &[Value::string(r#"{"id": 5}"#), Value::string(schema)]
            )
            .unwrap(),
            json("[true, []]")
        );
        assert_eq!(
            matches(r#"{"id": "foo"}"#, schema),
            json(
                r#"[false, [{"desc": "Invalid type. Expected: integer, given: string", "error": "id: Invalid type. Expected: integer, given: string", "field": "id", "type": "invalid_type"}]]"#
            )
        );
        assert_eq!(
            matches("{}", schema),
            json(
                r#"[false, [{"desc": "id is required", "error": "(root): id is required", "field": "(root)", "type": "required"}]]"#
            )
        );
    }

    #[test]
    fn other_error_kinds() {
        let got = matches(
            r#"{"a": [1, 1], "b": "x", "c": 3}"#,
            r#"{
            "properties": {
                "a": {"type": "array", "uniqueItems": true},
                "b": {"enum": ["y", "z"]},
                "c": {"minimum": 5}
            },
            "additionalProperties": false
        }"#,
        );
        let text = got.to_string();
        assert!(
            text.contains(r#""desc": "array items[0,1] must be unique""#),
            "{text}"
        );
        assert!(
            text.contains(r#""desc": "b must be one of the following: \"y\", \"z\"""#),
            "{text}"
        );
        assert!(
            text.contains(r#""desc": "Must be greater than or equal to 5""#),
            "{text}"
        );
        let got = matches(
            r#"{"d": 1}"#,
            r#"{"properties": {}, "additionalProperties": false}"#,
        );
        assert!(
            got.to_string()
                .contains("Additional property d is not allowed"),
            "{got}"
        );
        let got = matches(r#"[1, "x"]"#, r#"{"items": {"type": "string"}}"#);
        assert!(got.to_string().contains(r#""field": "0""#), "{got}");
    }

    #[test]
    fn match_errors() {
        let err = call(
            "json.match_schema",
            &[
                json("{}"),
                json(r#"{"properties": {"id": {"type": "unknown"}}}"#),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]"
        );
        let err = call("json.match_schema", &[Value::string("{"), json("{}")]).unwrap_err();
        assert_eq!(err.message(), "invalid JSON string");
        let err = call("json.match_schema", &[Value::Bool(true), json("{}")]).unwrap_err();
        assert_eq!(err.message(), "wrong type, expected string or object");
    }
}
