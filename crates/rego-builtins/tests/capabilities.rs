//! Every non-deprecated builtin of OPA's capabilities.json is registered with OPA's arity, so
//! none can be forgotten.
//!
//! Reads `../shared/conformance/opa/capabilities.json` (or `$REGO_CONFORMANCE_DIR`); when it is
//! absent the test says so loudly and passes.

use std::path::{Path, PathBuf};

/// Builtins the evaluator implements itself (operators, `print`, `walk`, metadata): they are
/// resolved by the compiler, not looked up in the registry.
const EVALUATOR_BUILTINS: &[&str] = &[
    "assign",
    "eq",
    "internal.member_2",
    "internal.member_3",
    "print",
    "internal.print",
    "walk",
    "trace",
    "rego.metadata.rule",
    "rego.metadata.chain",
];

fn capabilities() -> Option<PathBuf> {
    let dir = match std::env::var_os("REGO_CONFORMANCE_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/opa"),
    };
    let file = dir.join("capabilities.json");
    file.is_file().then_some(file)
}

#[test]
fn every_capabilities_builtin_is_registered_with_its_arity() {
    let Some(file) = capabilities() else {
        eprintln!("\n*** SKIPPED: capabilities.json not found (set REGO_CONFORMANCE_DIR) ***\n");
        return;
    };
    let caps: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("readable")).expect("JSON");
    let registry = rego_builtins::standard();
    let mut problems = Vec::new();
    let mut checked = 0;
    for b in caps["builtins"].as_array().expect("builtins") {
        let name = b["name"].as_str().expect("name");
        if b["deprecated"].as_bool().unwrap_or(false) || EVALUATOR_BUILTINS.contains(&name) {
            continue;
        }
        let arity = b["decl"]["args"].as_array().map_or(0, Vec::len);
        checked += 1;
        match registry.get(name) {
            None => problems.push(format!("{name}/{arity} is not registered")),
            Some(found) if found.arity() != arity => problems.push(format!(
                "{name} takes {} arguments, OPA's takes {arity}",
                found.arity()
            )),
            Some(_) => {}
        }
    }
    assert!(checked > 180, "only {checked} builtins checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
