//! Names in certificates as Go's JSON shows them: `pkix.Name`, subject alternative names,
//! IP addresses and `url.URL`.

use std::net::IpAddr;

use der::asn1::ObjectIdentifier;
use der::{Decode as _, Tag, Tagged as _};
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;

use crate::crypto::codec::{object, oid_value, signed_value, strings_value};
use rego_eval::Value;

/// The string attributes Go's `pkix.Name` lifts into fields, by the last arc of `2.5.4.x`.
const NAME_FIELDS: &[(u32, &str)] = &[
    (6, "Country"),
    (10, "Organization"),
    (11, "OrganizationalUnit"),
    (7, "Locality"),
    (8, "Province"),
    (9, "StreetAddress"),
    (17, "PostalCode"),
];

/// A distinguished name as Go's `pkix.Name` marshals to JSON.
pub(crate) fn name_value(name: &Name) -> Value {
    let mut lists: Vec<Vec<String>> = vec![Vec::new(); NAME_FIELDS.len()];
    let mut serial = String::new();
    let mut common = String::new();
    let mut names = Vec::new();
    for rdn in &name.0 {
        for atv in rdn.0.iter() {
            let value = attribute_value(&atv.value);
            names.push(object(vec![
                ("Type", oid_value(&atv.oid)),
                ("Value", value.clone()),
            ]));
            let Some(text) = value.as_str() else { continue };
            let arcs: Vec<u32> = atv.oid.arcs().collect();
            let [2, 5, 4, last] = arcs[..] else { continue };
            match last {
                3 => common = text.to_string(),
                5 => serial = text.to_string(),
                _ => {
                    if let Some(i) = NAME_FIELDS.iter().position(|(arc, _)| *arc == last) {
                        lists[i].push(text.to_string());
                    }
                }
            }
        }
    }
    let mut entries: Vec<(&str, Value)> = NAME_FIELDS
        .iter()
        .zip(&lists)
        .map(|((_, field), items)| (*field, strings_value(items)))
        .collect();
    entries.push(("SerialNumber", Value::from(serial)));
    entries.push(("CommonName", Value::from(common)));
    entries.push((
        "Names",
        if names.is_empty() {
            Value::Null
        } else {
            Value::array(names)
        },
    ));
    entries.push(("ExtraNames", Value::Null));
    object(entries)
}

/// An attribute value as Go's `encoding/asn1` decodes it into `any`: strings for the string
/// types, numbers for integers, `null` otherwise.
pub(crate) fn attribute_value(any: &der::Any) -> Value {
    let bytes = any.value();
    match any.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::TeletexString
        | Tag::VisibleString
        | Tag::NumericString => Value::from(String::from_utf8_lossy(bytes).into_owned()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            Value::from(String::from_utf16_lossy(&units))
        }
        Tag::Integer => signed_value(bytes),
        Tag::Boolean => Value::Bool(bytes.first().is_some_and(|&b| b != 0)),
        _ => Value::Null,
    }
}

/// The names of a subject alternative name extension, in Go's buckets.
#[derive(Default, Debug)]
pub(crate) struct AltNames {
    /// `dNSName` entries.
    pub dns: Vec<String>,
    /// `rfc822Name` entries.
    pub emails: Vec<String>,
    /// `iPAddress` entries.
    pub ips: Vec<IpAddr>,
    /// `uniformResourceIdentifier` entries.
    pub uris: Vec<String>,
}

impl AltNames {
    /// Whether no name of a kind Go keeps was found.
    pub(crate) fn is_empty(&self) -> bool {
        self.dns.is_empty() && self.emails.is_empty() && self.ips.is_empty() && self.uris.is_empty()
    }
}

/// Parses the value of a subject alternative name extension.
pub(crate) fn parse_alt_names(der: &[u8]) -> Result<AltNames, String> {
    let san = SubjectAltName::from_der(der)
        .map_err(|_| "x509: invalid subject alternative names".to_string())?;
    let mut out = AltNames::default();
    for name in san.0 {
        match name {
            GeneralName::DnsName(s) => out.dns.push(s.to_string()),
            GeneralName::Rfc822Name(s) => out.emails.push(s.to_string()),
            GeneralName::UniformResourceIdentifier(s) => out.uris.push(s.to_string()),
            GeneralName::IpAddress(ip) => {
                out.ips.push(ip_from_bytes(ip.as_bytes()).ok_or_else(|| {
                    format!(
                        "x509: cannot parse IP address of length {}",
                        ip.as_bytes().len()
                    )
                })?)
            }
            _ => {}
        }
    }
    Ok(out)
}

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
pub(crate) fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// An address as Go's `net.IP.String` prints it (IPv4-mapped addresses in dotted form).
pub(crate) fn ip_text(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.to_string(),
        },
        IpAddr::V4(v4) => v4.to_string(),
    }
}

/// A list of IP addresses, `null` when empty.
pub(crate) fn ips_value(ips: &[IpAddr]) -> Value {
    if ips.is_empty() {
        return Value::Null;
    }
    Value::array(ips.iter().map(|ip| Value::from(ip_text(ip))).collect())
}

/// A list of URIs as Go's `[]*url.URL`, `null` when empty.
pub(crate) fn uris_value(uris: &[String]) -> Value {
    if uris.is_empty() {
        return Value::Null;
    }
    Value::array(uris.iter().map(|u| url_value(u)).collect())
}

/// A URI split into the fields of Go's `url.URL`.
pub(crate) fn url_value(uri: &str) -> Value {
    let (rest, fragment) = match uri.split_once('#') {
        Some((r, f)) => (r, f),
        None => (uri, ""),
    };
    let (scheme, rest) = match rest.split_once(':') {
        Some((s, r)) if is_scheme(s) => (s.to_ascii_lowercase(), r),
        _ => (String::new(), rest),
    };
    let (rest, query, force_query) = match rest.split_once('?') {
        Some((r, q)) => (r, q, q.is_empty()),
        None => (rest, "", false),
    };
    let mut opaque = "";
    let mut user = Value::Null;
    let mut host = "";
    let mut path = rest;
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        path = &after[end..];
        host = match authority.rsplit_once('@') {
            Some((_, h)) => {
                // Go's `url.Userinfo` has no exported fields.
                user = Value::empty_object();
                h
            }
            None => authority,
        };
    } else if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest;
        path = "";
    }
    object(vec![
        ("Scheme", Value::from(scheme)),
        ("Opaque", Value::string(opaque)),
        ("User", user),
        ("Host", Value::string(host)),
        ("Path", Value::from(percent_decode(path))),
        ("RawPath", Value::string("")),
        ("OmitHost", Value::Bool(false)),
        ("ForceQuery", Value::Bool(force_query)),
        ("RawQuery", Value::string(query)),
        ("Fragment", Value::from(percent_decode(fragment))),
        ("RawFragment", Value::string("")),
    ])
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Dotted text of an OID, as Go's `x509.OID` marshals.
pub(crate) fn oid_text(oid: &ObjectIdentifier) -> Value {
    Value::from(oid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_like_go() {
        let v = url_value("spiffe://example.com/opa?x=1#frag");
        assert_eq!(v.object_get_str("Scheme"), Some(&Value::string("spiffe")));
        assert_eq!(
            v.object_get_str("Host"),
            Some(&Value::string("example.com"))
        );
        assert_eq!(v.object_get_str("Path"), Some(&Value::string("/opa")));
        assert_eq!(v.object_get_str("RawQuery"), Some(&Value::string("x=1")));
        assert_eq!(v.object_get_str("Fragment"), Some(&Value::string("frag")));
        let v = url_value("mailto:a@b.c");
        assert_eq!(v.object_get_str("Opaque"), Some(&Value::string("a@b.c")));
        let v = url_value("https://u:p@h/a%20b");
        assert_eq!(v.object_get_str("User"), Some(&Value::empty_object()));
        assert_eq!(v.object_get_str("Path"), Some(&Value::string("/a b")));
        assert_eq!(percent_decode("%4"), "%4");
    }

    #[test]
    fn ips_print_like_go() {
        let mapped = ip_from_bytes(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]).unwrap();
        assert_eq!(ip_text(&mapped), "1.2.3.4");
        assert_eq!(ip_from_bytes(&[1, 2, 3]), None);
        assert_eq!(ips_value(&[]), Value::Null);
    }
}
