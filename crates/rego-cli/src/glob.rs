//! Shell-style name patterns for `--ignore`, as Go's `filepath.Match` reads them: `*` matches
//! any run of characters, `?` one character, `[a-z]` / `[^a-z]` a class, `\` escapes the next
//! character. Patterns are matched against one file or folder name, never a whole path.

/// Whether `name` matches `pattern`. A malformed pattern (an unclosed `[`) matches nothing.
pub fn matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    match_from(&pattern, &name).unwrap_or(false)
}

/// Matches whole slices; `None` for a malformed pattern.
fn match_from(pattern: &[char], name: &[char]) -> Option<bool> {
    let Some((&first, rest)) = pattern.split_first() else {
        return Some(name.is_empty());
    };
    match first {
        '*' => {
            // Try every split point, shortest first.
            for skip in 0..=name.len() {
                if match_from(rest, &name[skip..])? {
                    return Some(true);
                }
            }
            Some(false)
        }
        '?' => match name.split_first() {
            Some((_, tail)) => match_from(rest, tail),
            None => Some(false),
        },
        '[' => {
            let (matched, after) = class(rest, name.first().copied())?;
            match (matched, name.split_first()) {
                (true, Some((_, tail))) => match_from(after, tail),
                _ => Some(false),
            }
        }
        '\\' => {
            let (&escaped, rest) = rest.split_first()?;
            match name.split_first() {
                Some((&c, tail)) if c == escaped => match_from(rest, tail),
                _ => Some(false),
            }
        }
        literal => match name.split_first() {
            Some((&c, tail)) if c == literal => match_from(rest, tail),
            _ => Some(false),
        },
    }
}

/// Reads a class after its `[`: whether `c` is in it, and the pattern after its `]`.
fn class(pattern: &[char], c: Option<char>) -> Option<(bool, &[char])> {
    let (negated, mut rest) = match pattern.split_first() {
        Some(('^', rest)) => (true, rest),
        _ => (false, pattern),
    };
    let mut found = false;
    let mut first = true;
    loop {
        let (&lo, after) = rest.split_first()?;
        if lo == ']' && !first {
            rest = after;
            break;
        }
        first = false;
        let (lo, after) = unescape(lo, after)?;
        let (hi, after) = match after {
            ['-', next, tail @ ..] if *next != ']' => unescape(*next, tail)?,
            _ => (lo, after),
        };
        if c.is_some_and(|c| lo <= c && c <= hi) {
            found = true;
        }
        rest = after;
    }
    Some((c.is_some() && found != negated, rest))
}

/// A class character, taking the one after a `\` literally.
fn unescape(c: char, rest: &[char]) -> Option<(char, &[char])> {
    if c == '\\' {
        let (&escaped, rest) = rest.split_first()?;
        Some((escaped, rest))
    } else {
        Some((c, rest))
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars_and_question_marks() {
        assert!(matches("*_test.rego", "authz_test.rego"));
        assert!(!matches("*_test.rego", "authz.rego"));
        assert!(matches("*", ""));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches(".git", ".git"));
        assert!(!matches(".git", ".github"));
    }

    #[test]
    fn classes_and_escapes() {
        assert!(matches("v[0-9].json", "v7.json"));
        assert!(!matches("v[0-9].json", "vx.json"));
        assert!(matches("v[^0-9].json", "vx.json"));
        assert!(!matches("v[^0-9].json", "v1.json"));
        assert!(matches(r"a\*", "a*"));
        assert!(!matches(r"a\*", "ab"));
        assert!(matches("[]]", "]"));
    }

    #[test]
    fn malformed_patterns_match_nothing() {
        assert!(!matches("[a-", "a"));
        assert!(!matches("a\\", "a"));
    }
}
