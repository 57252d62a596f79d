use std::time::Duration;

use aws_sdk_apigateway::types::{Op, PatchOperation};

use super::error::classify;
use super::Aws;
use crate::error::{Error, Result};
use crate::ids::ApiId;
use crate::model::{Deployment, RestApi, Stage};

/// API Gateway allows one CreateDeployment per 5 seconds per account.
const DEPLOY_THROTTLE_WAIT: Duration = Duration::from_secs(5);
const DEPLOY_ATTEMPTS: u32 = 8;

impl Aws {
    fn apigw(&self) -> &aws_sdk_apigateway::Client {
        self.apigw
            .get_or_init(|| aws_sdk_apigateway::Client::new(&self.config))
    }

    pub async fn rest_api(&self, id: &ApiId) -> Result<RestApi> {
        let out = self
            .apigw()
            .get_rest_api()
            .rest_api_id(id.as_str())
            .send()
            .await
            .map_err(|e| classify("GetRestApi", id.as_str(), e))?;
        let config = out.endpoint_configuration();
        Ok(RestApi {
            id: out.id().unwrap_or(id.as_str()).to_owned(),
            name: out.name().unwrap_or_default().to_owned(),
            endpoint_types: config
                .map(|c| c.types().iter().map(|t| t.as_str().to_owned()).collect())
                .unwrap_or_default(),
            vpc_endpoint_ids: config
                .map(|c| c.vpc_endpoint_ids().to_vec())
                .unwrap_or_default(),
            policy: out.policy().filter(|p| !p.is_empty()).map(str::to_owned),
        })
    }

    pub async fn stages(&self, id: &ApiId) -> Result<Vec<Stage>> {
        let out = self
            .apigw()
            .get_stages()
            .rest_api_id(id.as_str())
            .send()
            .await
            .map_err(|e| classify("GetStages", id.as_str(), e))?;
        let mut stages: Vec<Stage> = out
            .item()
            .iter()
            .map(|s| Stage {
                name: s.stage_name().unwrap_or_default().to_owned(),
                deployment_id: s.deployment_id().map(str::to_owned),
            })
            .collect();
        stages.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(stages)
    }

    pub async fn deployment(&self, id: &ApiId, deployment_id: &str) -> Result<Deployment> {
        let out = self
            .apigw()
            .get_deployment()
            .rest_api_id(id.as_str())
            .deployment_id(deployment_id)
            .send()
            .await
            .map_err(|e| {
                classify(
                    "GetDeployment",
                    format!("{id} deployment {deployment_id}"),
                    e,
                )
            })?;
        Ok(Deployment {
            id: out.id().unwrap_or(deployment_id).to_owned(),
            description: out.description().map(str::to_owned),
        })
    }

    /// Replace the whole resource policy (API Gateway has no partial write).
    pub async fn put_policy(&self, id: &ApiId, policy: &str) -> Result<()> {
        self.patch_rest_api(id, "UpdateRestApi /policy", Op::Replace, "/policy", policy)
            .await
    }

    /// Associate (`add`) or disassociate (`remove`) a VPC endpoint with the API.
    pub async fn set_vpce_association(
        &self,
        id: &ApiId,
        vpce: &str,
        associate: bool,
    ) -> Result<()> {
        let op = if associate { Op::Add } else { Op::Remove };
        self.patch_rest_api(
            id,
            "UpdateRestApi /endpointConfiguration/vpcEndpointIds",
            op,
            "/endpointConfiguration/vpcEndpointIds",
            vpce,
        )
        .await
    }

    async fn patch_rest_api(
        &self,
        id: &ApiId,
        operation: &'static str,
        op: Op,
        path: &str,
        value: &str,
    ) -> Result<()> {
        self.apigw()
            .update_rest_api()
            .rest_api_id(id.as_str())
            .patch_operations(
                PatchOperation::builder()
                    .op(op)
                    .path(path)
                    .value(value)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| classify(operation, id.as_str(), e))?;
        Ok(())
    }

    /// Deploy the API's current configuration to `stage`, waiting out
    /// API Gateway's deployment rate limit rather than failing on it.
    pub async fn create_deployment(
        &self,
        id: &ApiId,
        stage: &str,
        description: &str,
    ) -> Result<String> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self
                .apigw()
                .create_deployment()
                .rest_api_id(id.as_str())
                .stage_name(stage)
                .description(description)
                .send()
                .await;
            match result {
                Ok(out) => return Ok(out.id().unwrap_or_default().to_owned()),
                Err(e) => match classify("CreateDeployment", format!("{id} stage {stage}"), e) {
                    Error::Aws { code, .. }
                        if code == "TooManyRequestsException" && attempt < DEPLOY_ATTEMPTS =>
                    {
                        let jitter = Duration::from_millis(u64::from(std::process::id() % 1000));
                        tracing::debug!(stage, attempt, "deployment throttled; waiting");
                        tokio::time::sleep(DEPLOY_THROTTLE_WAIT + jitter).await;
                    }
                    other => return Err(other),
                },
            }
        }
    }
}
