//! SSM Parameter Store, used for xapi's per-API write lease: its
//! `PutParameter` without overwrite is an atomic create-if-absent, and every
//! write gives the parameter a new version number.

use serde_json::{json, Value};

use super::error::{classify, ssm};
use super::json_rpc::{self, JsonError, SSM};
use super::Aws;
use crate::error::{Error, Result};

/// A parameter's value and the version SSM gave it (one more on every write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub value: String,
    pub version: i64,
}

fn is_code(e: &JsonError, code: &str) -> bool {
    e.as_service_error().and_then(|s| s.code()) == Some(code)
}

impl Aws {
    async fn ssm(
        &self,
        operation: &'static str,
        input: Value,
    ) -> std::result::Result<Value, JsonError> {
        json_rpc::call(&self.config, SSM, operation, input).await
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
        let input = json!({"Name": name, "Value": value, "Type": "String", "Overwrite": overwrite});
        match self.ssm("PutParameter", input).await {
            Ok(out) => Ok(Some(out["Version"].as_i64().unwrap_or_default())),
            Err(e) if is_code(&e, "ParameterAlreadyExists") => Ok(None),
            Err(e) => Err(classify(ssm::PutParameter, name, e)),
        }
    }

    /// The parameter's value and version, or `None` when it does not exist.
    pub async fn parameter(&self, name: &str) -> Result<Option<Parameter>> {
        match self.ssm("GetParameter", json!({"Name": name})).await {
            Ok(out) => Ok(out.get("Parameter").map(|p| Parameter {
                value: p["Value"].as_str().unwrap_or_default().to_owned(),
                version: p["Version"].as_i64().unwrap_or_default(),
            })),
            Err(e) => match classify(ssm::GetParameter, name, e) {
                Error::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// Delete the parameter; one already gone is not an error.
    pub async fn delete_parameter(&self, name: &str) -> Result<()> {
        match self.ssm("DeleteParameter", json!({"Name": name})).await {
            Ok(_) => Ok(()),
            Err(e) => match classify(ssm::DeleteParameter, name, e) {
                Error::NotFound { .. } => Ok(()),
                other => Err(other),
            },
        }
    }
}
