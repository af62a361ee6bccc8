//! `rego test` end to end, through the real binary, on the suites under `testdata/cli/test/`:
//! reports in each format, exit codes, filters, timeouts and load errors.

mod common;
use common::*;

use std::path::Path;
use std::time::{Duration, Instant};

const PASS: &str = "testdata/cli/test/pass";
const MIXED: &str = "testdata/cli/test/mixed";
const MIXED_TESTS: &str = "testdata/cli/test/mixed/policy_test.rego";

#[test]
fn a_passing_suite_prints_only_the_count() {
    let out = rego(&["test", PASS]);
    assert_code(&out, 0);
    // The tests read `data.users.readers`, mounted from `users/data.json`.
    assert_eq!(stdout(&out), "PASS: 3/3\n");
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn verbose_lists_every_test_with_its_location() {
    let out = rego(&["test", "-v", PASS]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "testdata/cli/test/pass/authz_test.rego:5:");
    assert!(
        lines[1].starts_with("data.authz_test.test_reader_may_get: PASS ("),
        "{text}"
    );
    assert_eq!(lines.len(), 8, "{text}");
    assert_eq!(lines[6], "-".repeat(80));
    assert_eq!(lines[7], "PASS: 3/3");
}

#[test]
fn failures_show_the_rule_location_and_print_output() {
    let out = rego(&["test", MIXED]);
    assert_code(&out, 2);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "{MIXED_TESTS}:9:\ndata.mixed_test.test_double_wrong: FAIL ("
        )),
        "{text}"
    );
    assert!(text.contains("\n\n  double(3) is 6\n\n"), "{text}");
    // The passing test is not listed without --verbose.
    assert!(!text.contains("test_double:"), "{text}");
    assert!(
        text.ends_with("PASS: 1/4\nFAIL: 1/4\nSKIPPED: 1/4\nERROR: 1/4\n"),
        "{text}"
    );
}

#[test]
fn errors_are_reported_under_the_test() {
    let out = rego(&["test", MIXED]);
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "{MIXED_TESTS}:14:\ndata.mixed_test.test_conflict: ERROR ("
        )),
        "{text}"
    );
    assert!(
        text.contains("\n  testdata/cli/test/mixed/policy.rego:7: eval_conflict_error: complete rules must not produce multiple outputs\n"),
        "{text}"
    );
}

#[test]
fn skipped_tests_exit_2_unless_told_otherwise() {
    let out = rego(&["test", MIXED, "--run", "todo_"]);
    assert_code(&out, 2);
    assert_eq!(
        stdout(&out),
        format!(
            "{MIXED_TESTS}:18:\ndata.mixed_test.todo_test_later: SKIPPED\n{}\nSKIPPED: 1/1\n",
            "-".repeat(80)
        )
    );
    let out = rego(&["test", MIXED, "--run", "todo_", "--exit-zero-on-skipped"]);
    assert_code(&out, 0);
}

#[test]
fn run_filters_by_full_name() {
    let out = rego(&[
        "test",
        "-v",
        PASS,
        MIXED,
        "-r",
        r"authz_test\.test_(admin|reader)",
    ]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("data.authz_test.test_admin_may_post: PASS"),
        "{text}"
    );
    assert!(
        text.contains("data.authz_test.test_reader_may_get: PASS"),
        "{text}"
    );
    assert!(!text.contains("stranger"), "{text}");
    assert!(!text.contains("mixed"), "{text}");
    assert!(text.ends_with("PASS: 2/2\n"), "{text}");

    let bad = rego(&["test", PASS, "-r", "("]);
    assert_code(&bad, 1);
    assert!(stderr(&bad).contains("invalid --run regular expression"));
}

#[test]
fn json_format_has_opas_fields() {
    let out = rego(&["test", "--format", "json", MIXED]);
    assert_code(&out, 2);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", stdout(&out)));
    let results = json.as_array().expect("an array");
    assert_eq!(results.len(), 4);
    let by_name = |name: &str| {
        results
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {json}"))
    };
    let pass = by_name("test_double");
    assert_eq!(pass["package"], "data.mixed_test");
    assert_eq!(
        pass["location"],
        serde_json::json!({"file": MIXED_TESTS, "row": 5, "col": 1})
    );
    assert!(pass["duration"].as_u64().is_some_and(|d| d > 0), "{pass}");
    assert!(pass.get("fail").is_none() && pass.get("error").is_none());
    let fail = by_name("test_double_wrong");
    assert_eq!(fail["fail"], true);
    // Go encodes the captured bytes in base64: "double(3) is 6\n".
    assert_eq!(fail["output"], "ZG91YmxlKDMpIGlzIDYK");
    assert_eq!(by_name("todo_test_later")["skip"], true);
    let error = &by_name("test_conflict")["error"];
    assert_eq!(error["code"], "eval_conflict_error");
    assert_eq!(error["location"]["row"], 7);
}

fn attribute<'a>(element: &'a Element, key: &str) -> &'a str {
    element
        .2
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn junit_reports_are_well_formed_with_the_counts() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("test_cmd");
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let file = dir.join("report.xml");
    let _ = std::fs::remove_file(&file);
    let out = rego(&[
        "test",
        PASS,
        MIXED,
        "--junit",
        file.to_str().expect("UTF-8 path"),
    ]);
    assert_code(&out, 2);
    let xml = std::fs::read_to_string(&file).expect("the report was written");
    let elements = xml_elements(&xml);
    let root = &elements[0];
    assert_eq!(root.1, "testsuites");
    for (key, value) in [
        ("tests", "7"),
        ("failures", "1"),
        ("errors", "1"),
        ("skipped", "1"),
    ] {
        assert_eq!(attribute(root, key), value, "{key} in {xml}");
    }
    let suites: Vec<_> = elements.iter().filter(|e| e.1 == "testsuite").collect();
    assert_eq!(suites.len(), 2);
    assert_eq!(attribute(suites[0], "name"), "data.authz_test");
    assert_eq!(attribute(suites[1], "tests"), "4");
    let cases = elements.iter().filter(|e| e.1 == "testcase").count();
    assert_eq!(cases, 7);
    let failure = elements
        .iter()
        .position(|e| e.1 == "failure")
        .expect("a failure element");
    assert_eq!(
        attribute(&elements[failure - 1], "name"),
        "test_double_wrong"
    );
    assert_eq!(attribute(&elements[failure - 1], "line"), "9");
    assert!(
        elements
            .iter()
            .any(|e| e.1 == "error" && attribute(e, "type") == "eval_conflict_error")
    );
    assert!(elements.iter().any(|e| e.1 == "skipped"));
}

#[test]
fn a_test_running_past_the_timeout_errors() {
    let start = Instant::now();
    let out = rego(&["test", "testdata/cli/test/slow", "--timeout", "50ms"]);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_code(&out, 2);
    let text = stdout(&out);
    assert!(text.contains("data.slow.test_forever: ERROR ("), "{text}");
    assert!(
        text.contains("eval_cancel_error: test timed out after 50ms"),
        "{text}"
    );
    assert!(text.ends_with("PASS: 1/2\nERROR: 1/2\n"), "{text}");
}

#[test]
fn a_syntax_error_exits_1_with_a_caret() {
    let out = rego(&["test", "testdata/cli/test/syntax"]);
    assert_code(&out, 1);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let text = stderr(&out);
    assert!(
        text.starts_with("testdata/cli/test/syntax/broken.rego:7: rego_parse_error:"),
        "{text}"
    );
    assert!(text.contains("\n7 | }\n  | ^\n"), "{text}");
}

#[test]
fn a_missing_path_exits_1() {
    let out = rego(&["test", "testdata/cli/test/nowhere"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("testdata/cli/test/nowhere: no such file or directory"));
}

#[test]
fn tests_defined_twice_run_once_per_definition() {
    let out = rego(&["test", "testdata/cli/test/dupes"]);
    assert_code(&out, 2);
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "testdata/cli/test/dupes/dupes_test.rego:5:\ndata.dupes.test_same#01: FAIL ("
        ),
        "{text}"
    );
    assert!(text.ends_with("PASS: 2/3\nFAIL: 1/3\n"), "{text}");
}

#[test]
fn no_tests_is_success_unless_fail_on_empty() {
    let out = rego(&["test", PASS, "--ignore", "*_test.rego"]);
    assert_code(&out, 0);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let out = rego(&["test", PASS, "--ignore", "*_test.rego", "--fail-on-empty"]);
    assert_code(&out, 1);
    assert_eq!(stderr(&out), "no tests were run\n");
}

#[test]
fn a_compile_error_exits_1_with_a_caret() {
    let out = rego(&["test", "testdata/cli/check/unsafe", "--max-errors", "1"]);
    assert_code(&out, 1);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let text = stderr(&out);
    assert!(
        text.starts_with("testdata/cli/check/unsafe/policy.rego:4: rego_unsafe_var_error: var x is unsafe\n  |\n4 | \tx > 1\n"),
        "{text}"
    );
    assert!(text.contains("error limit reached"), "{text}");
}
