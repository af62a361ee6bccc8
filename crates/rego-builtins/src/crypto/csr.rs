//! Certificate signing requests in the JSON shape of Go's `x509.CertificateRequest`.

use der::{Decode as _, Encode as _, Tagged as _};
use x509_cert::ext::Extension;
use x509_cert::request::CertReq;

use super::codec::{bytes_value, object, oid_value, strings_value};
use super::keys::{SpkiError, parse_spki, public_key_algorithm};
use super::x509::names::{
    AltNames, attribute_value, ips_value, name_value, parse_alt_names, uris_value,
};
use super::x509::{der_children, extensions_value, signature_algorithm};
use rego_eval::Value;

const OID_EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";
const OID_SAN: &str = "2.5.29.17";

/// Parses a DER certificate request as Go's `x509.ParseCertificateRequest`, into its JSON.
pub(crate) fn parse_request(der: &[u8]) -> Result<Value, String> {
    let req = CertReq::from_der(der).map_err(|e| format!("asn1: structure error: {e}"))?;
    let parts = der_children(der).ok_or("asn1: structure error: malformed request")?;
    let raw_tbs = parts.first().copied().unwrap_or_default();
    let info = &req.info;
    let encode = |r: der::Result<Vec<u8>>| r.map_err(|e| format!("asn1: structure error: {e}"));
    let raw_spki = encode(info.public_key.to_der())?;
    let raw_subject = encode(info.subject.to_der())?;
    let public_key = match parse_spki(&raw_spki) {
        Ok(key) => key.to_go_value(),
        Err(SpkiError::UnknownAlgorithm) => Value::Null,
        Err(SpkiError::Bad(msg)) => return Err(msg.to_string()),
    };

    let mut attributes = Vec::new();
    let mut extensions: Option<Vec<Extension>> = None;
    for attr in info.attributes.iter() {
        if attr.oid.to_string() == OID_EXTENSION_REQUEST {
            if let Some(first) = attr.values.iter().next() {
                let der = encode(first.to_der())?;
                let exts = Vec::<Extension>::from_der(&der)
                    .map_err(|e| format!("asn1: structure error: {e}"))?;
                extensions.get_or_insert_with(Vec::new).extend(exts);
            }
        }
        if let Some(value) = attribute_set_value(attr) {
            attributes.push(object(vec![
                ("Type", oid_value(&attr.oid)),
                ("Value", value),
            ]));
        }
    }
    let mut alt = AltNames::default();
    for ext in extensions.iter().flatten() {
        if ext.extn_id.to_string() == OID_SAN {
            alt = parse_alt_names(ext.extn_value.as_bytes())?;
        }
    }
    let version = match info.version {
        x509_cert::request::Version::V1 => 0,
    };
    Ok(object(vec![
        ("Raw", bytes_value(der)),
        ("RawTBSCertificateRequest", bytes_value(raw_tbs)),
        ("RawSubjectPublicKeyInfo", bytes_value(&raw_spki)),
        ("RawSubject", bytes_value(&raw_subject)),
        ("Version", Value::from(version)),
        ("Signature", bytes_value(req.signature.raw_bytes())),
        (
            "SignatureAlgorithm",
            Value::from(signature_algorithm(&req.algorithm)),
        ),
        (
            "PublicKeyAlgorithm",
            Value::from(public_key_algorithm(&info.public_key.algorithm.oid)),
        ),
        ("PublicKey", public_key),
        ("Subject", name_value(&info.subject)),
        (
            "Attributes",
            if attributes.is_empty() {
                Value::Null
            } else {
                Value::array(attributes)
            },
        ),
        ("Extensions", extensions_value(extensions.as_deref())),
        ("ExtraExtensions", Value::Null),
        ("DNSNames", strings_value(&alt.dns)),
        ("EmailAddresses", strings_value(&alt.emails)),
        ("IPAddresses", ips_value(&alt.ips)),
        ("URIs", uris_value(&alt.uris)),
    ]))
}

/// Go's deprecated `pkix.AttributeTypeAndValueSET` reading of an attribute: a set of sequences
/// of `{type, value}` pairs; `None` for attributes of any other shape, which Go skips.
fn attribute_set_value(attr: &x509_cert::attr::Attribute) -> Option<Value> {
    let mut sets = Vec::new();
    for value in attr.values.iter() {
        let der = value.to_der().ok()?;
        let mut seq = Vec::new();
        for pair in der_children(&der)? {
            let [oid, inner] = der_children(pair)?[..] else {
                return None;
            };
            let oid = der::asn1::ObjectIdentifier::from_der(oid).ok()?;
            let inner = der::Any::from_der(inner).ok()?;
            let inner_value = if inner.tag() == der::Tag::OctetString {
                bytes_value(inner.value())
            } else {
                attribute_value(&inner)
            };
            seq.push(object(vec![
                ("Type", oid_value(&oid)),
                ("Value", inner_value),
            ]));
        }
        sets.push(Value::array(seq));
    }
    Some(Value::array(sets))
}
