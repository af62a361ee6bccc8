//! `rego parse --format pretty`: the syntax tree as an indented outline, one node per line.
//!
//! ```text
//! module policy.rego
//!   package hello
//!   rule allow (complete)
//!     body
//!       expr: input.user == "alice"
//! ```

use crate::show;
use rego_syntax::Span;
use rego_syntax::ast::{
    Annotation, AnnotationTarget, AssignOp, Expr, HeadKind, LiteralKind, Module, Query, Rule,
};

/// The outline of `module`, read from the file named `name`.
pub fn module(name: &str, module: &Module) -> String {
    let mut out = Outline::default();
    out.line(0, format!("module {name}"));
    out.line(1, format!("package {}", show::expr(&package_ref(module))));
    annotations(&mut out, 2, module, AnnotationTarget::Package);
    for import in &module.imports {
        let alias = import
            .alias
            .as_ref()
            .map(|a| format!(" as {}", a.name))
            .unwrap_or_default();
        out.line(1, format!("import {}{alias}", show::expr(&import.path)));
    }
    for (index, r) in module.rules.iter().enumerate() {
        rule(&mut out, r);
        annotations(&mut out, 2, module, AnnotationTarget::Rule { index });
    }
    out.text
}

/// Lines of text, each indented two spaces per level.
#[derive(Default)]
struct Outline {
    text: String,
}

impl Outline {
    fn line(&mut self, depth: usize, text: String) {
        for _ in 0..depth {
            self.text.push_str("  ");
        }
        self.text.push_str(&text);
        self.text.push('\n');
    }
}

/// The package path as a `data.`-less reference expression, for printing.
fn package_ref(module: &Module) -> Expr {
    use rego_syntax::ast::{ExprKind, RefArg};
    let path = &module.package.path;
    let head = Expr::new(
        path[0].span,
        ExprKind::Var {
            name: path[0].name.clone(),
        },
    );
    if path.len() == 1 {
        return head;
    }
    let path = path[1..]
        .iter()
        .map(|name| RefArg::Dot { name: name.clone() })
        .collect();
    Expr::new(
        module.package.span,
        ExprKind::Ref {
            head: Box::new(head),
            path,
        },
    )
}

fn annotations(out: &mut Outline, depth: usize, module: &Module, target: AnnotationTarget) {
    for a in module.annotations.iter().filter(|a| a.target == target) {
        out.line(depth, metadata(a));
    }
}

fn metadata(a: &Annotation) -> String {
    let fields = serde_json::to_string(&a.fields).unwrap_or_default();
    format!("metadata (scope {}): {fields}", a.scope)
}

/// What kind of rule this is, in OPA's words.
fn rule_kind(r: &Rule) -> &'static str {
    if r.head.args.is_some() {
        return "function";
    }
    match r.head.kind {
        HeadKind::Contains { .. } => "multi-value",
        HeadKind::Value { .. } if r.head.reference.dotted_names().is_some() => "complete",
        HeadKind::Value { .. } => "partial object",
    }
}

fn op(o: AssignOp) -> &'static str {
    match o {
        AssignOp::ColonEquals => ":=",
        AssignOp::Equals => "=",
    }
}

fn rule(out: &mut Outline, r: &Rule) {
    let default = if r.is_default { "default " } else { "" };
    let name = show::expr(&r.head.reference);
    out.line(1, format!("{default}rule {name} ({})", rule_kind(r)));
    if let Some(args) = &r.head.args {
        let args: Vec<String> = args.iter().map(show::expr).collect();
        out.line(2, format!("args: {}", args.join(", ")));
    }
    match &r.head.kind {
        HeadKind::Value {
            op: Some(o),
            value: Some(v),
        } => out.line(2, format!("value {} {}", op(*o), show::expr(v))),
        HeadKind::Value { .. } => {}
        HeadKind::Contains { member } => out.line(2, format!("contains {}", show::expr(member))),
    }
    if let Some(body) = &r.body {
        query(out, 2, "body", body);
    }
    for e in &r.elses {
        match (&e.op, &e.value) {
            (Some(o), Some(v)) => out.line(2, format!("else {} {}", op(*o), show::expr(v))),
            _ => out.line(2, "else".to_string()),
        }
        if let Some(body) = &e.body {
            query(out, 3, "body", body);
        }
    }
}

fn query(out: &mut Outline, depth: usize, label: &str, q: &Query) {
    out.line(depth, label.to_string());
    for l in &q.literals {
        literal(out, depth + 1, &l.kind, l.span);
        for w in &l.with {
            out.line(depth + 2, show::with(w));
        }
    }
}

fn literal(out: &mut Outline, depth: usize, kind: &LiteralKind, span: Span) {
    let text = match kind {
        LiteralKind::Expr { expr } => format!("expr: {}", show::expr(expr)),
        LiteralKind::Not { inner } => format!("not: {}", show::literal_kind(inner, span)),
        LiteralKind::Assign { lhs, rhs } => {
            format!("assign: {} := {}", show::expr(lhs), show::expr(rhs))
        }
        LiteralKind::Unify { lhs, rhs } => {
            format!("unify: {} = {}", show::expr(lhs), show::expr(rhs))
        }
        LiteralKind::SomeVars { vars } => {
            let names: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
            format!("some: {}", names.join(", "))
        }
        LiteralKind::SomeIn {
            key,
            value,
            collection,
        } => format!(
            "some: {}",
            show::in_clause(key.as_ref().map(show::expr), &show::expr(value), collection)
        ),
        LiteralKind::Every {
            key,
            value,
            domain,
            body,
        } => {
            let key = key.as_ref().map(|k| k.name.clone());
            out.line(
                depth,
                format!("every: {}", show::in_clause(key, &value.name, domain)),
            );
            query(out, depth + 1, "body", body);
            return;
        }
    };
    out.line(depth, text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rego_syntax::{SourceMap, parse_module};

    fn outline(src: &str) -> String {
        let mut sources = SourceMap::new();
        let file = sources.add("p.rego", src);
        module("p.rego", &parse_module(&sources, file).expect("valid"))
    }

    #[test]
    fn outlines_rules_and_bodies() {
        let text = outline(
            "package a.b\n\nimport data.lib as l\n\ndefault allow := false\n\n\
             allow if {\n\tinput.x == 1\n\tnot l.deny with input as {}\n}\n\n\
             deny contains msg if msg := \"no\"\n\nf(x) := x + 1\n",
        );
        assert_eq!(
            text,
            "module p.rego\n  package a.b\n  import data.lib as l\n\
             \x20 default rule allow (complete)\n    value := false\n\
             \x20 rule allow (complete)\n    body\n      expr: input.x == 1\n\
             \x20     not: l.deny\n        with input as {}\n\
             \x20 rule deny (multi-value)\n    contains msg\n    body\n      assign: msg := \"no\"\n\
             \x20 rule f (function)\n    args: x\n    value := x + 1\n"
        );
    }

    #[test]
    fn outlines_every_and_else() {
        let text = outline(
            "package p\n\nq.r := 1 if { every x in input.xs { x > 0 } } else := 2\n\ns[k] := 3 if k := 1\n",
        );
        assert_eq!(
            text,
            "module p.rego\n  package p\n  rule q.r (complete)\n    value := 1\n\
             \x20   body\n      every: x in input.xs\n        body\n          expr: x > 0\n\
             \x20   else := 2\n  rule s[k] (partial object)\n    value := 3\n    body\n\
             \x20     assign: k := 1\n"
        );
    }
}
