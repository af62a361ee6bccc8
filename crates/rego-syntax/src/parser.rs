//! The entry points: source text to [`Module`] or [`Query`], with every error of a file.

use crate::annotations;
use crate::ast::{Literal, Module, Query};
use crate::build::{Parsed, UserError};
use crate::error::{ParseError, ParseErrors};
use crate::lexer::{self, Tok};
use crate::span::{FileId, SourceMap, Span};

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, missing_docs, unused)]
    grammar
);

/// At most this many errors are reported for one file, as OPA does.
const MAX_ERRORS: usize = 10;

/// Files larger than this are refused rather than parsed.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024 * 1024;

type LalrError = lalrpop_util::ParseError<usize, Tok, UserError>;

/// Parses the file `file` of `sources` as a Rego v1 module.
///
/// Every syntax error is reported (up to ten), each with its location; parsing restarts at the
/// next rule that begins a line after an error.
pub fn parse_module(sources: &SourceMap, file: FileId) -> Result<Module, ParseErrors> {
    let src = sources.file(file).text();
    check_size(sources, file)?;
    let lexed = lexer::lex(src, file, 0..src.len(), false);
    let mut errors: Vec<ParseError> = lexed
        .errors
        .iter()
        .map(|(span, msg)| ParseError::new(sources, *span, msg.clone()))
        .collect();
    let comments = lexed.comments;
    if lexed.tokens.is_empty() && errors.is_empty() {
        let span = Span::new(file, 0, src.len());
        return Err(ParseErrors(vec![ParseError::new(
            sources,
            span,
            "empty module",
        )]));
    }

    let mut module_parts = None;
    let mut imports = Vec::new();
    let mut rules = Vec::new();
    let mut tokens = lexed.tokens;
    let mut start = Tok::StartModule;
    let mut resumed_at = 0;
    for _attempt in 0..MAX_ERRORS {
        // The parser consumes the tokens; on an error they are lexed again for the message.
        let result = run(src, file, start, std::mem::take(&mut tokens));
        match result.map(|parsed| *parsed) {
            Ok(Parsed::Module(package, i, r)) => {
                module_parts = Some(package);
                imports.extend(i);
                rules.extend(r);
                break;
            }
            Ok(Parsed::Rules(i, r)) => {
                imports.extend(i);
                rules.extend(r);
                break;
            }
            Ok(_) => unreachable!("module entry points yield modules or rules"),
            Err(err) => {
                let tokens_here = lexer::lex(src, file, resumed_at..src.len(), false).tokens;
                let error = convert(sources, file, &tokens_here, err);
                let at = (error.span.start as usize).max(resumed_at);
                if !errors.iter().any(|e| e.location.row == error.location.row) {
                    errors.push(error);
                }
                if errors.len() >= MAX_ERRORS {
                    break;
                }
                let Some(restart) = restart_offset(src, at) else {
                    break;
                };
                resumed_at = restart;
                let relexed = lexer::lex(src, file, restart..src.len(), false);
                tokens = relexed.tokens;
                start = Tok::StartRules;
                if tokens.is_empty() {
                    break;
                }
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.span.start);
        return Err(ParseErrors(errors));
    }
    let package = module_parts.ok_or_else(|| {
        ParseErrors(vec![ParseError::new(
            sources,
            Span::new(file, 0, 0),
            "package expected",
        )])
    })?;
    let mut module = Module {
        package,
        imports,
        rules,
        annotations: Vec::new(),
        comments,
    };
    module.annotations = annotations::attach(sources, &module).map_err(ParseErrors)?;
    Ok(module)
}

/// Parses the file `file` of `sources` as a query (literals separated by `;` or newlines).
pub fn parse_query(sources: &SourceMap, file: FileId) -> Result<Query, ParseErrors> {
    let src = sources.file(file).text();
    check_size(sources, file)?;
    let lexed = lexer::lex(src, file, 0..src.len(), true);
    if let Some((span, msg)) = lexed.errors.first() {
        return Err(ParseErrors(vec![ParseError::new(
            sources,
            *span,
            msg.clone(),
        )]));
    }
    if lexed.tokens.is_empty() {
        let span = Span::new(file, 0, src.len());
        return Err(ParseErrors(vec![ParseError::new(
            sources,
            span,
            "empty query",
        )]));
    }
    let tokens = lexed.tokens;
    match run(src, file, Tok::StartQuery, tokens.clone()).map(|parsed| *parsed) {
        Ok(Parsed::Query(q)) => Ok(q),
        Ok(_) => unreachable!("the query entry point yields a query"),
        Err(err) => Err(ParseErrors(vec![convert(sources, file, &tokens, err)])),
    }
}

/// Parses the code of a template string piece as one literal.
pub(crate) fn parse_embedded_literal(
    src: &str,
    file: FileId,
    range: std::ops::Range<usize>,
) -> Result<Literal, UserError> {
    let lexed = lexer::lex(src, file, range.clone(), true);
    if let Some((span, msg)) = lexed.errors.into_iter().next() {
        return Err(UserError { span, message: msg });
    }
    match run(src, file, Tok::StartLiteral, lexed.tokens).map(|parsed| *parsed) {
        Ok(Parsed::Literal(l)) => Ok(l),
        Ok(_) => unreachable!("the literal entry point yields a literal"),
        Err(lalrpop_util::ParseError::User { error }) => Err(error),
        Err(other) => {
            let (at, what) = match other {
                LalrError::UnrecognizedToken { token, .. } | LalrError::ExtraToken { token } => {
                    (token.0, format!("unexpected {} token", token.1.describe()))
                }
                _ => (range.end, "unexpected end of template expression".into()),
            };
            Err(UserError {
                span: Span::new(file, at, at),
                message: format!("{what} in template string"),
            })
        }
    }
}

fn check_size(sources: &SourceMap, file: FileId) -> Result<(), ParseErrors> {
    let len = sources.file(file).text().len();
    if len > MAX_SOURCE_BYTES {
        let span = Span::new(file, 0, 0);
        return Err(ParseErrors(vec![ParseError::new(
            sources,
            span,
            format!("file too large: {len} bytes (the limit is {MAX_SOURCE_BYTES})"),
        )]));
    }
    Ok(())
}

fn run(
    src: &str,
    file: FileId,
    start: Tok,
    tokens: Vec<(usize, Tok, usize)>,
) -> Result<Box<Parsed>, LalrError> {
    let at = tokens.first().map_or(0, |t| t.0);
    let stream = std::iter::once(Ok((at, start, at))).chain(tokens.into_iter().map(Ok));
    grammar::EntryParser::new().parse(src, file, stream)
}

/// The start of the next line after `at` that begins (unindented) with a name: a likely rule.
fn restart_offset(src: &str, at: usize) -> Option<usize> {
    let mut offset = src[at..].find('\n')? + at + 1;
    while offset < src.len() {
        let line = &src[offset..];
        let first = line.as_bytes()[0];
        let starts_rule = (first.is_ascii_alphabetic() || first == b'_')
            && !line.starts_with("else")
            && !line.starts_with("package");
        if starts_rule {
            return Some(offset);
        }
        offset += line.find('\n')? + 1;
    }
    None
}

/// Turns a grammar error into a [`ParseError`] with OPA's wording and a hint where one helps.
fn convert(
    sources: &SourceMap,
    file: FileId,
    tokens: &[(usize, Tok, usize)],
    err: LalrError,
) -> ParseError {
    match err {
        LalrError::User { error } => ParseError::new(sources, error.span, error.message),
        LalrError::InvalidToken { location } => ParseError::new(
            sources,
            Span::new(file, location, location),
            "illegal token",
        ),
        LalrError::UnrecognizedEof { location, expected } => {
            let end = tokens.last().map_or(location, |t| t.2);
            let span = Span::new(file, end, end);
            let message = match expected.as_slice() {
                [one] if one == "\"ident\"" => "unexpected eof token: expected ident".to_string(),
                _ => "unexpected eof token".to_string(),
            };
            let error = ParseError::new(sources, span, message);
            match unclosed_bracket(tokens) {
                Some((open, tok)) => {
                    let open_span = Span::new(file, open.0, open.1);
                    let line = sources.location(open_span).row;
                    error
                        .with_hint(format!("the {tok} opened on line {line} is never closed"))
                        .with_related(sources, open_span)
                }
                None => error,
            }
        }
        LalrError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => {
            let span = Span::new(file, l, r);
            let error = ParseError::new(
                sources,
                span,
                format!("unexpected {} token", tok.describe()),
            );
            match hint_for(&tok, &sources.file(file).text()[l..r], &expected, tokens, l) {
                Some(hint) => error.with_hint(hint),
                None => error,
            }
        }
        LalrError::ExtraToken { token: (l, tok, r) } => ParseError::new(
            sources,
            Span::new(file, l, r),
            format!("unexpected {} token", tok.describe()),
        ),
    }
}

fn hint_for(
    tok: &Tok,
    text: &str,
    expected: &[String],
    tokens: &[(usize, Tok, usize)],
    at: usize,
) -> Option<String> {
    let expects = |t: &str| expected.iter().any(|e| e.trim_matches('"') == t);
    let prev = tokens.iter().take_while(|t| t.0 < at).last().map(|t| &t.1);
    match tok {
        Tok::LBrace if expects("if {") => {
            if matches!(prev, Some(Tok::RBrack)) {
                Some(
                    "Rego v1 needs `if` before a rule body; a multi-value rule is written \
                     `deny contains msg if { ... }`"
                        .into(),
                )
            } else {
                Some("Rego v1 needs `if` before a rule body: `p if { ... }`".into())
            }
        }
        Tok::Unify if expects(":=") => None,
        Tok::Assign | Tok::Unify if !expects(":=") && !expects("=") => Some(
            "`:=` and `=` stand only between a whole left and right side; use `==` to compare"
                .into(),
        ),
        Tok::Ident if matches!(prev, Some(Tok::Ident)) && expects("contains") => Some(format!(
            "a rule head is followed by `:=`, `contains`, or `if`; is `{text}` a misspelt keyword?"
        )),
        Tok::RBrace | Tok::RBrack | Tok::RParen => None,
        _ => None,
    }
}

/// The first bracket opened and never closed, with its text.
fn unclosed_bracket(tokens: &[(usize, Tok, usize)]) -> Option<((usize, usize), &'static str)> {
    let mut stack: Vec<((usize, usize), &'static str)> = Vec::new();
    for (l, tok, r) in tokens {
        match tok {
            Tok::LBrace | Tok::IfLBrace => stack.push(((*l, *r), "`{`")),
            Tok::LBrack => stack.push(((*l, *r), "`[`")),
            Tok::LParen => stack.push(((*l, *r), "`(`")),
            Tok::RBrace | Tok::RBrack | Tok::RParen => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.first().copied()
}

#[cfg(test)]
mod tests;
