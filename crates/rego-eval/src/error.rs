//! Compile and evaluation errors, each with OPA's code and a location.

use rego_syntax::{Location, ParseErrors, Span};

/// A compile error: `test.rego:3: rego_unsafe_var_error: var x is unsafe`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{location}: {code}: {message}")]
pub struct CompileError {
    /// OPA's error code (`rego_unsafe_var_error`, `rego_recursion_error`, `rego_type_error`,
    /// `rego_compile_error`, `rego_parse_error`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub location: Location,
    /// The span, for rendering a snippet.
    pub span: Span,
}

/// Every error of a failed compilation.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct CompileErrors(pub Vec<CompileError>);

impl std::fmt::Display for CompileErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.len() > 1 {
            writeln!(f, "{} errors occurred:", self.0.len())?;
        }
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<ParseErrors> for CompileErrors {
    fn from(errors: ParseErrors) -> CompileErrors {
        CompileErrors(
            errors
                .0
                .into_iter()
                .map(|e| CompileError {
                    code: rego_syntax::PARSE_ERROR_CODE,
                    message: e.message,
                    location: e.location,
                    span: e.span,
                })
                .collect(),
        )
    }
}

/// An evaluation error: `test.rego:4: eval_conflict_error: complete rules must not produce
/// multiple outputs`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}{code}: {message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
pub struct EvalError {
    /// OPA's error code (`eval_conflict_error`, `eval_type_error`, `eval_builtin_error`,
    /// `eval_cancel_error`).
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
    /// Where, when known.
    pub location: Option<Location>,
}

impl EvalError {
    /// An error with a code and message at a location.
    pub fn new(code: &'static str, message: impl Into<String>, location: Option<Location>) -> Self {
        EvalError {
            code,
            message: message.into(),
            location,
        }
    }
}

/// Any error of the embedding API.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Error {
    /// The policy or query did not parse or compile.
    #[error(transparent)]
    Compile(#[from] CompileErrors),
    /// Evaluation failed.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// Data or input was not valid JSON/YAML, or did not fit.
    #[error("{0}")]
    Data(String),
}
