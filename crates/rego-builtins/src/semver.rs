//! Builtins of the `semver` family: `semver.compare` and `semver.is_valid`.
//!
//! Versions are read as OPA reads them, which is laxer than the SemVer 2.0 grammar (so no
//! SemVer crate fits): an optional `v` prefix, then `MAJOR.MINOR.PATCH` where each part is
//! what Go's `strconv.ParseInt` accepts (an optional sign, leading zeros allowed), then an
//! optional `-PRERELEASE` and `+METADATA` of dot-separated `[0-9A-Za-z-]+` identifiers.

use std::cmp::Ordering;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "semver.compare",
        arity: 2,
        func: compare,
    },
    BuiltinDef {
        name: "semver.is_valid",
        arity: 1,
        func: is_valid,
    },
];

/// A parsed version; build metadata is checked but plays no part in comparisons.
#[derive(Debug, PartialEq, Eq)]
struct Version<'a> {
    major: i64,
    minor: i64,
    patch: i64,
    pre_release: &'a str,
}

/// Splits at the first `sep`; the part after is empty when there is none.
fn cut(s: &str, sep: char) -> (&str, &str) {
    s.split_once(sep).unwrap_or((s, ""))
}

/// Dot-separated identifiers of `[0-9A-Za-z-]`, none empty.
fn valid_identifiers(s: &str) -> bool {
    s.split('.')
        .all(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
}

/// A decimal integer as Go's `strconv.ParseInt(s, 10, 64)` reads it.
fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl<'a> Version<'a> {
    fn parse(text: &'a str) -> Option<Version<'a>> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let (text, metadata) = cut(text, '+');
        if !metadata.is_empty() && !valid_identifiers(metadata) {
            return None;
        }
        let (text, pre_release) = cut(text, '-');
        if !pre_release.is_empty() && !valid_identifiers(pre_release) {
            return None;
        }
        let mut parts = text.split('.');
        let (major, minor, patch) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(Version {
            major: parse_int(major)?,
            minor: parse_int(minor)?,
            patch: parse_int(patch)?,
            pre_release,
        })
    }

    /// SemVer precedence: numbers, then a release above its pre-releases, then the
    /// pre-release identifiers (numeric ones numerically and below alphanumeric ones, a
    /// longer list above its prefix).
    fn precedence(&self, other: &Version<'_>) -> Ordering {
        let numbers =
            (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch));
        if numbers != Ordering::Equal {
            return numbers;
        }
        match (self.pre_release.is_empty(), other.pre_release.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        let mut a = self.pre_release.split('.');
        let mut b = other.pre_release.split('.');
        loop {
            match (a.next(), b.next()) {
                (None, None) => return Ordering::Equal,
                (None, Some(_)) => return Ordering::Less,
                (Some(_), None) => return Ordering::Greater,
                (Some(x), Some(y)) => {
                    let order = compare_identifiers(x, y);
                    if order != Ordering::Equal {
                        return order;
                    }
                }
            }
        }
    }
}

/// Compares two pre-release identifiers.
fn compare_identifiers(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    match (numeric(a), numeric(b)) {
        // Out-of-range numbers saturate, as Go's `strconv.Atoi` does.
        (true, true) => {
            let n = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX);
            n(a).cmp(&n(b))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

/// `semver.compare(a, b)`: -1, 0 or 1 as `a` is below, equal to or above `b`.
fn compare(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = args::string(args, 0)?;
    let b = args::string(args, 1)?;
    let invalid = |n: usize, s: &str| {
        BuiltinError::msg(format!(
            "operand {n}: string {} is not a valid SemVer",
            Value::from(s)
        ))
    };
    let va = Version::parse(a).ok_or_else(|| invalid(1, a))?;
    let vb = Version::parse(b).ok_or_else(|| invalid(2, b))?;
    Ok(Value::from_i64(match va.precedence(&vb) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

/// `semver.is_valid(x)`: whether `x` is a string holding a valid version.
fn is_valid(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let valid = args[0].as_str().and_then(Version::parse).is_some();
    Ok(Value::Bool(valid))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn cmp(a: &str, b: &str) -> i64 {
        call("semver.compare", &[Value::from(a), Value::from(b)])
            .unwrap()
            .as_i64()
            .unwrap()
    }

    fn valid(s: &str) -> bool {
        call("semver.is_valid", &[Value::from(s)]).unwrap() == Value::Bool(true)
    }

    #[test]
    fn comparing() {
        assert_eq!(cmp("1.0.0", "2.0.0"), -1);
        assert_eq!(cmp("2.0.0", "1.0.0"), 1);
        assert_eq!(cmp("1.0.0", "1.0.0"), 0);
        assert_eq!(cmp("v1.2.3", "1.2.3"), 0);
        assert_eq!(cmp("1.10.0", "1.9.0"), 1);
        assert_eq!(cmp("1.0.0-alpha", "1.0.0"), -1);
        assert_eq!(cmp("1.0.0+build.1", "1.0.0+build.2"), 0);
        // The SemVer 2.0 example chain.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for (i, a) in chain.iter().enumerate() {
            for (j, b) in chain.iter().enumerate() {
                assert_eq!(cmp(a, b), (i as i64 - j as i64).signum(), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn validity() {
        assert!(valid("1.0.0"));
        assert!(valid("v1.0.0"));
        assert!(valid("1.0.0-rc.1+build.5"));
        assert!(valid("01.2.3"));
        assert!(valid("1.2.3-"));
        assert!(valid("1.2.3-x-y"));
        assert!(!valid("1"));
        assert!(!valid("1.2"));
        assert!(!valid("1.2.3.4"));
        assert!(!valid("1.2.x"));
        assert!(!valid("1.2.3-a..b"));
        assert!(!valid("1.2.3+a_b"));
        assert!(!valid("99999999999999999999.0.0"));
        assert!(!valid(""));
        assert_eq!(
            call("semver.is_valid", &[Value::from(1)]).unwrap(),
            Value::Bool(false)
        );
    }

    #[test]
    fn errors() {
        let e = call("semver.compare", &[Value::from("1"), Value::from("1.0.0")]).unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            (
                "eval_builtin_error",
                "operand 1: string \"1\" is not a valid SemVer"
            )
        );
        let e = call("semver.compare", &[Value::from("1.0.0"), Value::from("1")]).unwrap_err();
        assert_eq!(e.message(), "operand 2: string \"1\" is not a valid SemVer");
        let e = call("semver.compare", &[Value::from(1), Value::from("1")]).unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            ("eval_type_error", "operand 1 must be string but got number")
        );
    }
}
