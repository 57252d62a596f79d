//! The evaluator: the IAM subset that decides whether a request through a VPC endpoint
//! gets in. It is the oracle every edit is checked against.
//!
//! Explicit Deny wins, then any Allow, else implicit deny. `evaluate` models an anonymous
//! caller (requests through a VPC endpoint to an API without IAM auth), so only `"*"` and
//! `{"AWS":"*"}` principals match it; statements for named principals are kept and edited
//! like any other, and the "is this endpoint admitted" helpers also ask as each principal
//! the policy names. `NotPrincipal` is refused.

use std::collections::BTreeMap;

use super::model::{self, analyze, canonical_resource, Effect, Policy};
use super::reach::Reach;
use super::{ApiRef, PolicyDocument, PolicyError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub source_vpce: Option<String>,
    pub source_vpc: Option<String>,
    /// Full ARN, e.g. `arn:aws:execute-api:r:a:id/stage/GET/path`.
    pub resource: String,
    pub action: String,
    /// Every other condition key the request carries (`aws:VpcSourceIp`, ...), by its
    /// lower-cased name; a key not here is absent.
    pub context: BTreeMap<String, String>,
}

impl Request {
    /// A private API is reached only through VPC endpoints, whose requests never carry
    /// `aws:SourceIp`, whatever the context says.
    fn lookup(&self, key: &str) -> Option<String> {
        if key.eq_ignore_ascii_case(model::KEY_SOURCE_IP) {
            return None;
        }
        self.context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    }
}

/// Decision for an unauthenticated caller, which is what a request through a VPC endpoint
/// to an API without IAM auth is; statements naming specific principals do not match it.
pub fn evaluate(
    doc: &PolicyDocument,
    api: &ApiRef,
    req: &Request,
) -> Result<Decision, PolicyError> {
    let policy = analyze(doc.as_value(), api)?;
    Ok(decide(&policy, api, req, None))
}

/// `caller` is an IAM principal ARN for SigV4-signed requests, `None` for anonymous ones.
pub(crate) fn decide(
    policy: &Policy,
    api: &ApiRef,
    req: &Request,
    caller: Option<&str>,
) -> Decision {
    let resource = canonical_resource(api, &req.resource);
    let mut allowed = false;
    for s in &policy.stmts {
        let hit = s.principal.matches(caller)
            && s.matches_action(&req.action)
            && s.matches_resource(&resource)
            && s.endpoint_gate(req.source_vpce.as_deref(), req.source_vpc.as_deref())
            && s.other_conditions_hold(|k| req.lookup(k));
        if hit {
            match s.effect {
                Effect::Deny => return Decision::ExplicitDeny,
                Effect::Allow => allowed = true,
            }
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}

/// Whether some caller (anonymous, or a principal the policy names) may invoke some part of
/// the API through `vpce` from any of `vpcs`. An undecidable-in-budget case counts as
/// admitted: every caller of this treats "admitted" as the riskier answer.
pub(crate) fn admitted(
    policy: &Policy,
    api: &ApiRef,
    vpce: &str,
    vpcs: &[Option<&str>],
    anonymous_only: bool,
) -> bool {
    Reach::new(policy, api)
        .admitted(vpce, vpcs, anonymous_only)
        .yes
}

/// Open means two unrelated, never-listed endpoints both get in anonymously: the
/// "every VPC endpoint in the region, any account" case the console warns about.
pub(crate) fn open_to_any(policy: &Policy, api: &ApiRef, text: &str) -> bool {
    Reach::new(policy, api).open_to_any(text).yes
}

/// Whether requests through an endpoint get in, and how sure that answer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    pub admitted: bool,
    /// Proving it exceeded the evaluation budget: `admitted` is the safe guess.
    pub approximated: bool,
    /// When approximated, the statement (Sid or `#n`) whose resources made it expensive.
    pub expensive: Option<String>,
}

/// As [`admits_vpce`], saying whether the answer is exact.
pub fn admission(
    doc: &PolicyDocument,
    api: &ApiRef,
    vpce: &str,
    vpc: Option<&str>,
) -> Result<Admission, PolicyError> {
    let policy = model::analyze(doc.as_value(), api)?;
    let mut reach = Reach::new(&policy, api);
    let answer = reach.admitted(vpce, &[vpc], false);
    Ok(Admission {
        admitted: answer.yes,
        approximated: answer.approximated,
        expensive: reach.expensive().map(str::to_string),
    })
}

/// True when requests through `vpce` (from `vpc`, if known; `None` means the key is absent)
/// may invoke some method of the API, for an anonymous caller or any principal the policy
/// names. "Some method", not only `<api arn>/*`, so that a stage-limited Allow still counts.
pub fn admits_vpce(
    doc: &PolicyDocument,
    api: &ApiRef,
    vpce: &str,
    vpc: Option<&str>,
) -> Result<bool, PolicyError> {
    let policy = model::analyze(doc.as_value(), api)?;
    Ok(admitted(&policy, api, vpce, &[vpc], false))
}
