//! The outcome of checking configs: one [`CheckResult`] per config and namespace, and the
//! totals and exit code over all of them.

use serde::Serialize;
use serde_json::{Map, Value as Json};

/// One message produced by a rule (or an error standing in for one).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The message (`msg`).
    pub msg: String,
    /// The result's other keys, plus `query`: the rule that produced it (`data.main.deny`).
    pub metadata: Map<String, Json>,
}

impl Finding {
    /// A finding of `query` with no metadata beyond the query.
    pub fn new(msg: impl Into<String>, query: &str) -> Finding {
        let mut metadata = Map::new();
        metadata.insert("query".into(), Json::String(query.to_string()));
        Finding {
            msg: msg.into(),
            metadata,
        }
    }

    /// The rule that produced it, `data.main.deny`; empty for input errors.
    pub fn query(&self) -> &str {
        self.metadata
            .get("query")
            .and_then(Json::as_str)
            .unwrap_or("")
    }
}

/// The result of checking one config against one namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CheckResult {
    /// The file the config came from (`-` for stdin, `Combined` for `--combine`).
    pub filename: String,
    /// The package whose rules were applied.
    pub namespace: String,
    /// How many rules passed (produced no message).
    pub successes: usize,
    /// The rules that passed, by reference (`data.main.deny`).
    #[serde(skip)]
    pub passed: Vec<String>,
    /// Messages of `deny` and `violation` rules, and errors (unparsable file, evaluation
    /// error).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Finding>,
    /// Messages of `warn` rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Finding>,
    /// Messages of failing rules excused by an `exception` rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Finding>,
    /// The value of each defined rule, by name (`deny`), for decision logs.
    #[serde(skip)]
    pub values: Vec<(String, rego_eval::Value)>,
    /// How long evaluating the namespace's rules took.
    #[serde(skip)]
    pub eval_ns: u64,
}

/// Totals over every result, as in the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Rules that passed.
    pub passed: usize,
    /// Warning messages.
    pub warnings: usize,
    /// Failure messages.
    pub failures: usize,
    /// Excused failure messages.
    pub exceptions: usize,
}

impl Totals {
    /// Adds up `results`.
    pub fn of(results: &[CheckResult]) -> Totals {
        results.iter().fold(Totals::default(), |t, r| Totals {
            passed: t.passed + r.successes,
            warnings: t.warnings + r.warnings.len(),
            failures: t.failures + r.failures.len(),
            exceptions: t.exceptions + r.exceptions.len(),
        })
    }

    /// Every test counted: passes, warnings, failures and exceptions.
    pub fn tests(&self) -> usize {
        self.passed + self.warnings + self.failures + self.exceptions
    }

    /// The summary line: `3 tests, 1 passed, 0 warnings, 2 failures, 0 exceptions`.
    pub fn summary(&self) -> String {
        format!(
            "{}, {} passed, {}, {}, {}",
            plural(self.tests(), "test"),
            self.passed,
            plural(self.warnings, "warning"),
            plural(self.failures, "failure"),
            plural(self.exceptions, "exception"),
        )
    }

    /// The process exit code: 1 on any failure, or on any warning with `fail_on_warn`
    /// (where a failure then gives 2, telling the two apart as conftest does).
    pub fn exit_code(&self, fail_on_warn: bool) -> u8 {
        match (fail_on_warn, self.failures > 0, self.warnings > 0) {
            (true, true, _) => 2,
            (true, false, true) => 1,
            (false, true, _) => 1,
            _ => 0,
        }
    }
}

/// `1 warning`, `2 warnings`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(successes: usize, failures: usize, warnings: usize) -> CheckResult {
        CheckResult {
            filename: "f.yaml".into(),
            namespace: "main".into(),
            successes,
            failures: vec![Finding::new("bad", "data.main.deny"); failures],
            warnings: vec![Finding::new("meh", "data.main.warn"); warnings],
            ..CheckResult::default()
        }
    }

    #[test]
    fn summary_reads_like_conftest() {
        let totals = Totals::of(&[result(1, 2, 0)]);
        assert_eq!(
            totals.summary(),
            "3 tests, 1 passed, 0 warnings, 2 failures, 0 exceptions"
        );
        let totals = Totals::of(&[result(0, 0, 1), result(0, 0, 0)]);
        assert_eq!(
            totals.summary(),
            "1 test, 0 passed, 1 warning, 0 failures, 0 exceptions"
        );
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Totals::of(&[result(3, 0, 0)]).exit_code(false), 0);
        assert_eq!(Totals::of(&[result(0, 1, 0)]).exit_code(false), 1);
        assert_eq!(Totals::of(&[result(0, 0, 1)]).exit_code(false), 0);
        assert_eq!(Totals::of(&[result(0, 0, 1)]).exit_code(true), 1);
        assert_eq!(Totals::of(&[result(0, 1, 1)]).exit_code(true), 2);
    }

    #[test]
    fn json_omits_empty_lists_and_keeps_metadata() {
        let json = serde_json::to_value(result(1, 1, 0)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "filename": "f.yaml", "namespace": "main", "successes": 1,
                "failures": [{"msg": "bad", "metadata": {"query": "data.main.deny"}}]
            })
        );
    }
}
