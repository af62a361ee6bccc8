//! `rego version`: what this binary is, in the shape of `opa version`.

use std::process::ExitCode;

/// Prints the version, the platform and the Rego language version understood.
pub fn run() -> ExitCode {
    println!("Version: {}", env!("CARGO_PKG_VERSION"));
    println!(
        "Platform: {}/{}",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    println!("Rego Version: v1");
    ExitCode::SUCCESS
}
