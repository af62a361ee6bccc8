//! Rendering errors for people: OPA's one-line text, then the source line with a caret,
//! the hint and a note at the related place. Only the CLI renders; libraries return data.

use rego_syntax::{FileId, Location, ParseError, SourceMap, Span};
use std::fmt::Write as _;
use std::io::IsTerminal as _;

/// Whether to color output, decided once per stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    color: bool,
}

/// Lines longer than this many characters are shown as a window around the column.
const MAX_LINE_CHARS: usize = 160;

impl Style {
    /// Color when stderr is a terminal and `NO_COLOR` is unset or empty (no-color.org).
    pub fn for_stderr() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: std::io::stderr().is_terminal() && !no_color,
        }
    }

    /// No color at all.
    #[cfg(test)]
    pub fn plain() -> Style {
        Style { color: false }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Renders one parse error: the OPA line, the snippet with a caret, the hint and the note.
pub fn parse_error(sources: &SourceMap, error: &ParseError, style: Style) -> String {
    let mut out = String::new();
    let location = format!("{}:", error.location);
    let _ = writeln!(
        out,
        "{} {} {}",
        style.paint("1", &location),
        style.paint("1;31", &format!("{}:", error.code())),
        style.paint("1", &error.message),
    );
    let rows = [
        Some(error.location.row),
        error.related.as_ref().map(|r| r.1.row),
    ];
    let gutter = rows
        .iter()
        .flatten()
        .map(|r| r.to_string().len())
        .max()
        .unwrap_or(1);
    snippet(
        &mut out,
        sources,
        error.span,
        &error.location,
        gutter,
        style,
    );
    if let Some(hint) = &error.hint {
        let _ = writeln!(out, "{} {hint}", style.paint("1;36", "hint:"));
    }
    if let Some((span, location)) = &error.related {
        let (span, location, text) = match opening_bracket(sources, *span) {
            Some((open, span)) => {
                let location = sources.location(span);
                let text = format!("`{open}` opened at {}", full(&location));
                (span, location, text)
            }
            None => (
                *span,
                location.clone(),
                format!("related location {}", full(location)),
            ),
        };
        let _ = writeln!(out, "{} {text}", style.paint("1;32", "note:"));
        snippet(&mut out, sources, span, &location, gutter, style);
    }
    out
}

/// Renders a compile or evaluation error, which carries OPA's code: the line
/// `file:row: code: message`, then the source line with carets under `span`. Without a span
/// the caret sits at the location's column (looked up by file name in `sources`); without a
/// location only the line `code: message` is printed.
pub fn coded_error(
    sources: &SourceMap,
    code: &str,
    message: &str,
    location: Option<&Location>,
    span: Option<Span>,
    style: Style,
) -> String {
    let mut out = String::new();
    let code = style.paint("1;31", &format!("{code}:"));
    let Some(location) = location else {
        let _ = writeln!(out, "{code} {}", style.paint("1", message));
        return out;
    };
    let _ = writeln!(
        out,
        "{} {code} {}",
        style.paint("1", &format!("{location}:")),
        style.paint("1", message),
    );
    if let Some(span) = span.or_else(|| line_span(sources, location)) {
        let gutter = location.row.to_string().len();
        snippet(&mut out, sources, span, location, gutter, style);
    }
    out
}

/// An empty span at the start of `location`'s line, in the file registered under its name.
fn line_span(sources: &SourceMap, location: &Location) -> Option<Span> {
    let id = (0u32..)
        .map(FileId)
        .map_while(|id| sources.get(id).map(|file| (id, file)))
        .filter(|(_, file)| file.name() == &*location.file)
        .map(|(id, _)| id)
        .last()?;
    let start: usize = sources
        .file(id)
        .text()
        .split_inclusive('\n')
        .take(location.row.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    Some(Span::new(id, start, start))
}

/// Renders a file that could not be read: `error: PATH: REASON`.
pub fn plain_error(message: &str, style: Style) -> String {
    format!("{} {message}\n", style.paint("1;31", "error:"))
}

/// The closing line after several errors: `N errors`.
pub fn summary(count: usize, style: Style) -> String {
    style.paint("1", &format!("{count} errors")) + "\n"
}

/// When `span` covers a token ending in an opening bracket (`{`, or `if {`), that bracket
/// and its own one-byte span, so the note points at the bracket itself.
fn opening_bracket(sources: &SourceMap, span: Span) -> Option<(char, Span)> {
    let text = sources.snippet(span).trim_end();
    let open = text
        .chars()
        .last()
        .filter(|c| matches!(c, '{' | '[' | '('))?;
    let at = span.start as usize + text.len() - 1;
    Some((open, Span::new(span.file, at, at + 1)))
}

/// `file:row:col`.
fn full(location: &Location) -> String {
    format!("{}:{}:{}", location.file, location.row, location.col)
}

/// The line of `location` with a gutter, and carets under `span` (or its first character).
fn snippet(
    out: &mut String,
    sources: &SourceMap,
    span: Span,
    location: &Location,
    gutter: usize,
    style: Style,
) {
    let Some(file) = sources.get(span.file) else {
        return;
    };
    let line = file.line_text(location.row);
    if line.trim().is_empty() {
        return;
    }
    let covered = sources.snippet(span);
    let width = if covered.is_empty() || covered.contains('\n') {
        1
    } else {
        covered.chars().count()
    };
    let col = location.col.max(1) as usize - 1;
    let (shown, col) = window(line, col);
    let pad = " ".repeat(gutter);
    let bar = style.paint("1;34", "|");
    let number = style.paint("1;34", &format!("{:>gutter$}", location.row));
    let indent: String = shown
        .chars()
        .take(col)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let carets = "^".repeat(width.min(shown.chars().count().saturating_sub(col)).max(1));
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(out, "{number} {bar} {shown}");
    let _ = writeln!(out, "{pad} {bar} {indent}{}", style.paint("1;31", &carets));
}

/// A long line cut to a window around `col`, marked with `...`; short lines as they are.
fn window(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_LINE_CHARS {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(MAX_LINE_CHARS / 2);
    let end = (start + MAX_LINE_CHARS).min(chars.len());
    let mut shown = String::new();
    let mut col = col - start;
    if start > 0 {
        shown.push_str("...");
        col += 3;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rego_syntax::parse_module;

    fn first_error(src: &str) -> (SourceMap, ParseError) {
        let mut sources = SourceMap::new();
        let file = sources.add("test.rego", src);
        let errors = parse_module(&sources, file).expect_err("invalid");
        let first = errors.0.into_iter().next().expect("one error");
        (sources, first)
    }

    #[test]
    fn caret_sits_under_the_column() {
        let (sources, error) = first_error("package p\n\np := 1 }\n");
        let text = parse_error(&sources, &error, Style::plain());
        assert_eq!(
            text,
            "test.rego:3: rego_parse_error: unexpected } token\n  |\n3 | p := 1 }\n  |        ^\n"
        );
    }

    #[test]
    fn color_wraps_the_code_in_ansi() {
        let (sources, error) = first_error("package p\n\np := 1 }\n");
        let text = parse_error(&sources, &error, Style { color: true });
        assert!(
            text.contains("\x1b[1;31mrego_parse_error:\x1b[0m"),
            "{text}"
        );
    }

    #[test]
    fn tabs_are_kept_in_the_caret_indent() {
        let (sources, error) = first_error("package p\n\np if {\n\tx := 1 )\n}\n");
        let text = parse_error(&sources, &error, Style::plain());
        assert!(text.contains("| \t       ^"), "{text}");
    }

    #[test]
    fn coded_errors_find_the_line_by_file_name() {
        let mut sources = SourceMap::new();
        sources.add("p.rego", "package p\n\nx := f(1)\n");
        let location = Location {
            file: "p.rego".into(),
            row: 3,
            col: 6,
        };
        let text = coded_error(
            &sources,
            "eval_conflict_error",
            "boom",
            Some(&location),
            None,
            Style::plain(),
        );
        assert_eq!(
            text,
            "p.rego:3: eval_conflict_error: boom\n  |\n3 | x := f(1)\n  |      ^\n"
        );
        let bare = coded_error(
            &sources,
            "eval_cancel_error",
            "late",
            None,
            None,
            Style::plain(),
        );
        assert_eq!(bare, "eval_cancel_error: late\n");
    }

    #[test]
    fn long_lines_are_windowed() {
        let (shown, col) = window(&"x".repeat(1000), 500);
        assert_eq!(shown.chars().count(), MAX_LINE_CHARS + 6);
        assert_eq!(col, MAX_LINE_CHARS / 2 + 3);
    }
}
