//! Rendering check results: conftest's line format (`stdout`), `json`, `tap`, `table`,
//! `junit`, `github` (workflow commands) and `sarif`.

mod json;
mod junit;
mod table;
mod tap;
mod text;

use super::report::CheckResult;
use clap::ValueEnum;

/// An output format of `rego validate --output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// `FAIL - file - namespace - message` lines and a summary.
    Stdout,
    /// A JSON array with one object per file and namespace.
    Json,
    /// The Test Anything Protocol.
    Tap,
    /// A table of every result.
    Table,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations on the files).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Colour the line format (only ever set for a terminal).
    pub color: bool,
    /// Warnings count as failures (`--fail-on-warn`).
    pub fail_on_warn: bool,
}

/// Renders `results` in `format`.
pub fn render(format: OutputFormat, results: &[CheckResult], options: RenderOptions) -> String {
    match format {
        OutputFormat::Stdout => text::stdout(results, options.color),
        OutputFormat::Github => text::github(results),
        OutputFormat::Json => json::json(results),
        OutputFormat::Sarif => json::sarif(results),
        OutputFormat::Tap => tap::tap(results, options.fail_on_warn),
        OutputFormat::Table => table::table(results),
        OutputFormat::Junit => junit::junit(results, options.fail_on_warn),
    }
}

#[cfg(test)]
pub(crate) mod samples {
    //! Results shared by the renderers' tests.
    use super::super::report::{CheckResult, Finding};

    /// A failing pod with a warning and an exception, and a passing service.
    pub fn results() -> Vec<CheckResult> {
        let mut excused = Finding::new("runs as root", "data.main.deny_root");
        excused
            .metadata
            .insert("exception".into(), serde_json::json!("root"));
        vec![
            CheckResult {
                filename: "manifests/pod.yaml".into(),
                namespace: "main".into(),
                successes: 1,
                passed: vec!["data.main.violation".into()],
                failures: vec![Finding::new(
                    "container nginx uses latest tag <&\"'>",
                    "data.main.deny",
                )],
                warnings: vec![Finding::new("no owner label", "data.main.warn")],
                exceptions: vec![excused],
                ..CheckResult::default()
            },
            CheckResult {
                filename: "manifests/svc.yaml".into(),
                namespace: "main".into(),
                successes: 3,
                passed: vec![
                    "data.main.deny".into(),
                    "data.main.deny_root".into(),
                    "data.main.warn".into(),
                ],
                ..CheckResult::default()
            },
        ]
    }
}
