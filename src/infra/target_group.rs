//! A stack's IP target group and its registered targets: how they are
//! observed, once, for `wire-regional-front` and `mtls deploy`. Its planner
//! is [`crate::plan::nlb`], its applier [`crate::infra::nlb`].

use crate::aws::Aws;
use crate::error::Result;
use crate::model::{registered_targets, TargetGroup, TargetHealth};
use crate::plan::nlb::ObservedTg;
use crate::plan::targets::TargetDiff;

/// The target group `name_or_arn` alone; `None` when there is none.
pub async fn find(aws: &Aws, name_or_arn: &str) -> Result<Option<TargetGroup>> {
    aws.target_group(name_or_arn).await
}

/// Every target registered in the group `arn`, with its health, draining
/// ones included: what doctor and `mtls show` judge.
pub async fn health(aws: &Aws, arn: &str) -> Result<Vec<TargetHealth>> {
    aws.target_health(arn).await
}

/// The target group named `name`, then its tags and the targets still
/// registered (not draining) side by side; `None` when there is none.
pub async fn observe(aws: &Aws, name: &str) -> Result<Option<ObservedTg>> {
    let Some(tg) = find(aws, name).await? else {
        return Ok(None);
    };
    let (mut tags, health) = tokio::try_join!(
        aws.elb_tags(std::slice::from_ref(&tg.arn)),
        health(aws, &tg.arn)
    )?;
    Ok(Some(ObservedTg {
        tags: tags.remove(&tg.arn).unwrap_or_default(),
        targets: registered_targets(health),
        tg,
    }))
}

/// Deregister, then register: the calls a target diff needs, nothing more.
pub async fn sync(aws: &Aws, arn: &str, diff: &TargetDiff) -> Result<()> {
    aws.deregister_targets(arn, &diff.deregister).await?;
    aws.register_targets(arn, &diff.register).await
}

/// Delete the target group `arn` (once no listener forwards to it).
pub async fn delete(aws: &Aws, arn: &str) -> Result<()> {
    aws.delete_target_group(arn).await
}
