//! The report for people, laid out as `opa test` lays it out: the tests worth showing (all
//! with `--verbose`, otherwise those that did not pass), each after its `file:row:`, with its
//! `print` output indented below it and its error on the next line; a rule; the counts.
//!
//! ```text
//! policies/authz_test.rego:12:
//! data.authz_test.test_get_denied: FAIL (412.3µs)
//!
//!   input was {"method": "GET"}
//!
//! --------------------------------------------------------------------------------
//! PASS: 3/4
//! FAIL: 1/4
//! ```

use crate::duration;
use crate::testing::{Outcome, TestResult};
use std::fmt::Write as _;

/// The rule between the tests and the counts.
const RULE: &str =
    "--------------------------------------------------------------------------------";

/// The report; empty when there were no tests.
pub fn report(results: &[TestResult], verbose: bool) -> String {
    let mut out = String::new();
    let mut last_file: Option<&str> = None;
    for result in results {
        if verbose || !result.passed() {
            let location = &result.case.location;
            if last_file.is_some_and(|f| f != &*location.file) {
                out.push('\n');
            }
            last_file = Some(&location.file);
            let _ = writeln!(out, "{}:{}:", location.file, location.row);
            let _ = writeln!(out, "{}", line(result));
            let printed = result.output.trim();
            if !printed.is_empty() {
                out.push('\n');
                for text in printed.lines() {
                    let _ = writeln!(out, "  {text}");
                }
                out.push('\n');
            }
        }
        if let Outcome::Error(error) = &result.outcome {
            let _ = writeln!(out, "  {error}");
        }
    }
    if !out.is_empty() {
        out.push_str(RULE);
        out.push('\n');
    }
    out.push_str(&summary(results));
    out
}

/// `data.p.test_x: PASS (1.2ms)`, or `data.p.todo_test_x: SKIPPED`.
pub fn line(result: &TestResult) -> String {
    let name = result.case.full_name();
    let outcome = match result.outcome {
        Outcome::Pass => "PASS",
        Outcome::Fail => "FAIL",
        Outcome::Skip => return format!("{name}: SKIPPED"),
        Outcome::Error(_) => "ERROR",
    };
    format!("{name}: {outcome} ({})", duration::format(result.duration))
}

/// The counts that are not zero: `PASS: 3/4`, `FAIL: 1/4`, `SKIPPED: ...`, `ERROR: ...`.
fn summary(results: &[TestResult]) -> String {
    let total = results.len();
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|r| f(&r.outcome)).count();
    let counts = [
        ("PASS", count(|o| *o == Outcome::Pass)),
        ("FAIL", count(|o| *o == Outcome::Fail)),
        ("SKIPPED", count(|o| *o == Outcome::Skip)),
        ("ERROR", count(|o| matches!(o, Outcome::Error(_)))),
    ];
    let mut out = String::new();
    for (label, n) in counts {
        if n > 0 {
            let _ = writeln!(out, "{label}: {n}/{total}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestCase;
    use rego_eval::EvalError;
    use rego_syntax::Location;
    use std::time::Duration;

    fn result(file: &str, row: u32, name: &str, outcome: Outcome, output: &str) -> TestResult {
        TestResult {
            case: TestCase {
                package: vec!["p".into()],
                path: vec![name.into()],
                skip: outcome == Outcome::Skip,
                unsupported: None,
                location: Location {
                    file: file.into(),
                    row,
                    col: 1,
                },
            },
            outcome,
            duration: Duration::from_micros(1500),
            output: output.into(),
        }
    }

    fn sample() -> Vec<TestResult> {
        let error = EvalError::new(
            "eval_conflict_error",
            "complete rules must not produce multiple outputs",
            Some(Location {
                file: "b.rego".into(),
                row: 9,
                col: 3,
            }),
        );
        vec![
            result("a.rego", 3, "test_ok", Outcome::Pass, "quiet\n"),
            result("a.rego", 5, "test_bad", Outcome::Fail, "got 1\ngot 2\n"),
            result("b.rego", 7, "todo_test_later", Outcome::Skip, ""),
            result("b.rego", 9, "test_boom", Outcome::Error(error), ""),
        ]
    }

    #[test]
    fn quiet_reports_show_what_did_not_pass() {
        assert_eq!(
            report(&sample(), false),
            format!(
                "a.rego:5:\ndata.p.test_bad: FAIL (1.5ms)\n\n  got 1\n  got 2\n\n\nb.rego:7:\n\
                 data.p.todo_test_later: SKIPPED\nb.rego:9:\ndata.p.test_boom: ERROR (1.5ms)\n  \
                 b.rego:9: eval_conflict_error: complete rules must not produce multiple outputs\n\
                 {RULE}\nPASS: 1/4\nFAIL: 1/4\nSKIPPED: 1/4\nERROR: 1/4\n"
            )
        );
    }

    #[test]
    fn verbose_reports_show_every_test_and_its_output() {
        let text = report(&sample(), true);
        assert!(
            text.starts_with("a.rego:3:\ndata.p.test_ok: PASS (1.5ms)\n\n  quiet\n\na.rego:5:\n"),
            "{text}"
        );
    }

    #[test]
    fn all_passing_prints_only_the_count() {
        let passing = vec![result("a.rego", 3, "test_ok", Outcome::Pass, "")];
        assert_eq!(report(&passing, false), "PASS: 1/1\n");
        assert_eq!(report(&[], false), "");
    }
}
