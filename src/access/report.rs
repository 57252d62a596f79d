//! What a grant or revoke reports, built from the pipeline's run.

use serde::Serialize;

use super::Applied;
use crate::error::Result;
use crate::ids::{ExecuteApiHost, VpceId};
use crate::output::{Report, Style};
use crate::pipeline::{Outcome, Ran, Run};
use crate::plan::access::{Change, Desired, Facts, Mode, Observed, Step, StillServed};
use crate::policy::{Reference, StillAdmitted};
use crate::region;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct StageDeployment {
    pub stage: String,
    /// `null` in a dry run.
    pub deployment_id: Option<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AccessReport {
    pub api_id: String,
    pub mode: Mode,
    #[serde(flatten)]
    pub run: Run,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Already admitted (grant) or already not admitted (revoke).
    pub unchanged: Vec<String>,
    pub stages: Vec<StageDeployment>,
    pub associated: Vec<VpceId>,
    pub disassociated: Vec<VpceId>,
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
    /// revoke on an API that stores no policy: endpoints a stage still admits
    /// through the policy it was last deployed with.
    pub still_served: Vec<StillServed>,
}

/// The stages a plan redeploys, each without a deployment yet.
pub fn planned_stages(steps: &[Step]) -> Vec<StageDeployment> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Redeploy { stage } => Some(StageDeployment {
                stage: stage.clone(),
                deployment_id: None,
            }),
            _ => None,
        })
        .collect()
}

impl AccessReport {
    /// The report of a run of `want`, from the facts the pipeline planned
    /// from the observation it ends with.
    pub fn from_run(want: &Desired, ran: Ran<Observed, Step, Facts, Applied>) -> Result<Self> {
        let Change::Access { mode, vpces, .. } = &want.change else {
            unreachable!("a restore is reported by `policy restore`")
        };
        let now = &ran.facts;
        let (facts, stages, changed) = match ran.outcome {
            Outcome::Applied => (ran.applied.facts, ran.applied.deployed, ran.applied.wrote),
            Outcome::Planned => (now.clone(), planned_stages(&ran.pending), now.changed),
            Outcome::Unchanged => (now.clone(), Vec::new(), false),
        };
        let invoke_urls = if ran.outcome == Outcome::Applied && *mode == Mode::Grant {
            invoke_urls(&ran.observed, vpces)
        } else {
            Vec::new()
        };
        Ok(AccessReport {
            api_id: want.api_id.to_string(),
            mode: *mode,
            run: Run::with_changed(ran.outcome, ran.plan, changed),
            added: facts.added,
            removed: facts.removed,
            unchanged: facts.unchanged,
            stages,
            associated: ran.applied.associated,
            disassociated: ran.applied.disassociated,
            backup: ran.applied.backup,
            policy_sha256: now.current_hash.clone().filter(|_| !now.changed),
            invoke_urls,
            diff: facts.diff,
            warnings: facts.warnings,
            references: facts.references,
            still_admitted: facts.still_admitted,
            still_served: facts.still_served,
        })
    }

    /// Still admitted by a statement that does not name it (an open Allow, a pattern, or
    /// its VPC): the revoke could not close it (exit 5). Admitted only from VPCs the policy
    /// admits as a whole counts too: the producer cannot see which VPC a consumer's
    /// endpoint sits in, so it cannot show the endpoint is shut out.
    pub fn still_open(&self) -> bool {
        !self.still_admitted.is_empty() || !self.still_served.is_empty()
    }

    /// What the table shows between the summary line and the warnings.
    pub fn details(&self, style: &Style) -> String {
        let mut out = self
            .diff
            .as_deref()
            .map(|d| colour_diff(d, style))
            .unwrap_or_default();
        if self.run.outcome == Outcome::Applied {
            let (verb, ids) = match self.mode {
                Mode::Grant => ("admitted", &self.added),
                Mode::Revoke => ("removed", &self.removed),
            };
            if !ids.is_empty() {
                out.push_str(&format!("{verb} {} on {}\n", ids.join(", "), self.api_id));
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
        // A dry run's plan already says it, on the line that admits each endpoint.
        for r in self
            .references
            .iter()
            .filter(|_| self.run.outcome != Outcome::Planned)
        {
            out.push_str(&format!("admitted {r}\n"));
        }
        for still in &self.still_admitted {
            out.push_str(&still_line(still, style));
        }
        for still in &self.still_served {
            out.push_str(&served_line(still, &self.api_id, style));
        }
        for url in &self.invoke_urls {
            out.push_str(&format!("invoke URL: {url}\n"));
        }
        out
    }
}

impl Report for AccessReport {
    fn table(&self, style: &Style) -> String {
        let mut out = self.details(style);
        // A dry run's plan already ends with them.
        if self.run.outcome != Outcome::Planned {
            for w in &self.warnings {
                out.push_str(&style.warning_line(w));
            }
        }
        self.run.frame(&format!("API {}", self.api_id), style, &out)
    }
}

/// One endpoint a revoke left admitted: by which statements, where, and what to do.
pub(super) fn still_line(still: &StillAdmitted, style: &Style) -> String {
    let from = if still.only_from_vpcs.is_empty() {
        String::new()
    } else {
        format!(" if it is in {}", still.only_from_vpcs.join(" or "))
    };
    let todo = if still.only_from_vpcs.is_empty() {
        format!(
            "narrow statement {} to the endpoints it should admit (aws:SourceVpce), or add a Deny \
             with StringEquals aws:SourceVpce {}",
            still.statements.join(", "),
            still.vpce
        )
    } else {
        format!(
            "if {} is in {}, remove that VPC from statement {}'s aws:SourceVpc list or add a \
             Deny with StringEquals aws:SourceVpce {}",
            still.vpce,
            still.only_from_vpcs.join(" or "),
            still.statements.join(", "),
            still.vpce
        )
    };
    let approximated = approximated_note(still.approximated);
    format!(
        "{} {} is still admitted{from} by statement {} (resources {}{}), which does not name it{approximated}; {todo}, then re-run revoke-vpce\n",
        style.paint("still admitted:", comfy_table::Color::Red),
        still.vpce,
        still.statements.join(", "),
        still.resources.join(", "),
        still
            .example
            .as_deref()
            .map(|e| format!("; e.g. {e}"))
            .unwrap_or_default(),
    )
}

/// The URLs to call the API at: by private DNS, and by each granted endpoint's own name.
fn invoke_urls(seen: &Observed, vpces: &[VpceId]) -> Vec<String> {
    let (api_id, region) = (&seen.api_ref.api_id, &seen.api_ref.region);
    let suffix = region::dns_suffix(region);
    let mut urls = Vec::new();
    for stage in &seen.stages {
        urls.push(format!(
            "https://{}/{} (private DNS)",
            ExecuteApiHost::private_dns(api_id, region, suffix),
            stage.name
        ));
        for v in seen
            .api
            .vpc_endpoint_ids
            .iter()
            .filter(|v| vpces.iter().any(|granted| granted.as_str() == v.as_str()))
        {
            urls.push(format!(
                "https://{}/{}",
                ExecuteApiHost::via_endpoint(api_id, v, region, suffix),
                stage.name
            ));
        }
    }
    urls.dedup();
    urls
}

/// A unified diff with additions, removals and hunk headers coloured.
pub fn colour_diff(diff: &str, style: &Style) -> String {
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

/// What a still-admitted line adds when the answer was the budget's guess.
fn approximated_note(approximated: bool) -> &'static str {
    if approximated {
        " (approximated: proving it is shut out exceeded the evaluation budget, so it counts as admitted)"
    } else {
        ""
    }
}

/// One endpoint a stage still admits through the policy it was last deployed
/// with, on an API that stores none: what it means and what to do.
fn served_line(still: &StillServed, api_id: &str, style: &Style) -> String {
    let approximated = approximated_note(still.approximated);
    format!(
        "{} {} is still admitted on stage {} by the policy it was last deployed with{approximated}; {api_id} stores no policy, and redeploying without one would refuse every caller: put on {api_id} the policy its stages should serve (`xapi policy restore --api-id {api_id}` puts back the newest saved one and redeploys), then re-run revoke-vpce\n",
        style.paint("still admitted:", comfy_table::Color::Red),
        still.vpce,
        still.stage,
    )
}
