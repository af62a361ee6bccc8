//! Go's `strings.Replacer`: one left-to-right pass, no overlapping matches; at each position
//! the earliest pair (in argument order) whose old string matches wins, and an empty old
//! string matches between every two characters.

/// Replaces with `pairs` of `(old, new)` as Go's `strings.NewReplacer(pairs...)` does.
///
/// Go steps over bytes, so an empty old string lands inside multi-byte characters there; here
/// it lands between characters, which keeps the result valid UTF-8.
pub(crate) fn replace_all(s: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut i = 0;
    let mut prev_match_empty = false;
    while i <= s.len() {
        let rest = &s[i..];
        let found = pairs
            .iter()
            .find(|(old, _)| !(prev_match_empty && old.is_empty()) && rest.starts_with(old));
        prev_match_empty = matches!(found, Some((old, _)) if old.is_empty());
        match found {
            Some((old, new)) => {
                out.push_str(&s[last..i]);
                out.push_str(new);
                i += old.len();
                last = i;
            }
            None => match rest.chars().next() {
                Some(c) => i += c.len_utf8(),
                None => break,
            },
        }
    }
    out.push_str(&s[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_go() {
        assert_eq!(replace_all("foo...bar", &[("..", ",,")]), "foo,,.bar");
        assert_eq!(
            replace_all("foobar", &[("f", "x"), ("foo", "xxx")]),
            "xoobar"
        );
        assert_eq!(
            replace_all("foobar", &[("foo", "xxx"), ("f", "x")]),
            "xxxbar"
        );
        assert_eq!(replace_all("ab", &[("", "X")]), "XaXbX");
        assert_eq!(replace_all("aéa", &[("", "X"), ("a", "Y")]), "XYXéXYX");
        assert_eq!(replace_all("aéa", &[("a", "Y"), ("", "X")]), "YXéYX");
        assert_eq!(replace_all("", &[("", "X")]), "X");
        assert_eq!(replace_all("", &[("a", "X")]), "");
        assert_eq!(replace_all("abba", &[("a", "b"), ("b", "a")]), "baab");
    }
}
