//! The Rego compiler and evaluator.
