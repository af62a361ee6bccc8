//! Checking one config: the `deny`, `violation` and `warn` rules of each namespace are
//! evaluated together on it, `exception` rules excuse failures, and the values are turned
//! into messages.

use super::report::{CheckResult, Finding};
use rego_eval::{Engine, EvalError, EvalOptions, Policy, PreparedDocuments, RuleShape, Value};
use serde_json::Value as Json;

/// Which packages' rules apply.
#[derive(Clone, Debug)]
pub enum Namespaces {
    /// These packages (`--namespace`, `main` by default).
    Named(Vec<String>),
    /// Every package with at least one `deny`, `violation` or `warn` rule.
    All,
}

/// What a rule's messages count as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Severity {
    /// `deny` and `violation` rules: failures, unless excused by an exception.
    Failure,
    /// `warn` rules.
    Warning,
}

/// One rule of a namespace to evaluate.
#[derive(Clone, Debug)]
struct CheckedRule {
    /// `data.main.deny_latest`.
    reference: String,
    severity: Severity,
    /// The name an `exception` rule uses to excuse it: the part after `deny_` or
    /// `violation_` (empty for plain `deny` and `violation`).
    exception_name: String,
}

/// The rules of one namespace, compiled for evaluation together.
#[derive(Clone)]
struct NamespacePlan {
    name: String,
    rules: Vec<CheckedRule>,
    /// The rules' documents, then `exception` when the namespace has one.
    documents: PreparedDocuments,
    has_exception: bool,
}

/// A compiled policy ready to check configs, shared by every worker thread.
#[derive(Clone)]
pub struct Checker {
    plans: Vec<NamespacePlan>,
    options: EvalOptions,
}

/// The checker could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// No requested namespace holds a rule to check.
    #[error("{0}")]
    NoRules(String),
    /// A rule reference did not compile (should not happen for discovered rules).
    #[error("{0}")]
    Compile(String),
}

/// The severity of a rule named `name`, if it is one that validate checks:
/// `deny`, `violation`, `warn`, optionally followed by `_suffix`.
fn severity_of(name: &str) -> Option<(Severity, &str)> {
    for (prefix, severity) in [
        ("deny", Severity::Failure),
        ("violation", Severity::Failure),
        ("warn", Severity::Warning),
    ] {
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        if rest.is_empty() {
            return Some((severity, ""));
        }
        if let Some(suffix) = rest.strip_prefix('_')
            && !suffix.is_empty()
            && suffix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Some((severity, suffix));
        }
    }
    None
}

impl Checker {
    /// Finds the rules of the selected namespaces in `policy` and compiles them.
    pub fn new(
        engine: &Engine,
        policy: &Policy,
        namespaces: &Namespaces,
        options: EvalOptions,
    ) -> Result<Checker, SetupError> {
        // Each rule's full path below `data` (package, then head), functions left out.
        let rules: Vec<Vec<String>> = engine
            .rules()
            .into_iter()
            .filter(|r| r.shape != RuleShape::Function)
            .map(|r| [r.package, r.path].concat())
            .collect();
        let mut names: Vec<String> = match namespaces {
            Namespaces::Named(names) => names.clone(),
            Namespaces::All => policy.packages().to_vec(),
        };
        // `-n main -n main` checks `main` once.
        let mut seen = std::collections::HashSet::new();
        names.retain(|name| seen.insert(name.clone()));
        let mut empty = Vec::new();
        let mut plans = Vec::new();
        for namespace in &names {
            let prefix: Vec<&str> = namespace.split('.').collect();
            // The rule names directly in the package, each once (a rule may have several
            // definitions), in name order.
            let in_namespace: std::collections::BTreeSet<&str> = rules
                .iter()
                .filter(|path| {
                    path.len() == prefix.len() + 1 && path.iter().zip(&prefix).all(|(a, b)| a == b)
                })
                .filter_map(|path| path.last().map(String::as_str))
                .collect();
            let mut checked = Vec::new();
            let mut has_exception = false;
            for name in in_namespace {
                if name == "exception" {
                    has_exception = true;
                } else if let Some((severity, suffix)) = severity_of(name) {
                    checked.push(CheckedRule {
                        reference: format!("data.{namespace}.{name}"),
                        severity,
                        exception_name: suffix.to_string(),
                    });
                }
            }
            if checked.is_empty() {
                empty.push(namespace.as_str());
                continue;
            }
            let mut refs: Vec<String> = checked.iter().map(|r| r.reference.clone()).collect();
            if has_exception {
                refs.push(format!("data.{namespace}.exception"));
            }
            let documents = policy
                .prepare_documents(&refs)
                .map_err(|e| SetupError::Compile(e.to_string()))?;
            plans.push(NamespacePlan {
                name: namespace.clone(),
                rules: checked,
                documents,
                has_exception,
            });
        }
        // A namespace asked for by name must hold rules: a typo must not pass silently.
        let missing = match namespaces {
            Namespaces::Named(_) if !empty.is_empty() => {
                Some(format!("namespace {}", empty.join(", ")))
            }
            Namespaces::All if plans.is_empty() => Some("any package".to_string()),
            _ => None,
        };
        if let Some(wanted) = missing {
            let found = policy.packages().join(", ");
            return Err(SetupError::NoRules(format!(
                "no deny, violation or warn rules found in {wanted} (packages in the policy: {}); \
                 choose one with --namespace, or use --all-namespaces",
                if found.is_empty() { "none" } else { &found }
            )));
        }
        Ok(Checker { plans, options })
    }

    /// The namespaces that will be checked.
    #[cfg(test)]
    pub fn namespaces(&self) -> impl Iterator<Item = &str> {
        self.plans.iter().map(|p| p.name.as_str())
    }

    /// How many rules each config is checked against.
    #[cfg(test)]
    pub fn rule_count(&self) -> usize {
        self.plans.iter().map(|p| p.rules.len()).sum()
    }

    /// Checks one config: one result per namespace. Evaluation errors become failures.
    pub fn check(&self, filename: &str, input: &Value) -> Vec<CheckResult> {
        self.plans
            .iter()
            .map(|plan| {
                let mut result = CheckResult {
                    filename: filename.to_string(),
                    namespace: plan.name.clone(),
                    ..CheckResult::default()
                };
                let started = std::time::Instant::now();
                let values = plan.documents.eval(Some(input), &self.options);
                result.eval_ns = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                fill(&mut result, plan, &values);
                result
            })
            .collect()
    }

    /// The result for a config that could not be read or parsed: one failure, reported
    /// under the first namespace.
    pub fn unreadable(&self, filename: &str, error: &str) -> Vec<CheckResult> {
        let namespace = self.plans.first().map_or("", |p| p.name.as_str());
        vec![CheckResult {
            filename: filename.to_string(),
            namespace: namespace.to_string(),
            failures: vec![Finding {
                msg: error.to_string(),
                metadata: serde_json::Map::new(),
            }],
            ..CheckResult::default()
        }]
    }
}

/// Sorts the rules' values into `result`. A rule whose evaluation failed is one failure.
fn fill(
    result: &mut CheckResult,
    plan: &NamespacePlan,
    values: &[Result<Option<Value>, EvalError>],
) {
    let error = |e: &EvalError, query: &str| Finding::new(format!("evaluation error: {e}"), query);
    let mut excused = Vec::new();
    if plan.has_exception {
        let query = format!("data.{}.exception", plan.name);
        match values.last() {
            Some(Ok(value)) => excused = exception_names(value.as_ref()),
            Some(Err(e)) => result.failures.push(error(e, &query)),
            None => {}
        }
    }
    for (rule, value) in plan.rules.iter().zip(values) {
        let value = match value {
            Ok(value) => value,
            Err(e) => {
                result.failures.push(error(e, &rule.reference));
                continue;
            }
        };
        if let Some(value) = value {
            let name = rule.reference.rsplit('.').next().unwrap_or_default();
            result.values.push((name.to_string(), value.clone()));
        }
        let findings = match value {
            Some(value) => findings(value, &rule.reference),
            None => Vec::new(),
        };
        if findings.is_empty() {
            result.successes += 1;
            result.passed.push(rule.reference.clone());
            continue;
        }
        match rule.severity {
            Severity::Warning => result.warnings.extend(findings),
            Severity::Failure if excused.contains(&rule.exception_name) => result
                .exceptions
                .extend(findings.into_iter().map(|mut finding| {
                    finding.metadata.insert(
                        "exception".into(),
                        Json::String(rule.exception_name.clone()),
                    );
                    finding
                })),
            Severity::Failure => result.failures.extend(findings),
        }
    }
    if let (true, Some(Ok(Some(value)))) = (plan.has_exception, values.last()) {
        result.values.push(("exception".into(), value.clone()));
    }
}

/// The rule names an `exception` document excuses: it is a set of lists of names
/// (`exception contains rules if { rules := ["run_as_root"] }`); bare names are accepted too.
fn exception_names(value: Option<&Value>) -> Vec<String> {
    let mut names = Vec::new();
    let Some(value) = value else {
        return names;
    };
    for item in collection(value) {
        if let Some(name) = item.as_str() {
            names.push(name.to_string());
        }
        for inner in collection(item) {
            if let Some(name) = inner.as_str() {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The members of a set or array, the values of an object; nothing for scalars.
fn collection(value: &Value) -> Vec<&Value> {
    if let Some(set) = value.as_set() {
        set.iter().collect()
    } else if let Some(array) = value.as_array() {
        array.iter().collect()
    } else if let Some(object) = value.as_object() {
        object.iter().map(|(_, v)| v).collect()
    } else {
        Vec::new()
    }
}

/// The messages in a rule's value: each string, or each object's `msg` with its other keys
/// as metadata. `true` (a rule such as `deny if ...`) is one message naming the rule;
/// `false`, `null` and empty collections are none.
fn findings(value: &Value, query: &str) -> Vec<Finding> {
    match value {
        Value::Bool(true) => vec![Finding::new(format!("{query} is true"), query)],
        Value::Bool(false) | Value::Null => Vec::new(),
        _ if value.as_str().is_some() => vec![finding(value, query)],
        _ => collection(value)
            .into_iter()
            .map(|item| finding(item, query))
            .collect(),
    }
}

/// One result value as a finding.
fn finding(item: &Value, query: &str) -> Finding {
    if let Some(text) = item.as_str() {
        return Finding::new(text, query);
    }
    if item.as_object().is_some() {
        let Ok(Json::Object(mut map)) = serde_json::to_value(item) else {
            return Finding::new(item.to_string(), query);
        };
        let msg = match map.remove("msg") {
            Some(Json::String(text)) => text,
            Some(other) => other.to_string(),
            None => format!("result of {query} has no \"msg\" key: {item}"),
        };
        let mut finding = Finding::new(msg, query);
        for (key, value) in map {
            finding.metadata.entry(key).or_insert(value);
        }
        return finding;
    }
    Finding::new(item.to_string(), query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(source: &str, namespaces: Namespaces) -> Result<Checker, SetupError> {
        let mut engine = rego_builtins::engine();
        engine.add_module("policy.rego", source).unwrap();
        let policy = engine.compile().unwrap();
        Checker::new(&engine, &policy, &namespaces, EvalOptions::default())
    }

    fn input(json: &str) -> Value {
        Value::from_json_str(json).unwrap()
    }

    fn main() -> Namespaces {
        Namespaces::Named(vec!["main".into()])
    }

    const POLICY: &str = r#"package main

deny contains msg if {
    some c in input.containers
    endswith(c.image, ":latest")
    msg := sprintf("container %s uses latest tag", [c.name])
}

violation_root contains {"msg": "runs as root", "severity": "high"} if input.root

warn contains "no owner label" if not input.labels.owner

deny_helper_function(x) := x

exception contains rules if {
    input.name == "trusted"
    rules := ["root"]
}
"#;

    #[test]
    fn names_of_checked_rules() {
        assert_eq!(severity_of("deny"), Some((Severity::Failure, "")));
        assert_eq!(
            severity_of("violation_x_1"),
            Some((Severity::Failure, "x_1"))
        );
        assert_eq!(
            severity_of("warn_latest"),
            Some((Severity::Warning, "latest"))
        );
        assert_eq!(severity_of("denyall"), None);
        assert_eq!(severity_of("deny_"), None);
        assert_eq!(severity_of("allow"), None);
    }

    #[test]
    fn failures_warnings_and_successes() {
        let checker = checker(POLICY, main()).unwrap();
        assert_eq!(checker.rule_count(), 3);
        let results = checker.check(
            "pod.yaml",
            &input(r#"{"containers": [{"name": "web", "image": "nginx:latest"}], "root": true}"#),
        );
        assert_eq!(results.len(), 1);
        let r = &results[0];
        assert_eq!(
            (r.filename.as_str(), r.namespace.as_str()),
            ("pod.yaml", "main")
        );
        let msgs: Vec<&str> = r.failures.iter().map(|f| f.msg.as_str()).collect();
        assert_eq!(msgs, ["container web uses latest tag", "runs as root"]);
        assert_eq!(r.failures[1].metadata["severity"], "high");
        assert_eq!(r.failures[1].query(), "data.main.violation_root");
        assert_eq!(r.warnings[0].msg, "no owner label");
        assert_eq!(r.successes, 0);
        let names: Vec<&str> = r.values.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["deny", "violation_root", "warn", "exception"]);
    }

    #[test]
    fn a_clean_config_passes_every_rule() {
        let checker = checker(POLICY, main()).unwrap();
        let results = checker.check("ok.yaml", &input(r#"{"labels": {"owner": "me"}}"#));
        assert_eq!(results[0].successes, 3);
        assert!(results[0].failures.is_empty() && results[0].warnings.is_empty());
    }

    #[test]
    fn exceptions_excuse_named_failures_only_when_they_fail() {
        let checker = checker(POLICY, main()).unwrap();
        let results = checker.check(
            "x.yaml",
            &input(r#"{"name": "trusted", "root": true, "labels": {"owner": "me"}}"#),
        );
        let r = &results[0];
        assert!(r.failures.is_empty());
        assert_eq!(r.exceptions.len(), 1);
        assert_eq!(r.exceptions[0].metadata["exception"], "root");
        assert_eq!(r.successes, 2);
        let results = checker.check(
            "x.yaml",
            &input(r#"{"name": "trusted", "labels": {"owner": "me"}}"#),
        );
        assert!(results[0].exceptions.is_empty());
        assert_eq!(results[0].successes, 3);
    }

    #[test]
    fn an_evaluation_error_fails_its_rule_only() {
        let checker = checker(
            "package main\nconflict := input.a\nconflict := input.b\ndeny contains \"c\" if conflict\n\
             deny_other contains \"d\" if input.a\nwarn contains \"w\" if true\n",
            main(),
        )
        .unwrap();
        let results = checker.check("f.json", &input(r#"{"a": 1, "b": 2}"#));
        let msgs: Vec<&str> = results[0].failures.iter().map(|f| f.msg.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].starts_with("evaluation error:"), "{msgs:?}");
        assert_eq!(results[0].failures[0].query(), "data.main.deny");
        assert_eq!(msgs[1], "d");
        assert_eq!(results[0].warnings[0].msg, "w");
    }

    #[test]
    fn all_namespaces_and_missing_namespace() {
        let source = "package a\ndeny contains \"a\" if true\n";
        let err = checker(source, main()).err().unwrap().to_string();
        assert!(
            err.contains("namespace main") && err.contains("packages in the policy: a"),
            "{err}"
        );
        let named = Namespaces::Named(vec!["a".into(), "typo".into(), "a".into()]);
        let err = checker(source, named).err().unwrap().to_string();
        assert!(err.contains("namespace typo"), "{err}");
        let twice = checker(source, Namespaces::Named(vec!["a".into(), "a".into()])).unwrap();
        assert_eq!(twice.check("f", &input("{}")).len(), 1);
        let checker = checker(source, Namespaces::All).unwrap();
        assert_eq!(checker.namespaces().collect::<Vec<_>>(), ["a"]);
        assert_eq!(checker.check("f", &input("{}"))[0].failures[0].msg, "a");
    }

    #[test]
    fn boolean_rules_and_unreadable_files() {
        let checker = checker("package main\ndeny if input.bad\n", main()).unwrap();
        assert_eq!(
            checker.check("f", &input(r#"{"bad": true}"#))[0].failures[0].msg,
            "data.main.deny is true"
        );
        assert_eq!(checker.check("f", &input("{}"))[0].successes, 1);
        let results = checker.unreadable("broken.yaml", "broken.yaml:3: bad indentation");
        assert_eq!(results[0].failures[0].msg, "broken.yaml:3: bad indentation");
    }
}
