//! Reading files from disk, with errors that name the file: Rego source into a [`SourceMap`]
//! (`rego parse`), and `-d`/`--data` paths into policy modules plus one merged `data`
//! document, the way `opa eval -d` loads them (`rego eval`, `rego test`, `rego validate`).
//!
//! Loading a data path, as OPA does:
//! - a directory is walked recursively (entries in name order); `.rego` files are policy
//!   modules, `.json`, `.yaml` and `.yml` files are data documents, other files are skipped;
//! - a data file at `x/y/data.json` under the root `-d dir` is mounted at `data.x.y` (its
//!   file name plays no part), and a data file named directly (`-d data.json`) at `data`;
//! - documents are merged key by key; two documents setting the same non-object value, or an
//!   object and a non-object at one place, conflict, and a document mounted at the root must
//!   be an object;
//! - a file named directly with another extension is read as JSON when it parses as JSON,
//!   and as a Rego module otherwise;
//! - a file reached twice (`-d p.rego -d p.rego`, or a folder and a file inside it) is loaded
//!   once as a module, and once per mount point as data;
//! - with [`LoadOptions`], files and folders found in a directory whose name matches an
//!   `--ignore` pattern are skipped (paths named on the command line never are), and
//!   `rego check` loads Rego modules only.

use rego_eval::Value;
use rego_syntax::{FileId, SourceMap};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// A file that could not be read, parsed or merged.
#[derive(Debug)]
pub struct LoadError {
    /// The path as given on the command line (or as found under a `-d` directory).
    pub path: String,
    /// Why it could not be read, in lower case (`no such file or directory`).
    pub reason: String,
    /// The 1-based line and column of a syntax error in a data file, when known.
    pub position: Option<(u32, u32)>,
}

impl LoadError {
    fn new(path: &str, reason: impl Into<String>) -> LoadError {
        LoadError {
            path: path.to_string(),
            reason: reason.into(),
            position: None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.path, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

/// Reads `path` and registers it in `sources` under the path as written.
pub fn add_file(sources: &mut SourceMap, path: &Path) -> Result<FileId, LoadError> {
    let name = path.display().to_string();
    let fail = |reason: String| LoadError::new(&name, reason);
    let bytes = std::fs::read(path).map_err(|e| fail(io_reason(&e)))?;
    let text =
        String::from_utf8(bytes).map_err(|e| fail(utf8_reason(e.as_bytes(), e.utf8_error())))?;
    Ok(sources.add(&name, &text))
}

/// One Rego module found under the data paths, not yet parsed.
#[derive(Clone, Debug)]
pub struct PolicyFile {
    /// Its path, as given or as found under a `-d` directory (`policies/authz.rego`).
    pub name: String,
    /// Its source text.
    pub text: String,
}

/// Everything the data paths hold: the policy modules and the merged `data` document.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The Rego modules in load order (command-line order, then name order within folders).
    pub policies: Vec<PolicyFile>,
    /// Every data document merged into one object (empty when there were none).
    pub data: Value,
}

/// Which kind of file a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Rego,
    Json,
    Yaml,
    /// Another extension: only loaded when named directly.
    Other,
}

fn kind_of(path: &Path) -> Kind {
    match path.extension().and_then(|e| e.to_str()) {
        Some("rego") => Kind::Rego,
        Some("json") => Kind::Json,
        Some("yaml" | "yml") => Kind::Yaml,
        _ => Kind::Other,
    }
}

/// What to leave out while loading.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Name patterns (see [`crate::glob`]): a file or folder met while walking a directory
    /// whose name matches one is skipped.
    pub ignore: Vec<String>,
    /// Load `.rego` modules only, skipping every other file (data included).
    pub rego_only: bool,
}

/// Loads every path, leaving out what `options` says (see the module docs). All errors are
/// reported, not just the first.
pub fn load_paths(paths: &[PathBuf], options: &LoadOptions) -> Result<Loaded, Vec<LoadError>> {
    let mut loader = Loader {
        options,
        policies: Vec::new(),
        data: Value::empty_object(),
        errors: Vec::new(),
        visited: HashSet::new(),
        loaded: HashSet::new(),
    };
    for path in paths {
        loader.root(path);
    }
    if loader.errors.is_empty() {
        Ok(Loaded {
            policies: loader.policies,
            data: loader.data,
        })
    } else {
        Err(loader.errors)
    }
}

/// The state of one [`load_paths`] call.
struct Loader<'o> {
    options: &'o LoadOptions,
    policies: Vec<PolicyFile>,
    data: Value,
    errors: Vec<LoadError>,
    /// Canonical directories already walked, so symlink cycles end.
    visited: HashSet<PathBuf>,
    /// Files already loaded: canonical path and mount point (none for modules).
    loaded: HashSet<(PathBuf, Option<Vec<String>>)>,
}

impl Loader<'_> {
    /// One path from the command line: a directory to walk or a file mounted at the root.
    fn root(&mut self, path: &Path) {
        let name = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => self.errors.push(LoadError::new(&name, io_reason(&e))),
            Ok(meta) if meta.is_dir() => self.walk(path, &mut Vec::new()),
            Ok(_) => self.file(path, &[], true),
        }
    }

    /// Walks a directory; `prefix` is its path below the root, as `data` keys.
    fn walk(&mut self, dir: &Path, prefix: &mut Vec<String>) {
        let name = dir.display().to_string();
        if let Ok(canonical) = dir.canonicalize() {
            if !self.visited.insert(canonical) {
                return;
            }
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.errors.push(LoadError::new(&name, io_reason(&e))),
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if self.ignored(&name) {
                continue;
            }
            let path = entry.path();
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => {
                    prefix.push(name.into_owned());
                    self.walk(&path, prefix);
                    prefix.pop();
                }
                Ok(_) if kind_of(&path) != Kind::Other => self.file(&path, prefix, false),
                Ok(_) => {}
                // A dangling symlink or an unreadable entry with a name we would load.
                Err(e) if kind_of(&path) != Kind::Other => {
                    let name = path.display().to_string();
                    self.errors.push(LoadError::new(&name, io_reason(&e)));
                }
                Err(_) => {}
            }
        }
    }

    /// Whether a name found in a directory matches an `--ignore` pattern.
    fn ignored(&self, name: &str) -> bool {
        self.options
            .ignore
            .iter()
            .any(|pattern| crate::glob::matches(pattern, name))
    }

    /// Reads one file: a module to keep, or a document to mount at `prefix`.
    fn file(&mut self, path: &Path, prefix: &[String], named: bool) {
        if self.options.rego_only && kind_of(path) != Kind::Rego {
            return;
        }
        let name = path.display().to_string();
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let mount = (kind_of(path) != Kind::Rego).then(|| prefix.to_vec());
        if !self.loaded.insert((canonical, mount)) {
            return;
        }
        let text = match read_text(path) {
            Ok(text) => text,
            Err(e) => return self.errors.push(e),
        };
        let kind = match kind_of(path) {
            Kind::Other if named => match Value::from_json_str(&text) {
                Ok(doc) => return self.mount(&name, prefix, doc),
                Err(_) => Kind::Rego,
            },
            kind => kind,
        };
        let doc = match kind {
            Kind::Rego | Kind::Other => {
                return self.policies.push(PolicyFile { name, text });
            }
            Kind::Json => parse_json(&name, &text),
            Kind::Yaml => parse_yaml(&name, &text),
        };
        match doc {
            // An empty YAML file holds no document.
            Ok(Value::Null) if kind == Kind::Yaml && text.trim().is_empty() => {}
            Ok(doc) => self.mount(&name, prefix, doc),
            Err(e) => self.errors.push(e),
        }
    }

    /// Merges `doc` into `data` at `prefix`.
    fn mount(&mut self, name: &str, prefix: &[String], doc: Value) {
        if prefix.is_empty() && doc.as_object().is_none() {
            let reason = format!(
                "data at the root must be an object, not {}",
                doc.type_name()
            );
            return self.errors.push(LoadError::new(name, reason));
        }
        let doc = prefix.iter().rev().fold(doc, |inner, key| {
            Value::object_from(vec![(Value::from(key.as_str()), inner)])
        });
        let mut at = Vec::new();
        match merge(&self.data, &doc, &mut at) {
            Some(merged) => self.data = merged,
            None => {
                let path = std::iter::once("data".to_string())
                    .chain(at)
                    .collect::<Vec<_>>()
                    .join(".");
                let reason = format!("merge error: conflicting data at {path}");
                self.errors.push(LoadError::new(name, reason));
            }
        }
    }
}

/// `b` merged into `a`: objects key by key; anything else meeting a value is a conflict,
/// `None`, and `at` then holds the path of the conflict.
pub fn merge(a: &Value, b: &Value, at: &mut Vec<String>) -> Option<Value> {
    let (x, y) = (a.as_object()?, b.as_object()?);
    let mut entries: Vec<(Value, Value)> = x.to_vec();
    for (key, value) in y {
        match entries.iter_mut().find(|(k, _)| k == key) {
            Some((_, existing)) => {
                at.push(key.as_str().map_or_else(|| key.to_string(), str::to_string));
                *existing = merge(existing, value, at)?;
                at.pop();
            }
            None => entries.push((key.clone(), value.clone())),
        }
    }
    Some(Value::object_from(entries))
}

/// Reads an input document (`-i FILE`): YAML for `.yaml`/`.yml`, JSON for `.json`, and for
/// other names JSON, or YAML when it is not JSON.
pub fn read_input(path: &Path) -> Result<Value, LoadError> {
    let name = path.display().to_string();
    let text = read_text(path)?;
    parse_document(&name, &text, kind_of(path))
}

/// Parses an input document read from stdin: JSON, or YAML when it is not JSON.
pub fn parse_stdin_input(text: &str) -> Result<Value, LoadError> {
    parse_document("<stdin>", text, Kind::Other)
}

fn parse_document(name: &str, text: &str, kind: Kind) -> Result<Value, LoadError> {
    match kind {
        Kind::Json => parse_json(name, text),
        Kind::Yaml => parse_yaml(name, text),
        Kind::Rego | Kind::Other => {
            parse_json(name, text).or_else(|json| parse_yaml(name, text).map_err(|_| json))
        }
    }
}

/// Reads a file as UTF-8 text, naming it in the error.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError::new(&name, io_reason(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error();
        let (line, col) = utf8_position(e.as_bytes(), bad);
        LoadError {
            path: name,
            reason: format!(
                "not valid UTF-8 (invalid byte 0x{:02x})",
                e.as_bytes()[bad.valid_up_to()]
            ),
            position: Some((line as u32, col as u32)),
        }
    })
}

/// Parses JSON text, naming the file and position on error.
pub fn parse_json(name: &str, text: &str) -> Result<Value, LoadError> {
    Value::from_json_str(text).map_err(|e| {
        let (line, col) = (e.line(), e.column());
        let reason = format!(
            "invalid JSON: {}",
            strip_position(&e.to_string(), line, col)
        );
        let position = json_position(text, line, col);
        LoadError {
            path: name.to_string(),
            reason,
            position: position.map(|(l, c)| (l as u32, c as u32)),
        }
    })
}

/// Where serde_json's `line` and `column` point in `text`, 1-based; `None` when unknown.
/// Column 0 means the parser had just read a line break: the culprit ends the line before.
pub(crate) fn json_position(text: &str, line: usize, col: usize) -> Option<(usize, usize)> {
    match (line, col) {
        (0, _) => None,
        (line, 0) if line > 1 => {
            let before = text.lines().nth(line - 2).unwrap_or_default();
            Some((line - 1, before.chars().count() + 1))
        }
        (line, col) => Some((line, col.max(1))),
    }
}

/// Parses YAML text, naming the file and position on error.
pub fn parse_yaml(name: &str, text: &str) -> Result<Value, LoadError> {
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| {
        let position = e.location().map(|l| (l.line(), l.column()));
        let message = match position {
            Some((line, col)) => strip_position(&e.to_string(), line, col),
            None => e.to_string(),
        };
        LoadError {
            path: name.to_string(),
            reason: format!("invalid YAML: {message}"),
            position: position.map(|(l, c)| (l as u32, c as u32)),
        }
    })
}

/// A parser's message without its ` at line L column C`, which the error carries apart.
pub(crate) fn strip_position(message: &str, line: usize, col: usize) -> String {
    message.replacen(&format!(" at line {line} column {col}"), "", 1)
}

/// An I/O error as a short lower-case phrase, without Rust's `(os error N)` suffix.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
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

/// The 1-based line and column just after the valid text before the first invalid byte.
fn utf8_position(bytes: &[u8], e: std::str::Utf8Error) -> (usize, usize) {
    let valid = &bytes[..e.valid_up_to()];
    // The prefix up to `valid_up_to` is valid UTF-8 by definition.
    let before = std::str::from_utf8(valid).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Where the first invalid byte is, as a line and column of the valid text before it.
fn utf8_reason(bytes: &[u8], e: std::str::Utf8Error) -> String {
    let (line, col) = utf8_position(bytes, e);
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

    fn j(text: &str) -> Value {
        Value::from_json_str(text).expect("valid JSON")
    }

    #[test]
    fn merge_joins_objects_and_reports_the_conflict_path() {
        let merged = merge(
            &j(r#"{"a": {"b": 1}}"#),
            &j(r#"{"a": {"c": 2}}"#),
            &mut vec![],
        );
        assert_eq!(merged, Some(j(r#"{"a": {"b": 1, "c": 2}}"#)));
        let mut at = Vec::new();
        let clash = merge(&j(r#"{"a": {"b": 1}}"#), &j(r#"{"a": {"b": 2}}"#), &mut at);
        assert_eq!(clash, None);
        assert_eq!(at, ["a", "b"]);
    }

    #[test]
    fn json_errors_carry_the_position_once() {
        let e = parse_json("d.json", "{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(2));
        assert!(e.to_string().starts_with("d.json:2:"), "{e}");
        assert!(!e.reason.contains("at line"), "{e}");
    }

    #[test]
    fn yaml_and_fallback_documents() {
        assert_eq!(
            parse_yaml("d.yaml", "a:\n  - 1\n").ok(),
            Some(j(r#"{"a": [1]}"#))
        );
        assert_eq!(
            parse_stdin_input("x: true\n").ok(),
            Some(j(r#"{"x": true}"#))
        );
        let e = parse_yaml("d.yaml", "a: [1,\n").unwrap_err();
        assert!(e.position.is_some(), "{e}");
    }
}
