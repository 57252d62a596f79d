//! `xapi targets sync`: make an IP target group's targets equal an endpoint's
//! current interface addresses. The reconciliation the CDK sample never does:
//! run it after the endpoint's subnets change.

use serde::Serialize;

use crate::aws::Aws;
use crate::cli::TargetsSyncArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::VpceId;
use crate::model::{Endpoint, NetworkInterface, Target, TargetGroup};
use crate::output::{self, Report, Style};
use crate::plan::targets::{check_target_group, desired_targets, diff, target_actions, TargetDiff};
use crate::plan::Plan;

/// Apply a target diff and verify the group now holds the desired targets.
pub async fn apply(
    aws: &Aws,
    tg: &TargetGroup,
    d: &TargetDiff,
    desired: &[Target],
    prune: bool,
) -> Result<()> {
    aws.deregister_targets(&tg.arn, &d.deregister).await?;
    aws.register_targets(&tg.arn, &d.register).await?;
    let now: Vec<Target> = aws
        .target_health(&tg.arn)
        .await?
        .into_iter()
        .map(|h| h.target)
        .collect();
    let left = diff(&now, desired, prune);
    if !left.is_noop() {
        return Err(Error::Unverified(format!(
            "after syncing, {} still differs from the endpoint addresses ({} missing, {} extra); inspect with `aws elbv2 describe-target-health --target-group-arn {}`",
            tg.name,
            left.register.len(),
            left.deregister.len(),
            tg.arn
        )));
    }
    Ok(())
}

pub async fn endpoint_with_interfaces(
    aws: &Aws,
    vpce: &VpceId,
) -> Result<(Endpoint, Vec<NetworkInterface>)> {
    let endpoint = aws.endpoint(vpce).await?;
    let enis = aws
        .network_interfaces(&endpoint.network_interface_ids)
        .await?;
    Ok((endpoint, enis))
}

#[derive(Debug, Serialize)]
pub struct SyncReport {
    pub target_group_arn: String,
    pub vpce: String,
    pub dry_run: bool,
    pub changed: bool,
    #[serde(flatten)]
    pub diff: TargetDiff,
    pub plan: Plan,
}

impl Report for SyncReport {
    fn table(&self, style: &Style) -> String {
        let mut t = style.table(&["TARGET", "ACTION"]);
        let rows = [
            (
                &self.diff.register,
                if self.dry_run {
                    "would register"
                } else {
                    "registered"
                },
            ),
            (
                &self.diff.deregister,
                if self.dry_run {
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
        let mut out = format!("{t}\n");
        if self.dry_run {
            out.push_str("Dry run: nothing was changed.\n");
        } else if !self.changed {
            out.push_str("No changes: the targets match the endpoint's addresses.\n");
        }
        out
    }
}

pub async fn sync(ctx: &Context, args: &TargetsSyncArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let tg_ref = args
        .target_group_arn
        .as_deref()
        .or(args.target_group.as_deref())
        .unwrap_or_default();
    let (identity, (endpoint, enis), tg) = tokio::try_join!(
        aws.caller_identity(),
        endpoint_with_interfaces(&aws, &args.vpce),
        aws.target_group(tg_ref)
    )?;
    let tg = tg.ok_or_else(|| Error::not_found(format!("target group {tg_ref}"), ""))?;
    check_target_group(&tg)?;
    let current: Vec<Target> = aws
        .target_health(&tg.arn)
        .await?
        .into_iter()
        .map(|h| h.target)
        .collect();
    let desired = desired_targets(&endpoint, &enis, &tg.vpc_id);
    let d = diff(&current, &desired, args.prune);
    let mut plan = Plan {
        identity: identity.arn,
        actions: target_actions(&tg.name, &d),
        warnings: Vec::new(),
    };
    if !d.stale.is_empty() {
        plan.warnings.push(format!(
            "{} registered target(s) are not addresses of {}: pass --prune to deregister them",
            d.stale.len(),
            args.vpce
        ));
    }
    if desired.is_empty() {
        plan.warnings.push(format!(
            "{} has no network interfaces with addresses",
            args.vpce
        ));
    }
    let report = SyncReport {
        target_group_arn: tg.arn.clone(),
        vpce: args.vpce.to_string(),
        dry_run: args.dry_run,
        changed: !d.is_noop(),
        diff: d,
        plan,
    };
    if args.dry_run || report.diff.is_noop() {
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&ctx.stderr_style()).trim_end());
    apply(&aws, &tg, &report.diff, &desired, args.prune).await?;
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
