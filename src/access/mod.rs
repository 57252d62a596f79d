//! The access engine behind `grant-vpce`, `revoke-vpce`, `policy restore` and
//! the producer half of `wire-regional-front`: observe a private API and its
//! policy, plan with [`crate::plan::access`], and apply the planned steps.
//!
//! The write is a read-modify-write of the whole document (API Gateway has no
//! partial or conditional update). xapi's own writers take turns through a
//! per-API lease ([`crate::lease`]); against any other writer, the policy is
//! re-read right before every write and the change re-applied to what was
//! read, and after the write the whole stored document must equal what was
//! written, or the cycle repeats.

mod domain;
mod holder;
mod report;
mod write;

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use domain::{DomainAccess, DomainAccessReport};
pub use holder::PolicyHolder;
pub use report::{colour_diff, planned_stages, AccessReport, StageDeployment};

use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::{ApiId, VpceId};
use crate::interrupt;
use crate::lease::{self, Lease, LeaseOptions, Pending};
use crate::model::{ApiShape, Stage};
use crate::output;
use crate::pipeline::{self, Mutation, Ran};
use crate::plan::access::{self as planner, Desired, Drift, Facts, Observed, StageState, Step};
use crate::plan::publish;
use crate::policy::{self, ApiRef};

/// The default wait for the write lease when the caller has no flag for it.
pub const DEFAULT_LEASE_WAIT: Duration = Duration::from_secs(60);

/// What one run has learnt of each deployment (by id). A deployment is a
/// snapshot that never changes, so observing again to verify reads only the
/// deployments it has not met, not the ones it saw or created itself.
#[derive(Debug, Default, Clone)]
pub struct Known {
    deployments: HashMap<String, Deployed>,
}

/// One deployment as a stage serves it.
#[derive(Debug, Clone)]
struct Deployed {
    /// The policy hash its description carries.
    marker: Option<String>,
    /// How it compares with the draft.
    drift: Drift,
    /// The policy its export carries.
    policy: Option<String>,
}

impl Known {
    /// A deployment this run created, with the policy it was made from: it
    /// serves the draft as it was then, which the plan showed. Its policy is
    /// the stored one, which the plan tells by the marker.
    fn created(&mut self, deployment_id: String, hash: String) {
        self.deployments.insert(
            deployment_id,
            Deployed {
                marker: Some(hash),
                drift: Drift::Same,
                policy: None,
            },
        );
    }
}

/// The API, its target stages with their markers, the caller and the note a
/// failed run left, read concurrently where they do not depend on each other.
pub async fn observe(aws: &Aws, api_id: &ApiId, wanted_stages: &[String]) -> Result<Observed> {
    observe_knowing(aws, api_id, wanted_stages, &mut Known::default(), None).await
}

/// `note`: the lease's note when this process holds the lease (it is in the
/// record this process wrote), so it is not read again.
async fn observe_knowing(
    aws: &Aws,
    api_id: &ApiId,
    wanted_stages: &[String],
    known: &mut Known,
    note: Option<Option<Pending>>,
) -> Result<Observed> {
    let pending = async {
        match note {
            Some(held) => held,
            None => lease::pending(aws, api_id.as_str()).await,
        }
    };
    // The deployments, exports and draft follow the stages as soon as they
    // are back, beside the reads that take longer (the lease's note).
    let stages = async {
        let stages = aws.stages(api_id).await?;
        let names = planner::target_stages(api_id, &stages, wanted_stages)?;
        stage_states(aws, api_id, &stages, &names, known).await
    };
    let (identity, api, stages, pending) =
        tokio::join!(aws.caller_identity(), aws.rest_api(api_id), stages, pending);
    let (identity, api, (stages, draft)) = (identity?, api?, stages?);
    Ok(Observed {
        caller: identity.arn,
        api_ref: ApiRef {
            region: aws.region().to_owned(),
            account: identity.account,
            api_id: api_id.to_string(),
        },
        api,
        stages,
        draft,
        pending,
    })
}

/// Each named stage with the marker of the deployment it serves and how that
/// deployment compares with the draft (one GetExport per stage with a
/// deployment, one GetResources for the draft), reading only the
/// deployments `known` does not hold, and adding them to it.
async fn stage_states(
    aws: &Aws,
    api_id: &ApiId,
    stages: &[Stage],
    names: &[String],
    known: &mut Known,
) -> Result<(Vec<StageState>, Option<ApiShape>)> {
    let deployments: Vec<(String, Option<String>)> = names
        .iter()
        .map(|name| {
            let deployment = stages
                .iter()
                .find(|s| &s.name == name)
                .and_then(|s| s.deployment_id.clone())
                .filter(|id| !id.is_empty());
            (name.clone(), deployment)
        })
        .collect();
    let unknown = |d: &Option<String>| {
        d.as_ref()
            .is_some_and(|id| !known.deployments.contains_key(id))
    };
    let any_unknown = deployments.iter().any(|(_, d)| unknown(d));
    let draft = async {
        if any_unknown {
            aws.draft_methods(api_id).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let reads = deployments.iter().map(|(name, deployment)| async move {
        let Some(id) = deployment.as_ref().filter(|_| unknown(deployment)) else {
            return Ok::<_, Error>((None, None));
        };
        let (d, export) =
            tokio::join!(aws.deployment(api_id, id), aws.exported_stage(api_id, name));
        let deployed = policy::deployed_hash(d?.description.as_deref()).map(str::to_owned);
        Ok((deployed, Some(export)))
    });
    let (draft, reads) = tokio::join!(draft, futures::future::try_join_all(reads));
    let (draft, reads) = (draft?, reads?);
    let states = deployments
        .into_iter()
        .zip(reads)
        .map(|((name, deployment), (deployed, export))| {
            if let Some(known) = deployment.as_ref().and_then(|id| known.deployments.get(id)) {
                return StageState {
                    name,
                    deployed: known.marker.clone(),
                    serves: true,
                    drift: known.drift.clone(),
                    served_policy: known.policy.clone(),
                };
            }
            let (drift, served_policy) = match (export, &draft) {
                (None, _) => (Drift::Same, None),
                (Some(Err(e)), _) => (Drift::Unknown(e.to_string()), None),
                (Some(Ok(export)), None) => (Drift::Same, export.policy),
                (Some(Ok(export)), Some(draft)) => (
                    match &export.methods {
                        Ok(methods) => publish::compare(methods, draft),
                        Err(why) => Drift::Unknown(format!("its export: {why}")),
                    },
                    export.policy,
                ),
            };
            if let Some(id) = &deployment {
                known.deployments.insert(
                    id.clone(),
                    Deployed {
                        marker: deployed.clone(),
                        drift: drift.clone(),
                        policy: served_policy.clone(),
                    },
                );
            }
            StageState {
                name,
                deployed,
                serves: deployment.is_some(),
                drift,
                served_policy,
            }
        })
        .collect();
    Ok((states, draft))
}

/// What applying did, beyond what observing again shows.
#[derive(Debug, Default)]
pub struct Applied {
    /// Whether this run wrote the policy (someone else may have made the change already).
    pub wrote: bool,
    pub backup: Option<String>,
    pub deployed: Vec<StageDeployment>,
    pub associated: Vec<VpceId>,
    pub disassociated: Vec<VpceId>,
    /// The facts of the plan that was applied (observing again finds the change made).
    pub facts: Facts,
}

/// The report shows the edit actually written when it was applied again to another
/// writer's document, not the one planned.
fn report_rewrite(facts: &mut Facts, api_id: &dyn std::fmt::Display, r: write::Rewritten) {
    facts.diff = Some(policy::unified_diff(
        &r.replaced
            .as_ref()
            .map(|d| d.to_pretty() + "\n")
            .unwrap_or_default(),
        &(r.written.to_pretty() + "\n"),
        &format!("{api_id} (as another writer left it)"),
        &format!("{api_id} (written)"),
    ));
    if let Some(edit) = &r.edit {
        facts.record(edit);
    }
    facts.warnings.push(format!(
        "another writer changed the policy of {api_id} after the plan: the change was applied again to their document, and the diff shows what was written"
    ));
}

/// Applies planned steps to one API. It keeps the write lease, renewed,
/// from the write until the end of [`Writer::run`], so the pipeline's
/// verification reads a policy that no other xapi writer is changing meanwhile.
pub struct Writer<'a> {
    aws: &'a Aws,
    lease: LeaseOptions,
    /// `--yes`: publish the draft changes a redeploy carries without asking.
    yes: bool,
    /// Said yes on the terminal already: asked once per run.
    agreed: AtomicBool,
    held: Mutex<Option<Held>>,
    /// Wakes the renewal in [`Writer::run`] once the write job hands the lease over.
    handed_over: tokio::sync::Notify,
    /// Ctrl-C is handled from the moment the lease may be taken until it is released.
    guard: Mutex<Option<interrupt::Guard>>,
    /// Set once the steps were applied: the API, for what Ctrl-C or a lost
    /// lease leaves unverified.
    applied_to: Mutex<Option<String>>,
    /// The deployments this run has read or created, so verifying reads only new ones.
    known: Mutex<Known>,
}

/// The lease kept for verification, and the note to leave when releasing it.
struct Held {
    lease: Arc<Lease>,
    note: Option<Pending>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<'a> Writer<'a> {
    pub fn new(aws: &'a Aws, lease: LeaseOptions, yes: bool) -> Self {
        Writer {
            aws,
            lease,
            yes,
            agreed: AtomicBool::new(false),
            held: Mutex::new(None),
            handed_over: tokio::sync::Notify::new(),
            guard: Mutex::new(None),
            applied_to: Mutex::new(None),
            known: Mutex::new(Known::default()),
        }
    }

    pub fn aws(&self) -> &'a Aws {
        self.aws
    }

    /// Run `work` (a pipeline run that may apply through this writer),
    /// renewing the lease while it verifies, then give the lease back
    /// whatever happened.
    pub async fn run<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        let ran = tokio::select! {
            r = work => r,
            lost = self.keep_alive() => lost
                .map(|never| match never {})
                .map_err(|e| self.unfinished(e)),
        };
        let released = self.release().await;
        ran.and_then(|r| released.map(|()| r))
    }

    /// Renew the lease once the write job has handed it over.
    async fn keep_alive(&self) -> Result<std::convert::Infallible> {
        loop {
            let lease = lock(&self.held).as_ref().map(|h| h.lease.clone());
            if let Some(lease) = lease {
                return lease.keep_alive(self.aws).await;
            }
            self.handed_over.notified().await;
        }
    }

    /// Observe the API; Ctrl-C stops it (after a write, saying what is left unverified).
    pub async fn observe(&self, api_id: &ApiId, wanted_stages: &[String]) -> Result<Observed> {
        let mut known = lock(&self.known).clone();
        let note = lock(&self.held)
            .as_ref()
            .map(|h| h.lease.inherited().cloned());
        let seen = interrupt::race(observe_knowing(
            self.aws,
            api_id,
            wanted_stages,
            &mut known,
            note,
        ))
        .await
        .map_err(|e| self.unfinished(e))?;
        *lock(&self.known) = known;
        Ok(seen)
    }

    /// `e` as it ends a run: after the steps were applied, Ctrl-C and a lost
    /// lease leave the change unverified, and the message says so.
    fn unfinished(&self, e: Error) -> Error {
        let applied = lock(&self.applied_to).clone();
        match (e, applied) {
            (Error::Interrupted(_), None) => {
                Error::Interrupted("nothing was changed; nothing was held".into())
            }
            (Error::Interrupted(_), Some(api_id)) => Error::Interrupted(format!(
                "the change to {api_id} was applied but not verified; the write lease was released; run the same command again to verify it (it finishes what is left), or see `xapi policy show --api-id {api_id}`"
            )),
            (cause @ Error::LeaseLost { .. }, Some(api_id)) => Error::AfterWrite {
                cause: Box::new(cause),
                state: format!(
                    "the change to {api_id} was applied but not verified; run the same command again to verify it"
                ),
            },
            (other, _) => other,
        }
    }

    /// Execute `steps` as planned from `seen`: the policy write and the
    /// redeploys under the lease, then the (dis)associations.
    pub async fn apply(
        &self,
        seen: &Observed,
        facts: &Facts,
        want: &Desired,
        steps: Vec<Step>,
    ) -> Result<Applied> {
        self.consent(&want.api_id, &facts.publishes)?;
        let mut planned_write = None;
        let mut redeploy = Vec::new();
        let mut links = Vec::new();
        for step in steps {
            match step {
                Step::WritePolicy { document, over, .. } => {
                    planned_write = Some(write::PlannedWrite { document, over });
                }
                Step::Redeploy { stage } => redeploy.push(stage),
                Step::Associate { vpce } => links.push((vpce, true)),
                Step::Disassociate { vpce } => links.push((vpce, false)),
            }
        }
        let mut applied = Applied {
            facts: facts.clone(),
            ..Applied::default()
        };
        if planned_write.is_some() || !redeploy.is_empty() {
            lock(&self.guard).get_or_insert_with(interrupt::guard);
            let (written, lease) = write::WriteJob {
                holder: &PolicyHolder::Api(want.api_id.clone()),
                api_ref: &seen.api_ref,
                caller: &seen.caller,
                change: &want.change,
                references: &facts.references,
                markers: seen.stages.clone(),
                draft: seen.draft.as_ref(),
                write: planned_write,
                redeploy,
                lease: &self.lease,
            }
            .run(self.aws)
            .await?;
            self.hold(&want.api_id, lease, written.note);
            applied.wrote = written.wrote;
            applied.backup = written.backup;
            applied.deployed = written.deployed;
            let mut known = lock(&self.known);
            for (deployment_id, hash) in written.created {
                known.created(deployment_id, hash);
            }
            if let Some(r) = written.rewritten {
                report_rewrite(&mut applied.facts, &want.api_id, r);
            }
        }
        interrupt::race(self.associate(&want.api_id, &links))
            .await
            .map_err(|e| self.unfinished(e))?;
        for (vpce, associate) in links {
            if associate {
                applied.associated.push(vpce);
            } else {
                applied.disassociated.push(vpce);
            }
        }
        Ok(applied)
    }

    /// After a write: keep the lease for verification, renewed, and mark the
    /// change applied to `holder` for what an interruption leaves unverified.
    fn hold(&self, holder: &dyn std::fmt::Display, lease: Option<Lease>, note: Option<Pending>) {
        *lock(&self.applied_to) = Some(holder.to_string());
        *lock(&self.held) = lease.map(|lease| Held {
            lease: Arc::new(lease),
            note,
        });
        self.handed_over.notify_one();
    }

    /// What [`Writer::apply`] asks first, for a caller that must know before
    /// changing anything else (`wire-regional-front` builds the front first).
    pub fn consented(&self, want: &Desired, facts: &Facts) -> Result<()> {
        self.consent(&want.api_id, &facts.publishes)
    }

    /// Redeploying a stage whose deployment differs from the draft publishes
    /// those changes too: that needs `--yes`, or a yes on the terminal.
    fn consent(&self, api_id: &ApiId, stages: &[String]) -> Result<()> {
        if stages.is_empty() || self.yes || self.agreed.load(Ordering::SeqCst) {
            return Ok(());
        }
        let list = stages.join(", ");
        match output::confirm(&format!(
            "Redeploying stage {list} of {api_id} publishes more than the policy (see the plan). Publish it?"
        )) {
            Some(true) => {
                self.agreed.store(true, Ordering::SeqCst);
                Ok(())
            }
            Some(false) => Err(Error::BadInput(format!(
                "not confirmed: redeploying stage {list} of {api_id} would publish draft changes besides the policy; nothing was changed"
            ))),
            None => Err(Error::BadInput(format!(
                "redeploying stage {list} of {api_id} would publish draft changes besides the policy (see the plan) and there is no terminal to confirm on: pass --yes to publish them, or leave the stage out with --stage; nothing was changed"
            ))),
        }
    }

    /// (Dis)associate each endpoint, then read the API back: API Gateway may
    /// accept the patch without listing the endpoint.
    async fn associate(&self, api_id: &ApiId, links: &[(VpceId, bool)]) -> Result<()> {
        if links.is_empty() {
            return Ok(());
        }
        for (vpce, associate) in links {
            self.aws
                .set_vpce_association(api_id, vpce, *associate)
                .await?;
        }
        let after = self.aws.rest_api(api_id).await?;
        for (vpce, associate) in links {
            let listed = after.vpc_endpoint_ids.iter().any(|v| v == vpce.as_str());
            if listed != *associate {
                return Err(Error::Unverified(format!(
                    "{} {vpce} {} {api_id}, but GetRestApi {} it in endpointConfiguration.vpcEndpointIds; check with `aws apigateway get-rest-api --rest-api-id {api_id}`",
                    if *associate { "associated" } else { "disassociated" },
                    if *associate { "with" } else { "from" },
                    if listed { "still lists" } else { "does not list" },
                )));
            }
        }
        Ok(())
    }

    /// Give back the write lease, if this writer still holds it (within
    /// [`interrupt::GRACE`] of Ctrl-C), leaving the note of stages not yet
    /// serving the policy. Ctrl-C at any point of the run ends it here as interrupted.
    async fn release(&self) -> Result<()> {
        let held = lock(&self.held).take();
        if let Some(h) = held {
            h.lease.give_back(self.aws, h.note.as_ref()).await;
        }
        let interrupted = interrupt::pressed() && lock(&self.guard).is_some();
        lock(&self.guard).take();
        match lock(&self.applied_to).clone() {
            Some(api_id) if interrupted => Err(Error::Interrupted(format!(
                "the change to {api_id} was applied and verified; the write lease was released"
            ))),
            _ => Ok(()),
        }
    }
}

/// A grant, revoke or restore on one API, as the pipeline runs it.
pub struct Access<'a> {
    pub want: Desired,
    /// `--stage`: the stages to redeploy (all of them when empty).
    pub stages: Vec<String>,
    writer: Writer<'a>,
}

impl<'a> Access<'a> {
    pub fn new(
        aws: &'a Aws,
        want: Desired,
        stages: Vec<String>,
        lease: LeaseOptions,
        yes: bool,
    ) -> Self {
        Access {
            want,
            stages,
            writer: Writer::new(aws, lease, yes),
        }
    }

    /// Run through the pipeline, then give back the write lease whatever happened.
    pub async fn run(
        &self,
        ctx: &Context,
        dry_run: bool,
    ) -> Result<Ran<Observed, Step, Facts, Applied>> {
        self.writer.run(pipeline::run(ctx, self, dry_run)).await
    }
}

impl Mutation for Access<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = Facts;
    type Applied = Applied;

    fn subject(&self) -> String {
        format!("API {}", self.want.api_id)
    }

    async fn observe(&self) -> Result<Observed> {
        self.writer.observe(&self.want.api_id, &self.stages).await
    }

    fn plan(&self, seen: &Observed) -> Result<planner::Assessment> {
        planner::plan(seen, &self.want)
    }

    async fn apply(&self, seen: &Observed, facts: &Facts, steps: Vec<Step>) -> Result<Applied> {
        self.writer.apply(seen, facts, &self.want, steps).await
    }

    fn inspect_hint(&self) -> String {
        format!("xapi policy show --api-id {}", self.want.api_id)
    }
}
