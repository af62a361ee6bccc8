use rego_eval::{BuiltinError, Value};

use super::jws::header_string;
use crate::call;
use crate::crypto::codec::{base64url_encode, pem_decode};
use crate::crypto::keys::{PrivateKey, parse_private_block};
use crate::crypto::tests::{EC, LEAF, RSA};

const RSA_PUB: &str = include_str!("../../testdata/crypto/rsa_pub.pem");
const EC_PUB: &str = include_str!("../../testdata/crypto/ec_pub.pem");
const P384: &str = include_str!("../../testdata/crypto/p384.pem");
const P384_PUB: &str = include_str!("../../testdata/crypto/p384_pub.pem");
const P521: &str = include_str!("../../testdata/crypto/p521.pem");
const P521_PUB: &str = include_str!("../../testdata/crypto/p521_pub.pem");
const ED25519: &str = include_str!("../../testdata/crypto/ed25519.pem");
const ED25519_PUB: &str = include_str!("../../testdata/crypto/ed25519_pub.pem");

/// RFC 7515 appendix A.1's key.
const RFC_KEY: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;

fn s(text: &str) -> Value {
    Value::string(text)
}

fn json(text: &str) -> Value {
    Value::from_json_str(text).expect("JSON")
}

fn builtin_error(name: &str, args: &[Value]) -> String {
    match call(name, args) {
        Err(BuiltinError::Builtin(msg)) => msg,
        other => panic!("{name}: expected a builtin error, got {other:?}"),
    }
}

/// The private JWK of a PEM private key.
fn private_jwk(pem: &str) -> Value {
    let (block, _) = pem_decode(pem.as_bytes()).unwrap();
    match parse_private_block(&block.label, &block.bytes)
        .unwrap()
        .unwrap()
    {
        PrivateKey::Ed25519(k) => json(&format!(
            r#"{{"kty":"OKP","crv":"Ed25519","d":"{}","x":"{}"}}"#,
            base64url_encode(&k.to_bytes()),
            base64url_encode(k.verifying_key().as_bytes())
        )),
        key => key.to_jwk().unwrap(),
    }
}

/// The public JWK (as JSON text) of a private JWK.
fn public_jwk(private: &Value, extra: &str) -> String {
    let mut o = private.as_object().unwrap().to_vec();
    o.retain(|(k, _)| ["kty", "crv", "n", "e", "x", "y"].contains(&k.as_str().unwrap()));
    let text = Value::object_from(o).to_json_string();
    format!("{{{extra}{}", &text[1..])
}

fn sign(alg: &str, payload: &str, key: &Value) -> String {
    let header = json(&format!(r#"{{"alg": "{alg}"}}"#));
    let token = call("io.jwt.encode_sign", &[header, json(payload), key.clone()]).unwrap();
    token.as_str().unwrap().to_string()
}

#[test]
fn decodes() {
    let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY";
    assert_eq!(
        call("io.jwt.decode", &[s(token)]),
        Ok(json(
            r#"[{"alg": "HS256", "typ": "JWT"}, {"iss": "opa", "sub": "0"},
                "5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576"]"#
        ))
    );
    // Duplicate keys: the last one wins.
    let dup = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMCIsImlzcyI6ICJub3Qgb3BhIiwgImlzcyI6ICJhbHNvIG5vdCBvcGEiLCAiaXNzIjogIm9wYSJ9.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY";
    let decoded = call("io.jwt.decode", &[s(dup)]).unwrap();
    assert_eq!(
        decoded.as_array().unwrap()[1],
        json(r#"{"iss": "opa", "sub": "0"}"#)
    );
    // A nested token, quoted as jwt.io does.
    let inner = format!("\"{token}\"");
    let outer = format!(
        "{}.{}.",
        base64url_encode(br#"{"alg":"HS256","cty":"JWT"}"#),
        base64url_encode(inner.as_bytes())
    );
    assert_eq!(
        call("io.jwt.decode", &[s(&outer)]),
        call("io.jwt.decode", &[s(token)])
    );
}

#[test]
fn decode_errors() {
    let err = |t: &str| builtin_error("io.jwt.decode", &[s(t)]);
    assert_eq!(err("abc"), "encoded JWT had no period separators");
    assert_eq!(err("a.b"), "encoded JWT must have 3 sections, found 2");
    assert_eq!(err("a.b.c.d"), "encoded JWT must have 3 sections, found 4");
    assert_eq!(
        err("eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.e30.e30"),
        "JWT header had invalid encoding: illegal base64 data at input byte 13"
    );
    assert_eq!(
        err("a.e30.e30"),
        "JWT header had invalid encoding: illegal base64url string: a"
    );
    let header = |h: &str| base64url_encode(h.as_bytes());
    assert_eq!(
        err(&format!("{}.e30.", header(r#"{"alg":"HS256","enc":"x"}"#))),
        "JWT is a JWE object, which is not supported"
    );
    assert_eq!(
        err(&format!("{}.e30.", header("[1]"))),
        "bad JWT header: decoded JSON type was not an Object"
    );
    assert!(err(&format!("{}.e30.", header("{"))).starts_with("bad JWT header: invalid JSON: "));
    assert_eq!(
        err(&format!("{}.{}.", header("{}"), header("1"))),
        "decoded JSON type was not an Object"
    );
    assert_eq!(
        err(&format!("{}.e30.(", header("{}"))),
        "JWT signature had invalid encoding: illegal base64url string: ("
    );
    assert_eq!(
        call("io.jwt.decode", &[Value::from(1)]),
        Err(BuiltinError::Type(
            "operand 1 must be string but got number".into()
        ))
    );
}

#[test]
fn encodes_rfc_7515_examples() {
    let token = call(
        "io.jwt.encode_sign_raw",
        &[
            s("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"),
            s("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"),
            s(RFC_KEY),
        ],
    );
    assert_eq!(
        token,
        Ok(s(
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ))
    );
    let token = call(
        "io.jwt.encode_sign",
        &[
            json(r#"{"alg": "HS256", "typ": "JWT"}"#),
            json("{}"),
            json(RFC_KEY),
        ],
    );
    assert_eq!(
        token,
        Ok(s(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.6cvao8lnOu6FAdK68jQFcDMXOmaWNwWiYhCgijd-AD8"
        ))
    );
    // Go escapes HTML characters in JSON.
    let token = sign("HS256", r#"{"a": "<&>"}"#, &json(RFC_KEY));
    let payload = token.split('.').nth(1).unwrap();
    assert_eq!(
        crate::crypto::codec::base64url(payload).unwrap(),
        br#"{"a":"\u003c\u0026\u003e"}"#
    );
}

#[test]
fn encode_errors() {
    let err =
        |h: &str, p: &str, k: &str| builtin_error("io.jwt.encode_sign_raw", &[s(h), s(p), s(k)]);
    assert!(
        err(r#"{"typ:"JWT", "alg":"HS256"}"#, "{}", RFC_KEY)
            .starts_with("missing or invalid 'alg' header: cannot parse JSON")
    );
    assert_eq!(
        err(r#"{"alg":"dummy"}"#, "{}", RFC_KEY),
        "unknown JWS algorithm: dummy"
    );
    assert_eq!(
        err("{}", "{}", RFC_KEY),
        "missing or invalid 'alg' header: jwsbb: header \"alg\" not found"
    );
    assert_eq!(
        err("e", "{}", RFC_KEY),
        "missing or invalid 'alg' header: jwsbb: header \"alg\" not found"
    );
    assert!(err("", "{}", RFC_KEY).starts_with(
        "missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string"
    ));
    assert_eq!(
        err(r#"{"alg":"HS256"}"#, "e", RFC_KEY),
        "type is JWT but payload is not JSON"
    );
    assert_eq!(
        err(r#"{"alg":"HS256","typ":"JWT"}"#, "", RFC_KEY),
        "type is JWT but payload is not JSON"
    );
    assert_eq!(
        err(r#"{"alg":"HS256"}"#, "{}", r#"{"keys": []}"#),
        "no keys found in JWK set"
    );
    assert!(err(r#"{"alg":"RS256"}"#, "{}", RFC_KEY).starts_with("failed to sign payload"));
    assert!(err(r#"{"alg":"HS256"}"#, "{}", "nope").starts_with("failed to parse JWK"));
    // Any payload goes with another media type.
    assert!(
        call(
            "io.jwt.encode_sign_raw",
            &[
                s(r#"{"alg":"HS256","typ":"text/plain"}"#),
                s(""),
                s(RFC_KEY)
            ]
        )
        .is_ok()
    );
}

#[test]
fn header_member_lookup() {
    assert_eq!(
        header_string(br#" {"alg": "RS256"} "#, "alg"),
        Ok("RS256".into())
    );
    assert!(
        header_string(br#"{"alg": 1}"#, "alg")
            .unwrap_err()
            .contains("not found")
    );
    assert!(
        header_string(b"12", "alg")
            .unwrap_err()
            .contains("not found")
    );
    assert!(
        header_string(b"[", "alg")
            .unwrap_err()
            .starts_with("cannot parse JSON")
    );
}

/// Signs with each algorithm, then verifies with the matching `verify_*` builtin and with
/// `decode_verify`, by PEM and by JWK.
#[test]
fn round_trips_every_algorithm() {
    let cases = [
        ("RS256", RSA, RSA_PUB, "io.jwt.verify_rs256"),
        ("RS384", RSA, RSA_PUB, "io.jwt.verify_rs384"),
        ("RS512", RSA, RSA_PUB, "io.jwt.verify_rs512"),
        ("PS256", RSA, RSA_PUB, "io.jwt.verify_ps256"),
        ("PS384", RSA, RSA_PUB, "io.jwt.verify_ps384"),
        ("ES256", EC, EC_PUB, "io.jwt.verify_es256"),
        ("ES384", P384, P384_PUB, "io.jwt.verify_es384"),
        ("ES512", P521, P521_PUB, "io.jwt.verify_es512"),
        ("EdDSA", ED25519, ED25519_PUB, "io.jwt.verify_eddsa"),
    ];
    for (alg, private, public, verify) in cases {
        let jwk = private_jwk(private);
        let token = sign(alg, r#"{"iss": "me"}"#, &jwk);
        assert_eq!(
            call(verify, &[s(&token), s(public)]),
            Ok(Value::Bool(true)),
            "{alg}"
        );
        let public_jwk = public_jwk(&jwk, "");
        assert_eq!(
            call(verify, &[s(&token), s(&public_jwk)]),
            Ok(Value::Bool(true)),
            "{alg} jwk"
        );
        let other = if public == RSA_PUB { EC_PUB } else { RSA_PUB };
        assert_eq!(
            call(verify, &[s(&token), s(other)]),
            Ok(Value::Bool(false)),
            "{alg} wrong key"
        );
        let want = json(&format!(r#"[true, {{"alg": "{alg}"}}, {{"iss": "me"}}]"#));
        for cert in [public, &public_jwk] {
            let constraints = Value::object_from(vec![(s("cert"), s(cert)), (s("iss"), s("me"))]);
            assert_eq!(
                call("io.jwt.decode_verify", &[s(&token), constraints]),
                Ok(want.clone()),
                "{alg}"
            );
        }
        // A tampered payload fails.
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            base64url_encode(br#"{"iss":"you"}"#),
            parts[2]
        );
        assert_eq!(
            call(verify, &[s(&forged), s(public)]),
            Ok(Value::Bool(false)),
            "{alg} forged"
        );
    }
    // A certificate's key verifies too.
    let token = sign("RS256", "{}", &private_jwk(RSA));
    assert_eq!(
        call("io.jwt.verify_rs256", &[s(&token), s(LEAF)]),
        Ok(Value::Bool(true))
    );
}

#[test]
fn hmac_verification() {
    for (alg, verify) in [
        ("HS256", "io.jwt.verify_hs256"),
        ("HS384", "io.jwt.verify_hs384"),
        ("HS512", "io.jwt.verify_hs512"),
    ] {
        let key = json(&format!(
            r#"{{"kty": "oct", "k": "{}"}}"#,
            base64url_encode(b"secret")
        ));
        let token = sign(alg, "{}", &key);
        assert_eq!(
            call(verify, &[s(&token), s("secret")]),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            call(verify, &[s(&token), s("other")]),
            Ok(Value::Bool(false))
        );
        let constraints = json(r#"{"secret": "secret"}"#);
        let decoded = call("io.jwt.decode_verify", &[s(&token), constraints]).unwrap();
        assert_eq!(decoded.as_array().unwrap()[0], Value::Bool(true));
        // A JWK set with the symmetric key verifies too.
        let set = format!(r#"{{"keys": [{}]}}"#, key.to_json_string());
        let constraints = Value::object_from(vec![(s("cert"), s(&set))]);
        let decoded = call("io.jwt.decode_verify", &[s(&token), constraints]).unwrap();
        assert_eq!(decoded.as_array().unwrap()[0], Value::Bool(true));
    }
    assert_eq!(
        builtin_error("io.jwt.verify_hs256", &[s("a.b"), s("secret")]),
        "encoded JWT must have 3 sections, found 2"
    );
    assert_eq!(
        call("io.jwt.verify_hs256", &[s("a.b.c"), Value::Null]),
        Err(BuiltinError::Type(
            "operand 2 must be string but got null".into()
        ))
    );
}

#[test]
fn key_selection() {
    let rsa = private_jwk(RSA);
    let ec = private_jwk(EC);
    let set = format!(
        r#"{{"keys": [{}, {}]}}"#,
        public_jwk(&ec, r#""kid": "e", "alg": "ES256", "#),
        public_jwk(&rsa, r#""kid": "r", "alg": "RS256", "#)
    );
    let token = sign("RS256", "{}", &rsa);
    assert_eq!(
        call("io.jwt.verify_rs256", &[s(&token), s(&set)]),
        Ok(Value::Bool(true))
    );
    // A kid naming the wrong key decides alone.
    let header = json(r#"{"alg": "RS256", "kid": "e"}"#);
    let token = call("io.jwt.encode_sign", &[header, json("{}"), rsa.clone()]).unwrap();
    assert_eq!(
        call("io.jwt.verify_rs256", &[token.clone(), s(&set)]),
        Ok(Value::Bool(false))
    );
    // Keys with an algorithm OPA does not know are skipped.
    let enc_only = format!(
        r#"{{"keys": [{}]}}"#,
        public_jwk(&rsa, r#""alg": "RSA-OAEP", "#)
    );
    let token = sign("RS256", "{}", &rsa);
    assert_eq!(
        call("io.jwt.verify_rs256", &[s(&token), s(&enc_only)]),
        Ok(Value::Bool(false))
    );

    let err = |key: &str| builtin_error("io.jwt.verify_rs256", &[s(&token), s(key)]);
    assert_eq!(err(RSA), "failed to extract a Key from the PEM certificate");
    assert_eq!(
        err(&format!("{RSA_PUB}EXTRA")),
        "extra data after a PEM certificate block"
    );
    assert!(err("{}").starts_with("failed to parse a JWK key (set): "));
    assert!(err(r#"{"kty": "bogus"}"#).starts_with("failed to parse a JWK key (set): "));
    let bad_cert = "-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----";
    assert_eq!(
        err(bad_cert),
        "failed to parse a PEM certificate: x509: malformed certificate"
    );
}

fn decode_verify(token: &str, constraints: &str) -> Result<Value, BuiltinError> {
    call("io.jwt.decode_verify", &[s(token), json(constraints)])
}

fn verified(token: &str, constraints: &str) -> bool {
    decode_verify(token, constraints)
        .unwrap()
        .as_array()
        .unwrap()[0]
        == Value::Bool(true)
}

#[test]
fn registered_claims() {
    let key = json(&format!(
        r#"{{"kty": "oct", "k": "{}"}}"#,
        base64url_encode(b"k")
    ));
    let token = |payload: &str| sign("HS256", payload, &key);
    let at = |t: &str, secs: &str| format!(r#"{{"secret": "k", "time": {secs}000000000{t}}}"#);
    let exp = token(r#"{"exp": 3000}"#);
    assert!(verified(&exp, &at("", "2999")));
    assert!(!verified(&exp, &at("", "3000")));
    let nbf = token(r#"{"nbf": 1000.5}"#);
    assert!(!verified(&nbf, &at("", "1000")));
    assert!(verified(&nbf, &at(".0", "1001")));
    // Without a time constraint, the query's time (2023-11-14) is used.
    assert!(!verified(&exp, r#"{"secret": "k"}"#));
    assert!(verified(
        &token(r#"{"exp": 1800000000}"#),
        r#"{"secret": "k"}"#
    ));

    let iss = token(r#"{"iss": "a", "aud": ["x", "y"]}"#);
    assert!(verified(&iss, r#"{"secret": "k", "iss": "a", "aud": "y"}"#));
    assert!(!verified(
        &iss,
        r#"{"secret": "k", "iss": "b", "aud": "y"}"#
    ));
    assert!(!verified(&iss, r#"{"secret": "k", "aud": "z"}"#));
    assert!(!verified(&iss, r#"{"secret": "k"}"#));
    assert!(!verified(&token("{}"), r#"{"secret": "k", "iss": "a"}"#));
    assert!(!verified(&token("{}"), r#"{"secret": "k", "aud": "a"}"#));
    assert!(!verified(&iss, r#"{"secret": "k", "alg": "HS512"}"#));
    assert!(!verified(&iss, r#"{"secret": "nope"}"#));

    let err = |t: &str, c: &str| match decode_verify(t, c) {
        Err(BuiltinError::Builtin(m)) => m,
        other => panic!("expected an error, got {other:?}"),
    };
    assert_eq!(
        err(&token(r#"{"exp": "x"}"#), r#"{"secret": "k"}"#),
        "exp value must be a number"
    );
    assert_eq!(
        err(&token(r#"{"nbf": null}"#), r#"{"secret": "k"}"#),
        "nbf value must be a number"
    );
    assert_eq!(err(&exp, "{}"), "no key constraint");
    assert_eq!(
        err(
            &exp,
            &format!(r#"{{"secret": "k", "cert": {:?}}}"#, RSA_PUB)
        ),
        "duplicate key constraints"
    );
    assert_eq!(
        err(&exp, r#"{"secret": "k", "foo": 1}"#),
        "unknown token validation constraint: foo"
    );
    assert_eq!(
        err(&exp, r#"{"secret": 1}"#),
        "secret constraint: must be a string"
    );
    assert_eq!(
        err(&exp, r#"{"cert": 1}"#),
        "cert constraint: must be a string"
    );
    assert_eq!(
        err(&exp, r#"{"secret": "k", "time": "x"}"#),
        "token time constraint: must be a number"
    );
    assert_eq!(
        err(&exp, r#"{"secret": "k", "time": -1}"#),
        "token time constraint: must not be negative"
    );
    assert_eq!(
        decode_verify(&exp, "[]"),
        Err(BuiltinError::Type(
            "operand 2 must be object but got array".into()
        ))
    );
}

#[test]
fn header_validation() {
    let key = json(&format!(
        r#"{{"kty": "oct", "k": "{}"}}"#,
        base64url_encode(b"k")
    ));
    let with_header = |h: &str| {
        call("io.jwt.encode_sign", &[json(h), json("{}"), key.clone()])
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    };
    let c = r#"{"secret": "k"}"#;
    assert!(!verified(
        &with_header(r#"{"alg": "HS256", "crit": ["x"], "x": 1, "kid": "a"}"#),
        c
    ));
    assert!(verified(
        &with_header(r#"{"alg": "HS256", "crit": ["alg"], "y": 1}"#),
        c
    ));
    let err = |h: &str| match decode_verify(&with_header(h), c) {
        Err(BuiltinError::Builtin(m)) => m,
        other => panic!("expected an error, got {other:?}"),
    };
    assert_eq!(
        err(r#"{"alg": "HS256", "crit": "x"}"#),
        "crit: must be a list"
    );
    assert_eq!(
        err(r#"{"alg": "HS256", "crit": []}"#),
        "crit: must be a nonempty list"
    );
    assert_eq!(
        err(r#"{"alg": "HS256", "kid": 1}"#),
        "kid: must be a string"
    );
    // A nested token is verified with the same constraints; the inner header is returned.
    let inner = with_header(r#"{"alg": "HS256"}"#);
    let outer_header = base64url_encode(br#"{"alg":"HS256","cty":"jwt"}"#);
    let input = format!("{outer_header}.{}", base64url_encode(inner.as_bytes()));
    let mac = super::jws::hmac(crate::crypto::sig::Hash::Sha256, b"k", input.as_bytes());
    let outer = format!("{input}.{}", base64url_encode(&mac));
    assert_eq!(
        decode_verify(&outer, c),
        Ok(json(r#"[true, {"alg": "HS256"}, {}]"#))
    );
    // Degenerate keys are refused, not fed to the arithmetic.
    let token = sign("RS256", "{}", &private_jwk(RSA));
    for n in ["AA", "AQ", "_w"] {
        let key = format!(r#"{{"kty": "RSA", "n": "{n}", "e": "AQAB"}}"#);
        if let Ok(v) = call("io.jwt.verify_rs256", &[s(&token), s(&key)]) {
            assert_eq!(v, Value::Bool(false));
        }
        if let Ok(v) = call("io.jwt.verify_ps256", &[s(&token), s(&key)]) {
            assert_eq!(v, Value::Bool(false));
        }
    }
}
