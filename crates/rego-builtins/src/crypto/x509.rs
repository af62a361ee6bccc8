//! X.509 certificates parsed into the JSON shape of Go's `x509.Certificate`, as OPA's
//! `crypto.x509.*` builtins return them.

mod ext;
pub(crate) mod names;

use der::asn1::ObjectIdentifier;
use der::{Decode as _, Encode as _, Header, Reader as _, SliceReader};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::time::Time;

use super::codec::{bytes_value, object, oid_value, signed_value, strings_value};
use super::keys::{PublicKey, SpkiError, parse_spki, public_key_algorithm};
use ext::{ExtInfo, IpRange};
use names::{ips_value, name_value, oid_text, uris_value};
use rego_eval::Value;

/// A parsed certificate: what Go's JSON shows and what chain verification needs.
pub(crate) struct Cert {
    /// The whole DER certificate.
    pub raw: Vec<u8>,
    /// DER of the signed part.
    pub raw_tbs: Vec<u8>,
    /// DER of the subject public key info.
    pub raw_spki: Vec<u8>,
    /// DER of the subject name.
    pub raw_subject: Vec<u8>,
    /// DER of the issuer name.
    pub raw_issuer: Vec<u8>,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// Go's `x509.SignatureAlgorithm` number.
    pub signature_algorithm: i64,
    /// Go's `x509.PublicKeyAlgorithm` number.
    pub public_key_algorithm: i64,
    /// The subject's key, if of a supported kind.
    pub public_key: Option<PublicKey>,
    /// 1-based, as Go reports it.
    pub version: i64,
    /// Start of validity.
    pub not_before: Time,
    /// End of validity.
    pub not_after: Time,
    /// What the extensions say.
    pub ext: ExtInfo,
    cert: Certificate,
}

/// Go's `x509.SignatureAlgorithm` numbers by OID (RSASSA-PSS is resolved by its hash).
const SIGNATURE_ALGORITHMS: &[(&str, i64)] = &[
    ("1.2.840.113549.1.1.2", 1),
    ("1.2.840.113549.1.1.4", 2),
    ("1.2.840.113549.1.1.5", 3),
    ("1.2.840.113549.1.1.11", 4),
    ("1.2.840.113549.1.1.12", 5),
    ("1.2.840.113549.1.1.13", 6),
    ("1.2.840.10040.4.3", 7),
    ("2.16.840.1.101.3.4.3.2", 8),
    ("1.2.840.10045.4.1", 9),
    ("1.2.840.10045.4.3.2", 10),
    ("1.2.840.10045.4.3.3", 11),
    ("1.2.840.10045.4.3.4", 12),
    ("1.3.101.112", 16),
];
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";

/// Go's `x509.SignatureAlgorithm` of an algorithm identifier.
pub(crate) fn signature_algorithm(alg: &AlgorithmIdentifierOwned) -> i64 {
    let oid = alg.oid.to_string();
    if oid == OID_RSA_PSS {
        let hash = alg
            .parameters
            .as_ref()
            .and_then(|p| p.to_der().ok())
            .and_then(|der| {
                rsa::pkcs1::RsaPssParams::from_der(&der)
                    .ok()
                    .map(|p| p.hash.oid.to_string())
            });
        return match hash.as_deref() {
            Some("2.16.840.1.101.3.4.2.1") => 13,
            Some("2.16.840.1.101.3.4.2.2") => 14,
            Some("2.16.840.1.101.3.4.2.3") => 15,
            _ => 0,
        };
    }
    SIGNATURE_ALGORITHMS
        .iter()
        .find(|(o, _)| *o == oid)
        .map_or(0, |(_, n)| *n)
}

/// The raw TLVs inside the DER TLV `tlv`.
pub(crate) fn der_children(tlv: &[u8]) -> Option<Vec<&[u8]>> {
    let mut outer = SliceReader::new(tlv).ok()?;
    let header = Header::decode(&mut outer).ok()?;
    let body = outer.read_slice(header.length).ok()?;
    let mut inner = SliceReader::new(body).ok()?;
    let mut out = Vec::new();
    while !inner.is_finished() {
        out.push(inner.tlv_bytes().ok()?);
    }
    Some(out)
}

/// Splits concatenated DER TLVs (Go's `x509.ParseCertificates` input).
pub(crate) fn split_tlvs(der: &[u8]) -> Option<Vec<&[u8]>> {
    let mut reader = SliceReader::new(der).ok()?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(reader.tlv_bytes().ok()?);
    }
    Some(out)
}

const MALFORMED: &str = "x509: malformed certificate";

/// Parses every certificate in concatenated DER, as Go's `x509.ParseCertificates`.
pub(crate) fn parse_certificates(der: &[u8]) -> Result<Vec<Cert>, String> {
    split_tlvs(der)
        .ok_or_else(|| MALFORMED.to_string())?
        .into_iter()
        .map(parse_certificate)
        .collect()
}

/// Parses one DER certificate, as Go's `x509.ParseCertificate`.
pub(crate) fn parse_certificate(raw: &[u8]) -> Result<Cert, String> {
    let cert = Certificate::from_der(raw).map_err(|_| MALFORMED.to_string())?;
    let parts = der_children(raw).ok_or_else(|| MALFORMED.to_string())?;
    let raw_tbs = parts.first().ok_or_else(|| MALFORMED.to_string())?.to_vec();
    let tbs = &cert.tbs_certificate;
    let encode = |r: der::Result<Vec<u8>>| r.map_err(|_| MALFORMED.to_string());
    let raw_spki = encode(tbs.subject_public_key_info.to_der())?;
    let raw_subject = encode(tbs.subject.to_der())?;
    let raw_issuer = encode(tbs.issuer.to_der())?;
    let public_key_algorithm = public_key_algorithm(&tbs.subject_public_key_info.algorithm.oid);
    let public_key = match parse_spki(&raw_spki) {
        Ok(key) => Some(key),
        // Including DSA, which Go parses but nothing here verifies with.
        Err(SpkiError::UnknownAlgorithm) => None,
        Err(SpkiError::Bad(msg)) => return Err(msg.to_string()),
    };
    let ext = ext::process(tbs.extensions.as_deref().unwrap_or_default())?;
    Ok(Cert {
        raw: raw.to_vec(),
        raw_tbs,
        raw_spki,
        raw_subject,
        raw_issuer,
        signature: cert.signature.raw_bytes().to_vec(),
        signature_algorithm: signature_algorithm(&cert.signature_algorithm),
        public_key_algorithm,
        public_key,
        version: match tbs.version {
            x509_cert::Version::V1 => 1,
            x509_cert::Version::V2 => 2,
            x509_cert::Version::V3 => 3,
        },
        not_before: tbs.validity.not_before,
        not_after: tbs.validity.not_after,
        ext,
        cert,
    })
}

/// A time as Go's `time.Time` marshals (RFC 3339, UTC).
pub(crate) fn time_value(t: &Time) -> Value {
    let d = t.to_date_time();
    Value::from(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year(),
        d.month(),
        d.day(),
        d.hour(),
        d.minutes(),
        d.seconds()
    ))
}

/// `{"Id", "Critical", "Value"}` per extension, `null` for none (Go's `[]pkix.Extension`).
pub(crate) fn extensions_value(exts: Option<&[x509_cert::ext::Extension]>) -> Value {
    match exts {
        None => Value::Null,
        Some(exts) => Value::array(
            exts.iter()
                .map(|e| {
                    object(vec![
                        ("Id", oid_value(&e.extn_id)),
                        ("Critical", Value::Bool(e.critical)),
                        ("Value", bytes_value(e.extn_value.as_bytes())),
                    ])
                })
                .collect(),
        ),
    }
}

fn oids_value(oids: &[ObjectIdentifier]) -> Value {
    if oids.is_empty() {
        return Value::Null;
    }
    Value::array(oids.iter().map(oid_value).collect())
}

fn ip_ranges_value(ranges: &[IpRange]) -> Value {
    if ranges.is_empty() {
        return Value::Null;
    }
    Value::array(
        ranges
            .iter()
            .map(|(ip, mask)| {
                let ip = names::ip_from_bytes(ip)
                    .map_or(Value::Null, |ip| Value::from(names::ip_text(&ip)));
                object(vec![("IP", ip), ("Mask", bytes_value(mask))])
            })
            .collect(),
    )
}

fn opt_bytes(b: &Option<Vec<u8>>) -> Value {
    b.as_deref().map_or(Value::Null, bytes_value)
}

impl Cert {
    /// The certificate as Go's `encoding/json` shows an `x509.Certificate`; with `uri_strings`,
    /// OPA's extra `URIStrings` field too.
    pub(crate) fn to_value(&self, uri_strings: bool) -> Value {
        let tbs = &self.cert.tbs_certificate;
        let e = &self.ext;
        let c = &e.constraints;
        let int = |n: i64| Value::from(n);
        let (inhibit_any, inhibit_any_zero) = opt_int(e.inhibit_any_policy);
        let (inhibit_map, inhibit_map_zero) = opt_int(e.inhibit_policy_mapping);
        let (require, require_zero) = opt_int(e.require_explicit_policy);
        let mut entries = vec![
            ("Raw", bytes_value(&self.raw)),
            ("RawTBSCertificate", bytes_value(&self.raw_tbs)),
            ("RawSubjectPublicKeyInfo", bytes_value(&self.raw_spki)),
            ("RawSubject", bytes_value(&self.raw_subject)),
            ("RawIssuer", bytes_value(&self.raw_issuer)),
            ("Signature", bytes_value(&self.signature)),
            ("SignatureAlgorithm", int(self.signature_algorithm)),
            ("PublicKeyAlgorithm", int(self.public_key_algorithm)),
            (
                "PublicKey",
                self.public_key
                    .as_ref()
                    .map_or(Value::Null, PublicKey::to_go_value),
            ),
            ("Version", int(self.version)),
            ("SerialNumber", signed_value(tbs.serial_number.as_bytes())),
            ("Issuer", name_value(&tbs.issuer)),
            ("Subject", name_value(&tbs.subject)),
            ("NotBefore", time_value(&self.not_before)),
            ("NotAfter", time_value(&self.not_after)),
            ("KeyUsage", int(e.key_usage)),
            ("Extensions", extensions_value(tbs.extensions.as_deref())),
            ("ExtraExtensions", Value::Null),
            (
                "UnhandledCriticalExtensions",
                oids_value(&e.unhandled_critical),
            ),
            (
                "ExtKeyUsage",
                if e.ext_key_usage.is_empty() {
                    Value::Null
                } else {
                    Value::array(e.ext_key_usage.iter().map(|&n| int(n)).collect())
                },
            ),
            ("UnknownExtKeyUsage", oids_value(&e.unknown_ext_key_usage)),
            (
                "BasicConstraintsValid",
                Value::Bool(e.basic_constraints_valid),
            ),
            ("IsCA", Value::Bool(e.is_ca)),
            ("MaxPathLen", int(e.max_path_len)),
            (
                "MaxPathLenZero",
                Value::Bool(e.basic_constraints_valid && e.max_path_len == 0),
            ),
            ("SubjectKeyId", opt_bytes(&e.subject_key_id)),
            ("AuthorityKeyId", opt_bytes(&e.authority_key_id)),
            ("OCSPServer", strings_value(&e.ocsp_server)),
            (
                "IssuingCertificateURL",
                strings_value(&e.issuing_certificate_url),
            ),
            ("DNSNames", strings_value(&e.alt.dns)),
            ("EmailAddresses", strings_value(&e.alt.emails)),
            ("IPAddresses", ips_value(&e.alt.ips)),
            ("URIs", uris_value(&e.alt.uris)),
            ("PermittedDNSDomainsCritical", Value::Bool(c.dns_critical)),
            ("PermittedDNSDomains", strings_value(&c.permitted_dns)),
            ("ExcludedDNSDomains", strings_value(&c.excluded_dns)),
            ("PermittedIPRanges", ip_ranges_value(&c.permitted_ips)),
            ("ExcludedIPRanges", ip_ranges_value(&c.excluded_ips)),
            (
                "PermittedEmailAddresses",
                strings_value(&c.permitted_emails),
            ),
            ("ExcludedEmailAddresses", strings_value(&c.excluded_emails)),
            ("PermittedURIDomains", strings_value(&c.permitted_uris)),
            ("ExcludedURIDomains", strings_value(&c.excluded_uris)),
            (
                "CRLDistributionPoints",
                strings_value(&e.crl_distribution_points),
            ),
            ("PolicyIdentifiers", oids_value(&e.policies)),
            (
                "Policies",
                if e.policies.is_empty() {
                    Value::Null
                } else {
                    Value::array(e.policies.iter().map(oid_text).collect())
                },
            ),
            ("InhibitAnyPolicy", inhibit_any),
            ("InhibitAnyPolicyZero", inhibit_any_zero),
            ("InhibitPolicyMapping", inhibit_map),
            ("InhibitPolicyMappingZero", inhibit_map_zero),
            ("RequireExplicitPolicy", require),
            ("RequireExplicitPolicyZero", require_zero),
            (
                "PolicyMappings",
                if e.policy_mappings.is_empty() {
                    Value::Null
                } else {
                    Value::array(
                        e.policy_mappings
                            .iter()
                            .map(|(issuer, subject)| {
                                object(vec![
                                    ("IssuerDomainPolicy", oid_text(issuer)),
                                    ("SubjectDomainPolicy", oid_text(subject)),
                                ])
                            })
                            .collect(),
                    )
                },
            ),
        ];
        if uri_strings {
            entries.push(("URIStrings", strings_value(&e.alt.uris)));
        }
        object(entries)
    }
}

/// Go's pair of an int field and its `...Zero` flag; absent is `-1` as Go's parser sets it.
fn opt_int(v: Option<i64>) -> (Value, Value) {
    match v {
        Some(n) => (Value::from(n), Value::Bool(n == 0)),
        None => (Value::from(-1), Value::Bool(false)),
    }
}
