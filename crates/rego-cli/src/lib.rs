//! The building blocks of the `rego` command, as a library so that benches and tools can use
//! them in-process: each subcommand in its own module under [`cmd`], the config-file readers
//! of `rego validate` in [`inputs`], its conftest-style checks and report formats in
//! [`validate`], and OPA-shaped decision logs in [`decision_log`]. The shared pieces (loading
//! files, rendering errors, printing syntax trees) are private modules beside them.

pub mod cmd;
mod conformance;
pub mod decision_log;
mod diagnostics;
mod duration;
mod glob;
pub mod inputs;
mod json;
mod load;
mod policy;
mod pretty;
mod render;
mod show;
mod testing;
pub mod validate;
