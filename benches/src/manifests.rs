//! The `manifests` workload as `rego validate` runs it: 1,000 Kubernetes manifests from one
//! multi-document YAML file, each checked on its own against the policy's `deny` rules.

use rayon::prelude::*;
use rego_cli::inputs::{self, Format};
use rego_cli::validate::check::{Checker, Namespaces};
use rego_eval::{EvalOptions, Value};

/// The workload ready to check: the checker (policy compiled once) and the parsed manifests.
pub struct Manifests {
    /// The compiled policy's `deny` rules in `kubernetes.manifests`.
    pub checker: Checker,
    /// Every manifest of `manifests.yaml`, in file order.
    pub manifests: Vec<Value>,
    /// `expected.json`'s `per_manifest`: the sorted deny messages of each manifest.
    pub expected: Vec<Vec<String>>,
    /// The text of `manifests.yaml`, to measure parsing.
    pub yaml: String,
}

/// Reads and prepares the workload; `None` when its folder is absent.
///
/// # Panics
/// When the workload is present but broken (does not parse or compile).
pub fn prepare() -> Option<Manifests> {
    let w = crate::workload("manifests")?;
    let yaml = std::fs::read_to_string(w.dir.join("manifests.yaml")).expect("manifests.yaml");
    let parsed = inputs::parse("manifests.yaml", &yaml, Format::Yaml).expect("YAML parses");
    let manifests = parsed.as_array().expect("several documents").to_vec();
    let mut engine = rego_builtins::engine();
    engine
        .add_module("policy.rego", &w.policy)
        .expect("policy parses");
    engine.add_data_json(&w.data).expect("data is JSON");
    let policy = engine.compile().expect("policy compiles");
    let checker = Checker::new(
        &engine,
        &policy,
        &Namespaces::Named(vec!["kubernetes.manifests".into()]),
        EvalOptions::default(),
    )
    .expect("the namespace has deny rules");
    let expected: serde_json::Value = serde_json::from_str(&w.expected).expect("expected.json");
    let expected = expected["per_manifest"]
        .as_array()
        .expect("per_manifest")
        .iter()
        .map(|messages| {
            messages
                .as_array()
                .expect("messages")
                .iter()
                .map(|m| m.as_str().expect("message").to_string())
                .collect()
        })
        .collect();
    Some(Manifests {
        checker,
        manifests,
        expected,
        yaml,
    })
}

impl Manifests {
    /// Checks every manifest on this thread; returns the number of failures.
    pub fn check_serial(&self) -> usize {
        self.manifests
            .iter()
            .map(|m| failures(&self.checker, m).len())
            .sum()
    }

    /// Checks every manifest on rayon's pool; returns the number of failures.
    pub fn check_parallel(&self) -> usize {
        self.manifests
            .par_iter()
            .map(|m| failures(&self.checker, m).len())
            .sum()
    }

    /// Compares each manifest's sorted failure messages with `expected.json`; the first
    /// difference, if any.
    pub fn verify(&self) -> Result<(), String> {
        if self.manifests.len() != self.expected.len() {
            return Err(format!(
                "{} manifests, {} expected results",
                self.manifests.len(),
                self.expected.len()
            ));
        }
        for (i, (manifest, expected)) in self.manifests.iter().zip(&self.expected).enumerate() {
            let mut got = failures(&self.checker, manifest);
            got.sort();
            if &got != expected {
                return Err(format!("manifest {i}: got {got:?}, expected {expected:?}"));
            }
        }
        Ok(())
    }
}

/// The failure messages of one manifest.
fn failures(checker: &Checker, manifest: &Value) -> Vec<String> {
    checker
        .check("manifests.yaml", manifest)
        .into_iter()
        .flat_map(|r| r.failures.into_iter().map(|f| f.msg))
        .collect()
}
