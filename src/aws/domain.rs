//! API Gateway custom domain names, private ones above all: every call on a
//! domain takes a [`DomainArn`], so none can go out without the
//! `domainNameId` (without it AWS acts on the public domain of the same name).

use aws_sdk_apigateway::types::{
    AccessAssociationSourceType, EndpointConfiguration, EndpointType, Op, PatchOperation,
    ResourceOwner, RoutingMode, SecurityPolicy,
};

use aws_smithy_types::retry::RetryConfig;

use super::error::{apigateway, classify};
use super::Aws;
use crate::error::Result;
use crate::ids::{CertificateArn, DomainArn, VpceId};
use crate::model::{AccessAssociation, BasePathMapping, DomainName, EMPTY_BASE_PATH};

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
            endpoint_access_mode: $d.endpoint_access_mode().map(|m| m.as_str().to_owned()),
            policy: $d.policy().filter(|p| !p.is_empty()).map(str::to_owned),
            management_policy: $d
                .management_policy()
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
            tags: super::tag_map($d.tags()),
        }
    };
}

/// The crate's view of an access association, from the list's items or
/// the create's answer (same getters).
macro_rules! association_of {
    ($a:expr) => {
        AccessAssociation {
            arn: $a
                .domain_name_access_association_arn()
                .unwrap_or_default()
                .to_owned(),
            domain_arn: $a.domain_name_arn().unwrap_or_default().to_owned(),
            source: $a
                .access_association_source()
                .unwrap_or_default()
                .to_owned(),
            source_type: $a
                .access_association_source_type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            tags: super::tag_map($a.tags()),
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

/// Whose domains (or access associations) a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainOwner {
    /// This account's own domains; the associations this account made.
    Mine,
    /// Domains other accounts share with this one (name, id and ARN only);
    /// the associations other accounts made with this account's domains.
    Shared,
}

impl DomainOwner {
    fn resource_owner(self) -> ResourceOwner {
        match self {
            DomainOwner::Mine => ResourceOwner::SelfValue,
            DomainOwner::Shared => ResourceOwner::OtherAccounts,
        }
    }
}

impl Aws {
    /// Every domain name of `owner`, all pages.
    pub async fn domain_names(&self, owner: DomainOwner) -> Result<Vec<DomainName>> {
        let pages: Vec<_> = self
            .apigw()
            .get_domain_names()
            .resource_owner(owner.resource_owner())
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

    /// Every access association of `owner`, all pages (the SDK has no
    /// paginator for this call).
    pub async fn access_associations(&self, owner: DomainOwner) -> Result<Vec<AccessAssociation>> {
        Ok(self
            .access_associations_offered(owner)
            .await?
            .unwrap_or_default())
    }

    /// [`Aws::access_associations`], or `None` where the endpoint does not
    /// offer the operation at all (see [`super::error::is_unoffered`]): a
    /// stack's teardown then has no association to find.
    pub async fn access_associations_offered(
        &self,
        owner: DomainOwner,
    ) -> Result<Option<Vec<AccessAssociation>>> {
        let mut out = Vec::new();
        let mut position = None;
        loop {
            let sent = self
                .apigw()
                .get_domain_name_access_associations()
                .resource_owner(owner.resource_owner())
                .set_position(position)
                .send()
                .await;
            let page = match sent {
                Err(e) if super::error::is_unoffered(&e) => return Ok(None),
                sent => sent
                    .map_err(|e| classify(apigateway::GetDomainNameAccessAssociations, "all", e))?,
            };
            out.extend(page.items().iter().map(|a| association_of!(a)));
            position = page.position().filter(|p| !p.is_empty()).map(str::to_owned);
            if position.is_none() {
                return Ok(Some(out));
            }
        }
    }

    /// The consumer's half: allow `vpce` to reach the shared domain.
    pub async fn create_access_association(
        &self,
        domain: &DomainArn,
        vpce: &VpceId,
        tags: &[(String, String)],
    ) -> Result<AccessAssociation> {
        let out = self
            .apigw()
            .create_domain_name_access_association()
            .domain_name_arn(domain.to_string())
            .access_association_source_type(AccessAssociationSourceType::Vpce)
            .access_association_source(vpce.as_str())
            .set_tags(Some(tags.iter().cloned().collect()))
            .send()
            .await
            .map_err(|e| {
                classify(
                    apigateway::CreateDomainNameAccessAssociation,
                    format!("{domain} for {vpce}"),
                    e,
                )
            })?;
        Ok(association_of!(out))
    }

    /// The producer's half: refuse another account's association with its
    /// domain (a same-account one can only be deleted).
    pub async fn reject_access_association(&self, association: &AccessAssociation) -> Result<()> {
        self.apigw()
            .reject_domain_name_access_association()
            .domain_name_access_association_arn(&association.arn)
            .domain_name_arn(&association.domain_arn)
            .send()
            .await
            .map_err(|e| {
                classify(
                    apigateway::RejectDomainNameAccessAssociation,
                    &association.arn,
                    e,
                )
            })?;
        Ok(())
    }

    /// Only the association's own account can delete it.
    pub async fn delete_access_association(&self, association_arn: &str) -> Result<()> {
        self.apigw()
            .delete_domain_name_access_association()
            .domain_name_access_association_arn(association_arn)
            .send()
            .await
            .map_err(|e| {
                classify(
                    apigateway::DeleteDomainNameAccessAssociation,
                    association_arn,
                    e,
                )
            })?;
        Ok(())
    }
}
