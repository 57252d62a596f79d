//! One policy write, end to end: lease, re-read, back up, write, verify,
//! redeploy; and, when it fails halfway, exactly what is live and what is not.

use std::sync::Mutex;

use super::{PolicyHolder, StageDeployment};
use crate::aws::Aws;
use crate::backup::{utc_timestamp, Backup, BackupStore};
use crate::error::{Error, Result};
use crate::interrupt;
use crate::lease::{self, Lease, LeaseOptions, Pending};
use crate::model::ApiShape;
use crate::output;
use crate::plan::access::{policy_error, short, Change, Drift, StageState};
use crate::plan::publish;
use crate::policy::{self, ApiRef, Edit, PolicyDocument, PolicyError, Reference};

/// How many times to re-read, re-apply and re-write when another writer's
/// document is found in place of ours.
const WRITE_ATTEMPTS: u32 = 8;
/// The planned write: `document` over the policy whose hash is `over`.
pub(super) struct PlannedWrite {
    pub document: PolicyDocument,
    pub over: Option<String>,
}

pub(super) struct WriteJob<'a> {
    pub holder: &'a PolicyHolder,
    pub api_ref: &'a ApiRef,
    pub caller: &'a str,
    /// Re-applied to another writer's document found in place of the planned one.
    pub change: &'a Change,
    /// The references the plan named, which a re-applied grant must copy.
    pub references: &'a [Reference],
    /// Each target stage with its marker as observed.
    pub markers: Vec<StageState>,
    /// The draft's methods the plan saw: a redeploy must publish no other.
    pub draft: Option<&'a ApiShape>,
    pub write: Option<PlannedWrite>,
    /// The stages to deploy once the policy is stored.
    pub redeploy: Vec<String>,
    pub lease: &'a LeaseOptions,
}

/// What a write job did.
pub(super) struct Written {
    /// Whether this run wrote the policy (someone else may have made the change already).
    pub wrote: bool,
    pub backup: Option<String>,
    pub deployed: Vec<StageDeployment>,
    /// Each deployment created (its id) and the hash of the policy it was made from.
    pub created: Vec<(String, String)>,
    /// The stages that still do not serve the policy, for the lease's note.
    pub note: Option<Pending>,
    /// Set when the document written is the change applied again to another writer's.
    pub rewritten: Option<Rewritten>,
}

/// The change as applied again to another writer's document, and written.
pub(super) struct Rewritten {
    pub replaced: Option<PolicyDocument>,
    pub written: PolicyDocument,
    /// The grant or revoke as applied (`None` for a restore).
    pub edit: Option<Edit>,
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
    created: Vec<(String, String)>,
    live: Option<String>,
    /// Each target stage's marker as it now stands.
    markers: Vec<StageState>,
    rewritten: Option<Rewritten>,
}

fn lock(p: &Mutex<Progress>) -> std::sync::MutexGuard<'_, Progress> {
    p.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl WriteJob<'_> {
    /// Take the lease and do the work, renewing it meanwhile. On success the
    /// lease is handed back still held (the caller renews it while it
    /// verifies, then releases it); on failure and on Ctrl-C it is released
    /// here, with a note of the stages left not serving the policy.
    pub async fn run(self, aws: &Aws) -> Result<(Written, Option<Lease>)> {
        let held = lease::acquire(aws, &self.holder.key(), self.caller, self.lease).await?;
        let progress = Mutex::new(Progress {
            markers: self.markers.clone(),
            ..Progress::default()
        });
        let result = {
            // A lost lease stops the work at once: whatever it was doing,
            // another writer may now be writing.
            let work = self.apply(aws, held.as_ref(), &progress);
            match &held {
                Some(l) => tokio::select! {
                    r = work => r,
                    lost = l.keep_alive(aws) => lost.map(|never| match never {}),
                    () = interrupt::wait() => Err(Error::Interrupted(String::new())),
                },
                None => interrupt::race(work).await,
            }
        };
        self.finish(aws, held, progress, result).await
    }

    /// The run's end: the lease handed back held on success, given back
    /// with its note on failure.
    async fn finish(
        &self,
        aws: &Aws,
        held: Option<Lease>,
        progress: Mutex<Progress>,
        result: Result<()>,
    ) -> Result<(Written, Option<Lease>)> {
        let p = progress
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let note = held.as_ref().and_then(|l| self.note(l, &p));
        match result {
            Ok(()) => Ok((
                Written {
                    wrote: p.written.is_some(),
                    backup: p.backup,
                    deployed: p.deployed,
                    created: p.created,
                    note,
                    rewritten: p.rewritten,
                },
                held,
            )),
            Err(e) => {
                if let Some(l) = held {
                    l.give_back(aws, note.as_ref()).await;
                }
                Err(self.explain(e, &p))
            }
        }
    }

    /// The note to leave on the lease: the stages of the note it inherited
    /// and the target stages known not to serve the policy now (any, after a
    /// write; else those this run meant to redeploy), less those that serve it.
    fn note(&self, lease: &Lease, p: &Progress) -> Option<Pending> {
        let serves = |m: &&StageState| m.deployed.is_some() && m.deployed == p.live;
        let live: Vec<String> = p
            .markers
            .iter()
            .filter(serves)
            .map(|m| m.name.clone())
            .collect();
        let not_live: Vec<String> = p
            .markers
            .iter()
            .filter(|m| !serves(m))
            .filter(|m| p.written.is_some() || self.redeploy.contains(&m.name))
            .map(|m| m.name.clone())
            .collect();
        Pending::merged(lease.inherited(), p.live.as_deref(), &not_live, &live)
    }

    /// Turn a failure into one that says exactly what is live and what is not.
    fn explain(&self, e: Error, p: &Progress) -> Error {
        let api_id = self.holder;
        let inspect = api_id.inspect_hint();
        if p.written.is_none() && p.deployed.is_empty() {
            return match (e, &p.sending) {
                (Error::Interrupted(_), None) => Error::Interrupted(format!(
                    "nothing was changed on {api_id}; the write lease was released"
                )),
                (Error::Interrupted(_), Some(hash)) => Error::Interrupted(format!(
                    "a write of the policy of {api_id} ({}, sha256 {}) was on its way and may or may not have landed; no stage was redeployed; the write lease was released; re-run the same command to finish, or see `{inspect}`",
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

    async fn apply(
        &self,
        aws: &Aws,
        lease: Option<&Lease>,
        progress: &Mutex<Progress>,
    ) -> Result<()> {
        let deploying = !self.redeploy.is_empty();
        let (stored, draft) = match &self.write {
            Some(planned) => self.write(aws, lease, planned, progress).await?,
            None => {
                let (stored, draft) = self.read_back(aws).await;
                (stored?, draft)
            }
        };
        lock(progress).live = stored.clone();
        let Some(hash) = stored else {
            // No policy at all (nothing to revoke from): nothing to deploy.
            return Ok(());
        };
        if !deploying {
            return Ok(());
        }
        match draft {
            Some(checked) => checked?,
            None => self.draft_as_planned(aws).await?,
        }
        // A deployment captures the policy stored when it is made. If another
        // writer changed it since the read-back, the marker written here names
        // a policy the stage does not serve: the verification that follows
        // reads the policy again, sees it differ from the marker and fails,
        // and a re-run redeploys.
        let api_id = self.holder.api()?;
        for stage in &self.redeploy {
            output::note(&format!("deploying stage {stage} of {api_id}"));
            let id = aws
                .create_deployment(api_id, stage, &policy::deployment_marker(&hash))
                .await?;
            let mut p = lock(progress);
            if let Some(m) = p.markers.iter_mut().find(|m| &m.name == stage) {
                m.deployed = Some(hash.clone());
            }
            p.deployed.retain(|d| &d.stage != stage);
            p.created.push((id.clone(), hash.clone()));
            p.deployed.push(StageDeployment {
                stage: stage.clone(),
                deployment_id: Some(id),
            });
        }
        Ok(())
    }

    /// The change applied again to `fresh`, another writer's document: a grant copies
    /// the planned references or fails naming the one it cannot (exit 4); a restore,
    /// which would undo the other writer's change, shows the new diff and asks again.
    /// Returns the document to write (`None`: nothing to write) and what was replaced.
    #[allow(clippy::type_complexity)]
    async fn reapply(
        &self,
        fresh: Option<&PolicyDocument>,
    ) -> Result<(
        Option<PolicyDocument>,
        Option<(Option<PolicyDocument>, Option<Edit>)>,
    )> {
        let api_id = self.holder;
        match self.change.reapply(fresh, self.api_ref, self.references) {
            Some(Ok(edit)) => Ok(if edit.changed {
                (
                    Some(edit.document.clone()),
                    Some((fresh.cloned(), Some(edit))),
                )
            } else {
                (None, None)
            }),
            Some(Err(e @ PolicyError::Replanned(_))) => Err(Error::Unverified(format!(
                "another writer changed the policy of {api_id} after the plan, and the planned change cannot be applied to theirs as planned: {e}; this attempt wrote nothing; re-run to plan again"
            ))),
            Some(Err(e)) => Err(policy_error(&api_id.to_string(), e)),
            None => {
                let Some(target) = self
                    .change
                    .target(fresh, self.api_ref)
                    .map_err(|e| policy_error(&api_id.to_string(), e))?
                else {
                    return Ok((None, None));
                };
                self.confirm_again(fresh, &target).await?;
                Ok((Some(target), Some((fresh.cloned(), None))))
            }
        }
    }

    /// A restore planned over one policy that now lands on another undoes that other
    /// change too, which nobody has seen: show the new diff and ask again.
    async fn confirm_again(
        &self,
        fresh: Option<&PolicyDocument>,
        target: &PolicyDocument,
    ) -> Result<()> {
        let api_id = self.holder;
        let from = match self.change {
            Change::Restore { from, .. } => from.clone(),
            other => other.describe(),
        };
        let diff = policy::unified_diff(
            &fresh.map(|d| d.to_pretty() + "\n").unwrap_or_default(),
            &(target.to_pretty() + "\n"),
            &format!("{api_id} (changed since the plan)"),
            &from,
        );
        output::note(&format!(
            "the policy of {api_id} changed after the plan (another writer); restoring now would write this instead:\n{}",
            diff.trim_end()
        ));
        let question = format!("Restore {from} over the changed policy of {api_id}?");
        let answer = tokio::task::spawn_blocking(move || output::confirm(&question))
            .await
            .unwrap_or(None);
        match answer {
            Some(true) => Ok(()),
            Some(false) => Err(Error::BadInput(format!(
                "restore of {from} over the changed policy of {api_id} not confirmed; this attempt wrote nothing"
            ))),
            None => Err(Error::Unverified(format!(
                "the policy of {api_id} changed after the plan (another writer): restoring {from} over it would also undo that change (the new diff is above) and there is no terminal to confirm on; this attempt wrote nothing; re-run to see the new plan"
            ))),
        }
    }

    /// A redeploy publishes the draft as it is when deploying: refuse if it is
    /// no longer the one the plan showed and consent was given for.
    async fn draft_as_planned(&self, aws: &Aws) -> Result<()> {
        let Some(planned) = self.draft else {
            return Ok(());
        };
        let api_id = self.holder.api()?;
        let now = aws.draft_methods(api_id).await?;
        match publish::compare(planned, &now) {
            Drift::Publishes(changes) => Err(Error::Unverified(format!(
                "the draft of {} changed after the plan ({}): a redeploy now would publish what the plan did not show, so no stage was redeployed",
                api_id,
                changes.join(", ")
            ))),
            _ => Ok(()),
        }
    }

    /// The policy stored now and, when stages are to be redeployed, the
    /// draft's re-check, read side by side: both come after the write and
    /// before any deployment, so a draft changed since the plan (even
    /// during the write) is never published.
    async fn read_back(&self, aws: &Aws) -> (Result<Option<String>>, Option<Result<()>>) {
        if self.redeploy.is_empty() {
            return (self.stored(aws).await, None);
        }
        let (stored, draft) = tokio::join!(self.stored(aws), self.draft_as_planned(aws));
        (stored, Some(draft))
    }

    /// The canonical hash of the policy stored now.
    async fn stored(&self, aws: &Aws) -> Result<Option<String>> {
        Ok(self
            .holder
            .stored(aws)
            .await?
            .document
            .map(|d| d.canonical_sha256(self.api_ref)))
    }

    /// Make the stored policy carry the change: re-read right before each
    /// write; write the planned document over the policy it was planned
    /// from, or the change applied again over any other; then check that the
    /// whole stored document is the one written. Returns the stored policy's
    /// hash and, when it read the policy back, the draft's re-check.
    async fn write(
        &self,
        aws: &Aws,
        lease: Option<&Lease>,
        planned: &PlannedWrite,
        progress: &Mutex<Progress>,
    ) -> Result<(Option<String>, Option<Result<()>>)> {
        let api_id = self.holder;
        let store = BackupStore::from_env()?;
        for attempt in 1..=WRITE_ATTEMPTS {
            let stored = api_id.stored(aws).await?;
            let fresh = stored.document;
            let fresh_hash = fresh.as_ref().map(|d| d.canonical_sha256(self.api_ref));
            let (target, rewritten) = if fresh_hash == planned.over {
                (Some(planned.document.clone()), None)
            } else {
                self.reapply(fresh.as_ref()).await?
            };
            let Some(target) = target else {
                return Ok((fresh_hash, None));
            };
            let path = store.save(&Backup {
                api_id: api_id.key(),
                account: self.api_ref.account.clone(),
                region: self.api_ref.region.clone(),
                saved_at: utc_timestamp(std::time::SystemTime::now()),
                policy: stored.text,
            })?;
            let want = target.canonical_sha256(self.api_ref);
            lock(progress).backup = Some(path.display().to_string());
            lock(progress).sending = Some(want.clone());
            if let Some(l) = lease {
                l.check(aws).await?;
            }
            output::note(&format!("writing the resource policy of {api_id}"));
            api_id.put_policy(aws, &target.to_compact()).await?;
            {
                let mut p = lock(progress);
                p.sending = None;
                p.written = Some(want.clone());
                p.rewritten = rewritten.map(|(replaced, edit)| Rewritten {
                    replaced,
                    written: target,
                    edit,
                });
            }
            let (stored, draft) = self.read_back(aws).await;
            let stored = stored?;
            lock(progress).live = stored.clone();
            if stored.as_deref() == Some(want.as_str()) {
                return Ok((Some(want), draft));
            }
            output::note(&format!(
                "the policy of {api_id} changed while xapi wrote it (another writer); re-reading and applying again ({attempt}/{WRITE_ATTEMPTS})"
            ));
        }
        Err(Error::Unverified(format!(
            "could not {} on {api_id}: another writer replaced the policy {WRITE_ATTEMPTS} times in a row; inspect with `{}` and re-run",
            self.change.describe(),
            api_id.inspect_hint()
        )))
    }
}
