//! VPC links, both kinds: a v1 link (apigateway) bound to one network load
//! balancer, and a v2 link (apigatewayv2) with interfaces in subnets under
//! security groups, each integration naming its load balancer. Used by
//! `wire-regional-front` and `vpc-link create`; planned by
//! [`crate::plan::vpc_link`].

use std::time::Duration;

use super::Patience;
use crate::aws::apigwv2::NewVpcLinkV2;
use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::VpcId;
use crate::model::{LinkVersion, LoadBalancer, VpcLink, HTTPS_PORT};
use crate::output;
use crate::plan::vpc_link::{link_for, GroupSteps};
use crate::poll::{poll_until, Poll};
use crate::stack::carries_stack;

/// Every VPC link in the region, both kinds (read side by side): what
/// `wire-regional-front`, `vpc-link`, `teardown` and doctor observe.
pub async fn observe_all(aws: &Aws) -> Result<Vec<VpcLink>> {
    aws.vpc_links().await
}

/// The link `id`, whichever kind it is.
pub async fn observe(aws: &Aws, id: &str) -> Result<VpcLink> {
    aws.find_vpc_link(id).await
}

/// A stack's links among `links`: the live v1 link bound to its load
/// balancer, and the live v2 link carrying its tag.
pub fn of_stack(
    links: Vec<VpcLink>,
    stack: &str,
    load_balancer_arn: Option<&str>,
) -> (Option<VpcLink>, Option<VpcLink>) {
    let v1 = load_balancer_arn
        .and_then(|arn| link_for(&links, arn))
        .cloned();
    let v2 = links
        .into_iter()
        .find(|l| l.version == LinkVersion::V2 && l.is_live() && carries_stack(&l.tags, stack));
    (v1, v2)
}

/// Make the link group and set its outbound rules as `steps` says; the
/// group's id, `None` when there is none (a link whose group was removed).
pub async fn apply_group(
    aws: &Aws,
    steps: &GroupSteps,
    tags: &[(String, String)],
) -> Result<Option<String>> {
    let group = match &steps.create {
        Some((vpc, name)) => {
            let vpc: VpcId = vpc.parse().map_err(Error::Unverified)?;
            output::note(&format!("creating security group {name}"));
            Some(
                aws.create_security_group(
                    &vpc,
                    name,
                    "xapi: a VPC link's interfaces, out TCP 443 only",
                    tags,
                )
                .await?,
            )
        }
        None => steps.existing.clone(),
    };
    if let Some(id) = &group {
        // Allow the one path first, then close the rest, so the link is
        // never left with no way out.
        if !steps.egress.is_empty() {
            aws.authorize_tcp_egress_to(
                id,
                HTTPS_PORT,
                &steps.egress,
                "xapi: from the VPC link to its load balancer",
                tags,
            )
            .await?;
        }
        if steps.revoke_open_egress {
            aws.revoke_open_egress(id).await?;
        }
    }
    Ok(group)
}

/// A v1 link to `lb`, made once the load balancer is active (a link made
/// while it is still provisioning fails).
pub async fn create_v1(
    ctx: &Context,
    aws: &Aws,
    name: &str,
    lb: &LoadBalancer,
    tags: &[(String, String)],
    timeout: Duration,
) -> Result<VpcLink> {
    crate::wait::load_balancer_active(ctx, aws, lb, timeout).await?;
    output::note(&format!("creating VPC link {name}"));
    aws.create_vpc_link(name, &lb.arn, tags).await
}

/// A v2 link; it cannot change afterwards.
pub async fn create_v2(aws: &Aws, spec: &NewVpcLinkV2) -> Result<VpcLink> {
    output::note(&format!("creating VPC link v2 {}", spec.name));
    aws.create_vpc_link_v2(spec).await
}

/// Delete a link of either kind and wait until it is gone: a v1 link holds
/// its load balancer, a v2 link's interfaces hold its security group.
pub async fn delete(
    aws: &Aws,
    id: &str,
    version: LinkVersion,
    patience: &Patience<'_>,
) -> Result<()> {
    aws.delete_vpc_link(id, version).await?;
    poll_until(
        patience.wait(format!("VPC link {id} to be deleted")),
        || async {
            match aws.vpc_link(id, version).await {
                Ok(l) => Ok(Poll::Pending(l.status)),
                Err(Error::NotFound { .. }) => Ok(Poll::Ready(())),
                Err(e) => Err(e),
            }
        },
    )
    .await
}
