//! `rego check [flags] PATH...`: parse and compile Rego files, reporting every error, as
//! `opa check` does.
//!
//! Only `.rego` files are read (data files under the paths are ignored, as by OPA). Nothing is
//! printed when everything compiles; otherwise the errors go to stderr, rendered for people
//! with the source line and a caret, or with `--format json` as OPA's
//! `{"errors": [{"message", "code", "location"}]}` document (on stderr too, as OPA prints it).
//! Exit codes: 0 when clean, 1 on any error.

use crate::diagnostics::{self, Reported};
use crate::load::LoadOptions;
use crate::policy;
use crate::render::Style;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `rego check`.
#[derive(clap::Args)]
pub struct Args {
    /// Rego files, or directories to search recursively for `.rego` files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// How errors are printed.
    #[arg(short = 'f', long, value_enum, default_value_t = Format::Pretty)]
    format: Format,
    /// Report at most this many errors (0: all).
    #[arg(short = 'm', long, value_name = "N", default_value_t = 10)]
    max_errors: usize,
    /// Skip files and folders whose name matches this pattern, anywhere below the paths; may
    /// be repeated or comma-separated.
    #[arg(long, value_name = "PATTERN", value_delimiter = ',')]
    ignore: Vec<String>,
}

/// How errors are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people: each error with its source line and a caret.
    Pretty,
    /// OPA's `{"errors": [...]}` document.
    Json,
}

/// Runs `rego check`.
pub fn run(args: &Args) -> ExitCode {
    let style = Style::for_stderr();
    let Err(errors) = check(args, style) else {
        return ExitCode::SUCCESS;
    };
    let errors = diagnostics::limit(errors, args.max_errors, style);
    let text = match args.format {
        Format::Pretty => diagnostics::human(&errors, style),
        Format::Json => diagnostics::json(&errors),
    };
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    ExitCode::from(1)
}

/// Loads the modules and compiles them.
fn check(args: &Args, style: Style) -> Result<(), Vec<Reported>> {
    let options = LoadOptions {
        ignore: args.ignore.clone(),
        rego_only: true,
    };
    let loaded = policy::load(&args.paths, &options, style)?;
    let engine = policy::engine(&loaded, style)?;
    policy::compile(&engine, style)?;
    Ok(())
}
