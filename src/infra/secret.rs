//! The Secrets Manager secret holding an mTLS proxy's certificates: how it is
//! made, given new certificates, and deleted (restorably unless asked otherwise).

use crate::aws::Aws;
use crate::error::Result;
use crate::output;
use crate::plan::teardown::SecretDeletion;

/// A new secret `name` holding `value`; its ARN.
pub async fn create(
    aws: &Aws,
    name: &str,
    value: &str,
    tags: &[(String, String)],
) -> Result<String> {
    let arn = aws.create_secret(name, value, tags).await?;
    output::note(&format!("stored the certificates in secret {name}"));
    Ok(arn)
}

/// Put `value` in the secret `arn`, restoring it first when a teardown
/// scheduled it for deletion (it leaves the secret restorable rather than gone).
pub async fn put(aws: &Aws, name: &str, arn: &str, value: &str) -> Result<()> {
    if aws.restore_secret_if_scheduled(arn).await? {
        output::note(&format!(
            "restored secret {name}, which a teardown had scheduled for deletion"
        ));
    }
    aws.put_secret_value(arn, value).await?;
    output::note(&format!("updated the certificates in secret {name}"));
    Ok(())
}

pub async fn delete(aws: &Aws, id: &str, deletion: SecretDeletion) -> Result<()> {
    match deletion {
        SecretDeletion::Recoverable(days) => aws.schedule_secret_deletion(id, days).await,
        SecretDeletion::Immediate => aws.delete_secret(id).await,
    }
}
