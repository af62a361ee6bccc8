//! `rego eval` end to end, through the real binary: formats, exit codes, data loading, input
//! from files and stdin, and errors in OPA's JSON shape.

mod common;
use common::*;

use std::path::Path;
use std::process::Output;

/// A fresh scratch folder under cargo's per-test temporary folder, filled with `files`
/// (relative path, contents); returns its path.
fn scratch(name: &str, files: &[(&str, &str)]) -> String {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("eval")
        .join(name);
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder is creatable");
        std::fs::write(&path, text).expect("scratch file is writable");
    }
    std::fs::create_dir_all(&root).expect("folder is creatable");
    root.display().to_string()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", stdout(o)))
}

const HELLO: &str = "examples/hello";
const HELLO_INPUT: &str = "examples/hello/input.json";

#[test]
fn json_format_has_opas_shape() {
    let out = rego(&["eval", "-d", HELLO, "-i", HELLO_INPUT, "data.hello.allow"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        r#"{
  "result": [
    {
      "expressions": [
        {
          "value": true,
          "text": "data.hello.allow",
          "location": {
            "row": 1,
            "col": 1
          }
        }
      ]
    }
  ]
}
"#
    );
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn json_format_lists_bindings_and_prints_sets_as_arrays() {
    let out = rego(&["eval", "x := {3, 1, 2}; y := x[_]"]);
    assert_code(&out, 0);
    let j = json(&out);
    let results = j["result"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["bindings"]["x"], serde_json::json!([1, 2, 3]));
    assert_eq!(results[0]["bindings"]["y"], 1);
    assert_eq!(results[0]["expressions"][0]["value"], true);
    assert_eq!(results[0]["expressions"][1]["text"], "y := x[_]");
    assert_eq!(
        results[0]["expressions"][1]["location"],
        serde_json::json!({"row": 1, "col": 17})
    );
}

#[test]
fn undefined_prints_an_empty_object() {
    let out = rego(&["eval", "-d", HELLO, "data.hello.nothing"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "{}\n");
}

#[test]
fn html_characters_are_escaped_as_opa_does() {
    let out = rego(&["eval", "-f", "values", r#""<a & b>""#]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "[\n  \"\\u003ca \\u0026 b\\u003e\"\n]\n");
}

#[test]
fn values_format_prints_one_array_per_result() {
    let out = rego(&["eval", "--format", "values", "x := [1, 2][_]; x + 10"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "[\n  true,\n  11\n]\n[\n  true,\n  12\n]\n");
}

#[test]
fn bindings_format_prints_one_object_per_result() {
    let out = rego(&["eval", "--format", "bindings", "x := [1, 2][_]; y := \"s\""]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "{\n  \"x\": 1,\n  \"y\": \"s\"\n}\n{\n  \"x\": 2,\n  \"y\": \"s\"\n}\n"
    );
}

#[test]
fn raw_format_unquotes_strings() {
    let out = rego(&[
        "eval",
        "--format",
        "raw",
        r#"x := ["a", "b"][_]; y := {"k": x}"#,
    ]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "true true\ntrue true\n");
    let out = rego(&[
        "eval",
        "-f",
        "raw",
        "-d",
        HELLO,
        "-i",
        HELLO_INPUT,
        "data.hello.greeting",
    ]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "hello, alice!\n");
    let out = rego(&["eval", "-f", "raw", r#"["a", {"k": 1}][_]"#]);
    assert_eq!(stdout(&out), "a\n{\"k\":1}\n");
    let out = rego(&["eval", "-f", "raw", "false; true"]);
    assert_eq!(stdout(&out), "", "undefined prints nothing");
}

#[test]
fn pretty_format_prints_values_or_a_table() {
    let out = rego(&[
        "eval",
        "-f",
        "pretty",
        "-d",
        HELLO,
        "-i",
        HELLO_INPUT,
        "data.hello",
    ]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "{\n  \"allow\": true,\n  \"deny\": [],\n  \"greeting\": \"hello, alice!\"\n}\n"
    );
    let out = rego(&["eval", "-f", "pretty", r#"x := ["a", "bb"][_]; y := 1"#]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "┌──────┬───┐\n│  x   │ y │\n├──────┼───┤\n│ \"a\"  │ 1 │\n│ \"bb\" │ 1 │\n└──────┴───┘\n"
    );
    let out = rego(&["eval", "-f", "pretty", "x := 1; x > 1"]);
    assert_eq!(stdout(&out), "undefined\n");
}

#[test]
fn fail_exits_1_when_undefined() {
    let undefined = rego(&["eval", "--fail", "-d", HELLO, "data.hello.nothing"]);
    assert_code(&undefined, 1);
    assert_eq!(stdout(&undefined), "{}\n");
    let defined = rego(&[
        "eval",
        "--fail",
        "-d",
        HELLO,
        "-i",
        HELLO_INPUT,
        "data.hello.allow",
    ]);
    assert_code(&defined, 0);
}

/// OPA captures the value of a query made of one expression without iteration, so a `false`
/// value is a result, not a failure (`rewriteQueryToCaptureValue` in OPA's rego package).
#[test]
fn a_lone_false_expression_is_a_result() {
    let falsy = rego(&["eval", "--fail", "-d", HELLO, "data.hello.allow"]);
    assert_code(&falsy, 0);
    assert!(
        stdout(&falsy).contains("\"value\": false"),
        "{}",
        stdout(&falsy)
    );
    let out = rego(&["eval", "-f", "raw", "1 > 2"]);
    assert_eq!(stdout(&out), "false\n");
}

#[test]
fn fail_defined_exits_1_when_defined() {
    let none = rego(&[
        "eval",
        "--fail-defined",
        "-f",
        "raw",
        "-d",
        HELLO,
        "-i",
        HELLO_INPUT,
        "data.hello.deny[msg]",
    ]);
    assert_code(&none, 0);
    assert_eq!(stdout(&none), "");
    let deny = rego_stdin(
        &[
            "eval",
            "--fail-defined",
            "-f",
            "raw",
            "-d",
            HELLO,
            "-I",
            "data.hello.deny[msg]",
        ],
        r#"{"user": "mallory"}"#,
    );
    assert_code(&deny, 1);
    assert_eq!(stdout(&deny), "unknown user \"mallory\"\n");
}

#[test]
fn fail_and_fail_defined_together_are_a_usage_error() {
    let out = rego(&["eval", "--fail", "--fail-defined", "true"]);
    assert_code(&out, 2);
}

#[test]
fn data_directories_mount_files_by_their_folder() {
    let root = scratch(
        "nested",
        &[
            ("top.json", r#"{"top": true}"#),
            ("x/y/data.json", r#"{"a": 1}"#),
            ("x/more.yaml", "b:\n  c: [1, 2]\n"),
            ("notes.txt", "ignored"),
            (
                "policy/p.rego",
                "package x.y\n\nsum := data.x.y.a + count(data.x.b.c)\n",
            ),
        ],
    );
    let out = rego(&[
        "eval",
        "-f",
        "values",
        "-d",
        &root,
        "data.x.y.sum; data.top; data.x.b",
    ]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "[\n  3,\n  true,\n  {\n    \"c\": [\n      1,\n      2\n    ]\n  }\n]\n"
    );
}

#[test]
fn a_data_file_named_directly_is_mounted_at_the_root() {
    let root = scratch("direct", &[("sub/d.json", r#"{"k": "v"}"#)]);
    let file = format!("{root}/sub/d.json");
    let out = rego(&["eval", "-f", "raw", "-d", &file, "data.k"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "v\n");
}

#[test]
fn a_file_reached_twice_is_loaded_once() {
    let root = scratch(
        "twice",
        &[
            ("p.rego", "package p\n\nx := 1\n"),
            ("d.json", r#"{"k": 1}"#),
        ],
    );
    let policy = format!("{root}/p.rego");
    let data = format!("{root}/d.json");
    let out = rego(&[
        "eval", "-f", "raw", "-d", &root, "-d", &policy, "-d", &data, "-d", &data, "data.p.x",
    ]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "1\n");
}

#[test]
fn conflicting_data_is_an_error_naming_the_file() {
    let root = scratch(
        "conflict",
        &[("a/one.json", r#"{"k": 1}"#), ("a/two.json", r#"{"k": 2}"#)],
    );
    let out = rego(&["eval", "-d", &root, "data"]);
    assert_code(&out, 2);
    let message = json(&out)["errors"][0]["message"].clone();
    assert_eq!(
        message,
        format!("{root}/a/two.json: merge error: conflicting data at data.a.k")
    );
}

#[test]
fn broken_json_data_names_the_file_and_line() {
    let root = scratch(
        "badjson",
        &[("d/data.json", "{\n  \"a\": 1,\n  \"b\": tru\n}\n")],
    );
    let out = rego(&["eval", "-d", &root, "data"]);
    assert_code(&out, 2);
    let message = json(&out)["errors"][0]["message"].clone();
    let message = message.as_str().expect("a message");
    assert!(
        message.starts_with(&format!("{root}/d/data.json:3:")),
        "{message}"
    );
    assert!(message.contains("invalid JSON"), "{message}");
    let pretty = rego(&["eval", "-f", "pretty", "-d", &root, "data"]);
    assert_code(&pretty, 2);
    assert!(pretty.stdout.is_empty());
    assert!(
        stderr(&pretty).starts_with(&format!("error: {root}/d/data.json:3:")),
        "{}",
        stderr(&pretty)
    );
}

#[test]
fn broken_yaml_data_names_the_file_and_line() {
    let root = scratch("badyaml", &[("d.yaml", "a: 1\nb: [1,\n")]);
    let out = rego(&["eval", "-d", &root, "data"]);
    assert_code(&out, 2);
    let message = json(&out)["errors"][0]["message"].clone();
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.starts_with(&format!("{root}/d.yaml:")) && m.contains("YAML")),
        "{message}"
    );
}

#[test]
fn missing_files_are_errors() {
    let out = rego(&["eval", "-d", "no/such/dir", "data"]);
    assert_code(&out, 2);
    assert_eq!(
        json(&out)["errors"][0]["message"],
        "no/such/dir: no such file or directory"
    );
    let out = rego(&["eval", "-i", "no/such/input.json", "input"]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: unable to parse input: no/such/input.json: no such file or directory\n"
    );
}

#[test]
fn broken_policy_is_exit_2_with_file_and_row() {
    let root = scratch(
        "badpolicy",
        &[("p.rego", "package p\n\nallow if {\n  x := 1 +\n}\n")],
    );
    let out = rego(&["eval", "-d", &root, "data.p.allow"]);
    assert_code(&out, 2);
    let error = &json(&out)["errors"][0];
    assert_eq!(error["code"], "rego_parse_error");
    assert_eq!(error["location"]["file"], format!("{root}/p.rego"));
    assert_eq!(error["location"]["row"], 5);
    let pretty = rego(&["eval", "-f", "pretty", "-d", &root, "data.p.allow"]);
    assert_code(&pretty, 2);
    let text = stderr(&pretty);
    assert!(
        text.starts_with(&format!("{root}/p.rego:5: rego_parse_error: ")),
        "{text}"
    );
    assert!(text.contains("5 | }\n  | ^\n"), "{text}");
}

#[test]
fn compile_errors_show_the_source_line() {
    let root = scratch(
        "unsafe",
        &[("p.rego", "package p\n\nallow if {\n  y == 2\n}\n")],
    );
    let out = rego(&["eval", "-f", "pretty", "-d", &root, "data.p.allow"]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!(
            "{root}/p.rego:4: rego_unsafe_var_error: var y is unsafe\n  |\n4 |   y == 2\n  |   ^^^^^^\n"
        )
    );
    let out = rego(&["eval", "-d", &root, "data.p.allow"]);
    assert_code(&out, 2);
    assert_eq!(
        json(&out),
        serde_json::json!({"errors": [{
            "message": "var y is unsafe",
            "code": "rego_unsafe_var_error",
            "location": {"file": format!("{root}/p.rego"), "row": 4, "col": 3}
        }]})
    );
}

#[test]
fn query_errors_have_an_empty_file_name() {
    let out = rego(&["eval", "x := 1 +"]);
    assert_code(&out, 2);
    let error = &json(&out)["errors"][0];
    assert_eq!(error["code"], "rego_parse_error");
    assert_eq!(error["location"]["file"], "");
    assert_eq!(error["location"]["row"], 1);
    let out = rego(&["eval", "-f", "raw", "x := 1 +"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).starts_with("<query>:1: rego_parse_error:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn conflicts_are_eval_errors_in_json_shape() {
    let root = scratch(
        "evalconflict",
        &[(
            "p.rego",
            "package p\n\nx = 1 if input.a\n\nx = 2 if input.b\n",
        )],
    );
    let out = rego_stdin(
        &["eval", "-d", &root, "-I", "data.p.x"],
        r#"{"a": 1, "b": 1}"#,
    );
    assert_code(&out, 2);
    let error = &json(&out)["errors"][0];
    assert_eq!(error["code"], "eval_conflict_error");
    assert_eq!(
        error["message"],
        "complete rules must not produce multiple outputs"
    );
    assert_eq!(error["location"]["file"], format!("{root}/p.rego"));
    assert!(error["location"]["row"].as_u64().is_some(), "{error}");
    let pretty = rego_stdin(
        &["eval", "-f", "pretty", "-d", &root, "-I", "data.p.x"],
        r#"{"a": 1, "b": 1}"#,
    );
    assert_code(&pretty, 2);
    assert!(
        stderr(&pretty).contains(": eval_conflict_error: complete rules must not produce"),
        "{}",
        stderr(&pretty)
    );
}

#[test]
fn input_comes_from_stdin_as_json_or_yaml() {
    let out = rego_stdin(
        &["eval", "-f", "raw", "-I", "input.user"],
        r#"{"user": "bob"}"#,
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "bob\n");
    let out = rego_stdin(&["eval", "-f", "raw", "-I", "input.user"], "user: carol\n");
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "carol\n");
    let out = rego_stdin(&["eval", "-I", "input"], "{\"user\": ");
    assert_code(&out, 2);
    assert!(
        stderr(&out).starts_with("error: unable to parse input: <stdin>:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn yaml_input_files_are_read_by_extension() {
    let root = scratch("yamlinput", &[("in.yml", "roles:\n  - admin\n")]);
    let input = format!("{root}/in.yml");
    let out = rego(&["eval", "-f", "raw", "-i", &input, "input.roles[0]"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "admin\n");
}

#[test]
fn query_comes_from_stdin_with_dash_dash_stdin() {
    let out = rego_stdin(&["eval", "--stdin", "-f", "raw"], "x := 6 * 7\nx");
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "true 42\n");
}

#[test]
fn print_goes_to_stderr() {
    let out = rego(&["eval", "-f", "raw", r#"print("hello", 1); true"#]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "true true\n");
    assert_eq!(stderr(&out), "hello 1\n");
}

#[test]
fn builtin_errors_are_undefined_unless_strict() {
    let lenient = rego(&["eval", r#"to_number("x")"#]);
    assert_code(&lenient, 0);
    assert_eq!(stdout(&lenient), "{}\n");
    let strict = rego(&["eval", "--strict-builtin-errors", r#"to_number("x")"#]);
    assert_code(&strict, 2);
    let error = &json(&strict)["errors"][0];
    assert_eq!(error["code"], "eval_builtin_error");
    assert_eq!(error["location"]["file"], "");
    let strict = rego(&["eval", "--strict-builtin-errors", "1 / 0"]);
    assert_code(&strict, 2);
    assert_eq!(json(&strict)["errors"][0]["message"], "div: divide by zero");
}

/// In OPA a division by zero is a builtin error like any other: undefined unless strict.
#[test]
fn division_by_zero_is_undefined_unless_strict() {
    let lenient = rego(&["eval", "1 / 0"]);
    assert_code(&lenient, 0);
    assert_eq!(stdout(&lenient), "{}\n");
}

#[test]
fn timeout_cancels_evaluation() {
    let out = rego(&[
        "eval",
        "--timeout",
        "1ms",
        "count([x | some x in numbers.range(1, 3000000); x > 0])",
    ]);
    assert_code(&out, 2);
    assert_eq!(json(&out)["errors"][0]["code"], "eval_cancel_error");
    let bad = rego(&["eval", "--timeout", "soon", "true"]);
    assert_code(&bad, 2);
}

#[test]
fn bad_flags_are_usage_errors() {
    assert_code(&rego(&["eval", "--format", "yaml", "true"]), 2);
    assert_code(&rego(&["eval"]), 2);
    assert_code(&rego(&["eval", "-i", "a.json", "-I", "input"]), 2);
}
