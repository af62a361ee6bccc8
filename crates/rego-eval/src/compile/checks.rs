//! Whole-policy checks: recursion between rules, and rules that clash with each other.

use super::{Compiled, Pending, error};
use crate::error::CompileError;
use crate::ir::*;
use rego_syntax::SourceMap;
use rego_syntax::ast::Module;

/// Rules whose paths are prefixes of other rules' paths must be objects that can hold them.
pub(super) fn check_tree_conflicts(
    sources: &SourceMap,
    compiled: &Compiled,
    _modules: &[Module],
    pending: &[Pending<'_>],
    errors: &mut Vec<CompileError>,
) {
    for p in pending {
        let rs = &compiled.rule_sets[p.set as usize];
        if matches!(
            rs.kind,
            RuleKind::PartialObject | RuleKind::PartialObjectOfSets
        ) {
            continue;
        }
        let refs: Vec<&str> = rs.path.iter().map(|s| &**s).collect();
        let Some(node) = compiled.node(&refs) else {
            continue;
        };
        if !compiled.nodes[node as usize].children.is_empty() && rs.kind != RuleKind::Function {
            let child_has_rules = has_rules_below(compiled, node);
            if child_has_rules {
                errors.push(error(
                    sources,
                    "rego_type_error",
                    p.rule.head.span,
                    format!(
                        "rule data.{} conflicts with rules below it",
                        rs.path.join(".")
                    ),
                ));
            }
        }
    }
}

fn has_rules_below(compiled: &Compiled, node: NodeId) -> bool {
    compiled.nodes[node as usize]
        .children
        .values()
        .any(|&c| compiled.nodes[c as usize].rules.is_some() || has_rules_below(compiled, c))
}

/// The rule sets a term depends on.
fn term_deps(compiled: &Compiled, t: &Term, out: &mut Vec<RuleSetId>) {
    match t {
        Term::Data(keys) => pattern_rules(compiled, 0, keys, out),
        Term::Call(c) => {
            if let Func::Rule(id) = c.func {
                out.push(id);
            }
        }
        _ => {}
    }
    t.for_each_child(&mut |c| child_deps(compiled, c, out));
}

fn child_deps(compiled: &Compiled, c: Child<'_>, out: &mut Vec<RuleSetId>) {
    match c {
        Child::Term(t) => term_deps(compiled, t, out),
        Child::Body(b) => body_deps(compiled, b, out),
    }
}

/// The rule sets a `data` reference may read, from `node` on: a constant key follows its
/// branch, a variable key every branch (`data[x].allow` reads each package's `allow`, not
/// every rule), and the rules below the last key are all read.
fn pattern_rules(compiled: &Compiled, node: NodeId, keys: &[Term], out: &mut Vec<RuleSetId>) {
    let n = &compiled.nodes[node as usize];
    if let Some(rs) = n.rules {
        out.push(rs);
        return;
    }
    let Some((key, rest)) = keys.split_first() else {
        subtree_rules(compiled, node, out);
        return;
    };
    let name = match key {
        Term::Const(crate::value::Value::String(s)) => Some(s.to_string()),
        Term::Const(v @ crate::value::Value::Number(_)) => Some(v.to_string()),
        _ => None,
    };
    match name {
        Some(name) => {
            if let Some(&child) = n.children.get(name.as_str()) {
                pattern_rules(compiled, child, rest, out);
            }
        }
        None => {
            for &child in n.children.values() {
                pattern_rules(compiled, child, rest, out);
            }
        }
    }
}

fn subtree_rules(compiled: &Compiled, node: NodeId, out: &mut Vec<RuleSetId>) {
    let n = &compiled.nodes[node as usize];
    if let Some(rs) = n.rules {
        out.push(rs);
    }
    for &c in n.children.values() {
        subtree_rules(compiled, c, out);
    }
}

fn body_deps(compiled: &Compiled, b: &Body, out: &mut Vec<RuleSetId>) {
    for lit in &b.lits {
        lit.for_each_child(&mut |c| child_deps(compiled, c, out));
    }
}

fn def_deps(compiled: &Compiled, d: &RuleDef, out: &mut Vec<RuleSetId>) {
    d.args
        .iter()
        .chain(&d.key)
        .chain(std::iter::once(&d.value))
        .for_each(|t| term_deps(compiled, t, out));
    body_deps(compiled, &d.body, out);
    for (v, b) in &d.elses {
        term_deps(compiled, v, out);
        body_deps(compiled, b, out);
    }
}

/// Reports every cycle of rule dependencies as `rego_recursion_error`.
pub(super) fn check_recursion(
    sources: &SourceMap,
    compiled: &Compiled,
    errors: &mut Vec<CompileError>,
) {
    let n = compiled.rule_sets.len();
    let mut edges: Vec<Vec<RuleSetId>> = vec![Vec::new(); n];
    for (i, rs) in compiled.rule_sets.iter().enumerate() {
        let mut deps = Vec::new();
        for d in rs.defs.iter().chain(rs.default.iter()) {
            def_deps(compiled, d, &mut deps);
        }
        deps.sort_unstable();
        deps.dedup();
        edges[i] = deps;
    }
    // Depth-first search for back edges: 0 = new, 1 = on stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut stack: Vec<RuleSetId> = Vec::new();
    fn visit(
        v: usize,
        edges: &[Vec<RuleSetId>],
        state: &mut [u8],
        stack: &mut Vec<RuleSetId>,
        cycles: &mut Vec<Vec<RuleSetId>>,
    ) {
        state[v] = 1;
        stack.push(v as RuleSetId);
        for &w in &edges[v] {
            match state[w as usize] {
                0 => visit(w as usize, edges, state, stack, cycles),
                1 => {
                    let start = stack.iter().position(|&s| s == w).expect("on stack");
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(w);
                    cycles.push(cycle);
                }
                _ => {}
            }
        }
        stack.pop();
        state[v] = 2;
    }
    let mut cycles = Vec::new();
    for v in 0..n {
        if state[v] == 0 {
            visit(v, &edges, &mut state, &mut stack, &mut cycles);
        }
    }
    for cycle in cycles {
        let first = &compiled.rule_sets[cycle[0] as usize];
        let path = cycle
            .iter()
            .map(|&id| format!("data.{}", compiled.rule_sets[id as usize].path.join(".")))
            .collect::<Vec<_>>()
            .join(" -> ");
        let span = first
            .defs
            .first()
            .or(first.default.as_ref())
            .map(|d| d.span)
            .unwrap_or_default();
        errors.push(error(
            sources,
            "rego_recursion_error",
            span,
            format!("rule data.{} is recursive: {path}", first.path.join(".")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    fn compile(modules: &[&str]) -> Result<(), String> {
        let mut engine = Engine::new();
        for (i, source) in modules.iter().enumerate() {
            engine
                .add_module(&format!("m{i}.rego"), source)
                .map_err(|e| e.to_string())?;
        }
        engine.compile().map(|_| ()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_variable_key_reads_only_the_rules_its_pattern_reaches() {
        let modules = [
            "package test\np := data[first].allow.see if first := \"primary\"\n",
            "package primary\nallow.see := true\n",
        ];
        assert_eq!(compile(&modules), Ok(()));
    }

    #[test]
    fn recursion_through_a_variable_key_is_still_found() {
        let modules = ["package a\np := data[x].q if x := \"a\"\nq := p\n"];
        let err = compile(&modules).unwrap_err();
        assert!(err.contains("rego_recursion_error"), "{err}");
    }
}
