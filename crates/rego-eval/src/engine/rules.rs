//! Listing and renaming the rule definitions an [`Engine`] holds, before compiling: what tools
//! working on rules need (a test runner finds its `test_` rules here and gives a test defined
//! several times one name per definition, as `opa test` does).

use super::Engine;
use rego_syntax::Location;
use rego_syntax::ast::{ExprKind, HeadKind, RefArg, Rule};

/// Which definition of which module: stable until more modules are added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RuleId {
    module: usize,
    rule: usize,
}

/// What a rule definition produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleShape {
    /// `p := v`, `p if ...`, `p[k] := v`: a value at its path (per key when the head has a
    /// variable key).
    Value,
    /// `p contains x`: members of a set.
    Contains,
    /// `f(x) := y`: a function.
    Function,
}

/// One rule definition as written (an `else` chain belongs to its definition).
#[derive(Clone, Debug, PartialEq)]
pub struct RuleInfo {
    /// The handle for [`Engine::rename_rule`].
    pub id: RuleId,
    /// The module's package path below `data` (`["authz", "test"]`).
    pub package: Vec<String>,
    /// The constant start of the head reference, below the package: `["a", "b"]` for
    /// `a.b[x] := 1` and `a["b"] := 1`, `["test_x"]` for `test_x if ...`.
    pub path: Vec<String>,
    /// Whether the head goes on after [`RuleInfo::path`] with a key that is not a constant
    /// string (`a.b[x]`).
    pub has_variable_key: bool,
    /// What it produces.
    pub shape: RuleShape,
    /// Whether it is a `default` definition.
    pub is_default: bool,
    /// Where the definition starts.
    pub location: Location,
}

impl Engine {
    /// Every rule definition of every added module, in the order they were added (modules in
    /// [`Engine::add_module`] order, rules in source order). Rules whose head is not a
    /// reference (which [`Engine::compile`] rejects) are left out.
    pub fn rules(&self) -> Vec<RuleInfo> {
        let mut out = Vec::new();
        for (m, module) in self.modules.iter().enumerate() {
            let package: Vec<String> = module.package.path.iter().map(|n| n.name.clone()).collect();
            for (r, rule) in module.rules.iter().enumerate() {
                let Some((path, has_variable_key)) = constant_prefix(rule) else {
                    continue;
                };
                let shape = match (&rule.head.args, &rule.head.kind) {
                    (Some(_), _) => RuleShape::Function,
                    (None, HeadKind::Contains { .. }) => RuleShape::Contains,
                    (None, HeadKind::Value { .. }) => RuleShape::Value,
                };
                out.push(RuleInfo {
                    id: RuleId { module: m, rule: r },
                    package: package.clone(),
                    path,
                    has_variable_key,
                    shape,
                    is_default: rule.is_default,
                    location: self.sources.location(rule.span),
                });
            }
        }
        out
    }

    /// Renames element `position` of a definition's constant head path (see
    /// [`RuleInfo::path`]) to `name`, so that the definition is compiled at its own path.
    /// The name need not be a valid identifier (`test_x#01`): such paths are reached with
    /// brackets, `data.p["test_x#01"]`. Returns whether the rule and the element exist.
    pub fn rename_rule(&mut self, id: RuleId, position: usize, name: &str) -> bool {
        let Some(rule) = self
            .modules
            .get_mut(id.module)
            .and_then(|m| m.rules.get_mut(id.rule))
        else {
            return false;
        };
        let within = constant_prefix(rule).is_some_and(|(path, _)| position < path.len());
        if !within {
            return false;
        }
        let reference = &mut rule.head.reference;
        let slot = match &mut reference.kind {
            ExprKind::Var { name } => name,
            ExprKind::Ref { head, path } => match position.checked_sub(1) {
                None => match &mut head.kind {
                    ExprKind::Var { name } => name,
                    _ => return false,
                },
                Some(i) => match &mut path[i] {
                    RefArg::Dot { name } => &mut name.name,
                    RefArg::Index { expr } => match &mut expr.kind {
                        ExprKind::String { value, .. } => value,
                        _ => return false,
                    },
                },
            },
            _ => return false,
        };
        *slot = name.to_string();
        true
    }
}

/// The constant names at the start of a rule's head reference, and whether a non-constant key
/// follows them; `None` when the head is not a variable or a reference rooted at one.
fn constant_prefix(rule: &Rule) -> Option<(Vec<String>, bool)> {
    match &rule.head.reference.kind {
        ExprKind::Var { name } => Some((vec![name.clone()], false)),
        ExprKind::Ref { head, path } => {
            let mut names = vec![head.as_var()?.to_string()];
            for arg in path {
                match arg {
                    RefArg::Dot { name } => names.push(name.name.clone()),
                    RefArg::Index { expr } => match &expr.kind {
                        ExprKind::String { value, .. } => names.push(value.clone()),
                        _ => return Some((names, true)),
                    },
                }
            }
            Some((names, false))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EvalOptions, Value};

    fn engine(src: &str) -> Engine {
        let mut engine = Engine::new();
        engine.add_module("t.rego", src).expect("parses");
        engine
    }

    #[test]
    fn rules_lists_paths_shapes_and_locations() {
        let engine = engine(
            "package a.b\n\ndefault p := false\np if true\nq.r[x] := 1 if x := \"k\"\ns contains 1\nf(x) := x\nt[\"u\"].v := 2\n",
        );
        let rules = engine.rules();
        let summary: Vec<_> = rules
            .iter()
            .map(|r| {
                (
                    r.path.join("."),
                    r.has_variable_key,
                    r.shape,
                    r.is_default,
                    r.location.row,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("p".to_string(), false, RuleShape::Value, true, 3),
                ("p".to_string(), false, RuleShape::Value, false, 4),
                ("q.r".to_string(), true, RuleShape::Value, false, 5),
                ("s".to_string(), false, RuleShape::Contains, false, 6),
                ("f".to_string(), false, RuleShape::Function, false, 7),
                ("t.u.v".to_string(), false, RuleShape::Value, false, 8),
            ]
        );
        assert!(rules.iter().all(|r| r.package == ["a", "b"]));
        assert_eq!(&*rules[0].location.file, "t.rego");
        assert_eq!(rules[0].location.col, 1);
    }

    #[test]
    fn renaming_a_definition_gives_it_its_own_path() {
        let mut engine = engine("package p\n\nt if true\nt := 2\nu.v if true\n");
        let rules = engine.rules();
        assert!(engine.rename_rule(rules[1].id, 0, "t#01"));
        assert!(engine.rename_rule(rules[2].id, 1, "w"));
        // Out of range: the path has one element.
        assert!(!engine.rename_rule(rules[0].id, 1, "x"));
        let policy = engine.compile().expect("compiles");
        let value = |q: &str| {
            policy
                .eval_query(q, None, &EvalOptions::default())
                .expect("evaluates")
                .into_iter()
                .next()
                .map(|r| r.expressions[0].value.clone())
        };
        assert_eq!(value("data.p.t"), Some(Value::Bool(true)));
        assert_eq!(value(r#"data.p["t#01"]"#), Some(Value::from(2)));
        assert_eq!(value("data.p.u.w"), Some(Value::Bool(true)));
        assert_eq!(value("data.p.u.v"), None);
        assert_eq!(engine.rules()[1].path, ["t#01"]);
    }
}
