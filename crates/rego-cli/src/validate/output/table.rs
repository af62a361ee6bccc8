//! A table of every result: one row per message and per passed rule.

use super::super::report::CheckResult;
use comfy_table::{Table, presets::ASCII_FULL};

/// Columns RESULT, FILE, NAMESPACE, MESSAGE.
pub fn table(results: &[CheckResult]) -> String {
    let mut table = Table::new();
    table
        .load_preset(ASCII_FULL)
        .set_header(["RESULT", "FILE", "NAMESPACE", "MESSAGE"]);
    for result in results {
        let mut row = |kind: &str, message: &str| {
            table.add_row([kind, &result.filename, &result.namespace, message]);
        };
        for finding in &result.failures {
            row("failure", &finding.msg);
        }
        for finding in &result.warnings {
            row("warning", &finding.msg);
        }
        for finding in &result.exceptions {
            row("exception", &finding.msg);
        }
        for rule in &result.passed {
            row("success", rule);
        }
    }
    let mut text = table.to_string();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;

    #[test]
    fn one_row_per_result() {
        let text = table(&samples::results());
        assert!(text.lines().nth(1).unwrap().contains("RESULT"));
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("| ") && !l.contains("RESULT"))
            .collect();
        assert_eq!(rows.len(), 7, "{text}");
        assert!(rows[0].contains("failure") && rows[0].contains("manifests/pod.yaml"));
        assert!(rows[6].contains("success") && rows[6].contains("data.main.warn"));
    }
}
