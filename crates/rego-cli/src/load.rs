//! Reading policy files from disk into a [`SourceMap`], with errors that name the file.

use rego_syntax::{FileId, SourceMap};
use std::fmt;
use std::path::Path;

/// A file that could not be read as Rego source text.
#[derive(Debug)]
pub struct LoadError {
    /// The path as given on the command line.
    pub path: String,
    /// Why it could not be read, in lower case (`no such file or directory`).
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// Reads `path` and registers it in `sources` under the path as written.
pub fn add_file(sources: &mut SourceMap, path: &Path) -> Result<FileId, LoadError> {
    let name = path.display().to_string();
    let fail = |reason: String| LoadError {
        path: name.clone(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(io_reason(&e)))?;
    let text =
        String::from_utf8(bytes).map_err(|e| fail(utf8_reason(e.as_bytes(), e.utf8_error())))?;
    Ok(sources.add(&name, &text))
}

/// An I/O error as a short lower-case phrase, without Rust's `(os error N)` suffix.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "cannot be read".to_string(),
    }
}

/// Where the first invalid byte is, as a line and column of the valid text before it.
fn utf8_reason(bytes: &[u8], e: std::str::Utf8Error) -> String {
    let valid = &bytes[..e.valid_up_to()];
    // The prefix up to `valid_up_to` is valid UTF-8 by definition.
    let before = std::str::from_utf8(valid).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!(
        "not valid UTF-8 (invalid byte 0x{:02x} at line {line}, column {col}); Rego source must be UTF-8",
        bytes[e.valid_up_to()]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_reason_points_at_the_bad_byte() {
        let bytes = b"package p\nx := \"\xff\"\n";
        let err = String::from_utf8(bytes.to_vec()).unwrap_err();
        assert_eq!(
            utf8_reason(err.as_bytes(), err.utf8_error()),
            "not valid UTF-8 (invalid byte 0xff at line 2, column 7); Rego source must be UTF-8"
        );
    }

    #[test]
    fn io_reason_drops_the_os_error_number() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&e), "entity not found");
        let e = std::fs::read("/definitely/not/here.rego").unwrap_err();
        assert_eq!(io_reason(&e), "no such file or directory");
    }
}
