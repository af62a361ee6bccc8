//! Executing a parsed template over Go-like values, as Go's `text/template` does.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::funcs;
use super::parse::{Arg, Command, Node, Num, Pipe, Templates};
use crate::sprintf::{GoArg, sprint};

/// A Go value as a template sees it (decoded from JSON with numbers kept as `json.Number`).
#[derive(Clone, Debug)]
pub(super) enum TVal {
    /// No value at all (a missing map key): prints as `<no value>`.
    Invalid,
    /// A nil `interface{}` (JSON null).
    Nil,
    Bool(bool),
    Str(Rc<str>),
    /// A `json.Number`: a string type whose text is the number.
    Number(Rc<str>),
    Int(i64),
    Byte(u8),
    Float(f64),
    List(Rc<Vec<TVal>>),
    Map(Rc<BTreeMap<String, TVal>>),
}

impl TVal {
    /// Go's type name, as in error messages.
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            TVal::Invalid | TVal::Nil => "<nil>",
            TVal::Bool(_) => "bool",
            TVal::Str(_) => "string",
            TVal::Number(_) => "json.Number",
            TVal::Int(_) => "int",
            TVal::Byte(_) => "uint8",
            TVal::Float(_) => "float64",
            TVal::List(_) => "[]interface {}",
            TVal::Map(_) => "map[string]interface {}",
        }
    }

    /// Go's `reflect.ValueOf(v.Interface())` on an `interface{}`: a nil becomes no value.
    pub(super) fn dig(self) -> TVal {
        match self {
            TVal::Nil => TVal::Invalid,
            other => other,
        }
    }

    /// Go's truth: non-zero numbers, non-empty strings and collections, `true`.
    pub(super) fn truth(&self) -> bool {
        match self {
            TVal::Invalid | TVal::Nil => false,
            TVal::Bool(b) => *b,
            TVal::Str(s) | TVal::Number(s) => !s.is_empty(),
            TVal::Int(i) => *i != 0,
            TVal::Byte(b) => *b != 0,
            TVal::Float(f) => *f != 0.0,
            TVal::List(l) => !l.is_empty(),
            TVal::Map(m) => !m.is_empty(),
        }
    }

    /// The value handed to `fmt` (no value prints through `fmt` as a nil).
    pub(super) fn go_arg(&self) -> GoArg {
        match self {
            TVal::Invalid | TVal::Nil => GoArg::Nil,
            TVal::Bool(b) => GoArg::Bool(*b),
            TVal::Str(s) => GoArg::Str(s.to_string(), "string"),
            TVal::Number(s) => GoArg::Str(s.to_string(), "json.Number"),
            TVal::Int(i) => GoArg::Int(*i, "int"),
            TVal::Byte(b) => GoArg::Byte(*b),
            TVal::Float(f) => GoArg::Float(*f),
            TVal::List(l) => GoArg::List(l.iter().map(TVal::go_arg).collect()),
            TVal::Map(m) => GoArg::Map(m.iter().map(|(k, v)| (k.clone(), v.go_arg())).collect()),
        }
    }

    /// How `fmt.Sprint` prints the value.
    pub(super) fn sprint(&self) -> String {
        sprint(&[self.go_arg()])
    }
}

/// An execution error, or a `{{break}}`/`{{continue}}` unwinding to its `{{range}}`.
pub(super) enum Flow {
    Error(String),
    Break,
    Continue,
}

type Result<T> = std::result::Result<T, Flow>;

/// Go stops runaway template recursion; this stops it sooner, to stay within the stack.
const MAX_TEMPLATE_DEPTH: usize = 1000;

pub(super) struct Exec<'t> {
    text: &'t str,
    templates: &'t Templates,
    name: String,
    vars: Vec<(String, TVal)>,
    out: String,
    /// The node position and text for error messages.
    at: (usize, String),
    depth: usize,
}

/// Runs `templates` over `data`.
pub(super) fn execute(
    text: &str,
    templates: &Templates,
    data: TVal,
) -> std::result::Result<String, String> {
    let mut e = Exec {
        text,
        templates,
        name: "template".into(),
        vars: vec![("$".into(), data.clone())],
        out: String::new(),
        at: (0, String::new()),
        depth: 0,
    };
    match e.walk_list(&data, &templates.root) {
        Ok(()) => Ok(e.out),
        Err(Flow::Error(msg)) => Err(msg),
        Err(Flow::Break | Flow::Continue) => Ok(e.out),
    }
}

impl Exec<'_> {
    fn at(&mut self, pos: usize, text: impl ToString) {
        self.at = (pos, text.to_string());
    }

    /// Sets the node that error messages point at.
    pub(super) fn set_at(&mut self, pos: usize, text: impl ToString) {
        self.at(pos, text);
    }

    /// Go's execution error: `template: template:1:2: executing "template" at <.x>: ...`.
    pub(super) fn error(&self, message: impl AsRef<str>) -> Flow {
        let before = &self.text[..self.at.0.min(self.text.len())];
        let line = 1 + before.matches('\n').count();
        let col = before
            .rfind('\n')
            .map_or(before.len(), |nl| before.len() - nl - 1);
        Flow::Error(format!(
            "template: template:{line}:{col}: executing {} at <{}>: {}",
            crate::sprintf::go_quote(&self.name, false),
            self.at.1.replace('%', "%%"),
            message.as_ref()
        ))
    }

    fn walk_list(&mut self, dot: &TVal, nodes: &[Node]) -> Result<()> {
        for node in nodes {
            self.walk(dot, node)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &TVal, node: &Node) -> Result<()> {
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action(pipe) => {
                let value = self.pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    match value {
                        TVal::Invalid => self.out.push_str("<no value>"),
                        v => self.out.push_str(&v.sprint()),
                    }
                }
            }
            Node::If(pipe, list, else_list) | Node::With(pipe, list, else_list) => {
                let mark = self.vars.len();
                let value = self.pipeline(dot, pipe)?;
                let result = if value.truth() {
                    let body_dot = if matches!(node, Node::With(..)) {
                        &value
                    } else {
                        dot
                    };
                    self.walk_list(body_dot, list)
                } else if let Some(else_list) = else_list {
                    self.walk_list(dot, else_list)
                } else {
                    Ok(())
                };
                self.vars.truncate(mark);
                result?;
            }
            Node::Range(pipe, list, else_list) => {
                let mark = self.vars.len();
                let result = self.range(dot, pipe, list, else_list.as_deref());
                self.vars.truncate(mark);
                result?;
            }
            Node::Template { pos, name, pipe } => {
                self.at(
                    *pos,
                    format!(
                        "{{{{template {}{}}}}}",
                        crate::sprintf::go_quote(name, false),
                        pipe.as_ref().map_or(String::new(), |p| format!(" {p}"))
                    ),
                );
                let Some(body) = self.templates.defined.get(name) else {
                    return Err(self.error(format!(
                        "template {} not defined",
                        crate::sprintf::go_quote(name, false)
                    )));
                };
                if self.depth >= MAX_TEMPLATE_DEPTH {
                    return Err(self.error("exceeded maximum template depth (100000)"));
                }
                let new_dot = match pipe {
                    Some(p) => self.pipeline(dot, p)?,
                    None => TVal::Invalid,
                };
                let vars = std::mem::replace(&mut self.vars, vec![("$".into(), new_dot.clone())]);
                let saved_name = std::mem::replace(&mut self.name, name.clone());
                self.depth += 1;
                let result = self.walk_list(&new_dot, body);
                self.depth -= 1;
                self.name = saved_name;
                self.vars = vars;
                if let Err(Flow::Error(e)) = result {
                    return Err(Flow::Error(e));
                }
            }
            Node::Break => return Err(Flow::Break),
            Node::Continue => return Err(Flow::Continue),
        }
        Ok(())
    }

    fn range(
        &mut self,
        dot: &TVal,
        pipe: &Pipe,
        list: &[Node],
        else_list: Option<&[Node]>,
    ) -> Result<()> {
        let value = self.pipeline(dot, pipe)?;
        let mark = self.vars.len();
        let items: Vec<(TVal, TVal)> = match &value {
            TVal::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, v)| (TVal::Int(i as i64), v.clone()))
                .collect(),
            TVal::Map(m) => m
                .iter()
                .map(|(k, v)| (TVal::Str(k.as_str().into()), v.clone()))
                .collect(),
            TVal::Int(n) => (0..*n).map(|i| (TVal::Int(i), TVal::Int(i))).collect(),
            TVal::Invalid => Vec::new(),
            other => {
                self.at(pipe.pos, pipe);
                return Err(self.error(format!("range can't iterate over {}", other.sprint())));
            }
        };
        if let TVal::Int(_) = value {
            if pipe.decl.len() > 1 {
                self.at(pipe.pos, pipe);
                return Err(self.error("can't use int to iterate over more than one variable"));
            }
        }
        for (index, elem) in &items {
            // The pipeline's variables are the last ones declared before the body.
            let n = self.vars.len();
            match (pipe.decl.len(), pipe.is_assign) {
                (0, _) => {}
                (1, false) => self.vars[n - 1].1 = elem.clone(),
                (_, false) => {
                    self.vars[n - 1].1 = elem.clone();
                    self.vars[n - 2].1 = index.clone();
                }
                (1, true) => self.set_var(&pipe.decl[0], elem.clone())?,
                (_, true) => {
                    self.set_var(&pipe.decl[0], index.clone())?;
                    self.set_var(&pipe.decl[1], elem.clone())?;
                }
            }
            let result = self.walk_list(elem, list);
            self.vars.truncate(mark);
            match result {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        if items.is_empty() {
            if let Some(else_list) = else_list {
                self.walk_list(dot, else_list)?;
            }
        }
        Ok(())
    }

    fn set_var(&mut self, name: &str, value: TVal) -> Result<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(self.error(format!("undefined variable: {name}"))),
        }
    }

    fn var_value(&self, name: &str) -> Result<TVal> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.error(format!("undefined variable: {name}"))),
        }
    }

    pub(super) fn pipeline(&mut self, dot: &TVal, pipe: &Pipe) -> Result<TVal> {
        self.at(pipe.pos, pipe);
        let mut value = None;
        for cmd in &pipe.cmds {
            value = Some(self.command(dot, cmd, value)?.dig());
        }
        let value = value.unwrap_or(TVal::Invalid);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&mut self, cmd: &Command, final_: &Option<TVal>) -> Result<()> {
        if cmd.args.len() > 1 || final_.is_some() {
            let first = cmd.args[0].to_string();
            return Err(self.error(format!("can't give argument to non-function {first}")));
        }
        Ok(())
    }

    fn command(&mut self, dot: &TVal, cmd: &Command, final_: Option<TVal>) -> Result<TVal> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { pos, idents } => {
                self.at(*pos, first);
                self.field_chain(
                    dot.clone(),
                    true,
                    idents,
                    cmd.args.len() > 1 || final_.is_some(),
                )
            }
            Arg::Chain { node, fields, .. } => {
                let receiver = self.chain_base(dot, node, first)?;
                self.field_chain(
                    receiver,
                    false,
                    fields,
                    cmd.args.len() > 1 || final_.is_some(),
                )
            }
            Arg::Variable { pos, idents } => {
                self.at(*pos, first);
                let value = self.var_value(&idents[0])?;
                if idents.len() == 1 {
                    self.not_a_function(cmd, &final_)?;
                    return Ok(value);
                }
                self.field_chain(
                    value,
                    false,
                    &idents[1..],
                    cmd.args.len() > 1 || final_.is_some(),
                )
            }
            Arg::Identifier { pos, name } => {
                self.at(*pos, name);
                self.at(cmd.pos, cmd);
                funcs::call(self, dot, name, cmd, &cmd.args[1..], final_)
            }
            Arg::Pipe(p) => {
                self.not_a_function(cmd, &final_)?;
                self.pipeline(dot, p)
            }
            other => {
                self.at(other.pos(), other);
                self.not_a_function(cmd, &final_)?;
                self.constant(dot, other)
            }
        }
    }

    /// A constant, `.` or `nil` as a value.
    fn constant(&mut self, dot: &TVal, arg: &Arg) -> Result<TVal> {
        match arg {
            Arg::Bool(_, b) => Ok(TVal::Bool(*b)),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Err(self.error("nil is not a command")),
            Arg::Number { text, num, .. } => match num {
                Num::Int(i) => Ok(TVal::Int(*i)),
                Num::Float(f) => Ok(TVal::Float(*f)),
                Num::TooBig => Err(self.error(format!("{text} overflows int"))),
            },
            Arg::Str { text, .. } => Ok(TVal::Str(text.as_str().into())),
            other => Err(self.error(format!(
                "can't evaluate command {}",
                crate::sprintf::go_quote(&other.to_string(), false)
            ))),
        }
    }

    /// The value at the base of a chain `(pipeline).field`.
    fn chain_base(&mut self, dot: &TVal, node: &Arg, chain: &Arg) -> Result<TVal> {
        if let Arg::Nil(_) = node {
            return Err(self.error(format!("indirection through explicit nil in {chain}")));
        }
        self.arg(dot, node)
    }

    /// Evaluates an argument (of a function, or the base of a chain).
    pub(super) fn arg(&mut self, dot: &TVal, arg: &Arg) -> Result<TVal> {
        self.at(arg.pos(), arg);
        match arg {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Ok(TVal::Nil),
            Arg::Field { idents, .. } => self.field_chain(dot.clone(), true, idents, false),
            Arg::Variable { idents, .. } => {
                let value = self.var_value(&idents[0])?;
                if idents.len() == 1 {
                    return Ok(value);
                }
                self.field_chain(value, false, &idents[1..], false)
            }
            Arg::Pipe(p) => self.pipeline(dot, p),
            Arg::Identifier { name, .. } => {
                let cmd = Command {
                    pos: arg.pos(),
                    args: vec![arg.clone()],
                };
                funcs::call(self, dot, name, &cmd, &[], None)
            }
            Arg::Chain { node, fields, .. } => {
                let base = self.chain_base(dot, node, arg)?;
                self.field_chain(base, false, fields, false)
            }
            other => self.constant(dot, other),
        }
    }

    /// `.a.b.c` from `receiver`; only the last field may have arguments. Values found in
    /// maps are `interface {}` to Go (`in_interface`), others have their own type.
    fn field_chain(
        &mut self,
        mut receiver: TVal,
        mut in_interface: bool,
        idents: &[String],
        has_args: bool,
    ) -> Result<TVal> {
        for (i, name) in idents.iter().enumerate() {
            let last = i + 1 == idents.len();
            receiver = match receiver {
                TVal::Invalid => return Ok(TVal::Invalid),
                TVal::Nil => {
                    return Err(self.error(format!("nil pointer evaluating interface {{}}.{name}")));
                }
                TVal::Map(m) => {
                    if last && has_args {
                        return Err(self.error(format!("{name} is not a method but has arguments")));
                    }
                    m.get(name).cloned().unwrap_or(TVal::Invalid)
                }
                TVal::Number(n) if name == "String" => TVal::Str(n),
                other => {
                    let ty = if in_interface {
                        "interface {}"
                    } else {
                        other.type_name()
                    };
                    return Err(self.error(format!("can't evaluate field {name} in type {ty}")));
                }
            };
            in_interface = true;
        }
        Ok(receiver)
    }
}
