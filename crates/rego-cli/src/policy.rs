//! From files on disk to a compiled policy, the steps `rego eval`, `rego test` and
//! `rego check` share, each failing with every error it found, ready to report.

use crate::diagnostics::{self, Names, Reported};
use crate::load::{self, LoadOptions, Loaded};
use crate::render::Style;
use rego_eval::{Engine, Policy};
use std::path::PathBuf;

/// Reads the paths (see [`load::load_paths`]).
pub fn load(
    paths: &[PathBuf],
    options: &LoadOptions,
    style: Style,
) -> Result<Loaded, Vec<Reported>> {
    load::load_paths(paths, options).map_err(|errors| {
        errors
            .iter()
            .map(|e| diagnostics::load_error(e, style))
            .collect()
    })
}

/// An engine with OPA's builtins holding every loaded module and the data; fails with the
/// parse errors of every module.
pub fn engine(loaded: &Loaded, style: Style) -> Result<Engine, Vec<Reported>> {
    let mut engine = Engine::with_registry(rego_builtins::standard());
    let mut errors = Vec::new();
    for policy in &loaded.policies {
        if let Err(e) = engine.add_module(&policy.name, &policy.text) {
            errors.extend(diagnostics::parse_errors(
                &policy.name,
                &policy.text,
                &e,
                engine.sources(),
                style,
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Err(e) = engine.add_data(loaded.data.clone()) {
        return Err(vec![diagnostics::plain(e.to_string(), style)]);
    }
    Ok(engine)
}

/// Compiles the engine's modules; fails with every compile error.
pub fn compile(engine: &Engine, style: Style) -> Result<Policy, Vec<Reported>> {
    engine.compile().map_err(|e| {
        let names = Names::new(engine.sources(), None);
        diagnostics::compile_errors(&e, &names, style)
    })
}
