//! IPv4 CIDR containment, for "does this security group admit that subnet".

use std::net::Ipv4Addr;

use crate::model::SecurityGroup;

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

/// The AWS CLI command that admits TCP 443 into `group` from `cidr`.
pub fn authorize_443_command(group: &str, cidr: &str) -> String {
    format!("aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port 443 --cidr {cidr}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
