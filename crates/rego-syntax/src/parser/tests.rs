//! Parser unit tests: operator precedence from the flat operator chain.

use crate::ast::{ExprKind, LiteralKind};
use crate::{SourceMap, parse_query};

/// The expression of a one-literal query with its binary nodes parenthesized; other nodes
/// (including parenthesized binaries) as their source text.
fn grouped(src: &str) -> String {
    let mut sources = SourceMap::new();
    let file = sources.add("q.rego", src);
    let query = parse_query(&sources, file).expect("parses");
    let LiteralKind::Expr { expr } = &query.literals[0].kind else {
        panic!("not an expression: {src}")
    };
    fn render(sources: &SourceMap, e: &crate::ast::Expr, out: &mut String) {
        match &e.kind {
            // A binary node spans exactly its operands unless it is parenthesized.
            ExprKind::Binary { op, lhs, rhs } if e.span == lhs.span.to(rhs.span) => {
                out.push('(');
                render(sources, lhs, out);
                out.push_str(op.symbol());
                render(sources, rhs, out);
                out.push(')');
            }
            _ => out.push_str(sources.snippet(e.span)),
        }
    }
    let mut out = String::new();
    render(&sources, expr, &mut out);
    out
}

#[test]
fn operators_bind_by_precedence_and_associate_left() {
    assert_eq!(grouped("a + b * c"), "(a+(b*c))");
    assert_eq!(grouped("a * b + c"), "((a*b)+c)");
    assert_eq!(grouped("a - b - c"), "((a-b)-c)");
    assert_eq!(grouped("a == b + c * d"), "(a==(b+(c*d)))");
    assert_eq!(grouped("a | b & c + d"), "(a|(b&(c+d)))");
    assert_eq!(grouped("a + b == c | d"), "((a+b)==(c|d))");
    assert_eq!(grouped("a < b == c"), "((a<b)==c)");
    assert_eq!(grouped("-a * b"), "(-a*b)");
    assert_eq!(grouped("a * -b % c"), "((a*-b)%c)");
}

#[test]
fn parentheses_keep_their_grouping() {
    assert_eq!(grouped("(a + b) * c"), "((a + b)*c)");
    assert_eq!(grouped("a * (b + c) - d"), "((a*(b + c))-d)");
    assert_eq!(grouped("((a) + b) * c"), "(((a) + b)*c)");
}

#[test]
fn collection_first_elements_chain_like_any_other() {
    let mut sources = SourceMap::new();
    let file = sources.add("q.rego", "x := [a + b | c, d * e - f]");
    let query = parse_query(&sources, file).expect("parses");
    let LiteralKind::Assign { rhs, .. } = &query.literals[0].kind else {
        panic!()
    };
    let ExprKind::Array { items } = &rhs.kind else {
        panic!("{rhs:?}")
    };
    let ExprKind::Binary { op, .. } = &items[0].kind else {
        panic!()
    };
    assert_eq!(op.symbol(), "|");
    let ExprKind::Binary { op, .. } = &items[1].kind else {
        panic!()
    };
    assert_eq!(op.symbol(), "-");
}
