//! Rego objects back into GraphQL syntax trees, the way OPA does it: through Go's JSON
//! decoder into gqlparser's structs. So keys match field names case-insensitively (exactly,
//! for operations, fragments and fields), unknown keys are ignored, `null` leaves a field
//! empty, a value of the wrong type is an error, and every selection decodes as a field
//! (gqlparser tries `Field` first, which accepts any object).

use super::ast::*;
use rego_eval::Value;

/// Why an object is not a syntax tree.
#[derive(Debug)]
pub(crate) struct DecodeError(pub(crate) String);

type DResult<T> = Result<T, DecodeError>;

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) | Value::Set(_) => "array",
        Value::Object(_) => "object",
    }
}

fn mismatch(v: &Value, target: &str) -> DecodeError {
    DecodeError(format!(
        "json: cannot unmarshal {} into Go value of type {target}",
        json_kind(v)
    ))
}

/// The entries of an object with string keys; `None` for null.
fn entries<'a>(v: &'a Value, target: &str) -> DResult<Option<Vec<(&'a str, &'a Value)>>> {
    if v.is_null() {
        return Ok(None);
    }
    let obj = v.as_object().ok_or_else(|| mismatch(v, target))?;
    let mut out = Vec::with_capacity(obj.len());
    for (k, val) in obj {
        let key = k.as_str().ok_or_else(|| {
            DecodeError(format!(
                "json: unsupported object key type {}",
                json_kind(k)
            ))
        })?;
        out.push((key, val));
    }
    Ok(Some(out))
}

/// Finds which of `names` a key selects (exactly, or ignoring ASCII case unless `exact`).
fn pick(key: &str, names: &[&'static str], exact: bool) -> Option<&'static str> {
    names
        .iter()
        .find(|n| **n == key)
        .or_else(|| {
            if exact {
                None
            } else {
                names.iter().find(|n| n.eq_ignore_ascii_case(key))
            }
        })
        .copied()
}

fn elements(v: &Value) -> Option<&[Value]> {
    v.as_array().or_else(|| v.as_set())
}

fn string(v: &Value, into: &mut String) -> DResult<()> {
    match v {
        Value::Null => Ok(()),
        Value::String(s) => {
            *into = s.to_string();
            Ok(())
        }
        _ => Err(mismatch(v, "string")),
    }
}

fn boolean(v: &Value, into: &mut bool) -> DResult<()> {
    match v {
        Value::Null => Ok(()),
        Value::Bool(b) => {
            *into = *b;
            Ok(())
        }
        _ => Err(mismatch(v, "bool")),
    }
}

fn int(v: &Value, into: &mut i64) -> DResult<()> {
    match v {
        Value::Null => Ok(()),
        Value::Number(n) => match n.as_i64() {
            Some(i) => {
                *into = i;
                Ok(())
            }
            None => Err(DecodeError(format!(
                "json: cannot unmarshal number {n} into Go value of type int"
            ))),
        },
        _ => Err(mismatch(v, "int")),
    }
}

/// A list of items; `null` items are dropped.
fn list<T>(
    v: &Value,
    into: &mut Vec<T>,
    item: impl Fn(&Value) -> DResult<Option<T>>,
) -> DResult<()> {
    if v.is_null() {
        into.clear();
        return Ok(());
    }
    let items = elements(v).ok_or_else(|| mismatch(v, "slice"))?;
    into.clear();
    for i in items {
        if let Some(x) = item(i)? {
            into.push(x);
        }
    }
    Ok(())
}

fn strings(v: &Value, into: &mut Vec<String>) -> DResult<()> {
    list(v, into, |i| {
        let mut s = String::new();
        string(i, &mut s)?;
        Ok(Some(s))
    })
}

fn position(v: &Value) -> DResult<Option<Pos>> {
    let Some(fields) = entries(v, "ast.Position")? else {
        return Ok(None);
    };
    let (mut line, mut column) = (0i64, 0i64);
    for (k, val) in fields {
        match pick(k, &["Line", "Column", "Start", "End", "Src"], false) {
            Some("Line") => int(val, &mut line)?,
            Some("Column") => int(val, &mut column)?,
            _ => {}
        }
    }
    Ok(Some(Pos {
        line: u32::try_from(line).unwrap_or(0),
        column,
    }))
}

/// A pointer to a struct we do not keep (validation annotations): checked, then dropped.
fn ignored(v: &Value) -> DResult<()> {
    entries(v, "struct").map(|_| ())
}

fn decode_type(v: &Value) -> DResult<Option<Type>> {
    let Some(fields) = entries(v, "ast.Type")? else {
        return Ok(None);
    };
    let mut t = Type::default();
    for (k, val) in fields {
        match pick(k, &["NamedType", "Elem", "NonNull", "Position"], false) {
            Some("NamedType") => string(val, &mut t.named_type)?,
            Some("Elem") => t.elem = decode_type(val)?.map(Box::new),
            Some("NonNull") => boolean(val, &mut t.non_null)?,
            Some("Position") => t.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(t))
}

fn decode_value(v: &Value) -> DResult<Option<Box<GValue>>> {
    let Some(fields) = entries(v, "ast.Value")? else {
        return Ok(None);
    };
    let mut out = GValue::default();
    let names = [
        "Raw",
        "Children",
        "Kind",
        "Position",
        "Definition",
        "VariableDefinition",
        "ExpectedType",
        "ExpectedTypeHasDefault",
    ];
    for (k, val) in fields {
        match pick(k, &names, false) {
            Some("Raw") => string(val, &mut out.raw)?,
            Some("Children") => list(val, &mut out.children, decode_child)?,
            Some("Kind") => int(val, &mut out.kind)?,
            Some("Position") => out.pos = position(val)?,
            Some("ExpectedTypeHasDefault") => boolean(val, &mut out.expected_type_has_default)?,
            Some(_) => ignored(val)?,
            None => {}
        }
    }
    Ok(Some(Box::new(out)))
}

fn decode_child(v: &Value) -> DResult<Option<ChildValue>> {
    let Some(fields) = entries(v, "ast.ChildValue")? else {
        return Ok(None);
    };
    let mut c = ChildValue::default();
    for (k, val) in fields {
        match pick(k, &["Name", "Value", "Position"], false) {
            Some("Name") => string(val, &mut c.name)?,
            Some("Value") => c.value = decode_value(val)?,
            Some("Position") => c.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(c))
}

fn decode_argument(v: &Value) -> DResult<Option<Argument>> {
    let Some(fields) = entries(v, "ast.Argument")? else {
        return Ok(None);
    };
    let mut a = Argument::default();
    for (k, val) in fields {
        match pick(k, &["Name", "Value", "Position"], false) {
            Some("Name") => string(val, &mut a.name)?,
            Some("Value") => a.value = decode_value(val)?,
            Some("Position") => a.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(a))
}

fn decode_directive(v: &Value) -> DResult<Option<Directive>> {
    let Some(fields) = entries(v, "ast.Directive")? else {
        return Ok(None);
    };
    let mut d = Directive::default();
    let names = [
        "Name",
        "Arguments",
        "Position",
        "ParentDefinition",
        "Definition",
        "Location",
    ];
    for (k, val) in fields {
        match pick(k, &names, false) {
            Some("Name") => string(val, &mut d.name)?,
            Some("Arguments") => list(val, &mut d.arguments, decode_argument)?,
            Some("Position") => d.pos = position(val)?,
            Some("Location") => string(val, &mut d.location)?,
            Some(_) => ignored(val)?,
            None => {}
        }
    }
    Ok(Some(d))
}

fn decode_variable(v: &Value) -> DResult<Option<VariableDefinition>> {
    let Some(fields) = entries(v, "ast.VariableDefinition")? else {
        return Ok(None);
    };
    let mut d = VariableDefinition::default();
    let names = [
        "Variable",
        "Type",
        "DefaultValue",
        "Directives",
        "Position",
        "Definition",
        "Used",
    ];
    for (k, val) in fields {
        match pick(k, &names, false) {
            Some("Variable") => string(val, &mut d.variable)?,
            Some("Type") => d.ty = decode_type(val)?,
            Some("DefaultValue") => d.default_value = decode_value(val)?,
            Some("Directives") => list(val, &mut d.directives, decode_directive)?,
            Some("Position") => d.pos = position(val)?,
            Some("Used") => boolean(val, &mut d.used)?,
            Some(_) => ignored(val)?,
            None => {}
        }
    }
    Ok(Some(d))
}

/// gqlparser's selection decoding: the first of field, fragment spread and inline fragment
/// that decodes without error; items that fit none are dropped.
fn decode_selections(v: &Value, into: &mut Vec<Selection>) -> DResult<()> {
    if v.is_null() {
        into.clear();
        return Ok(());
    }
    let items = elements(v).ok_or_else(|| mismatch(v, "[]json.RawMessage"))?;
    into.clear();
    for item in items {
        if let Ok(f) = decode_field(item) {
            into.push(Selection::Field(f));
        } else if let Ok(Some(s)) = decode_spread(item) {
            into.push(Selection::FragmentSpread(s));
        } else if let Ok(f) = decode_inline(item) {
            into.push(Selection::InlineFragment(f));
        }
    }
    Ok(())
}

/// Fields of a custom gqlparser decoder: exact keys only.
fn exact_entries<'a>(v: &'a Value, target: &str) -> DResult<Vec<(&'a str, &'a Value)>> {
    Ok(entries(v, target)?.unwrap_or_default())
}

fn decode_field(v: &Value) -> DResult<Field> {
    let mut f = Field::default();
    for (k, val) in exact_entries(v, "map[string]json.RawMessage")? {
        match k {
            "Alias" => string(val, &mut f.alias)?,
            "Name" => string(val, &mut f.name)?,
            "Arguments" => list(val, &mut f.arguments, decode_argument)?,
            "Directives" => list(val, &mut f.directives, decode_directive)?,
            "SelectionSet" => decode_selections(val, &mut f.selection_set)?,
            "Position" => f.pos = position(val)?,
            "Definition" | "ObjectDefinition" => ignored(val)?,
            _ => {}
        }
    }
    Ok(f)
}

fn decode_spread(v: &Value) -> DResult<Option<FragmentSpread>> {
    let Some(fields) = entries(v, "ast.FragmentSpread")? else {
        return Ok(None);
    };
    let mut s = FragmentSpread::default();
    let names = [
        "Name",
        "Directives",
        "ObjectDefinition",
        "Definition",
        "Position",
    ];
    for (k, val) in fields {
        match pick(k, &names, false) {
            Some("Name") => string(val, &mut s.name)?,
            Some("Directives") => list(val, &mut s.directives, decode_directive)?,
            Some("Position") => s.pos = position(val)?,
            Some(_) => ignored(val)?,
            None => {}
        }
    }
    Ok(Some(s))
}

fn decode_inline(v: &Value) -> DResult<InlineFragment> {
    let mut f = InlineFragment::default();
    for (k, val) in exact_entries(v, "map[string]json.RawMessage")? {
        match k {
            "TypeCondition" => string(val, &mut f.type_condition)?,
            "Directives" => list(val, &mut f.directives, decode_directive)?,
            "SelectionSet" => decode_selections(val, &mut f.selection_set)?,
            "Position" => f.pos = position(val)?,
            "ObjectDefinition" => ignored(val)?,
            _ => {}
        }
    }
    Ok(f)
}

fn decode_operation(v: &Value) -> DResult<Option<OperationDefinition>> {
    if v.is_null() {
        return Ok(None);
    }
    let mut o = OperationDefinition::default();
    for (k, val) in exact_entries(v, "map[string]json.RawMessage")? {
        match k {
            "Operation" => string(val, &mut o.operation)?,
            "Name" => string(val, &mut o.name)?,
            "VariableDefinitions" => list(val, &mut o.variable_definitions, decode_variable)?,
            "Directives" => list(val, &mut o.directives, decode_directive)?,
            "SelectionSet" => decode_selections(val, &mut o.selection_set)?,
            "Position" => o.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(o))
}

fn decode_fragment(v: &Value) -> DResult<Option<FragmentDefinition>> {
    if v.is_null() {
        return Ok(None);
    }
    let mut f = FragmentDefinition::default();
    for (k, val) in exact_entries(v, "map[string]json.RawMessage")? {
        match k {
            "Name" => string(val, &mut f.name)?,
            "VariableDefinition" => list(val, &mut f.variable_definition, decode_variable)?,
            "TypeCondition" => string(val, &mut f.type_condition)?,
            "Directives" => list(val, &mut f.directives, decode_directive)?,
            "SelectionSet" => decode_selections(val, &mut f.selection_set)?,
            "Position" => f.pos = position(val)?,
            "Definition" => ignored(val)?,
            _ => {}
        }
    }
    Ok(Some(f))
}

/// How deeply an AST object may nest before we refuse it (keeps the stack bounded).
const MAX_DEPTH: usize = 400;

fn check_depth(v: &Value) -> DResult<()> {
    let mut stack = vec![(v, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(DecodeError("AST object is nested too deeply".to_string()));
        }
        if let Some(items) = elements(v) {
            stack.extend(items.iter().map(|i| (i, depth + 1)));
        } else if let Some(entries) = v.as_object() {
            stack.extend(entries.iter().map(|(_, i)| (i, depth + 1)));
        }
    }
    Ok(())
}

/// A query document from its object form.
pub(crate) fn query_document(v: &Value) -> DResult<QueryDocument> {
    check_depth(v)?;
    let mut doc = QueryDocument::default();
    for (k, val) in entries(v, "ast.QueryDocument")?.unwrap_or_default() {
        match pick(k, &["Operations", "Fragments", "Position"], false) {
            Some("Operations") => list(val, &mut doc.operations, decode_operation)?,
            Some("Fragments") => list(val, &mut doc.fragments, decode_fragment)?,
            Some(_) => ignored(val)?,
            None => {}
        }
    }
    Ok(doc)
}

fn decode_argument_def(v: &Value) -> DResult<Option<ArgumentDefinition>> {
    Ok(decode_field_def(v)?.map(|f| ArgumentDefinition {
        description: f.description,
        name: f.name,
        default_value: f.default_value,
        ty: f.ty,
        directives: f.directives,
        pos: f.pos,
    }))
}

fn decode_field_def(v: &Value) -> DResult<Option<FieldDefinition>> {
    let Some(fields) = entries(v, "ast.FieldDefinition")? else {
        return Ok(None);
    };
    let mut f = FieldDefinition::default();
    let names = [
        "Description",
        "Name",
        "Arguments",
        "DefaultValue",
        "Type",
        "Directives",
        "Position",
    ];
    for (k, val) in fields {
        match pick(k, &names, false) {
            Some("Description") => string(val, &mut f.description)?,
            Some("Name") => string(val, &mut f.name)?,
            Some("Arguments") => list(val, &mut f.arguments, decode_argument_def)?,
            Some("DefaultValue") => f.default_value = decode_value(val)?,
            Some("Type") => f.ty = decode_type(val)?,
            Some("Directives") => list(val, &mut f.directives, decode_directive)?,
            Some("Position") => f.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(f))
}

fn decode_enum_value(v: &Value) -> DResult<Option<EnumValueDefinition>> {
    let Some(fields) = entries(v, "ast.EnumValueDefinition")? else {
        return Ok(None);
    };
    let mut e = EnumValueDefinition::default();
    for (k, val) in fields {
        match pick(k, &["Description", "Name", "Directives", "Position"], false) {
            Some("Description") => string(val, &mut e.description)?,
            Some("Name") => string(val, &mut e.name)?,
            Some("Directives") => list(val, &mut e.directives, decode_directive)?,
            Some("Position") => e.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(e))
}

fn decode_definition(v: &Value) -> DResult<Option<Definition>> {
    let Some(fields) = entries(v, "ast.Definition")? else {
        return Ok(None);
    };
    let mut d = Definition::default();
    let names = [
        "Kind",
        "Description",
        "Name",
        "Directives",
        "Interfaces",
        "Fields",
        "Types",
        "EnumValues",
        "Position",
        "BuiltIn",
    ];
    for (k, val) in fields {
        match pick(k, &names, false) {
            Some("Kind") => string(val, &mut d.kind)?,
            Some("Description") => string(val, &mut d.description)?,
            Some("Name") => string(val, &mut d.name)?,
            Some("Directives") => list(val, &mut d.directives, decode_directive)?,
            Some("Interfaces") => strings(val, &mut d.interfaces)?,
            Some("Fields") => list(val, &mut d.fields, decode_field_def)?,
            Some("Types") => strings(val, &mut d.types)?,
            Some("EnumValues") => list(val, &mut d.enum_values, decode_enum_value)?,
            Some("Position") => d.pos = position(val)?,
            Some("BuiltIn") => boolean(val, &mut d.built_in)?,
            _ => {}
        }
    }
    Ok(Some(d))
}

fn decode_directive_def(v: &Value) -> DResult<Option<DirectiveDefinition>> {
    let Some(fields) = entries(v, "ast.DirectiveDefinition")? else {
        return Ok(None);
    };
    let mut d = DirectiveDefinition::default();
    let names = [
        "Description",
        "Name",
        "Arguments",
        "Locations",
        "IsRepeatable",
        "Position",
    ];
    for (k, val) in fields {
        match pick(k, &names, false) {
            Some("Description") => string(val, &mut d.description)?,
            Some("Name") => string(val, &mut d.name)?,
            Some("Arguments") => list(val, &mut d.arguments, decode_argument_def)?,
            Some("Locations") => strings(val, &mut d.locations)?,
            Some("IsRepeatable") => boolean(val, &mut d.is_repeatable)?,
            Some("Position") => d.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(d))
}

fn decode_schema_def(v: &Value) -> DResult<Option<SchemaDefinition>> {
    let Some(fields) = entries(v, "ast.SchemaDefinition")? else {
        return Ok(None);
    };
    let mut s = SchemaDefinition::default();
    for (k, val) in fields {
        match pick(
            k,
            &["Description", "Directives", "OperationTypes", "Position"],
            false,
        ) {
            Some("Description") => string(val, &mut s.description)?,
            Some("Directives") => list(val, &mut s.directives, decode_directive)?,
            Some("OperationTypes") => list(val, &mut s.operation_types, |o| {
                let Some(fields) = entries(o, "ast.OperationTypeDefinition")? else {
                    return Ok(None);
                };
                let mut op = OperationTypeDefinition::default();
                for (k, val) in fields {
                    match pick(k, &["Operation", "Type", "Position"], false) {
                        Some("Operation") => string(val, &mut op.operation)?,
                        Some("Type") => string(val, &mut op.ty)?,
                        Some("Position") => op.pos = position(val)?,
                        _ => {}
                    }
                }
                Ok(Some(op))
            })?,
            Some("Position") => s.pos = position(val)?,
            _ => {}
        }
    }
    Ok(Some(s))
}

/// A schema document from its object form.
pub(crate) fn schema_document(v: &Value) -> DResult<SchemaDocument> {
    check_depth(v)?;
    let mut doc = SchemaDocument::default();
    let names = [
        "Schema",
        "SchemaExtension",
        "Directives",
        "Definitions",
        "Extensions",
        "Position",
    ];
    for (k, val) in entries(v, "ast.SchemaDocument")?.unwrap_or_default() {
        match pick(k, &names, false) {
            Some("Schema") => list(val, &mut doc.schema, decode_schema_def)?,
            Some("SchemaExtension") => list(val, &mut doc.schema_extension, decode_schema_def)?,
            Some("Directives") => list(val, &mut doc.directives, decode_directive_def)?,
            Some("Definitions") => list(val, &mut doc.definitions, decode_definition)?,
            Some("Extensions") => list(val, &mut doc.extensions, decode_definition)?,
            Some(_) => ignored(val)?,
            None => {}
        }
    }
    Ok(doc)
}
