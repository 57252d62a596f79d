//! IPv4 CIDR containment, for "does this security group admit that subnet".

use std::net::Ipv4Addr;

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
