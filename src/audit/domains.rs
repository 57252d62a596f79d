//! Audit over private custom domain names (pattern 4): who reaches each
//! domain through which access association, by evaluating the domain policy
//! and each mapped API's policy for the association's endpoint, and what is
//! wrong: a domain policy open to any endpoint, an association whose
//! endpoint a policy refuses, and a shared domain that maps nothing.

use serde::{Deserialize, Serialize};

use super::{checks, Finding, Scan, Severity, Target};
use crate::ids::DomainArn;
use crate::model::{AccessAssociation, DomainRecord};
use crate::policy::{self, ApiRef, PolicyDocument};

/// One edge of the domain access map: an endpoint whose association with
/// the domain both the domain policy and every mapped API's policy admit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainAccess {
    pub consumer_account: String,
    pub region: String,
    pub vpce_id: String,
    pub producer_account: String,
    pub domain_name: String,
    pub domain_arn: String,
    /// The mapped APIs the endpoint reaches through the domain.
    pub apis: Vec<String>,
}

/// What a policy says of one endpoint: admitted (an evaluation the
/// engine cannot finish counts as admitting, the riskier answer).
fn admits(doc: Option<&PolicyDocument>, api: &ApiRef, vpce: &str) -> bool {
    doc.is_some_and(|d| policy::admits_vpce(d, api, vpce, None).unwrap_or(true))
}

/// The findings and the access edges of every private domain in the scan.
pub fn judge(scan: &Scan) -> (Vec<Finding>, Vec<DomainAccess>) {
    let mut findings = Vec::new();
    let mut access = Vec::new();
    for t in &scan.targets {
        for d in &t.domains {
            judge_domain(t, d, &mut findings, &mut access);
        }
    }
    access.sort();
    (findings, access)
}

fn judge_domain(
    t: &Target,
    d: &DomainRecord,
    findings: &mut Vec<Finding>,
    access: &mut Vec<DomainAccess>,
) {
    let Ok(arn) = d.arn.parse::<DomainArn>() else {
        return;
    };
    let finding = |check: &str, severity, message: String, fix: Option<String>| Finding {
        check: check.into(),
        severity,
        account: t.account.clone(),
        region: Some(t.region.clone()),
        resource: d.arn.clone(),
        message,
        fix,
    };
    let domain_ref = ApiRef::domain(arn.region(), arn.account(), &arn.name_and_id());
    let doc = d
        .policy
        .as_deref()
        .and_then(|p| PolicyDocument::parse(p).ok());
    if let Some(doc) = &doc {
        if policy::summarize(doc, &domain_ref).is_ok_and(|s| s.open_to_any_endpoint) {
            findings.push(finding(
                checks::DOMAIN_OPEN,
                Severity::Medium,
                format!(
                    "the policy of private domain {} admits every VPC endpoint: any account \
                     allowed to associate an endpoint with it{} calls it through that endpoint",
                    d.name,
                    if d.shared {
                        " (it is shared through AWS RAM)"
                    } else {
                        ""
                    }
                ),
                Some(format!(
                    "name the endpoints: xapi grant-vpce --domain {arn} --vpce VPCE for each, \
                     then remove the open statement"
                )),
            ));
        }
    }
    if d.shared && d.mappings.as_ref().is_some_and(Vec::is_empty) {
        findings.push(finding(
            checks::DOMAIN_SHARED_UNMAPPED,
            Severity::Low,
            format!(
                "private domain {} is shared through AWS RAM but maps no API: an associated \
                 endpoint reaches nothing through it",
                d.name
            ),
            Some(format!(
                "map a stage: aws apigateway create-base-path-mapping --domain-name {} \
                 --domain-name-id {} --rest-api-id API --stage STAGE; or stop sharing it: xapi \
                 domain unshare --domain {arn} --account ACCOUNT",
                arn.name(),
                arn.id()
            )),
        ));
    }
    for a in d.associations.iter().filter(|a| arn.is(&a.domain_arn)) {
        match judge_association(t, d, &arn, doc.as_ref(), &domain_ref, a) {
            Ok(edge) => access.push(edge),
            Err(f) => findings.push(*f),
        }
    }
}

/// The association's access edge, or the finding of the policy that refuses it.
fn judge_association(
    t: &Target,
    d: &DomainRecord,
    arn: &DomainArn,
    doc: Option<&PolicyDocument>,
    domain_ref: &ApiRef,
    a: &AccessAssociation,
) -> Result<DomainAccess, Box<Finding>> {
    let vpce = a.source.as_str();
    let mapped = d.mappings.iter().flatten();
    let refusing: Vec<&str> = mapped
        .clone()
        .map(|m| m.api_id.as_str())
        .filter(|api_id| {
            let api = t.apis.iter().find(|x| x.id == *api_id);
            let api_ref = ApiRef {
                region: t.region.clone(),
                account: t.account.clone(),
                api_id: (*api_id).to_owned(),
            };
            let api_doc = api
                .and_then(|x| x.policy.as_deref())
                .and_then(|p| PolicyDocument::parse(p).ok());
            // An API the scan did not list is unjudged, not refusing.
            api.is_some() && !admits(api_doc.as_ref(), &api_ref, vpce)
        })
        .collect();
    let (message, fix) = if !admits(doc, domain_ref, vpce) {
        (
            format!(
                "account {}'s endpoint {vpce} is associated with private domain {}, but the \
                 domain policy does not admit it: its calls are refused (403)",
                a.account(),
                d.name
            ),
            format!(
                "admit it: xapi grant-vpce --domain {arn} --vpce {vpce}; or turn it away: xapi \
                 revoke-vpce --domain {arn} --vpce {vpce}"
            ),
        )
    } else if !refusing.is_empty() {
        (
            format!(
                "account {}'s endpoint {vpce} is admitted by private domain {}, but mapped \
                 API {} does not admit it: its calls there are refused (403)",
                a.account(),
                d.name,
                refusing.join(", ")
            ),
            format!(
                "admit it on the domain's APIs too: xapi grant-vpce --domain {arn} --vpce {vpce}"
            ),
        )
    } else {
        return Ok(DomainAccess {
            consumer_account: a.account().to_owned(),
            region: t.region.clone(),
            vpce_id: vpce.to_owned(),
            producer_account: t.account.clone(),
            domain_name: d.name.clone(),
            domain_arn: d.arn.clone(),
            apis: mapped.map(|m| m.api_id.clone()).collect(),
        });
    };
    Err(Box::new(Finding {
        check: checks::DOMAIN_ASSOCIATION_REFUSED.into(),
        severity: Severity::Medium,
        account: t.account.clone(),
        region: Some(t.region.clone()),
        resource: a.arn.clone(),
        message,
        fix: Some(fix),
    }))
}
