//! Byte codecs shared by the crypto and JWT builtins, with Go's semantics and error texts:
//! base64 as Go's `encoding/base64` reads it, OPA's padding-tolerant base64url, Go's PEM block
//! scanner, and the JSON shapes Go's `encoding/json` gives bytes, big integers and OIDs.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use der::asn1::ObjectIdentifier;
use rego_eval::value::BigInt;
use rego_eval::{Number, Value};

/// Go's decoders: padding required, non-zero trailing bits tolerated.
const GO_DECODE: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_allow_trailing_bits(true)
    .with_decode_padding_mode(DecodePaddingMode::RequireCanonical);
const STD_DECODER: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, GO_DECODE);
const URL_DECODER: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, GO_DECODE);

/// Decodes standard padded base64 as Go's `base64.StdEncoding` does (line breaks ignored).
pub(crate) fn base64_std(text: &str) -> Result<Vec<u8>, String> {
    decode_with(&STD_DECODER, text.as_bytes())
}

/// Decodes base64url as OPA's `base64url.decode`: missing padding is added first.
pub(crate) fn base64url(text: &str) -> Result<Vec<u8>, String> {
    let mut padded = text.to_string();
    if !text.ends_with('=') {
        match text.len() % 4 {
            0 => {}
            2 => padded.push_str("=="),
            3 => padded.push('='),
            _ => return Err(format!("illegal base64url string: {text}")),
        }
    }
    decode_with(&URL_DECODER, padded.as_bytes())
}

fn decode_with(engine: &GeneralPurpose, input: &[u8]) -> Result<Vec<u8>, String> {
    let cleaned: Vec<u8>;
    let input = if input.iter().any(|&b| b == b'\r' || b == b'\n') {
        cleaned = input
            .iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n')
            .collect();
        &cleaned[..]
    } else {
        input
    };
    engine.decode(input).map_err(|e| {
        let at = match e {
            base64::DecodeError::InvalidByte(at, _)
            | base64::DecodeError::InvalidLastSymbol(at, _) => at,
            // Go reports the start of the incomplete final quantum.
            base64::DecodeError::InvalidLength(len) => len - len % 4,
            base64::DecodeError::InvalidPadding => input
                .iter()
                .position(|&b| b == b'=')
                .unwrap_or(input.len() - input.len() % 4),
        };
        format!("illegal base64 data at input byte {at}")
    })
}

/// Standard padded base64, as Go's `encoding/json` writes a `[]byte`.
pub(crate) fn base64_std_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Unpadded base64url, as JWS compact serialisation and JWK fields use.
pub(crate) fn base64url_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// One PEM block as Go's `pem.Decode` returns it.
#[derive(Debug)]
pub(crate) struct PemBlock {
    /// The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`.
    pub label: String,
    /// The decoded body.
    pub bytes: Vec<u8>,
}

/// Finds the first PEM block in `data` as Go's `pem.Decode` does, returning it and the input
/// after it; `None` if there is no well-formed block (garbage before a block is skipped).
pub(crate) fn pem_decode(data: &[u8]) -> Option<(PemBlock, &[u8])> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    const DASHES: &[u8] = b"-----";
    let mut rest = data;
    loop {
        // A block starts at the very beginning or right after a line break.
        if rest.starts_with(BEGIN) {
            rest = &rest[BEGIN.len()..];
        } else {
            let at = find(rest, b"\n-----BEGIN ")?;
            rest = &rest[at + 1 + BEGIN.len()..];
        }
        let (type_line, after_type) = split_line(rest);
        rest = after_type;
        let Some(label) = type_line.strip_suffix(DASHES) else {
            continue;
        };
        // Optional `Key: value` header lines.
        let mut has_headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = split_line(rest);
            if !line.contains(&b':') {
                break;
            }
            has_headers = true;
            rest = next;
        }
        let (body_end, trailer_start) = if !has_headers && rest.starts_with(END) {
            (0, END.len())
        } else {
            match find(rest, b"\n-----END ") {
                Some(i) => (i, i + 1 + END.len()),
                None => continue,
            }
        };
        let trailer = &rest[trailer_start..];
        let want = label.len() + DASHES.len();
        if trailer.len() < want
            || !trailer[..want].starts_with(label)
            || !trailer[..want].ends_with(DASHES)
            || !split_line(&trailer[want..]).0.is_empty()
        {
            continue;
        }
        let body: Vec<u8> = rest[..body_end]
            .iter()
            .copied()
            .filter(|&b| b != b' ' && b != b'\t')
            .collect();
        let Ok(bytes) = decode_with(&STD_DECODER, &body) else {
            continue;
        };
        let (_, after) = split_line(&rest[trailer_start - 1..]);
        let label = String::from_utf8_lossy(label).into_owned();
        return Some((PemBlock { label, bytes }, after));
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The first line without its line break and trailing blanks, and the input after the break.
fn split_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut line, rest) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[data.len()..]),
    };
    if let Some(stripped) = line.strip_suffix(b"\r") {
        line = stripped;
    }
    while let [head @ .., b' ' | b'\t'] = line {
        line = head;
    }
    (line, rest)
}

/// A `[]byte` as Go's JSON encoder writes it: a base64 string.
pub(crate) fn bytes_value(bytes: &[u8]) -> Value {
    Value::from(base64_std_encode(bytes))
}

/// A non-negative big-endian integer as an exact number (Go's `*big.Int` in JSON).
pub(crate) fn unsigned_value(bytes_be: &[u8]) -> Value {
    let mut signed = Vec::with_capacity(bytes_be.len() + 1);
    signed.push(0);
    signed.extend_from_slice(bytes_be);
    Value::Number(Number::from_bigint(BigInt::from_signed_bytes_be(&signed)))
}

/// A two's-complement big-endian integer as an exact number.
pub(crate) fn signed_value(bytes_be: &[u8]) -> Value {
    Value::Number(Number::from_bigint(BigInt::from_signed_bytes_be(bytes_be)))
}

/// An OID as Go's `asn1.ObjectIdentifier` marshals: an array of its arcs.
pub(crate) fn oid_value(oid: &ObjectIdentifier) -> Value {
    Value::array(oid.arcs().map(|arc| Value::from(u64::from(arc))).collect())
}

/// A list of strings, `null` when empty (Go's nil slice).
pub(crate) fn strings_value(items: &[String]) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::array(items.iter().map(|s| Value::string(s)).collect())
    }
}

/// An object with string keys.
pub(crate) fn object(entries: Vec<(&str, Value)>) -> Value {
    Value::object_from(
        entries
            .into_iter()
            .map(|(k, v)| (Value::string(k), v))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_errors_name_the_offset() {
        assert_eq!(base64_std("YmFkc3RyaW5n").unwrap(), b"badstring");
        assert_eq!(
            base64_std("invalid").unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            base64_std("foobar").unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(base64_std("YW\nJj").unwrap(), b"abc");
        assert_eq!(
            base64url("eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9").unwrap_err(),
            "illegal base64 data at input byte 13"
        );
        assert_eq!(base64url("YWJjZA").unwrap(), b"abcd");
        assert_eq!(base64url("YWJjZA==").unwrap(), b"abcd");
        assert_eq!(base64url("a").unwrap_err(), "illegal base64url string: a");
    }

    #[test]
    fn pem_blocks_like_go() {
        let text = b"junk\n-----BEGIN TEST-----\nYWJj\n-----END TEST-----\nrest";
        let (block, rest) = pem_decode(text).unwrap();
        assert_eq!(block.label, "TEST");
        assert_eq!(block.bytes, b"abc");
        assert_eq!(rest, b"rest");
        let (_, rest) = pem_decode(b"-----BEGIN A-----\nYWJj\n-----END A-----").unwrap();
        assert!(rest.is_empty());
        let (block, _) =
            pem_decode(b"-----BEGIN A-----\nProc-Type: 4\n\nYWJj\n-----END A-----\n").unwrap();
        assert_eq!(block.bytes, b"abc");
        assert!(pem_decode(b"-----BEGIN A-----\nYWJj\n-----END B-----").is_none());
        assert!(pem_decode(b"nothing here").is_none());
        assert!(pem_decode(b"-----BEGIN A-----\n!!!!\n-----END A-----").is_none());
    }

    #[test]
    fn json_shapes() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(unsigned_value(&[1, 0]), Value::from(256));
        assert_eq!(unsigned_value(&[0xff]), Value::from(255));
        assert_eq!(signed_value(&[0xff]), Value::from(-1));
        assert_eq!(bytes_value(b"abc"), Value::string("YWJj"));
        assert_eq!(strings_value(&[]), Value::Null);
    }
}
