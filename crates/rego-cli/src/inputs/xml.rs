//! XML, shaped as conftest shapes it (it converts XML with `goxml2json`):
//!
//! - the document is an object keyed by the root element's name, and each element with
//!   attributes or child elements is an object keyed by child name; a name seen once holds
//!   its element, a name repeated holds an array of them, in document order;
//! - an attribute is a key `-name`; names lose their namespace prefix (`xsi:type` is `-type`);
//! - an element's text is trimmed of surrounding white space; a leaf element is its text,
//!   and an element with children keeps non-empty text under `#content`. Only the last run of
//!   text counts (the text after the last child, comment or CDATA section), as in
//!   `goxml2json`, which overwrites the text with each run;
//! - texts and attribute values are typed: `true`/`false` are booleans, `null` is null, a
//!   number with a point (`1.5`) or an integer of two or more characters not starting with
//!   `0` (`42`, `-7`) is a number, and everything else, `5` and `007` included, a string;
//! - comments, processing instructions and the doctype are ignored.
//!
//! Unlike conftest, which stops at the first malformed token and keeps what it read so far,
//! malformed XML is an error with its position.

use super::{InputError, go_float, line_column};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use rego_eval::Value;

/// How deep elements may nest: the conversion recurses once per level.
const MAX_DEPTH: usize = 512;

/// An element being read: its children by name in first-seen order, and its last text.
#[derive(Default)]
struct Node {
    children: Vec<(String, Vec<Node>)>,
    text: String,
}

impl Node {
    fn add(&mut self, name: String, child: Node) {
        match self.children.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(child),
            None => self.children.push((name, vec![child])),
        }
    }

    fn leaf(text: String) -> Node {
        Node {
            children: Vec::new(),
            text,
        }
    }

    fn into_value(self) -> Value {
        if self.children.is_empty() {
            return typed(&self.text);
        }
        let mut entries = Vec::with_capacity(self.children.len() + 1);
        if !self.text.is_empty() {
            entries.push((Value::from("#content"), typed(&self.text)));
        }
        for (name, mut list) in self.children {
            let value = if list.len() == 1 {
                list.pop().map(Node::into_value).unwrap_or_default()
            } else {
                Value::array(list.into_iter().map(Node::into_value).collect())
            };
            entries.push((Value::from(name), value));
        }
        Value::object_from(entries)
    }
}

/// Parses an XML document (see the module docs).
pub fn parse(name: &str, text: &str) -> Result<Value, InputError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let fail = |reader: &quick_xml::Reader<&[u8]>, message: String| {
        let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
        let (line, column) = line_column(text, offset);
        InputError::at(name, line, Some(column), format!("invalid XML: {message}"))
    };
    // The open elements, the document's unnamed root first.
    let mut stack: Vec<(String, Node)> = vec![(String::new(), Node::default())];
    // The run of text being read: text and entity references until the next other event.
    let mut run: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| fail(&reader, e.to_string()))?;
        match event {
            Event::Text(t) => run.get_or_insert_default().push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = resolve(&r).map_err(|m| fail(&reader, m))?;
                run.get_or_insert_default().push_str(&resolved);
            }
            other => {
                if let Some(text) = run.take() {
                    set_text(&mut stack, &text);
                }
                match other {
                    Event::Start(start) => {
                        if stack.len() > MAX_DEPTH {
                            let message = format!("elements nested deeper than {MAX_DEPTH}");
                            return Err(fail(&reader, message));
                        }
                        let element = element(&start).map_err(|m| fail(&reader, m))?;
                        stack.push(element);
                    }
                    Event::Empty(start) => {
                        let (tag, node) = element(&start).map_err(|m| fail(&reader, m))?;
                        top(&mut stack).add(tag, node);
                    }
                    Event::End(_) => {
                        if let Some((tag, node)) = stack.pop() {
                            top(&mut stack).add(tag, node);
                        }
                    }
                    Event::CData(c) => set_text(&mut stack, &c.xml10_content()),
                    Event::Eof => break,
                    _ => {}
                }
            }
        }
    }
    if stack.len() > 1 {
        let open = stack.last().map_or("", |(tag, _)| tag.as_str());
        let (line, column) = line_column(text, text.len());
        let message = format!("invalid XML: element <{open}> is not closed");
        return Err(InputError::at(name, line, Some(column), message));
    }
    Ok(stack
        .pop()
        .map(|(_, root)| root)
        .unwrap_or_default()
        .into_value())
}

/// The innermost open element (the unnamed root when none is open).
fn top(stack: &mut Vec<(String, Node)>) -> &mut Node {
    if stack.is_empty() {
        stack.push((String::new(), Node::default()));
    }
    let last = stack.len() - 1;
    &mut stack[last].1
}

/// Sets the innermost element's text to a run of text, trimmed.
fn set_text(stack: &mut Vec<(String, Node)>, text: &str) {
    top(stack).text = text
        .trim_matches(|c: char| c.is_whitespace() || c.is_control())
        .to_string();
}

/// A new element: its local name and a node holding its attributes.
fn element(start: &BytesStart<'_>) -> Result<(String, Node), String> {
    let tag = start.local_name().into_inner().to_string();
    let mut node = Node::default();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = attribute.key.local_name().into_inner().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        node.add(format!("-{key}"), Node::leaf(value.into_owned()));
    }
    Ok((tag, node))
}

/// The text an entity or character reference stands for.
fn resolve(reference: &BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name: &str = reference;
    quick_xml::escape::resolve_predefined_entity(name)
        .map(str::to_string)
        .ok_or_else(|| format!("unknown entity &{name};"))
}

/// A text typed as `goxml2json` types it (see the module docs).
fn typed(text: &str) -> Value {
    let trimmed = text.trim();
    match trimmed {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    if trimmed.contains('.') {
        if let Some(number) = go_float(trimmed) {
            return Value::from_f64(number);
        }
    }
    if trimmed.len() > 1 && !trimmed.starts_with('0') {
        if let Ok(number) = trimmed.parse::<i64>() {
            return Value::from(number);
        }
    }
    if trimmed == "null" {
        return Value::Null;
    }
    Value::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json_str(text).expect("valid JSON")
    }

    #[test]
    fn elements_attributes_and_repeats() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="4">
  <name>demo &amp; co</name>
  <dep scope="test">junit</dep>
  <dep>serde</dep>
  <empty/>
  <count>42</count>
  <one>5</one>
  <ratio>0.5</ratio>
  <zip>007</zip>
  <flag>true</flag>
  <nothing>null</nothing>
  <code><![CDATA[a < b]]></code>
</project>
"#;
        assert_eq!(
            parse("pom.xml", text),
            Ok(j(r##"{"project": {
                "-xsi": "http://www.w3.org/2001/XMLSchema-instance",
                "-version": "4",
                "name": "demo & co",
                "dep": [{"-scope": "test", "#content": "junit"}, "serde"],
                "empty": "",
                "count": 42,
                "one": "5",
                "ratio": 0.5,
                "zip": "007",
                "flag": true,
                "nothing": null,
                "code": "a < b"
            }}"##))
        );
    }

    #[test]
    fn only_the_last_text_run_counts() {
        assert_eq!(
            parse("a.xml", "<a>first<b>x</b>last</a>"),
            Ok(j(r##"{"a": {"#content": "last", "b": "x"}}"##))
        );
        assert_eq!(
            parse("a.xml", "<a>first<b>x</b>\n</a>"),
            Ok(j(r#"{"a": {"b": "x"}}"#))
        );
        assert_eq!(parse("a.xml", ""), Ok(j(r#""""#)));
    }

    #[test]
    fn malformed_xml_is_an_error_with_a_line() {
        let e = parse("a.xml", "<a>\n  <b></c>\n</a>\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.starts_with("invalid XML: "), "{e}");
        let e = parse("a.xml", "<a>\n  <b>\n").unwrap_err();
        assert!(e.message.contains("not closed"), "{e}");
        let e = parse("a.xml", "<a>&nbsp;</a>").unwrap_err();
        assert!(e.message.contains("nbsp"), "{e}");
        let deep = format!("{}{}", "<a>".repeat(600), "</a>".repeat(600));
        let e = parse("a.xml", &deep).unwrap_err();
        assert!(e.message.contains("nested deeper than 512"), "{e}");
    }
}
