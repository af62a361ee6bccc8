//! JSON formats: conftest's result array, and SARIF 2.1.0.

use super::super::report::{CheckResult, Finding};
use serde_json::{Value as Json, json};

/// A pretty-printed array with one object per file and namespace.
pub fn json(results: &[CheckResult]) -> String {
    let mut text = serde_json::to_string_pretty(results).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// A SARIF 2.1.0 log: one run whose rules are the queries that produced messages; failures
/// are errors, warnings are warnings, excused failures are notes with a suppression.
pub fn sarif(results: &[CheckResult]) -> String {
    let mut rules: Vec<String> = Vec::new();
    let mut sarif_results = Vec::new();
    for result in results {
        let groups = [
            (&result.failures, "error", false),
            (&result.warnings, "warning", false),
            (&result.exceptions, "note", true),
        ];
        for (findings, level, suppressed) in groups {
            for finding in findings {
                sarif_results.push(sarif_result(result, finding, level, suppressed, &mut rules));
            }
        }
    }
    let rules: Vec<Json> = rules
        .iter()
        .map(|id| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": format!("Messages of the rule {id}") },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "rego",
                    "informationUri": "https://www.openpolicyagent.org/docs/policy-language",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": sarif_results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// One SARIF result; registers its rule in `rules`.
fn sarif_result(
    result: &CheckResult,
    finding: &Finding,
    level: &str,
    suppressed: bool,
    rules: &mut Vec<String>,
) -> Json {
    let id = match finding.query() {
        "" => "input-error".to_string(),
        query => query.to_string(),
    };
    let index = rules.iter().position(|r| *r == id).unwrap_or_else(|| {
        rules.push(id.clone());
        rules.len() - 1
    });
    let mut out = json!({
        "ruleId": id,
        "ruleIndex": index,
        "level": level,
        "message": { "text": finding.msg },
        "locations": [{
            "physicalLocation": { "artifactLocation": { "uri": result.filename } }
        }],
        "properties": { "namespace": result.namespace, "metadata": finding.metadata },
    });
    if suppressed {
        out["suppressions"] = json!([{
            "kind": "inSource",
            "justification": format!(
                "excused by data.{}.exception",
                result.namespace
            ),
        }]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;

    #[test]
    fn json_is_an_array_of_conftest_results() {
        let value: Json = serde_json::from_str(&json(&samples::results())).unwrap();
        let first = &value[0];
        assert_eq!(first["filename"], "manifests/pod.yaml");
        assert_eq!(first["successes"], 1);
        assert_eq!(first["failures"][0]["metadata"]["query"], "data.main.deny");
        assert_eq!(first["exceptions"][0]["metadata"]["exception"], "root");
        assert!(value[1].get("failures").is_none());
    }

    #[test]
    fn sarif_has_the_required_structure() {
        let log: Json = serde_json::from_str(&sarif(&samples::results())).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
            assert!(result["message"]["text"].is_string());
            assert_eq!(
                result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "manifests/pod.yaml"
            );
        }
        assert_eq!(results[2]["suppressions"][0]["kind"], "inSource");
    }
}
