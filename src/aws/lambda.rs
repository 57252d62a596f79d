use super::error::{classify, lambda};
use super::Aws;
use crate::error::Result;
use crate::model::LambdaVpc;

impl Aws {
    fn lambda(&self) -> &aws_sdk_lambda::Client {
        self.lambda
            .get_or_init(|| aws_sdk_lambda::Client::new(&self.config))
    }

    /// Where a function runs: its VPC, subnets and security groups.
    pub async fn function_vpc(&self, name_or_arn: &str) -> Result<LambdaVpc> {
        let out = self
            .lambda()
            .get_function_configuration()
            .function_name(name_or_arn)
            .send()
            .await
            .map_err(|e| classify(lambda::GetFunctionConfiguration, name_or_arn, e))?;
        let vpc = out.vpc_config();
        Ok(LambdaVpc {
            function_name: out.function_name().unwrap_or(name_or_arn).to_owned(),
            function_arn: out.function_arn().unwrap_or_default().to_owned(),
            vpc_id: vpc
                .and_then(|v| v.vpc_id())
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
            subnet_ids: vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
            security_group_ids: vpc
                .map(|v| v.security_group_ids().to_vec())
                .unwrap_or_default(),
        })
    }
}
