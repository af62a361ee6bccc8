//! Golden tests for `rego parse`: every `testdata/syntax/errors/NAME.rego` fails with exit code 1
//! and exactly the stderr in `NAME.stderr`; every `testdata/syntax/ok/NAME.rego` succeeds with
//! the outline in `NAME.pretty`. Run with `REGO_BLESS=1` to rewrite the golden files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn testdata(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/syntax")
        .join(dir)
}

fn bless() -> bool {
    std::env::var_os("REGO_BLESS").is_some_and(|v| v == "1")
}

/// The `.rego` files of a folder, sorted by name.
fn rego_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".rego"))
        .collect();
    names.sort();
    names
}

/// Runs `rego parse ARGS NAME` inside `dir` (so file names in messages are bare), without color.
fn rego_parse(dir: &Path, args: &[&str], name: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rego"))
        .current_dir(dir)
        .arg("parse")
        .args(args)
        .arg(name)
        .env("NO_COLOR", "1")
        .output()
        .expect("the rego binary runs")
}

/// Compares `actual` with the golden file (or rewrites it when blessing); returns a failure.
fn check(golden: &Path, actual: &str) -> Option<String> {
    if bless() {
        std::fs::write(golden, actual).expect("golden file is writable");
        return None;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "{}: output differs\n--- expected\n{expected}--- actual\n{actual}",
            golden.display()
        )
    })
}

/// Runs every case of `dir`, collecting failures so one run shows them all.
fn run_cases(dir: &str, args: &[&str], ext: &str, expect_success: bool) -> usize {
    let dir = testdata(dir);
    let names = rego_files(&dir);
    let mut failures = Vec::new();
    for name in &names {
        let output = rego_parse(&dir, args, name);
        let (golden_text, other) = if expect_success {
            (&output.stdout, &output.stderr)
        } else {
            (&output.stderr, &output.stdout)
        };
        let text = String::from_utf8_lossy(golden_text);
        let want = if expect_success { 0 } else { 1 };
        if output.status.code() != Some(want) {
            failures.push(format!(
                "{name}: exit {:?}, want {want}\n{text}",
                output.status
            ));
        }
        if !other.is_empty() {
            failures.push(format!("{name}: unexpected output on the other stream"));
        }
        let golden = dir.join(name.replace(".rego", ext));
        failures.extend(check(&golden, &text));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    names.len()
}

#[test]
fn error_goldens() {
    let count = run_cases("errors", &[], ".stderr", false);
    assert!(count >= 60, "only {count} error cases");
}

#[test]
fn pretty_goldens() {
    let count = run_cases("ok", &["--format", "pretty"], ".pretty", true);
    assert!(count > 0, "no ok cases");
}

#[test]
fn every_golden_has_its_case() {
    for (dir, ext) in [("errors", "stderr"), ("ok", "pretty")] {
        let dir = testdata(dir);
        for entry in std::fs::read_dir(&dir).expect("testdata folder").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == ext) {
                let case = path.with_extension("rego");
                assert!(
                    case.exists(),
                    "{} has no {}",
                    path.display(),
                    case.display()
                );
            }
        }
    }
}
