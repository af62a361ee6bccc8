//! The lexer of Go's `text/template`: text, `{{ }}` actions with `{{-`/`-}}` trim markers,
//! comments, and the tokens inside actions.

/// A token kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// A token: kind, text, byte offset and line.
#[derive(Clone, Debug)]
pub(super) struct Item {
    pub(super) kind: Kind,
    pub(super) val: String,
    pub(super) pos: usize,
    pub(super) line: usize,
}

impl std::fmt::Display for Item {
    /// How Go's parser quotes a token in error messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            Kind::Eof => f.write_str("EOF"),
            Kind::Error => f.write_str(&self.val),
            k if k as u8 >= Kind::Block as u8 => write!(f, "<{}>", self.val),
            _ => {
                let quoted = crate::sprintf::go_quote(&self.val, false);
                if self.val.chars().count() > 10 {
                    let short: String = self.val.chars().take(10).collect();
                    write!(f, "{}...", crate::sprintf::go_quote(&short, false))
                } else {
                    f.write_str(&quoted)
                }
            }
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let mut c = s.chars();
    c.next() == Some('-') && c.next().is_some_and(is_space)
}

fn has_right_trim(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(is_space) && c.next() == Some('-')
}

/// Splits `input` into tokens; a lexing error ends the list with an `Error` item.
pub(super) fn lex(input: &str) -> Vec<Item> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        line: 1,
        start_line: 1,
        items: Vec::new(),
        paren_depth: 0,
    };
    l.run();
    l.items
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    line: usize,
    start_line: usize,
    items: Vec<Item>,
    paren_depth: i64,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
            if c == '\n' {
                self.line -= 1;
            }
        }
    }

    fn emit(&mut self, kind: Kind) {
        self.items.push(Item {
            kind,
            val: self.input[self.start..self.pos].to_string(),
            pos: self.start,
            line: self.start_line,
        });
        self.ignore();
    }

    fn ignore(&mut self) {
        self.start = self.pos;
        self.start_line = self.line;
    }

    /// Moves the cursor by `n` bytes, counting newlines.
    fn skip(&mut self, n: usize) {
        self.line += self.input[self.pos..self.pos + n].matches('\n').count();
        self.pos += n;
    }

    fn error(&mut self, message: String) {
        self.items.push(Item {
            kind: Kind::Error,
            val: message,
            pos: self.start,
            line: self.start_line,
        });
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (rest.starts_with(RIGHT), false)
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) || ".,|:)(".contains(c) => true,
            _ => self.rest().starts_with(RIGHT),
        }
    }

    fn run(&mut self) {
        loop {
            // Text up to the next action.
            match self.rest().find(LEFT) {
                None => {
                    self.skip(self.rest().len());
                    if self.pos > self.start {
                        self.emit(Kind::Text);
                    }
                    self.emit(Kind::Eof);
                    return;
                }
                Some(x) => {
                    self.skip(x);
                    let mut end = self.pos;
                    if has_left_trim(&self.input[self.pos + LEFT.len()..]) {
                        end = self.start
                            + self.input[self.start..self.pos]
                                .trim_end_matches(is_space)
                                .len();
                    }
                    if end > self.start {
                        let text = self.input[self.start..end].to_string();
                        self.items.push(Item {
                            kind: Kind::Text,
                            val: text,
                            pos: self.start,
                            line: self.start_line,
                        });
                    }
                    self.ignore();
                }
            }
            // The left delimiter.
            self.skip(LEFT.len());
            let trim = has_left_trim(self.rest());
            let after = if trim { 2 } else { 0 };
            if self.input[self.pos + after..].starts_with("/*") {
                self.skip(after);
                self.ignore();
                if !self.comment() {
                    return;
                }
                continue;
            }
            self.items.push(Item {
                kind: Kind::LeftDelim,
                val: LEFT.to_string(),
                pos: self.start,
                line: self.start_line,
            });
            self.skip(after);
            self.ignore();
            self.paren_depth = 0;
            if !self.inside_action() {
                return;
            }
        }
    }

    /// After `{{/*`: skips the comment and its right delimiter.
    fn comment(&mut self) -> bool {
        self.skip(2);
        let Some(x) = self.rest().find("*/") else {
            self.error("unclosed comment".into());
            return false;
        };
        self.skip(x + 2);
        let (delim, trim) = self.at_right_delim();
        if !delim {
            self.error("comment ends before closing delimiter".into());
            return false;
        }
        if trim {
            self.skip(2);
        }
        self.skip(RIGHT.len());
        if trim {
            let n = self.rest().len() - self.rest().trim_start_matches(is_space).len();
            self.skip(n);
        }
        self.ignore();
        true
    }

    /// Tokens up to and including the right delimiter; false after an error.
    fn inside_action(&mut self) -> bool {
        loop {
            let (delim, trim) = self.at_right_delim();
            if delim {
                if self.paren_depth != 0 {
                    self.error("unclosed left paren".into());
                    return false;
                }
                if trim {
                    self.skip(2);
                    self.ignore();
                }
                self.skip(RIGHT.len());
                self.emit(Kind::RightDelim);
                if trim {
                    let n = self.rest().len() - self.rest().trim_start_matches(is_space).len();
                    self.skip(n);
                    self.ignore();
                }
                return true;
            }
            let c = self.next();
            let ok = match c {
                None => {
                    self.error("unclosed action".into());
                    false
                }
                Some(c) if is_space(c) => {
                    self.backup(Some(c));
                    self.space()
                }
                Some('=') => {
                    self.emit(Kind::Assign);
                    true
                }
                Some(':') => {
                    if self.next() != Some('=') {
                        self.error("expected :=".into());
                        false
                    } else {
                        self.emit(Kind::Declare);
                        true
                    }
                }
                Some('|') => {
                    self.emit(Kind::Pipe);
                    true
                }
                Some('"') => self.quote('"', Kind::String, "unterminated quoted string"),
                Some('`') => self.raw_quote(),
                Some('$') => self.field_or_variable(Kind::Variable),
                Some('\'') => {
                    self.quote('\'', Kind::CharConstant, "unterminated character constant")
                }
                Some('.') if !self.peek().is_some_and(|d| d.is_ascii_digit()) => {
                    self.field_or_variable(Kind::Field)
                }
                Some(c) if c == '.' || c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup(Some(c));
                    self.number()
                }
                Some(c) if is_alnum(c) => {
                    self.backup(Some(c));
                    self.identifier()
                }
                Some('(') => {
                    self.paren_depth += 1;
                    self.emit(Kind::LeftParen);
                    true
                }
                Some(')') => {
                    self.paren_depth -= 1;
                    if self.paren_depth < 0 {
                        self.error("unexpected right paren".into());
                        false
                    } else {
                        self.emit(Kind::RightParen);
                        true
                    }
                }
                Some(c) if c.is_ascii() && !c.is_ascii_control() => {
                    self.emit(Kind::Char);
                    true
                }
                Some(c) => {
                    self.error(format!(
                        "unrecognized character in action: U+{:04X} {}",
                        c as u32,
                        crate::sprintf::go_quote(&c.to_string(), false).replace('"', "'")
                    ));
                    false
                }
            };
            if !ok {
                return false;
            }
        }
    }

    fn space(&mut self) -> bool {
        let mut n = 0;
        while self.peek().is_some_and(is_space) {
            self.next();
            n += 1;
        }
        // A trim-marked right delimiter starts with a space.
        let before = &self.input[self.pos - 1..];
        if has_right_trim(before) && before[2..].starts_with(RIGHT) {
            self.pos -= 1;
            self.line -= usize::from(self.input[self.pos..].starts_with('\n'));
            if n == 1 {
                return true;
            }
        }
        self.emit(Kind::Space);
        true
    }

    fn quote(&mut self, close: char, kind: Kind, unterminated: &str) -> bool {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => {
                        self.error(unterminated.into());
                        return false;
                    }
                    Some(_) => {}
                },
                Some('\n') | None => {
                    self.error(unterminated.into());
                    return false;
                }
                Some(c) if c == close => break,
                Some(_) => {}
            }
        }
        self.emit(kind);
        true
    }

    fn raw_quote(&mut self) -> bool {
        loop {
            match self.next() {
                None => {
                    self.error("unterminated raw quoted string".into());
                    return false;
                }
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(Kind::RawString);
        true
    }

    fn field_or_variable(&mut self, kind: Kind) -> bool {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            });
            return true;
        }
        let mut last = None;
        while let Some(c) = self.next() {
            if !is_alnum(c) {
                last = Some(c);
                self.backup(Some(c));
                break;
            }
        }
        if !self.at_terminator() {
            self.bad_char(last);
            return false;
        }
        self.emit(kind);
        true
    }

    fn bad_char(&mut self, c: Option<char>) {
        let c = c.unwrap_or('\0');
        self.error(format!(
            "bad character U+{:04X} {}",
            c as u32,
            crate::sprintf::go_quote(&c.to_string(), false).replace('"', "'")
        ));
    }

    fn identifier(&mut self) -> bool {
        let mut last = None;
        while let Some(c) = self.next() {
            if !is_alnum(c) {
                last = Some(c);
                self.backup(Some(c));
                break;
            }
        }
        if !self.at_terminator() {
            self.bad_char(last);
            return false;
        }
        let kind = match &self.input[self.start..self.pos] {
            "block" => Kind::Block,
            "break" => Kind::Break,
            "continue" => Kind::Continue,
            "define" => Kind::Define,
            "else" => Kind::Else,
            "end" => Kind::End,
            "if" => Kind::If,
            "range" => Kind::Range,
            "nil" => Kind::Nil,
            "template" => Kind::Template,
            "with" => Kind::With,
            "true" | "false" => Kind::Bool,
            _ => Kind::Identifier,
        };
        self.emit(kind);
        true
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.next();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            let text = self.input[self.start..self.pos].to_string();
            self.error(format!(
                "bad number syntax: {}",
                crate::sprintf::go_quote(&text, false)
            ));
            return false;
        }
        self.emit(Kind::Number);
        true
    }
}
