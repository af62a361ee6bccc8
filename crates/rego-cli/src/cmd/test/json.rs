//! `--format json`: the array `opa test --format json` prints, one object per test with OPA's
//! fields: `error` (`code`, `message`, `location`) when it errored, `location`, `package`,
//! `name`, `output` (the `print` output, base64-encoded as Go encodes bytes) when there was
//! any, `duration` in nanoseconds, `fail` when it failed and `skip` when it was skipped.

use crate::json::Json;
use crate::testing::{Outcome, TestResult};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rego_syntax::Location;

/// The report, with a final newline.
pub fn report(results: &[TestResult]) -> String {
    let texts: Vec<Texts> = results.iter().map(Texts::new).collect();
    let items = results
        .iter()
        .zip(&texts)
        .map(|(result, texts)| {
            let mut fields = Vec::new();
            if let Outcome::Error(error) = &result.outcome {
                let mut entry = vec![
                    ("code", Json::Str(error.code)),
                    ("message", Json::Str(&error.message)),
                ];
                if let Some(location) = &error.location {
                    entry.push(("location", location_json(location)));
                }
                fields.push(("error", Json::Object(entry)));
            }
            fields.push(("location", location_json(&result.case.location)));
            fields.push(("package", Json::Str(&texts.package)));
            fields.push(("name", Json::Str(&texts.name)));
            if !result.output.is_empty() {
                fields.push(("output", Json::Str(&texts.output)));
            }
            let nanos = i64::try_from(result.duration.as_nanos()).unwrap_or(i64::MAX);
            fields.push(("duration", Json::Int(nanos)));
            match result.outcome {
                Outcome::Fail => fields.push(("fail", Json::Bool(true))),
                Outcome::Skip => fields.push(("skip", Json::Bool(true))),
                Outcome::Pass | Outcome::Error(_) => {}
            }
            Json::Object(fields)
        })
        .collect();
    Json::Array(items).render()
}

/// The strings a result's object borrows.
struct Texts {
    package: String,
    name: String,
    output: String,
}

impl Texts {
    fn new(result: &TestResult) -> Texts {
        Texts {
            package: result.case.package_name(),
            name: result.case.name(),
            output: STANDARD.encode(result.output.as_bytes()),
        }
    }
}

fn location_json(location: &Location) -> Json<'_> {
    Json::Object(vec![
        ("file", Json::Str(&location.file)),
        ("row", Json::Int(location.row.into())),
        ("col", Json::Int(location.col.into())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestCase;
    use std::time::Duration;

    fn result(name: &str, outcome: Outcome, output: &str) -> TestResult {
        TestResult {
            case: TestCase {
                package: vec!["p".into()],
                path: vec![name.into()],
                skip: outcome == Outcome::Skip,
                unsupported: None,
                location: Location {
                    file: "p_test.rego".into(),
                    row: 4,
                    col: 1,
                },
            },
            outcome,
            duration: Duration::from_nanos(1234),
            output: output.into(),
        }
    }

    #[test]
    fn fields_follow_opa() {
        let error = rego_eval::EvalError::new("eval_type_error", "bad", None);
        let results = [
            result("test_a", Outcome::Pass, "hi\n"),
            result("test_b", Outcome::Fail, ""),
            result("todo_test_c", Outcome::Skip, ""),
            result("test_d", Outcome::Error(error), ""),
        ];
        let text = report(&results);
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(
            json[0],
            serde_json::json!({
                "location": {"file": "p_test.rego", "row": 4, "col": 1},
                "package": "data.p",
                "name": "test_a",
                "output": "aGkK",
                "duration": 1234
            })
        );
        assert_eq!(json[1]["fail"], true);
        assert_eq!(json[2]["skip"], true);
        assert_eq!(
            json[3]["error"],
            serde_json::json!({"code": "eval_type_error", "message": "bad"})
        );
        assert!(text.starts_with("[\n  {\n    \"location\""), "{text}");
        assert_eq!(report(&[]), "[]\n");
    }
}
