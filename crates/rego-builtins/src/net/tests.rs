use crate::call;
use rego_eval::Value;

fn s(x: &str) -> Value {
    Value::from(x)
}

fn strs(xs: &[&str]) -> Value {
    Value::array(xs.iter().map(|x| s(x)).collect())
}

fn set(xs: &[&str]) -> Value {
    Value::set_from(xs.iter().map(|x| s(x)).collect())
}

fn ok(name: &str, args: &[Value]) -> Value {
    call(name, args).unwrap_or_else(|e| panic!("{name}{args:?}: {e}"))
}

fn err(name: &str, args: &[Value]) -> (String, &'static str) {
    let e = call(name, args).expect_err(name);
    (e.message().to_string(), e.code())
}

fn contains(a: &str, b: &str) -> bool {
    ok("net.cidr_contains", &[s(a), s(b)]) == Value::Bool(true)
}

#[test]
fn cidr_contains_conformance() {
    assert!(contains("10.0.0.0/8", "10.1.0.0/24"));
    assert!(!contains("172.17.0.0/24", "172.17.0.0/16"));
    assert!(!contains("10.0.0.0/8", "192.168.1.0/24"));
    assert!(contains("10.0.0.0/8", "10.1.1.1/32"));
    assert!(contains(
        "2001:4860:4860::8888/32",
        "2001:4860:4860:1234::8888/40"
    ));
    assert!(contains(
        "2001:4860:4860::8888/32",
        "2001:4860:4860:1234:5678:1234:5678:8888/128"
    ));
    assert!(!contains("2001:4860::/96", "2001:4860::/32"));
    assert!(!contains("2001:4860::/32", "fd1e:5bfe:8af3:9ddc::/64"));
    assert!(contains("10.0.0.0/8", "10.1.2.3"));
    assert!(!contains("10.0.0.0/8", "192.168.1.1"));
    assert_eq!(
        err("net.cidr_contains", &[s("not-a-cidr"), s("192.168.1.67")]),
        (
            "invalid CIDR address: not-a-cidr".into(),
            "eval_builtin_error"
        )
    );
    assert_eq!(
        err("net.cidr_contains", &[s("192.168.1.0/28"), s("not-a-cidr")]).0,
        "not a valid textual representation of an IP address or CIDR: not-a-cidr"
    );
    assert_eq!(
        err("net.cidr_contains", &[s("10.0.0.0/8"), Value::from(1)]),
        (
            "operand 1 must be string but got number".into(),
            "eval_type_error"
        )
    );
}

#[test]
fn families_follow_go() {
    // IPv4-mapped IPv6 addresses are IPv4 addresses.
    assert!(contains("10.0.0.0/8", "::ffff:10.1.2.3"));
    assert!(contains("::ffff:10.0.0.0/104", "10.1.2.3"));
    // An IPv6 network never contains an IPv4 address, even ::/0.
    assert!(!contains("::/0", "10.1.2.3"));
    assert!(contains("::/0", "2001:db8::1"));
    assert!(contains("0.0.0.0/0", "255.255.255.255"));
    assert!(!contains("0.0.0.0/0", "::1"));
    // Leading zeros in a prefix length are fine; in an IPv4 octet they are not.
    assert!(contains("10.0.0.0/08", "10.9.9.9"));
    assert!(call("net.cidr_contains", &[s("010.0.0.0/8"), s("10.0.0.1")]).is_err());
    assert_eq!(
        ok("net.cidr_overlap", &[s("10.0.0.0/8"), s("10.1.2.3")]),
        Value::Bool(true)
    );
}

#[test]
fn cidr_intersects_conformance() {
    let intersects = |a: &str, b: &str| ok("net.cidr_intersects", &[s(a), s(b)]);
    assert_eq!(
        intersects("192.168.1.0/25", "192.168.1.64/25"),
        Value::Bool(true)
    );
    assert_eq!(
        intersects("192.168.1.0/24", "192.168.2.0/24"),
        Value::Bool(false)
    );
    assert_eq!(
        intersects("fd1e:5bfe:8af3:9ddc::/64", "fd1e:5bfe:8af3:9ddc:1111::/72"),
        Value::Bool(true)
    );
    assert_eq!(
        intersects("fd1e:5bfe:8af3:9ddc::/64", "2001:4860:4860::8888/32"),
        Value::Bool(false)
    );
    assert_eq!(
        err(
            "net.cidr_intersects",
            &[s("not-a-cidr"), s("192.168.1.0/24")]
        )
        .1,
        "eval_builtin_error"
    );
    assert_eq!(
        err(
            "net.cidr_intersects",
            &[s("192.168.1.0/28"), s("not-a-cidr")]
        )
        .0,
        "invalid CIDR address: not-a-cidr"
    );
}

#[test]
fn cidr_contains_matches_conformance() {
    let matches = |a: Value, b: Value| ok("net.cidr_contains_matches", &[a, b]);
    let pair = |a: Value, b: Value| Value::array(vec![a, b]);
    assert_eq!(
        matches(s("1.1.1.0/24"), s("1.1.1.1")),
        Value::set_from(vec![pair(s("1.1.1.0/24"), s("1.1.1.1"))])
    );
    let n = |i: i64| Value::from(i);
    assert_eq!(
        matches(
            strs(&["1.1.2.0/24", "1.1.1.0/24"]),
            strs(&["1.1.1.1", "1.1.2.1"])
        ),
        Value::set_from(vec![pair(n(0), n(1)), pair(n(1), n(0))])
    );
    let tuples = Value::array(vec![
        Value::array(vec![s("1.1.2.0/24"), n(1)]),
        s("1.1.1.0/24"),
    ]);
    assert_eq!(
        matches(tuples, strs(&["1.1.1.1", "1.1.2.1"])),
        Value::set_from(vec![pair(n(0), n(1)), pair(n(1), n(0))])
    );
    assert_eq!(
        matches(
            set(&["1.1.1.0/24", "1.1.2.0/24"]),
            set(&["1.1.1.1", "1.1.2.1"])
        ),
        Value::set_from(vec![
            pair(s("1.1.1.0/24"), s("1.1.1.1")),
            pair(s("1.1.2.0/24"), s("1.1.2.1"))
        ])
    );
    let object = Value::object_from(vec![
        (s("k1"), s("1.1.1.1/24")),
        (s("k2"), Value::array(vec![s("1.1.1.2/24"), n(1)])),
    ]);
    assert_eq!(
        matches(object, s("1.1.1.128")),
        Value::set_from(vec![
            pair(s("k1"), s("1.1.1.128")),
            pair(s("k2"), s("1.1.1.128"))
        ])
    );
    let bad = Value::array(vec![s("1.1.1.1"), n(1)]);
    assert_eq!(
        err("net.cidr_contains_matches", &[strs(&["1.1.2.0/24"]), bad]),
        (
            "operand 2: element must be string or non-empty array".into(),
            "eval_builtin_error"
        )
    );
    let empty = Value::set_from(vec![Value::empty_array(), strs(&["1.1.2.1", "qux"])]);
    assert_eq!(
        err("net.cidr_contains_matches", &[set(&["1.1.1.0/24"]), empty]).0,
        "operand 2: element must be string or non-empty array"
    );
    assert_eq!(
        err(
            "net.cidr_contains_matches",
            &[Value::array(vec![n(1)]), s("1.1.1.1")]
        )
        .0,
        "operand 1: element must be string or non-empty array"
    );
}

#[test]
fn cidr_expand_conformance() {
    let expand = |x: &str| ok("net.cidr_expand", &[s(x)]);
    assert_eq!(
        expand("192.168.1.1/30"),
        set(&["192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"])
    );
    assert_eq!(
        expand("172.16.100.255/30"),
        set(&[
            "172.16.100.252",
            "172.16.100.253",
            "172.16.100.254",
            "172.16.100.255"
        ])
    );
    assert_eq!(expand("192.168.1.1/32"), set(&["192.168.1.1"]));
    assert_eq!(
        expand("2001:db8::/127"),
        set(&["2001:db8::", "2001:db8::1"])
    );
    assert_eq!(
        expand("::ffff:10.0.0.0/127"),
        set(&["10.0.0.0", "10.0.0.1"])
    );
    assert_eq!(
        err("net.cidr_expand", &[s("192.168.1.1/33")]),
        (
            "invalid CIDR address: 192.168.1.1/33".into(),
            "eval_builtin_error"
        )
    );
    assert!(call("net.cidr_expand", &[s("::/0")]).is_err());
}

#[test]
fn cidr_is_valid_conformance() {
    let valid = |v: Value| ok("net.cidr_is_valid", &[v]);
    assert_eq!(valid(s("192.168.1.0/24")), Value::Bool(true));
    assert_eq!(valid(s("")), Value::Bool(false));
    assert_eq!(valid(s("there goes a string")), Value::Bool(false));
    assert_eq!(valid(s("192.168.1.2")), Value::Bool(false));
    assert_eq!(
        valid(s("2002::1234:abcd:ffff:c0a8:101/64")),
        Value::Bool(true)
    );
    assert_eq!(valid(s("10.0.0.0/")), Value::Bool(false));
    assert_eq!(valid(s("10.0.0.0/+8")), Value::Bool(false));
    assert_eq!(valid(s("fe80::1%eth0/64")), Value::Bool(false));
    assert_eq!(valid(Value::from(1)), Value::Bool(false));
}

#[test]
fn cidr_merge_conformance() {
    let merge = |xs: &[&str]| ok("net.cidr_merge", &[strs(xs)]);
    let v6 = "2601:600:8a80:207e:a57d:7567:e2c9:e7b3";
    assert_eq!(merge(&[&format!("{v6}/128")]), set(&[&format!("{v6}/128")]));
    assert_eq!(
        merge(&[&format!("{v6}/128"), &format!("{v6}/128")]),
        set(&[&format!("{v6}/128")])
    );
    assert_eq!(
        merge(&[&format!("{v6}/64"), &format!("{v6}/128")]),
        set(&["2601:600:8a80:207e::/64"])
    );
    assert_eq!(
        err("net.cidr_merge", &[strs(&[v6])]),
        (
            "IPv6 invalid: needs prefix length".into(),
            "eval_builtin_error"
        )
    );
    assert_eq!(merge(&["192.0.128.0/24"]), set(&["192.0.128.0/24"]));
    assert_eq!(
        merge(&["192.0.128.0/24", "192.0.128.0/24"]),
        set(&["192.0.128.0/24"])
    );
    assert_eq!(merge(&["192.0.128.0/24", "0.0.0.0/0"]), set(&["0.0.0.0/0"]));
    assert_eq!(
        merge(&["192.0.128.0/24", "192.0.129.0/24"]),
        set(&["192.0.128.0/23"])
    );
    assert_eq!(
        merge(&["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"]),
        set(&["192.0.2.112/29"])
    );
    assert_eq!(
        merge(&["192.0.129.0/24", "192.0.130.0/24"]),
        set(&["192.0.129.0/24", "192.0.130.0/24"])
    );
    assert_eq!(
        merge(&["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"]),
        set(&["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"])
    );
    assert_eq!(
        merge(&["192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31"]),
        set(&["192.0.2.112/31", "192.0.2.116/30"])
    );
    let mut many = vec!["192.0.1.254/31".to_string()];
    for i in 0..16 {
        many.push(format!("192.0.2.{}/28", i * 16));
    }
    many.push("192.0.3.0/28".to_string());
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        merge(&many),
        set(&["192.0.1.254/31", "192.0.2.0/24", "192.0.3.0/28"])
    );
    assert_eq!(merge(&["::/0", "fe80::1/128"]), set(&["::/0"]));
    assert_eq!(
        merge(&["::/0", "::192.0.2.0/124", "ff00::101/128"]),
        set(&["::/0"])
    );
    assert_eq!(
        merge(&[
            "fe80::/120",
            "192.0.2.0/24",
            "192.0.3.0/24",
            "192.0.4.0/25",
            "192.0.4.128/25"
        ]),
        set(&["192.0.2.0/23", "192.0.4.0/24", "fe80::/120"])
    );
    assert_eq!(merge(&[]), Value::empty_set());
    assert_eq!(
        merge(&["192.0.2.112", "192.0.2.116/31", "192.0.2.118/31"]),
        set(&["192.0.2.0/24"])
    );
    assert_eq!(
        merge(&["192.0.128.0", "192.0.129.0"]),
        set(&["192.0.128.0/23"])
    );
    assert_eq!(
        ok(
            "net.cidr_merge",
            &[set(&["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"])]
        ),
        set(&["192.0.2.112/29"])
    );
    assert_eq!(
        err("net.cidr_merge", &[strs(&["foo"])]),
        ("invalid CIDR address: foo".into(), "eval_builtin_error")
    );
    assert_eq!(
        err("net.cidr_merge", &[Value::array(vec![Value::from(1)])]).0,
        "element must be string"
    );
    // A lone address keeps its classful mask and is printed unmasked, as OPA does.
    assert_eq!(merge(&["10.1.2.3"]), set(&["10.1.2.3/8"]));
    assert_eq!(merge(&["172.16.5.4"]), set(&["172.16.5.4/16"]));
    // Ranges that do not split on one boundary become several networks.
    assert_eq!(
        merge(&["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32"]),
        set(&["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32"])
    );
    assert_eq!(merge(&["0.0.0.0/1", "128.0.0.0/1"]), set(&["0.0.0.0/0"]));
    assert_eq!(merge(&["::/1", "8000::/1"]), set(&["::/0"]));
}

#[test]
fn lookup_ip_addr_without_network() {
    let lookup = |x: &str| ok("net.lookup_ip_addr", &[s(x)]);
    assert_eq!(lookup("10.0.0.0"), set(&["10.0.0.0"]));
    assert_eq!(lookup("::"), set(&["::"]));
    assert_eq!(lookup("::ffff:1.2.3.4"), set(&["1.2.3.4"]));
    assert_eq!(lookup("localhost"), set(&["127.0.0.1", "::1"]));
    assert_eq!(lookup("db.LOCALHOST."), set(&["127.0.0.1", "::1"]));
    assert_eq!(
        err("net.lookup_ip_addr", &[s("example.com")]),
        (
            "unallowed host: example.com: network access is disabled".into(),
            "eval_builtin_error"
        )
    );
}
