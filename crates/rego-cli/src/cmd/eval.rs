//! `rego eval [flags] QUERY`: evaluate a query against policies, data and an input, as
//! `opa eval` does.
//!
//! Exit codes: 0 on success; 1 when `--fail` finds no result or `--fail-defined` finds one;
//! 2 on any error (unreadable or invalid files, parse, compile and evaluation errors). With
//! `--format json` errors are printed to stdout as `{"errors": [...]}`; with the other
//! formats they are rendered for people on stderr, with the source line and a caret.
//! `print(...)` output goes to stderr.

mod output;

use crate::decision_log::{self, Decision, DecisionLog};
use crate::diagnostics::{self, Names, Reported, compile_errors};
use crate::json::ErrorEntry;
use crate::load::{self, LoadOptions};
use crate::policy;
use crate::render::{self, Style};
use rego_eval::{EvalError, EvalOptions, QueryResult, Value};
use rego_syntax::{FileId, SourceMap, Span};
use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The arguments of `rego eval`.
#[derive(clap::Args)]
pub struct Args {
    /// The query to evaluate (literals separated by `;` or newlines).
    #[arg(
        value_name = "QUERY",
        required_unless_present = "stdin",
        conflicts_with = "stdin"
    )]
    query: Option<String>,
    /// Policy (`.rego`) and data (`.json`, `.yaml`, `.yml`) files, or directories to load
    /// recursively; data is mounted at its directory's path below the directory given.
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    data: Vec<PathBuf>,
    /// The input document (JSON, or YAML for `.yaml`/`.yml` files).
    #[arg(short = 'i', long = "input", value_name = "FILE")]
    input: Option<PathBuf>,
    /// Read the input document from stdin.
    #[arg(short = 'I', long = "stdin-input", conflicts_with_all = ["input", "stdin"])]
    stdin_input: bool,
    /// Read the query from stdin.
    #[arg(long)]
    stdin: bool,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Exit with code 1 when the result is undefined (no result).
    #[arg(long, conflicts_with = "fail_defined")]
    fail: bool,
    /// Exit with code 1 when the result is defined (at least one result).
    #[arg(long)]
    fail_defined: bool,
    /// Make the first builtin error abort the query instead of making the call undefined.
    #[arg(long)]
    strict_builtin_errors: bool,
    /// Give up after this long (Go duration syntax: `500ms`, `2s`, `1m30s`; 0: no limit).
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    timeout: Option<Duration>,
    /// Cut `pretty` table cells longer than this many bytes (0: no limit).
    #[arg(long, value_name = "N", default_value_t = 80)]
    pretty_limit: usize,
    /// Append this decision to FILE as one JSON line in OPA's decision-log event shape.
    #[arg(long, value_name = "FILE")]
    decision_log: Option<PathBuf>,
}

/// How results are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// OPA's result document: `{"result": [{"expressions": [...], "bindings": {...}}]}`.
    Json,
    /// One JSON array of expression values per result.
    Values,
    /// One JSON object of variable bindings per result.
    Bindings,
    /// For people: the value as JSON, or a table of bindings.
    Pretty,
    /// One line per result, expression values separated by spaces, strings unquoted.
    Raw,
}

/// Why evaluation did not produce results.
enum Failure {
    /// Errors to report in the chosen format.
    Errors(Vec<Reported>),
    /// A problem with the command's own input (the input document, stdin), always printed on
    /// stderr as one line, as OPA does.
    Plain(String),
}

/// Runs `rego eval`.
pub fn run(args: &Args) -> ExitCode {
    let style = Style::for_stderr();
    let log = match args
        .decision_log
        .as_deref()
        .map(DecisionLog::open)
        .transpose()
    {
        Ok(log) => log,
        Err(e) => {
            write_stderr(&render::plain_error(&e.to_string(), style));
            return ExitCode::from(2);
        }
    };
    match evaluate(args, style) {
        Ok(Evaluated {
            results,
            query,
            input,
            eval_ns,
        }) => {
            if let Some(log) = &log
                && let Err(e) = log_decision(log, &query, input.as_ref(), &results, eval_ns)
            {
                write_stderr(&render::plain_error(&e.to_string(), style));
                return ExitCode::from(2);
            }
            let text = match args.format {
                Format::Json => output::json(&results),
                Format::Values => output::values(&results),
                Format::Bindings => output::bindings(&results),
                Format::Pretty => output::pretty(&results, args.pretty_limit),
                Format::Raw => output::raw(&results),
            };
            write_stdout(&text);
            let defined = !results.is_empty();
            if (args.fail && !defined) || (args.fail_defined && defined) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(Failure::Plain(message)) => {
            write_stderr(&render::plain_error(&message, style));
            ExitCode::from(2)
        }
        Err(Failure::Errors(errors)) => {
            if args.format == Format::Json {
                write_stdout(&diagnostics::json(&errors));
            } else {
                write_stderr(&diagnostics::human(&errors, style));
            }
            ExitCode::from(2)
        }
    }
}

/// A successful run: the results and what the decision log records.
struct Evaluated {
    results: Vec<QueryResult>,
    query: String,
    input: Option<Value>,
    eval_ns: u64,
}

/// Appends the decision: the document's value for a plain `data` reference, otherwise the
/// result set as `--format json` prints it.
fn log_decision(
    log: &DecisionLog,
    query: &str,
    input: Option<&Value>,
    results: &[QueryResult],
    eval_ns: u64,
) -> Result<(), crate::decision_log::LogError> {
    let path = decision_log::document_path(query);
    let result = match &path {
        Some(_) => results
            .first()
            .and_then(|r| r.expressions.first())
            .and_then(|e| serde_json::to_value(&e.value).ok()),
        None if results.is_empty() => None,
        None => serde_json::from_str::<serde_json::Value>(&output::json(results))
            .ok()
            .and_then(|mut doc| doc.get_mut("result").map(serde_json::Value::take)),
    };
    log.record(Decision {
        path: path.as_deref(),
        query: path.is_none().then_some(query),
        input: input.and_then(|v| serde_json::to_value(v).ok()),
        result,
        eval_ns,
        labels: Vec::new(),
    })
}

/// Loads everything, compiles, and runs the query.
fn evaluate(args: &Args, style: Style) -> Result<Evaluated, Failure> {
    let deadline = args
        .timeout
        .filter(|d| !d.is_zero())
        .map(|d| Instant::now() + d);
    // Clap requires either the argument or `--stdin`.
    let query = match &args.query {
        Some(query) => query.clone(),
        None => read_stdin().map_err(|e| Failure::Plain(format!("reading the query: {e}")))?,
    };
    let input = read_input(args)?;
    let loaded =
        policy::load(&args.data, &LoadOptions::default(), style).map_err(Failure::Errors)?;
    let engine = policy::engine(&loaded, style).map_err(Failure::Errors)?;
    let compiled = policy::compile(&engine, style).map_err(Failure::Errors)?;
    // The same files the prepared query sees (`Policy::prepare` registers the query as
    // `query.rego` after the policy's files), so spans in query errors resolve here too.
    let mut sources = engine.sources().clone();
    let query_file = sources.add("query.rego", &query);
    let names = Names::new(&sources, Some(query_file));
    let prepared = compiled
        .prepare(&query)
        .map_err(|e| Failure::Errors(compile_errors(&e, &names, style)))?;
    let options = EvalOptions {
        strict_builtin_errors: args.strict_builtin_errors,
        deadline,
        print: Some(Arc::new(|line: &str| write_stderr(&format!("{line}\n")))),
        ..EvalOptions::default()
    };
    let policy_names: Vec<&str> = loaded.policies.iter().map(|p| p.name.as_str()).collect();
    let started = Instant::now();
    let results = prepared
        .eval(input.as_ref(), &options)
        .map_err(|e| Failure::Errors(vec![eval_error(&e, &names, &policy_names, style)]))?;
    let eval_ns = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    Ok(Evaluated {
        results,
        query,
        input,
        eval_ns,
    })
}

/// The input document from `-i FILE` or `-I`, if any.
fn read_input(args: &Args) -> Result<Option<Value>, Failure> {
    let parsed = if args.stdin_input {
        let text = read_stdin().map_err(|e| Failure::Plain(format!("reading the input: {e}")))?;
        load::parse_stdin_input(&text)
    } else if let Some(path) = &args.input {
        load::read_input(path)
    } else {
        return Ok(None);
    };
    parsed
        .map(Some)
        .map_err(|e| Failure::Plain(format!("unable to parse input: {e}")))
}

/// All of stdin as text.
fn read_stdin() -> Result<String, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    Ok(text)
}

fn eval_error(e: &EvalError, names: &Names<'_>, policies: &[&str], style: Style) -> Reported {
    let in_query = e
        .location
        .as_ref()
        .is_some_and(|l| &*l.file == "query.rego" && !policies.contains(&"query.rego"));
    let locations = e.location.as_ref().map(|l| names.locations(l, in_query));
    // The query's span, found by the file id rather than by its name.
    let span = match (&e.location, names.query) {
        (Some(l), Some(query)) if in_query => Some(line_start(names.sources, query, l.row)),
        _ => None,
    };
    Reported {
        text: render::coded_error(
            names.sources,
            e.code,
            &e.message,
            locations.as_ref().map(|l| &l.1),
            span,
            style,
        ),
        entry: ErrorEntry {
            message: e.message.clone(),
            code: Some(e.code.to_string()),
            location: locations.map(|l| l.0),
        },
    }
}

/// An empty span at the start of line `row` of `file`.
fn line_start(sources: &SourceMap, file: FileId, row: u32) -> Span {
    let start: usize = sources
        .file(file)
        .text()
        .split_inclusive('\n')
        .take(row.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    Span::new(file, start, start)
}

/// Writes to stdout; a closed pipe (`rego eval ... | head`) is not worth a panic.
fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Writes to stderr, ignoring failures.
fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
