//! Running OPA-format conformance cases (JSON or YAML files of `{"cases": [...]}`) against the
//! engine, and judging each as OPA's harness does.

use rego_eval::{Engine, EvalOptions, Registry, Value};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One case of a case file.
#[derive(Clone, Debug)]
pub struct Case {
    /// `folder/file.json#index`: unique.
    pub id: String,
    /// The folder the file sits in.
    pub folder: String,
    /// The case's `note`.
    pub note: String,
    /// The case's JSON.
    pub json: Json,
}

/// How a case went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// As expected.
    Pass,
    /// Not as expected, with why.
    Fail(String),
}

/// Reads every case under the given files or folders, sorted by path.
pub fn load_cases(paths: &[PathBuf]) -> Result<Vec<Case>, String> {
    let mut files = Vec::new();
    for p in paths {
        collect_files(p, &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let doc: Json = if file.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?
        } else {
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?
        };
        let folder = file
            .parent()
            .and_then(Path::file_name)
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, case) in doc["cases"].as_array().into_iter().flatten().enumerate() {
            cases.push(Case {
                id: format!("{folder}/{name}#{i}"),
                folder: folder.clone(),
                note: case["note"].as_str().unwrap_or("").to_string(),
                json: case.clone(),
            });
        }
    }
    Ok(cases)
}

fn collect_files(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if p.is_dir() {
        for entry in std::fs::read_dir(p)? {
            collect_files(&entry?.path(), out)?;
        }
    } else if p
        .extension()
        .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
    {
        out.push(p.to_path_buf());
    }
    Ok(())
}

/// The standard builtins plus the harness's `test.sleep`.
pub fn registry() -> Registry {
    let mut registry = rego_builtins::standard();
    registry.add("test.sleep", 1, |_, args| {
        let d = args[0].as_str().unwrap_or("0s");
        let ms: u64 = d.trim_end_matches("ms").parse().unwrap_or(0);
        std::thread::sleep(Duration::from_millis(ms.min(1000)));
        Ok(Value::Null)
    });
    registry
}

/// Runs one case.
pub fn run_case(case: &Case, registry: &Registry) -> Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_case_inner(&case.json, registry)
    })) {
        Ok(o) => o,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Outcome::Fail(format!("panic: {msg}"))
        }
    }
}

fn json_to_value(j: &Json) -> Value {
    Value::from(j.clone())
}

fn run_case_inner(case: &Json, registry: &Registry) -> Outcome {
    let mut engine = Engine::with_registry(registry.clone());
    for (i, m) in case["modules"].as_array().into_iter().flatten().enumerate() {
        if let Err(e) = engine.add_module(&format!("test-{i}.rego"), m.as_str().unwrap_or("")) {
            return judge_error(case, &e.to_string(), "rego_parse_error");
        }
    }
    if let Some(data) = case.get("data") {
        if let Err(e) = engine.add_data(json_to_value(data)) {
            return Outcome::Fail(format!("data: {e}"));
        }
    }
    let policy = match engine.compile() {
        Ok(p) => p,
        Err(e) => {
            let code = e.0.first().map_or("", |e| e.code);
            return judge_error(case, &e.to_string(), code);
        }
    };
    let input = if let Some(term) = case.get("input_term").and_then(Json::as_str) {
        match policy.eval_query(
            &format!("input_term_value = {term}"),
            None,
            &EvalOptions::default(),
        ) {
            Ok(rows) => rows.into_iter().next().and_then(|r| {
                r.bindings
                    .into_iter()
                    .find(|(n, _)| n == "input_term_value")
                    .map(|(_, v)| v)
            }),
            Err(e) => return Outcome::Fail(format!("input_term: {e}")),
        }
    } else {
        case.get("input").map(json_to_value)
    };
    let options = EvalOptions {
        strict_builtin_errors: case["strict_error"].as_bool().unwrap_or(false),
        deadline: Some(Instant::now() + Duration::from_secs(20)),
        ..EvalOptions::default()
    };
    let query = case["query"].as_str().unwrap_or("");
    let rows = match policy.eval_query(query, input.as_ref(), &options) {
        Ok(rows) => rows,
        Err(e) => {
            let code = match &e {
                rego_eval::Error::Compile(c) => c.0.first().map_or("", |e| e.code),
                rego_eval::Error::Eval(e) => e.code,
                rego_eval::Error::Data(_) => "",
            };
            return judge_error(case, &e.to_string(), code);
        }
    };
    if case.get("want_error").is_some() || case.get("want_error_code").is_some() {
        return Outcome::Fail(format!("expected an error, got {} result(s)", rows.len()));
    }
    let Some(want) = case.get("want_result").and_then(Json::as_array) else {
        return Outcome::Fail("case has no expectation".into());
    };
    let sort = case["sort_bindings"].as_bool().unwrap_or(false);
    let ignore_generated = case["ignore_generated_vars"].as_bool().unwrap_or(false);
    let mut got: Vec<Value> = rows
        .iter()
        .map(|r| {
            Value::object_from(
                r.bindings
                    .iter()
                    .filter(|(n, _)| !(ignore_generated && n.starts_with("__localq")))
                    .map(|(n, v)| {
                        let v = Value::from(v.to_serde_json());
                        (Value::string(n), if sort { sorted(&v) } else { v })
                    })
                    .collect(),
            )
        })
        .collect();
    let mut expected: Vec<Value> = want.iter().map(json_to_value).collect();
    got.sort();
    got.dedup();
    expected.sort();
    expected.dedup();
    if got == expected {
        Outcome::Pass
    } else {
        let show = |vs: &[Value]| {
            vs.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        Outcome::Fail(format!("want [{}], got [{}]", show(&expected), show(&got)))
    }
}

/// Sorts an array binding (OPA's `sort_bindings`); sets are already sorted.
fn sorted(v: &Value) -> Value {
    match v.as_array() {
        Some(items) => {
            let mut items = items.to_vec();
            items.sort();
            Value::array(items)
        }
        None => v.clone(),
    }
}

fn judge_error(case: &Json, text: &str, code: &str) -> Outcome {
    let want_error = case.get("want_error").and_then(Json::as_str);
    let want_code = case.get("want_error_code").and_then(Json::as_str);
    if want_error.is_none() && want_code.is_none() {
        return Outcome::Fail(format!("unexpected error: {text}"));
    }
    if let Some(c) = want_code {
        if c != code {
            return Outcome::Fail(format!("want error code {c}, got {code}: {text}"));
        }
    }
    if let Some(w) = want_error {
        if !text.contains(w) {
            return Outcome::Fail(format!("want error containing {w:?}, got {text:?}"));
        }
    }
    Outcome::Pass
}
