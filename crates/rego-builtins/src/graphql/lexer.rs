//! GraphQL tokens, with the positions and error texts of the Go library OPA embeds
//! (gqlparser): columns count characters, a string token's column is that of its first
//! character after the opening quote, and a malformed token becomes an `Invalid` token.

use std::fmt;

/// The kind of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Invalid,
    Eof,
    Bang,
    Dollar,
    Amp,
    ParenL,
    ParenR,
    Spread,
    Colon,
    Equals,
    At,
    BracketL,
    BracketR,
    BraceL,
    BraceR,
    Pipe,
    Name,
    Int,
    Float,
    String,
    BlockString,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Invalid => "<Invalid>",
            Kind::Eof => "<EOF>",
            Kind::Bang => "!",
            Kind::Dollar => "$",
            Kind::Amp => "&",
            Kind::ParenL => "(",
            Kind::ParenR => ")",
            Kind::Spread => "...",
            Kind::Colon => ":",
            Kind::Equals => "=",
            Kind::At => "@",
            Kind::BracketL => "[",
            Kind::BracketR => "]",
            Kind::BraceL => "{",
            Kind::BraceR => "}",
            Kind::Pipe => "|",
            Kind::Name => "Name",
            Kind::Int => "Int",
            Kind::Float => "Float",
            Kind::String => "String",
            Kind::BlockString => "BlockString",
        })
    }
}

/// One token; `error` is set on `Invalid` tokens.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) value: String,
    pub(crate) line: u32,
    pub(crate) column: i64,
    pub(crate) error: Option<String>,
}

impl fmt::Display for Token {
    /// `Name "foo"`, or just the kind when the value is empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{} {}", self.kind, go_quote(&self.value))
        }
    }
}

/// Go's `strconv.Quote`: double quotes, Go escapes, printable characters kept.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads tokens from a source text.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    bytes: &'a [u8],
    start: usize,
    start_runes: u32,
    end: usize,
    end_runes: u32,
    line: u32,
    line_start_runes: u32,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `input`.
    pub(crate) fn new(input: &'a str) -> Lexer<'a> {
        Lexer {
            input,
            bytes: input.as_bytes(),
            start: 0,
            start_runes: 0,
            end: 0,
            end_runes: 0,
            line: 1,
            line_start_runes: 0,
        }
    }

    fn token(&self, kind: Kind, value: String) -> Token {
        Token {
            kind,
            value,
            line: self.line,
            column: i64::from(self.start_runes) - i64::from(self.line_start_runes) + 1,
            error: None,
        }
    }

    fn raw_token(&self, kind: Kind) -> Token {
        self.token(kind, self.input[self.start..self.end].to_string())
    }

    fn error(&self, message: String) -> Token {
        Token {
            kind: Kind::Invalid,
            value: String::new(),
            line: self.line,
            column: i64::from(self.end_runes) - i64::from(self.line_start_runes) + 1,
            error: Some(message),
        }
    }

    /// The next token (an `Eof` token at the end, forever).
    pub(crate) fn read_token(&mut self) -> Token {
        loop {
            self.skip_whitespace();
            self.start = self.end;
            self.start_runes = self.end_runes;
            let Some(&b) = self.bytes.get(self.start) else {
                return self.raw_token(Kind::Eof);
            };
            self.end += 1;
            self.end_runes += 1;
            let punct = match b {
                b'!' => Some(Kind::Bang),
                b'$' => Some(Kind::Dollar),
                b'&' => Some(Kind::Amp),
                b'(' => Some(Kind::ParenL),
                b')' => Some(Kind::ParenR),
                b':' => Some(Kind::Colon),
                b'=' => Some(Kind::Equals),
                b'@' => Some(Kind::At),
                b'[' => Some(Kind::BracketL),
                b']' => Some(Kind::BracketR),
                b'{' => Some(Kind::BraceL),
                b'}' => Some(Kind::BraceR),
                b'|' => Some(Kind::Pipe),
                _ => None,
            };
            if let Some(kind) = punct {
                return self.token(kind, String::new());
            }
            match b {
                b'.' if self.bytes[self.start..].starts_with(b"...") => {
                    self.end += 2;
                    self.end_runes += 2;
                    return self.token(Kind::Spread, String::new());
                }
                b'#' => {
                    self.skip_comment();
                    continue;
                }
                b'_' | b'a'..=b'z' | b'A'..=b'Z' => return self.read_name(),
                b'-' | b'0'..=b'9' => return self.read_number(),
                b'"' => {
                    if self.bytes[self.start..].starts_with(b"\"\"\"") {
                        return self.read_block_string();
                    }
                    return self.read_string();
                }
                _ => {}
            }
            self.end -= 1;
            self.end_runes -= 1;
            if b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' {
                // Go formats the code point with %04d (decimal), a quirk kept here.
                return self.error(format!(
                    "Cannot contain the invalid character \"\\u{b:04}\""
                ));
            }
            if b == b'\'' {
                return self.error(
                    "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                        .to_string(),
                );
            }
            return self.error(format!(
                "Cannot parse the unexpected character \"{}\".",
                char::from(b)
            ));
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(&b) = self.bytes.get(self.end) {
            match b {
                b'\t' | b' ' | b',' => {
                    self.end += 1;
                    self.end_runes += 1;
                }
                b'\n' => {
                    self.end += 1;
                    self.end_runes += 1;
                    self.new_line();
                }
                b'\r' => {
                    self.end += 1;
                    self.end_runes += 1;
                    self.new_line();
                    if self.bytes.get(self.end) == Some(&b'\n') {
                        self.end += 1;
                        self.end_runes += 1;
                    }
                }
                0xef if self.bytes[self.end..].starts_with(&[0xef, 0xbb, 0xbf]) => {
                    self.end += 3;
                    self.end_runes += 1;
                }
                _ => return,
            }
        }
    }

    fn new_line(&mut self) {
        self.line += 1;
        self.line_start_runes = self.end_runes;
    }

    fn next_char(&self) -> Option<char> {
        self.input[self.end..].chars().next()
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.next_char() {
            if (c as u32) > 0x1f || c == '\t' {
                self.end += c.len_utf8();
                self.end_runes += 1;
            } else {
                break;
            }
        }
    }

    fn read_name(&mut self) -> Token {
        while let Some(&b) = self.bytes.get(self.end) {
            if b.is_ascii_alphanumeric() || b == b'_' {
                self.end += 1;
                self.end_runes += 1;
            } else {
                break;
            }
        }
        self.raw_token(Kind::Name)
    }

    fn accept(&mut self, options: &[u8]) -> bool {
        match self.bytes.get(self.end) {
            Some(b) if options.contains(b) => {
                self.end += 1;
                self.end_runes += 1;
                true
            }
            _ => false,
        }
    }

    fn accept_digits(&mut self) -> u32 {
        let mut n = 0;
        while let Some(b'0'..=b'9') = self.bytes.get(self.end) {
            self.end += 1;
            self.end_runes += 1;
            n += 1;
        }
        n
    }

    fn describe_next(&self) -> String {
        match self.bytes.get(self.end) {
            Some(&b) => format!("\"{}\"", char::from(b)),
            None => "<EOF>".to_string(),
        }
    }

    fn read_number(&mut self) -> Token {
        let mut float = false;
        self.end -= 1;
        self.end_runes -= 1;
        self.accept(b"-");
        if self.accept(b"0") {
            let consumed = self.accept_digits();
            if consumed != 0 {
                self.end -= consumed as usize;
                self.end_runes -= consumed;
                return self.error(format!(
                    "Invalid number, unexpected digit after 0: {}.",
                    self.describe_next()
                ));
            }
        } else if self.accept_digits() == 0 {
            return self.error(format!(
                "Invalid number, expected digit but got: {}.",
                self.describe_next()
            ));
        }
        if self.accept(b".") {
            float = true;
            if self.accept_digits() == 0 {
                return self.error(format!(
                    "Invalid number, expected digit but got: {}.",
                    self.describe_next()
                ));
            }
        }
        if self.accept(b"eE") {
            float = true;
            self.accept(b"-+");
            if self.accept_digits() == 0 {
                return self.error(format!(
                    "Invalid number, expected digit but got: {}.",
                    self.describe_next()
                ));
            }
        }
        self.raw_token(if float { Kind::Float } else { Kind::Int })
    }

    fn read_string(&mut self) -> Token {
        let len = self.bytes.len();
        // Only built once an escape sequence is seen.
        let mut buf: Option<String> = None;
        self.start += 1;
        self.start_runes += 1;
        while self.end < len {
            let b = self.bytes[self.end];
            if b == b'\n' || b == b'\r' {
                break;
            }
            if b < 0x20 && b != b'\t' {
                return self.error(format!("Invalid character within String: \"\\u{b:04}\"."));
            }
            match b {
                b'"' => {
                    let value = match buf {
                        Some(v) => v,
                        None => self.input[self.start..self.end].to_string(),
                    };
                    let token = self.token(Kind::String, value);
                    self.end += 1;
                    self.end_runes += 1;
                    return token;
                }
                b'\\' => {
                    if self.end + 1 >= len {
                        self.end += 1;
                        self.end_runes += 1;
                        return self.error("Invalid character escape sequence.".to_string());
                    }
                    let out =
                        buf.get_or_insert_with(|| self.input[self.start..self.end].to_string());
                    let escape = self.bytes[self.end + 1];
                    if escape == b'u' {
                        if self.end + 6 >= len {
                            let rest = self.input[self.end..].to_string();
                            self.end += 1;
                            self.end_runes += 1;
                            return self
                                .error(format!("Invalid character escape sequence: \\{rest}."));
                        }
                        match unhex(&self.bytes[self.end + 2..self.end + 6]) {
                            Some(code) => {
                                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                                self.end += 6;
                                self.end_runes += 6;
                            }
                            None => {
                                let shown = String::from_utf8_lossy(
                                    &self.bytes[self.end..(self.end + 5).min(len)],
                                )
                                .into_owned();
                                self.end += 1;
                                self.end_runes += 1;
                                return self.error(format!(
                                    "Invalid character escape sequence: \\{shown}."
                                ));
                            }
                        }
                    } else {
                        let c = match escape {
                            b'"' | b'/' | b'\\' => char::from(escape),
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            _ => {
                                self.end += 1;
                                self.end_runes += 1;
                                let shown = self.input[self.end..]
                                    .chars()
                                    .next()
                                    .map(String::from)
                                    .unwrap_or_default();
                                return self.error(format!(
                                    "Invalid character escape sequence: \\{shown}."
                                ));
                            }
                        };
                        out.push(c);
                        self.end += 2;
                        self.end_runes += 2;
                    }
                }
                _ => {
                    let c = self.next_char().unwrap_or('\u{FFFD}');
                    self.end += c.len_utf8();
                    self.end_runes += 1;
                    if let Some(out) = buf.as_mut() {
                        out.push(c);
                    }
                }
            }
        }
        self.error("Unterminated string.".to_string())
    }

    fn read_block_string(&mut self) -> Token {
        let len = self.bytes.len();
        let mut buf = String::new();
        self.start += 3;
        self.start_runes += 3;
        self.end += 2;
        self.end_runes += 2;
        while self.end < len {
            let b = self.bytes[self.end];
            if self.bytes[self.end..].starts_with(b"\"\"\"") {
                let token = self.token(Kind::BlockString, block_string_value(&buf));
                self.end += 3;
                self.end_runes += 3;
                return token;
            }
            if b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' {
                return self.error(format!("Invalid character within String: \"\\u{b:04}\"."));
            }
            if self.bytes[self.end..].starts_with(b"\\\"\"\"") {
                buf.push_str("\"\"\"");
                self.end += 4;
                self.end_runes += 4;
            } else if b == b'\r' {
                if self.bytes.get(self.end + 1) == Some(&b'\n') {
                    self.end += 1;
                    self.end_runes += 1;
                }
                buf.push('\n');
                self.end += 1;
                self.end_runes += 1;
                self.new_line();
            } else {
                let c = self.next_char().unwrap_or('\u{FFFD}');
                self.end += c.len_utf8();
                self.end_runes += 1;
                buf.push(c);
                if c == '\n' {
                    self.new_line();
                }
            }
        }
        self.error("Unterminated string.".to_string())
    }
}

fn unhex(digits: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &d in digits {
        v = (v << 4) | char::from(d).to_digit(16)?;
    }
    Some(v)
}

/// The value of a block string: common indentation and blank first/last lines removed.
fn block_string_value(raw: &str) -> String {
    fn indent(line: &str) -> Option<usize> {
        line.bytes().position(|b| b != b' ' && b != b'\t')
    }
    let mut lines: Vec<&str> = raw.split('\n').collect();
    let common = lines.iter().skip(1).filter_map(|l| indent(l)).min();
    if let Some(common) = common {
        for line in lines.iter_mut().skip(1) {
            *line = line.get(common..).unwrap_or("");
        }
    }
    let first = lines.iter().position(|l| indent(l).is_some());
    let Some(first) = first else {
        return String::new();
    };
    let last = lines
        .iter()
        .rposition(|l| indent(l).is_some())
        .unwrap_or(first);
    lines[first..=last].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<String> {
        let mut lx = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lx.read_token();
            out.push(format!("{}@{}:{}", t, t.line, t.column));
            if matches!(t.kind, Kind::Eof | Kind::Invalid) {
                return out;
            }
        }
    }

    #[test]
    fn punctuation_names_numbers() {
        assert_eq!(
            kinds("{ a(x: -1.5e3) } ..."),
            vec![
                "{@1:1",
                "Name \"a\"@1:3",
                "(@1:4",
                "Name \"x\"@1:5",
                ":@1:6",
                "Float \"-1.5e3\"@1:8",
                ")@1:14",
                "}@1:16",
                "...@1:18",
                "<EOF>@1:21"
            ]
        );
    }

    #[test]
    fn strings_and_columns() {
        assert_eq!(
            kinds("\n  \"Description\""),
            vec!["String \"Description\"@2:4", "<EOF>@2:16"]
        );
        assert_eq!(kinds(r#""a\u0041\n""#)[0], "String \"aA\\n\"@1:2");
        assert_eq!(kinds("\"ਊ\" x")[1], "Name \"x\"@1:5");
    }

    #[test]
    fn block_strings() {
        let toks = kinds("\"\"\"\n    block string uses \\\"\"\"\n\"\"\"");
        // gqlparser counts the column from the line where the token ends.
        assert_eq!(
            toks[0],
            "BlockString \"block string uses \\\"\\\"\\\"\"@3:-27"
        );
        assert_eq!(block_string_value("\n  a\n    b\n  \n"), "a\n  b");
    }

    #[test]
    fn errors() {
        let mut lx = Lexer::new("\"\"\"\r");
        let t = lx.read_token();
        assert_eq!((t.kind, t.line, t.column), (Kind::Invalid, 2, 1));
        assert_eq!(t.error.as_deref(), Some("Unterminated string."));
        let t = Lexer::new("  ?").read_token();
        assert_eq!(t.column, 3);
        assert_eq!(
            t.error.as_deref(),
            Some("Cannot parse the unexpected character \"?\".")
        );
        let t = Lexer::new("01").read_token();
        assert_eq!(
            t.error.as_deref(),
            Some("Invalid number, unexpected digit after 0: \"1\".")
        );
        assert_eq!(go_quote("a\"b\u{1}"), "\"a\\\"b\\x01\"");
    }
}
