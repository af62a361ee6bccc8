//! What a compiled policy holds: its packages and rules, for tools that discover rules by
//! name (`rego test` finds `test_*`, `rego validate` finds `deny*`, `warn*`, `violation*`).

use super::Policy;
use crate::ir::RuleKind;
use rego_syntax::Location;

/// One rule set of a compiled policy: every definition at one path.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSetInfo {
    /// The path below `data`, e.g. `["main", "deny"]`.
    pub path: Vec<String>,
    /// Whether it is a function (`f(x) := ...`), which cannot be evaluated as a document.
    pub function: bool,
    /// Whether it is a multi-value rule (`p contains x`).
    pub multi_value: bool,
    /// Where its first definition stands (the `default` definition when that is all there is).
    pub location: Location,
    /// How many definitions it has, `default` included.
    pub definitions: usize,
}

impl RuleSetInfo {
    /// The dotted reference to the rule: `data.main.deny`.
    pub fn reference(&self) -> String {
        let mut text = String::from("data");
        for part in &self.path {
            if is_plain_name(part) {
                text.push('.');
                text.push_str(part);
            } else {
                text.push('[');
                text.push_str(&serde_json::to_string(part).unwrap_or_default());
                text.push(']');
            }
        }
        text
    }
}

/// Whether a path element can follow a dot.
fn is_plain_name(part: &str) -> bool {
    let mut chars = part.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Policy {
    /// Every module's package path (`a.b.c`), sorted, without duplicates.
    pub fn packages(&self) -> &[String] {
        &self.inner.packages
    }

    /// Every rule set, sorted by path.
    pub fn rules(&self) -> Vec<RuleSetInfo> {
        let inner = &self.inner;
        let mut rules: Vec<RuleSetInfo> = inner
            .compiled
            .rule_sets
            .iter()
            .filter_map(|set| {
                let first = set.defs.first().or(set.default.as_ref())?;
                Some(RuleSetInfo {
                    path: set.path.iter().map(|p| p.to_string()).collect(),
                    function: set.kind == RuleKind::Function,
                    multi_value: matches!(
                        set.kind,
                        RuleKind::PartialSet | RuleKind::PartialObjectOfSets
                    ),
                    location: inner.sources.location(first.span),
                    definitions: set.defs.len() + usize::from(set.default.is_some()),
                })
            })
            .collect();
        rules.sort_by(|a, b| a.path.cmp(&b.path));
        rules
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    #[test]
    fn lists_packages_and_rules_with_locations() {
        let mut engine = Engine::new();
        engine
            .add_module(
                "a.rego",
                "package main\n\ndeny contains 1 if input.x\nf(x) := x\ndefault allow := false\nallow if input.y\n",
            )
            .unwrap();
        engine
            .add_module("b.rego", "package other.pkg\n\nx[\"odd key\"] := 1\n")
            .unwrap();
        let policy = engine.compile().unwrap();
        assert_eq!(policy.packages(), ["main", "other.pkg"]);
        let rules = policy.rules();
        let names: Vec<String> = rules.iter().map(|r| r.reference()).collect();
        assert_eq!(
            names,
            [
                "data.main.allow",
                "data.main.deny",
                "data.main.f",
                "data.other.pkg.x[\"odd key\"]"
            ]
        );
        let deny = &rules[1];
        assert!(deny.multi_value && !deny.function);
        assert_eq!((deny.location.row, deny.location.col), (3, 1));
        assert_eq!(rules[0].definitions, 2);
        assert!(rules[2].function);
    }
}
