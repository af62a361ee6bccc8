//! `rego validate` on every input format, standard input and `--combine`, and on bad input:
//! unparsable configuration files, broken policies, unknown parsers and missing paths.
//!
//! Each format has a one-rule package under `testdata/cli/validate/formats/` that reads a
//! field only that format's shape has and puts its value in the message, so the message
//! proves the file was parsed into the right shape.

use super::{GITOPS_POLICY, MANIFESTS, TempDir, assert_code, rego, rego_stdin, stderr, stdout};
use std::process::Output;

const FORMATS: &str = "testdata/cli/validate/formats";
const NAMES: &str = "testdata/cli/validate/policies/names";
const BROKEN: &str = "testdata/cli/validate/configs/broken";

/// `rego validate FILE -p formats -n NAMESPACE EXTRA...`, expected to fail.
fn check(file: &str, namespace: &str, extra: &[&str]) -> String {
    let mut args = vec!["validate", file, "-p", FORMATS, "-n", namespace];
    args.extend_from_slice(extra);
    let out = rego(&args);
    assert_code(&out, 1);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    stdout(&out)
}

/// The report of failures `messages` on `file` in `namespace`, then the summary.
fn report(file: &str, namespace: &str, messages: &[&str], summary: &str) -> String {
    let mut text: String = messages
        .iter()
        .map(|m| format!("FAIL - {file} - {namespace} - {m}\n"))
        .collect();
    text.push('\n');
    text.push_str(summary);
    text.push('\n');
    text
}

const ONE_FAILURE: &str = "1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions";

#[test]
fn yaml_documents_are_checked_one_by_one() {
    let file = "testdata/inputs/deployment.yaml";
    assert_eq!(
        check(file, "yaml", &[]),
        report(
            file,
            "yaml",
            &[
                "yaml Service hello port 80",
                "yaml Deployment hello replicas 2 image nginx:1.27"
            ],
            "2 tests, 0 passed, 0 warnings, 2 failures, 0 exceptions"
        )
    );
}

#[test]
fn json_objects_are_one_configuration() {
    let file = "testdata/inputs/config.json";
    assert_eq!(
        check(file, "json", &[]),
        report(
            file,
            "json",
            &["json app has 3 replicas, ports [80, 443]"],
            ONE_FAILURE
        )
    );
}

#[test]
fn a_json_array_is_split_into_configurations() {
    let file = "testdata/cli/validate/configs/replicas.json";
    // Two configurations: `small` passes, `big` fails.
    assert_eq!(
        check(file, "json", &[]),
        report(
            file,
            "json",
            &["json big has 5 replicas, ports [443, 8443]"],
            "2 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions"
        )
    );
}

#[test]
fn toml_tables_arrays_of_tables_and_dates() {
    let file = "testdata/inputs/config.toml";
    assert_eq!(
        check(file, "toml", &[]),
        report(
            file,
            "toml",
            &["toml admin admin on 0.0.0.0:8080 since 2024-01-02T03:04:05Z"],
            ONE_FAILURE
        )
    );
}

#[test]
fn hcl2_blocks_are_lists_under_their_labels() {
    let file = "testdata/inputs/main.tf";
    assert_eq!(
        check(file, "hcl2", &[]),
        report(
            file,
            "hcl2",
            &["hcl2 bucket logs acl private versioning true region eu-west-1"],
            ONE_FAILURE
        )
    );
}

#[test]
fn a_dockerfile_is_a_list_of_instructions() {
    let file = "testdata/inputs/Dockerfile";
    assert_eq!(
        check(file, "dockerfile", &[]),
        report(
            file,
            "dockerfile",
            &[
                "dockerfile from gcr.io/distroless/static",
                "dockerfile from golang:1.22",
                "dockerfile user nonroot in stage 1",
            ],
            "3 tests, 0 passed, 0 warnings, 3 failures, 0 exceptions"
        )
    );
}

#[test]
fn ini_sections_with_typed_values() {
    let file = "testdata/inputs/setup.ini";
    assert_eq!(
        check(file, "ini", &[]),
        report(
            file,
            "ini",
            &["ini database db.internal:5432 ttl 1.5"],
            ONE_FAILURE
        )
    );
}

#[test]
fn dotenv_variables_are_strings() {
    let file = "testdata/inputs/app.env";
    assert_eq!(
        check(file, "dotenv", &[]),
        report(
            file,
            "dotenv",
            &["dotenv production port 8080 greeting hello world"],
            ONE_FAILURE
        )
    );
}

#[test]
fn xml_elements_and_attributes() {
    let file = "testdata/inputs/pom.xml";
    assert_eq!(
        check(file, "xml", &[]),
        report(
            file,
            "xml",
            &["xml demo has test dependency junit"],
            ONE_FAILURE
        )
    );
}

#[test]
fn properties_through_the_parser_flag() {
    let file = "testdata/cli/validate/configs/app.conf";
    let expected = report(
        file,
        "properties",
        &["properties conf-demo listens on 9090"],
        ONE_FAILURE,
    );
    assert_eq!(
        check(file, "properties", &["--parser", "properties"]),
        expected
    );
    // Parser names are case-insensitive.
    assert_eq!(
        check(file, "properties", &["--parser", "PROPERTIES"]),
        expected
    );
    // `.conf` picks no parser by itself.
    let out = rego(&["validate", file, "-p", FORMATS, "-n", "properties"]);
    assert_code(&out, 1);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {file}: unknown file type; pick a parser with --parser \
             (dockerfile, dotenv, hcl2, ini, json, properties, toml, xml, yaml)\n"
        )
    );
}

#[test]
fn stdin_is_yaml_unless_a_parser_is_given() {
    let service = "kind: Service\nmetadata:\n  name: piped\nspec:\n  ports:\n    - port: 8443\n";
    let out = rego_stdin(&["validate", "-", "-p", FORMATS, "-n", "yaml"], service);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        report("-", "yaml", &["yaml Service piped port 8443"], ONE_FAILURE)
    );
    let json = r#"{"name": "piped", "replicas": 7, "ports": [1]}"#;
    let args = [
        "validate", "-", "-p", FORMATS, "-n", "json", "--parser", "json",
    ];
    let out = rego_stdin(&args, json);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        report(
            "-",
            "json",
            &["json piped has 7 replicas, ports [1]"],
            ONE_FAILURE
        )
    );
    // With --parser json, YAML on stdin is a JSON error at its position.
    let out = rego_stdin(&args, "name: piped\n");
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.starts_with("FAIL - - - json - -:1:") && text.contains("invalid JSON"),
        "{text}"
    );
    // A YAML list on stdin is split like a JSON array.
    let list = "- {name: a, replicas: 1, ports: []}\n- {name: b, replicas: 9, ports: [2]}\n";
    let out = rego_stdin(&["validate", "-", "-p", FORMATS, "-n", "json"], list);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        report(
            "-",
            "json",
            &["json b has 9 replicas, ports [2]"],
            "2 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions"
        )
    );
}

#[test]
fn combine_checks_every_file_as_one_input() {
    let files = [
        "testdata/inputs/config.json",
        "testdata/cli/validate/configs/replicas.json",
        "testdata/inputs/deployment.yaml",
    ];
    let mut args = vec!["validate"];
    args.extend_from_slice(&files);
    args.extend_from_slice(&["-p", FORMATS, "-n", "combine", "--combine"]);
    let out = rego(&args);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        report(
            "Combined",
            "combine",
            &[
                &format!(
                    "combined 3 files: [\"{}\", \"{}\", \"{}\"]",
                    files[0], files[1], files[2]
                ),
                "combined testdata/inputs/config.json has 3 replicas",
            ],
            "2 tests, 0 passed, 0 warnings, 2 failures, 0 exceptions"
        )
    );
}

#[test]
fn an_unparsable_file_fails_and_the_others_are_still_checked() {
    let out = rego(&["validate", BROKEN, "-p", NAMES]);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        format!(
            "FAIL - {BROKEN}/a-good.yaml - main - Service alpha was checked\n\
             FAIL - {BROKEN}/broken.yaml - main - {BROKEN}/broken.yaml:3:7: invalid YAML: \
             mapping values are not allowed in this context\n\
             FAIL - {BROKEN}/c-good.json - main - ConfigMap gamma was checked\n\
             \n\
             3 tests, 0 passed, 0 warnings, 3 failures, 0 exceptions\n"
        )
    );
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    // Every format reports it; JSON without a query.
    let out = rego(&["validate", BROKEN, "-p", NAMES, "-o", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc.as_array().map(Vec::len), Some(3));
    let failure = &doc[1]["failures"][0];
    assert!(
        failure["msg"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{BROKEN}/broken.yaml:3:")),
        "{failure}"
    );
    let out = rego(&["validate", BROKEN, "-p", NAMES, "-o", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[1]["ruleId"], "input-error");
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(
        rules[results[1]["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "input-error"
    );
}

#[test]
fn a_bad_later_document_fails_the_whole_file() {
    let file = "testdata/inputs-invalid/second-document.yaml";
    let out = rego(&["validate", file, "-p", NAMES]);
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("FAIL - {file} - main - {file}:8: invalid YAML: ")),
        "{text}"
    );
    assert!(text.contains("at line 8 column 11"), "{text}");
    // The valid first document is not reported on its own.
    assert!(!text.contains("was checked"), "{text}");
    assert!(text.ends_with(&format!("{ONE_FAILURE}\n")), "{text}");
}

#[test]
fn unparsable_dockerfiles_and_non_utf8_files_fail_with_their_position() {
    let file = "testdata/inputs-invalid/unknown-instruction.Dockerfile";
    let out = rego(&["validate", file, "-p", NAMES]);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        format!("FAIL - {file} - main - {file}:2: unknown instruction: RUNN\n\n{ONE_FAILURE}\n")
    );
    let dir = TempDir::new("latin1");
    let file = dir.path("latin1.yaml");
    std::fs::write(&file, b"kind: caf\xe9\n").expect("writable");
    let out = rego(&["validate", &file, "-p", NAMES]);
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("FAIL - {file} - main - {file}:1:")) && text.contains("UTF-8"),
        "{text}"
    );
}

/// Asserts a setup error: exit 1, nothing on stdout, and returns stderr.
fn setup_error(out: &Output) -> String {
    assert_code(out, 1);
    assert!(out.stdout.is_empty(), "{}", stdout(out));
    stderr(out)
}

#[test]
fn a_policy_syntax_error_shows_the_line_and_a_caret() {
    let policy = "testdata/cli/validate/policies/syntax";
    let text = setup_error(&rego(&["validate", MANIFESTS, "-p", policy]));
    assert!(
        text.starts_with(&format!(
            "{policy}/policy.rego:4: rego_parse_error: non-terminated string\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("4 | \tmsg := \"unterminated\n  | \t       ^"),
        "{text}"
    );
}

#[test]
fn a_policy_compile_error_shows_its_location() {
    let policy = "testdata/cli/validate/policies/unsafe";
    let text = setup_error(&rego(&["validate", MANIFESTS, "-p", policy]));
    assert_eq!(
        text.lines().next(),
        Some(
            format!("{policy}/policy.rego:4: rego_unsafe_var_error: var replicas is unsafe")
                .as_str()
        ),
        "{text}"
    );
    assert!(text.contains("4 | \treplicas > 3\n  | \t^"), "{text}");
}

#[test]
fn setup_problems_are_clear_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "validate",
                MANIFESTS,
                "-p",
                GITOPS_POLICY,
                "--parser",
                "cue",
            ],
            "error: unknown parser \"cue\"; the parsers are dockerfile, dotenv, hcl2, ini, json, \
             properties, toml, xml, yaml\n",
        ),
        (
            &[
                "validate",
                MANIFESTS,
                "-p",
                "testdata/cli/validate/no-such-policy",
            ],
            "error: policy path testdata/cli/validate/no-such-policy does not exist; \
             point --policy at your .rego files\n",
        ),
        // The default policy folder is `policy`, which the repository root does not have.
        (
            &["validate", MANIFESTS],
            "error: policy path policy does not exist; point --policy at your .rego files\n",
        ),
        (
            &[
                "validate",
                "testdata/cli/validate/no-such.yaml",
                "-p",
                GITOPS_POLICY,
            ],
            "error: testdata/cli/validate/no-such.yaml: no such file or directory\n",
        ),
        (
            &["validate", MANIFESTS, "-p", GITOPS_POLICY, "-n", "lib.k8s"],
            "error: no deny, violation or warn rules found in namespace lib.k8s (packages in the \
             policy: lib.k8s, main, main_test); choose one with --namespace, or use \
             --all-namespaces\n",
        ),
        (
            &[
                "validate",
                MANIFESTS,
                "-p",
                "testdata/cli/validate/policies/namespaces",
                "-n",
                "lib",
            ],
            "error: no deny, violation or warn rules found in namespace lib (packages in the \
             policy: lib, main, security); choose one with --namespace, or use \
             --all-namespaces\n",
        ),
    ];
    for (args, expected) in cases {
        let text = setup_error(&rego(args));
        assert_eq!(text, *expected, "{args:?}");
    }
    // Usage errors come from the argument parser; whatever their code, they do not pass.
    for args in [
        &["validate", MANIFESTS, "-p", GITOPS_POLICY, "-o", "yaml"][..],
        &["validate", "-p", GITOPS_POLICY],
        &["validate", MANIFESTS, "-n", "main", "--all-namespaces"],
    ] {
        let out = rego(args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}
