//! Builtins of the `bits` family.

use rego_eval::BuiltinDef;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[];
