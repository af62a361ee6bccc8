use rego_eval::Value;

use crate::call;

fn s(v: &str) -> Value {
    Value::from(v)
}

fn n(text: &str) -> Value {
    Value::parse_number(text).unwrap()
}

fn strs(items: &[&str]) -> Value {
    Value::array(items.iter().map(|i| s(i)).collect())
}

fn ok(name: &str, args: &[Value]) -> Value {
    call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn err(name: &str, args: &[Value]) -> (String, &'static str) {
    let e = call(name, args).unwrap_err();
    (e.message().to_string(), e.code())
}

#[test]
fn concat() {
    assert_eq!(
        ok("concat", &[s("/"), strs(&["", "foo", "bar", "0", "baz"])]),
        s("/foo/bar/0/baz")
    );
    assert_eq!(
        ok("concat", &[s(","), Value::set_from(vec![s("2"), s("1")])]),
        s("1,2")
    );
    assert_eq!(ok("concat", &[s(","), Value::empty_array()]), s(""));
    assert_eq!(
        err("concat", &[s(","), Value::array(vec![s("a"), n("1")])]).0,
        "operand 2 must be array of strings but got array containing number"
    );
    assert_eq!(
        err("concat", &[s(","), Value::set_from(vec![n("1")])]).0,
        "operand 2 must be set of strings but got set containing number"
    );
    assert_eq!(
        err("concat", &[s(","), s("x")]).0,
        "operand 2 must be one of {set, array} but got string"
    );
    assert_eq!(
        err("concat", &[n("1"), Value::empty_array()]).0,
        "operand 1 must be string but got number"
    );
}

#[test]
fn predicates() {
    assert_eq!(
        ok("contains", &[s("abcdefgh"), s("defg")]),
        Value::from(true)
    );
    assert_eq!(
        ok("contains", &[s("abcdefgh"), s("ac")]),
        Value::from(false)
    );
    assert_eq!(ok("contains", &[s("abc"), s("")]), Value::from(true));
    assert_eq!(
        ok("startswith", &[s("abcdefgh"), s("abcd")]),
        Value::from(true)
    );
    assert_eq!(
        ok("startswith", &[s("abcdefgh"), s("bcd")]),
        Value::from(false)
    );
    assert_eq!(
        ok("endswith", &[s("abcdefgh"), s("fgh")]),
        Value::from(true)
    );
    assert_eq!(
        ok("endswith", &[s("abcdefgh"), s("fg")]),
        Value::from(false)
    );
    assert_eq!(
        err("contains", &[s("a"), n("1")]).0,
        "operand 2 must be string but got number"
    );
}

#[test]
fn case_mapping() {
    assert_eq!(ok("lower", &[s("AbCdEf")]), s("abcdef"));
    assert_eq!(ok("upper", &[s("AbCdEf")]), s("ABCDEF"));
    assert_eq!(ok("upper", &[s("straße")]), s("STRAßE"));
}

#[test]
fn split() {
    assert_eq!(ok("split", &[s(""), s(".")]), strs(&[""]));
    assert_eq!(
        ok("split", &[s("test"), s("")]),
        strs(&["t", "e", "s", "t"])
    );
    assert_eq!(ok("split", &[s(""), s("")]), strs(&[]));
    assert_eq!(ok("split", &[s("foo"), s(".")]), strs(&["foo"]));
    assert_eq!(
        ok("split", &[s("foo.bar.baz"), s(".")]),
        strs(&["foo", "bar", "baz"])
    );
    assert_eq!(
        ok("split", &[s("a..b."), s(".")]),
        strs(&["a", "", "b", ""])
    );
    assert_eq!(ok("split", &[s("åäö"), s("")]), strs(&["å", "ä", "ö"]));
}

#[test]
fn split_n() {
    let f = |x: &str, sep: &str, k: i64| ok("strings.split_n", &[s(x), s(sep), Value::from(k)]);
    assert_eq!(f("a,b,c", ",", 2), strs(&["a", "b"]));
    assert_eq!(f("a,b,c", ",", 5), strs(&["a", "b", "c"]));
    assert_eq!(f("a,b,c", ",", 0), strs(&[]));
    assert_eq!(f("a,b,c", ",", -1), strs(&["c"]));
    assert_eq!(f("a,b,c", ",", -2), strs(&["b", "c"]));
    assert_eq!(f("a,b,c", ",", -9), strs(&["a", "b", "c"]));
    assert_eq!(f("abc", "", 2), strs(&["a", "b"]));
    assert_eq!(f("abc", "", i64::MAX), strs(&["a", "b", "c"]));
    assert_eq!(
        err("strings.split_n", &[s("a"), s(","), n("1.5")]).0,
        "operand 3 must be integer number but got floating-point number"
    );
}

#[test]
fn replace() {
    assert_eq!(ok("replace", &[s(""), s("hi"), s("bye")]), s(""));
    assert_eq!(ok("replace", &[s("foo.bar"), s("."), s(",")]), s("foo,bar"));
    assert_eq!(
        ok("replace", &[s("foo.bar.baz"), s("."), s(",")]),
        s("foo,bar,baz")
    );
    assert_eq!(
        ok("replace", &[s("foo...bar"), s(".."), s(",,")]),
        s("foo,,.bar")
    );
    assert_eq!(ok("replace", &[s("ab"), s(""), s("-")]), s("-a-b-"));
}

#[test]
fn replace_n() {
    let obj = |pairs: &[(&str, &str)]| {
        Value::object_from(pairs.iter().map(|(k, v)| (s(k), s(v))).collect())
    };
    assert_eq!(
        ok(
            "strings.replace_n",
            &[
                obj(&[("<", "&lt;"), (">", "&gt;")]),
                s("This is <b>HTML</b>!")
            ]
        ),
        s("This is &lt;b&gt;HTML&lt;/b&gt;!")
    );
    assert_eq!(
        ok(
            "strings.replace_n",
            &[obj(&[("f", "x"), ("foo", "xxx")]), s("foobar")]
        ),
        s("xoobar")
    );
    assert_eq!(
        ok(
            "strings.replace_n",
            &[
                obj(&[("old1", "new1"), ("old2", "new2")]),
                s("Everything is new1, new2")
            ]
        ),
        s("Everything is new1, new2")
    );
    let bad_key = Value::object_from(vec![(n("2"), s("x"))]);
    assert_eq!(
        err("strings.replace_n", &[bad_key, s("foo")]),
        (
            "operand 1 non-string key found in pattern object".into(),
            "eval_type_error"
        )
    );
    let bad_value = Value::object_from(vec![(s("f"), n("100"))]);
    assert_eq!(
        err("strings.replace_n", &[bad_value, s("foo")]).0,
        "operand 1 non-string value found in pattern object"
    );
    assert_eq!(
        err("strings.replace_n", &[obj(&[("foo", "baz")]), n("100")]).0,
        "operand 2 must be string but got number"
    );
}

#[test]
fn trims() {
    assert_eq!(ok("trim", &[s(""), s(".")]), s(""));
    assert_eq!(ok("trim", &[s("...foo.bar..."), s(".")]), s("foo.bar"));
    assert_eq!(ok("trim", &[s("...foo.bar..."), s(".fr")]), s("oo.ba"));
    assert_eq!(ok("trim", &[s("...foo.bar..."), s(".o")]), s("foo.bar"));
    assert_eq!(ok("trim", &[s("¡¡¡foo, bar!!!"), s("!¡")]), s("foo, bar"));
    assert_eq!(ok("trim", &[s("abc"), s("")]), s("abc"));
    assert_eq!(
        ok("trim_left", &[s("¡¡¡foo, bar!!!"), s("!¡")]),
        s("foo, bar!!!")
    );
    assert_eq!(
        ok("trim_right", &[s("¡¡¡foo, bar!!!"), s("!¡")]),
        s("¡¡¡foo, bar")
    );
    assert_eq!(
        ok("trim_prefix", &[s("¡¡¡foo, bar!!!"), s("¡¡¡foo")]),
        s(", bar!!!")
    );
    assert_eq!(
        ok("trim_prefix", &[s("¡¡¡foo, bar!!!"), s("¡¡¡bar")]),
        s("¡¡¡foo, bar!!!")
    );
    assert_eq!(
        ok("trim_suffix", &[s("¡¡¡foo, bar!!!"), s(", bar!!!")]),
        s("¡¡¡foo")
    );
    assert_eq!(
        ok("trim_space", &[s(" \t\n foo, bar \n\t\r\n")]),
        s("foo, bar")
    );
    assert_eq!(ok("trim_space", &[s("\u{a0}\u{85}x\u{3000}")]), s("x"));
}

#[test]
fn substring() {
    let f = |x: &str, o: i64, l: i64| ok("substring", &[s(x), Value::from(o), Value::from(l)]);
    assert_eq!(f("abcdefgh", 2, 3), s("cde"));
    assert_eq!(f("åäö", 0, 2), s("åä"));
    assert_eq!(f("abcdefgh", 2, -1), s("cdefgh"));
    assert_eq!(f("aåäö", 2, -1), s("äö"));
    assert_eq!(f("abcdefgh", 2, 10000), s("cdefgh"));
    assert_eq!(f("abcdefghåäö", 2, 10000), s("cdefghåäö"));
    assert_eq!(f("aaa", 3, -1), s(""));
    assert_eq!(f("åäö", 4, -1), s(""));
    assert_eq!(f("", 0, 1), s(""));
    assert_eq!(
        err("substring", &[s("aaa"), n("-1"), n("-1")]),
        ("negative offset".into(), "eval_builtin_error")
    );
    assert_eq!(
        err("substring", &[s("aaa"), n("1.5"), n("1")]).0,
        "operand 2 must be integer number but got floating-point number"
    );
}

#[test]
fn indexof() {
    assert_eq!(ok("indexof", &[s("abcdefgh"), s("cde")]), n("2"));
    assert_eq!(ok("indexof", &[s("abcabcabcdefgh"), s("cde")]), n("8"));
    assert_eq!(ok("indexof", &[s("abcdefgh"), s("xyz")]), n("-1"));
    assert_eq!(ok("indexof", &[s("μx"), s("x")]), n("1"));
    assert_eq!(ok("indexof", &[s("μ"), s("μμ")]), n("-1"));
    assert_eq!(ok("indexof", &[s("skön var våren"), s("vår")]), n("9"));
    assert_eq!(ok("indexof", &[s("🍧🍨🧁🍰🍮"), s("🍮")]), n("4"));
    assert_eq!(
        err("indexof", &[s("abc"), s("")]),
        ("empty search character".into(), "eval_builtin_error")
    );
    let n_of = |x: &str, y: &str| ok("indexof_n", &[s(x), s(y)]);
    assert_eq!(
        n_of("dogcatdogcat", "cat"),
        Value::array(vec![n("3"), n("9")])
    );
    assert_eq!(n_of("dogcat", "rabbit"), Value::empty_array());
    assert_eq!(
        n_of("😇😀😇😀😇😀", "😀"),
        Value::array(vec![n("1"), n("3"), n("5")])
    );
    assert_eq!(n_of("aaa", "aa"), Value::array(vec![n("0"), n("1")]));
    assert_eq!(
        err("indexof_n", &[s("abc"), s("")]).0,
        "empty search character"
    );
}

#[test]
fn reverse_and_count() {
    assert_eq!(ok("strings.reverse", &[s("bar")]), s("rab"));
    assert_eq!(
        ok("strings.reverse", &[s("2\u{fe0f}\u{20e3}")]),
        s("\u{20e3}\u{fe0f}2")
    );
    assert_eq!(ok("strings.reverse", &[s("")]), s(""));
    assert_eq!(
        err("strings.reverse", &[n("123")]).0,
        "operand 1 must be string but got number"
    );
    let c = |x: &str, y: &str| ok("strings.count", &[s(x), s(y)]);
    assert_eq!(c("cheese", "e"), n("3"));
    assert_eq!(c("hello hello hello world", "hello"), n("3"));
    assert_eq!(c("dummy", "x"), n("0"));
    assert_eq!(c("dummy", ""), n("6"));
    assert_eq!(c("", ""), n("1"));
    assert_eq!(c("11111", "11"), n("2"));
    assert_eq!(c("åäö", ""), n("4"));
}

#[test]
fn affix_matches() {
    let t = Value::from(true);
    let f = Value::from(false);
    let strings = strs(&["a/b/c", "a/b/d", "e/f/g"]);
    assert_eq!(
        ok(
            "strings.any_prefix_match",
            &[strings.clone(), strs(&["a/", "d/"])]
        ),
        t
    );
    assert_eq!(
        ok(
            "strings.any_prefix_match",
            &[strings.clone(), strs(&["f/", "d/"])]
        ),
        f
    );
    assert_eq!(
        ok("strings.any_prefix_match", &[strings.clone(), s("a/")]),
        t
    );
    assert_eq!(
        ok(
            "strings.any_prefix_match",
            &[s("a/b/c"), strs(&["g/", "a/"])]
        ),
        t
    );
    assert_eq!(ok("strings.any_prefix_match", &[strs(&[]), strs(&[])]), f);
    let set = Value::set_from(vec![s("a/b/c"), s("x")]);
    assert_eq!(
        ok(
            "strings.any_prefix_match",
            &[set, Value::set_from(vec![s("x")])]
        ),
        t
    );
    assert_eq!(
        ok(
            "strings.any_suffix_match",
            &[strings.clone(), strs(&["/c", "/a"])]
        ),
        t
    );
    assert_eq!(
        ok(
            "strings.any_suffix_match",
            &[strings.clone(), strs(&["/f", "/a"])]
        ),
        f
    );
    assert_eq!(
        ok("strings.any_suffix_match", &[s("a/b/g"), strs(&["/c"])]),
        f
    );
    let nums = Value::array(vec![n("1"), n("2")]);
    assert_eq!(
        err("strings.any_prefix_match", &[nums.clone(), strs(&["a"])]).0,
        "operand 1 must be array of strings but got array containing number"
    );
    assert_eq!(
        err("strings.any_prefix_match", &[n("1"), strs(&["a"])]).0,
        "operand 1 must be one of {string, set, array} but got number"
    );
    assert_eq!(
        err("strings.any_suffix_match", &[strings.clone(), nums]).0,
        "operand 2 must be array of strings but got array containing number"
    );
    assert_eq!(
        err("strings.any_suffix_match", &[strings, n("1")]).0,
        "operand 2 must be one of {string, set, array} but got number"
    );
}

#[test]
fn template_string() {
    let parts = Value::array(vec![
        s("foo "),
        Value::set_from(vec![n("42")]),
        s(" "),
        Value::empty_set(),
        s(" "),
        Value::set_from(vec![s("bar")]),
        s(" "),
        Value::set_from(vec![Value::set_from(vec![s("c")])]),
        s(" "),
        Value::set_from(vec![Value::empty_set()]),
        n("1.5"),
        Value::Null,
    ]);
    assert_eq!(
        ok("internal.template_string", &[parts]),
        s(r#"foo 42 <undefined> bar {"c"} set()1.5null"#)
    );
    let many = Value::array(vec![Value::set_from(vec![
        Value::from(true),
        Value::from(false),
    ])]);
    assert_eq!(
        err("internal.template_string", &[many]).0,
        "template-strings must not produce multiple outputs"
    );
}
