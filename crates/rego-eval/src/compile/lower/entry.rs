//! The entry points of lowering: every rule definition of the policy, and a query.

use super::vars::expr_vars;
use super::{Lowerer, Metadata, ModuleContext, QueryLowering};
use crate::builtin::Registry;
use crate::compile::{Compiled, HeadKey, Pending, error, safety};
use crate::error::CompileError;
use crate::ir::*;
use crate::value::Value;
use rego_syntax::SourceMap;
use rego_syntax::ast::{self, LiteralKind};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Lowers every pending rule definition into its rule set.
pub(crate) fn lower_rules(
    sources: &SourceMap,
    modules: &[ast::Module],
    registry: &Registry,
    compiled: &mut Compiled,
    pending: &[Pending<'_>],
    errors: &mut Vec<CompileError>,
) {
    let mut lowered = Vec::with_capacity(pending.len());
    // What each module's rules share, computed once per module.
    let mut contexts: HashMap<usize, Arc<ModuleContext>> = HashMap::new();
    for p in pending {
        let context = contexts
            .entry(p.module)
            .or_insert_with(|| Arc::new(ModuleContext::new(compiled, &modules[p.module])));
        let mut l = Lowerer::new(sources, compiled, registry, Some(context.clone()));
        let set_path = &compiled.rule_sets[p.set as usize].path;
        l.metadata = Metadata::Pending(modules, p.module, p.rule_index, set_path);
        let rule = p.rule;
        l.scopes.push(HashMap::new());
        let mut arg_names = Vec::new();
        for a in rule.head.args.iter().flatten() {
            expr_vars(a, &mut arg_names);
        }
        for name in arg_names {
            // Arguments shadow rule names, but not the roots `input` and `data`.
            if !matches!(name.as_str(), "_" | "input" | "data") && l.lookup(&name).is_none() {
                l.declare(&name);
            }
        }
        // Arguments that compute a value (a template string, a call) are compared in the body,
        // where safety ordering can run them after what binds their variables.
        let mut arg_checks: Vec<Lit> = Vec::new();
        let args: Vec<Term> = rule
            .head
            .args
            .iter()
            .flatten()
            .map(|a| {
                let t = l.term(a);
                if is_pattern(&t) {
                    return t;
                }
                let slot = l.new_slot("__arg");
                arg_checks.push(Lit {
                    kind: LitKind::Unify(Term::Var(slot), t),
                    with: Vec::new(),
                    span: a.span,
                });
                Term::Var(slot)
            })
            .collect();
        let body_lits: &[ast::Literal] = rule.body.as_ref().map_or(&[], |b| &b.literals);
        l.enter_body(body_lits);
        let mut lits: Vec<Lit> = body_lits.iter().map(|lit| l.literal(lit, None)).collect();
        lits.extend(arg_checks.iter().cloned());
        let key: Vec<Term> = match &rule.head.kind {
            ast::HeadKind::Contains { member } if p.key.is_empty() => vec![l.term(member)],
            _ => p
                .key
                .iter()
                .map(|k| match k {
                    HeadKey::Name(n) => Term::Const(Value::string(n)),
                    HeadKey::Expr(e) => l.term(e),
                })
                .collect(),
        };
        let value = match &rule.head.kind {
            ast::HeadKind::Value { value: Some(v), .. } => l.term(v),
            ast::HeadKind::Contains { member } if !p.key.is_empty() => l.term(member),
            _ => Term::Const(Value::Bool(true)),
        };
        let mut body = Body {
            lits,
            locals: Vec::new(),
            index: None,
        };
        let mut bound: HashSet<Slot> = HashSet::new();
        collect_pattern_slots(&args, &mut bound);
        let mut errs = l.take_errors();
        let head_terms: Vec<&Term> = key.iter().chain(std::iter::once(&value)).collect();
        safety::order_rule(
            sources,
            &l.names,
            &l.wildcards,
            &mut body,
            &bound,
            &head_terms,
            rule.head.span,
            &mut errs,
        );
        let mut elses = Vec::new();
        for e in &rule.elses {
            let body_lits: &[ast::Literal] = e.body.as_ref().map_or(&[], |b| &b.literals);
            l.scopes.truncate(1);
            l.enter_body(body_lits);
            let mut lits: Vec<Lit> = body_lits.iter().map(|lit| l.literal(lit, None)).collect();
            lits.extend(arg_checks.iter().cloned());
            let v = match &e.value {
                Some(v) => l.term(v),
                None => Term::Const(Value::Bool(true)),
            };
            let mut b = Body {
                lits,
                locals: Vec::new(),
                index: None,
            };
            errs.extend(l.take_errors());
            safety::order_rule(
                sources,
                &l.names,
                &l.wildcards,
                &mut b,
                &bound,
                &[&v],
                e.span,
                &mut errs,
            );
            elses.push((v, b));
        }
        errs.extend(l.take_errors());
        errors.extend(errs);
        let def = RuleDef {
            slots: l.names.len() as u32,
            args,
            key,
            value,
            body,
            elses,
            span: rule.span,
        };
        lowered.push((p.set, rule.is_default, def));
    }
    for (set, is_default, def) in lowered {
        let rs = &mut compiled.rule_sets[set as usize];
        if is_default {
            if rs.default.is_some() {
                errors.push(error(
                    sources,
                    "rego_type_error",
                    def.span,
                    format!("multiple default rules data.{} found", rs.path.join(".")),
                ));
            }
            rs.default = Some(def);
        } else {
            rs.defs.push(def);
        }
    }
}

/// Whether a term only matches (variables, constants, collections of those) rather than
/// computing a value.
fn is_pattern(t: &Term) -> bool {
    match t {
        Term::Var(_) | Term::Const(_) | Term::Input => true,
        Term::Array(items) | Term::Set(items) => items.iter().all(is_pattern),
        Term::Object(items) => items.iter().all(|(k, v)| is_pattern(k) && is_pattern(v)),
        Term::Data(keys) => keys.iter().all(|k| matches!(k, Term::Const(_))),
        _ => false,
    }
}

/// Slots bound by matching patterns (function arguments).
fn collect_pattern_slots(terms: &[Term], out: &mut HashSet<Slot>) {
    for t in terms {
        safety::term_slots(t, out);
    }
}

/// Lowers a query against a compiled policy.
pub(crate) fn lower_query(
    sources: &SourceMap,
    compiled: &Compiled,
    registry: &Registry,
    query: &ast::Query,
) -> Result<QueryLowering, Vec<CompileError>> {
    let mut l = Lowerer::new(sources, compiled, registry, None);
    l.enter_body(&query.literals);
    let mut captures = Vec::with_capacity(query.literals.len());
    let mut lits = Vec::with_capacity(query.literals.len());
    for lit in &query.literals {
        let capture = match lit.kind {
            LiteralKind::Expr { .. } => Some(l.new_slot("__expr")),
            _ => None,
        };
        let lowered = l.literal(lit, capture);
        let capture = match lowered.kind {
            LitKind::ExprCapture(_, slot) => Some(slot),
            _ => None,
        };
        captures.push(capture);
        lits.push(lowered);
    }
    let mut vars: Vec<(String, Slot)> = l.scopes[0].iter().map(|(n, s)| (n.clone(), *s)).collect();
    vars.sort_by_key(|(_, s)| *s);
    let mut body = Body {
        lits,
        locals: Vec::new(),
        index: None,
    };
    let mut errors = l.take_errors();
    safety::order_rule(
        sources,
        &l.names,
        &l.wildcards,
        &mut body,
        &HashSet::new(),
        &[],
        query.span,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    crate::compile::compr_plan::plan_body(&mut body);
    Ok(QueryLowering {
        body,
        slots: l.names.len() as u32,
        vars,
        captures,
    })
}
