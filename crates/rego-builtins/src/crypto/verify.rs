//! Certificate chain verification as OPA does it with Go's `x509.Certificate.Verify`: the first
//! certificate is the trusted root, the last the leaf, the ones between intermediates.
//!
//! Checked: issuer/subject chaining, signatures (SHA-1 and MD5 are refused as in Go), validity
//! periods, CA basic constraints, path length, key usage for certificate signing, unhandled
//! critical extensions, the host name (`DNSName`) and extended key usages. Name constraints are
//! not enforced.

use std::net::IpAddr;

use rego_eval::Value;

use super::keys::PublicKey;
use super::sig::{Hash, verify_ecdsa_der, verify_ed25519, verify_pkcs1, verify_pss};
use super::x509::Cert;

/// The options of `crypto.x509.parse_and_verify_certificates_with_options`.
#[derive(Debug, Default)]
pub(crate) struct VerifyOptions {
    /// Host name the leaf must be valid for.
    pub dns_name: String,
    /// Verification time in nanoseconds since the epoch; the query's time if absent.
    pub current_time_ns: Option<i64>,
    /// Requested extended key usages (Go's numbers); server authentication if empty.
    pub key_usages: Vec<i64>,
}

/// Names OPA accepts in `KeyUsages`, with Go's `x509.ExtKeyUsage` numbers.
const KEY_USAGE_NAMES: &[(&str, i64)] = &[
    ("KeyUsageAny", 0),
    ("KeyUsageServerAuth", 1),
    ("KeyUsageClientAuth", 2),
    ("KeyUsageCodeSigning", 3),
    ("KeyUsageEmailProtection", 4),
    ("KeyUsageIPSECEndSystem", 5),
    ("KeyUsageIPSECTunnel", 6),
    ("KeyUsageIPSECUser", 7),
    ("KeyUsageTimeStamping", 8),
    ("KeyUsageOCSPSigning", 9),
    ("KeyUsageMicrosoftServerGatedCrypto", 10),
    ("KeyUsageNetscapeServerGatedCrypto", 11),
    ("KeyUsageMicrosoftCommercialCodeSigning", 12),
    ("KeyUsageMicrosoftKernelCodeSigning", 13),
];

/// Reads the options object, with OPA's error texts.
pub(crate) fn parse_options(options: &[(Value, Value)]) -> Result<VerifyOptions, String> {
    let mut out = VerifyOptions::default();
    for (key, value) in options {
        let Some(key) = key.as_str() else { continue };
        match key {
            "DNSName" => {
                let dns = value.as_str().ok_or("'DNSName' should be a string")?;
                out.dns_name = dns.trim_matches('"').to_string();
            }
            "CurrentTime" => {
                let n = value
                    .as_number()
                    .ok_or("'CurrentTime' should be a number")?;
                let ns = n
                    .as_i64()
                    .ok_or("'CurrentTime' should be a valid int64 number")?;
                out.current_time_ns = Some(ns);
            }
            "MaxConstraintComparisons" => {
                let n = value
                    .as_number()
                    .ok_or("'MaxConstraintComparisons' should be a number")?;
                n.as_i64()
                    .ok_or("'MaxConstraintComparisons' should be a valid number")?;
            }
            "KeyUsages" => {
                let items = value
                    .as_array()
                    .or_else(|| value.as_set())
                    .ok_or("'KeyUsages' should be an Array or Set")?;
                let mut invalid = Vec::new();
                for name in items.iter().filter_map(Value::as_str) {
                    let name = name.trim_matches('"');
                    match KEY_USAGE_NAMES.iter().find(|(n, _)| *n == name) {
                        Some((_, usage)) => out.key_usages.push(*usage),
                        None => invalid.push(name),
                    }
                }
                if !invalid.is_empty() {
                    return Err(format!(
                        "invalid entries for 'KeyUsages' found: [{}]",
                        invalid.join(" ")
                    ));
                }
            }
            _ => return Err("invalid key option".into()),
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Leaf,
    Intermediate,
    Root,
}

/// A bound on signature checks while building chains, as Go's.
const MAX_SIGNATURE_CHECKS: usize = 100;

struct Verifier<'a> {
    certs: &'a [Cert],
    now_secs: i128,
    checks: usize,
}

/// Verifies the chain; returns the indices of the first valid chain, leaf first.
pub(crate) fn verify_chain(
    certs: &[Cert],
    opts: &VerifyOptions,
    now_ns: i64,
) -> Result<Vec<usize>, String> {
    if certs.len() < 2 {
        return Err("operand 1 must supply at least two certificates to be able to verify".into());
    }
    let now_ns = opts.current_time_ns.unwrap_or(now_ns);
    let mut v = Verifier {
        certs,
        now_secs: i128::from(now_ns).div_euclid(1_000_000_000),
        checks: 0,
    };
    let leaf = certs.len() - 1;
    if !v.is_valid(leaf, Kind::Leaf, &[]) {
        return Err("x509: certificate is not valid".into());
    }
    if !opts.dns_name.is_empty() && !matches_host(&certs[leaf], &opts.dns_name) {
        return Err("x509: certificate is not valid for the host name".into());
    }
    let chains = if certs[0].raw == certs[leaf].raw {
        vec![vec![leaf]]
    } else {
        v.build(vec![leaf])
    };
    let usages = if opts.key_usages.is_empty() {
        vec![1]
    } else {
        opts.key_usages.clone()
    };
    chains
        .into_iter()
        .find(|chain| usages.contains(&0) || chain_allows(certs, chain, &usages))
        .ok_or_else(|| "x509: certificate signed by unknown authority".to_string())
}

impl Verifier<'_> {
    fn build(&mut self, chain: Vec<usize>) -> Vec<Vec<usize>> {
        let Some(&current) = chain.last() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let last = self.certs.len() - 1;
        let groups = [(Kind::Root, 0..1), (Kind::Intermediate, 1..last)];
        for (kind, range) in groups {
            for candidate in self.parents(current, range) {
                if chain
                    .iter()
                    .any(|&c| same_cert(&self.certs[c], &self.certs[candidate]))
                {
                    continue;
                }
                self.checks += 1;
                if self.checks > MAX_SIGNATURE_CHECKS {
                    return found;
                }
                if !signed_by(&self.certs[current], &self.certs[candidate])
                    || !self.is_valid(candidate, kind, &chain)
                {
                    continue;
                }
                let mut next = chain.clone();
                next.push(candidate);
                if kind == Kind::Root {
                    found.push(next);
                } else {
                    found.extend(self.build(next));
                }
            }
        }
        found
    }

    /// Certificates in `range` whose subject is `child`'s issuer, matching key ids first.
    fn parents(&self, child: usize, range: std::ops::Range<usize>) -> Vec<usize> {
        let child = &self.certs[child];
        let akid = child.ext.authority_key_id.as_deref().unwrap_or_default();
        let mut ranked: Vec<(u8, usize)> = range
            .filter(|&i| self.certs[i].raw_subject == child.raw_issuer)
            .map(|i| {
                let skid = self.certs[i]
                    .ext
                    .subject_key_id
                    .as_deref()
                    .unwrap_or_default();
                let rank = if skid == akid {
                    0
                } else if skid.is_empty() != akid.is_empty() {
                    1
                } else {
                    2
                };
                (rank, i)
            })
            .collect();
        ranked.sort_by_key(|&(rank, _)| rank);
        ranked.into_iter().map(|(_, i)| i).collect()
    }

    fn is_valid(&self, index: usize, kind: Kind, chain: &[usize]) -> bool {
        let c = &self.certs[index];
        if !c.ext.unhandled_critical.is_empty() {
            return false;
        }
        let secs = |t: &x509_cert::time::Time| i128::from(t.to_unix_duration().as_secs());
        if self.now_secs < secs(&c.not_before) || self.now_secs > secs(&c.not_after) {
            return false;
        }
        if kind == Kind::Intermediate && (!c.ext.basic_constraints_valid || !c.ext.is_ca) {
            return false;
        }
        if c.ext.basic_constraints_valid && c.ext.max_path_len >= 0 {
            let intermediates = chain.len() as i64 - 1;
            if intermediates > c.ext.max_path_len {
                return false;
            }
        }
        true
    }
}

fn same_cert(a: &Cert, b: &Cert) -> bool {
    a.raw == b.raw || (a.raw_subject == b.raw_subject && a.raw_spki == b.raw_spki)
}

/// Whether `parent` may sign certificates and signed `child`.
fn signed_by(child: &Cert, parent: &Cert) -> bool {
    let e = &parent.ext;
    if (parent.version == 3 && !e.basic_constraints_valid)
        || (e.basic_constraints_valid && !e.is_ca)
    {
        return false;
    }
    if e.key_usage != 0 && e.key_usage & 32 == 0 {
        return false;
    }
    let Some(key) = &parent.public_key else {
        return false;
    };
    check_signature(
        child.signature_algorithm,
        &child.raw_tbs,
        &child.signature,
        key,
    )
}

/// Checks a signature by Go's `x509.SignatureAlgorithm` number (insecure ones refused).
pub(crate) fn check_signature(
    algorithm: i64,
    signed: &[u8],
    signature: &[u8],
    key: &PublicKey,
) -> bool {
    let hash = match algorithm {
        4 | 10 | 13 => Hash::Sha256,
        5 | 11 | 14 => Hash::Sha384,
        6 | 12 | 15 => Hash::Sha512,
        16 => return verify_ed25519(key, signed, signature),
        _ => return false,
    };
    let digest = hash.digest(signed);
    match (algorithm, key) {
        (4..=6, PublicKey::Rsa(k)) => verify_pkcs1(k, hash, &digest, signature),
        (13..=15, PublicKey::Rsa(k)) => verify_pss(k, hash, &digest, signature),
        (10..=12, _) => verify_ecdsa_der(key, &digest, signature),
        _ => false,
    }
}

/// Go's `VerifyHostname`: an IP against the IP SANs, otherwise DNS SANs with a leading `*`
/// label matching one label.
fn matches_host(cert: &Cert, host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return cert
            .ext
            .alt
            .ips
            .iter()
            .any(|i| i.to_canonical() == ip.to_canonical());
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    cert.ext.alt.dns.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        if pattern.is_empty() || host.is_empty() {
            return false;
        }
        let p: Vec<&str> = pattern.split('.').collect();
        let h: Vec<&str> = host.split('.').collect();
        p.len() == h.len()
            && p.iter()
                .zip(&h)
                .enumerate()
                .all(|(i, (p, h))| (i == 0 && *p == "*") || p == h)
    })
}

/// Go's `checkChainForKeyUsage`: walking from the root, each certificate with extended key
/// usages strikes the requested usages it lacks; the chain is acceptable while one remains.
fn chain_allows(certs: &[Cert], chain: &[usize], requested: &[i64]) -> bool {
    let mut remaining: Vec<Option<i64>> = requested.iter().copied().map(Some).collect();
    for &i in chain.iter().rev() {
        let e = &certs[i].ext;
        if (e.ext_key_usage.is_empty() && e.unknown_ext_key_usage.is_empty())
            || e.ext_key_usage.contains(&0)
        {
            continue;
        }
        for slot in &mut remaining {
            if slot.is_some_and(|u| !e.ext_key_usage.contains(&u)) {
                *slot = None;
            }
        }
        if remaining.iter().all(Option::is_none) {
            return false;
        }
    }
    true
}
