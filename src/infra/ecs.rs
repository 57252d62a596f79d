//! The mTLS proxy's ECS cluster, service and task definitions: how they are
//! deleted. A service drains before it is gone, and its tasks hold the
//! target group and the security group until then.

use super::Patience;
use crate::aws::Aws;
use crate::error::Result;
use crate::poll::{poll_until, Poll};

/// Delete the service `service` of `cluster` and wait until it is neither
/// active nor draining.
pub async fn delete_service(
    aws: &Aws,
    cluster: &str,
    service: &str,
    name: &str,
    patience: &Patience<'_>,
) -> Result<()> {
    aws.delete_ecs_service(cluster, service).await?;
    let wait = patience.wait(format!("ECS service {name} to be deleted"));
    poll_until(wait, || async {
        Ok(match aws.ecs_service(cluster, service).await? {
            Some(s) if s.is_active() || s.status == "DRAINING" => Poll::Pending(s.status),
            _ => Poll::Ready(()),
        })
    })
    .await
}

pub async fn delete_cluster(aws: &Aws, cluster: &str) -> Result<()> {
    aws.delete_ecs_cluster(cluster).await
}

pub async fn deregister_task_definition(aws: &Aws, arn: &str) -> Result<()> {
    aws.deregister_task_definition(arn).await
}
