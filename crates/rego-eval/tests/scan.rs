//! `some x in coll` followed by comparisons runs as a filtered scan; these cases check that it
//! finds what evaluating the literals one by one finds.

use rego_eval::{Engine, EvalOptions, Value};

const DATA: &str = r#"{
  "items": [
    {"id": 1, "user": "alice", "ns": "a", "n": 5},
    {"id": 2, "user": "bob", "ns": "a", "n": 7},
    {"id": 3, "user": "alice", "ns": "b", "n": 9},
    {"id": 4, "user": "alice", "ns": "a"},
    {"id": 5, "ns": "a", "n": 1}
  ],
  "by_key": {"k1": {"user": "alice"}, "k2": {"user": "carol"}},
  "tags": ["x", "y", "x"]
}"#;

const POLICY: &str = r#"
package s

ids contains x.id if {
	some x in data.items
	x.user == input.user
	x.ns == input.ns
}

# A side that must be evaluated (a call) for each element.
upper_ids contains x.id if {
	some x in data.items
	x.ns == lower(input.NS)
	x.user == input.user
}

# Comparisons of every kind, an undefined field, a missing input field.
bigger contains x.id if {
	some x in data.items
	x.n > 4
	x.n <= 7
	x.n != 6
}

missing contains x.id if {
	some x in data.items
	x.user == input.nobody
}

# Object values and set elements are scanned too.
keys contains x.user if {
	some x in data.by_key
	x.user != "alice"
}

set_members contains t if {
	some t in {t | some t in data.tags}
	t >= "x"
}

# A rule computed inside the loop (not yet memoized for the first element).
wanted := input.user

via_rule contains x.id if {
	some x in data.items
	x.user == wanted
}

# Stops at the first solution.
any_alice if {
	some x in data.items
	x.user == "alice"
}

# Duplicates of an array are separate solutions.
count_x := n if {
	n := count([1 | some t in data.tags; t == "x"])
}

# Bound scan variable: not a scan, a membership test.
bound if {
	x := data.items[0]
	some x in data.items
	x.id == 1
}
"#;

fn eval(query: &str, input: &str) -> String {
    let mut engine = Engine::with_registry(registry());
    engine.add_module("s.rego", POLICY).unwrap();
    engine.add_data_json(DATA).unwrap();
    let policy = engine.compile().unwrap();
    let input = Value::from_json_str(input).unwrap();
    let rows = policy
        .eval_query(query, Some(&input), &EvalOptions::default())
        .unwrap();
    rows.first()
        .map(|r| r.expressions[0].value.to_string())
        .unwrap_or_else(|| "undefined".into())
}

/// `lower` and `count`, the builtins these cases use.
fn registry() -> rego_eval::Registry {
    let mut r = rego_eval::Registry::new();
    r.add_fn("lower", |s: String| s.to_lowercase());
    r.add_fn("count", |xs: Value| xs.count().unwrap_or(0) as i64);
    r
}

#[test]
fn filters_match_literal_by_literal_evaluation() {
    let input = r#"{"user": "alice", "ns": "a", "NS": "A"}"#;
    assert_eq!(eval("data.s.ids", input), "{1, 4}");
    assert_eq!(eval("data.s.upper_ids", input), "{1, 4}");
    assert_eq!(eval("data.s.bigger", input), "{1, 2}");
    assert_eq!(eval("data.s.missing", input), "set()");
    assert_eq!(eval("data.s.keys", input), r#"{"carol"}"#);
    assert_eq!(eval("data.s.set_members", input), r#"{"x", "y"}"#);
    assert_eq!(eval("data.s.via_rule", input), "{1, 3, 4}");
    assert_eq!(eval("data.s.any_alice", input), "true");
    assert_eq!(eval("data.s.count_x", input), "2");
    assert_eq!(eval("data.s.bound", input), "true");
    assert_eq!(eval("data.s.ids", r#"{"user": "bob", "ns": "a"}"#), "{2}");
}
