//! Pattern 4 on the producer's side (`doctor --domain ARN [--vpce V]`): the
//! private custom domain, its certificate, its mappings, and whether its
//! policy and each mapped API's policy admit the endpoint. A call through
//! the domain needs both policies.

use super::checks::{admission_verdict, finding, unread};
pub use super::domain_evidence::{ConsumerEvidence, DomainEvidence};
use super::{CheckId, Finding, Read, Snapshot, Status};
use crate::ids::DomainArn;
use crate::model::{DomainName, STACK_TAG};
use crate::plan::domain::{certificate_problems, policy_ref, EXPIRY_WARNING_SECS};
use crate::policy::{self, ApiRef, PolicyDocument};

/// The `domain create` line that repairs the stack's domain, `extra` appended.
fn create_fix(d: &DomainName, extra: &str) -> String {
    let stack = d
        .tags
        .get(STACK_TAG)
        .map(|s| format!(" --stack {s}"))
        .unwrap_or_default();
    format!(
        "xapi domain create --name {} --certificate-arn {}{stack}{extra}",
        d.name,
        d.certificate_arn.as_deref().unwrap_or("CERT_ARN")
    )
}

/// The grant on the domain policy (and the mapped APIs' policies).
pub(super) fn domain_grant_fix(arn: &DomainArn, vpce: &str) -> String {
    format!("xapi grant-vpce --domain {arn} --vpce {vpce}")
}

pub(super) fn exists(id: CheckId, d: &DomainEvidence) -> Finding {
    match d.domain.ok() {
        Some(dn) => finding(
            id,
            Status::Pass,
            &d.arn,
            format!("{} ({})", dn.name, dn.id),
            None,
        ),
        None => {
            let mut f = unread(id, &d.arn, &d.domain, true);
            if f.status == Status::Fail {
                f.fix = Some(
                    "check the id after '+' in the ARN: `aws apigateway get-domain-names \
                     --resource-owner SELF` lists this account's domains with their ARNs"
                        .into(),
                );
            }
            f
        }
    }
}

pub(super) fn private(id: CheckId, d: &DomainEvidence) -> Finding {
    let Some(dn) = d.domain.ok() else {
        return unread(id, &d.arn, &d.domain, false);
    };
    if dn.is_private() {
        return finding(id, Status::Pass, &d.arn, "PRIVATE", None);
    }
    finding(
        id,
        Status::Fail,
        &d.arn,
        format!(
            "the domain is {}, and a public domain cannot be made private",
            dn.endpoint_types.join(", ")
        ),
        Some(format!(
            "create a private one: xapi domain create --name {} --certificate-arn CERT_ARN",
            dn.name
        )),
    )
}

pub(super) fn status(id: CheckId, d: &DomainEvidence) -> Finding {
    let Some(dn) = d.domain.ok() else {
        return unread(id, &d.arn, &d.domain, false);
    };
    let state = dn.status.as_deref().unwrap_or("UNKNOWN");
    let message = dn
        .status_message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    match state {
        "AVAILABLE" => finding(id, Status::Pass, &d.arn, "AVAILABLE", None),
        "PENDING" | "UPDATING" => finding(
            id,
            Status::Warn,
            &d.arn,
            format!("{state}{message}: a private domain takes about 15 minutes to provision"),
            None,
        ),
        other => finding(
            id,
            Status::Fail,
            &d.arn,
            format!("{other}{message}"),
            Some(format!(
                "fix the certificate (`domain.cert`), or delete the domain and create it again: {}",
                create_fix(dn, "")
            )),
        ),
    }
}

pub(super) fn cert(id: CheckId, s: &Snapshot, d: &DomainEvidence, arn: &DomainArn) -> Finding {
    let Some(dn) = d.domain.ok() else {
        return unread(id, &d.arn, &d.domain, false);
    };
    let resource = dn.certificate_arn.as_deref().unwrap_or("(no certificate)");
    let Some(c) = d.certificate.ok() else {
        return unread(id, resource, &d.certificate, true);
    };
    let problems = certificate_problems(c, arn.name(), arn.region());
    if !problems.is_empty() {
        return finding(
            id,
            Status::Fail,
            resource,
            problems.join("; "),
            Some(format!(
                "import or request a certificate for {} in {} (RSA 2048, ECDSA P-256 or P-384), then create the domain with it",
                arn.name(),
                arn.region()
            )),
        );
    }
    if let (Some(now), Some(end)) = (s.taken_at, c.not_after) {
        if end - now < EXPIRY_WARNING_SECS {
            return finding(
                id,
                Status::Warn,
                resource,
                "ISSUED, but it expires within 30 days",
                Some("renew or re-import the certificate in ACM".into()),
            );
        }
    }
    finding(
        id,
        Status::Pass,
        resource,
        format!("ISSUED, {}, covers {}", c.key_algorithm, arn.name()),
        None,
    )
}

pub(super) fn mapping(id: CheckId, d: &DomainEvidence) -> Finding {
    let Some(dn) = d.domain.ok() else {
        return unread(id, &d.arn, &d.domain, false);
    };
    let Some(mappings) = d.mappings.ok() else {
        return unread(id, &d.arn, &d.mappings, false);
    };
    if mappings.is_empty() {
        return finding(
            id,
            Status::Fail,
            &d.arn,
            "no base path mapping: the domain routes to no API",
            Some(create_fix(dn, " --api-id API_ID --stage STAGE")),
        );
    }
    let mut problems = Vec::new();
    for m in mappings {
        match d.apis.get(&m.api_id).map(Read::ok) {
            Some(Some(api)) if !api.is_private() => problems.push(format!(
                "{} maps API {}, which is {} (a private domain serves PRIVATE APIs only)",
                m.base_path,
                m.api_id,
                api.endpoint_types.join(", ")
            )),
            Some(Some(_)) => {
                let stages = d.stages.get(&m.api_id).and_then(Read::ok);
                if stages.is_some_and(|ss| !ss.iter().any(|s| s.name == m.stage)) {
                    problems.push(format!(
                        "{} maps stage {} of API {}, which has no such stage",
                        m.base_path, m.stage, m.api_id
                    ));
                }
            }
            _ => problems.push(format!(
                "{} maps API {}, which could not be read",
                m.base_path, m.api_id
            )),
        }
    }
    let listed = mappings
        .iter()
        .map(|m| format!("{} -> {} {}", m.base_path, m.api_id, m.stage))
        .collect::<Vec<_>>()
        .join(", ");
    if problems.is_empty() {
        finding(id, Status::Pass, &d.arn, listed, None)
    } else {
        finding(id, Status::Fail, &d.arn, problems.join("; "), None)
    }
}

pub(super) fn domain_policy(id: CheckId, d: &DomainEvidence, arn: &DomainArn) -> Finding {
    let Some(dn) = d.domain.ok() else {
        return unread(id, &d.arn, &d.domain, false);
    };
    let api = policy_ref(arn);
    let Some(text) = dn.policy.as_deref() else {
        return finding(
            id,
            Status::Fail,
            &d.arn,
            "no policy: API Gateway denies every call through the domain",
            d.vpce.as_ref().map(|v| domain_grant_fix(arn, v)),
        );
    };
    let doc = match PolicyDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => return finding(id, Status::Fail, &d.arn, e.to_string(), None),
    };
    match &d.vpce {
        Some(v) => admits(id, &d.arn, &doc, &api, v, Some(domain_grant_fix(arn, v))),
        None => match policy::summarize(&doc, &api) {
            Ok(s) if s.open_to_any_endpoint => finding(
                id,
                Status::Warn,
                &d.arn,
                "the domain policy admits any VPC endpoint, in any account",
                None,
            ),
            Ok(s) => finding(
                id,
                Status::Pass,
                &d.arn,
                format!(
                    "admits {}{}",
                    if s.admitted_vpces.is_empty() {
                        "no endpoint".to_owned()
                    } else {
                        s.admitted_vpces.join(", ")
                    },
                    if s.approximated.is_empty() {
                        ""
                    } else {
                        " (approximated)"
                    }
                ),
                None,
            ),
            Err(e) => finding(id, Status::Fail, &d.arn, e.to_string(), None),
        },
    }
}

/// Whether `doc` admits `vpce`, by evaluation; an over-budget answer warns;
/// a policy the engine cannot evaluate fails.
fn admits(
    id: &str,
    resource: &str,
    doc: &PolicyDocument,
    api: &ApiRef,
    vpce: &str,
    fix: Option<String>,
) -> Finding {
    match policy::admission(doc, api, vpce, None) {
        Ok(a) => admission_verdict(
            id,
            resource,
            vpce,
            &a,
            format!("admits {vpce}"),
            format!("does not admit {vpce}"),
            fix,
        ),
        Err(e) => finding(id, Status::Fail, resource, e.to_string(), None),
    }
}

pub(super) fn api_policy(id: CheckId, d: &DomainEvidence, arn: &DomainArn) -> Finding {
    let Some(v) = &d.vpce else {
        return finding(id, Status::Skip, &d.arn, "no --vpce given", None);
    };
    let Some(mappings) = d.mappings.ok() else {
        return unread(id, &d.arn, &d.mappings, false);
    };
    let mut failed = Vec::new();
    let mut warned = Vec::new();
    let mut fixes = Vec::new();
    for api_id in mappings.iter().map(|m| &m.api_id) {
        let Some(api) = d.apis.get(api_id).and_then(Read::ok) else {
            failed.push(format!("API {api_id} could not be read"));
            continue;
        };
        let api_ref = ApiRef {
            region: arn.region().to_owned(),
            account: arn.account().to_owned(),
            api_id: api_id.clone(),
        };
        let verdict = match api.policy.as_deref().map(PolicyDocument::parse) {
            None => finding(id, Status::Fail, api_id, "has no resource policy", None),
            Some(Err(e)) => finding(id, Status::Fail, api_id, e.to_string(), None),
            Some(Ok(doc)) => admits(id, api_id, &doc, &api_ref, v, None),
        };
        match verdict.status {
            Status::Pass => {}
            Status::Warn => warned.push(format!("API {api_id}: {}", verdict.message)),
            _ => {
                failed.push(format!("API {api_id}: {}", verdict.message));
                fixes.push(format!("xapi grant-vpce --api-id {api_id} --vpce {v}"));
            }
        }
    }
    if !failed.is_empty() {
        fixes.dedup();
        return finding(
            id,
            Status::Fail,
            &d.arn,
            format!(
                "a call through the domain needs the mapped API's policy to admit {v} too: {}",
                failed.join("; ")
            ),
            (!fixes.is_empty()).then(|| fixes.join(" && ")),
        );
    }
    if !warned.is_empty() {
        return finding(id, Status::Warn, &d.arn, warned.join("; "), None);
    }
    finding(
        id,
        Status::Pass,
        &d.arn,
        format!("every mapped API admits {v}"),
        None,
    )
}

/// A `SecurityPolicy_*` domain in STRICT mode refuses every call whose TLS
/// server name is not the domain's: the endpoint's own DNS name with a
/// `Host` header, and a front door that connects by another name, fail.
pub(super) fn access_mode(id: CheckId, d: &DomainEvidence) -> Finding {
    let Some(dn) = d.domain.ok() else {
        return unread(id, &d.arn, &d.domain, false);
    };
    let policy = dn.security_policy.as_deref().unwrap_or("TLS_1_2");
    let mode = dn.endpoint_access_mode.as_deref().unwrap_or("BASIC");
    if policy.starts_with("SecurityPolicy_") && mode.eq_ignore_ascii_case("STRICT") {
        return finding(
            id,
            Status::Warn,
            &d.arn,
            format!(
                "{policy} with STRICT access: API Gateway refuses a call whose TLS server name is \
                 not {}, so a call to the endpoint's DNS name with a Host header, or through a \
                 front door that connects by another name, fails",
                dn.name
            ),
            Some(format!(
                "if such callers exist: aws apigateway update-domain-name --domain-name {} \
                 --domain-name-id {} --patch-operations op=replace,path=/endpointAccessMode,value=BASIC",
                dn.name, dn.id
            )),
        );
    }
    finding(
        id,
        Status::Pass,
        &d.arn,
        format!("{policy}, {mode} access: no server-name restriction"),
        None,
    )
}
