//! Builtins of the `net` family: CIDR arithmetic and `net.lookup_ip_addr`.
//!
//! Addresses follow Go's `net` package, which OPA uses: every address is held in 16-byte form
//! (IPv4 as the mapped `::ffff:a.b.c.d`), an IPv4 network matches only IPv4 addresses (mapped
//! ones included), and addresses print as Go prints them (a mapped address as dotted IPv4).

use std::net::{IpAddr, Ipv6Addr, ToSocketAddrs};
use std::str::FromStr;

use ipnet::IpNet;
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, SetBuilder, Value};

use crate::args;
use crate::def;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    def("net.cidr_contains", 2, cidr_contains),
    // Deprecated alias of `net.cidr_contains`.
    def("net.cidr_overlap", 2, cidr_contains),
    def("net.cidr_intersects", 2, cidr_intersects),
    def("net.cidr_contains_matches", 2, cidr_contains_matches),
    def("net.cidr_expand", 1, cidr_expand),
    def("net.cidr_is_valid", 1, cidr_is_valid),
    def("net.cidr_merge", 1, cidr_merge),
    def("net.lookup_ip_addr", 1, lookup_ip_addr),
];

/// The most addresses `net.cidr_expand` produces (a /8 of IPv4).
const MAX_EXPAND: u128 = 1 << 24;

/// `::ffff:0:0`, the IPv4-mapped prefix in the 16-byte form.
const V4_MAPPED: u128 = 0xffff << 32;

/// Whether a 16-byte address is an IPv4 address (Go's `To4() != nil`).
fn is_v4(addr: u128) -> bool {
    addr >> 32 == 0xffff
}

/// The 16-byte form of an address.
fn to16(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => V4_MAPPED | u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// Go's `IP.String`.
fn ip_string(addr: u128) -> String {
    if is_v4(addr) {
        std::net::Ipv4Addr::from(addr as u32).to_string()
    } else {
        Ipv6Addr::from(addr).to_string()
    }
}

/// The mask of the first `prefix` bits of 128.
fn mask(prefix: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    }
}

/// A network: an address (masked unless it came from a bare IPv4 address in
/// `net.cidr_merge`) and a prefix length counted over 128 bits (an IPv4 /24 is 120).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    addr: u128,
    prefix: u32,
}

impl Net {
    /// Go's `IPNet.Contains`: same family (by the 16-byte form) and the same prefix.
    fn contains(&self, addr: u128) -> bool {
        is_v4(self.addr & mask(self.prefix)) == is_v4(addr)
            && (self.addr ^ addr) & mask(self.prefix) == 0
    }

    fn first(&self) -> u128 {
        self.addr & mask(self.prefix)
    }

    fn last(&self) -> u128 {
        self.first() | !mask(self.prefix)
    }

    /// Go's `IPNet.String`: IPv4 networks as `a.b.c.d/n`.
    fn string(&self) -> String {
        if is_v4(self.addr) && self.prefix >= 96 {
            format!("{}/{}", ip_string(self.addr), self.prefix - 96)
        } else {
            format!("{}/{}", ip_string(self.addr), self.prefix)
        }
    }
}

/// An address, as Go's `net.ParseIP` reads it.
fn parse_ip(text: &str) -> Option<u128> {
    IpAddr::from_str(text).ok().map(to16)
}

/// Go's `net.ParseCIDR`: an address, `/` and a decimal prefix length (leading zeros allowed).
fn parse_cidr(text: &str) -> Result<Net, BuiltinError> {
    let invalid = || BuiltinError::msg(format!("invalid CIDR address: {text}"));
    let (addr, bits) = text.split_once('/').ok_or_else(invalid)?;
    let ip = IpAddr::from_str(addr).map_err(|_| invalid())?;
    if bits.is_empty() || bits.len() > 8 || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let n: u32 = bits.parse().map_err(|_| invalid())?;
    let (width, base) = if ip.is_ipv4() { (32, 96) } else { (128, 0) };
    if n > width {
        return Err(invalid());
    }
    let prefix = base + n;
    let net = IpNet::new(ip, n as u8).map_err(|_| invalid())?;
    Ok(Net {
        addr: to16(net.network()),
        prefix,
    })
}

fn cidr_contains(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    // OPA names both operands "operand 1".
    let a = args[0]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", &args[0]))?;
    let b = args[1]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", &args[1]))?;
    Ok(Value::Bool(contains(a, b)?))
}

/// Whether network `a` contains the address or network `b`.
fn contains(a: &str, b: &str) -> Result<bool, BuiltinError> {
    let net = parse_cidr(a)?;
    if let Some(ip) = parse_ip(b) {
        return Ok(net.contains(ip));
    }
    let inner = parse_cidr(b).map_err(|_| {
        BuiltinError::msg(format!(
            "not a valid textual representation of an IP address or CIDR: {b}"
        ))
    })?;
    Ok(net.contains(inner.first()) && net.contains(inner.last()))
}

fn cidr_intersects(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = args[0]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", &args[0]))?;
    let b = args[1]
        .as_str()
        .ok_or_else(|| BuiltinError::operand(1, "string", &args[1]))?;
    let (a, b) = (parse_cidr(a)?, parse_cidr(b)?);
    Ok(Value::Bool(a.contains(b.first()) || b.contains(a.first())))
}

/// The `(cidr, key)` pairs of a `net.cidr_contains_matches` operand: a string is its own key;
/// array elements are keyed by index, set elements by themselves, object values by their key.
/// An element is a string or a non-empty array whose first item is the CIDR.
fn match_terms(operand: usize, v: &Value) -> Result<Vec<(Value, Value)>, BuiltinError> {
    let cidr_of = |x: &Value| match x {
        Value::String(_) => Ok(x.clone()),
        Value::Array(items) if !items.is_empty() => Ok(items[0].clone()),
        _ => Err(BuiltinError::msg(format!(
            "operand {operand}: element must be string or non-empty array"
        ))),
    };
    match v {
        Value::String(_) => Ok(vec![(v.clone(), v.clone())]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| Ok((cidr_of(x)?, Value::from(i))))
            .collect(),
        Value::Set(items) => items.iter().map(|x| Ok((cidr_of(x)?, x.clone()))).collect(),
        Value::Object(o) => o
            .iter()
            .map(|(k, x)| Ok((cidr_of(x)?, k.clone())))
            .collect(),
        _ => Ok(Vec::new()),
    }
}

fn cidr_contains_matches(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let outer = match_terms(1, &args[0])?;
    let mut result = SetBuilder::new();
    if outer.is_empty() {
        return Ok(result.finish_value());
    }
    let inner = match_terms(2, &args[1])?;
    for (cidr1, key1) in &outer {
        for (cidr2, key2) in &inner {
            let a = cidr1
                .as_str()
                .ok_or_else(|| BuiltinError::operand(1, "string", cidr1))?;
            let b = cidr2
                .as_str()
                .ok_or_else(|| BuiltinError::operand(1, "string", cidr2))?;
            if contains(a, b)? {
                result.push(Value::array(vec![key1.clone(), key2.clone()]));
            }
        }
    }
    Ok(result.finish_value())
}

fn cidr_expand(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let net = parse_cidr(args::string(args, 0)?)?;
    let count = (net.last() - net.first()).saturating_add(1);
    if count > MAX_EXPAND {
        return Err(BuiltinError::msg(format!(
            "CIDR too large to expand: {} addresses (at most {MAX_EXPAND})",
            count
        )));
    }
    let mut out = SetBuilder::with_capacity(count as usize);
    let mut addr = net.first();
    loop {
        out.push(Value::from(ip_string(addr)));
        if addr == net.last() {
            break;
        }
        addr += 1;
    }
    Ok(out.finish_value())
}

fn cidr_is_valid(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    Ok(Value::Bool(
        args[0].as_str().is_some_and(|s| parse_cidr(s).is_ok()),
    ))
}

/// Go's classful `IP.DefaultMask` of an IPv4 address, as a 128-bit prefix length.
fn default_prefix(addr: u128) -> u32 {
    let first_octet = (addr >> 24) as u8;
    96 + match first_octet {
        0..=0x7f => 8,
        0x80..=0xbf => 16,
        _ => 24,
    }
}

/// A network of `net.cidr_merge`: an address alone is an IPv4 network with its classful mask
/// (and the address kept unmasked, as OPA prints it); IPv6 needs a prefix.
fn merge_input(v: &Value) -> Result<Net, BuiltinError> {
    let text = v
        .as_str()
        .ok_or_else(|| BuiltinError::msg("element must be string"))?;
    match parse_ip(text) {
        Some(addr) if is_v4(addr) => Ok(Net {
            addr,
            prefix: default_prefix(addr),
        }),
        Some(_) => Err(BuiltinError::msg("IPv6 invalid: needs prefix length")),
        None => parse_cidr(text),
    }
}

/// A range of addresses; `net` is set while it is exactly one input network.
struct Range {
    first: u128,
    last: u128,
    net: Option<Net>,
}

/// The address before `addr`, except at the bottom of the IPv4 or IPv6 space.
fn previous(addr: u128) -> u128 {
    if addr == 0 || addr == V4_MAPPED {
        addr
    } else {
        addr - 1
    }
}

/// The fewest networks covering exactly `first..=last`.
fn range_to_nets(mut first: u128, last: u128) -> Vec<Net> {
    let mut out = Vec::new();
    loop {
        // The largest aligned block that starts at `first` and ends by `last`.
        let mut host_bits = first.trailing_zeros();
        let end = loop {
            let span = if host_bits == 128 {
                u128::MAX
            } else {
                (1u128 << host_bits) - 1
            };
            match first.checked_add(span) {
                Some(end) if end <= last => break end,
                _ => host_bits -= 1,
            }
        };
        out.push(Net {
            addr: first,
            prefix: 128 - host_bits,
        });
        if end >= last {
            return out;
        }
        first = end + 1;
    }
}

fn cidr_merge(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let items = match &args[0] {
        Value::Array(items) => items.as_slice(),
        Value::Set(items) => items.as_slice(),
        _ => return Err(BuiltinError::msg("operand must be an array")),
    };
    let mut ranges: Vec<Range> = items
        .iter()
        .map(|v| {
            let net = merge_input(v)?;
            Ok(Range {
                first: net.first(),
                last: net.last(),
                net: Some(net),
            })
        })
        .collect::<Result<_, BuiltinError>>()?;
    ranges.sort_by_key(|r| (r.last, r.first));
    // Merge from the end, as OPA does: a range touching or overlapping its predecessor joins it.
    let mut i = ranges.len();
    while i > 1 {
        i -= 1;
        if previous(ranges[i].first) <= ranges[i - 1].last {
            let current = ranges.remove(i);
            let before = &mut ranges[i - 1];
            before.first = before.first.min(current.first);
            before.last = current.last;
            before.net = None;
        }
    }
    let mut out = SetBuilder::with_capacity(ranges.len());
    for r in &ranges {
        match r.net {
            Some(net) => out.push(Value::from(net.string())),
            None => {
                for net in range_to_nets(r.first, r.last) {
                    out.push(Value::from(net.string()));
                }
            }
        }
    }
    Ok(out.finish_value())
}

/// Whether `name` is a loopback name that needs no resolver (RFC 6761).
fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

fn lookup_ip_addr(ctx: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let name = args::string(args, 0)?;
    // Literal addresses resolve to themselves, and localhost to loopback, with no lookup.
    if let Some(addr) = parse_ip(name) {
        return Ok(Value::set_from(vec![Value::from(ip_string(addr))]));
    }
    if is_localhost(name) {
        return Ok(Value::set_from(vec![
            Value::from("127.0.0.1"),
            Value::from("::1"),
        ]));
    }
    if !ctx.network_allowed() {
        return Err(BuiltinError::msg(format!(
            "unallowed host: {name}: network access is disabled"
        )));
    }
    ctx.memoize("net.lookup_ip_addr", args, || {
        let addrs = (name, 0)
            .to_socket_addrs()
            .map_err(|e| BuiltinError::msg(format!("lookup {name}: {e}")))?;
        Ok(Value::set_from(
            addrs
                .map(|a| Value::from(ip_string(to16(a.ip()))))
                .collect(),
        ))
    })
}

#[cfg(test)]
mod tests;
