//! `xapi audit`: what a fleet scan read (a serialisable [`Scan`]), the
//! findings and the access map drawn from it, and their renderings. Nothing
//! here does I/O: gathering lives in `commands::audit`, so a saved scan is
//! judged again anywhere with the same result.
//!
//! Who reaches what is decided by evaluating each API's policy for each
//! scanned endpoint locally, so the requests a scan sends grow with APIs and
//! pages, never with APIs x endpoints.

#[cfg(test)]
mod domain_tests;
pub mod domains;
pub mod render;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{ApiRecord, DomainRecord, EndpointRecord, OrgAccount, StageRecord};
use crate::policy::{self, ApiRef, PolicyDocument};

pub const SNAPSHOT_VERSION: u32 = 1;

/// Everything a scan read, per account and region, plus what it could not read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Scan {
    pub schema_version: u32,
    /// The accounts the scan covered (or tried to), sorted.
    pub accounts: Vec<String>,
    /// Whether `accounts` is a whole AWS Organization (minus `excluded_accounts`).
    pub org: bool,
    #[serde(default)]
    pub excluded_accounts: Vec<String>,
    /// Every account of the organization the scan left out, and why.
    #[serde(default)]
    pub excluded: Vec<Excluded>,
    pub targets: Vec<Target>,
    pub unreadable: Vec<Unreadable>,
}

impl Scan {
    /// Accounts of which at least one region was read; zero makes the audit exit 1.
    pub fn scanned_accounts(&self) -> BTreeSet<&str> {
        self.targets.iter().map(|t| t.account.as_str()).collect()
    }
}

/// An account of the organization that was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Excluded {
    pub account: String,
    /// Its name in the organization.
    pub name: String,
    /// Its state in the organization, as [`OrgAccount::state`].
    pub state: Option<String>,
    /// Why it was left out, in words.
    pub reason: String,
}

/// The reason of an account the command line left out.
const BY_FLAG: &str = "excluded with --exclude-account";

impl Excluded {
    /// A few words for a one-line message: the flag or the account's state.
    fn label(&self) -> &str {
        if self.reason == BY_FLAG {
            "--exclude-account"
        } else {
            self.state.as_deref().unwrap_or("?")
        }
    }
}

/// Why the scan read no account at all, or `None` when it read one: such an
/// audit has no findings, and must not pass for a clean fleet.
pub fn nothing_scanned(scan: &Scan) -> Option<String> {
    if !scan.scanned_accounts().is_empty() {
        return None;
    }
    const SHOWN: usize = 5;
    let mut why = Vec::new();
    if !scan.excluded.is_empty() {
        let mut listed: Vec<String> = scan
            .excluded
            .iter()
            .take(SHOWN)
            .map(|e| format!("{} ({})", e.account, e.label()))
            .collect();
        if scan.excluded.len() > SHOWN {
            listed.push(format!("{} more", scan.excluded.len() - SHOWN));
        }
        why.push(format!(
            "{} of the organization's accounts were left out: {} (see `excluded`)",
            scan.excluded.len(),
            listed.join(", ")
        ));
    }
    if !scan.accounts.is_empty() {
        why.push(format!(
            "none of the {} accounts it tried could be read (the audit.unreadable findings say why and what access each needs)",
            scan.accounts.len()
        ));
    }
    if why.is_empty() {
        why.push(if scan.org {
            "the organization listed no account".to_owned()
        } else {
            "there was no account to scan".to_owned()
        });
    }
    Some(format!(
        "audit scanned no account: {}; nothing was judged, so the fleet's state is unknown",
        why.join("; ")
    ))
}

/// Which accounts of the organization an `--org` scan reads (sorted), and
/// every other one with the reason. Only ACTIVE accounts have roles to assume;
/// an account whose state Organizations did not say is scanned, so that an
/// answer without the field can cost an AssumeRole but never an account.
pub fn org_scope(accounts: Vec<OrgAccount>, exclude: &[String]) -> (Vec<String>, Vec<Excluded>) {
    let mut scan = Vec::new();
    let mut left_out = Vec::new();
    for a in accounts {
        let reason = if exclude.contains(&a.id) {
            Some(BY_FLAG.to_owned())
        } else {
            match a.state.as_deref() {
                None | Some("ACTIVE") => None,
                Some(other) => Some(format!(
                    "{other} in AWS Organizations: only ACTIVE accounts are scanned"
                )),
            }
        };
        match reason {
            None => scan.push(a.id),
            Some(reason) => left_out.push(Excluded {
                account: a.id,
                name: a.name,
                state: a.state,
                reason,
            }),
        }
    }
    scan.sort();
    scan.dedup();
    left_out.sort_by(|a, b| a.account.cmp(&b.account));
    left_out.dedup_by(|a, b| a.account == b.account);
    (scan, left_out)
}

/// One account in one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Target {
    pub account: String,
    pub region: String,
    pub apis: Vec<ApiRecord>,
    pub endpoints: Vec<EndpointRecord>,
    /// False when the endpoint listing failed (an `unreadable` entry says why).
    #[serde(default = "yes")]
    pub endpoints_read: bool,
    /// The account's private custom domain names.
    #[serde(default)]
    pub domains: Vec<DomainRecord>,
}

fn yes() -> bool {
    true
}

/// Whether a scan reads `stage`'s export: only a deployment without xapi's
/// marker needs it, and only when the API has a policy to compare it with, so
/// a scan sends at most one more request per stage.
pub fn export_wanted(api: &ApiRecord, stage: &StageRecord) -> bool {
    api.policy.as_deref().is_some_and(|p| !p.trim().is_empty())
        && stage.deployment_id.is_some()
        && deployed_policy_hash(stage.deployment_description.as_deref()).is_none()
}

/// A read that failed: a whole account (its role), a region, or one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Unreadable {
    pub account: String,
    pub region: Option<String>,
    pub resource: String,
    pub error: String,
    /// The permission that would let the scan read it.
    pub needs: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// The finding shape of `xapi doctor` (check, resource, message, fix), with a
/// severity instead of a pass/fail status (audit reports only what is wrong)
/// and the account and region it was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Finding {
    /// An id from the catalogue (a contract: scripts match on it).
    pub check: String,
    pub severity: Severity,
    pub account: String,
    pub region: Option<String>,
    /// The resource's ARN.
    pub resource: String,
    /// What is true, with the evidence.
    pub message: String,
    /// What to run or change to fix it.
    pub fix: Option<String>,
}

/// One edge of the access map: an endpoint that some caller can use to invoke the API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Access {
    pub consumer_account: String,
    pub region: String,
    pub vpc_id: String,
    pub vpce_id: String,
    pub producer_account: String,
    pub api_id: String,
    pub api_name: String,
    /// The API's stages; the policy admits the endpoint on at least one method of the API.
    pub stages: Vec<String>,
    /// The API admits every endpoint, this one only as one of them.
    pub open_to_any_endpoint: bool,
}

pub mod checks {
    pub const OPEN_TO_ANY: &str = "audit.open-to-any-endpoint";
    pub const NO_POLICY: &str = "audit.no-policy";
    pub const NOT_DEPLOYED: &str = "audit.policy-not-deployed";
    pub const GRANT_MISSING: &str = "audit.grant-missing-endpoint";
    pub const ENDPOINT_UNUSED: &str = "audit.endpoint-unused";
    pub const POLICY_SIZE: &str = "audit.policy-size";
    pub const FRONT_OPEN: &str = "audit.front-open";
    pub const UNREADABLE: &str = "audit.unreadable";
    pub const DOMAIN_OPEN: &str = "audit.domain-open-to-any-endpoint";
    pub const DOMAIN_ASSOCIATION_REFUSED: &str = "audit.domain-association-refused";
    pub const DOMAIN_SHARED_UNMAPPED: &str = "audit.domain-shared-unmapped";
}

/// The policy hash in a deployment's description, as grant-vpce writes it.
/// The one place audit reads the marker, so moving its parser touches one line.
fn deployed_policy_hash(description: Option<&str>) -> Option<&str> {
    crate::policy::deployed_hash(description)
}

pub fn partition(region: &str) -> &'static str {
    crate::region::partition(region).unwrap_or("aws")
}

pub fn api_arn(region: &str, api_id: &str) -> String {
    format!(
        "arn:{}:apigateway:{region}::/restapis/{api_id}",
        partition(region)
    )
}

pub fn endpoint_arn(region: &str, account: &str, vpce: &str) -> String {
    format!(
        "arn:{}:ec2:{region}:{account}:vpc-endpoint/{vpce}",
        partition(region)
    )
}

/// A private API whose policy could be evaluated.
struct Evaluated<'a> {
    target: &'a Target,
    api: &'a ApiRecord,
    doc: PolicyDocument,
    api_ref: ApiRef,
    summary: policy::AccessSummary,
    /// The policy text in lower case, to tell endpoints it names from those it does not.
    text: String,
    /// The decision for every endpoint whose id and VPC the policy never names,
    /// when that is one decision (see [`Evaluated::admits`]).
    unnamed: Option<bool>,
}

impl Evaluated<'_> {
    /// Whether the policy lets `ep` in. Without wildcards in its endpoint and
    /// VPC conditions, a policy cannot tell apart two endpoints it does not
    /// name, so one evaluation answers for all of those: a fleet's endpoints
    /// cost one evaluation per API plus one per endpoint the API names.
    fn admits(&self, ep: &EndpointRecord) -> bool {
        let named = self.text.contains(&ep.id.to_lowercase())
            || self.text.contains(&ep.vpc_id.to_lowercase());
        match self.unnamed {
            Some(decision) if !named => decision,
            // An API the evaluator cannot decide counts as admitting (the riskier answer).
            _ => policy::admits_vpce(&self.doc, &self.api_ref, &ep.id, Some(&ep.vpc_id))
                .unwrap_or(true),
        }
    }
}

/// Whether any `aws:SourceVpce` / `aws:SourceVpc` condition value holds a wildcard.
fn has_id_wildcards(doc: &PolicyDocument) -> bool {
    fn values(v: &serde_json::Value) -> Vec<&str> {
        match v {
            serde_json::Value::String(s) => vec![s.as_str()],
            serde_json::Value::Array(a) => a.iter().flat_map(values).collect(),
            _ => Vec::new(),
        }
    }
    let statements = match doc.as_value().get("Statement") {
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    statements
        .iter()
        .filter_map(|st| st.get("Condition").and_then(|c| c.as_object()))
        .flat_map(|ops| ops.values())
        .filter_map(|keys| keys.as_object())
        .flat_map(|keys| keys.iter())
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k == "aws:sourcevpce" || k == "aws:sourcevpc"
        })
        .flat_map(|(_, v)| values(v))
        .any(|s| s.contains(['*', '?']))
}

/// An id of the given prefix that `text` does not contain.
fn unnamed_id(prefix: &str, text: &str) -> String {
    (0u64..)
        .map(|i| format!("{prefix}-{:017x}", 0x0a11_0000_0000_0000u64 + i))
        .find(|id| !text.contains(id.as_str()))
        .unwrap_or_default()
}

/// The findings (sorted, most severe first) and the access map (sorted) of a scan.
pub fn judge(scan: &Scan) -> (Vec<Finding>, Vec<Access>) {
    let (findings, access, _) = judge_all(scan);
    (findings, access)
}

/// [`judge`], and the private domains' access map, each judged once.
fn judge_all(scan: &Scan) -> (Vec<Finding>, Vec<Access>, Vec<domains::DomainAccess>) {
    let mut findings = Vec::new();
    for u in &scan.unreadable {
        findings.push(Finding {
            check: checks::UNREADABLE.into(),
            severity: Severity::High,
            account: u.account.clone(),
            region: u.region.clone(),
            resource: u.resource.clone(),
            message: format!("not scanned: {}", u.error),
            fix: Some(format!("grant the scanning role {}", u.needs)),
        });
    }

    let mut evaluated = Vec::new();
    for t in &scan.targets {
        for api in &t.apis {
            if let Some(stack) = api.front_stack() {
                findings.extend(front_open(t, api, stack));
            }
            if !api.is_private() {
                continue;
            }
            match evaluate(t, api) {
                Ok(Some(e)) => evaluated.push(e),
                Ok(None) => findings.push(no_policy(t, api)),
                Err(f) => findings.push(*f),
            }
        }
    }

    let live: BTreeMap<&str, (&Target, &EndpointRecord)> = scan
        .targets
        .iter()
        .flat_map(|t| t.endpoints.iter().map(move |e| (t, e)))
        .filter(|(_, e)| e.is_live())
        .map(|(t, e)| (e.id.as_str(), (t, e)))
        .collect();

    for e in &evaluated {
        findings.extend(api_findings(scan, e, &live));
    }
    let (domain_findings, domain_access) = domains::judge(scan);
    findings.extend(domain_findings);

    let mut access = Vec::new();
    for (t, ep) in live.values() {
        let mut used = false;
        for e in evaluated.iter().filter(|e| e.target.region == t.region) {
            if e.admits(ep) {
                used = true;
                access.push(Access {
                    consumer_account: t.account.clone(),
                    region: t.region.clone(),
                    vpc_id: ep.vpc_id.clone(),
                    vpce_id: ep.id.clone(),
                    producer_account: e.target.account.clone(),
                    api_id: e.api.id.clone(),
                    api_name: e.api.name.clone(),
                    stages: e.api.stages.iter().map(|s| s.name.clone()).collect(),
                    open_to_any_endpoint: e.summary.open_to_any_endpoint,
                });
            }
        }
        if !used {
            findings.push(Finding {
                check: checks::ENDPOINT_UNUSED.into(),
                severity: Severity::Low,
                account: t.account.clone(),
                region: Some(t.region.clone()),
                resource: endpoint_arn(&t.region, &t.account, &ep.id),
                message: format!(
                    "execute-api endpoint {} in {} is admitted by none of the {} private APIs scanned in {}: it costs money and reaches nothing the scan knows of",
                    ep.id,
                    ep.vpc_id,
                    evaluated.iter().filter(|e| e.target.region == t.region).count(),
                    t.region
                ),
                fix: Some(format!(
                    "if nothing outside the scan uses it: aws ec2 delete-vpc-endpoints --region {} --vpc-endpoint-ids {}",
                    t.region, ep.id
                )),
            });
        }
    }

    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.account.cmp(&b.account))
            .then_with(|| a.region.cmp(&b.region))
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.resource.cmp(&b.resource))
    });
    access.sort();
    (findings, access, domain_access)
}

fn evaluate<'a>(t: &'a Target, api: &'a ApiRecord) -> Result<Option<Evaluated<'a>>, Box<Finding>> {
    let Some(raw) = api.policy.as_deref().filter(|p| !p.trim().is_empty()) else {
        return Ok(None);
    };
    let api_ref = ApiRef {
        region: t.region.clone(),
        account: t.account.clone(),
        api_id: api.id.clone(),
    };
    let unreadable = |error: String| {
        Box::new(Finding {
            check: checks::UNREADABLE.into(),
            severity: Severity::High,
            account: t.account.clone(),
            region: Some(t.region.clone()),
            resource: api_arn(&t.region, &api.id),
            message: format!("the resource policy of {} could not be evaluated, so who reaches it is unknown: {error}", api.id),
            fix: Some(format!("read it with xapi policy show --api-id {} --region {}", api.id, t.region)),
        })
    };
    let doc = PolicyDocument::parse(raw).map_err(|e| unreadable(e.to_string()))?;
    let summary = policy::summarize(&doc, &api_ref).map_err(|e| unreadable(e.to_string()))?;
    let text = doc.to_compact().to_lowercase();
    let unnamed = (!has_id_wildcards(&doc)).then(|| {
        let (vpce, vpc) = (unnamed_id("vpce", &text), unnamed_id("vpc", &text));
        policy::admits_vpce(&doc, &api_ref, &vpce, Some(&vpc)).unwrap_or(true)
    });
    Ok(Some(Evaluated {
        target: t,
        api,
        doc,
        api_ref,
        summary,
        text,
        unnamed,
    }))
}

fn no_policy(t: &Target, api: &ApiRecord) -> Finding {
    Finding {
        check: checks::NO_POLICY.into(),
        severity: Severity::Medium,
        account: t.account.clone(),
        region: Some(t.region.clone()),
        resource: api_arn(&t.region, &api.id),
        message: format!(
            "private API {} ({}) has no resource policy: no endpoint can call it, and AWS refuses to deploy it",
            api.id, api.name
        ),
        fix: Some(format!(
            "xapi grant-vpce --api-id {} --vpce <the consumers' endpoint ids> --region {}",
            api.id, t.region
        )),
    }
}

fn api_findings(
    scan: &Scan,
    e: &Evaluated<'_>,
    live: &BTreeMap<&str, (&Target, &EndpointRecord)>,
) -> Vec<Finding> {
    let (t, api, s) = (e.target, e.api, &e.summary);
    let arn = api_arn(&t.region, &api.id);
    let finding =
        |check: &str, severity, resource: &str, message: String, fix: Option<String>| Finding {
            check: check.into(),
            severity,
            account: t.account.clone(),
            region: Some(t.region.clone()),
            resource: resource.to_owned(),
            message,
            fix,
        };
    let mut out = Vec::new();
    if s.open_to_any_endpoint {
        out.push(finding(
            checks::OPEN_TO_ANY,
            Severity::High,
            &arn,
            format!(
                "the resource policy of private API {} ({}) admits every VPC endpoint: any AWS account's execute-api endpoint in {} can call it",
                api.id, api.name, t.region
            ),
            Some(format!(
                "limit the Allow to the endpoints that need it (aws:SourceVpce), or deny all others; see xapi policy show --api-id {} --region {}",
                api.id, t.region
            )),
        ));
    }
    if s.size * 10 >= s.limit * 9 {
        out.push(finding(
            checks::POLICY_SIZE,
            Severity::Low,
            &arn,
            format!(
                "the resource policy is {} of {} characters: about {} more endpoint ids fit",
                s.size,
                s.limit,
                s.limit.saturating_sub(s.size) / 25
            ),
            Some("grant whole VPCs (aws:SourceVpc) instead of single endpoints where every endpoint of the VPC may call, or revoke stale grants".into()),
        ));
    }
    let read_here = |read: bool| -> Vec<&str> {
        let mut accounts: Vec<&str> = scan
            .targets
            .iter()
            .filter(|o| o.region == t.region && o.endpoints_read == read)
            .map(|o| o.account.as_str())
            .collect();
        if !read {
            // Accounts with no target in the region were not read at all.
            accounts.extend(scan.accounts.iter().map(String::as_str).filter(|a| {
                !scan
                    .targets
                    .iter()
                    .any(|o| o.region == t.region && o.account == *a)
            }));
            accounts.sort_unstable();
        }
        accounts
    };
    let scanned = read_here(true).join(", ");
    let unread = read_here(false);
    let unread = if unread.is_empty() {
        String::new()
    } else {
        format!("; the endpoints of {} could not be read", unread.join(", "))
    };
    for vpce in &s.admitted_vpces {
        let literal = vpce.starts_with("vpce-") && !vpce.contains(['*', '?']);
        let in_region = live
            .get(vpce.as_str())
            .is_some_and(|(owner, _)| owner.region == t.region);
        if !literal || in_region {
            continue;
        }
        let whose = if scan.org {
            "a stale grant (the endpoint was deleted) or a foreign one (an endpoint outside the organization)"
        } else {
            "a stale grant, or an endpoint in an account or region outside the scan"
        };
        out.push(finding(
            checks::GRANT_MISSING,
            Severity::Medium,
            &arn,
            format!(
                "the policy admits {vpce}, which none of the scanned accounts ({scanned}) has in {}{unread}: {whose}",
                t.region
            ),
            Some(format!(
                "if it is stale: xapi revoke-vpce --api-id {} --vpce {vpce} --region {}",
                api.id, t.region
            )),
        ));
    }
    let current = e.doc.canonical_sha256(&e.api_ref);
    for st in &api.stages {
        let deployment = st.deployment_id.as_deref().unwrap_or("?");
        let (deployed, carrier) =
            if let Some(h) = deployed_policy_hash(st.deployment_description.as_deref()) {
                (h.to_owned(), format!("its deployment {deployment}"))
            } else {
                // No marker: the export's policy, when it carries one xapi can
                // read; anything less is no evidence that the stage is stale.
                let Some(raw) = st.export.as_ref().and_then(|x| x.policy.as_deref()) else {
                    continue;
                };
                let Ok(doc) = PolicyDocument::parse(raw) else {
                    continue;
                };
                (
                    doc.canonical_sha256(&e.api_ref),
                    format!("its export (deployment {deployment})"),
                )
            };
        if deployed == current {
            continue;
        }
        out.push(finding(
            checks::NOT_DEPLOYED,
            Severity::Medium,
            &format!("{arn}/stages/{}", st.name),
            format!(
                "stage {} serves an older policy: {carrier} carries policy {}, the API's policy is now {}; the change is not live",
                st.name,
                &deployed[..deployed.len().min(12)],
                &current[..12]
            ),
            Some(format!(
                "aws apigateway create-deployment --region {} --rest-api-id {} --stage-name {} --description 'xapi policy-sha256={current}'",
                t.region, api.id, st.name
            )),
        ));
    }
    out
}

fn front_open(t: &Target, api: &ApiRecord, stack: &str) -> Option<Finding> {
    let methods = api.methods.as_ref()?;
    let open: Vec<String> = methods
        .iter()
        .filter(|m| m.authorization_type.eq_ignore_ascii_case("NONE") && !m.api_key_required)
        .map(|m| format!("{} {}", m.method, m.path))
        .collect();
    if open.is_empty() {
        return None;
    }
    let why = match api.policy.as_deref().filter(|p| !p.trim().is_empty()) {
        None => "no resource policy".to_owned(),
        Some(p) => {
            crate::policy::keeps_internet_out(p, &t.region, Some(&t.account), &api.id).err()?
        }
    };
    Some(Finding {
        check: checks::FRONT_OPEN.into(),
        severity: Severity::High,
        account: t.account.clone(),
        region: Some(t.region.clone()),
        resource: api_arn(&t.region, &api.id),
        message: format!(
            "front door {} of stack {stack} is reachable from the internet with no authorization on {} and {why}: anyone can call the private API behind it",
            api.id,
            open.join(", ")
        ),
        fix: Some(format!(
            "set an authorizer (e.g. AWS_IAM) on its methods or a resource policy that limits callers; if it is unused: xapi teardown --stack {stack} --region {}",
            t.region
        )),
    })
}

/// Counts by severity, for the summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Summary {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub accounts: usize,
    pub regions: usize,
    pub apis: usize,
    pub private_apis: usize,
    pub endpoints: usize,
    #[serde(default)]
    pub private_domains: usize,
}

impl Summary {
    pub fn of(scan: &Scan, findings: &[Finding]) -> Self {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        let regions: BTreeSet<&str> = scan.targets.iter().map(|t| t.region.as_str()).collect();
        Summary {
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            accounts: scan.accounts.len(),
            regions: regions.len(),
            apis: scan.targets.iter().map(|t| t.apis.len()).sum(),
            private_apis: scan
                .targets
                .iter()
                .flat_map(|t| &t.apis)
                .filter(|a| a.is_private())
                .count(),
            endpoints: scan.targets.iter().map(|t| t.endpoints.len()).sum(),
            private_domains: scan.targets.iter().map(|t| t.domains.len()).sum(),
        }
    }
}

/// Whether any finding is at or above `threshold`.
pub fn fails(findings: &[Finding], threshold: Severity) -> bool {
    findings.iter().any(|f| f.severity >= threshold)
}

/// The document `xapi audit --output json` prints (inside the `schema_version` envelope).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Report {
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub access_map: Vec<Access>,
    /// Who reaches each private custom domain, through which association.
    #[serde(default)]
    pub domain_access_map: Vec<domains::DomainAccess>,
    /// Everything read: the same document `--snapshot-out` writes.
    pub inventory: Scan,
    /// How the scan went; absent when judging a snapshot.
    pub stats: Option<Stats>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Stats {
    /// AWS requests sent, retries and AssumeRole included.
    pub requests: u64,
    pub seconds: f64,
    pub max_concurrency: usize,
}

impl Report {
    pub fn new(scan: Scan, stats: Option<Stats>) -> Self {
        let (findings, access_map, domain_access_map) = judge_all(&scan);
        Report {
            summary: Summary::of(&scan, &findings),
            findings,
            access_map,
            domain_access_map,
            inventory: scan,
            stats,
        }
    }
}
