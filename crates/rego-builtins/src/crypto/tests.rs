use rego_eval::{BuiltinError, Value};

use super::codec::base64_std_encode;
use crate::call;

pub(crate) const ROOT: &str = include_str!("../../testdata/crypto/root.pem");
pub(crate) const INTER: &str = include_str!("../../testdata/crypto/inter.pem");
pub(crate) const LEAF: &str = include_str!("../../testdata/crypto/leaf.pem");
const CODESIGN: &str = include_str!("../../testdata/crypto/codesign.pem");
const CSR: &str = include_str!("../../testdata/crypto/leaf.csr");
pub(crate) const RSA: &str = include_str!("../../testdata/crypto/rsa.pem");
const RSA_PKCS8: &str = include_str!("../../testdata/crypto/rsa_pkcs8.pem");
pub(crate) const EC: &str = include_str!("../../testdata/crypto/ec.pem");
const EC_PKCS8: &str = include_str!("../../testdata/crypto/ec_pkcs8.pem");
const ED25519: &str = include_str!("../../testdata/crypto/ed25519.pem");

fn s(text: &str) -> Value {
    Value::string(text)
}

/// Fixture JSON; integers too long for exact reading become `"#num:DIGITS"` strings, which
/// [`assert_covers`] compares with the number's text.
fn json(text: &str) -> Value {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let mut in_string = false;
    let mut prev = ' ';
    for c in text.chars().chain(std::iter::once(' ')) {
        if !in_string && c.is_ascii_digit() && (prev.is_ascii_digit() || !prev.is_alphanumeric()) {
            digits.push(c);
            prev = c;
            continue;
        }
        if !digits.is_empty() {
            if digits.len() > 18 && c != '.' && c != 'e' {
                out.push_str(&format!("\"#num:{digits}\""));
            } else {
                out.push_str(&digits);
            }
            digits.clear();
        }
        if c == '"' && prev != '\\' {
            in_string = !in_string;
        }
        out.push(c);
        prev = c;
    }
    Value::from_json_str(&out).expect("fixture JSON")
}

fn builtin_error(name: &str, args: &[Value]) -> String {
    match call(name, args) {
        Err(BuiltinError::Builtin(msg)) => msg,
        other => panic!("{name}: expected a builtin error, got {other:?}"),
    }
}

/// Every field of Go's JSON (`want`) is in `got` with the same value; `got` may have more
/// (fields of newer Go versions).
fn assert_covers(want: &Value, got: &Value, path: &str) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w.iter() {
                let gv = g.get(k).unwrap_or_else(|| panic!("{path}.{k} missing"));
                assert_covers(wv, gv, &format!("{path}.{k}"));
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            assert_eq!(w.len(), g.len(), "{path}: lengths differ");
            for (i, (wv, gv)) in w.iter().zip(g.iter()).enumerate() {
                assert_covers(wv, gv, &format!("{path}[{i}]"));
            }
        }
        (Value::String(w), Value::Number(n)) if w.starts_with("#num:") => {
            assert_eq!(&w[5..], n.to_string(), "{path}");
        }
        _ => assert_eq!(want, got, "{path}"),
    }
}

fn raw(text: &str) -> Value {
    Value::from_json_str(text).expect("JSON")
}

fn cn(cert: &Value) -> &str {
    cert.object_get_str("Subject")
        .and_then(|s| s.object_get_str("CommonName"))
        .and_then(Value::as_str)
        .expect("a common name")
}

#[test]
fn digests_and_hmacs() {
    let one = |name: &str, x: &str| call(name, &[s(x)]).unwrap();
    assert_eq!(
        one("crypto.md5", "lorem ipsum"),
        s("80a751fde577028640c419000e33eba6")
    );
    assert_eq!(
        one("crypto.sha1", "lorem ipsum"),
        s("bfb7759a67daeb65410490b4d98bb9da7d1ea2ce")
    );
    assert_eq!(
        one("crypto.sha256", ""),
        s("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    let two = |name: &str| call(name, &[s("foo"), s("bar")]).unwrap();
    assert_eq!(
        two("crypto.hmac.md5"),
        s("31b6db9e5eb4addb42f1a6ca07367adc")
    );
    assert_eq!(
        two("crypto.hmac.sha1"),
        s("85d155c55ed286a300bd1cf124de08d87e914f3a")
    );
    assert_eq!(
        two("crypto.hmac.sha256"),
        s("147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851")
    );
    assert!(
        two("crypto.hmac.sha512")
            .as_str()
            .unwrap()
            .starts_with("24257d7210582a65")
    );
    assert_eq!(
        call("crypto.hmac.equal", &[s("abc"), s("abc")]),
        Ok(Value::Bool(true))
    );
    assert_eq!(
        call("crypto.hmac.equal", &[s("abc"), s("abd")]),
        Ok(Value::Bool(false))
    );
    assert_eq!(
        call("crypto.hmac.equal", &[s("abc"), s("ab")]),
        Ok(Value::Bool(false))
    );
    assert_eq!(
        call("crypto.md5", &[Value::from(1)]),
        Err(BuiltinError::Type(
            "operand 1 must be string but got number".into()
        ))
    );
    assert_eq!(
        call("crypto.hmac.sha256", &[s("x"), Value::Null]),
        Err(BuiltinError::Type(
            "operand 2 must be string but got null".into()
        ))
    );
}

#[test]
fn certificates_match_go_json() {
    for (pem, go) in [
        (LEAF, include_str!("../../testdata/crypto/leaf.go.json")),
        (INTER, include_str!("../../testdata/crypto/inter.go.json")),
        (ROOT, include_str!("../../testdata/crypto/root.go.json")),
    ] {
        let got = call("crypto.x509.parse_certificates", &[s(pem)]).unwrap();
        let got = &got.as_array().unwrap()[0];
        assert_covers(&json(go), got, "cert");
    }
    let leaf = call("crypto.x509.parse_certificates", &[s(LEAF)]).unwrap();
    let leaf = &leaf.as_array().unwrap()[0];
    assert_eq!(
        leaf.object_get_str("URIStrings"),
        Some(&Value::array(vec![s("spiffe://example.com/leaf?x=1#frag")]))
    );
    assert_eq!(
        leaf.object_get_str("Policies"),
        Some(&Value::array(vec![s("2.23.140.1.2.1")]))
    );
    let root = call("crypto.x509.parse_certificates", &[s(ROOT)]).unwrap();
    assert_eq!(
        root.as_array().unwrap()[0].object_get_str("URIStrings"),
        Some(&Value::Null)
    );
}

#[test]
fn certificate_inputs() {
    let chain = format!("{LEAF}{INTER}{ROOT}");
    let names = |input: &str| -> Vec<String> {
        let certs = call("crypto.x509.parse_certificates", &[s(input)]).unwrap();
        certs
            .as_array()
            .unwrap()
            .iter()
            .map(|c| cn(c).to_string())
            .collect()
    };
    let want = [
        "leaf.example.com",
        "Rego Test Intermediate",
        "Rego Test Root",
    ];
    assert_eq!(names(&chain), want);
    assert_eq!(names(&base64_std_encode(chain.as_bytes())), want);
    // Base64 DER, concatenated.
    let mut der = Vec::new();
    let mut rest = chain.as_bytes();
    while let Some((block, after)) = super::codec::pem_decode(rest) {
        der.extend(block.bytes);
        rest = after;
    }
    assert_eq!(names(&base64_std_encode(&der)), want);
    assert_eq!(names("-----BEGIN nothing"), Vec::<String>::new());

    let err = |input: &str| builtin_error("crypto.x509.parse_certificates", &[s(input)]);
    assert_eq!(err("YmFkc3RyaW5n"), "x509: malformed certificate");
    assert_eq!(err("foobar"), "illegal base64 data at input byte 4");
    assert_eq!(
        err(RSA),
        "PEM block type is 'RSA PRIVATE KEY', expected CERTIFICATE"
    );
}

fn verify(certs: &str, options: Option<Value>) -> Value {
    match options {
        None => call("crypto.x509.parse_and_verify_certificates", &[s(certs)]).unwrap(),
        Some(o) => call(
            "crypto.x509.parse_and_verify_certificates_with_options",
            &[s(certs), o],
        )
        .unwrap(),
    }
}

fn verified_names(result: &Value) -> Option<Vec<String>> {
    let items = result.as_array().unwrap();
    if items[0] != Value::Bool(true) {
        assert_eq!(items[1], Value::empty_array());
        return None;
    }
    Some(
        items[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| cn(c).to_string())
            .collect(),
    )
}

#[test]
fn chains_verify_like_go() {
    let good = format!("{ROOT}{INTER}{LEAF}");
    let result = verify(&good, None);
    assert_eq!(
        verified_names(&result).unwrap(),
        [
            "leaf.example.com",
            "Rego Test Intermediate",
            "Rego Test Root"
        ]
    );
    let leaf = &result.as_array().unwrap()[1].as_array().unwrap()[0];
    assert!(leaf.object_get_str("URIStrings").is_some());

    // Wrong order, a missing intermediate, a single certificate, garbage.
    assert_eq!(
        verified_names(&verify(&format!("{LEAF}{INTER}{ROOT}"), None)),
        None
    );
    assert_eq!(
        verified_names(&verify(&format!("{ROOT}{LEAF}"), None)),
        None
    );
    assert_eq!(verified_names(&verify(ROOT, None)), None);
    assert_eq!(verified_names(&verify("garbage", None)), None);
    // The intermediates may come in any order.
    assert!(verified_names(&verify(&format!("{ROOT}{LEAF}{INTER}{LEAF}"), None)).is_some());
}

#[test]
fn chain_options() {
    let good = format!("{ROOT}{INTER}{LEAF}");
    let opts = |text: &str| Some(raw(text));
    let ok = |o: &str| verified_names(&verify(&good, opts(o))).is_some();
    assert!(ok(r#"{"DNSName": "leaf.example.com"}"#));
    assert!(ok(r#"{"DNSName": "LEAF.example.com."}"#));
    assert!(ok(r#"{"DNSName": "a.wild.example.com"}"#));
    assert!(!ok(r#"{"DNSName": "a.b.wild.example.com"}"#));
    assert!(!ok(r#"{"DNSName": "other.example.com"}"#));
    assert!(ok(r#"{"DNSName": "10.1.2.3"}"#));
    assert!(!ok(r#"{"DNSName": "10.1.2.4"}"#));
    // Validity: 2020-01-01 to 2120-01-01.
    assert!(ok(r#"{"CurrentTime": 1600000000000000000}"#));
    assert!(!ok(r#"{"CurrentTime": 1500000000000000000}"#));
    assert!(ok(r#"{"KeyUsages": ["KeyUsageClientAuth"]}"#));
    assert!(!ok(r#"{"KeyUsages": ["KeyUsageCodeSigning"]}"#));
    assert!(ok(
        r#"{"KeyUsages": ["KeyUsageCodeSigning", "KeyUsageServerAuth"]}"#
    ));

    let code = format!("{ROOT}{INTER}{CODESIGN}");
    assert_eq!(verified_names(&verify(&code, None)), None);
    let code_ok = |o: &str| verified_names(&verify(&code, opts(o))).is_some();
    assert!(code_ok(r#"{"KeyUsages": ["KeyUsageCodeSigning"]}"#));
    assert!(code_ok(r#"{"KeyUsages": ["KeyUsageAny"]}"#));

    // No URIStrings with options, as in OPA.
    let result = verify(&good, opts("{}"));
    let leaf = &result.as_array().unwrap()[1].as_array().unwrap()[0];
    assert_eq!(leaf.object_get_str("URIStrings"), None);

    let err = |o: &str| {
        builtin_error(
            "crypto.x509.parse_and_verify_certificates_with_options",
            &[s(&good), raw(o)],
        )
    };
    assert_eq!(err(r#"{"DNSName": 1}"#), "'DNSName' should be a string");
    assert_eq!(
        err(r#"{"CurrentTime": "x"}"#),
        "'CurrentTime' should be a number"
    );
    assert_eq!(
        err(r#"{"CurrentTime": 1.5}"#),
        "'CurrentTime' should be a valid int64 number"
    );
    assert_eq!(
        err(r#"{"KeyUsages": "x"}"#),
        "'KeyUsages' should be an Array or Set"
    );
    assert_eq!(
        err(r#"{"KeyUsages": ["KeyUsageServerAuth", "Bad", "Worse"]}"#),
        "invalid entries for 'KeyUsages' found: [Bad Worse]"
    );
    assert_eq!(err(r#"{"Nope": 1}"#), "invalid key option");
    // Unparseable certificates are invalid before options are read.
    assert_eq!(
        call(
            "crypto.x509.parse_and_verify_certificates_with_options",
            &[s("garbage"), raw(r#"{"Nope": 1}"#)]
        ),
        Ok(raw("[false, []]"))
    );
}

#[test]
fn certificate_requests() {
    let go = json(include_str!("../../testdata/crypto/leaf.csr.go.json"));
    let got = call("crypto.x509.parse_certificate_request", &[s(CSR)]).unwrap();
    assert_covers(&go, &got, "csr");
    let b64 = call(
        "crypto.x509.parse_certificate_request",
        &[s(&base64_std_encode(CSR.as_bytes()))],
    );
    assert_eq!(b64, Ok(got));
    let err = |input: &str| builtin_error("crypto.x509.parse_certificate_request", &[s(input)]);
    assert!(err("YmFkc3RyaW5n").starts_with("asn1: structure error"));
    assert_eq!(err("foobar"), "illegal base64 data at input byte 4");
    assert_eq!(
        err(&base64_std_encode(LEAF.as_bytes())),
        "invalid PEM-encoded certificate signing request"
    );
}

#[test]
fn private_keys_match_go_json() {
    for (pem, go) in [
        (RSA, include_str!("../../testdata/crypto/rsa.go.json")),
        (
            RSA_PKCS8,
            include_str!("../../testdata/crypto/rsa_pkcs8.go.json"),
        ),
        (EC, include_str!("../../testdata/crypto/ec.go.json")),
        (
            EC_PKCS8,
            include_str!("../../testdata/crypto/ec_pkcs8.go.json"),
        ),
        (
            ED25519,
            include_str!("../../testdata/crypto/ed25519.go.json"),
        ),
    ] {
        let got = call("crypto.parse_private_keys", &[s(pem)]).unwrap();
        assert_covers(&json(go), &got, "keys");
    }
    let both = call(
        "crypto.parse_private_keys",
        &[s(&format!("{RSA}{LEAF}{EC}"))],
    )
    .unwrap();
    assert_eq!(both.as_array().unwrap().len(), 2);
    let b64 = call(
        "crypto.parse_private_keys",
        &[s(&base64_std_encode(EC.as_bytes()))],
    )
    .unwrap();
    assert_eq!(b64.as_array().unwrap().len(), 1);
    assert_eq!(call("crypto.parse_private_keys", &[s("")]), Ok(Value::Null));
    assert_eq!(
        call("crypto.parse_private_keys", &[s("nope")]),
        Ok(Value::empty_array())
    );
    let broken = "-----BEGIN RSA PRIVATE KEY-----\nYWJj\n-----END RSA PRIVATE KEY-----\n";
    assert!(
        builtin_error("crypto.parse_private_keys", &[s(broken)])
            .starts_with("x509: failed to parse private key")
    );
}

#[test]
fn private_keys_as_jwk() {
    let jwk = call("crypto.x509.parse_rsa_private_key", &[s(RSA)]).unwrap();
    let keys: Vec<&str> = jwk
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, _)| k.as_str().unwrap())
        .collect();
    assert_eq!(keys, ["d", "dp", "dq", "e", "kty", "n", "p", "q", "qi"]);
    assert_eq!(jwk.object_get_str("e"), Some(&s("AQAB")));
    let pkcs8 = call(
        "crypto.x509.parse_rsa_private_key",
        &[s(&base64_std_encode(RSA_PKCS8.as_bytes()))],
    );
    assert_eq!(pkcs8, Ok(jwk));
    let ec = call("crypto.x509.parse_rsa_private_key", &[s(EC)]).unwrap();
    assert_eq!(ec.object_get_str("crv"), Some(&s("P-256")));
    assert_eq!(
        call("crypto.x509.parse_rsa_private_key", &[s(LEAF)]),
        Ok(Value::Null)
    );
    let err = |input: &str| builtin_error("crypto.x509.parse_rsa_private_key", &[s(input)]);
    assert_eq!(err(""), "input PEM data was empty");
    assert_eq!(err("invalid"), "illegal base64 data at input byte 4");
}

#[test]
fn key_pairs() {
    let go = json(include_str!("../../testdata/crypto/pair.go.json"));
    let got = call("crypto.x509.parse_keypair", &[s(LEAF), s(RSA)]).unwrap();
    let Value::Object(mut want) = go else {
        panic!("an object")
    };
    want.remove(&s("Leaf"));
    assert_covers(&Value::Object(want), &got, "pair");
    assert_eq!(cn(got.object_get_str("Leaf").unwrap()), "leaf.example.com");

    // Base64 DER certificate and PKCS #8 key.
    let der =
        |pem: &str| base64_std_encode(&super::codec::pem_decode(pem.as_bytes()).unwrap().0.bytes);
    let again = call(
        "crypto.x509.parse_keypair",
        &[s(&der(LEAF)), s(&der(RSA_PKCS8))],
    )
    .unwrap();
    assert_eq!(
        again.object_get_str("Certificate"),
        got.object_get_str("Certificate")
    );

    let err =
        |cert: &str, key: &str| builtin_error("crypto.x509.parse_keypair", &[s(cert), s(key)]);
    assert_eq!(
        err(LEAF, EC),
        "tls: private key type does not match public key type"
    );
    assert_eq!(
        err(ROOT, include_str!("../../testdata/crypto/inter.key")),
        "tls: private key does not match public key"
    );
    assert_eq!(
        err(LEAF, LEAF),
        "tls: found a certificate rather than a key in the PEM for the private key"
    );
    assert_eq!(
        err(RSA, RSA),
        "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [RSA PRIVATE KEY]"
    );
    assert_eq!(
        err("-----BEGIN x", RSA),
        "tls: failed to find any PEM data in certificate input"
    );
    assert_eq!(
        call("crypto.x509.parse_keypair", &[s(LEAF), Value::from(1)]),
        Err(BuiltinError::Type(
            "operand 1 must be string but got number".into()
        ))
    );
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let der = super::codec::pem_decode(LEAF.as_bytes()).unwrap().0.bytes;
    let mut inputs: Vec<String> = (0..der.len())
        .step_by(7)
        .map(|n| base64_std_encode(&der[..n]))
        .collect();
    let mut flipped = der.clone();
    for i in (0..flipped.len()).step_by(13) {
        flipped[i] ^= 0x55;
        inputs.push(base64_std_encode(&flipped));
    }
    inputs.extend(
        [
            "",
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----",
            "{}",
            "a.b.c",
            "=",
            "====",
        ]
        .map(String::from),
    );
    let one = [
        "crypto.x509.parse_certificates",
        "crypto.x509.parse_and_verify_certificates",
        "crypto.x509.parse_certificate_request",
        "crypto.x509.parse_rsa_private_key",
        "crypto.parse_private_keys",
        "io.jwt.decode",
    ];
    for input in &inputs {
        for name in one {
            let _ = call(name, &[s(input)]);
        }
        let _ = call("crypto.x509.parse_keypair", &[s(input), s(RSA)]);
        let _ = call("crypto.x509.parse_keypair", &[s(LEAF), s(input)]);
        let _ = call("io.jwt.verify_rs256", &[s("e30.e30.e30"), s(input)]);
        let _ = call("io.jwt.verify_es256", &[s("e30.e30.e30"), s(input)]);
        let _ = call(
            "io.jwt.encode_sign_raw",
            &[s(r#"{"alg":"ES256"}"#), s("{}"), s(input)],
        );
    }
}
