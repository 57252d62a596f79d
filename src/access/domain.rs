//! `grant-vpce --domain` / `revoke-vpce --domain` on the domain's own
//! policy: planned by [`crate::plan::domain_access`], written by the same
//! write job as an API's policy (lease keyed on the domain, re-read, backup,
//! verify), with a revoke's rejections of access associations first.

use serde::Serialize;

use super::{lock, report_rewrite, write, Writer};
use crate::aws::domain::DomainOwner;
use crate::aws::Aws;
use crate::context::Context;
use crate::error::Result;
use crate::interrupt;
use crate::lease::LeaseOptions;
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Ran, Run};
use crate::plan::access::{Change, Facts, Mode};
use crate::plan::domain::policy_ref;
use crate::plan::domain_access::{self as planner, Desired, Observed, Step};
use crate::plan::Plan;
use crate::policy::{Reference, StillAdmitted};

use super::{AccessReport, PolicyHolder};

/// What applying did, beyond what observing again shows.
#[derive(Debug, Default)]
pub struct Applied {
    pub wrote: bool,
    pub backup: Option<String>,
    /// The access associations rejected, by ARN.
    pub rejected: Vec<String>,
    pub facts: Facts,
}

/// A grant or revoke on one domain's policy, as the pipeline runs it.
pub struct DomainAccess<'a> {
    pub want: Desired,
    writer: Writer<'a>,
}

impl<'a> DomainAccess<'a> {
    pub fn new(aws: &'a Aws, want: Desired, lease: LeaseOptions) -> Self {
        DomainAccess {
            want,
            // A domain has no stages, so nothing is published beside the policy.
            writer: Writer::new(aws, lease, false),
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

    fn holder(&self) -> PolicyHolder {
        PolicyHolder::Domain(self.want.domain.clone())
    }
}

impl Mutation for DomainAccess<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = Facts;
    type Applied = Applied;

    fn subject(&self) -> String {
        self.holder().to_string()
    }

    async fn observe(&self) -> Result<Observed> {
        let aws = self.writer.aws;
        let arn = &self.want.domain;
        let read = async {
            tokio::try_join!(
                aws.caller_identity(),
                aws.domain_name(arn),
                aws.base_path_mappings(arn),
                aws.access_associations(DomainOwner::Shared)
            )
        };
        let (identity, domain, mappings, associations) = interrupt::race(read)
            .await
            .map_err(|e| self.writer.unfinished(e))?;
        Ok(Observed {
            caller: identity.arn,
            domain,
            mappings,
            associations,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<planner::Assessment> {
        planner::plan(seen, &self.want)
    }

    async fn apply(&self, seen: &Observed, facts: &Facts, steps: Vec<Step>) -> Result<Applied> {
        let writer = &self.writer;
        let aws = writer.aws;
        let mut applied = Applied {
            facts: facts.clone(),
            ..Applied::default()
        };
        let mut planned_write = None;
        for step in steps {
            match step {
                Step::Reject(association) => {
                    output::note(&format!("rejecting access association {}", association.arn));
                    interrupt::race(aws.reject_access_association(&association))
                        .await
                        .map_err(|e| writer.unfinished(e))?;
                    applied.rejected.push(association.arn);
                }
                Step::WritePolicy { document, over, .. } => {
                    planned_write = Some(write::PlannedWrite { document, over });
                }
            }
        }
        if let Some(planned) = planned_write {
            let holder = self.holder();
            lock(&writer.guard).get_or_insert_with(interrupt::guard);
            let (written, lease) = write::WriteJob {
                holder: &holder,
                api_ref: &policy_ref(&self.want.domain),
                caller: &seen.caller,
                change: &self.want.change,
                references: &facts.references,
                markers: Vec::new(),
                draft: None,
                write: Some(planned),
                redeploy: Vec::new(),
                lease: &writer.lease,
            }
            .run(aws)
            .await?;
            writer.hold(&holder, lease, written.note);
            applied.wrote = written.wrote;
            applied.backup = written.backup;
            if let Some(r) = written.rewritten {
                report_rewrite(&mut applied.facts, &holder, r);
            }
        }
        Ok(applied)
    }

    fn inspect_hint(&self) -> String {
        self.holder().inspect_hint()
    }
}

/// What `grant-vpce --domain` and `revoke-vpce --domain` report: the
/// domain's policy, then each mapped API's as `grant-vpce` reports it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainAccessReport {
    pub domain_arn: String,
    pub mode: Mode,
    #[serde(flatten)]
    pub run: Run,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: Vec<String>,
    /// revoke: the access associations rejected (planned, in a dry run).
    pub rejected: Vec<String>,
    pub backup: Option<String>,
    /// Canonical hash of the domain policy, when unchanged.
    pub policy_sha256: Option<String>,
    pub diff: Option<String>,
    pub warnings: Vec<String>,
    pub references: Vec<Reference>,
    pub still_admitted: Vec<StillAdmitted>,
    /// Each mapped API's grant or revoke, on its mapped stages.
    pub apis: Vec<AccessReport>,
}

impl DomainAccessReport {
    /// The report of a run of `want`, from the facts the pipeline planned.
    pub fn from_run(want: &Desired, ran: Ran<Observed, Step, Facts, Applied>) -> Result<Self> {
        let mode = match &want.change {
            Change::Access { mode, .. } => *mode,
            Change::Restore { .. } => Mode::Grant,
        };
        let now = &ran.facts;
        let (facts, changed, rejected) = match ran.outcome {
            Outcome::Applied => (ran.applied.facts, ran.applied.wrote, ran.applied.rejected),
            Outcome::Planned => {
                let rejected = ran
                    .pending
                    .iter()
                    .filter_map(|s| match s {
                        Step::Reject(a) => Some(a.arn.clone()),
                        Step::WritePolicy { .. } => None,
                    })
                    .collect();
                (now.clone(), now.changed, rejected)
            }
            Outcome::Unchanged => (now.clone(), false, Vec::new()),
        };
        let warnings = plan_warnings(&facts.warnings, &ran.plan);
        Ok(DomainAccessReport {
            domain_arn: want.domain.to_string(),
            mode,
            run: Run::with_changed(ran.outcome, ran.plan, changed),
            added: facts.added,
            removed: facts.removed,
            unchanged: facts.unchanged,
            rejected,
            backup: ran.applied.backup,
            policy_sha256: now.current_hash.clone().filter(|_| !now.changed),
            diff: facts.diff,
            warnings,
            references: facts.references,
            still_admitted: facts.still_admitted,
            apis: Vec::new(),
        })
    }

    /// Still admitted by the domain policy or by a mapped API's (exit 5).
    pub fn still_open(&self) -> bool {
        !self.still_admitted.is_empty() || self.apis.iter().any(AccessReport::still_open)
    }
}

/// The edit's warnings, then the plan's own (no association yet, nothing
/// mapped), each once.
fn plan_warnings(edit: &[String], plan: &Plan) -> Vec<String> {
    let mut out = edit.to_vec();
    out.extend(plan.warnings.iter().filter(|w| !edit.contains(w)).cloned());
    out
}

impl Report for DomainAccessReport {
    fn table(&self, style: &Style) -> String {
        let mut out = self
            .diff
            .as_deref()
            .map(|d| super::colour_diff(d, style))
            .unwrap_or_default();
        if self.run.outcome == Outcome::Applied {
            for a in &self.rejected {
                out.push_str(&format!("rejected access association {a}\n"));
            }
            let (verb, ids) = match self.mode {
                Mode::Grant => ("admitted", &self.added),
                Mode::Revoke => ("removed", &self.removed),
            };
            if !ids.is_empty() {
                out.push_str(&format!(
                    "{verb} {} on {}\n",
                    ids.join(", "),
                    self.domain_arn
                ));
            }
            if let Some(b) = &self.backup {
                out.push_str(&format!("previous domain policy saved to {b}\n"));
            }
        }
        if self.run.outcome != Outcome::Planned {
            for w in &self.warnings {
                out.push_str(&style.warning_line(w));
            }
        }
        for still in &self.still_admitted {
            out.push_str(&super::report::still_line(still, style));
        }
        let mut table = self
            .run
            .frame(&format!("domain {}", self.domain_arn), style, &out);
        for api in &self.apis {
            table.push('\n');
            table.push_str(&api.table(style));
        }
        table
    }
}
