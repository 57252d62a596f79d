//! `xapi grant-vpce` and `xapi revoke-vpce`: edit a private API's resource
//! policy so exactly the named VPC endpoints gain (or lose) access, then
//! redeploy so the change takes effect.
//!
//! The write is a read-modify-write of the whole document (API Gateway has no
//! partial or conditional update). xapi's own writers take turns through a
//! per-API lease ([`crate::lease`]); against any other writer, the policy is
//! re-read right before every write and the change re-applied to what was
//! read, and after the write the whole stored document must equal what was
//! written, or the cycle repeats.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

use crate::aws::Aws;
use crate::backup::{utc_timestamp, Backup, BackupStore};
use crate::cli::{DeployArgs, GrantArgs, RevokeArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{ApiId, VpceId};
use crate::lease::{self, LeaseOptions};
use crate::model::{RestApi, Stage};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};
use crate::policy::{self, ApiRef, Edit, PolicyDocument, PolicyError, Reference, StillAdmitted};
use crate::region;

/// How many times to re-read, re-apply and re-write when another writer's
/// document is found in place of ours.
const WRITE_ATTEMPTS: u32 = 8;
/// Rounds of write + redeploy when the policy changed during the redeploy.
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
        like: Option<&str>,
    ) -> Result<Edit, PolicyError> {
        match self {
            Mode::Grant => policy::grant_like(current, api, vpces, like),
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
    /// grant: the admitted endpoint each added one now behaves exactly like.
    pub references: Vec<Reference>,
    /// revoke: endpoints a statement that does not name them still admits.
    pub still_admitted: Vec<StillAdmitted>,
    pub plan: Plan,
}

impl AccessReport {
    /// Still admitted from any VPC: the revoke could not close it (exit 5). Admitted only
    /// from VPCs the policy admits as a whole depends on where the endpoint sits, which
    /// the producer cannot see: a warning.
    pub fn still_open(&self) -> bool {
        self.still_admitted
            .iter()
            .any(|s| s.only_from_vpcs.is_empty())
    }
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
        } else if !self.changed
            && self.stages.is_empty()
            && self.associated.is_empty()
            && self.disassociated.is_empty()
        {
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
        for r in &self.references {
            out.push_str(&format!("{} is admitted exactly like {}\n", r.vpce, r.like));
        }
        for still in &self.still_admitted {
            let from = if still.only_from_vpcs.is_empty() {
                String::new()
            } else {
                format!(" if it is in {}", still.only_from_vpcs.join(" or "))
            };
            out.push_str(&format!(
                "{} {} is still admitted{from} by statement {} (resources {}{}), which does not name it\n",
                style.paint("still admitted:", comfy_table::Color::Red),
                still.vpce,
                still.statements.join(", "),
                still.resources.join(", "),
                still
                    .example
                    .as_deref()
                    .map(|e| format!("; e.g. {e}"))
                    .unwrap_or_default(),
            ));
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
        Endpoints {
            ids: &args.vpces,
            like: args.like.as_ref(),
        },
        args.associate,
        &args.deploy,
        args.lease_wait,
    )
    .await
}

pub async fn revoke(ctx: &Context, args: &RevokeArgs) -> Result<u8> {
    run(
        ctx,
        Mode::Revoke,
        &args.api_id,
        Endpoints {
            ids: &args.vpces,
            like: None,
        },
        args.disassociate,
        &args.deploy,
        args.lease_wait,
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

/// The endpoints a grant or revoke is about, and (grant) the one they are to copy.
struct Endpoints<'a> {
    ids: &'a [VpceId],
    like: Option<&'a VpceId>,
}

async fn run(
    ctx: &Context,
    mode: Mode,
    api_id: &ApiId,
    endpoints: Endpoints<'_>,
    link: bool,
    deploy: &DeployArgs,
    lease_wait: Duration,
) -> Result<u8> {
    let aws = ctx.aws().await?;
    let mut prepared = prepare(
        &aws,
        mode,
        api_id,
        endpoints.ids,
        endpoints.like,
        link,
        deploy,
    )
    .await?;
    let code = |r: &AccessReport| {
        if r.still_open() {
            exit::STILL_ADMITTED
        } else {
            exit::OK
        }
    };
    if deploy.dry_run {
        output::emit(ctx, &prepared.report)?;
        return Ok(code(&prepared.report));
    }
    prepared.lease = LeaseOptions {
        wait: lease_wait,
        progress: ctx.progress,
    };
    if prepared.needs_apply() {
        output::note(prepared.report.plan.render(&ctx.stderr_style()).trim_end());
    }
    let report = execute(&aws, prepared).await?;
    output::emit(ctx, &report)?;
    Ok(code(&report))
}

/// A target stage and the policy hash its deployment carries (`None`: not
/// deployed by xapi, so unknown).
#[derive(Debug, Clone)]
pub struct StageState {
    pub name: String,
    pub deployed: Option<String>,
}

/// Each target stage with the marker of the deployment it serves.
pub async fn stage_states(
    aws: &Aws,
    api_id: &ApiId,
    stages: &[Stage],
    names: &[String],
) -> Result<Vec<StageState>> {
    let reads = names.iter().map(|name| async move {
        let deployment = stages
            .iter()
            .find(|s| &s.name == name)
            .and_then(|s| s.deployment_id.clone());
        let deployed = match deployment {
            Some(id) => {
                let d = aws.deployment(api_id, &id).await?;
                policy::deployed_hash(d.description.as_deref()).map(str::to_owned)
            }
            None => None,
        };
        Ok::<_, Error>(StageState {
            name: name.clone(),
            deployed,
        })
    });
    futures::future::try_join_all(reads).await
}

/// Stages that do not serve the `current` policy: deployed by xapi with
/// another one, or named by the note a failed run left (`pending`). They are
/// redeployed even when the policy needs no change. A stage xapi never
/// deployed is otherwise left alone: redeploying it would also publish any
/// other undeployed change to the API.
pub fn stale_stages(
    states: &[StageState],
    current: Option<&str>,
    pending: Option<&lease::Pending>,
) -> Vec<String> {
    let noted = |name: &str| {
        pending
            .is_some_and(|p| Some(p.hash.as_str()) == current && p.stages.iter().any(|s| s == name))
    };
    states
        .iter()
        .filter(|s| s.deployed.as_deref() != current)
        .filter(|s| s.deployed.is_some() || noted(&s.name))
        .map(|s| s.name.clone())
        .collect()
}

/// The plan lines for redeploying stale stages.
pub fn stale_actions(
    api_id: &ApiId,
    states: &[StageState],
    stale: &[String],
    current: Option<&str>,
) -> Vec<Action> {
    stale
        .iter()
        .map(|name| {
            let deployed = states
                .iter()
                .find(|s| &s.name == name)
                .and_then(|s| s.deployed.as_deref())
                .map(short)
                .unwrap_or("not by xapi");
            Action {
                verb: Verb::Create,
                resource: "deployment".into(),
                target: format!("{api_id} stage {name}"),
                details: vec![format!(
                    "the stage serves an older policy (deployed {deployed}, current {}): redeploy so the current one takes effect",
                    current.map(short).unwrap_or_default()
                )],
            }
        })
        .collect()
}

/// A policy change worked out and ready to apply; its report already holds
/// the plan and diff (what a dry run prints).
pub struct Prepared {
    mode: Mode,
    api_id: ApiId,
    api_ref: ApiRef,
    api: RestApi,
    caller: String,
    stages: Vec<StageState>,
    stale: Vec<String>,
    vpce_ids: Vec<String>,
    like: Option<String>,
    edit: Edit,
    association: Vec<String>,
    /// How to wait for the write lease; grant and revoke set it from their flags.
    pub lease: LeaseOptions,
    pub report: AccessReport,
}

impl Prepared {
    /// Whether applying would call AWS to change anything at all.
    pub fn needs_apply(&self) -> bool {
        self.edit.changed || !self.stale.is_empty() || !self.association.is_empty()
    }
}

/// The default wait for the write lease when the caller has no flag for it.
pub const DEFAULT_LEASE_WAIT: Duration = Duration::from_secs(60);

/// Read the API and work out the change, without writing anything.
pub async fn prepare(
    aws: &Aws,
    mode: Mode,
    api_id: &ApiId,
    vpces: &[VpceId],
    like: Option<&VpceId>,
    link: bool,
    deploy: &DeployArgs,
) -> Result<Prepared> {
    let (observed, pending) = tokio::join!(
        observe_private_api(aws, api_id),
        lease::pending(aws, api_id.as_str())
    );
    let (api_ref, api, stages, caller) = observed?;
    let stage_names = target_stages(api_id, &stages, deploy)?;
    let states = stage_states(aws, api_id, &stages, &stage_names).await?;
    let mut vpce_ids: Vec<String> = vpces.iter().map(|v| v.to_string()).collect();
    vpce_ids.sort();
    vpce_ids.dedup();

    let current = parse_policy(&api)?;
    let current_hash = current.as_ref().map(|d| d.canonical_sha256(&api_ref));
    let like = like.map(|v| v.to_string());
    let edit = mode
        .edit(current.as_ref(), &api_ref, &vpce_ids, like.as_deref())
        .map_err(|e| policy_error(api_id.as_str(), e))?;
    let stale = if edit.changed {
        Vec::new()
    } else {
        stale_stages(&states, current_hash.as_deref(), pending.as_ref())
    };
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
    let mut plan = build_plan(mode, api_id, &caller, &edit, &stage_names, &association);
    plan.actions.extend(stale_actions(
        api_id,
        &states,
        &stale,
        current_hash.as_deref(),
    ));
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
        policy_sha256: current_hash.filter(|_| !edit.changed),
        invoke_urls: Vec::new(),
        diff,
        warnings: edit.warnings.clone(),
        references: edit.references.clone(),
        still_admitted: edit.still_admitted.clone(),
        plan,
    };
    if deploy.dry_run {
        let planned: Vec<String> = if edit.changed {
            stage_names.clone()
        } else {
            stale.clone()
        };
        report.stages = planned
            .into_iter()
            .map(|stage| StageDeployment {
                stage,
                deployment_id: None,
            })
            .collect();
    }
    Ok(Prepared {
        mode,
        api_id: api_id.clone(),
        api_ref,
        api,
        caller,
        stages: states,
        stale,
        vpce_ids,
        like,
        edit,
        association,
        lease: LeaseOptions {
            wait: DEFAULT_LEASE_WAIT,
            progress: false,
        },
        report,
    })
}

/// Apply a prepared change under the write lease: re-read, re-apply, write,
/// verify, redeploy; then associate.
pub async fn execute(aws: &Aws, prepared: Prepared) -> Result<AccessReport> {
    if !prepared.needs_apply() {
        return Ok(prepared.report);
    }
    let Prepared {
        mode,
        api_id,
        api_ref,
        api,
        caller,
        stages,
        stale,
        vpce_ids,
        like,
        association,
        lease,
        mut report,
        ..
    } = prepared;
    let api_id = &api_id;
    let stage_names: Vec<String> = stages.iter().map(|s| s.name.clone()).collect();
    let change = Change::Access {
        mode,
        vpces: vpce_ids.clone(),
        like,
    };
    let job = WriteJob {
        api_id,
        api_ref: &api_ref,
        caller: &caller,
        change: &change,
        stages,
        stale,
        lease: &lease,
    };
    let applied = job.run(aws).await?;
    report.changed = applied.wrote;
    report.backup = applied.backup;
    report.stages = applied.deployed;
    report.policy_sha256 = applied.hash;

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
        let mut details: Vec<String> = edit
            .references
            .iter()
            .map(|r| format!("admit {} exactly like {}", r.vpce, r.like))
            .collect();
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

/// What a write job makes of whatever policy it finds right before writing.
pub enum Change {
    /// Grant or revoke these endpoints.
    Access {
        mode: Mode,
        vpces: Vec<String>,
        like: Option<String>,
    },
    /// Put back a saved document.
    Restore {
        document: PolicyDocument,
        from: String,
    },
}

impl Change {
    /// The document to write over `current`; `None` when `current` already is what is wanted.
    fn target(
        &self,
        current: Option<&PolicyDocument>,
        api: &ApiRef,
    ) -> Result<Option<PolicyDocument>, PolicyError> {
        match self {
            Change::Access { mode, vpces, like } => {
                let edit = mode.edit(current, api, vpces, like.as_deref())?;
                Ok(edit.changed.then_some(edit.document))
            }
            Change::Restore { document, .. } => {
                let same = current.map(|c| c.canonical_sha256(api))
                    == Some(document.canonical_sha256(api));
                Ok((!same).then(|| document.clone()))
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Change::Access {
                mode: Mode::Grant,
                vpces,
                ..
            } => format!("admit {}", vpces.join(", ")),
            Change::Access {
                mode: Mode::Revoke,
                vpces,
                ..
            } => format!("remove {}", vpces.join(", ")),
            Change::Restore { from, .. } => format!("restore {from}"),
        }
    }
}

/// One policy write, end to end: lease, re-read, write, verify, redeploy.
pub struct WriteJob<'a> {
    pub api_id: &'a ApiId,
    pub api_ref: &'a ApiRef,
    pub caller: &'a str,
    pub change: &'a Change,
    pub stages: Vec<StageState>,
    /// Stages found not to serve the current policy although they carry no
    /// marker (named by a failed run's note).
    pub stale: Vec<String>,
    pub lease: &'a LeaseOptions,
}

/// What a write job did.
pub struct Applied {
    /// Whether this run wrote the policy (someone else may have made the change already).
    pub wrote: bool,
    pub backup: Option<String>,
    pub deployed: Vec<StageDeployment>,
    /// Canonical hash of the policy now stored (and deployed to the target stages).
    pub hash: Option<String>,
}

/// What has been done so far, for the report and for the message when
/// something fails halfway.
#[derive(Default)]
struct Progress {
    /// The hash of a policy whose write was sent but has not returned.
    sending: Option<String>,
    written: Option<String>,
    backup: Option<String>,
    deployed: Vec<StageDeployment>,
    live: Option<String>,
    /// Each target stage's marker as it now stands.
    markers: Vec<StageState>,
}

fn lock(p: &Mutex<Progress>) -> std::sync::MutexGuard<'_, Progress> {
    p.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

impl WriteJob<'_> {
    pub async fn run(self, aws: &Aws) -> Result<Applied> {
        let held = lease::acquire(aws, self.api_id.as_str(), self.caller, self.lease).await?;
        let progress = Mutex::new(Progress {
            markers: self.stages.clone(),
            ..Progress::default()
        });
        let result = {
            let work = self.apply(aws, &progress);
            tokio::pin!(work);
            match &held {
                Some(l) => tokio::select! {
                    r = &mut work => r,
                    never = l.keep_alive(aws) => match never {},
                    _ = tokio::signal::ctrl_c() => Err(Error::Interrupted(String::new())),
                },
                None => tokio::select! {
                    r = &mut work => r,
                    _ = tokio::signal::ctrl_c() => Err(Error::Interrupted(String::new())),
                },
            }
        };
        let p = progress
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(l) = held {
            let not_live: Vec<String> = p
                .markers
                .iter()
                .filter(|m| m.deployed.is_none() || m.deployed != p.live)
                .map(|m| m.name.clone())
                .collect();
            let pending = match (&p.live, result.is_err() && p.written.is_some()) {
                (Some(hash), true) if !not_live.is_empty() => Some(lease::Pending {
                    hash: hash.clone(),
                    stages: not_live,
                }),
                _ => None,
            };
            l.release(aws, pending).await;
        }
        match result {
            Ok(()) => Ok(Applied {
                wrote: p.written.is_some(),
                backup: p.backup,
                deployed: p.deployed,
                hash: p.live,
            }),
            Err(e) => Err(self.explain(e, &p)),
        }
    }

    /// Turn a failure into one that says exactly what is live and what is not.
    fn explain(&self, e: Error, p: &Progress) -> Error {
        let api_id = self.api_id;
        if p.written.is_none() && p.deployed.is_empty() {
            return match (e, &p.sending) {
                (Error::Interrupted(_), None) => Error::Interrupted(format!(
                    "nothing was changed on {api_id}; the write lease was released"
                )),
                (Error::Interrupted(_), Some(hash)) => Error::Interrupted(format!(
                    "a write of the policy of {api_id} ({}, sha256 {}) was on its way and may or may not have landed; no stage was redeployed; the write lease was released; re-run the same command to finish, or see `xapi policy show --api-id {api_id}`",
                    self.change.describe(),
                    short(hash)
                )),
                (other, _) => other,
            };
        }
        let mut state = match (&p.written, &p.live) {
            (Some(_), Some(live)) => format!(
                "the policy of {api_id} was written ({}; now sha256 {})",
                self.change.describe(),
                short(live)
            ),
            (Some(w), None) => format!(
                "a policy was written to {api_id} (sha256 {}) but could not be confirmed",
                short(w)
            ),
            (None, live) => format!(
                "the policy of {api_id} needed no change (sha256 {})",
                live.as_deref().map(short).unwrap_or("-")
            ),
        };
        if let Some(b) = &p.backup {
            state.push_str(&format!("; the policy it replaced is saved to {b}"));
        }
        let live_on: Vec<&str> = p
            .markers
            .iter()
            .filter(|m| m.deployed.is_some() && m.deployed == p.live)
            .map(|m| m.name.as_str())
            .collect();
        let not_live: Vec<&str> = p
            .markers
            .iter()
            .filter(|m| m.deployed.is_none() || m.deployed != p.live)
            .map(|m| m.name.as_str())
            .collect();
        if !live_on.is_empty() {
            state.push_str(&format!("; live on stage {}", live_on.join(", ")));
        }
        if !not_live.is_empty() {
            state.push_str(&format!(
                "; NOT live on stage {} (it still serves the policy it was deployed with)",
                not_live.join(", ")
            ));
        }
        state.push_str("; re-run the same command to finish: it redeploys what is not live");
        match e {
            Error::Interrupted(_) => Error::Interrupted(state),
            cause => Error::AfterWrite {
                cause: Box::new(cause),
                state,
            },
        }
    }

    async fn apply(&self, aws: &Aws, progress: &Mutex<Progress>) -> Result<()> {
        let store = BackupStore::from_env()?;
        let api_id = self.api_id;
        for _ in 0..ROUNDS {
            let Some(hash) = self.write(aws, &store, progress).await? else {
                // No policy at all (nothing to revoke from): nothing to deploy.
                return Ok(());
            };
            let todo: Vec<String> = {
                let p = lock(progress);
                let wrote = p.written.is_some();
                p.markers
                    .iter()
                    .filter(|m| m.deployed.as_deref() != Some(hash.as_str()))
                    .filter(|m| wrote || m.deployed.is_some() || self.stale.contains(&m.name))
                    .map(|m| m.name.clone())
                    .collect()
            };
            if todo.is_empty() {
                return Ok(());
            }
            for stage in &todo {
                let id = aws
                    .create_deployment(api_id, stage, &policy::deployment_marker(&hash))
                    .await?;
                output::note(&format!("deployed stage {stage} ({id})"));
                let mut p = lock(progress);
                if let Some(m) = p.markers.iter_mut().find(|m| &m.name == stage) {
                    m.deployed = Some(hash.clone());
                }
                p.deployed.retain(|d| &d.stage != stage);
                p.deployed.push(StageDeployment {
                    stage: stage.clone(),
                    deployment_id: Some(id),
                });
            }
            // A deployment captures the policy stored at that moment: if it
            // changed meanwhile, the markers just written may be wrong.
            let now = parse_policy(&aws.rest_api(api_id).await?)?
                .map(|d| d.canonical_sha256(self.api_ref));
            if now.as_deref() == Some(hash.as_str()) {
                return Ok(());
            }
            output::note(&format!(
                "the policy of {api_id} changed while xapi redeployed it; applying again"
            ));
            let mut p = lock(progress);
            for m in p.markers.iter_mut().filter(|m| todo.contains(&m.name)) {
                m.deployed = Some(String::new());
            }
            p.live = now;
        }
        Err(Error::Unverified(format!(
            "the policy of {api_id} kept changing while xapi redeployed it ({ROUNDS} rounds): another writer is active"
        )))
    }

    /// Make the stored policy carry the change: re-read right before each
    /// write, apply the change to what was read, write, and check that the
    /// whole stored document is the one written. Returns the stored policy's hash.
    async fn write(
        &self,
        aws: &Aws,
        store: &BackupStore,
        progress: &Mutex<Progress>,
    ) -> Result<Option<String>> {
        let api_id = self.api_id;
        for attempt in 1..=WRITE_ATTEMPTS {
            let api = aws.rest_api(api_id).await?;
            let fresh = parse_policy(&api)?;
            let target = self
                .change
                .target(fresh.as_ref(), self.api_ref)
                .map_err(|e| policy_error(api_id.as_str(), e))?;
            let Some(target) = target else {
                let hash = fresh.map(|d| d.canonical_sha256(self.api_ref));
                lock(progress).live = hash.clone();
                return Ok(hash);
            };
            let path = store.save(&Backup {
                api_id: api_id.to_string(),
                account: self.api_ref.account.clone(),
                region: self.api_ref.region.clone(),
                saved_at: utc_timestamp(std::time::SystemTime::now()),
                policy: api.policy.clone(),
            })?;
            output::note(&format!(
                "saved the policy being replaced to {}",
                path.display()
            ));
            lock(progress).backup = Some(path.display().to_string());
            let want = target.canonical_sha256(self.api_ref);
            lock(progress).sending = Some(want.clone());
            aws.put_policy(api_id, &target.to_compact()).await?;
            {
                let mut p = lock(progress);
                p.sending = None;
                p.written = Some(want.clone());
            }
            let stored = parse_policy(&aws.rest_api(api_id).await?)?
                .map(|d| d.canonical_sha256(self.api_ref));
            lock(progress).live = stored.clone();
            if stored.as_deref() == Some(want.as_str()) {
                return Ok(Some(want));
            }
            output::note(&format!(
                "the policy of {api_id} changed while xapi wrote it (another writer); re-reading and applying again ({attempt}/{WRITE_ATTEMPTS})"
            ));
        }
        Err(Error::Unverified(format!(
            "could not {} on {api_id}: another writer replaced the policy {WRITE_ATTEMPTS} times in a row; inspect with `xapi policy show --api-id {api_id}` and re-run",
            self.change.describe()
        )))
    }
}
