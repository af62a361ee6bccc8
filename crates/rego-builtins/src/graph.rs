//! Builtins of the `graph` family.

use rego_eval::BuiltinDef;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[];
