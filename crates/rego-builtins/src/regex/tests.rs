use rego_eval::Value;

use crate::call;

fn s(v: &str) -> Value {
    Value::from(v)
}

fn strs(items: &[&str]) -> Value {
    Value::array(items.iter().map(|i| s(i)).collect())
}

fn ok(name: &str, args: &[Value]) -> Value {
    call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn matches(pattern: &str, text: &str) -> bool {
    ok("regex.match", &[s(pattern), s(text)]).as_bool().unwrap()
}

#[test]
fn regex_match() {
    assert!(matches(r"^[a-z]+\[[0-9]+\]$", "foo[1]"));
    assert!(matches("^$", ""));
    assert!(matches("", ""));
    assert!(matches("", "x"));
    assert!(!matches("^$", "something"));
    // Go's \d, \w, \s and \b are ASCII-only.
    assert!(!matches(r"^\d$", "٣"));
    assert!(!matches(r"^\w+$", "héllo"));
    assert!(matches(r"^\W$", "é"));
    assert!(!matches(r"\bé", " é"));
    assert!(matches(r"^a{$", "a{"));
    assert!(matches(r"^\Qa.b\E$", "a.b"));
    assert!(!matches(r"^\Qa.b\E$", "axb"));
    assert!(matches(r"^[&&]+$", "&&"));
    assert!(matches(r"(?i)^K$", "\u{212A}"));
    let err = call("regex.match", &[s("$^[[["), s("something")]).unwrap_err();
    assert_eq!(
        err.message(),
        "error parsing regexp: missing closing ]: `[[[`"
    );
    assert_eq!(err.code(), "eval_builtin_error");
    let err = call("regex.match", &[Value::from(1), s("x")]).unwrap_err();
    assert_eq!(err.message(), "operand 1 must be string but got number");
}

#[test]
fn is_valid() {
    assert_eq!(ok("regex.is_valid", &[Value::from(10)]), Value::from(false));
    assert_eq!(ok("regex.is_valid", &[s("++")]), Value::from(false));
    assert_eq!(ok("regex.is_valid", &[s(".+")]), Value::from(true));
    assert_eq!(ok("regex.is_valid", &[s("(?x)a")]), Value::from(false));
    assert_eq!(ok("regex.is_valid", &[s(r"\u0041")]), Value::from(false));
}

#[test]
fn find_n() {
    let f = |p: &str, t: &str, n: i64| ok("regex.find_n", &[s(p), s(t), Value::from(n)]);
    assert_eq!(f("a.", "paranormal", -1), strs(&["ar", "an", "al"]));
    assert_eq!(f("a.", "paranormal", 2), strs(&["ar", "an"]));
    assert_eq!(f("a.", "paranormal", 0), strs(&[]));
    assert_eq!(f("^a.", "abacadaeaf", -1), strs(&["ab"]));
    assert_eq!(f(".$", "abacadaeaf", -1), strs(&["f"]));
    assert_eq!(
        f("[abcdef]{2}", "abacadaeaf", -1),
        strs(&["ab", "ac", "ad", "ae", "af"])
    );
    assert_eq!(f("bork", "paranormal", -1), strs(&[]));
    assert_eq!(f("a*", "baaab", -1), strs(&["", "aaa", ""]));
    assert_eq!(f("", "åb", -1), strs(&["", "", ""]));
    assert_eq!(
        f(r"\w+", "héllo wörld", -1),
        strs(&["h", "llo", "w", "rld"])
    );
}

#[test]
fn find_all_string_submatch_n() {
    let f = |p: &str, t: &str, n: i64| {
        ok(
            "regex.find_all_string_submatch_n",
            &[s(p), s(t), Value::from(n)],
        )
    };
    let rows = |rs: &[&[&str]]| Value::array(rs.iter().map(|r| strs(r)).collect());
    assert_eq!(f("a(x*)b", "-", -1), rows(&[]));
    assert_eq!(f("a(x*)b", "-ab-", -1), rows(&[&["ab", ""]]));
    assert_eq!(f("a(x*)b", "-axxb-", -1), rows(&[&["axxb", "xx"]]));
    assert_eq!(
        f("a(x*)b", "-ab-axb-", -1),
        rows(&[&["ab", ""], &["axb", "x"]])
    );
    assert_eq!(
        f("a(x*)b", "-axxb-ab-", -1),
        rows(&[&["axxb", "xx"], &["ab", ""]])
    );
    let p = "[^aouiye]([aouiye])([^aouiye])?";
    assert_eq!(
        f(p, "somestri", -1),
        rows(&[&["som", "o", "m"], &["ri", "i", ""]])
    );
    assert_eq!(f(p, "somestri", 1), rows(&[&["som", "o", "m"]]));
    let long = "a".repeat(62) + "bc";
    assert_eq!(f("^.*$", &long, -1), rows(&[&[&long]]));
}

#[test]
fn replace() {
    let r = |t: &str, p: &str, v: &str| ok("regex.replace", &[s(t), s(p), s(v)]);
    assert_eq!(r("-wy-wxxy-", "w(x*)y", "0"), s("-0-0-"));
    assert_eq!(r("foo", "(foo)", "$1$1"), s("foofoo"));
    assert_eq!(r("foo", "^[a-z]", "F"), s("Foo"));
    assert_eq!(r("foo", "^[a-z]$", "F"), s("foo"));
    assert_eq!(r("foo", "^[a-z]+$", "M"), s("M"));
    assert_eq!(r("foo", "[a-z]$", "F"), s("foF"));
    assert_eq!(r("foo", "x[a-z]$", "F"), s("foo"));
    assert_eq!(r("foo bar", "[a-z]", "_"), s("___ ___"));
    assert_eq!(r("foo barx", "[a-z]{3}", "_"), s("_ _x"));
    assert_eq!(r("foo barx", "[a-z]{2}", "_"), s("_o __"));
    // Go's handling of empty matches and of the template.
    assert_eq!(r("baaab", "a*", "-"), s("-b-b-"));
    assert_eq!(r("abc", "x*", "-"), s("-a-b-c-"));
    assert_eq!(r("abba", "a|b*", "[$0]"), s("[a][bb][a]"));
    assert_eq!(
        r("hi you", r"(?P<w>\w+)", "${w}!$1x$$ $ $2 ${"),
        s("hi!$ $  ${ you!$ $  ${")
    );
    assert!(call("regex.replace", &[s("foo"), s("["), s("$1")]).is_err());
}

#[test]
fn split() {
    let f = |p: &str, t: &str| ok("regex.split", &[s(p), s(t)]);
    assert_eq!(f(r"^[a-z]+\[[0-9]+\]$", ""), strs(&[""]));
    assert_eq!(f("^[a-z]+", "foobar baz"), strs(&["", " baz"]));
    assert_eq!(f("[a-z]+$", "foobar baz"), strs(&["foobar ", ""]));
    assert_eq!(f("^[a-z]+$", "foobar baz"), strs(&["foobar baz"]));
    assert_eq!(f("^[a-z ]+$", "foobar baz"), strs(&["", ""]));
    assert_eq!(f("a", "banana"), strs(&["b", "n", "n", ""]));
    assert_eq!(f("z+", "pizza"), strs(&["pi", "a"]));
    assert_eq!(f("", ""), strs(&[]));
    assert_eq!(f("x*", "axbxxc"), strs(&["a", "b", "c"]));
    assert_eq!(f("", "abc"), strs(&["a", "b", "c"]));
}

#[test]
fn template_match() {
    let t = |tpl: &str, text: &str, a: &str, b: &str| {
        call("regex.template_match", &[s(tpl), s(text), s(a), s(b)])
    };
    assert_eq!(
        t("urn:foo:{.*}", "urn:foo:bar:baz", "{", "}").unwrap(),
        Value::from(true)
    );
    assert_eq!(
        t("urn:foo:<.*>", "urn:foo:bar:baz", "<", ">").unwrap(),
        Value::from(true)
    );
    assert_eq!(
        t("urn:foo.{[a-z]+}", "urn:fooxbar", "{", "}").unwrap(),
        Value::from(false)
    );
    assert_eq!(
        t("urn:{a{2}}", "urn:aa", "{", "}").unwrap(),
        Value::from(true)
    );
    assert_eq!(
        t("urn:{.*", "urn:x", "{", "}").unwrap_err().message(),
        r#"unbalanced braces in "urn:{.*""#
    );
    assert_eq!(
        t("x", "x", "{{", "}").unwrap_err().message(),
        "start delimiter has to be exactly one character long but is 2 long"
    );
    assert_eq!(
        t("x", "x", "{", "").unwrap_err().message(),
        "end delimiter has to be exactly one character long but is 1 long"
    );
    assert!(t("urn:{[}", "x", "{", "}").is_err());
}

#[test]
fn globs_match() {
    let g = |x: &str, y: &str| call("regex.globs_match", &[s(x), s(y)]);
    assert_eq!(
        g("a.a.[0-9]+z", ".b.b2359825792*594823z").unwrap(),
        Value::from(true)
    );
    assert_eq!(g("[a-z]+", "[0-9]*").unwrap(), Value::from(false));
    let err = g("pqrs]", "[a-b]+").unwrap_err();
    assert_eq!(
        err.message(),
        "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid"
    );
    assert_eq!(err.code(), "eval_builtin_error");
}

/// Random patterns and texts from a small alphabet of syntax characters never panic.
#[test]
fn no_panics_on_odd_patterns() {
    let alphabet: Vec<char> = "\\[](){}*+?.|^$-,:!<>'\"`%#0179abxyzPpQEsdwbiU é€😀\n"
        .chars()
        .collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for _ in 0..300 {
        let len = random(10);
        let p: String = (0..len).map(|_| alphabet[random(alphabet.len())]).collect();
        let t: String = (0..random(8))
            .map(|_| alphabet[random(alphabet.len())])
            .collect();
        for name in ["regex.match", "regex.split", "regex.is_valid"] {
            let args: Vec<Value> = if name == "regex.is_valid" {
                vec![s(&p)]
            } else {
                vec![s(&p), s(&t)]
            };
            let _ = call(name, &args);
        }
        let _ = call("regex.replace", &[s(&t), s(&p), s(&p)]);
        let _ = call(
            "regex.find_all_string_submatch_n",
            &[s(&p), s(&t), Value::from(-1)],
        );
        let _ = call("regex.template_match", &[s(&p), s(&t), s("{"), s("}")]);
        let _ = call("regex.globs_match", &[s(&p), s(&t)]);
        let _ = call("glob.match", &[s(&p), Value::Null, s(&t)]);
        let _ = call("glob.match", &[s(&p), strs(&["."]), s(&t)]);
        let _ = call(
            "sprintf",
            &[
                s(&p),
                Value::array(vec![s(&t), Value::from(-3), Value::from(2.5)]),
            ],
        );
        let _ = call(
            "strings.render_template",
            &[s(&format!("{{{{{p}}}}}{t}")), Value::empty_object()],
        );
        let _ = call("to_number", &[s(&p)]);
        let _ = call(
            "strings.replace_n",
            &[Value::object_from(vec![(s(&p), s(&t))]), s(&t)],
        );
    }
}
