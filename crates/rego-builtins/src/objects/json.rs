//! `json.filter` and `json.remove`: keeping or dropping the parts of a document named by JSON
//! paths (`"a/b/0"` strings with `~1`/`~0` escapes, or arrays of path segments).
//!
//! As in OPA, the paths become a tree; a path ending where another continues wins over it.
//! Array elements are selected by the decimal string of their index (`"a/0"`), sets by element.

use std::collections::BTreeMap;

use rego_eval::{BuiltinContext, BuiltinError, Object, Set, Value};

use super::object_arg;

/// A path, as a list of segments.
pub(super) type Path = Vec<Value>;

/// Reads a JSON path: a `/`-separated string (leading slashes ignored, `""` the empty path) or
/// an array of segments.
pub(super) fn parse_path(v: &Value) -> Result<Path, BuiltinError> {
    match v {
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::String(s) => Ok(s
            .trim_start_matches('/')
            .split('/')
            .map(|part| Value::from(part.replace("~1", "/").replace("~0", "~")))
            .collect()),
        Value::Array(a) => Ok(a.to_vec()),
        _ => Err(BuiltinError::Type(format!(
            "operand 2 must be one of {{set, array}} containing string paths or array of path segments but got {}",
            v.type_name()
        ))),
    }
}

/// The paths of the second operand (an array or set of paths).
fn paths_arg(v: &Value) -> Result<Vec<Path>, BuiltinError> {
    let items: &[Value] = match v {
        Value::Array(a) => a,
        Value::Set(s) => s,
        _ => return Err(BuiltinError::operand(2, "one of {set, array}", v)),
    };
    items.iter().map(parse_path).collect()
}

/// A tree of paths: a leaf selects everything beneath it.
enum Node {
    Leaf,
    Branch(BTreeMap<Value, Node>),
}

/// Builds the path tree (the root is always a branch).
fn path_tree(paths: &[Path]) -> BTreeMap<Value, Node> {
    let mut root = BTreeMap::new();
    for path in paths {
        let Some((last, init)) = path.split_last() else {
            // The empty path selects nothing.
            continue;
        };
        insert_path(&mut root, init, last);
    }
    root
}

/// Adds the path `init` + `last` under `node`, unless a prefix of it is already a leaf.
fn insert_path(node: &mut BTreeMap<Value, Node>, init: &[Value], last: &Value) {
    let Some((seg, rest)) = init.split_first() else {
        node.insert(last.clone(), Node::Leaf);
        return;
    };
    let child = node
        .entry(seg.clone())
        .or_insert_with(|| Node::Branch(BTreeMap::new()));
    if let Node::Branch(m) = child {
        insert_path(m, rest, last);
    }
}

/// The key under which an array element is selected.
fn index_key(i: usize) -> Value {
    Value::from(i.to_string())
}

/// `v` with only the parts selected by `filter`.
fn keep(v: &Value, filter: &BTreeMap<Value, Node>) -> Value {
    let sub = |key: &Value, val: &Value| {
        filter.get(key).map(|node| match node {
            Node::Leaf => val.clone(),
            Node::Branch(m) => keep(val, m),
        })
    };
    match v {
        Value::Array(a) => Value::array(
            a.iter()
                .enumerate()
                .filter_map(|(i, e)| sub(&index_key(i), e))
                .collect(),
        ),
        Value::Set(s) => Value::Set(Set::from_vec(s.iter().filter_map(|e| sub(e, e)).collect())),
        Value::Object(o) => Value::Object(Object::from_vec(
            o.iter()
                .filter_map(|(k, val)| sub(k, val).map(|x| (k.clone(), x)))
                .collect(),
        )),
        scalar => scalar.clone(),
    }
}

/// `v` without the parts selected by `paths`; `None` if `v` itself is selected.
fn drop(v: &Value, paths: Option<&Node>) -> Option<Value> {
    let m = match paths {
        None => return Some(v.clone()),
        Some(Node::Leaf) => return None,
        Some(Node::Branch(m)) => m,
    };
    Some(match v {
        Value::Array(a) => Value::array(
            a.iter()
                .enumerate()
                .filter_map(|(i, e)| drop(e, m.get(&index_key(i))))
                .collect(),
        ),
        Value::Set(s) => Value::Set(Set::from_vec(
            s.iter().filter_map(|e| drop(e, m.get(e))).collect(),
        )),
        Value::Object(o) => Value::Object(Object::from_vec(
            o.iter()
                .filter_map(|(k, val)| drop(val, m.get(k)).map(|x| (k.clone(), x)))
                .collect(),
        )),
        scalar => scalar.clone(),
    })
}

/// `json.filter(obj, paths)`: `obj` with only the parts named by `paths`.
pub(super) fn filter(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    object_arg(args, 0)?;
    let paths = paths_arg(&args[1])?;
    Ok(keep(&args[0], &path_tree(&paths)))
}

/// `json.remove(obj, paths)`: `obj` without the parts named by `paths` (array elements
/// removed, later ones shifting down).
pub(super) fn remove(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    object_arg(args, 0)?;
    let paths = paths_arg(&args[1])?;
    let tree = Node::Branch(path_tree(&paths));
    // The root is a branch, so an object stays an object.
    Ok(drop(&args[0], Some(&tree)).unwrap_or_else(Value::empty_object))
}
