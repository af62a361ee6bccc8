//! The GraphQL syntax tree, shaped like gqlparser's (the Go library OPA uses), and its
//! conversion to the Rego objects OPA returns: Go field names as keys, with `Position`,
//! null values and empty lists left out.

use rego_eval::Value;

/// A source position (1-based line and column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: u32,
    pub(crate) column: i64,
}

/// A type reference: `Name`, `[Elem]`, either optionally `!`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Type {
    pub(crate) named_type: String,
    pub(crate) elem: Option<Box<Type>>,
    pub(crate) non_null: bool,
    pub(crate) pos: Option<Pos>,
}

impl Type {
    /// A named type.
    pub(crate) fn named(name: &str, non_null: bool) -> Type {
        Type {
            named_type: name.to_string(),
            non_null,
            ..Type::default()
        }
    }

    /// The innermost named type.
    pub(crate) fn name(&self) -> &str {
        match (&self.elem, self.named_type.is_empty()) {
            (Some(elem), true) => elem.name(),
            _ => &self.named_type,
        }
    }

    /// Whether a variable of this type may be used where `other` is expected.
    pub(crate) fn is_compatible(&self, other: &Type) -> bool {
        if self.named_type != other.named_type {
            return false;
        }
        match (&self.elem, &other.elem) {
            (Some(_), None) => return false,
            (Some(a), Some(b)) if !a.is_compatible(b) => return false,
            _ => {}
        }
        !other.non_null || self.non_null
    }
}

impl std::fmt::Display for Type {
    /// GraphQL type syntax: `[String!]!`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bang = if self.non_null { "!" } else { "" };
        match &self.elem {
            Some(elem) if self.named_type.is_empty() => write!(f, "[{elem}]{bang}"),
            _ => write!(f, "{}{bang}", self.named_type),
        }
    }
}

/// Value kinds, numbered as gqlparser numbers them.
pub(crate) mod kind {
    pub(crate) const VARIABLE: i64 = 0;
    pub(crate) const INT: i64 = 1;
    pub(crate) const FLOAT: i64 = 2;
    pub(crate) const STRING: i64 = 3;
    pub(crate) const BLOCK: i64 = 4;
    pub(crate) const BOOLEAN: i64 = 5;
    pub(crate) const NULL: i64 = 6;
    pub(crate) const ENUM: i64 = 7;
    pub(crate) const LIST: i64 = 8;
    pub(crate) const OBJECT: i64 = 9;
}

/// A GraphQL input value literal.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct GValue {
    pub(crate) raw: String,
    pub(crate) children: Vec<ChildValue>,
    pub(crate) kind: i64,
    pub(crate) expected_type_has_default: bool,
    pub(crate) pos: Option<Pos>,
}

impl std::fmt::Display for GValue {
    /// GraphQL literal syntax, as gqlparser prints values in messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            kind::VARIABLE => write!(f, "${}", self.raw),
            kind::STRING | kind::BLOCK => f.write_str(&super::lexer::go_quote(&self.raw)),
            kind::LIST => {
                f.write_str("[")?;
                for (i, c) in self.children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_child(f, c.value.as_deref())?;
                }
                f.write_str("]")
            }
            kind::OBJECT => {
                f.write_str("{")?;
                for (i, c) in self.children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: ", c.name)?;
                    write_child(f, c.value.as_deref())?;
                }
                f.write_str("}")
            }
            _ => f.write_str(&self.raw),
        }
    }
}

fn write_child(f: &mut std::fmt::Formatter<'_>, v: Option<&GValue>) -> std::fmt::Result {
    match v {
        Some(v) => write!(f, "{v}"),
        None => f.write_str("<nil>"),
    }
}

/// An element of a list value or a field of an object value.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ChildValue {
    pub(crate) name: String,
    pub(crate) value: Option<Box<GValue>>,
    pub(crate) pos: Option<Pos>,
}

/// `name: value` in a field or directive.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Argument {
    pub(crate) name: String,
    pub(crate) value: Option<Box<GValue>>,
    pub(crate) pos: Option<Pos>,
}

/// `@name(args)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Directive {
    pub(crate) name: String,
    pub(crate) arguments: Vec<Argument>,
    pub(crate) location: String,
    pub(crate) pos: Option<Pos>,
}

/// `$name: Type = default @directives`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct VariableDefinition {
    pub(crate) variable: String,
    pub(crate) ty: Option<Type>,
    pub(crate) default_value: Option<Box<GValue>>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) used: bool,
    pub(crate) pos: Option<Pos>,
}

/// A field selection.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Field {
    pub(crate) alias: String,
    pub(crate) name: String,
    pub(crate) arguments: Vec<Argument>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) selection_set: Vec<Selection>,
    pub(crate) pos: Option<Pos>,
}

/// `...Name @directives`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FragmentSpread {
    pub(crate) name: String,
    pub(crate) directives: Vec<Directive>,
    pub(crate) pos: Option<Pos>,
}

/// `... on Type @directives { ... }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct InlineFragment {
    pub(crate) type_condition: String,
    pub(crate) directives: Vec<Directive>,
    pub(crate) selection_set: Vec<Selection>,
    pub(crate) pos: Option<Pos>,
}

/// One entry of a selection set.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Selection {
    Field(Field),
    FragmentSpread(FragmentSpread),
    InlineFragment(InlineFragment),
}

/// `query Name($v: T) @d { ... }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct OperationDefinition {
    pub(crate) operation: String,
    pub(crate) name: String,
    pub(crate) variable_definitions: Vec<VariableDefinition>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) selection_set: Vec<Selection>,
    pub(crate) pos: Option<Pos>,
}

/// `fragment Name($v: T) on Type @d { ... }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FragmentDefinition {
    pub(crate) name: String,
    pub(crate) variable_definition: Vec<VariableDefinition>,
    pub(crate) type_condition: String,
    pub(crate) directives: Vec<Directive>,
    pub(crate) selection_set: Vec<Selection>,
    pub(crate) pos: Option<Pos>,
}

/// A query document.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct QueryDocument {
    pub(crate) operations: Vec<OperationDefinition>,
    pub(crate) fragments: Vec<FragmentDefinition>,
}

/// `Description name(args): Type = default @directives` (fields and input fields).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FieldDefinition {
    pub(crate) description: String,
    pub(crate) name: String,
    pub(crate) arguments: Vec<ArgumentDefinition>,
    pub(crate) default_value: Option<Box<GValue>>,
    pub(crate) ty: Option<Type>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) pos: Option<Pos>,
}

/// An argument definition.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ArgumentDefinition {
    pub(crate) description: String,
    pub(crate) name: String,
    pub(crate) default_value: Option<Box<GValue>>,
    pub(crate) ty: Option<Type>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) pos: Option<Pos>,
}

/// An enum value definition.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct EnumValueDefinition {
    pub(crate) description: String,
    pub(crate) name: String,
    pub(crate) directives: Vec<Directive>,
    pub(crate) pos: Option<Pos>,
}

/// A type definition or extension (`Kind` is `OBJECT`, `INTERFACE`, ...).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Definition {
    pub(crate) kind: String,
    pub(crate) description: String,
    pub(crate) name: String,
    pub(crate) directives: Vec<Directive>,
    pub(crate) interfaces: Vec<String>,
    pub(crate) fields: Vec<FieldDefinition>,
    pub(crate) types: Vec<String>,
    pub(crate) enum_values: Vec<EnumValueDefinition>,
    pub(crate) built_in: bool,
    pub(crate) pos: Option<Pos>,
}

impl Definition {
    /// The first field with this name.
    pub(crate) fn field(&self, name: &str) -> Option<&FieldDefinition> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Scalars and enums.
    pub(crate) fn is_leaf(&self) -> bool {
        self.kind == "SCALAR" || self.kind == "ENUM"
    }

    /// Interfaces and unions.
    pub(crate) fn is_abstract(&self) -> bool {
        self.kind == "INTERFACE" || self.kind == "UNION"
    }

    /// Objects, interfaces and unions.
    pub(crate) fn is_composite(&self) -> bool {
        matches!(self.kind.as_str(), "OBJECT" | "INTERFACE" | "UNION")
    }

    /// Scalars, enums and input objects.
    pub(crate) fn is_input(&self) -> bool {
        matches!(self.kind.as_str(), "SCALAR" | "ENUM" | "INPUT_OBJECT")
    }
}

/// `directive @name(args) repeatable on LOCATIONS`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct DirectiveDefinition {
    pub(crate) description: String,
    pub(crate) name: String,
    pub(crate) arguments: Vec<ArgumentDefinition>,
    pub(crate) locations: Vec<String>,
    pub(crate) is_repeatable: bool,
    pub(crate) pos: Option<Pos>,
}

/// `query: Type` in a schema definition.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct OperationTypeDefinition {
    pub(crate) operation: String,
    pub(crate) ty: String,
    pub(crate) pos: Option<Pos>,
}

/// `schema @d { ... }` or `extend schema ...`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SchemaDefinition {
    pub(crate) description: String,
    pub(crate) directives: Vec<Directive>,
    pub(crate) operation_types: Vec<OperationTypeDefinition>,
    pub(crate) pos: Option<Pos>,
}

/// A schema document.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SchemaDocument {
    pub(crate) schema: Vec<SchemaDefinition>,
    pub(crate) schema_extension: Vec<SchemaDefinition>,
    pub(crate) directives: Vec<DirectiveDefinition>,
    pub(crate) definitions: Vec<Definition>,
    pub(crate) extensions: Vec<Definition>,
}

impl SchemaDocument {
    /// Appends every list of `other` to this document's.
    pub(crate) fn merge(&mut self, other: SchemaDocument) {
        self.schema.extend(other.schema);
        self.schema_extension.extend(other.schema_extension);
        self.directives.extend(other.directives);
        self.definitions.extend(other.definitions);
        self.extensions.extend(other.extensions);
    }
}

/// Builds an object, leaving out what OPA prunes: nulls, empty arrays, empty objects.
struct Obj(Vec<(Value, Value)>);

impl Obj {
    fn new() -> Obj {
        Obj(Vec::new())
    }

    fn put(mut self, key: &str, value: Value) -> Obj {
        let empty = match &value {
            Value::Null => true,
            v => {
                v.as_array().is_some_and(<[Value]>::is_empty)
                    || v.as_object().is_some_and(<[(Value, Value)]>::is_empty)
            }
        };
        if !empty {
            self.0.push((Value::string(key), value));
        }
        self
    }

    fn str(self, key: &str, s: &str) -> Obj {
        self.put(key, Value::string(s))
    }

    fn bool(self, key: &str, b: bool) -> Obj {
        self.put(key, Value::Bool(b))
    }

    fn done(self) -> Value {
        Value::object_from(self.0)
    }
}

fn list<T>(items: &[T], f: impl Fn(&T) -> Value) -> Value {
    Value::array(items.iter().map(f).collect())
}

fn strings(items: &[String]) -> Value {
    list(items, |s| Value::string(s))
}

fn opt<T>(item: Option<&T>, f: impl Fn(&T) -> Value) -> Value {
    item.map_or(Value::Null, f)
}

pub(crate) fn type_value(t: &Type) -> Value {
    Obj::new()
        .str("NamedType", &t.named_type)
        .put("Elem", opt(t.elem.as_deref(), type_value))
        .bool("NonNull", t.non_null)
        .done()
}

pub(crate) fn gvalue_value(v: &GValue) -> Value {
    Obj::new()
        .str("Raw", &v.raw)
        .put(
            "Children",
            list(&v.children, |c| {
                Obj::new()
                    .str("Name", &c.name)
                    .put("Value", opt(c.value.as_deref(), gvalue_value))
                    .done()
            }),
        )
        .put("Kind", Value::from_i64(v.kind))
        .bool("ExpectedTypeHasDefault", v.expected_type_has_default)
        .done()
}

fn arguments_value(args: &[Argument]) -> Value {
    list(args, |a| {
        Obj::new()
            .str("Name", &a.name)
            .put("Value", opt(a.value.as_deref(), gvalue_value))
            .done()
    })
}

fn directives_value(dirs: &[Directive]) -> Value {
    list(dirs, |d| {
        Obj::new()
            .str("Name", &d.name)
            .put("Arguments", arguments_value(&d.arguments))
            .str("Location", &d.location)
            .done()
    })
}

fn variables_value(vars: &[VariableDefinition]) -> Value {
    list(vars, |v| {
        Obj::new()
            .str("Variable", &v.variable)
            .put("Type", opt(v.ty.as_ref(), type_value))
            .put(
                "DefaultValue",
                opt(v.default_value.as_deref(), gvalue_value),
            )
            .put("Directives", directives_value(&v.directives))
            .bool("Used", v.used)
            .done()
    })
}

fn selections_value(set: &[Selection]) -> Value {
    list(set, |s| match s {
        Selection::Field(f) => Obj::new()
            .str("Alias", &f.alias)
            .str("Name", &f.name)
            .put("Arguments", arguments_value(&f.arguments))
            .put("Directives", directives_value(&f.directives))
            .put("SelectionSet", selections_value(&f.selection_set))
            .done(),
        Selection::FragmentSpread(f) => Obj::new()
            .str("Name", &f.name)
            .put("Directives", directives_value(&f.directives))
            .done(),
        Selection::InlineFragment(f) => Obj::new()
            .str("TypeCondition", &f.type_condition)
            .put("Directives", directives_value(&f.directives))
            .put("SelectionSet", selections_value(&f.selection_set))
            .done(),
    })
}

/// A query document as OPA returns it.
pub(crate) fn query_value(doc: &QueryDocument) -> Value {
    Obj::new()
        .put(
            "Operations",
            list(&doc.operations, |o| {
                Obj::new()
                    .str("Operation", &o.operation)
                    .str("Name", &o.name)
                    .put(
                        "VariableDefinitions",
                        variables_value(&o.variable_definitions),
                    )
                    .put("Directives", directives_value(&o.directives))
                    .put("SelectionSet", selections_value(&o.selection_set))
                    .done()
            }),
        )
        .put(
            "Fragments",
            list(&doc.fragments, |f| {
                Obj::new()
                    .str("Name", &f.name)
                    .put(
                        "VariableDefinition",
                        variables_value(&f.variable_definition),
                    )
                    .str("TypeCondition", &f.type_condition)
                    .put("Directives", directives_value(&f.directives))
                    .put("SelectionSet", selections_value(&f.selection_set))
                    .done()
            }),
        )
        .done()
}

fn argument_defs_value(args: &[ArgumentDefinition]) -> Value {
    list(args, |a| {
        Obj::new()
            .str("Description", &a.description)
            .str("Name", &a.name)
            .put(
                "DefaultValue",
                opt(a.default_value.as_deref(), gvalue_value),
            )
            .put("Type", opt(a.ty.as_ref(), type_value))
            .put("Directives", directives_value(&a.directives))
            .done()
    })
}

fn definitions_value(defs: &[Definition]) -> Value {
    list(defs, |d| {
        Obj::new()
            .str("Kind", &d.kind)
            .str("Description", &d.description)
            .str("Name", &d.name)
            .put("Directives", directives_value(&d.directives))
            .put("Interfaces", strings(&d.interfaces))
            .put(
                "Fields",
                list(&d.fields, |f| {
                    Obj::new()
                        .str("Description", &f.description)
                        .str("Name", &f.name)
                        .put("Arguments", argument_defs_value(&f.arguments))
                        .put(
                            "DefaultValue",
                            opt(f.default_value.as_deref(), gvalue_value),
                        )
                        .put("Type", opt(f.ty.as_ref(), type_value))
                        .put("Directives", directives_value(&f.directives))
                        .done()
                }),
            )
            .put("Types", strings(&d.types))
            .put(
                "EnumValues",
                list(&d.enum_values, |e| {
                    Obj::new()
                        .str("Description", &e.description)
                        .str("Name", &e.name)
                        .put("Directives", directives_value(&e.directives))
                        .done()
                }),
            )
            .bool("BuiltIn", d.built_in)
            .done()
    })
}

fn schema_defs_value(defs: &[SchemaDefinition]) -> Value {
    list(defs, |s| {
        Obj::new()
            .str("Description", &s.description)
            .put("Directives", directives_value(&s.directives))
            .put(
                "OperationTypes",
                list(&s.operation_types, |o| {
                    Obj::new()
                        .str("Operation", &o.operation)
                        .str("Type", &o.ty)
                        .done()
                }),
            )
            .done()
    })
}

/// A schema document as OPA returns it.
pub(crate) fn schema_value(doc: &SchemaDocument) -> Value {
    Obj::new()
        .put("Schema", schema_defs_value(&doc.schema))
        .put("SchemaExtension", schema_defs_value(&doc.schema_extension))
        .put(
            "Directives",
            list(&doc.directives, |d| {
                Obj::new()
                    .str("Description", &d.description)
                    .str("Name", &d.name)
                    .put("Arguments", argument_defs_value(&d.arguments))
                    .put("Locations", strings(&d.locations))
                    .bool("IsRepeatable", d.is_repeatable)
                    .done()
            }),
        )
        .put("Definitions", definitions_value(&doc.definitions))
        .put("Extensions", definitions_value(&doc.extensions))
        .done()
}
