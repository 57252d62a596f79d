//! VPC endpoint services: the producer side of PrivateLink.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, ResourceType, ServiceConfiguration, TagSpecification};

use super::error::{classify, ec2};
use super::Aws;
use crate::error::{Error, Result};
use crate::model::{EndpointConnection, EndpointService};

fn service_from(s: &ServiceConfiguration) -> EndpointService {
    EndpointService {
        id: s.service_id().unwrap_or_default().to_owned(),
        service_name: s.service_name().unwrap_or_default().to_owned(),
        state: s
            .service_state()
            .map(|st| st.as_str().to_ascii_lowercase())
            .unwrap_or_default(),
        acceptance_required: s.acceptance_required().unwrap_or(false),
        load_balancer_arns: s.network_load_balancer_arns().to_vec(),
        tags: s
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                ))
            })
            .collect::<BTreeMap<_, _>>(),
    }
}

impl Aws {
    /// Endpoint services this account provides carrying `key=value`, sorted by id.
    pub async fn tagged_endpoint_services(
        &self,
        key: &str,
        value: &str,
    ) -> Result<Vec<EndpointService>> {
        let pages: Vec<_> = self
            .ec2()
            .describe_vpc_endpoint_service_configurations()
            .filters(
                Filter::builder()
                    .name(format!("tag:{key}"))
                    .values(value)
                    .build(),
            )
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| {
                classify(
                    ec2::DescribeVpcEndpointServiceConfigurations,
                    format!("tag {key}={value}"),
                    e,
                )
            })?;
        let mut services: Vec<EndpointService> = pages
            .iter()
            .flat_map(|p| p.service_configurations())
            .map(service_from)
            // Checked again here: a filter an implementation ignores must not widen the match.
            .filter(|s| s.tags.get(key).map(String::as_str) == Some(value))
            .collect();
        services.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(services)
    }

    pub async fn create_endpoint_service(
        &self,
        nlb_arn: &str,
        tag_pairs: &[(String, String)],
        client_token: &str,
    ) -> Result<EndpointService> {
        let mut tags = TagSpecification::builder().resource_type(ResourceType::VpcEndpointService);
        for (k, v) in tag_pairs {
            tags = tags.tags(aws_sdk_ec2::types::Tag::builder().key(k).value(v).build());
        }
        let out = self
            .ec2()
            .create_vpc_endpoint_service_configuration()
            .network_load_balancer_arns(nlb_arn)
            // Every consumer's endpoint waits for the producer to accept it:
            // being an allowed principal alone does not let a consumer in.
            .acceptance_required(true)
            .tag_specifications(tags.build())
            .client_token(client_token)
            .send()
            .await
            .map_err(|e| classify(ec2::CreateVpcEndpointServiceConfiguration, nlb_arn, e))?;
        out.service_configuration()
            .map(service_from)
            .ok_or_else(|| Error::Aws {
                operation: "CreateVpcEndpointServiceConfiguration",
                resource: nlb_arn.to_owned(),
                code: "EmptyResponse".into(),
                message: "the response named no endpoint service".into(),
            })
    }

    /// Allowed principals (ARNs), sorted.
    pub async fn allowed_principals(&self, service_id: &str) -> Result<Vec<String>> {
        let pages: Vec<_> = self
            .ec2()
            .describe_vpc_endpoint_service_permissions()
            .service_id(service_id)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ec2::DescribeVpcEndpointServicePermissions, service_id, e))?;
        let mut principals: Vec<String> = pages
            .iter()
            .flat_map(|p| p.allowed_principals())
            .filter_map(|p| p.principal().map(str::to_owned))
            .collect();
        principals.sort();
        principals.dedup();
        Ok(principals)
    }

    /// Consumers' endpoints connected to the service, in any state.
    pub async fn endpoint_connections(&self, service_id: &str) -> Result<Vec<EndpointConnection>> {
        let pages: Vec<_> = self
            .ec2()
            .describe_vpc_endpoint_connections()
            .filters(
                Filter::builder()
                    .name("service-id")
                    .values(service_id)
                    .build(),
            )
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ec2::DescribeVpcEndpointConnections, service_id, e))?;
        let mut connections: Vec<EndpointConnection> = pages
            .iter()
            .flat_map(|p| p.vpc_endpoint_connections())
            .filter(|c| c.service_id().is_none_or(|id| id == service_id))
            .map(|c| EndpointConnection {
                vpce_id: c.vpc_endpoint_id().unwrap_or_default().to_owned(),
                owner: c.vpc_endpoint_owner().unwrap_or_default().to_owned(),
                state: c
                    .vpc_endpoint_state()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
            })
            .collect();
        connections.sort();
        Ok(connections)
    }

    /// Accept connection requests; returns the ones AWS refused, with its reason.
    pub async fn accept_endpoint_connections(
        &self,
        service_id: &str,
        vpce_ids: &[String],
    ) -> Result<Vec<(String, String)>> {
        let out = self
            .ec2()
            .accept_vpc_endpoint_connections()
            .service_id(service_id)
            .set_vpc_endpoint_ids(Some(vpce_ids.to_vec()))
            .send()
            .await
            .map_err(|e| classify(ec2::AcceptVpcEndpointConnections, service_id, e))?;
        Ok(out
            .unsuccessful()
            .iter()
            .map(|u| {
                let why = u.error().and_then(|e| e.message()).unwrap_or("refused");
                (
                    u.resource_id().unwrap_or_default().to_owned(),
                    why.to_owned(),
                )
            })
            .collect())
    }

    /// Reject (cut) consumers' endpoint connections, accepted or waiting;
    /// returns the ones AWS refused, with its reason.
    pub async fn reject_endpoint_connections(
        &self,
        service_id: &str,
        vpce_ids: &[String],
    ) -> Result<Vec<(String, String)>> {
        let out = self
            .ec2()
            .reject_vpc_endpoint_connections()
            .service_id(service_id)
            .set_vpc_endpoint_ids(Some(vpce_ids.to_vec()))
            .send()
            .await
            .map_err(|e| classify(ec2::RejectVpcEndpointConnections, service_id, e))?;
        Ok(out
            .unsuccessful()
            .iter()
            .map(|u| {
                let why = u.error().and_then(|e| e.message()).unwrap_or("refused");
                (
                    u.resource_id().unwrap_or_default().to_owned(),
                    why.to_owned(),
                )
            })
            .collect())
    }

    pub async fn modify_allowed_principals(
        &self,
        service_id: &str,
        add: &[String],
        remove: &[String],
    ) -> Result<()> {
        if add.is_empty() && remove.is_empty() {
            return Ok(());
        }
        let mut req = self
            .ec2()
            .modify_vpc_endpoint_service_permissions()
            .service_id(service_id);
        if !add.is_empty() {
            req = req.set_add_allowed_principals(Some(add.to_vec()));
        }
        if !remove.is_empty() {
            req = req.set_remove_allowed_principals(Some(remove.to_vec()));
        }
        req.send()
            .await
            .map_err(|e| classify(ec2::ModifyVpcEndpointServicePermissions, service_id, e))?;
        Ok(())
    }

    pub async fn delete_endpoint_service(&self, service_id: &str) -> Result<()> {
        let out = self
            .ec2()
            .delete_vpc_endpoint_service_configurations()
            .service_ids(service_id)
            .send()
            .await
            .map_err(|e| classify(ec2::DeleteVpcEndpointServiceConfigurations, service_id, e))?;
        // The call succeeds as a whole and reports per-service failures in its body.
        if let Some(item) = out.unsuccessful().first() {
            let err = item.error();
            return Err(Error::Aws {
                operation: "DeleteVpcEndpointServiceConfigurations",
                resource: service_id.to_owned(),
                code: err.and_then(|e| e.code()).unwrap_or("Unknown").to_owned(),
                message: err
                    .and_then(|e| e.message())
                    .unwrap_or("no message")
                    .to_owned(),
            });
        }
        Ok(())
    }
}
