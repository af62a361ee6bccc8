//! Errors reported by the commands, each kept both ways: as an entry of OPA's JSON
//! `{"errors": [...]}` document and rendered for people with the source line and a caret.

use crate::json::ErrorEntry;
use crate::load::LoadError;
use crate::render::{self, Style};
use rego_eval::CompileErrors;
use rego_syntax::{FileId, Location, SourceMap};

/// One error with what it takes to print it either way.
pub struct Reported {
    /// The `--format json` entry.
    pub entry: ErrorEntry,
    /// The rendering for people, on stderr.
    pub text: String,
}

/// Which file of the source map is the query, to show it as OPA does (no file name).
pub struct Names<'a> {
    /// Every file, the query's included.
    pub sources: &'a SourceMap,
    /// The query's file, if one was added.
    pub query: Option<FileId>,
}

impl<'a> Names<'a> {
    /// Names for `sources`, where `query` (if any) is the query's file.
    pub fn new(sources: &'a SourceMap, query: Option<FileId>) -> Names<'a> {
        Names { sources, query }
    }

    /// The location for JSON (query file `""`) and for people (query file `<query>`).
    pub fn locations(&self, location: &Location, in_query: bool) -> (Location, Location) {
        if !in_query {
            return (location.clone(), location.clone());
        }
        let renamed = |file: &str| Location {
            file: file.into(),
            ..location.clone()
        };
        (renamed(""), renamed("<query>"))
    }
}

/// An error without code or place.
pub fn plain(message: String, style: Style) -> Reported {
    Reported {
        text: render::plain_error(&message, style),
        entry: ErrorEntry {
            message,
            code: None,
            location: None,
        },
    }
}

/// A file that could not be read, parsed as data, or merged.
pub fn load_error(error: &LoadError, style: Style) -> Reported {
    plain(error.to_string(), style)
}

/// The parse errors of one module. For people they are rendered from a fresh parse, which
/// keeps the parser's hints and related places that [`CompileErrors`] drops.
pub fn parse_errors(
    name: &str,
    text: &str,
    errors: &CompileErrors,
    sources: &SourceMap,
    style: Style,
) -> Vec<Reported> {
    let mut local = SourceMap::new();
    let file = local.add(name, text);
    let rich = rego_syntax::parse_module(&local, file).err();
    let names = Names::new(sources, None);
    errors
        .0
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut reported = compile_error(e, &names, style);
            let same = rich
                .as_ref()
                .and_then(|r| r.0.get(i))
                .filter(|r| r.location == e.location);
            if let Some(rich) = same {
                reported.text = render::parse_error(&local, rich, style);
            }
            reported
        })
        .collect()
}

/// Every error of a failed compilation.
pub fn compile_errors(errors: &CompileErrors, names: &Names<'_>, style: Style) -> Vec<Reported> {
    errors
        .0
        .iter()
        .map(|e| compile_error(e, names, style))
        .collect()
}

/// One compile error, with its source line and caret for people.
pub fn compile_error(e: &rego_eval::CompileError, names: &Names<'_>, style: Style) -> Reported {
    let in_query = names.query == Some(e.span.file);
    let (json, human) = names.locations(&e.location, in_query);
    Reported {
        text: render::coded_error(
            names.sources,
            e.code,
            &e.message,
            Some(&human),
            Some(e.span),
            style,
        ),
        entry: ErrorEntry {
            message: e.message.clone(),
            code: Some(e.code.to_string()),
            location: Some(json),
        },
    }
}

/// The errors for people, separated by blank lines, with `N errors` after several.
pub fn human(errors: &[Reported], style: Style) -> String {
    let mut text = errors
        .iter()
        .map(|e| e.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if errors.len() > 1 {
        text.push('\n');
        text.push_str(&render::summary(errors.len(), style));
    }
    text
}

/// The errors as OPA's JSON document, `{"errors": [...]}`.
pub fn json(errors: &[Reported]) -> String {
    let entries: Vec<ErrorEntry> = errors.iter().map(|e| e.entry.clone()).collect();
    crate::json::json_errors(&entries)
}

/// At most `max` errors (all when `max` is zero), followed by OPA's `error limit reached`
/// when some were left out.
pub fn limit(mut errors: Vec<Reported>, max: usize, style: Style) -> Vec<Reported> {
    if max == 0 || errors.len() <= max {
        return errors;
    }
    errors.truncate(max);
    let message = "error limit reached";
    let code = "rego_compile_error";
    let text = render::coded_error(&SourceMap::new(), code, message, None, None, style);
    errors.push(Reported {
        text,
        entry: ErrorEntry {
            message: message.to_string(),
            code: Some(code.to_string()),
            location: None,
        },
    });
    errors
}
