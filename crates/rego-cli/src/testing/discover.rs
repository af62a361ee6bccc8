//! Finding the test rules among an engine's rule definitions, and naming them as OPA does.

use rego_eval::{Engine, RuleInfo, RuleShape};
use rego_syntax::Location;
use std::collections::HashMap;

/// Names starting with this are tests.
const TEST_PREFIX: &str = "test_";
/// Names starting with this are tests to skip.
const SKIP_PREFIX: &str = "todo_test_";

/// Keywords, which OPA prints in brackets rather than after a dot.
const KEYWORDS: &[&str] = &[
    "as", "contains", "default", "else", "every", "false", "if", "import", "in", "not", "null",
    "package", "some", "true", "with",
];

/// One test: a rule definition to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// The package path below `data`.
    pub package: Vec<String>,
    /// The head path below the package, up to and including the test's name (`["test_x"]`,
    /// `["p", "test_x"]`), after renaming duplicates (`["test_x#01"]`).
    pub path: Vec<String>,
    /// Named `todo_test_...`: reported as skipped, not run.
    pub skip: bool,
    /// Why the rule cannot be run as a test, if it cannot (a function, a rule with a
    /// variable key).
    pub unsupported: Option<&'static str>,
    /// Where the definition starts.
    pub location: Location,
}

impl TestCase {
    /// The package as OPA prints it: `data.authz`, `data.x["my-pkg"]`.
    pub fn package_name(&self) -> String {
        let mut out = "data".to_string();
        for name in &self.package {
            push_element(&mut out, name);
        }
        out
    }

    /// The test's name below its package as OPA prints it: `test_x`, `test_x#01`,
    /// `p.test_x`.
    pub fn name(&self) -> String {
        let mut parts = self.path.iter();
        let mut out = parts.next().cloned().unwrap_or_default();
        for name in parts {
            push_element(&mut out, name);
        }
        out
    }

    /// `data.authz.test_x`: what `--run` matches and reports print.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.package_name(), self.name())
    }

    /// A query for the rule's value that works whatever the names are:
    /// `data["authz"]["test_x#01"]`.
    pub fn query(&self) -> String {
        let mut out = "data".to_string();
        for name in self.package.iter().chain(&self.path) {
            out.push('[');
            out.push_str(&quoted(name));
            out.push(']');
        }
        out
    }
}

/// Appends `.name`, or `["name"]` when it is not an identifier.
fn push_element(out: &mut String, name: &str) {
    if is_identifier(name) {
        out.push('.');
        out.push_str(name);
    } else {
        out.push('[');
        out.push_str(&quoted(name));
        out.push(']');
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// A string literal for `name`.
fn quoted(name: &str) -> String {
    serde_json::Value::from(name).to_string()
}

/// Where the test's name is in a rule's head path, if the rule is a test.
fn test_position(rule: &RuleInfo) -> Option<usize> {
    rule.path
        .iter()
        .position(|n| n.starts_with(TEST_PREFIX) || n.starts_with(SKIP_PREFIX))
}

/// Finds every test rule definition in `engine`, in load order, before it is compiled. The
/// second and later definitions of one test (in one package, across files) are renamed in the
/// engine to `name#01`, `name#02`, ... so that each is evaluated apart; tests to skip keep
/// their names.
pub fn discover(engine: &mut Engine) -> Vec<TestCase> {
    let mut seen: HashMap<(Vec<String>, Vec<String>), usize> = HashMap::new();
    let mut tests = Vec::new();
    for rule in engine.rules() {
        let Some(at) = test_position(&rule) else {
            continue;
        };
        let mut path = rule.path[..=at].to_vec();
        let skip = path[at].starts_with(SKIP_PREFIX);
        if !skip {
            let count = seen
                .entry((rule.package.clone(), path.clone()))
                .or_insert(0);
            if *count > 0 {
                let renamed = format!("{}#{:02}", path[at], count);
                // The position comes from this very rule's path.
                engine.rename_rule(rule.id, at, &renamed);
                path[at] = renamed;
            }
            *count += 1;
        }
        let unsupported = if rule.shape == RuleShape::Function {
            Some("a test must be a rule without arguments")
        } else if rule.has_variable_key && !skip {
            Some(
                "table-driven tests (test rules with a variable key) are not supported by rego test",
            )
        } else {
            None
        };
        tests.push(TestCase {
            package: rule.package,
            path,
            skip,
            unsupported,
            location: rule.location,
        });
    }
    tests
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(src: &str) -> (Engine, Vec<TestCase>) {
        let mut engine = Engine::new();
        engine.add_module("t.rego", src).expect("parses");
        let tests = discover(&mut engine);
        (engine, tests)
    }

    #[test]
    fn tests_are_named_as_opa_names_them() {
        let (_, tests) = found(
            "package a[\"b-c\"]\n\nhelper := 1\ntest_one if true\ntodo_test_two if false\np.test_three if true\n",
        );
        let names: Vec<_> = tests.iter().map(TestCase::full_name).collect();
        assert_eq!(
            names,
            [
                r#"data.a["b-c"].test_one"#,
                r#"data.a["b-c"].todo_test_two"#,
                r#"data.a["b-c"].p.test_three"#,
            ]
        );
        assert_eq!(
            tests.iter().map(|t| t.skip).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert_eq!(tests[0].location.row, 4);
        assert_eq!(tests[2].query(), r#"data["a"]["b-c"]["p"]["test_three"]"#);
    }

    #[test]
    fn duplicates_are_numbered_and_evaluated_apart() {
        let (engine, tests) = found(
            "package p\n\ntest_x if true\ntest_x if false\ntest_x := 3\ntodo_test_y if true\ntodo_test_y if true\n",
        );
        let names: Vec<_> = tests.iter().map(TestCase::name).collect();
        assert_eq!(
            names,
            [
                "test_x",
                "test_x#01",
                "test_x#02",
                "todo_test_y",
                "todo_test_y"
            ]
        );
        let policy = engine.compile().expect("compiles");
        let first = policy
            .eval_rule(&tests[0].query(), None)
            .expect("evaluates");
        assert_eq!(first, Some(rego_eval::Value::Bool(true)));
        let third = policy
            .eval_rule(&tests[2].query(), None)
            .expect("evaluates");
        assert_eq!(third, Some(rego_eval::Value::from(3)));
    }

    #[test]
    fn functions_and_table_tests_are_flagged() {
        let (_, tests) =
            found("package p\n\ntest_f(x) := x\ntest_t[n] if some n in [1]\ntest_ok if true\n");
        assert!(tests[0].unsupported.is_some());
        assert!(tests[1].unsupported.is_some());
        assert!(tests[2].unsupported.is_none());
    }
}
