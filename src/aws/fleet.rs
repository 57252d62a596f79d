//! Reading many accounts and regions for `xapi audit`: one base identity,
//! a role assumed per account, adaptive retries, and a count of every
//! request sent (retries and AssumeRole included) so scans can show that
//! requests grow with APIs and pages, not with APIs x endpoints.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use aws_config::{Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_apigateway::config::retry::RetryPartition;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::retry::RetryConfig;

use super::assume::{AssumedRole, AssumedRoleCredentials};
use super::error::{apigateway, classify, ec2, sts};
use super::Aws;
use crate::error::{Error, Result};
use crate::ids::ApiId;
use crate::model::{ApiRecord, EndpointRecord, MethodAuth, StageExport, StageRecord};

/// Attempts per request before a throttled or failing read is given up on;
/// adaptive mode also slows the client down when AWS throttles.
const MAX_ATTEMPTS: u32 = 10;

/// Counts each HTTP request before it goes out.
#[derive(Debug)]
struct Counting {
    inner: SharedHttpClient,
    sent: Arc<AtomicU64>,
}

#[derive(Debug)]
struct CountingConnector {
    inner: SharedHttpConnector,
    sent: Arc<AtomicU64>,
}

impl HttpConnector for CountingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.inner.call(request)
    }
}

impl HttpClient for Counting {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CountingConnector {
            inner: self.inner.http_connector(settings, components),
            sent: self.sent.clone(),
        })
    }
}

/// The scanning identity: the command's own credentials, counted and retried adaptively.
pub struct Fleet {
    pub(super) base: SdkConfig,
    sent: Arc<AtomicU64>,
}

impl Fleet {
    pub fn new(aws: &Aws) -> Result<Self> {
        let sent = Arc::new(AtomicU64::new(0));
        let inner = aws.config.http_client().ok_or_else(|| {
            Error::internal(
                "building the audit's HTTP client",
                "the AWS configuration has no HTTP client",
            )
        })?;
        let base = aws
            .config
            .clone()
            .into_builder()
            .http_client(SharedHttpClient::new(Counting {
                inner,
                sent: sent.clone(),
            }))
            .retry_config(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS))
            .build();
        super::retry::record_max_attempts(MAX_ATTEMPTS);
        Ok(Fleet { base, sent })
    }

    /// Requests sent so far by every client of this fleet.
    pub fn requests(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// The account the base credentials belong to.
    pub async fn own_account(&self) -> Result<String> {
        let out = aws_sdk_sts::Client::new(&self.base)
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| classify(sts::GetCallerIdentity, "STS", e))?;
        Ok(out.account().unwrap_or_default().to_owned())
    }

    /// The base identity itself, for scanning its own account.
    pub fn own(&self, account: &str) -> Account {
        Account {
            id: account.to_owned(),
            config: self.base.clone(),
        }
    }

    /// Assume `role_arn` now, so that an account whose role cannot be
    /// assumed is known before its scan starts; a scan that outlives the
    /// session assumes it again.
    pub async fn assume(&self, account: &str, role_arn: &str) -> Result<Account> {
        let role = AssumedRole::new(&self.base, role_arn, "xapi-audit");
        role.identity().await?;
        Ok(Account {
            id: account.to_owned(),
            config: self
                .base
                .clone()
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(AssumedRoleCredentials(role)))
                .build(),
        })
    }
}

/// Credentials for one account.
#[derive(Clone)]
pub struct Account {
    id: String,
    config: SdkConfig,
}

impl Account {
    /// Clients for one region. API Gateway's control-plane limits are per
    /// account and region, so its adaptive retry state (the client-side rate
    /// that slows down after a throttle) is kept per account and region too:
    /// one throttled account must not slow the others down.
    pub fn in_region(&self, region: &str) -> Aws {
        let config = self
            .config
            .clone()
            .into_builder()
            .region(Region::new(region.to_owned()))
            .build();
        let apigw = aws_sdk_apigateway::Client::from_conf(
            aws_sdk_apigateway::config::Builder::from(&config)
                .retry_partition(RetryPartition::new(format!(
                    "xapi-audit-apigateway-{}-{region}",
                    self.id
                )))
                .build(),
        );
        let aws = Aws::new(
            super::config::Loaded {
                config,
                assumed: None,
            },
            region.to_owned(),
        );
        // A fresh `Aws` has no API Gateway client yet, so this always takes.
        let _ = aws.apigw.set(apigw);
        aws
    }

    /// The regions enabled for this account, asked in `region`.
    pub async fn enabled_regions(&self, region: &str) -> Result<Vec<String>> {
        let aws = self.in_region(region);
        let out = aws
            .ec2()
            .describe_regions()
            .send()
            .await
            .map_err(|e| classify(ec2::DescribeRegions, region, e))?;
        let mut regions: Vec<String> = out
            .regions()
            .iter()
            .filter_map(|r| r.region_name().map(str::to_owned))
            .collect();
        regions.sort();
        Ok(regions)
    }
}

impl Aws {
    fn fleet_apigw(&self) -> &aws_sdk_apigateway::Client {
        self.apigw
            .get_or_init(|| aws_sdk_apigateway::Client::new(&self.config))
    }

    /// Every REST API of the region with its policy, endpoint configuration
    /// and tags, as GetRestApis lists them (no per-API read needed for those).
    pub async fn rest_api_records(&self) -> Result<Vec<ApiRecord>> {
        let pages: Vec<_> = self
            .fleet_apigw()
            .get_rest_apis()
            .limit(500)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetRestApis, "all", e))?;
        let mut apis: Vec<ApiRecord> = pages
            .iter()
            .flat_map(|p| p.items())
            .map(|a| {
                let config = a.endpoint_configuration();
                ApiRecord {
                    id: a.id().unwrap_or_default().to_owned(),
                    name: a.name().unwrap_or_default().to_owned(),
                    endpoint_types: super::apigw::endpoint_types(config),
                    vpc_endpoint_ids: config
                        .map(|c| c.vpc_endpoint_ids().to_vec())
                        .unwrap_or_default(),
                    policy: a.policy().filter(|p| !p.is_empty()).map(str::to_owned),
                    tags: super::tag_map(a.tags()),
                    stages: Vec::new(),
                    methods: None,
                }
            })
            .collect();
        apis.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(apis)
    }

    /// The API's stages with each one's deployment description: GetStages,
    /// then one GetDeployments listing (not one read per stage).
    pub async fn stage_records(&self, api_id: &str) -> Result<Vec<StageRecord>> {
        let stages = self
            .fleet_apigw()
            .get_stages()
            .rest_api_id(api_id)
            .send()
            .await
            .map_err(|e| classify(apigateway::GetStages, api_id, e))?;
        let mut records: Vec<StageRecord> = stages
            .item()
            .iter()
            .map(|s| StageRecord {
                name: s.stage_name().unwrap_or_default().to_owned(),
                deployment_id: s.deployment_id().map(str::to_owned),
                deployment_description: None,
                export: None,
            })
            .collect();
        records.sort_by(|a, b| a.name.cmp(&b.name));
        if records.iter().all(|r| r.deployment_id.is_none()) {
            return Ok(records);
        }
        let pages: Vec<_> = self
            .fleet_apigw()
            .get_deployments()
            .rest_api_id(api_id)
            .limit(500)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetDeployments, api_id, e))?;
        let descriptions: BTreeMap<&str, Option<&str>> = pages
            .iter()
            .flat_map(|p| p.items())
            .filter_map(|d| d.id().map(|id| (id, d.description())))
            .collect();
        for r in &mut records {
            r.deployment_description = r
                .deployment_id
                .as_deref()
                .and_then(|id| descriptions.get(id).copied().flatten())
                .map(str::to_owned);
        }
        Ok(records)
    }

    /// The policy `stage`'s deployment carries, from its export (one GetExport).
    pub async fn stage_export(&self, api_id: &str, stage: &str) -> Result<StageExport> {
        let id: ApiId = api_id.parse().map_err(|e: String| Error::Aws {
            operation: "GetExport",
            resource: format!("{api_id} stage {stage}"),
            code: "InvalidApiId".into(),
            message: e,
        })?;
        Ok(StageExport {
            policy: self.deployed_policy(&id, stage).await?,
        })
    }

    /// Every method's authorization, from one paginated GetResources with the methods embedded.
    pub async fn method_auths(&self, api_id: &str) -> Result<Vec<MethodAuth>> {
        let pages: Vec<_> = self
            .fleet_apigw()
            .get_resources()
            .rest_api_id(api_id)
            .embed("methods")
            .limit(500)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetResources, api_id, e))?;
        let mut methods: Vec<MethodAuth> = pages
            .iter()
            .flat_map(|p| p.items())
            .flat_map(|r| {
                let path = r.path().unwrap_or_default().to_owned();
                r.resource_methods()
                    .into_iter()
                    .flatten()
                    .map(move |(verb, m)| MethodAuth {
                        path: path.clone(),
                        method: verb.clone(),
                        authorization_type: m.authorization_type().unwrap_or("NONE").to_owned(),
                        api_key_required: m.api_key_required().unwrap_or(false),
                    })
            })
            .collect();
        methods.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        Ok(methods)
    }

    /// The region's execute-api interface endpoints, as the audit records them.
    pub async fn endpoint_records(&self) -> Result<Vec<EndpointRecord>> {
        Ok(self
            .execute_api_endpoints(None)
            .await?
            .into_iter()
            .map(|e| EndpointRecord {
                id: e.id,
                vpc_id: e.vpc_id,
                owner_id: e.owner_id,
                state: e.state,
            })
            .collect())
    }
}
