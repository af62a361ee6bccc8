//! Builtins of the `graphql` family: parsing GraphQL queries and schemas into OPA's AST
//! objects (gqlparser's Go structs as JSON) and validating queries against schemas.
//!
//! OPA embeds the Go library gqlparser; its error texts, positions and validation rules are
//! part of OPA's observable behaviour, so this family carries its own GraphQL front end made
//! to match them (no Rust GraphQL crate reports gqlparser's messages or accepts its syntax
//! extensions, such as variables on fragment definitions).

mod ast;
mod decode;
mod lexer;
mod overlap;
mod parser;
mod rules;
mod schema;
mod validate;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use ast::{QueryDocument, SchemaDocument};
use parser::ParseError;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "graphql.parse",
        arity: 2,
        func: parse,
    },
    BuiltinDef {
        name: "graphql.parse_and_verify",
        arity: 2,
        func: parse_and_verify,
    },
    BuiltinDef {
        name: "graphql.parse_query",
        arity: 1,
        func: parse_query,
    },
    BuiltinDef {
        name: "graphql.parse_schema",
        arity: 1,
        func: parse_schema,
    },
    BuiltinDef {
        name: "graphql.is_valid",
        arity: 2,
        func: is_valid,
    },
    BuiltinDef {
        name: "graphql.schema_is_valid",
        arity: 1,
        func: schema_is_valid,
    },
];

/// OPA's wording of a syntax error.
fn syntax_error(e: ParseError) -> BuiltinError {
    BuiltinError::msg(format!(
        "{} in GraphQL string at location {}:{}",
        e.message, e.line, e.column
    ))
}

/// OPA's wording of validation errors: gqlparser's error list as text, the first error's
/// location moved to the end (later errors stay in the message, as in OPA).
fn validation_error(errors: &[schema::GqlError]) -> BuiltinError {
    let text: String = errors.iter().map(|e| e.render() + "\n").collect();
    let parts: Vec<&str> = text.splitn(4, ':').collect();
    if let [_, line, column, rest] = parts.as_slice() {
        let rest = rest.trim_start_matches(' ');
        let message = rest.strip_suffix(".\n").unwrap_or(rest);
        return BuiltinError::msg(format!(
            "{message} in GraphQL string at location {line}:{column}"
        ));
    }
    BuiltinError::msg(format!("{} in GraphQL string", text.trim_end()))
}

fn schema_error(e: &schema::GqlError) -> BuiltinError {
    BuiltinError::msg(format!(
        "Error in gqlparser SchemaDocument to Schema conversion: {}",
        e.render()
    ))
}

/// A query from a string or an AST object; `None` for other types.
fn query_doc(v: &Value) -> Option<Result<QueryDocument, BuiltinError>> {
    match v {
        Value::String(s) => Some(parser::parse_query(s).map_err(syntax_error)),
        Value::Object(_) => Some(decode::query_document(v).map_err(|e| BuiltinError::msg(e.0))),
        _ => None,
    }
}

/// A schema from a string or an AST object; `None` for other types.
fn schema_doc(v: &Value) -> Option<Result<SchemaDocument, BuiltinError>> {
    match v {
        Value::String(s) => Some(parser::parse_schema(s, false).map_err(syntax_error)),
        Value::Object(_) => Some(decode::schema_document(v).map_err(|e| BuiltinError::msg(e.0))),
        _ => None,
    }
}

fn operand_error(pos: usize, got: &Value) -> BuiltinError {
    BuiltinError::Type(format!(
        "operand {pos} must be one of {{string, object}} but got {}",
        got.type_name()
    ))
}

/// Parses, checks the schema and validates the query: the two AST objects, or an error.
fn parse_checked(args: &[Value]) -> Result<(Value, Value), BuiltinError> {
    // OPA numbers these operands from 0.
    let query = query_doc(&args[0]).ok_or_else(|| operand_error(0, &args[0]))??;
    let schema_doc = schema_doc(&args[1]).ok_or_else(|| operand_error(1, &args[1]))??;
    let query_ast = ast::query_value(&query);
    let schema_ast = ast::schema_value(&schema_doc);
    let schema = schema::load_schema(&schema_doc).map_err(|e| schema_error(&e))?;
    let errors = validate::validate(&schema, &query);
    if !errors.is_empty() {
        return Err(validation_error(&errors));
    }
    Ok((query_ast, schema_ast))
}

/// `graphql.parse(query, schema)`: `[query_ast, schema_ast]`, or an error.
fn parse(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let (q, s) = parse_checked(args)?;
    Ok(Value::array(vec![q, s]))
}

/// `graphql.parse_and_verify(query, schema)`: `[true, query_ast, schema_ast]`, or
/// `[false, {}, {}]` on any problem.
fn parse_and_verify(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(match parse_checked(args) {
        Ok((q, s)) => Value::array(vec![Value::Bool(true), q, s]),
        Err(_) => Value::array(vec![
            Value::Bool(false),
            Value::empty_object(),
            Value::empty_object(),
        ]),
    })
}

/// `graphql.parse_query(query)`: the query's AST object.
fn parse_query(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let text = args[0]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", &args[0]))?;
    let doc = parser::parse_query(text).map_err(syntax_error)?;
    Ok(ast::query_value(&doc))
}

/// `graphql.parse_schema(schema)`: the schema's AST object.
fn parse_schema(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let text = args[0]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", &args[0]))?;
    let doc = parser::parse_schema(text, false).map_err(syntax_error)?;
    Ok(ast::schema_value(&doc))
}

/// `graphql.is_valid(query, schema)`: whether both parse and the query fits the schema.
fn is_valid(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let check = || -> Option<bool> {
        let query = query_doc(&args[0])?.ok()?;
        let doc = schema_doc(&args[1])?.ok()?;
        let schema = schema::load_schema(&doc).ok()?;
        Some(validate::validate(&schema, &query).is_empty())
    };
    Ok(Value::Bool(check().unwrap_or(false)))
}

/// `graphql.schema_is_valid(schema)`: whether the schema parses and is consistent.
fn schema_is_valid(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let valid = match schema_doc(&args[0]) {
        Some(Ok(doc)) => schema::load_schema(&doc).is_ok(),
        _ => false,
    };
    Ok(Value::Bool(valid))
}

#[cfg(test)]
mod tests;
