//! HCL2 (Terraform and friends), shaped as conftest shapes it: conftest converts HCL2 to
//! JSON with `tmccombs/hcl2json`, whose rules these are.
//!
//! - A body is an object: each attribute is a key, each block nests under its type and then
//!   under each of its labels, and the innermost key holds an array of block bodies, one per
//!   block with that type and labels: `resource "aws_s3_bucket" "b" { acl = "private" }` is
//!   `{"resource": {"aws_s3_bucket": {"b": [{"acl": "private"}]}}}`. An attribute and a block
//!   of the same name leave the attribute.
//! - Literal values are themselves (numbers, strings, booleans, null), tuples are arrays,
//!   object constructors objects, and a minus or `!` before a literal is applied.
//! - A quoted template is its string, its interpolations written back as `${...}` around
//!   their source text (`"${var.a}-x"` stays `"${var.a}-x"`), and its directives as
//!   `%{if ...}`/`%{for ...}`; a template that is only one interpolation is the value of the
//!   expression inside. Heredocs are templates too, `<<-` ones with their indentation removed.
//! - Any other expression (references, calls, operators, conditionals, `for`) is its source
//!   text in `${...}` (`"${var.region}"`), except that source text starting with a type name
//!   (`string`, `list(string)`, `map`, ...) is left bare, so `type = list(string)` reads
//!   `"list(string)"` (and, as in `hcl2json`, a reference like `settings.x` too).

use super::{InputError, line_column};
use hcl::edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl::edit::structure::{Block, BlockLabel, Body, Structure};
use hcl::edit::template::{Directive, Element, Template};
use hcl::edit::{Number, Span};
use rego_eval::Value;
use std::collections::BTreeMap;

/// Parses an HCL2 file (see the module docs).
pub fn parse(name: &str, text: &str) -> Result<Value, InputError> {
    let body = hcl::edit::parser::parse_body(text).map_err(|e| {
        let at = e.location();
        let message = format!("invalid HCL: {}", e.message());
        InputError::at(name, at.line(), Some(at.column()), message)
    })?;
    Converter { name, text }.body(&body)
}

/// A key of a body being built: a nested object of labels, the array of bodies under the
/// innermost label, or an attribute's value.
enum Entry {
    Labels(BTreeMap<String, Entry>),
    Bodies(Vec<Value>),
    Attribute(Value),
}

impl Entry {
    fn into_value(self) -> Value {
        match self {
            Entry::Labels(map) => map_value(map),
            Entry::Bodies(bodies) => Value::array(bodies),
            Entry::Attribute(value) => value,
        }
    }
}

fn map_value(map: BTreeMap<String, Entry>) -> Value {
    Value::object_from(
        map.into_iter()
            .map(|(k, v)| (Value::from(k), v.into_value()))
            .collect(),
    )
}

/// The file being converted, for errors and source text.
struct Converter<'a> {
    name: &'a str,
    text: &'a str,
}

impl Converter<'_> {
    fn error(&self, span: Option<std::ops::Range<usize>>, message: String) -> InputError {
        match span {
            Some(span) => {
                let (line, column) = line_column(self.text, span.start);
                InputError::at(self.name, line, Some(column), message)
            }
            None => InputError::new(self.name, message),
        }
    }

    fn body(&self, body: &Body) -> Result<Value, InputError> {
        let mut out = BTreeMap::new();
        for block in body.blocks() {
            self.block(block, &mut out)?;
        }
        let mut seen = std::collections::HashSet::new();
        for structure in body.iter() {
            if let Structure::Attribute(attribute) = structure {
                let key = attribute.key.as_str();
                if !seen.insert(key) {
                    let message = format!("invalid HCL: attribute {key:?} is defined twice");
                    return Err(self.error(attribute.key.span(), message));
                }
                let value = self.expression(&attribute.value);
                out.insert(key.to_string(), Entry::Attribute(value));
            }
        }
        Ok(map_value(out))
    }

    fn block(&self, block: &Block, out: &mut BTreeMap<String, Entry>) -> Result<(), InputError> {
        let labels: Vec<&str> = block
            .labels
            .iter()
            .map(|label| match label {
                BlockLabel::Ident(ident) => ident.as_str(),
                BlockLabel::String(string) => string.as_str(),
            })
            .collect();
        let clash = || {
            let path = std::iter::once(block.ident.as_str())
                .chain(labels.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
            self.error(
                block.ident.span(),
                format!("invalid HCL: block {path} clashes with another block of that name"),
            )
        };
        let mut target = out;
        let mut key = block.ident.as_str();
        for label in &labels {
            let entry = target
                .entry(key.to_string())
                .or_insert_with(|| Entry::Labels(BTreeMap::new()));
            let Entry::Labels(inner) = entry else {
                return Err(clash());
            };
            target = inner;
            key = label;
        }
        let value = self.body(&block.body)?;
        match target
            .entry(key.to_string())
            .or_insert_with(|| Entry::Bodies(Vec::new()))
        {
            Entry::Bodies(bodies) => bodies.push(value),
            _ => return Err(clash()),
        }
        Ok(())
    }

    fn expression(&self, expr: &Expression) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => number(n.value()),
            Expression::String(s) => Value::from(s.as_str()),
            Expression::Array(items) => {
                Value::array(items.iter().map(|e| self.expression(e)).collect())
            }
            Expression::Object(object) => Value::object_from(
                object
                    .iter()
                    .map(|(key, value)| (Value::from(self.key(key)), self.expression(value.expr())))
                    .collect(),
            ),
            Expression::StringTemplate(template) => self.template_value(template),
            Expression::HeredocTemplate(heredoc) => self.template_value(&heredoc.template),
            Expression::UnaryOp(op) => match (op.operator.value(), &op.expr) {
                (UnaryOperator::Neg, Expression::Number(n)) => negate(n.value()),
                (UnaryOperator::Not, Expression::Bool(b)) => Value::Bool(!*b.value()),
                _ => Value::from(self.wrapped(expr)),
            },
            _ => Value::from(self.wrapped(expr)),
        }
    }

    /// An object key: a bare name or reference as written, anything else as template text.
    fn key(&self, key: &ObjectKey) -> String {
        match key {
            ObjectKey::Ident(ident) => ident.as_str().to_string(),
            ObjectKey::Expression(expr @ (Expression::Variable(_) | Expression::Traversal(_))) => {
                self.source(expr).to_string()
            }
            ObjectKey::Expression(expr) => self.string_part(expr),
        }
    }

    /// A template as a value: the expression of a lone interpolation, else its text.
    fn template_value(&self, template: &Template) -> Value {
        match template.as_single_element() {
            Some(Element::Interpolation(interpolation)) => self.expression(&interpolation.expr),
            _ => Value::from(self.template(template)),
        }
    }

    /// A template's text, interpolations and directives written back (see the module docs).
    fn template(&self, template: &Template) -> String {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    out.push_str(&self.string_part(&interpolation.expr));
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(d) => {
                        out.push_str("%{if ");
                        out.push_str(self.source(&d.if_expr.cond_expr));
                        out.push('}');
                        out.push_str(&self.template(&d.if_expr.template));
                        let otherwise = d
                            .else_expr
                            .as_ref()
                            .map(|e| self.template(&e.template))
                            .unwrap_or_default();
                        if !otherwise.is_empty() {
                            out.push_str("%{else}");
                            out.push_str(&otherwise);
                        }
                        out.push_str("%{endif}");
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        out.push_str("%{for ");
                        if let Some(key) = &f.key_var {
                            out.push_str(key.as_str());
                            out.push_str(", ");
                        }
                        out.push_str(f.value_var.as_str());
                        out.push_str(" in ");
                        out.push_str(self.source(&f.collection_expr));
                        out.push('}');
                        out.push_str(&self.template(&f.template));
                        out.push_str("%{endfor}");
                    }
                },
            }
        }
        out
    }

    /// An expression inside a template, as text.
    fn string_part(&self, expr: &Expression) -> String {
        match expr {
            Expression::Null(_) => "null".to_string(),
            Expression::Bool(b) => b.value().to_string(),
            Expression::Number(n) => number(n.value()).to_string(),
            Expression::String(s) => s.as_str().to_string(),
            Expression::StringTemplate(template) => self.template(template),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Conditional(c) => {
                let mut out = format!("%{{if {}}}", self.source(&c.cond_expr));
                out.push_str(&self.string_part(&c.true_expr));
                let otherwise = self.string_part(&c.false_expr);
                if !otherwise.is_empty() {
                    out.push_str("%{else}");
                    out.push_str(&otherwise);
                }
                out.push_str("%{endif}");
                out
            }
            _ => format!("${{{}}}", self.source(expr)),
        }
    }

    /// An expression kept as source text: `${...}` around it, unless it names a type.
    fn wrapped(&self, expr: &Expression) -> String {
        const TYPE_NAMES: &[&str] = &[
            "string", "number", "bool", "list", "set", "map", "object", "tuple",
        ];
        let source = self.source(expr);
        if TYPE_NAMES.iter().any(|t| source.starts_with(t)) {
            source.to_string()
        } else {
            format!("${{{source}}}")
        }
    }

    /// The source text an expression was parsed from.
    fn source(&self, expr: &Expression) -> &str {
        expr.span()
            .and_then(|span| self.text.get(span))
            .unwrap_or_default()
    }
}

fn number(n: &Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::from(i)
    } else if let Some(u) = n.as_u64() {
        Value::from(u)
    } else {
        Value::from_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn negate(n: &Number) -> Value {
    match n.as_i64().and_then(i64::checked_neg) {
        Some(i) => Value::from(i),
        None => Value::from_f64(-n.as_f64().unwrap_or(f64::NAN)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json_str(text).expect("valid JSON")
    }

    fn hcl(text: &str) -> Value {
        parse("main.tf", text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn blocks_nest_by_type_and_labels() {
        let text = r#"
resource "aws_s3_bucket" "b" {
  acl = "private"
  versioning {
    enabled = true
  }
}
resource "aws_s3_bucket" "c" { acl = "public-read" }
provider "aws" { alias = "one" }
provider "aws" { alias = "two" }
locals { n = 1 }
"#;
        assert_eq!(
            hcl(text),
            j(r#"{
                "resource": {"aws_s3_bucket": {
                    "b": [{"acl": "private", "versioning": [{"enabled": true}]}],
                    "c": [{"acl": "public-read"}]
                }},
                "provider": {"aws": [{"alias": "one"}, {"alias": "two"}]},
                "locals": [{"n": 1}]
            }"#)
        );
    }

    #[test]
    fn literals_collections_and_references() {
        let text = r#"
a = 1.5
b = -3
c = !true
d = null
e = [1, "x", var.y]
f = { name = "n", "quoted" = 2, nested = { k = local.v } }
g = var.region
h = "${var.env}-bucket"
i = "${var.whole}"
j = "${4 - 2}"
k = upper(var.name)
l = var.on ? 1 : 0
m = list(string)
n = []
o = "${1}"
p = var.commented # a comment
q = "${ var.spaced }"
r = (var.a + 1)
s = settings.x
"#;
        assert_eq!(
            hcl(text),
            j(r#"{
                "a": 1.5, "b": -3, "c": false, "d": null,
                "e": [1, "x", "${var.y}"],
                "f": {"name": "n", "quoted": 2, "nested": {"k": "${local.v}"}},
                "g": "${var.region}",
                "h": "${var.env}-bucket",
                "i": "${var.whole}",
                "j": "${4 - 2}",
                "k": "${upper(var.name)}",
                "l": "${var.on ? 1 : 0}",
                "m": "list(string)",
                "n": [],
                "o": 1,
                "p": "${var.commented}",
                "q": "${var.spaced}",
                "r": "${(var.a + 1)}",
                "s": "settings.x"
            }"#)
        );
    }

    #[test]
    fn templates_and_heredocs() {
        let text = "
a = <<-EOT
    indented ${var.x}
      more
    EOT
b = <<EOT
  kept
EOT
c = \"%{ if var.on }yes%{ else }no%{ endif }\"
d = \"%{for k, v in var.m}${k}=${v},%{endfor}\"
e = \"pre-${var.on ? \"a\" : \"b\"}\"
";
        assert_eq!(
            hcl(text),
            j(r#"{
                "a": "indented ${var.x}\n  more\n",
                "b": "  kept\n",
                "c": "%{if var.on}yes%{else}no%{endif}",
                "d": "%{for k, v in var.m}${k}=${v},%{endfor}",
                "e": "pre-%{if var.on}a%{else}b%{endif}"
            }"#)
        );
    }

    #[test]
    fn errors_carry_a_position() {
        let e = parse("main.tf", "a = 1\nb = {\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.starts_with("invalid HCL: "), "{e}");
        let e = parse("main.tf", "a = 1\na = 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse("main.tf", "x = 1\nx \"l\" {}\n").expect("attribute wins");
        assert_eq!(e, j(r#"{"x": 1}"#));
        let e = parse("main.tf", "x {}\nx \"l\" {}\n").unwrap_err();
        assert!(e.message.contains("clashes"), "{e}");
    }
}
