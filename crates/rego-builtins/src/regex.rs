//! Builtins of the `regex` family, with Go's `regexp` semantics (RE2 syntax, leftmost-first
//! matching): patterns are rewritten from Go's dialect ([`syntax`]) and compiled once into a
//! small shared cache; iteration over matches follows Go's rules for empty matches.

mod globs;
mod syntax;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use regex::{Captures, Regex};
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;
use crate::sprintf::go_quote;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "regex.match",
        arity: 2,
        func: regex_match,
    },
    BuiltinDef {
        name: "regex.is_valid",
        arity: 1,
        func: is_valid,
    },
    BuiltinDef {
        name: "regex.split",
        arity: 2,
        func: split,
    },
    BuiltinDef {
        name: "regex.find_n",
        arity: 3,
        func: find_n,
    },
    BuiltinDef {
        name: "regex.find_all_string_submatch_n",
        arity: 3,
        func: find_all_string_submatch_n,
    },
    BuiltinDef {
        name: "regex.replace",
        arity: 3,
        func: replace,
    },
    BuiltinDef {
        name: "regex.template_match",
        arity: 4,
        func: template_match,
    },
    BuiltinDef {
        name: "regex.globs_match",
        arity: 2,
        func: globs_match,
    },
];

/// A compiled Go pattern.
pub(crate) struct GoRegex {
    re: Regex,
    /// Capture group names by group number minus one (see [`syntax::Translated`]).
    names: Vec<Option<String>>,
}

/// How many compiled patterns the cache keeps.
const CACHE_SIZE: usize = 100;

static CACHE: LazyLock<Mutex<HashMap<String, Arc<GoRegex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Compiles a pattern in Go's syntax, with Go's error text; uncached.
fn compile_uncached(pattern: &str) -> Result<GoRegex, String> {
    let translated = syntax::translate(pattern).map_err(|e| e.to_string())?;
    let re = Regex::new(&translated.pattern).map_err(|e| {
        let code = match e {
            regex::Error::CompiledTooBig(_) => "expression too large",
            _ if translated.pattern.contains("\\p") || translated.pattern.contains("\\P") => {
                "invalid character class range"
            }
            _ => "invalid or unsupported Perl syntax",
        };
        format!("error parsing regexp: {code}: `{pattern}`")
    })?;
    Ok(GoRegex {
        re,
        names: translated.names,
    })
}

/// Compiles a pattern in Go's syntax through the shared cache.
pub(crate) fn compile(pattern: &str) -> Result<Arc<GoRegex>, BuiltinError> {
    if let Ok(cache) = CACHE.lock() {
        if let Some(re) = cache.get(pattern) {
            return Ok(re.clone());
        }
    }
    let re = Arc::new(compile_uncached(pattern).map_err(BuiltinError::msg)?);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_SIZE {
            if let Some(evict) = cache.keys().next().cloned() {
                cache.remove(&evict);
            }
        }
        cache.insert(pattern.to_string(), re.clone());
    }
    Ok(re)
}

impl GoRegex {
    /// Whether the pattern matches somewhere in `s`.
    pub(crate) fn is_match(&self, s: &str) -> bool {
        self.re.is_match(s)
    }

    /// Go's `allMatches`: successive matches from the start, at most `n` (all for `n < 0`);
    /// an empty match right after the previous match is skipped.
    fn all_matches<T>(
        &self,
        s: &str,
        n: i64,
        mut exec: impl FnMut(usize) -> Option<(usize, usize, T)>,
    ) -> Vec<T> {
        let limit = usize::try_from(n).unwrap_or(usize::MAX);
        let mut out = Vec::new();
        let mut pos = 0;
        let mut prev_end = None;
        while out.len() < limit && pos <= s.len() {
            let Some((start, end, item)) = exec(pos) else {
                break;
            };
            let mut accept = true;
            if end == pos {
                if prev_end == Some(start) {
                    accept = false;
                }
                pos += s[pos..].chars().next().map_or(1, char::len_utf8);
            } else {
                pos = end;
            }
            prev_end = Some(end);
            if accept {
                out.push(item);
            }
        }
        out
    }

    /// Go's `FindAllStringIndex`.
    fn find_all_indices(&self, s: &str, n: i64) -> Vec<(usize, usize)> {
        self.all_matches(s, n, |pos| {
            self.re
                .find_at(s, pos)
                .map(|m| (m.start(), m.end(), (m.start(), m.end())))
        })
    }

    /// Go's `Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown or unmatched groups
    /// are empty, and a `$` not followed by a name is kept.
    fn expand(&self, template: &str, caps: &Captures<'_>, out: &mut String) {
        let mut rest = template;
        while let Some(dollar) = rest.find('$') {
            out.push_str(&rest[..dollar]);
            rest = &rest[dollar + 1..];
            if let Some(after) = rest.strip_prefix('$') {
                out.push('$');
                rest = after;
                continue;
            }
            let (braced, body) = match rest.strip_prefix('{') {
                Some(b) => (true, b),
                None => (false, rest),
            };
            let len: usize = body
                .chars()
                .take_while(|&c| c == '_' || c.is_alphanumeric())
                .map(char::len_utf8)
                .sum();
            let name = &body[..len];
            if name.is_empty() || (braced && !body[len..].starts_with('}')) {
                out.push('$');
                continue;
            }
            rest = &body[len + usize::from(braced)..];
            let number = (name.bytes().all(|b| b.is_ascii_digit())
                && !(name.len() > 1 && name.starts_with('0'))
                && name.len() < 9)
                .then(|| name.parse::<usize>().ok())
                .flatten();
            let group = match number {
                Some(i) => caps.get(i),
                None => self
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.as_deref() == Some(name))
                    .find_map(|(i, _)| caps.get(i + 1)),
            };
            if let Some(m) = group {
                out.push_str(m.as_str());
            }
        }
        out.push_str(rest);
    }
}

fn regex_match(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let pattern = args::string(a, 0)?;
    let s = args::string(a, 1)?;
    Ok(Value::from(compile(pattern)?.is_match(s)))
}

/// `regex.is_valid(pattern)`: false (not an error) for anything but a valid pattern string.
fn is_valid(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let valid = a[0].as_str().is_some_and(|p| compile(p).is_ok());
    Ok(Value::from(valid))
}

fn strings_value<'a>(parts: impl IntoIterator<Item = &'a str>) -> Value {
    Value::array(parts.into_iter().map(Value::from).collect())
}

/// `regex.split(pattern, s)`: Go's `Split(s, -1)`.
fn split(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let pattern = args::string(a, 0)?;
    let s = args::string(a, 1)?;
    let re = compile(pattern)?;
    if !pattern.is_empty() && s.is_empty() {
        return Ok(strings_value([""]));
    }
    let mut parts = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for (start, stop) in re.find_all_indices(s, -1) {
        end = start;
        if stop != 0 {
            parts.push(&s[beg..end]);
        }
        beg = stop;
    }
    if end != s.len() {
        parts.push(&s[beg..]);
    }
    Ok(strings_value(parts))
}

/// `regex.find_n(pattern, s, n)`: Go's `FindAllString(s, n)`.
fn find_n(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let pattern = args::string(a, 0)?;
    let s = args::string(a, 1)?;
    let n = args::integer(a, 2)?;
    let re = compile(pattern)?;
    let found = re.find_all_indices(s, n);
    Ok(strings_value(found.into_iter().map(|(i, j)| &s[i..j])))
}

/// `regex.find_all_string_submatch_n(pattern, s, n)`: Go's `FindAllStringSubmatch(s, n)`;
/// groups that did not take part in a match are empty strings.
fn find_all_string_submatch_n(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let pattern = args::string(a, 0)?;
    let s = args::string(a, 1)?;
    let n = args::integer(a, 2)?;
    let re = compile(pattern)?;
    let found = re.all_matches(s, n, |pos| {
        let caps = re.re.captures_at(s, pos)?;
        let whole = caps.get(0)?;
        // Go counts every group of the pattern (the `regex` crate drops those under `{0}`).
        let groups: Vec<Value> = (0..=re.names.len())
            .map(|i| Value::from(caps.get(i).map_or("", |m| m.as_str())))
            .collect();
        Some((whole.start(), whole.end(), Value::array(groups)))
    });
    Ok(Value::array(found))
}

/// `regex.replace(s, pattern, value)`: Go's `ReplaceAllString`, `$1`/`${name}` expanded.
fn replace(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(a, 0)?;
    let pattern = args::string(a, 1)?;
    let template = args::string(a, 2)?;
    let re = compile(pattern)?;
    let mut out = String::with_capacity(s.len());
    let mut last_end = 0;
    let mut search = 0;
    while search <= s.len() {
        let Some(caps) = re.re.captures_at(s, search) else {
            break;
        };
        let Some(whole) = caps.get(0) else {
            break;
        };
        out.push_str(&s[last_end..whole.start()]);
        // No replacement for an empty match right after the previous match.
        if whole.end() > last_end || whole.start() == 0 {
            re.expand(template, &caps, &mut out);
        }
        last_end = whole.end();
        let width = s[search..].chars().next().map_or(0, char::len_utf8);
        if search + width > whole.end() {
            search += width;
        } else if search + 1 > whole.end() {
            search += 1;
        } else {
            search = whole.end();
        }
    }
    out.push_str(&s[last_end..]);
    Ok(Value::from(out))
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `regex.template_match(template, s, start, end)`: the template's parts between the
/// delimiters are regular expressions, the rest literal text, and the whole must match `s`.
fn template_match(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let template = args::string(a, 0)?;
    let s = args::string(a, 1)?;
    let start = args::string(a, 2)?;
    let end = args::string(a, 3)?;
    if start.len() != 1 {
        return Err(BuiltinError::msg(format!(
            "start delimiter has to be exactly one character long but is {} long",
            start.len()
        )));
    }
    if end.len() != 1 {
        // OPA reports the start delimiter's length here.
        return Err(BuiltinError::msg(format!(
            "end delimiter has to be exactly one character long but is {} long",
            start.len()
        )));
    }
    let (open, close) = (start.as_bytes()[0], end.as_bytes()[0]);
    // Top-level delimited spans.
    let unbalanced = || {
        BuiltinError::msg(format!(
            "unbalanced braces in {}",
            go_quote(template, false)
        ))
    };
    let mut spans = Vec::new();
    let (mut level, mut begin) = (0i64, 0usize);
    for (i, b) in template.bytes().enumerate() {
        if b == open {
            level += 1;
            if level == 1 {
                begin = i;
            }
        } else if b == close {
            level -= 1;
            if level == 0 {
                spans.push((begin, i + 1));
            } else if level < 0 {
                return Err(unbalanced());
            }
        }
    }
    if level != 0 {
        return Err(unbalanced());
    }
    let mut pattern = String::from("^");
    let mut last = 0;
    for (b, e) in spans {
        let inner = &template[b + 1..e - 1];
        compile(&format!("^{inner}$"))?;
        pattern.push_str(&quote_meta(&template[last..b]));
        pattern.push('(');
        pattern.push_str(inner);
        pattern.push(')');
        last = e;
    }
    pattern.push_str(&quote_meta(&template[last..]));
    pattern.push('$');
    Ok(Value::from(compile(&pattern)?.is_match(s)))
}

fn globs_match(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let x = args::string(a, 0)?;
    let y = args::string(a, 1)?;
    globs::globs_match(x, y)
        .map(Value::from)
        .map_err(BuiltinError::msg)
}
