//! Source text to tokens: a logos scanner plus a pass that makes Rego's context rules explicit.
//!
//! The pass, run as tokens are scanned:
//! - turns a keyword into an identifier right after a `.` or right before an adjacent `.`
//!   (`input.if`, `data.x.contains`, `as.foo := 1`), and `contains(` into a call name;
//! - merges `if` followed by `{` into one [`Tok::IfLBrace`], so a rule body in braces is never
//!   confused with a set or object literal;
//! - emits [`Tok::Newline`] only where a line break separates two body literals: inside
//!   brackets, between a token that can end an expression and one that can start one.

use crate::ast::Comment;
use crate::span::{FileId, Span};
use logos::Logos;

mod scan;

pub use scan::{TemplatePiece, TemplateTok};

/// A token as the grammar sees it: just its kind. The text of identifiers, numbers and strings
/// is the source under the token's span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// An identifier (including keywords used as names).
    Ident,
    /// A number as written.
    Number,
    /// A double-quoted string; its escapes are valid ([`unescape`] decodes the text between
    /// the quotes).
    Str,
    /// A backtick string.
    RawStr,
    /// A template string, from its `$` to its closing quote ([`scan_template`] splits it).
    Template,
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
            Tok::Ident => "ident".into(),
            Tok::Number => "number".into(),
            Tok::Str | Tok::RawStr | Tok::Template => "string".into(),
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

    fn keyword(&self) -> Option<&'static str> {
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
            Tok::Ident
                | Tok::Number
                | Tok::Str
                | Tok::RawStr
                | Tok::Template
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
            Tok::Ident
                | Tok::Number
                | Tok::Str
                | Tok::RawStr
                | Tok::Template
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
    #[regex(r#""([^"\\\n]|\\[^\n])*""#, |lex| scan::check_string(&lex.slice()[1..lex.slice().len() - 1]))]
    Str,
    #[regex(r#""([^"\\\n]|\\[^\n])*"#, unterminated, priority = 1)]
    UnterminatedStr,
    #[regex(r"`[^`]*`")]
    Backtick,
    #[token("$\"", |lex| skip_template(lex, b'"'))]
    #[token("$`", |lex| skip_template(lex, b'`'))]
    Template,
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

/// Finds the end of a template string after `$"` or `` $` `` and checks its pieces.
fn skip_template(lex: &mut logos::Lexer<'_, Raw>, quote: u8) -> Result<(), LexError> {
    let base = lex.extras + lex.span().end;
    let (_, len) = scan::template(lex.remainder().as_bytes(), base, quote)?;
    lex.bump(len);
    Ok(())
}

/// Splits a template token (as in [`Tok::Template`]) found at offset `start` into its text
/// and code pieces; code ranges are absolute offsets.
pub fn scan_template(token: &str, start: usize) -> Result<TemplateTok, LexError> {
    let bytes = token.as_bytes();
    let quote = bytes.get(1).copied().ok_or(LexError::Unterminated)?;
    scan::template(&bytes[2..], start + 2, quote).map(|(tok, _)| tok)
}

/// The value of a [`Tok::Str`] body: its escapes decoded.
pub fn unescape(body: &str) -> String {
    if body.contains('\\') {
        // The lexer has checked the escapes; the fallback is never taken.
        scan::decode_string(body).unwrap_or_else(|_| body.to_string())
    } else {
        body.to_string()
    }
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

/// Lexes `src[range]` of `file`, with offsets relative to the whole of `src`.
pub fn lex(
    src: &str,
    file: FileId,
    range: std::ops::Range<usize>,
    top_level_newlines: bool,
) -> Lexed {
    let base = range.start;
    let text = &src[range];
    let mut comments = Vec::new();
    let mut errors = Vec::new();
    // Typical Rego has a token per four bytes; a little more room avoids regrowing.
    let mut cook = Cook::new(usize::from(top_level_newlines), text.len() / 3 + 8);
    let mut after_newline = false;
    let mut lexer = Raw::lexer_with_extras(text, base);
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
                errors.push((Span::new(file, start, end), message));
                continue;
            }
        };
        match raw {
            Raw::Newline => after_newline = true,
            Raw::Comment => {
                comments.push(Comment {
                    span: Span::new(file, start, end),
                    text: text[span.start + 1..span.end].to_string(),
                });
                after_newline = true;
            }
            Raw::UnterminatedStr => {}
            _ => {
                cook.push(start, raw.tok(), end, after_newline);
                after_newline = false;
            }
        }
    }
    Lexed {
        tokens: cook.finish(),
        comments,
        errors,
    }
}

impl Raw {
    /// The token of a significant scanned item (a plain mapping, compiled to a table).
    fn tok(self) -> Tok {
        match self {
            Raw::Ident => Tok::Ident,
            Raw::Number => Tok::Number,
            Raw::Str => Tok::Str,
            Raw::Backtick => Tok::RawStr,
            Raw::Template => Tok::Template,
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
            // Never significant: the scanner loop handles them.
            Raw::Newline | Raw::Comment | Raw::UnterminatedStr => Tok::Newline,
        }
    }
}

/// An open bracket, for deciding whether the `{` after an `if` starts a rule body.
struct Open {
    /// Index in the output of the `if` right before this `{`, if any.
    if_at: Option<usize>,
    /// A `:` stands directly inside: the braces hold an object (or object comprehension).
    object: bool,
}

/// Applies the context rules to scanned tokens as they arrive:
/// - a keyword becomes a name after a `.`; before an adjacent `.` (or `contains` before an
///   adjacent `(`) it becomes one when that next token arrives, which also adds the newline a
///   name there would have had;
/// - an `if` directly followed by `{` merges with it into [`Tok::IfLBrace`] unless a `:`
///   stands directly inside the braces; that is known when they close, so the merge is
///   noted then and applied at the end;
/// - [`Tok::Newline`] goes between two tokens on different lines inside brackets when the
///   first can end an expression and the second can start one.
struct Cook {
    out: Vec<(usize, Tok, usize)>,
    /// The last token is a `.`.
    after_dot: bool,
    /// The last token is a keyword that the next token may still turn into a name: its kind,
    /// and whether a newline would go before it if it were a name.
    last_keyword: Option<(Tok, bool)>,
    /// Bracket depth for newlines (starting at 1 for queries).
    depth: usize,
    opens: Vec<Open>,
    /// Indexes in `out` of `if` tokens to merge with the `{` after them.
    merges: Vec<usize>,
}

impl Cook {
    fn new(depth: usize, capacity: usize) -> Cook {
        Cook {
            out: Vec::with_capacity(capacity),
            after_dot: false,
            last_keyword: None,
            depth,
            opens: Vec::new(),
            merges: Vec::new(),
        }
    }

    fn push(&mut self, start: usize, mut tok: Tok, end: usize, after_newline: bool) {
        if let Some((keyword, newline_if_name)) = self.last_keyword.take() {
            let adjacent = self.out.last().is_some_and(|last| last.2 == start);
            if adjacent && (tok == Tok::Dot || (tok == Tok::LParen && keyword == Tok::Contains)) {
                self.keyword_to_name(newline_if_name);
            }
        }
        if self.after_dot && tok.keyword().is_some() {
            tok = Tok::Ident;
        }
        self.after_dot = tok == Tok::Dot;
        let newline_if_start =
            after_newline && self.depth > 0 && self.out.last().is_some_and(|last| last.1.can_end());
        if newline_if_start && tok.can_start() {
            let at = self.out.last().map_or(start, |last| last.2);
            self.out.push((at, Tok::Newline, at));
        }
        if tok.keyword().is_some() {
            self.last_keyword = Some((tok, newline_if_start));
        }
        match tok {
            Tok::LBrace | Tok::LBrack | Tok::LParen => {
                self.depth += 1;
                let if_at = match (tok, self.out.last()) {
                    (Tok::LBrace, Some((_, Tok::If, _))) => Some(self.out.len() - 1),
                    _ => None,
                };
                self.opens.push(Open {
                    if_at,
                    object: false,
                });
            }
            Tok::RBrace | Tok::RBrack | Tok::RParen => {
                self.depth = self.depth.saturating_sub(1);
                if let Some(open) = self.opens.pop() {
                    self.close(open);
                }
            }
            Tok::Colon => {
                if let Some(open) = self.opens.last_mut() {
                    open.object = true;
                }
            }
            _ => {}
        }
        self.out.push((start, tok, end));
    }

    /// Turns the last token, a keyword, into a name, adding the newline before it that a
    /// name would have had.
    fn keyword_to_name(&mut self, newline_if_name: bool) {
        let Some(mut last) = self.out.pop() else {
            return;
        };
        if newline_if_name && !last.1.can_start() {
            let at = self.out.last().map_or(last.0, |prev| prev.2);
            self.out.push((at, Tok::Newline, at));
        }
        last.1 = Tok::Ident;
        self.out.push(last);
    }

    fn close(&mut self, open: Open) {
        if let (Some(at), false) = (open.if_at, open.object) {
            self.merges.push(at);
        }
    }

    fn finish(mut self) -> Vec<(usize, Tok, usize)> {
        while let Some(open) = self.opens.pop() {
            self.close(open);
        }
        let mut out = self.out;
        let mut merges = self.merges;
        merges.sort_unstable();
        // Each merge extends the `if` over its `{` and drops the `{`: the tokens between
        // merges shift down by the number of merges before them.
        let mut write = match merges.first() {
            Some(&first) => first,
            None => return out,
        };
        for (i, &at) in merges.iter().enumerate() {
            let brace_end = out[at + 1].2;
            let segment_end = merges.get(i + 1).copied().unwrap_or(out.len());
            out.copy_within(at..at + 1, write);
            out[write].1 = Tok::IfLBrace;
            out[write].2 = brace_end;
            out.copy_within(at + 2..segment_end, write + 1);
            write += segment_end - at - 1;
        }
        out.truncate(write);
        out
    }
}

#[cfg(test)]
mod tests;
