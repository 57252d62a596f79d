//! SSM Parameter Store, used for xapi's per-API write lease: its
//! `PutParameter` without overwrite is an atomic create-if-absent, and every
//! write gives the parameter a new version number.

use aws_sdk_ssm::types::ParameterType;

use super::error::{classify, ssm};
use super::Aws;
use crate::error::{Error, Result};

/// A parameter's value and the version SSM gave it (one more on every write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub value: String,
    pub version: i64,
}

impl Aws {
    fn ssm(&self) -> &aws_sdk_ssm::Client {
        self.ssm
            .get_or_init(|| aws_sdk_ssm::Client::new(&self.config))
    }

    /// Create `name` with `value` unless it exists: the version created, or
    /// `None` when the name was taken.
    pub async fn create_parameter(&self, name: &str, value: &str) -> Result<Option<i64>> {
        self.put_parameter(name, value, false).await
    }

    /// Write `name` whether or not it exists; returns the version this write made.
    pub async fn overwrite_parameter(&self, name: &str, value: &str) -> Result<i64> {
        self.put_parameter(name, value, true)
            .await
            .map(Option::unwrap_or_default)
    }

    async fn put_parameter(&self, name: &str, value: &str, overwrite: bool) -> Result<Option<i64>> {
        let result = self
            .ssm()
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(ParameterType::String)
            .overwrite(overwrite)
            .send()
            .await;
        match result {
            Ok(out) => Ok(Some(out.version())),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_parameter_already_exists()) =>
            {
                Ok(None)
            }
            Err(e) => Err(classify(ssm::PutParameter, name, e)),
        }
    }

    /// The parameter's value and version, or `None` when it does not exist.
    pub async fn parameter(&self, name: &str) -> Result<Option<Parameter>> {
        match self.ssm().get_parameter().name(name).send().await {
            Ok(out) => Ok(out.parameter().map(|p| Parameter {
                value: p.value().unwrap_or_default().to_owned(),
                version: p.version(),
            })),
            Err(e) => match classify(ssm::GetParameter, name, e) {
                Error::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// Delete the parameter; one already gone is not an error.
    pub async fn delete_parameter(&self, name: &str) -> Result<()> {
        match self.ssm().delete_parameter().name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) => match classify(ssm::DeleteParameter, name, e) {
                Error::NotFound { .. } => Ok(()),
                other => Err(other),
            },
        }
    }
}
