//! Line-oriented formats: conftest's default lines and GitHub Actions workflow commands.

use super::super::report::{CheckResult, Finding, Totals};
use anstyle::{AnsiColor, Style};
use std::fmt::Write;

/// `FAIL - file - namespace - message` for each message, then the summary.
pub fn stdout(results: &[CheckResult], color: bool) -> String {
    let paint = |text: &str, color_of: AnsiColor| {
        if color {
            let style = Style::new().fg_color(Some(color_of.into()));
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for result in results {
        let lines = [
            (&result.warnings, "WARN", AnsiColor::Yellow),
            (&result.failures, "FAIL", AnsiColor::Red),
            (&result.exceptions, "EXCP", AnsiColor::Cyan),
        ];
        for (findings, label, color_of) in lines {
            for finding in findings {
                let _ = writeln!(
                    out,
                    "{} - {} - {} - {}",
                    paint(label, color_of),
                    result.filename,
                    result.namespace,
                    finding.msg
                );
            }
        }
    }
    let totals = Totals::of(results);
    if !out.is_empty() {
        out.push('\n');
    }
    let summary = totals.summary();
    let summary_color = if totals.failures > 0 {
        AnsiColor::Red
    } else if totals.warnings > 0 {
        AnsiColor::Yellow
    } else {
        AnsiColor::Green
    };
    let _ = writeln!(out, "{}", paint(&summary, summary_color));
    out
}

/// GitHub Actions workflow commands: a group per file and namespace, an `::error` or
/// `::warning` annotation per message, a `::notice` with the number of passed checks.
pub fn github(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        let checks = result.successes
            + result.failures.len()
            + result.warnings.len()
            + result.exceptions.len();
        let _ = writeln!(
            out,
            "::group::Testing \"{}\" against {} policies in namespace \"{}\"",
            escape_data(&result.filename),
            checks,
            escape_data(&result.namespace)
        );
        let file = escape_property(&result.filename);
        let annotate = |out: &mut String, level: &str, finding: &Finding| {
            let title = match finding.query() {
                "" => String::new(),
                query => format!(",title={}", escape_property(query)),
            };
            let _ = writeln!(
                out,
                "::{level} file={file},line=1{title}::{}",
                escape_data(&finding.msg)
            );
        };
        for finding in &result.failures {
            annotate(&mut out, "error", finding);
        }
        for finding in &result.warnings {
            annotate(&mut out, "warning", finding);
        }
        for finding in &result.exceptions {
            annotate(&mut out, "notice", finding);
        }
        let _ = writeln!(
            out,
            "::notice file={file},line=1::Number of successful checks: {}",
            result.successes
        );
        out.push_str("::endgroup::\n");
    }
    let _ = writeln!(out, "{}", Totals::of(results).summary());
    out
}

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;

    #[test]
    fn stdout_lines_and_summary() {
        let text = stdout(&samples::results(), false);
        assert_eq!(
            text,
            "WARN - manifests/pod.yaml - main - no owner label\n\
             FAIL - manifests/pod.yaml - main - container nginx uses latest tag <&\"'>\n\
             EXCP - manifests/pod.yaml - main - runs as root\n\
             \n\
             7 tests, 4 passed, 1 warning, 1 failure, 1 exception\n"
        );
    }

    #[test]
    fn stdout_colours_only_when_asked() {
        assert!(stdout(&samples::results(), true).contains("\u{1b}["));
        assert!(!stdout(&samples::results(), false).contains('\u{1b}'));
    }

    #[test]
    fn github_annotations() {
        let text = github(&samples::results());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "::group::Testing \"manifests/pod.yaml\" against 4 policies in namespace \"main\""
        );
        assert_eq!(
            lines[1],
            "::error file=manifests/pod.yaml,line=1,title=data.main.deny::container nginx uses latest tag <&\"'>"
        );
        assert!(lines[2].starts_with("::warning file=manifests/pod.yaml"));
        assert_eq!(
            lines.last(),
            Some(&"7 tests, 4 passed, 1 warning, 1 failure, 1 exception")
        );
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }
}
