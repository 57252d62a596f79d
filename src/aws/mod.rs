//! The only place SDK types appear. Each adapter calls AWS and returns the
//! crate's own types from [`crate::model`].

pub mod acm;
pub mod apigw;
pub mod apigwv2;
pub mod assume;
pub mod config;
pub mod domain;
pub mod ec2;
pub mod ecs;
pub mod elbv2;
pub mod endpoint_service;
pub mod error;
pub mod fleet;
pub mod json_rpc;
pub mod lambda;
pub mod orgs;
pub mod ram;
pub mod retry;
pub mod route53;
pub mod secrets;
pub mod ssm;
pub mod sts;

use std::sync::OnceLock;

/// A fresh idempotency token per run: SDK retries of a create call reuse it,
/// so a lost response never yields a second resource.
pub fn client_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    // 36 characters: within what every API takes (Secrets Manager wants 32-64).
    format!(
        "xapi-{:010}-{:020}",
        std::process::id(),
        nanos % 10u128.pow(20)
    )
}

use aws_config::SdkConfig;

/// A resource's tags as the SDK gives them (a `HashMap`, or none), in a stable order.
fn tag_map(
    tags: Option<&std::collections::HashMap<String, String>>,
) -> std::collections::BTreeMap<String, String> {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// SDK clients for one account and region, created on first use.
pub struct Aws {
    config: SdkConfig,
    region: String,
    apigw: OnceLock<aws_sdk_apigateway::Client>,
    apigwv2: OnceLock<aws_sdk_apigatewayv2::Client>,
    ec2: OnceLock<aws_sdk_ec2::Client>,
    lambda: OnceLock<aws_sdk_lambda::Client>,
    elb: OnceLock<aws_sdk_elasticloadbalancingv2::Client>,
    ram: OnceLock<aws_sdk_ram::Client>,
    route53: OnceLock<aws_sdk_route53::Client>,
    sts: OnceLock<aws_sdk_sts::Client>,
    /// Who these credentials are: it cannot change within a run, so a
    /// command that observes twice (plan, then verify) asks STS once.
    identity: OnceLock<crate::model::CallerIdentity>,
    /// The role these credentials come from, which names who they are.
    assumed: Option<std::sync::Arc<assume::AssumedRole>>,
}

impl Aws {
    pub fn new(loaded: config::Loaded, region: String) -> Self {
        Aws {
            config: loaded.config,
            assumed: loaded.assumed,
            region,
            apigw: OnceLock::new(),
            apigwv2: OnceLock::new(),
            ec2: OnceLock::new(),
            lambda: OnceLock::new(),
            elb: OnceLock::new(),
            ram: OnceLock::new(),
            route53: OnceLock::new(),
            sts: OnceLock::new(),
            identity: OnceLock::new(),
        }
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    fn ec2(&self) -> &aws_sdk_ec2::Client {
        self.ec2
            .get_or_init(|| aws_sdk_ec2::Client::new(&self.config))
    }

    fn sts(&self) -> &aws_sdk_sts::Client {
        self.sts
            .get_or_init(|| aws_sdk_sts::Client::new(&self.config))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_tokens_fit_every_api_that_takes_one() {
        let token = super::client_token();
        assert_eq!(token.len(), 36, "{token}");
        assert!(token.starts_with("xapi-"), "{token}");
        assert!(
            token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{token}"
        );
    }
}
