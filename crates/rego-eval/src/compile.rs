//! Modules to one compiled policy: the data tree of rule sets, lowered bodies in safe order,
//! recursion and conflict checks.

mod checks;
mod compr_plan;
mod lower;
mod metadata;
mod safety;

use crate::builtin::Registry;
use crate::error::{CompileError, CompileErrors};
use crate::ir::{Node, NodeId, RuleKind, RuleSet, RuleSetId};
use rego_syntax::ast::{self, ExprKind, HeadKind, Module, RefArg};
use rego_syntax::{SourceMap, Span};
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) use lower::{QueryLowering, lower_query};

/// The compiled rules of every module, arranged in the `data` tree.
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    /// Tree nodes; node 0 is `data`.
    pub nodes: Vec<Node>,
    /// Rule sets by id.
    pub rule_sets: Vec<RuleSet>,
}

/// Where one rule definition comes from, before lowering.
pub(crate) struct Pending<'m> {
    pub module: usize,
    pub rule_index: usize,
    pub rule: &'m ast::Rule,
    pub set: RuleSetId,
    /// Path elements of the head after the rule set's path (partial object keys).
    pub key: Vec<HeadKey<'m>>,
}

/// One element of a rule head's reference after its constant prefix.
#[derive(Clone, Copy)]
pub(crate) enum HeadKey<'m> {
    /// `.name`
    Name(&'m str),
    /// `[expr]`
    Expr(&'m ast::Expr),
}

/// Creates a compile error at a span.
pub(crate) fn error(
    sources: &SourceMap,
    code: &'static str,
    span: Span,
    message: impl Into<String>,
) -> CompileError {
    CompileError {
        code,
        message: message.into(),
        location: sources.location(span),
        span,
    }
}

impl Compiled {
    /// The node at `path`, creating missing nodes.
    fn node_mut(&mut self, path: &[Arc<str>]) -> NodeId {
        if self.nodes.is_empty() {
            self.nodes.push(Node::default());
        }
        let mut id: NodeId = 0;
        for key in path {
            id = match self.nodes[id as usize].children.get(key) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len() as NodeId;
                    self.nodes.push(Node::default());
                    self.nodes[id as usize].children.insert(key.clone(), child);
                    child
                }
            };
        }
        id
    }

    /// The node at `path`, if it exists.
    pub fn node(&self, path: &[&str]) -> Option<NodeId> {
        let mut id: NodeId = 0;
        if self.nodes.is_empty() {
            return None;
        }
        for key in path {
            id = *self.nodes[id as usize].children.get(*key)?;
        }
        Some(id)
    }

    /// The rule set defined at exactly `path`.
    pub fn rule_set_at(&self, path: &[&str]) -> Option<RuleSetId> {
        self.nodes[self.node(path)? as usize].rules
    }
}

/// The constant prefix of a rule head's reference and the rest (from the first variable key).
fn head_path(head: &ast::Expr) -> Option<(Vec<Arc<str>>, Vec<HeadKey<'_>>)> {
    match &head.kind {
        ExprKind::Var { name } => Some((vec![name.as_str().into()], Vec::new())),
        ExprKind::Ref { head, path } => {
            let root = head.as_var()?;
            let mut names: Vec<Arc<str>> = vec![root.into()];
            let mut rest = Vec::new();
            for arg in path {
                match arg {
                    RefArg::Dot { name } if rest.is_empty() => {
                        names.push(name.name.as_str().into())
                    }
                    RefArg::Index { expr } if rest.is_empty() => match &expr.kind {
                        ExprKind::String { value, .. } => names.push(value.as_str().into()),
                        _ => rest.push(HeadKey::Expr(expr)),
                    },
                    RefArg::Dot { name } => rest.push(HeadKey::Name(&name.name)),
                    RefArg::Index { expr } => rest.push(HeadKey::Expr(expr)),
                }
            }
            Some((names, rest))
        }
        _ => None,
    }
}

/// Compiles parsed modules into rule sets over the data tree.
pub(crate) fn compile(
    sources: &SourceMap,
    modules: &[Module],
    registry: &Registry,
) -> Result<Compiled, CompileErrors> {
    let mut compiled = Compiled::default();
    compiled.node_mut(&[]);
    let mut errors = Vec::new();
    let mut pending: Vec<Pending<'_>> = Vec::new();
    let mut by_path: HashMap<Vec<Arc<str>>, RuleSetId> = HashMap::new();

    for (m, module) in modules.iter().enumerate() {
        let package: Vec<Arc<str>> = module
            .package
            .path
            .iter()
            .map(|n| n.name.as_str().into())
            .collect();
        compiled.node_mut(&package);
        for (r, rule) in module.rules.iter().enumerate() {
            let Some((names, rest)) = head_path(&rule.head.reference) else {
                errors.push(error(
                    sources,
                    "rego_type_error",
                    rule.head.span,
                    "invalid rule head reference",
                ));
                continue;
            };
            let kind = match (&rule.head.args, &rule.head.kind, rest.is_empty()) {
                (Some(_), _, _) => RuleKind::Function,
                (None, HeadKind::Contains { .. }, true) => RuleKind::PartialSet,
                (None, HeadKind::Contains { .. }, false) => RuleKind::PartialObjectOfSets,
                (None, HeadKind::Value { .. }, true) => RuleKind::Complete,
                (None, HeadKind::Value { .. }, false) => RuleKind::PartialObject,
            };
            if rule.is_default
                && matches!(
                    kind,
                    RuleKind::PartialObject | RuleKind::PartialObjectOfSets
                )
            {
                errors.push(error(
                    sources,
                    "rego_type_error",
                    rule.head.span,
                    "default rules must not have variables in their head",
                ));
                continue;
            }
            let mut path = package.clone();
            path.extend(names);
            let arity = rule.head.args.as_ref().map_or(0, Vec::len);
            let set = match by_path.get(&path) {
                Some(&id) => {
                    let existing = &compiled.rule_sets[id as usize];
                    if existing.kind != kind {
                        errors.push(error(
                            sources,
                            "rego_type_error",
                            rule.head.span,
                            format!("conflicting rules data.{} found", path.join(".")),
                        ));
                        continue;
                    }
                    if kind == RuleKind::Function && existing.arity != arity {
                        errors.push(error(
                            sources,
                            "rego_type_error",
                            rule.head.span,
                            format!("conflicting rules data.{} found", path.join(".")),
                        ));
                        continue;
                    }
                    id
                }
                None => {
                    let id = compiled.rule_sets.len() as RuleSetId;
                    compiled.rule_sets.push(RuleSet {
                        kind,
                        path: path.clone(),
                        defs: Vec::new(),
                        default: None,
                        arity,
                        index: None,
                    });
                    let node = compiled.node_mut(&path);
                    compiled.nodes[node as usize].rules = Some(id);
                    by_path.insert(path, id);
                    id
                }
            };
            pending.push(Pending {
                module: m,
                rule_index: r,
                rule,
                set,
                key: rest,
            });
        }
    }
    if !errors.is_empty() {
        return Err(CompileErrors(errors));
    }
    checks::check_tree_conflicts(sources, &compiled, modules, &pending, &mut errors);
    lower::lower_rules(
        sources,
        modules,
        registry,
        &mut compiled,
        &pending,
        &mut errors,
    );
    if errors.is_empty() {
        checks::check_recursion(sources, &compiled, &mut errors);
    }
    if errors.is_empty() {
        crate::index::build_indexes(&mut compiled);
        compr_plan::plan_policy(&mut compiled);
        Ok(compiled)
    } else {
        errors.sort_by(|a, b| {
            (a.location.file.clone(), a.location.row)
                .cmp(&(b.location.file.clone(), b.location.row))
        });
        errors.dedup_by(|a, b| a.message == b.message && a.location == b.location);
        Err(CompileErrors(errors))
    }
}
