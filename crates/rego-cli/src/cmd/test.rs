//! `rego test [flags] PATH...`: run the Rego tests found in policy files, as `opa test` does.
//!
//! Paths load as `rego eval -d` loads them: `.rego` modules, and `.json`/`.yaml` data mounted
//! by directory. A test is a rule whose name starts with `test_` (`todo_test_` marks one to
//! skip); it passes when its value is `true` (see [`crate::testing`]).
//!
//! Exit codes, as OPA's: 0 when every test passed (or none was found; see
//! `--fail-on-empty`); 2 when a test failed, errored, or was skipped (unless
//! `--exit-zero-on-skipped`); 1 when files could not be loaded, parsed or compiled (errors on
//! stderr with the source line and a caret), `--run` is not a valid regular expression, the
//! JUnit report could not be written, or no test ran with `--fail-on-empty`.

mod json;
mod junit;
mod pretty;

use crate::diagnostics::{self, Reported};
use crate::load::LoadOptions;
use crate::policy;
use crate::render::{self, Style};
use crate::testing::{self, Outcome, TestResult};
use regex::Regex;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// How long a test may run when `--timeout` is not given (or is 0), as in OPA.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The arguments of `rego test`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy (`.rego`) and data (`.json`, `.yaml`, `.yml`) files, or directories to load
    /// recursively.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Report every test, not only those that did not pass, with their `print` output.
    #[arg(short = 'v', long)]
    verbose: bool,
    /// Run only the tests whose full name (`data.pkg.test_x`) matches this regular expression.
    #[arg(short = 'r', long = "run", value_name = "REGEX")]
    run: Option<String>,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = Format::Pretty)]
    format: Format,
    /// Also write a JUnit XML report to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Give up on a test after this long (Go duration syntax: `100ms`, `5s`; 0: the default).
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, default_value = "5s")]
    timeout: Duration,
    /// Exit with 0 rather than 2 when tests were skipped (and none failed).
    #[arg(short = 'z', long)]
    exit_zero_on_skipped: bool,
    /// Exit with 1 when no test ran.
    #[arg(long)]
    fail_on_empty: bool,
    /// Skip files and folders whose name matches this pattern (`*_test.rego`, `.git`),
    /// anywhere below the paths; may be repeated or comma-separated.
    #[arg(long, value_name = "PATTERN", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Run this many tests at once (0: one per CPU, the default).
    #[arg(short = 'p', long, value_name = "N", default_value_t = 0)]
    parallel: usize,
    /// Report at most this many compile errors (0: all).
    #[arg(short = 'm', long, value_name = "N", default_value_t = 10)]
    max_errors: usize,
}

/// How results are printed on stdout.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people: what did not pass (everything with `--verbose`), then the counts.
    Pretty,
    /// OPA's JSON array of results.
    Json,
}

/// Runs `rego test`.
pub fn run(args: &Args) -> ExitCode {
    let style = Style::for_stderr();
    let filter = match args.run.as_deref().map(Regex::new).transpose() {
        Ok(filter) => filter,
        Err(e) => {
            let message = format!("invalid --run regular expression: {e}");
            write_stderr(&render::plain_error(&message, style));
            return ExitCode::from(1);
        }
    };
    let results = match run_tests(args, filter.as_ref(), style) {
        Ok(results) => results,
        Err(errors) => {
            let errors = diagnostics::limit(errors, args.max_errors, style);
            write_stderr(&diagnostics::human(&errors, style));
            return ExitCode::from(1);
        }
    };
    write_stdout(&match args.format {
        Format::Pretty => pretty::report(&results, args.verbose),
        Format::Json => json::report(&results),
    });
    let mut code = exit_code(&results, args.exit_zero_on_skipped);
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, junit::report(&results)) {
            let message = format!("{}: cannot write the JUnit report: {e}", path.display());
            write_stderr(&render::plain_error(&message, style));
            code = code.max(1);
        }
    }
    if results.is_empty() && args.fail_on_empty {
        write_stderr("no tests were run\n");
        code = code.max(1);
    }
    ExitCode::from(code)
}

/// Loads, discovers, compiles and runs the tests that pass the filter.
fn run_tests(
    args: &Args,
    filter: Option<&Regex>,
    style: Style,
) -> Result<Vec<TestResult>, Vec<Reported>> {
    let options = LoadOptions {
        ignore: args.ignore.clone(),
        rego_only: false,
    };
    let loaded = policy::load(&args.paths, &options, style)?;
    let mut engine = policy::engine(&loaded, style)?;
    // Before compiling: discovery renames the extra definitions of a test.
    let mut cases = testing::discover(&mut engine);
    let compiled = policy::compile(&engine, style)?;
    if let Some(filter) = filter {
        cases.retain(|case| filter.is_match(&case.full_name()));
    }
    let timeout = Some(args.timeout)
        .filter(|t| !t.is_zero())
        .unwrap_or(DEFAULT_TIMEOUT);
    let parallel = match args.parallel {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    Ok(testing::run_all(&compiled, &cases, Some(timeout), parallel))
}

/// 2 when a test failed or errored, or was skipped without `--exit-zero-on-skipped`; else 0.
fn exit_code(results: &[TestResult], skipped_ok: bool) -> u8 {
    let bad = results.iter().any(|r| match r.outcome {
        Outcome::Pass => false,
        Outcome::Skip => !skipped_ok,
        Outcome::Fail | Outcome::Error(_) => true,
    });
    if bad { 2 } else { 0 }
}

/// Writes to stdout; a closed pipe is not worth a panic.
fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Writes to stderr, ignoring failures.
fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
