//! `rego validate` end to end, through the real binary: the example project under
//! `examples/gitops` and every output format. The other tests are modules of this one
//! target: input formats, standard input, `--combine` and bad input in
//! `validate_cmd/inputs.rs`; exit codes, namespaces, exceptions and flags in
//! `validate_cmd/rules.rs`; decision logs and colour in `validate_cmd/logs.rs`. The
//! fixtures live under `testdata/cli/validate/`.

mod common;
pub(crate) use common::{
    Element, TempDir, assert_code, rego, rego_stdin, repo_root, stderr, stdout, xml_elements,
};

#[path = "validate_cmd/inputs.rs"]
mod inputs;
#[path = "validate_cmd/logs.rs"]
mod logs;
#[path = "validate_cmd/rules.rs"]
mod rules;

use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::process::Output;

pub(crate) const GITOPS_POLICY: &str = "examples/gitops/policy";
pub(crate) const MANIFESTS: &str = "examples/gitops/manifests";
pub(crate) const NGINX_POD: &str = "examples/gitops/manifests/nginx-pod.yaml";
pub(crate) const MONITORING: &str = "examples/gitops/manifests/monitoring.yaml";
const API: &str = "examples/gitops/manifests/api-deployment.yaml";
const SETTINGS: &str = "examples/gitops/manifests/settings.json";
pub(crate) const LEVELS: &str = "testdata/cli/validate/policies/levels";
pub(crate) const NAMESPACES_POLICY: &str = "testdata/cli/validate/policies/namespaces";
pub(crate) const NAMESPACES_CONFIGS: &str = "testdata/cli/validate/configs/namespaces";

/// The whole report on the example manifests: 6 configurations (monitoring.yaml holds 3)
/// times the 4 rules of `main` (`deny`, `deny_run_as_root`, `warn`, `warn_load_balancer`).
pub(crate) const GITOPS_REPORT: &str = "\
WARN - examples/gitops/manifests/monitoring.yaml - main - Service grafana: type LoadBalancer exposes it outside the cluster
EXCP - examples/gitops/manifests/monitoring.yaml - main - DaemonSet node-exporter: container node-exporter may run as root (set runAsNonRoot: true)
WARN - examples/gitops/manifests/monitoring.yaml - main - Deployment grafana: missing label owner
FAIL - examples/gitops/manifests/monitoring.yaml - main - Deployment grafana: container grafana is privileged
FAIL - examples/gitops/manifests/nginx-pod.yaml - main - Pod nginx: container nginx uses the latest tag (nginx:latest)

24 tests, 19 passed, 2 warnings, 2 failures, 1 exception
";

/// `rego validate examples/gitops/manifests --policy examples/gitops/policy -o FORMAT`.
fn gitops(format: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "validate",
        MANIFESTS,
        "--policy",
        GITOPS_POLICY,
        "-o",
        format,
    ];
    args.extend_from_slice(extra);
    rego(&args)
}

#[test]
fn the_example_project_reports_the_latest_tag_and_a_summary() {
    let out = rego(&["validate", MANIFESTS, "--policy", GITOPS_POLICY]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), GITOPS_REPORT);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    // The short flag and the default output format say the same.
    let out = rego(&["validate", MANIFESTS, "-p", GITOPS_POLICY, "-o", "stdout"]);
    assert_eq!(stdout(&out), GITOPS_REPORT);
}

#[test]
fn a_clean_manifest_passes_every_rule() {
    let out = rego(&["validate", API, "--policy", GITOPS_POLICY]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "4 tests, 4 passed, 0 warnings, 0 failures, 0 exceptions\n"
    );
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let out = rego(&["validate", API, SETTINGS, "-p", GITOPS_POLICY]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "8 tests, 8 passed, 0 warnings, 0 failures, 0 exceptions\n"
    );
}

#[test]
fn json_output_has_one_object_per_configuration_and_namespace() {
    let out = gitops("json", &[]);
    assert_code(&out, 1);
    let doc: Json = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let results = doc.as_array().expect("an array");
    assert_eq!(results.len(), 6, "{doc:#}");
    let files: Vec<&str> = results
        .iter()
        .map(|r| r["filename"].as_str().expect("a filename"))
        .collect();
    assert_eq!(
        files,
        [API, MONITORING, MONITORING, MONITORING, NGINX_POD, SETTINGS]
    );
    let mut successes = 0;
    let mut failures = Vec::new();
    for result in results {
        assert_eq!(result["namespace"], "main");
        successes += result["successes"].as_u64().expect("a count");
        for failure in result["failures"].as_array().into_iter().flatten() {
            assert!(failure["msg"].is_string(), "{failure}");
            failures.push(failure["metadata"]["query"].as_str().expect("a query"));
        }
    }
    assert_eq!(successes, 19);
    assert_eq!(failures, ["data.main.deny", "data.main.deny"]);
    assert_eq!(
        results[4]["failures"][0]["msg"],
        "Pod nginx: container nginx uses the latest tag (nginx:latest)"
    );
    assert_eq!(
        results[1]["warnings"][0]["metadata"]["query"],
        "data.main.warn_load_balancer"
    );
    let excused = &results[2]["exceptions"][0]["metadata"];
    assert_eq!(excused["query"], "data.main.deny_run_as_root");
    assert_eq!(excused["exception"], "run_as_root");
    // Empty lists are left out.
    assert!(results[0].get("failures").is_none(), "{}", results[0]);
}

/// The test points of a TAP document, checked for the version line, the plan and the
/// numbering: (ok, rest of the line after the number).
fn tap_points(text: &str) -> Vec<(bool, String)> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("TAP version 13"), "{text}");
    let plan = lines.next().expect("a plan");
    let planned: usize = plan
        .strip_prefix("1..")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a plan line, not {plan:?}"));
    let mut points = Vec::new();
    for (i, line) in lines.enumerate() {
        let (ok, rest) = match line.strip_prefix("not ok ") {
            Some(rest) => (false, rest),
            None => (
                true,
                line.strip_prefix("ok ")
                    .unwrap_or_else(|| panic!("a test point, not {line:?}")),
            ),
        };
        let (number, description) = rest.split_once(' ').expect("a number and a description");
        assert_eq!(number, (i + 1).to_string(), "{line}");
        points.push((ok, description.to_string()));
    }
    assert_eq!(
        points.len(),
        planned,
        "the plan counts every point:\n{text}"
    );
    points
}

#[test]
fn tap_output_is_valid_tap() {
    let out = gitops("tap", &[]);
    assert_code(&out, 1);
    let points = tap_points(&stdout(&out));
    assert_eq!(points.len(), 24);
    let not_ok: Vec<&str> = points
        .iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, d)| d.as_str())
        .collect();
    assert_eq!(
        not_ok,
        [
            "- examples/gitops/manifests/monitoring.yaml - main - Service grafana: type LoadBalancer exposes it outside the cluster # TODO warning",
            "- examples/gitops/manifests/monitoring.yaml - main - Deployment grafana: container grafana is privileged",
            "- examples/gitops/manifests/monitoring.yaml - main - Deployment grafana: missing label owner # TODO warning",
            "- examples/gitops/manifests/nginx-pod.yaml - main - Pod nginx: container nginx uses the latest tag (nginx:latest)",
        ]
    );
    let skipped: Vec<&(bool, String)> = points
        .iter()
        .filter(|(_, d)| d.contains("# SKIP"))
        .collect();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].0 && skipped[0].1.contains("node-exporter may run as root"));
    // With --fail-on-warn warnings are plain failures, and the run fails with 2.
    let out = gitops("tap", &["--fail-on-warn"]);
    assert_code(&out, 2);
    let points = tap_points(&stdout(&out));
    assert_eq!(points.iter().filter(|(ok, _)| !ok).count(), 4);
    assert!(!points.iter().any(|(_, d)| d.contains("# TODO")));
}

#[test]
fn table_output_has_a_header_and_one_row_per_result() {
    let out = gitops("table", &[]);
    assert_code(&out, 1);
    let text = stdout(&out);
    let cells = |line: &str| -> Vec<String> {
        line.trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|l| l.starts_with("| "))
        .map(cells)
        .collect();
    assert_eq!(
        rows[0],
        ["RESULT", "FILE", "NAMESPACE", "MESSAGE"],
        "{text}"
    );
    let rows = &rows[1..];
    assert_eq!(rows.len(), 24, "{text}");
    let count = |kind: &str| rows.iter().filter(|r| r[0] == kind).count();
    assert_eq!(
        (
            count("success"),
            count("warning"),
            count("failure"),
            count("exception")
        ),
        (19, 2, 2, 1)
    );
    assert!(rows.contains(&vec![
        "failure".to_string(),
        NGINX_POD.to_string(),
        "main".to_string(),
        "Pod nginx: container nginx uses the latest tag (nginx:latest)".to_string(),
    ]));
    assert!(rows.iter().all(|r| r[2] == "main"));
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> &'a str {
    &attrs
        .iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("attribute {key} in {attrs:?}"))
        .1
}

#[test]
fn junit_output_is_well_formed_and_its_counts_match() {
    let out = gitops("junit", &[]);
    assert_code(&out, 1);
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let elements = xml_elements(&xml);
    let (depth, name, root) = &elements[0];
    assert_eq!((*depth, name.as_str()), (0, "testsuites"));
    assert_eq!(
        ["tests", "failures", "skipped"].map(|k| attr(root, k)),
        ["24", "2", "1"]
    );
    let named = |n: &str| elements.iter().filter(|(_, name, _)| name == n).count();
    assert_eq!(named("testsuite"), 6);
    assert_eq!(named("testcase"), 24);
    assert_eq!(named("failure"), 2);
    assert_eq!(named("skipped"), 1);
    // Each suite's `tests` and `failures` count its own cases.
    let mut suites = 0;
    for (i, (depth, name, attrs)) in elements.iter().enumerate() {
        if name != "testsuite" {
            continue;
        }
        assert_eq!(*depth, 1);
        suites += 1;
        let children: Vec<&Element> = elements[i + 1..]
            .iter()
            .take_while(|(d, n, _)| *d > 1 || n != "testsuite")
            .collect();
        let cases = children.iter().filter(|(_, n, _)| n == "testcase").count();
        let failed = children.iter().filter(|(_, n, _)| n == "failure").count();
        assert_eq!(attr(attrs, "tests"), cases.to_string(), "{attrs:?}");
        assert_eq!(attr(attrs, "failures"), failed.to_string(), "{attrs:?}");
    }
    assert_eq!(suites, 6);
    let failure = elements.iter().find(|(_, n, _)| n == "failure").unwrap();
    assert_eq!(
        attr(&failure.2, "message"),
        "Deployment grafana: container grafana is privileged"
    );
    assert_eq!(attr(&failure.2, "type"), "data.main.deny");
    // With --fail-on-warn the two warnings fail too.
    let out = gitops("junit", &["--fail-on-warn"]);
    assert_code(&out, 2);
    let elements = xml_elements(&stdout(&out));
    assert_eq!(attr(&elements[0].2, "failures"), "4");
}

#[test]
fn github_output_groups_annotations_per_configuration() {
    let out = gitops("github", &[]);
    assert_code(&out, 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "::group::Testing \"examples/gitops/manifests/api-deployment.yaml\" against 4 policies in namespace \"main\""
    );
    // Groups open and close in turn, one per configuration.
    let mut open = false;
    for line in &lines {
        if line.starts_with("::group::") {
            assert!(!open, "nested group:\n{text}");
            open = true;
        } else if *line == "::endgroup::" {
            assert!(open, "unopened group:\n{text}");
            open = false;
        } else if line.starts_with("::") {
            assert!(open, "annotation outside a group: {line}");
        }
    }
    assert!(!open);
    let starting = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
    assert_eq!(starting("::group::"), 6);
    assert_eq!(starting("::endgroup::"), 6);
    assert_eq!(starting("::error file="), 2);
    assert_eq!(starting("::warning file="), 2);
    assert!(lines.contains(
        &"::error file=examples/gitops/manifests/nginx-pod.yaml,line=1,title=data.main.deny::Pod nginx: container nginx uses the latest tag (nginx:latest)"
    ), "{text}");
    assert_eq!(
        lines.last(),
        Some(&"24 tests, 19 passed, 2 warnings, 2 failures, 1 exception")
    );
}

#[test]
fn sarif_output_points_results_at_their_rules() {
    let out = gitops("sarif", &[]);
    assert_code(&out, 1);
    let log: Json = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique: {ids:?}");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    let mut levels = Vec::new();
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        assert!(result["message"]["text"].is_string());
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert!(uri.as_str().unwrap().starts_with(MANIFESTS), "{uri}");
        levels.push(result["level"].as_str().unwrap());
    }
    levels.sort_unstable();
    assert_eq!(levels, ["error", "error", "note", "warning", "warning"]);
    let note = results.iter().find(|r| r["level"] == "note").unwrap();
    assert_eq!(note["ruleId"], "data.main.deny_run_as_root");
    assert_eq!(note["suppressions"][0]["kind"], "inSource");
    let latest = results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains("latest"))
        .unwrap();
    assert_eq!(
        (&latest["level"], &latest["ruleId"]),
        (&Json::from("error"), &Json::from("data.main.deny"))
    );
}

#[test]
fn every_value_shape_is_a_message_and_formats_escape_them() {
    let policy = "testdata/cli/validate/policies/shapes";
    let input = r#"{"bad": true, "nomsg": true, "nummsg": true, "multi": true}"#;
    let run = |format: &str| {
        let out = rego_stdin(&["validate", "-", "-p", policy, "-o", format], input);
        assert_code(&out, 1);
        stdout(&out)
    };
    let doc: Json = serde_json::from_str(&run("json")).expect("valid JSON");
    let failures = doc[0]["failures"].as_array().expect("failures");
    let msgs: Vec<&str> = failures
        .iter()
        .map(|f| f["msg"].as_str().unwrap())
        .collect();
    assert_eq!(
        msgs,
        [
            "data.main.deny is true",
            r#"result of data.main.violation has no "msg" key: {"severity": "low"}"#,
            "42",
        ]
    );
    assert_eq!(failures[1]["metadata"]["severity"], "low");
    assert_eq!(failures[2]["metadata"]["owner"], "team-x");
    assert_eq!(
        doc[0]["warnings"][0]["msg"],
        "line one\nline two # hash 100%"
    );
    // TAP keeps a point on one line and escapes `#`, which would start a directive.
    let points = tap_points(&run("tap"));
    assert_eq!(
        points[3].1,
        "- - - main - line one line two \\# hash 100% # TODO warning"
    );
    // GitHub workflow commands escape newlines and `%`.
    let github = run("github");
    assert!(
        github.contains(
            "::warning file=-,line=1,title=data.main.warn_multi::line one%0Aline two # hash 100%25\n"
        ),
        "{github}"
    );
    // JUnit keeps the message whole, escaped, and gives it back when parsed.
    let elements = xml_elements(&run("junit"));
    let case = elements
        .iter()
        .filter(|(_, n, _)| n == "testcase")
        .map(|(_, _, a)| attr(a, "name").to_string())
        .find(|name| name.contains("line one"))
        .expect("the warning's test case");
    assert_eq!(case, "main - line one\nline two # hash 100%");
}
