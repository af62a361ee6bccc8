//! The standard OPA builtin functions, in static tables by family.
//!
//! ```
//! let registry = rego_builtins::standard();
//! assert!(registry.get("concat").is_some());
//! ```

mod aggregates;
mod args;
mod arrays;
#[cfg(feature = "crypto")]
mod aws;
mod bits;
#[cfg(feature = "crypto")]
mod crypto;
mod encoding;
mod glob;
mod graph;
#[cfg(feature = "graphql")]
mod graphql;
#[cfg(feature = "http")]
mod http;
#[cfg(feature = "jsonschema")]
mod jsonschema;
#[cfg(feature = "crypto")]
mod jwt;
mod net;
mod numbers;
mod parse_module;
mod objects;
mod regex;
mod runtime;
mod render_template;
mod semver;
mod sets;
mod sprintf;
mod strings;
mod testing;
mod time;
mod types;
mod units;
mod uri;
mod uuid;

use rego_eval::{BuiltinDef, Registry};

/// Every family's table, in registration order.
fn tables() -> Vec<&'static [BuiltinDef]> {
    vec![
        strings::BUILTINS,
        sprintf::BUILTINS,
        regex::BUILTINS,
        runtime::BUILTINS,
        glob::BUILTINS,
        render_template::BUILTINS,
        numbers::BUILTINS,
        bits::BUILTINS,
        aggregates::BUILTINS,
        arrays::BUILTINS,
        sets::BUILTINS,
        objects::BUILTINS,
        types::BUILTINS,
        graph::BUILTINS,
        units::BUILTINS,
        semver::BUILTINS,
        uuid::BUILTINS,
        encoding::BUILTINS,
        time::BUILTINS,
        net::BUILTINS,
        uri::BUILTINS,
        testing::BUILTINS,
        parse_module::BUILTINS,
        #[cfg(feature = "crypto")]
        crypto::BUILTINS,
        #[cfg(feature = "crypto")]
        jwt::BUILTINS,
        #[cfg(feature = "graphql")]
        graphql::BUILTINS,
        #[cfg(feature = "jsonschema")]
        jsonschema::BUILTINS,
        #[cfg(feature = "crypto")]
        aws::BUILTINS,
        #[cfg(feature = "http")]
        http::BUILTINS,
    ]
}

/// A registry holding every standard builtin.
pub fn standard() -> Registry {
    let mut registry = Registry::new();
    for table in tables() {
        registry.add_table(table);
    }
    registry
}

/// Calls a standard builtin by name outside any query, for unit tests.
#[cfg(test)]
pub(crate) fn call(
    name: &str,
    args: &[rego_eval::Value],
) -> Result<rego_eval::Value, rego_eval::BuiltinError> {
    let registry = standard();
    let builtin = registry
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not registered"));
    assert_eq!(
        builtin.arity(),
        args.len(),
        "{name} takes {} arguments",
        builtin.arity()
    );
    let memo = std::cell::RefCell::new(std::collections::HashMap::new());
    let ctx = rego_eval::BuiltinContext::new(1_700_000_000_000_000_000, &memo, false);
    builtin.call(&ctx, args)
}
