//! Dockerfiles, shaped as conftest shapes them. conftest keeps the syntax tree of Docker's
//! BuildKit parser, whose argument splitting differs by instruction and keeps quotes and
//! separators as written, and then writes each instruction as
//! `{"Cmd", "SubCmd", "JSON", "Flags", "Value", "Stage"}`. No Rust crate keeps that tree
//! (they validate stages and unquote arguments), so this file reproduces it:
//!
//! - lines ending in the escape character (`\`, or `` ` `` after `# escape=`` ` ``) continue on
//!   the next line; comment and blank lines inside a continuation are skipped;
//! - a `#` line is a comment; comments before an instruction become `{"Cmd": "comment",
//!   "Value": [text]}` entries ahead of it, and comments after the last instruction vanish;
//! - `--flag=value` words after the instruction name are its `Flags`, unquoted;
//! - `Value` splits the rest by instruction: `FROM`, `EXPOSE` (and non-JSON `COPY`, `ADD`,
//!   `VOLUME`) on white space; `RUN`, `CMD`, `ENTRYPOINT`, `SHELL` keep the text whole unless
//!   it is a JSON array of strings (then `JSON` is true and `Value` is its elements); `ENV`
//!   and `LABEL` give `key, value, "="` triples (`key, value, ""` for the old `ENV key value`
//!   form) with quotes kept; `ARG` its words; `USER`, `WORKDIR`, `MAINTAINER`, `STOPSIGNAL`
//!   the text; `HEALTHCHECK` its type then the command; `ONBUILD` the inner instruction's
//!   value, with the inner instruction's name in `SubCmd`;
//! - `Cmd` is the instruction name in lower case; `Stage` counts the `FROM`s before it (the
//!   first stage is 0);
//! - heredoc bodies (`RUN <<EOF ... EOF`) are skipped, as conftest shows only the first line;
//! - a value or flag list that is absent is `null`, as Go writes a nil list.
//!
//! The whole list is one configuration: [`parse`] returns a one-element array holding it,
//! because the caller splits a top-level array into configurations.
//!
//! Errors follow BuildKit's parser and the checks conftest runs after it: unknown
//! instructions, a `FROM` without one or three arguments, an `ENV`/`LABEL` without `=` in
//! every pair, a JSON array with non-strings, a bad `# escape=`, an unterminated heredoc and
//! a file without instructions. BuildKit's other argument checks (unknown flags, missing
//! `COPY` destinations, ...) are not made.

use super::InputError;
use rego_eval::Value;

/// One parsed instruction, in the shape of a BuildKit syntax node.
#[derive(Debug, Default, PartialEq)]
struct Node {
    /// The instruction name as written (`FROM`, `run`).
    name: String,
    /// The `--flags`, or `None` when the instruction has no arguments at all.
    flags: Option<Vec<String>>,
    /// The argument nodes.
    values: Vec<String>,
    /// Whether the arguments were a JSON array.
    json: bool,
    /// The inner instruction of an `ONBUILD`.
    sub: Option<Box<Node>>,
}

/// Parses a Dockerfile (see the module docs).
pub fn parse(name: &str, text: &str) -> Result<Value, InputError> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut escape = '\\';
    let mut directives = Directives::default();
    let mut commands = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    let mut stages = 0usize;
    let mut at = 0;
    while at < lines.len() {
        let raw = trim_newline(lines[at]);
        let number = at + 1;
        at += 1;
        if is_comment(raw) {
            let mut chars = raw.chars();
            chars.next();
            comments.push(chars.as_str().trim().to_string());
        }
        let trimmed = raw.trim_start();
        directives
            .check(trimmed, &mut escape)
            .map_err(|m| InputError::at(name, number, None, m))?;
        let (mut line, mut ended) = trim_continuation(strip_comment(trimmed), escape);
        if ended && line.is_empty() {
            continue;
        }
        while !ended && at < lines.len() {
            let next = trim_newline(lines[at]);
            at += 1;
            if is_comment(next) || next.trim_start().is_empty() {
                continue;
            }
            let (part, end) = trim_continuation(strip_comment(next), escape);
            line.push_str(&part);
            ended = end;
        }
        let fail = |message: String| InputError::at(name, number, None, message);
        let node = node_from_line(&line, escape).map_err(fail)?;
        check(&node).map_err(fail)?;
        for heredoc in heredocs(&node, &line) {
            at = skip_heredoc(&lines, at, &heredoc)
                .ok_or_else(|| fail(format!("unterminated heredoc {}", heredoc.name)))?;
        }
        if node.name.eq_ignore_ascii_case("from") {
            stages += 1;
        }
        let stage = stages.saturating_sub(1);
        for comment in comments.drain(..) {
            commands.push(command("comment", "", false, None, &[comment], stage));
        }
        let flags = node.flags.as_deref();
        let inner = node.sub.as_deref().unwrap_or(&node);
        let sub = node.sub.as_ref().map_or("", |s| s.name.as_str());
        let cmd = node.name.to_lowercase();
        commands.push(command(&cmd, sub, inner.json, flags, &inner.values, stage));
    }
    if commands.is_empty() {
        let line = lines.len().max(1);
        return Err(InputError::at(
            name,
            line,
            None,
            "file with no instructions",
        ));
    }
    Ok(Value::array(vec![Value::array(commands)]))
}

/// One instruction as conftest writes it.
fn command(
    cmd: &str,
    sub: &str,
    json: bool,
    flags: Option<&[String]>,
    values: &[String],
    stage: usize,
) -> Value {
    let strings =
        |items: &[String]| Value::array(items.iter().map(|s| Value::from(s.as_str())).collect());
    let values = if values.is_empty() {
        Value::Null
    } else {
        strings(values)
    };
    Value::object_from(vec![
        (Value::from("Cmd"), Value::from(cmd)),
        (Value::from("SubCmd"), Value::from(sub)),
        (Value::from("JSON"), Value::Bool(json)),
        (Value::from("Flags"), flags.map_or(Value::Null, strings)),
        (Value::from("Value"), values),
        (Value::from("Stage"), Value::from(stage)),
    ])
}

/// The parser directives (`# escape=`, `# syntax=`) at the top of the file.
#[derive(Default)]
struct Directives {
    done: bool,
    seen: Vec<String>,
}

impl Directives {
    /// Looks at one left-trimmed line while directives may still come.
    fn check(&mut self, line: &str, escape: &mut char) -> Result<(), String> {
        if self.done {
            return Ok(());
        }
        let Some((key, value)) = directive(line) else {
            self.done = true;
            return Ok(());
        };
        let key = key.to_ascii_lowercase();
        if key != "escape" && key != "syntax" {
            self.done = true;
            return Ok(());
        }
        if self.seen.contains(&key) {
            return Err(format!("only one {key} parser directive can be used"));
        }
        self.seen.push(key.clone());
        if key == "escape" {
            *escape = match value {
                "\\" => '\\',
                "`" => '`',
                other => {
                    return Err(format!(
                        "invalid escape token '{other}' does not match ` or \\"
                    ));
                }
            };
        }
        Ok(())
    }
}

/// `# key = value`: a letter then letters or digits, `=`, and a non-empty trimmed value.
fn directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let key = &rest[..end];
    if !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let value = rest[end..].trim_start().strip_prefix('=')?.trim();
    (!value.is_empty()).then_some((key, value))
}

fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// A line starting with `#` is all comment.
fn strip_comment(line: &str) -> &str {
    if line.starts_with('#') { "" } else { line }
}

/// Removes a trailing escape character (and the blanks after it) that continues the line;
/// returns the line and whether it ends the instruction. An escape preceded by another
/// escape does not continue the line.
fn trim_continuation(line: &str, escape: char) -> (String, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    match body.strip_suffix(escape) {
        Some(before) if !before.ends_with(escape) => (before.to_string(), false),
        _ => (line.to_string(), true),
    }
}

/// The white space BuildKit splits on (not line breaks).
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0b' | '\x0c' | '\r')
}

/// Parses one logical line into a node.
fn node_from_line(line: &str, escape: char) -> Result<Node, String> {
    let line = line.trim();
    let (name, rest) = match line.find(is_blank) {
        Some(i) => (&line[..i], Some(line[i..].trim_start_matches(is_blank))),
        None => (line, None),
    };
    let (args, flags) = match rest {
        Some(rest) => {
            let (args, flags) = builder_flags(rest);
            (args.trim().to_string(), Some(flags))
        }
        None => (String::new(), None),
    };
    let mut node = Node {
        name: name.to_string(),
        flags,
        ..Node::default()
    };
    let args = args.as_str();
    match name.to_ascii_lowercase().as_str() {
        "add" | "copy" | "volume" => maybe_json_list(&mut node, args)?,
        "cmd" | "entrypoint" | "run" | "shell" => maybe_json(&mut node, args)?,
        "arg" => node.values = words(args, escape),
        "env" | "label" => node.values = name_values(args, &name.to_uppercase(), escape)?,
        "expose" | "from" => node.values = split_blank(args),
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if !args.is_empty() {
                node.values = vec![args.to_string()];
            }
        }
        "healthcheck" => {
            if let Some(end) = args.find(char::is_whitespace) {
                node.values.push(args[..end].to_string());
                maybe_json(&mut node, args[end..].trim_start())?;
            } else if !args.is_empty() {
                node.values.push(args.to_string());
            }
        }
        "onbuild" => {
            if !args.is_empty() {
                node.sub = Some(Box::new(node_from_line(args, escape)?));
            }
        }
        _ => node.values = vec![String::new()],
    }
    Ok(node)
}

/// The checks conftest's BuildKit instruction parser makes (see the module docs).
fn check(node: &Node) -> Result<(), String> {
    let lower = node.name.to_ascii_lowercase();
    match lower.as_str() {
        "from" => {
            let ok = node.values.len() == 1
                || (node.values.len() == 3 && node.values[1].eq_ignore_ascii_case("as"));
            if !ok {
                return Err("FROM requires either one or three arguments".to_string());
            }
        }
        "env" | "label" if node.values.is_empty() => {
            return Err(format!(
                "{} requires at least one argument",
                lower.to_uppercase()
            ));
        }
        "onbuild" => match &node.sub {
            Some(sub)
                if ["onbuild", "from", "maintainer"]
                    .contains(&sub.name.to_ascii_lowercase().as_str()) =>
            {
                return Err(format!("{} isn't allowed as an ONBUILD trigger", sub.name));
            }
            Some(_) => {}
            None => return Err("ONBUILD requires at least one argument".to_string()),
        },
        "add" | "arg" | "cmd" | "copy" | "entrypoint" | "env" | "expose" | "healthcheck"
        | "label" | "maintainer" | "run" | "shell" | "stopsignal" | "user" | "volume"
        | "workdir" => {}
        _ => return Err(format!("unknown instruction: {}", node.name)),
    }
    Ok(())
}

/// Splits leading `--flag` words off `line`: the rest, and the flags unquoted.
fn builder_flags(line: &str) -> (String, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut flags = Vec::new();
    let mut word = String::new();
    let mut blank_ok = false;
    let mut phase = Phase::Spaces;
    let mut i = 0;
    while i <= chars.len() {
        let Some(&(at, mut c)) = chars.get(i) else {
            if phase != Phase::Spaces && word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(word);
            }
            return (String::new(), flags);
        };
        i += 1;
        match phase {
            Phase::Spaces => {
                if c.is_whitespace() {
                    continue;
                }
                if !line[at..].starts_with("--") {
                    return (line[at..].to_string(), flags);
                }
                phase = Phase::Word;
                word.push(c);
            }
            Phase::Word => {
                if c.is_whitespace() {
                    if word == "--" {
                        return (line[at..].to_string(), flags);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(std::mem::take(&mut word));
                    }
                    blank_ok = false;
                    phase = Phase::Spaces;
                } else if c == '\'' || c == '"' {
                    blank_ok = true;
                    phase = Phase::Quote(c);
                } else {
                    if c == '\\' {
                        match chars.get(i) {
                            Some(&(_, next)) => (c, i) = (next, i + 1),
                            None => continue,
                        }
                    }
                    word.push(c);
                }
            }
            Phase::Quote(quote) => {
                if c == quote {
                    phase = Phase::Word;
                    continue;
                }
                if c == '\\' {
                    match chars.get(i) {
                        Some(&(_, next)) => (c, i) = (next, i + 1),
                        None => {
                            phase = Phase::Word;
                            continue;
                        }
                    }
                }
                word.push(c);
            }
        }
    }
    (String::new(), flags)
}

/// Splits on BuildKit's white space, keeping everything else.
fn split_blank(args: &str) -> Vec<String> {
    if args.is_empty() {
        return Vec::new();
    }
    args.split(is_blank)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A JSON array of strings, when `args` starts as one: `Ok(None)` when it is not JSON at all,
/// an error when it is an array holding something other than strings.
fn json_strings(args: &str) -> Result<Option<Vec<String>>, String> {
    let args = args.trim_start();
    if !args.starts_with('[') {
        return Ok(None);
    }
    // Like Go's json.Decoder, only the first value counts.
    let first = serde_json::Deserializer::from_str(args)
        .into_iter::<serde_json::Value>()
        .next();
    let Some(Ok(serde_json::Value::Array(items))) = first else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|item| match item {
            serde_json::Value::String(s) => Ok(s),
            _ => Err(
                "when using JSON array syntax, arrays must be comprised of strings only"
                    .to_string(),
            ),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `RUN`-style arguments: a JSON array, or the text whole.
fn maybe_json(node: &mut Node, args: &str) -> Result<(), String> {
    if args.is_empty() {
        return Ok(());
    }
    match json_strings(args)? {
        Some(items) => {
            node.values.extend(items);
            node.json = true;
        }
        None => node.values.push(args.to_string()),
    }
    Ok(())
}

/// `COPY`-style arguments: a JSON array, or the text split on white space.
fn maybe_json_list(node: &mut Node, args: &str) -> Result<(), String> {
    match json_strings(args)? {
        Some(items) => {
            node.values = items;
            node.json = true;
        }
        None => node.values = split_blank(args),
    }
    Ok(())
}

/// Words separated by white space, quotes and escapes kept as written, as BuildKit reads
/// `ENV`, `LABEL` and `ARG` (single quotes escape nothing).
fn words(args: &str, escape: char) -> Vec<String> {
    let chars: Vec<char> = args.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut blank_ok = false;
    let mut quote: Option<char> = None;
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let mut c = chars[i];
        i += 1;
        if !in_word {
            if c.is_whitespace() {
                continue;
            }
            in_word = true;
        }
        match quote {
            None => {
                if c.is_whitespace() {
                    if blank_ok || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    blank_ok = false;
                    in_word = false;
                    continue;
                }
                if c == '\'' || c == '"' {
                    quote = Some(c);
                    blank_ok = true;
                }
                if c == escape {
                    let Some(&next) = chars.get(i) else { continue };
                    word.push(c);
                    c = next;
                    i += 1;
                }
                word.push(c);
            }
            Some(q) => {
                if c == q {
                    quote = None;
                }
                if c == escape && q != '\'' {
                    let Some(&next) = chars.get(i) else {
                        quote = None;
                        continue;
                    };
                    word.push(c);
                    c = next;
                    i += 1;
                }
                word.push(c);
            }
        }
    }
    if in_word && (blank_ok || !word.is_empty()) {
        words.push(word);
    }
    words
}

/// `ENV`/`LABEL` arguments as `key, value, separator` triples (see the module docs).
fn name_values(args: &str, key: &str, escape: char) -> Result<Vec<String>, String> {
    let words = words(args, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let Some(i) = args.find(is_blank) else {
            return Err(format!("{key} must have two arguments"));
        };
        let value = args[i..].trim_start_matches(is_blank);
        return Ok(vec![
            args[..i].to_string(),
            value.to_string(),
            String::new(),
        ]);
    }
    let mut out = Vec::with_capacity(words.len() * 3);
    for word in &words {
        let Some((name, value)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {word:?}. Must be of the form: name=value"
            ));
        };
        out.extend([name.to_string(), value.to_string(), "=".to_string()]);
    }
    Ok(out)
}

/// A heredoc opened on an instruction line.
struct Heredoc {
    name: String,
    /// `<<-`: leading tabs are ignored on the closing line.
    chomp: bool,
}

/// The heredocs a `RUN`, `COPY` or `ADD` line (or the same under `ONBUILD`) opens.
fn heredocs(node: &Node, line: &str) -> Vec<Heredoc> {
    let inner = node.sub.as_deref().unwrap_or(node);
    let name = inner.name.to_ascii_lowercase();
    if !["run", "copy", "add"].contains(&name.as_str()) || inner.json {
        return Vec::new();
    }
    shell_words(line)
        .iter()
        .filter_map(|word| {
            let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
            let rest = rest.strip_prefix("<<")?;
            let (chomp, rest) = match rest.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, rest),
            };
            if rest.is_empty() || rest.contains('<') {
                return None;
            }
            let name: String = rest.chars().filter(|c| *c != '"' && *c != '\'').collect();
            (!name.is_empty()).then_some(Heredoc { name, chomp })
        })
        .collect()
}

/// A line split into shell words, quotes kept, for finding heredoc openers.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '\\' => {
                word.push(c);
                if let Some(next) = chars.next() {
                    word.push(next);
                }
                continue;
            }
            None if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                continue;
            }
            None => {}
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Skips a heredoc's body starting at line index `at`: the index after its closing line.
fn skip_heredoc(lines: &[&str], mut at: usize, heredoc: &Heredoc) -> Option<usize> {
    while at < lines.len() {
        let line = trim_newline(lines[at]);
        at += 1;
        let line = if heredoc.chomp {
            line.trim_start_matches('\t')
        } else {
            line
        };
        if line == heredoc.name {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests;
