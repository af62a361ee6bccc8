//! Unit tests of `json.patch`, after the RFC 6902 appendix and the JSON Patch test suite.

use super::{ok, v};
use crate::call;
use rego_eval::Value;

/// The patched document, or `None` when the patch does not apply (undefined).
fn patch(doc: &str, ops: &str) -> Option<Value> {
    call("json.patch", &[v(doc), v(ops)]).ok()
}

#[track_caller]
fn applies(doc: &str, ops: &str, want: &str) {
    assert_eq!(patch(doc, ops), Some(v(want)), "{doc} {ops}");
}

#[track_caller]
fn fails(doc: &str, ops: &str) {
    assert_eq!(patch(doc, ops), None, "{doc} {ops}");
}

#[test]
fn rfc_examples() {
    applies(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "add", "path": "/baz", "value": "qux"}]"#,
        r#"{"baz": "qux", "foo": "bar"}"#,
    );
    applies(
        r#"{"foo": ["bar", "baz"]}"#,
        r#"[{"op": "add", "path": "/foo/1", "value": "qux"}]"#,
        r#"{"foo": ["bar", "qux", "baz"]}"#,
    );
    applies(
        r#"{"baz": "qux", "foo": "bar"}"#,
        r#"[{"op": "remove", "path": "/baz"}]"#,
        r#"{"foo": "bar"}"#,
    );
    applies(
        r#"{"foo": ["bar", "qux", "baz"]}"#,
        r#"[{"op": "remove", "path": "/foo/1"}]"#,
        r#"{"foo": ["bar", "baz"]}"#,
    );
    applies(
        r#"{"baz": "qux", "foo": "bar"}"#,
        r#"[{"op": "replace", "path": "/baz", "value": "boo"}]"#,
        r#"{"baz": "boo", "foo": "bar"}"#,
    );
    applies(
        r#"{"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}"#,
        r#"[{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}]"#,
        r#"{"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}"#,
    );
    applies(
        r#"{"foo": ["all", "grass", "cows", "eat"]}"#,
        r#"[{"op": "move", "from": "/foo/1", "path": "/foo/3"}]"#,
        r#"{"foo": ["all", "cows", "eat", "grass"]}"#,
    );
    applies(
        r#"{"baz": "qux", "foo": ["a", 2, "c"]}"#,
        r#"[{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}]"#,
        r#"{"baz": "qux", "foo": ["a", 2, "c"]}"#,
    );
    fails(
        r#"{"baz": "qux"}"#,
        r#"[{"op": "test", "path": "/baz", "value": "bar"}]"#,
    );
    applies(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "add", "path": "/child", "value": {"grandchild": {}}}]"#,
        r#"{"foo": "bar", "child": {"grandchild": {}}}"#,
    );
    applies(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}]"#,
        r#"{"foo": "bar", "baz": "qux"}"#,
    );
    fails(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "add", "path": "/baz/bat", "value": "qux"}]"#,
    );
    applies(
        r#"{"/": 9, "~1": 10}"#,
        r#"[{"op": "test", "path": "/~01", "value": 10}]"#,
        r#"{"/": 9, "~1": 10}"#,
    );
    fails(
        r#"{"/": 9, "~1": 10}"#,
        r#"[{"op": "test", "path": "/~01", "value": "10"}]"#,
    );
    applies(
        r#"{"foo": ["bar"]}"#,
        r#"[{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}]"#,
        r#"{"foo": ["bar", ["abc", "def"]]}"#,
    );
}

#[test]
fn suite_cases() {
    applies(
        "[1, 2]",
        r#"[{"op": "add", "path": "/-", "value": {"foo": ["bar", "baz"]}}]"#,
        r#"[1, 2, {"foo": ["bar", "baz"]}]"#,
    );
    applies(
        "[1, 2, [3, [4, 5]]]",
        r#"[{"op": "add", "path": "/2/1/-", "value": 6}]"#,
        "[1, 2, [3, [4, 5, 6]]]",
    );
    applies(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "add", "path": "", "value": {"baz": "qux"}}]"#,
        r#"{"baz": "qux"}"#,
    );
    applies(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "replace", "path": "", "value": {"baz": "qux"}}]"#,
        r#"{"baz": "qux"}"#,
    );
    applies(
        r#"{"foo": 1}"#,
        r#"[{"op": "test", "path": "", "value": {"foo": 1}}]"#,
        r#"{"foo": 1}"#,
    );
    applies(
        r#"{"": 1}"#,
        r#"[{"op": "test", "path": "/", "value": 1}]"#,
        r#"{"": 1}"#,
    );
    applies(
        r#"{"foo": 1}"#,
        r#"[{"op": "move", "from": "/foo", "path": "/foo"}]"#,
        r#"{"foo": 1}"#,
    );
    applies(
        r#"{"baz": [{"qux": "hello"}], "bar": 1}"#,
        r#"[{"op": "move", "from": "/baz/0/qux", "path": "/baz/1"}]"#,
        r#"{"baz": [{}, "hello"], "bar": 1}"#,
    );
    applies(
        r#"{"baz": [{"qux": "hello"}], "bar": 1}"#,
        r#"[{"op": "copy", "from": "/baz/0", "path": "/boo"}]"#,
        r#"{"baz": [{"qux": "hello"}], "bar": 1, "boo": {"qux": "hello"}}"#,
    );
    applies(
        "[1, 2, 3, 4]",
        r#"[{"op": "remove", "path": "/1"}, {"op": "remove", "path": "/2"}]"#,
        "[1, 3]",
    );
    applies(
        r#"{"foo": null}"#,
        r#"[{"op": "copy", "from": "/foo", "path": "/bar"}]"#,
        r#"{"foo": null, "bar": null}"#,
    );
    applies(
        r#"{"foo": {"foo": 1, "bar": 2}}"#,
        r#"[{"op": "test", "path": "/foo", "value": {"bar": 2, "foo": 1}}]"#,
        r#"{"foo": {"foo": 1, "bar": 2}}"#,
    );
    applies(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "add", "path": "/FOO", "value": "BAR"}]"#,
        r#"{"foo": "bar", "FOO": "BAR"}"#,
    );
    applies(
        r#"{"foo": 1}"#,
        r#"[{"op": "add", "path": "foo", "value": 2}]"#,
        r#"{"foo": 2}"#,
    );
    applies(
        r#"{"foo": [1]}"#,
        r#"[{"op": "add", "path": ["foo", 0], "value": 0}]"#,
        r#"{"foo": [0, 1]}"#,
    );
    applies(
        r#"{"foo": [1, 2]}"#,
        r#"[{"op": "remove", "path": "/foo/+1"}]"#,
        r#"{"foo": [1]}"#,
    );
}

#[test]
fn failures() {
    fails(
        r#"{"q": {"bar": 2}}"#,
        r#"[{"op": "add", "path": "/a/b", "value": 1}]"#,
    );
    fails(
        r#"{"foo": 1, "baz": [{"qux": "hello"}]}"#,
        r#"[{"op": "remove", "path": "/baz/1e0/qux"}]"#,
    );
    fails("[1, 2, 3, 4]", r#"[{"op": "remove", "path": "/1e0"}]"#);
    fails(
        r#"[""]"#,
        r#"[{"op": "replace", "path": "/1e0", "value": false}]"#,
    );
    fails(
        r#"["foo", "sil"]"#,
        r#"[{"op": "add", "path": "/1e0", "value": "bar"}]"#,
    );
    fails("{}", r#"[{"op": "add", "value": "bar"}]"#);
    fails("{}", r#"[{"op": "add", "path": null, "value": "bar"}]"#);
    fails("[1]", r#"[{"op": "add", "path": "/-"}]"#);
    fails("[1]", r#"[{"op": "replace", "path": "/0"}]"#);
    fails("[null]", r#"[{"op": "test", "path": "/0"}]"#);
    fails("[1]", r#"[{"op": "copy", "path": "/-"}]"#);
    fails(
        r#"{"foo": 1}"#,
        r#"[{"op": "copy", "from": "/bar", "path": "/foo"}]"#,
    );
    fails(r#"{"foo": 1}"#, r#"[{"op": "move", "path": ""}]"#);
    fails(
        r#"{"foo": 1}"#,
        r#"[{"op": "spam", "path": "/foo", "value": 1}]"#,
    );
    fails(
        r#"["foo", "bar"]"#,
        r#"[{"op": "test", "path": "/00", "value": "foo"}]"#,
    );
    fails(
        r#"["foo", "bar"]"#,
        r#"[{"op": "test", "path": "/01", "value": "bar"}]"#,
    );
    fails(
        r#"{"foo": "bar"}"#,
        r#"[{"op": "remove", "path": "/missing1/missing2"}]"#,
    );
    fails(r#"["foo", "bar"]"#, r#"[{"op": "remove", "path": "/2"}]"#);
    fails(
        r#"["foo", "bar"]"#,
        r#"[{"op": "add", "path": "/3", "value": 1}]"#,
    );
    fails(
        r#"["foo", "bar"]"#,
        r#"[{"op": "add", "path": "/-1", "value": 1}]"#,
    );
    fails(
        "[1, 2, 3]",
        r#"[{"op": "add", "path": "1.2", "value": "foo"}]"#,
    );
    fails(
        r#"{"bar": "baz"}"#,
        r#"[{"op": "replace", "path": "/foo/bar", "value": false}]"#,
    );
    fails(r#"{"a": 1}"#, r#"["not an object"]"#);
    fails(r#"{"a": 1}"#, r#"[{"op": "remove", "path": ""}]"#);
    fails("1", r#"[{"op": "add", "path": "/a", "value": 1}]"#);
}

#[test]
fn sets() {
    let doc = r#"{"foo": {"$set": ["a", "b", "c"]}}"#;
    applies(
        doc,
        r#"[{"op": "remove", "path": "foo/b"}]"#,
        r#"{"foo": {"$set": ["a", "c"]}}"#,
    );
    applies(
        doc,
        r#"[{"op": "add", "path": "foo/d", "value": "d"}]"#,
        r#"{"foo": {"$set": ["a", "b", "c", "d"]}}"#,
    );
    fails(doc, r#"[{"op": "add", "path": "foo/d", "value": "e"}]"#);
    applies(
        r#"{"foo": {"$set": ["a", "b"]}, "bar": {"$set": ["c", "d"]}}"#,
        r#"[{"op": "move", "from": "foo/a", "path": "bar/a"}]"#,
        r#"{"foo": {"$set": ["b"]}, "bar": {"$set": ["a", "c", "d"]}}"#,
    );
    applies(
        r#"{"$set": [[1]]}"#,
        r#"[{"op": "add", "path": [[1], 1], "value": 2}]"#,
        r#"{"$set": [[1, 2]]}"#,
    );
    fails(
        r#"{"$set": [[1]]}"#,
        r#"[{"op": "add", "path": [[2], 1], "value": 2}]"#,
    );
}

#[test]
fn operand_errors() {
    let e = call("json.patch", &[v("{}"), v(r#"{"op": "add"}"#)]).unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("eval_type_error", "operand 2 must be array but got object")
    );
    assert_eq!(ok("json.patch", &["5", "[]"]), v("5"));
}
