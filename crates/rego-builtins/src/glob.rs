//! Builtins of the `glob` family: `glob.match` and `glob.quote_meta`, with the glob language
//! OPA uses (the `gobwas/glob` Go package): `*` matches any run of characters but the
//! delimiters, `**` any run at all, `?` one non-delimiter character, `[abc]`, `[a-z]`,
//! `[!abc]` one character of (or not of) a list or range, `{a,b*}` alternatives, `\`
//! escapes. A glob is parsed as that package parses it (with its error texts) and compiled to
//! a `regex`, cached.

mod parse;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "glob.match",
        arity: 3,
        func: glob_match,
    },
    BuiltinDef {
        name: "glob.quote_meta",
        arity: 1,
        func: quote_meta,
    },
];

/// How many compiled globs the cache keeps.
const CACHE_SIZE: usize = 100;

static CACHE: LazyLock<Mutex<HashMap<String, Arc<Regex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The delimiters argument: `null` for none, an array of one-character strings (`["."]` when
/// empty). A longer or empty string stands for U+0000, as in OPA.
fn delimiters(a: &[Value]) -> Result<Vec<char>, BuiltinError> {
    match &a[1] {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                let s = item.as_str().ok_or_else(|| {
                    BuiltinError::Type(format!(
                        "operand 2 must be array of strings but got array containing {}",
                        item.type_name()
                    ))
                })?;
                let mut chars = s.chars();
                out.push(match (chars.next(), chars.next()) {
                    (Some(c), None) => c,
                    _ => '\0',
                });
            }
            if out.is_empty() {
                out.push('.');
            }
            Ok(out)
        }
        other => Err(BuiltinError::operand(2, "one of {array, null}", other)),
    }
}

fn compile(pattern: &str, delimiters: &[char]) -> Result<Arc<Regex>, BuiltinError> {
    let mut key = String::with_capacity(pattern.len() + delimiters.len() + 1);
    key.push_str(pattern);
    key.push('-');
    key.extend(delimiters);
    if let Ok(cache) = CACHE.lock() {
        if let Some(re) = cache.get(&key) {
            return Ok(re.clone());
        }
    }
    let source = parse::to_regex(pattern, delimiters).map_err(BuiltinError::msg)?;
    let re = Arc::new(Regex::new(&source).map_err(|e| BuiltinError::msg(e.to_string()))?);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_SIZE {
            if let Some(evict) = cache.keys().next().cloned() {
                cache.remove(&evict);
            }
        }
        cache.insert(key, re.clone());
    }
    Ok(re)
}

/// `glob.match(pattern, delimiters, match)`.
fn glob_match(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let pattern = args::string(a, 0)?;
    let delimiters = delimiters(a)?;
    let text = args::string(a, 2)?;
    Ok(Value::from(compile(pattern, &delimiters)?.is_match(text)))
}

/// `glob.quote_meta(pattern)`: a backslash before each of `* ? \ [ ] { }`.
fn quote_meta(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(a, 0)?;
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if "*?\\[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn strs(items: &[&str]) -> Value {
        Value::array(items.iter().map(|i| Value::from(*i)).collect())
    }

    fn glob(pattern: &str, delims: Value, text: &str) -> bool {
        call(
            "glob.match",
            &[Value::from(pattern), delims, Value::from(text)],
        )
        .unwrap()
        .as_bool()
        .unwrap()
    }

    #[test]
    fn conformance_cases() {
        let dot = || strs(&["."]);
        let none = || strs(&[]);
        assert!(glob("*.github.com", dot(), "api.github.com"));
        assert!(glob("api.**.com", dot(), "api.github.com"));
        assert!(glob("api.**.com", dot(), "api.cdn.github.com"));
        assert!(glob("*:github:com", strs(&[":"]), "api:github:com"));
        assert!(!glob("*.github.com", dot(), "api.not-github.com"));
        assert!(glob("[abc]at", none(), "cat"));
        assert!(!glob("[abc]at", none(), "fat"));
        assert!(glob("[!abc]at", none(), "fat"));
        assert!(!glob("[!abc]at", none(), "cat"));
        assert!(glob("[a-c]at", none(), "bat"));
        assert!(!glob("[a-c]at", none(), "fat"));
        assert!(!glob("[!a-c]at", none(), "bat"));
        assert!(glob("[!a-c]at", none(), "fat"));
        assert!(glob("?at", none(), "fat"));
        assert!(!glob("?at", none(), "at"));
        assert!(glob("?at", strs(&["f"]), "bat"));
        assert!(!glob("?at", strs(&["f"]), "fat"));
        for word in ["cat", "bat", "fat", "rat"] {
            assert!(glob("{cat,bat,[fr]at}", none(), word));
        }
        assert!(!glob("{cat,bat,[fr]at}", none(), "at"));
        assert!(glob("*", dot(), "foo"));
        assert!(glob("*", none(), "foo"));
        assert!(!glob("*", dot(), "foo.bar"));
        assert!(!glob("*", none(), "foo.bar"));
        assert!(glob("*", Value::Null, "foo.bar"));
        assert!(glob("foo*", Value::Null, "foo.bar"));
    }

    #[test]
    fn more_globs() {
        assert!(glob(r"\*.com", Value::Null, "*.com"));
        assert!(!glob(r"\*.com", Value::Null, "a.com"));
        assert!(glob("{a,b*}c", strs(&["."]), "bxxc"));
        assert!(!glob("{a,b*}c", strs(&["."]), "bx.c"));
        assert!(glob("a{b,c{d,e}}f", Value::Null, "acef"));
        assert!(glob("{a,b", Value::Null, "b"));
        assert!(glob("", Value::Null, ""));
        assert!(!glob("", Value::Null, "a"));
        assert!(glob("**", strs(&["."]), "a.b\nc"));
        assert!(glob("a}b,c", Value::Null, "a}b,c"));
        assert!(glob("[.]", strs(&["."]), "."));
        assert!(glob("[!a]", strs(&["."]), "."));
        assert!(!glob("a.b", Value::Null, "axb"));
        assert!(glob("*", strs(&["ab"]), "a.b"));
        let err = |p: &str| {
            call(
                "glob.match",
                &[Value::from(p), Value::Null, Value::from("x")],
            )
            .unwrap_err()
            .message()
            .to_string()
        };
        assert_eq!(err("[a"), "unexpected end of input");
        assert_eq!(err("[a-"), "unexpected end of input");
        assert_eq!(err("[a-cx]"), "expected close range character");
        assert_eq!(err("[]"), "could not parse range");
        assert_eq!(
            err("[z-a]"),
            "hi character 'a' should be greater than lo 'z'"
        );
    }

    #[test]
    fn argument_errors() {
        let e = call(
            "glob.match",
            &[Value::from("*"), Value::from(1), Value::from("x")],
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "operand 2 must be one of {array, null} but got number"
        );
        let e = call(
            "glob.match",
            &[
                Value::from("*"),
                Value::array(vec![Value::from(1)]),
                Value::from("x"),
            ],
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "operand 2 must be array of strings but got array containing number"
        );
    }

    #[test]
    fn quote_meta() {
        let q = |s: &str| call("glob.quote_meta", &[Value::from(s)]).unwrap();
        assert_eq!(q("*.github.com"), Value::from(r"\*.github.com"));
        assert_eq!(q("[a]{b}?\\,!-"), Value::from(r"\[a\]\{b\}\?\\,!-"));
    }
}
