//! grant and revoke: the smallest edits of a statement's endpoint conditions that make a
//! new endpoint behave exactly like one the policy already admits, and that undo it.
//!
//! A statement applies to a request when its principal, action, resource, endpoint gate
//! (its conditions on `aws:SourceVpce` and `aws:SourceVpc`) and other conditions all match.
//! Grant picks a *reference* the policy already admits: a listed endpoint R (in some VPC),
//! or any endpoint of a listed VPC, or any endpoint at all when the policy is open. It then
//! edits gates so that, statement by statement, the gate for X equals the gate for the
//! reference, whatever X's VPC. Principal, action, resource and every other condition are
//! untouched, so for every request through X the set of statements that apply is the set
//! that applied to the reference: X's decision is the reference's, everywhere, for every
//! caller and every value of the other condition keys. Every edit changes a gate only for
//! `aws:SourceVpce == X`:
//! - add X to a positive string list (`v == X` ORed in), or remove the literal X from a
//!   negated one (X no longer exempt);
//! - add X to a negated list, or a new `StringNotEquals aws:SourceVpce [X]` conjunct
//!   (`v != X` ANDed in: the statement stops applying to X);
//! - a companion: a copy of the statement whose endpoint gate is `StringEquals
//!   aws:SourceVpce [X]`, for gates a single block cannot express (a VPC list, `Null`, a
//!   pattern that excludes X). An existing statement of the same shape gains X instead.
//!
//! When no endpoint is admitted at all (what revoking the last one leaves), there is no
//! reference and X gets what the user asked for: every Allow that lists endpoints or VPCs
//! admits X, every Deny that exempts endpoints or VPCs, and a Deny of every call, exempt
//! it; every other statement binds X as it binds everyone. When that still admits X
//! nowhere (a policy of Denies, or of Allows no request through an endpoint satisfies),
//! X joins the Denies' exemption lists and gets one new Allow on the named resources,
//! bound by every other Deny. A policy that never reads the endpoint keys treats X like
//! every other endpoint already.
//!
//! Every "is it admitted?" answer a grant relies on must be exact: one the search's budget
//! could only guess is refused, naming the statement that made it expensive.
//!
//! Refused (a human decided): an Allow that excludes X by name or pattern, a Deny that
//! targets X by name, or by a pattern with no exemption list, where the copy would have to
//! override it; a new Allow a Deny would still override; a result over the size limit.
//!
//! revoke(X) removes X, by name, from every list that lets endpoints in: Deny exemptions and
//! Allow requirements. An exemption list that empties loses its key (then its block, then
//! `Condition`), so the Deny applies to everyone; an Allow whose required list empties is
//! removed. It never removes a Deny, so it can never widen anyone's access. When X is still
//! admitted by a statement that does not name it (an open Allow, a pattern, a VPC list), the
//! edit reports which statements and where, in [`Edit::still_admitted`].

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::eval::open_to_any;
use super::model::{
    analyze, has_wildcard, Effect, Entry, Key, Kind, Policy, Stmt, INVOKE, KEY_VPCE,
};
use super::reach::{fresh_ids, Reach};
use super::search::Outcome;
use super::{ApiRef, PolicyDocument, PolicyError, POLICY_SIZE_LIMIT};
use std::cell::RefCell;

#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub document: PolicyDocument,
    pub changed: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// grant: ids already admitted; revoke: ids already not admitted.
    pub already: Vec<String>,
    pub warnings: Vec<String>,
    /// grant: what each added id was made to behave like.
    pub references: Vec<Reference>,
    /// revoke: ids that statements not naming them still admit after the edit.
    pub still_admitted: Vec<StillAdmitted>,
}

/// The endpoint a granted id copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Like {
    /// An endpoint the policy lists and admits.
    Endpoint(String),
    /// Any endpoint matching a pattern the policy lists and admits.
    Matching(String),
    /// Any endpoint of a VPC the policy admits as a whole.
    AnyEndpointIn(String),
    /// Any endpoint at all: the policy is open.
    AnyEndpoint,
    /// No endpoint was admitted: every statement that lists endpoints or VPCs.
    Nothing,
    /// No endpoint was admitted and no list could admit it: a new Allow for it on these
    /// resources, bound by every Deny that does not exempt it.
    NewAllow(Vec<String>),
}

impl std::fmt::Display for Like {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Like::Endpoint(id) => write!(f, "{id}"),
            Like::Matching(pattern) => write!(f, "any endpoint matching {pattern}"),
            Like::AnyEndpointIn(vpc) => write!(f, "any endpoint in {vpc}"),
            Like::AnyEndpoint => f.write_str("any endpoint (the policy is open)"),
            Like::Nothing => f.write_str(
                "an endpoint named in every statement that lists endpoints or VPCs (none was admitted before)",
            ),
            Like::NewAllow(resources) => write!(
                f,
                "no other endpoint (none was admitted): a new Allow on {}, bound by every Deny",
                resources.join(", ")
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Reference {
    pub vpce: String,
    pub like: Like,
}

impl std::fmt::Display for Reference {
    /// What the plan and the report say the grant does to this endpoint.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.like {
            Like::NewAllow(resources) => write!(
                f,
                "{} by a new Allow on {} (no endpoint was admitted; every Deny still binds it)",
                self.vpce,
                resources.join(", ")
            ),
            like => write!(f, "{} exactly like {like}", self.vpce),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct StillAdmitted {
    pub vpce: String,
    /// Sids (or `#n` positions) of the Allow statements that still let it in.
    pub statements: Vec<String>,
    /// Their resources, as the policy names them.
    pub resources: Vec<String>,
    /// One resource it can still invoke, found by the exact search.
    pub example: Option<String>,
    /// Empty when it gets in from any VPC; else only from these (the policy admits them
    /// as a whole, and the endpoint's VPC is not known here).
    pub only_from_vpcs: Vec<String>,
    /// Proving it is shut out exceeded the evaluation budget: counted as admitted.
    pub approximated: bool,
}

/// Makes requests through each id be treated like requests through the endpoints the
/// policy already admits, without changing the decision for any other request.
pub fn grant(
    current: Option<&PolicyDocument>,
    api: &ApiRef,
    vpces: &[String],
) -> Result<Edit, PolicyError> {
    grant_like(current, api, vpces, None, &[])
}

/// As [`grant`], copying `like` (an endpoint the policy admits) rather than the reference
/// that needs the smallest edit, and, when the policy admits no endpoint at all, admitting
/// the first id on `resources` (default: the whole API) with a new Allow.
pub fn grant_like(
    current: Option<&PolicyDocument>,
    api: &ApiRef,
    vpces: &[String],
    like: Option<&str>,
    resources: &[String],
) -> Result<Edit, PolicyError> {
    let ids = dedupe(vpces);
    if let Some(r) = resources.iter().find(|r| !valid_new_resource(api, r)) {
        return Err(PolicyError::unsupported(
            "(request)",
            format!(
                "resource {r:?} is not one of this API's: write execute-api:/STAGE/METHOD/PATH \
                 (wildcards allowed) or {}/...",
                api.arn_prefix()
            ),
        ));
    }
    let new_resources = new_allow_resources(resources);
    let Some(current) = current else {
        if ids.is_empty() {
            return Err(PolicyError::unsupported(
                "(request)",
                "no VPC endpoint ids to grant",
            ));
        }
        let mut document = PolicyDocument::standard(&ids);
        if !resources.is_empty() {
            let mut value = document.as_value().clone();
            value["Statement"][0]["Resource"] = json!(new_resources);
            document = PolicyDocument::from_json(value);
        }
        check_size(&document)?;
        let mut edit = empty_edit(&document);
        edit.changed = true;
        edit.references = ids
            .iter()
            .map(|id| Reference {
                vpce: id.clone(),
                like: Like::Nothing,
            })
            .collect();
        edit.added = ids;
        return Ok(edit);
    };
    let policy = analyze(current.as_value(), api)?;
    let like = like.map(|r| Like::Endpoint(r.to_string()));
    let mut value = current.as_value().clone();
    let mut edit = empty_edit(current);
    edit.warnings.extend(inert_warnings(&policy));
    for id in &ids {
        match grant_one(
            &value,
            api,
            id,
            like.as_ref(),
            &new_resources,
            &mut edit.warnings,
        )
        .map_err(|e| match e {
            NotCopied::Policy(e) => e,
            NotCopied::NotAdmitted(like) => PolicyError::unsupported(
                "(request)",
                format!("{like} is not admitted by the policy, so {id} cannot be made like it"),
            ),
        })? {
            Some((next, like)) => {
                value = next;
                edit.added.push(id.clone());
                edit.references.push(Reference {
                    vpce: id.clone(),
                    like,
                });
            }
            None => edit.already.push(id.clone()),
        }
    }
    let new_allow = edit
        .references
        .iter()
        .any(|r| matches!(r.like, Like::NewAllow(_)));
    // Once every id is admitted (a re-run, the check after a write) there is nothing left
    // for the resources to shape.
    if !resources.is_empty() && !edit.added.is_empty() && !new_allow {
        return Err(PolicyError::unsupported(
            "(request)",
            "--resource applies only to a policy that admits no endpoint (xapi then adds an \
             Allow on those resources); this one already admits endpoints, and a granted one \
             gets exactly what they get: drop --resource",
        ));
    }
    finish(edit, value, api)
}

/// `execute-api:/...` or this API's own ARN, without policy variables.
fn valid_new_resource(api: &ApiRef, r: &str) -> bool {
    !r.contains("${") && (r.starts_with("execute-api:/") || r.starts_with(&api.request_lead()))
}

/// Statements whose resources match no request, which xapi treats (as AWS does) as
/// matching nothing; said once per command because a human most likely meant otherwise.
fn inert_warnings(policy: &Policy) -> Vec<String> {
    policy
        .stmts
        .iter()
        .flat_map(|s| {
            let element = if s.resource.negated {
                "NotResource"
            } else {
                "Resource"
            };
            s.inert_resources().map(move |p| {
                format!(
                    "statement {}: {element} {p:?} is neither an ARN nor execute-api:/... and \
                     matches no request (API Gateway stores it as written), so xapi treats it \
                     as matching nothing; write execute-api:/... if it was meant to apply",
                    s.label
                )
            })
        })
        .collect()
}

/// What a new Allow (or a new policy) covers: the `--resource` patterns, or the whole API.
fn new_allow_resources(resources: &[String]) -> Vec<String> {
    if resources.is_empty() {
        vec!["execute-api:/*".to_string()]
    } else {
        dedupe(resources)
    }
}

/// As [`grant_like`] without `like`, but each id copies the reference a plan chose for it
/// (`planned`), and an id the plan found already admitted (no reference) must still be:
/// for applying a planned grant again to a document another writer changed meanwhile.
/// Where that is no longer possible it fails, naming the reference, rather than choose
/// another. `resources` is the plan's `--resource` list: a new Allow or a new policy
/// written on the re-apply covers exactly what the plan's would have.
pub fn grant_as(
    current: Option<&PolicyDocument>,
    api: &ApiRef,
    vpces: &[String],
    planned: &[Reference],
    resources: &[String],
) -> Result<Edit, PolicyError> {
    let ids = dedupe(vpces);
    let planned_like = |id: &str| planned.iter().find(|r| r.vpce == id).map(|r| &r.like);
    let Some(current) = current else {
        let edit = grant_like(None, api, vpces, None, resources)?;
        for r in &edit.references {
            if planned_like(&r.vpce) != Some(&r.like) {
                return Err(no_longer(
                    &r.vpce,
                    planned_like(&r.vpce),
                    "the policy was removed",
                ));
            }
        }
        return Ok(edit);
    };
    let policy = analyze(current.as_value(), api)?;
    let new_resources = new_allow_resources(resources);
    let mut value = current.as_value().clone();
    let mut edit = empty_edit(current);
    edit.warnings.extend(inert_warnings(&policy));
    for id in &ids {
        let wanted = planned_like(id);
        let got = grant_one(&value, api, id, wanted, &new_resources, &mut edit.warnings).map_err(
            |e| match e {
                NotCopied::Policy(e) => e,
                NotCopied::NotAdmitted(_) => no_longer(id, wanted, "it is no longer admitted"),
            },
        )?;
        match (got, wanted) {
            (Some((next, like)), Some(w)) if like == *w => {
                value = next;
                edit.added.push(id.clone());
                edit.references.push(Reference {
                    vpce: id.clone(),
                    like,
                });
            }
            (Some((_, like)), w) => {
                return Err(no_longer(
                    id,
                    w,
                    &format!("the policy now makes it like {like}"),
                ))
            }
            (None, _) => edit.already.push(id.clone()),
        }
    }
    finish(edit, value, api)
}

/// A planned reference that another writer's change has made impossible to copy.
fn no_longer(id: &str, like: Option<&Like>, why: &str) -> PolicyError {
    PolicyError::Replanned(match like {
        Some(like) => format!("{id} was planned to be admitted exactly like {like}, but {why}"),
        None => format!(
            "{id} was already admitted when planned, but no longer is, and the plan named no reference for it ({why})"
        ),
    })
}

/// Removes each id from every list that lets it in; reports, rather than refuses, where a
/// statement that does not name it still admits it.
pub fn revoke(
    current: Option<&PolicyDocument>,
    api: &ApiRef,
    vpces: &[String],
) -> Result<Edit, PolicyError> {
    let ids = dedupe(vpces);
    let Some(current) = current else {
        // No policy: nothing is admitted. The placeholder document must never be written,
        // which `changed == false` says.
        let mut edit = empty_edit(&PolicyDocument::from_json(
            json!({ "Version": "2012-10-17", "Statement": [] }),
        ));
        edit.already = ids;
        edit.warnings
            .push("the API has no resource policy; nothing to revoke".into());
        return Ok(edit);
    };
    let policy = analyze(current.as_value(), api)?;
    let mut value = current.as_value().clone();
    let mut edit = empty_edit(current);
    edit.warnings.extend(inert_warnings(&policy));
    for id in &ids {
        let (next, changed) = revoke_one(&value, api, id)?;
        value = next;
        if changed {
            edit.removed.push(id.clone());
        }
        let policy = analyze(&value, api)?;
        match still_admitted(&policy, api, &value, id) {
            Some(s) => edit.still_admitted.push(s),
            None if !changed => edit.already.push(id.clone()),
            None => {}
        }
    }
    finish(edit, value, api)
}

fn empty_edit(current: &PolicyDocument) -> Edit {
    Edit {
        document: current.clone(),
        changed: false,
        added: Vec::new(),
        removed: Vec::new(),
        already: Vec::new(),
        warnings: Vec::new(),
        references: Vec::new(),
        still_admitted: Vec::new(),
    }
}

fn finish(mut edit: Edit, value: Value, api: &ApiRef) -> Result<Edit, PolicyError> {
    if !edit.added.is_empty() || !edit.removed.is_empty() {
        // Only a changed policy is re-serialised, so an unchanged one stays byte-identical.
        edit.document = PolicyDocument::from_json(value);
        edit.changed = true;
        check_size(&edit.document)?;
    }
    let policy = analyze(edit.document.as_value(), api)?;
    if open_to_any(&policy, api, &edit.document.to_compact()) {
        edit.warnings.push(format!(
            "the policy admits requests through every VPC endpoint in {} (any account): an Allow \
             is not limited by aws:SourceVpce or aws:SourceVpc",
            api.region
        ));
    }
    Ok(edit)
}

fn check_size(doc: &PolicyDocument) -> Result<(), PolicyError> {
    // Bytes, not characters: never smaller, so the check can only err on the safe side.
    let size = doc.to_compact().len();
    if size > POLICY_SIZE_LIMIT {
        return Err(PolicyError::TooLarge {
            size,
            limit: POLICY_SIZE_LIMIT,
        });
    }
    Ok(())
}

fn dedupe(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// What one statement's gate for X must become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Apply,
    Skip,
    Keep,
}

/// One planned change to one statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// Add X to the positive lists that miss it, drop the literal X from negated lists.
    Admit,
    /// AND `aws:SourceVpce != X` into the gate.
    Exclude,
    /// A copy gated on `aws:SourceVpce == X`.
    Companion,
    /// Take X off a companion's list (the statement goes when the list empties).
    Unlist,
}

impl Change {
    /// Smaller edits first; excluding X from an Allow is the least natural of all.
    fn cost(self, effect: Effect) -> usize {
        match (self, effect) {
            (Change::Admit | Change::Unlist, _) | (Change::Exclude, Effect::Deny) => 1,
            (Change::Companion, _) => 2,
            (Change::Exclude, Effect::Allow) => 4,
        }
    }
}

fn vpce_part(s: &Stmt, x: &str) -> bool {
    s.conditions
        .iter()
        .filter(|e| e.key == Key::Vpce)
        .all(|e| e.holds(Some(x)))
}

/// The change that makes the statement's gate for X equal `want`, whatever X's VPC, or
/// `None` when it already does.
fn change_for(s: &Stmt, x: &str, want: Want) -> Option<Change> {
    match want {
        Want::Keep => None,
        Want::Skip => vpce_part(s, x).then_some(Change::Exclude),
        Want::Apply => {
            if !s.has_vpc_conditions() && vpce_part(s, x) {
                return None;
            }
            let in_place = !s.has_vpc_conditions()
                && s.conditions
                    .iter()
                    .filter(|e| e.key == Key::Vpce && !e.holds(Some(x)))
                    .all(|e| {
                        e.op.is_string_list()
                            && (!e.op.negated
                                || e.values
                                    .iter()
                                    .filter(|v| e.op.value_matches(v, x))
                                    .all(|v| e.op.names_exactly(v, x)))
                    });
            Some(if in_place {
                Change::Admit
            } else {
                Change::Companion
            })
        }
    }
}

/// Refuses an edit that would override a rule a human wrote about X itself.
fn refuse_override(s: &Stmt, x: &str, change: Change) -> Result<(), PolicyError> {
    let against = |e: &&Entry| {
        e.key == Key::Vpce
            && e.op.is_string_list()
            && e.op.negated == (s.effect == Effect::Allow)
            && e.any_value_matches(x)
    };
    match (s.effect, change) {
        (Effect::Allow, Change::Admit | Change::Companion) => {
            if let Some(e) = s.conditions.iter().find(against) {
                return Err(PolicyError::unsupported(
                    s.label.clone(),
                    format!(
                        "this Allow excludes {x} ({} {}); edit it by hand",
                        e.op_name, e.key_name
                    ),
                ));
            }
        }
        (Effect::Deny, Change::Exclude) => {
            if let Some(e) = s.conditions.iter().find(against) {
                let named = e
                    .values
                    .iter()
                    .any(|v| !has_wildcard(v) && e.op.value_matches(v, x));
                // A pattern such as "vpce-*" beside an exemption list is the common "deny
                // all but these" idiom, which the exemption we add answers.
                if named || s.admit_entries().next().is_none() {
                    return Err(PolicyError::unsupported(
                        s.label.clone(),
                        format!(
                            "this Deny targets {x} ({} {}); edit it by hand",
                            e.op_name, e.key_name
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The gate each statement must have for X so that X behaves like `reference`
/// (`None`: no endpoint is admitted; see the module comment).
fn wants(policy: &Policy, api: &ApiRef, reference: Option<(&str, &str)>) -> Vec<Want> {
    policy
        .stmts
        .iter()
        .map(|s| match reference {
            Some((vpce, vpc)) => {
                if s.endpoint_gate(Some(vpce), Some(vpc)) {
                    Want::Apply
                } else {
                    Want::Skip
                }
            }
            None => match s.effect {
                Effect::Allow if s.admit_entries().next().is_some() => Want::Apply,
                Effect::Deny if s.admit_entries().next().is_some() || s.denies_every_call(api) => {
                    Want::Skip
                }
                _ => Want::Keep,
            },
        })
        .collect()
}

/// The admitted candidate that needs the smallest edit; ties keep document order. Admission
/// is the expensive question, so it is asked in cost order and only until one qualifies.
fn cheapest(
    candidates: &[Candidate],
    admits: impl Fn(&Candidate) -> Result<bool, PolicyError>,
) -> Result<Option<usize>, PolicyError> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| candidates[i].cost);
    for i in order {
        if admits(&candidates[i])? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

struct Candidate {
    like: Like,
    vpce: String,
    vpc: String,
    changes: Vec<Option<Change>>,
    cost: usize,
}

/// Why a grant of one id failed: the policy refuses it, or the reference it was asked
/// to copy is not admitted.
enum NotCopied {
    Policy(PolicyError),
    NotAdmitted(Like),
}

impl From<PolicyError> for NotCopied {
    fn from(e: PolicyError) -> Self {
        NotCopied::Policy(e)
    }
}

/// One id. `None` means already admitted.
fn grant_one(
    value: &Value,
    api: &ApiRef,
    x: &str,
    like: Option<&Like>,
    new_resources: &[String],
    warnings: &mut Vec<String>,
) -> Result<Option<(Value, Like)>, NotCopied> {
    let policy = analyze(value, api)?;
    let text = format!("{value}{x}");
    let (fresh, _, fresh_vpc) = fresh_ids(&text);
    let listed_vpcs = vpc_representatives(&policy, &fresh_vpc);
    let vpc_options: Vec<&str> = listed_vpcs.iter().map(String::as_str).collect();

    let x_listed = policy.stmts.iter().any(|s| {
        s.admit_entries()
            .any(|e| e.key == Key::Vpce && e.values.iter().any(|v| v == x))
    });
    // One compiled policy answers every admission question below, within one budget.
    let reach = RefCell::new(Reach::new(&policy, api));
    // An answer the budget could not prove is never a reason to change nothing (or to
    // copy a reference that may not be admitted): refuse, naming what made it expensive.
    let admitted_from = |vpce: &str, vpcs: &[&str]| -> Result<bool, PolicyError> {
        let answer = reach.borrow_mut().admitted(vpce, &opts(vpcs), false);
        if answer.approximated {
            return Err(approximated(&reach.borrow(), x, vpce));
        }
        Ok(answer.yes)
    };
    if like.is_none() && x_listed && admitted_from(x, &vpc_options)? {
        return Ok(None);
    }
    // A policy that never reads the endpoint keys treats every endpoint alike: X is
    // already admitted exactly like any other (`--like`'s included), or it takes a new
    // Allow (below).
    let reads_endpoint = policy
        .stmts
        .iter()
        .any(|s| s.conditions.iter().any(|e| e.key.is_endpoint()));
    if !reads_endpoint && admitted_from(x, &vpc_options)? {
        warnings.push(format!(
            "{x} is admitted exactly like every other VPC endpoint: the policy never reads \
             aws:SourceVpce or aws:SourceVpc, so the API is open to any endpoint; nothing was \
             changed. To admit only named endpoints, add a Deny with StringNotEquals \
             aws:SourceVpce listing them"
        ));
        return Ok(None);
    }

    let companion_of = companions(value, &policy);
    let cost_of = |reference: Option<(&str, &str)>| {
        let mut wants = wants(&policy, api, reference);
        // A companion listing the reference carries its origin's rule to it, so X needs
        // that rule too (by joining the companion), whatever the origin's own gate says.
        if let Some((vpce, _)) = reference {
            for (c, of) in companion_of.iter().enumerate() {
                if let Some(o) = *of {
                    if vpce_part(&policy.stmts[c], vpce) {
                        wants[o] = Want::Apply;
                    }
                }
            }
        }
        let changes: Vec<Option<Change>> = policy
            .stmts
            .iter()
            .map(|s| {
                let i = s.index;
                // A companion listing X already carries its origin's rule to X.
                let carried = |o: usize| {
                    companion_of
                        .iter()
                        .enumerate()
                        .any(|(c, of)| *of == Some(o) && vpce_part(&policy.stmts[c], x))
                };
                match companion_of[i] {
                    // An Allow companion listing X may lose it; a Deny that names X is
                    // left to a human (refused below), whoever wrote it.
                    Some(o) if vpce_part(s, x) && wants[o] == Want::Skip => {
                        Some(if s.effect == Effect::Allow {
                            Change::Unlist
                        } else {
                            Change::Exclude
                        })
                    }
                    // A companion carries its origin's rule; with no rule to carry (the
                    // origin is left as it is) it is judged as the statement it is.
                    Some(o) if wants[o] != Want::Keep => None,
                    _ if wants[i] == Want::Apply && carried(i) => None,
                    _ => change_for(s, x, wants[i]),
                }
            })
            .collect();
        let cost = changes
            .iter()
            .zip(&policy.stmts)
            .filter_map(|(c, s)| c.map(|c| c.cost(s.effect)))
            .sum();
        (changes, cost)
    };
    let candidate = |like: Like, vpce: &str, vpc: &str| {
        let (changes, cost) = cost_of(Some((vpce, vpc)));
        Candidate {
            like,
            vpce: vpce.to_string(),
            vpc: vpc.to_string(),
            changes,
            cost,
        }
    };
    // Listed endpoints come first, in document order, so that X joins the lists its peers
    // are on; a VPC's or the open policy's "any endpoint" only when none is admitted.
    let listed_ids = listed(&policy, Key::Vpce);
    // A listed pattern stands for the endpoints it matches, through one instance of it.
    let instance = |pattern: &str| pattern.replace(['*', '?'], "0");
    let references: Vec<(Like, String)> = match like {
        Some(r @ Like::Endpoint(id)) => vec![(r.clone(), id.clone())],
        Some(r @ Like::Matching(pattern)) => vec![(r.clone(), instance(pattern))],
        Some(_) => Vec::new(),
        None => listed_ids
            .iter()
            .map(|v| {
                if has_wildcard(v) {
                    (Like::Matching(v.clone()), instance(v))
                } else {
                    (Like::Endpoint(v.clone()), v.clone())
                }
            })
            // X in another spelling is not another endpoint.
            .filter(|(_, id)| !id.eq_ignore_ascii_case(x))
            .collect(),
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    for (like, id) in &references {
        for vpc in &vpc_options {
            candidates.push(candidate(like.clone(), id, vpc));
        }
    }
    match like {
        Some(r @ Like::AnyEndpointIn(vpc)) => candidates.push(candidate(r.clone(), &fresh, vpc)),
        Some(Like::AnyEndpoint) => {
            candidates.push(candidate(Like::AnyEndpoint, &fresh, &fresh_vpc));
        }
        _ => {}
    }
    let admits = |c: &Candidate| admitted_from(&c.vpce, &[c.vpc.as_str()]);
    let mut chosen = cheapest(&candidates, admits)?;
    if chosen.is_none() && like.is_none() {
        // Open to every endpoint from every VPC: an id the policy does not single out is
        // already treated like any other endpoint of its VPC.
        let mut open_everywhere = true;
        for v in &vpc_options {
            open_everywhere &= admitted_from(&fresh, &[v])?;
        }
        let like_any = policy.stmts.iter().all(|s| {
            vpc_options.iter().all(|v| {
                s.endpoint_gate(Some(x), Some(v)) == s.endpoint_gate(Some(&fresh), Some(v))
            })
        });
        if open_everywhere && like_any {
            return Ok(None);
        }
        candidates.clear();
        for vpc in &vpc_options {
            let like = if *vpc == fresh_vpc {
                Like::AnyEndpoint
            } else {
                Like::AnyEndpointIn(vpc.to_string())
            };
            candidates.push(candidate(like, &fresh, vpc));
        }
        chosen = cheapest(&candidates, admits)?;
    }

    let (changes, like) = match chosen {
        Some(i) => {
            let c = candidates.swap_remove(i);
            (c.changes, c.like)
        }
        // Planned when no endpoint was admitted (or as a new Allow): X still gets what every
        // statement that lists endpoints or VPCs offers, whatever another writer admitted
        // meanwhile, and a new Allow where that admits nothing.
        None if matches!(like, Some(Like::Nothing | Like::NewAllow(_))) => {
            (cost_of(None).0, Like::Nothing)
        }
        None if like.is_some() => {
            return Err(NotCopied::NotAdmitted(
                like.cloned().unwrap_or(Like::Nothing),
            ))
        }
        None => (cost_of(None).0, Like::Nothing),
    };
    let out = apply(value, &policy, x, &changes)?;

    if out == *value && admitted_from(x, &vpc_options)? {
        return Ok(None);
    }
    if like != Like::Nothing {
        if out == *value {
            return Err(PolicyError::unsupported(
                "(policy)",
                format!(
                    "{x} is not admitted, yet copying {like} changes nothing; there is no list \
                     to add it to, refusing to guess"
                ),
            )
            .into());
        }
        // A reference is admitted and X now gets exactly its decisions, so X is admitted too.
        return Ok(Some((out, like)));
    }
    if out != *value && admitted_after(&out, api, x)? {
        return Ok(Some((out, like)));
    }
    // No list admits X: one new Allow does, bound by every Deny except the exemption lists
    // X just joined (which exist to let listed endpoints through).
    let exemptions: Vec<Option<Change>> = policy
        .stmts
        .iter()
        .zip(&changes)
        .map(|(s, c)| c.filter(|_| s.effect == Effect::Deny && s.admit_entries().next().is_some()))
        .collect();
    let mut out = apply(value, &policy, x, &exemptions)?;
    add_allow(&mut out, x, new_resources);
    if !admitted_after(&out, api, x)? {
        let after = analyze(&out, api)?;
        let blocking: Vec<&str> = after
            .stmts
            .iter()
            .filter(|s| s.effect == Effect::Deny && s.may_apply(Some(x), None, None))
            .map(|s| s.label.as_str())
            .collect();
        return Err(PolicyError::unsupported(
            blocking.first().copied().unwrap_or("(policy)"),
            format!(
                "no endpoint is admitted, and a new Allow for {x} on {} would still be denied \
                 by statement {}; edit that Deny by hand",
                new_resources.join(", "),
                blocking.join(", ")
            ),
        )
        .into());
    }
    Ok(Some((out, Like::NewAllow(new_resources.to_vec()))))
}

/// The refusal for an admission question the budget could not answer.
fn approximated(reach: &Reach, x: &str, asked: &str) -> PolicyError {
    let detail = format!(
        "deciding whether requests through {asked} are admitted exceeded the evaluation \
         budget, so any answer would be a guess and {x} was not granted; simplify this \
         statement's Resource/NotResource patterns (fewer wildcards) or edit the policy by hand"
    );
    PolicyError::unsupported(reach.expensive().unwrap_or("(policy)"), detail)
}

/// Whether X gets in somewhere under `doc`, from a VPC the policy does not name; an answer
/// past the budget is refused rather than trusted.
fn admitted_after(doc: &Value, api: &ApiRef, x: &str) -> Result<bool, PolicyError> {
    let after = analyze(doc, api)?;
    let (_, _, fresh_vpc) = fresh_ids(&format!("{doc}{x}"));
    let mut reach = Reach::new(&after, api);
    let answer = reach.admitted(x, &[Some(fresh_vpc.as_str())], false);
    if answer.approximated {
        return Err(approximated(&reach, x, x));
    }
    Ok(answer.yes)
}

/// The planned changes applied to a copy of `value`.
fn apply(
    value: &Value,
    policy: &Policy,
    x: &str,
    changes: &[Option<Change>],
) -> Result<Value, PolicyError> {
    let mut out = value.clone();
    let mut companions: Vec<&Stmt> = Vec::new();
    for (s, change) in policy.stmts.iter().zip(changes) {
        let Some(change) = *change else { continue };
        refuse_override(s, x, change)?;
        match change {
            Change::Admit => admit_in_place(&mut out, s, x),
            Change::Exclude => exclude(&mut out, s, x),
            Change::Companion => companions.push(s),
            Change::Unlist => unlist(&mut out, s, x),
        }
    }
    // Descending index order keeps the indices of statements not yet handled valid.
    for s in companions.into_iter().rev() {
        add_companion(&mut out, value, s, x)?;
    }
    if let Some(Value::Array(stmts)) = out.get_mut("Statement") {
        stmts.retain(|t| !t.is_null());
    }
    Ok(out)
}

/// Appends `Allow execute-api:Invoke on resources if aws:SourceVpce == X`.
fn add_allow(out: &mut Value, x: &str, resources: &[String]) {
    let Some(slot) = out.get_mut("Statement") else {
        return;
    };
    if slot.is_object() {
        let single = slot.take();
        *slot = Value::Array(vec![single]);
    }
    let Value::Array(stmts) = slot else { return };
    let taken = |sid: &str| {
        stmts
            .iter()
            .any(|t| t.get("Sid").and_then(Value::as_str) == Some(sid))
    };
    // Of statements + 1 candidates one is free, whatever Sids the policy uses.
    let sid = (1..=stmts.len() + 1)
        .map(|n| {
            if n == 1 {
                "XapiAllowVpce".to_string()
            } else {
                format!("XapiAllowVpce{n}")
            }
        })
        .find(|sid| !taken(sid))
        .unwrap_or_default();
    stmts.push(json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": "*",
        "Action": INVOKE,
        "Resource": resources,
        "Condition": { "StringEquals": { KEY_VPCE: [x] } },
    }));
}

fn opts<'a>(vpcs: &[&'a str]) -> Vec<Option<&'a str>> {
    vpcs.iter().map(|v| Some(*v)).collect()
}

/// VPC ids standing for every VPC a request can come from, as far as the policy can tell
/// them apart: each listed VPC, an instance of each listed pattern, and one it never names.
fn vpc_representatives(policy: &Policy, fresh_vpc: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &policy.stmts {
        for e in s.conditions.iter().filter(|e| e.key == Key::Vpc) {
            for v in &e.values {
                let instance = v.replace(['*', '?'], "0");
                for candidate in [v.clone(), instance] {
                    if !out.contains(&candidate) {
                        out.push(candidate);
                    }
                }
            }
        }
    }
    out.push(fresh_vpc.to_string());
    out
}

/// Values of the lists that let endpoints (or VPCs) in, in document order, deduplicated.
fn listed(policy: &Policy, key: Key) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &policy.stmts {
        for e in s.admit_entries().filter(|e| e.key == key) {
            for v in &e.values {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
        }
    }
    out
}

fn statement_mut(doc: &mut Value, index: usize) -> Option<&mut Map<String, Value>> {
    match doc.get_mut("Statement")? {
        Value::Array(a) => a.get_mut(index)?.as_object_mut(),
        v @ Value::Object(_) if index == 0 => v.as_object_mut(),
        _ => None,
    }
}

fn block_mut<'a>(
    doc: &'a mut Value,
    index: usize,
    op_name: &str,
) -> Option<&'a mut Map<String, Value>> {
    statement_mut(doc, index)?
        .get_mut("Condition")?
        .as_object_mut()?
        .get_mut(op_name)?
        .as_object_mut()
}

/// A single string that gains a second value becomes a list, as AWS writes it.
fn add_value(doc: &mut Value, index: usize, e: &Entry, x: &str) {
    let Some(slot) = block_mut(doc, index, &e.op_name).and_then(|b| b.get_mut(&e.key_name)) else {
        return;
    };
    match slot {
        Value::Array(a) => a.push(Value::String(x.to_string())),
        other => {
            let first = other.take();
            *other = Value::Array(vec![first, Value::String(x.to_string())]);
        }
    }
}

/// Sets a list to `remaining`, or drops the key (then its block, then `Condition`) when
/// nothing remains: an empty list is invalid, and a missing negated conjunct is true.
fn set_values(doc: &mut Value, index: usize, e: &Entry, remaining: &[&String]) {
    if !remaining.is_empty() {
        if let Some(block) = block_mut(doc, index, &e.op_name) {
            block.insert(e.key_name.clone(), json!(remaining));
        }
        return;
    }
    let Some(stmt) = statement_mut(doc, index) else {
        return;
    };
    let Some(Value::Object(cond)) = stmt.get_mut("Condition") else {
        return;
    };
    if let Some(Value::Object(block)) = cond.get_mut(&e.op_name) {
        block.shift_remove(&e.key_name);
        if block.is_empty() {
            cond.shift_remove(&e.op_name);
        }
    }
    if cond.is_empty() {
        stmt.shift_remove("Condition");
    }
}

/// Makes every `aws:SourceVpce` conjunct true for X, changing it for X alone.
fn admit_in_place(doc: &mut Value, s: &Stmt, x: &str) {
    for e in s
        .conditions
        .iter()
        .filter(|e| e.key == Key::Vpce && !e.holds(Some(x)))
    {
        if e.op.negated {
            let remaining: Vec<&String> = e
                .values
                .iter()
                .filter(|v| !e.op.names_exactly(v, x))
                .collect();
            set_values(doc, s.index, e, &remaining);
        } else {
            add_value(doc, s.index, e, x);
        }
    }
}

/// Takes X off a companion's `StringEquals aws:SourceVpce` list. A companion left with no
/// endpoint becomes null, to be dropped once every index-based edit is done.
fn unlist(doc: &mut Value, s: &Stmt, x: &str) {
    let Some(e) = s.conditions.iter().find(|e| e.key == Key::Vpce) else {
        return;
    };
    let remaining: Vec<&String> = e.values.iter().filter(|v| *v != x).collect();
    if remaining.is_empty() {
        if let Some(Value::Array(stmts)) = doc.get_mut("Statement") {
            if let Some(t) = stmts.get_mut(s.index) {
                *t = Value::Null;
            }
        }
    } else {
        set_values(doc, s.index, e, &remaining);
    }
}

/// ANDs `aws:SourceVpce != X` into the statement: into its first negated endpoint-id list
/// when it has one, else as a new key of its `StringNotEquals` block.
fn exclude(doc: &mut Value, s: &Stmt, x: &str) {
    if let Some(e) = s
        .conditions
        .iter()
        .find(|e| e.key == Key::Vpce && e.op.is_string_list() && e.op.negated)
    {
        add_value(doc, s.index, e, x);
        return;
    }
    let Some(stmt) = statement_mut(doc, s.index) else {
        return;
    };
    let cond = stmt
        .entry("Condition")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(cond) = cond {
        let block = cond
            .entry("StringNotEquals")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(block) = block {
            block.insert(KEY_VPCE.to_string(), json!([x]));
        }
    }
}

/// For a gate one block cannot express for X alone: a copy of the statement whose endpoint
/// gate is `StringEquals aws:SourceVpce [X]`. It matches no request through another
/// endpoint, and for X it applies wherever the original applies to the reference. A
/// statement already of that shape (an earlier companion) gains X instead.
fn add_companion(out: &mut Value, original: &Value, s: &Stmt, x: &str) -> Result<(), PolicyError> {
    let (sid, body) = companion_body(original, s, x)
        .ok_or_else(|| PolicyError::unsupported(s.label.clone(), "statement vanished"))?;

    let shape = companion_shape(&body);
    let slot = out
        .get_mut("Statement")
        .ok_or_else(|| PolicyError::unsupported(s.label.clone(), "no Statement"))?;
    if slot.is_object() {
        let single = slot.take();
        *slot = Value::Array(vec![single]);
    }
    let Value::Array(stmts) = slot else {
        return Err(PolicyError::unsupported(s.label.clone(), "no Statement"));
    };
    if let Some(existing) = stmts
        .iter_mut()
        .filter_map(Value::as_object_mut)
        .find(|t| companion_shape(t) == shape)
    {
        if let Some(Value::Object(block)) = existing
            .get_mut("Condition")
            .and_then(|c| c.get_mut("StringEquals"))
        {
            match block.get_mut(KEY_VPCE) {
                Some(Value::Array(a)) if a.iter().any(|v| v.as_str() == Some(x)) => {}
                Some(Value::Array(a)) => a.push(json!(x)),
                Some(single) if single.as_str() != Some(x) => {
                    let first = single.take();
                    *single = json!([first, x]);
                }
                _ => {}
            }
        }
        return Ok(());
    }

    let mut stmt = Map::new();
    if let Some(sid) = sid {
        let candidate = format!("{sid}Vpce");
        let taken = stmts
            .iter()
            .any(|t| t.get("Sid").and_then(Value::as_str) == Some(candidate.as_str()));
        if !taken {
            stmt.insert("Sid".into(), Value::String(candidate));
        }
    }
    stmt.extend(body);
    let at = (s.index + 1).min(stmts.len());
    stmts.insert(at, Value::Object(stmt));
    Ok(())
}

/// The statement's Sid and its copy gated on `StringEquals aws:SourceVpce [x]` alone.
fn companion_body(doc: &Value, s: &Stmt, x: &str) -> Option<(Option<String>, Map<String, Value>)> {
    let mut body = super::model::statements(doc)?
        .get(s.index)?
        .as_object()?
        .clone();
    let sid = body
        .shift_remove("Sid")
        .and_then(|v| v.as_str().map(str::to_string));
    let mut cond = match body.shift_remove("Condition") {
        Some(Value::Object(c)) => c,
        _ => Map::new(),
    };
    for e in s.conditions.iter().filter(|e| e.key.is_endpoint()) {
        if let Some(Value::Object(block)) = cond.get_mut(&e.op_name) {
            block.shift_remove(&e.key_name);
        }
    }
    cond.retain(|_, b| b.as_object().is_none_or(|m| !m.is_empty()));
    match cond.get_mut("StringEquals") {
        Some(Value::Object(block)) => {
            block.insert(KEY_VPCE.to_string(), json!([x]));
        }
        _ => {
            cond.insert("StringEquals".into(), json!({ KEY_VPCE: [x] }));
        }
    }
    body.insert("Condition".into(), Value::Object(cond));
    Some((sid, body))
}

/// For each statement, the statement it is a companion of: a copy of another statement
/// whose endpoint gate is one `StringEquals aws:SourceVpce` list. A companion and its
/// origin are one rule for the endpoints the companion lists.
fn companions(doc: &Value, policy: &Policy) -> Vec<Option<usize>> {
    let raw = super::model::statements(doc).unwrap_or_default();
    // Only gates that a list edit cannot express for one endpoint get companions; a copy of
    // any other statement gated on one endpoint was written by a human about that endpoint.
    let needs_companion = |s: &Stmt| {
        s.conditions.iter().any(|e| {
            e.key == Key::Vpc
                || (e.key == Key::Vpce
                    && (!e.op.is_string_list()
                        || (e.op.negated
                            && e.op.kind == Kind::Like
                            && e.values.iter().any(|v| has_wildcard(v)))))
        })
    };
    let shapes: Vec<Option<Value>> = policy
        .stmts
        .iter()
        .map(|s| {
            needs_companion(s)
                .then(|| companion_body(doc, s, "").map(|(_, b)| companion_shape(&b)))
                .flatten()
        })
        .collect();
    policy
        .stmts
        .iter()
        .map(|c| {
            let gate: Vec<&Entry> = c
                .conditions
                .iter()
                .filter(|e| e.key.is_endpoint())
                .collect();
            let single_list = matches!(gate.as_slice(),
                [e] if e.key == Key::Vpce && e.op_name == "StringEquals");
            if !single_list {
                return None;
            }
            let shape = companion_shape(raw.get(c.index)?.as_object()?);
            policy
                .stmts
                .iter()
                .position(|o| o.index != c.index && shapes[o.index].as_ref() == Some(&shape))
        })
        .collect()
}

/// A statement without its Sid and with its `StringEquals aws:SourceVpce` list blanked:
/// two statements of one shape differ only in which endpoints that list names, so their
/// union is one statement with both lists.
fn companion_shape(stmt: &Map<String, Value>) -> Value {
    let mut m = stmt.clone();
    m.shift_remove("Sid");
    if let Some(Value::Object(cond)) = m.get_mut("Condition") {
        if let Some(Value::Object(block)) = cond.get_mut("StringEquals") {
            if let Some(v) = block.get_mut(KEY_VPCE) {
                *v = Value::Null;
            }
        }
    }
    Value::Object(m)
}

/// One id: removes it by name from every list that lets endpoints in. Returns the new
/// document and whether anything changed.
fn revoke_one(value: &Value, api: &ApiRef, x: &str) -> Result<(Value, bool), PolicyError> {
    let policy = analyze(value, api)?;
    let mut out = value.clone();
    let mut changed = false;
    let mut drop_statements: Vec<usize> = Vec::new();
    for s in &policy.stmts {
        for e in s.admit_entries().filter(|e| e.key == Key::Vpce) {
            let remaining: Vec<&String> = e
                .values
                .iter()
                .filter(|v| !e.op.names_exactly(v, x))
                .collect();
            if remaining.len() == e.values.len() {
                continue;
            }
            changed = true;
            if !remaining.is_empty() || s.effect == Effect::Deny {
                set_values(&mut out, s.index, e, &remaining);
                continue;
            }
            if e.op.if_exists {
                return Err(PolicyError::unsupported(
                    s.label.clone(),
                    format!(
                        "{x} is the only value of {} {}; dropping it would change requests \
                         that carry no aws:SourceVpce. Edit it by hand",
                        e.op_name, e.key_name
                    ),
                ));
            }
            // The Allow admitted only X: removing it changes nothing for others.
            if !drop_statements.contains(&s.index) {
                drop_statements.push(s.index);
            }
        }
    }
    if !drop_statements.is_empty() {
        drop_statements.sort_unstable();
        let count = super::model::statements(&out).map_or(0, |v| v.len());
        if drop_statements.len() >= count {
            return Err(PolicyError::unsupported(
                "(policy)",
                format!(
                    "revoking {x} would leave the policy with no statements; a private API \
                     needs one. Write a policy that admits the remaining endpoints instead"
                ),
            ));
        }
        if let Some(Value::Array(a)) = out.get_mut("Statement") {
            for i in drop_statements.into_iter().rev() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
    }
    Ok((out, changed))
}

/// Where a statement that does not name X still lets it in, from any VPC.
fn still_admitted(policy: &Policy, api: &ApiRef, value: &Value, x: &str) -> Option<StillAdmitted> {
    let (_, _, fresh_vpc) = fresh_ids(&format!("{value}{x}"));
    let vpcs = vpc_representatives(policy, &fresh_vpc);
    // Borrowed by the loop below; the fresh id is compared after it.
    let fresh_vpc = fresh_vpc.as_str();
    let mut callers: Vec<Option<String>> = vec![None];
    callers.extend(policy.named_principals().into_iter().map(Some));
    let mut example = None;
    let mut approximated = false;
    let mut open_in = Vec::new();
    let mut reach = Reach::new(policy, api);
    for vpc in &vpcs {
        for caller in &callers {
            match reach.query(Some(x), Some(vpc), caller.as_deref()) {
                Outcome::Denied => continue,
                // Undecided within the budget counts as admitted: the safe answer here.
                Outcome::Unknown => approximated = true,
                Outcome::Allowed(w) => {
                    example.get_or_insert(w);
                }
            }
            open_in.push((vpc.clone(), caller.clone()));
        }
    }
    if open_in.is_empty() {
        return None;
    }
    let mut statements = Vec::new();
    let mut resources = Vec::new();
    for s in policy.stmts.iter().filter(|s| s.effect == Effect::Allow) {
        let lets_in = open_in
            .iter()
            .any(|(vpc, caller)| s.may_apply(Some(x), Some(vpc), caller.as_deref()));
        if lets_in {
            statements.push(s.label.clone());
            for p in &s.resource.patterns {
                let r = if s.resource.negated {
                    format!("NotResource {p}")
                } else {
                    p.clone()
                };
                if !resources.contains(&r) {
                    resources.push(r);
                }
            }
        }
    }
    let only_from_vpcs = if open_in.iter().any(|(vpc, _)| *vpc == fresh_vpc) {
        Vec::new()
    } else {
        let mut v: Vec<String> = open_in.into_iter().map(|(vpc, _)| vpc).collect();
        v.dedup();
        v
    };
    Some(StillAdmitted {
        vpce: x.to_string(),
        statements,
        resources,
        example,
        only_from_vpcs,
        approximated,
    })
}
