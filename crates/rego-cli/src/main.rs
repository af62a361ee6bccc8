//! The `rego` command: a Rego v1 interpreter meant as a drop-in for OPA's `opa` command.
//!
//! `main` only parses the command line and dispatches to the subcommands of the `rego_cli`
//! library (`src/lib.rs`).

use clap::{Parser, Subcommand};
use rego_cli::cmd;
use std::process::ExitCode;

/// The command line.
#[derive(Parser)]
#[command(
    name = "rego",
    version,
    about = "A Rego (OPA policy language) interpreter"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands, one module each under `cmd/`.
#[derive(Subcommand)]
enum Command {
    /// Parse Rego files and print their syntax trees.
    Parse(cmd::parse::Args),
    /// Evaluate a query against policies, data and an input, as `opa eval` does.
    Eval(cmd::eval::Args),
    /// Run the Rego tests (rules named `test_*`) in policy files, as `opa test` does.
    Test(cmd::test::Args),
    /// Parse and compile Rego files and report every error, as `opa check` does.
    Check(cmd::check::Args),
    /// Check configuration files (YAML, JSON, HCL, ...) against policies, as conftest does.
    Validate(cmd::validate::Args),
    /// Run OPA-format conformance cases.
    Conformance(cmd::conformance::Args),
    /// Print version information.
    Version,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                usage_error_code()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Parse(args) => cmd::parse::run(&args),
        Command::Eval(args) => cmd::eval::run(&args),
        Command::Test(args) => cmd::test::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Validate(args) => cmd::validate::run(&args),
        Command::Conformance(args) => cmd::conformance::run(&args),
        Command::Version => cmd::version::run(),
    }
}

/// The exit code of a command line that does not parse: 2 for `rego eval`, where every error
/// exits 2 as in `opa eval`; 1 elsewhere, as conftest does, since 2 means failures to
/// `rego validate --fail-on-warn` and `rego test`.
fn usage_error_code() -> ExitCode {
    let eval = std::env::args()
        .nth(1)
        .is_some_and(|command| command == "eval");
    ExitCode::from(if eval { 2 } else { 1 })
}
