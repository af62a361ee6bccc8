//! `yaml.marshal`, `yaml.unmarshal` and `yaml.is_valid`, through `serde_yaml_ng`.
//!
//! OPA converts YAML to JSON (`sigs.k8s.io/yaml`): only the first document is read, map keys
//! that are numbers or booleans become strings, and other non-string keys are an error. Syntax
//! errors are worded as go-yaml words them: `yaml: line 1: did not find expected ',' or ']'`.
//!
//! Known differences: go-yaml reads YAML 1.1, where plain `yes`/`no`/`on`/`off` are booleans
//! and `0777` is octal; here they follow YAML 1.2 (strings and decimal). `yaml.marshal` quotes
//! and orders as `serde_yaml_ng` does, which may differ in style from go-yaml.

use rego_eval::{BuiltinContext, BuiltinError, ObjectBuilder, Value};
use serde::Deserialize;

use crate::args;

/// libyaml problems raised by its parser (the others come from its scanner). go-yaml reports
/// the line of parser problems 0-based and of scanner problems 1-based.
const PARSER_PROBLEMS: &[&str] = &[
    "did not find expected <document start>",
    "did not find expected node content",
    "did not find expected '-' indicator",
    "did not find expected key",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "found duplicate %YAML directive",
    "found incompatible YAML document",
    "found duplicate %TAG directive",
    "found undefined tag handle",
];

/// go-yaml's wording of a syntax error: `yaml: line N: PROBLEM`.
fn yaml_error(e: &serde_yaml_ng::Error) -> BuiltinError {
    let text = e.to_string();
    let cut = [" at line ", " at position ", ", while "]
        .iter()
        .filter_map(|m| text.find(m))
        .min()
        .unwrap_or(text.len());
    let problem = &text[..cut];
    let Some(location) = e.location() else {
        return BuiltinError::msg(format!("yaml: {problem}"));
    };
    let zero_based = location.line().saturating_sub(1);
    let line = if zero_based == 0 {
        0
    } else if PARSER_PROBLEMS.contains(&problem) {
        zero_based
    } else {
        zero_based + 1
    };
    if line == 0 {
        BuiltinError::msg(format!("yaml: {problem}"))
    } else {
        BuiltinError::msg(format!("yaml: line {line}: {problem}"))
    }
}

/// Parses the first document of `text` (an empty stream is `null`).
fn first_document<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Option<T>, BuiltinError> {
    match serde_yaml_ng::Deserializer::from_str(text).next() {
        Some(doc) => T::deserialize(doc).map(Some).map_err(|e| yaml_error(&e)),
        None => Ok(None),
    }
}

/// A map key as `sigs.k8s.io/yaml` turns it into a JSON key.
fn key_string(k: &Value) -> Result<Value, BuiltinError> {
    match k {
        Value::String(_) => Ok(k.clone()),
        Value::Bool(b) => Ok(Value::from(if *b { "true" } else { "false" })),
        Value::Number(n) if n.is_integer() => Ok(Value::from(n.to_string())),
        // go-yaml formats float keys with float32 precision.
        Value::Number(n) => Ok(Value::from((n.as_f64() as f32).to_string())),
        _ => Err(BuiltinError::msg(format!(
            "unsupported map key of type: {}, key: {k}",
            k.type_name()
        ))),
    }
}

/// Makes every object key a string, as the YAML-to-JSON conversion does.
fn jsonable(v: Value) -> Result<Value, BuiltinError> {
    match v {
        Value::Array(items) => Ok(Value::array(
            items
                .iter()
                .cloned()
                .map(jsonable)
                .collect::<Result<_, _>>()?,
        )),
        Value::Object(o) => {
            let mut out = ObjectBuilder::with_capacity(o.len());
            for (k, v) in o.iter() {
                out.insert(key_string(k)?, jsonable(v.clone())?);
            }
            Ok(out.finish_value())
        }
        v => Ok(v),
    }
}

/// `yaml.marshal(x)`.
pub(super) fn marshal(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    serde_yaml_ng::to_string(&args[0])
        .map(Value::from)
        .map_err(|e| BuiltinError::msg(e.to_string()))
}

/// `yaml.unmarshal(s)`.
pub(super) fn unmarshal(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let text = args::string(args, 0)?;
    let value: Option<Value> = first_document(text)?;
    jsonable(value.unwrap_or(Value::Null))
}

/// `yaml.is_valid(s)`: false for non-strings.
pub(super) fn is_valid(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let Some(text) = args[0].as_str() else {
        return Ok(Value::Bool(false));
    };
    let parsed: Result<Option<serde::de::IgnoredAny>, _> = first_document(text);
    Ok(Value::Bool(parsed.is_ok()))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    fn j(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    fn unmarshal(text: &str) -> Result<Value, String> {
        call("yaml.unmarshal", &[s(text)]).map_err(|e| e.message().to_string())
    }

    fn marshal(v: Value) -> String {
        call("yaml.marshal", &[v])
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn round_trip() {
        let v = Value::array(vec![Value::object_from(vec![(
            s("foo"),
            Value::set_from(vec![Value::from(1), Value::from(2), Value::from(3)]),
        )])]);
        let text = marshal(v);
        assert_eq!(unmarshal(&text).unwrap(), j(r#"[{"foo": [1, 2, 3]}]"#));
        for doc in [
            r#"{"a": "true", "b": "1.5", "c": "null", "d": "", "e": "a: b", "f": "x\ny", "g": "- z"}"#,
            r##"[true, false, null, 0, -1, 2.5, "#", "~", "*", "&a", "!t", "@", "`", "%"]"##,
        ] {
            let v = j(doc);
            assert_eq!(unmarshal(&marshal(v.clone())).unwrap(), v, "{doc}");
        }
    }

    #[test]
    fn marshal_layout() {
        assert_eq!(
            marshal(j(r#"{"b": [1, "x"], "a": {"c": null}}"#)),
            "a:\n  c: null\nb:\n- 1\n- x\n"
        );
    }

    #[test]
    fn unmarshal_documents() {
        assert_eq!(
            unmarshal("foo:\n   - qux: bar\n   - baz: 2").unwrap(),
            j(r#"{"foo": [{"qux": "bar"}, {"baz": 2}]}"#)
        );
        assert_eq!(unmarshal("").unwrap(), Value::Null);
        assert_eq!(unmarshal("a: 1\n---\nb: 2\n").unwrap(), j(r#"{"a": 1}"#));
        assert_eq!(
            unmarshal("1: a\ntrue: b\n1.5: c\n").unwrap(),
            j(r#"{"1": "a", "true": "b", "1.5": "c"}"#)
        );
        assert_eq!(
            unmarshal("base: &b {x: 1}\nref: *b\n").unwrap(),
            j(r#"{"base": {"x": 1}, "ref": {"x": 1}}"#)
        );
        assert!(unmarshal("? [a]\n: 1\n").is_err());
        assert!(call("yaml.unmarshal", &[Value::from(1)]).is_err());
    }

    #[test]
    fn errors_worded_as_go_yaml() {
        assert_eq!(
            unmarshal("[1,2,3").unwrap_err(),
            "yaml: line 1: did not find expected ',' or ']'"
        );
        assert_eq!(
            unmarshal("a: b: c").unwrap_err(),
            "yaml: mapping values are not allowed in this context"
        );
        assert_eq!(
            unmarshal("a: 1\nb: c: d\n").unwrap_err(),
            "yaml: line 2: mapping values are not allowed in this context"
        );
        let e = call("yaml.unmarshal", &[s("{")]).unwrap_err();
        assert_eq!(e.code(), "eval_builtin_error");
    }

    #[test]
    fn validity() {
        let valid = |v: Value| call("yaml.is_valid", &[v]).unwrap();
        assert_eq!(
            valid(s("foo:\n   - qux: bar\n   - baz: 2")),
            Value::Bool(true)
        );
        assert_eq!(
            valid(s("foo:\n   - qux: bar\n   - baz: {")),
            Value::Bool(false)
        );
        assert_eq!(valid(s(r#"{"json": "ok"}"#)), Value::Bool(true));
        assert_eq!(valid(Value::from(1)), Value::Bool(false));
    }
}
