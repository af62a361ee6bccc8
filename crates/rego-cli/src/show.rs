//! One-line Rego text for the nodes of `rego parse --format pretty`, built on rego-syntax's
//! printer so the text reads back as the same tree.

use rego_syntax::ast::{Expr, Literal, LiteralKind, Query, With};
use rego_syntax::{print_expr, print_query};

/// One expression as Rego text.
pub fn expr(e: &Expr) -> String {
    print_expr(e)
}

/// `with target as value`.
pub fn with(w: &With) -> String {
    format!("with {} as {}", expr(&w.target), expr(&w.value))
}

/// A statement without its `with` modifiers (`not x`, `x := 1`, `some k, v in xs`, ...).
pub fn literal_kind(kind: &LiteralKind, span: rego_syntax::Span) -> String {
    let query = Query {
        span,
        literals: vec![Literal {
            span,
            kind: kind.clone(),
            with: Vec::new(),
        }],
    };
    print_query(&query)
}

/// `k, v in xs` or `v in xs`: the head of a `some ... in` or `every`.
pub fn in_clause(key: Option<String>, value: &str, collection: &Expr) -> String {
    match key {
        Some(k) => format!("{k}, {value} in {}", expr(collection)),
        None => format!("{value} in {}", expr(collection)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rego_syntax::{SourceMap, parse_query};

    /// The first literal of `src`, printed back without modifiers.
    fn first(src: &str) -> String {
        let mut sources = SourceMap::new();
        let file = sources.add("q.rego", src);
        let q = parse_query(&sources, file).expect("valid query");
        literal_kind(&q.literals[0].kind, q.literals[0].span)
    }

    #[test]
    fn statements_print_without_their_modifiers() {
        assert_eq!(first("not x = 1 with input as 2"), "not x = 1");
        assert_eq!(first("some k, v in input.xs"), "some k, v in input.xs");
        assert_eq!(
            first("y := [(n * n) | some n in xs]"),
            "y := [(n * n) | some n in xs]"
        );
    }
}
