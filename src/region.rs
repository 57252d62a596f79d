//! Known AWS regions and their partitions.
//!
//! A typo in a region would otherwise surface as a DNS failure deep inside the
//! SDK; checking up front turns it into a clear bad-input error.

const REGIONS: &[(&str, &str)] = &[
    ("af-south-1", "aws"),
    ("ap-east-1", "aws"),
    ("ap-east-2", "aws"),
    ("ap-northeast-1", "aws"),
    ("ap-northeast-2", "aws"),
    ("ap-northeast-3", "aws"),
    ("ap-south-1", "aws"),
    ("ap-south-2", "aws"),
    ("ap-southeast-1", "aws"),
    ("ap-southeast-2", "aws"),
    ("ap-southeast-3", "aws"),
    ("ap-southeast-4", "aws"),
    ("ap-southeast-5", "aws"),
    ("ap-southeast-6", "aws"),
    ("ap-southeast-7", "aws"),
    ("ca-central-1", "aws"),
    ("ca-west-1", "aws"),
    ("eu-central-1", "aws"),
    ("eu-central-2", "aws"),
    ("eu-north-1", "aws"),
    ("eu-south-1", "aws"),
    ("eu-south-2", "aws"),
    ("eu-west-1", "aws"),
    ("eu-west-2", "aws"),
    ("eu-west-3", "aws"),
    ("il-central-1", "aws"),
    ("me-central-1", "aws"),
    ("me-south-1", "aws"),
    ("mx-central-1", "aws"),
    ("sa-east-1", "aws"),
    ("us-east-1", "aws"),
    ("us-east-2", "aws"),
    ("us-west-1", "aws"),
    ("us-west-2", "aws"),
    ("cn-north-1", "aws-cn"),
    ("cn-northwest-1", "aws-cn"),
    ("us-gov-east-1", "aws-us-gov"),
    ("us-gov-west-1", "aws-us-gov"),
];

/// The partition of a known region, or `None` for an unknown one.
pub fn partition(region: &str) -> Option<&'static str> {
    REGIONS.iter().find(|(r, _)| *r == region).map(|(_, p)| *p)
}

/// The DNS suffix API Gateway uses in that partition.
pub fn dns_suffix(region: &str) -> &'static str {
    match partition(region) {
        Some("aws-cn") => "amazonaws.com.cn",
        _ => "amazonaws.com",
    }
}

/// Where the partition's global services (Organizations) answer and sign.
pub fn partition_home(region: &str) -> &'static str {
    match partition(region) {
        Some("aws-cn") => "cn-northwest-1",
        Some("aws-us-gov") => "us-gov-west-1",
        _ => "us-east-1",
    }
}

/// A service's regional endpoint, as the SDK's endpoint rules build it:
/// `https://{prefix}[-fips].{region}.{suffix}`, the suffix being the
/// partition's, or its dual-stack one (IPv4 and IPv6).
pub fn service_endpoint(prefix: &str, region: &str, fips: bool, dual_stack: bool) -> String {
    let suffix = match (partition(region), dual_stack) {
        (Some("aws-cn"), false) => "amazonaws.com.cn",
        (Some("aws-cn"), true) => "api.amazonwebservices.com.cn",
        (_, false) => "amazonaws.com",
        (_, true) => "api.aws",
    };
    let fips = if fips { "-fips" } else { "" };
    format!("https://{prefix}{fips}.{region}.{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_partitions() {
        assert_eq!(partition("us-east-1"), Some("aws"));
        assert_eq!(partition("cn-north-1"), Some("aws-cn"));
        assert_eq!(partition("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition("us-east-9"), None);
        assert_eq!(dns_suffix("cn-north-1"), "amazonaws.com.cn");
    }

    #[test]
    fn service_endpoints_follow_the_partition_fips_and_dual_stack() {
        let e = |region, fips, dual| service_endpoint("ssm", region, fips, dual);
        assert_eq!(
            e("eu-west-1", false, false),
            "https://ssm.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            e("us-east-1", true, false),
            "https://ssm-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(e("us-east-1", false, true), "https://ssm.us-east-1.api.aws");
        assert_eq!(
            e("us-gov-west-1", true, true),
            "https://ssm-fips.us-gov-west-1.api.aws"
        );
        assert_eq!(
            e("cn-north-1", false, false),
            "https://ssm.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            e("cn-northwest-1", false, true),
            "https://ssm.cn-northwest-1.api.amazonwebservices.com.cn"
        );
    }
}
