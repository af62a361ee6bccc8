//! `rego parse` and `rego version` end to end, through the real binary.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;

/// A scratch file under cargo's per-test temporary folder.
fn scratch(name: &str, bytes: &[u8]) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).expect("scratch file is writable");
    path.display().to_string()
}

const HELLO: &str = "examples/hello/policy.rego";

#[test]
fn one_file_prints_its_module_as_json() {
    let out = rego(&["parse", HELLO]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["package"]["path"][0]["name"], "hello");
    assert_eq!(json["rules"].as_array().map(Vec::len), Some(4));
    assert_eq!(json["rules"][0]["is_default"], true);
    assert_eq!(json["rules"][0]["head"]["kind"]["type"], "value");
    assert_eq!(json["rules"][0]["span"]["file"], 0);
}

#[test]
fn default_format_is_json() {
    assert_eq!(
        rego(&["parse", HELLO]).stdout,
        rego(&["parse", "--format", "json", HELLO]).stdout
    );
}

#[test]
fn several_files_print_an_array_of_file_and_module() {
    let other = scratch("other.rego", b"package other\n\nx := 1\n");
    let out = rego(&["parse", HELLO, &other]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let entries = json.as_array().expect("an array");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["file"], HELLO);
    assert_eq!(entries[1]["file"], other.as_str());
    assert_eq!(entries[1]["module"]["package"]["path"][0]["name"], "other");
    // Spans name files by their position on the command line.
    assert_eq!(entries[1]["module"]["rules"][0]["span"]["file"], 1);
}

#[test]
fn pretty_prints_an_outline() {
    let out = rego(&["parse", "--format", "pretty", HELLO]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("module {HELLO}\n  package hello\n")),
        "{text}"
    );
    assert!(
        text.contains("\n  rule deny (multi-value)\n    contains msg\n    body\n"),
        "{text}"
    );
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = rego(&["parse", "no/such/file.rego"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out),
        "error: no/such/file.rego: no such file or directory\n"
    );
}

#[test]
fn directory_is_a_clear_error() {
    let out = rego(&["parse", "examples"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: examples: is a directory\n");
}

#[test]
fn bad_utf8_names_the_file_and_the_byte() {
    let path = scratch("latin1.rego", b"package p\n\nname := \"caf\xe9\"\n");
    let out = rego(&["parse", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out),
        format!(
            "error: {path}: not valid UTF-8 (invalid byte 0xe9 at line 3, column 13); \
             Rego source must be UTF-8\n"
        )
    );
}

#[test]
fn empty_file_is_the_parsers_empty_module_error() {
    let path = scratch("empty.rego", b"");
    let out = rego(&["parse", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("{path}:1: rego_parse_error: empty module\n")
    );
}

#[test]
fn errors_of_every_file_are_reported_then_counted() {
    let bad = scratch("bad.rego", b"package bad\n\np {\n}\n");
    let out = rego(&["parse", "missing.rego", HELLO, &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no output when any file fails");
    let text = stderr(&out);
    assert!(
        text.starts_with("error: missing.rego: no such file or directory\n\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{bad}:3: rego_parse_error: unexpected {{ token\n")),
        "{text}"
    );
    assert!(text.ends_with("\n\n2 errors\n"), "{text}");
}

#[test]
fn no_color_when_stderr_is_not_a_terminal() {
    let bad = scratch("color.rego", b"package p\n\np := }\n");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rego"));
    cmd.args(["parse", &bad]).env_remove("NO_COLOR");
    let out = cmd.output().expect("runs");
    assert!(!out.stderr.contains(&0x1b), "{}", stderr(&out));
}

#[test]
fn parse_needs_a_file() {
    let out = rego(&["parse"]);
    assert_eq!(out.status.code(), Some(1), "usage errors exit 1");
    assert!(stderr(&out).contains("FILE"), "{}", stderr(&out));
}

#[test]
fn unknown_format_is_refused() {
    let out = rego(&["parse", "--format", "yaml", HELLO]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("possible values: json, pretty"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn version_names_the_crate_version() {
    let out = rego(&["version"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("Version: {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("Rego Version: v1\n"), "{text}");
}
