//! Rego v1 source text from an AST: the inverse of parsing, up to spans and comments.
//!
//! The output is canonical: `package`, then imports, then rules separated by blank lines.
//! Rule bodies are always written `if {`, one literal per line indented with a tab, and
//! expressions carry parentheses exactly where the grammar needs them. Reparsing the output
//! gives back the same tree (spans aside); comments and `# METADATA` blocks are not printed.
//!
//! ```
//! use rego_syntax::{parse_query, print_query, SourceMap};
//!
//! let mut sources = SourceMap::new();
//! let file = sources.add("q.rego", "x := ((a|b)&c);y  =  -(1+2)");
//! let query = parse_query(&sources, file).expect("valid query");
//! assert_eq!(print_query(&query), "x := (a | b) & c; y = -(1 + 2)");
//! ```
//!
//! A few trees have no source form and print as the nearest text that does: a keyed
//! membership (`k, v in xs`) anywhere but at the top of a literal, a negation of a
//! non-negative number literal, or a ref whose head is itself a ref.

mod expr;
#[cfg(test)]
mod tests;

use crate::ast::{
    AssignOp, Expr, Head, HeadKind, Import, Literal, LiteralKind, Module, Name, Query, Rule,
};
use expr::Level;

/// Prints a whole module: `package`, imports, then each rule after a blank line.
///
/// The text ends with a newline. Comments and annotations are not printed.
pub fn print_module(module: &Module) -> String {
    let mut p = Printer::default();
    p.module(module);
    p.out
}

/// Prints a query on one line, its literals separated by `; `.
pub fn print_query(query: &Query) -> String {
    let mut p = Printer::default();
    p.inline_literals(&query.literals);
    p.out
}

/// Prints one expression, with parentheses only where its own structure needs them.
pub fn print_expr(expr: &Expr) -> String {
    let mut p = Printer::default();
    p.expr(expr, Level::InTop);
    p.out
}

/// How the literals of a body are laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One literal per line, indented (rule bodies, `every` bodies inside them).
    Block,
    /// Literals separated by `; ` on one line (comprehensions, templates, queries).
    Inline,
}

/// The output buffer and the current indentation depth.
#[derive(Default)]
struct Printer {
    out: String,
    indent: usize,
}

impl Printer {
    fn module(&mut self, module: &Module) {
        self.out.push_str("package ");
        self.path_names(&module.package.path);
        self.out.push('\n');
        if !module.imports.is_empty() {
            self.out.push('\n');
        }
        for import in &module.imports {
            self.import(import);
            self.out.push('\n');
        }
        for rule in &module.rules {
            self.out.push('\n');
            self.rule(rule);
            self.out.push('\n');
        }
    }

    /// `a.b["c-d"]`: dotted where a name is an identifier, bracketed otherwise.
    fn path_names(&mut self, names: &[Name]) {
        for (i, name) in names.iter().enumerate() {
            if i == 0 {
                self.out.push_str(&name.name);
            } else {
                self.dot_name(&name.name);
            }
        }
    }

    fn import(&mut self, import: &Import) {
        self.out.push_str("import ");
        self.expr(&import.path, Level::Term);
        if let Some(alias) = &import.alias {
            self.out.push_str(" as ");
            self.out.push_str(&alias.name);
        }
    }

    fn rule(&mut self, rule: &Rule) {
        if rule.is_default {
            self.out.push_str("default ");
        }
        self.head(&rule.head);
        if let Some(body) = &rule.body {
            self.out.push_str(" if ");
            self.block(&body.literals);
        }
        for branch in &rule.elses {
            self.out.push_str(" else");
            if let Some(value) = &branch.value {
                self.assign_op(branch.op.unwrap_or(AssignOp::ColonEquals));
                self.expr(value, Level::In);
            }
            if let Some(body) = &branch.body {
                self.out.push_str(" if ");
                self.block(&body.literals);
            }
        }
    }

    fn head(&mut self, head: &Head) {
        self.expr(&head.reference, Level::Term);
        if let Some(args) = &head.args {
            self.out.push('(');
            self.comma_list(args);
            self.out.push(')');
        }
        match &head.kind {
            HeadKind::Value { op, value } => {
                if let Some(value) = value {
                    self.assign_op(op.unwrap_or(AssignOp::ColonEquals));
                    self.expr(value, Level::In);
                }
            }
            HeadKind::Contains { member } => {
                self.out.push_str(" contains ");
                self.expr(member, Level::In);
            }
        }
    }

    /// ` := ` or ` = `, with the surrounding spaces.
    fn assign_op(&mut self, op: AssignOp) {
        self.out.push_str(match op {
            AssignOp::ColonEquals => " := ",
            AssignOp::Equals => " = ",
        });
    }

    /// `{`, one literal per line one tab deeper, `}` at the current depth.
    fn block(&mut self, literals: &[Literal]) {
        self.out.push_str("{\n");
        self.indent += 1;
        for literal in literals {
            self.tabs();
            self.literal(literal, Layout::Block);
            self.out.push('\n');
        }
        self.indent -= 1;
        self.tabs();
        self.out.push('}');
    }

    fn tabs(&mut self) {
        for _ in 0..self.indent {
            self.out.push('\t');
        }
    }

    fn inline_literals(&mut self, literals: &[Literal]) {
        for (i, literal) in literals.iter().enumerate() {
            if i > 0 {
                self.out.push_str("; ");
            }
            self.literal(literal, Layout::Inline);
        }
    }

    fn literal(&mut self, literal: &Literal, layout: Layout) {
        self.statement(&literal.kind, layout, layout == Layout::Block);
        for with in &literal.with {
            self.out.push_str(" with ");
            self.expr(&with.target, Level::Term);
            self.out.push_str(" as ");
            self.expr(&with.value, Level::In);
        }
    }

    /// One statement. `guard_minus` is set for a literal that begins a line of a block: the
    /// lexer only separates literals at a line break when the next line starts a term, so
    /// a leading `-` would join this literal to the one before; it is parenthesised instead.
    fn statement(&mut self, kind: &LiteralKind, layout: Layout, guard_minus: bool) {
        match kind {
            LiteralKind::Expr { expr } => self.expr_leading(expr, Level::InTop, guard_minus),
            LiteralKind::Not { inner } => {
                self.out.push_str("not ");
                self.statement(inner, layout, false);
            }
            LiteralKind::Assign { lhs, rhs } => {
                self.expr_leading(lhs, Level::InTop, guard_minus);
                self.out.push_str(" := ");
                self.expr(rhs, Level::InTop);
            }
            LiteralKind::Unify { lhs, rhs } => {
                self.expr_leading(lhs, Level::InTop, guard_minus);
                self.out.push_str(" = ");
                self.expr(rhs, Level::InTop);
            }
            LiteralKind::SomeVars { vars } => {
                self.out.push_str("some ");
                for (i, var) in vars.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push_str(&var.name);
                }
            }
            LiteralKind::SomeIn {
                key,
                value,
                collection,
            } => {
                self.out.push_str("some ");
                if let Some(key) = key {
                    self.expr(key, Level::Rel);
                    self.out.push_str(", ");
                }
                self.expr(value, Level::Rel);
                self.out.push_str(" in ");
                self.expr(collection, Level::Rel);
            }
            LiteralKind::Every {
                key,
                value,
                domain,
                body,
            } => {
                self.out.push_str("every ");
                if let Some(key) = key {
                    self.out.push_str(&key.name);
                    self.out.push_str(", ");
                }
                self.out.push_str(&value.name);
                self.out.push_str(" in ");
                self.expr(domain, Level::Rel);
                self.out.push(' ');
                match layout {
                    Layout::Block => self.block(&body.literals),
                    Layout::Inline => {
                        self.out.push_str("{ ");
                        self.inline_literals(&body.literals);
                        self.out.push_str(" }");
                    }
                }
            }
        }
    }
}
