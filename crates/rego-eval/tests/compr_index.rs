//! Comprehensions answered from their per-evaluation index give the same results (values,
//! order, errors) as plain passes over their bodies.

use rego_eval::{Engine, EvalOptions, Policy, Value};

const DATA: &str = r#"{
  "records": [
    {"id": 1, "g": "a", "k": "x", "v": 10, "d": 1, "tags": ["t1", "t2", "t1"]},
    {"id": 2, "g": "b", "k": "y", "v": 20, "d": 0, "tags": ["t2"]},
    {"id": 3, "g": "a", "k": "u", "v": 30, "d": 2, "tags": []},
    {"id": 4, "g": "c", "k": "z", "v": 40, "d": 4, "tags": ["t3", "t1"]},
    {"id": 5, "g": "b", "k": "y", "v": 20, "d": 5, "tags": "not-a-collection"},
    {"id": 6, "g": 1, "k": "w", "v": 60, "d": 6, "tags": {"a": "t1", "b": "t1"}},
    {"id": 7, "g": "c", "k": "z", "v": 70, "d": 7}
  ],
  "groups": ["a", "b", "c", "none", 1.0]
}"#;

const POLICY: &str = r#"
package t

by_group[g] := ids if {
	some g in data.groups
	ids := [r.id | some r in data.records; r.g == g]
}

reversed := {g: ids |
	some g in data.groups
	ids := {r.v | some r in data.records; g == r.g}
}

unified := {g: ids |
	some g in data.groups
	ids := [r.id | some r in data.records; r.g = g]
}

by_tag := {t: ids |
	some t in ["t1", "t2", "t3", "t4"]
	ids := [r.id | some r in data.records; t in r.tags]
}

by_tag_iter := {t: ids |
	some t in ["t1", "t2", "t3"]
	ids := [[r.id, i] | some r in data.records; r.tags[i] == t]
}

two_keys := {g: per_k |
	some g in data.groups
	per_k := {k: ids |
		some k in ["x", "y", "z"]
		ids := [r.id | some r in data.records; r.g == g; r.k == k]
	}
}

sums := {g: total |
	some g in data.groups
	total := sum_of([r.v | some r in data.records; r.g == g; r.v > 15])
}

sum_of(xs) := s if {
	s := xs[0] + xs[1]
} else := 0

objects(g) := {r.k: r.v | some r in data.records; r.g == g}

quotients(g) := [q | some r in data.records; r.g == g; q := r.v / r.d]

constant(x) := y if {
	y := [r.id | some r in data.records; r.v > 25]
	x
}

calls := [constant(true), constant(1), constant(2)]

under_with := {g: ids |
	some g in ["a", "b"]
	ids := [r | some r in input.xs; r == g] with input.xs as ["a", "b", "a"]
}
"#;

fn policy() -> Policy {
    let mut engine = Engine::new();
    engine.add_module("t.rego", POLICY).unwrap();
    engine.add_data_json(DATA).unwrap();
    engine.compile().unwrap()
}

fn eval(policy: &Policy, query: &str, plain: bool, strict: bool) -> Result<String, String> {
    let options = EvalOptions {
        plain_comprehensions: plain,
        strict_builtin_errors: strict,
        ..EvalOptions::default()
    };
    policy
        .eval_query(query, None, &options)
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.expressions
                        .iter()
                        .map(|e| e.value.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .map_err(|e| e.to_string())
}

/// Evaluates `query` both ways, asserts they agree, and returns the result.
fn both(policy: &Policy, query: &str, strict: bool) -> Result<String, String> {
    let indexed = eval(policy, query, false, strict);
    let plain = eval(policy, query, true, strict);
    assert_eq!(indexed, plain, "query {query}");
    indexed
}

#[test]
fn indexed_matches_plain() {
    let p = policy();
    for query in [
        "data.t.by_group",
        "data.t.reversed",
        "data.t.unified",
        "data.t.by_tag",
        "data.t.by_tag_iter",
        "data.t.two_keys",
        "data.t.sums",
        "data.t.calls",
        "data.t.under_with",
        "x := data.t.objects(\"a\")",
        "x := data.t.quotients(\"a\"); y := data.t.quotients(\"c\")",
        "some g in [\"a\", \"c\"]; x := data.t.quotients(g)",
    ] {
        both(&p, query, false).unwrap_or_else(|e| panic!("{query}: {e}"));
        both(&p, query, true).unwrap_or_else(|e| panic!("{query}: {e}"));
    }
}

#[test]
fn group_values() {
    let p = policy();
    assert_eq!(
        both(&p, "data.t.by_group", false).unwrap(),
        r#"{1: [6], "a": [1, 3], "b": [2, 5], "c": [4, 7], "none": []}"#
    );
    // Duplicates from `in` count once; an iterated key counts each match.
    assert_eq!(
        both(&p, "data.t.by_tag", false).unwrap(),
        r#"{"t1": [1, 4, 6], "t2": [1, 2], "t3": [4], "t4": []}"#
    );
    assert_eq!(
        both(&p, "data.t.by_tag_iter", false).unwrap(),
        r#"{"t1": [[1, 0], [1, 2], [4, 1], [6, "a"], [6, "b"]], "t2": [[1, 1], [2, 0]], "t3": [[4, 0]]}"#
    );
    assert_eq!(
        both(&p, "data.t.under_with", false).unwrap(),
        r#"{"a": ["a", "a"], "b": ["b"]}"#
    );
}

#[test]
fn errors_only_for_groups_used() {
    let p = policy();
    // Group "b" has two values for key "y" (20 and 20 agree) and a division by zero.
    assert!(both(&p, "x := data.t.objects(\"b\")", false).is_ok());
    assert!(both(&p, "x := data.t.quotients(\"a\")", true).is_ok());
    let err = both(&p, "x := data.t.quotients(\"b\")", true).unwrap_err();
    assert!(err.contains("divide by zero"), "{err}");
    // Not strict: the failing division is undefined, so the element is left out.
    assert_eq!(
        both(&p, "x := data.t.quotients(\"b\")", false).unwrap(),
        "true"
    );
}

#[test]
fn conflicts_only_for_groups_used() {
    let mut engine = Engine::new();
    engine
        .add_module(
            "c.rego",
            r#"package c
f(g) := {r.k: r.v | some r in data.records; r.g == g}
"#,
        )
        .unwrap();
    engine
        .add_data_json(
            r#"{"records": [{"g": 1, "k": "a", "v": 1}, {"g": 2, "k": "a", "v": 1},
                            {"g": 2, "k": "a", "v": 2}]}"#,
        )
        .unwrap();
    let p = engine.compile().unwrap();
    let q = "x := data.c.f(1); y := data.c.f(2)";
    let err = both(&p, q, false).unwrap_err();
    assert!(err.contains("eval_conflict_error"), "{err}");
    let one = Value::from_json_str(r#"{"a": 1}"#).unwrap();
    assert_eq!(both(&p, "data.c.f(1)", false).unwrap(), one.to_string());
}
