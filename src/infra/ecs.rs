//! The mTLS proxy's ECS cluster, service and task definitions: how they are
//! made, rolled out and deleted. A service drains before it is gone, and its
//! tasks hold the target group and the security group until then.

use super::Patience;
use crate::aws::ecs::NewService;
use crate::aws::Aws;
use crate::error::Result;
use crate::model::TaskDefinition;
use crate::output;
use crate::poll::{poll_until, Poll};

/// Time for NGINX to start before failed health checks replace a task.
pub const HEALTH_GRACE_SECONDS: i32 = 60;

pub async fn create_cluster(aws: &Aws, name: &str, tags: &[(String, String)]) -> Result<()> {
    aws.create_ecs_cluster(name, tags).await?;
    output::note(&format!("created ECS cluster {name}"));
    Ok(())
}

/// Register `td` as the family's next revision; its ARN.
pub async fn register_task_definition(
    aws: &Aws,
    td: &TaskDefinition,
    tags: &[(String, String)],
) -> Result<String> {
    let made = aws.register_task_definition(td, tags).await?;
    output::note(&format!(
        "registered task definition {}:{}",
        made.family, made.revision
    ));
    Ok(made.arn)
}

/// Roll `service` out to the task definition `td_arn`.
pub async fn roll_out(aws: &Aws, cluster: &str, service: &str, td_arn: &str) -> Result<()> {
    aws.update_service_task_definition(cluster, service, td_arn)
        .await?;
    output::note(&format!("rolling {service} out to {td_arn}"));
    Ok(())
}

/// Start `service`'s tasks again: they read their secrets only when they start.
pub async fn restart(aws: &Aws, cluster: &str, service: &str) -> Result<()> {
    aws.force_new_deployment(cluster, service).await?;
    output::note(&format!(
        "restarting {service}'s tasks to load the new certificates"
    ));
    Ok(())
}

pub async fn create_service(aws: &Aws, spec: &NewService) -> Result<()> {
    aws.create_ecs_service(spec).await?;
    output::note(&format!("created ECS service {}", spec.name));
    Ok(())
}

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
