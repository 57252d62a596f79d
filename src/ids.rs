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
        #[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
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

/// A private custom domain name, as its ARN names it: the name and the
/// `domainNameId` that tells it from a public domain of the same name.
/// Every domain call is keyed on this, so none can go out without the id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomainArn {
    partition: String,
    region: String,
    account: String,
    name: String,
    id: String,
}

impl DomainArn {
    pub fn new(partition: &str, region: &str, account: &str, name: &str, id: &str) -> Self {
        Self {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            name: name.to_owned(),
            id: id.to_owned(),
        }
    }

    /// The domain name (`private.example.com`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `domainNameId` every call on a private domain must carry.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// The producer: the account that owns the domain.
    pub fn account(&self) -> &str {
        &self.account
    }

    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// Refuses a run in another Region: domains are regional, and a call
    /// from elsewhere would find nothing. The message names the flag to pass.
    pub fn check_region(&self, region: &str) -> Result<(), String> {
        if self.region == region {
            return Ok(());
        }
        Err(format!(
            "--domain {self}: the domain is in {}, and xapi runs in {region} (pass --region {})",
            self.region, self.region
        ))
    }

    /// Whether `reported`, a domain ARN as AWS wrote it (in a listing, an
    /// association), is this domain: the same name AND id.
    pub fn is(&self, reported: &str) -> bool {
        reported.parse::<DomainArn>().is_ok_and(|d| &d == self)
    }

    /// `{name}+{id}`: the domain as its ARNs and policies name it.
    pub fn name_and_id(&self) -> String {
        format!("{}+{}", self.name, self.id)
    }
}

/// A host name a certificate can cover: lowercase labels of letters, digits
/// and inner hyphens; no wildcard (private domain names cannot be one).
fn is_domain_name(s: &str) -> bool {
    (1..=253).contains(&s.len())
        && s.split('.').count() >= 2
        && s.split('.').all(|l| {
            (1..=63).contains(&l.len())
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// Checks a domain name given on the command line.
pub fn parse_domain_name(s: &str) -> Result<String, String> {
    if is_domain_name(s) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "malformed domain name '{s}': expected lowercase labels such as private.example.com \
             (no wildcard: a private custom domain name cannot be one)"
        ))
    }
}

impl FromStr for DomainArn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            format!(
                "malformed domain ARN '{s}': {why}; expected \
                 arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID (xapi domain show prints it)"
            )
        };
        let mut parts = s.splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some("apigateway"),
            Some(region),
            Some(account),
            Some(rest),
        ) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        )
        else {
            return Err(bad("not an API Gateway ARN"));
        };
        let Some(named) = rest.strip_prefix("/domainnames/") else {
            return Err(bad("not a domain name's ARN"));
        };
        let Some((name, id)) = named.split_once('+') else {
            return Err(bad(
                "it has no domainNameId after '+', and a call without the id reaches \
                 the public domain of the same name",
            ));
        };
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("the account is not 12 digits"));
        }
        if region.is_empty() || partition.is_empty() {
            return Err(bad("no region or partition"));
        }
        if !is_domain_name(name) {
            return Err(bad("the name is not a domain name"));
        }
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad("the domainNameId is not letters and digits"));
        }
        Ok(Self::new(partition, region, account, name, id))
    }
}

impl fmt::Display for DomainArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:apigateway:{}:{}:/domainnames/{}+{}",
            self.partition, self.region, self.account, self.name, self.id
        )
    }
}

impl serde::Serialize for DomainArn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An ACM certificate's ARN; its Region must be the domain's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct CertificateArn(String);

impl CertificateArn {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn region(&self) -> &str {
        self.0.split(':').nth(3).unwrap_or_default()
    }
}

impl FromStr for CertificateArn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        match parts.as_slice() {
            ["arn", partition, "acm", region, account, resource]
                if !partition.is_empty()
                    && !region.is_empty()
                    && account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit())
                    && resource
                        .strip_prefix("certificate/")
                        .is_some_and(|id| !id.is_empty()) =>
            {
                Ok(Self(s.to_owned()))
            }
            _ => Err(format!(
                "malformed certificate ARN '{s}': expected arn:aws:acm:REGION:ACCOUNT:certificate/ID"
            )),
        }
    }
}

impl fmt::Display for CertificateArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
    fn domain_arns_carry_the_id() {
        let arn: DomainArn =
            "arn:aws:apigateway:us-east-1:111111111111:/domainnames/private.example.com+abcd1234"
                .parse()
                .unwrap();
        assert_eq!(arn.name(), "private.example.com");
        assert_eq!(arn.id(), "abcd1234");
        assert_eq!(arn.region(), "us-east-1");
        assert_eq!(arn.account(), "111111111111");
        assert_eq!(arn.name_and_id(), "private.example.com+abcd1234");
        assert_eq!(arn.check_region("us-east-1"), Ok(()));
        assert!(arn
            .check_region("eu-west-1")
            .unwrap_err()
            .contains("the domain is in us-east-1, and xapi runs in eu-west-1"));
        assert_eq!(
            arn.to_string(),
            "arn:aws:apigateway:us-east-1:111111111111:/domainnames/private.example.com+abcd1234"
        );
        // The IAM form has no account and no id: a call made from it would
        // reach the public domain of the same name.
        let no_id = "arn:aws:apigateway:us-east-1::/domainnames/private.example.com";
        assert!(no_id
            .parse::<DomainArn>()
            .unwrap_err()
            .contains("no domainNameId"));
        for bad in [
            "arn:aws:apigateway:us-east-1:111111111111:/restapis/a1b2c3d4e5",
            "arn:aws:ec2:us-east-1:111111111111:/domainnames/a.example.com+x1",
            "arn:aws:apigateway:us-east-1:11111111111:/domainnames/a.example.com+x1",
            "arn:aws:apigateway:us-east-1:111111111111:/domainnames/*.example.com+x1",
            "arn:aws:apigateway:us-east-1:111111111111:/domainnames/a.example.com+",
            "arn:aws:apigateway:us-east-1:111111111111:/domainnames/a.example.com+x/1",
            "arn:aws:apigateway::111111111111:/domainnames/a.example.com+x1",
            "private.example.com",
        ] {
            assert!(bad.parse::<DomainArn>().unwrap_err().contains(bad), "{bad}");
        }
    }

    #[test]
    fn domain_names_and_certificates() {
        assert!(parse_domain_name("private.example.com").is_ok());
        for bad in [
            "*.example.com",
            "Private.example.com",
            "example",
            "a..b",
            "-a.b",
            "",
        ] {
            assert!(parse_domain_name(bad).is_err(), "{bad}");
        }
        let cert: CertificateArn = "arn:aws:acm:eu-west-1:111111111111:certificate/0e6f"
            .parse()
            .unwrap();
        assert_eq!(cert.region(), "eu-west-1");
        for bad in [
            "arn:aws:acm:eu-west-1:111111111111:certificate/",
            "arn:aws:iam::111111111111:server-certificate/x",
            "arn:aws:acm::111111111111:certificate/x",
        ] {
            assert!(
                bad.parse::<CertificateArn>().unwrap_err().contains(bad),
                "{bad}"
            );
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
