//! Shared helpers for the criterion benches: locating and reading the shared workloads.
//!
//! A workload is a folder of `shared/bench/workloads/` holding `policy.rego`, `data.json`,
//! `input.json`, `query.txt` and `expected.json`. The folder of workloads is
//! `$REGO_BENCH_WORKLOADS` when set, otherwise `../../shared/bench/workloads` from this
//! package.
//!
//! ```no_run
//! let Some(w) = rego_benches::workload("parse") else {
//!     rego_benches::report_missing("parse");
//!     return;
//! };
//! assert!(w.policy.starts_with('#') || w.policy.contains("package"));
//! ```

pub mod manifests;

use std::path::{Path, PathBuf};

/// The environment variable that overrides where the workloads live.
pub const WORKLOADS_ENV: &str = "REGO_BENCH_WORKLOADS";

/// One benchmark workload, its files read as text.
#[derive(Clone, Debug)]
pub struct Workload {
    /// The workload's name (its folder name).
    pub name: String,
    /// The folder it was read from.
    pub dir: PathBuf,
    /// `policy.rego`: the module under test.
    pub policy: String,
    /// `data.json`: the base document.
    pub data: String,
    /// `input.json`: the input document.
    pub input: String,
    /// `query.txt`: the query to evaluate, as written (may end with a newline).
    pub query: String,
    /// `expected.json`: the query's expected result.
    pub expected: String,
}

/// The folder holding the workloads: `$REGO_BENCH_WORKLOADS`, or the shared folder beside
/// the repository.
pub fn workloads_dir() -> PathBuf {
    match std::env::var_os(WORKLOADS_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/workloads"),
    }
}

/// Reads the workload `name`; `None` when its folder does not exist.
///
/// # Panics
///
/// When the folder exists but one of its five files cannot be read: a half-present workload
/// is a broken checkout, not something to skip quietly.
pub fn workload(name: &str) -> Option<Workload> {
    let dir = workloads_dir().join(name);
    if !dir.is_dir() {
        return None;
    }
    let read = |file: &str| {
        let path = dir.join(file);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("workload {name}: cannot read {}: {e}", path.display()))
    };
    Some(Workload {
        name: name.to_string(),
        policy: read("policy.rego"),
        data: read("data.json"),
        input: read("input.json"),
        query: read("query.txt"),
        expected: read("expected.json"),
        dir,
    })
}

/// Prints a loud notice that the workload `name` was not found and its bench is skipped.
pub fn report_missing(name: &str) {
    eprintln!(
        "\n*** SKIPPED: bench workload {name:?} not found under {} (set {WORKLOADS_ENV}) ***\n",
        workloads_dir().display()
    );
}

/// A workload compiled once and its query prepared, ready to evaluate repeatedly.
pub struct Prepared {
    /// The compiled query.
    pub query: rego_eval::PreparedQuery,
    /// The parsed input.
    pub input: rego_eval::Value,
    /// The expected value of the query.
    pub expected: rego_eval::Value,
}

impl Workload {
    /// Compiles the policy with the standard builtins, loads data and input, prepares the
    /// query.
    ///
    /// # Panics
    /// When the workload does not compile: a bench of a broken policy measures nothing.
    pub fn prepare(&self) -> Prepared {
        let mut engine = rego_eval::Engine::with_registry(rego_builtins::standard());
        engine
            .add_module("policy.rego", &self.policy)
            .expect("policy parses");
        engine.add_data_json(&self.data).expect("data is JSON");
        let policy = engine.compile().expect("policy compiles");
        let query = policy.prepare(self.query.trim()).expect("query compiles");
        let input = rego_eval::Value::from_json_str(&self.input).expect("input is JSON");
        let expected = rego_eval::Value::from_json_str(&self.expected).expect("expected is JSON");
        let expected = expected
            .object_get_str("value")
            .cloned()
            .expect("expected.value");
        Prepared {
            query,
            input,
            expected,
        }
    }
}

impl Prepared {
    /// Evaluates the query once and returns its value (as JSON-shaped value: sets become
    /// arrays), or `None` when undefined.
    pub fn eval(&self) -> Option<rego_eval::Value> {
        let rows = self
            .query
            .eval(Some(&self.input), &rego_eval::EvalOptions::default())
            .expect("evaluation succeeds");
        rows.into_iter()
            .next()
            .and_then(|r| r.expressions.into_iter().next())
            .map(|e| e.value)
    }

    /// Whether a value equals the expected one, comparing in JSON form.
    pub fn matches(&self, got: &rego_eval::Value) -> bool {
        rego_eval::Value::from(got.to_serde_json()) == self.expected
    }
}
