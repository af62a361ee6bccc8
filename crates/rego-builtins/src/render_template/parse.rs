//! The parser of Go's `text/template`: actions, pipelines, `if`/`range`/`with` (with
//! `else`, `else if`, `else with`), `define`/`template`/`block`, `break`/`continue`, and
//! Go's checks on variables and function names.

use std::collections::HashMap;
use std::fmt;

use super::lex::{Item, Kind, lex};

/// The functions a template may call.
pub(super) const FUNCTIONS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Nesting beyond this is refused (Go's limit is larger, but this keeps the stack safe).
const MAX_DEPTH: usize = 1000;

/// A number literal: Go keeps it untyped until it is used.
#[derive(Clone, Debug)]
pub(super) enum Num {
    Int(i64),
    Float(f64),
    /// An integer beyond `int`, an error when evaluated.
    TooBig,
}

#[derive(Clone, Debug)]
pub(super) enum Arg {
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    Variable {
        pos: usize,
        idents: Vec<String>,
    },
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number {
        pos: usize,
        text: String,
        num: Num,
    },
    Str {
        pos: usize,
        quoted: String,
        text: String,
    },
    Identifier {
        pos: usize,
        name: String,
    },
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    Pipe(Box<Pipe>),
}

impl Arg {
    pub(super) fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::Number { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { idents, .. } => f.write_str(&idents.join(".")),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number { text, .. } => f.write_str(text),
            Arg::Str { quoted, .. } => f.write_str(quoted),
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Arg::Pipe(p) => write!(f, "({p})")?,
                    other => write!(f, "{other}")?,
                }
                for field in fields {
                    write!(f, ".{field}")?;
                }
                Ok(())
            }
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Command {
    pub(super) pos: usize,
    pub(super) args: Vec<Arg>,
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match arg {
                Arg::Pipe(p) => write!(f, "({p})")?,
                other => write!(f, "{other}")?,
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub(super) struct Pipe {
    pub(super) pos: usize,
    pub(super) is_assign: bool,
    pub(super) decl: Vec<String>,
    pub(super) cmds: Vec<Command>,
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub(super) enum Node {
    Text(String),
    Action(Pipe),
    If(Pipe, Vec<Node>, Option<Vec<Node>>),
    Range(Pipe, Vec<Node>, Option<Vec<Node>>),
    With(Pipe, Vec<Node>, Option<Vec<Node>>),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

/// A parsed template: the main list and the `define`d templates.
pub(super) struct Templates {
    pub(super) root: Vec<Node>,
    pub(super) defined: HashMap<String, Vec<Node>>,
}

/// What ended an item list.
enum Stop {
    End,
    Else,
}

struct Parser {
    items: Vec<Item>,
    i: usize,
    vars: Vec<String>,
    range_depth: usize,
    depth: usize,
    defined: HashMap<String, Vec<Node>>,
}

type Result<T> = std::result::Result<T, String>;

/// Parses template text; errors are Go's (`template: template:1: ...`).
pub(super) fn parse(text: &str) -> Result<Templates> {
    let mut p = Parser {
        items: lex(text),
        i: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        depth: 0,
        defined: HashMap::new(),
    };
    let mut root = Vec::new();
    while p.peek().kind != Kind::Eof {
        if p.peek().kind == Kind::LeftDelim {
            let save = p.i;
            p.next();
            if p.next_non_space().kind == Kind::Define {
                p.definition()?;
                continue;
            }
            p.i = save;
        }
        match p.text_or_action()? {
            (_, Some(Stop::End)) => return Err(p.error("unexpected {{end}}")),
            (_, Some(Stop::Else)) => return Err(p.error("unexpected {{else}}")),
            (Some(n), None) => root.push(n),
            (None, None) => {}
        }
    }
    if let Some(item) = p.items.iter().find(|i| i.kind == Kind::Error) {
        return Err(format!("template: template:{}: {}", item.line, item.val));
    }
    Ok(Templates {
        root,
        defined: p.defined,
    })
}

impl Parser {
    fn peek(&self) -> &Item {
        &self.items[self.i.min(self.items.len() - 1)]
    }

    fn next(&mut self) -> Item {
        let item = self.peek().clone();
        self.i += 1;
        item
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let item = self.next();
            if item.kind != Kind::Space {
                return item;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let item = self.next_non_space();
        self.i -= 1;
        item
    }

    fn line(&self) -> usize {
        self.items[self.i.saturating_sub(1).min(self.items.len() - 1)].line
    }

    fn error(&self, message: &str) -> String {
        format!("template: template:{}: {}", self.line(), message)
    }

    fn unexpected(&self, item: &Item, context: &str) -> String {
        if item.kind == Kind::Error {
            return self.error(&item.val);
        }
        self.error(&format!("unexpected {item} in {context}"))
    }

    fn expect(&mut self, kind: Kind, context: &str) -> Result<Item> {
        let item = self.next_non_space();
        if item.kind != kind {
            return Err(self.unexpected(&item, context));
        }
        Ok(item)
    }

    /// A text node, an action, or the end/else that stops a list.
    fn text_or_action(&mut self) -> Result<(Option<Node>, Option<Stop>)> {
        let item = self.next_non_space();
        match item.kind {
            Kind::Text => Ok((Some(Node::Text(item.val)), None)),
            Kind::LeftDelim => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error("max expression depth exceeded"));
                }
                let r = self.action();
                self.depth -= 1;
                r
            }
            _ => Err(self.unexpected(&item, "input")),
        }
    }

    fn action(&mut self) -> Result<(Option<Node>, Option<Stop>)> {
        let item = self.next_non_space();
        let node = match item.kind {
            Kind::Block => self.block()?,
            Kind::Break | Kind::Continue => {
                if self.range_depth == 0 {
                    return Err(self.error(&format!("{{{{{}}}}} outside {{{{range}}}}", item.val)));
                }
                self.expect(Kind::RightDelim, &item.val)?;
                if item.kind == Kind::Break {
                    Node::Break
                } else {
                    Node::Continue
                }
            }
            Kind::Else => {
                // `{{else if ...` and `{{else with ...` leave the keyword for the caller.
                let next = self.peek_non_space();
                if next.kind != Kind::If && next.kind != Kind::With {
                    self.expect(Kind::RightDelim, "else")?;
                }
                return Ok((None, Some(Stop::Else)));
            }
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok((None, Some(Stop::End)));
            }
            Kind::If => self.control("if")?,
            Kind::Range => self.control("range")?,
            Kind::With => self.control("with")?,
            Kind::Template => self.template()?,
            _ => {
                self.i -= 1;
                Node::Action(self.pipeline("command", Kind::RightDelim)?)
            }
        };
        Ok((Some(node), None))
    }

    /// Nodes up to the `{{end}}` or `{{else}}` that closes them.
    fn item_list(&mut self) -> Result<(Vec<Node>, Stop)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                (_, Some(stop)) => return Ok((list, stop)),
                (Some(n), None) => list.push(n),
                (None, None) => {}
            }
        }
        if let Some(item) = self.items.iter().find(|i| i.kind == Kind::Error) {
            return Err(format!("template: template:{}: {}", item.line, item.val));
        }
        Err(format!(
            "template: template:{}: unexpected EOF",
            self.peek().line
        ))
    }

    fn control(&mut self, context: &str) -> Result<Node> {
        let mark = self.vars.len();
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, stop) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Stop::Else = stop {
            let next = self.peek_non_space().kind;
            if context == "if" && next == Kind::If {
                self.next_non_space();
                else_list = Some(vec![self.control("if")?]);
            } else if context == "with" && next == Kind::With {
                self.next_non_space();
                else_list = Some(vec![self.control("with")?]);
            } else {
                let (list, stop) = self.item_list()?;
                if let Stop::Else = stop {
                    return Err(self.error("expected end; found {{else}}"));
                }
                else_list = Some(list);
            }
        }
        self.vars.truncate(mark);
        Ok(match context {
            "if" => Node::If(pipe, list, else_list),
            "range" => Node::Range(pipe, list, else_list),
            _ => Node::With(pipe, list, else_list),
        })
    }

    fn template_name(&mut self, context: &str) -> Result<(usize, String)> {
        let item = self.next_non_space();
        match item.kind {
            Kind::String | Kind::RawString => {
                Ok((item.pos, unquote(&item.val).map_err(|e| self.error(&e))?))
            }
            _ => Err(self.unexpected(&item, context)),
        }
    }

    fn template(&mut self) -> Result<Node> {
        let (pos, name) = self.template_name("template clause")?;
        let pipe = if self.next_non_space().kind != Kind::RightDelim {
            self.i -= 1;
            Some(self.pipeline("template clause", Kind::RightDelim)?)
        } else {
            None
        };
        Ok(Node::Template { pos, name, pipe })
    }

    /// `{{block "name" pipeline}} body {{end}}`: defines `name` and runs it.
    fn block(&mut self) -> Result<Node> {
        let (pos, name) = self.template_name("block clause")?;
        let pipe = self.pipeline("block clause", Kind::RightDelim)?;
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (body, stop) = self.item_list()?;
        self.vars = vars;
        if let Stop::Else = stop {
            return Err(self.error("unexpected {{else}} in block clause"));
        }
        self.define(name.clone(), body)?;
        Ok(Node::Template {
            pos,
            name,
            pipe: Some(pipe),
        })
    }

    /// `{{define "name"}} body {{end}}` (the `{{define` already read).
    fn definition(&mut self) -> Result<()> {
        let (_, name) = self.template_name("define clause")?;
        self.expect(Kind::RightDelim, "define clause")?;
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (body, stop) = self.item_list()?;
        self.vars = vars;
        if let Stop::Else = stop {
            return Err(self.error("unexpected {{else}} in define clause"));
        }
        self.define(name, body)
    }

    fn define(&mut self, name: String, body: Vec<Node>) -> Result<()> {
        let empty = body
            .iter()
            .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty()));
        match self.defined.get(&name) {
            Some(old)
                if !empty
                    && !old
                        .iter()
                        .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty())) =>
            {
                Err(self.error(&format!(
                    "template: multiple definition of template {}",
                    crate::sprintf::go_quote(&name, false)
                )))
            }
            Some(_) if empty => Ok(()),
            _ => {
                self.defined.insert(name, body);
                Ok(())
            }
        }
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> Result<Pipe> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("max expression depth exceeded"));
        }
        let r = self.pipeline_inner(context, end);
        self.depth -= 1;
        r
    }

    fn pipeline_inner(&mut self, context: &str, end: Kind) -> Result<Pipe> {
        let mut pipe = Pipe {
            pos: self.peek_non_space().pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let save = self.i;
            self.next_non_space();
            let next = self.peek_non_space();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    break;
                }
                Kind::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                            _ => return Err(self.error("range can only initialize variables")),
                        }
                    }
                    return Err(self.error(&format!("too many declarations in {context}")));
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
        }
        loop {
            let item = self.next_non_space();
            match item.kind {
                k if k == end => {
                    if pipe.cmds.is_empty() {
                        return Err(self.error(&format!("missing value for {context}")));
                    }
                    for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                        if matches!(
                            c.args[0],
                            Arg::Bool(..)
                                | Arg::Dot(_)
                                | Arg::Nil(_)
                                | Arg::Number { .. }
                                | Arg::Str { .. }
                        ) {
                            return Err(self.error(&format!(
                                "non executable command in pipeline stage {}",
                                i + 1
                            )));
                        }
                    }
                    return Ok(pipe);
                }
                Kind::Bool
                | Kind::CharConstant
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.i -= 1;
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return Err(self.unexpected(&item, context)),
            }
        }
    }

    fn command(&mut self) -> Result<Command> {
        let mut cmd = Command {
            pos: self.peek_non_space().pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let item = self.next();
            match item.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.i -= 1,
                Kind::Pipe => {}
                _ => return Err(self.unexpected(&item, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.error("empty command"));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> Result<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            fields.push(self.next().val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field { pos, idents }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable { pos, idents }
            }
            Arg::Bool(..) | Arg::Str { .. } | Arg::Number { .. } | Arg::Nil(_) | Arg::Dot(_) => {
                let text = crate::sprintf::go_quote(&node.to_string(), false);
                return Err(self.error(&format!("unexpected . after term {text}")));
            }
            other => Arg::Chain {
                pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> Result<Option<Arg>> {
        let item = self.next_non_space();
        let pos = item.pos;
        Ok(Some(match item.kind {
            Kind::Identifier => {
                if !FUNCTIONS.contains(&item.val.as_str()) {
                    let name = crate::sprintf::go_quote(&item.val, false);
                    return Err(self.error(&format!("function {name} not defined")));
                }
                Arg::Identifier {
                    pos,
                    name: item.val,
                }
            }
            Kind::Dot => Arg::Dot(pos),
            Kind::Nil => Arg::Nil(pos),
            Kind::Variable => {
                let idents: Vec<String> = item.val.split('.').map(str::to_string).collect();
                if !self.vars.contains(&idents[0]) {
                    let name = crate::sprintf::go_quote(&idents[0], false);
                    return Err(self.error(&format!("undefined variable {name}")));
                }
                Arg::Variable { pos, idents }
            }
            Kind::Field => Arg::Field {
                pos,
                idents: vec![item.val[1..].to_string()],
            },
            Kind::Bool => Arg::Bool(pos, item.val == "true"),
            Kind::CharConstant | Kind::Number => {
                let num = number(&item.val, item.kind).map_err(|e| self.error(&e))?;
                Arg::Number {
                    pos,
                    text: item.val,
                    num,
                }
            }
            Kind::LeftParen => Arg::Pipe(Box::new(
                self.pipeline("parenthesized pipeline", Kind::RightParen)?,
            )),
            Kind::String | Kind::RawString => {
                let text = unquote(&item.val).map_err(|e| self.error(&e))?;
                Arg::Str {
                    pos,
                    quoted: item.val,
                    text,
                }
            }
            _ => {
                self.i -= 1;
                return Ok(None);
            }
        }))
    }
}

/// Go's `strconv.Unquote` for `"..."`, `` `...` `` and `'.'` literals.
fn unquote(lit: &str) -> std::result::Result<String, String> {
    let bad = || "invalid syntax".to_string();
    if let Some(raw) = lit.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Ok(raw.replace('\r', ""));
    }
    let quote = lit.chars().next().ok_or_else(bad)?;
    let body = lit
        .strip_prefix(quote)
        .and_then(|s| s.strip_suffix(quote))
        .ok_or_else(bad)?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or_else(bad)?;
        let mut hex = |n: usize| -> std::result::Result<u32, String> {
            let digits: String = (0..n).filter_map(|_| chars.next()).collect();
            if digits.len() != n {
                return Err(bad());
            }
            u32::from_str_radix(&digits, 16).map_err(|_| bad())
        };
        let ch = match e {
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            '\\' => '\\',
            '\'' if quote == '\'' => '\'',
            '"' if quote == '"' => '"',
            'x' => char::from_u32(hex(2)?).ok_or_else(bad)?,
            'u' => char::from_u32(hex(4)?).ok_or_else(bad)?,
            'U' => char::from_u32(hex(8)?).ok_or_else(bad)?,
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    let d = chars.next().and_then(|d| d.to_digit(8)).ok_or_else(bad)?;
                    v = v * 8 + d;
                }
                char::from_u32(v).filter(|_| v < 256).ok_or_else(bad)?
            }
            _ => return Err(bad()),
        };
        out.push(ch);
    }
    if quote == '\'' && out.chars().count() != 1 {
        return Err(bad());
    }
    Ok(out)
}

/// A number literal's value: integers (with Go's prefixes and `_`), floats, characters.
fn number(text: &str, kind: Kind) -> std::result::Result<Num, String> {
    if kind == Kind::CharConstant {
        let c = unquote(text).map_err(|_| format!("malformed character constant: {text}"))?;
        return Ok(Num::Int(c.chars().next().map_or(0, |c| c as i64)));
    }
    let illegal = || {
        format!(
            "illegal number syntax: {}",
            crate::sprintf::go_quote(text, false)
        )
    };
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1
        && lower.starts_with('0')
        && lower.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.is_empty() && clean.chars().all(|c| c.is_digit(radix)) {
        return Ok(match i128::from_str_radix(&clean, radix) {
            Ok(v) => {
                let v = if negative { -v } else { v };
                i64::try_from(v).map_or(Num::TooBig, Num::Int)
            }
            Err(_) => Num::TooBig,
        });
    }
    if radix == 10 && lower.contains(['.', 'e']) {
        let clean: String = lower.chars().filter(|&c| c != '_').collect();
        if let Ok(f) = clean.parse::<f64>() {
            return Ok(Num::Float(if negative { -f } else { f }));
        }
    }
    Err(illegal())
}
