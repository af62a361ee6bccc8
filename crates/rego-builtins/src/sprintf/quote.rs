//! Go's `strconv` quoting (`Quote`, `QuoteToASCII`, `QuoteRune`, `CanBackquote`), which
//! `%q` and `%#U` use.

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
pub(crate) fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    // The standard library's debug escaping leaves exactly these characters alone (it also
    // escapes a grapheme extender at the start of a string, hence the leading letter).
    let mut s = String::with_capacity(5);
    s.push('a');
    s.push(c);
    s.escape_debug().eq(s.chars())
}

/// Appends `c` escaped as inside a Go literal delimited by `quote`.
fn push_escaped(out: &mut String, c: char, quote: char, ascii_only: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if if ascii_only {
        c.is_ascii() && is_print(c)
    } else {
        is_print(c)
    } {
        out.push(c);
        return;
    }
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Go's `strconv.Quote` (or `QuoteToASCII` when `ascii_only`).
pub(crate) fn quote(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"', ascii_only);
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune` (or `QuoteRuneToASCII`); invalid code points become U+FFFD.
pub(crate) fn quote_rune(code: u64, ascii_only: bool) -> String {
    let c = u32::try_from(code)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{fffd}');
    let mut out = String::with_capacity(8);
    out.push('\'');
    push_escaped(&mut out, c, '\'', ascii_only);
    out.push('\'');
    out
}

/// Go's `strconv.CanBackquote`: no control characters but tab, no backquote, no BOM.
pub(crate) fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| !((c < ' ' && c != '\t') || c == '`' || c == '\u{7f}' || c == '\u{feff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(
            quote("a\"b\\c\n\u{7}\u{1}é\u{a0}😀", false),
            r#""a\"b\\c\n\a\x01é\u00a0😀""#
        );
        assert_eq!(quote("é😀", true), r#""\u00e9\U0001f600""#);
        assert_eq!(quote_rune(u64::from(b'\''), false), r"'\''");
        assert_eq!(quote_rune(u64::from(b'"'), false), "'\"'");
        assert_eq!(quote_rune(0xd800, false), "'\u{fffd}'");
        assert_eq!(quote_rune(0x1_0000_0000, false), "'\u{fffd}'");
        assert!(can_backquote("a\tb"));
        assert!(!can_backquote("a`b"));
        assert!(!can_backquote("a\nb"));
        assert!(is_print('\u{301}'));
        assert!(!is_print('\u{ad}'));
        assert!(!is_print('\u{3000}'));
    }
}
