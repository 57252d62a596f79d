//! The endpoint service that offers an mTLS proxy's load balancer: how it is
//! made, who may connect, and how it is deleted. Consumers' endpoint
//! connections block the deletion, so they are rejected first.

use std::time::Duration;

use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::LoadBalancer;
use crate::output;

/// An endpoint service on `lb`, made once the load balancer is active (AWS
/// refuses one on a load balancer still provisioning); its id.
pub async fn create(
    ctx: &Context,
    aws: &Aws,
    lb: &LoadBalancer,
    tags: &[(String, String)],
    timeout: Duration,
) -> Result<String> {
    crate::wait::load_balancer_active(ctx, aws, lb, timeout).await?;
    let es = aws
        .create_endpoint_service(&lb.arn, tags, &crate::aws::client_token())
        .await?;
    output::note(&format!("created endpoint service {}", es.service_name));
    Ok(es.id)
}

/// Let `add` (account root principals) connect to the service `id`.
pub async fn allow(aws: &Aws, id: &str, add: &[String]) -> Result<()> {
    aws.modify_allowed_principals(id, add, &[]).await?;
    output::note(&format!("allowed {} on {id}", add.join(", ")));
    Ok(())
}

/// Reject the connections of `reject`, then delete the service `id`.
pub async fn delete(aws: &Aws, id: &str, reject: &[String]) -> Result<()> {
    if !reject.is_empty() {
        let refused = aws.reject_endpoint_connections(id, reject).await?;
        if !refused.is_empty() {
            return Err(Error::Unverified(format!(
                "could not reject the connections {} of endpoint service {id}; reject them with \
                 `aws ec2 reject-vpc-endpoint-connections --service-id {id} --vpc-endpoint-ids ID` and re-run teardown",
                refused
                    .iter()
                    .map(|(vpce, why)| format!("{vpce} ({why})"))
                    .collect::<Vec<_>>()
                    .join(", "),
            )));
        }
    }
    aws.delete_endpoint_service(id).await
}
