//! Expanding the PATH arguments of `rego validate` into the files to read, as conftest does:
//!
//! - `-` is standard input;
//! - a file named directly is kept whatever its name, but without a `--parser` its name must
//!   pick a format ([`Format::for_path`]), or it is an error;
//! - a directory is walked recursively, entries in name order, keeping the files whose names
//!   pick a format, with or without `--parser` (conftest picks files the same way either
//!   way); symbolic links are followed, each directory walked once;
//! - unlike conftest, version-control metadata directories (`.git`, `.hg`, `.svn`) are not
//!   walked: their files (`HEAD`, `config`, packed objects) have no extension and would be
//!   read as YAML;
//! - finding no file at all is an error.

use super::{Format, InputError};
use crate::load::{self, io_reason};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One input to read: a file or standard input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// A file, by the path given or found under a directory argument.
    File(PathBuf),
    /// Standard input (the argument `-`).
    Stdin,
}

impl Source {
    /// The name results and errors use: the path as written, or `-` for standard input.
    pub fn name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Stdin => "-".to_string(),
        }
    }

    /// The format to read it with: `parser` when given, else by file name, and YAML for
    /// standard input (conftest's default there).
    pub fn format(&self, parser: Option<Format>) -> Option<Format> {
        match (parser, self) {
            (Some(format), _) => Some(format),
            (None, Source::File(path)) => Format::for_path(path),
            (None, Source::Stdin) => Some(Format::Yaml),
        }
    }

    /// Reads the whole input as UTF-8 text (standard input to its end).
    pub fn read(&self) -> Result<String, InputError> {
        let from_load = |e: load::LoadError| match e.position {
            Some((line, column)) => {
                InputError::at(&e.path, line as usize, Some(column as usize), e.reason)
            }
            None => InputError::new(&e.path, e.reason),
        };
        match self {
            Source::File(path) => load::read_text(path).map_err(from_load),
            Source::Stdin => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                    .map_err(|e| InputError::new("-", format!("cannot read: {e}")))?;
                String::from_utf8(bytes).map_err(|e| {
                    InputError::new("-", format!("not valid UTF-8: {}", e.utf8_error()))
                })
            }
        }
    }
}

/// Expands the PATH arguments (see the module docs); `parser` is the `--parser` override.
pub fn discover(paths: &[PathBuf], parser: Option<Format>) -> Result<Vec<Source>, InputError> {
    let mut walk = Walk {
        sources: Vec::new(),
        visited: HashSet::new(),
    };
    for path in paths {
        if path.as_os_str() == "-" {
            walk.sources.push(Source::Stdin);
            continue;
        }
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| InputError::new(&name, io_reason(&e)))?;
        if meta.is_dir() {
            walk.directory(path)?;
        } else if parser.is_none() && Format::for_path(path).is_none() {
            let message = format!(
                "unknown file type; pick a parser with --parser ({})",
                Format::NAMES.join(", ")
            );
            return Err(InputError::new(&name, message));
        } else {
            walk.sources.push(Source::File(path.clone()));
        }
    }
    if walk.sources.is_empty() {
        let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(InputError::new(
            "",
            format!("no configuration files found in {}", named.join(", ")),
        ));
    }
    Ok(walk.sources)
}

/// The state of one [`discover`] call.
struct Walk {
    sources: Vec<Source>,
    /// Canonical directories already walked, so symbolic-link cycles end.
    visited: HashSet<PathBuf>,
}

/// Directories holding version-control metadata, never walked.
const SKIPPED_DIRECTORIES: &[&str] = &[".git", ".hg", ".svn"];

impl Walk {
    fn directory(&mut self, dir: &Path) -> Result<(), InputError> {
        let name = dir.display().to_string();
        if let Ok(canonical) = dir.canonicalize() {
            if !self.visited.insert(canonical) {
                return Ok(());
            }
        }
        let entries = std::fs::read_dir(dir).map_err(|e| InputError::new(&name, io_reason(&e)))?;
        let mut entries: Vec<_> = entries
            .collect::<Result<_, _>>()
            .map_err(|e| InputError::new(&name, io_reason(&e)))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
            if is_dir {
                let skipped = SKIPPED_DIRECTORIES.iter().any(|d| entry.file_name() == *d);
                if !skipped {
                    self.directory(&path)?;
                }
            } else if Format::for_path(&path).is_some() {
                // A dangling link with a known name is kept, to fail when read, as in conftest.
                self.sources.push(Source::File(path));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            let dir = std::env::temp_dir().join(format!(
                "rego-inputs-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }

        fn file(&self, rel: &str) -> PathBuf {
            let path = self.0.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create dirs");
            }
            std::fs::write(&path, "a: 1\n").expect("write file");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn names(sources: &[Source], root: &Path) -> Vec<String> {
        sources
            .iter()
            .map(|s| match s {
                Source::File(p) => p.strip_prefix(root).unwrap_or(p).display().to_string(),
                Source::Stdin => "-".to_string(),
            })
            .collect()
    }

    #[test]
    fn directories_are_walked_in_name_order_keeping_known_formats() {
        let dir = TempDir::new("walk");
        for rel in [
            "b.yaml",
            "a/z.json",
            "a/Dockerfile",
            "a/notes.md",
            "a/LICENSE",
            "c.rego",
            ".git/HEAD",
            ".git/config.yaml",
            ".github/ci.yml",
        ] {
            dir.file(rel);
        }
        let found = discover(std::slice::from_ref(&dir.0), None).expect("files");
        assert_eq!(
            names(&found, &dir.0),
            [
                ".github/ci.yml",
                "a/Dockerfile",
                "a/LICENSE",
                "a/z.json",
                "b.yaml"
            ]
        );
        // The override does not change which files a walk picks.
        let found = discover(std::slice::from_ref(&dir.0), Some(Format::Json)).expect("files");
        assert_eq!(found.len(), 5);
    }

    #[test]
    fn named_files_need_a_format_unless_overridden() {
        let dir = TempDir::new("named");
        let conf = dir.file("nginx.conf");
        let e = discover(std::slice::from_ref(&conf), None).unwrap_err();
        assert_eq!(e.file, conf.display().to_string());
        assert!(e.message.contains("--parser"), "{e}");
        let found = discover(std::slice::from_ref(&conf), Some(Format::Ini)).expect("file");
        assert_eq!(found, [Source::File(conf)]);
    }

    #[test]
    fn stdin_missing_paths_and_empty_walks() {
        let found = discover(&[PathBuf::from("-")], None).expect("stdin");
        assert_eq!(found, [Source::Stdin]);
        assert_eq!(found[0].format(None), Some(Format::Yaml));
        assert_eq!(found[0].format(Some(Format::Json)), Some(Format::Json));
        let e = discover(&[PathBuf::from("/definitely/not/here.yaml")], None).unwrap_err();
        assert_eq!(e.message, "no such file or directory");
        let dir = TempDir::new("empty");
        dir.file("notes.md");
        let e = discover(std::slice::from_ref(&dir.0), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("no configuration files found in {}", dir.0.display())
        );
    }

    #[test]
    fn sources_read_files_and_name_themselves() {
        let dir = TempDir::new("read");
        let path = dir.file("x.yaml");
        let source = Source::File(path.clone());
        assert_eq!(source.read(), Ok("a: 1\n".to_string()));
        assert_eq!(source.name(), path.display().to_string());
        assert_eq!(Source::Stdin.name(), "-");
        let missing = Source::File(dir.0.join("gone.yaml"));
        assert!(missing.read().is_err());
    }
}
