//! Every module and query of OPA's v1 conformance cases parses.
//!
//! The cases are read from `../shared/conformance/opa/v1-json` (or `$REGO_CONFORMANCE_DIR`);
//! when the folder is absent the test says so loudly and passes.

use rego_syntax::{SourceMap, parse_module, parse_query};
use std::path::{Path, PathBuf};

fn conformance_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("REGO_CONFORMANCE_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/opa"),
    };
    dir.join("v1-json").is_dir().then(|| dir.join("v1-json"))
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_conformance_module_and_query_parses() {
    let Some(dir) = conformance_dir() else {
        eprintln!(
            "\n*** SKIPPED: OPA conformance cases not found (set REGO_CONFORMANCE_DIR or \
             place them at ../shared/conformance/opa) ***\n"
        );
        return;
    };
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    assert!(
        files.len() > 1000,
        "expected the whole suite, found {} files",
        files.len()
    );
    let mut failures = Vec::new();
    let mut modules = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        for case in doc["cases"].as_array().expect("cases") {
            let note = case["note"].as_str().unwrap_or("?");
            let mut sources = SourceMap::new();
            for (i, m) in case["modules"].as_array().into_iter().flatten().enumerate() {
                let file = sources.add(&format!("test-{i}.rego"), m.as_str().expect("module text"));
                modules += 1;
                if let Err(e) = parse_module(&sources, file) {
                    failures.push(format!("{note}: {e}"));
                }
            }
            if let Some(q) = case["query"].as_str() {
                let file = sources.add("query.rego", q);
                if let Err(e) = parse_query(&sources, file) {
                    failures.push(format!("{note} (query {q:?}): {e}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {modules} modules/queries failed to parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
