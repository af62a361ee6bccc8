//! The glob lexer and parser, reading patterns exactly as `gobwas/glob` does (including its
//! quirks: `[...]` is either one range `[a-z]` or a list `[abc]`, an unclosed `{` is closed
//! at the end, a NUL character ends the pattern), and the translation to a regex.

use std::collections::VecDeque;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Eof,
    Error(String),
    Text(String),
    Any,
    Super,
    Single,
    Not,
    Separator,
    RangeOpen,
    RangeClose,
    RangeLo(char),
    RangeHi(char),
    RangeBetween,
    TermsOpen,
    TermsClose,
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    err: Option<String>,
    tokens: VecDeque<Token>,
    terms_level: usize,
}

impl Lexer {
    fn new(pattern: &str) -> Lexer {
        Lexer {
            // The package reads U+0000 as the end of the input.
            chars: pattern.chars().take_while(|&c| c != '\0').collect(),
            pos: 0,
            err: None,
            tokens: VecDeque::new(),
            terms_level: 0,
        }
    }

    fn next(&mut self) -> Token {
        loop {
            if let Some(err) = &self.err {
                return Token::Error(err.clone());
            }
            if let Some(t) = self.tokens.pop_front() {
                return t;
            }
            self.fetch_item();
        }
    }

    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn fetch_item(&mut self) {
        let Some(c) = self.read() else {
            self.tokens.push_back(Token::Eof);
            return;
        };
        let in_terms = self.terms_level > 0;
        match c {
            '{' => {
                self.terms_level += 1;
                self.tokens.push_back(Token::TermsOpen);
            }
            ',' if in_terms => self.tokens.push_back(Token::Separator),
            '}' if in_terms => {
                self.tokens.push_back(Token::TermsClose);
                self.terms_level -= 1;
            }
            '[' => {
                self.tokens.push_back(Token::RangeOpen);
                self.fetch_range();
            }
            '?' => self.tokens.push_back(Token::Single),
            '*' => {
                if self.peek() == Some('*') {
                    self.pos += 1;
                    self.tokens.push_back(Token::Super);
                } else {
                    self.tokens.push_back(Token::Any);
                }
            }
            _ => {
                self.unread();
                let breakers: &[char] = if in_terms {
                    &['?', '*', '[', '{', '}', ',']
                } else {
                    &['?', '*', '[', '{']
                };
                self.fetch_text(breakers);
            }
        }
    }

    fn fetch_range(&mut self) {
        let (mut want_hi, mut want_close, mut seen_not) = (false, false, false);
        loop {
            let Some(c) = self.read() else {
                self.err = Some("unexpected end of input".into());
                return;
            };
            if want_close {
                if c == ']' {
                    self.tokens.push_back(Token::RangeClose);
                } else {
                    self.err = Some("expected close range character".into());
                }
                return;
            }
            if want_hi {
                self.tokens.push_back(Token::RangeHi(c));
                want_close = true;
                continue;
            }
            if !seen_not && c == '!' {
                self.tokens.push_back(Token::Not);
                seen_not = true;
                continue;
            }
            if self.peek() == Some('-') {
                self.pos += 1;
                self.tokens.push_back(Token::RangeLo(c));
                self.tokens.push_back(Token::RangeBetween);
                want_hi = true;
                continue;
            }
            self.unread();
            self.fetch_text(&[']']);
            want_close = true;
        }
    }

    fn fetch_text(&mut self, breakers: &[char]) {
        let mut text = String::new();
        let mut escaped = false;
        while let Some(c) = self.read() {
            if !escaped {
                if c == '\\' {
                    escaped = true;
                    continue;
                }
                if breakers.contains(&c) {
                    self.unread();
                    break;
                }
            }
            escaped = false;
            text.push(c);
        }
        if !text.is_empty() {
            self.tokens.push_back(Token::Text(text));
        }
    }
}

/// A parsed glob.
#[derive(Debug)]
enum Node {
    /// A sequence.
    Pattern(Vec<Node>),
    /// Alternatives, each a `Pattern`.
    AnyOf(Vec<Node>),
    Text(String),
    Any,
    Super,
    Single,
    List {
        chars: String,
        not: bool,
    },
    Range {
        lo: char,
        hi: char,
        not: bool,
    },
}

/// Parses `pattern`; errors are the package's messages.
fn parse(pattern: &str) -> Result<Node, String> {
    let mut lexer = Lexer::new(pattern);
    // The path from the root pattern to the pattern being filled: (AnyOf alternatives, the
    // current alternative's nodes) for each open `{`.
    let mut root: Vec<Node> = Vec::new();
    let mut open: Vec<(Vec<Node>, Vec<Node>)> = Vec::new();
    fn current<'a>(
        root: &'a mut Vec<Node>,
        open: &'a mut [(Vec<Node>, Vec<Node>)],
    ) -> &'a mut Vec<Node> {
        match open.last_mut() {
            Some((_, nodes)) => nodes,
            None => root,
        }
    }
    loop {
        let node = match lexer.next() {
            Token::Eof => break,
            Token::Error(e) => return Err(e),
            Token::Text(t) => Node::Text(t),
            Token::Any => Node::Any,
            Token::Super => Node::Super,
            Token::Single => Node::Single,
            Token::RangeOpen => parse_range(&mut lexer)?,
            Token::TermsOpen => {
                open.push((Vec::new(), Vec::new()));
                continue;
            }
            Token::Separator => {
                if let Some((alternatives, nodes)) = open.last_mut() {
                    alternatives.push(Node::Pattern(std::mem::take(nodes)));
                }
                continue;
            }
            Token::TermsClose => {
                if let Some((mut alternatives, nodes)) = open.pop() {
                    alternatives.push(Node::Pattern(nodes));
                    current(&mut root, &mut open).push(Node::AnyOf(alternatives));
                }
                continue;
            }
            other => return Err(format!("unexpected token: {other:?}")),
        };
        current(&mut root, &mut open).push(node);
    }
    // Alternatives left open at the end are closed there.
    while let Some((mut alternatives, nodes)) = open.pop() {
        alternatives.push(Node::Pattern(nodes));
        current(&mut root, &mut open).push(Node::AnyOf(alternatives));
    }
    Ok(Node::Pattern(root))
}

fn parse_range(lexer: &mut Lexer) -> Result<Node, String> {
    let (mut not, mut lo, mut hi, mut chars) = (false, None, None, String::new());
    loop {
        match lexer.next() {
            Token::Eof => return Err("unexpected end".into()),
            Token::Error(e) => return Err(e),
            Token::Not => not = true,
            Token::RangeLo(c) => lo = Some(c),
            Token::RangeBetween => {}
            Token::RangeHi(c) => {
                if let Some(l) = lo.filter(|&l| c < l) {
                    return Err(format!(
                        "hi character '{c}' should be greater than lo '{l}'"
                    ));
                }
                hi = Some(c);
            }
            Token::Text(t) => chars = t,
            Token::RangeClose => {
                return match (lo, hi, chars.is_empty()) {
                    (Some(lo), Some(hi), true) => Ok(Node::Range { lo, hi, not }),
                    (None, None, false) | (Some(_), None, false) | (None, Some(_), false) => {
                        Ok(Node::List { chars, not })
                    }
                    _ => Err("could not parse range".into()),
                };
            }
            other => return Err(format!("unexpected token: {other:?}")),
        }
    }
}

fn push_escaped(out: &mut String, c: char) {
    let _ = write!(out, "\\x{{{:X}}}", c as u32);
}

fn write_regex(node: &Node, not_delims: &str, out: &mut String) {
    match node {
        Node::Pattern(nodes) => nodes.iter().for_each(|n| write_regex(n, not_delims, out)),
        Node::AnyOf(alternatives) => {
            out.push_str("(?:");
            for (i, alt) in alternatives.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                write_regex(alt, not_delims, out);
            }
            out.push(')');
        }
        Node::Text(t) => t.chars().for_each(|c| push_escaped(out, c)),
        Node::Any => {
            out.push_str(not_delims);
            out.push('*');
        }
        Node::Super => out.push_str(".*"),
        Node::Single => out.push_str(not_delims),
        Node::List { chars, not } => {
            out.push_str(if *not { "[^" } else { "[" });
            chars.chars().for_each(|c| push_escaped(out, c));
            out.push(']');
        }
        Node::Range { lo, hi, not } => {
            out.push_str(if *not { "[^" } else { "[" });
            push_escaped(out, *lo);
            out.push('-');
            push_escaped(out, *hi);
            out.push(']');
        }
    }
}

/// The regex (for the `regex` crate) that matches what the glob matches, whole string only.
pub(super) fn to_regex(pattern: &str, delimiters: &[char]) -> Result<String, String> {
    let tree = parse(pattern)?;
    let not_delims = if delimiters.is_empty() {
        ".".to_string()
    } else {
        let mut class = String::from("[^");
        delimiters.iter().for_each(|&c| push_escaped(&mut class, c));
        class.push(']');
        class
    };
    let mut out = String::from("(?s)\\A(?:");
    write_regex(&tree, &not_delims, &mut out);
    out.push_str(")\\z");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation() {
        assert_eq!(
            to_regex("*.c{a,b}?", &['.']).unwrap(),
            r"(?s)\A(?:[^\x{2E}]*\x{2E}\x{63}(?:\x{61}|\x{62})[^\x{2E}])\z"
        );
        assert_eq!(
            to_regex("**[!a-c][xy]", &[]).unwrap(),
            r"(?s)\A(?:.*[^\x{61}-\x{63}][\x{78}\x{79}])\z"
        );
        assert_eq!(to_regex("a\0*", &[]).unwrap(), r"(?s)\A(?:\x{61})\z");
        assert_eq!(to_regex("[!!]", &[]).unwrap(), r"(?s)\A(?:[^\x{21}])\z");
        assert_eq!(to_regex(r"[\]]", &[]).unwrap(), r"(?s)\A(?:[\x{5D}])\z");
    }
}
