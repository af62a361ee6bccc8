//! Unit tests for the graphql family.

use crate::call;
use rego_eval::Value;

fn s(text: &str) -> Value {
    Value::string(text)
}

fn json(text: &str) -> Value {
    Value::from_json_str(text).unwrap()
}

fn err(name: &str, args: &[Value]) -> String {
    call(name, args).unwrap_err().message().to_string()
}

const SCHEMA: &str = r#"
  type Query {
    hello(name: String, times: Int = 1): String
    world: String
    user(id: ID!): User
    search(kind: Kind!): [Node!]!
  }
  interface Node { id: ID! }
  type User implements Node { id: ID! name: String friends(first: Int!): [User] }
  type Post implements Node { id: ID! title: String }
  enum Kind { USER POST }
  input Filter { kind: Kind! limit: Int = 10 }
  type Mutation { post(title: String!, filter: Filter): Post }
  type Subscription { posts: Post users: User }
"#;

fn valid(query: &str) -> bool {
    call("graphql.is_valid", &[s(query), s(SCHEMA)]) == Ok(Value::Bool(true))
}

/// The validation error OPA would raise for `query` against `SCHEMA`.
fn invalid(query: &str) -> String {
    err("graphql.parse", &[s(query), s(SCHEMA)])
}

#[test]
fn query_ast_shape() {
    let got = call(
        "graphql.parse_query",
        &[s(r#"query Q($n: [Int!] = [1], $s: String) @dir(a: 1.5) {
            x: hello(name: $s, list: [{k: ENUM}]) @skip(if: false) { ... on T { y } ...F }
        }
        fragment F on T { z }"#)],
    )
    .unwrap();
    let want = json(
        r#"{"Fragments": [{"Name": "F", "SelectionSet": [{"Alias": "z", "Name": "z"}], "TypeCondition": "T"}],
        "Operations": [{"Name": "Q", "Operation": "query",
          "Directives": [{"Arguments": [{"Name": "a", "Value": {"ExpectedTypeHasDefault": false, "Kind": 2, "Raw": "1.5"}}], "Location": "", "Name": "dir"}],
          "SelectionSet": [{"Alias": "x", "Name": "hello",
            "Arguments": [
              {"Name": "name", "Value": {"ExpectedTypeHasDefault": false, "Kind": 0, "Raw": "s"}},
              {"Name": "list", "Value": {"Children": [{"Name": "", "Value": {"Children": [{"Name": "k", "Value": {"ExpectedTypeHasDefault": false, "Kind": 7, "Raw": "ENUM"}}], "ExpectedTypeHasDefault": false, "Kind": 9, "Raw": ""}}], "ExpectedTypeHasDefault": false, "Kind": 8, "Raw": ""}}],
            "Directives": [{"Arguments": [{"Name": "if", "Value": {"ExpectedTypeHasDefault": false, "Kind": 5, "Raw": "false"}}], "Location": "", "Name": "skip"}],
            "SelectionSet": [{"SelectionSet": [{"Alias": "y", "Name": "y"}], "TypeCondition": "T"}, {"Name": "F"}]}],
          "VariableDefinitions": [
            {"DefaultValue": {"Children": [{"Name": "", "Value": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "1"}}], "ExpectedTypeHasDefault": false, "Kind": 8, "Raw": ""},
             "Type": {"Elem": {"NamedType": "Int", "NonNull": true}, "NamedType": "", "NonNull": false}, "Used": false, "Variable": "n"},
            {"Type": {"NamedType": "String", "NonNull": false}, "Used": false, "Variable": "s"}]}]}"#,
    );
    assert_eq!(got, want);
    assert_eq!(call("graphql.parse_query", &[s("")]).unwrap(), json("{}"));
}

#[test]
fn schema_ast_shape() {
    let got = call(
        "graphql.parse_schema",
        &[s(r#""The root" schema @a { query: Q }
        directive @a(x: Int = 2 @deprecated) repeatable on SCHEMA | FIELD
        enum E { "first" A B @deprecated(reason: "no") }
        input I { f: [String!]! = ["a"] }
        extend union U = A"#)],
    )
    .unwrap();
    let want = json(
        r#"{"Schema": [{"Description": "The root", "Directives": [{"Location": "", "Name": "a"}], "OperationTypes": [{"Operation": "query", "Type": "Q"}]}],
        "Directives": [{"Description": "", "Name": "a", "IsRepeatable": true, "Locations": ["SCHEMA", "FIELD"],
          "Arguments": [{"Description": "", "Name": "x", "DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "2"}, "Type": {"NamedType": "Int", "NonNull": false}, "Directives": [{"Location": "", "Name": "deprecated"}]}]}],
        "Definitions": [
          {"BuiltIn": false, "Description": "", "Kind": "ENUM", "Name": "E", "EnumValues": [{"Description": "first", "Name": "A"}, {"Description": "", "Name": "B", "Directives": [{"Arguments": [{"Name": "reason", "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "no"}}], "Location": "", "Name": "deprecated"}]}]},
          {"BuiltIn": false, "Description": "", "Kind": "INPUT_OBJECT", "Name": "I", "Fields": [{"Description": "", "Name": "f", "DefaultValue": {"Children": [{"Name": "", "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "a"}}], "ExpectedTypeHasDefault": false, "Kind": 8, "Raw": ""}, "Type": {"Elem": {"NamedType": "String", "NonNull": true}, "NamedType": "", "NonNull": true}}]}],
        "Extensions": [{"BuiltIn": false, "Description": "", "Kind": "UNION", "Name": "U", "Types": ["A"]}]}"#,
    );
    assert_eq!(got, want);
}

#[test]
fn syntax_errors() {
    assert_eq!(
        err("graphql.parse_query", &[s("{ f(a: \"x) }")]),
        "Unexpected <Invalid> in GraphQL string at location 1:13"
    );
    assert_eq!(
        err("graphql.parse_schema", &[s("schema { ? }")]),
        "Cannot parse the unexpected character \"?\". in GraphQL string at location 1:10"
    );
    assert_eq!(
        err("graphql.parse_query", &[s("query {\n  a(x: 01)\n}")]),
        "Unexpected <Invalid> in GraphQL string at location 2:9"
    );
    assert_eq!(
        err("graphql.parse_schema", &[s("type T { f: String }\nscalar")]),
        "Expected Name, found <EOF> in GraphQL string at location 2:7"
    );
    assert_eq!(
        err("graphql.parse_query", &[Value::from_i64(1)]),
        "operand 1 must be string but got number"
    );
    assert_eq!(
        err("graphql.parse", &[Value::from_i64(1), s("")]),
        "operand 0 must be one of {string, object} but got number"
    );
}

#[test]
fn schema_checks() {
    let ok = |schema: &str| call("graphql.schema_is_valid", &[s(schema)]).unwrap();
    assert_eq!(ok(SCHEMA), Value::Bool(true));
    for bad in [
        "type A { f: Int } type A { g: Int }",
        "type A { f: Missing }",
        "type A { f: Int @unknown }",
        "type A { f: Int @skip(if: true) }",
        "union U = Int",
        "enum E { true }",
        "type A { f: Int f: Int }",
        "interface I { f: Int } type A implements I { g: Int }",
        "interface I { f: Int! } type A implements I { f: Int }",
        "type __A { f: Int }",
        "input I { f: I2 } type I2 { x: Int }",
        "type A { f(x: A): Int }",
        "scalar S extend type S @deprecated",
        "type Q { f: Int } schema { query: Q } schema { query: Q }",
        "directive @d(x: Int @d) on ARGUMENT_DEFINITION",
    ] {
        assert_eq!(ok(bad), Value::Bool(false), "{bad}");
    }
    assert_eq!(ok(""), Value::Bool(true));
    assert_eq!(ok("extend type Query { a: Int }"), Value::Bool(true));
    assert_eq!(
        call("graphql.schema_is_valid", &[Value::from_i64(1)]).unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        err("graphql.parse", &[s("{a}"), s("type Q { f: Missing }")]),
        "Error in gqlparser SchemaDocument to Schema conversion: input:1:13: Undefined type Missing."
    );
}

#[test]
fn valid_queries() {
    assert!(valid("{ hello world }"));
    assert!(valid(
        r#"query Q($n: String = "x") { hello(name: $n, times: 2) }"#
    ));
    assert!(valid(
        "{ user(id: 1) { id ...F friends(first: 2) { name } } } fragment F on Node { id }"
    ));
    assert!(valid(
        "{ search(kind: USER) { id ... on User { name } ... on Post { title } __typename } }"
    ));
    assert!(valid(
        "mutation { post(title: \"t\", filter: {kind: POST}) { id } }"
    ));
    assert!(valid("subscription { posts { id } }"));
    assert!(valid(
        "{ __schema { types { name } } __type(name: \"User\") { kind } }"
    ));
    assert!(valid("query ($t: Int) { hello(times: $t) }"));
    assert!(valid("{ a: hello b: hello(name: \"x\") }"));
}

#[test]
fn validation_messages() {
    assert_eq!(
        invalid("{ hellp }"),
        // OPA trims only a final ".\n" from gqlparser's error list.
        "Cannot query field \"hellp\" on type \"Query\". Did you mean \"hello\"?\n in GraphQL string at location 1:3"
    );
    assert_eq!(
        invalid("{ a b }"),
        "Cannot query field \"a\" on type \"Query\".\ninput:1:5: Cannot query field \"b\" on type \"Query\" in GraphQL string at location 1:3"
    );
    assert_eq!(
        invalid("{ hello(times: \"x\") }"),
        "Int cannot represent non-integer value: \"x\"\n in GraphQL string at location 1:17"
    );
    assert_eq!(
        invalid("{ search(kind: OTHER) { id } }"),
        "Value \"OTHER\" does not exist in \"Kind!\" enum in GraphQL string at location 1:16"
    );
    assert_eq!(
        invalid("{ user(id: 1) }"),
        "Field \"user\" of type \"User\" must have a selection of subfields. Did you mean \"user { ... }\"?\n in GraphQL string at location 1:3"
    );
    assert_eq!(
        invalid("query Q($v: Int) { hello }"),
        "Variable \"$v\" is never used in operation \"Q\" in GraphQL string at location 1:9"
    );
    assert_eq!(
        invalid("query Q { hello(name: $v) }"),
        "Variable \"$v\" is not defined by operation \"Q\" in GraphQL string at location 1:23"
    );
    assert_eq!(
        invalid("query ($v: Int) { hello(name: $v) }"),
        "Variable \"$v\" of type \"Int\" used in position expecting type \"String\" in GraphQL string at location 1:31"
    );
    assert_eq!(
        invalid("{ a: hello a: world }"),
        "Fields \"a\" conflict because hello and world are different fields. Use different aliases on the fields to fetch both if this was intentional in GraphQL string at location 1:12"
    );
    assert_eq!(
        invalid("mutation { post(filter: {limit: 1}) { id } }"),
        "Field \"Filter.kind\" of required type \"Kind!\" was not provided.\ninput:1:12: Field \"post\" argument \"title\" of type \"String!\" is required, but it was not provided in GraphQL string at location 1:25"
    );
}

#[test]
fn invalid_queries() {
    for q in [
        "{ ...Missing }",
        "{ hello } fragment Unused on Query { world }",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        "{ ...A } fragment A on String { length }",
        "{ user(id: 1) { ... on Post { title } } }",
        "subscription { posts { id } users { id } }",
        "{ hello } { world }",
        "query A { hello } query A { world }",
        "query ($v: User) { hello }",
        "query ($v: Nope) { hello }",
        "{ hello @skip }",
        "{ hello @unknown }",
        "{ hello @skip(if: true) @skip(if: false) }",
        "query @skip(if: true) { hello }",
        "{ hello(name: \"a\", name: \"b\") }",
        "{ hello(nam: \"a\") }",
        "{ hello { x } }",
        "mutation { post(title: \"t\", filter: {kind: POST, kind: USER}) { id } }",
        "mutation { post(title: \"t\", filter: {kind: POST, other: 1}) { id } }",
        "{ search(kind: \"USER\") { id } }",
        "{ hello(times: 99999999999999999999) }",
        "{ hello(name: null) world(x: 1) }",
        "{ search(kind: null) { id } }",
        "{ a: hello(name: \"x\") a: hello(name: \"y\") }",
    ] {
        assert!(!valid(q), "{q}");
    }
    let no_mutation = "type Query { a: Int }";
    assert_eq!(
        call("graphql.is_valid", &[s("mutation { a }"), s(no_mutation)]).unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        call("graphql.is_valid", &[Value::from_i64(1), s(SCHEMA)]).unwrap(),
        Value::Bool(false)
    );
}

#[test]
fn ast_objects_round_trip() {
    let query = call(
        "graphql.parse_query",
        &[s("query { user(id: 1) { name } }")],
    )
    .unwrap();
    let schema = call("graphql.parse_schema", &[s(SCHEMA)]).unwrap();
    let got = call("graphql.parse_and_verify", &[query.clone(), schema.clone()]).unwrap();
    assert_eq!(
        got,
        Value::array(vec![Value::Bool(true), query.clone(), schema.clone()])
    );
    assert_eq!(
        call("graphql.parse", &[query.clone(), schema.clone()]).unwrap(),
        Value::array(vec![query, schema.clone()])
    );
    // gqlparser decodes every selection of an object as a field, so fragments do not survive.
    let with_fragment = call(
        "graphql.parse_query",
        &[s("{ search(kind: USER) { ... on User { id } } }")],
    )
    .unwrap();
    assert_eq!(
        call("graphql.is_valid", &[with_fragment, schema.clone()]).unwrap(),
        Value::Bool(false)
    );
    // Keys match Go field names case-insensitively; wrong types fail to decode.
    let lower = json(
        r#"{"Operations": [{"Operation": "query", "SelectionSet": [{"Alias": "hello", "Name": "hello", "Arguments": [{"name": "times", "value": {"kind": 1, "raw": "3"}}]}]}]}"#,
    );
    assert_eq!(
        call("graphql.is_valid", &[lower, schema.clone()]).unwrap(),
        Value::Bool(true)
    );
    let wrong = json(r#"{"Operations": [{"Operation": 1}]}"#);
    assert_eq!(
        call("graphql.parse_and_verify", &[wrong, schema]).unwrap(),
        json("[false, {}, {}]")
    );
}

#[test]
fn deep_nesting_is_refused_not_fatal() {
    let deep_value = format!("{{ f(a: {}1{}) }}", "[".repeat(5000), "]".repeat(5000));
    assert!(
        err("graphql.parse_query", &[s(&deep_value)]).starts_with("Document is nested too deeply")
    );
    let deep_selection = format!("{}{}", "{ a ".repeat(5000), "}".repeat(5000));
    assert!(err("graphql.parse_query", &[s(&deep_selection)]).contains("nested too deeply"));
    let deep_type = format!(
        "query ($v: {}Int{}) {{ a }}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert!(err("graphql.parse_query", &[s(&deep_type)]).contains("nested too deeply"));
    let mut obj = json("{}");
    for _ in 0..2000 {
        obj = Value::object_from(vec![(s("SelectionSet"), Value::array(vec![obj]))]);
    }
    let doc = Value::object_from(vec![(s("Operations"), Value::array(vec![obj]))]);
    assert_eq!(
        call("graphql.is_valid", &[doc, s(SCHEMA)]).unwrap(),
        Value::Bool(false)
    );
    // Moderately deep documents are fine.
    let ok = format!("{}{}", "{ a ".repeat(100), "}".repeat(100));
    assert!(call("graphql.parse_query", &[s(&ok)]).is_ok());
}
