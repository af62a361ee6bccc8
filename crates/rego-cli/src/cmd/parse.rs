//! `rego parse [--format json|pretty] FILE...`: parse policy files and print their syntax trees.
//!
//! Output goes to stdout only when every file parses; otherwise every error of every file is
//! rendered on stderr (followed by `N errors` when there are several) and the exit code is 1.

use crate::load;
use crate::pretty;
use crate::render::{self, Style};
use rego_syntax::ast::Module;
use rego_syntax::{FileId, SourceMap, parse_module};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `rego parse`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The Rego files to parse.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// How the syntax trees are printed.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// The AST as JSON (see docs/ast-json.md): one module object, or an array of
    /// `{"file", "module"}` objects for several files.
    Json,
    /// An indented outline, one node per line.
    Pretty,
}

/// Runs `rego parse`.
pub fn run(args: &Args) -> ExitCode {
    let style = Style::for_stderr();
    let mut sources = SourceMap::new();
    let mut parsed: Vec<(FileId, Module)> = Vec::new();
    let mut rendered: Vec<String> = Vec::new();
    for path in &args.files {
        let file = match load::add_file(&mut sources, path) {
            Ok(file) => file,
            Err(e) => {
                rendered.push(render::plain_error(&e.to_string(), style));
                continue;
            }
        };
        match parse_module(&sources, file) {
            Ok(module) => parsed.push((file, module)),
            Err(errors) => rendered.extend(
                errors
                    .0
                    .iter()
                    .map(|e| render::parse_error(&sources, e, style)),
            ),
        }
    }
    if !rendered.is_empty() {
        let mut text = rendered.join("\n");
        if rendered.len() > 1 {
            text.push('\n');
            text.push_str(&render::summary(rendered.len(), style));
        }
        eprint!("{text}");
        return ExitCode::FAILURE;
    }
    let text = match args.format {
        Format::Json => json(&sources, &parsed),
        Format::Pretty => parsed
            .iter()
            .map(|(file, module)| pretty::module(sources.file(*file).name(), module))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`rego parse x.rego | head`) is not an error worth a panic.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}

/// One module as an object; several as an array of `{"file", "module"}`, fields in AST order.
fn json(sources: &SourceMap, parsed: &[(FileId, Module)]) -> String {
    /// One entry of the array printed for several files.
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        file: &'a str,
        module: &'a Module,
    }
    let result = match parsed {
        [(_, module)] => serde_json::to_string_pretty(module),
        _ => serde_json::to_string_pretty(
            &parsed
                .iter()
                .map(|(file, module)| Entry {
                    file: sources.file(*file).name(),
                    module,
                })
                .collect::<Vec<_>>(),
        ),
    };
    // Serializing the AST cannot fail: it holds no maps with non-string keys.
    let mut text = result.unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    text.push('\n');
    text
}
