//! ACM: the certificate a custom domain presents.

use serde_json::{json, Value};

use super::error::{acm, classify};
use super::json_rpc::{self, ACM};
use super::Aws;
use crate::error::Result;
use crate::ids::CertificateArn;
use crate::model::Certificate;

impl Aws {
    pub async fn certificate(&self, arn: &CertificateArn) -> Result<Certificate> {
        let out = json_rpc::call(
            &self.config,
            ACM,
            "DescribeCertificate",
            json!({"CertificateArn": arn.as_str()}),
        )
        .await
        .map_err(|e| classify(acm::DescribeCertificate, arn.as_str(), e))?;
        let c = &out["Certificate"];
        let text = |key: &str| c[key].as_str().unwrap_or_default().to_owned();
        Ok(Certificate {
            arn: arn.to_string(),
            status: text("Status"),
            domain_name: text("DomainName"),
            subject_alternative_names: c["SubjectAlternativeNames"]
                .as_array()
                .map(|names| {
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            key_algorithm: text("KeyAlgorithm"),
            not_after: json_rpc::epoch_seconds(&c["NotAfter"]),
        })
    }
}
