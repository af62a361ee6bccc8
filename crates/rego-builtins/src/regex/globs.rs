//! `regex.globs_match`: whether two "glob-style" regular expressions both match some
//! non-empty string.
//!
//! The glob language is OPA's (from the `glob-intersection` Go package): a literal character,
//! `.` (any character) or a class `[a-z0-9]`, each optionally followed by `*` (zero or more)
//! or `+` (one or more); `\` escapes the next character. Patterns are anchored at both ends.
//! Parsing and its error texts follow that package; the intersection itself is decided
//! exactly, by searching the product of the two patterns' automata.

use std::collections::{HashSet, VecDeque};

/// What one token matches: a single character.
#[derive(Clone, Debug)]
enum Class {
    Char(char),
    Any,
    /// Inclusive ranges.
    Set(Vec<(char, char)>),
}

impl Class {
    fn contains(&self, c: char) -> bool {
        match self {
            Class::Char(x) => *x == c,
            Class::Any => true,
            Class::Set(ranges) => ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi),
        }
    }

    /// Whether some character is matched by both.
    fn meets(&self, other: &Class) -> bool {
        match (self, other) {
            (Class::Any, Class::Set(r)) | (Class::Set(r), Class::Any) => !r.is_empty(),
            (Class::Any, _) | (_, Class::Any) => true,
            (Class::Char(c), o) | (o, Class::Char(c)) => o.contains(*c),
            (Class::Set(a), Class::Set(b)) => a
                .iter()
                .any(|&(alo, ahi)| b.iter().any(|&(blo, bhi)| alo <= bhi && blo <= ahi)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flag {
    One,
    Plus,
    Star,
}

#[derive(Clone, Debug)]
struct Token {
    class: Class,
    flag: Flag,
}

const INVALID: &str = "the input provided is invalid";

/// The package's error text: `input:X, pos:N, MESSAGE: the input provided is invalid`.
fn invalid(input: &[char], pos: usize, message: &str) -> String {
    let input: String = input.iter().collect();
    format!("input:{input}, pos:{pos}, {message}: {INVALID}")
}

/// The next character from `i`: (next index, character, escaped), `None` at the end.
fn next_rune(input: &[char], i: usize) -> Result<Option<(usize, char, bool)>, String> {
    match input.get(i) {
        None => Ok(None),
        Some('\\') => match input.get(i + 1) {
            Some(&c) => Ok(Some((i + 2, c, true))),
            None => Err(invalid(input, i, "input ends with a \\ (escape) character")),
        },
        Some(&c) => Ok(Some((i + 1, c, false))),
    }
}

/// A class `[...]` whose `[` ends just before `i`.
fn parse_set(input: &[char], mut i: usize) -> Result<(usize, Class), String> {
    let mut ranges = Vec::new();
    let mut prev: Option<char> = None;
    loop {
        let Some((next, c, escaped)) = next_rune(input, i)? else {
            return Err(invalid(input, i, "found [ without matching ]"));
        };
        i = next;
        if escaped {
            ranges.push((c, c));
            prev = Some(c);
            continue;
        }
        match c {
            ']' => return Ok((i, Class::Set(ranges))),
            '-' => {
                let Some(lo) = prev else {
                    return Err(invalid(
                        input,
                        i,
                        "range character '-' must be preceded by a Unicode character",
                    ));
                };
                if i + 1 >= input.len() {
                    return Err(invalid(
                        input,
                        i,
                        "range character '-' must be followed by a Unicode character",
                    ));
                }
                let (next, hi, escaped) = next_rune(input, i)?.unwrap_or((i, '\0', false));
                i = next;
                if !escaped && (hi == ']' || hi == '-') {
                    return Err(invalid(
                        input,
                        i,
                        "range character '-' cannot be followed by a special symbol",
                    ));
                }
                if hi < lo {
                    return Err(invalid(
                        input,
                        i,
                        &format!("range is out of order: '{hi}' comes before '{lo}' in Unicode"),
                    ));
                }
                ranges.push((lo, hi));
                prev = None;
            }
            c => {
                ranges.push((c, c));
                prev = Some(c);
            }
        }
    }
}

/// Parses a glob into tokens, with the package's error texts.
fn parse(pattern: &str) -> Result<Vec<Token>, String> {
    let input: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some((next, c, escaped)) = next_rune(&input, i)? {
        i = next;
        let class = if escaped {
            Class::Char(c)
        } else {
            match c {
                '.' => Class::Any,
                '[' => {
                    let (next, class) = parse_set(&input, i)?;
                    i = next;
                    class
                }
                ']' => return Err(invalid(&input, i, "set-close ']' with no preceding '['")),
                '+' | '*' => {
                    return Err(invalid(
                        &input,
                        i,
                        &format!("flag '{c}' must be preceded by a non-flag"),
                    ));
                }
                c => Class::Char(c),
            }
        };
        let mut flag = Flag::One;
        if let Some((next, c @ ('+' | '*'), false)) = next_rune(&input, i)? {
            i = next;
            flag = if c == '+' { Flag::Plus } else { Flag::Star };
        }
        tokens.push(Token { class, flag });
    }
    Ok(tokens)
}

/// The automaton of a glob: state `k` waits for token `k`; `Plus` is expanded to one
/// occurrence followed by a `Star`.
struct Automaton {
    tokens: Vec<(Class, bool)>,
}

impl Automaton {
    fn new(tokens: Vec<Token>) -> Automaton {
        let mut out = Vec::with_capacity(tokens.len());
        for t in tokens {
            match t.flag {
                Flag::One => out.push((t.class, false)),
                Flag::Star => out.push((t.class, true)),
                Flag::Plus => {
                    out.push((t.class.clone(), false));
                    out.push((t.class, true));
                }
            }
        }
        Automaton { tokens: out }
    }

    /// The states reachable from `k` without consuming (skipping starred tokens).
    fn closure(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        let end = (k..self.tokens.len())
            .find(|&j| !self.tokens[j].1)
            .unwrap_or(self.tokens.len());
        k..=end
    }

    fn accepts_at(&self, k: usize) -> bool {
        self.closure(k).any(|s| s == self.tokens.len())
    }

    /// The state after consuming one character with token `k`.
    fn step(&self, k: usize) -> usize {
        if self.tokens[k].1 { k } else { k + 1 }
    }
}

/// Whether the two globs both match some non-empty string.
pub(crate) fn globs_match(a: &str, b: &str) -> Result<bool, String> {
    let a = Automaton::new(parse(a)?);
    let b = Automaton::new(parse(b)?);
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([(0usize, 0usize, false)]);
    while let Some((i, j, consumed)) = queue.pop_front() {
        if !seen.insert((i, j, consumed)) {
            continue;
        }
        if consumed && a.accepts_at(i) && b.accepts_at(j) {
            return Ok(true);
        }
        for si in a.closure(i).filter(|&s| s < a.tokens.len()) {
            for sj in b.closure(j).filter(|&s| s < b.tokens.len()) {
                if a.tokens[si].0.meets(&b.tokens[sj].0) {
                    queue.push_back((a.step(si), b.step(sj), true));
                }
            }
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::globs_match;

    fn yes(a: &str, b: &str) -> bool {
        globs_match(a, b).unwrap()
    }

    #[test]
    fn intersections() {
        assert!(yes("a.a.[0-9]+z", ".b.b2359825792*594823z"));
        assert!(!yes("[a-z]+", "[0-9]*"));
        assert!(yes("b.*", "bar"));
        assert!(yes(r"[a-z]+\[[0-9]+\]", r"foo\[1\]"));
        assert!(!yes(r"[a-z]+\[[0-9]+\]", "foo[\"bar\"]"));
        assert!(yes("a.a.", ".b.b"));
        assert!(!yes("a*", "b*"));
        assert!(!yes("", ""));
        assert!(yes("a*b", "a*ab"));
        assert!(yes(".*x", "y.*"));
        assert!(!yes("ab", "abc"));
        assert!(yes("a+", "aaa"));
        assert!(!yes("a+b", "b"));
        assert!(yes(r"[\]x]", "x"));
        assert!(globs_match("[]x]", "x").is_err());
        assert!(!yes("[]", "."));
    }

    #[test]
    fn errors() {
        let e = |p: &str| globs_match(p, "x").unwrap_err();
        assert_eq!(
            e("pqrs]"),
            "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid"
        );
        assert_eq!(
            e("*a"),
            "input:*a, pos:1, flag '*' must be preceded by a non-flag: the input provided is invalid"
        );
        assert_eq!(
            e("a**"),
            "input:a**, pos:3, flag '*' must be preceded by a non-flag: the input provided is invalid"
        );
        assert_eq!(
            e("[ab"),
            "input:[ab, pos:3, found [ without matching ]: the input provided is invalid"
        );
        assert_eq!(
            e("[z-a]"),
            "input:[z-a], pos:4, range is out of order: 'a' comes before 'z' in Unicode: the input provided is invalid"
        );
        assert_eq!(
            e("[-a]"),
            "input:[-a], pos:2, range character '-' must be preceded by a Unicode character: the input provided is invalid"
        );
        assert_eq!(
            e("[a-]"),
            "input:[a-], pos:3, range character '-' must be followed by a Unicode character: the input provided is invalid"
        );
        assert_eq!(
            e("[a-]]"),
            "input:[a-]], pos:4, range character '-' cannot be followed by a special symbol: the input provided is invalid"
        );
        assert_eq!(
            e("ab\\"),
            "input:ab\\, pos:2, input ends with a \\ (escape) character: the input provided is invalid"
        );
    }
}
