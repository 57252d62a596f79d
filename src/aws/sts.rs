use super::error::{classify, sts};
use super::Aws;
use crate::error::Result;
use crate::model::CallerIdentity;

impl Aws {
    pub async fn caller_identity(&self) -> Result<CallerIdentity> {
        if let Some(known) = self.identity.get() {
            return Ok(known.clone());
        }
        if let Some(role) = &self.assumed {
            let identity = role.identity().await?;
            return Ok(self.identity.get_or_init(|| identity).clone());
        }
        let out = self
            .sts()
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| classify(sts::GetCallerIdentity, "STS", e))?;
        let identity = CallerIdentity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
        };
        Ok(self.identity.get_or_init(|| identity).clone())
    }
}
