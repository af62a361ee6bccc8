//! `rego.metadata.rule()` and `rego.metadata.chain()`: the annotations in scope at a rule,
//! known at compile time and so compiled to constants.

use crate::value::Value;
use rego_syntax::ast::{Annotation, AnnotationTarget, Module};
use std::sync::Arc;

/// OPA's object form of one annotation: its fields with `scope`, authors and related
/// resources given as objects.
fn annotation_value(a: &Annotation) -> Value {
    let mut fields = a.fields.clone();
    fields.insert("scope".into(), serde_json::Value::String(a.scope.clone()));
    if let Some(serde_json::Value::Array(authors)) = fields.get_mut("authors") {
        for author in authors.iter_mut() {
            if let serde_json::Value::String(s) = author {
                *author = parse_author(s);
            }
        }
    }
    if let Some(serde_json::Value::Array(resources)) = fields.get_mut("related_resources") {
        for r in resources.iter_mut() {
            if let serde_json::Value::String(s) = r {
                *r = serde_json::json!({ "ref": s });
            }
        }
    }
    Value::from(serde_json::Value::Object(fields))
}

/// `Jane Doe <jane@example.com>` to `{"name": ..., "email": ...}`.
fn parse_author(s: &str) -> serde_json::Value {
    let s = s.trim();
    if let (Some(open), true) = (s.rfind('<'), s.ends_with('>')) {
        let name = s[..open].trim();
        let email = &s[open + 1..s.len() - 1];
        let mut o = serde_json::Map::new();
        if !name.is_empty() {
            o.insert("name".into(), name.into());
        }
        o.insert("email".into(), email.into());
        return serde_json::Value::Object(o);
    }
    serde_json::json!({ "name": s })
}

fn path_value(path: &[Arc<str>]) -> Value {
    Value::array(path.iter().map(|s| Value::from(&**s)).collect())
}

fn entry(path: &[Arc<str>], annotations: Option<Value>) -> Value {
    let mut pairs = vec![(Value::string("path"), path_value(path))];
    if let Some(a) = annotations {
        pairs.push((Value::string("annotations"), a));
    }
    Value::object_from(pairs)
}

fn package_of(m: &Module) -> Vec<Arc<str>> {
    m.package
        .path
        .iter()
        .map(|n| n.name.as_str().into())
        .collect()
}

/// The values of `rego.metadata.rule()` and `rego.metadata.chain()` inside rule `rule_index`
/// of module `module`, whose rule set lives at `rule_path`.
pub(crate) fn for_rule(
    modules: &[Module],
    module: usize,
    rule_index: usize,
    rule_path: &[Arc<str>],
) -> (Value, Value) {
    let own = modules[module]
        .annotations
        .iter()
        .find(|a| a.scope == "rule" && a.target == AnnotationTarget::Rule { index: rule_index });
    let rule_value = own.map_or_else(Value::empty_object, annotation_value);
    let mut chain = vec![entry(rule_path, own.map(annotation_value))];
    // Document scope: on any definition of the same rule, in any module of the package.
    let package = package_of(&modules[module]);
    for m in modules.iter().filter(|m| package_of(m) == package) {
        for a in m.annotations.iter().filter(|a| a.scope == "document") {
            if let AnnotationTarget::Rule { index } = a.target {
                let name = m.rules[index]
                    .head
                    .reference
                    .dotted_names()
                    .unwrap_or_default();
                let mut path = package.clone();
                path.extend(name.iter().map(|s| Arc::<str>::from(s.as_str())));
                if rule_path.starts_with(&path) {
                    chain.push(entry(rule_path, Some(annotation_value(a))));
                }
            }
        }
    }
    // Package scope, then subpackages scope from the nearest package up.
    for m in modules.iter().filter(|m| package_of(m) == package) {
        for a in m.annotations.iter().filter(|a| a.scope == "package") {
            chain.push(entry(&package, Some(annotation_value(a))));
        }
    }
    for len in (1..=package.len()).rev() {
        let prefix = &package[..len];
        for m in modules.iter().filter(|m| package_of(m) == prefix) {
            for a in m.annotations.iter().filter(|a| a.scope == "subpackages") {
                chain.push(entry(prefix, Some(annotation_value(a))));
            }
        }
    }
    (rule_value, Value::array(chain))
}
