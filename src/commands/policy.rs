//! `xapi policy show` and `xapi policy restore`.

use serde::Serialize;

use crate::access::{colour_diff, planned_stages, Access, StageDeployment};
use crate::backup::BackupStore;
use crate::cli::{PolicyRestoreArgs, PolicyShowArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::lease::{self, LeaseOptions, LeaseState};
use crate::output::{self, Report, Style};
use crate::pipeline::{Outcome, Run};
use crate::plan::access::{parse_policy, policy_error, Change, Desired};
use crate::policy::{self, AccessSummary, PolicyDocument};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
            if !s.approximated.is_empty() {
                t.add_row(vec![
                    comfy_table::Cell::new("Approximated (budget ran out; counted as admitted)"),
                    style.status_cell(&s.approximated.join("\n"), false),
                ]);
            }
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
                LeaseState::Expired {
                    holder,
                    takeover_claimed_by,
                } => format!(
                    "released or expired by its holder's clock (was {holder}); {}",
                    match takeover_claimed_by {
                        None => "the next writer takes it over".to_owned(),
                        Some(claimer) => format!(
                            "{claimer} claimed its takeover (if that process was interrupted, \
                             the next writer removes the claim once it has stood unchanged for \
                             its TTL)"
                        ),
                    }
                ),
                LeaseState::Unreadable { error } => format!("unknown: {error}"),
            },
        ]);
        out.push_str(&format!("{t}\n"));
        for w in &self.warnings {
            out.push_str(&style.warning_line(w));
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RestoreReport {
    pub api_id: String,
    #[serde(flatten)]
    pub run: Run,
    pub restored_from: String,
    pub backup: Option<String>,
    pub stages: Vec<StageDeployment>,
    pub policy_sha256: Option<String>,
    pub diff: Option<String>,
}

impl Report for RestoreReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if let Some(diff) = &self.diff {
            out.push_str(&colour_diff(diff, style));
        }
        if self.run.outcome == Outcome::Applied {
            if self.run.changed {
                out.push_str(&format!(
                    "restored {} from {}\n",
                    self.api_id, self.restored_from
                ));
            }
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
        self.run.frame(&format!("API {}", self.api_id), style, &out)
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
    let document = PolicyDocument::parse(raw).map_err(|e| policy_error(args.api_id.as_str(), e))?;
    let want = Desired {
        api_id: args.api_id.clone(),
        change: Change::Restore {
            document,
            from: path.display().to_string(),
            account: saved.account.clone(),
            region: saved.region.clone(),
        },
        link: false,
    };
    let aws = ctx.aws().await?;
    let access = Access::new(
        &aws,
        want,
        args.deploy.stages.iter().map(|s| s.to_string()).collect(),
        LeaseOptions {
            wait: args.lease_wait,
            progress: ctx.progress,
        },
        args.deploy.yes,
    );
    let ran = access.run(ctx, args.deploy.dry_run).await?;
    let now = &ran.facts;
    let (diff, stages, changed) = match ran.outcome {
        Outcome::Applied => (
            ran.applied.facts.diff,
            ran.applied.deployed,
            ran.applied.wrote,
        ),
        Outcome::Planned => (now.diff.clone(), planned_stages(&ran.pending), now.changed),
        Outcome::Unchanged => (None, Vec::new(), false),
    };
    let report = RestoreReport {
        api_id: args.api_id.to_string(),
        run: Run::with_changed(ran.outcome, ran.plan, changed),
        restored_from: path.display().to_string(),
        backup: ran.applied.backup,
        stages,
        policy_sha256: now
            .current_hash
            .clone()
            .filter(|_| ran.outcome == Outcome::Applied),
        diff,
    };
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
