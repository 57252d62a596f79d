//! "Can anyone on the internet call this Regional API?", by evaluation.
//!
//! A front door's resource policy keeps the internet out only if it refuses an anonymous
//! request from an address it does not name: a policy that denies one address beside an
//! `Allow *` is still open to every other one. So the question is asked of the evaluator
//! for a probe request per address family: anonymous, not through a VPC endpoint, from a
//! public address outside every range the policy names, on some resource of the API.
//!
//! Ranges wider than [`PUBLIC_PREFIX`] are not names but "a large part of the internet",
//! so the probe may fall inside them: a policy admitting `0.0.0.0/1` and `128.0.0.0/1`
//! is as open as one admitting `0.0.0.0/0`.
//!
//! Condition keys are treated as the request from the internet has them: `aws:SourceIp`
//! is the probe, `aws:SecureTransport` is true (API Gateway serves HTTPS only), the keys
//! of a caller's identity and of a VPC are absent; every other key (`aws:UserAgent`,
//! `aws:Referer`, ...) is the caller's to choose, so an Allow gated on it may apply and a
//! Deny gated on it may be escaped. That over-approximates who gets in: the safe side for
//! a warning that the front is open.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::model::{analyze, parse_cidr, Effect, Key, Kind, Stmt, INVOKE};
use super::reach::Reach;
use super::{ApiRef, PolicyDocument, PolicyError};

/// Prefixes shorter than this are "a large part of the internet", not a named range.
pub const PUBLIC_PREFIX: u8 = 8;

/// One probe request and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub address: IpAddr,
    /// Some resource of the API admits an anonymous request from `address`.
    pub admitted: bool,
}

/// Whether an anonymous request from the internet gets through the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicAccess {
    /// At least one probe is admitted, or a family has no address the policy leaves unnamed.
    pub open: bool,
    /// One per address family that has a public address the policy does not name.
    pub probes: Vec<Probe>,
    /// Families whose every public address the policy names (`IPv4`, `IPv6`): no probe
    /// could be asked, so they count as open.
    pub fully_named: Vec<&'static str>,
    /// An answer came from the search budget, not a proof ("admitted", the safe guess).
    pub approximated: bool,
}

impl PublicAccess {
    /// The first admitted probe's address, for messages.
    pub fn admitted_from(&self) -> Option<IpAddr> {
        self.probes.iter().find(|p| p.admitted).map(|p| p.address)
    }

    /// The probes, for messages: `1.0.0.0 and 2000::`.
    pub fn probe_list(&self) -> String {
        self.probes
            .iter()
            .map(|p| p.address.to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// Keys an anonymous request from the internet never carries.
const ABSENT: &[&str] = &[
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:vpcsourceip",
    "aws:userid",
    "aws:username",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceidentity",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:tokenissuetime",
    "aws:federatedprovider",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
];

/// What the probe request carries for `key`: `Some(Some(v))` a value, `Some(None)` absent,
/// `None` the caller's to choose.
fn known(key: &str, probe: IpAddr) -> Option<Option<String>> {
    match key {
        "aws:sourceip" => Some(Some(probe.to_string())),
        "aws:securetransport" => Some(Some("true".into())),
        k if ABSENT.contains(&k) || k.starts_with("aws:principal") => Some(None),
        _ => None,
    }
}

/// Whether `s` can take part in deciding the probe request from `probe`.
fn applies(s: &Stmt, probe: IpAddr) -> bool {
    s.principal.matches(None)
        && s.matches_action(INVOKE)
        && s.conditions.iter().all(|e| {
            let actual = match &e.key {
                Key::Vpce | Key::Vpc => Some(None),
                Key::Other(k) => known(k, probe),
            };
            match actual {
                Some(v) => e.holds(v.as_deref()),
                None => s.effect == Effect::Allow,
            }
        })
}

/// Address ranges as inclusive `u128` intervals; IPv4 in the low 32 bits.
type Span = (u128, u128);

fn span(addr: IpAddr, prefix: u8) -> Span {
    let (bits, value) = match addr {
        IpAddr::V4(a) => (32u32, u128::from(u32::from(a))),
        IpAddr::V6(a) => (128u32, u128::from(a)),
    };
    let host = bits - u32::from(prefix);
    let mask = if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    (value & !mask, value | mask)
}

/// Ranges that are not reachable public addresses (RFC 6890 special-purpose blocks and
/// documentation ranges), by family.
fn not_public(v6: bool) -> Vec<Span> {
    let block = |s: &str| {
        let c = parse_cidr(s).unwrap_or_else(|| unreachable!("constant CIDR {s}"));
        span(c.addr, c.prefix)
    };
    if v6 {
        let unicast = span(IpAddr::V6(Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0)), 3);
        let mut out = vec![(0, unicast.0 - 1)];
        if unicast.1 < u128::MAX {
            out.push((unicast.1 + 1, u128::MAX));
        }
        out.extend(["2001::/23", "2001:db8::/32", "2002::/16"].map(block));
        out
    } else {
        [
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.88.99.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/3",
        ]
        .map(block)
        .to_vec()
    }
}

/// The lowest public address of the family outside every span of `named`, if any.
fn unnamed_public(named: &[Span], v6: bool) -> Option<IpAddr> {
    let top = if v6 { u128::MAX } else { u128::from(u32::MAX) };
    let mut covered: Vec<Span> = named.iter().copied().chain(not_public(v6)).collect();
    covered.sort_unstable();
    let mut candidate: u128 = 0;
    for (start, end) in covered {
        if start > candidate {
            break;
        }
        if end >= candidate {
            if end == top {
                return None;
            }
            candidate = end + 1;
        }
    }
    if v6 {
        Some(IpAddr::V6(Ipv6Addr::from(candidate)))
    } else {
        u32::try_from(candidate)
            .ok()
            .map(|a| IpAddr::V4(Ipv4Addr::from(a)))
    }
}

/// Judge a Regional API's resource policy for anonymous callers from the internet.
pub fn public_access(doc: &PolicyDocument, api: &ApiRef) -> Result<PublicAccess, PolicyError> {
    let policy = analyze(doc.as_value(), api)?;
    let (mut named4, mut named6) = (Vec::new(), Vec::new());
    for e in policy.stmts.iter().flat_map(|s| &s.conditions) {
        if e.op.kind != Kind::Ip {
            continue;
        }
        for c in e.values.iter().filter_map(|v| parse_cidr(v)) {
            if c.prefix < PUBLIC_PREFIX {
                continue;
            }
            match c.addr {
                IpAddr::V4(_) => named4.push(span(c.addr, c.prefix)),
                IpAddr::V6(_) => named6.push(span(c.addr, c.prefix)),
            }
        }
    }
    let mut reach = Reach::new(&policy, api);
    let mut out = PublicAccess {
        open: false,
        probes: Vec::new(),
        fully_named: Vec::new(),
        approximated: false,
    };
    for (named, v6, family) in [(&named4, false, "IPv4"), (&named6, true, "IPv6")] {
        let Some(address) = unnamed_public(named, v6) else {
            out.fully_named.push(family);
            out.open = true;
            continue;
        };
        let answer = reach.allowed_when(|s| applies(s, address));
        out.approximated |= answer.approximated;
        out.open |= answer.yes;
        out.probes.push(Probe {
            address,
            admitted: answer.yes,
        });
    }
    Ok(out)
}

/// Whether the front's resource policy keeps out an anonymous caller from the internet:
/// `Ok` says how it does, `Err` why it does not (or cannot be told).
pub fn keeps_internet_out(
    raw: &str,
    region: &str,
    account: Option<&str>,
    api_id: &str,
) -> Result<String, String> {
    let doc = PolicyDocument::parse(raw).map_err(|e| {
        format!("its resource policy could not be read ({e}), so it counts as open")
    })?;
    let Some(account) = account else {
        return Err("its resource policy could not be evaluated without the front's account id, so it counts as open".into());
    };
    let api = ApiRef {
        region: region.to_owned(),
        account: account.to_owned(),
        api_id: api_id.to_owned(),
    };
    let access = public_access(&doc, &api).map_err(|e| {
        format!("its resource policy could not be evaluated ({e}), so it counts as open")
    })?;
    if let Some(ip) = access.admitted_from() {
        return Err(format!(
            "its resource policy admits an anonymous request from {ip}, an address it does not name{}",
            if access.approximated {
                " (or could not be proved not to, within the evaluation budget)"
            } else {
                ""
            }
        ));
    }
    if !access.fully_named.is_empty() {
        return Err(format!(
            "its resource policy names every public {} address, so it counts as open",
            access.fully_named.join(" and ")
        ));
    }
    Ok(format!(
        "its resource policy refuses an anonymous request from an address it does not name (asked for {})",
        access.probe_list()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api() -> ApiRef {
        ApiRef {
            region: "us-east-1".into(),
            account: "222222222222".into(),
            api_id: "front00001".into(),
        }
    }

    fn judge(statements: serde_json::Value) -> PublicAccess {
        let doc = json!({"Version": "2012-10-17", "Statement": statements});
        let doc = PolicyDocument::parse(&doc.to_string()).unwrap();
        public_access(&doc, &api()).unwrap()
    }

    fn allow_all() -> serde_json::Value {
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"})
    }

    fn deny_ip(op: &str, cidrs: &[&str]) -> serde_json::Value {
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
               "Condition": {op: {"aws:SourceIp": cidrs}}})
    }

    #[test]
    fn denying_one_address_beside_allow_star_is_still_open() {
        let a = judge(json!([allow_all(), deny_ip("IpAddress", &["1.0.0.0/32"])]));
        assert!(a.open, "{a:?}");
        let v4 = a.probes[0].address;
        assert!(
            v4.is_ipv4() && v4 != "1.0.0.0".parse::<IpAddr>().unwrap(),
            "{a:?}"
        );
        assert!(a.probes.iter().all(|p| p.admitted), "{a:?}");
        // The same with the whole IPv4 range the probe would have picked denied.
        let a = judge(json!([allow_all(), deny_ip("IpAddress", &["1.0.0.0/8"])]));
        assert!(a.open && a.admitted_from().is_some(), "{a:?}");
    }

    #[test]
    fn a_deny_outside_one_address_is_closed() {
        let a = judge(json!([
            allow_all(),
            deny_ip("NotIpAddress", &["198.51.100.7/32"])
        ]));
        assert!(!a.open, "{a:?}");
        assert_eq!(a.probes.len(), 2);
        assert!(a.probes.iter().all(|p| !p.admitted));
        // xapi's own --allow-cidr policy.
        let a = judge(json!([
            deny_ip("NotIpAddress", &["203.0.113.0/24", "2001:db8::/32"]),
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24", "2001:db8::/32"]}}}
        ]));
        assert!(!a.open, "{a:?}");
    }

    #[test]
    fn huge_ranges_are_not_names() {
        for wide in [&["0.0.0.0/0"][..], &["0.0.0.0/1", "128.0.0.0/1"], &["::/0"]] {
            let a = judge(json!([
                {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
                 "Condition":{"IpAddress":{"aws:SourceIp": wide}}}
            ]));
            assert!(a.open, "{wide:?}: {a:?}");
        }
    }

    #[test]
    fn the_probe_avoids_every_named_range_and_private_space() {
        let named = [
            span("1.0.0.0".parse().unwrap(), 8),
            span("2.0.0.0".parse().unwrap(), 7),
        ];
        let got = unnamed_public(&named, false).unwrap();
        assert_eq!(got, "4.0.0.0".parse::<IpAddr>().unwrap());
        let every: Vec<Span> = (1u32..=255)
            .map(|a| span(IpAddr::V4(Ipv4Addr::from(a << 24)), 8))
            .collect();
        assert_eq!(unnamed_public(&every, false), None);
        let v6 = unnamed_public(&[], true).unwrap();
        assert_eq!(v6, "2000::".parse::<IpAddr>().unwrap());
        for (named, v6) in [(&[][..], false), (&named[..], false)] {
            let ip = unnamed_public(named, v6).unwrap();
            assert!(not_public(v6)
                .iter()
                .chain(named)
                .all(|&(s, e)| !(s..=e).contains(&match ip {
                    IpAddr::V4(a) => u128::from(u32::from(a)),
                    IpAddr::V6(a) => u128::from(a),
                })));
        }
    }

    #[test]
    fn conditions_judged_as_the_internet_sends_them() {
        // Gated on a VPC endpoint or an organisation: nobody on the internet has one.
        let a = judge(json!([
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}},
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}
        ]));
        assert!(!a.open, "{a:?}");
        // A header the caller chooses neither closes an Allow nor keeps a Deny binding.
        let a = judge(json!([
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringEquals":{"aws:UserAgent":"mine"}}}
        ]));
        assert!(a.open, "{a:?}");
        let a = judge(json!([allow_all(),
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringNotEquals":{"aws:Referer":"secret"}}}
        ]));
        assert!(a.open, "{a:?}");
        // HTTP is not an option.
        let a = judge(json!([allow_all(),
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"Bool":{"aws:SecureTransport":"true"}}}
        ]));
        assert!(!a.open, "{a:?}");
        // A Deny without the VPC endpoint binds the internet.
        let a = judge(json!([allow_all(),
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}
        ]));
        assert!(!a.open, "{a:?}");
    }

    #[test]
    fn open_on_one_resource_is_open() {
        let a = judge(json!([allow_all(),
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","NotResource":"execute-api:/prod/GET/health"}
        ]));
        assert!(a.open, "{a:?}");
        let a = judge(json!([allow_all(),
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}
        ]));
        assert!(!a.open, "{a:?}");
        // No policy statement for anyone: implicit deny.
        let a = judge(json!([
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}
        ]));
        assert!(!a.open, "{a:?}");
    }
}
