//! Source text to tokens: a logos scanner plus a pass that makes Rego's context rules explicit.
//!
//! The pass after scanning:
//! - turns a keyword into an identifier right after a `.` or right before an adjacent `.`
//!   (`input.if`, `data.x.contains`, `as.foo := 1`), and `contains(` into a call name;
//! - merges `if` followed by `{` into one [`Tok::IfLBrace`], so a rule body in braces is never
//!   confused with a set or object literal;
//! - emits [`Tok::Newline`] only where a line break separates two body literals: inside
//!   brackets, between a token that can end an expression and one that can start one.

use crate::ast::Comment;
use crate::span::{FileId, Span};
use logos::Logos;

/// A piece of a template string as scanned: text, or the byte range of an embedded expression.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePiece {
    /// Literal text with escapes decoded.
    Text(String),
    /// Absolute byte range of the code between `{` and `}`.
    Code(usize, usize),
}

/// A scanned template string.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateTok {
    /// Text and code pieces in order.
    pub pieces: Vec<TemplatePiece>,
    /// Written with backticks.
    pub raw: bool,
}

/// A token as the grammar sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// An identifier (including keywords used as names).
    Ident(String),
    /// A number as written.
    Number(String),
    /// A double-quoted string, decoded.
    Str(String),
    /// A backtick string.
    RawStr(String),
    /// A template string.
    Template(TemplateTok),
    /// `package`
    Package,
    /// `import`
    Import,
    /// `as`
    As,
    /// `default`
    Default,
    /// `if`
    If,
    /// `if {`
    IfLBrace,
    /// `else`
    Else,
    /// `contains`
    Contains,
    /// `some`
    Some,
    /// `every`
    Every,
    /// `in`
    In,
    /// `not`
    Not,
    /// `with`
    With,
    /// `true`
    True,
    /// `false`
    False,
    /// `null`
    Null,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBrack,
    /// `]`
    RBrack,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `.`
    Dot,
    /// `,`
    Comma,
    /// `;`
    Semi,
    /// `:`
    Colon,
    /// `:=`
    Assign,
    /// `=`
    Unify,
    /// `==`
    Eq,
    /// `!=`
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `|`
    Pipe,
    /// `&`
    Amp,
    /// A line break separating two literals.
    Newline,
    /// Synthetic: parse a whole module.
    StartModule,
    /// Synthetic: parse rules only (error recovery).
    StartRules,
    /// Synthetic: parse a query.
    StartQuery,
    /// Synthetic: parse one literal (template string code).
    StartLiteral,
}

impl Tok {
    /// The token's name in error messages, as OPA names it.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(_) => "ident".into(),
            Tok::Number(_) => "number".into(),
            Tok::Str(_) | Tok::RawStr(_) | Tok::Template(_) => "string".into(),
            Tok::Package => "package".into(),
            Tok::Import => "import".into(),
            Tok::As => "as".into(),
            Tok::Default => "default".into(),
            Tok::If | Tok::IfLBrace => "if".into(),
            Tok::Else => "else".into(),
            Tok::Contains => "contains".into(),
            Tok::Some => "some".into(),
            Tok::Every => "every".into(),
            Tok::In => "in".into(),
            Tok::Not => "not".into(),
            Tok::With => "with".into(),
            Tok::True => "true".into(),
            Tok::False => "false".into(),
            Tok::Null => "null".into(),
            Tok::LBrace => "{".into(),
            Tok::RBrace => "}".into(),
            Tok::LBrack => "[".into(),
            Tok::RBrack => "]".into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Dot => ".".into(),
            Tok::Comma => ",".into(),
            Tok::Semi => ";".into(),
            Tok::Colon => ":".into(),
            Tok::Assign => "assign".into(),
            Tok::Unify => "=".into(),
            Tok::Eq => "==".into(),
            Tok::Neq => "!=".into(),
            Tok::Lt => "<".into(),
            Tok::Lte => "<=".into(),
            Tok::Gt => ">".into(),
            Tok::Gte => ">=".into(),
            Tok::Plus => "plus".into(),
            Tok::Minus => "minus".into(),
            Tok::Star => "mul".into(),
            Tok::Slash => "div".into(),
            Tok::Percent => "rem".into(),
            Tok::Pipe => "or".into(),
            Tok::Amp => "and".into(),
            Tok::Newline => "newline".into(),
            Tok::StartModule | Tok::StartRules | Tok::StartQuery | Tok::StartLiteral => {
                "start".into()
            }
        }
    }

    fn is_keyword(&self) -> Option<&'static str> {
        Some(match self {
            Tok::Package => "package",
            Tok::Import => "import",
            Tok::As => "as",
            Tok::Default => "default",
            Tok::If => "if",
            Tok::Else => "else",
            Tok::Contains => "contains",
            Tok::Some => "some",
            Tok::Every => "every",
            Tok::In => "in",
            Tok::Not => "not",
            Tok::With => "with",
            Tok::True => "true",
            Tok::False => "false",
            Tok::Null => "null",
            _ => return None,
        })
    }

    /// Tokens after which an expression may be complete.
    fn can_end(&self) -> bool {
        matches!(
            self,
            Tok::Ident(_)
                | Tok::Number(_)
                | Tok::Str(_)
                | Tok::RawStr(_)
                | Tok::Template(_)
                | Tok::True
                | Tok::False
                | Tok::Null
                | Tok::RBrace
                | Tok::RBrack
                | Tok::RParen
        )
    }

    /// Tokens that may begin a new literal.
    fn can_start(&self) -> bool {
        matches!(
            self,
            Tok::Ident(_)
                | Tok::Number(_)
                | Tok::Str(_)
                | Tok::RawStr(_)
                | Tok::Template(_)
                | Tok::True
                | Tok::False
                | Tok::Null
                | Tok::LBrace
                | Tok::LBrack
                | Tok::LParen
                | Tok::Some
                | Tok::Every
                | Tok::Not
        )
    }
}

/// Errors the scanner reports; turned into [`ParseError`]s with spans.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LexError {
    /// A character that starts no token.
    #[default]
    Illegal,
    /// A bad escape sequence in a string.
    BadEscape(String),
    /// A string without its closing quote.
    Unterminated,
}

#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(error = LexError)]
#[logos(extras = usize)]
#[logos(skip r"[ \t\r\x0c]+")]
enum Raw {
    #[token("\n")]
    Newline,
    #[regex(r"#[^\n]*", allow_greedy = true)]
    Comment,
    #[regex(r"[a-zA-Z_][a-zA-Z0-9_]*")]
    Ident,
    #[regex(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    Number,
    #[regex(r#""([^"\\\n]|\\[^\n])*""#, |lex| decode_string(&lex.slice()[1..lex.slice().len() - 1]))]
    Str(String),
    #[regex(r#""([^"\\\n]|\\[^\n])*"#, unterminated, priority = 1)]
    UnterminatedStr,
    #[regex(r"`[^`]*`")]
    Backtick,
    #[token("$\"", |lex| scan_template(lex, b'"'))]
    #[token("$`", |lex| scan_template(lex, b'`'))]
    Template(TemplateTok),
    #[token("package")]
    Package,
    #[token("import")]
    Import,
    #[token("as")]
    As,
    #[token("default")]
    Default,
    #[token("if")]
    If,
    #[token("else")]
    Else,
    #[token("contains")]
    Contains,
    #[token("some")]
    Some,
    #[token("every")]
    Every,
    #[token("in")]
    In,
    #[token("not")]
    Not,
    #[token("with")]
    With,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("null")]
    Null,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBrack,
    #[token("]")]
    RBrack,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token(".")]
    Dot,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(":")]
    Colon,
    #[token(":=")]
    Assign,
    #[token("=")]
    Unify,
    #[token("==")]
    Eq,
    #[token("!=")]
    Neq,
    #[token("<")]
    Lt,
    #[token("<=")]
    Lte,
    #[token(">")]
    Gt,
    #[token(">=")]
    Gte,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("|")]
    Pipe,
    #[token("&")]
    Amp,
}

fn unterminated(_: &mut logos::Lexer<'_, Raw>) -> Result<(), LexError> {
    Err(LexError::Unterminated)
}

/// Decodes the escapes of a double-quoted string body (JSON escapes).
pub(crate) fn decode_string(body: &str) -> Result<String, LexError> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hi = hex4(&mut chars)?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    let rest = chars.as_str();
                    if !rest.starts_with("\\u") {
                        return Err(LexError::BadEscape("unpaired surrogate".into()));
                    }
                    chars.next();
                    chars.next();
                    let lo = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(LexError::BadEscape("invalid surrogate pair".into()));
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                out.push(
                    char::from_u32(c)
                        .ok_or_else(|| LexError::BadEscape(format!("invalid code point {c:x}")))?,
                );
            }
            Some(other) => {
                return Err(LexError::BadEscape(format!(
                    "invalid escape sequence \\{other}"
                )));
            }
            None => return Err(LexError::BadEscape("dangling backslash".into())),
        }
    }
    Ok(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Result<u32, LexError> {
    let mut v = 0;
    for _ in 0..4 {
        let d = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or_else(|| LexError::BadEscape("invalid \\u escape".into()))?;
        v = v * 16 + d;
    }
    Ok(v)
}

/// Scans the rest of a template string after `$"` or `` $` ``, splitting text from `{code}`.
fn scan_template(lex: &mut logos::Lexer<'_, Raw>, quote: u8) -> Result<TemplateTok, LexError> {
    let base = lex.extras + lex.span().end;
    let rest = lex.remainder().as_bytes();
    let mut pieces = Vec::new();
    let mut text = Vec::new();
    let mut i = 0;
    loop {
        let Some(&b) = rest.get(i) else {
            return Err(LexError::Unterminated);
        };
        if b == quote {
            i += 1;
            break;
        }
        if quote == b'"' && b == b'\n' {
            return Err(LexError::Unterminated);
        }
        if b == b'\\' {
            match rest.get(i + 1) {
                Some(b'{') => {
                    text.push(b'{');
                    i += 2;
                    continue;
                }
                Some(_) if quote == b'"' => {
                    let len = escape_len(&rest[i..]);
                    text.extend_from_slice(&rest[i..i + len]);
                    i += len;
                    continue;
                }
                _ => {}
            }
        }
        if b == b'{' {
            if !text.is_empty() {
                pieces.push(TemplatePiece::Text(finish_text(&text, quote)?));
                text.clear();
            }
            let end = skip_code(rest, i + 1).ok_or(LexError::Unterminated)?;
            pieces.push(TemplatePiece::Code(base + i + 1, base + end));
            i = end + 1;
            continue;
        }
        text.push(b);
        i += 1;
    }
    if !text.is_empty() {
        pieces.push(TemplatePiece::Text(finish_text(&text, quote)?));
    }
    lex.bump(i);
    Ok(TemplateTok {
        pieces,
        raw: quote == b'`',
    })
}

fn escape_len(s: &[u8]) -> usize {
    if s.get(1) == Some(&b'u') {
        6.min(s.len())
    } else {
        2.min(s.len())
    }
}

fn finish_text(bytes: &[u8], quote: u8) -> Result<String, LexError> {
    let s = std::str::from_utf8(bytes).map_err(|_| LexError::Illegal)?;
    if quote == b'"' {
        decode_string(s)
    } else {
        Ok(s.to_string())
    }
}

/// From just after a `{`, finds the index of the matching `}`, skipping strings and
/// nested templates.
fn skip_code(s: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < s.len() {
        match s[i] {
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            b'"' => i = skip_quoted(s, i + 1, b'"')?,
            b'`' => i = skip_quoted(s, i + 1, b'`')?,
            b'$' if matches!(s.get(i + 1), Some(b'"') | Some(b'`')) => {
                i = skip_template(s, i + 2, s[i + 1])?;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// From just after an opening quote, the index of the closing quote.
fn skip_quoted(s: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    while i < s.len() {
        if s[i] == b'\\' && quote == b'"' {
            i += 2;
            continue;
        }
        if s[i] == quote {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// From just after `$"`, the index of the template's closing quote.
fn skip_template(s: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    while i < s.len() {
        match s[i] {
            b'\\' => i += 1,
            b'{' => i = skip_code(s, i + 1)?,
            b if b == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The result of lexing one source text.
#[derive(Debug, Default)]
pub struct Lexed {
    /// Tokens with absolute byte offsets, ready for the grammar.
    pub tokens: Vec<(usize, Tok, usize)>,
    /// Comments, in order.
    pub comments: Vec<Comment>,
    /// Scanning errors.
    pub errors: Vec<(Span, String)>,
}

struct RawTok {
    start: usize,
    end: usize,
    tok: Tok,
    /// A line break or comment separates it from the previous significant token.
    after_newline: bool,
}

/// Lexes `src[range]` of `file`, with offsets relative to the whole of `src`.
pub fn lex(
    src: &str,
    file: FileId,
    range: std::ops::Range<usize>,
    top_level_newlines: bool,
) -> Lexed {
    let mut out = Lexed::default();
    let mut raws: Vec<RawTok> = Vec::new();
    let mut after_newline = false;
    let base = range.start;
    let mut lexer = Raw::lexer_with_extras(&src[range.clone()], base);
    while let Some(item) = lexer.next() {
        let span = lexer.span();
        let (start, end) = (base + span.start, base + span.end);
        let raw = match item {
            Ok(raw) => raw,
            Err(err) => {
                let message = match err {
                    LexError::Illegal => {
                        let c = src[start..].chars().next().unwrap_or(' ');
                        format!("illegal token {c:?}")
                    }
                    LexError::BadEscape(m) => format!("invalid string: {m}"),
                    LexError::Unterminated => "non-terminated string".to_string(),
                };
                out.errors.push((Span::new(file, start, end), message));
                continue;
            }
        };
        let text = &src[start..end];
        let tok = match raw {
            Raw::Newline => {
                after_newline = true;
                continue;
            }
            Raw::Comment => {
                out.comments.push(Comment {
                    span: Span::new(file, start, end),
                    text: text[1..].to_string(),
                });
                after_newline = true;
                continue;
            }
            Raw::UnterminatedStr => continue,
            Raw::Ident => Tok::Ident(text.to_string()),
            Raw::Number => Tok::Number(text.to_string()),
            Raw::Str(s) => Tok::Str(s),
            Raw::Backtick => Tok::RawStr(text[1..text.len() - 1].to_string()),
            Raw::Template(t) => Tok::Template(t),
            Raw::Package => Tok::Package,
            Raw::Import => Tok::Import,
            Raw::As => Tok::As,
            Raw::Default => Tok::Default,
            Raw::If => Tok::If,
            Raw::Else => Tok::Else,
            Raw::Contains => Tok::Contains,
            Raw::Some => Tok::Some,
            Raw::Every => Tok::Every,
            Raw::In => Tok::In,
            Raw::Not => Tok::Not,
            Raw::With => Tok::With,
            Raw::True => Tok::True,
            Raw::False => Tok::False,
            Raw::Null => Tok::Null,
            Raw::LBrace => Tok::LBrace,
            Raw::RBrace => Tok::RBrace,
            Raw::LBrack => Tok::LBrack,
            Raw::RBrack => Tok::RBrack,
            Raw::LParen => Tok::LParen,
            Raw::RParen => Tok::RParen,
            Raw::Dot => Tok::Dot,
            Raw::Comma => Tok::Comma,
            Raw::Semi => Tok::Semi,
            Raw::Colon => Tok::Colon,
            Raw::Assign => Tok::Assign,
            Raw::Unify => Tok::Unify,
            Raw::Eq => Tok::Eq,
            Raw::Neq => Tok::Neq,
            Raw::Lt => Tok::Lt,
            Raw::Lte => Tok::Lte,
            Raw::Gt => Tok::Gt,
            Raw::Gte => Tok::Gte,
            Raw::Plus => Tok::Plus,
            Raw::Minus => Tok::Minus,
            Raw::Star => Tok::Star,
            Raw::Slash => Tok::Slash,
            Raw::Percent => Tok::Percent,
            Raw::Pipe => Tok::Pipe,
            Raw::Amp => Tok::Amp,
        };
        raws.push(RawTok {
            start,
            end,
            tok,
            after_newline,
        });
        after_newline = false;
    }
    names_from_keywords(&mut raws);
    out.tokens = cook(&raws, usize::from(top_level_newlines));
    out
}

/// Keywords next to a `.` are names; `contains(` is a call of the builtin.
fn names_from_keywords(raws: &mut [RawTok]) {
    for i in 0..raws.len() {
        let Some(word) = raws[i].tok.is_keyword() else {
            continue;
        };
        let after_dot = i > 0 && raws[i - 1].tok == Tok::Dot;
        let next = raws.get(i + 1);
        let adjacent = next.is_some_and(|n| n.start == raws[i].end);
        let before_dot = adjacent && next.is_some_and(|n| n.tok == Tok::Dot);
        let call = word == "contains" && adjacent && next.is_some_and(|n| n.tok == Tok::LParen);
        if after_dot || before_dot || call {
            raws[i].tok = Tok::Ident(word.to_string());
        }
    }
}

/// Whether the tokens after a `{` (up to its matching `}`) hold an object or object
/// comprehension (`{x: i | ...}`) rather than a rule body: a `:` directly inside.
fn braces_hold_object<'a>(tokens: impl Iterator<Item = &'a RawTok>) -> bool {
    let mut depth = 0usize;
    for t in tokens {
        match t.tok {
            Tok::LBrace | Tok::LBrack | Tok::LParen => depth += 1,
            Tok::RBrace | Tok::RBrack | Tok::RParen if depth == 0 => return false,
            Tok::RBrace | Tok::RBrack | Tok::RParen => depth -= 1,
            Tok::Colon if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// Merges `if {`, tracks bracket depth and inserts literal-separating newlines.
fn cook(raws: &[RawTok], start_depth: usize) -> Vec<(usize, Tok, usize)> {
    let mut out: Vec<(usize, Tok, usize)> = Vec::with_capacity(raws.len());
    let mut depth = start_depth;
    let mut iter = raws.iter().peekable();
    while let Some(raw) = iter.next() {
        if raw.after_newline && depth > 0 {
            if let Some((_, prev, prev_end)) = out.last() {
                if prev.can_end() && raw.tok.can_start() {
                    let at = *prev_end;
                    out.push((at, Tok::Newline, at));
                }
            }
        }
        match raw.tok {
            Tok::If
                if iter.peek().is_some_and(|n| n.tok == Tok::LBrace)
                    && !braces_hold_object(iter.clone().skip(1)) =>
            {
                let brace = iter.next().expect("peeked");
                depth += 1;
                out.push((raw.start, Tok::IfLBrace, brace.end));
                continue;
            }
            Tok::LBrace | Tok::LBrack | Tok::LParen => depth += 1,
            Tok::RBrace | Tok::RBrack | Tok::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push((raw.start, raw.tok.clone(), raw.end));
    }
    out
}

#[cfg(test)]
mod tests;
