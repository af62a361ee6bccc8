//! A JSON syntax checker that fails the way Go's `encoding/json` scanner does, so that
//! `json.unmarshal` and `json.is_valid` accept what OPA accepts and report OPA's error texts
//! (`invalid character 'x' looking for beginning of value`, `unexpected EOF`, ...).
//!
//! It only checks syntax; values are then read by `rego_eval`'s JSON reader. The scanner is
//! iterative (an explicit stack), so deep nesting cannot overflow the call stack.

use super::go_quote;

/// Go's nesting limit.
const MAX_DEPTH: usize = 10_000;

/// Why scanning stopped.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ScanError {
    /// The input ended inside a value.
    Eof,
    /// A syntax error, with Go's message.
    Syntax(String),
}

#[derive(Clone, Copy)]
enum Frame {
    Array,
    Object,
}

/// Go's JSON whitespace.
pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Index of the first non-space byte at or after `i`.
pub(super) fn skip_space(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    i
}

/// Go's `quoteChar`: a byte shown between single quotes.
pub(super) fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => {
            let quoted = go_quote(&char::from(c).to_string());
            format!("'{}'", &quoted[1..quoted.len() - 1])
        }
    }
}

fn invalid(c: u8, context: &str) -> ScanError {
    ScanError::Syntax(format!("invalid character {} {context}", quote_char(c)))
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    /// The byte at the cursor, or `Eof`.
    fn peek(&self) -> Result<u8, ScanError> {
        self.s.get(self.i).copied().ok_or(ScanError::Eof)
    }

    /// Skips whitespace and returns the next byte.
    fn peek_non_space(&mut self) -> Result<u8, ScanError> {
        self.i = skip_space(self.s, self.i);
        self.peek()
    }

    /// Scans a string whose opening quote is at the cursor.
    fn string(&mut self) -> Result<(), ScanError> {
        self.i += 1;
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return Ok(()),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {}
                        b'u' => {
                            for _ in 0..4 {
                                let h = self.peek()?;
                                if !h.is_ascii_hexdigit() {
                                    return Err(invalid(h, "in \\u hexadecimal character escape"));
                                }
                                self.i += 1;
                            }
                        }
                        _ => return Err(invalid(e, "in string escape code")),
                    }
                }
                c if c < 0x20 => return Err(invalid(c, "in string literal")),
                _ => {}
            }
        }
    }

    /// Consumes digits; returns how many.
    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }

    /// Scans a number starting at the cursor (`-` or a digit). A number ends at the first byte
    /// that cannot continue it, or at the end of input.
    fn number(&mut self) -> Result<(), ScanError> {
        if self.s[self.i] == b'-' {
            self.i += 1;
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(invalid(c, "in numeric literal"));
            }
        }
        if self.s[self.i] == b'0' {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(invalid(c, "after decimal point in numeric literal"));
            }
            self.digits();
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek()?, b'+' | b'-') {
                self.i += 1;
            }
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(invalid(c, "in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(())
    }

    /// Scans `true`, `false` or `null`, whose first byte is at the cursor.
    fn literal(&mut self, word: &'static str) -> Result<(), ScanError> {
        self.i += 1;
        for &want in &word.as_bytes()[1..] {
            let c = self.peek()?;
            if c != want {
                return Err(invalid(
                    c,
                    &format!("in literal {word} (expecting {})", quote_char(want)),
                ));
            }
            self.i += 1;
        }
        Ok(())
    }

    /// Scans an object key and its colon; the cursor is at the key's first byte.
    fn key(&mut self) -> Result<(), ScanError> {
        let c = self.peek_non_space()?;
        if c != b'"' {
            return Err(invalid(c, "looking for beginning of object key string"));
        }
        self.string()?;
        let c = self.peek_non_space()?;
        if c != b':' {
            return Err(invalid(c, "after object key"));
        }
        self.i += 1;
        Ok(())
    }

    /// Scans one complete value (leading whitespace allowed) and returns the index just past
    /// it. Nothing after the value is looked at.
    fn value(&mut self) -> Result<usize, ScanError> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Expecting a value.
            let c = self.peek_non_space()?;
            match c {
                b'{' | b'[' => {
                    // Go counts the empty container too.
                    if stack.len() >= MAX_DEPTH {
                        return Err(invalid(c, "exceeded max depth"));
                    }
                    self.i += 1;
                    let close = if c == b'{' { b'}' } else { b']' };
                    if self.peek_non_space()? == close {
                        self.i += 1;
                    } else {
                        if c == b'{' {
                            stack.push(Frame::Object);
                            self.key()?;
                        } else {
                            stack.push(Frame::Array);
                        }
                        continue;
                    }
                }
                b'"' => self.string()?,
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                _ => return Err(invalid(c, "looking for beginning of value")),
            }
            // A value ended: close containers or move to the next element.
            loop {
                let Some(&frame) = stack.last() else {
                    return Ok(self.i);
                };
                let c = self.peek_non_space()?;
                match (frame, c) {
                    (_, b',') => {
                        self.i += 1;
                        if let Frame::Object = frame {
                            self.key()?;
                        }
                        break;
                    }
                    (Frame::Array, b']') | (Frame::Object, b'}') => {
                        self.i += 1;
                        stack.pop();
                    }
                    (Frame::Array, _) => return Err(invalid(c, "after array element")),
                    (Frame::Object, _) => {
                        return Err(invalid(c, "after object key:value pair"));
                    }
                }
            }
        }
    }
}

/// Scans the value starting at `start` as Go's `json.Decoder.Decode` reads it: a scalar must
/// be followed by whitespace or the end of input, an array or object ends at its closing
/// bracket. Returns the value's span (without leading whitespace).
pub(super) fn decode_span(s: &[u8], start: usize) -> Result<(usize, usize), ScanError> {
    let begin = skip_space(s, start);
    let mut scanner = Scanner { s, i: begin };
    let end = scanner.value()?;
    let composite = matches!(s.get(begin), Some(b'[' | b'{'));
    if !composite {
        if let Some(&c) = s.get(end) {
            if !is_space(c) {
                return Err(invalid(c, "after top-level value"));
            }
        }
    }
    Ok((begin, end))
}

/// Go's `json.Valid`: exactly one value, surrounded by optional whitespace.
pub(super) fn is_valid(s: &[u8]) -> bool {
    let mut scanner = Scanner { s, i: 0 };
    match scanner.value() {
        Ok(end) => skip_space(s, end) == s.len(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ScanError {
        decode_span(text.as_bytes(), 0).expect_err(text)
    }

    fn syntax(text: &str) -> String {
        match err(text) {
            ScanError::Syntax(m) => m,
            ScanError::Eof => panic!("{text}: unexpected EOF"),
        }
    }

    #[test]
    fn spans() {
        assert_eq!(decode_span(b" [1, {\"a\": []}] x", 0), Ok((1, 15)));
        assert_eq!(decode_span(b"12 ", 0), Ok((0, 2)));
        assert_eq!(decode_span(b"\"a\\u00e9\\n\"", 0), Ok((0, 11)));
        assert_eq!(decode_span(b"-0.5e+3", 0), Ok((0, 7)));
    }

    #[test]
    fn messages_match_go() {
        for (text, message) in [
            ("x", "invalid character 'x' looking for beginning of value"),
            (
                "[1,]",
                "invalid character ']' looking for beginning of value",
            ),
            (
                "{1: 2}",
                "invalid character '1' looking for beginning of object key string",
            ),
            ("{\"a\" 1}", "invalid character '1' after object key"),
            (
                "{\"a\": 1 2}",
                "invalid character '2' after object key:value pair",
            ),
            ("[1 2]", "invalid character '2' after array element"),
            ("1x", "invalid character 'x' after top-level value"),
            ("\"a\"b", "invalid character 'b' after top-level value"),
            ("-a", "invalid character 'a' in numeric literal"),
            (
                "1.e3",
                "invalid character 'e' after decimal point in numeric literal",
            ),
            (
                "1e+x",
                "invalid character 'x' in exponent of numeric literal",
            ),
            (
                "tru ",
                "invalid character ' ' in literal true (expecting 'e')",
            ),
            ("nul", "unused"),
            ("\"\\x\"", "invalid character 'x' in string escape code"),
            (
                "\"\\u12g4\"",
                "invalid character 'g' in \\u hexadecimal character escape",
            ),
            ("\"a\nb\"", "invalid character '\\n' in string literal"),
            (
                "'a'",
                "invalid character '\\'' looking for beginning of value",
            ),
            ("01", "invalid character '1' after top-level value"),
        ] {
            if message == "unused" {
                assert_eq!(err(text), ScanError::Eof);
            } else {
                assert_eq!(syntax(text), message, "{text}");
            }
        }
        assert_eq!(err("[1, 2"), ScanError::Eof);
        assert_eq!(err("   "), ScanError::Eof);
        assert_eq!(err("\"abc"), ScanError::Eof);
    }

    #[test]
    fn validity() {
        assert!(is_valid(b" {\"json\": [1, 2.5e3, true, null]} "));
        assert!(!is_valid(b"{"));
        assert!(!is_valid(b"plainstring"));
        assert!(!is_valid(b"1 2"));
        assert!(!is_valid(b""));
        let deep = "[".repeat(20_000) + &"]".repeat(20_000);
        assert!(!is_valid(deep.as_bytes()));
        let ok = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(is_valid(ok.as_bytes()));
        let over = "[".repeat(10_001) + &"]".repeat(10_001);
        assert!(!is_valid(over.as_bytes()));
    }
}
