//! Waits for resources AWS finishes in the background, each one look at a
//! time through [`crate::poll::poll_until`].

use std::time::Duration;

use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{Endpoint, LinkVersion, LoadBalancer, VpcLink};
use crate::output;
use crate::poll::{poll_until, Poll, Wait};

/// Wait until a new load balancer is active: a VPC link or an endpoint
/// service made while it is still provisioning fails.
pub async fn load_balancer_active(
    ctx: &Context,
    aws: &Aws,
    lb: &LoadBalancer,
    timeout: Duration,
) -> Result<()> {
    let wait = Wait {
        what: format!("load balancer {} to become active", lb.name),
        timeout,
        hint: "re-run the command later: what exists is reused".into(),
        ctx: Some(ctx),
    };
    poll_until(wait, || async {
        let Some(now) = aws.load_balancer(&lb.arn).await? else {
            return Err(Error::not_found(
                format!("load balancer {}", lb.name),
                "it disappeared while starting",
            ));
        };
        match now.state.as_str() {
            "active" => Ok(Poll::Ready(())),
            "failed" => Err(Error::Aws {
                operation: "CreateLoadBalancer",
                resource: lb.name.clone(),
                code: "LoadBalancerFailed".into(),
                message: "the load balancer went to state failed; delete it with `xapi teardown --stack <name>` and re-run".into(),
            }),
            other => Ok(Poll::Pending(other.to_owned())),
        }
    })
    .await
}

/// Wait until the link is AVAILABLE; FAILED carries AWS's status message.
/// `link` is the state already read, so a link that is already available costs no call.
/// An INACTIVE v2 link (60 days without traffic) comes back on its next
/// calls and nothing else wakes it, so it counts as ready; `doctor` warns.
pub async fn vpc_link_available(
    ctx: &Context,
    aws: &Aws,
    link: VpcLink,
    timeout: Duration,
) -> Result<VpcLink> {
    let (id, version) = (link.id.clone(), link.version);
    let cli = version.cli_service();
    let wait = Wait {
        what: format!("VPC link {id} to become AVAILABLE"),
        timeout,
        hint: format!(
            "links can take minutes: check that the load balancer is active, then re-run (the link is reused) or watch `aws {cli} get-vpc-link --vpc-link-id {id}`"
        ),
        ctx: Some(ctx),
    };
    let first = std::cell::Cell::new(Some(link));
    poll_until(wait, || async {
        let current = match first.take() {
            Some(l) => l,
            None => aws.vpc_link(&id, version).await?,
        };
        match current.status.as_str() {
            "AVAILABLE" | "INACTIVE" => Ok(Poll::Ready(current)),
            "FAILED" => Err(Error::Aws {
                operation: "CreateVpcLink",
                resource: current.id.clone(),
                code: "VpcLinkFailed".into(),
                message: format!(
                    "{}; delete it (`aws {cli} delete-vpc-link --vpc-link-id {}`), check {}, and re-run",
                    current.status_message.as_deref().unwrap_or("no status message"),
                    current.id,
                    match version {
                        LinkVersion::V1 => "that the load balancer is an active network load balancer",
                        LinkVersion::V2 => "that its subnets are in Availability Zones VPC links v2 support and have free addresses",
                    }
                ),
            }),
            other => Ok(Poll::Pending(other.to_owned())),
        }
    })
    .await
}

/// Wait until a new endpoint is available. An endpoint service that requires
/// acceptance holds the endpoint until its producer accepts, which can take
/// days, so `pendingAcceptance` ends the wait with a note.
pub async fn endpoint_available(
    ctx: &Context,
    aws: &Aws,
    created: Endpoint,
    timeout: Duration,
) -> Result<Endpoint> {
    let id: crate::ids::VpceId = created.id.parse().map_err(|e: String| {
        Error::Unverified(format!("AWS returned an endpoint id xapi cannot read: {e}"))
    })?;
    let wait = Wait {
        what: format!("{id} to become available"),
        timeout,
        hint: format!(
            "it may still finish: check with `xapi endpoint show {id}`, then re-run (the endpoint is reused)"
        ),
        ctx: Some(ctx),
    };
    let first = std::cell::Cell::new(Some(created));
    let ready = poll_until(wait, || async {
        let current = match first.take() {
            Some(e) => e,
            None => aws.endpoint(&id).await?,
        };
        let pending = current.state.eq_ignore_ascii_case("pendingacceptance");
        if current.is_available() || pending {
            return Ok(Poll::Ready(current));
        }
        if !current.is_live() {
            return Err(Error::Aws {
                operation: "CreateVpcEndpoint",
                resource: id.to_string(),
                code: "EndpointFailed".into(),
                message: format!(
                    "the endpoint went to state {}; see `xapi endpoint show {id}`",
                    current.state
                ),
            });
        }
        Ok(Poll::Pending(current.state))
    })
    .await?;
    if ready.state.eq_ignore_ascii_case("pendingacceptance") {
        output::note(&format!(
            "{id} waits for the endpoint service's owner to accept the connection"
        ));
    }
    Ok(ready)
}
