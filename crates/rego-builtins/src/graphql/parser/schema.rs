//! The schema half of the GraphQL parser: type, directive and schema definitions and their
//! extensions.

use super::super::ast::*;
use super::super::lexer::Kind;
use super::{PResult, Parser, error_at};

/// The locations a directive definition may name.
const DIRECTIVE_LOCATIONS: &[&str] = &[
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
];

impl Parser<'_> {
    pub(super) fn parse_schema_document(&mut self) -> PResult<SchemaDocument> {
        let mut doc = SchemaDocument::default();
        while self.peek_kind() != Kind::Eof {
            let description = self.parse_description()?;
            if self.peek_kind() != Kind::Name {
                return self.unexpected();
            }
            match self.peek().value.as_str() {
                "scalar" | "type" | "interface" | "union" | "enum" | "input" => {
                    doc.definitions
                        .push(self.parse_type_definition(description)?);
                }
                "schema" => {
                    self.expect_keyword("schema")?;
                    let pos = self.peek_pos();
                    let directives = self.parse_directives(true)?;
                    let operation_types = self.parse_operation_types()?;
                    doc.schema.push(SchemaDefinition {
                        description,
                        directives,
                        operation_types,
                        pos,
                    });
                }
                "directive" => doc
                    .directives
                    .push(self.parse_directive_definition(description)?),
                "extend" => {
                    if !description.is_empty() {
                        let prev = self.prev.clone().unwrap_or_else(|| self.peek().clone());
                        return Err(error_at(&prev, format!("Unexpected {prev}")));
                    }
                    self.parse_extension(&mut doc)?;
                }
                _ => return self.unexpected(),
            }
        }
        Ok(doc)
    }

    fn parse_description(&mut self) -> PResult<String> {
        if matches!(self.peek_kind(), Kind::BlockString | Kind::String) {
            return Ok(self.next()?.value);
        }
        Ok(String::new())
    }

    fn parse_operation_types(&mut self) -> PResult<Vec<OperationTypeDefinition>> {
        self.some(Kind::BraceL, Kind::BraceR, |p| {
            let pos = p.peek_pos();
            let operation = p.parse_operation_type()?;
            p.expect(Kind::Colon)?;
            Ok(OperationTypeDefinition {
                operation,
                ty: p.parse_name()?,
                pos,
            })
        })
    }

    /// The shared start of a type definition or extension: keyword, then name.
    fn start_definition(&mut self, keyword: &str, kind: &str) -> PResult<Definition> {
        self.expect_keyword(keyword)?;
        let pos = self.peek_pos();
        Ok(Definition {
            kind: kind.to_string(),
            name: self.parse_name()?,
            pos,
            ..Definition::default()
        })
    }

    fn parse_type_definition(&mut self, description: String) -> PResult<Definition> {
        let keyword = self.peek().value.clone();
        let mut def = match keyword.as_str() {
            "scalar" => {
                let mut d = self.start_definition("scalar", "SCALAR")?;
                d.directives = self.parse_directives(true)?;
                d
            }
            "type" | "interface" => {
                let kind = if keyword == "type" {
                    "OBJECT"
                } else {
                    "INTERFACE"
                };
                let mut d = self.start_definition(&keyword, kind)?;
                d.interfaces = self.parse_implements()?;
                d.directives = self.parse_directives(true)?;
                d.fields = self.parse_fields()?;
                d
            }
            "union" => {
                let mut d = self.start_definition("union", "UNION")?;
                d.directives = self.parse_directives(true)?;
                d.types = self.parse_union_members()?;
                d
            }
            "enum" => {
                let mut d = self.start_definition("enum", "ENUM")?;
                d.directives = self.parse_directives(true)?;
                d.enum_values = self.parse_enum_values()?;
                d
            }
            "input" => {
                let mut d = self.start_definition("input", "INPUT_OBJECT")?;
                d.directives = self.parse_directives(true)?;
                d.fields = self.parse_input_fields()?;
                d
            }
            _ => return self.unexpected(),
        };
        def.description = description;
        Ok(def)
    }

    fn parse_implements(&mut self) -> PResult<Vec<String>> {
        let mut types = Vec::new();
        if self.peek_is_value("implements") {
            self.next()?;
            self.skip(Kind::Amp)?;
            types.push(self.parse_name()?);
            while self.skip(Kind::Amp)? {
                types.push(self.parse_name()?);
            }
        }
        Ok(types)
    }

    fn parse_fields(&mut self) -> PResult<Vec<FieldDefinition>> {
        self.some(Kind::BraceL, Kind::BraceR, |p| {
            let pos = p.peek_pos();
            let description = p.parse_description()?;
            let name = p.parse_name()?;
            let arguments = p.parse_argument_defs()?;
            p.expect(Kind::Colon)?;
            Ok(FieldDefinition {
                description,
                name,
                arguments,
                default_value: None,
                ty: Some(p.parse_type_reference()?),
                directives: p.parse_directives(true)?,
                pos,
            })
        })
    }

    fn parse_argument_defs(&mut self) -> PResult<Vec<ArgumentDefinition>> {
        self.some(Kind::ParenL, Kind::ParenR, |p| {
            let f = p.parse_input_value()?;
            Ok(ArgumentDefinition {
                description: f.description,
                name: f.name,
                default_value: f.default_value,
                ty: f.ty,
                directives: f.directives,
                pos: f.pos,
            })
        })
    }

    fn parse_input_value(&mut self) -> PResult<FieldDefinition> {
        let pos = self.peek_pos();
        let description = self.parse_description()?;
        let name = self.parse_name()?;
        self.expect(Kind::Colon)?;
        let ty = Some(self.parse_type_reference()?);
        let mut default_value = None;
        if self.skip(Kind::Equals)? {
            default_value = Some(Box::new(self.parse_value_literal(true)?));
        }
        Ok(FieldDefinition {
            description,
            name,
            arguments: Vec::new(),
            default_value,
            ty,
            directives: self.parse_directives(true)?,
            pos,
        })
    }

    fn parse_input_fields(&mut self) -> PResult<Vec<FieldDefinition>> {
        self.some(Kind::BraceL, Kind::BraceR, Self::parse_input_value)
    }

    fn parse_union_members(&mut self) -> PResult<Vec<String>> {
        let mut types = Vec::new();
        if self.skip(Kind::Equals)? {
            self.skip(Kind::Pipe)?;
            types.push(self.parse_name()?);
            while self.skip(Kind::Pipe)? {
                types.push(self.parse_name()?);
            }
        }
        Ok(types)
    }

    fn parse_enum_values(&mut self) -> PResult<Vec<EnumValueDefinition>> {
        self.some(Kind::BraceL, Kind::BraceR, |p| {
            let pos = p.peek_pos();
            Ok(EnumValueDefinition {
                description: p.parse_description()?,
                name: p.parse_name()?,
                directives: p.parse_directives(true)?,
                pos,
            })
        })
    }

    fn parse_extension(&mut self, doc: &mut SchemaDocument) -> PResult<()> {
        self.expect_keyword("extend")?;
        let keyword = self.peek().value.clone();
        let def = match keyword.as_str() {
            "schema" => {
                self.expect_keyword("schema")?;
                let pos = self.peek_pos();
                let directives = self.parse_directives(true)?;
                let operation_types = self.parse_operation_types()?;
                if directives.is_empty() && operation_types.is_empty() {
                    return self.unexpected();
                }
                doc.schema_extension.push(SchemaDefinition {
                    description: String::new(),
                    directives,
                    operation_types,
                    pos,
                });
                return Ok(());
            }
            "scalar" => {
                let mut d = self.start_definition("scalar", "SCALAR")?;
                d.directives = self.parse_directives(true)?;
                d
            }
            "type" => {
                let mut d = self.start_definition("type", "OBJECT")?;
                d.interfaces = self.parse_implements()?;
                d.directives = self.parse_directives(true)?;
                d.fields = self.parse_fields()?;
                d
            }
            "interface" => {
                let mut d = self.start_definition("interface", "INTERFACE")?;
                d.directives = self.parse_directives(true)?;
                d.fields = self.parse_fields()?;
                d
            }
            "union" => {
                let mut d = self.start_definition("union", "UNION")?;
                d.directives = self.parse_directives(true)?;
                d.types = self.parse_union_members()?;
                d
            }
            "enum" => {
                let mut d = self.start_definition("enum", "ENUM")?;
                d.directives = self.parse_directives(true)?;
                d.enum_values = self.parse_enum_values()?;
                d
            }
            "input" => {
                let mut d = self.start_definition("input", "INPUT_OBJECT")?;
                d.directives = self.parse_directives(false)?;
                d.fields = self.parse_input_fields()?;
                d
            }
            _ => return self.unexpected(),
        };
        if def.interfaces.is_empty()
            && def.directives.is_empty()
            && def.fields.is_empty()
            && def.types.is_empty()
            && def.enum_values.is_empty()
        {
            return self.unexpected();
        }
        doc.extensions.push(def);
        Ok(())
    }

    fn parse_directive_definition(&mut self, description: String) -> PResult<DirectiveDefinition> {
        self.expect_keyword("directive")?;
        self.expect(Kind::At)?;
        let pos = self.peek_pos();
        let name = self.parse_name()?;
        let arguments = self.parse_argument_defs()?;
        let mut is_repeatable = false;
        if self.peek_kind() == Kind::Name && self.peek_is_value("repeatable") {
            is_repeatable = true;
            self.next()?;
        }
        self.expect_keyword("on")?;
        self.skip(Kind::Pipe)?;
        let mut locations = vec![self.parse_directive_location()?];
        while self.skip(Kind::Pipe)? {
            locations.push(self.parse_directive_location()?);
        }
        Ok(DirectiveDefinition {
            description,
            name,
            arguments,
            locations,
            is_repeatable,
            pos,
        })
    }

    fn parse_directive_location(&mut self) -> PResult<String> {
        let tok = self.expect(Kind::Name)?;
        if DIRECTIVE_LOCATIONS.contains(&tok.value.as_str()) {
            return Ok(tok.value);
        }
        Err(error_at(&tok, format!("Unexpected {tok}")))
    }
}
