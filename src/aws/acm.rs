//! ACM: the certificate a custom domain presents.

use super::error::{acm, classify};
use super::Aws;
use crate::error::Result;
use crate::ids::CertificateArn;
use crate::model::Certificate;

impl Aws {
    fn acm(&self) -> &aws_sdk_acm::Client {
        self.acm
            .get_or_init(|| aws_sdk_acm::Client::new(&self.config))
    }

    pub async fn certificate(&self, arn: &CertificateArn) -> Result<Certificate> {
        let out = self
            .acm()
            .describe_certificate()
            .certificate_arn(arn.as_str())
            .send()
            .await
            .map_err(|e| classify(acm::DescribeCertificate, arn.as_str(), e))?;
        let c = out.certificate();
        Ok(Certificate {
            arn: arn.to_string(),
            status: c
                .and_then(|c| c.status())
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            domain_name: c
                .and_then(|c| c.domain_name())
                .unwrap_or_default()
                .to_owned(),
            subject_alternative_names: c
                .map(|c| c.subject_alternative_names().to_vec())
                .unwrap_or_default(),
            key_algorithm: c
                .and_then(|c| c.key_algorithm())
                .map(|k| k.as_str().to_owned())
                .unwrap_or_default(),
            not_after: c.and_then(|c| c.not_after()).map(|t| t.secs()),
        })
    }
}
