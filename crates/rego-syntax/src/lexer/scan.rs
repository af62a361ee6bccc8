//! Scanning inside string tokens: JSON escapes and the pieces of template strings.

use super::LexError;

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

/// Checks the escapes of a double-quoted string body without building the string.
pub(super) fn check_string(body: &str) -> Result<(), LexError> {
    if body.contains('\\') {
        decode(body, &mut |_| {})
    } else {
        Ok(())
    }
}

/// Decodes the escapes of a double-quoted string body (JSON escapes).
pub(super) fn decode_string(body: &str) -> Result<String, LexError> {
    let mut out = String::with_capacity(body.len());
    decode(body, &mut |c| out.push(c))?;
    Ok(out)
}

/// Decodes a double-quoted string body, handing each character to `out`.
fn decode(body: &str, out: &mut impl FnMut(char)) -> Result<(), LexError> {
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out(c);
            continue;
        }
        match chars.next() {
            Some('"') => out('"'),
            Some('\\') => out('\\'),
            Some('/') => out('/'),
            Some('b') => out('\u{8}'),
            Some('f') => out('\u{c}'),
            Some('n') => out('\n'),
            Some('r') => out('\r'),
            Some('t') => out('\t'),
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
                out(char::from_u32(c)
                    .ok_or_else(|| LexError::BadEscape(format!("invalid code point {c:x}")))?);
            }
            Some(other) => {
                return Err(LexError::BadEscape(format!(
                    "invalid escape sequence \\{other}"
                )));
            }
            None => return Err(LexError::BadEscape("dangling backslash".into())),
        }
    }
    Ok(())
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

/// Scans a template string from just after its `$"` or `` $` `` (`rest`, which starts at
/// absolute offset `base`), splitting text from `{code}`: the pieces and the bytes consumed,
/// closing quote included.
pub(super) fn template(
    rest: &[u8],
    base: usize,
    quote: u8,
) -> Result<(TemplateTok, usize), LexError> {
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
    let tok = TemplateTok {
        pieces,
        raw: quote == b'`',
    };
    Ok((tok, i))
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
