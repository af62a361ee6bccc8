//! JUnit XML: a test suite per file and namespace, a test case per message and per passed
//! rule, for CI systems' test reports.

use super::super::report::{CheckResult, Finding};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::Cursor;

/// A `<testsuites>` document. Failures are `<failure>`s; warnings are `<failure>`s only with
/// `fail_on_warn`, otherwise passing cases with the warning in `<system-out>`; excused
/// failures are `<skipped>`.
pub fn junit(results: &[CheckResult], fail_on_warn: bool) -> String {
    let mut writer = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    // Writing into memory cannot fail.
    let _ = write_document(&mut writer, results, fail_on_warn);
    let mut text = String::from_utf8(writer.into_inner().into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

type XmlWriter = Writer<Cursor<Vec<u8>>>;

fn write_document(
    w: &mut XmlWriter,
    results: &[CheckResult],
    fail_on_warn: bool,
) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let failures_of =
        |r: &CheckResult| r.failures.len() + if fail_on_warn { r.warnings.len() } else { 0 };
    let cases_of =
        |r: &CheckResult| r.failures.len() + r.warnings.len() + r.exceptions.len() + r.passed.len();
    let tests: usize = results.iter().map(cases_of).sum();
    let failures: usize = results.iter().map(failures_of).sum();
    let skipped: usize = results.iter().map(|r| r.exceptions.len()).sum();
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "rego validate"));
    root.push_attribute(("tests", tests.to_string().as_str()));
    root.push_attribute(("failures", failures.to_string().as_str()));
    root.push_attribute(("errors", "0"));
    root.push_attribute(("skipped", skipped.to_string().as_str()));
    w.write_event(Event::Start(root))?;
    for result in results {
        let suite_name = format!("{} - {}", result.filename, result.namespace);
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", suite_name.as_str()));
        suite.push_attribute(("tests", cases_of(result).to_string().as_str()));
        suite.push_attribute(("failures", failures_of(result).to_string().as_str()));
        suite.push_attribute(("errors", "0"));
        suite.push_attribute(("skipped", result.exceptions.len().to_string().as_str()));
        w.write_event(Event::Start(suite))?;
        for finding in &result.failures {
            case(w, result, &finding.msg, Some(("failure", finding)))?;
        }
        for finding in &result.warnings {
            if fail_on_warn {
                case(w, result, &finding.msg, Some(("failure", finding)))?;
            } else {
                case(w, result, &finding.msg, Some(("system-out", finding)))?;
            }
        }
        for finding in &result.exceptions {
            case(w, result, &finding.msg, Some(("skipped", finding)))?;
        }
        for rule in &result.passed {
            case(w, result, rule, None)?;
        }
        w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuites")))?;
    Ok(())
}

/// One `<testcase>`, with an optional child element describing the finding.
fn case(
    w: &mut XmlWriter,
    result: &CheckResult,
    name: &str,
    child: Option<(&str, &Finding)>,
) -> std::io::Result<()> {
    let mut start = BytesStart::new("testcase");
    start.push_attribute(("classname", result.filename.as_str()));
    start.push_attribute(("name", format!("{} - {name}", result.namespace).as_str()));
    start.push_attribute(("time", "0"));
    let Some((element, finding)) = child else {
        return w.write_event(Event::Empty(start));
    };
    w.write_event(Event::Start(start))?;
    let detail = match finding.query() {
        "" => finding.msg.clone(),
        query => format!("{}\nrule: {query}", finding.msg),
    };
    if element == "system-out" {
        w.write_event(Event::Start(BytesStart::new(element)))?;
        w.write_event(Event::Text(BytesText::new(&format!("warning: {detail}"))))?;
    } else {
        let mut start = BytesStart::new(element);
        start.push_attribute(("message", finding.msg.as_str()));
        if element == "failure" && !finding.query().is_empty() {
            start.push_attribute(("type", finding.query()));
        }
        w.write_event(Event::Start(start))?;
        w.write_event(Event::Text(BytesText::new(&detail)))?;
    }
    w.write_event(Event::End(BytesEnd::new(element)))?;
    w.write_event(Event::End(BytesEnd::new("testcase")))
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;
    use quick_xml::{Reader, XmlVersion};

    /// Parses the document back, returning (element name, attributes) of every start tag.
    fn elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut reader = Reader::from_str(xml);
        let mut out = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name().into_inner().to_string();
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("a well-formed attribute");
                            let value = a
                                .normalized_value(XmlVersion::Implicit1_0)
                                .expect("escaped value")
                                .into_owned();
                            (a.key.into_inner().to_string(), value)
                        })
                        .collect();
                    out.push((name, attrs));
                }
                Event::Eof => return out,
                _ => {}
            }
        }
    }

    fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> &'a str {
        &attrs.iter().find(|(k, _)| k == key).unwrap().1
    }

    #[test]
    fn counts_and_escaping() {
        let xml = junit(&samples::results(), false);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        let elements = elements(&xml);
        let (name, root) = &elements[0];
        assert_eq!(name, "testsuites");
        assert_eq!(attr(root, "tests"), "7");
        assert_eq!(attr(root, "failures"), "1");
        assert_eq!(attr(root, "skipped"), "1");
        let failure = elements.iter().find(|(n, _)| n == "failure").unwrap();
        assert_eq!(
            attr(&failure.1, "message"),
            "container nginx uses latest tag <&\"'>"
        );
        let cases = elements.iter().filter(|(n, _)| n == "testcase").count();
        assert_eq!(cases, 7);
    }

    #[test]
    fn warnings_fail_with_fail_on_warn() {
        let elements = elements(&junit(&samples::results(), true));
        assert_eq!(attr(&elements[0].1, "failures"), "2");
    }
}
