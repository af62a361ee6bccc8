//! Variable names in the AST: what a literal declares and what it mentions, for scoping.

use rego_syntax::ast::{self, ExprKind, LiteralKind, RefArg, TemplatePart};

/// Names a literal declares with `:=` or `some`.
pub(super) fn declared_names(kind: &LiteralKind, out: &mut Vec<String>) {
    match kind {
        LiteralKind::Assign { lhs, .. } => pattern_vars(lhs, out),
        LiteralKind::SomeVars { vars } => out.extend(vars.iter().map(|v| v.name.clone())),
        LiteralKind::SomeIn { key, value, .. } => {
            if let Some(k) = key {
                pattern_vars(k, out);
            }
            pattern_vars(value, out);
        }
        _ => {}
    }
}

/// Variables of a pattern (vars inside arrays/objects, not inside refs or calls).
pub(super) fn pattern_vars(e: &ast::Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Var { name } => out.push(name.clone()),
        ExprKind::Array { items } | ExprKind::Set { items } => {
            items.iter().for_each(|i| pattern_vars(i, out))
        }
        ExprKind::Object { items } => items.iter().for_each(|(_, v)| pattern_vars(v, out)),
        _ => {}
    }
}

/// Every variable name occurring in a literal at its body's level (not inside comprehensions or
/// `every` bodies).
pub(super) fn literal_vars(lit: &ast::Literal, out: &mut Vec<String>) {
    kind_vars(&lit.kind, out);
    for w in &lit.with {
        // A bare name may name a replacement function; it is resolved when lowered.
        if w.value.as_var().is_none() {
            expr_vars(&w.value, out);
        }
    }
}

pub(super) fn kind_vars(kind: &LiteralKind, out: &mut Vec<String>) {
    match kind {
        LiteralKind::Expr { expr } => expr_vars(expr, out),
        LiteralKind::Not { inner } => kind_vars(inner, out),
        LiteralKind::Assign { lhs, rhs } | LiteralKind::Unify { lhs, rhs } => {
            expr_vars(lhs, out);
            expr_vars(rhs, out);
        }
        LiteralKind::SomeVars { .. } => {}
        LiteralKind::SomeIn {
            key,
            value,
            collection,
        } => {
            if let Some(k) = key {
                expr_vars(k, out);
            }
            expr_vars(value, out);
            expr_vars(collection, out);
        }
        LiteralKind::Every { domain, .. } => expr_vars(domain, out),
    }
}

pub(super) fn expr_vars(e: &ast::Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Var { name } => out.push(name.clone()),
        ExprKind::Ref { head, path } => {
            expr_vars(head, out);
            for arg in path {
                if let RefArg::Index { expr } = arg {
                    expr_vars(expr, out);
                }
            }
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| expr_vars(a, out)),
        ExprKind::Array { items } | ExprKind::Set { items } => {
            items.iter().for_each(|i| expr_vars(i, out))
        }
        ExprKind::Object { items } => items.iter().for_each(|(k, v)| {
            expr_vars(k, out);
            expr_vars(v, out);
        }),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr_vars(lhs, out);
            expr_vars(rhs, out);
        }
        ExprKind::Neg { operand } => expr_vars(operand, out),
        ExprKind::Membership {
            key,
            value,
            collection,
        } => {
            if let Some(k) = key {
                expr_vars(k, out);
            }
            expr_vars(value, out);
            expr_vars(collection, out);
        }
        ExprKind::Template { parts, .. } => {
            for part in parts {
                if let TemplatePart::Expr { literal } = part {
                    literal_vars(literal, out);
                }
            }
        }
        _ => {}
    }
}
