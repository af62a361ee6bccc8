//! Parse errors: typed values with a span, a resolved location and OPA's error code.

use crate::span::{Location, SourceMap, Span};

/// OPA's code for every syntax error.
pub const PARSE_ERROR_CODE: &str = "rego_parse_error";

/// One syntax error.
///
/// Triggered by, for example, `package p\n\np {` (a v0 rule body without `if`):
/// `test.rego:3: rego_parse_error: unexpected { token`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{location}: {PARSE_ERROR_CODE}: {message}")]
pub struct ParseError {
    /// The offending range.
    pub span: Span,
    /// File, line and column of the span's start.
    pub location: Location,
    /// What went wrong, in OPA's words where OPA has words for it.
    pub message: String,
    /// A suggestion for fixing it, when one helps.
    pub hint: Option<String>,
    /// Another place the error relates to (say, where an unclosed brace opened).
    pub related: Option<(Span, Location)>,
}

impl ParseError {
    /// An error at `span` with a message.
    pub fn new(sources: &SourceMap, span: Span, message: impl Into<String>) -> ParseError {
        ParseError {
            span,
            location: sources.location(span),
            message: message.into(),
            hint: None,
            related: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> ParseError {
        self.hint = Some(hint.into());
        self
    }

    /// Points at a related place.
    pub fn with_related(mut self, sources: &SourceMap, span: Span) -> ParseError {
        self.related = Some((span, sources.location(span)));
        self
    }

    /// Always `rego_parse_error`.
    pub fn code(&self) -> &'static str {
        PARSE_ERROR_CODE
    }
}

/// All the syntax errors found in one file (at least one).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct ParseErrors(pub Vec<ParseError>);

impl std::fmt::Display for ParseErrors {
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
