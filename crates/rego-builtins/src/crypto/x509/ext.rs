//! Certificate extensions, interpreted into the fields Go's `x509.Certificate` lifts them into.

use der::Decode as _;
use der::asn1::ObjectIdentifier;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
    ExtendedKeyUsage, InhibitAnyPolicy, KeyUsage, NameConstraints, PolicyConstraints,
    PolicyMappings, SubjectKeyIdentifier,
};

use super::names::{AltNames, parse_alt_names};

/// Go's `x509.ExtKeyUsage` numbers by OID.
pub(crate) const EXT_KEY_USAGES: &[(&str, i64)] = &[
    ("2.5.29.37.0", 0),
    ("1.3.6.1.5.5.7.3.1", 1),
    ("1.3.6.1.5.5.7.3.2", 2),
    ("1.3.6.1.5.5.7.3.3", 3),
    ("1.3.6.1.5.5.7.3.4", 4),
    ("1.3.6.1.5.5.7.3.5", 5),
    ("1.3.6.1.5.5.7.3.6", 6),
    ("1.3.6.1.5.5.7.3.7", 7),
    ("1.3.6.1.5.5.7.3.8", 8),
    ("1.3.6.1.5.5.7.3.9", 9),
    ("1.3.6.1.4.1.311.10.3.3", 10),
    ("2.16.840.1.113730.4.1", 11),
    ("1.3.6.1.4.1.311.2.1.22", 12),
    ("1.3.6.1.4.1.311.61.1.1", 13),
];

const OID_AIA: &str = "1.3.6.1.5.5.7.1.1";
const OID_OCSP: &str = "1.3.6.1.5.5.7.48.1";
const OID_CA_ISSUERS: &str = "1.3.6.1.5.5.7.48.2";

/// A permitted or excluded IP range of a name constraint: address and mask bytes.
pub(crate) type IpRange = (Vec<u8>, Vec<u8>);

/// Name constraints in Go's buckets.
#[derive(Default, Debug)]
pub(crate) struct Constraints {
    /// Whether the extension is critical (Go's `PermittedDNSDomainsCritical`).
    pub dns_critical: bool,
    /// Permitted DNS domains.
    pub permitted_dns: Vec<String>,
    /// Excluded DNS domains.
    pub excluded_dns: Vec<String>,
    /// Permitted IP ranges.
    pub permitted_ips: Vec<IpRange>,
    /// Excluded IP ranges.
    pub excluded_ips: Vec<IpRange>,
    /// Permitted email addresses.
    pub permitted_emails: Vec<String>,
    /// Excluded email addresses.
    pub excluded_emails: Vec<String>,
    /// Permitted URI domains.
    pub permitted_uris: Vec<String>,
    /// Excluded URI domains.
    pub excluded_uris: Vec<String>,
}

/// What Go's parser takes from a certificate's extensions (field names follow Go's).
#[derive(Debug, Default)]
pub(crate) struct ExtInfo {
    /// Key usage bits (`digitalSignature` = 1).
    pub key_usage: i64,
    /// Critical extensions not interpreted.
    pub unhandled_critical: Vec<ObjectIdentifier>,
    /// Extended key usages by Go's numbers.
    pub ext_key_usage: Vec<i64>,
    /// Extended key usages Go has no number for.
    pub unknown_ext_key_usage: Vec<ObjectIdentifier>,
    /// Whether a basic constraints extension is present.
    pub basic_constraints_valid: bool,
    /// The basic constraints' CA flag.
    pub is_ca: bool,
    /// The path length limit; -1 for none in a present extension, 0 without one.
    pub max_path_len: i64,
    /// Subject key identifier.
    pub subject_key_id: Option<Vec<u8>>,
    /// Authority key identifier (its key identifier field).
    pub authority_key_id: Option<Vec<u8>>,
    /// OCSP responder URIs.
    pub ocsp_server: Vec<String>,
    /// CA issuer URIs.
    pub issuing_certificate_url: Vec<String>,
    /// Subject alternative names.
    pub alt: AltNames,
    /// Name constraints.
    pub constraints: Constraints,
    /// CRL distribution point URIs.
    pub crl_distribution_points: Vec<String>,
    /// Certificate policy OIDs.
    pub policies: Vec<ObjectIdentifier>,
    /// The inhibit-any-policy skip count.
    pub inhibit_any_policy: Option<i64>,
    /// The policy constraints' inhibit-policy-mapping count.
    pub inhibit_policy_mapping: Option<i64>,
    /// The policy constraints' require-explicit-policy count.
    pub require_explicit_policy: Option<i64>,
    /// Policy mappings (issuer domain, subject domain).
    pub policy_mappings: Vec<(ObjectIdentifier, ObjectIdentifier)>,
}

fn bad(what: &str) -> String {
    format!("x509: invalid {what}")
}

/// Interprets `extensions` as Go's certificate parser does.
pub(crate) fn process(extensions: &[Extension]) -> Result<ExtInfo, String> {
    let mut info = ExtInfo::default();
    for ext in extensions {
        let value = ext.extn_value.as_bytes();
        let id = ext.extn_id.to_string();
        let unhandled = match id.as_str() {
            "2.5.29.15" => {
                let ku = KeyUsage::from_der(value).map_err(|_| bad("key usage"))?;
                // Bit n of the ASN.1 bit string (digitalSignature = 0) is Go's `1 << n`.
                info.key_usage = i64::from(ku.0.bits());
                false
            }
            "2.5.29.19" => {
                let bc = BasicConstraints::from_der(value).map_err(|_| bad("basic constraints"))?;
                info.basic_constraints_valid = true;
                info.is_ca = bc.ca;
                info.max_path_len = bc.path_len_constraint.map_or(-1, i64::from);
                false
            }
            "2.5.29.17" => {
                info.alt = parse_alt_names(value)?;
                info.alt.is_empty()
            }
            "2.5.29.30" => process_name_constraints(&mut info.constraints, value, ext.critical)?,
            "2.5.29.31" => {
                let dps = Vec::<DistributionPoint>::from_der(value)
                    .map_err(|_| bad("CRL distribution points"))?;
                for dp in dps {
                    if let Some(DistributionPointName::FullName(names)) = dp.distribution_point {
                        for name in names {
                            if let GeneralName::UniformResourceIdentifier(uri) = name {
                                info.crl_distribution_points.push(uri.to_string());
                            }
                        }
                    }
                }
                false
            }
            "2.5.29.35" => {
                let akid = AuthorityKeyIdentifier::from_der(value)
                    .map_err(|_| bad("authority key identifier"))?;
                info.authority_key_id = akid.key_identifier.map(|k| k.as_bytes().to_vec());
                false
            }
            "2.5.29.37" => {
                let eku =
                    ExtendedKeyUsage::from_der(value).map_err(|_| bad("extended key usages"))?;
                for oid in eku.0 {
                    let text = oid.to_string();
                    match EXT_KEY_USAGES.iter().find(|(o, _)| *o == text) {
                        Some((_, n)) => info.ext_key_usage.push(*n),
                        None => info.unknown_ext_key_usage.push(oid),
                    }
                }
                false
            }
            "2.5.29.14" => {
                let skid = SubjectKeyIdentifier::from_der(value)
                    .map_err(|_| bad("subject key identifier"))?;
                info.subject_key_id = Some(skid.0.as_bytes().to_vec());
                false
            }
            "2.5.29.32" => {
                let policies = CertificatePolicies::from_der(value)
                    .map_err(|_| bad("certificate policies"))?;
                info.policies = policies
                    .0
                    .into_iter()
                    .map(|p| p.policy_identifier)
                    .collect();
                false
            }
            "2.5.29.33" => {
                let maps = PolicyMappings::from_der(value).map_err(|_| bad("policy mappings"))?;
                info.policy_mappings = maps
                    .0
                    .into_iter()
                    .map(|m| (m.issuer_domain_policy, m.subject_domain_policy))
                    .collect();
                false
            }
            "2.5.29.36" => {
                let pc =
                    PolicyConstraints::from_der(value).map_err(|_| bad("policy constraints"))?;
                info.require_explicit_policy = pc.require_explicit_policy.map(i64::from);
                info.inhibit_policy_mapping = pc.inhibit_policy_mapping.map(i64::from);
                false
            }
            "2.5.29.54" => {
                let iap =
                    InhibitAnyPolicy::from_der(value).map_err(|_| bad("inhibit any policy"))?;
                info.inhibit_any_policy = Some(i64::from(iap.0));
                false
            }
            OID_AIA => {
                let aia = AuthorityInfoAccessSyntax::from_der(value)
                    .map_err(|_| bad("authority info access"))?;
                for desc in aia.0 {
                    let GeneralName::UniformResourceIdentifier(uri) = desc.access_location else {
                        continue;
                    };
                    match desc.access_method.to_string().as_str() {
                        OID_OCSP => info.ocsp_server.push(uri.to_string()),
                        OID_CA_ISSUERS => info.issuing_certificate_url.push(uri.to_string()),
                        _ => {}
                    }
                }
                false
            }
            _ => true,
        };
        if ext.critical && unhandled {
            info.unhandled_critical.push(ext.extn_id);
        }
    }
    Ok(info)
}

/// Reads a name constraints extension; returns whether it held forms Go does not handle.
fn process_name_constraints(
    out: &mut Constraints,
    value: &[u8],
    critical: bool,
) -> Result<bool, String> {
    let nc = NameConstraints::from_der(value).map_err(|_| bad("name constraints"))?;
    out.dns_critical = critical;
    let mut unhandled = false;
    for (subtrees, permitted) in [(nc.permitted_subtrees, true), (nc.excluded_subtrees, false)] {
        for subtree in subtrees.unwrap_or_default() {
            match subtree.base {
                GeneralName::DnsName(s) => pick(out, permitted, 0).push(s.to_string()),
                GeneralName::Rfc822Name(s) => pick(out, permitted, 1).push(s.to_string()),
                GeneralName::UniformResourceIdentifier(s) => {
                    pick(out, permitted, 2).push(s.to_string())
                }
                GeneralName::IpAddress(range) => {
                    let bytes = range.as_bytes();
                    if bytes.len() != 8 && bytes.len() != 32 {
                        return Err(format!(
                            "x509: IP constraint contained value of length {}",
                            bytes.len()
                        ));
                    }
                    let (ip, mask) = bytes.split_at(bytes.len() / 2);
                    let list = if permitted {
                        &mut out.permitted_ips
                    } else {
                        &mut out.excluded_ips
                    };
                    list.push((ip.to_vec(), mask.to_vec()));
                }
                _ => unhandled = true,
            }
        }
    }
    Ok(unhandled && critical)
}

fn pick(out: &mut Constraints, permitted: bool, kind: u8) -> &mut Vec<String> {
    match (kind, permitted) {
        (0, true) => &mut out.permitted_dns,
        (0, false) => &mut out.excluded_dns,
        (1, true) => &mut out.permitted_emails,
        (1, false) => &mut out.excluded_emails,
        (_, true) => &mut out.permitted_uris,
        (_, false) => &mut out.excluded_uris,
    }
}
