//! Decision logs of `rego validate` and `rego eval`, and colour, through the real binary.

use super::{
    GITOPS_POLICY, MANIFESTS, MONITORING, NAMESPACES_CONFIGS, NAMESPACES_POLICY, NGINX_POD,
    TempDir, assert_code, rego, repo_root, stderr, stdout,
};
use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::process::{Command, Stdio};

/// The events of a decision log, one JSON object per line.
fn events(path: &str) -> Vec<Json> {
    std::fs::read_to_string(path)
        .expect("the decision log exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn validate_appends_a_decision_per_configuration() {
    let dir = TempDir::new("decisions");
    let log = dir.path("decisions.jsonl");
    let run = || {
        let out = rego(&[
            "validate",
            MONITORING,
            "-p",
            GITOPS_POLICY,
            "--decision-log",
            &log,
        ]);
        assert_code(&out, 1);
        assert!(stdout(&out).contains("Deployment grafana: container grafana is privileged"));
    };
    run();
    let first = std::fs::read_to_string(&log).expect("the log is written");
    let events = events(&log);
    // One line per document of the multi-document file.
    assert_eq!(events.len(), 3, "{first}");
    let mut kinds = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for event in &events {
        assert_eq!(event["path"], "main", "{event}");
        assert!(event.get("query").is_none(), "{event}");
        assert_eq!(event["labels"]["file"], MONITORING);
        assert_eq!(event["labels"]["id"], events[0]["labels"]["id"]);
        assert!(event["labels"]["version"].is_string());
        assert!(
            event["metrics"]["timer_rego_query_eval_ns"].is_u64(),
            "{event}"
        );
        let timestamp = event["timestamp"].as_str().expect("a timestamp");
        assert!(
            timestamp.len() > 20 && timestamp.ends_with('Z') && timestamp.contains('T'),
            "{timestamp}"
        );
        let id = event["decision_id"].as_str().expect("a decision id");
        assert_eq!(id.len(), 36, "a UUID: {id}");
        ids.insert(id.to_string());
        let kind = event["input"]["kind"].as_str().expect("the document");
        kinds.insert(kind.to_string());
        let result = event["result"].as_object().expect("a result object");
        for rule in ["deny", "deny_run_as_root", "warn", "warn_load_balancer"] {
            assert!(result.contains_key(rule), "{rule} in {event}");
        }
        if kind == "Deployment" {
            assert_eq!(
                result["deny"],
                serde_json::json!(["Deployment grafana: container grafana is privileged"])
            );
        }
    }
    assert_eq!(ids.len(), 3, "decision ids are unique");
    assert_eq!(
        kinds,
        BTreeSet::from(["DaemonSet", "Deployment", "Service"].map(String::from))
    );
    // A second run appends, leaving the earlier lines as they were.
    run();
    let second = std::fs::read_to_string(&log).expect("the log is written");
    assert!(second.starts_with(&first), "earlier lines are kept");
    let events = self::events(&log);
    assert_eq!(events.len(), 6);
    assert_ne!(events[0]["labels"]["id"], events[5]["labels"]["id"]);
}

#[test]
fn validate_logs_each_namespace_and_combined_input() {
    let dir = TempDir::new("decisions-namespaces");
    let log = dir.path("ns.jsonl");
    let out = rego(&[
        "validate",
        NAMESPACES_CONFIGS,
        "-p",
        NAMESPACES_POLICY,
        "--all-namespaces",
        "--decision-log",
        &log,
    ]);
    assert_code(&out, 1);
    let mut pairs: Vec<(String, String)> = events(&log)
        .iter()
        .map(|e| {
            (
                e["input"]["metadata"]["name"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("batch".into(), "main".into()),
            ("batch".into(), "security".into()),
            ("web".into(), "main".into()),
            ("web".into(), "security".into())
        ]
    );
    // --combine makes one decision over every file.
    let log = dir.path("combined.jsonl");
    let out = rego(&[
        "validate",
        "testdata/inputs/config.json",
        "testdata/cli/validate/configs/replicas.json",
        "-p",
        "testdata/cli/validate/formats",
        "-n",
        "combine",
        "--combine",
        "--decision-log",
        &log,
    ]);
    assert_code(&out, 1);
    let events = events(&log);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["labels"]["file"], "Combined");
    assert_eq!(
        events[0]["input"][1]["path"],
        "testdata/cli/validate/configs/replicas.json"
    );
    assert_eq!(events[0]["input"][1]["contents"][1]["name"], "big");
}

#[test]
fn eval_logs_paths_for_references_and_queries_otherwise() {
    let dir = TempDir::new("eval-decisions");
    let log = dir.path("eval.jsonl");
    let out = rego(&[
        "eval",
        "-d",
        GITOPS_POLICY,
        "-i",
        NGINX_POD,
        "data.main.deny",
        "--decision-log",
        &log,
    ]);
    assert_code(&out, 0);
    let out = rego(&["eval", "x := 1 + 1", "--decision-log", &log]);
    assert_code(&out, 0);
    let events = events(&log);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["path"], "main/deny");
    assert!(events[0].get("query").is_none());
    assert_eq!(events[0]["input"]["metadata"]["name"], "nginx");
    assert_eq!(
        events[0]["result"],
        serde_json::json!(["Pod nginx: container nginx uses the latest tag (nginx:latest)"])
    );
    assert_eq!(events[1]["query"], "x := 1 + 1");
    assert!(events[1].get("path").is_none());
    assert_eq!(events[1]["result"][0]["bindings"]["x"], 2);
    for event in &events {
        assert!(event["decision_id"].is_string());
        assert!(event["timestamp"].is_string());
        assert!(event["metrics"]["timer_rego_query_eval_ns"].is_u64());
        assert!(event["labels"]["id"].is_string());
    }
}

#[test]
fn an_unwritable_decision_log_is_an_error_before_any_output() {
    let dir = TempDir::new("decisions-unwritable");
    let log = dir.path("missing-folder/x.jsonl");
    let out = rego(&[
        "validate",
        NGINX_POD,
        "-p",
        GITOPS_POLICY,
        "--decision-log",
        &log,
    ]);
    assert_code(&out, 1);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(&format!("decision log {log}")),
        "{}",
        stderr(&out)
    );
}

fn has_ansi(text: &str) -> bool {
    text.contains('\u{1b}')
}

#[test]
fn output_is_never_coloured_off_a_terminal() {
    for extra in [&[][..], &["--no-color"], &["-o", "github"]] {
        let mut args = vec!["validate", MANIFESTS, "-p", GITOPS_POLICY];
        args.extend_from_slice(extra);
        let out = rego(&args);
        assert!(!has_ansi(&stdout(&out)), "{extra:?}: {}", stdout(&out));
    }
    // Errors on stderr are plain too.
    let out = rego(&[
        "validate",
        NGINX_POD,
        "-p",
        "testdata/cli/validate/policies/syntax",
    ]);
    assert_code(&out, 1);
    assert!(!has_ansi(&stderr(&out)), "{}", stderr(&out));
}

/// Runs `rego ARGS` with stdout on a pseudo-terminal through util-linux `script`, or `None`
/// when `script` is not available.
fn on_terminal(args: &[&str], no_color_env: bool) -> Option<String> {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_rego"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let mut command = Command::new("script");
    command
        .current_dir(repo_root())
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .stdin(Stdio::null())
        .env_remove("NO_COLOR");
    if no_color_env {
        command.env("NO_COLOR", "1");
    }
    let out = command.output().ok()?;
    out.status.code()?;
    // No pseudo-terminal to be had (a sandbox): nothing ran.
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (!text.is_empty()).then_some(text)
}

#[test]
fn no_color_turns_colour_off_on_a_terminal() {
    let args = ["validate", MANIFESTS, "-p", GITOPS_POLICY];
    let Some(coloured) = on_terminal(&args, false) else {
        eprintln!("skipped: `script` is not available");
        return;
    };
    assert!(
        coloured.contains("\u{1b}[31mFAIL\u{1b}[0m - examples/gitops/manifests/nginx-pod.yaml"),
        "{coloured:?}"
    );
    let plain = on_terminal(&[&args[..], &["--no-color"]].concat(), false).unwrap();
    assert!(!has_ansi(&plain), "{plain:?}");
    assert!(plain.contains("FAIL - examples/gitops/manifests/nginx-pod.yaml"));
    let plain = on_terminal(&args, true).unwrap();
    assert!(!has_ansi(&plain), "NO_COLOR: {plain:?}");
}
