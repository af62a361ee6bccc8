//! The Test Anything Protocol (version 13): one test point per message and per passed rule.

use super::super::report::CheckResult;
use std::fmt::Write;

/// A TAP document. Failures are `not ok`; warnings are `not ok … # TODO` (not counted as
/// failures) unless `fail_on_warn`; excused failures are `ok … # SKIP`.
pub fn tap(results: &[CheckResult], fail_on_warn: bool) -> String {
    // (ok, description, directive)
    let mut points: Vec<(bool, String, &str)> = Vec::new();
    for result in results {
        let name = |text: &str| {
            format!(
                "{} - {} - {}",
                result.filename,
                result.namespace,
                one_line(text)
            )
        };
        for finding in &result.failures {
            points.push((false, name(&finding.msg), ""));
        }
        let warning = if fail_on_warn { "" } else { " # TODO warning" };
        for finding in &result.warnings {
            points.push((false, name(&finding.msg), warning));
        }
        for finding in &result.exceptions {
            points.push((true, name(&finding.msg), " # SKIP excused by an exception"));
        }
        for rule in &result.passed {
            points.push((true, name(rule), ""));
        }
    }
    let mut out = String::from("TAP version 13\n");
    let _ = writeln!(out, "1..{}", points.len());
    for (i, (ok, description, directive)) in points.iter().enumerate() {
        let status = if *ok { "ok" } else { "not ok" };
        let _ = writeln!(out, "{status} {} - {description}{directive}", i + 1);
    }
    out
}

/// A description on one line, without `#` (which would start a directive).
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('#', "\\#")
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;

    #[test]
    fn plan_matches_the_test_points() {
        let text = tap(&samples::results(), false);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("TAP version 13"));
        assert_eq!(lines.next(), Some("1..7"));
        let points: Vec<&str> = lines.collect();
        assert_eq!(points.len(), 7);
        for (i, point) in points.iter().enumerate() {
            let number = point
                .strip_prefix("not ok ")
                .or_else(|| point.strip_prefix("ok "))
                .and_then(|rest| rest.split(' ').next())
                .unwrap();
            assert_eq!(number, (i + 1).to_string(), "{point}");
        }
        assert_eq!(
            points[0],
            "not ok 1 - manifests/pod.yaml - main - container nginx uses latest tag <&\"'>"
        );
        assert!(points[1].ends_with("# TODO warning"));
        assert!(points[2].starts_with("ok 3") && points[2].contains("# SKIP"));
        assert_eq!(
            points[6],
            "ok 7 - manifests/svc.yaml - main - data.main.warn"
        );
    }

    #[test]
    fn warnings_fail_with_fail_on_warn_and_hashes_are_escaped() {
        let text = tap(&samples::results(), true);
        assert!(text.contains("not ok 2 - manifests/pod.yaml - main - no owner label\n"));
        assert_eq!(one_line("a # b\nc"), "a \\# b c");
    }
}
