//! The internal network load balancer of a stack: how it is observed, once,
//! for `wire-regional-front` and `mtls deploy` (its tags, cross-zone setting
//! and listeners beside it). Its planner is [`crate::plan::nlb`], its
//! applier [`crate::infra::nlb`].

use super::Patience;
use crate::aws::Aws;
use crate::error::Result;
use crate::plan::nlb::ObservedNlb;
use crate::poll::{poll_until, Poll};

/// The load balancer named `name`, then its tags, cross-zone setting and
/// listeners side by side; `None` when there is none.
pub async fn observe(aws: &Aws, name: &str) -> Result<Option<ObservedNlb>> {
    let Some(lb) = aws.load_balancer(name).await? else {
        return Ok(None);
    };
    let (mut tags, cross_zone, listeners) = tokio::try_join!(
        aws.elb_tags(std::slice::from_ref(&lb.arn)),
        aws.cross_zone_enabled(&lb.arn),
        aws.listeners(&lb.arn)
    )?;
    Ok(Some(ObservedNlb {
        tags: tags.remove(&lb.arn).unwrap_or_default(),
        cross_zone,
        listeners,
        lb,
    }))
}

/// Delete the load balancer `arn` and wait until it is gone: its listeners
/// hold its target groups until then.
pub async fn delete(aws: &Aws, arn: &str, name: &str, patience: &Patience<'_>) -> Result<()> {
    aws.delete_load_balancer(arn).await?;
    let wait = patience.wait(format!("load balancer {name} to be deleted"));
    poll_until(wait, || async {
        Ok(match aws.load_balancer(arn).await? {
            None => Poll::Ready(()),
            Some(lb) => Poll::Pending(lb.state),
        })
    })
    .await
}
