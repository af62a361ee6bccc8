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

/// A scanned token before the context rules are applied.
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
        let slice = &text[span.start..span.end];
        let tok = match raw {
            Raw::Newline => {
                after_newline = true;
                continue;
            }
            Raw::Comment => {
                comments.push(Comment {
                    span: Span::new(file, start, end),
                    text: slice[1..].to_string(),
                });
                after_newline = true;
                continue;
            }
            Raw::UnterminatedStr => continue,
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
        };
        cook.push(RawTok {
            start,
            end,
            tok,
            after_newline,
        });
        after_newline = false;
    }
    Lexed {
        tokens: cook.finish(),
        comments,
        errors,
    }
}

/// An open bracket, for deciding whether the `{` after an `if` starts a rule body.
struct Open {
    /// Index in the output of the `if` right before this `{`, if any.
    if_at: Option<usize>,
    /// A `:` stands directly inside: the braces hold an object (or object comprehension).
    object: bool,
}

/// Applies the context rules to scanned tokens in one pass, one token behind the scanner:
/// - a keyword becomes a name after a `.`, before an adjacent `.`, and `contains` before an
///   adjacent `(`, which takes the previous and the next token;
/// - an `if` directly followed by `{` merges with it into [`Tok::IfLBrace`] unless a `:`
///   stands directly inside the braces; that is known when they close, so the merge is
///   noted then and applied at the end;
/// - [`Tok::Newline`] goes between two tokens on different lines inside brackets when the
///   first can end an expression and the second can start one.
struct Cook {
    out: Vec<(usize, Tok, usize)>,
    /// The token waiting for its successor.
    pending: Option<RawTok>,
    /// The token before `pending` is a `.`.
    after_dot: bool,
    /// Bracket depth for newlines (starting at 1 for queries).
    depth: usize,
    opens: Vec<Open>,
    /// Index in `out` of an `if` whose successor, a `{`, comes next.
    if_before_brace: Option<usize>,
    /// Indexes in `out` of `if` tokens to merge with the `{` after them.
    merges: Vec<usize>,
}

impl Cook {
    fn new(depth: usize, capacity: usize) -> Cook {
        Cook {
            out: Vec::with_capacity(capacity),
            pending: None,
            after_dot: false,
            depth,
            opens: Vec::new(),
            if_before_brace: None,
            merges: Vec::new(),
        }
    }

    fn push(&mut self, raw: RawTok) {
        if let Some(cur) = self.pending.take() {
            self.emit(cur, Some(&raw));
        }
        self.pending = Some(raw);
    }

    fn emit(&mut self, mut cur: RawTok, next: Option<&RawTok>) {
        if let Some(word) = cur.tok.keyword() {
            let adjacent = next.filter(|n| n.start == cur.end).map(|n| n.tok);
            let before_dot = adjacent == Some(Tok::Dot);
            let call = word == "contains" && adjacent == Some(Tok::LParen);
            if self.after_dot || before_dot || call {
                cur.tok = Tok::Ident;
            }
        }
        self.after_dot = cur.tok == Tok::Dot;
        if cur.after_newline && self.depth > 0 {
            if let Some(&(_, prev, prev_end)) = self.out.last() {
                if prev.can_end() && cur.tok.can_start() {
                    self.out.push((prev_end, Tok::Newline, prev_end));
                }
            }
        }
        match cur.tok {
            Tok::If if next.is_some_and(|n| n.tok == Tok::LBrace) => {
                self.if_before_brace = Some(self.out.len());
            }
            Tok::LBrace | Tok::LBrack | Tok::LParen => {
                self.depth += 1;
                let if_at = match cur.tok {
                    Tok::LBrace => self.if_before_brace.take(),
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
        self.out.push((cur.start, cur.tok, cur.end));
    }

    fn close(&mut self, open: Open) {
        if let (Some(at), false) = (open.if_at, open.object) {
            self.merges.push(at);
        }
    }

    fn finish(mut self) -> Vec<(usize, Tok, usize)> {
        if let Some(cur) = self.pending.take() {
            self.emit(cur, None);
        }
        while let Some(open) = self.opens.pop() {
            self.close(open);
        }
        let mut out = self.out;
        let mut merges = self.merges;
        merges.sort_unstable();
        let Some(&first) = merges.first() else {
            return out;
        };
        // Each merge drops the `{` after its `if`: shift the rest down.
        let mut merges = merges.into_iter().peekable();
        let (mut read, mut write) = (first, first);
        while read < out.len() {
            let mut tok = out[read];
            read += 1;
            if merges.next_if_eq(&(read - 1)).is_some() {
                tok.1 = Tok::IfLBrace;
                tok.2 = out[read].2;
                read += 1;
            }
            out[write] = tok;
            write += 1;
        }
        out.truncate(write);
        out
    }
}

#[cfg(test)]
mod tests;
