//! `xapi policy show` and `xapi policy restore`.

use serde::Serialize;

use super::vpce_access::{
    observe_private_api, parse_policy, plan_and_diff, policy_error, stage_states, stale_actions,
    stale_stages, target_stages, Change, WriteJob,
};
use crate::backup::BackupStore;
use crate::cli::{PolicyRestoreArgs, PolicyShowArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::lease::{self, LeaseOptions, LeaseState};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};
use crate::policy::{self, AccessSummary, PolicyDocument};

#[derive(Debug, Serialize)]
pub struct PolicyShow {
    pub api_id: String,
    pub name: String,
    pub endpoint_types: Vec<String>,
    pub associated_vpces: Vec<String>,
    /// The policy as a JSON document, `null` when the API has none.
    pub policy: Option<serde_json::Value>,
    pub summary: Option<AccessSummary>,
    /// xapi's write lease on this API (`/xapi/lease/<api-id>` in SSM).
    pub lease: LeaseState,
    pub warnings: Vec<String>,
}

impl Report for PolicyShow {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        match &self.policy {
            Some(p) => {
                out.push_str(&serde_json::to_string_pretty(p).unwrap_or_default());
                out.push('\n');
            }
            None => out.push_str(&format!("{} has no resource policy.\n", self.api_id)),
        }
        let mut t = style.table(&["ACCESS", "VALUE"]);
        t.add_row(vec![
            "API".to_owned(),
            format!(
                "{} ({}, {})",
                self.api_id,
                self.name,
                self.endpoint_types.join("/")
            ),
        ]);
        if let Some(s) = &self.summary {
            let list = |v: &Vec<String>| {
                if v.is_empty() {
                    "none".to_owned()
                } else {
                    v.join("\n")
                }
            };
            t.add_row(vec![
                "Admitted endpoints".to_owned(),
                list(&s.admitted_vpces),
            ]);
            t.add_row(vec!["Admitted VPCs".to_owned(), list(&s.admitted_vpcs)]);
            t.add_row(vec![
                comfy_table::Cell::new("Any endpoint admitted"),
                style.status_cell(
                    if s.open_to_any_endpoint { "YES" } else { "no" },
                    !s.open_to_any_endpoint,
                ),
            ]);
            t.add_row(vec![
                "Restricted resources".to_owned(),
                list(&s.restricted_resources),
            ]);
            t.add_row(vec![
                "Size".to_owned(),
                format!(
                    "{} of {} characters ({}%)",
                    s.size,
                    s.limit,
                    s.size * 100 / s.limit.max(1)
                ),
            ]);
        }
        t.add_row(vec![
            "Associated endpoints".to_owned(),
            self.associated_vpces.join("\n"),
        ]);
        t.add_row(vec![
            "Write lease".to_owned(),
            match &self.lease {
                LeaseState::Free => "free".to_owned(),
                LeaseState::Held {
                    holder,
                    expires_in_secs,
                } => format!("held by {holder}, expires in {expires_in_secs}s"),
                LeaseState::Expired { holder } => {
                    format!("expired (was {holder}); the next writer takes it over")
                }
                LeaseState::Unreadable { error } => format!("unknown: {error}"),
            },
        ]);
        out.push_str(&format!("{t}\n"));
        for w in &self.warnings {
            out.push_str(&format!(
                "{} {w}\n",
                style.paint("warning:", comfy_table::Color::Yellow)
            ));
        }
        out
    }
}

pub async fn show(ctx: &Context, args: &PolicyShowArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let (identity, api, lease) = tokio::join!(
        aws.caller_identity(),
        aws.rest_api(&args.api_id),
        lease::observe(&aws, args.api_id.as_str())
    );
    let (identity, api) = (identity?, api?);
    let api_ref = policy::ApiRef {
        region: ctx.region.clone(),
        account: identity.account,
        api_id: args.api_id.to_string(),
    };
    let doc = parse_policy(&api)?;
    let mut warnings = Vec::new();
    let summary = match &doc {
        Some(d) => Some(
            policy::summarize(d, &api_ref).map_err(|e| policy_error(api_ref.api_id.as_str(), e))?,
        ),
        None => None,
    };
    if let Some(s) = &summary {
        if s.open_to_any_endpoint {
            warnings.push(
                "the policy admits every VPC endpoint in the region, in any account".to_owned(),
            );
        }
        if s.size * 10 >= s.limit * 9 {
            warnings.push(format!(
                "the policy uses {} of {} characters",
                s.size, s.limit
            ));
        }
    } else if api.is_private() {
        warnings.push("a private API without a resource policy cannot be deployed".to_owned());
    }
    let report = PolicyShow {
        api_id: api.id.clone(),
        name: api.name.clone(),
        endpoint_types: api.endpoint_types.clone(),
        associated_vpces: api.vpc_endpoint_ids.clone(),
        policy: doc.map(|d| d.as_value().clone()),
        summary,
        lease,
        warnings,
    };
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

#[derive(Debug, Serialize)]
pub struct RestoreReport {
    pub api_id: String,
    pub dry_run: bool,
    pub changed: bool,
    pub restored_from: String,
    pub backup: Option<String>,
    pub stages: Vec<super::vpce_access::StageDeployment>,
    pub policy_sha256: Option<String>,
    pub diff: Option<String>,
    pub plan: Plan,
}

impl Report for RestoreReport {
    fn table(&self, style: &Style) -> String {
        let mut out = plan_and_diff(self.dry_run, &self.plan, self.diff.as_deref(), style);
        if self.dry_run {
            out.push_str("Dry run: nothing was changed.\n");
        } else if !self.changed {
            out.push_str(&format!(
                "No change: {} already has the policy in {}.\n",
                self.api_id, self.restored_from
            ));
        } else {
            out.push_str(&format!(
                "restored {} from {}\n",
                self.api_id, self.restored_from
            ));
            for s in &self.stages {
                out.push_str(&format!(
                    "redeployed stage {} (deployment {})\n",
                    s.stage,
                    s.deployment_id.as_deref().unwrap_or("-")
                ));
            }
            if let Some(b) = &self.backup {
                out.push_str(&format!("the policy it replaced is saved to {b}\n"));
            }
        }
        out
    }
}

pub async fn restore(ctx: &Context, args: &PolicyRestoreArgs) -> Result<u8> {
    let store = BackupStore::from_env()?;
    let path = match &args.from {
        Some(p) => p.clone(),
        None => store.latest(args.api_id.as_str())?.ok_or_else(|| {
            Error::BadInput(format!(
                "no policy backup of {} found; pass --from FILE",
                args.api_id
            ))
        })?,
    };
    let saved = BackupStore::load(&path)?;
    if saved.api_id != args.api_id.as_str() {
        return Err(Error::BadInput(format!(
            "{} is a backup of {}, not {}",
            path.display(),
            saved.api_id,
            args.api_id
        )));
    }
    let Some(raw) = saved.policy.as_deref() else {
        return Err(Error::BadInput(format!(
            "{} records that {} had no policy; xapi does not remove a private API's policy (it could not be deployed)",
            path.display(),
            args.api_id
        )));
    };
    let target = PolicyDocument::parse(raw).map_err(|e| policy_error(args.api_id.as_str(), e))?;

    let aws = ctx.aws().await?;
    let (observed, pending) = tokio::join!(
        observe_private_api(&aws, &args.api_id),
        lease::pending(&aws, args.api_id.as_str())
    );
    let (api_ref, api, stages, caller) = observed?;
    if saved.account != api_ref.account || saved.region != api_ref.region {
        return Err(Error::BadInput(format!(
            "{} was saved from account {} in {}, but this is account {} in {}",
            path.display(),
            saved.account,
            saved.region,
            api_ref.account,
            api_ref.region
        )));
    }
    let stage_names = target_stages(&args.api_id, &stages, &args.deploy)?;
    let states = stage_states(&aws, &args.api_id, &stages, &stage_names).await?;
    let current = parse_policy(&api)?;
    let current_hash = current.as_ref().map(|c| c.canonical_sha256(&api_ref));
    let target_hash = target.canonical_sha256(&api_ref);
    let changed = current_hash.as_deref() != Some(target_hash.as_str());
    if target.to_compact().len() > policy::POLICY_SIZE_LIMIT {
        return Err(policy_error(
            args.api_id.as_str(),
            policy::PolicyError::TooLarge {
                size: target.to_compact().len(),
                limit: policy::POLICY_SIZE_LIMIT,
            },
        ));
    }
    let stale = if changed {
        Vec::new()
    } else {
        stale_stages(&states, current_hash.as_deref(), pending.as_ref())
    };
    let mut plan = Plan {
        identity: caller.clone(),
        ..Plan::default()
    };
    let diff = changed.then(|| {
        let old = current
            .as_ref()
            .map(|d| d.to_pretty() + "\n")
            .unwrap_or_default();
        policy::unified_diff(
            &old,
            &(target.to_pretty() + "\n"),
            &format!("{} (current)", args.api_id),
            &path.display().to_string(),
        )
    });
    if changed {
        plan.actions.push(Action {
            verb: Verb::Change,
            resource: "resource-policy".into(),
            target: args.api_id.to_string(),
            details: vec![format!("restore {}", path.display())],
        });
        plan.actions.extend(stage_names.iter().map(|s| Action {
            verb: Verb::Create,
            resource: "deployment".into(),
            target: format!("{} stage {s}", args.api_id),
            details: vec!["so the restored policy takes effect".into()],
        }));
        if let Ok(summary) = policy::summarize(&target, &api_ref) {
            if summary.open_to_any_endpoint {
                plan.warnings.push(
                    "the restored policy admits every VPC endpoint in the region, in any account"
                        .into(),
                );
            }
        }
    }
    plan.actions.extend(stale_actions(
        &args.api_id,
        &states,
        &stale,
        current_hash.as_deref(),
    ));
    let mut report = RestoreReport {
        api_id: args.api_id.to_string(),
        dry_run: args.deploy.dry_run,
        changed,
        restored_from: path.display().to_string(),
        backup: None,
        stages: Vec::new(),
        policy_sha256: None,
        diff,
        plan,
    };
    if args.deploy.dry_run || (!changed && stale.is_empty()) {
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&ctx.stderr_style()).trim_end());
    let change = Change::Restore {
        document: target,
        from: path.display().to_string(),
    };
    let options = LeaseOptions {
        wait: args.lease_wait,
        progress: ctx.progress,
    };
    let applied = WriteJob {
        api_id: &args.api_id,
        api_ref: &api_ref,
        caller: &caller,
        change: &change,
        stages: states,
        stale,
        lease: &options,
    }
    .run(&aws)
    .await?;
    report.changed = applied.wrote;
    report.backup = applied.backup;
    report.stages = applied.deployed;
    report.policy_sha256 = applied.hash;
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
