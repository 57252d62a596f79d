//! Security groups xapi makes for a stack and the rules it adds to groups:
//! how they are deleted. A group is deleted only once nothing uses it.

use super::Patience;
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::poll::{poll_until, Poll};

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
