//! `--junit FILE`: a JUnit XML report for CI systems (OPA has none; this follows the layout
//! Jenkins, GitLab and GitHub readers accept). One `<testsuite>` per package, one
//! `<testcase>` per test with its class name (the package), name, time in seconds, file and
//! line; failures, errors and skips as child elements, `print` output as `<system-out>`.
//!
//! ```xml
//! <testsuites name="rego test" tests="2" failures="1" errors="0" skipped="0" time="0.003">
//!   <testsuite name="data.authz" tests="2" failures="1" errors="0" skipped="0" time="0.003">
//!     <testcase classname="data.authz" name="test_deny" time="0.002" file="a_test.rego" line="9">
//!       <failure message="data.authz.test_deny failed" type="FAIL">a_test.rego:9</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```

use crate::testing::{Outcome, TestResult};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;
use std::time::Duration;

/// The report as an XML document.
pub fn report(results: &[TestResult]) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into memory cannot fail.
    let _ = write_document(&mut writer, results);
    let mut text = String::from_utf8(writer.into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

fn write_document(w: &mut Writer<Vec<u8>>, results: &[TestResult]) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut packages: Vec<(String, Vec<&TestResult>)> = Vec::new();
    for result in results {
        let package = result.case.package_name();
        match packages.iter_mut().find(|(p, _)| *p == package) {
            Some((_, members)) => members.push(result),
            None => packages.push((package, vec![result])),
        }
    }
    let all: Vec<&TestResult> = results.iter().collect();
    let totals = Counts::of(&all);
    w.create_element("testsuites")
        .with_attribute(("name", "rego test"))
        .with_attributes(totals.attributes().iter().map(|(k, v)| (*k, v.as_str())))
        .write_inner_content(|w| {
            for (package, members) in &packages {
                let counts = Counts::of(members);
                w.create_element("testsuite")
                    .with_attribute(("name", package.as_str()))
                    .with_attributes(counts.attributes().iter().map(|(k, v)| (*k, v.as_str())))
                    .write_inner_content(|w| {
                        members.iter().try_for_each(|r| write_case(w, package, r))
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

/// One `<testcase>`.
fn write_case(w: &mut Writer<Vec<u8>>, package: &str, result: &TestResult) -> io::Result<()> {
    let location = &result.case.location;
    let name = clean(&result.case.name());
    let time = seconds(result.duration);
    let file = clean(&location.file);
    let line = location.row.to_string();
    let element = w
        .create_element("testcase")
        .with_attribute(("classname", package))
        .with_attribute(("name", name.as_str()))
        .with_attribute(("time", time.as_str()))
        .with_attribute(("file", file.as_str()))
        .with_attribute(("line", line.as_str()));
    let output = clean(result.output.trim_end());
    if result.passed() && output.is_empty() {
        element.write_empty()?;
        return Ok(());
    }
    let place = format!("{file}:{line}");
    element.write_inner_content(|w| {
        match &result.outcome {
            Outcome::Pass => {}
            Outcome::Fail => {
                let message = format!("{} failed", clean(&result.case.full_name()));
                w.create_element("failure")
                    .with_attribute(("message", message.as_str()))
                    .with_attribute(("type", "FAIL"))
                    .write_text_content(BytesText::new(&place))?;
            }
            Outcome::Skip => {
                w.create_element("skipped")
                    .with_attribute(("message", "todo_test_ rule"))
                    .write_empty()?;
            }
            Outcome::Error(error) => {
                let message = clean(&format!("{}: {}", error.code, error.message));
                let text = clean(&error.to_string());
                w.create_element("error")
                    .with_attribute(("message", message.as_str()))
                    .with_attribute(("type", error.code))
                    .write_text_content(BytesText::new(&text))?;
            }
        }
        if !output.is_empty() {
            w.create_element("system-out")
                .write_text_content(BytesText::new(&output))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The counts of a group of results, as the attributes of its element.
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    time: Duration,
}

impl Counts {
    fn of(results: &[&TestResult]) -> Counts {
        let count = |f: fn(&Outcome) -> bool| results.iter().filter(|r| f(&r.outcome)).count();
        Counts {
            tests: results.len(),
            failures: count(|o| *o == Outcome::Fail),
            errors: count(|o| matches!(o, Outcome::Error(_))),
            skipped: count(|o| *o == Outcome::Skip),
            time: results.iter().map(|r| r.duration).sum(),
        }
    }

    fn attributes(&self) -> [(&'static str, String); 5] {
        [
            ("tests", self.tests.to_string()),
            ("failures", self.failures.to_string()),
            ("errors", self.errors.to_string()),
            ("skipped", self.skipped.to_string()),
            ("time", seconds(self.time)),
        ]
    }
}

/// Seconds with millisecond precision and more when needed: `0.001234`.
fn seconds(d: Duration) -> String {
    format!("{:.6}", d.as_secs_f64())
}

/// Text with the characters XML 1.0 cannot hold, even escaped, replaced by U+FFFD.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestCase;
    use quick_xml::Reader;
    use rego_syntax::Location;

    fn result(package: &str, name: &str, outcome: Outcome, output: &str) -> TestResult {
        TestResult {
            case: TestCase {
                package: vec![package.into()],
                path: vec![name.into()],
                skip: outcome == Outcome::Skip,
                unsupported: None,
                location: Location {
                    file: "t<&>.rego".into(),
                    row: 2,
                    col: 1,
                },
            },
            outcome,
            duration: Duration::from_millis(2),
            output: output.into(),
        }
    }

    /// The names of the start and empty elements, in document order.
    fn elements(xml: &str) -> Vec<String> {
        let mut reader = Reader::from_str(xml);
        let mut names = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    names.push(e.name().into_inner().to_string());
                }
                Event::Eof => return names,
                _ => {}
            }
        }
    }

    #[test]
    fn suites_per_package_with_children_per_outcome() {
        let error = rego_eval::EvalError::new("eval_conflict_error", "a \"b\" <c>", None);
        let results = [
            result("a", "test_ok", Outcome::Pass, ""),
            result("a", "test_no", Outcome::Fail, "bell \u{7} & <tag>\n"),
            result("b", "todo_test_x", Outcome::Skip, ""),
            result("b", "test_err", Outcome::Error(error), ""),
        ];
        let xml = report(&results);
        assert_eq!(
            elements(&xml),
            [
                "testsuites",
                "testsuite",
                "testcase",
                "testcase",
                "failure",
                "system-out",
                "testsuite",
                "testcase",
                "skipped",
                "testcase",
                "error"
            ]
        );
        assert!(
            xml.contains(r#"<testsuites name="rego test" tests="4" failures="1" errors="1" skipped="1" time="0.008000">"#),
            "{xml}"
        );
        assert!(xml.contains("&lt;tag&gt;"), "{xml}");
        assert!(!xml.contains('\u{7}'), "{xml}");
    }
}
