//! Expressions: precedence levels, parentheses, collections and string escaping.

use super::{Layout, Printer};
use crate::ast::{BinOp, Expr, ExprKind, RefArg, TemplatePart};

/// The grammar's expression tiers, loosest first. An expression printed where a tier is
/// expected needs parentheses when its own tier is looser.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    /// The top of a literal: also admits `k, v in xs`.
    InTop,
    /// `x in xs`.
    In,
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
    Rel,
    /// `|`.
    Or,
    /// `&`.
    And,
    /// `+`, `-`.
    Arith,
    /// `*`, `/`, `%`.
    Factor,
    /// Prefix `-`, including negative number literals.
    Unary,
    /// A term: scalars, variables, refs, calls, collections, comprehensions.
    Term,
}

impl Level {
    /// The tier of a binary operator's own expression.
    fn of_op(op: BinOp) -> Level {
        match op.precedence() {
            1 => Level::Rel,
            2 => Level::Or,
            3 => Level::And,
            4 => Level::Arith,
            _ => Level::Factor,
        }
    }

    /// The next tighter tier (the right operand of a left-associative operator).
    fn tighter(self) -> Level {
        match self {
            Level::InTop => Level::In,
            Level::In => Level::Rel,
            Level::Rel => Level::Or,
            Level::Or => Level::And,
            Level::And => Level::Arith,
            Level::Arith => Level::Factor,
            Level::Factor => Level::Unary,
            Level::Unary | Level::Term => Level::Term,
        }
    }
}

/// The tier an expression occupies when printed without parentheses.
fn level(expr: &Expr) -> Level {
    match &expr.kind {
        ExprKind::Membership { key: Some(_), .. } => Level::InTop,
        ExprKind::Membership { key: None, .. } => Level::In,
        ExprKind::Binary { op, .. } => Level::of_op(*op),
        ExprKind::Neg { .. } => Level::Unary,
        ExprKind::Number { text } if text.starts_with('-') => Level::Unary,
        _ => Level::Term,
    }
}

/// Whether the printed expression begins with `-`.
fn starts_with_minus(expr: &Expr) -> bool {
    level(expr) == Level::Unary
}

/// Whether the expression, printed bare, begins with a term followed by `|`. As the first
/// element of a collection that would read as a comprehension (`[a | b]`), so there it
/// needs parentheses.
fn pipe_leading(expr: &Expr) -> bool {
    let (first, min, op) = match &expr.kind {
        ExprKind::Binary { op, lhs, .. } => (&**lhs, Level::of_op(*op), Some(*op)),
        ExprKind::Membership { key: Some(key), .. } => (&**key, Level::Rel, None),
        ExprKind::Membership { value, .. } => (&**value, Level::In, None),
        _ => return false,
    };
    if level(first) < min {
        // The operand is parenthesised, so it is a term followed by the operator.
        return op == Some(BinOp::Or);
    }
    match &first.kind {
        ExprKind::Binary { .. } | ExprKind::Membership { .. } => pipe_leading(first),
        _ => op == Some(BinOp::Or) && !starts_with_minus(first),
    }
}

/// Whether `name` can be written after a `.` (keywords can: the lexer reads them as names).
pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a ref's head needs parentheses: anything but a plain term, and the scalars whose
/// keyword or digits would merge with a following `.`.
fn head_needs_parens(head: &Expr) -> bool {
    level(head) < Level::Term
        || matches!(
            head.kind,
            ExprKind::Null | ExprKind::Bool { .. } | ExprKind::Number { .. }
        )
}

impl Printer {
    /// Prints `expr` where the grammar expects tier `min`.
    pub(super) fn expr(&mut self, expr: &Expr, min: Level) {
        self.expr_leading(expr, min, false);
    }

    /// Prints `expr` where tier `min` is expected; with `guard_minus`, an expression whose
    /// text would begin with `-` is parenthesised (see `Printer::statement`).
    pub(super) fn expr_leading(&mut self, expr: &Expr, min: Level, guard_minus: bool) {
        if level(expr) < min || (guard_minus && starts_with_minus(expr)) {
            self.out.push('(');
            self.bare(expr, false);
            self.out.push(')');
        } else {
            self.bare(expr, guard_minus);
        }
    }

    /// Prints `expr` without outer parentheses.
    fn bare(&mut self, expr: &Expr, guard_minus: bool) {
        match &expr.kind {
            ExprKind::Null => self.out.push_str("null"),
            ExprKind::Bool { value } => self.out.push_str(if *value { "true" } else { "false" }),
            ExprKind::Number { text } => self.out.push_str(text),
            ExprKind::String { value, raw } => {
                if *raw && !value.contains('`') {
                    self.out.push('`');
                    self.out.push_str(value);
                    self.out.push('`');
                } else {
                    write_json_string(&mut self.out, value);
                }
            }
            ExprKind::Template { parts, raw } => self.template(parts, *raw),
            ExprKind::Var { name } => self.out.push_str(name),
            ExprKind::Ref { head, path } => {
                if head_needs_parens(head) {
                    self.out.push('(');
                    self.bare(head, false);
                    self.out.push(')');
                } else {
                    self.bare(head, false);
                }
                for arg in path {
                    match arg {
                        RefArg::Dot { name } => self.dot_name(&name.name),
                        RefArg::Index { expr } => {
                            self.out.push('[');
                            self.expr(expr, Level::In);
                            self.out.push(']');
                        }
                    }
                }
            }
            ExprKind::Call { func, args } => {
                self.expr(func, Level::Term);
                self.out.push('(');
                self.comma_list(args);
                self.out.push(')');
            }
            ExprKind::Array { items } => {
                self.out.push('[');
                self.elements(items);
                self.out.push(']');
            }
            ExprKind::Set { items } if items.is_empty() => self.out.push_str("set()"),
            ExprKind::Set { items } => {
                self.out.push('{');
                self.elements(items);
                self.out.push('}');
            }
            ExprKind::Object { items } => {
                self.out.push('{');
                for (i, (key, value)) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.element(key, i == 0);
                    self.out.push_str(": ");
                    self.element(value, i == 0);
                }
                self.out.push('}');
            }
            ExprKind::ArrayCompr { head, body } => {
                self.out.push('[');
                self.expr(head, Level::Term);
                self.out.push_str(" | ");
                self.inline_literals(&body.literals);
                self.out.push(']');
            }
            ExprKind::SetCompr { head, body } => {
                self.out.push('{');
                self.expr(head, Level::Term);
                self.out.push_str(" | ");
                self.inline_literals(&body.literals);
                self.out.push('}');
            }
            ExprKind::ObjectCompr { key, value, body } => {
                self.out.push('{');
                self.expr(key, Level::Term);
                self.out.push_str(": ");
                self.expr(value, Level::Term);
                self.out.push_str(" | ");
                self.inline_literals(&body.literals);
                self.out.push('}');
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let own = Level::of_op(*op);
                self.expr_leading(lhs, own, guard_minus);
                self.out.push(' ');
                self.out.push_str(op.symbol());
                self.out.push(' ');
                self.expr(rhs, own.tighter());
            }
            ExprKind::Neg { operand } => {
                self.out.push('-');
                self.expr(operand, Level::Unary);
            }
            ExprKind::Membership {
                key,
                value,
                collection,
            } => {
                match key {
                    Some(key) => {
                        self.expr_leading(key, Level::Rel, guard_minus);
                        self.out.push_str(", ");
                        self.expr(value, Level::Rel);
                    }
                    None => self.expr_leading(value, Level::In, guard_minus),
                }
                self.out.push_str(" in ");
                self.expr(collection, Level::Rel);
            }
        }
    }

    /// `.name`, or `["name"]` when the name is not an identifier.
    pub(super) fn dot_name(&mut self, name: &str) {
        if is_identifier(name) {
            self.out.push('.');
            self.out.push_str(name);
        } else {
            self.out.push('[');
            write_json_string(&mut self.out, name);
            self.out.push(']');
        }
    }

    /// Arguments: expressions separated by `, `.
    pub(super) fn comma_list(&mut self, items: &[Expr]) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(item, Level::In);
        }
    }

    /// Array or set elements.
    fn elements(&mut self, items: &[Expr]) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.element(item, i == 0);
        }
    }

    /// A collection element; the first one must not read as a comprehension head.
    fn element(&mut self, item: &Expr, first: bool) {
        if first && pipe_leading(item) {
            self.out.push('(');
            self.bare(item, false);
            self.out.push(')');
        } else {
            self.expr(item, Level::In);
        }
    }

    /// `$"text {expr}"`, or `` $`text {expr}` `` when raw and representable.
    fn template(&mut self, parts: &[TemplatePart], raw: bool) {
        let raw = raw && raw_template_ok(parts);
        self.out.push_str(if raw { "$`" } else { "$\"" });
        for part in parts {
            match part {
                TemplatePart::Text { text } => {
                    for c in text.chars() {
                        match c {
                            '{' => self.out.push_str("\\{"),
                            c if raw => self.out.push(c),
                            c => escape_char(&mut self.out, c),
                        }
                    }
                }
                TemplatePart::Expr { literal } => {
                    self.out.push('{');
                    self.literal(literal, Layout::Inline);
                    self.out.push('}');
                }
            }
        }
        self.out.push(if raw { '`' } else { '"' });
    }
}

/// A raw template cannot hold a backtick, nor a backslash right before an expression (the
/// `\{` would read as an escaped brace).
fn raw_template_ok(parts: &[TemplatePart]) -> bool {
    !parts.iter().enumerate().any(|(i, part)| match part {
        TemplatePart::Text { text } => {
            let before_expr = matches!(parts.get(i + 1), Some(TemplatePart::Expr { .. }));
            text.contains('`') || (before_expr && text.ends_with('\\'))
        }
        TemplatePart::Expr { .. } => false,
    })
}

/// Writes `s` as a JSON string literal (which is also a Rego string literal).
pub(super) fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        escape_char(out, c);
    }
    out.push('"');
}

fn escape_char(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c if u32::from(c) < 0x20 => {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        }
        c => out.push(c),
    }
}
