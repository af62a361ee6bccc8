//! Builtins of the `aggregates` family.

use rego_eval::BuiltinDef;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[];
