//! Deterministic printer cases: precedence, collection heads, strings, templates, layout.

use crate::ast::{Expr, ExprKind, LiteralKind};
use crate::span::Span;
use crate::{SourceMap, parse_module, parse_query, print_expr, print_module, print_query};

fn query(src: &str) -> String {
    let mut sources = SourceMap::new();
    let file = sources.add("q.rego", src);
    let parsed = parse_query(&sources, file).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    let printed = print_query(&parsed);
    let again = sources.add("again.rego", &printed);
    let reparsed = parse_query(&sources, again).unwrap_or_else(|e| panic!("{printed:?}: {e}"));
    assert_eq!(print_query(&reparsed), printed, "not idempotent");
    printed
}

fn module(src: &str) -> String {
    let mut sources = SourceMap::new();
    let file = sources.add("m.rego", src);
    let parsed = parse_module(&sources, file).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    print_module(&parsed)
}

fn e(kind: ExprKind) -> Expr {
    Expr::new(Span::default(), kind)
}

fn var(name: &str) -> Expr {
    e(ExprKind::Var { name: name.into() })
}

#[test]
fn binary_operators_keep_needed_parentheses_only() {
    assert_eq!(query("(a | b) & c"), "(a | b) & c");
    assert_eq!(query("a | (b & c)"), "a | b & c");
    assert_eq!(query("a - (b - c)"), "a - (b - c)");
    assert_eq!(query("(a - b) - c"), "a - b - c");
    assert_eq!(query("a * (b + c) % d"), "a * (b + c) % d");
    assert_eq!(query("(a == b) == c"), "a == b == c");
    assert_eq!(query("a == (b == c)"), "a == (b == c)");
    assert_eq!(query("(a in b) in c"), "a in b in c");
    assert_eq!(query("a in (b in c)"), "a in (b in c)");
    assert_eq!(query("(a < b) in c"), "a < b in c");
    assert_eq!(query("a < (b in c)"), "a < (b in c)");
}

#[test]
fn negation_binds_tightest() {
    assert_eq!(query("-(x + 1)"), "-(x + 1)");
    assert_eq!(query("-x * y"), "-x * y");
    assert_eq!(query("-(x * y)"), "-(x * y)");
    assert_eq!(query("a - -1"), "a - -1");
    assert_eq!(query("a - -b"), "a - -b");
    assert_eq!(query("-(-x)"), "--x");
    assert_eq!(query("-(-1)"), "--1");
    assert_eq!(query("x := -2.5e3"), "x := -2.5e3");
}

#[test]
fn first_collection_element_is_never_a_comprehension_head() {
    assert_eq!(query("[(a | b)]"), "[(a | b)]");
    assert_eq!(query("[c, a | b]"), "[c, a | b]");
    assert_eq!(query("{(a | b)}"), "{(a | b)}");
    assert_eq!(query("{(a | b): 1}"), "{(a | b): 1}");
    assert_eq!(query("{a: (b | c)}"), "{a: (b | c)}");
    assert_eq!(query("{(x): 1}"), "{x: 1}");
    assert_eq!(query("[((a | b) | c)]"), "[(a | b | c)]");
    assert_eq!(query("[(a | b) | c]"), "[(a | b) | c]");
    assert_eq!(query("[a & b | c]"), "[a & b | c]");
    assert_eq!(query("[((a == b) | c)]"), "[((a == b) | c)]");
    assert_eq!(query("[-a | b]"), "[-a | b]");
    assert_eq!(query("[(a | b) == c]"), "[(a | b == c)]");
    assert_eq!(query("[a | b == c]"), "[a | b == c]");
    assert_eq!(query("[x + 1, 2]"), "[x + 1, 2]");
}

#[test]
fn comprehension_heads_are_terms() {
    assert_eq!(query("[(x + 1) | x := 1]"), "[(x + 1) | x := 1]");
    assert_eq!(
        query("[x | some x in xs; x > 1]"),
        "[x | some x in xs; x > 1]"
    );
    assert_eq!(query("{(-1): f(x) | x = 1}"), "{(-1): f(x) | x = 1}");
    assert_eq!(query("{x | x := 1}"), "{x | x := 1}");
}

#[test]
fn ref_heads_that_are_not_names_are_parenthesised() {
    assert_eq!(query("(a + b).c"), "(a + b).c");
    assert_eq!(query("[1, 2][0]"), "[1, 2][0]");
    assert_eq!(query("f(x).y[z]"), "f(x).y[z]");
    assert_eq!(query("(-1)[0]"), "(-1)[0]");
    assert_eq!(query("(null).x"), "(null).x");
    assert_eq!(query("x.if[\"a-b\"].y"), "x.if[\"a-b\"].y");
    assert_eq!(query("set()"), "set()");
    assert_eq!(query("{}"), "{}");
}

#[test]
fn keyed_membership_stays_at_the_top() {
    assert_eq!(query("k, v in xs"), "k, v in xs");
    assert_eq!(query("not k, (v | w) in xs"), "not k, v | w in xs");
    assert_eq!(query("x := 1 in xs"), "x := 1 in xs");
    assert_eq!(query("some k, v in (a in b)"), "some k, v in (a in b)");
}

#[test]
fn strings_are_reescaped() {
    assert_eq!(
        query(r#"x := "a\"b\\c\n\u0001é""#),
        r#"x := "a\"b\\c\n\u0001é""#
    );
    assert_eq!(query(r#"x := "\/\ud83d\ude00""#), "x := \"/😀\"");
    assert_eq!(query("x := `C:\\path`"), "x := `C:\\path`");
    assert_eq!(
        print_expr(&e(ExprKind::String {
            value: "a`b".into(),
            raw: true
        })),
        "\"a`b\""
    );
}

#[test]
fn templates_escape_braces() {
    assert_eq!(
        query(r#"$"a \{b} {x + 1} \"q\"""#),
        r#"$"a \{b} {x + 1} \"q\"""#
    );
    assert_eq!(query(r#"$"{ {"a": 1} } {"}"}""#), r#"$"{{"a": 1}} {"}"}""#);
    assert_eq!(query("$`a\\{b} {x}\n`"), "$`a\\{b} {x}\n`");
    assert_eq!(query(r#"$"{x with y as 1}""#), r#"$"{x with y as 1}""#);
}

#[test]
fn block_literals_never_begin_with_minus() {
    let printed = module("package p\n\nr if { x := 1; -x == -1; -1 = x }\n");
    assert_eq!(
        printed,
        "package p\n\nr if {\n\tx := 1\n\t(-x) == -1\n\t(-1) = x\n}\n"
    );
}

#[test]
fn modules_print_canonically() {
    let src = r#"package a.b["c-d"]
import data.x.y as z
import rego.v1
default allow := false
allow if input.user == "admin"
p[k] = v if { some k, v in {"a": 1} }
q contains x if { x := 1 }
f(x, y) := x + y
g(x) := 1 if x > 1 else := 2 if { x < 0 } else = 3
h if { every k, v in [1] { v > k; k >= 0 } }
"#;
    let expected = "package a.b[\"c-d\"]

import data.x.y as z
import rego.v1

default allow := false

allow if {
\tinput.user == \"admin\"
}

p[k] = v if {
\tsome k, v in {\"a\": 1}
}

q contains x if {
\tx := 1
}

f(x, y) := x + y

g(x) := 1 if {
\tx > 1
} else := 2 if {
\tx < 0
} else = 3

h if {
\tevery k, v in [1] {
\t\tv > k
\t\tk >= 0
\t}
}
";
    assert_eq!(module(src), expected);
    assert_eq!(module(expected), expected);
}

#[test]
fn print_expr_handles_built_trees() {
    let union = e(ExprKind::Binary {
        op: crate::ast::BinOp::Or,
        lhs: Box::new(var("a")),
        rhs: Box::new(var("b")),
    });
    let array = e(ExprKind::Array {
        items: vec![union.clone(), union.clone()],
    });
    assert_eq!(print_expr(&array), "[(a | b), a | b]");
    let neg = e(ExprKind::Neg {
        operand: Box::new(union),
    });
    assert_eq!(print_expr(&neg), "-(a | b)");
    let not = LiteralKind::Not {
        inner: Box::new(LiteralKind::Expr { expr: neg }),
    };
    assert!(matches!(not, LiteralKind::Not { .. }));
}
