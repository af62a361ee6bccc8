//! Evaluating tests: each one alone, timed, against its own deadline, with its `print` output
//! captured; several at once on worker threads, results kept in discovery order.

use super::TestCase;
use rego_eval::{EvalError, EvalOptions, Policy, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How a test ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The rule's value was `true`.
    Pass,
    /// The rule was undefined or had another value.
    Fail,
    /// A `todo_test_` rule, not run.
    Skip,
    /// Evaluation failed (a conflict, a strict builtin error, the deadline...).
    Error(EvalError),
}

/// One test's result.
#[derive(Clone, Debug)]
pub struct TestResult {
    /// The test.
    pub case: TestCase,
    /// How it ended.
    pub outcome: Outcome,
    /// How long evaluating it took (zero when skipped).
    pub duration: Duration,
    /// What its `print` calls printed, one line each.
    pub output: String,
}

impl TestResult {
    /// Whether it passed (skipped tests did not).
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Pass
    }
}

/// Runs one test, giving up after `timeout` when there is one.
pub fn run_one(policy: &Policy, case: &TestCase, timeout: Option<Duration>) -> TestResult {
    let result = |outcome, duration, output| TestResult {
        case: case.clone(),
        outcome,
        duration,
        output,
    };
    if case.skip {
        return result(Outcome::Skip, Duration::ZERO, String::new());
    }
    if let Some(reason) = case.unsupported {
        let error = EvalError::new("rego_test_error", reason, Some(case.location.clone()));
        return result(Outcome::Error(error), Duration::ZERO, String::new());
    }
    let output = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&output);
    let start = Instant::now();
    let deadline = timeout.map(|t| start + t);
    let options = EvalOptions {
        deadline,
        print: Some(Arc::new(move |line: &str| {
            if let Ok(mut text) = sink.lock() {
                text.push_str(line);
                text.push('\n');
            }
        })),
        ..EvalOptions::default()
    };
    let evaluated = policy
        .prepare(&case.query())
        .map_err(|errors| {
            // The query is built from the rule's own path, so it compiles; report anyway.
            let first = errors.0.into_iter().next();
            EvalError::new(
                first.as_ref().map_or("rego_compile_error", |e| e.code),
                first
                    .as_ref()
                    .map_or_else(String::new, |e| e.message.clone()),
                Some(case.location.clone()),
            )
        })
        .and_then(|query| query.eval(None, &options));
    let duration = start.elapsed();
    let outcome = match evaluated {
        Ok(results) => {
            let value = results
                .first()
                .and_then(|r| r.expressions.first())
                .map(|e| &e.value);
            if value == Some(&Value::Bool(true)) {
                Outcome::Pass
            } else {
                Outcome::Fail
            }
        }
        Err(mut error) => {
            let late = deadline.is_some_and(|d| Instant::now() >= d);
            if error.code == "eval_cancel_error" && late {
                let limit = timeout.map(crate::duration::format).unwrap_or_default();
                error.message = format!("test timed out after {limit} (see --timeout)");
            }
            Outcome::Error(error)
        }
    };
    let output = output.lock().map(|t| t.clone()).unwrap_or_default();
    result(outcome, duration, output)
}

/// Runs every test on up to `parallel` threads (at least one); the results come back in the
/// order of `cases`.
pub fn run_all(
    policy: &Policy,
    cases: &[TestCase],
    timeout: Option<Duration>,
    parallel: usize,
) -> Vec<TestResult> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, TestResult)>> = Mutex::new(Vec::with_capacity(cases.len()));
    let workers = parallel.clamp(1, cases.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else {
                        break;
                    };
                    let result = run_one(policy, case, timeout);
                    if let Ok(mut done) = done.lock() {
                        done.push((i, result));
                    }
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::discover;
    use rego_eval::Engine;

    fn results(src: &str, timeout: Option<Duration>) -> Vec<TestResult> {
        let mut engine = rego_builtins::engine();
        engine.add_module("t.rego", src).expect("parses");
        let cases = discover(&mut engine);
        let policy = engine.compile().expect("compiles");
        run_all(&policy, &cases, timeout, 2)
    }

    #[test]
    fn outcomes_follow_the_rule_value() {
        let results = results(
            "package p\n\ntest_pass if true\ntest_false := false\ntest_undefined if false\ntest_number := 1\ntodo_test_later if false\nx := 1\nx := 2\ntest_conflict if x\n",
            None,
        );
        let outcomes: Vec<_> = results
            .iter()
            .map(|r| match &r.outcome {
                Outcome::Error(e) => e.code.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            outcomes,
            [
                "Pass",
                "Fail",
                "Fail",
                "Fail",
                "Skip",
                "eval_conflict_error"
            ]
        );
        assert_eq!(results[4].duration, Duration::ZERO);
        assert!(results[0].passed() && !results[4].passed());
    }

    #[test]
    fn print_output_is_captured_per_test() {
        let results = results(
            "package p\n\ntest_a if { print(\"a\", 1); true }\ntest_b if { print(\"b\"); false }\n",
            None,
        );
        assert_eq!(results[0].output, "a 1\n");
        assert_eq!(results[1].output, "b\n");
    }

    #[test]
    fn a_test_past_its_deadline_errors() {
        let results = results(
            "package p\n\ntest_slow if {\n  some i in numbers.range(1, 1000)\n  some j in numbers.range(1, 1000)\n  some k in numbers.range(1, 1000)\n  i + j + k < 0\n}\ntest_fast if true\n",
            Some(Duration::from_millis(50)),
        );
        match &results[0].outcome {
            Outcome::Error(e) => {
                assert_eq!(e.code, "eval_cancel_error");
                assert!(e.message.contains("timed out after 50ms"), "{}", e.message);
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(results[0].duration < Duration::from_secs(5));
        assert!(results[1].passed());
    }

    #[test]
    fn no_tests_no_threads_needed() {
        let engine: Engine = rego_builtins::engine();
        let policy = engine.compile().expect("compiles");
        assert!(run_all(&policy, &[], None, 4).is_empty());
    }
}
