//! Validated AWS resource identifiers.
//!
//! Ids are checked at parse time so a malformed value fails before any AWS
//! call, with a one-line message naming the value.

use std::fmt;
use std::str::FromStr;

fn is_hex_suffix(rest: &str) -> bool {
    matches!(rest.len(), 8 | 17)
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

macro_rules! ec2_id {
    ($name:ident, $prefix:literal, $what:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.strip_prefix($prefix) {
                    Some(rest) if is_hex_suffix(rest) => Ok(Self(s.to_owned())),
                    _ => Err(format!(
                        concat!(
                            "malformed ",
                            $what,
                            " id '{}': expected '",
                            $prefix,
                            "' followed by 8 or 17 lowercase hex digits"
                        ),
                        s
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

ec2_id!(VpceId, "vpce-", "VPC endpoint");
ec2_id!(VpcId, "vpc-", "VPC");
ec2_id!(SubnetId, "subnet-", "subnet");
ec2_id!(SecurityGroupId, "sg-", "security group");

/// A REST API id: ten lowercase letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ApiId(String);

impl ApiId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ApiId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 10
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            Ok(ApiId(s.to_owned()))
        } else {
            Err(format!(
                "malformed REST API id '{s}': expected 10 lowercase letters and digits"
            ))
        }
    }
}

impl fmt::Display for ApiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stage name as API Gateway accepts it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct StageName(String);

impl StageName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for StageName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            Ok(StageName(s.to_owned()))
        } else {
            Err(format!(
                "malformed stage name '{s}': expected 1-128 letters, digits, '-' or '_'"
            ))
        }
    }
}

impl fmt::Display for StageName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An API's execute-api hostname, in one of the two forms API Gateway
/// answers to: the one place either is built or read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecuteApiHost {
    api: String,
    /// The endpoint named in the host (`{api}-{vpce}` form), if any.
    vpce: Option<String>,
    region: String,
    dns_suffix: String,
}

impl ExecuteApiHost {
    /// `{api}.execute-api.{region}.{dns_suffix}`: the public name, which
    /// private DNS on an execute-api endpoint resolves to that endpoint.
    pub fn private_dns(api: &str, region: &str, dns_suffix: &str) -> Self {
        Self {
            api: api.to_owned(),
            vpce: None,
            region: region.to_owned(),
            dns_suffix: dns_suffix.to_owned(),
        }
    }

    /// `{api}-{vpce}.execute-api.{region}.{dns_suffix}`: the API through one
    /// endpoint, which resolves without private DNS.
    pub fn via_endpoint(api: &str, vpce: &str, region: &str, dns_suffix: &str) -> Self {
        Self {
            vpce: Some(vpce.to_owned()),
            ..Self::private_dns(api, region, dns_suffix)
        }
    }

    /// Reads a hostname of either form in `region`; `None` for any other host.
    pub fn parse(host: &str, region: &str, dns_suffix: &str) -> Option<Self> {
        let label = host.strip_suffix(&format!(".execute-api.{region}.{dns_suffix}"))?;
        Some(match label.split_once('-') {
            Some((api, vpce)) if vpce.starts_with("vpce-") => {
                Self::via_endpoint(api, vpce, region, dns_suffix)
            }
            _ => Self::private_dns(label, region, dns_suffix),
        })
    }

    pub fn api(&self) -> &str {
        &self.api
    }

    pub fn vpce(&self) -> Option<&str> {
        self.vpce.as_deref()
    }
}

impl fmt::Display for ExecuteApiHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (api, region, suffix) = (&self.api, &self.region, &self.dns_suffix);
        match &self.vpce {
            None => write!(f, "{api}.execute-api.{region}.{suffix}"),
            Some(vpce) => write!(f, "{api}-{vpce}.execute-api.{region}.{suffix}"),
        }
    }
}

/// The endpoint service an execute-api interface endpoint in `region` connects to.
pub fn execute_api_service(region: &str) -> String {
    format!("com.amazonaws.{region}.execute-api")
}

/// A stack name: what `xapi:stack` tags carry and resource names start with.
/// Short enough that `<stack>-nlb` fits the load balancer's 32-character limit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct StackName(String);

impl StackName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for StackName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (1..=28).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(StackName(s.to_owned()))
        } else {
            Err(format!(
                "malformed stack name '{s}': expected 1-28 letters, digits or inner hyphens"
            ))
        }
    }
}

impl fmt::Display for StackName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct AccountId(String);

impl AccountId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AccountId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AccountId(s.to_owned()))
        } else {
            Err(format!("malformed account id '{s}': expected 12 digits"))
        }
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A container image reference, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/proxy:1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ImageRef(String);

impl ImageRef {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ImageRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // ECS's own limit; no whitespace or control characters in a reference.
        let ok = !s.is_empty()
            && s.len() <= 255
            && s.bytes().all(|b| b.is_ascii_graphic())
            && !s.starts_with(['-', ':', '@', '/']);
        if ok {
            Ok(ImageRef(s.to_owned()))
        } else {
            Err(format!(
                "malformed image '{s}': expected a reference such as registry/repository:tag"
            ))
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An endpoint service name consumers connect to:
/// `com.amazonaws.vpce.<region>.vpce-svc-<hex>` or an AWS service such as
/// `com.amazonaws.<region>.execute-api`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ServiceName(String);

impl ServiceName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ServiceName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let labels_ok = s.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        let ok = s.len() <= 255
            && labels_ok
            && (s.starts_with("com.amazonaws.")
                || s.starts_with("aws.")
                || s.starts_with("com.amazon."))
            && s.split('.').count() >= 4;
        if ok {
            Ok(ServiceName(s.to_owned()))
        } else {
            Err(format!(
                "malformed service name '{s}': expected e.g. com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
            ))
        }
    }
}

impl fmt::Display for ServiceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `KEY=VALUE` as given to `--tag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

impl FromStr for Tag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('=') {
            Some((k, v)) if !k.is_empty() && k.len() <= 128 && v.len() <= 256 && !k.starts_with("aws:") => Ok(Tag {
                key: k.to_owned(),
                value: v.to_owned(),
            }),
            _ => Err(format!(
                "malformed tag '{s}': expected KEY=VALUE with a key of 1-128 characters not starting with 'aws:'"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_short_and_long_forms() {
        assert!("vpce-0123abcd".parse::<VpceId>().is_ok());
        assert!("vpce-0123456789abcdef0".parse::<VpceId>().is_ok());
        assert!("subnet-0123abcd".parse::<SubnetId>().is_ok());
        assert!("sg-0123abcd".parse::<SecurityGroupId>().is_ok());
        assert!("vpc-0123456789abcdef0".parse::<VpcId>().is_ok());
    }

    #[test]
    fn rejects_malformed_ids_naming_the_value() {
        for bad in [
            "vpce-",
            "vpce-0123ABCD",
            "vpce-0123abc",
            "vpc-0123abcd",
            "vpce-0123abcdg",
            " vpce-0123abcd",
        ] {
            let err = bad.parse::<VpceId>().unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{err}");
        }
        assert!("vpce-0123abcd".parse::<VpcId>().is_err());
        assert!("sg-123".parse::<SecurityGroupId>().is_err());
    }

    #[test]
    fn execute_api_hosts_round_trip_in_both_forms() {
        let public = ExecuteApiHost::private_dns("a1b2c3d4e5", "cn-north-1", "amazonaws.com.cn");
        assert_eq!(
            public.to_string(),
            "a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn"
        );
        let through = ExecuteApiHost::via_endpoint(
            "a1b2c3d4e5",
            "vpce-0123abcd",
            "us-east-1",
            "amazonaws.com",
        );
        assert_eq!(
            through.to_string(),
            "a1b2c3d4e5-vpce-0123abcd.execute-api.us-east-1.amazonaws.com"
        );
        for host in [&public, &through] {
            let back = ExecuteApiHost::parse(&host.to_string(), &host.region, &host.dns_suffix);
            assert_eq!(back.as_ref(), Some(host));
        }
        assert_eq!(through.vpce(), Some("vpce-0123abcd"));
        assert_eq!(through.api(), "a1b2c3d4e5");
        assert_eq!(
            ExecuteApiHost::parse(
                "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
                "us-east-1",
                "amazonaws.com"
            ),
            None
        );
    }

    #[test]
    fn the_mtls_proxy_names_the_api_as_execute_api_host_does() {
        for region in [
            "us-east-1",
            "eu-west-1",
            "us-gov-west-1",
            "cn-north-1",
            "cn-northwest-1",
        ] {
            let rendered = crate::mtls::RenderRequest::new("a1b2c3d4e5", region, "prod").api_host();
            let host = ExecuteApiHost::private_dns(
                "a1b2c3d4e5",
                region,
                crate::region::dns_suffix(region),
            );
            assert_eq!(rendered, host.to_string());
        }
    }

    #[test]
    fn api_ids_and_stages() {
        assert!("a1b2c3d4e5".parse::<ApiId>().is_ok());
        for bad in ["a1b2c3d4e", "A1B2C3D4E5", "a1b2c3d4e5f", "a1b2-3d4e5"] {
            assert!(bad.parse::<ApiId>().unwrap_err().contains(bad));
        }
        assert!("prod".parse::<StageName>().is_ok());
        assert!("v1_beta-2".parse::<StageName>().is_ok());
        assert!("".parse::<StageName>().is_err());
        assert!("a/b".parse::<StageName>().unwrap_err().contains("a/b"));
    }

    #[test]
    fn stack_names_fit_resource_names() {
        assert!("front-orders".parse::<StackName>().is_ok());
        assert!("a".repeat(28).parse::<StackName>().is_ok());
        for bad in ["", "-x", "x-", "a_b", "has space"] {
            assert!(bad.parse::<StackName>().is_err(), "{bad}");
        }
        assert!("a".repeat(29).parse::<StackName>().is_err());
    }

    #[test]
    fn accounts_images_and_service_names() {
        assert!("111122223333".parse::<AccountId>().is_ok());
        for bad in ["11112222333", "1111222233334", "11112222333x", ""] {
            assert!(bad.parse::<AccountId>().is_err(), "{bad}");
        }
        assert!("public.ecr.aws/nginx/nginx:stable"
            .parse::<ImageRef>()
            .is_ok());
        assert!("has space"
            .parse::<ImageRef>()
            .unwrap_err()
            .contains("has space"));
        assert!("-x".parse::<ImageRef>().is_err());
        assert!("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
            .parse::<ServiceName>()
            .is_ok());
        assert!("com.amazonaws.us-east-1.execute-api"
            .parse::<ServiceName>()
            .is_ok());
        for bad in [
            "vpce-svc-1",
            "com.amazonaws..x.y",
            "COM.AMAZONAWS.A.B",
            "com.amazonaws.x",
        ] {
            assert!(bad.parse::<ServiceName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn tags_need_a_key() {
        assert_eq!(
            "team=payments".parse::<Tag>().unwrap(),
            Tag {
                key: "team".into(),
                value: "payments".into()
            }
        );
        assert!("=x".parse::<Tag>().is_err());
        assert!("novalue".parse::<Tag>().is_err());
        assert!("aws:x=1".parse::<Tag>().is_err());
    }
}
