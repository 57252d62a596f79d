//! Pattern 4 on the endpoint's side (`doctor --domain ARN --vpce V`): whether
//! the domain reaches the endpoint's account, the endpoint's access
//! association, its VPC's name for the domain, and its endpoint policy.
//! Read with the base credentials; the domain's owner's come from
//! `--producer-*`.

use super::checks::{finding, unread};
use super::domain_evidence::{ConsumerEvidence, DomainEvidence};
use super::{CheckId, Finding, Status};
use crate::ids::{execute_api_service, DomainArn};
use crate::model::ShareInvitation;
use crate::plan::association::{answering_zone, wanted_records, INVITATION_HOURS};
use crate::plan::domain::policy_ref;
use crate::policy::{self, ApiRef, Decision, PolicyDocument, Request};

fn associate_fix(arn: &DomainArn, vpce: &str, extra: &str) -> String {
    format!("xapi domain associate --domain {arn} --vpce {vpce}{extra}")
}

fn share_fix(arn: &DomainArn, account: &str) -> String {
    format!("the domain's owner runs: xapi domain share --domain {arn} --account {account}")
}

pub(super) fn endpoint(id: CheckId, c: &ConsumerEvidence, arn: &DomainArn, vpce: &str) -> Finding {
    let Some(e) = c.endpoint.ok() else {
        return unread(id, vpce, &c.endpoint, true);
    };
    let mut problems = Vec::new();
    let service = execute_api_service(arn.region());
    if e.service_name != service {
        problems.push(format!(
            "it is an endpoint to {}, not to {service} (the domain's Region)",
            e.service_name
        ));
    }
    if !e.is_available() {
        problems.push(format!("it is {}, not available", e.state));
    }
    let mut fix = None;
    match c.vpc_dns.ok() {
        Some(dns) if !(dns.support && dns.hostnames) => {
            problems.push(format!(
                "its VPC {} has DNS support or DNS hostnames off, and the domain's name \
                 resolves in the VPC only with both on",
                e.vpc_id
            ));
            fix = Some(format!(
                "aws ec2 modify-vpc-attribute --vpc-id {0} --enable-dns-support && aws ec2 \
                 modify-vpc-attribute --vpc-id {0} --enable-dns-hostnames",
                e.vpc_id
            ));
        }
        Some(_) => {}
        None => return unread(id, vpce, &c.vpc_dns, false),
    }
    if problems.is_empty() {
        finding(
            id,
            Status::Pass,
            vpce,
            format!(
                "available execute-api endpoint in VPC {}, DNS support and hostnames on",
                e.vpc_id
            ),
            None,
        )
    } else {
        finding(id, Status::Fail, vpce, problems.join("; "), fix)
    }
}

/// The domain reaches the account through AWS RAM (or is the account's own).
pub(super) fn share(id: CheckId, c: &ConsumerEvidence, arn: &DomainArn, vpce: &str) -> Finding {
    let owner = arn.account();
    let resource = format!("account {}", c.account);
    if c.account == owner {
        return finding(
            id,
            Status::Pass,
            resource,
            "the domain is this account's own: no share needed",
            None,
        );
    }
    let Some(shared) = c.shared.ok() else {
        return unread(id, &resource, &c.shared, false);
    };
    if shared.iter().any(|d| arn.is(&d.arn)) {
        return finding(
            id,
            Status::Pass,
            resource,
            format!("account {owner} shares the domain with this account"),
            None,
        );
    }
    let Some(invitations) = c.invitations.ok() else {
        return unread(id, &resource, &c.invitations, false);
    };
    let from_owner: Vec<&ShareInvitation> = invitations
        .iter()
        .filter(|i| i.sender_account == owner)
        .collect();
    let (message, fix) = if let Some(i) = from_owner.iter().find(|i| i.status == "PENDING") {
        (
            format!(
                "account {owner} invited this account to resource share {}, and the invitation \
                 is not accepted (AWS allows {INVITATION_HOURS} hours)",
                i.share_name
            ),
            associate_fix(arn, vpce, " --accept-invitation"),
        )
    } else if from_owner.iter().any(|i| i.status == "EXPIRED") {
        (
            format!("the invitation from account {owner} expired after {INVITATION_HOURS} hours"),
            share_fix(arn, &c.account),
        )
    } else {
        (
            format!("account {owner} does not share the domain with this account"),
            share_fix(arn, &c.account),
        )
    };
    finding(id, Status::Fail, resource, message, Some(fix))
}

pub(super) fn association(
    id: CheckId,
    c: &ConsumerEvidence,
    arn: &DomainArn,
    vpce: &str,
) -> Finding {
    let Some(all) = c.associations.ok() else {
        return unread(id, vpce, &c.associations, false);
    };
    match all
        .iter()
        .find(|a| a.source == vpce && arn.is(&a.domain_arn))
    {
        Some(a) => finding(
            id,
            Status::Pass,
            &a.arn,
            "associated; AWS reports no readiness for an association: a new one serves calls \
             after about 15 minutes",
            None,
        ),
        None => finding(
            id,
            Status::Fail,
            vpce,
            format!(
                "{vpce} has no access association with {}: API Gateway refuses its calls to \
                 the domain",
                arn.name_and_id()
            ),
            Some(associate_fix(arn, vpce, "")),
        ),
    }
}

pub(super) fn name_clash(
    id: CheckId,
    c: &ConsumerEvidence,
    arn: &DomainArn,
    vpce: &str,
) -> Finding {
    let Some(all) = c.associations.ok() else {
        return unread(id, vpce, &c.associations, false);
    };
    let clashes: Vec<&str> = all
        .iter()
        .filter(|a| a.source == vpce)
        .filter(|a| {
            a.domain_arn
                .parse::<DomainArn>()
                .is_ok_and(|other| other != *arn && other.name() == arn.name())
        })
        .map(|a| a.arn.as_str())
        .collect();
    if clashes.is_empty() {
        return finding(
            id,
            Status::Pass,
            vpce,
            format!("no other domain named {} on the endpoint", arn.name()),
            None,
        );
    }
    finding(
        id,
        Status::Fail,
        vpce,
        format!(
            "the endpoint is also associated with another domain named {} ({}), and one \
             endpoint cannot invoke two private domains of the same name",
            arn.name(),
            clashes.join(", ")
        ),
        Some(format!(
            "use another endpoint for one of them, or delete the other association: aws \
             apigateway delete-domain-name-access-association \
             --domain-name-access-association-arn {}",
            clashes[0]
        )),
    )
}

pub(super) fn dns(id: CheckId, c: &ConsumerEvidence, arn: &DomainArn, vpce: &str) -> Finding {
    let name = arn.name().to_ascii_lowercase();
    let (Some(e), Some(zones)) = (c.endpoint.ok(), c.zones.ok()) else {
        return unread(id, &name, &c.zones, false);
    };
    let Some(zone) = answering_zone(zones, &name) else {
        return finding(
            id,
            Status::Fail,
            &name,
            format!(
                "no private hosted zone for {name} (or a parent) is attached to VPC {}: the \
                 name does not resolve there",
                e.vpc_id
            ),
            Some(associate_fix(arn, vpce, " --dns")),
        );
    };
    let Some(records) = c.records.ok() else {
        return unread(id, &zone.id, &c.records, false);
    };
    let wanted = match wanted_records(&name, e) {
        Ok(w) => w,
        Err(err) => return finding(id, Status::Fail, &name, err.to_string(), None),
    };
    let mut problems = Vec::new();
    for w in &wanted {
        match records.iter().find(|r| r.record_type == w.record_type) {
            Some(r) if r.target == w.target && r.target_zone == w.target_zone => {}
            Some(r) => problems.push(format!(
                "the {} record points to {} (zone {}), not to the endpoint's {} (zone {})",
                r.record_type, r.target, r.target_zone, w.target, w.target_zone
            )),
            None => problems.push(format!(
                "no {} alias record for {name} in zone {}",
                w.record_type, zone.id
            )),
        }
    }
    if problems.is_empty() {
        let types: Vec<&str> = wanted.iter().map(|w| w.record_type.as_str()).collect();
        return finding(
            id,
            Status::Pass,
            &name,
            format!(
                "zone {} ({}): {} alias to {}",
                zone.id,
                zone.name,
                types.join(" and "),
                wanted[0].target
            ),
            None,
        );
    }
    let repoint = records
        .iter()
        .any(|r| wanted.iter().any(|w| w.record_type == r.record_type));
    finding(
        id,
        Status::Fail,
        &name,
        problems.join("; "),
        Some(if repoint {
            format!(
                "point the record in zone {} to the endpoint's Regional DNS name (xapi never \
                 re-points a record)",
                zone.id
            )
        } else {
            associate_fix(arn, vpce, " --dns")
        }),
    )
}

/// A custom endpoint policy must let the call through to the domain AND to
/// each mapped API, since API Gateway checks both ARNs.
pub(super) fn endpoint_policy(
    id: CheckId,
    d: &DomainEvidence,
    c: &ConsumerEvidence,
    arn: &DomainArn,
    vpce: &str,
) -> Finding {
    let Some(e) = c.endpoint.ok() else {
        return unread(id, vpce, &c.endpoint, false);
    };
    if crate::model::is_default_endpoint_policy(e.policy_document.as_deref()) {
        return finding(
            id,
            Status::Pass,
            vpce,
            "default endpoint policy (full access)",
            None,
        );
    }
    let doc = match PolicyDocument::parse(e.policy_document.as_deref().unwrap_or_default()) {
        Ok(doc) => doc,
        Err(err) => {
            return finding(
                id,
                Status::Warn,
                vpce,
                format!("custom endpoint policy xapi cannot evaluate: {err}"),
                None,
            )
        }
    };
    let domain = policy_ref(arn);
    let mut targets: Vec<(String, ApiRef, String)> =
        vec![(arn.name_and_id(), domain.clone(), domain.whole_api())];
    for m in d.mappings.ok().into_iter().flatten() {
        let api = ApiRef {
            region: arn.region().to_owned(),
            account: arn.account().to_owned(),
            api_id: m.api_id.clone(),
        };
        let resource = format!("{}/{}/GET/", api.arn_prefix(), m.stage);
        targets.push((format!("API {}", m.api_id), api, resource));
    }
    let mut refused = Vec::new();
    for (label, api, resource) in &targets {
        let request = Request {
            source_vpce: Some(e.id.clone()),
            source_vpc: Some(e.vpc_id.clone()),
            resource: resource.clone(),
            action: "execute-api:Invoke".into(),
            ..Default::default()
        };
        match policy::evaluate(&doc, api, &request) {
            Ok(Decision::Allow) => {}
            Ok(Decision::ExplicitDeny) => refused.push(format!("{label} (a statement denies it)")),
            Ok(_) => refused.push(format!("{label} (no statement allows it)")),
            Err(err) => {
                return finding(
                    id,
                    Status::Warn,
                    vpce,
                    format!("custom endpoint policy xapi cannot evaluate: {err}"),
                    None,
                )
            }
        }
    }
    if refused.is_empty() {
        return finding(
            id,
            Status::Pass,
            vpce,
            format!(
                "custom endpoint policy allows execute-api:Invoke on the domain and {} mapped API(s)",
                targets.len() - 1
            ),
            None,
        );
    }
    finding(
        id,
        Status::Fail,
        vpce,
        format!(
            "custom endpoint policy does not allow execute-api:Invoke on {}: a call through the \
             domain needs both the domain's ARN and the API's",
            refused.join(", ")
        ),
        Some(format!(
            "allow execute-api:Invoke on {} and the mapped APIs' ARNs in the endpoint policy, \
             or reset it: aws ec2 modify-vpc-endpoint --vpc-endpoint-id {vpce} --reset-policy",
            domain.whole_api()
        )),
    )
}
