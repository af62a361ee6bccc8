//! `rego validate`: config files checked against `deny`, `violation` and `warn` rules, the
//! way conftest checks them. The pieces: [`check`] turns one parsed config into a
//! [`report::CheckResult`] per namespace, [`output`] renders the results in each format.

pub mod check;
pub mod output;
pub mod report;
