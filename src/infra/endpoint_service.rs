//! The endpoint service that offers an mTLS proxy's load balancer: how it is
//! deleted. Consumers' endpoint connections block the deletion, so they are
//! rejected first.

use crate::aws::Aws;
use crate::error::{Error, Result};

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
