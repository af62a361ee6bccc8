//! `rego conformance DIR...`: runs OPA-format test cases and reports pass counts per folder.

use crate::conformance::{self, Outcome};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `rego conformance`.
#[derive(clap::Args)]
pub struct Args {
    /// Case files or folders (JSON or YAML, OPA's case schema).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Only cases whose id or note contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Write each case's outcome and reason to this JSON file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Print every failing case with its reason.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Runs the cases; exit 0 when all pass, 1 otherwise, 2 when the cases can't be read.
pub fn run(args: &Args) -> ExitCode {
    let cases = match conformance::load_cases(&args.paths) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let registry = conformance::registry();
    let mut per_folder: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut report = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for case in &cases {
        if let Some(f) = &args.filter {
            if !case.id.contains(f.as_str()) && !case.note.contains(f.as_str()) {
                continue;
            }
        }
        let outcome = conformance::run_case(case, &registry);
        let entry = per_folder.entry(case.folder.clone()).or_default();
        match &outcome {
            Outcome::Pass => {
                passed += 1;
                entry.0 += 1;
            }
            Outcome::Fail(why) => {
                failed += 1;
                entry.1 += 1;
                if args.verbose {
                    println!("FAIL {} ({}): {why}", case.id, case.note);
                }
            }
        }
        report.push(serde_json::json!({
            "id": case.id,
            "note": case.note,
            "pass": outcome == Outcome::Pass,
            "reason": match &outcome { Outcome::Pass => None, Outcome::Fail(w) => Some(w.clone()) },
        }));
    }
    for (folder, (p, f)) in &per_folder {
        println!("{folder}: {p}/{}", p + f);
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
