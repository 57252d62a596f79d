//! Secrets Manager: the mTLS proxy's certificates, in Secrets Manager's JSON
//! 1.1 protocol (`src/aws/json_rpc.rs`).

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::error::{classify, secretsmanager};
use super::json_rpc::{self, text, JsonError, SECRETS_MANAGER};
use super::{client_token, Aws};
use crate::error::{Error, Result};
use crate::model::SecretInfo;

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Secrets Manager's tags: `{"Key", "Value"}` pairs.
fn tag_map(tags: Option<&Value>) -> BTreeMap<String, String> {
    tags.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| Some((text(t, "Key")?, text(t, "Value").unwrap_or_default())))
        .collect()
}

/// Scheduled for deletion (by a teardown): no readable value, but the name is held.
fn scheduled_for_deletion(described: &Value) -> bool {
    described.get("DeletedDate").is_some_and(|d| !d.is_null())
}

impl Aws {
    async fn secrets(
        &self,
        operation: &'static str,
        input: Value,
    ) -> std::result::Result<Value, JsonError> {
        json_rpc::call(&self.config, SECRETS_MANAGER, operation, input).await
    }

    async fn describe_secret(&self, id: &str) -> std::result::Result<Value, JsonError> {
        self.secrets("DescribeSecret", json!({"SecretId": id}))
            .await
    }

    async fn secret_value(&self, id: &str) -> std::result::Result<Value, JsonError> {
        self.secrets("GetSecretValue", json!({"SecretId": id}))
            .await
    }

    /// A secret by name, with a hash of its current value; `None` when there is none.
    pub async fn secret(&self, name: &str) -> Result<Option<SecretInfo>> {
        let described = match self.describe_secret(name).await {
            Ok(d) => d,
            Err(e) => {
                return match classify(secretsmanager::DescribeSecret, name, e) {
                    Error::NotFound { .. } => Ok(None),
                    other => Err(other),
                };
            }
        };
        let arn = text(&described, "ARN").unwrap_or_default();
        let value_sha256 = if scheduled_for_deletion(&described) {
            // Reported without a value, so that a deploy restores it.
            None
        } else {
            let value = self
                .secret_value(&arn)
                .await
                .map_err(|e| classify(secretsmanager::GetSecretValue, name, e))?;
            value["SecretString"].as_str().map(sha256)
        };
        Ok(Some(SecretInfo {
            name: text(&described, "Name").unwrap_or_else(|| name.to_owned()),
            value_sha256,
            tags: tag_map(described.get("Tags")),
            arn,
        }))
    }

    pub async fn create_secret(
        &self,
        name: &str,
        value: &str,
        tags: &[(String, String)],
    ) -> Result<String> {
        let input = json!({
            "Name": name,
            "Description": "xapi mTLS proxy: server certificate, key and client CA",
            "SecretString": value,
            "Tags": tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
            // The SDKs fill it in; a retried create must not make a second version.
            "ClientRequestToken": client_token(),
        });
        let out = self
            .secrets("CreateSecret", input)
            .await
            .map_err(|e| classify(secretsmanager::CreateSecret, name, e))?;
        Ok(text(&out, "ARN").unwrap_or_default())
    }

    pub async fn put_secret_value(&self, arn: &str, value: &str) -> Result<()> {
        let input =
            json!({"SecretId": arn, "SecretString": value, "ClientRequestToken": client_token()});
        self.secrets("PutSecretValue", input)
            .await
            .map_err(|e| classify(secretsmanager::PutSecretValue, arn, e))?;
        Ok(())
    }

    /// Secrets carrying `key=value`, as (ARN, name, tags).
    pub async fn tagged_secrets(
        &self,
        key: &str,
        value: &str,
    ) -> Result<Vec<(String, String, BTreeMap<String, String>)>> {
        let input = json!({"Filters": [
            {"Key": "tag-key", "Values": [key]},
            {"Key": "tag-value", "Values": [value]},
        ]});
        let listed = json_rpc::call_paged(
            &self.config,
            SECRETS_MANAGER,
            "ListSecrets",
            input,
            "NextToken",
            "SecretList",
        )
        .await
        .map_err(|e| classify(secretsmanager::ListSecrets, format!("tag {key}={value}"), e))?;
        Ok(listed
            .iter()
            .filter_map(|s| {
                let tags = tag_map(s.get("Tags"));
                // The two filters match the key and the value on any tags:
                // keep only the secrets with that very pair.
                (tags.get(key).map(String::as_str) == Some(value))
                    .then(|| Some((text(s, "ARN")?, text(s, "Name").unwrap_or_default(), tags)))
                    .flatten()
            })
            .collect())
    }

    /// Delete at once: a stack's teardown must leave its names free for a re-deploy.
    pub async fn delete_secret(&self, arn: &str) -> Result<()> {
        self.secrets(
            "DeleteSecret",
            json!({"SecretId": arn, "ForceDeleteWithoutRecovery": true}),
        )
        .await
        .map_err(|e| classify(secretsmanager::DeleteSecret, arn, e))?;
        Ok(())
    }

    /// A secret's current string value, for diagnosis; a secret scheduled for
    /// deletion counts as gone (tasks can no longer read it).
    pub async fn secret_string(&self, name: &str) -> Result<String> {
        let described = self
            .describe_secret(name)
            .await
            .map_err(|e| classify(secretsmanager::DescribeSecret, name, e))?;
        if scheduled_for_deletion(&described) {
            return Err(Error::not_found(
                format!("secret {name}"),
                "scheduled for deletion",
            ));
        }
        let arn = text(&described, "ARN").unwrap_or_else(|| name.to_owned());
        let value = self
            .secret_value(&arn)
            .await
            .map_err(|e| classify(secretsmanager::GetSecretValue, name, e))?;
        Ok(text(&value, "SecretString").unwrap_or_default())
    }

    /// One string field of a JSON secret's current value; `None` when the
    /// secret or the field does not exist.
    pub async fn secret_json_field(&self, name: &str, field: &str) -> Result<Option<String>> {
        let value = match self.secret_value(name).await {
            Ok(v) => v,
            Err(e) => {
                return match classify(secretsmanager::GetSecretValue, name, e) {
                    Error::NotFound { .. } => Ok(None),
                    other => Err(other),
                }
            }
        };
        let json: Value = match value["SecretString"].as_str().map(serde_json::from_str) {
            Some(Ok(v)) => v,
            _ => return Ok(None),
        };
        Ok(text(&json, field))
    }

    /// Cancel a scheduled deletion; `false` when none was scheduled.
    pub async fn restore_secret_if_scheduled(&self, arn: &str) -> Result<bool> {
        let described = self
            .describe_secret(arn)
            .await
            .map_err(|e| classify(secretsmanager::DescribeSecret, arn, e))?;
        if !scheduled_for_deletion(&described) {
            return Ok(false);
        }
        self.secrets("RestoreSecret", json!({"SecretId": arn}))
            .await
            .map_err(|e| classify(secretsmanager::RestoreSecret, arn, e))?;
        Ok(true)
    }

    /// Schedule deletion after a recovery window: restorable until then with
    /// `aws secretsmanager restore-secret`.
    pub async fn schedule_secret_deletion(&self, arn: &str, recovery_days: i64) -> Result<()> {
        self.secrets(
            "DeleteSecret",
            json!({"SecretId": arn, "RecoveryWindowInDays": recovery_days}),
        )
        .await
        .map_err(|e| classify(secretsmanager::DeleteSecret, arn, e))?;
        Ok(())
    }
}

/// The hash `secret()` reports for a value, to compare before writing.
pub fn value_sha256(value: &str) -> String {
    sha256(value)
}
