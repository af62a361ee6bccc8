//! Go's `strings.ToUpper` / `strings.ToLower`: each character mapped on its own by Unicode's
//! *simple* case mapping (`ß` stays `ß`, `İ` lowers to `i`), with no context rules (a final
//! `Σ` lowers to `σ`).

/// The simple uppercase of `c`.
fn simple_upper(c: char) -> char {
    let mut full = c.to_uppercase();
    match (full.next(), full.next()) {
        (Some(u), None) => u,
        // Characters whose full mapping has several characters; only Greek letters with
        // ypogegrammeni have a different single-character (titlecase) simple mapping.
        _ => match c as u32 {
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
                char::from_u32(c as u32 + 8).unwrap_or(c)
            }
            0x1FB3 => '\u{1FBC}',
            0x1FC3 => '\u{1FCC}',
            0x1FF3 => '\u{1FFC}',
            _ => c,
        },
    }
}

/// The simple lowercase of `c`.
fn simple_lower(c: char) -> char {
    let mut full = c.to_lowercase();
    match (full.next(), full.next()) {
        (Some(l), None) => l,
        // Only U+0130 (capital I with dot above) lowers to several characters; its simple
        // mapping is a plain `i`.
        _ => {
            if c == '\u{130}' {
                'i'
            } else {
                c
            }
        }
    }
}

/// Go's `strings.ToUpper`.
pub(crate) fn to_upper(s: &str) -> String {
    s.chars().map(simple_upper).collect()
}

/// Go's `strings.ToLower`.
pub(crate) fn to_lower(s: &str) -> String {
    s.chars().map(simple_lower).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_mappings() {
        assert_eq!(
            to_upper("abcß\u{FB00}\u{1FB3}\u{130}é"),
            "ABCß\u{FB00}\u{1FBC}\u{130}É"
        );
        assert_eq!(to_lower("\u{130}ΣΑΣ ÉÀ"), "iσασ éà");
        assert_eq!(to_upper("\u{1F80}\u{1F88}"), "\u{1F88}\u{1F88}");
        assert_eq!(to_lower("AbCdEf"), "abcdef");
    }
}
