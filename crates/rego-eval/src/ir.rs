//! The compiled form of rule bodies: terms over numbered variable slots, literals in safe order,
//! rules and functions referred to by id. No names are looked up at evaluation time.

use crate::builtin::Builtin;
use crate::value::Value;
use rego_syntax::Span;
use rego_syntax::ast::BinOp;
use std::sync::Arc;

/// Index of a variable slot in a rule's frame.
pub(crate) type Slot = u32;

/// Index of a rule set (all definitions at one path, or one function) in the policy.
pub(crate) type RuleSetId = u32;

/// Index of a node of the data tree.
pub(crate) type NodeId = u32;

/// What a term evaluates to.
#[derive(Clone, Debug)]
pub(crate) enum Term {
    /// A constant.
    Const(Value),
    /// A variable; bound or unbound at run time.
    Var(Slot),
    /// `input`
    Input,
    /// A reference `head[k1][k2]...`; keys may be unbound variables (iteration).
    Ref(Box<Term>, Vec<Term>),
    /// A reference into `data` starting at the root: constant keys and variables.
    Data(Vec<Term>),
    /// `[a, b]`
    Array(Vec<Term>),
    /// `{a, b}`
    Set(Vec<Term>),
    /// `{k: v}`
    Object(Vec<(Term, Term)>),
    /// `[head | body]`
    ArrayCompr(Box<Term>, Box<Body>),
    /// `{head | body}`
    SetCompr(Box<Term>, Box<Body>),
    /// `{k: v | body}`
    ObjectCompr(Box<Term>, Box<Term>, Box<Body>),
    /// A function call.
    Call(Box<Call>),
    /// `x in xs` / `k, v in xs`
    Member(Option<Box<Term>>, Box<Term>, Box<Term>),
    /// Template string pieces.
    Template(Vec<TemplatePiece>),
}

/// A piece of a compiled template string.
#[derive(Clone, Debug)]
pub(crate) enum TemplatePiece {
    /// Literal text.
    Text(String),
    /// An embedded expression, evaluated as a one-literal body whose value lands in `slot`.
    Expr(Box<Body>, Slot),
}

/// What a call calls.
#[derive(Clone, Debug)]
pub(crate) enum Func {
    /// An operator (`+`, `==`, ...), also reachable by name (`plus`).
    Op(BinOp),
    /// Unary minus.
    Neg,
    /// A registered builtin.
    Builtin(Builtin),
    /// A user-defined function (rule set id) at a `data` path.
    Rule(RuleSetId),
    /// `print(...)`: writes to the print hook, always true.
    Print,
    /// `walk(x)`: a relation over every path and value.
    Walk,
    /// `trace(msg)`.
    Trace,
    /// `rego.metadata.rule()` / `rego.metadata.chain()`.
    Metadata(MetadataKind),
    /// A function that does not exist (only reachable when mocked via `with`).
    Unknown,
}

/// Which metadata builtin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MetadataKind {
    /// `rego.metadata.rule()`
    Rule,
    /// `rego.metadata.chain()`
    Chain,
}

/// A call: function, arguments, and an optional output pattern (`count(xs, n)`).
#[derive(Clone, Debug)]
pub(crate) struct Call {
    /// The function.
    pub func: Func,
    /// Its name as written (for error messages and `with` mocks).
    pub name: Arc<str>,
    /// The arguments.
    pub args: Vec<Term>,
    /// Where the call stands.
    pub span: Span,
}

/// A body: literals in evaluation order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Body {
    /// The literals.
    pub lits: Vec<Lit>,
    /// Slots declared in this body (reset before it runs in a comprehension).
    pub locals: Vec<Slot>,
    /// For a comprehension's body: how its results can be indexed by the outer values it
    /// tests (see `compile/compr_plan.rs`); `None` when they cannot.
    pub index: Option<Box<ComprPlan>>,
}

/// A comprehension whose body reads outer variables only through key tests, so that one pass
/// computes its results for every outer value at once.
#[derive(Clone, Debug, Default)]
pub(crate) struct ComprPlan {
    /// Identifies the comprehension in memo tables (unique in the process; a copy of the
    /// comprehension, made while unifying terms, keeps it).
    pub id: u64,
    /// The key tests, in body order; none for a comprehension that reads no outer variable.
    pub keys: Vec<KeyTest>,
}

/// A literal of a comprehension body that compares an outer variable with a value computed
/// from the comprehension's own variables: `expr == x`, `x == expr`, `expr = x` or `x in expr`.
#[derive(Clone, Debug)]
pub(crate) struct KeyTest {
    /// Its position in the body.
    pub lit: usize,
    /// The outer variable.
    pub outer: Slot,
    /// The expression compared with it.
    pub expr: Term,
    /// `x in expr`: the keys are the distinct members of `expr`'s value.
    pub member: bool,
}

/// One literal of a body.
#[derive(Clone, Debug)]
pub(crate) struct Lit {
    /// What it does.
    pub kind: LitKind,
    /// `with` modifiers.
    pub with: Vec<WithMod>,
    /// Where it stands.
    pub span: Span,
}

/// The literal forms.
#[derive(Clone, Debug)]
pub(crate) enum LitKind {
    /// Succeeds for each value of the term that is not `false`.
    Expr(Term),
    /// Succeeds for each value of the term that is not `false`, storing it in the slot
    /// (top-level query expressions, whose values are reported).
    ExprCapture(Term, Slot),
    /// Unification of two terms.
    Unify(Term, Term),
    /// Succeeds when the inner body has no solution.
    Not(Box<Body>),
    /// `some k, v in coll` (key optional).
    SomeIn(Option<Term>, Term, Term),
    /// `every k, v in domain { body }`.
    Every(Option<Slot>, Slot, Term, Box<Body>),
    /// Always true (declarations that compile to nothing).
    True,
}

/// `with target as value`.
#[derive(Clone, Debug)]
pub(crate) struct WithMod {
    /// What is replaced.
    pub target: WithTarget,
    /// The replacement.
    pub value: Term,
    /// The replacement when it names a function.
    pub func: Option<Func>,
}

/// The target of a `with`.
#[derive(Clone, Debug)]
pub(crate) enum WithTarget {
    /// `input` or a path below it.
    Input(Vec<Value>),
    /// `data` path (a base document or a rule).
    Data(Vec<Value>),
    /// A builtin by name, or a user function at a data path (mocked by a value or a function).
    Function(Arc<str>),
}

/// How a rule set produces its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleKind {
    /// One value (`p := v`, `p if ...`).
    Complete,
    /// `p contains x`.
    PartialSet,
    /// `p[k] := v` and other ref heads with variable keys.
    PartialObject,
    /// `p[k] contains v`: an object whose leaves are sets.
    PartialObjectOfSets,
    /// `f(x) := y`.
    Function,
}

/// One definition of a rule (with its `else` chain).
#[derive(Clone, Debug)]
pub(crate) struct RuleDef {
    /// Number of slots its frame needs.
    pub slots: u32,
    /// Function argument patterns.
    pub args: Vec<Term>,
    /// The key terms below the rule set's path (partial objects; `contains` key for sets).
    pub key: Vec<Term>,
    /// The value term (`true` when not written).
    pub value: Term,
    /// The body (empty: always true).
    pub body: Body,
    /// `else` branches: value and body.
    pub elses: Vec<(Term, Body)>,
    /// Where the definition stands.
    pub span: Span,
}

/// Every definition at one path (or of one function).
#[derive(Clone, Debug)]
pub(crate) struct RuleSet {
    /// Its kind.
    pub kind: RuleKind,
    /// The path below `data`.
    pub path: Vec<Arc<str>>,
    /// The definitions in source order.
    pub defs: Vec<RuleDef>,
    /// The `default` value, if any (for functions: a default definition).
    pub default: Option<RuleDef>,
    /// Function arity.
    pub arity: usize,
    /// Constant-equality index: for each definition, constant tests on input paths that must
    /// hold (`input.kind == "Pod"`).
    pub index: Option<RuleIndex>,
}

/// Definitions indexed by one input path compared with constants.
#[derive(Clone, Debug)]
pub(crate) struct RuleIndex {
    /// The `input` path tested.
    pub path: Vec<Value>,
    /// Definitions by the constant they require.
    pub by_value: std::collections::HashMap<Value, Vec<usize>>,
    /// Definitions with no such test (always candidates).
    pub others: Vec<usize>,
}

/// A node of the data tree: children by key, and the rule set defined exactly here.
#[derive(Clone, Debug, Default)]
pub(crate) struct Node {
    /// Child nodes.
    pub children: std::collections::BTreeMap<Arc<str>, NodeId>,
    /// The rule set at this path.
    pub rules: Option<RuleSetId>,
}

/// A direct part of a term or literal: a sub-term or a nested body.
pub(crate) enum Child<'a> {
    /// A sub-term.
    Term(&'a Term),
    /// A nested body (comprehension, template piece, `not`, `every`).
    Body(&'a Body),
}

impl Term {
    /// Calls `f` on each direct sub-term and nested body, in evaluation order.
    pub(crate) fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(Child<'a>)) {
        match self {
            Term::Const(_) | Term::Var(_) | Term::Input => {}
            Term::Ref(head, keys) => {
                f(Child::Term(head));
                keys.iter().for_each(|k| f(Child::Term(k)));
            }
            Term::Data(items) | Term::Array(items) | Term::Set(items) => {
                items.iter().for_each(|i| f(Child::Term(i)))
            }
            Term::Object(items) => items.iter().for_each(|(k, v)| {
                f(Child::Term(k));
                f(Child::Term(v));
            }),
            Term::ArrayCompr(h, b) | Term::SetCompr(h, b) => {
                f(Child::Term(h));
                f(Child::Body(b));
            }
            Term::ObjectCompr(k, v, b) => {
                f(Child::Term(k));
                f(Child::Term(v));
                f(Child::Body(b));
            }
            Term::Call(c) => c.args.iter().for_each(|a| f(Child::Term(a))),
            Term::Member(k, v, c) => {
                if let Some(k) = k {
                    f(Child::Term(k));
                }
                f(Child::Term(v));
                f(Child::Term(c));
            }
            Term::Template(pieces) => {
                for p in pieces {
                    if let TemplatePiece::Expr(b, _) = p {
                        f(Child::Body(b));
                    }
                }
            }
        }
    }
}

impl Lit {
    /// Calls `f` on each term and nested body of the literal, `with` values included.
    pub(crate) fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(Child<'a>)) {
        match &self.kind {
            LitKind::Expr(t) | LitKind::ExprCapture(t, _) => f(Child::Term(t)),
            LitKind::Unify(a, b) => {
                f(Child::Term(a));
                f(Child::Term(b));
            }
            LitKind::Not(body) => f(Child::Body(body)),
            LitKind::SomeIn(k, v, c) => {
                if let Some(k) = k {
                    f(Child::Term(k));
                }
                f(Child::Term(v));
                f(Child::Term(c));
            }
            LitKind::Every(_, _, d, body) => {
                f(Child::Term(d));
                f(Child::Body(body));
            }
            LitKind::True => {}
        }
        for w in &self.with {
            f(Child::Term(&w.value));
        }
    }
}
