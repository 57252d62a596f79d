//! Security groups xapi makes for a stack and the rules it adds to groups:
//! how they are made and deleted. A group is deleted only once nothing uses it.

use super::Patience;
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::ids::VpcId;
use crate::output;
use crate::poll::{poll_until, Poll};

/// A new group `name` in `vpc_id`; its id.
pub async fn create(
    aws: &Aws,
    vpc_id: &str,
    name: &str,
    description: &str,
    tags: &[(String, String)],
) -> Result<String> {
    let vpc: VpcId = vpc_id.parse().map_err(Error::BadInput)?;
    let id = aws
        .create_security_group(&vpc, name, description, tags)
        .await?;
    output::note(&format!("created security group {id}"));
    Ok(id)
}

/// Admit TCP `port` into `group` from `cidrs`, each rule described by `why`.
pub async fn authorize_tcp(
    aws: &Aws,
    group: &str,
    port: i32,
    cidrs: &[String],
    why: &str,
    tags: &[(String, String)],
) -> Result<()> {
    aws.authorize_tcp_from(group, port, cidrs, why, tags)
        .await?;
    output::note(&format!("allowed TCP {port} into {group}"));
    Ok(())
}

/// Delete the group `id`, looking again while AWS says it is still in use
/// (task or link interfaces are released minutes after their owner goes).
pub async fn delete(aws: &Aws, id: &str, patience: &Patience<'_>) -> Result<()> {
    let wait = patience.wait(format!("security group {id} to be deletable"));
    poll_until(wait, || async {
        match aws.delete_security_group(id).await {
            Ok(()) | Err(Error::NotFound { .. }) => Ok(Poll::Ready(())),
            Err(Error::Aws { code, .. }) if code == "DependencyViolation" => {
                Ok(Poll::Pending("still in use (DependencyViolation)".into()))
            }
            Err(e) => Err(e),
        }
    })
    .await
}

/// Remove one ingress rule, by its id, from the group `group`.
pub async fn revoke_ingress(aws: &Aws, group: &str, rule: &str) -> Result<()> {
    aws.revoke_ingress_rules(group, &[rule.to_owned()]).await
}
