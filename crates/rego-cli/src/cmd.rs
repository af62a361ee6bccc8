//! The subcommands: one module each, with its `Args` (when it takes any) and a `run` function
//! returning the process exit code.

pub mod check;
pub mod conformance;
pub mod eval;
pub mod parse;
pub mod test;
pub mod validate;
pub mod version;
