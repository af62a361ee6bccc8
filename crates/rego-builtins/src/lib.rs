//! The standard OPA builtin functions.
