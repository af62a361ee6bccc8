//! The test runner behind `rego test`, apart from the command line and the report formats:
//! finding test rules ([`discover()`]) and evaluating them one by one ([`run_all`]).
//!
//! As in `opa test`, a test is one rule definition whose head path has an element starting
//! with `test_` (`todo_test_` marks a test to skip); it passes when the rule's value is
//! `true`. A test defined several times in one package is run once per definition, the
//! second and later ones named `test_x#01`, `test_x#02`, ...

mod discover;
mod run;

pub use discover::{TestCase, discover};
pub use run::{Outcome, TestResult, run_all};
