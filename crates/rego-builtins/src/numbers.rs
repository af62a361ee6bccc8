//! Builtins of the `numbers` family.

use rego_eval::BuiltinDef;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[];
