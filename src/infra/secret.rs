//! The Secrets Manager secret holding an mTLS proxy's certificates: how it is
//! deleted, restorably unless asked otherwise.

use crate::aws::Aws;
use crate::error::Result;
use crate::plan::teardown::SecretDeletion;

pub async fn delete(aws: &Aws, id: &str, deletion: SecretDeletion) -> Result<()> {
    match deletion {
        SecretDeletion::Recoverable(days) => aws.schedule_secret_deletion(id, days).await,
        SecretDeletion::Immediate => aws.delete_secret(id).await,
    }
}
