//! A recursive-descent parser for GraphQL queries and schemas that accepts what gqlparser
//! (the Go library OPA embeds) accepts and fails with its messages and positions.

use super::ast::*;
use super::lexer::{Kind, Lexer, Token, go_quote};

mod schema;

/// A syntax error at a position.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ParseError {
    pub(crate) message: String,
    pub(crate) line: u32,
    pub(crate) column: i64,
}

type PResult<T> = Result<T, ParseError>;

fn error_at(tok: &Token, message: String) -> ParseError {
    ParseError {
        message,
        line: tok.line,
        column: tok.column,
    }
}

fn pos_of(tok: &Token) -> Option<Pos> {
    Some(Pos {
        line: tok.line,
        column: tok.column,
    })
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    prev: Option<Token>,
    depth: usize,
}

/// How deeply selections, values and types may nest (gqlparser has no limit; this keeps
/// absurd inputs from exhausting the stack).
const MAX_DEPTH: usize = 200;

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Parser<'a> {
        Parser {
            lexer: Lexer::new(input),
            peeked: None,
            prev: None,
            depth: 0,
        }
    }

    /// Runs `f` one nesting level deeper, failing past `MAX_DEPTH`.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            let tok = self.peek();
            return Err(error_at(tok, "Document is nested too deeply".to_string()));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn peek(&mut self) -> &Token {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.read_token());
        }
        self.peeked.as_ref().expect("just filled")
    }

    fn peek_kind(&mut self) -> Kind {
        self.peek().kind
    }

    fn peek_is_value(&mut self, value: &str) -> bool {
        self.peek().value == value
    }

    fn peek_pos(&mut self) -> Option<Pos> {
        pos_of(self.peek())
    }

    /// Consumes the next token; consuming a malformed token is the lexer's error.
    fn next(&mut self) -> PResult<Token> {
        let tok = match self.peeked.take() {
            Some(t) => t,
            None => self.lexer.read_token(),
        };
        if let Some(message) = &tok.error {
            return Err(error_at(&tok, message.clone()));
        }
        self.prev = Some(tok.clone());
        Ok(tok)
    }

    fn unexpected<T>(&mut self) -> PResult<T> {
        let tok = self.peek();
        Err(error_at(tok, format!("Unexpected {tok}")))
    }

    fn expect(&mut self, kind: Kind) -> PResult<Token> {
        let tok = self.peek();
        if tok.kind == kind {
            return self.next();
        }
        Err(error_at(
            tok,
            format!("Expected {kind}, found {}", tok.kind),
        ))
    }

    fn expect_keyword(&mut self, value: &str) -> PResult<Token> {
        let tok = self.peek();
        if tok.kind == Kind::Name && tok.value == value {
            return self.next();
        }
        Err(error_at(
            tok,
            format!("Expected {}, found {tok}", go_quote(value)),
        ))
    }

    fn skip(&mut self, kind: Kind) -> PResult<bool> {
        if self.peek_kind() != kind {
            return Ok(false);
        }
        self.next()?;
        Ok(true)
    }

    /// `start item* end`; nothing when `start` is absent.
    fn many<T>(
        &mut self,
        start: Kind,
        end: Kind,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        let mut out = Vec::new();
        if !self.skip(start)? {
            return Ok(out);
        }
        while self.peek_kind() != end {
            out.push(item(self)?);
        }
        self.next()?;
        Ok(out)
    }

    /// `start item+ end`; nothing when `start` is absent.
    fn some<T>(
        &mut self,
        start: Kind,
        end: Kind,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        let mut out = Vec::new();
        if !self.skip(start)? {
            return Ok(out);
        }
        while self.peek_kind() != end {
            out.push(item(self)?);
        }
        if out.is_empty() {
            let tok = self.peek();
            return Err(error_at(
                tok,
                format!("expected at least one definition, found {}", tok.kind),
            ));
        }
        self.next()?;
        Ok(out)
    }

    fn parse_name(&mut self) -> PResult<String> {
        Ok(self.expect(Kind::Name)?.value)
    }

    // ---- queries ----

    fn parse_query_document(&mut self) -> PResult<QueryDocument> {
        let mut doc = QueryDocument::default();
        while self.peek_kind() != Kind::Eof {
            match self.peek_kind() {
                Kind::Name => match self.peek().value.as_str() {
                    "query" | "mutation" | "subscription" => {
                        doc.operations.push(self.parse_operation_definition()?);
                    }
                    "fragment" => doc.fragments.push(self.parse_fragment_definition()?),
                    _ => return self.unexpected(),
                },
                Kind::BraceL => doc.operations.push(self.parse_operation_definition()?),
                _ => return self.unexpected(),
            }
        }
        Ok(doc)
    }

    fn parse_operation_definition(&mut self) -> PResult<OperationDefinition> {
        let pos = self.peek_pos();
        if self.peek_kind() == Kind::BraceL {
            return Ok(OperationDefinition {
                pos,
                operation: "query".to_string(),
                selection_set: self.parse_required_selection_set()?,
                ..OperationDefinition::default()
            });
        }
        let operation = self.parse_operation_type()?;
        let mut name = String::new();
        if self.peek_kind() == Kind::Name {
            name = self.next()?.value;
        }
        Ok(OperationDefinition {
            pos,
            operation,
            name,
            variable_definitions: self.parse_variable_definitions()?,
            directives: self.parse_directives(false)?,
            selection_set: self.parse_required_selection_set()?,
        })
    }

    fn parse_operation_type(&mut self) -> PResult<String> {
        let tok = self.next()?;
        match tok.value.as_str() {
            "query" | "mutation" | "subscription" => Ok(tok.value),
            _ => Err(error_at(&tok, format!("Unexpected {tok}"))),
        }
    }

    fn parse_variable_definitions(&mut self) -> PResult<Vec<VariableDefinition>> {
        self.many(Kind::ParenL, Kind::ParenR, |p| {
            let pos = p.peek_pos();
            let variable = p.parse_variable()?;
            p.expect(Kind::Colon)?;
            let ty = p.parse_type_reference()?;
            let mut default_value = None;
            if p.skip(Kind::Equals)? {
                default_value = Some(Box::new(p.parse_value_literal(true)?));
            }
            Ok(VariableDefinition {
                pos,
                variable,
                ty: Some(ty),
                default_value,
                directives: p.parse_directives(false)?,
                used: false,
            })
        })
    }

    fn parse_variable(&mut self) -> PResult<String> {
        self.expect(Kind::Dollar)?;
        self.parse_name()
    }

    fn parse_required_selection_set(&mut self) -> PResult<Vec<Selection>> {
        if self.peek_kind() != Kind::BraceL {
            let tok = self.peek();
            return Err(error_at(
                tok,
                format!("Expected {}, found {}", Kind::BraceL, tok.kind),
            ));
        }
        self.some(Kind::BraceL, Kind::BraceR, Self::parse_selection)
    }

    fn parse_selection(&mut self) -> PResult<Selection> {
        self.nested(Self::parse_selection_inner)
    }

    fn parse_selection_inner(&mut self) -> PResult<Selection> {
        if self.peek_kind() == Kind::Spread {
            return self.parse_fragment();
        }
        let pos = self.peek_pos();
        let alias = self.parse_name()?;
        let name = if self.skip(Kind::Colon)? {
            self.parse_name()?
        } else {
            alias.clone()
        };
        let arguments = self.parse_arguments(false)?;
        let directives = self.parse_directives(false)?;
        let mut selection_set = Vec::new();
        if self.peek_kind() == Kind::BraceL {
            selection_set = self.some(Kind::BraceL, Kind::BraceR, Self::parse_selection)?;
        }
        Ok(Selection::Field(Field {
            alias,
            name,
            arguments,
            directives,
            selection_set,
            pos,
        }))
    }

    fn parse_arguments(&mut self, is_const: bool) -> PResult<Vec<Argument>> {
        self.many(Kind::ParenL, Kind::ParenR, |p| {
            let pos = p.peek_pos();
            let name = p.parse_name()?;
            p.expect(Kind::Colon)?;
            let value = Some(Box::new(p.parse_value_literal(is_const)?));
            Ok(Argument { name, value, pos })
        })
    }

    fn parse_fragment(&mut self) -> PResult<Selection> {
        self.expect(Kind::Spread)?;
        let pos = self.peek_pos();
        if self.peek_kind() == Kind::Name && !self.peek_is_value("on") {
            let name = self.parse_fragment_name()?;
            return Ok(Selection::FragmentSpread(FragmentSpread {
                name,
                directives: self.parse_directives(false)?,
                pos,
            }));
        }
        let mut type_condition = String::new();
        if self.peek_is_value("on") {
            self.next()?;
            type_condition = self.parse_name()?;
        }
        Ok(Selection::InlineFragment(InlineFragment {
            type_condition,
            directives: self.parse_directives(false)?,
            selection_set: self.parse_required_selection_set()?,
            pos,
        }))
    }

    fn parse_fragment_definition(&mut self) -> PResult<FragmentDefinition> {
        let pos = self.peek_pos();
        self.expect_keyword("fragment")?;
        let name = self.parse_fragment_name()?;
        let variable_definition = self.parse_variable_definitions()?;
        self.expect_keyword("on")?;
        Ok(FragmentDefinition {
            name,
            variable_definition,
            type_condition: self.parse_name()?,
            directives: self.parse_directives(false)?,
            selection_set: self.parse_required_selection_set()?,
            pos,
        })
    }

    fn parse_fragment_name(&mut self) -> PResult<String> {
        if self.peek_is_value("on") {
            return self.unexpected();
        }
        self.parse_name()
    }

    fn parse_value_literal(&mut self, is_const: bool) -> PResult<GValue> {
        self.nested(|p| p.parse_value_inner(is_const))
    }

    fn parse_value_inner(&mut self, is_const: bool) -> PResult<GValue> {
        let tok = self.peek().clone();
        let pos = pos_of(&tok);
        let kind = match tok.kind {
            Kind::BracketL => {
                let children = self.many(Kind::BracketL, Kind::BracketR, |p| {
                    Ok(ChildValue {
                        value: Some(Box::new(p.parse_value_literal(is_const)?)),
                        ..ChildValue::default()
                    })
                })?;
                return Ok(GValue {
                    children,
                    kind: kind::LIST,
                    pos,
                    ..GValue::default()
                });
            }
            Kind::BraceL => {
                let children = self.many(Kind::BraceL, Kind::BraceR, |p| {
                    let pos = p.peek_pos();
                    let name = p.parse_name()?;
                    p.expect(Kind::Colon)?;
                    let value = Some(Box::new(p.parse_value_literal(is_const)?));
                    Ok(ChildValue { name, value, pos })
                })?;
                return Ok(GValue {
                    children,
                    kind: kind::OBJECT,
                    pos,
                    ..GValue::default()
                });
            }
            Kind::Dollar => {
                if is_const {
                    return self.unexpected();
                }
                return Ok(GValue {
                    raw: self.parse_variable()?,
                    kind: kind::VARIABLE,
                    pos,
                    ..GValue::default()
                });
            }
            Kind::Int => kind::INT,
            Kind::Float => kind::FLOAT,
            Kind::String => kind::STRING,
            Kind::BlockString => kind::BLOCK,
            Kind::Name => match tok.value.as_str() {
                "true" | "false" => kind::BOOLEAN,
                "null" => kind::NULL,
                _ => kind::ENUM,
            },
            _ => return self.unexpected(),
        };
        self.next()?;
        Ok(GValue {
            raw: tok.value,
            kind,
            pos,
            ..GValue::default()
        })
    }

    fn parse_directives(&mut self, is_const: bool) -> PResult<Vec<Directive>> {
        let mut out = Vec::new();
        while self.peek_kind() == Kind::At {
            self.expect(Kind::At)?;
            let pos = self.peek_pos();
            let name = self.parse_name()?;
            out.push(Directive {
                name,
                arguments: self.parse_arguments(is_const)?,
                location: String::new(),
                pos,
            });
        }
        Ok(out)
    }

    fn parse_type_reference(&mut self) -> PResult<Type> {
        self.nested(Self::parse_type_inner)
    }

    fn parse_type_inner(&mut self) -> PResult<Type> {
        let mut ty = Type::default();
        if self.skip(Kind::BracketL)? {
            ty.pos = self.peek_pos();
            ty.elem = Some(Box::new(self.parse_type_reference()?));
            self.expect(Kind::BracketR)?;
        } else {
            ty.pos = self.peek_pos();
            ty.named_type = self.parse_name()?;
        }
        if self.skip(Kind::Bang)? {
            ty.pos = self.peek_pos();
            ty.non_null = true;
        }
        Ok(ty)
    }
}

/// Parses a query document.
pub(crate) fn parse_query(input: &str) -> Result<QueryDocument, ParseError> {
    Parser::new(input).parse_query_document()
}

/// Parses a schema document; `built_in` marks its type definitions as built in.
pub(crate) fn parse_schema(input: &str, built_in: bool) -> Result<SchemaDocument, ParseError> {
    let mut doc = Parser::new(input).parse_schema_document()?;
    for def in doc.definitions.iter_mut().chain(doc.extensions.iter_mut()) {
        def.built_in = built_in;
    }
    Ok(doc)
}
