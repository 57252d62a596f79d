//! `xapi targets sync`: make an IP target group's targets equal an endpoint's
//! current interface addresses. The reconciliation the CDK sample never does:
//! run it after the endpoint's subnets change.

use serde::Serialize;

use crate::cli::TargetsSyncArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Outcome, Run};
use crate::plan::targets::{Desired, TargetDiff};
use crate::targets::Sync;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SyncReport {
    pub target_group_arn: String,
    pub vpce: String,
    #[serde(flatten)]
    pub run: Run,
    #[serde(flatten)]
    pub diff: TargetDiff,
    /// Names the group in the summary line.
    #[serde(skip)]
    target_group_name: String,
}

impl Report for SyncReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        let mut t = style.table(&["TARGET", "ACTION"]);
        let rows = [
            (
                &self.diff.register,
                if self.run.dry_run {
                    "would register"
                } else {
                    "registered"
                },
            ),
            (
                &self.diff.deregister,
                if self.run.dry_run {
                    "would deregister"
                } else {
                    "deregistered"
                },
            ),
            (
                &self.diff.stale,
                "stale (not an endpoint address; --prune removes it)",
            ),
            (&self.diff.unchanged, "unchanged"),
        ];
        for (targets, what) in rows {
            for target in targets {
                t.add_row(vec![
                    format!("{}:{}", target.ip, target.port),
                    what.to_owned(),
                ]);
            }
        }
        out.push_str(&format!("{t}\n"));
        self.run.frame(
            &format!("target group {}", self.target_group_name),
            style,
            &out,
        )
    }
}

pub async fn sync(ctx: &Context, args: &TargetsSyncArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let sync = Sync {
        aws: &aws,
        vpce: args.vpce.clone(),
        target_group: args
            .target_group_arn
            .clone()
            .or(args.target_group.clone())
            .unwrap_or_default(),
        want: Desired { prune: args.prune },
    };
    let ran = pipeline::run(ctx, &sync, args.dry_run).await?;
    let diff = match ran.outcome {
        Outcome::Applied => ran.applied,
        Outcome::Planned | Outcome::Unchanged => ran.facts,
    };
    let report = SyncReport {
        target_group_arn: ran.observed.tg.arn.clone(),
        vpce: args.vpce.to_string(),
        run: Run::with_changed(
            ran.outcome,
            ran.plan,
            ran.outcome != Outcome::Unchanged && !diff.is_noop(),
        ),
        diff,
        target_group_name: ran.observed.tg.name.clone(),
    };
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
