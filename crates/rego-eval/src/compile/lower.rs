//! AST to IR: names resolved to slots, rule sets, builtins and `data` paths.
//!
//! Scoping follows OPA: `:=` and `some` declare a variable in the body where they stand; any
//! other variable belongs to the outermost body it occurs in, so a comprehension sees (and
//! needs bound) every variable of its enclosing body, wherever that variable appears there.

mod entry;
mod vars;

pub(crate) use entry::{lower_query, lower_rules};
use vars::{declared_names, literal_vars, pattern_vars};

use super::{Compiled, error};
use crate::builtin::Registry;
use crate::error::CompileError;
use crate::ir::*;
use crate::value::Value;
use rego_syntax::ast::{self, BinOp, ExprKind, LiteralKind, RefArg, TemplatePart};
use rego_syntax::{SourceMap, Span};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A compiled query and the names of its variables.
pub(crate) struct QueryLowering {
    /// The ordered body.
    pub body: Body,
    /// Frame size.
    pub slots: u32,
    /// User-visible variables, by name, in order of first appearance.
    pub vars: Vec<(String, Slot)>,
    /// For each top-level literal, the slot capturing its value (expression literals only).
    pub captures: Vec<Option<Slot>>,
}

/// Where an import alias points.
#[derive(Clone)]
enum ImportRoot {
    Data(Vec<Arc<str>>),
    Input(Vec<Arc<str>>),
}

pub(super) struct Lowerer<'a> {
    sources: &'a SourceMap,
    compiled: &'a Compiled,
    registry: &'a Registry,
    /// The module's package, rule names and imports (shared by a module's rules).
    module: Arc<ModuleContext>,
    scopes: Vec<HashMap<String, Slot>>,
    /// Slots created while each open body was innermost (its locals).
    locals: Vec<Vec<Slot>>,
    pub names: Vec<String>,
    pub wildcards: HashSet<Slot>,
    errors: Vec<CompileError>,
    /// `rego.metadata.rule()` and `rego.metadata.chain()` for the rule being lowered,
    /// computed when first asked for.
    pub metadata: Metadata<'a>,
}

/// What the rules of one module share when lowered: computed once per module.
#[derive(Default)]
pub(super) struct ModuleContext {
    package: Vec<Arc<str>>,
    /// The first path element of every rule in the package.
    package_rules: HashSet<Arc<str>>,
    imports: HashMap<String, ImportRoot>,
}

impl ModuleContext {
    /// The context of `module` in the compiled rule tree.
    pub(super) fn new(compiled: &Compiled, module: &ast::Module) -> ModuleContext {
        let package: Vec<Arc<str>> = module
            .package
            .path
            .iter()
            .map(|n| n.name.as_str().into())
            .collect();
        let package_rules = compiled
            .rule_sets
            .iter()
            .filter(|rs| rs.path.len() > package.len() && rs.path[..package.len()] == *package)
            .map(|rs| rs.path[package.len()].clone())
            .collect();
        let mut imports = HashMap::new();
        for import in &module.imports {
            let Some(names) = import.path.dotted_names() else {
                continue;
            };
            let root = names[0].as_str();
            if root != "data" && root != "input" {
                continue;
            }
            let alias = match &import.alias {
                Some(a) => a.name.clone(),
                None => names.last().expect("non-empty").clone(),
            };
            let rest: Vec<Arc<str>> = names[1..].iter().map(|s| s.as_str().into()).collect();
            let target = if root == "data" {
                ImportRoot::Data(rest)
            } else {
                ImportRoot::Input(rest)
            };
            imports.insert(alias, target);
        }
        ModuleContext {
            package,
            package_rules,
            imports,
        }
    }
}

/// A rule's metadata values, computed on first use.
pub(super) enum Metadata<'a> {
    /// No rule (a query): empty metadata.
    None,
    /// Where to compute them from: the modules, the rule's module and index, its path.
    Pending(&'a [ast::Module], usize, usize, &'a [Arc<str>]),
    /// `rego.metadata.rule()` and `rego.metadata.chain()`.
    Ready(Value, Value),
}

impl<'a> Lowerer<'a> {
    /// A lowerer for a rule of a module (its context built once per module), or for a query
    /// when `module` is `None`.
    fn new(
        sources: &'a SourceMap,
        compiled: &'a Compiled,
        registry: &'a Registry,
        module: Option<Arc<ModuleContext>>,
    ) -> Lowerer<'a> {
        Lowerer {
            sources,
            compiled,
            registry,
            module: module.unwrap_or_default(),
            scopes: Vec::new(),
            locals: Vec::new(),
            names: Vec::new(),
            wildcards: HashSet::new(),
            errors: Vec::new(),
            metadata: Metadata::None,
        }
    }

    fn err(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.errors.push(error(self.sources, code, span, message));
    }

    fn new_slot(&mut self, name: &str) -> Slot {
        let slot = self.names.len() as Slot;
        self.names.push(name.to_string());
        if let Some(locals) = self.locals.last_mut() {
            locals.push(slot);
        }
        slot
    }

    fn declare(&mut self, name: &str) -> Slot {
        let slot = self.new_slot(name);
        self.scopes
            .last_mut()
            .expect("a scope")
            .insert(name.to_string(), slot);
        slot
    }

    fn lookup(&self, name: &str) -> Option<Slot> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    fn is_global(&self, name: &str) -> bool {
        name == "input"
            || name == "data"
            || self.module.imports.contains_key(name)
            || self.module.package_rules.contains(name)
    }

    /// Opens a body's scope and declares every variable first seen here, except those the
    /// body declares with `:=` or `some`: those come into scope where they are declared.
    fn enter_body(&mut self, lits: &[ast::Literal]) {
        self.scopes.push(HashMap::new());
        let mut declared = Vec::new();
        for lit in lits {
            declared_names(&lit.kind, &mut declared);
        }
        let mut seen = Vec::new();
        for lit in lits {
            literal_vars(lit, &mut seen);
        }
        for name in seen {
            if name != "_"
                && !declared.contains(&name)
                && self.lookup(&name).is_none()
                && !self.is_global(&name)
            {
                self.declare(&name);
            }
        }
    }

    /// Declares the variables of a `:=` or `some` pattern in the innermost scope.
    fn declare_pattern(&mut self, e: &ast::Expr) {
        let mut names = Vec::new();
        pattern_vars(e, &mut names);
        for name in names {
            if name != "_" {
                self.declare(&name);
            }
        }
    }

    fn resolve_var(&mut self, name: &str, span: Span) -> Term {
        if name == "_" {
            let slot = self.new_slot("_");
            self.wildcards.insert(slot);
            return Term::Var(slot);
        }
        if let Some(slot) = self.lookup(name) {
            return Term::Var(slot);
        }
        match name {
            "input" => return Term::Input,
            "data" => return Term::Data(Vec::new()),
            _ => {}
        }
        if let Some(target) = self.module.imports.get(name).cloned() {
            return match target {
                ImportRoot::Data(path) => Term::Data(
                    path.into_iter()
                        .map(|s| Term::Const(Value::from(&*s)))
                        .collect(),
                ),
                ImportRoot::Input(path) if path.is_empty() => Term::Input,
                ImportRoot::Input(path) => Term::Ref(
                    Box::new(Term::Input),
                    path.into_iter()
                        .map(|s| Term::Const(Value::from(&*s)))
                        .collect(),
                ),
            };
        }
        if self.module.package_rules.contains(name) {
            let mut path: Vec<Term> = self
                .module
                .package
                .iter()
                .map(|s| Term::Const(Value::from(&**s)))
                .collect();
            path.push(Term::Const(Value::string(name)));
            return Term::Data(path);
        }
        if self.scopes.is_empty() {
            self.err("rego_compile_error", span, format!("var {name} is unsafe"));
            return Term::Const(Value::Null);
        }
        Term::Var(self.declare(name))
    }

    fn term(&mut self, e: &ast::Expr) -> Term {
        match &e.kind {
            ExprKind::Null => Term::Const(Value::Null),
            ExprKind::Bool { value } => Term::Const(Value::Bool(*value)),
            ExprKind::Number { text } => match Value::parse_number(text) {
                Some(v) => Term::Const(v),
                None => {
                    self.err("rego_parse_error", e.span, format!("invalid number {text}"));
                    Term::Const(Value::Null)
                }
            },
            ExprKind::String { value, .. } => Term::Const(Value::string(value)),
            ExprKind::Template { parts, .. } => {
                let mut pieces = Vec::with_capacity(parts.len());
                for part in parts {
                    match part {
                        TemplatePart::Text { text } => {
                            pieces.push(TemplatePiece::Text(text.clone()))
                        }
                        TemplatePart::Expr { literal } => {
                            self.locals.push(Vec::new());
                            let slot = self.new_slot("__template");
                            let lit = self.literal(literal, Some(slot));
                            let locals = self.locals.pop().expect("pushed");
                            pieces.push(TemplatePiece::Expr(
                                Box::new(Body {
                                    lits: vec![lit],
                                    locals,
                                    index: None,
                                }),
                                slot,
                            ));
                        }
                    }
                }
                Term::Template(pieces)
            }
            ExprKind::Var { name } => self.resolve_var(name, e.span),
            ExprKind::Ref { head, path } => {
                let base = self.term(head);
                let keys: Vec<Term> = path
                    .iter()
                    .map(|arg| match arg {
                        RefArg::Dot { name } => Term::Const(Value::string(&name.name)),
                        RefArg::Index { expr } => self.term(expr),
                    })
                    .collect();
                extend_ref(base, keys)
            }
            ExprKind::Call { func, args } => {
                let args: Vec<Term> = args.iter().map(|a| self.term(a)).collect();
                self.call(func, args, e.span)
            }
            ExprKind::Array { items } => Term::Array(items.iter().map(|i| self.term(i)).collect()),
            ExprKind::Set { items } => Term::Set(items.iter().map(|i| self.term(i)).collect()),
            ExprKind::Object { items } => Term::Object(
                items
                    .iter()
                    .map(|(k, v)| (self.term(k), self.term(v)))
                    .collect(),
            ),
            ExprKind::ArrayCompr { head, body } => {
                let (head, body) = self.comprehension(body, |l| vec![l.term(head)]);
                Term::ArrayCompr(
                    Box::new(head.into_iter().next().expect("head")),
                    Box::new(body),
                )
            }
            ExprKind::SetCompr { head, body } => {
                let (head, body) = self.comprehension(body, |l| vec![l.term(head)]);
                Term::SetCompr(
                    Box::new(head.into_iter().next().expect("head")),
                    Box::new(body),
                )
            }
            ExprKind::ObjectCompr { key, value, body } => {
                let (kv, body) = self.comprehension(body, |l| vec![l.term(key), l.term(value)]);
                let mut kv = kv.into_iter();
                let k = kv.next().expect("key");
                let v = kv.next().expect("value");
                Term::ObjectCompr(Box::new(k), Box::new(v), Box::new(body))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let args = vec![self.term(lhs), self.term(rhs)];
                Term::Call(Box::new(Call {
                    func: Func::Op(*op),
                    name: op.builtin_name().into(),
                    args,
                    span: e.span,
                }))
            }
            ExprKind::Neg { operand } => {
                let args = vec![self.term(operand)];
                Term::Call(Box::new(Call {
                    func: Func::Neg,
                    name: "minus".into(),
                    args,
                    span: e.span,
                }))
            }
            ExprKind::Membership {
                key,
                value,
                collection,
            } => {
                let key = key.as_ref().map(|k| Box::new(self.term(k)));
                Term::Member(
                    key,
                    Box::new(self.term(value)),
                    Box::new(self.term(collection)),
                )
            }
        }
    }

    fn comprehension(
        &mut self,
        body: &ast::Query,
        head: impl FnOnce(&mut Self) -> Vec<Term>,
    ) -> (Vec<Term>, Body) {
        self.locals.push(Vec::new());
        self.enter_body(&body.literals);
        let lits = body
            .literals
            .iter()
            .map(|l| self.literal(l, None))
            .collect();
        let head = head(self);
        self.scopes.pop();
        let locals = self.locals.pop().expect("pushed");
        (
            head,
            Body {
                lits,
                locals,
                index: None,
            },
        )
    }

    /// The function a call names, resolved.
    fn call(&mut self, func: &ast::Expr, args: Vec<Term>, span: Span) -> Term {
        let names = func.dotted_names().unwrap_or_default();
        let name = names.join(".");
        let resolved = self.function(&names);
        let func = match resolved {
            Some(f) => f,
            None => {
                self.err(
                    "rego_type_error",
                    span,
                    format!("undefined function {name}"),
                );
                Func::Unknown
            }
        };
        if let Func::Metadata(kind) = func {
            let (rule, chain) = match &self.metadata {
                Metadata::None => (Value::empty_object(), Value::empty_array()),
                Metadata::Pending(modules, module, rule, path) => {
                    crate::compile::metadata::for_rule(modules, *module, *rule, path)
                }
                Metadata::Ready(rule, chain) => (rule.clone(), chain.clone()),
            };
            self.metadata = Metadata::Ready(rule.clone(), chain.clone());
            return Term::Const(match kind {
                MetadataKind::Rule => rule,
                MetadataKind::Chain => chain,
            });
        }
        let name = match &func {
            Func::Rule(id) => format!(
                "data.{}",
                self.compiled.rule_sets[*id as usize].path.join(".")
            ),
            _ => name,
        };
        Term::Call(Box::new(Call {
            func,
            name: name.into(),
            args,
            span,
        }))
    }

    /// Resolves a function name: user functions (via package, imports or `data`), operators
    /// by name, evaluator specials, then registered builtins.
    pub(super) fn function(&self, names: &[String]) -> Option<Func> {
        let first = names.first()?.as_str();
        let path: Option<Vec<Arc<str>>> = if first == "data" {
            Some(names[1..].iter().map(|s| s.as_str().into()).collect())
        } else if let Some(ImportRoot::Data(prefix)) = self.module.imports.get(first) {
            let mut p = prefix.clone();
            p.extend(names[1..].iter().map(|s| s.as_str().into()));
            Some(p)
        } else if self.module.package_rules.contains(first) {
            let mut p = self.module.package.clone();
            p.extend(names.iter().map(|s| s.as_str().into()));
            Some(p)
        } else {
            None
        };
        if let Some(path) = path {
            let refs: Vec<&str> = path.iter().map(|s| &**s).collect();
            if let Some(id) = self.compiled.rule_set_at(&refs) {
                if self.compiled.rule_sets[id as usize].kind == RuleKind::Function {
                    return Some(Func::Rule(id));
                }
            }
            if first == "data" || self.module.package_rules.contains(first) {
                return None;
            }
        }
        let name = names.join(".");
        let op = match name.as_str() {
            "plus" => Some(BinOp::Add),
            "minus" => Some(BinOp::Sub),
            "mul" => Some(BinOp::Mul),
            "div" => Some(BinOp::Div),
            "rem" => Some(BinOp::Rem),
            "equal" => Some(BinOp::Eq),
            "neq" => Some(BinOp::Neq),
            "lt" => Some(BinOp::Lt),
            "lte" => Some(BinOp::Lte),
            "gt" => Some(BinOp::Gt),
            "gte" => Some(BinOp::Gte),
            "or" => Some(BinOp::Or),
            "and" => Some(BinOp::And),
            _ => None,
        };
        if let Some(op) = op {
            return Some(Func::Op(op));
        }
        match name.as_str() {
            "print" => return Some(Func::Print),
            "walk" => return Some(Func::Walk),
            "trace" => return Some(Func::Trace),
            "rego.metadata.rule" => return Some(Func::Metadata(MetadataKind::Rule)),
            "rego.metadata.chain" => return Some(Func::Metadata(MetadataKind::Chain)),
            _ => {}
        }
        self.registry.get(&name).map(|b| Func::Builtin(b.clone()))
    }

    /// The number of arguments a function takes, when fixed.
    fn arity(&self, func: &Func) -> Option<usize> {
        match func {
            Func::Op(_) => Some(2),
            Func::Neg => Some(1),
            Func::Builtin(b) => Some(b.arity()),
            Func::Rule(id) => Some(self.compiled.rule_sets[*id as usize].arity),
            Func::Walk => Some(1),
            Func::Trace => Some(1),
            Func::Metadata(_) => Some(0),
            Func::Print | Func::Unknown => None,
        }
    }

    fn with_mod(&mut self, w: &ast::With) -> WithMod {
        let names = w.target.dotted_names().unwrap_or_default();
        let target_is_function = !matches!(
            names.first().map(String::as_str),
            Some("input") | Some("data")
        ) || self
            .function(&names)
            .is_some_and(|f| matches!(f, Func::Rule(_)));
        let func = if target_is_function {
            w.value.dotted_names().and_then(|n| {
                let is_local = n.len() == 1 && self.lookup(&n[0]).is_some();
                if is_local { None } else { self.function(&n) }
            })
        } else {
            None
        };
        let value = if func.is_some() {
            Term::Const(Value::Null)
        } else {
            self.term(&w.value)
        };
        let target = match names.first().map(String::as_str) {
            Some("input") => {
                WithTarget::Input(names[1..].iter().map(|s| Value::string(s)).collect())
            }
            Some("data") => {
                let refs: Vec<&str> = names[1..].iter().map(String::as_str).collect();
                match self.compiled.rule_set_at(&refs) {
                    Some(id) if self.compiled.rule_sets[id as usize].kind == RuleKind::Function => {
                        WithTarget::Function(format!("data.{}", refs.join(".")).into())
                    }
                    _ => WithTarget::Data(names[1..].iter().map(|s| Value::string(s)).collect()),
                }
            }
            _ => match self.function(&names) {
                Some(Func::Rule(id)) => WithTarget::Function(
                    format!(
                        "data.{}",
                        self.compiled.rule_sets[id as usize].path.join(".")
                    )
                    .into(),
                ),
                Some(_) => WithTarget::Function(names.join(".").into()),
                None => {
                    self.err(
                        "rego_compile_error",
                        w.target.span,
                        format!(
                            "with keyword target must reference existing input, data, or a function: {}",
                            names.join(".")
                        ),
                    );
                    WithTarget::Input(Vec::new())
                }
            },
        };
        WithMod {
            target,
            value,
            func,
        }
    }

    fn literal(&mut self, lit: &ast::Literal, capture: Option<Slot>) -> Lit {
        let with = lit.with.iter().map(|w| self.with_mod(w)).collect();
        let kind = self.literal_kind(&lit.kind, capture, lit.span);
        Lit {
            kind,
            with,
            span: lit.span,
        }
    }

    fn literal_kind(&mut self, kind: &LiteralKind, capture: Option<Slot>, span: Span) -> LitKind {
        match kind {
            LiteralKind::Expr { expr } => {
                let term = self.term(expr);
                if let Term::Call(call) = &term {
                    if let Some(arity) = self.arity(&call.func) {
                        if call.args.len() == arity + 1 && !matches!(call.func, Func::Print) {
                            let Term::Call(mut call) = term else {
                                unreachable!()
                            };
                            let out = call.args.pop().expect("output argument");
                            return LitKind::Unify(Term::Call(call), out);
                        }
                        if call.args.len() != arity {
                            let name = call.name.clone();
                            self.err("rego_type_error", span, format!("{name}: arity mismatch"));
                        }
                    }
                }
                match capture {
                    Some(slot) => LitKind::ExprCapture(term, slot),
                    None => LitKind::Expr(term),
                }
            }
            LiteralKind::Not { inner } => {
                self.locals.push(Vec::new());
                let inner = self.literal_kind(inner, None, span);
                let locals = self.locals.pop().expect("pushed");
                LitKind::Not(Box::new(Body {
                    lits: vec![Lit {
                        kind: inner,
                        with: Vec::new(),
                        span,
                    }],
                    locals,
                    index: None,
                }))
            }
            LiteralKind::Assign { lhs, rhs } => {
                let r = self.term(rhs);
                self.declare_pattern(lhs);
                let l = self.term(lhs);
                LitKind::Unify(l, r)
            }
            LiteralKind::Unify { lhs, rhs } => {
                let l = self.term(lhs);
                let r = self.term(rhs);
                LitKind::Unify(l, r)
            }
            LiteralKind::SomeVars { vars } => {
                for v in vars {
                    self.declare(&v.name);
                }
                LitKind::True
            }
            LiteralKind::SomeIn {
                key,
                value,
                collection,
            } => {
                let coll = self.term(collection);
                if let Some(k) = key {
                    self.declare_pattern(k);
                }
                self.declare_pattern(value);
                let key = key.as_ref().map(|k| self.term(k));
                let value = self.term(value);
                LitKind::SomeIn(key, value, coll)
            }
            LiteralKind::Every {
                key,
                value,
                domain,
                body,
            } => {
                let domain = self.term(domain);
                self.locals.push(Vec::new());
                self.scopes.push(HashMap::new());
                let key = key.as_ref().map(|k| self.declare(&k.name));
                let value_slot = self.declare(&value.name);
                self.enter_body(&body.literals);
                let lits = body
                    .literals
                    .iter()
                    .map(|l| self.literal(l, None))
                    .collect();
                self.scopes.pop();
                self.scopes.pop();
                let locals = self.locals.pop().expect("pushed");
                LitKind::Every(
                    key,
                    value_slot,
                    domain,
                    Box::new(Body {
                        lits,
                        locals,
                        index: None,
                    }),
                )
            }
        }
    }

    fn take_errors(&mut self) -> Vec<CompileError> {
        std::mem::take(&mut self.errors)
    }
}

/// Appends `keys` to a reference, flattening nested refs into one.
fn extend_ref(base: Term, keys: Vec<Term>) -> Term {
    match base {
        Term::Data(mut path) => {
            path.extend(keys);
            Term::Data(path)
        }
        Term::Ref(head, mut path) => {
            path.extend(keys);
            Term::Ref(head, path)
        }
        other => Term::Ref(Box::new(other), keys),
    }
}
