//! The OPA v1 conformance suite as a ratchet: every case listed in
//! `testdata/conformance/passing.txt` must still pass.
//!
//! Cases are read from `../shared/conformance/opa/v1-json` (or `$REGO_CONFORMANCE_DIR`); when
//! they are absent the test says so loudly and passes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn suite_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("REGO_CONFORMANCE_DIR") {
        Some(d) => PathBuf::from(d),
        None => repo_root().join("../shared/conformance/opa"),
    };
    let v1 = dir.join("v1-json");
    v1.is_dir().then_some(v1)
}

#[test]
fn listed_conformance_cases_still_pass() {
    let Some(dir) = suite_dir() else {
        eprintln!(
            "\n*** SKIPPED: OPA conformance cases not found (set REGO_CONFORMANCE_DIR or place \
             them at ../shared/conformance/opa) ***\n"
        );
        return;
    };
    let out = std::env::temp_dir().join(format!("rego-conformance-{}.json", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_rego"))
        .arg("conformance")
        .arg(&dir)
        .arg("--json")
        .arg(&out)
        .output()
        .expect("rego runs");
    let summary = String::from_utf8_lossy(&status.stdout);
    eprintln!("{}", summary.lines().last().unwrap_or(""));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("report written"))
            .expect("report is JSON");
    let _ = std::fs::remove_file(&out);
    let outcomes: HashMap<&str, (bool, &str)> = report
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or(""),
                (
                    c["pass"].as_bool().unwrap_or(false),
                    c["reason"].as_str().unwrap_or(""),
                ),
            )
        })
        .collect();
    assert!(
        outcomes.len() > 2000,
        "expected the whole suite, ran {}",
        outcomes.len()
    );
    let listed = std::fs::read_to_string(repo_root().join("testdata/conformance/passing.txt"))
        .expect("pass list");
    let mut regressions = Vec::new();
    let mut count = 0;
    for id in listed
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        count += 1;
        match outcomes.get(id) {
            Some((true, _)) => {}
            Some((false, why)) => regressions.push(format!("{id}: {why}")),
            None => regressions.push(format!("{id}: no longer in the suite")),
        }
    }
    assert!(count > 2000, "the pass list holds only {count} cases");
    assert!(
        regressions.is_empty(),
        "{} listed cases fail:\n{}",
        regressions.len(),
        regressions.join("\n")
    );
}
