//! Node builders called by the grammar's actions, with the checks a grammar can't express
//! (v1 rule forms, reserved names, valid package paths).

use crate::ast::*;
use crate::lexer::{self, TemplatePiece, Tok};
use crate::span::{FileId, Span};

/// An error raised by a grammar action: a message for a byte range.
#[derive(Clone, Debug, PartialEq)]
pub struct UserError {
    /// Where the problem is.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

type Result<T> = std::result::Result<T, lalrpop_util::ParseError<usize, Tok, UserError>>;

fn fail<T>(span: Span, message: impl Into<String>) -> Result<T> {
    Err(lalrpop_util::ParseError::User {
        error: UserError {
            span,
            message: message.into(),
        },
    })
}

/// What a grammar entry point produced.
pub enum Parsed {
    /// A whole module: package, imports, rules.
    Module(Package, Vec<Import>, Vec<Rule>),
    /// Imports and rules without a package (error recovery restarts here).
    Rules(Vec<Import>, Vec<Rule>),
    /// A query.
    Query(Query),
    /// One literal (code inside a template string).
    Literal(Literal),
}

/// The part of a rule head after its reference.
pub enum HeadTail {
    /// `contains x`
    Contains(Expr),
    /// `:= v` or `= v`
    Value(AssignOp, Expr),
}

pub(crate) fn package(span: Span, path: Expr) -> Result<Package> {
    let Some(names) = ref_names(&path) else {
        return fail(path.span, "package must be a path of names");
    };
    Ok(Package { span, path: names })
}

/// `a.b["c"]` as names with spans; `None` when some step isn't a constant name.
fn ref_names(expr: &Expr) -> Option<Vec<Name>> {
    match &expr.kind {
        ExprKind::Var { name } => Some(vec![Name {
            name: name.clone(),
            span: expr.span,
        }]),
        ExprKind::Ref { head, path } => {
            let mut names = ref_names(head)?;
            for arg in path {
                match arg {
                    RefArg::Dot { name } => names.push(name.clone()),
                    RefArg::Index { expr } => match &expr.kind {
                        ExprKind::String { value, .. } => names.push(Name {
                            name: value.clone(),
                            span: expr.span,
                        }),
                        _ => return None,
                    },
                }
            }
            Some(names)
        }
        _ => None,
    }
}

pub(crate) fn import(span: Span, path: Expr, alias: Option<Name>) -> Result<Import> {
    let Some(names) = ref_names(&path) else {
        return fail(path.span, "import path must be a reference");
    };
    let root = names[0].name.as_str();
    if !matches!(root, "data" | "input" | "future" | "rego") {
        return fail(
            path.span,
            format!("unexpected import path, must begin with one of: {{data, input}}, got: {root}"),
        );
    }
    Ok(Import { span, path, alias })
}

fn check_rule_ref(reference: &Expr) -> Result<()> {
    match &reference.kind {
        ExprKind::Var { name } if is_reserved(name) => {
            fail(reference.span, format!("unexpected {name} keyword"))
        }
        ExprKind::Var { .. } => Ok(()),
        ExprKind::Ref { head, .. } if head.as_var().is_some() => Ok(()),
        _ => fail(reference.span, "rule head must be a name or a reference"),
    }
}

/// Splits a head term into its reference and, for functions, the arguments.
fn split_head(term: Expr) -> Result<(Expr, Option<Vec<Expr>>)> {
    match term.kind {
        ExprKind::Call { func, args } => {
            check_rule_ref(&func)?;
            Ok((*func, Some(args)))
        }
        _ => {
            check_rule_ref(&term)?;
            Ok((term, None))
        }
    }
}

pub(crate) fn default_rule(span: Span, term: Expr, op: AssignOp, value: Expr) -> Result<Rule> {
    let head_span = term.span.to(value.span);
    let (reference, args) = split_head(term)?;
    Ok(Rule {
        span,
        is_default: true,
        head: Head {
            span: head_span,
            reference,
            args,
            kind: HeadKind::Value {
                op: Some(op),
                value: Some(value),
            },
        },
        body: None,
        elses: Vec::new(),
    })
}

pub(crate) fn rule(
    span: Span,
    term: Expr,
    tail: Option<HeadTail>,
    body: Option<Query>,
    elses: Vec<Else>,
) -> Result<Rule> {
    let mut head_span = term.span;
    let kind = match tail {
        None => HeadKind::Value {
            op: None,
            value: None,
        },
        Some(HeadTail::Contains(member)) => {
            head_span = head_span.to(member.span);
            HeadKind::Contains { member }
        }
        Some(HeadTail::Value(op, value)) => {
            head_span = head_span.to(value.span);
            HeadKind::Value {
                op: Some(op),
                value: Some(value),
            }
        }
    };
    let (reference, args) = split_head(term)?;
    if let Some(first) = elses.first() {
        if matches!(kind, HeadKind::Contains { .. }) {
            return fail(
                first.span,
                "else keyword cannot be used on multi-value rules",
            );
        }
        if body.is_none() {
            return fail(
                first.span,
                "else keyword cannot be used on rules without bodies",
            );
        }
    }
    Ok(Rule {
        span,
        is_default: false,
        head: Head {
            span: head_span,
            reference,
            args,
            kind,
        },
        body,
        elses,
    })
}

pub(crate) fn else_branch(
    span: Span,
    value: Option<(AssignOp, Expr)>,
    body: Option<Query>,
) -> Else {
    let (op, value) = match value {
        Some((op, v)) => (Some(op), Some(v)),
        None => (None, None),
    };
    Else {
        span,
        op,
        value,
        body,
    }
}

/// A boxed literal (the grammar's `Literal` symbol) from a statement and its modifiers.
pub(crate) fn literal(span: Span, kind: LiteralKind, with: Option<Vec<With>>) -> Box<Literal> {
    Box::new(Literal {
        span,
        kind,
        with: with.unwrap_or_default(),
    })
}

pub(crate) fn braced_body(span: Span, literals: Vec<Literal>) -> Result<Query> {
    if literals.is_empty() {
        return fail(span, "found empty body");
    }
    Ok(Query { span, literals })
}

pub(crate) fn some(
    span: Span,
    items: Vec<Expr>,
    collection: Option<Expr>,
    with: Vec<With>,
) -> Result<Literal> {
    let kind = match collection {
        Some(collection) => {
            let mut items = items.into_iter();
            let (key, value) = match (items.next(), items.next(), items.next()) {
                (Some(v), None, None) => (None, v),
                (Some(k), Some(v), None) => (Some(k), v),
                _ => {
                    return fail(
                        span,
                        "unexpected , token: expected at most two terms before in",
                    );
                }
            };
            LiteralKind::SomeIn {
                key,
                value,
                collection,
            }
        }
        None => {
            let mut vars = Vec::with_capacity(items.len());
            for item in items {
                match item.kind {
                    ExprKind::Var { name } => vars.push(Name {
                        name,
                        span: item.span,
                    }),
                    _ => {
                        return fail(item.span, "expected var or var in collection after some");
                    }
                }
            }
            if !with.is_empty() {
                return fail(
                    with[0].span,
                    "unexpected with keyword: some declarations take no modifiers",
                );
            }
            LiteralKind::SomeVars { vars }
        }
    };
    Ok(Literal { span, kind, with })
}

fn var_name(expr: Expr, what: &str) -> Result<Name> {
    match expr.kind {
        ExprKind::Var { name } => Ok(Name {
            name,
            span: expr.span,
        }),
        _ => fail(
            expr.span,
            format!("unexpected {what} in every: expected a variable"),
        ),
    }
}

pub(crate) fn every(
    span: Span,
    first: Expr,
    second: Option<Expr>,
    domain: Expr,
    body: Vec<Literal>,
    with: Vec<With>,
) -> Result<Literal> {
    let body_span = body.first().map_or(domain.span, |l| {
        l.span.to(body.last().expect("non-empty").span)
    });
    let body = braced_body(body_span, body)?;
    let (key, value) = match second {
        Some(v) => (Some(var_name(first, "key")?), var_name(v, "value")?),
        None => (None, var_name(first, "value")?),
    };
    Ok(Literal {
        span,
        kind: LiteralKind::Every {
            key,
            value,
            domain,
            body,
        },
        with,
    })
}

pub(crate) fn membership(span: Span, key: Option<Expr>, value: Expr, collection: Expr) -> Expr {
    Expr::new(
        span,
        ExprKind::Membership {
            key: key.map(Box::new),
            value: Box::new(value),
            collection: Box::new(collection),
        },
    )
}

pub(crate) fn binary(span: Span, op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr::new(
        span,
        ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
    )
}

/// `lhs op rhs` for the flat operator chain of the grammar, which reads every binary operator
/// left to right: when `lhs` is a chain link of a looser operator, `op` takes only that link's
/// right operand, as the precedence tiers `a + b * c` → `a + (b * c)` would have parsed it.
///
/// A link built here spans exactly from its left operand to its right one; a parenthesized
/// binary expression starts before its left operand (at the `(`) and is taken whole.
pub(crate) fn chain(span: Span, lhs: Expr, op: BinOp, rhs: Expr) -> Expr {
    let takes_right_operand = match &lhs.kind {
        ExprKind::Binary {
            op: looser, lhs: a, ..
        } => looser.precedence() < op.precedence() && a.span.start == lhs.span.start,
        _ => false,
    };
    match lhs.kind {
        ExprKind::Binary {
            op: looser,
            lhs: a,
            rhs: b,
        } if takes_right_operand => {
            let mut b = b;
            let inner_span = Span {
                start: b.span.start,
                ..span
            };
            *b = chain(inner_span, *b, op, rhs);
            Expr::new(
                span,
                ExprKind::Binary {
                    op: looser,
                    lhs: a,
                    rhs: b,
                },
            )
        }
        kind => binary(span, op, Expr::new(lhs.span, kind), rhs),
    }
}

/// `-x`: folded into the literal for numbers, a negation node otherwise.
pub(crate) fn negate(span: Span, operand: Expr) -> Expr {
    match operand.kind {
        ExprKind::Number { text } if !text.starts_with('-') => Expr::new(
            span,
            ExprKind::Number {
                text: format!("-{text}"),
            },
        ),
        kind => Expr::new(
            span,
            ExprKind::Neg {
                operand: Box::new(Expr::new(operand.span, kind)),
            },
        ),
    }
}

pub(crate) fn paren(span: Span, inner: Expr) -> Expr {
    Expr::new(span, inner.kind)
}

pub(crate) fn ref_dot(span: Span, head: Expr, name: Name) -> Expr {
    push_ref(span, head, RefArg::Dot { name })
}

pub(crate) fn ref_index(span: Span, head: Expr, index: Expr) -> Expr {
    push_ref(span, head, RefArg::Index { expr: index })
}

fn push_ref(span: Span, head: Expr, arg: RefArg) -> Expr {
    match head.kind {
        ExprKind::Ref { head, mut path } => {
            path.push(arg);
            Expr::new(span, ExprKind::Ref { head, path })
        }
        kind => {
            // Room for a few steps: most references have several.
            let mut path = Vec::with_capacity(4);
            path.push(arg);
            Expr::new(
                span,
                ExprKind::Ref {
                    head: Box::new(Expr::new(head.span, kind)),
                    path,
                },
            )
        }
    }
}

/// Whether `expr` is a variable followed by dotted names or constant string indexes (a
/// function name), as [`Expr::dotted_names`] would find, without collecting the names.
fn is_dotted_name(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Var { .. } => true,
        ExprKind::Ref { head, path } => {
            is_dotted_name(head)
                && path.iter().all(|arg| match arg {
                    RefArg::Dot { .. } => true,
                    RefArg::Index { expr } => matches!(expr.kind, ExprKind::String { .. }),
                })
        }
        _ => false,
    }
}

pub(crate) fn call(span: Span, func: Expr, args: Vec<Expr>) -> Result<Expr> {
    if !is_dotted_name(&func) {
        return fail(
            func.span,
            "function name must be a name or a dotted reference",
        );
    }
    if func.as_var() == Some("set") && args.is_empty() {
        return Ok(Expr::new(span, ExprKind::Set { items: Vec::new() }));
    }
    Ok(Expr::new(
        span,
        ExprKind::Call {
            func: Box::new(func),
            args,
        },
    ))
}

pub(crate) fn array(span: Span, first: Expr, rest: Vec<Expr>) -> Expr {
    let mut items = Vec::with_capacity(rest.len() + 1);
    items.push(first);
    items.extend(rest);
    Expr::new(span, ExprKind::Array { items })
}

pub(crate) fn set(span: Span, first: Expr, rest: Vec<Expr>) -> Expr {
    let mut items = Vec::with_capacity(rest.len() + 1);
    items.push(first);
    items.extend(rest);
    Expr::new(span, ExprKind::Set { items })
}

pub(crate) fn object(span: Span, key: Expr, value: Expr, rest: Vec<(Expr, Expr)>) -> Expr {
    let mut items = Vec::with_capacity(rest.len() + 1);
    items.push((key, value));
    items.extend(rest);
    Expr::new(span, ExprKind::Object { items })
}

fn compr_body(span: Span, literals: Vec<Literal>) -> Result<Query> {
    if literals.is_empty() {
        return fail(span, "found empty body in comprehension");
    }
    let body_span = literals[0].span.to(literals[literals.len() - 1].span);
    Ok(Query {
        span: body_span,
        literals,
    })
}

pub(crate) fn array_compr(span: Span, head: Expr, body: Vec<Literal>) -> Result<Expr> {
    let body = compr_body(span, body)?;
    Ok(Expr::new(
        span,
        ExprKind::ArrayCompr {
            head: Box::new(head),
            body,
        },
    ))
}

pub(crate) fn set_compr(span: Span, head: Expr, body: Vec<Literal>) -> Result<Expr> {
    let body = compr_body(span, body)?;
    Ok(Expr::new(
        span,
        ExprKind::SetCompr {
            head: Box::new(head),
            body,
        },
    ))
}

pub(crate) fn object_compr(span: Span, key: Expr, value: Expr, body: Vec<Literal>) -> Result<Expr> {
    let body = compr_body(span, body)?;
    Ok(Expr::new(
        span,
        ExprKind::ObjectCompr {
            key: Box::new(key),
            value: Box::new(value),
            body,
        },
    ))
}

/// Parses the code pieces of a template string as literals.
pub(crate) fn template(src: &str, file: FileId, span: Span) -> Result<Expr> {
    let token = &src[span.start as usize..span.end as usize];
    // The lexer has checked the pieces; scanning again cannot fail.
    let tok = match lexer::scan_template(token, span.start as usize) {
        Ok(tok) => tok,
        Err(_) => return fail(span, "non-terminated string"),
    };
    let mut parts = Vec::with_capacity(tok.pieces.len());
    for piece in tok.pieces {
        match piece {
            TemplatePiece::Text(text) => parts.push(TemplatePart::Text { text }),
            TemplatePiece::Code(start, end) => {
                let literal = crate::parser::parse_embedded_literal(src, file, start..end)
                    .map_err(|e| lalrpop_util::ParseError::User {
                        error: UserError {
                            span: e.span,
                            message: e.message,
                        },
                    })?;
                parts.push(TemplatePart::Expr {
                    literal: Box::new(literal),
                });
            }
        }
    }
    Ok(Expr::new(
        span,
        ExprKind::Template {
            parts,
            raw: tok.raw,
        },
    ))
}

/// Names that may not be used as variables or rule names.
pub fn is_reserved(name: &str) -> bool {
    matches!(
        name,
        "package"
            | "import"
            | "as"
            | "default"
            | "if"
            | "else"
            | "contains"
            | "some"
            | "every"
            | "in"
            | "not"
            | "with"
            | "true"
            | "false"
            | "null"
    )
}
