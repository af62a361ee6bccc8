//! Turning a schema document into a checked schema, with gqlparser's rules and messages:
//! the built-in prelude is merged in first, extensions of missing types create them, and the
//! first problem found (types checked in name order) is the error.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::ast::*;
use super::parser::parse_schema;

/// A schema error, as gqlparser words it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GqlError {
    pub(crate) message: String,
    pub(crate) pos: Option<Pos>,
}

impl GqlError {
    pub(crate) fn new(message: String, pos: Option<Pos>) -> GqlError {
        GqlError { message, pos }
    }

    /// gqlparser's text: `input:LINE:COLUMN: message`.
    pub(crate) fn render(&self) -> String {
        match self.pos {
            Some(p) => format!("input:{}:{}: {}", p.line, p.column, self.message),
            None => format!("input: {}", self.message),
        }
    }
}

type SResult<T> = Result<T, GqlError>;

/// A checked schema: every type by name, with extensions merged in.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    pub(crate) types: HashMap<String, Definition>,
    pub(crate) directives: HashMap<String, DirectiveDefinition>,
    possible_types: HashMap<String, Vec<String>>,
    pub(crate) query: Option<String>,
    pub(crate) mutation: Option<String>,
    pub(crate) subscription: Option<String>,
}

/// The type of a type reference that may be missing in an object-built tree.
pub(crate) static NO_TYPE: Type = Type {
    named_type: String::new(),
    elem: None,
    non_null: false,
    pos: None,
};

/// A field's or argument's type, the empty type when absent.
pub(crate) fn type_of(t: &Option<Type>) -> &Type {
    t.as_ref().unwrap_or(&NO_TYPE)
}

const BUILTIN_DIRECTIVES: &[&str] = &["include", "skip", "deprecated", "specifiedBy"];

fn prelude() -> &'static SchemaDocument {
    static PRELUDE: OnceLock<SchemaDocument> = OnceLock::new();
    PRELUDE.get_or_init(|| parse_schema(include_str!("prelude.graphql"), true).unwrap_or_default())
}

impl Schema {
    /// A type by name.
    pub(crate) fn get(&self, name: &str) -> Option<&Definition> {
        self.types.get(name)
    }

    /// The object types a type may be at run time (itself, for an object).
    pub(crate) fn possible_types(&self, def: &Definition) -> Vec<&Definition> {
        self.possible_types
            .get(&def.name)
            .map(|names| names.iter().filter_map(|n| self.types.get(n)).collect())
            .unwrap_or_default()
    }

    fn add_possible(&mut self, name: &str, member: &str) {
        self.possible_types
            .entry(name.to_string())
            .or_default()
            .push(member.to_string());
    }

    /// The root type of an operation type (`query`, `mutation`, `subscription`).
    pub(crate) fn root(&self, operation: &str) -> Option<&Definition> {
        let name = match operation {
            "query" | "" => &self.query,
            "mutation" => &self.mutation,
            "subscription" => &self.subscription,
            _ => return None,
        };
        name.as_deref().and_then(|n| self.types.get(n))
    }
}

/// Checks a schema document (merged after the prelude) and builds the schema.
pub(crate) fn load_schema(doc: &SchemaDocument) -> SResult<Schema> {
    let mut merged = prelude().clone();
    merged.merge(doc.clone());
    validate_document(merged)
}

fn validate_document(doc: SchemaDocument) -> SResult<Schema> {
    let mut schema = Schema::default();
    let mut order: Vec<String> = Vec::new();
    for def in doc.definitions {
        if schema.types.contains_key(&def.name) {
            return Err(GqlError::new(
                format!("Cannot redeclare type {}.", def.name),
                def.pos,
            ));
        }
        order.push(def.name.clone());
        schema.types.insert(def.name.clone(), def);
    }
    for ext in doc.extensions {
        let def = schema.types.entry(ext.name.clone()).or_insert_with(|| {
            order.push(ext.name.clone());
            Definition {
                kind: ext.kind.clone(),
                name: ext.name.clone(),
                pos: ext.pos,
                ..Definition::default()
            }
        });
        if def.kind != ext.kind {
            return Err(GqlError::new(
                format!(
                    "Cannot extend type {} because the base type is a {}, not {}.",
                    ext.name, def.kind, ext.kind
                ),
                ext.pos,
            ));
        }
        def.directives.extend(ext.directives);
        def.interfaces.extend(ext.interfaces);
        def.fields.extend(ext.fields);
        def.types.extend(ext.types);
        def.enum_values.extend(ext.enum_values);
    }
    for name in &order {
        let def = &schema.types[name];
        let (kind, members, interfaces) =
            (def.kind.clone(), def.types.clone(), def.interfaces.clone());
        match kind.as_str() {
            "UNION" => {
                for t in &members {
                    schema.add_possible(name, t);
                }
            }
            "INPUT_OBJECT" | "OBJECT" => {
                for intf in &interfaces {
                    schema.add_possible(intf, name);
                }
                schema.add_possible(name, name);
            }
            "INTERFACE" => {
                for intf in &interfaces {
                    schema.add_possible(intf, name);
                }
            }
            _ => {}
        }
    }
    for dir in doc.directives {
        if schema.directives.contains_key(&dir.name)
            && !BUILTIN_DIRECTIVES.contains(&dir.name.as_str())
        {
            return Err(GqlError::new(
                format!("Cannot redeclare directive {}.", dir.name),
                dir.pos,
            ));
        }
        schema.directives.insert(dir.name.clone(), dir);
    }
    if doc.schema.len() > 1 {
        return Err(GqlError::new(
            "Cannot have multiple schema entry points, consider schema extensions instead."
                .to_string(),
            doc.schema[1].pos,
        ));
    }
    for def in doc.schema.iter().chain(doc.schema_extension.iter()) {
        for entry in &def.operation_types {
            if !schema.types.contains_key(&entry.ty) {
                return Err(GqlError::new(
                    format!(
                        "Schema root {} refers to a type {} that does not exist.",
                        entry.operation, entry.ty
                    ),
                    entry.pos,
                ));
            }
            let slot = match entry.operation.as_str() {
                "query" => &mut schema.query,
                "mutation" => &mut schema.mutation,
                "subscription" => &mut schema.subscription,
                _ => continue,
            };
            *slot = Some(entry.ty.clone());
        }
    }
    let mut names: Vec<&String> = schema.types.keys().collect();
    names.sort();
    for name in names {
        validate_definition(&schema, &schema.types[name])?;
    }
    let mut names: Vec<&String> = schema.directives.keys().collect();
    names.sort();
    for name in names {
        let def = &schema.directives[name];
        validate_name(def.pos, &def.name)?;
        validate_args(&schema, &def.arguments, Some(&def.name))?;
    }
    if doc.schema.is_empty() {
        for (slot, name) in [
            (&mut schema.query, "Query"),
            (&mut schema.mutation, "Mutation"),
            (&mut schema.subscription, "Subscription"),
        ] {
            if slot.is_none() && schema.types.contains_key(name) {
                *slot = Some(name.to_string());
            }
        }
    }
    if let Some(query) = schema.query.clone() {
        if let Some(def) = schema.types.get_mut(&query) {
            def.fields.push(FieldDefinition {
                name: "__schema".to_string(),
                ty: Some(Type::named("__Schema", true)),
                ..FieldDefinition::default()
            });
            def.fields.push(FieldDefinition {
                name: "__type".to_string(),
                ty: Some(Type::named("__Type", false)),
                arguments: vec![ArgumentDefinition {
                    name: "name".to_string(),
                    ty: Some(Type::named("String", true)),
                    ..ArgumentDefinition::default()
                }],
                ..FieldDefinition::default()
            });
        }
    }
    Ok(schema)
}

fn validate_name(pos: Option<Pos>, name: &str) -> SResult<()> {
    if name.starts_with("__") {
        return Err(GqlError::new(
            format!(
                "Name \"{name}\" must not begin with \"__\", which is reserved by GraphQL introspection."
            ),
            pos,
        ));
    }
    Ok(())
}

fn validate_type_ref(schema: &Schema, ty: &Type) -> SResult<()> {
    if !schema.types.contains_key(ty.name()) {
        return Err(GqlError::new(
            format!("Undefined type {}.", ty.name()),
            ty.pos,
        ));
    }
    Ok(())
}

fn validate_args(
    schema: &Schema,
    args: &[ArgumentDefinition],
    directive: Option<&str>,
) -> SResult<()> {
    for arg in args {
        validate_name(arg.pos, &arg.name)?;
        let ty = type_of(&arg.ty);
        validate_type_ref(schema, ty)?;
        if let Some(def) = schema.types.get(ty.name()) {
            if !def.is_input() {
                return Err(GqlError::new(
                    format!(
                        "cannot use {ty} as argument {} because {} is not a valid input type",
                        arg.name, def.kind
                    ),
                    arg.pos,
                ));
            }
        }
        validate_directives(schema, &arg.directives, "ARGUMENT_DEFINITION", directive)?;
    }
    Ok(())
}

fn validate_directives(
    schema: &Schema,
    dirs: &[Directive],
    location: &str,
    current: Option<&str>,
) -> SResult<()> {
    for dir in dirs {
        validate_name(dir.pos, &dir.name)?;
        if current == Some(dir.name.as_str()) {
            return Err(GqlError::new(
                format!("Directive {} cannot refer to itself.", dir.name),
                dir.pos,
            ));
        }
        let Some(def) = schema.directives.get(&dir.name) else {
            return Err(GqlError::new(
                format!("Undefined directive {}.", dir.name),
                dir.pos,
            ));
        };
        if !def.locations.iter().any(|l| l == location) {
            return Err(GqlError::new(
                format!("Directive {} is not applicable on {location}.", dir.name),
                dir.pos,
            ));
        }
    }
    Ok(())
}

const OUTPUT_KINDS: &[&str] = &["SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM"];
const INPUT_KINDS: &[&str] = &["SCALAR", "ENUM", "INPUT_OBJECT"];

fn validate_definition(schema: &Schema, def: &Definition) -> SResult<()> {
    for field in &def.fields {
        validate_name(field.pos, &field.name)?;
        validate_type_ref(schema, type_of(&field.ty))?;
        validate_args(schema, &field.arguments, None)?;
        let location = if def.kind == "INPUT_OBJECT" {
            "INPUT_FIELD_DEFINITION"
        } else {
            "FIELD_DEFINITION"
        };
        validate_directives(schema, &field.directives, location, None)?;
    }
    for member in &def.types {
        match schema.types.get(member) {
            None => {
                return Err(GqlError::new(
                    format!("Undefined type \"{member}\"."),
                    def.pos,
                ));
            }
            Some(t) if t.kind != "OBJECT" => {
                return Err(GqlError::new(
                    format!("{} type \"{member}\" must be OBJECT.", def.kind),
                    def.pos,
                ));
            }
            Some(_) => {}
        }
    }
    for intf in &def.interfaces {
        validate_implements(schema, def, intf)?;
    }
    let field_kind = |field: &FieldDefinition| schema.types.get(type_of(&field.ty).name());
    match def.kind.as_str() {
        "OBJECT" | "INTERFACE" => {
            if def.fields.is_empty() {
                return Err(GqlError::new(
                    format!("{} {}: must define one or more fields.", def.kind, def.name),
                    def.pos,
                ));
            }
            for field in &def.fields {
                if let Some(t) = field_kind(field) {
                    if !OUTPUT_KINDS.contains(&t.kind.as_str()) {
                        return Err(GqlError::new(
                            format!(
                                "{} {}: field must be one of {}.",
                                def.kind,
                                def.name,
                                OUTPUT_KINDS.join(", ")
                            ),
                            field.pos,
                        ));
                    }
                }
            }
        }
        "ENUM" => {
            if def.enum_values.is_empty() {
                return Err(GqlError::new(
                    format!(
                        "{} {}: must define one or more unique enum values.",
                        def.kind, def.name
                    ),
                    def.pos,
                ));
            }
            for value in &def.enum_values {
                if matches!(value.name.as_str(), "true" | "false" | "null") {
                    return Err(GqlError::new(
                        format!("{} {}: non-enum value {}.", def.kind, def.name, value.name),
                        def.pos,
                    ));
                }
            }
        }
        "INPUT_OBJECT" => {
            if def.fields.is_empty() {
                return Err(GqlError::new(
                    format!(
                        "{} {}: must define one or more input fields.",
                        def.kind, def.name
                    ),
                    def.pos,
                ));
            }
            for field in &def.fields {
                if let Some(t) = field_kind(field) {
                    if !INPUT_KINDS.contains(&t.kind.as_str()) {
                        return Err(GqlError::new(
                            format!(
                                "{} {}: field must be one of {}.",
                                t.kind,
                                field.name,
                                INPUT_KINDS.join(", ")
                            ),
                            field.pos,
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    for (i, a) in def.fields.iter().enumerate() {
        if let Some(b) = def.fields[i + 1..].iter().find(|b| b.name == a.name) {
            return Err(GqlError::new(
                format!("Field {}.{} can only be defined once.", def.name, b.name),
                b.pos,
            ));
        }
    }
    if !def.built_in {
        validate_name(def.pos, &def.name)?;
    }
    validate_directives(schema, &def.directives, &def.kind, None)
}

fn validate_implements(schema: &Schema, def: &Definition, intf_name: &str) -> SResult<()> {
    let Some(intf) = schema.types.get(intf_name) else {
        return Err(GqlError::new(
            format!("Undefined type \"{intf_name}\"."),
            def.pos,
        ));
    };
    if intf.kind != "INTERFACE" {
        return Err(GqlError::new(
            format!("\"{intf_name}\" is a non interface type {}.", intf.kind),
            def.pos,
        ));
    }
    let (d, i) = (&def.name, &intf.name);
    for required in &intf.fields {
        let Some(found) = def.field(&required.name) else {
            return Err(GqlError::new(
                format!(
                    "For {d} to implement {i} it must have a field called {}.",
                    required.name
                ),
                def.pos,
            ));
        };
        let required_ty = type_of(&required.ty);
        if !is_covariant(schema, required_ty, type_of(&found.ty)) {
            return Err(GqlError::new(
                format!(
                    "For {d} to implement {i} the field {} must have type {required_ty}.",
                    required.name
                ),
                found.pos,
            ));
        }
        for req_arg in &required.arguments {
            let Some(found_arg) = found.arguments.iter().find(|a| a.name == req_arg.name) else {
                return Err(GqlError::new(
                    format!(
                        "For {d} to implement {i} the field {} must have the same arguments but it is missing {}.",
                        required.name, req_arg.name
                    ),
                    found.pos,
                ));
            };
            if !type_of(&req_arg.ty).is_compatible(type_of(&found_arg.ty)) {
                return Err(GqlError::new(
                    format!(
                        "For {d} to implement {i} the field {} must have the same arguments but {} has the wrong type.",
                        required.name, req_arg.name
                    ),
                    found_arg.pos,
                ));
            }
        }
        for found_arg in &found.arguments {
            let extra = !required.arguments.iter().any(|a| a.name == found_arg.name);
            if extra && type_of(&found_arg.ty).non_null && found_arg.default_value.is_none() {
                return Err(GqlError::new(
                    format!(
                        "For {d} to implement {i} any additional arguments on {} must be optional or have a default value but {} is required.",
                        found.name, found_arg.name
                    ),
                    found_arg.pos,
                ));
            }
        }
    }
    for transitive in &intf.interfaces {
        if !def.interfaces.contains(transitive) {
            let message = if transitive == d {
                format!(
                    "Type {d} cannot implement {intf_name} because it would create a circular reference."
                )
            } else {
                format!(
                    "Type {d} must implement {transitive} because it is implemented by {intf_name}."
                )
            };
            return Err(GqlError::new(message, def.pos));
        }
    }
    Ok(())
}

fn is_covariant(schema: &Schema, required: &Type, actual: &Type) -> bool {
    if required.non_null && !actual.non_null {
        return false;
    }
    if !required.named_type.is_empty() {
        if required.named_type == actual.named_type {
            return true;
        }
        return schema
            .possible_types
            .get(&required.named_type)
            .is_some_and(|names| names.contains(&actual.named_type));
    }
    match (&required.elem, &actual.elem) {
        (Some(r), Some(a)) => is_covariant(schema, r, a),
        _ => false,
    }
}
