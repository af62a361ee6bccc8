//! Configuration files as `rego validate` reads them, the way conftest does: which parser a
//! file name picks ([`Format::for_path`]), which files a list of paths expands to
//! ([`discover`]), and the value each parser makes of a file's text ([`parse`]).
//!
//! Each format family lives in its own file: JSON, YAML and TOML in `data`, HCL2 in `hcl`,
//! Dockerfiles in `dockerfile`, INI, dotenv and Java properties in `keyvalue`, XML in `xml`,
//! and the walk over paths in `discover`.
//!
//! [`parse`] returns one value per file. Where conftest would produce several configurations
//! from one file (a multi-document YAML file, a stream of JSON values), the value is an array
//! of them; the caller splits a top-level array into separate configurations, as conftest does.

mod data;
mod discover;
mod dockerfile;
mod hcl;
mod keyvalue;
mod xml;

pub use discover::{Source, discover};

use rego_eval::Value;
use std::fmt;
use std::path::Path;

/// A config file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// YAML, possibly several documents.
    Yaml,
    /// JSON, possibly a stream of values (`.ndjson`).
    Json,
    /// TOML.
    Toml,
    /// HCL2 (Terraform `.tf`, `.tfvars`, `.hcl`), shaped as `hcl2json` shapes it.
    Hcl2,
    /// A Dockerfile, as a list of instructions.
    Dockerfile,
    /// INI sections of keys.
    Ini,
    /// A `.env` file of variables.
    Env,
    /// XML, shaped as `goxml2json` shapes it.
    Xml,
    /// Java properties.
    Properties,
}

impl Format {
    /// The `--parser` names, as conftest spells them, in the order error messages list them.
    pub const NAMES: &[&str] = &[
        "dockerfile",
        "dotenv",
        "hcl2",
        "ini",
        "json",
        "properties",
        "toml",
        "xml",
        "yaml",
    ];

    /// The format a `--parser` name selects: conftest's names (`yaml`, `json`, `toml`, `hcl2`,
    /// `dockerfile`, `ini`, `dotenv`, `xml`, `properties`), any letter case, and the aliases
    /// `yml`, `hcl`, `tf`, `env` and `ndjson`.
    pub fn from_name(name: &str) -> Option<Format> {
        let format = match name.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Format::Yaml,
            "json" | "ndjson" => Format::Json,
            "toml" => Format::Toml,
            "hcl2" | "hcl" | "tf" => Format::Hcl2,
            "dockerfile" => Format::Dockerfile,
            "ini" => Format::Ini,
            "dotenv" | "env" => Format::Env,
            "xml" => Format::Xml,
            "properties" => Format::Properties,
            _ => return None,
        };
        Some(format)
    }

    /// The format's `--parser` name, as conftest spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Toml => "toml",
            Format::Hcl2 => "hcl2",
            Format::Dockerfile => "dockerfile",
            Format::Ini => "ini",
            Format::Env => "dotenv",
            Format::Xml => "xml",
            Format::Properties => "properties",
        }
    }

    /// The format conftest picks for a file by its name, letter case aside:
    /// - a Dockerfile is named `Dockerfile`, `Dockerfile.<anything>` or `<anything>.dockerfile`;
    /// - a dotenv file is named `.env`, `.env.<anything>` or `<anything>.env`;
    /// - `.yaml`/`.yml`, `.json`/`.ndjson`, `.toml`, `.tf`/`.tfvars`/`.hcl`/`.hcl2`, `.ini`,
    ///   `.xml` and `.properties` go by extension;
    /// - a name without an extension is YAML, as in conftest (which reads such files, and
    ///   standard input, as YAML).
    ///
    /// Other extensions, including those of conftest parsers this command does not have (CUE,
    /// HOCON, Jsonnet, ...), have no format.
    pub fn for_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let extension = match name.rfind('.') {
            Some(dot) => &name[dot + 1..],
            None => "yml",
        };
        if name == "dockerfile" || name.starts_with("dockerfile.") || extension == "dockerfile" {
            return Some(Format::Dockerfile);
        }
        // In conftest's order: these extensions win over a `.env.` prefix, the rest lose.
        let format = match extension {
            "ndjson" => Format::Json,
            "yaml" | "yml" => Format::Yaml,
            "hcl" | "tf" | "tfvars" => Format::Hcl2,
            _ if name == ".env" || name.starts_with(".env.") => Format::Env,
            "env" | "dotenv" => Format::Env,
            "json" => Format::Json,
            "hcl2" => Format::Hcl2,
            "toml" => Format::Toml,
            "ini" => Format::Ini,
            "xml" => Format::Xml,
            "properties" => Format::Properties,
            _ => return None,
        };
        Some(format)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file that could not be found, read or parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The file as named on the command line or found in a directory (`-` for stdin); empty
    /// when the error is about no file in particular.
    pub file: String,
    /// The 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// The 1-based column of the problem, when known (only with a line).
    pub column: Option<usize>,
    /// What is wrong, in lower case and without the position.
    pub message: String,
}

impl InputError {
    /// An error about `file` as a whole.
    pub fn new(file: &str, message: impl Into<String>) -> InputError {
        InputError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at a 1-based line and, when known, column of `file`.
    pub fn at(
        file: &str,
        line: usize,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> InputError {
        InputError {
            file: file.to_string(),
            line: Some(line),
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{}:", self.file)?;
            if let Some(line) = self.line {
                write!(f, "{line}:")?;
                if let Some(column) = self.column {
                    write!(f, "{column}:")?;
                }
            }
            f.write_str(" ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// Parses one file's text into the value conftest's parser for `format` produces; `name`
/// names the file in errors. A leading UTF-8 byte-order mark is ignored.
pub fn parse(name: &str, text: &str, format: Format) -> Result<Value, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Yaml => data::parse_yaml(name, text),
        Format::Json => data::parse_json(name, text),
        Format::Toml => data::parse_toml(name, text),
        Format::Hcl2 => hcl::parse(name, text),
        Format::Dockerfile => dockerfile::parse(name, text),
        Format::Ini => keyvalue::parse_ini(name, text),
        Format::Env => keyvalue::parse_env(name, text),
        Format::Xml => xml::parse(name, text),
        Format::Properties => keyvalue::parse_properties(name, text),
    }
}

/// `text` as a finite float, when Go's `strconv.ParseFloat` reads it as one. Rust's parser
/// accepts the same decimal syntax (sign, digits, point, exponent; no spaces); Go's hex
/// floats (`0x1p-2`) are not recognised.
fn go_float(text: &str) -> Option<f64> {
    let number: f64 = text.parse().ok()?;
    number.is_finite().then_some(number)
}

/// The 1-based line and column of byte `offset` in `text` (clamped to the text).
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
