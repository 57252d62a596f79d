use super::error::classify;
use super::Aws;
use crate::error::Result;
use crate::model::CallerIdentity;

impl Aws {
    pub async fn caller_identity(&self) -> Result<CallerIdentity> {
        let out = self
            .sts()
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| classify("GetCallerIdentity", "STS", e))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
        })
    }
}
