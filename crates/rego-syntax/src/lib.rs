//! Rego v1 syntax.
