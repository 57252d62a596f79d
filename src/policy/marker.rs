//! The marker xapi puts in a deployment's description so that anyone can
//! tell later whether a stage serves the current policy: a policy change does
//! nothing until the API is redeployed, and API Gateway does not say which
//! policy a deployment captured.

const KEY: &str = "policy-sha256=";

/// `xapi policy-sha256=<canonical hash>`, the description of every
/// deployment xapi makes after a policy write.
pub fn deployment_marker(hash: &str) -> String {
    format!("xapi {KEY}{hash}")
}

/// The policy hash a deployment description carries, if xapi wrote one.
/// Found anywhere among its words, so a description someone extended still counts.
pub fn deployed_hash(description: Option<&str>) -> Option<&str> {
    description?
        .split_whitespace()
        .find_map(|w| w.strip_prefix(KEY))
        .filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_marker_reads_back() {
        let hash = "ab".repeat(32);
        assert_eq!(
            deployed_hash(Some(&deployment_marker(&hash))),
            Some(hash.as_str())
        );
        assert_eq!(
            deployed_hash(Some("release 42 xapi policy-sha256=abc (manual)")),
            Some("abc")
        );
        assert_eq!(deployed_hash(Some("policy-sha256=")), None);
        assert_eq!(deployed_hash(Some("deployed by CI")), None);
        assert_eq!(deployed_hash(None), None);
    }
}
