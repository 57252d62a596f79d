//! `xapi grant-vpce` and `xapi revoke-vpce`: edit a private API's resource
//! policy so exactly the named VPC endpoints gain (or lose) access, then
//! redeploy so the change takes effect.
//!
//! The write is a read-modify-write of the whole document (API Gateway has no
//! partial update), so after writing we wait for concurrent writers to land,
//! re-read, and re-apply our change on whatever we find until it holds.

use std::time::Duration;

use serde::Serialize;

use crate::aws::Aws;
use crate::backup::{utc_timestamp, Backup, BackupStore};
use crate::cli::{DeployArgs, GrantArgs, RevokeArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{ApiId, VpceId};
use crate::model::{RestApi, Stage};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};
use crate::policy::{self, ApiRef, Edit, PolicyDocument, PolicyError};
use crate::region;

/// How many times to re-apply after finding our change overwritten.
const WRITE_ATTEMPTS: u32 = 8;
/// Rounds of write + redeploy when a writer overwrote us during the redeploy.
const ROUNDS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Grant,
    Revoke,
}

impl Mode {
    fn edit(
        self,
        current: Option<&PolicyDocument>,
        api: &ApiRef,
        vpces: &[String],
    ) -> Result<Edit, PolicyError> {
        match self {
            Mode::Grant => policy::grant(current, api, vpces),
            Mode::Revoke => policy::revoke(current, api, vpces),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct StageDeployment {
    pub stage: String,
    /// `null` in a dry run.
    pub deployment_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AccessReport {
    pub api_id: String,
    pub mode: Mode,
    pub dry_run: bool,
    /// Whether the policy was (or, in a dry run, would be) rewritten.
    pub changed: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Already admitted (grant) or already not admitted (revoke).
    pub unchanged: Vec<String>,
    pub stages: Vec<StageDeployment>,
    pub associated: Vec<String>,
    pub disassociated: Vec<String>,
    pub backup: Option<String>,
    /// Canonical hash of the deployed policy, as put in each deployment's description.
    pub policy_sha256: Option<String>,
    pub invoke_urls: Vec<String>,
    pub diff: Option<String>,
    pub warnings: Vec<String>,
    pub plan: Plan,
}

impl Report for AccessReport {
    fn table(&self, style: &Style) -> String {
        let mut out = plan_and_diff(self.dry_run, &self.plan, self.diff.as_deref(), style);
        let verb = match self.mode {
            Mode::Grant => "admitted",
            Mode::Revoke => "removed",
        };
        let changed_ids = if self.mode == Mode::Grant {
            &self.added
        } else {
            &self.removed
        };
        if self.dry_run {
            out.push_str("Dry run: nothing was changed.\n");
        } else if !self.changed && self.associated.is_empty() && self.disassociated.is_empty() {
            out.push_str(&format!(
                "No change: {} already {verb} on {}; nothing redeployed.\n",
                self.unchanged.join(", "),
                self.api_id
            ));
        } else {
            if !changed_ids.is_empty() {
                out.push_str(&format!(
                    "{verb} {} on {}\n",
                    changed_ids.join(", "),
                    self.api_id
                ));
            }
            for s in &self.stages {
                out.push_str(&format!(
                    "redeployed stage {} (deployment {})\n",
                    s.stage,
                    s.deployment_id.as_deref().unwrap_or("-")
                ));
            }
            for v in &self.associated {
                out.push_str(&format!("associated {v} with {}\n", self.api_id));
            }
            for v in &self.disassociated {
                out.push_str(&format!("disassociated {v} from {}\n", self.api_id));
            }
            if let Some(b) = &self.backup {
                out.push_str(&format!("previous policy saved to {b}\n"));
            }
        }
        for url in &self.invoke_urls {
            out.push_str(&format!("invoke URL: {url}\n"));
        }
        for w in &self.warnings {
            out.push_str(&format!(
                "{} {w}\n",
                style.paint("warning:", comfy_table::Color::Yellow)
            ));
        }
        out
    }
}

/// What a policy write shows first: the plan (in a dry run; otherwise it went
/// to stderr while applying) and the coloured diff.
pub fn plan_and_diff(dry_run: bool, plan: &Plan, diff: Option<&str>, style: &Style) -> String {
    let mut out = String::new();
    if dry_run {
        out.push_str(&plan.render(style));
    }
    if let Some(diff) = diff {
        out.push_str(&colour_diff(diff, style));
    }
    out
}

fn colour_diff(diff: &str, style: &Style) -> String {
    diff.lines()
        .map(|l| {
            let painted = if l.starts_with("+++") || l.starts_with("---") {
                l.to_owned()
            } else if l.starts_with('+') {
                style.paint(l, comfy_table::Color::Green)
            } else if l.starts_with('-') {
                style.paint(l, comfy_table::Color::Red)
            } else if l.starts_with("@@") {
                style.paint(l, comfy_table::Color::Cyan)
            } else {
                l.to_owned()
            };
            painted + "\n"
        })
        .collect()
}

pub async fn grant(ctx: &Context, args: &GrantArgs) -> Result<u8> {
    run(
        ctx,
        Mode::Grant,
        &args.api_id,
        &args.vpces,
        args.associate,
        &args.deploy,
    )
    .await
}

pub async fn revoke(ctx: &Context, args: &RevokeArgs) -> Result<u8> {
    run(
        ctx,
        Mode::Revoke,
        &args.api_id,
        &args.vpces,
        args.disassociate,
        &args.deploy,
    )
    .await
}

/// Parse the policy an API returned; a policy xapi cannot read is refused, never guessed at.
pub fn parse_policy(api: &RestApi) -> Result<Option<PolicyDocument>> {
    api.policy
        .as_deref()
        .map(PolicyDocument::parse)
        .transpose()
        .map_err(|e| policy_error(&api.id, e))
}

pub fn policy_error(api_id: &str, e: PolicyError) -> Error {
    Error::BadInput(format!(
        "resource policy of {api_id}: {e}; nothing was changed"
    ))
}

/// The private API, its stages and the caller, read concurrently; refuses a non-private API.
pub async fn observe_private_api(
    aws: &Aws,
    api_id: &ApiId,
) -> Result<(ApiRef, RestApi, Vec<Stage>, String)> {
    let (identity, api, stages) = tokio::try_join!(
        aws.caller_identity(),
        aws.rest_api(api_id),
        aws.stages(api_id)
    )?;
    if !api.is_private() {
        return Err(Error::BadInput(format!(
            "{api_id} is a {} API, not PRIVATE: VPC endpoint grants apply to private APIs",
            api.endpoint_types.join("/")
        )));
    }
    let api_ref = ApiRef {
        region: aws.region().to_owned(),
        account: identity.account,
        api_id: api_id.to_string(),
    };
    Ok((api_ref, api, stages, identity.arn))
}

/// The stages to redeploy: the named ones (each must exist), or all of them.
pub fn target_stages(api_id: &ApiId, stages: &[Stage], args: &DeployArgs) -> Result<Vec<String>> {
    if args.stages.is_empty() {
        return Ok(stages.iter().map(|s| s.name.clone()).collect());
    }
    args.stages
        .iter()
        .map(|wanted| {
            if stages.iter().any(|s| s.name == wanted.as_str()) {
                Ok(wanted.to_string())
            } else {
                Err(Error::BadInput(format!(
                    "stage '{wanted}' does not exist on {api_id} (stages: {})",
                    stages
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        })
        .collect()
}

async fn run(
    ctx: &Context,
    mode: Mode,
    api_id: &ApiId,
    vpces: &[VpceId],
    link: bool,
    deploy: &DeployArgs,
) -> Result<u8> {
    let aws = ctx.aws().await?;
    let prepared = prepare(&aws, mode, api_id, vpces, link, deploy).await?;
    if deploy.dry_run {
        output::emit(ctx, &prepared.report)?;
        return Ok(exit::OK);
    }
    output::note(
        prepared
            .report
            .plan
            .render(&Style { color: ctx.color })
            .trim_end(),
    );
    let report = execute(&aws, prepared).await?;
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

/// A policy change worked out and ready to apply; its report already holds
/// the plan and diff (what a dry run prints).
pub struct Prepared {
    mode: Mode,
    api_id: ApiId,
    api_ref: ApiRef,
    api: RestApi,
    stage_names: Vec<String>,
    vpce_ids: Vec<String>,
    edit: Edit,
    association: Vec<String>,
    pub report: AccessReport,
}

/// Read the API and work out the change, without writing anything.
pub async fn prepare(
    aws: &Aws,
    mode: Mode,
    api_id: &ApiId,
    vpces: &[VpceId],
    link: bool,
    deploy: &DeployArgs,
) -> Result<Prepared> {
    let (api_ref, api, stages, caller) = observe_private_api(aws, api_id).await?;
    let stage_names = target_stages(api_id, &stages, deploy)?;
    let mut vpce_ids: Vec<String> = vpces.iter().map(|v| v.to_string()).collect();
    vpce_ids.sort();
    vpce_ids.dedup();

    let current = parse_policy(&api)?;
    let edit = mode
        .edit(current.as_ref(), &api_ref, &vpce_ids)
        .map_err(|e| policy_error(api_id.as_str(), e))?;
    let association: Vec<String> = vpce_ids
        .iter()
        .filter(|v| api.vpc_endpoint_ids.contains(v) != (mode == Mode::Grant))
        .filter(|_| link)
        .cloned()
        .collect();

    let diff = edit.changed.then(|| {
        let old = current
            .as_ref()
            .map(|d| d.to_pretty() + "\n")
            .unwrap_or_default();
        policy::unified_diff(
            &old,
            &(edit.document.to_pretty() + "\n"),
            &format!("{api_id} (current)"),
            &format!("{api_id} (new)"),
        )
    });
    let plan = build_plan(mode, api_id, &caller, &edit, &stage_names, &association);
    let mut report = AccessReport {
        api_id: api_id.to_string(),
        mode,
        dry_run: deploy.dry_run,
        changed: edit.changed,
        added: edit.added.clone(),
        removed: edit.removed.clone(),
        unchanged: edit.already.clone(),
        stages: Vec::new(),
        associated: Vec::new(),
        disassociated: Vec::new(),
        backup: None,
        policy_sha256: None,
        invoke_urls: Vec::new(),
        diff,
        warnings: edit.warnings.clone(),
        plan,
    };
    if deploy.dry_run && edit.changed {
        report.stages = stage_names
            .iter()
            .map(|s| StageDeployment {
                stage: s.clone(),
                deployment_id: None,
            })
            .collect();
    }
    Ok(Prepared {
        mode,
        api_id: api_id.clone(),
        api_ref,
        api,
        stage_names,
        vpce_ids,
        edit,
        association,
        report,
    })
}

/// Apply a prepared change: back up, write, verify over concurrent writers,
/// redeploy, associate.
pub async fn execute(aws: &Aws, prepared: Prepared) -> Result<AccessReport> {
    let Prepared {
        mode,
        api_id,
        api_ref,
        api,
        stage_names,
        vpce_ids,
        edit,
        association,
        mut report,
    } = prepared;
    let api_id = &api_id;
    if edit.changed {
        let store = BackupStore::from_env()?;
        let path = store.save(&Backup {
            api_id: api_id.to_string(),
            account: api_ref.account.clone(),
            region: api_ref.region.clone(),
            saved_at: utc_timestamp(std::time::SystemTime::now()),
            policy: api.policy.clone(),
        })?;
        output::note(&format!("saved the previous policy to {}", path.display()));
        report.backup = Some(path.display().to_string());

        let mut pending = edit;
        let mut round = 0;
        loop {
            round += 1;
            let written = write_verified(aws, api_id, &api_ref, mode, &vpce_ids, pending).await?;
            let hash = written.canonical_sha256(&api_ref);
            report.stages.clear();
            for stage in &stage_names {
                let id = aws
                    .create_deployment(api_id, stage, &policy::deployment_marker(&hash))
                    .await?;
                output::note(&format!("deployed stage {stage} ({id})"));
                report.stages.push(StageDeployment {
                    stage: stage.clone(),
                    deployment_id: Some(id),
                });
            }
            report.policy_sha256 = Some(hash);
            // A writer that raced the redeploy may have dropped our change after we verified it.
            let fresh = parse_policy(&aws.rest_api(api_id).await?)?;
            let again = mode
                .edit(fresh.as_ref(), &api_ref, &vpce_ids)
                .map_err(|e| policy_error(api_id.as_str(), e))?;
            if !again.changed {
                break;
            }
            if round >= ROUNDS {
                return Err(unverified(
                    mode,
                    api_id,
                    &vpce_ids,
                    "another writer kept overwriting the policy",
                ));
            }
            output::note("the policy changed under us during the redeploy; applying again");
            pending = again;
        }
    }

    for v in &association {
        aws.set_vpce_association(api_id, v, mode == Mode::Grant)
            .await?;
    }
    if !association.is_empty() {
        let after = aws.rest_api(api_id).await?;
        for v in &association {
            let listed = after.vpc_endpoint_ids.contains(v);
            if listed != (mode == Mode::Grant) {
                return Err(Error::Unverified(format!(
                    "{} {v} {} {api_id}, but GetRestApi {} it in endpointConfiguration.vpcEndpointIds; check with `aws apigateway get-rest-api --rest-api-id {api_id}`",
                    if mode == Mode::Grant { "associated" } else { "disassociated" },
                    if mode == Mode::Grant { "with" } else { "from" },
                    if listed { "still lists" } else { "does not list" },
                )));
            }
        }
        if mode == Mode::Grant {
            report.associated = association.clone();
        } else {
            report.disassociated = association.clone();
        }
    }

    if mode == Mode::Grant {
        let suffix = region::dns_suffix(&api_ref.region);
        for stage in &stage_names {
            report.invoke_urls.push(format!(
                "https://{api_id}.execute-api.{}.{suffix}/{stage} (private DNS)",
                api_ref.region
            ));
            for v in api
                .vpc_endpoint_ids
                .iter()
                .chain(&report.associated)
                .filter(|v| vpce_ids.contains(v))
            {
                report.invoke_urls.push(format!(
                    "https://{api_id}-{v}.execute-api.{}.{suffix}/{stage}",
                    api_ref.region
                ));
            }
        }
        report.invoke_urls.dedup();
    }
    Ok(report)
}

fn build_plan(
    mode: Mode,
    api_id: &ApiId,
    caller: &str,
    edit: &Edit,
    stages: &[String],
    association: &[String],
) -> Plan {
    let mut plan = Plan {
        identity: caller.to_owned(),
        actions: Vec::new(),
        warnings: edit.warnings.clone(),
    };
    if edit.changed {
        let mut details: Vec<String> = edit.added.iter().map(|v| format!("admit {v}")).collect();
        details.extend(edit.removed.iter().map(|v| format!("remove {v}")));
        details.push(format!(
            "{} characters of {}",
            edit.document.to_compact().len(),
            policy::POLICY_SIZE_LIMIT
        ));
        plan.actions.push(Action {
            verb: Verb::Change,
            resource: "resource-policy".into(),
            target: api_id.to_string(),
            details,
        });
        for s in stages {
            plan.actions.push(Action {
                verb: Verb::Create,
                resource: "deployment".into(),
                target: format!("{api_id} stage {s}"),
                details: vec!["so the new policy takes effect".into()],
            });
        }
        if stages.is_empty() {
            plan.warnings.push(format!(
                "{api_id} has no stages: the policy changes, but takes effect only when a stage is deployed"
            ));
        }
    }
    for v in association {
        plan.actions.push(Action {
            verb: Verb::Change,
            resource: "endpoint-association".into(),
            target: api_id.to_string(),
            details: vec![format!(
                "{} {v}",
                if mode == Mode::Grant {
                    "associate"
                } else {
                    "disassociate"
                }
            )],
        });
    }
    for v in &edit.already {
        let state = if mode == Mode::Grant {
            "already admitted"
        } else {
            "already not admitted"
        };
        plan.actions.push(Action {
            verb: Verb::Reuse,
            resource: "resource-policy".into(),
            target: api_id.to_string(),
            details: vec![format!("{v} {state}")],
        });
    }
    plan
}

fn unverified(mode: Mode, api_id: &ApiId, vpces: &[String], why: &str) -> Error {
    Error::Unverified(format!(
        "could not verify that {} {} on {api_id}: {why}; inspect with `xapi policy show --api-id {api_id}` and re-run",
        vpces.join(", "),
        if mode == Mode::Grant { "is admitted" } else { "is no longer admitted" }
    ))
}

/// Write `edit`, then re-read until our change is seen to hold, re-applying it
/// on top of whatever a concurrent writer left.
async fn write_verified(
    aws: &Aws,
    api_id: &ApiId,
    api_ref: &ApiRef,
    mode: Mode,
    vpces: &[String],
    first: Edit,
) -> Result<PolicyDocument> {
    let mut edit = first;
    for attempt in 1..=WRITE_ATTEMPTS {
        aws.put_policy(api_id, &edit.document.to_compact()).await?;
        tokio::time::sleep(settle_delay(attempt)).await;
        let fresh = parse_policy(&aws.rest_api(api_id).await?)?;
        let again = mode
            .edit(fresh.as_ref(), api_ref, vpces)
            .map_err(|e| policy_error(api_id.as_str(), e))?;
        if !again.changed {
            return fresh.ok_or_else(|| {
                unverified(mode, api_id, vpces, "the API has no policy after the write")
            });
        }
        tracing::debug!(attempt, "our policy change was overwritten; re-applying");
        edit = again;
    }
    Err(unverified(
        mode,
        api_id,
        vpces,
        &format!("overwritten by another writer {WRITE_ATTEMPTS} times"),
    ))
}

/// Long enough for a concurrent read-modify-write to land before we re-read,
/// jittered so that racing writers stop colliding.
fn settle_delay(attempt: u32) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let jitter = u64::from((nanos ^ std::process::id().wrapping_mul(2_654_435_761)) % 400);
    Duration::from_millis(250 + 150 * u64::from(attempt - 1) + jitter)
}
