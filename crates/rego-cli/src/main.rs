//! The `rego` command.
fn main() {}
