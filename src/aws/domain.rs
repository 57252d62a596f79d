//! API Gateway custom domain names, private ones above all: every call on a
//! domain takes a [`DomainArn`], so none can go out without the
//! `domainNameId` (without it AWS acts on the public domain of the same name).

use aws_sdk_apigateway::types::{
    EndpointConfiguration, EndpointType, Op, PatchOperation, ResourceOwner, RoutingMode,
    SecurityPolicy,
};

use aws_smithy_types::retry::RetryConfig;

use super::error::{apigateway, classify};
use super::Aws;
use crate::error::Result;
use crate::ids::{CertificateArn, DomainArn};
use crate::model::{BasePathMapping, DomainName, EMPTY_BASE_PATH};

/// The crate's view of any of the SDK's domain shapes (create, get, list):
/// they carry the same getters.
macro_rules! domain_of {
    ($d:expr) => {
        DomainName {
            name: $d.domain_name().unwrap_or_default().to_owned(),
            id: $d.domain_name_id().unwrap_or_default().to_owned(),
            arn: $d.domain_name_arn().unwrap_or_default().to_owned(),
            endpoint_types: super::apigw::endpoint_types($d.endpoint_configuration()),
            status: $d.domain_name_status().map(|s| s.as_str().to_owned()),
            status_message: $d
                .domain_name_status_message()
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            certificate_arn: $d.certificate_arn().map(str::to_owned),
            security_policy: $d.security_policy().map(|s| s.as_str().to_owned()),
            policy: $d.policy().filter(|p| !p.is_empty()).map(str::to_owned),
            management_policy: $d
                .management_policy()
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
            tags: super::tag_map($d.tags()),
        }
    };
}

/// A private custom domain name to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrivateDomain {
    pub name: String,
    pub certificate_arn: CertificateArn,
    /// The execute-api policy it starts with.
    pub policy: String,
    pub tags: Vec<(String, String)>,
}

/// Whose domains a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainOwner {
    /// This account's own domains.
    Mine,
    /// Domains other accounts share with this one (name, id and ARN only).
    Shared,
}

impl Aws {
    /// Every domain name of `owner`, all pages.
    pub async fn domain_names(&self, owner: DomainOwner) -> Result<Vec<DomainName>> {
        let owner = match owner {
            DomainOwner::Mine => ResourceOwner::SelfValue,
            DomainOwner::Shared => ResourceOwner::OtherAccounts,
        };
        let pages: Vec<_> = self
            .apigw()
            .get_domain_names()
            .resource_owner(owner)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetDomainNames, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.items())
            .map(|d| domain_of!(d))
            .collect())
    }

    pub async fn domain_name(&self, arn: &DomainArn) -> Result<DomainName> {
        let out = self
            .apigw()
            .get_domain_name()
            .domain_name(arn.name())
            .domain_name_id(arn.id())
            .send()
            .await
            .map_err(|e| classify(apigateway::GetDomainName, arn.to_string(), e))?;
        Ok(domain_of!(out))
    }

    /// A PRIVATE domain with `certificateArn` (a private domain refuses
    /// `regionalCertificateArn`), TLS 1.2, routed by base path mappings.
    /// Sent once, with no SDK retry: CreateDomainName takes no idempotency
    /// token and names are not unique, so a retry after a lost answer could
    /// make a second domain. [`crate::infra::domain::create`] looks before
    /// it tries again.
    pub async fn create_private_domain(&self, spec: &NewPrivateDomain) -> Result<DomainName> {
        let out = self
            .apigw()
            .create_domain_name()
            .domain_name(&spec.name)
            .certificate_arn(spec.certificate_arn.as_str())
            .endpoint_configuration(
                EndpointConfiguration::builder()
                    .types(EndpointType::Private)
                    .build(),
            )
            .security_policy(SecurityPolicy::Tls12)
            .routing_mode(RoutingMode::BasePathMappingOnly)
            .policy(&spec.policy)
            .set_tags(Some(spec.tags.iter().cloned().collect()))
            .customize()
            .config_override(
                aws_sdk_apigateway::Config::builder().retry_config(RetryConfig::disabled()),
            )
            .send()
            .await
            .map_err(|e| classify(apigateway::CreateDomainName, &spec.name, e))?;
        Ok(domain_of!(out))
    }

    /// Replace the domain's whole execute-api policy.
    pub async fn put_domain_policy(&self, arn: &DomainArn, policy: &str) -> Result<()> {
        self.apigw()
            .update_domain_name()
            .domain_name(arn.name())
            .domain_name_id(arn.id())
            .patch_operations(
                PatchOperation::builder()
                    .op(Op::Replace)
                    .path("/policy")
                    .value(policy)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| {
                classify(
                    apigateway::UpdateDomainName.labelled("UpdateDomainName /policy"),
                    arn.to_string(),
                    e,
                )
            })?;
        Ok(())
    }

    /// Deleting a domain also deletes its base path mappings.
    pub async fn delete_domain_name(&self, arn: &DomainArn) -> Result<()> {
        self.apigw()
            .delete_domain_name()
            .domain_name(arn.name())
            .domain_name_id(arn.id())
            .send()
            .await
            .map_err(|e| classify(apigateway::DeleteDomainName, arn.to_string(), e))?;
        Ok(())
    }

    pub async fn base_path_mappings(&self, arn: &DomainArn) -> Result<Vec<BasePathMapping>> {
        let pages: Vec<_> = self
            .apigw()
            .get_base_path_mappings()
            .domain_name(arn.name())
            .domain_name_id(arn.id())
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(apigateway::GetBasePathMappings, arn.to_string(), e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.items())
            .map(|m| BasePathMapping {
                base_path: m
                    .base_path()
                    .filter(|p| !p.is_empty())
                    .unwrap_or(EMPTY_BASE_PATH)
                    .to_owned(),
                api_id: m.rest_api_id().unwrap_or_default().to_owned(),
                stage: m.stage().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    pub async fn create_base_path_mapping(
        &self,
        arn: &DomainArn,
        mapping: &BasePathMapping,
    ) -> Result<()> {
        let base_path = Some(mapping.base_path.as_str()).filter(|p| *p != EMPTY_BASE_PATH);
        self.apigw()
            .create_base_path_mapping()
            .domain_name(arn.name())
            .domain_name_id(arn.id())
            .rest_api_id(&mapping.api_id)
            .stage(&mapping.stage)
            .set_base_path(base_path.map(str::to_owned))
            .send()
            .await
            .map_err(|e| classify(apigateway::CreateBasePathMapping, arn.to_string(), e))?;
        Ok(())
    }
}
