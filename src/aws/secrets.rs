use sha2::{Digest, Sha256};

use super::error::{classify, secretsmanager};
use super::Aws;
use crate::error::{Error, Result};
use crate::model::SecretInfo;

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Aws {
    fn secrets(&self) -> &aws_sdk_secretsmanager::Client {
        self.secrets
            .get_or_init(|| aws_sdk_secretsmanager::Client::new(&self.config))
    }

    /// A secret by name, with a hash of its current value; `None` when there is none.
    pub async fn secret(&self, name: &str) -> Result<Option<SecretInfo>> {
        let described = match self
            .secrets()
            .describe_secret()
            .secret_id(name)
            .send()
            .await
        {
            Ok(d) => d,
            Err(e) => {
                return match classify(secretsmanager::DescribeSecret, name, e) {
                    Error::NotFound { .. } => Ok(None),
                    // A secret scheduled for deletion still holds its name.
                    other => Err(other),
                };
            }
        };
        let arn = described.arn().unwrap_or_default().to_owned();
        // A secret scheduled for deletion (by teardown) has no readable value
        // but still holds its name; report it without one so a deploy restores it.
        if described.deleted_date().is_some() {
            return Ok(Some(SecretInfo {
                name: described.name().unwrap_or(name).to_owned(),
                value_sha256: None,
                tags: described
                    .tags()
                    .iter()
                    .filter_map(|t| {
                        Some((
                            t.key()?.to_owned(),
                            t.value().unwrap_or_default().to_owned(),
                        ))
                    })
                    .collect(),
                arn,
            }));
        }
        let value = self
            .secrets()
            .get_secret_value()
            .secret_id(&arn)
            .send()
            .await
            .map_err(|e| classify(secretsmanager::GetSecretValue, name, e))?;
        Ok(Some(SecretInfo {
            name: described.name().unwrap_or(name).to_owned(),
            value_sha256: value.secret_string().map(sha256),
            tags: described
                .tags()
                .iter()
                .filter_map(|t| {
                    Some((
                        t.key()?.to_owned(),
                        t.value().unwrap_or_default().to_owned(),
                    ))
                })
                .collect(),
            arn,
        }))
    }

    pub async fn create_secret(
        &self,
        name: &str,
        value: &str,
        tags: &[(String, String)],
    ) -> Result<String> {
        let mut req = self
            .secrets()
            .create_secret()
            .name(name)
            .description("xapi mTLS proxy: server certificate, key and client CA")
            .secret_string(value);
        for (k, v) in tags {
            req = req.tags(
                aws_sdk_secretsmanager::types::Tag::builder()
                    .key(k)
                    .value(v)
                    .build(),
            );
        }
        let out = req
            .send()
            .await
            .map_err(|e| classify(secretsmanager::CreateSecret, name, e))?;
        Ok(out.arn().unwrap_or_default().to_owned())
    }

    pub async fn put_secret_value(&self, arn: &str, value: &str) -> Result<()> {
        self.secrets()
            .put_secret_value()
            .secret_id(arn)
            .secret_string(value)
            .send()
            .await
            .map_err(|e| classify(secretsmanager::PutSecretValue, arn, e))?;
        Ok(())
    }

    /// Secrets carrying `key=value`, as (ARN, name, tags).
    pub async fn tagged_secrets(
        &self,
        key: &str,
        value: &str,
    ) -> Result<Vec<(String, String, std::collections::BTreeMap<String, String>)>> {
        use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType};
        let pages: Vec<_> = self
            .secrets()
            .list_secrets()
            .filters(
                Filter::builder()
                    .key(FilterNameStringType::TagKey)
                    .values(key)
                    .build(),
            )
            .filters(
                Filter::builder()
                    .key(FilterNameStringType::TagValue)
                    .values(value)
                    .build(),
            )
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(secretsmanager::ListSecrets, format!("tag {key}={value}"), e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.secret_list())
            .filter(|s| {
                s.tags()
                    .iter()
                    .any(|t| t.key() == Some(key) && t.value() == Some(value))
            })
            .filter_map(|s| {
                Some((
                    s.arn()?.to_owned(),
                    s.name().unwrap_or_default().to_owned(),
                    s.tags()
                        .iter()
                        .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
                        .collect(),
                ))
            })
            .collect())
    }

    /// Delete at once: a stack's teardown must leave its names free for a re-deploy.
    pub async fn delete_secret(&self, arn: &str) -> Result<()> {
        self.secrets()
            .delete_secret()
            .secret_id(arn)
            .force_delete_without_recovery(true)
            .send()
            .await
            .map_err(|e| classify(secretsmanager::DeleteSecret, arn, e))?;
        Ok(())
    }

    /// A secret's current string value, for diagnosis; a secret scheduled for
    /// deletion counts as gone (tasks can no longer read it).
    pub async fn secret_string(&self, name: &str) -> Result<String> {
        let described = self
            .secrets()
            .describe_secret()
            .secret_id(name)
            .send()
            .await
            .map_err(|e| classify(secretsmanager::DescribeSecret, name, e))?;
        if described.deleted_date().is_some() {
            return Err(Error::not_found(
                format!("secret {name}"),
                "scheduled for deletion",
            ));
        }
        let value = self
            .secrets()
            .get_secret_value()
            .secret_id(described.arn().unwrap_or(name))
            .send()
            .await
            .map_err(|e| classify(secretsmanager::GetSecretValue, name, e))?;
        Ok(value.secret_string().unwrap_or_default().to_owned())
    }
}

impl Aws {
    /// One string field of a JSON secret's current value; `None` when the
    /// secret or the field does not exist.
    pub async fn secret_json_field(&self, name: &str, field: &str) -> Result<Option<String>> {
        let value = match self
            .secrets()
            .get_secret_value()
            .secret_id(name)
            .send()
            .await
        {
            Ok(v) => v,
            Err(e) => {
                return match classify(secretsmanager::GetSecretValue, name, e) {
                    Error::NotFound { .. } => Ok(None),
                    other => Err(other),
                }
            }
        };
        let json: serde_json::Value = match value.secret_string().map(serde_json::from_str) {
            Some(Ok(v)) => v,
            _ => return Ok(None),
        };
        Ok(json.get(field).and_then(|v| v.as_str()).map(str::to_owned))
    }
}

impl Aws {
    /// Cancel a scheduled deletion; `false` when none was scheduled.
    pub async fn restore_secret_if_scheduled(&self, arn: &str) -> Result<bool> {
        let described = self
            .secrets()
            .describe_secret()
            .secret_id(arn)
            .send()
            .await
            .map_err(|e| classify(secretsmanager::DescribeSecret, arn, e))?;
        if described.deleted_date().is_none() {
            return Ok(false);
        }
        self.secrets()
            .restore_secret()
            .secret_id(arn)
            .send()
            .await
            .map_err(|e| classify(secretsmanager::RestoreSecret, arn, e))?;
        Ok(true)
    }

    /// Schedule deletion after a recovery window: restorable until then with
    /// `aws secretsmanager restore-secret`.
    pub async fn schedule_secret_deletion(&self, arn: &str, recovery_days: i64) -> Result<()> {
        self.secrets()
            .delete_secret()
            .secret_id(arn)
            .recovery_window_in_days(recovery_days)
            .send()
            .await
            .map_err(|e| classify(secretsmanager::DeleteSecret, arn, e))?;
        Ok(())
    }
}

/// The hash `secret()` reports for a value, to compare before writing.
pub fn value_sha256(value: &str) -> String {
    sha256(value)
}
