//! Builtins of the `uuid` family: `uuid.rfc4122` (a random version 4 UUID, stable within a
//! query for the same key) and `uuid.parse` (the fields OPA decodes from a UUID).

use ::uuid::Uuid;
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "uuid.rfc4122",
        arity: 1,
        func: rfc4122,
    },
    BuiltinDef {
        name: "uuid.parse",
        arity: 1,
        func: parse,
    },
];

/// 100-nanosecond intervals between the Gregorian epoch (1582-10-15) and the Unix epoch.
const GREGORIAN_TO_UNIX_100NS: i64 = 122_192_928_000_000_000;

/// `uuid.rfc4122(key)`: a random version 4 UUID in lowercase hyphenated form, the same for
/// the same key within one query.
fn rfc4122(ctx: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    ctx.memoize("uuid.rfc4122", args, || {
        let id = Uuid::new_v4();
        Ok(Value::from(id.hyphenated().to_string()))
    })
}

/// The result OPA gives as "undefined" for text that is not a UUID.
///
/// The builtin API has no undefined outcome yet, so this is an error, which the evaluator turns
/// into undefined unless builtin errors are strict.
fn undefined() -> BuiltinError {
    BuiltinError::Undefined
}

/// Reads a UUID as Go's `github.com/google/uuid` does: 36 characters hyphenated, 38 with any
/// first and last character (braces), 45 with a case-insensitive `urn:uuid:` prefix, or 32 hex
/// digits.
fn read_uuid(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    let hyphenated = match b.len() {
        36 => b,
        38 => &b[1..37],
        45 if b[..9].eq_ignore_ascii_case(b"urn:uuid:") => &b[9..],
        32 => {
            let mut out = [0u8; 16];
            for (i, pair) in b.chunks(2).enumerate() {
                out[i] = hex_byte(pair)?;
            }
            return Some(out);
        }
        _ => return None,
    };
    if [8, 13, 18, 23].iter().any(|&i| hyphenated[i] != b'-') {
        return None;
    }
    let mut out = [0u8; 16];
    let starts = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    for (i, &x) in starts.iter().enumerate() {
        out[i] = hex_byte(&hyphenated[x..x + 2])?;
    }
    Some(out)
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let digit = |c: u8| char::from(c).to_digit(16);
    let (hi, lo) = (digit(pair[0])?, digit(pair[1])?);
    u8::try_from(hi * 16 + lo).ok()
}

/// `uuid.parse(s)`: `{"version": N, "variant": "RFC4122"|...}`, plus for versions 1 and 2
/// `time` (Unix nanoseconds), `clocksequence`, `nodeid` (`"32-50-96-b3-9f-47"`) and
/// `macvariables`, plus for version 2 `id` and `domain`. Undefined for text that is not a
/// UUID.
fn parse(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let s = args::string(args, 0)?;
    let u = read_uuid(s).ok_or_else(undefined)?;
    let version = u[6] >> 4;
    let variant = match u[8] {
        b if b & 0xc0 == 0x80 => "RFC4122",
        b if b & 0xe0 == 0xc0 => "Microsoft",
        b if b & 0xe0 == 0xe0 => "Future",
        _ => "Reserved",
    };
    let mut fields = vec![
        (Value::from("version"), Value::from(u32::from(version))),
        (Value::from("variant"), Value::from(variant)),
    ];
    if version == 1 || version == 2 {
        let be16 = |i: usize| i64::from(u16::from_be_bytes([u[i], u[i + 1]]));
        let be32 = i64::from(u32::from_be_bytes([u[0], u[1], u[2], u[3]]));
        // 60-bit count of 100 ns since 1582 (version 2 keeps its id in the low 32 bits, which
        // OPA reads as time all the same).
        let time = be32 | (be16(4) << 32) | ((be16(6) & 0xfff) << 48);
        let since_unix = time - GREGORIAN_TO_UNIX_100NS;
        let unix_ns = (since_unix / 10_000_000) * 1_000_000_000 + (since_unix % 10_000_000) * 100;
        let node = &u[10..16];
        let node_id = node
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join("-");
        let mac = match node[0] & 0b11 {
            0b11 => "local:multicast",
            0b01 => "global:multicast",
            0b10 => "local:unicast",
            _ => "global:unicast",
        };
        fields.push((Value::from("time"), Value::from(unix_ns)));
        fields.push((Value::from("nodeid"), Value::from(node_id)));
        fields.push((Value::from("macvariables"), Value::from(mac)));
        fields.push((Value::from("clocksequence"), Value::from(be16(8) & 0x3fff)));
        if version == 2 {
            let domain = match u[9] {
                0 => "Person".to_string(),
                1 => "Group".to_string(),
                2 => "Org".to_string(),
                d => format!("Domain{d}"),
            };
            fields.push((Value::from("id"), Value::from(be32)));
            fields.push((Value::from("domain"), Value::from(domain)));
        }
    }
    Ok(Value::object_from(fields))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn parse(s: &str) -> String {
        call("uuid.parse", &[Value::from(s)]).unwrap().to_string()
    }

    #[test]
    fn generation_is_v4_and_stable() {
        let registry = crate::standard();
        let f = registry.get("uuid.rfc4122").unwrap();
        let memo = std::cell::RefCell::new(std::collections::HashMap::new());
        let ctx = rego_eval::BuiltinContext::new(0, &memo, false);
        let a = f.call(&ctx, &[Value::from("key")]).unwrap();
        assert_eq!(f.call(&ctx, &[Value::from("key")]).unwrap(), a);
        let b = f.call(&ctx, &[Value::from("other")]).unwrap();
        assert_ne!(a, b);
        let text = a.as_str().unwrap();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4");
        assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(parse(text), r#"{"variant": "RFC4122", "version": 4}"#);
    }

    #[test]
    fn parsing() {
        let v4 = r#"{"variant": "RFC4122", "version": 4}"#;
        assert_eq!(parse("00000000-0000-4000-8000-000000000000"), v4);
        assert_eq!(parse("{00000000-0000-4000-8000-000000000000}"), v4);
        assert_eq!(parse("URN:UUID:00000000-0000-4000-8000-000000000000"), v4);
        assert_eq!(parse("00000000000040008000000000000000"), v4);
        assert_eq!(
            parse("6bea8ef2d3d33cd184e09bab06a52ece"),
            r#"{"variant": "RFC4122", "version": 3}"#
        );
        assert_eq!(
            parse("38074da4-0b00-388d-9c3c-362de965547a"),
            r#"{"variant": "RFC4122", "version": 3}"#
        );
        let v2 = concat!(
            r#"{"clocksequence": 12800, "domain": "Person", "id": 1000, "#,
            r#""macvariables": "local:unicast", "nodeid": "32-50-96-b3-9f-47", "#,
            r#""time": 1693566990121469600, "variant": "RFC4122", "version": 2}"#
        );
        assert_eq!(parse("000003e8-48b9-21ee-b200-325096b39f47"), v2);
        assert_eq!(parse("urn:uuid:000003e8-48b9-21ee-b200-325096b39f47"), v2);
        // A version 1 UUID (from RFC 4122's era): 1998-02-04.
        assert_eq!(
            parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
            concat!(
                r#"{"clocksequence": 180, "macvariables": "global:unicast", "#,
                r#""nodeid": "00-c0-4f-d4-30-c8", "time": 886630433151182400, "#,
                r#""variant": "RFC4122", "version": 1}"#
            )
        );
        assert_eq!(
            parse("00000000-0000-0000-c000-000000000000"),
            r#"{"variant": "Microsoft", "version": 0}"#
        );
    }

    #[test]
    fn not_uuids() {
        for s in [
            "",
            "not-a-uuid",
            "00000000-0000-4000-8000-00000000000g",
            "00000000+0000-4000-8000-000000000000",
            "0000000000004000800000000000000z",
            "urx:uuid:00000000-0000-4000-8000-000000000000",
        ] {
            assert!(call("uuid.parse", &[Value::from(s)]).is_err(), "{s}");
        }
        let e = call("uuid.parse", &[Value::from(123)]).unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            ("eval_type_error", "operand 1 must be string but got number")
        );
    }
}
