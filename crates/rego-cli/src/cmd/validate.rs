//! `rego validate [flags] PATH...`: check configuration files against policies, as
//! `conftest test` does.
//!
//! Files and directories (walked recursively) are parsed by extension or `--parser`; a file
//! holding several configurations (a multi-document YAML file, a JSON array) is checked one
//! configuration at a time. Every configuration is checked, in parallel, against the `deny`,
//! `violation` and `warn` rules of each namespace with one shared compiled policy. A file
//! that cannot be parsed is reported as a failure and the run goes on.
//!
//! Exit codes: 0 when nothing failed; 1 on any failure (or, with `--fail-on-warn`, any
//! warning; failures then give 2); 1 when the policy or the paths cannot be used.

use crate::decision_log::{Decision, DecisionLog};
use crate::diagnostics::{self, Reported};
use crate::inputs::{self, Format, Source};
use crate::load::LoadOptions;
use crate::policy;
use crate::render::Style;
use crate::validate::check::{Checker, Namespaces};
use crate::validate::output::{self, OutputFormat, RenderOptions};
use crate::validate::report::{CheckResult, Totals};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use rego_eval::{EvalOptions, Value};
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `rego validate`.
#[derive(clap::Args)]
pub struct Args {
    /// Configuration files, or directories to search recursively; `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Policy files or directories (only `.rego` files are read).
    #[arg(
        short = 'p',
        long = "policy",
        value_name = "PATH",
        default_value = "policy"
    )]
    policy: Vec<PathBuf>,
    /// Data files or directories (JSON, YAML), available to policies under `data`.
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    data: Vec<PathBuf>,
    /// The package whose rules apply; may be repeated.
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "PACKAGE",
        default_value = "main"
    )]
    namespace: Vec<String>,
    /// Apply the rules of every package.
    #[arg(long, conflicts_with = "namespace")]
    all_namespaces: bool,
    /// Parse every file with this parser instead of choosing by extension.
    #[arg(long, value_name = "PARSER")]
    parser: Option<String>,
    /// Check all files together, as one input: an array of `{"path", "contents"}` objects.
    #[arg(long)]
    combine: bool,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Stdout)]
    output: OutputFormat,
    /// Exit with 1 on warnings too (and 2 on failures).
    #[arg(long)]
    fail_on_warn: bool,
    /// Never colour the output (it is coloured only on a terminal anyway).
    #[arg(long)]
    no_color: bool,
    /// Make builtin errors fail the check instead of making the call undefined.
    #[arg(long)]
    strict_builtin_errors: bool,
    /// Append one decision per configuration and namespace to FILE, in OPA's decision-log
    /// event shape.
    #[arg(long, value_name = "FILE")]
    decision_log: Option<PathBuf>,
    /// Worker threads (default: one per CPU).
    #[arg(long, value_name = "N")]
    parallel: Option<usize>,
    /// Skip configuration files whose path matches this regular expression (as conftest's
    /// `--ignore`).
    #[arg(long, value_name = "REGEX")]
    ignore: Option<String>,
}

/// Runs `rego validate`.
pub fn run(args: &Args) -> ExitCode {
    let style = Style::for_stderr();
    match validate(args, style) {
        Ok(code) => code,
        Err(errors) => {
            let text = diagnostics::human(&errors, style);
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            ExitCode::from(1)
        }
    }
}

/// One configuration to check: which file it came from and its value.
struct Config {
    source: usize,
    value: Value,
}

/// Sets everything up, checks every configuration, prints the results.
fn validate(args: &Args, style: Style) -> Result<ExitCode, Vec<Reported>> {
    let plain = |message: String| vec![diagnostics::plain(message, style)];
    let parser = match &args.parser {
        None => None,
        Some(name) => Some(Format::from_name(name).ok_or_else(|| {
            plain(format!(
                "unknown parser {name:?}; the parsers are {}",
                Format::NAMES.join(", ")
            ))
        })?),
    };
    let log = args
        .decision_log
        .as_deref()
        .map(DecisionLog::open)
        .transpose()
        .map_err(|e| plain(e.to_string()))?;
    let checker = build_checker(args, style)?;
    let ignore = match &args.ignore {
        Some(pattern) => Some(
            regex::Regex::new(pattern)
                .map_err(|e| plain(format!("invalid --ignore pattern: {e}")))?,
        ),
        None => None,
    };
    let mut sources = inputs::discover(&args.paths, parser).map_err(|e| plain(e.to_string()))?;
    if let Some(ignore) = &ignore {
        sources.retain(|source| !ignore.is_match(&source.name()));
        if sources.is_empty() {
            return Err(plain(format!(
                "--ignore {} left no configuration files to check",
                ignore.as_str()
            )));
        }
    }
    // A file named twice (or found twice) is checked once.
    let mut seen = std::collections::HashSet::new();
    sources.retain(|source| seen.insert(source.clone()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.parallel.unwrap_or(0))
        .build()
        .map_err(|e| plain(format!("cannot start worker threads: {e}")))?;
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let results = pool.install(|| {
        let parsed: Vec<Result<Value, String>> = sources
            .par_iter()
            .map(|source| read_config(source, parser))
            .collect();
        if args.combine {
            check_combined(&checker, &names, parsed, log.as_ref())
        } else {
            check_each(&checker, &names, parsed, log.as_ref())
        }
    });
    let results = results.map_err(|e| plain(e.to_string()))?;
    if results.is_empty() {
        // Empty files only: a CI step fed nothing must not pass.
        return Err(plain(format!(
            "no configurations to check: {} held no documents",
            names.join(", ")
        )));
    }
    let color = !args.no_color
        && args.output == OutputFormat::Stdout
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = output::render(
        args.output,
        &results,
        RenderOptions {
            color,
            fail_on_warn: args.fail_on_warn,
        },
    );
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(ExitCode::from(
        Totals::of(&results).exit_code(args.fail_on_warn),
    ))
}

/// Loads and compiles the policies and data, and finds the rules of the namespaces.
fn build_checker(args: &Args, style: Style) -> Result<Checker, Vec<Reported>> {
    for path in &args.policy {
        if !path.exists() {
            return Err(vec![diagnostics::plain(
                format!(
                    "policy path {} does not exist; point --policy at your .rego files",
                    path.display()
                ),
                style,
            )]);
        }
    }
    let rego_only = LoadOptions {
        ignore: Vec::new(),
        rego_only: true,
    };
    let mut loaded = policy::load(&args.policy, &rego_only, style)?;
    if loaded.policies.is_empty() {
        return Err(vec![diagnostics::plain(
            format!(
                "no .rego files found in {}; point --policy at your policies",
                args.policy
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            style,
        )]);
    }
    if !args.data.is_empty() {
        let data = policy::load(&args.data, &LoadOptions::default(), style)?;
        loaded.policies.extend(data.policies);
        loaded.data = data.data;
    }
    let engine = policy::engine(&loaded, style)?;
    let compiled = policy::compile(&engine, style)?;
    let namespaces = if args.all_namespaces {
        Namespaces::All
    } else {
        Namespaces::Named(args.namespace.clone())
    };
    let options = EvalOptions {
        strict_builtin_errors: args.strict_builtin_errors,
        ..EvalOptions::default()
    };
    Checker::new(&engine, &compiled, &namespaces, options)
        .map_err(|e| vec![diagnostics::plain(e.to_string(), style)])
}

/// Reads and parses one file; the error text names the file and, when known, the line.
fn read_config(source: &Source, parser: Option<Format>) -> Result<Value, String> {
    let name = source.name();
    let format = source
        .format(parser)
        .ok_or_else(|| format!("{name}: unknown file type; choose a parser with --parser"))?;
    let text = source.read().map_err(|e| e.to_string())?;
    inputs::parse(&name, &text, format).map_err(|e| e.to_string())
}

/// A progress bar on a terminal, for runs long enough to want one.
fn progress(total: usize) -> ProgressBar {
    if total < 200 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} configurations checked") {
        bar.set_style(style);
    }
    bar
}

/// Checks each configuration of each file on its own, in parallel, keeping file order.
fn check_each(
    checker: &Checker,
    names: &[String],
    parsed: Vec<Result<Value, String>>,
    log: Option<&DecisionLog>,
) -> Result<Vec<CheckResult>, crate::decision_log::LogError> {
    let mut configs = Vec::new();
    let mut unreadable = Vec::new();
    for (source, file) in parsed.into_iter().enumerate() {
        match file {
            // A file holding several configurations, as conftest splits them.
            Ok(value) => match value.as_array() {
                Some(items) => configs.extend(items.iter().map(|item| Config {
                    source,
                    value: item.clone(),
                })),
                None => configs.push(Config { source, value }),
            },
            Err(message) => unreadable.push((source, message)),
        }
    }
    let bar = progress(configs.len());
    let checked: Vec<(usize, Vec<CheckResult>)> = configs
        .par_iter()
        .map(|config| {
            let results = checker.check(&names[config.source], &config.value);
            bar.inc(1);
            if let Some(log) = log {
                record(log, &config.value, &results)?;
            }
            Ok((config.source, results))
        })
        .collect::<Result<_, _>>()?;
    bar.finish_and_clear();
    let mut by_source: Vec<Vec<CheckResult>> = vec![Vec::new(); names.len()];
    for (source, results) in checked {
        by_source[source].extend(results);
    }
    for (source, message) in unreadable {
        by_source[source] = checker.unreadable(&names[source], &message);
    }
    Ok(by_source.into_iter().flatten().collect())
}

/// Checks every file together as one input: `[{"path": ..., "contents": ...}, ...]`.
fn check_combined(
    checker: &Checker,
    names: &[String],
    parsed: Vec<Result<Value, String>>,
    log: Option<&DecisionLog>,
) -> Result<Vec<CheckResult>, crate::decision_log::LogError> {
    let mut results = Vec::new();
    let mut entries = Vec::new();
    for (name, file) in names.iter().zip(parsed) {
        match file {
            Ok(contents) => entries.push(Value::object_from(vec![
                (Value::from("path"), Value::from(name.as_str())),
                (Value::from("contents"), contents),
            ])),
            Err(message) => results.extend(checker.unreadable(name, &message)),
        }
    }
    let input = Value::array(entries);
    let combined = checker.check("Combined", &input);
    if let Some(log) = log {
        record(log, &input, &combined)?;
    }
    results.extend(combined);
    Ok(results)
}

/// Appends one decision per namespace checked.
fn record(
    log: &DecisionLog,
    input: &Value,
    results: &[CheckResult],
) -> Result<(), crate::decision_log::LogError> {
    let input_json = serde_json::to_value(input).ok();
    for result in results {
        let values: serde_json::Map<String, serde_json::Value> = result
            .values
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), serde_json::to_value(value).ok()?)))
            .collect();
        log.record(Decision {
            path: Some(&result.namespace),
            query: None,
            input: input_json.clone(),
            result: Some(serde_json::Value::Object(values)),
            eval_ns: result.eval_ns,
            labels: vec![("file", result.filename.clone())],
        })?;
    }
    Ok(())
}
