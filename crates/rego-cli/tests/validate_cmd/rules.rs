//! `rego validate` rule semantics through the real binary: exit codes, namespaces,
//! exceptions, `--ignore`, `--data`, `--strict-builtin-errors` and `--parallel`.

use super::{
    GITOPS_POLICY, GITOPS_REPORT, LEVELS, MANIFESTS, MONITORING, NAMESPACES_CONFIGS,
    NAMESPACES_POLICY, NGINX_POD, TempDir, assert_code, rego, rego_stdin, stderr, stdout,
};
use serde_json::Value as Json;

#[test]
fn exit_codes_tell_warnings_from_failures() {
    let cases: &[(&str, &[&str], i32)] = &[
        (r#"{}"#, &[], 0),
        (r#"{}"#, &["--fail-on-warn"], 0),
        (r#"{"warn": ["w"]}"#, &[], 0),
        (r#"{"warn": ["w"]}"#, &["--fail-on-warn"], 1),
        (r#"{"fail": ["f"]}"#, &[], 1),
        (r#"{"fail": ["f"]}"#, &["--fail-on-warn"], 2),
        (r#"{"warn": ["w"], "fail": ["f"]}"#, &[], 1),
        (r#"{"warn": ["w"], "fail": ["f"]}"#, &["--fail-on-warn"], 2),
        // The exit code does not depend on the output format.
        (r#"{"warn": ["w"]}"#, &["--fail-on-warn", "-o", "json"], 1),
        (r#"{"fail": ["f"]}"#, &["-o", "junit"], 1),
    ];
    for (input, extra, code) in cases {
        let mut args = vec!["validate", "-", "-p", LEVELS];
        args.extend_from_slice(extra);
        let out = rego_stdin(&args, input);
        assert_eq!(
            out.status.code(),
            Some(*code),
            "{input} {extra:?}\n{}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    let out = rego_stdin(&["validate", "-", "-p", LEVELS], r#"{"warn": ["w"]}"#);
    assert_eq!(
        stdout(&out),
        "WARN - - - main - warning: w\n\n2 tests, 1 passed, 1 warning, 0 failures, 0 exceptions\n"
    );
}

#[test]
fn namespace_selects_the_package_whose_rules_apply() {
    let run = |extra: &[&str]| {
        let mut args = vec!["validate", NAMESPACES_CONFIGS, "-p", NAMESPACES_POLICY];
        args.extend_from_slice(extra);
        let out = rego(&args);
        assert_code(&out, 1);
        stdout(&out)
    };
    let job = "testdata/cli/validate/configs/namespaces/job.yaml";
    let service = "testdata/cli/validate/configs/namespaces/service.yaml";
    // `main` by default.
    assert_eq!(
        run(&[]),
        format!(
            "FAIL - {job} - main - main: batch has no owner\n\n\
             2 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions\n"
        )
    );
    let security = format!(
        "WARN - {service} - security - security: web exposes privileged port 80\n\
         FAIL - {service} - security - security: web uses the host network\n"
    );
    assert_eq!(
        run(&["--namespace", "security"]),
        format!("{security}\n4 tests, 2 passed, 1 warning, 1 failure, 0 exceptions\n")
    );
    // Both packages: the one without rules (`lib`) is left out.
    let both = format!(
        "FAIL - {job} - main - main: batch has no owner\n{security}\n\
         6 tests, 3 passed, 1 warning, 2 failures, 0 exceptions\n"
    );
    assert_eq!(run(&["--all-namespaces"]), both);
    assert_eq!(run(&["-n", "main", "-n", "security"]), both);
    let doc: Json =
        serde_json::from_str(&run(&["--all-namespaces", "-o", "json"])).expect("valid JSON");
    let pairs: Vec<(&str, &str)> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["filename"].as_str().unwrap(),
                r["namespace"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            (job, "main"),
            (job, "security"),
            (service, "main"),
            (service, "security")
        ]
    );
    assert_eq!(doc[3]["failures"][0]["metadata"]["severity"], "high");
    assert_eq!(
        doc[3]["failures"][0]["metadata"]["query"],
        "data.security.violation"
    );
}

#[test]
fn exceptions_excuse_named_deny_rules() {
    let policy = "testdata/cli/validate/policies/exceptions";
    let configs = "testdata/cli/validate/configs/exceptions";
    let out = rego(&["validate", configs, "-p", policy]);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        format!(
            "FAIL - {configs}/trusted.yaml - main - trusted-agent listens on privileged port 22\n\
             EXCP - {configs}/trusted.yaml - main - trusted-agent runs as root\n\
             FAIL - {configs}/untrusted.yaml - main - random-agent runs as root\n\
             \n\
             4 tests, 1 passed, 0 warnings, 2 failures, 1 exception\n"
        )
    );
    let out = rego(&["validate", configs, "-p", policy, "-o", "json"]);
    let doc: Json = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let excused = &doc[0]["exceptions"][0];
    assert_eq!(excused["msg"], "trusted-agent runs as root");
    assert_eq!(excused["metadata"]["exception"], "root");
    assert_eq!(excused["metadata"]["query"], "data.main.deny_root");
    // An exception only excuses: a run with nothing but exceptions passes.
    let out = rego_stdin(
        &["validate", "-", "-p", policy],
        "name: trusted-agent\nuser: root\nports: [8443]\n",
    );
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "EXCP - - - main - trusted-agent runs as root\n\n\
         2 tests, 1 passed, 0 warnings, 0 failures, 1 exception\n"
    );
}

#[test]
fn ignore_skips_configuration_files_by_regex() {
    let out = rego(&[
        "validate",
        MANIFESTS,
        "-p",
        GITOPS_POLICY,
        "--ignore",
        r"nginx-.*\.yaml$",
    ]);
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(!text.contains("nginx-pod.yaml"), "{text}");
    assert!(text.contains(MONITORING), "{text}");
    let out = rego(&[
        "validate",
        MANIFESTS,
        "-p",
        GITOPS_POLICY,
        "--ignore",
        "ya?ml|json",
    ]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("left no configuration files"),
        "{}",
        stderr(&out)
    );
    let out = rego(&["validate", MANIFESTS, "-p", GITOPS_POLICY, "--ignore", "("]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("invalid --ignore pattern"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn data_files_are_available_to_policies() {
    let policy = "testdata/cli/validate/policies/data";
    let data = "testdata/cli/validate/data";
    for data in [data.to_string(), format!("{data}/registries.yaml")] {
        let out = rego_stdin(
            &["validate", "-", "-p", policy, "--data", &data],
            "registry: docker.io\n",
        );
        assert_code(&out, 1);
        assert_eq!(
            stdout(&out),
            "FAIL - - - main - registry docker.io is not one of [\"quay.io\", \"gcr.io\"]\n\n\
             1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
        );
        let out = rego_stdin(
            &["validate", "-", "-p", policy, "-d", &data],
            "registry: quay.io\n",
        );
        assert_code(&out, 0);
    }
}

#[test]
fn strict_builtin_errors_turn_errors_into_failures() {
    let policy = "testdata/cli/validate/policies/strict";
    let input = "replicas: many\n";
    let out = rego_stdin(&["validate", "-", "-p", policy], input);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "1 test, 1 passed, 0 warnings, 0 failures, 0 exceptions\n"
    );
    let out = rego_stdin(
        &["validate", "-", "-p", policy, "--strict-builtin-errors"],
        input,
    );
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "FAIL - - - main - evaluation error: {policy}/policy.rego:5:"
        )),
        "{text}"
    );
    assert!(text.contains("to_number"), "{text}");
}

#[test]
fn parallel_workers_do_not_change_the_report() {
    for n in ["1", "2", "8"] {
        let out = rego(&["validate", MANIFESTS, "-p", GITOPS_POLICY, "--parallel", n]);
        assert_code(&out, 1);
        assert_eq!(stdout(&out), GITOPS_REPORT, "--parallel {n}");
    }
}

#[test]
fn a_misspelt_namespace_is_an_error_even_beside_a_good_one() {
    let out = rego(&[
        "validate",
        NAMESPACES_CONFIGS,
        "-p",
        NAMESPACES_POLICY,
        "-n",
        "security",
        "-n",
        "securty",
    ]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("namespace securty") && err.contains("--all-namespaces"),
        "{err}"
    );
}

#[test]
fn a_namespace_or_file_named_twice_is_checked_once() {
    let once = rego(&["validate", NGINX_POD, "-p", GITOPS_POLICY]);
    let twice = rego(&[
        "validate",
        NGINX_POD,
        NGINX_POD,
        "-p",
        GITOPS_POLICY,
        "-n",
        "main",
        "-n",
        "main",
    ]);
    assert_code(&twice, 1);
    assert_eq!(stdout(&once), stdout(&twice));
}

#[test]
fn an_evaluation_error_fails_its_rule_and_the_others_still_report() {
    let dir = TempDir::new("eval-error");
    std::fs::write(
        dir.path("p.rego"),
        "package main\nc := input.a\nc := input.b\ndeny_c contains \"c\" if c\n\
         deny contains \"a\" if input.x\nwarn contains \"w\" if true\n",
    )
    .unwrap();
    let out = rego_stdin(
        &["validate", "-", "-p", &dir.path("p.rego")],
        r#"{"x": true, "a": 1, "b": 2}"#,
    );
    assert_code(&out, 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "WARN - - - main - w", "{text}");
    assert_eq!(lines[1], "FAIL - - - main - a", "{text}");
    assert!(
        lines[2].starts_with("FAIL - - - main - evaluation error: ")
            && lines[2].contains("eval_conflict_error"),
        "{text}"
    );
    assert_eq!(
        lines.last(),
        Some(&"3 tests, 0 passed, 1 warning, 2 failures, 0 exceptions")
    );
}

#[test]
fn nothing_to_check_is_an_error() {
    for stdin in ["", "---\n---\n", "[]"] {
        let out = rego_stdin(&["validate", "-", "-p", GITOPS_POLICY], stdin);
        assert_code(&out, 1);
        assert!(
            stderr(&out).contains("no configurations to check"),
            "{stdin:?}: {}",
            stderr(&out)
        );
    }
    let empty = TempDir::new("no-configs");
    std::fs::write(empty.path("notes.md"), "# notes\n").unwrap();
    let out = rego(&[
        "validate",
        &empty.0.display().to_string(),
        "-p",
        GITOPS_POLICY,
    ]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains(&format!(
            "no configuration files found in {}",
            empty.0.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_policy_folder_without_rego_files_is_named() {
    let out = rego(&["validate", NGINX_POD, "-p", "testdata/inputs"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("no .rego files found in testdata/inputs"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_1_not_the_failure_code() {
    let out = rego(&["validate", NGINX_POD, "-p", GITOPS_POLICY, "-o", "yaml"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
}
