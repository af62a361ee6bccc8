//! Go (RE2) regular-expression syntax rewritten for the `regex` crate.
//!
//! The two dialects agree on most of the grammar and on matching (leftmost-first, UTF-8),
//! but differ in places, which this module bridges while checking the pattern as Go's
//! `regexp/syntax` parser does (with Go's error texts):
//! - `\d \s \w \b` are ASCII-only in Go, Unicode-aware in `regex`;
//! - Go has `\Q...\E` and octal escapes (`\012`), and rejects `\u`, `\<`, `(?x)`, nested
//!   repetitions (`a**`) and counts above 1000;
//! - a `{` that does not start a repetition is a literal in Go, an error in `regex`;
//! - inside a class, `[`, `&&`, `--` and `~~` are literal in Go but operators in `regex`.

use std::fmt;

/// A pattern Go's parser rejects, displayed as Go displays it:
/// ``error parsing regexp: missing closing ]: `[a` ``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GoSyntaxError {
    /// Go's error code text, e.g. `missing closing ]`.
    pub(crate) code: &'static str,
    /// The offending part of the pattern.
    pub(crate) expr: String,
}

impl fmt::Display for GoSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_RANGE: &str = "invalid character class range";
const MISSING_BRACKET: &str = "missing closing ]";
const MISSING_PAREN: &str = "missing closing )";
const UNEXPECTED_PAREN: &str = "unexpected )";
const MISSING_REPEAT_ARG: &str = "missing argument to repetition operator";
const NESTED_REPEAT: &str = "invalid nested repetition operator";
const REPEAT_SIZE: &str = "invalid repeat count";
const PERL_OP: &str = "invalid or unsupported Perl syntax";
const NAMED_CAPTURE: &str = "invalid named capture";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";

fn err(code: &'static str, expr: &str) -> GoSyntaxError {
    GoSyntaxError {
        code,
        expr: expr.to_string(),
    }
}

/// What the previous token was, for the checks on repetition operators.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Nothing to repeat: the start, `(` or `|`.
    Nothing,
    /// Something repeatable.
    Atom,
    /// A repetition operator that started at this byte offset.
    Repeat(usize),
}

/// ASCII classes for Go's Perl escapes, usable inside and outside a class.
fn perl_class(c: char) -> Option<&'static str> {
    Some(match c {
        'd' => "[0-9]",
        'D' => "[^0-9]",
        's' => "[\\t\\n\\x0C\\r ]",
        'S' => "[^\\t\\n\\x0C\\r ]",
        'w' => "[0-9A-Za-z_]",
        'W' => "[^0-9A-Za-z_]",
        _ => return None,
    })
}

fn push_char(out: &mut String, c: char) {
    out.push_str(&format!("\\x{{{:X}}}", c as u32));
}

struct Translator<'p> {
    p: &'p str,
    i: usize,
    out: String,
    names: Vec<Option<String>>,
}

/// A pattern rewritten for the `regex` crate.
#[derive(Debug)]
pub(crate) struct Translated {
    /// The rewritten pattern.
    pub(crate) pattern: String,
    /// The name of each capture group (1, 2, ...) as Go sees it; Go allows a name twice, so
    /// later uses of a name are unnamed groups in [`Translated::pattern`].
    pub(crate) names: Vec<Option<String>>,
}

/// Rewrites Go regexp syntax `pattern` for the `regex` crate, or reports Go's parse error.
pub(crate) fn translate(pattern: &str) -> Result<Translated, GoSyntaxError> {
    let mut t = Translator {
        p: pattern,
        i: 0,
        out: String::with_capacity(pattern.len() + 8),
        names: Vec::new(),
    };
    t.run()?;
    Ok(Translated {
        pattern: t.out,
        names: t.names,
    })
}

impl Translator<'_> {
    fn peek(&self) -> Option<char> {
        self.p[self.i..].chars().next()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.p.get(self.i + offset..).and_then(|s| s.chars().next())
    }

    fn run(&mut self) -> Result<(), GoSyntaxError> {
        // Per open group, the largest product of nested repeat counts inside it (Go allows
        // at most 1000), and that product for the last atom.
        let mut frames: Vec<i64> = vec![1];
        let mut last_inner = 1i64;
        let mut last = Last::Nothing;
        while let Some(c) = self.peek() {
            let start = self.i;
            match c {
                '(' => {
                    self.i += 1;
                    if self.peek() == Some('?') {
                        let opens = self.group_options(start)?;
                        if opens {
                            frames.push(1);
                            last = Last::Nothing;
                        } else if let Last::Repeat(_) = last {
                            last = Last::Atom;
                        }
                    } else {
                        self.out.push('(');
                        self.names.push(None);
                        frames.push(1);
                        last = Last::Nothing;
                    }
                }
                ')' => {
                    if frames.len() == 1 {
                        return Err(err(UNEXPECTED_PAREN, self.p));
                    }
                    last_inner = frames.pop().unwrap_or(1);
                    if let Some(top) = frames.last_mut() {
                        *top = (*top).max(last_inner);
                    }
                    self.i += 1;
                    self.out.push(')');
                    last = Last::Atom;
                }
                '|' => {
                    self.i += 1;
                    self.out.push('|');
                    last = Last::Nothing;
                }
                '*' | '+' | '?' => {
                    self.i += 1;
                    if self.peek() == Some('?') {
                        self.i += 1;
                    }
                    last = self.repeat(start, last)?;
                }
                '{' => match self.counted_repeat() {
                    Some((min, max)) => {
                        let op_end = self.i;
                        if min > 1000 || max > 1000 || (max >= 0 && min > max) {
                            return Err(err(REPEAT_SIZE, &self.p[start..op_end]));
                        }
                        if self.peek() == Some('?') {
                            self.i += 1;
                        }
                        last = self.repeat(start, last)?;
                        let times = if max < 0 { min } else { max };
                        if times > 0 {
                            let product = times.saturating_mul(last_inner);
                            if product > 1000 {
                                return Err(err(REPEAT_SIZE, &self.p[start..op_end]));
                            }
                            if let Some(top) = frames.last_mut() {
                                *top = (*top).max(product);
                            }
                        }
                    }
                    None => {
                        self.i += 1;
                        self.out.push_str("\\{");
                        last = Last::Atom;
                        last_inner = 1;
                    }
                },
                '[' => {
                    self.class()?;
                    last = Last::Atom;
                    last_inner = 1;
                }
                '\\' => {
                    if self.escape_outside()? {
                        last = Last::Atom;
                        last_inner = 1;
                    }
                }
                '}' | ']' => {
                    self.i += 1;
                    push_char(&mut self.out, c);
                    last = Last::Atom;
                    last_inner = 1;
                }
                _ => {
                    self.i += c.len_utf8();
                    self.out.push(c);
                    last = Last::Atom;
                    last_inner = 1;
                }
            }
        }
        if frames.len() > 1 {
            return Err(err(MISSING_PAREN, self.p));
        }
        Ok(())
    }

    /// Checks a repetition operator that spans `start..self.i` and copies it out.
    fn repeat(&mut self, start: usize, last: Last) -> Result<Last, GoSyntaxError> {
        match last {
            Last::Nothing => Err(err(MISSING_REPEAT_ARG, &self.p[start..self.i])),
            Last::Repeat(first) => Err(err(NESTED_REPEAT, &self.p[first..self.i])),
            Last::Atom => {
                self.out.push_str(&self.p[start..self.i]);
                Ok(Last::Repeat(start))
            }
        }
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at the cursor (advancing past it), as Go does; `None`
    /// (cursor unmoved) if it is not one, making `{` a literal. `max` is -1 for no bound; an
    /// overlong number reads as 1001 so that the size check fails.
    fn counted_repeat(&mut self) -> Option<(i64, i64)> {
        let rest = &self.p[self.i + 1..];
        let int = |s: &str| -> Option<(i64, usize)> {
            let len = s.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 || (len >= 2 && s.starts_with('0')) {
                return None;
            }
            Some((s[..len].parse::<i64>().unwrap_or(1001).min(1001), len))
        };
        let (min, len) = int(rest)?;
        let mut pos = len;
        let max = match rest[pos..].chars().next()? {
            ',' => {
                pos += 1;
                if rest[pos..].starts_with('}') {
                    -1
                } else {
                    let (max, len) = int(&rest[pos..])?;
                    pos += len;
                    max
                }
            }
            _ => min,
        };
        if !rest[pos..].starts_with('}') {
            return None;
        }
        self.i += 1 + pos + 1;
        Some((min, max))
    }

    /// `(?...`: named groups and flags. Returns whether a group was opened.
    fn group_options(&mut self, start: usize) -> Result<bool, GoSyntaxError> {
        let rest = &self.p[start..];
        if rest.starts_with("(?P<") || rest.starts_with("(?<") {
            let open = if rest.starts_with("(?P<") { 4 } else { 3 };
            let Some(end) = rest.find('>') else {
                return Err(err(NAMED_CAPTURE, rest));
            };
            let name = &rest[open..end];
            if name.is_empty() || !name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
                return Err(err(NAMED_CAPTURE, &rest[..=end]));
            }
            if self.names.iter().any(|n| n.as_deref() == Some(name)) {
                self.out.push('(');
            } else {
                self.out.push_str("(?P<");
                self.out.push_str(name);
                self.out.push('>');
            }
            self.names.push(Some(name.to_string()));
            self.i = start + end + 1;
            return Ok(true);
        }
        // Flags: [imsU]* optionally followed by - and more flags, then ':' or ')'.
        let mut pos = 2;
        let mut negated = false;
        let mut saw_flag = false;
        loop {
            let Some(c) = rest[pos..].chars().next() else {
                return Err(err(PERL_OP, rest));
            };
            pos += c.len_utf8();
            match c {
                'i' | 'm' | 's' | 'U' => saw_flag = true,
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                }
                ':' | ')' if !negated || saw_flag => {
                    let flags = &rest[2..pos - 1];
                    self.i = start + pos;
                    if c == ':' {
                        self.out.push_str("(?");
                        self.out.push_str(flags);
                        self.out.push(':');
                        return Ok(true);
                    }
                    if !flags.is_empty() {
                        self.out.push_str("(?");
                        self.out.push_str(flags);
                        self.out.push(')');
                    }
                    return Ok(false);
                }
                _ => return Err(err(PERL_OP, &rest[..pos])),
            }
        }
    }

    /// An escape outside a class. Returns whether it produced something repeatable.
    fn escape_outside(&mut self) -> Result<bool, GoSyntaxError> {
        let start = self.i;
        let Some(c) = self.peek_at(1) else {
            return Err(err(TRAILING_BACKSLASH, ""));
        };
        match c {
            'A' | 'z' => {
                self.i += 2;
                self.out.push('\\');
                self.out.push(c);
                Ok(true)
            }
            'b' | 'B' => {
                self.i += 2;
                self.out
                    .push_str(if c == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
                Ok(true)
            }
            'Q' => {
                self.i += 2;
                let rest = &self.p[self.i..];
                let (literal, skip) = match rest.find("\\E") {
                    Some(end) => (&rest[..end], end + 2),
                    None => (rest, rest.len()),
                };
                self.i += skip;
                for ch in literal.chars() {
                    push_char(&mut self.out, ch);
                }
                Ok(!literal.is_empty())
            }
            'p' | 'P' => {
                self.unicode_class(start)?;
                Ok(true)
            }
            c if perl_class(c).is_some() => {
                self.i += 2;
                self.out.push_str(perl_class(c).unwrap_or_default());
                Ok(true)
            }
            _ => {
                let ch = self.escaped_char(start)?;
                push_char(&mut self.out, ch);
                Ok(true)
            }
        }
    }

    /// `\pL`, `\p{Greek}`, `\P{^L}`: copied as is (the names agree).
    fn unicode_class(&mut self, start: usize) -> Result<(), GoSyntaxError> {
        let rest = &self.p[start..];
        let len = match rest[2..].chars().next() {
            None => return Err(err(INVALID_RANGE, rest)),
            Some('{') => match rest.find('}') {
                Some(end) => end + 1,
                None => return Err(err(INVALID_RANGE, rest)),
            },
            Some(ch) => 2 + ch.len_utf8(),
        };
        self.out.push_str(&rest[..len]);
        self.i = start + len;
        Ok(())
    }

    /// A single-character escape at `start` (`\n`, `\x41`, `\101`, `\.`), as Go's
    /// `parseEscape` reads it; the cursor moves past it.
    fn escaped_char(&mut self, start: usize) -> Result<char, GoSyntaxError> {
        let rest = &self.p[start..];
        let Some(c) = rest[1..].chars().next() else {
            return Err(err(TRAILING_BACKSLASH, ""));
        };
        let invalid = |len: usize| err(INVALID_ESCAPE, &rest[..len.min(rest.len())]);
        let simple = |ch: char| -> Result<(char, usize), GoSyntaxError> { Ok((ch, 2)) };
        let (ch, len) = match c {
            '1'..='7' if !rest[2..].starts_with(|d: char| ('0'..='7').contains(&d)) => {
                return Err(invalid(2));
            }
            '0'..='7' => {
                let digits: String = rest[1..]
                    .chars()
                    .take(3)
                    .take_while(|d| ('0'..='7').contains(d))
                    .collect();
                let code = u32::from_str_radix(&digits, 8).unwrap_or(0);
                (char::from_u32(code).unwrap_or('\0'), 1 + digits.len())
            }
            'x' => {
                let mut code: u32 = 0;
                let mut len = 2;
                let mut chars = rest[2..].chars();
                match chars.next() {
                    Some('{') => {
                        len += 1;
                        let mut digits = 0;
                        loop {
                            let Some(h) = chars.next() else {
                                return Err(invalid(rest.len()));
                            };
                            len += h.len_utf8();
                            if h == '}' {
                                if digits == 0 {
                                    return Err(invalid(len));
                                }
                                break;
                            }
                            code = match h.to_digit(16) {
                                Some(v) => code * 16 + v,
                                None => return Err(invalid(len)),
                            };
                            if code > 0x10FFFF {
                                return Err(invalid(len));
                            }
                            digits += 1;
                        }
                    }
                    first => {
                        for h in [first, chars.next()] {
                            let Some(h) = h else {
                                return Err(invalid(rest.len()));
                            };
                            len += h.len_utf8();
                            code = match h.to_digit(16) {
                                Some(v) => code * 16 + v,
                                None => return Err(invalid(len)),
                            };
                        }
                    }
                }
                // Surrogates are not characters; Go reads them as U+FFFD.
                (char::from_u32(code).unwrap_or('\u{FFFD}'), len)
            }
            'a' => simple('\u{7}')?,
            'f' => simple('\u{C}')?,
            'n' => simple('\n')?,
            'r' => simple('\r')?,
            't' => simple('\t')?,
            'v' => simple('\u{B}')?,
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => simple(c)?,
            c => return Err(invalid(1 + c.len_utf8())),
        };
        self.i = start + len;
        Ok(ch)
    }

    /// A character class `[...]`, rewritten with every literal escaped.
    fn class(&mut self) -> Result<(), GoSyntaxError> {
        let start = self.i;
        let missing = |t: &Self| err(MISSING_BRACKET, &t.p[start..]);
        self.i += 1;
        self.out.push('[');
        if self.peek() == Some('^') {
            self.i += 1;
            self.out.push('^');
        }
        let mut first = true;
        let mut empty = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(missing(self));
            };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            let item_start = self.i;
            let rest = &self.p[self.i..];
            if let Some(inner) = rest.strip_prefix("[:") {
                if let Some(end) = inner.find(":]") {
                    let name = &rest[..end + 4];
                    const NAMES: [&str; 14] = [
                        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
                        "print", "punct", "space", "upper", "word", "xdigit",
                    ];
                    let bare = name[2..name.len() - 2].trim_start_matches('^');
                    if !NAMES.contains(&bare) {
                        return Err(err(INVALID_RANGE, name));
                    }
                    self.out.push_str(name);
                    self.i += name.len();
                    empty = false;
                    continue;
                }
            }
            if c == '\\' {
                match self.peek_at(1) {
                    Some('p' | 'P') => {
                        self.unicode_class(item_start)?;
                        empty = false;
                        continue;
                    }
                    Some(k) if perl_class(k).is_some() => {
                        self.i += 2;
                        self.out.push_str(perl_class(k).unwrap_or_default());
                        empty = false;
                        continue;
                    }
                    None => return Err(missing(self)),
                    _ => {}
                }
            }
            let lo = self.class_char(item_start)?;
            let mut hi = lo;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                self.i += 1;
                if self.peek() == Some('\\') && self.peek_at(1).is_none() {
                    return Err(missing(self));
                }
                hi = self.class_char(self.i)?;
                if hi < lo {
                    return Err(err(INVALID_RANGE, &self.p[item_start..self.i]));
                }
            }
            push_char(&mut self.out, lo);
            if hi != lo {
                self.out.push('-');
                push_char(&mut self.out, hi);
            }
            empty = false;
        }
        if empty {
            // Only reachable for `[]...]`-style classes, which always hold `]`.
            return Err(missing(self));
        }
        self.out.push(']');
        Ok(())
    }

    /// One class member character at `at` (the cursor), escaped or literal.
    fn class_char(&mut self, at: usize) -> Result<char, GoSyntaxError> {
        let c = self.p[at..].chars().next().unwrap_or('\0');
        if c == '\\' {
            return self.escaped_char(at);
        }
        self.i = at + c.len_utf8();
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn error(p: &str) -> String {
        translate(p).unwrap_err().to_string()
    }

    #[test]
    fn rewrites() {
        let translate = |p: &str| translate(p).map(|t| t.pattern);
        assert_eq!(translate(r"\d+").unwrap(), "[0-9]+");
        assert_eq!(translate(r"a{").unwrap(), r"a\{");
        assert_eq!(translate(r"a{2,3}?").unwrap(), "a{2,3}?");
        assert_eq!(translate(r"\Qa.b\E").unwrap(), r"\x{61}\x{2E}\x{62}");
        assert_eq!(translate(r"\101\0").unwrap(), r"\x{41}\x{0}");
        assert_eq!(translate(r"[\d-]").unwrap(), r"[[0-9]\x{2D}]");
        assert_eq!(translate(r"[]a]").unwrap(), r"[\x{5D}\x{61}]");
        assert_eq!(
            translate(r"[^[:alpha:]&&]").unwrap(),
            r"[^[:alpha:]\x{26}\x{26}]"
        );
        assert_eq!(
            translate(r"(?i)(?P<x>a)(?:b)(?)").unwrap(),
            "(?i)(?P<x>a)(?:b)"
        );
        assert_eq!(translate(r"(?P<n>a)(?P<n>b)").unwrap(), "(?P<n>a)(b)");
        assert_eq!(translate(r"^*$+(?:)*\z*").unwrap(), r"^*$+(?:)*\z*");
        assert!(translate(r"(a{30})*{0}").is_err());
        assert_eq!(translate(r"((a{30}){33})").unwrap(), "((a{30}){33})");
    }

    #[test]
    fn group_names() {
        let t = super::translate(r"(a)(?P<x>b)(?:c)(?P<x>d)").unwrap();
        assert_eq!(t.names, vec![None, Some("x".into()), Some("x".into())]);
    }

    #[test]
    fn go_errors() {
        assert_eq!(
            error("$^[[["),
            "error parsing regexp: missing closing ]: `[[[`"
        );
        assert_eq!(
            error("++"),
            "error parsing regexp: missing argument to repetition operator: `+`"
        );
        assert_eq!(
            error("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            error("x{2}{3}"),
            "error parsing regexp: invalid nested repetition operator: `{2}{3}`"
        );
        assert_eq!(
            error("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            error("a{2,1}"),
            "error parsing regexp: invalid repeat count: `{2,1}`"
        );
        assert_eq!(error("(a"), "error parsing regexp: missing closing ): `(a`");
        assert_eq!(error("a)"), "error parsing regexp: unexpected ): `a)`");
        assert_eq!(
            error("(?x)a"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"
        );
        assert_eq!(
            error("(?=a)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"
        );
        assert_eq!(
            error(r"\1"),
            "error parsing regexp: invalid escape sequence: `\\1`"
        );
        assert_eq!(
            error(r"\u0041"),
            "error parsing regexp: invalid escape sequence: `\\u`"
        );
        assert_eq!(
            error(r"[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            error(r"[[:foo:]]"),
            "error parsing regexp: invalid character class range: `[:foo:]`"
        );
        assert_eq!(
            error("a\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(
            error("(?P<1a-b>x)"),
            "error parsing regexp: invalid named capture: `(?P<1a-b>`"
        );
        assert_eq!(
            error("((((a{100}){100}){100}){100})"),
            "error parsing regexp: invalid repeat count: `{100}`"
        );
        assert_eq!(
            error("((a{30}){34})"),
            "error parsing regexp: invalid repeat count: `{34}`"
        );
        assert_eq!(
            error(r"\x{110000}"),
            "error parsing regexp: invalid escape sequence: `\\x{110000`"
        );
        assert_eq!(
            error(r"\xZab"),
            "error parsing regexp: invalid escape sequence: `\\xZ`"
        );
        assert_eq!(
            error(r"\x{}"),
            "error parsing regexp: invalid escape sequence: `\\x{}`"
        );
        assert_eq!(
            error(r"[\b]"),
            "error parsing regexp: invalid escape sequence: `\\b`"
        );
        assert_eq!(
            error(r"\C"),
            "error parsing regexp: invalid escape sequence: `\\C`"
        );
        assert_eq!(
            error("a|*"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            error("(?i)*"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            error(r"\Q\E*"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            error("(?"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?`"
        );
        assert_eq!(
            error("(?P=n)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?P`"
        );
        assert_eq!(
            error("a{1000}{2}"),
            "error parsing regexp: invalid nested repetition operator: `{1000}{2}`"
        );
    }
}
