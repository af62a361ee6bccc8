use super::*;

#[test]
fn names_round_trip_and_aliases() {
    for name in Format::NAMES {
        let format = Format::from_name(name).expect("a listed name");
        assert_eq!(format.name(), *name);
    }
    assert_eq!(Format::from_name("yml"), Some(Format::Yaml));
    assert_eq!(Format::from_name("HCL"), Some(Format::Hcl2));
    assert_eq!(Format::from_name("env"), Some(Format::Env));
    assert_eq!(Format::from_name("cue"), None);
    assert_eq!(Format::from_name(""), None);
}

#[test]
fn formats_by_file_name() {
    let cases = [
        ("deploy.yaml", Some(Format::Yaml)),
        ("a/b/deploy.YML", Some(Format::Yaml)),
        ("Makefile", Some(Format::Yaml)),
        ("data.json", Some(Format::Json)),
        ("events.ndjson", Some(Format::Json)),
        ("Cargo.toml", Some(Format::Toml)),
        ("main.tf", Some(Format::Hcl2)),
        ("prod.tfvars", Some(Format::Hcl2)),
        ("terragrunt.hcl", Some(Format::Hcl2)),
        ("Dockerfile", Some(Format::Dockerfile)),
        ("dockerfile.debug", Some(Format::Dockerfile)),
        ("Dockerfile.prod.yaml", Some(Format::Dockerfile)),
        ("dev.Dockerfile", Some(Format::Dockerfile)),
        ("setup.ini", Some(Format::Ini)),
        (".env", Some(Format::Env)),
        (".env.local", Some(Format::Env)),
        ("prod.env", Some(Format::Env)),
        (".env.yaml", Some(Format::Yaml)),
        (".env.json", Some(Format::Env)),
        ("pom.xml", Some(Format::Xml)),
        ("app.properties", Some(Format::Properties)),
        ("nginx.conf", None),
        ("policy.rego", None),
        ("schema.cue", None),
        ("trailing.", None),
    ];
    for (name, expected) in cases {
        assert_eq!(Format::for_path(Path::new(name)), expected, "{name}");
    }
}

#[test]
fn errors_display_what_they_know() {
    assert_eq!(
        InputError::at("a.yaml", 3, Some(7), "bad").to_string(),
        "a.yaml:3:7: bad"
    );
    assert_eq!(
        InputError::at("a.yaml", 3, None, "bad").to_string(),
        "a.yaml:3: bad"
    );
    assert_eq!(InputError::new("a.yaml", "bad").to_string(), "a.yaml: bad");
    assert_eq!(
        InputError::new("", "no files found").to_string(),
        "no files found"
    );
}

#[test]
fn line_column_counts_characters() {
    let text = "ab\ncé\nx";
    assert_eq!(line_column(text, 0), (1, 1));
    assert_eq!(line_column(text, 3), (2, 1));
    assert_eq!(line_column(text, 6), (2, 3));
    assert_eq!(line_column(text, 99), (3, 2));
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let value = parse("a.json", "\u{feff}{\"a\": 1}", Format::Json).expect("valid");
    assert_eq!(value.to_json_string(), r#"{"a":1}"#);
}

/// Deeply nested input in each format's syntax, and some plain garbage.
fn nasty() -> Vec<String> {
    let n = 20_000;
    vec![
        format!("a = {}{}", "[".repeat(n), "]".repeat(n)),
        format!("{}{}", "[".repeat(n), "]".repeat(n)),
        format!("{}{}", "<a>".repeat(n), "</a>".repeat(n)),
        format!("a = {}1{}", "(".repeat(n), ")".repeat(n)),
        format!("a = {}", "{a = ".repeat(n)),
        "- ".repeat(n),
        String::new(),
        "\0\\\"'[<{${%{<<\u{2028}é".to_string(),
    ]
}

fn survives(format: Format) {
    for text in nasty() {
        let _ = parse("nasty", &text, format);
    }
}

#[test]
fn yaml_survives() {
    survives(Format::Yaml);
}

#[test]
fn json_survives() {
    survives(Format::Json);
}

#[test]
fn toml_survives() {
    survives(Format::Toml);
}

#[test]
fn hcl_survives() {
    survives(Format::Hcl2);
}

#[test]
fn dockerfile_survives() {
    survives(Format::Dockerfile);
}

#[test]
fn key_value_formats_survive() {
    survives(Format::Ini);
    survives(Format::Env);
    survives(Format::Properties);
}

#[test]
fn xml_survives() {
    survives(Format::Xml);
}

/// The sample files under `testdata/`, for CLI tests too.
fn testdata(dir: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(dir)
}

fn j(text: &str) -> Value {
    Value::from_json_str(text).expect("valid JSON")
}

/// Reads and parses a sample, picking the parser by its name.
fn sample(source: &Source) -> Result<Value, InputError> {
    let format = source.format(None).expect("a known format");
    parse(&source.name(), &source.read()?, format)
}

#[test]
fn every_sample_parses_to_its_expected_shape() {
    let root = testdata("inputs");
    let sources = discover(std::slice::from_ref(&root), None).expect("samples");
    let mut seen = Vec::new();
    for source in &sources {
        let Source::File(path) = source else {
            panic!("a file")
        };
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let value = sample(source).unwrap_or_else(|e| panic!("{e}"));
        let get = |path: &[&str]| {
            path.iter()
                .try_fold(&value, |v, k| match k.parse::<i64>() {
                    Ok(i) => v.get(&Value::from(i)),
                    Err(_) => v.object_get_str(k),
                })
                .map(Value::to_json_string)
                .unwrap_or_default()
        };
        let checks: &[(&[&str], &str)] = match name.as_str() {
            "Dockerfile" => &[
                (&["0", "0", "Cmd"], r#""comment""#),
                (&["0", "1", "Value"], r#"["golang:1.22","AS","build"]"#),
                (&["0", "6", "Flags"], r#"["--from=build"]"#),
                (&["0", "6", "Stage"], "1"),
                (&["0", "8", "JSON"], "true"),
            ],
            "app.env" => &[
                (&["APP_PORT"], r#""8080""#),
                (&["GREETING"], r#""hello world""#),
            ],
            "app.properties" => &[(&["logging.level.root"], r#""INFO""#)],
            "config.json" => &[(&["ports"], "[80,443]"), (&["owner"], "null")],
            "config.toml" => &[
                (&["server", "started"], r#""2024-01-02T03:04:05Z""#),
                (&["users", "0", "admin"], "true"),
            ],
            "deployment.yaml" => &[
                (&["0", "kind"], r#""Service""#),
                (&["1", "spec", "replicas"], "2"),
            ],
            "main.tf" => &[
                (&["variable", "region", "0", "type"], r#""string""#),
                (
                    &["resource", "aws_s3_bucket", "logs", "0", "bucket"],
                    r#""logs-${var.region}""#,
                ),
                (
                    &[
                        "resource",
                        "aws_s3_bucket",
                        "logs",
                        "0",
                        "versioning",
                        "0",
                        "enabled",
                    ],
                    "true",
                ),
            ],
            "pom.xml" => &[
                (&["project", "modelVersion"], r#""4.0.0""#),
                (
                    &["project", "dependencies", "dependency", "0", "-scope"],
                    r#""test""#,
                ),
            ],
            "setup.ini" => &[
                (&["database", "port"], "5432"),
                (&["database", "ssl"], "true"),
                (&["cache", "ttl"], "1.5"),
            ],
            other => panic!("no expectations for sample {other}"),
        };
        for (path, expected) in checks {
            assert_eq!(get(path), *expected, "{name} {path:?}");
        }
        seen.push(name);
    }
    assert_eq!(seen.len(), 9, "one sample per format: {seen:?}");
}

#[test]
fn invalid_samples_fail_with_their_line() {
    let root = testdata("inputs-invalid");
    let sources = discover(std::slice::from_ref(&root), None).expect("samples");
    let errors: Vec<String> = sources
        .iter()
        .map(|s| sample(s).expect_err("invalid").to_string())
        .map(|e| e.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "second-document.yaml:8: invalid YAML: did not find expected ',' or ']', \
             while parsing a flow sequence at line 8 column 11",
            "unknown-instruction.Dockerfile:2: unknown instruction: RUNN",
        ]
    );
    assert_eq!(
        parse("x.yaml", "a: 1\n---\n", Format::Yaml),
        Ok(j(r#"{"a": 1}"#))
    );
}
