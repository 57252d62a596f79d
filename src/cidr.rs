//! CIDRs: `--allow-cidr` values checked as they are parsed, and IPv4
//! containment, for "does this security group admit that subnet".

use std::net::Ipv4Addr;

use crate::error::Error;
use crate::model::SecurityGroup;
use crate::policy::PUBLIC_PREFIX;

/// Validates and normalises one `--allow-cidr` value (IPv4 or IPv6, with a
/// prefix length, no host bits set).
pub fn parse_cidr(value: &str) -> std::result::Result<String, String> {
    let bad = |why: &str| format!("invalid CIDR '{value}': {why} (expected e.g. 203.0.113.0/24)");
    let (addr, len) = value.split_once('/').ok_or_else(|| bad("no /prefix"))?;
    let addr: std::net::IpAddr = addr.parse().map_err(|_| bad("not an IP address"))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len: u32 = len
        .parse()
        .ok()
        .filter(|l| *l <= max)
        .ok_or_else(|| bad("bad prefix length"))?;
    let host_bits_clear = match addr {
        std::net::IpAddr::V4(a) => {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(a) & !mask == 0
        }
        std::net::IpAddr::V6(a) => {
            let mask = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            u128::from(a) & !mask == 0
        }
    };
    if !host_bits_clear {
        return Err(bad("host bits set"));
    }
    Ok(format!("{addr}/{len}"))
}

fn parse(cidr: &str) -> Option<(u32, u32)> {
    let (addr, len) = cidr.split_once('/')?;
    let addr: Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some((u32::from(addr) & mask, mask))
}

/// Whether `outer` contains every address of `inner`.
pub fn contains(outer: &str, inner: &str) -> bool {
    match (parse(outer), parse(inner)) {
        (Some((onet, omask)), Some((inet, imask))) => {
            omask & imask == omask && inet & omask == onet
        }
        _ => false,
    }
}

/// The CIDRs among `cidrs` that no TCP 443 ingress rule of `groups` admits
/// (a rule admits a CIDR when one of its source CIDRs contains it).
pub fn not_admitted_on_443<'a>(
    groups: &[SecurityGroup],
    cidrs: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    cidrs
        .into_iter()
        .filter(|c| {
            !groups
                .iter()
                .flat_map(|g| g.ingress.iter())
                .any(|r| r.admits_tcp_443() && r.cidrs.iter().any(|rc| contains(rc, c)))
        })
        .collect()
}

/// Refuses `--allow-cidr` ranges so wide they stand for the internet (`0.0.0.0/0`, `::/0`,
/// any prefix shorter than [`PUBLIC_PREFIX`]), which would make a "restricted" front open.
pub fn refuse_public(cidrs: &[String]) -> Result<(), Error> {
    let wide: Vec<&str> = cidrs
        .iter()
        .map(String::as_str)
        .filter(|c| {
            c.rsplit_once('/')
                .and_then(|(_, len)| len.parse::<u8>().ok())
                .is_some_and(|len| len < PUBLIC_PREFIX)
        })
        .collect();
    if wide.is_empty() {
        return Ok(());
    }
    Err(Error::BadInput(format!(
        "--allow-cidr {} admits a large part of the internet (a prefix shorter than /{PUBLIC_PREFIX}), \
         which leaves the front open: pass narrower ranges, or add --allow-public to admit them on purpose",
        wide.join(", ")
    )))
}

/// The AWS CLI command that admits TCP 443 into `group` from `cidr`.
pub fn authorize_443_command(group: &str, cidr: &str) -> String {
    format!("aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port 443 --cidr {cidr}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ranges_narrower_than_a_slash_8_pass_without_allow_public() {
        let cidrs = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert!(refuse_public(&cidrs(&["10.0.0.0/8", "2001:db8::/32", "203.0.113.7/32"])).is_ok());
        for wide in ["0.0.0.0/0", "::/0", "0.0.0.0/1", "128.0.0.0/7", "2000::/3"] {
            let err = refuse_public(&cidrs(&["10.0.0.0/8", wide])).unwrap_err();
            let msg = err.to_string();
            assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
            assert!(
                msg.contains(wide) && !msg.contains("10.0.0.0/8") && msg.contains("--allow-public"),
                "{msg}"
            );
        }
    }

    #[test]
    fn cidrs_are_validated() {
        assert_eq!(parse_cidr("10.0.0.0/8").unwrap(), "10.0.0.0/8");
        assert_eq!(parse_cidr("2001:db8::/32").unwrap(), "2001:db8::/32");
        for bad in [
            "10.0.0.1/8",
            "10.0.0.0",
            "10.0.0.0/33",
            "x/8",
            "",
            "10.0.0.0/-1",
        ] {
            let err = parse_cidr(bad).unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{err}");
        }
    }

    #[test]
    fn containment() {
        assert!(contains("10.0.0.0/16", "10.0.1.0/24"));
        assert!(contains("0.0.0.0/0", "10.0.1.0/24"));
        assert!(contains("10.0.1.0/24", "10.0.1.0/24"));
        assert!(!contains("10.0.1.0/24", "10.0.0.0/16"));
        assert!(!contains("10.1.0.0/16", "10.0.1.0/24"));
        assert!(!contains("garbage", "10.0.1.0/24"));
    }
}
