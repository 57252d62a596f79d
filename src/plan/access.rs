//! Who may reach a private API, as a pure plan: given the API, its resource
//! policy, the deployment marker of each target stage and the note a failed
//! run left, what to write, which stages to redeploy and which endpoints to
//! (dis)associate, for `grant-vpce`, `revoke-vpce` and `policy restore`.

use serde::Serialize;

use super::{Action, Assessed, Plan, Planned, Verb};
use crate::error::{Error, Result};
use crate::ids::{ApiId, VpceId};
use crate::lease::Pending;
use crate::model::{ApiShape, RestApi, Stage};
use crate::policy::{self, ApiRef, Edit, PolicyDocument, PolicyError, Reference, StillAdmitted};

pub use super::publish::Drift;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Grant,
    Revoke,
}

impl Mode {
    /// The grant or revoke of `vpces` on `current`, by the exact engine.
    pub fn edit(
        self,
        current: Option<&PolicyDocument>,
        api: &ApiRef,
        vpces: &[VpceId],
        like: Option<&str>,
        resources: &[String],
    ) -> Result<Edit, PolicyError> {
        let vpces = names(vpces);
        match self {
            Mode::Grant => policy::grant_like(current, api, &vpces, like, resources),
            Mode::Revoke => policy::revoke(current, api, &vpces),
        }
    }
}

/// The endpoints as the policy engine takes them.
fn names(vpces: &[VpceId]) -> Vec<String> {
    vpces.iter().map(ToString::to_string).collect()
}

/// What a write makes of whatever policy it finds right before writing.
#[derive(Debug, Clone)]
pub enum Change {
    /// Grant or revoke these endpoints (sorted, no duplicates).
    Access {
        mode: Mode,
        vpces: Vec<VpceId>,
        like: Option<String>,
        /// grant: where a new Allow admits them when the policy admits no endpoint.
        resources: Vec<String>,
    },
    /// Put back a saved document, saved from `account` in `region`.
    Restore {
        document: PolicyDocument,
        from: String,
        account: String,
        region: String,
    },
}

impl Change {
    /// The document to write over `current`; `None` when `current` already is what is wanted.
    pub fn target(
        &self,
        current: Option<&PolicyDocument>,
        api: &ApiRef,
    ) -> Result<Option<PolicyDocument>, PolicyError> {
        match self {
            Change::Access {
                mode,
                vpces,
                like,
                resources,
            } => {
                let edit = mode.edit(current, api, vpces, like.as_deref(), resources)?;
                Ok(edit.changed.then_some(edit.document))
            }
            Change::Restore { document, .. } => {
                let same = current.map(|c| c.canonical_sha256(api))
                    == Some(document.canonical_sha256(api));
                Ok((!same).then(|| document.clone()))
            }
        }
    }

    /// The edit of a grant or revoke applied again to `current`, a document another
    /// writer put in place of the one planned from: a grant copies the references the
    /// plan named (`planned`) or fails naming the one it cannot copy. `None` for a restore.
    pub fn reapply(
        &self,
        current: Option<&PolicyDocument>,
        api: &ApiRef,
        planned: &[Reference],
    ) -> Option<Result<Edit, PolicyError>> {
        match self {
            Change::Access {
                mode: Mode::Grant,
                vpces,
                resources,
                ..
            } => Some(policy::grant_as(
                current,
                api,
                &names(vpces),
                planned,
                resources,
            )),
            Change::Access {
                mode: Mode::Revoke,
                vpces,
                ..
            } => Some(policy::revoke(current, api, &names(vpces))),
            Change::Restore { .. } => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Change::Access {
                mode: Mode::Grant,
                vpces,
                ..
            } => format!("admit {}", names(vpces).join(", ")),
            Change::Access {
                mode: Mode::Revoke,
                vpces,
                ..
            } => format!("remove {}", names(vpces).join(", ")),
            Change::Restore { from, .. } => format!("restore {from}"),
        }
    }
}

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct Desired {
    pub api_id: ApiId,
    pub change: Change,
    /// `--associate` / `--disassociate`: also list (or unlist) the endpoints on the API.
    pub link: bool,
}

/// A target stage and the policy hash its deployment carries (`None`: not
/// deployed by xapi, so unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageState {
    pub name: String,
    pub deployed: Option<String>,
    /// The stage has a deployment, so it serves the API; one without serves
    /// nothing, and deploying it would publish the whole draft.
    pub serves: bool,
    /// What redeploying it would publish besides the policy.
    pub drift: Drift,
    /// The policy its deployment serves, as the stage's export carries it;
    /// `None` when that is not known (not read, unreadable, or not carried).
    pub served_policy: Option<String>,
}

/// Everything read before planning.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The caller's ARN.
    pub caller: String,
    pub api_ref: ApiRef,
    pub api: RestApi,
    /// The stages to redeploy when the policy changes, each with its marker.
    pub stages: Vec<StageState>,
    /// The draft's methods, which every redeploy publishes (`None`: not read, as
    /// no target stage has a deployment).
    pub draft: Option<ApiShape>,
    /// The note a failed run left on the write lease.
    pub pending: Option<Pending>,
}

/// One call (or, for the write, one re-read/write/verify cycle) to make.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Write `document` (canonical hash `hash`) over the policy whose hash is
    /// `over`. If another writer has replaced that one by the time of the
    /// write, the change is applied again to theirs instead, so theirs is kept.
    WritePolicy {
        document: PolicyDocument,
        hash: String,
        over: Option<String>,
    },
    /// Deploy the stage so it serves the policy as stored after the write.
    Redeploy {
        stage: String,
    },
    Associate {
        vpce: VpceId,
    },
    Disassociate {
        vpce: VpceId,
    },
}

/// An endpoint a stage still lets in through the policy it was last deployed
/// with, which the API no longer stores: no write or redeploy of xapi's can
/// shut it out (deploying a private API without a policy refuses every
/// caller), so the revoke is not done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct StillServed {
    pub stage: String,
    pub vpce: String,
    /// Proving it is shut out exceeded the evaluation budget: counted as admitted.
    pub approximated: bool,
}

/// What the report says about the change besides the plan.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The policy is to be rewritten.
    pub changed: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// grant: already admitted; revoke: already not admitted.
    pub unchanged: Vec<String>,
    pub references: Vec<Reference>,
    pub still_admitted: Vec<StillAdmitted>,
    /// revoke on an API without a policy: endpoints a stage's deployed policy still admits.
    pub still_served: Vec<StillServed>,
    pub warnings: Vec<String>,
    /// Unified diff of the policy, when it is to be rewritten.
    pub diff: Option<String>,
    /// Canonical hash of the stored policy.
    pub current_hash: Option<String>,
    /// Stages whose redeploy publishes (or may publish) more than the policy:
    /// applying needs consent.
    pub publishes: Vec<String>,
}

impl Facts {
    /// What an edit admits, removes and leaves, as the report says it.
    pub fn record(&mut self, edit: &Edit) {
        self.added.clone_from(&edit.added);
        self.removed.clone_from(&edit.removed);
        self.unchanged.clone_from(&edit.already);
        self.references.clone_from(&edit.references);
        self.still_admitted.clone_from(&edit.still_admitted);
        self.warnings.clone_from(&edit.warnings);
    }
}

/// The plan's lines for an edit of the policy of `target`: the details of
/// the rewrite, and one line per endpoint the edit leaves as it was.
pub fn edit_lines(
    mode: Mode,
    resource: &str,
    target: &str,
    edit: &Edit,
) -> (Vec<String>, Vec<Action>) {
    let state = match mode {
        Mode::Grant => "already admitted",
        Mode::Revoke => "already not admitted",
    };
    let already = edit
        .already
        .iter()
        .map(|v| Action {
            verb: Verb::Reuse,
            resource: resource.into(),
            target: target.into(),
            details: vec![format!("{v} {state}")],
        })
        .collect();
    let mut details: Vec<String> = edit
        .references
        .iter()
        .map(|r| format!("admit {r}"))
        .collect();
    details.extend(edit.removed.iter().map(|v| format!("remove {v}")));
    details.push(format!(
        "{} characters of {}",
        edit.document.to_compact().len(),
        policy::POLICY_SIZE_LIMIT
    ));
    (details, already)
}

/// The plan, its steps and the facts behind them.
pub type Assessment = Assessed<Step, Facts>;

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

/// The stages to redeploy: the named ones (each must exist), or all of them.
pub fn target_stages(api_id: &ApiId, stages: &[Stage], wanted: &[String]) -> Result<Vec<String>> {
    if wanted.is_empty() {
        return Ok(stages.iter().map(|s| s.name.clone()).collect());
    }
    wanted
        .iter()
        .map(|wanted| {
            if stages.iter().any(|s| &s.name == wanted) {
                Ok(wanted.clone())
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

/// Stages that do not serve the `current` policy: deployed by xapi with
/// another one, or named by the note a failed run left (`pending`). They are
/// redeployed even when the policy needs no change. A stage xapi never
/// deployed is otherwise left alone: redeploying it would also publish any
/// other undeployed change to the API.
pub fn stale_stages(
    states: &[StageState],
    current: Option<&str>,
    pending: Option<&Pending>,
) -> Vec<String> {
    let noted = |name: &str| {
        pending
            .is_some_and(|p| Some(p.hash.as_str()) == current && p.stages.iter().any(|s| s == name))
    };
    states
        .iter()
        .filter(|s| s.serves && s.deployed.as_deref() != current)
        .filter(|s| s.deployed.is_some() || noted(&s.name))
        .map(|s| s.name.clone())
        .collect()
}

/// For a revoke on an API that stores no policy: each endpoint a serving
/// stage still admits through the policy its export carries (directly or
/// from a VPC), and the serving stages whose policy is not known.
fn still_served(
    stages: &[StageState],
    api: &ApiRef,
    vpces: &[String],
) -> (Vec<StillServed>, Vec<String>) {
    let mut still = Vec::new();
    let mut unknown = Vec::new();
    for stage in stages.iter().filter(|s| s.serves) {
        let read = stage
            .served_policy
            .as_deref()
            .map(|raw| {
                let doc = PolicyDocument::parse(raw)?;
                let after = policy::revoke(Some(&doc), api, vpces)?;
                vpces
                    .iter()
                    .map(|v| Ok((v, policy::admission(&doc, api, v, None)?)))
                    .collect::<Result<Vec<_>, PolicyError>>()
                    .map(|answers| (answers, after.still_admitted))
            })
            .transpose();
        let Ok(Some((answers, from_vpcs))) = read else {
            unknown.push(stage.name.clone());
            continue;
        };
        for (vpce, answer) in answers {
            let via_vpc = from_vpcs.iter().find(|s| &s.vpce == vpce);
            if answer.admitted || via_vpc.is_some() {
                still.push(StillServed {
                    stage: stage.name.clone(),
                    vpce: vpce.clone(),
                    approximated: answer.approximated || via_vpc.is_some_and(|s| s.approximated),
                });
            }
        }
    }
    (still, unknown)
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
        .filter_map(|name| states.iter().find(|s| &s.name == name))
        .map(|s| {
            let deployed = s.deployed.as_deref().map(short).unwrap_or("not by xapi");
            Action {
                verb: Verb::Create,
                resource: "deployment".into(),
                target: format!("{api_id} stage {}", s.name),
                details: vec![
                    format!(
                        "the stage serves an older policy (deployed {deployed}, current {}): redeploy so the current one takes effect",
                        current.map(short).unwrap_or_default()
                    ),
                    s.drift.describe(),
                ],
            }
        })
        .collect()
}

/// The first characters of a policy hash, enough to tell policies apart in a message.
pub fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

/// The new document, what the plan says about writing it, and the facts behind it.
struct Rewrite {
    target: Option<PolicyDocument>,
    details: Vec<String>,
    /// Why each stage is redeployed after the write.
    deploy_reason: &'static str,
    /// How the diff names the new document.
    new_label: String,
}

/// Work out the plan: pure, so the same observation always gives the same steps.
/// Refuses (bad input) a policy xapi cannot read or would have to make too large,
/// a non-private API, and a backup of another account or region.
pub fn plan(seen: &Observed, want: &Desired) -> Result<Assessment> {
    let api_id = &want.api_id;
    if !seen.api.is_private() {
        return Err(Error::BadInput(format!(
            "{api_id} is a {} API, not PRIVATE: VPC endpoint grants apply to private APIs",
            seen.api.endpoint_types.join("/")
        )));
    }
    let current = parse_policy(&seen.api)?;
    let current_hash = current.as_ref().map(|d| d.canonical_sha256(&seen.api_ref));
    let mut plan = Plan {
        identity: seen.caller.clone(),
        ..Plan::default()
    };
    let mut facts = Facts {
        current_hash: current_hash.clone(),
        ..Facts::default()
    };
    let mut already = Vec::new();
    let rewrite = match &want.change {
        Change::Access {
            mode,
            vpces,
            like,
            resources,
        } => {
            let edit = mode
                .edit(
                    current.as_ref(),
                    &seen.api_ref,
                    vpces,
                    like.as_deref(),
                    resources,
                )
                .map_err(|e| policy_error(api_id.as_str(), e))?;
            let (details, lines) = edit_lines(*mode, "resource-policy", api_id.as_str(), &edit);
            already = lines;
            plan.warnings.extend(edit.warnings.iter().cloned());
            facts.record(&edit);
            Rewrite {
                target: edit.changed.then_some(edit.document),
                details,
                deploy_reason: "so the new policy takes effect",
                new_label: format!("{api_id} (new)"),
            }
        }
        Change::Restore {
            document,
            from,
            account,
            region,
        } => {
            if *account != seen.api_ref.account || *region != seen.api_ref.region {
                return Err(Error::BadInput(format!(
                    "{from} was saved from account {account} in {region}, but this is account {} in {}",
                    seen.api_ref.account, seen.api_ref.region
                )));
            }
            let size = document.to_compact().len();
            if size > policy::POLICY_SIZE_LIMIT {
                return Err(policy_error(
                    api_id.as_str(),
                    PolicyError::TooLarge {
                        size,
                        limit: policy::POLICY_SIZE_LIMIT,
                    },
                ));
            }
            let target = want
                .change
                .target(current.as_ref(), &seen.api_ref)
                .map_err(|e| policy_error(api_id.as_str(), e))?;
            if target.is_some()
                && policy::summarize(document, &seen.api_ref).is_ok_and(|s| s.open_to_any_endpoint)
            {
                plan.warnings.push(
                    "the restored policy admits every VPC endpoint in the region, in any account"
                        .into(),
                );
            }
            Rewrite {
                target,
                details: vec![format!("restore {from}")],
                deploy_reason: "so the restored policy takes effect",
                new_label: from.clone(),
            }
        }
    };

    let mut steps = Vec::new();
    let stage_names: Vec<String> = seen
        .stages
        .iter()
        .filter(|s| s.serves)
        .map(|s| s.name.clone())
        .collect();
    let redeploy = match &rewrite.target {
        Some(document) => {
            facts.changed = true;
            facts.diff = Some(policy::unified_diff(
                &current
                    .as_ref()
                    .map(|d| d.to_pretty() + "\n")
                    .unwrap_or_default(),
                &(document.to_pretty() + "\n"),
                &format!("{api_id} (current)"),
                &rewrite.new_label,
            ));
            plan.actions.push(Action {
                verb: Verb::Change,
                resource: "resource-policy".into(),
                target: api_id.to_string(),
                details: rewrite.details,
            });
            plan.actions
                .extend(seen.stages.iter().filter(|s| s.serves).map(|s| Action {
                    verb: Verb::Create,
                    resource: "deployment".into(),
                    target: format!("{api_id} stage {}", s.name),
                    details: vec![rewrite.deploy_reason.into(), s.drift.describe()],
                }));
            if stage_names.is_empty() {
                plan.warnings.push(format!(
                    "{api_id} has no deployed stage{}: the policy changes, but takes effect only when a stage is deployed",
                    if seen.stages.is_empty() { "" } else { " among the target stages" }
                ));
            }
            steps.push(Step::WritePolicy {
                hash: document.canonical_sha256(&seen.api_ref),
                document: document.clone(),
                over: current_hash.clone(),
            });
            stage_names
        }
        // Without a policy there is nothing a redeploy could make live: a
        // stage deployed now would refuse every caller. What the stages
        // serve is still what they were deployed with, which a revoke must
        // judge: an endpoint it admits is still in.
        None if current_hash.is_none() => {
            if let Change::Access {
                mode: Mode::Revoke,
                vpces,
                ..
            } = &want.change
            {
                let (still, unknown) = still_served(&seen.stages, &seen.api_ref, &names(vpces));
                facts.still_served = still;
                if !unknown.is_empty() {
                    plan.warnings.push(format!(
                        "{api_id} has no resource policy, but stage {} still serves the one it was last deployed with, which may admit what this run leaves unchanged; xapi does not redeploy it (without a policy, a private API refuses every caller); see `xapi doctor --api-id {api_id}` (policy.deployed)",
                        unknown.join(", ")
                    ));
                }
            }
            Vec::new()
        }
        None => stale_stages(&seen.stages, current_hash.as_deref(), seen.pending.as_ref()),
    };
    steps.extend(redeploy.iter().map(|stage| Step::Redeploy {
        stage: stage.clone(),
    }));

    if let Change::Access {
        mode, vpces: ids, ..
    } = &want.change
    {
        let grant = *mode == Mode::Grant;
        for v in ids
            .iter()
            .filter(|_| want.link)
            .filter(|v| seen.api.vpc_endpoint_ids.iter().any(|a| a == v.as_str()) != grant)
        {
            plan.actions.push(Action {
                verb: Verb::Change,
                resource: "endpoint-association".into(),
                target: api_id.to_string(),
                details: vec![format!(
                    "{} {v}",
                    if grant { "associate" } else { "disassociate" }
                )],
            });
            steps.push(if grant {
                Step::Associate { vpce: v.clone() }
            } else {
                Step::Disassociate { vpce: v.clone() }
            });
        }
    }
    plan.actions.extend(already);
    if rewrite.target.is_none() {
        plan.actions.extend(stale_actions(
            api_id,
            &seen.stages,
            &redeploy,
            current_hash.as_deref(),
        ));
    }
    plan.actions.extend(seen.stages.iter().filter(|s| !s.serves).map(|s| Action {
        verb: Verb::Reuse,
        resource: "stage".into(),
        target: format!("{api_id} stage {}", s.name),
        details: vec![
            "has no deployment, so it serves nothing: not deployed (that would publish the whole draft)"
                .into(),
        ],
    }));
    for s in seen
        .stages
        .iter()
        .filter(|s| redeploy.contains(&s.name) && s.drift.needs_consent())
    {
        facts.publishes.push(s.name.clone());
        plan.warnings.push(format!(
            "redeploying stage {} of {api_id} publishes more than the policy ({}); pass --yes to publish it, or leave the stage out with --stage",
            s.name,
            match &s.drift {
                Drift::Unknown(_) => "its deployment could not be compared with the draft",
                _ => "its deployment differs from the draft",
            }
        ));
    }
    Ok(Assessment {
        facts,
        planned: Planned { plan, steps },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: &str = "vpce-0123456789abcdef0";
    const Y: &str = "vpce-0123456789abcdef1";

    fn api_id() -> ApiId {
        "a1b2c3d4e5".parse().unwrap()
    }

    fn api_ref() -> ApiRef {
        ApiRef {
            region: "us-east-1".into(),
            account: "111111111111".into(),
            api_id: "a1b2c3d4e5".into(),
        }
    }

    fn standard(vpces: &[&str]) -> PolicyDocument {
        PolicyDocument::standard(&vpces.iter().map(|v| v.to_string()).collect::<Vec<_>>())
    }

    fn hash(doc: &PolicyDocument) -> String {
        doc.canonical_sha256(&api_ref())
    }

    /// An API with `policy`, stage `prod` deployed by xapi with `deployed`.
    fn seen(policy: Option<&PolicyDocument>, deployed: Option<String>) -> Observed {
        Observed {
            caller: "arn:aws:sts::111111111111:assumed-role/x/y".into(),
            api_ref: api_ref(),
            api: RestApi {
                id: "a1b2c3d4e5".into(),
                name: "api".into(),
                endpoint_types: vec!["PRIVATE".into()],
                vpc_endpoint_ids: Vec::new(),
                policy: policy.map(PolicyDocument::to_compact),
                tags: std::collections::BTreeMap::new(),
            },
            stages: vec![StageState {
                name: "prod".into(),
                deployed,
                serves: true,
                drift: Drift::Same,
                served_policy: None,
            }],
            draft: None,
            pending: None,
        }
    }

    fn access(mode: Mode, vpces: &[&str], link: bool) -> Desired {
        Desired {
            api_id: api_id(),
            change: Change::Access {
                mode,
                vpces: vpces.iter().map(|v| v.parse().unwrap()).collect(),
                like: None,
                resources: Vec::new(),
            },
            link,
        }
    }

    fn restore(document: PolicyDocument) -> Desired {
        Desired {
            api_id: api_id(),
            change: Change::Restore {
                document,
                from: "/backups/a.json".into(),
                account: "111111111111".into(),
                region: "us-east-1".into(),
            },
            link: false,
        }
    }

    fn steps(seen: &Observed, want: &Desired) -> Vec<Step> {
        plan(seen, want).unwrap().planned.steps
    }

    #[test]
    fn a_grant_on_an_api_without_policy_writes_and_redeploys_every_target_stage() {
        let a = plan(&seen(None, None), &access(Mode::Grant, &[X], false)).unwrap();
        let [Step::WritePolicy {
            document,
            hash: h,
            over: None,
        }, Step::Redeploy { stage }] = &a.planned.steps[..]
        else {
            panic!("{:?}", a.planned.steps)
        };
        assert_eq!(stage, "prod");
        assert_eq!(*h, hash(document));
        assert!(document.to_compact().contains(X));
        assert!(a.facts.changed && a.facts.diff.as_deref().unwrap().contains(X));
        assert_eq!(a.facts.added, vec![X.to_owned()]);
        let verbs: Vec<Verb> = a.planned.plan.actions.iter().map(|a| a.verb).collect();
        assert_eq!(verbs, [Verb::Change, Verb::Create]);
    }

    #[test]
    fn an_admitted_endpoint_on_a_stage_serving_the_policy_needs_nothing() {
        let doc = standard(&[X]);
        let a = plan(
            &seen(Some(&doc), Some(hash(&doc))),
            &access(Mode::Grant, &[X], false),
        )
        .unwrap();
        assert_eq!(a.planned.steps, []);
        assert!(a.planned.plan.is_noop());
        assert_eq!(a.facts.unchanged, vec![X.to_owned()]);
        assert!(!a.facts.changed && a.facts.diff.is_none());
    }

    #[test]
    fn a_write_goes_over_the_policy_it_was_planned_from() {
        let doc = standard(&[X]);
        let a = plan(&seen(Some(&doc), None), &access(Mode::Grant, &[Y], false)).unwrap();
        let Step::WritePolicy { document, over, .. } = &a.planned.steps[0] else {
            panic!("{:?}", a.planned.steps)
        };
        assert_eq!(over.as_deref(), Some(hash(&doc).as_str()));
        assert!(document.to_compact().contains(X) && document.to_compact().contains(Y));
    }

    #[test]
    fn a_stage_deployed_by_xapi_with_another_policy_is_only_redeployed() {
        let doc = standard(&[X]);
        let a = plan(
            &seen(Some(&doc), Some("0".repeat(64))),
            &access(Mode::Grant, &[X], false),
        )
        .unwrap();
        assert_eq!(
            a.planned.steps,
            [Step::Redeploy {
                stage: "prod".into()
            }]
        );
        assert!(a.planned.plan.actions[1].details[0].contains("serves an older policy"));
    }

    #[test]
    fn a_stage_xapi_never_deployed_is_redeployed_only_when_a_failed_run_noted_it() {
        let doc = standard(&[X]);
        let mut s = seen(Some(&doc), None);
        let want = access(Mode::Grant, &[X], false);
        assert_eq!(steps(&s, &want), []);
        s.pending = Some(Pending {
            hash: hash(&doc),
            stages: vec!["prod".into()],
        });
        assert_eq!(
            steps(&s, &want),
            [Step::Redeploy {
                stage: "prod".into()
            }]
        );
        // A note about another policy is out of date.
        s.pending = Some(Pending {
            hash: "0".repeat(64),
            stages: vec!["prod".into()],
        });
        assert_eq!(steps(&s, &want), []);
    }

    #[test]
    fn only_stages_with_a_deployment_are_redeployed_and_drift_needs_consent() {
        let doc = standard(&[X]);
        let mut s = seen(Some(&doc), Some(hash(&doc)));
        let stage = |name: &str, serves: bool, drift: Drift| StageState {
            name: name.into(),
            deployed: None,
            serves,
            drift,
            served_policy: None,
        };
        s.stages = vec![
            stage("a", true, Drift::Same),
            stage(
                "b",
                true,
                Drift::Publishes(vec!["new method GET /x".into()]),
            ),
            stage("c", true, Drift::Unknown("denied".into())),
            stage("d", false, Drift::Same),
        ];
        let a = plan(&s, &access(Mode::Grant, &[Y], false)).unwrap();
        let redeployed: Vec<&str> = a
            .planned
            .steps
            .iter()
            .filter_map(|st| match st {
                Step::Redeploy { stage } => Some(stage.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(redeployed, ["a", "b", "c"]);
        assert_eq!(a.facts.publishes, ["b", "c"]);
        let warned: Vec<&String> = a
            .planned
            .plan
            .warnings
            .iter()
            .filter(|w| w.contains("--yes"))
            .collect();
        assert_eq!(warned.len(), 2, "{warned:?}");
        assert!(warned[0].contains("stage b ") && warned[1].contains("stage c "));
        let d = a
            .planned
            .plan
            .actions
            .iter()
            .find(|x| x.target.ends_with("stage d"))
            .unwrap();
        assert_eq!(d.verb, Verb::Reuse);
        // Nothing to write and nothing stale: nothing is published, so no consent.
        let none = plan(&s, &access(Mode::Grant, &[X], false)).unwrap();
        assert!(none.facts.publishes.is_empty() && none.planned.steps.is_empty());
    }

    const A: &str = "vpce-0aaaaaaaaaaaaaaa1";
    const B: &str = "vpce-0bbbbbbbbbbbbbbb1";

    /// Allow statements gating `/prod/*` on A's list and `/*` on B's: copying A and
    /// copying B are different edits of the same size.
    fn two_gates(with_b: bool, with_a: bool) -> PolicyDocument {
        let allow = |resource: &str, vpce: &str| {
            serde_json::json!({"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
                "Resource": resource, "Condition": {"StringEquals": {"aws:SourceVpce": [vpce]}}})
        };
        let mut st = Vec::new();
        if with_b {
            st.push(allow("execute-api:/*", B));
        }
        if with_a {
            st.push(allow("execute-api:/prod/*", A));
        }
        PolicyDocument::parse(
            &serde_json::json!({"Version": "2012-10-17", "Statement": st}).to_string(),
        )
        .unwrap()
    }

    fn reapply(planned_on: &PolicyDocument, fresh: &PolicyDocument) -> Result<Edit, PolicyError> {
        let want = access(Mode::Grant, &[X], false);
        let a = plan(&seen(Some(planned_on), None), &want).unwrap();
        want.change
            .reapply(Some(fresh), &api_ref(), &a.facts.references)
            .unwrap()
    }

    #[test]
    fn a_re_applied_grant_copies_the_planned_reference_not_a_new_choice() {
        let fresh = two_gates(true, true);
        // A free choice on the fresh document copies B, the first listed.
        let free = policy::grant(Some(&fresh), &api_ref(), &[X.to_owned()]).unwrap();
        assert_eq!(free.references[0].like, policy::Like::Endpoint(B.into()));
        let edit = reapply(&two_gates(false, true), &fresh).unwrap();
        assert_eq!(edit.references[0].like, policy::Like::Endpoint(A.into()));
        let text = edit.document.to_compact();
        let b_statement = &text[..text.find("/prod/").unwrap()];
        assert!(!b_statement.contains(X), "X copies A, not B: {text}");
        assert!(text.contains(X));
    }

    #[test]
    fn a_grant_planned_when_nothing_was_admitted_gets_the_same_on_a_re_apply() {
        let want = access(Mode::Grant, &[X], false);
        let a = plan(&seen(None, None), &want).unwrap();
        assert_eq!(a.facts.references[0].like, policy::Like::Nothing);
        let edit = want
            .change
            .reapply(Some(&standard(&[Y])), &api_ref(), &a.facts.references)
            .unwrap()
            .unwrap();
        assert_eq!(edit.document, standard(&[Y, X]));
        assert_eq!(edit.references[0].like, policy::Like::Nothing);
    }

    #[test]
    fn a_re_applied_grant_whose_reference_is_gone_fails_naming_it() {
        let err = reapply(&two_gates(false, true), &two_gates(true, false)).unwrap_err();
        assert!(matches!(err, PolicyError::Replanned(_)), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(A) && msg.contains(X) && msg.contains("no longer admitted"),
            "{msg}"
        );
        // Planned as already admitted, now not: no reference to copy.
        let want = access(Mode::Grant, &[X], false);
        let err = want
            .change
            .reapply(Some(&standard(&[Y])), &api_ref(), &[])
            .unwrap()
            .unwrap_err();
        assert!(
            err.to_string().contains("already admitted when planned"),
            "{err}"
        );
    }

    #[test]
    fn associate_lists_only_endpoints_not_yet_listed() {
        let doc = standard(&[X, Y]);
        let mut s = seen(Some(&doc), Some(hash(&doc)));
        s.api.vpc_endpoint_ids = vec![X.into()];
        assert_eq!(
            steps(&s, &access(Mode::Grant, &[X, Y], true)),
            [Step::Associate {
                vpce: Y.parse().unwrap()
            }]
        );
        assert_eq!(steps(&s, &access(Mode::Grant, &[X, Y], false)), []);
        let revoke = steps(&s, &access(Mode::Revoke, &[X, Y], true));
        assert!(revoke.contains(&Step::Disassociate {
            vpce: X.parse().unwrap()
        }));
        assert!(!revoke.contains(&Step::Disassociate {
            vpce: Y.parse().unwrap()
        }));
    }

    #[test]
    fn a_revoke_of_what_is_not_admitted_changes_nothing() {
        let doc = standard(&[Y]);
        let a = plan(
            &seen(Some(&doc), Some(hash(&doc))),
            &access(Mode::Revoke, &[X], false),
        )
        .unwrap();
        assert_eq!(a.planned.steps, []);
        assert_eq!(a.facts.unchanged, vec![X.to_owned()]);
        assert_eq!(
            steps(&seen(None, None), &access(Mode::Revoke, &[X], false)),
            [],
            "no policy: nothing to remove and nothing to redeploy"
        );
    }

    #[test]
    fn a_restore_writes_only_a_different_document() {
        let old = standard(&[X]);
        let now = standard(&[X, Y]);
        let a = plan(&seen(Some(&now), Some(hash(&now))), &restore(old.clone())).unwrap();
        assert!(matches!(
            &a.planned.steps[..],
            [Step::WritePolicy { document, .. }, Step::Redeploy { .. }] if *document == old
        ));
        assert!(a.facts.diff.unwrap().contains("/backups/a.json"));
        assert_eq!(
            a.planned.plan.actions[0].details,
            ["restore /backups/a.json"]
        );
        assert_eq!(
            steps(&seen(Some(&old), Some(hash(&old))), &restore(old.clone())),
            []
        );
    }

    #[test]
    fn refusals() {
        let err = |s: &Observed, w: &Desired| plan(s, w).unwrap_err();
        let want = access(Mode::Grant, &[X], false);
        let mut regional = seen(None, None);
        regional.api.endpoint_types = vec!["REGIONAL".into()];
        assert!(err(&regional, &want).to_string().contains("not PRIVATE"));
        let mut unreadable = seen(None, None);
        unreadable.api.policy = Some("not json".into());
        assert_eq!(err(&unreadable, &want).exit_code(), 2);
        let mut foreign = restore(standard(&[X]));
        if let Change::Restore { account, .. } = &mut foreign.change {
            *account = "222222222222".into();
        }
        assert!(err(&seen(None, None), &foreign)
            .to_string()
            .contains("account 222222222222"));
    }

    #[test]
    fn target_stages_are_the_named_ones_or_all() {
        let stages = [
            Stage {
                name: "prod".into(),
                deployment_id: None,
            },
            Stage {
                name: "dev".into(),
                deployment_id: None,
            },
        ];
        assert_eq!(
            target_stages(&api_id(), &stages, &[]).unwrap(),
            ["prod", "dev"]
        );
        assert_eq!(
            target_stages(&api_id(), &stages, &["dev".into()]).unwrap(),
            ["dev"]
        );
        let e = target_stages(&api_id(), &stages, &["nope".into()]).unwrap_err();
        assert!(e.to_string().contains("'nope'") && e.to_string().contains("prod, dev"));
    }

    #[test]
    fn changes_describe_themselves_by_endpoint_or_backup() {
        assert_eq!(
            access(Mode::Grant, &[X, Y], false).change.describe(),
            format!("admit {X}, {Y}")
        );
        assert_eq!(
            access(Mode::Revoke, &[X], false).change.describe(),
            format!("remove {X}")
        );
        assert_eq!(
            restore(standard(&[X])).change.describe(),
            "restore /backups/a.json"
        );
    }

    #[test]
    fn a_short_hash_is_its_first_twelve_characters() {
        assert_eq!(short("0123456789abcdef"), "0123456789ab");
        assert_eq!(short("abc"), "abc");
    }

    #[test]
    fn the_plan_names_the_caller_and_the_stored_policys_hash() {
        let now = standard(&[Y]);
        let a = plan(
            &seen(Some(&now), Some(hash(&now))),
            &access(Mode::Grant, &[X], false),
        )
        .unwrap();
        assert_eq!(
            a.planned.plan.identity,
            "arn:aws:sts::111111111111:assumed-role/x/y"
        );
        assert_eq!(a.facts.current_hash, Some(hash(&now)));
        let none = plan(&seen(None, None), &access(Mode::Grant, &[X], false)).unwrap();
        assert_eq!(none.facts.current_hash, None);
    }

    /// A document whose compact form is exactly `len` characters.
    fn sized(len: usize) -> PolicyDocument {
        let with_sid = |n: usize| {
            let mut v: serde_json::Value =
                serde_json::from_str(&standard(&[X]).to_compact()).unwrap();
            v["Statement"][0]["Sid"] = serde_json::Value::String("a".repeat(n));
            PolicyDocument::from_json(v)
        };
        let base = with_sid(0).to_compact().len();
        let doc = with_sid(len - base);
        assert_eq!(doc.to_compact().len(), len);
        doc
    }

    #[test]
    fn a_restore_is_refused_only_past_the_size_limit() {
        let limit = policy::POLICY_SIZE_LIMIT;
        assert!(plan(&seen(None, None), &restore(sized(limit))).is_ok());
        let err = plan(&seen(None, None), &restore(sized(limit + 1)))
            .unwrap_err()
            .to_string();
        assert!(err.contains(&(limit + 1).to_string()), "{err}");
    }

    #[test]
    fn only_a_restore_that_opens_the_api_to_every_endpoint_says_so() {
        let open = PolicyDocument::from_json(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}]
        }));
        let warned = |now: &PolicyDocument, to: &PolicyDocument| {
            plan(&seen(Some(now), Some(hash(now))), &restore(to.clone()))
                .unwrap()
                .planned
                .plan
                .warnings
                .iter()
                .any(|w| w.contains("admits every VPC endpoint"))
        };
        assert!(warned(&standard(&[X]), &open));
        assert!(!warned(&open, &open), "nothing is written, nothing opens");
        assert!(!warned(&open, &standard(&[X])), "a restore that closes it");
    }

    #[test]
    fn without_a_policy_no_stage_is_redeployed_and_the_plan_says_what_it_still_serves() {
        // Redeploying would publish "no policy" (every call refused), and
        // nothing the user asked for needs it; but the stage still serves
        // what it was deployed with, and a revoke must not look complete.
        let old = standard(&[X]);
        for want in [
            access(Mode::Revoke, &[X], false),
            access(Mode::Revoke, &[Y], false),
        ] {
            let a = plan(&seen(None, Some(hash(&old))), &want).unwrap();
            assert_eq!(a.planned.steps, []);
            let warning = a.planned.plan.warnings.join("\n");
            assert!(
                warning.contains("has no resource policy, but stage prod still serves")
                    && warning.contains("xapi doctor --api-id a1b2c3d4e5"),
                "{warning}"
            );
        }
        // No stage serving anything: nothing to warn about.
        let mut idle = seen(None, None);
        idle.stages[0].serves = false;
        let a = plan(&idle, &access(Mode::Revoke, &[X], false)).unwrap();
        assert!(
            !a.planned
                .plan
                .warnings
                .iter()
                .any(|w| w.contains("still serves")),
            "{:?}",
            a.planned.plan.warnings
        );
    }

    /// An API storing no policy whose `prod` serves `served` (as its export carries it).
    fn serving(served: Option<&str>) -> Observed {
        let mut s = seen(None, None);
        s.stages[0].served_policy = served.map(str::to_owned);
        s
    }

    fn revoke_of(vpces: &[&str], seen: &Observed) -> Assessment {
        plan(seen, &access(Mode::Revoke, vpces, false)).unwrap()
    }

    fn served_vpces(a: &Assessment) -> Vec<(String, String)> {
        a.facts
            .still_served
            .iter()
            .map(|s| (s.stage.clone(), s.vpce.clone()))
            .collect()
    }

    #[test]
    fn a_revoke_without_a_stored_policy_is_not_done_while_a_stage_serves_one_admitting_the_endpoint(
    ) {
        // Every subset of {X, Y} admitted by the deployed policy, every revoke:
        // an endpoint is reported still served exactly when that policy admits it.
        let prod = |v: &str| ("prod".to_owned(), v.to_owned());
        for admitted in [vec![], vec![X], vec![Y], vec![X, Y]] {
            let served = standard(&admitted).to_compact();
            for revoked in [vec![X], vec![Y], vec![X, Y]] {
                let a = revoke_of(&revoked, &serving(Some(&served)));
                assert_eq!(a.planned.steps, [], "nothing xapi can write fixes it");
                let want: Vec<_> = revoked
                    .iter()
                    .filter(|v| admitted.contains(v))
                    .map(|v| prod(v))
                    .collect();
                assert_eq!(served_vpces(&a), want, "{admitted:?} revoking {revoked:?}");
                assert!(
                    !a.planned
                        .plan
                        .warnings
                        .iter()
                        .any(|w| w.contains("may admit")),
                    "a known deployed policy is judged, not guessed at: {:?}",
                    a.planned.plan.warnings
                );
            }
        }
    }

    #[test]
    fn a_deployed_policy_admitting_the_endpoint_any_other_way_keeps_the_revoke_open() {
        let open = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
        let from_vpc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-0aaa"}}}]}"#;
        for served in [open, from_vpc] {
            let a = revoke_of(&[X], &serving(Some(served)));
            assert_eq!(served_vpces(&a), [("prod".into(), X.into())], "{served}");
        }
        // Named, then denied by name: not admitted, nothing left open.
        let denied = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]}"#;
        assert_eq!(X, "vpce-0123456789abcdef0");
        assert_eq!(served_vpces(&revoke_of(&[X], &serving(Some(denied)))), []);
    }

    #[test]
    fn a_deployed_policy_that_cannot_be_judged_is_named_in_a_warning_not_passed() {
        let admits_x = standard(&[X]).to_compact();
        for served in [None, Some("{not json")] {
            let mut s = serving(served);
            let mut dev = s.stages[0].clone();
            dev.name = "dev".into();
            dev.served_policy = Some(admits_x.clone());
            s.stages.push(dev);
            let a = revoke_of(&[X], &s);
            assert_eq!(served_vpces(&a), [("dev".into(), X.into())]);
            let warnings = a.planned.plan.warnings.join("\n");
            assert!(
                warnings.contains("but stage prod still serves the one it was last deployed with"),
                "{warnings}"
            );
        }
        // A grant writes a policy: the stages are redeployed with it.
        let a = plan(&serving(Some(&admits_x)), &access(Mode::Grant, &[Y], false)).unwrap();
        assert_eq!(served_vpces(&a), []);
    }

    #[test]
    fn a_deployed_policy_too_costly_to_judge_counts_as_admitting_and_says_so() {
        let served = crate::policy::testing::over_budget_policy(X);
        let a = revoke_of(&[X], &serving(Some(&served)));
        assert_eq!(
            a.facts.still_served,
            [StillServed {
                stage: "prod".into(),
                vpce: X.into(),
                approximated: true,
            }]
        );
    }
}
