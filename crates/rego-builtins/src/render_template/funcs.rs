//! The predefined functions of Go's `text/template`: `and or not len index slice print printf
//! println html js urlquery eq ne lt le gt ge call`.

use std::rc::Rc;

use super::exec::{Exec, Flow, TVal};
use super::parse::{Arg, Command};
use crate::sprintf::{GoArg, go_sprintf, sprint, sprintln};

type Result<T> = std::result::Result<T, Flow>;

/// How many arguments a function takes: exactly, or at least.
fn arity(name: &str) -> (usize, bool) {
    match name {
        "not" | "len" => (1, false),
        "ne" | "lt" | "le" | "gt" | "ge" => (2, false),
        "and" | "or" | "index" | "slice" | "printf" | "eq" | "call" => (1, true),
        _ => (0, true),
    }
}

/// Calls function `name` with `args` (and the pipeline's previous value as the last one).
pub(super) fn call(
    e: &mut Exec<'_>,
    dot: &TVal,
    name: &str,
    cmd: &Command,
    args: &[Arg],
    final_: Option<TVal>,
) -> Result<TVal> {
    let count = args.len() + usize::from(final_.is_some());
    let (want, variadic) = arity(name);
    if variadic && count < want {
        return Err(e.error(format!(
            "wrong number of args for {name}: want at least {want} got {}",
            args.len()
        )));
    }
    if !variadic && count != want {
        return Err(e.error(format!(
            "wrong number of args for {name}: want {want} got {count}"
        )));
    }
    // `and` and `or` evaluate their arguments lazily.
    if name == "and" || name == "or" {
        let mut value = TVal::Invalid;
        for arg in args {
            value = e.arg(dot, arg)?;
            if value.truth() == (name == "or") {
                return Ok(value);
            }
        }
        return Ok(final_.unwrap_or(value));
    }
    let mut values = Vec::with_capacity(count);
    for (i, arg) in args.iter().enumerate() {
        if name == "printf" && i == 0 {
            values.push(format_arg(e, dot, arg)?);
        } else {
            values.push(e.arg(dot, arg)?);
        }
    }
    if let Some(f) = final_ {
        if name == "printf" && values.is_empty() {
            match f {
                TVal::Str(_) => {}
                TVal::Invalid | TVal::Nil => return Err(e.error("invalid value; expected string")),
                other => {
                    return Err(e.error(format!(
                        "wrong type for value; expected string; got {}",
                        other.type_name()
                    )));
                }
            }
        }
        values.push(f);
    }
    let result = apply(name, &values);
    result.map_err(|msg| {
        e.set_at(cmd.pos, cmd);
        e.error(format!("error calling {name}: {msg}"))
    })
}

/// The first argument of `printf`, which must be a string.
fn format_arg(e: &mut Exec<'_>, dot: &TVal, arg: &Arg) -> Result<TVal> {
    match arg {
        Arg::Str { text, .. } => Ok(TVal::Str(text.as_str().into())),
        Arg::Nil(_) => {
            e.set_at(arg.pos(), arg);
            Err(e.error("cannot assign nil to string"))
        }
        Arg::Number { .. } | Arg::Bool(..) => {
            e.set_at(arg.pos(), arg);
            Err(e.error(format!("expected string; found {arg}")))
        }
        _ => match e.arg(dot, arg)? {
            v @ TVal::Str(_) => Ok(v),
            TVal::Invalid => Err(e.error("invalid value; expected string")),
            other => Err(e.error(format!(
                "wrong type for value; expected string; got {}",
                other.type_name()
            ))),
        },
    }
}

fn go_args(values: &[TVal]) -> Vec<GoArg> {
    values.iter().map(TVal::go_arg).collect()
}

fn apply(name: &str, v: &[TVal]) -> std::result::Result<TVal, String> {
    Ok(match name {
        "not" => TVal::Bool(!v[0].truth()),
        "len" => TVal::Int(length(&v[0])?),
        "index" => index(&v[0], &v[1..])?,
        "slice" => slice(&v[0], &v[1..])?,
        "print" => TVal::Str(sprint(&go_args(v)).into()),
        "println" => TVal::Str(sprintln(&go_args(v)).into()),
        "printf" => {
            let TVal::Str(format) = &v[0] else {
                return Err("printf needs a format".into());
            };
            TVal::Str(go_sprintf(format, &go_args(&v[1..])).into())
        }
        "html" => TVal::Str(html_escape(&escaper_text(v)).into()),
        "js" => TVal::Str(js_escape(&escaper_text(v)).into()),
        "urlquery" => TVal::Str(query_escape(&escaper_text(v)).into()),
        "eq" => TVal::Bool(eq(&v[0], &v[1..])?),
        "ne" => TVal::Bool(!eq(&v[0], &v[1..])?),
        "lt" => TVal::Bool(lt(&v[0], &v[1])?),
        "le" => TVal::Bool(lt(&v[0], &v[1])? || eq(&v[0], &v[1..])?),
        "gt" => TVal::Bool(!(lt(&v[0], &v[1])? || eq(&v[0], &v[1..])?)),
        "ge" => TVal::Bool(!lt(&v[0], &v[1])?),
        "call" => {
            return Err(match v[0] {
                TVal::Invalid | TVal::Nil => "call of nil".into(),
                ref other => format!("non-function of type {}", other.type_name()),
            });
        }
        _ => return Err(format!("{name} is not a defined function")),
    })
}

fn length(v: &TVal) -> std::result::Result<i64, String> {
    Ok(match v {
        TVal::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        TVal::Nil => return Err("len of nil pointer".into()),
        TVal::Str(s) | TVal::Number(s) => s.len() as i64,
        TVal::List(l) => l.len() as i64,
        TVal::Map(m) => m.len() as i64,
        other => return Err(format!("len of type {}", other.type_name())),
    })
}

/// An integer index into something of length `len` (Go allows `len` itself for slicing).
fn index_arg(index: &TVal, len: usize) -> std::result::Result<usize, String> {
    let x = match index {
        TVal::Int(i) => *i,
        TVal::Byte(b) => i64::from(*b),
        TVal::Invalid | TVal::Nil => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > len as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &TVal, indexes: &[TVal]) -> std::result::Result<TVal, String> {
    let mut item = match item {
        TVal::Invalid | TVal::Nil => return Err("index of untyped nil".into()),
        other => other.clone(),
    };
    for index in indexes {
        item = match &item {
            TVal::Nil => return Err("index of nil pointer".into()),
            TVal::List(l) => {
                let x = index_arg(index, l.len())?;
                l.get(x)
                    .cloned()
                    .ok_or("reflect: slice index out of range")?
            }
            TVal::Str(s) | TVal::Number(s) => {
                let x = index_arg(index, s.len())?;
                TVal::Byte(
                    *s.as_bytes()
                        .get(x)
                        .ok_or("reflect: string index out of range")?,
                )
            }
            TVal::Map(m) => match index {
                TVal::Str(k) => m.get(k.as_ref()).cloned().unwrap_or(TVal::Nil),
                TVal::Invalid | TVal::Nil => {
                    return Err("value is nil; should be of type string".into());
                }
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(item: &TVal, indexes: &[TVal]) -> std::result::Result<TVal, String> {
    if matches!(item, TVal::Invalid | TVal::Nil) {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match item {
        TVal::Str(s) | TVal::Number(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        TVal::List(l) => l.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let bytes =
        |s: &str| -> Rc<str> { String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into() };
    Ok(match item {
        TVal::Str(s) => TVal::Str(bytes(s)),
        TVal::Number(s) => TVal::Number(bytes(s)),
        TVal::List(l) => TVal::List(Rc::new(l[idx[0]..idx[1]].to_vec())),
        _ => TVal::Invalid,
    })
}

/// Go's comparison classes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BasicKind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Str,
}

fn basic_kind(v: &TVal) -> BasicKind {
    match v {
        TVal::Bool(_) => BasicKind::Bool,
        TVal::Int(_) => BasicKind::Int,
        TVal::Byte(_) => BasicKind::Uint,
        TVal::Float(_) => BasicKind::Float,
        TVal::Str(_) | TVal::Number(_) => BasicKind::Str,
        _ => BasicKind::Invalid,
    }
}

fn as_i64(v: &TVal) -> i64 {
    match v {
        TVal::Int(i) => *i,
        TVal::Byte(b) => i64::from(*b),
        _ => 0,
    }
}

fn eq(a: &TVal, others: &[TVal]) -> std::result::Result<bool, String> {
    if others.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a);
    let valid = |v: &TVal| !matches!(v, TVal::Invalid | TVal::Nil);
    for b in others {
        let k2 = basic_kind(b);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (BasicKind::Int, BasicKind::Uint) | (BasicKind::Uint, BasicKind::Int) => {
                    as_i64(a) == as_i64(b)
                }
                _ if valid(a) && valid(b) => return Err("incompatible types for comparison".into()),
                _ => false,
            }
        } else {
            match (a, b) {
                (TVal::Bool(x), TVal::Bool(y)) => x == y,
                (TVal::Float(x), TVal::Float(y)) => x == y,
                (TVal::Int(_) | TVal::Byte(_), _) => as_i64(a) == as_i64(b),
                (TVal::Str(x) | TVal::Number(x), TVal::Str(y) | TVal::Number(y)) => x == y,
                _ if !valid(a) || !valid(b) => valid(a) == valid(b),
                (other, _) => {
                    return Err(format!(
                        "non-comparable type {}: {}",
                        other.sprint(),
                        other.type_name()
                    ));
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &TVal, b: &TVal) -> std::result::Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == BasicKind::Invalid || k2 == BasicKind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) | (BasicKind::Uint, BasicKind::Int) => {
                Ok(as_i64(a) < as_i64(b))
            }
            _ => Err("incompatible types for comparison".into()),
        };
    }
    Ok(match (a, b) {
        (TVal::Bool(_), _) => return Err("invalid type for comparison".into()),
        (TVal::Float(x), TVal::Float(y)) => x < y,
        (TVal::Str(x) | TVal::Number(x), TVal::Str(y) | TVal::Number(y)) => x < y,
        _ => as_i64(a) < as_i64(b),
    })
}

/// The text of the escapers' arguments: a lone string as is, else `fmt.Sprint` of them
/// (with no value printing as `<no value>`).
fn escaper_text(v: &[TVal]) -> String {
    if let [TVal::Str(s)] = v {
        return s.to_string();
    }
    let args: Vec<GoArg> = v
        .iter()
        .map(|x| match x {
            TVal::Invalid | TVal::Nil => GoArg::Str("<no value>".into(), "string"),
            other => other.go_arg(),
        })
        .collect();
    sprint(&args)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if !c.is_ascii() && !crate::sprintf::is_print(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
