//! `rego check` end to end, through the real binary, on the policies under
//! `testdata/cli/check/`: silence when clean, every error with its place, OPA's JSON shape,
//! the error limit and exit codes.

mod common;
use common::*;

const UNSAFE: &str = "testdata/cli/check/unsafe";
const UNSAFE_FILE: &str = "testdata/cli/check/unsafe/policy.rego";

#[test]
fn clean_policies_print_nothing() {
    // The folder also holds a broken `data.json`: check reads Rego files only.
    let out = rego(&["check", "testdata/cli/check/clean"]);
    assert_code(&out, 0);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn compile_errors_are_all_shown_with_a_caret() {
    let out = rego(&["check", UNSAFE]);
    assert_code(&out, 1);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let text = stderr(&out);
    assert!(
        text.starts_with(&format!(
            "{UNSAFE_FILE}:4: rego_unsafe_var_error: var x is unsafe\n  |\n4 | \tx > 1\n  | \t^^^^^\n"
        )),
        "{text}"
    );
    for expected in [
        format!("{UNSAFE_FILE}:8: rego_unsafe_var_error: var y is unsafe"),
        format!("{UNSAFE_FILE}:8: rego_unsafe_var_error: var z is unsafe"),
        format!("{UNSAFE_FILE}:11: rego_type_error: undefined function nosuchfn"),
    ] {
        assert!(text.contains(&expected), "{expected} in {text}");
    }
    assert!(text.ends_with("4 errors\n"), "{text}");
}

#[test]
fn json_errors_have_opas_shape() {
    let out = rego(&["check", "--format", "json", UNSAFE]);
    assert_code(&out, 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("stderr is JSON ({e}): {}", stderr(&out)));
    let errors = json["errors"].as_array().expect("an errors array");
    assert_eq!(errors.len(), 4);
    assert_eq!(
        errors[0],
        serde_json::json!({
            "message": "var x is unsafe",
            "code": "rego_unsafe_var_error",
            "location": {"file": UNSAFE_FILE, "row": 4, "col": 2}
        })
    );
    assert_eq!(errors[3]["code"], "rego_type_error");
}

#[test]
fn syntax_errors_exit_1_with_file_line_and_caret() {
    let out = rego(&["check", "testdata/cli/check/syntax"]);
    assert_code(&out, 1);
    let text = stderr(&out);
    assert!(
        text.starts_with(
            "testdata/cli/check/syntax/policy.rego:4: rego_parse_error: unexpected eof token\n"
        ),
        "{text}"
    );
    assert!(text.contains("^"), "{text}");

    let out = rego(&["check", "-f", "json", "testdata/cli/check/syntax"]);
    assert_code(&out, 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).expect("JSON");
    assert_eq!(json["errors"][0]["code"], "rego_parse_error");
    assert_eq!(json["errors"][0]["location"]["row"], 4);
}

#[test]
fn the_error_limit_cuts_the_list() {
    let out = rego(&["check", "-f", "json", "--max-errors", "2", UNSAFE]);
    assert_code(&out, 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).expect("JSON");
    let errors = json["errors"].as_array().expect("an errors array");
    assert_eq!(errors.len(), 3);
    assert_eq!(
        errors[2],
        serde_json::json!({"message": "error limit reached", "code": "rego_compile_error"})
    );
    let all = rego(&["check", "-f", "json", "-m", "0", UNSAFE]);
    let json: serde_json::Value = serde_json::from_slice(&all.stderr).expect("JSON");
    assert_eq!(json["errors"].as_array().map(Vec::len), Some(4));
}

#[test]
fn ignored_names_are_not_checked() {
    let out = rego(&["check", "testdata/cli/check", "--ignore", "unsafe,syntax"]);
    assert_code(&out, 0);
    let out = rego(&["check", "testdata/cli/check", "--ignore", "syntax"]);
    assert_code(&out, 1);
}

#[test]
fn a_missing_path_exits_1() {
    let out = rego(&["check", "testdata/cli/check/nowhere"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("testdata/cli/check/nowhere: no such file or directory"),
        "{}",
        stderr(&out)
    );
}
