//! `targets sync` as the pipeline runs it: read an endpoint's interface
//! addresses and an IP target group's targets, plan with
//! [`crate::plan::targets`], and (de)register exactly the planned targets.

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::ids::VpceId;
use crate::infra;
use crate::model::registered_targets;
use crate::pipeline::Mutation;
use crate::plan::targets::{self as planner, Desired, Observed, Step, TargetDiff};

/// An IP target group kept equal to an endpoint's addresses.
pub struct Sync<'a> {
    pub aws: &'a Aws,
    pub vpce: VpceId,
    /// The target group's ARN or name.
    pub target_group: String,
    pub want: Desired,
}

impl Mutation for Sync<'_> {
    type Observed = Observed;
    type Step = Step;
    /// The diff the plan closes.
    type Facts = TargetDiff;
    /// The diff the applied plan came from (observing again finds it closed).
    type Applied = TargetDiff;

    fn subject(&self) -> String {
        format!("target group {}", self.target_group)
    }

    async fn observe(&self) -> Result<Observed> {
        let aws = self.aws;
        let (identity, (endpoint, enis), tg) = tokio::try_join!(
            aws.caller_identity(),
            infra::endpoint::with_interfaces(aws, &self.vpce),
            infra::target_group::find(aws, &self.target_group)
        )?;
        let tg =
            tg.ok_or_else(|| Error::not_found(format!("target group {}", self.target_group), ""))?;
        let current = registered_targets(infra::target_group::health(aws, &tg.arn).await?);
        Ok(Observed {
            identity: identity.arn,
            endpoint,
            enis,
            tg,
            current,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<planner::Assessment> {
        planner::plan(seen, self.want)
    }

    async fn apply(
        &self,
        seen: &Observed,
        diff: &TargetDiff,
        steps: Vec<Step>,
    ) -> Result<TargetDiff> {
        for step in steps {
            match step {
                Step::Deregister(targets) => {
                    self.aws.deregister_targets(&seen.tg.arn, &targets).await?;
                }
                Step::Register(targets) => {
                    self.aws.register_targets(&seen.tg.arn, &targets).await?;
                }
            }
        }
        Ok(diff.clone())
    }

    fn inspect_hint(&self) -> String {
        let flag = if self.target_group.starts_with("arn:") {
            "--target-group-arn"
        } else {
            "--target-group"
        };
        format!(
            "xapi targets sync --vpce {} {flag} {} --dry-run",
            self.vpce, self.target_group
        )
    }
}
