//! The abstract syntax tree of a Rego v1 module.
//!
//! Plain owned nodes, each with a [`Span`]. The JSON form (`serde::Serialize`) is the one
//! `rego parse` prints: enums are objects tagged with `"type"` in snake case, spans are
//! `{"file", "start", "end"}` byte offsets.

use crate::span::Span;
use serde::Serialize;

/// One parsed `.rego` file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Module {
    /// The `package` declaration.
    pub package: Package,
    /// The `import` declarations, in source order.
    pub imports: Vec<Import>,
    /// The rules, in source order.
    pub rules: Vec<Rule>,
    /// `# METADATA` blocks, each attached to the package or rule that follows it.
    pub annotations: Vec<Annotation>,
    /// Every comment, with its position (for formatters).
    pub comments: Vec<Comment>,
}

/// `package a.b.c`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Package {
    /// The whole declaration.
    pub span: Span,
    /// The path below `data`, e.g. `["a", "b", "c"]` with each element's span.
    pub path: Vec<Name>,
}

/// A name with its span (a variable, a dotted path element, an alias).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Name {
    /// The name itself.
    pub name: String,
    /// Where it stands.
    pub span: Span,
}

/// `import data.x.y as z`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Import {
    /// The whole declaration.
    pub span: Span,
    /// The imported reference (`data...`, `input...`, `rego.v1`, `future.keywords...`).
    pub path: Expr,
    /// The `as` alias, if any.
    pub alias: Option<Name>,
}

/// One rule definition, with its `else` chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    /// The whole rule, including `else` branches.
    pub span: Span,
    /// `default p := v`.
    pub is_default: bool,
    /// Name, arguments, key and value.
    pub head: Head,
    /// The body; `None` for rules written without one (`p := 1`).
    pub body: Option<Query>,
    /// `else` branches, in order.
    pub elses: Vec<Else>,
}

/// The head of a rule: `a.b[c] := v`, `f(x) := y`, `p contains x`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Head {
    /// The whole head.
    pub span: Span,
    /// The rule's reference: a variable or a ref (`a.b[c].d`).
    pub reference: Expr,
    /// Function arguments; `Some` for function definitions.
    pub args: Option<Vec<Expr>>,
    /// What the rule produces.
    pub kind: HeadKind,
}

/// `:=` or `=` in a rule head or `else`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignOp {
    /// `:=`
    ColonEquals,
    /// `=`
    Equals,
}

/// What a rule head produces.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HeadKind {
    /// `p := v`, `p = v`, or `p if ...` (value `true` when `value` is `None`).
    Value {
        /// The operator, when a value is written.
        op: Option<AssignOp>,
        /// The value expression, when written.
        value: Option<Expr>,
    },
    /// `p contains x`: a multi-value rule.
    Contains {
        /// The member expression.
        member: Expr,
    },
}

/// `else := v if { ... }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Else {
    /// The whole branch.
    pub span: Span,
    /// The operator, when a value is written.
    pub op: Option<AssignOp>,
    /// The value; `None` means the rule's own value (or `true`).
    pub value: Option<Expr>,
    /// The body; `None` when the branch has none (it always applies).
    pub body: Option<Query>,
}

/// A rule body or query: literals joined by `;` or newlines.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Query {
    /// The whole body, including braces when written.
    pub span: Span,
    /// The literals in order.
    pub literals: Vec<Literal>,
}

/// One statement of a body, with its `with` modifiers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Literal {
    /// The whole literal including modifiers.
    pub span: Span,
    /// The statement.
    pub kind: LiteralKind,
    /// `with target as value` modifiers, in order.
    pub with: Vec<With>,
}

/// The statement forms of a body.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiteralKind {
    /// An expression that must be defined and not `false`.
    Expr {
        /// The expression.
        expr: Expr,
    },
    /// `not stmt`, where the statement is an expression, an assignment or a unification.
    Not {
        /// The negated statement.
        inner: Box<LiteralKind>,
    },
    /// `lhs := rhs`: declare and assign.
    Assign {
        /// The pattern being declared.
        lhs: Expr,
        /// The value.
        rhs: Expr,
    },
    /// `lhs = rhs`: unification.
    Unify {
        /// Left side.
        lhs: Expr,
        /// Right side.
        rhs: Expr,
    },
    /// `some x, y`: declares local variables.
    SomeVars {
        /// The declared names.
        vars: Vec<Name>,
    },
    /// `some x in xs` or `some k, v in xs`.
    SomeIn {
        /// The key pattern of the two-variable form.
        key: Option<Expr>,
        /// The value (or member) pattern.
        value: Expr,
        /// The collection iterated.
        collection: Expr,
    },
    /// `every x in xs { ... }` or `every k, v in xs { ... }`.
    Every {
        /// The key variable of the two-variable form.
        key: Option<Name>,
        /// The value variable.
        value: Name,
        /// The domain iterated.
        domain: Expr,
        /// The body that must hold for every element.
        body: Query,
    },
}

/// `with target as value`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct With {
    /// The whole modifier.
    pub span: Span,
    /// What is replaced: `input...`, `data...` or a function name.
    pub target: Expr,
    /// The replacement.
    pub value: Expr,
}

/// An expression (terms, operators, calls, comprehensions).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expr {
    /// Where the expression stands.
    pub span: Span,
    /// What it is.
    pub kind: ExprKind,
}

/// Binary operators, from loosest to tightest: relations, `|`, `&`, `+ -`, `* / %`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinOp {
    /// `==`
    Eq,
    /// `!=`
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `|` set union
    Or,
    /// `&` set intersection
    And,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Eq => "==",
            BinOp::Neq => "!=",
            BinOp::Lt => "<",
            BinOp::Lte => "<=",
            BinOp::Gt => ">",
            BinOp::Gte => ">=",
            BinOp::Or => "|",
            BinOp::And => "&",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }

    /// Binding strength: higher binds tighter. `in` is 0, relations 1.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Eq | BinOp::Neq | BinOp::Lt | BinOp::Lte | BinOp::Gt | BinOp::Gte => 1,
            BinOp::Or => 2,
            BinOp::And => 3,
            BinOp::Add | BinOp::Sub => 4,
            BinOp::Mul | BinOp::Div | BinOp::Rem => 5,
        }
    }

    /// The name of the builtin that implements the operator in OPA (`equal`, `plus`, ...).
    pub fn builtin_name(self) -> &'static str {
        match self {
            BinOp::Eq => "equal",
            BinOp::Neq => "neq",
            BinOp::Lt => "lt",
            BinOp::Lte => "lte",
            BinOp::Gt => "gt",
            BinOp::Gte => "gte",
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Add => "plus",
            BinOp::Sub => "minus",
            BinOp::Mul => "mul",
            BinOp::Div => "div",
            BinOp::Rem => "rem",
        }
    }
}

/// One step of a reference after its head.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RefArg {
    /// `.name`
    Dot {
        /// The field name.
        name: Name,
    },
    /// `[expr]`
    Index {
        /// The key expression.
        expr: Expr,
    },
}

/// A piece of a template string.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplatePart {
    /// Literal text (escapes already decoded).
    Text {
        /// The text.
        text: String,
    },
    /// `{expr}` (possibly with `with` modifiers).
    Expr {
        /// The embedded expression.
        literal: Box<Literal>,
    },
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExprKind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool {
        /// The value.
        value: bool,
    },
    /// A number, kept as written (for arbitrary precision).
    Number {
        /// The exact text, with a leading `-` when negated.
        text: String,
    },
    /// A string (quoted or raw), escapes decoded.
    String {
        /// The value.
        value: String,
        /// Written in backticks.
        raw: bool,
    },
    /// `$"..."` or `` $`...` ``.
    Template {
        /// Text and expression pieces in order.
        parts: Vec<TemplatePart>,
        /// Written with backticks.
        raw: bool,
    },
    /// A variable (including `data`, `input` and `_`).
    Var {
        /// The name.
        name: String,
    },
    /// `head.a[b]...`: a reference into a value.
    Ref {
        /// What is referenced: a variable, a call, a composite.
        head: Box<Expr>,
        /// The path, at least one step.
        path: Vec<RefArg>,
    },
    /// `f(args)`, `a.b.c(args)`.
    Call {
        /// The function: a variable or a dotted reference.
        func: Box<Expr>,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `[a, b]`
    Array {
        /// The elements.
        items: Vec<Expr>,
    },
    /// `{a, b}` or `set()`
    Set {
        /// The elements.
        items: Vec<Expr>,
    },
    /// `{k: v}`
    Object {
        /// Key/value pairs in source order.
        items: Vec<(Expr, Expr)>,
    },
    /// `[head | body]`
    ArrayCompr {
        /// The produced element.
        head: Box<Expr>,
        /// The generating body.
        body: Query,
    },
    /// `{head | body}`
    SetCompr {
        /// The produced element.
        head: Box<Expr>,
        /// The generating body.
        body: Query,
    },
    /// `{key: value | body}`
    ObjectCompr {
        /// The produced key.
        key: Box<Expr>,
        /// The produced value.
        value: Box<Expr>,
        /// The generating body.
        body: Query,
    },
    /// `lhs op rhs`
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `-x` for a non-literal operand.
    Neg {
        /// The operand.
        operand: Box<Expr>,
    },
    /// `x in xs` or `k, v in xs`.
    Membership {
        /// The key of the two-element form.
        key: Option<Box<Expr>>,
        /// The value looked for.
        value: Box<Expr>,
        /// The collection searched.
        collection: Box<Expr>,
    },
}

impl Expr {
    /// A new expression node.
    pub fn new(span: Span, kind: ExprKind) -> Expr {
        Expr { span, kind }
    }

    /// The variable's name if this is a plain variable.
    pub fn as_var(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Var { name } => Some(name),
            _ => None,
        }
    }

    /// For `a.b.c` (a variable followed by dotted names or constant string indexes),
    /// the names `["a", "b", "c"]`; `None` for anything else.
    pub fn dotted_names(&self) -> Option<Vec<String>> {
        match &self.kind {
            ExprKind::Var { name } => Some(vec![name.clone()]),
            ExprKind::Ref { head, path } => {
                let mut names = head.dotted_names()?;
                for arg in path {
                    match arg {
                        RefArg::Dot { name } => names.push(name.name.clone()),
                        RefArg::Index { expr } => match &expr.kind {
                            ExprKind::String { value, .. } => names.push(value.clone()),
                            _ => return None,
                        },
                    }
                }
                Some(names)
            }
            _ => None,
        }
    }
}

/// A comment, without the `#`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comment {
    /// Where it stands, including the `#`.
    pub span: Span,
    /// The text after `#`.
    pub text: String,
}

/// What a `# METADATA` block applies to.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnnotationTarget {
    /// The module's package.
    Package,
    /// The rule at this index of [`Module::rules`].
    Rule {
        /// Index into `rules`.
        index: usize,
    },
}

/// A parsed `# METADATA` block.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotation {
    /// The comment block.
    pub span: Span,
    /// `rule`, `document`, `package` or `subpackages`.
    pub scope: String,
    /// What the block is attached to.
    pub target: AnnotationTarget,
    /// The YAML content as JSON (`title`, `description`, `custom`, ...), without `scope`.
    pub fields: serde_json::Map<String, serde_json::Value>,
}
