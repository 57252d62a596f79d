use std::time::Duration;

use aws_sdk_apigateway::types::{
    ConnectionType, EndpointConfiguration, EndpointType, IntegrationType, Op, PatchOperation,
};

use super::error::{apigateway, classify, Operation};
use super::Aws;
use crate::error::{Error, Result};
use crate::ids::{ApiId, VpceId};

/// Description of every front API xapi makes: its ownership marker.
pub const FRONT_DESCRIPTION: &str =
    "Regional front door to a private API, made by xapi wire-regional-front";
use crate::model::{
    ApiResource, ApiShape, Deployment, ExportedStage, Integration, IntegrationShape, LinkVersion,
    MethodShape, RestApi, RestApiSummary, Stage, VpcLink, FRONT_METHOD,
};

/// A REST API's or a domain's endpoint types (`PRIVATE`, `REGIONAL`, `EDGE`).
pub(super) fn endpoint_types(config: Option<&EndpointConfiguration>) -> Vec<String> {
    config
        .map(|c| c.types().iter().map(|t| t.as_str().to_owned()).collect())
        .unwrap_or_default()
}

/// API Gateway allows one CreateDeployment per 5 seconds per account.
const DEPLOY_THROTTLE_WAIT: Duration = Duration::from_secs(5);
const DEPLOY_ATTEMPTS: u32 = 8;

impl Aws {
    pub(super) fn apigw(&self) -> &aws_sdk_apigateway::Client {
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
            .map_err(|e| classify(apigateway::GetRestApi, id.as_str(), e))?;
        let config = out.endpoint_configuration();
        Ok(RestApi {
            id: out.id().unwrap_or(id.as_str()).to_owned(),
            name: out.name().unwrap_or_default().to_owned(),
            endpoint_types: endpoint_types(config),
            vpc_endpoint_ids: config
                .map(|c| c.vpc_endpoint_ids().to_vec())
                .unwrap_or_default(),
            policy: out.policy().filter(|p| !p.is_empty()).map(str::to_owned),
            tags: super::tag_map(out.tags()),
        })
    }

    pub async fn stages(&self, id: &ApiId) -> Result<Vec<Stage>> {
        let out = self
            .apigw()
            .get_stages()
            .rest_api_id(id.as_str())
            .send()
            .await
            .map_err(|e| classify(apigateway::GetStages, id.as_str(), e))?;
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
                    apigateway::GetDeployment,
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
        self.patch_rest_api(
            id,
            apigateway::UpdateRestApi.labelled("UpdateRestApi /policy"),
            Op::Replace,
            "/policy",
            policy,
        )
        .await
    }

    /// Associate (`add`) or disassociate (`remove`) a VPC endpoint with the API.
    pub async fn set_vpce_association(
        &self,
        id: &ApiId,
        vpce: &VpceId,
        associate: bool,
    ) -> Result<()> {
        let op = if associate { Op::Add } else { Op::Remove };
        self.patch_rest_api(
            id,
            apigateway::UpdateRestApi
                .labelled("UpdateRestApi /endpointConfiguration/vpcEndpointIds"),
            op,
            "/endpointConfiguration/vpcEndpointIds",
            vpce.as_str(),
        )
        .await
    }

    async fn patch_rest_api(
        &self,
        id: &ApiId,
        operation: Operation,
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
                Err(e) => match classify(
                    apigateway::CreateDeployment,
                    format!("{id} stage {stage}"),
                    e,
                ) {
                    Error::Throttled { .. } if attempt < DEPLOY_ATTEMPTS => {
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

/// The SDK describes a link with three generated types (list item, get and
/// create outputs) that share these accessors.
macro_rules! vpc_link_of {
    ($l:expr, $fallback_id:expr) => {
        VpcLink {
            id: $l.id().unwrap_or($fallback_id).to_owned(),
            name: $l.name().unwrap_or_default().to_owned(),
            version: LinkVersion::V1,
            target_arns: $l.target_arns().to_vec(),
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
            status: $l
                .status()
                .map(|s| s.as_str().to_ascii_uppercase())
                .unwrap_or_default(),
            status_message: $l
                .status_message()
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            tags: super::tag_map($l.tags()),
        }
    };
}

/// What the HTTP_PROXY integration of a front-door method is asked to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProxyIntegration {
    pub uri: String,
    pub connection_id: String,
    /// The load balancer a v2 link connects to (`integrationTarget`); `None` for v1.
    pub integration_target: Option<String>,
    pub request_parameters: Vec<(String, String)>,
}

impl Aws {
    /// Every VPC link of both kinds; the two listings run side by side.
    pub async fn vpc_links(&self) -> Result<Vec<VpcLink>> {
        let (mut v1, v2) = tokio::try_join!(self.vpc_links_v1(), self.vpc_links_v2())?;
        v1.extend(v2);
        Ok(v1)
    }

    /// The link `id` of the kind it is known to be.
    pub async fn vpc_link(&self, id: &str, version: LinkVersion) -> Result<VpcLink> {
        match version {
            LinkVersion::V1 => self.vpc_link_v1(id).await,
            LinkVersion::V2 => self.vpc_link_v2(id).await,
        }
    }

    /// The link `id` of whichever kind holds it: an integration's
    /// `connectionId` does not say. Both kinds are asked at once; a
    /// `NotFound` from both is the answer `NotFound`.
    pub async fn find_vpc_link(&self, id: &str) -> Result<VpcLink> {
        let (v1, v2) = tokio::join!(self.vpc_link_v1(id), self.vpc_link_v2(id));
        match (v1, v2) {
            (Ok(l), _) | (_, Ok(l)) => Ok(l),
            (Err(Error::NotFound { .. }), Err(e)) | (Err(e), _) => Err(e),
        }
    }

    pub async fn delete_vpc_link(&self, id: &str, version: LinkVersion) -> Result<()> {
        match version {
            LinkVersion::V1 => self.delete_vpc_link_v1(id).await,
            LinkVersion::V2 => self.delete_vpc_link_v2(id).await,
        }
    }

    async fn vpc_links_v1(&self) -> Result<Vec<VpcLink>> {
        let pages: Vec<_> = self
            .apigw()
            .get_vpc_links()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetVpcLinks, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.items())
            .map(|l| vpc_link_of!(l, ""))
            .collect())
    }

    async fn vpc_link_v1(&self, id: &str) -> Result<VpcLink> {
        let out = self
            .apigw()
            .get_vpc_link()
            .vpc_link_id(id)
            .send()
            .await
            .map_err(|e| classify(apigateway::GetVpcLink, id, e))?;
        Ok(vpc_link_of!(out, id))
    }

    pub async fn create_vpc_link(
        &self,
        name: &str,
        nlb_arn: &str,
        tags: &[(String, String)],
    ) -> Result<VpcLink> {
        let out = self
            .apigw()
            .create_vpc_link()
            .name(name)
            .target_arns(nlb_arn)
            .set_tags(Some(tags.iter().cloned().collect()))
            .send()
            .await
            .map_err(|e| classify(apigateway::CreateVpcLink, name, e))?;
        Ok(vpc_link_of!(out, ""))
    }

    async fn delete_vpc_link_v1(&self, id: &str) -> Result<()> {
        self.apigw()
            .delete_vpc_link()
            .vpc_link_id(id)
            .send()
            .await
            .map_err(|e| classify(apigateway::DeleteVpcLink, id, e))?;
        Ok(())
    }

    pub async fn rest_apis(&self) -> Result<Vec<RestApiSummary>> {
        let pages: Vec<_> = self
            .apigw()
            .get_rest_apis()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetRestApis, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.items())
            .map(|a| RestApiSummary {
                id: a.id().unwrap_or_default().to_owned(),
                name: a.name().unwrap_or_default().to_owned(),
                endpoint_types: endpoint_types(a.endpoint_configuration()),
                tags: super::tag_map(a.tags()),
            })
            .collect())
    }

    /// Also what teardown checks, with the stack tag, before deleting a REST API.
    pub async fn create_regional_api(
        &self,
        name: &str,
        tags: &[(String, String)],
    ) -> Result<String> {
        let out = self
            .apigw()
            .create_rest_api()
            .name(name)
            .description(FRONT_DESCRIPTION)
            .endpoint_configuration(
                EndpointConfiguration::builder()
                    .types(EndpointType::Regional)
                    .build(),
            )
            .set_tags(Some(tags.iter().cloned().collect()))
            .send()
            .await
            .map_err(|e| classify(apigateway::CreateRestApi, name, e))?;
        Ok(out.id().unwrap_or_default().to_owned())
    }

    pub async fn delete_rest_api(&self, id: &str) -> Result<()> {
        self.apigw()
            .delete_rest_api()
            .rest_api_id(id)
            .send()
            .await
            .map_err(|e| classify(apigateway::DeleteRestApi, id, e))?;
        Ok(())
    }

    pub async fn resources(&self, api_id: &ApiId) -> Result<Vec<ApiResource>> {
        let pages: Vec<_> = self
            .apigw()
            .get_resources()
            .rest_api_id(api_id.as_str())
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetResources, api_id.as_str(), e))?;
        let mut resources: Vec<ApiResource> = pages
            .iter()
            .flat_map(|p| p.items())
            .map(|r| ApiResource {
                id: r.id().unwrap_or_default().to_owned(),
                path: r.path().unwrap_or_default().to_owned(),
                methods: {
                    let mut m: Vec<String> = r
                        .resource_methods()
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                    m.sort();
                    m
                },
            })
            .collect();
        resources.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(resources)
    }

    pub async fn create_resource(
        &self,
        api_id: &ApiId,
        parent_id: &str,
        path_part: &str,
    ) -> Result<String> {
        let out = self
            .apigw()
            .create_resource()
            .rest_api_id(api_id.as_str())
            .parent_id(parent_id)
            .path_part(path_part)
            .send()
            .await
            .map_err(|e| {
                classify(
                    apigateway::CreateResource,
                    format!("{api_id} {path_part}"),
                    e,
                )
            })?;
        Ok(out.id().unwrap_or_default().to_owned())
    }

    /// The front door's method on a resource with the given `authorizationType` (`NONE`, `AWS_IAM`).
    pub async fn put_any_method_authorized(
        &self,
        api_id: &ApiId,
        resource_id: &str,
        path_param: Option<&str>,
        authorization: &str,
    ) -> Result<()> {
        let mut req = self
            .apigw()
            .put_method()
            .rest_api_id(api_id.as_str())
            .resource_id(resource_id)
            .http_method(FRONT_METHOD)
            .authorization_type(authorization);
        if let Some(p) = path_param {
            req = req.request_parameters(format!("method.request.path.{p}"), true);
        }
        req.send().await.map_err(|e| {
            classify(
                apigateway::PutMethod,
                format!("{api_id} {resource_id} {FRONT_METHOD}"),
                e,
            )
        })?;
        Ok(())
    }

    /// The integration of a method; `None` when the method has none.
    pub async fn integration(
        &self,
        api_id: &ApiId,
        resource_id: &str,
        method: &str,
    ) -> Result<Option<Integration>> {
        match self
            .apigw()
            .get_integration()
            .rest_api_id(api_id.as_str())
            .resource_id(resource_id)
            .http_method(method)
            .send()
            .await
        {
            Ok(i) => Ok(Some(Integration {
                integration_type: i
                    .r#type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                http_method: i.http_method().map(str::to_owned),
                uri: i.uri().map(str::to_owned),
                connection_type: i.connection_type().map(|c| c.as_str().to_owned()),
                connection_id: i
                    .connection_id()
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned),
                integration_target: i
                    .integration_target()
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned),
                request_parameters: i
                    .request_parameters()
                    .map(|p| p.clone().into_iter().collect())
                    .unwrap_or_default(),
            })),
            Err(e) => match classify(
                apigateway::GetIntegration,
                format!("{api_id} {resource_id} {method}"),
                e,
            ) {
                Error::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    pub async fn put_proxy_integration(
        &self,
        api_id: &ApiId,
        resource_id: &str,
        spec: &NewProxyIntegration,
    ) -> Result<()> {
        self.apigw()
            .put_integration()
            .rest_api_id(api_id.as_str())
            .resource_id(resource_id)
            .http_method(FRONT_METHOD)
            .integration_http_method(FRONT_METHOD)
            .r#type(IntegrationType::HttpProxy)
            .connection_type(ConnectionType::VpcLink)
            .connection_id(&spec.connection_id)
            .set_integration_target(spec.integration_target.clone())
            .uri(&spec.uri)
            .set_request_parameters(Some(spec.request_parameters.iter().cloned().collect()))
            .send()
            .await
            .map_err(|e| {
                classify(
                    apigateway::PutIntegration,
                    format!("{api_id} {resource_id} {FRONT_METHOD}"),
                    e,
                )
            })?;
        Ok(())
    }

    /// `authorizationType` of a method; `None` when there is no such method.
    pub async fn method_authorization(
        &self,
        api_id: &ApiId,
        resource_id: &str,
        method: &str,
    ) -> Result<Option<String>> {
        match self
            .apigw()
            .get_method()
            .rest_api_id(api_id.as_str())
            .resource_id(resource_id)
            .http_method(method)
            .send()
            .await
        {
            Ok(m) => Ok(Some(m.authorization_type().unwrap_or("NONE").to_owned())),
            Err(e) => match classify(
                apigateway::GetMethod,
                format!("{api_id} {resource_id} {method}"),
                e,
            ) {
                Error::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// Change an existing method's `authorizationType`.
    pub async fn set_method_authorization(
        &self,
        api_id: &ApiId,
        resource_id: &str,
        method: &str,
        authorization: &str,
    ) -> Result<()> {
        self.apigw()
            .update_method()
            .rest_api_id(api_id.as_str())
            .resource_id(resource_id)
            .http_method(method)
            .patch_operations(
                PatchOperation::builder()
                    .op(Op::Replace)
                    .path("/authorizationType")
                    .value(authorization)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| {
                classify(
                    apigateway::UpdateMethod,
                    format!("{api_id} {resource_id} {method}"),
                    e,
                )
            })?;
        Ok(())
    }

    /// A REST API's description (where xapi leaves its marker).
    pub async fn rest_api_description(&self, id: &str) -> Result<Option<String>> {
        let out = self
            .apigw()
            .get_rest_api()
            .rest_api_id(id)
            .send()
            .await
            .map_err(|e| classify(apigateway::GetRestApi, id, e))?;
        Ok(out.description().map(str::to_owned))
    }

    /// The resource policy a stage's deployment carries, from the stage's
    /// OpenAPI export with API Gateway extensions (`x-amazon-apigateway-policy`);
    /// `None` when the export carries none.
    pub async fn deployed_policy(&self, id: &ApiId, stage: &str) -> Result<Option<String>> {
        Ok(self.exported_stage(id, stage).await?.policy)
    }

    /// What a stage's deployment serves, from its OpenAPI export with API
    /// Gateway extensions: its policy and its methods.
    pub async fn exported_stage(&self, id: &ApiId, stage: &str) -> Result<ExportedStage> {
        let out = self
            .apigw()
            .get_export()
            .rest_api_id(id.as_str())
            .stage_name(stage)
            .export_type("oas30")
            .parameters("extensions", "apigateway")
            .accepts("application/json")
            .send()
            .await
            .map_err(|e| classify(apigateway::GetExport, format!("{id} stage {stage}"), e))?;
        let body = out.body().map(|b| b.as_ref()).unwrap_or_default();
        let doc: serde_json::Value = serde_json::from_slice(body).map_err(|e| Error::Aws {
            operation: "GetExport",
            resource: format!("{id} stage {stage}"),
            code: "UnreadableExport".into(),
            message: e.to_string(),
        })?;
        Ok(ExportedStage::from_json(&doc))
    }

    /// The draft's methods: what the next deployment of any stage publishes.
    pub async fn draft_methods(&self, id: &ApiId) -> Result<ApiShape> {
        let pages: Vec<_> = self
            .apigw()
            .get_resources()
            .rest_api_id(id.as_str())
            .embed("methods")
            .limit(500)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetResources, id.as_str(), e))?;
        let mut shape = ApiShape::new();
        for r in pages.iter().flat_map(|p| p.items()) {
            let path = r.path().unwrap_or_default();
            for (verb, m) in r.resource_methods().into_iter().flatten() {
                let integration = m.method_integration().map(|i| IntegrationShape {
                    kind: i
                        .r#type()
                        .map(|t| t.as_str().to_ascii_uppercase())
                        .unwrap_or_default(),
                    http_method: i.http_method().map(str::to_ascii_uppercase),
                    uri: i.uri().map(str::to_owned),
                    connection_type: i
                        .connection_type()
                        .map(|c| c.as_str().to_ascii_uppercase())
                        .unwrap_or_else(|| "INTERNET".into()),
                    connection_id: i
                        .connection_id()
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned),
                });
                shape.insert(
                    format!("{} {path}", verb.to_ascii_uppercase()),
                    MethodShape {
                        authorization: m.authorization_type().unwrap_or("NONE").to_owned(),
                        api_key_required: m.api_key_required().unwrap_or(false),
                        integration,
                    },
                );
            }
        }
        Ok(shape)
    }
}
