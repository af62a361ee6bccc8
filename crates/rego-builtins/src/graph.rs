//! Builtins of the `graph` family: `graph.reachable` and `graph.reachable_paths`.
//!
//! A graph is an object mapping each node to its neighbours (an array or a set); neighbour
//! collections of any other type count as no edges. Nodes absent from the graph are dead ends.

use std::collections::VecDeque;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Object, SetBuilder, Value};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "graph.reachable",
        arity: 2,
        func: reachable,
    },
    BuiltinDef {
        name: "graph.reachable_paths",
        arity: 2,
        func: reachable_paths,
    },
];

/// The graph operand.
fn graph_arg(args: &[Value]) -> Result<&Object, BuiltinError> {
    match &args[0] {
        Value::Object(o) => Ok(o),
        v => Err(BuiltinError::operand(1, "object", v)),
    }
}

/// The initial nodes operand, in iteration order.
fn initial_arg(args: &[Value]) -> Result<&[Value], BuiltinError> {
    match &args[1] {
        Value::Array(a) => Ok(a),
        Value::Set(s) => Ok(s),
        v => Err(BuiltinError::operand(2, "{array, set}", v)),
    }
}

/// The neighbours of a node's edge collection (none unless it is an array or a set).
fn neighbours(edges: &Value) -> &[Value] {
    match edges {
        Value::Array(a) => a,
        Value::Set(s) => s,
        _ => &[],
    }
}

/// `graph.reachable(graph, initial)`: the set of nodes of `graph` reachable from `initial`
/// (the initial nodes included when they are in the graph).
fn reachable(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let graph = graph_arg(args)?;
    let mut queue: VecDeque<Value> = initial_arg(args)?.iter().cloned().collect();
    let mut reached = std::collections::BTreeSet::new();
    while let Some(node) = queue.pop_front() {
        if reached.contains(&node) {
            continue;
        }
        if let Some(edges) = graph.get(&node) {
            queue.extend(
                neighbours(edges)
                    .iter()
                    .filter(|n| !reached.contains(*n))
                    .cloned(),
            );
            reached.insert(node);
        }
    }
    Ok(Value::set_from(reached.into_iter().collect()))
}

/// `graph.reachable_paths(graph, initial)`: the set of maximal paths from the initial nodes,
/// each path ending at a node without edges, before a node outside the graph, or where the
/// next step would close a cycle.
fn reachable_paths(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let graph = graph_arg(args)?;
    let initial = initial_arg(args)?;
    let mut paths = SetBuilder::new();
    for node in initial {
        let Some(edges) = graph.get(node) else {
            continue;
        };
        let next = neighbours(edges);
        if next.is_empty() {
            paths.push(Value::array(vec![node.clone()]));
            continue;
        }
        let mut path = vec![node.clone()];
        for neighbour in next {
            walk_paths(graph, neighbour, &mut path, &mut paths);
        }
    }
    Ok(paths.finish_value())
}

/// Extends `path` (whose nodes are all distinct) by `node`, recording every maximal path.
fn walk_paths(graph: &Object, node: &Value, path: &mut Vec<Value>, paths: &mut SetBuilder) {
    let Some(edges) = graph.get(node) else {
        // A node outside the graph ends the path without being part of it.
        paths.push(Value::array(path.clone()));
        return;
    };
    path.push(node.clone());
    let next = neighbours(edges);
    if next.is_empty() {
        paths.push(Value::array(path.clone()));
    }
    for neighbour in next {
        if path.contains(neighbour) {
            // The step would close a cycle: the path ends here.
            paths.push(Value::array(path.clone()));
        } else {
            walk_paths(graph, neighbour, path, paths);
        }
    }
    path.pop();
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    /// Parses Rego-ish test input: JSON, where `{"set": [..]}` stands for a set.
    fn v(s: &str) -> Value {
        fn conv(v: Value) -> Value {
            match v {
                Value::Object(o) => {
                    if o.len() == 1 {
                        if let Some(Value::Array(items)) = o.get_str("set") {
                            return Value::set_from(items.iter().cloned().map(conv).collect());
                        }
                    }
                    Value::object_from(
                        o.iter()
                            .map(|(k, v)| (k.clone(), conv(v.clone())))
                            .collect(),
                    )
                }
                Value::Array(a) => Value::array(a.iter().cloned().map(conv).collect()),
                v => v,
            }
        }
        conv(Value::from_json_str(s).unwrap())
    }

    fn reach(graph: &str, initial: &str) -> String {
        call("graph.reachable", &[v(graph), v(initial)])
            .unwrap()
            .to_string()
    }

    fn paths(graph: &str, initial: &str) -> String {
        call("graph.reachable_paths", &[v(graph), v(initial)])
            .unwrap()
            .to_string()
    }

    #[test]
    fn reachable_nodes() {
        assert_eq!(reach("{}", r#"{"set": ["a"]}"#), "set()");
        assert_eq!(
            reach(
                r#"{"a": {"set": ["b"]}, "b": {"set": ["c"]}, "c": {"set": ["a"]}}"#,
                r#"{"set": ["a"]}"#
            ),
            r#"{"a", "b", "c"}"#
        );
        let components = r#"{"a": {"set": ["b", "c"]}, "b": {"set": ["d"]}, "c": {"set": ["d"]},
            "d": {"set": []}, "e": {"set": ["f"]}, "f": {"set": ["e"]}, "x": {"set": ["x"]}}"#;
        assert_eq!(
            reach(components, r#"{"set": ["b", "e"]}"#),
            r#"{"b", "d", "e", "f"}"#
        );
        assert_eq!(
            reach(r#"{"a": ["b"], "b": ["c"], "c": ["a"]}"#, r#"["a"]"#),
            r#"{"a", "b", "c"}"#
        );
        assert_eq!(reach(r#"{"a": null}"#, r#"["a"]"#), r#"{"a"}"#);
        // Nodes outside the graph are not reached.
        assert_eq!(reach(r#"{"a": ["zz"]}"#, r#"["a", "q"]"#), r#"{"a"}"#);
    }

    #[test]
    fn reachable_errors() {
        for f in ["graph.reachable", "graph.reachable_paths"] {
            let e = call(f, &[v("1"), v("[1]")]).unwrap_err();
            assert_eq!(e.code(), "eval_type_error");
            assert_eq!(e.message(), "operand 1 must be object but got number");
            let e = call(f, &[v(r#"{"a": []}"#), v(r#""a""#)]).unwrap_err();
            assert_eq!(e.code(), "eval_type_error");
            assert_eq!(e.message(), "operand 2 must be {array, set} but got string");
        }
    }

    #[test]
    fn paths_from_nodes() {
        assert_eq!(paths("{}", r#"{"set": ["a"]}"#), "set()");
        assert_eq!(
            paths(
                r#"{"a": {"set": ["b"]}, "b": {"set": ["c"]}, "c": {"set": ["a"]}}"#,
                r#"{"set": ["a"]}"#
            ),
            r#"{["a", "b", "c"]}"#
        );
        let components = r#"{"a": {"set": ["b", "c"]}, "b": {"set": ["d"]}, "c": {"set": ["d"]},
            "d": {"set": []}, "e": {"set": ["f"]}, "f": {"set": ["e"]}, "x": {"set": ["x"]}}"#;
        assert_eq!(
            paths(components, r#"{"set": ["b", "e"]}"#),
            r#"{["b", "d"], ["e", "f"]}"#
        );
        assert_eq!(
            paths(r#"{"a": ["b"], "b": ["c"], "c": ["a"]}"#, r#"["a"]"#),
            r#"{["a", "b", "c"]}"#
        );
        assert_eq!(paths(r#"{"a": null}"#, r#"["a"]"#), r#"{["a"]}"#);
        assert_eq!(
            paths(
                r#"{"a": ["b", "c"], "b": ["c"], "c": []}"#,
                r#"{"set": ["a"]}"#
            ),
            r#"{["a", "b", "c"], ["a", "c"]}"#
        );
        assert_eq!(
            paths(
                r#"{"a": ["b"], "b": ["nonexistent"]}"#,
                r#"{"set": ["a", "b"]}"#
            ),
            r#"{["a", "b"], ["b"]}"#
        );
    }

    #[test]
    fn paths_issue_1022() {
        let g1 = r#"{"one": ["two", "five"], "two": ["four"], "three": [""], "four": ["three"],
            "five": ["seven", "six"], "six": ["nine"], "seven": ["eight"], "eight": [""],
            "nine": [""]}"#;
        assert_eq!(
            paths(g1, r#"{"set": ["one"]}"#),
            r#"{["one", "five", "seven", "eight"], ["one", "five", "six", "nine"], ["one", "two", "four", "three"]}"#
        );
        // The current OPA answer (the conformance export's expectation is stale).
        let g3 = r#"{"one": ["two", "five"], "two": ["four"], "three": [""], "four": ["three"],
            "five": ["seven", "six"], "six": ["nine", "seven"], "seven": ["eight"],
            "eight": ["three"], "nine": [""]}"#;
        assert_eq!(
            paths(g3, r#"{"set": ["one"]}"#),
            concat!(
                r#"{["one", "five", "seven", "eight", "three"], ["one", "five", "six", "nine"], "#,
                r#"["one", "five", "six", "seven", "eight", "three"], ["one", "two", "four", "three"]}"#
            )
        );
    }
}
