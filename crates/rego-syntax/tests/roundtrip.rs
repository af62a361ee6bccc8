//! Printer round trips: print(ast) reparses to the same tree (spans aside), and printing is
//! idempotent. Random trees come from proptest; real modules from the shared corpora.

use proptest::prelude::*;
use proptest::sample::select;
use rego_syntax::ast::{
    AssignOp, BinOp, Else, Expr, ExprKind, Head, HeadKind, Import, Literal, LiteralKind, Module,
    Name, Package, Query, RefArg, Rule, TemplatePart, With,
};
use rego_syntax::{
    SourceMap, Span, is_reserved, parse_module, parse_query, print_module, print_query,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

// ---- Comparing trees without spans ----

fn strip_spans(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("span");
            map.values_mut().for_each(strip_spans);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

fn shape<T: Serialize>(node: &T) -> serde_json::Value {
    let mut value = serde_json::to_value(node).expect("the AST serializes");
    strip_spans(&mut value);
    value
}

/// A module's shape without spans, comments and annotations (which are not printed).
fn module_shape(module: &Module) -> serde_json::Value {
    let mut value = shape(module);
    let map = value.as_object_mut().expect("a module is an object");
    map.remove("comments");
    map.remove("annotations");
    value
}

fn reparse_module(text: &str) -> Result<Module, String> {
    let mut sources = SourceMap::new();
    let file = sources.add("printed.rego", text);
    parse_module(&sources, file).map_err(|e| format!("{e}\n--- printed ---\n{text}"))
}

fn reparse_query(text: &str) -> Result<Query, String> {
    let mut sources = SourceMap::new();
    let file = sources.add("printed.rego", text);
    parse_query(&sources, file).map_err(|e| format!("{e}\n--- printed ---\n{text}"))
}

/// Prints `module`, reparses, and checks both the tree and the idempotence of printing.
fn check_module(module: &Module) -> Result<(), String> {
    let printed = print_module(module);
    let reparsed = reparse_module(&printed)?;
    let (want, got) = (module_shape(module), module_shape(&reparsed));
    if want != got {
        return Err(format!(
            "tree changed\n--- printed ---\n{printed}\n--- want ---\n{want:#}\n--- got ---\n{got:#}"
        ));
    }
    let again = print_module(&reparsed);
    if again != printed {
        return Err(format!(
            "not idempotent\n--- first ---\n{printed}\n--- second ---\n{again}"
        ));
    }
    Ok(())
}

// ---- Generating trees ----

fn sp() -> Span {
    Span::default()
}

fn ex(kind: ExprKind) -> Expr {
    Expr::new(sp(), kind)
}

fn name_of(name: String) -> Name {
    Name { name, span: sp() }
}

fn var(name: String) -> Expr {
    ex(ExprKind::Var { name })
}

fn lit(kind: LiteralKind, with: Vec<With>) -> Literal {
    Literal {
        span: sp(),
        kind,
        with,
    }
}

fn query(literals: Vec<Literal>) -> Query {
    Query {
        span: sp(),
        literals,
    }
}

const KEYWORDS: &[&str] = &[
    "package", "import", "as", "default", "if", "else", "contains", "some", "every", "in", "not",
    "with", "true", "false", "null",
];

/// A variable name: never a keyword, never `set` (`set()` is the empty set).
fn name() -> BoxedStrategy<String> {
    "[a-z_][a-z0-9_]{0,4}"
        .prop_filter("not a keyword", |s| !is_reserved(s) && s != "set")
        .boxed()
}

/// A name after a `.`: keywords are names there.
fn dot_name() -> BoxedStrategy<String> {
    prop_oneof![4 => name(), 1 => select(KEYWORDS).prop_map(String::from)].boxed()
}

fn dotted(root: BoxedStrategy<String>, len: std::ops::Range<usize>) -> BoxedStrategy<Expr> {
    (root, prop::collection::vec(dot_name(), len))
        .prop_map(|(root, names)| {
            if names.is_empty() {
                return var(root);
            }
            let path = names
                .into_iter()
                .map(|n| RefArg::Dot { name: name_of(n) })
                .collect();
            ex(ExprKind::Ref {
                head: Box::new(var(root)),
                path,
            })
        })
        .boxed()
}

fn number() -> BoxedStrategy<Expr> {
    select(
        &[
            "0",
            "1",
            "42",
            "3.14",
            "1e3",
            "2.5E-2",
            "12345678901234567890123",
            "-1",
            "-0.5",
            "-7e2",
        ][..],
    )
    .prop_map(|t| ex(ExprKind::Number { text: t.into() }))
    .boxed()
}

fn string() -> BoxedStrategy<Expr> {
    prop_oneof![
        "[a-z \"\\\\\n\t\u{1}\u{7f}é😀{}`$/]{0,6}"
            .prop_map(|value| ex(ExprKind::String { value, raw: false })),
        "[a-z \"\\\\\n{}$é]{0,6}".prop_map(|value| ex(ExprKind::String { value, raw: true })),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Expr> {
    prop_oneof![
        1 => Just(ex(ExprKind::Null)),
        1 => any::<bool>().prop_map(|value| ex(ExprKind::Bool { value })),
        2 => number(),
        2 => string(),
        4 => name().prop_map(var),
    ]
    .boxed()
}

fn bin_op() -> BoxedStrategy<BinOp> {
    select(
        &[
            BinOp::Eq,
            BinOp::Neq,
            BinOp::Lt,
            BinOp::Lte,
            BinOp::Gt,
            BinOp::Gte,
            BinOp::Or,
            BinOp::And,
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Rem,
        ][..],
    )
    .boxed()
}

/// `f(args)` or `a.b.f(args)`.
fn call(inner: BoxedStrategy<Expr>) -> BoxedStrategy<Expr> {
    (dotted(name(), 0..3), prop::collection::vec(inner, 0..3))
        .prop_map(|(func, args)| {
            ex(ExprKind::Call {
                func: Box::new(func),
                args,
            })
        })
        .boxed()
}

fn reference(inner: BoxedStrategy<Expr>) -> BoxedStrategy<Expr> {
    let head = prop_oneof![
        3 => name().prop_map(var),
        1 => call(inner.clone()),
        1 => inner.clone().prop_filter("a ref head is not a ref", |e| {
            !matches!(e.kind, ExprKind::Ref { .. })
        }),
    ];
    let arg = prop_oneof![
        dot_name().prop_map(|n| RefArg::Dot { name: name_of(n) }),
        inner.prop_map(|expr| RefArg::Index { expr }),
    ];
    (head, prop::collection::vec(arg, 1..3))
        .prop_map(|(head, path)| {
            ex(ExprKind::Ref {
                head: Box::new(head),
                path,
            })
        })
        .boxed()
}

/// Template text: non-empty; raw text avoids backticks and backslashes.
fn template(inner: BoxedStrategy<Expr>) -> BoxedStrategy<Expr> {
    let code =
        (inner, prop::collection::vec(with(), 0..2)).prop_map(|(expr, with)| TemplatePart::Expr {
            literal: Box::new(lit(LiteralKind::Expr { expr }, with)),
        });
    (
        any::<bool>(),
        prop::collection::vec(code, 0..3),
        any::<[bool; 4]>(),
    )
        .prop_flat_map(|(raw, codes, text_at)| {
            let text = if raw {
                "[a-z {}\"\n$é]{1,4}"
            } else {
                "[a-z {}\"\\\\\n\té$]{1,4}"
            };
            let texts = prop::collection::vec(text, codes.len() + 1);
            (Just(raw), Just(codes), Just(text_at), texts)
        })
        .prop_map(|(raw, codes, text_at, texts)| {
            let mut parts = Vec::new();
            let mut texts = texts.into_iter();
            for (i, code) in codes.into_iter().enumerate() {
                let text = texts.next().expect("one text per gap");
                if text_at[i % 4] {
                    parts.push(TemplatePart::Text { text });
                }
                parts.push(code);
            }
            if text_at[3] {
                let text = texts.next().expect("one text per gap");
                parts.push(TemplatePart::Text { text });
            }
            ex(ExprKind::Template { parts, raw })
        })
        .boxed()
}

/// Every expression kind, a few levels deep.
fn expr() -> BoxedStrategy<Expr> {
    leaf()
        .prop_recursive(3, 24, 3, |inner| {
            let items = prop::collection::vec(inner.clone(), 0..3);
            let pairs = prop::collection::vec((inner.clone(), inner.clone()), 0..3);
            let body = || prop::collection::vec(literal(inner.clone()), 1..3).prop_map(query);
            prop_oneof![
                3 => reference(inner.clone()),
                2 => call(inner.clone()),
                1 => items.clone().prop_map(|items| ex(ExprKind::Array { items })),
                1 => items.prop_map(|items| ex(ExprKind::Set { items })),
                1 => pairs.prop_map(|items| ex(ExprKind::Object { items })),
                1 => (inner.clone(), body()).prop_map(|(head, body)| ex(ExprKind::ArrayCompr {
                    head: Box::new(head),
                    body,
                })),
                1 => (inner.clone(), body()).prop_map(|(head, body)| ex(ExprKind::SetCompr {
                    head: Box::new(head),
                    body,
                })),
                1 => (inner.clone(), inner.clone(), body()).prop_map(|(key, value, body)| {
                    ex(ExprKind::ObjectCompr {
                        key: Box::new(key),
                        value: Box::new(value),
                        body,
                    })
                }),
                6 => (bin_op(), inner.clone(), inner.clone()).prop_map(|(op, lhs, rhs)| {
                    ex(ExprKind::Binary {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    })
                }),
                2 => inner
                    .clone()
                    .prop_filter("-5 is a number literal", |e| {
                        !matches!(&e.kind, ExprKind::Number { text } if !text.starts_with('-'))
                    })
                    .prop_map(|operand| ex(ExprKind::Neg {
                        operand: Box::new(operand),
                    })),
                2 => (inner.clone(), inner.clone()).prop_map(|(value, collection)| {
                    ex(ExprKind::Membership {
                        key: None,
                        value: Box::new(value),
                        collection: Box::new(collection),
                    })
                }),
                1 => template(inner),
            ]
        })
        .boxed()
}

fn with() -> BoxedStrategy<With> {
    (
        dotted(
            select(&["input", "data", "f"][..])
                .prop_map(String::from)
                .boxed(),
            0..3,
        ),
        leaf(),
    )
        .prop_map(|(target, value)| With {
            span: sp(),
            target,
            value,
        })
        .boxed()
}

/// `k, v in xs`: only at the top of a literal.
fn keyed_membership(inner: BoxedStrategy<Expr>) -> BoxedStrategy<Expr> {
    (inner.clone(), inner.clone(), inner)
        .prop_map(|(k, v, c)| {
            ex(ExprKind::Membership {
                key: Some(Box::new(k)),
                value: Box::new(v),
                collection: Box::new(c),
            })
        })
        .boxed()
}

fn statement(inner: BoxedStrategy<Expr>) -> BoxedStrategy<LiteralKind> {
    let top = prop_oneof![4 => inner.clone(), 1 => keyed_membership(inner.clone())];
    prop_oneof![
        3 => top.prop_map(|expr| LiteralKind::Expr { expr }),
        1 => (inner.clone(), inner.clone()).prop_map(|(lhs, rhs)| LiteralKind::Assign { lhs, rhs }),
        1 => (inner.clone(), inner).prop_map(|(lhs, rhs)| LiteralKind::Unify { lhs, rhs }),
    ]
    .boxed()
}

/// Every literal kind; `every` bodies hold plain statements.
fn literal(inner: BoxedStrategy<Expr>) -> BoxedStrategy<Literal> {
    let withs = || prop::collection::vec(with(), 0..2);
    let every_body = prop::collection::vec(
        statement(inner.clone()).prop_map(|kind| lit(kind, Vec::new())),
        1..3,
    )
    .prop_map(query);
    prop_oneof![
        4 => (statement(inner.clone()), withs()).prop_map(|(kind, with)| lit(kind, with)),
        1 => (statement(inner.clone()), withs()).prop_map(|(kind, with)| {
            lit(LiteralKind::Not { inner: Box::new(kind) }, with)
        }),
        1 => prop::collection::vec(name(), 1..3).prop_map(|vars| lit(
            LiteralKind::SomeVars { vars: vars.into_iter().map(name_of).collect() },
            Vec::new(),
        )),
        1 => (prop::option::of(inner.clone()), inner.clone(), inner.clone()).prop_map(
            |(key, value, collection)| lit(LiteralKind::SomeIn { key, value, collection }, Vec::new())
        ),
        1 => (prop::option::of(name()), name(), inner, every_body).prop_map(
            |(key, value, domain, body)| lit(
                LiteralKind::Every { key: key.map(name_of), value: name_of(value), domain, body },
                Vec::new(),
            )
        ),
    ]
    .boxed()
}

fn body() -> BoxedStrategy<Query> {
    prop::collection::vec(literal(expr()), 1..4)
        .prop_map(query)
        .boxed()
}

fn assign_op() -> BoxedStrategy<AssignOp> {
    select(&[AssignOp::ColonEquals, AssignOp::Equals][..]).boxed()
}

fn value_kind() -> BoxedStrategy<HeadKind> {
    (assign_op(), expr())
        .prop_map(|(op, value)| HeadKind::Value {
            op: Some(op),
            value: Some(value),
        })
        .boxed()
}

fn rule(
    reference: Expr,
    args: Option<Vec<Expr>>,
    kind: HeadKind,
    body: Option<Query>,
    elses: Vec<Else>,
    is_default: bool,
) -> Rule {
    Rule {
        span: sp(),
        is_default,
        head: Head {
            span: sp(),
            reference,
            args,
            kind,
        },
        body,
        elses,
    }
}

fn else_branch() -> BoxedStrategy<Else> {
    (
        prop::option::of((assign_op(), expr())),
        prop::option::of(body()),
    )
        .prop_map(|(value, body)| Else {
            span: sp(),
            op: value.as_ref().map(|v| v.0),
            value: value.map(|v| v.1),
            body,
        })
        .boxed()
}

/// Every head kind: complete, `if`-only, `contains`, partial object, function, default,
/// and `else` chains.
fn any_rule() -> BoxedStrategy<Rule> {
    let no_value = || HeadKind::Value {
        op: None,
        value: None,
    };
    let object_ref = (dotted(name(), 0..2), expr()).prop_map(|(base, key)| {
        let index = RefArg::Index { expr: key };
        match base.kind {
            ExprKind::Ref { head, mut path } => {
                path.push(index);
                ex(ExprKind::Ref { head, path })
            }
            kind => ex(ExprKind::Ref {
                head: Box::new(ex(kind)),
                path: vec![index],
            }),
        }
    });
    let args = || prop::collection::vec(expr(), 1..4);
    prop_oneof![
        (dotted(name(), 0..3), value_kind(), prop::option::of(body()))
            .prop_map(|(r, kind, body)| rule(r, None, kind, body, vec![], false)),
        (dotted(name(), 0..3), body()).prop_map(move |(r, body)| rule(
            r,
            None,
            no_value(),
            Some(body),
            vec![],
            false
        )),
        (dotted(name(), 0..3), expr(), prop::option::of(body())).prop_map(|(r, member, body)| {
            rule(r, None, HeadKind::Contains { member }, body, vec![], false)
        }),
        (object_ref, value_kind(), prop::option::of(body())).prop_map(|(r, kind, body)| rule(
            r,
            None,
            kind,
            body,
            vec![],
            false
        )),
        (
            dotted(name(), 0..2),
            args(),
            value_kind(),
            prop::option::of(body())
        )
            .prop_map(|(r, args, kind, body)| rule(
                r,
                Some(args),
                kind,
                body,
                vec![],
                false
            )),
        (dotted(name(), 0..2), args(), body()).prop_map(move |(r, args, body)| {
            rule(r, Some(args), no_value(), Some(body), vec![], false)
        }),
        (dotted(name(), 0..2), value_kind()).prop_map(|(r, kind)| rule(
            r,
            None,
            kind,
            None,
            vec![],
            true
        )),
        (
            dotted(name(), 0..2),
            prop::option::of(args()),
            prop::option::of(value_kind()),
            body(),
            prop::collection::vec(else_branch(), 1..3),
        )
            .prop_map(move |(r, args, kind, body, elses)| {
                rule(
                    r,
                    args,
                    kind.unwrap_or_else(no_value),
                    Some(body),
                    elses,
                    false,
                )
            }),
    ]
    .boxed()
}

fn import() -> BoxedStrategy<Import> {
    let path = prop_oneof![
        dotted(
            select(&["data", "input"][..])
                .prop_map(String::from)
                .boxed(),
            0..3
        ),
        Just(ex(ExprKind::Ref {
            head: Box::new(var("rego".into())),
            path: vec![RefArg::Dot {
                name: name_of("v1".into())
            }],
        })),
    ];
    (path, prop::option::of(name()))
        .prop_map(|(path, alias)| Import {
            span: sp(),
            path,
            alias: alias.map(name_of),
        })
        .boxed()
}

fn module() -> BoxedStrategy<Module> {
    let segment = prop_oneof![
        3 => name(),
        1 => select(KEYWORDS).prop_map(String::from),
        1 => select(&["a-b", "x y", "é", "1st"][..]).prop_map(String::from),
    ];
    (
        name(),
        prop::collection::vec(segment, 0..3),
        prop::collection::vec(import(), 0..3),
        prop::collection::vec(any_rule(), 1..4),
    )
        .prop_map(|(root, rest, imports, rules)| Module {
            package: Package {
                span: sp(),
                path: std::iter::once(root).chain(rest).map(name_of).collect(),
            },
            imports,
            rules,
            annotations: Vec::new(),
            comments: Vec::new(),
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn printed_modules_reparse_to_the_same_tree(module in module()) {
        if let Err(message) = check_module(&module) {
            prop_assert!(false, "{}", message);
        }
    }

    #[test]
    fn printed_queries_reparse_to_the_same_tree(q in body()) {
        let printed = print_query(&q);
        let reparsed = reparse_query(&printed).map_err(TestCaseError::fail)?;
        prop_assert_eq!(shape(&q), shape(&reparsed), "printed: {}", printed);
        prop_assert_eq!(print_query(&reparsed), printed);
    }
}

// ---- Real modules ----

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn round_trip_source(name: &str, text: &str, failures: &mut Vec<String>) {
    let mut sources = SourceMap::new();
    let file = sources.add(name, text);
    let Ok(module) = parse_module(&sources, file) else {
        return;
    };
    if let Err(message) = check_module(&module) {
        failures.push(format!("{name}: {message}"));
    }
}

#[test]
fn repository_examples_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/syntax/ok");
    let mut failures = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir)
        .expect("testdata/syntax/ok exists")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rego") {
            let text = std::fs::read_to_string(&path).expect("readable");
            round_trip_source(&path.display().to_string(), &text, &mut failures);
            seen += 1;
        }
    }
    assert!(seen > 0, "no examples in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn bench_policy_round_trips() {
    let path = shared_dir().join("bench/workloads/parse/policy.rego");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("\n*** SKIPPED: {} not found ***\n", path.display());
        return;
    };
    let mut failures = Vec::new();
    round_trip_source("policy.rego", &text, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn conformance_modules_round_trip() {
    let dir = match std::env::var_os("REGO_CONFORMANCE_DIR") {
        Some(d) => PathBuf::from(d),
        None => shared_dir().join("conformance/opa"),
    }
    .join("v1-json");
    if !dir.is_dir() {
        eprintln!(
            "\n*** SKIPPED: OPA conformance cases not found at {} ***\n",
            dir.display()
        );
        return;
    }
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        for case in doc["cases"].as_array().into_iter().flatten() {
            let note = case["note"].as_str().unwrap_or("?");
            for module in case["modules"].as_array().into_iter().flatten() {
                round_trip_source(note, module.as_str().unwrap_or_default(), &mut failures);
            }
        }
    }
    let shown: Vec<_> = failures.iter().take(5).cloned().collect();
    assert!(
        failures.is_empty(),
        "{} modules failed to round-trip; first ones:\n{}",
        failures.len(),
        shown.join("\n\n")
    );
}
