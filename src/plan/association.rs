//! `domain associate` as a pure plan: the consumer's half of a shared private
//! custom domain. It accepts the domain owner's pending AWS RAM invitation
//! (only when asked), checks the endpoint, creates or reuses the domain name
//! access association and, with `--dns`, a private hosted zone for the name
//! with alias records to the endpoint's Regional DNS name.

use super::{Action, Plan, Planned, Verb};
use crate::error::{Error, Result};
use crate::ids::{execute_api_service, DomainArn, VpceId};
use crate::model::{
    AccessAssociation, AliasRecord, DnsEntry, DomainName, Endpoint, HostedZone, ShareInvitation,
    VpcDns,
};
use crate::stack::carries_stack;

/// AWS lets an invitation be accepted for this long, then the producer must share again.
pub const INVITATION_HOURS: u32 = 12;

#[derive(Debug, Clone)]
pub struct Desired {
    pub domain: DomainArn,
    pub vpce: VpceId,
    pub stack: String,
    pub accept_invitation: bool,
    pub dns: bool,
}

/// What `domain associate` reads before planning (with the consumer's credentials).
#[derive(Debug, Clone)]
pub struct Observed {
    /// The caller's ARN and account.
    pub caller: String,
    pub account: String,
    pub region: String,
    /// Domains other accounts share with this one.
    pub shared: Vec<DomainName>,
    /// This account's invitations; read only while the domain is not shared yet.
    pub invitations: Option<Vec<ShareInvitation>>,
    pub endpoint: Endpoint,
    pub vpc_dns: VpcDns,
    /// The associations this account made.
    pub associations: Vec<AccessAssociation>,
    /// With `--dns`: the private zones of the endpoint's VPC, and the alias
    /// records named after the domain in the zone for it, if there is one.
    pub zones: Vec<HostedZone>,
    pub records: Vec<AliasRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Accept(ShareInvitation),
    Associate,
    CreateZone,
    /// Alias records to create (or replace: none of them exists yet).
    Aliases(Vec<AliasRecord>),
}

/// The endpoint's Regional DNS entry (`vpce-ID-SUFFIX.execute-api.REGION.vpce.amazonaws.com`),
/// not a zonal one (`vpce-ID-SUFFIX-us-east-1a...`) nor the private DNS name.
pub fn regional_entry(endpoint: &Endpoint) -> Option<&DnsEntry> {
    let prefix = format!("{}-", endpoint.id);
    endpoint.dns_entries.iter().find(|e| {
        let first = e.dns_name.split('.').next().unwrap_or_default();
        first
            .strip_prefix(&prefix)
            .is_some_and(|suffix| !suffix.is_empty() && !suffix.contains('-'))
    })
}

/// The alias records the name needs: A, and AAAA for a dualstack endpoint.
pub fn wanted_records(name: &str, endpoint: &Endpoint) -> Result<Vec<AliasRecord>> {
    let entry = regional_entry(endpoint).ok_or_else(|| {
        Error::BadInput(format!(
            "--vpce {}: EC2 reports no Regional DNS name for the endpoint, so there is nothing \
             to alias {name} to",
            endpoint.id
        ))
    })?;
    let dualstack = endpoint
        .ip_address_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("dualstack"));
    let types: &[&str] = if dualstack { &["A", "AAAA"] } else { &["A"] };
    Ok(types
        .iter()
        .map(|t| AliasRecord {
            name: name.to_ascii_lowercase(),
            record_type: (*t).to_owned(),
            target: entry.dns_name.trim_end_matches('.').to_ascii_lowercase(),
            target_zone: entry.hosted_zone_id.clone(),
        })
        .collect())
}

/// The private zone that answers for `name` in a VPC: the most specific
/// one of `zones` whose name is `name` or a parent of it.
pub fn answering_zone<'a>(zones: &'a [HostedZone], name: &str) -> Option<&'a HostedZone> {
    let name = name.to_ascii_lowercase();
    zones
        .iter()
        .filter(|z| name == z.name || name.ends_with(&format!(".{}", z.name)))
        .max_by_key(|z| z.name.len())
}

/// The endpoint must be an available execute-api endpoint of this Region in
/// a VPC that resolves private names.
fn check_endpoint(seen: &Observed, want: &Desired) -> Result<()> {
    let e = &seen.endpoint;
    let v = &want.vpce;
    let mut problems = Vec::new();
    if e.service_name != execute_api_service(&seen.region) {
        problems.push(format!(
            "it is an endpoint to {}, not to {}",
            e.service_name,
            execute_api_service(&seen.region)
        ));
    }
    if !e.is_available() {
        problems.push(format!("it is {}, not available", e.state));
    }
    if !(seen.vpc_dns.support && seen.vpc_dns.hostnames) {
        problems.push(format!(
            "its VPC {} has {} off, and the domain's name resolves only with both on (`aws ec2 \
             modify-vpc-attribute --vpc-id {} --enable-dns-support` and `--enable-dns-hostnames`)",
            e.vpc_id,
            match (seen.vpc_dns.support, seen.vpc_dns.hostnames) {
                (false, false) => "enableDnsSupport and enableDnsHostnames",
                (false, true) => "enableDnsSupport",
                _ => "enableDnsHostnames",
            },
            e.vpc_id
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::BadInput(format!(
            "--vpce {v}: {}; nothing was changed",
            problems.join("; ")
        )))
    }
}

/// Whether the domain reaches this account: shared with it (or its own), or
/// about to be, through the owner's pending invitation when asked to accept.
fn share_step(seen: &Observed, want: &Desired, plan: &mut Plan) -> Result<Option<Step>> {
    let arn = &want.domain;
    let visible = arn.account() == seen.account || seen.shared.iter().any(|d| arn.is(&d.arn));
    if visible {
        return Ok(None);
    }
    let owner = arn.account();
    let from_owner: Vec<&ShareInvitation> = seen
        .invitations
        .iter()
        .flatten()
        .filter(|i| i.sender_account == owner)
        .collect();
    let share_again = format!(
        "the producer runs `xapi domain share --domain {arn} --account {}`",
        seen.account
    );
    if let Some(pending) = from_owner.iter().find(|i| i.status == "PENDING") {
        if !want.accept_invitation {
            return Err(Error::BadInput(format!(
                "--domain {arn}: account {owner} invited this account to share {} ({}), and \
                 the invitation is not accepted yet: re-run with --accept-invitation (AWS lets \
                 it be accepted for {INVITATION_HOURS} hours); nothing was changed",
                pending.share_name, pending.arn
            )));
        }
        plan.actions.push(Action {
            verb: Verb::Change,
            resource: "share-invitation".into(),
            target: pending.arn.clone(),
            details: vec![format!(
                "accept resource share {} from account {owner}",
                pending.share_name
            )],
        });
        return Ok(Some(Step::Accept((*pending).clone())));
    }
    let why = if from_owner.iter().any(|i| i.status == "EXPIRED") {
        format!(
            "the invitation from account {owner} expired (after {INVITATION_HOURS} hours): \
             {share_again}"
        )
    } else if from_owner.iter().any(|i| i.status == "ACCEPTED") {
        format!(
            "the share from account {owner} is accepted but does not include this domain: \
             {share_again}"
        )
    } else {
        format!("account {owner} has not shared it with this account: {share_again}")
    };
    Err(Error::BadInput(format!(
        "--domain {arn}: the domain is not visible to account {}: {why}; nothing was changed",
        seen.account
    )))
}

/// The endpoint's association with this domain (by name AND id), if any.
pub fn association<'a>(seen: &'a Observed, want: &Desired) -> Option<&'a AccessAssociation> {
    seen.associations
        .iter()
        .find(|a| a.source == want.vpce.as_str() && want.domain.is(&a.domain_arn))
}

pub fn plan(seen: &Observed, want: &Desired) -> Result<Planned<Step>> {
    let arn = &want.domain;
    arn.check_region(&seen.region).map_err(Error::BadInput)?;
    check_endpoint(seen, want)?;
    let mut plan = Plan {
        identity: seen.caller.clone(),
        ..Plan::default()
    };
    let mut steps: Vec<Step> = share_step(seen, want, &mut plan)?.into_iter().collect();

    let of_vpce: Vec<&AccessAssociation> = seen
        .associations
        .iter()
        .filter(|a| a.source == want.vpce.as_str())
        .collect();
    if let Some(clash) = of_vpce.iter().find(|a| {
        a.domain_arn
            .parse::<DomainArn>()
            .is_ok_and(|d| d != *arn && d.name() == arn.name())
    }) {
        return Err(Error::BadInput(format!(
            "--vpce {}: the endpoint is already associated with another domain named {} ({}), \
             and one endpoint cannot invoke two private domains of the same name: use another \
             endpoint; nothing was changed",
            want.vpce,
            arn.name(),
            clash.domain_arn
        )));
    }
    match association(seen, want) {
        Some(a) => plan.actions.push(Action {
            verb: Verb::Reuse,
            resource: "access-association".into(),
            target: a.arn.clone(),
            details: vec![if carries_stack(&a.tags, &want.stack) {
                format!("tagged xapi:stack={}", want.stack)
            } else {
                "not made by this stack: teardown leaves it".into()
            }],
        }),
        None => {
            plan.actions.push(Action {
                verb: Verb::Create,
                resource: "access-association".into(),
                target: format!("{} to {}", want.vpce, arn.name_and_id()),
                details: vec![
                    format!("tagged xapi:stack={}", want.stack),
                    "AWS makes it usable in about 15 minutes, and reports no status for it".into(),
                ],
            });
            steps.push(Step::Associate);
        }
    }
    if want.dns {
        dns_steps(seen, want, &mut plan, &mut steps)?;
    }
    Ok(Planned { plan, steps })
}

fn dns_steps(
    seen: &Observed,
    want: &Desired,
    plan: &mut Plan,
    steps: &mut Vec<Step>,
) -> Result<()> {
    let name = want.domain.name().to_ascii_lowercase();
    let vpc = &seen.endpoint.vpc_id;
    let zones: Vec<&HostedZone> = seen.zones.iter().filter(|z| z.name == name).collect();
    if zones.len() > 1 {
        return Err(Error::BadInput(format!(
            "--dns: {} private hosted zones named {name} are attached to VPC {vpc} ({}); xapi \
             cannot tell which one answers: detach the extra ones; nothing was changed",
            zones.len(),
            zones
                .iter()
                .map(|z| z.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let wanted = wanted_records(&name, &seen.endpoint)?;
    let zone = zones.first();
    match zone {
        Some(z) => plan.actions.push(Action {
            verb: Verb::Reuse,
            resource: "hosted-zone".into(),
            target: z.id.clone(),
            details: vec![format!("private zone {name}, attached to {vpc}")],
        }),
        None => {
            plan.actions.push(Action {
                verb: Verb::Create,
                resource: "hosted-zone".into(),
                target: name.clone(),
                details: vec![format!(
                    "private, attached to {vpc}; comment {}",
                    crate::stack::StackNames::of(&want.stack).zone_comment
                )],
            });
            steps.push(Step::CreateZone);
        }
    }
    let present = if zone.is_some() {
        seen.records.as_slice()
    } else {
        &[]
    };
    let mut missing = Vec::new();
    for r in wanted {
        match present.iter().find(|p| p.record_type == r.record_type) {
            Some(p) if p.target == r.target && p.target_zone == r.target_zone => {
                plan.actions.push(Action {
                    verb: Verb::Reuse,
                    resource: "alias-record".into(),
                    target: format!("{name} {}", r.record_type),
                    details: vec![format!("to {}", r.target)],
                });
            }
            Some(p) => {
                return Err(Error::BadInput(format!(
                    "--dns: the {} record {name} in zone {} already points to {}, not to the \
                     endpoint's {}; xapi does not re-point a record: change it yourself, or \
                     leave out --dns; nothing was changed",
                    p.record_type,
                    zone.map(|z| z.id.as_str()).unwrap_or_default(),
                    p.target,
                    r.target
                )))
            }
            None => {
                plan.actions.push(Action {
                    verb: Verb::Create,
                    resource: "alias-record".into(),
                    target: format!("{name} {}", r.record_type),
                    details: vec![format!("alias to {} (zone {})", r.target, r.target_zone)],
                });
                missing.push(r);
            }
        }
    }
    if !missing.is_empty() {
        steps.push(Step::Aliases(missing));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const ME: &str = "222222222222";
    const OWNER: &str = "111111111111";
    const V: &str = "vpce-0aaa1111bbbb2222c";
    const REGIONAL: &str =
        "vpce-0aaa1111bbbb2222c-abcd1234.execute-api.us-east-1.vpce.amazonaws.com";

    fn arn(id: &str) -> DomainArn {
        DomainArn::new("aws", "us-east-1", OWNER, "private.example.com", id)
    }

    fn endpoint() -> Endpoint {
        let entry = |name: &str, zone: &str| DnsEntry {
            dns_name: name.into(),
            hosted_zone_id: zone.into(),
        };
        Endpoint {
            id: V.into(),
            vpc_id: "vpc-0123456789abcdef0".into(),
            service_name: "com.amazonaws.us-east-1.execute-api".into(),
            endpoint_type: "Interface".into(),
            state: "available".into(),
            private_dns_enabled: true,
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
            network_interface_ids: Vec::new(),
            dns_names: Vec::new(),
            dns_entries: vec![
                // A zonal name first: it must never be the alias target.
                entry(
                    "vpce-0aaa1111bbbb2222c-abcd1234-us-east-1a.execute-api.us-east-1.vpce.amazonaws.com",
                    "ZZONAL",
                ),
                entry(REGIONAL, "Z7HUB22UULQXV"),
                entry("execute-api.us-east-1.amazonaws.com", "ZPRIVATE"),
            ],
            ip_address_type: Some("ipv4".into()),
            policy_document: None,
            owner_id: ME.into(),
            tags: BTreeMap::new(),
        }
    }

    fn seen() -> Observed {
        Observed {
            caller: format!("arn:aws:iam::{ME}:user/c"),
            account: ME.into(),
            region: "us-east-1".into(),
            shared: vec![DomainName {
                name: "private.example.com".into(),
                id: "abcd1234".into(),
                arn: arn("abcd1234").to_string(),
                endpoint_types: Vec::new(),
                status: None,
                status_message: None,
                certificate_arn: None,
                security_policy: None,
                endpoint_access_mode: None,
                policy: None,
                management_policy: None,
                tags: BTreeMap::new(),
            }],
            invitations: None,
            endpoint: endpoint(),
            vpc_dns: VpcDns {
                support: true,
                hostnames: true,
            },
            associations: Vec::new(),
            zones: Vec::new(),
            records: Vec::new(),
        }
    }

    fn want(dns: bool) -> Desired {
        Desired {
            domain: arn("abcd1234"),
            vpce: V.parse().unwrap(),
            stack: "s1".into(),
            accept_invitation: false,
            dns,
        }
    }

    fn record(kind: &str, target: &str, zone: &str) -> AliasRecord {
        AliasRecord {
            name: "private.example.com".into(),
            record_type: kind.into(),
            target: target.into(),
            target_zone: zone.into(),
        }
    }

    #[test]
    fn the_alias_targets_the_regional_name_and_dualstack_adds_aaaa() {
        let e = endpoint();
        assert_eq!(regional_entry(&e).unwrap().dns_name, REGIONAL);
        let records = wanted_records("Private.Example.com", &e).unwrap();
        assert_eq!(records, vec![record("A", REGIONAL, "Z7HUB22UULQXV")]);
        let mut dual = endpoint();
        dual.ip_address_type = Some("dualstack".into());
        let kinds: Vec<String> = wanted_records("private.example.com", &dual)
            .unwrap()
            .into_iter()
            .map(|r| r.record_type)
            .collect();
        assert_eq!(kinds, ["A", "AAAA"]);
        let mut bare = endpoint();
        bare.dns_entries.retain(|d| d.dns_name != REGIONAL);
        assert!(wanted_records("private.example.com", &bare).is_err());
    }

    #[test]
    fn a_new_association_zone_and_record_then_nothing() {
        let mut s = seen();
        let first = plan(&s, &want(true)).unwrap();
        assert_eq!(
            first.steps,
            vec![
                Step::Associate,
                Step::CreateZone,
                Step::Aliases(vec![record("A", REGIONAL, "Z7HUB22UULQXV")])
            ]
        );
        s.associations.push(AccessAssociation {
            arn: format!("arn:aws:apigateway:us-east-1:{ME}:/domainnameaccessassociations/domainname/private.example.com+abcd1234/vpcesource/{V}"),
            domain_arn: arn("abcd1234").to_string(),
            source: V.into(),
            source_type: "VPCE".into(),
            tags: BTreeMap::new(),
        });
        s.zones.push(HostedZone {
            id: "Z1".into(),
            name: "private.example.com".into(),
        });
        s.records.push(record("A", REGIONAL, "Z7HUB22UULQXV"));
        let again = plan(&s, &want(true)).unwrap();
        assert!(again.steps.is_empty(), "{:?}", again.steps);
        assert!(again.plan.is_noop());
    }

    #[test]
    fn refusals_name_the_problem_and_change_nothing() {
        let refused = |s: &Observed, w: &Desired, needle: &str| {
            let e = plan(s, w).unwrap_err().to_string();
            assert!(e.contains(needle), "{needle}: {e}");
        };
        let mut s = seen();
        s.endpoint.service_name = "com.amazonaws.us-east-1.s3".into();
        refused(
            &s,
            &want(false),
            "not to com.amazonaws.us-east-1.execute-api",
        );
        let mut s = seen();
        s.endpoint.state = "pending".into();
        refused(&s, &want(false), "it is pending");
        let mut s = seen();
        s.vpc_dns.support = false;
        refused(&s, &want(false), "enableDnsSupport off");
        // A record already pointing elsewhere is never re-pointed.
        let mut s = seen();
        s.zones.push(HostedZone {
            id: "Z1".into(),
            name: "private.example.com".into(),
        });
        s.records
            .push(record("A", "elsewhere.example.net", "ZOTHER"));
        refused(&s, &want(true), "does not re-point a record");
        // Two zones of the name on one VPC: which answers is unknown.
        let mut s = seen();
        for id in ["Z1", "Z2"] {
            s.zones.push(HostedZone {
                id: id.into(),
                name: "private.example.com".into(),
            });
        }
        refused(&s, &want(true), "2 private hosted zones");
        // Without --dns, zones are not the command's business.
        assert!(plan(&s, &want(false)).is_ok());
    }

    #[test]
    fn only_the_owners_pending_invitation_is_accepted_and_only_when_asked() {
        let invitation = |sender: &str, status: &str| ShareInvitation {
            arn: format!("arn:aws:ram:us-east-1:{sender}:resource-share-invitation/x-{status}"),
            share_arn: String::new(),
            share_name: "share".into(),
            sender_account: sender.into(),
            receiver_account: ME.into(),
            status: status.into(),
        };
        let mut s = seen();
        s.shared.clear();
        // Another account's pending invitation is not the domain's.
        s.invitations = Some(vec![invitation("333333333333", "PENDING")]);
        let mut w = want(false);
        w.accept_invitation = true;
        assert!(plan(&s, &w).is_err());
        s.invitations = Some(vec![
            invitation("333333333333", "PENDING"),
            invitation(OWNER, "PENDING"),
        ]);
        let p = plan(&s, &w).unwrap();
        assert_eq!(p.steps[0], Step::Accept(invitation(OWNER, "PENDING")));
        w.accept_invitation = false;
        assert!(plan(&s, &w)
            .unwrap_err()
            .to_string()
            .contains("--accept-invitation"));
        s.invitations = Some(vec![invitation(OWNER, "ACCEPTED")]);
        assert!(plan(&s, &w)
            .unwrap_err()
            .to_string()
            .contains("does not include this domain"));
        // The domain's own account needs no share.
        let mut own = seen();
        own.shared.clear();
        own.account = OWNER.into();
        assert_eq!(
            plan(&own, &want(false)).unwrap().steps,
            vec![Step::Associate]
        );
    }

    fn associated(vpce: &str, domain: &DomainArn) -> AccessAssociation {
        AccessAssociation {
            arn: format!(
                "arn:aws:apigateway:us-east-1:{ME}:/domainnameaccessassociations/domainname/{}/vpcesource/{vpce}",
                domain.name_and_id()
            ),
            domain_arn: domain.to_string(),
            source: vpce.into(),
            source_type: "VPCE".into(),
            tags: BTreeMap::new(),
        }
    }

    #[test]
    fn the_plan_names_who_runs_it() {
        let p = plan(&seen(), &want(false)).unwrap();
        assert_eq!(p.plan.identity, format!("arn:aws:iam::{ME}:user/c"));
    }

    /// The endpoint's association is the one of this endpoint AND this
    /// domain: another endpoint's with this domain, or this endpoint's with
    /// another domain, is never taken for it.
    #[test]
    fn only_this_endpoints_association_with_this_domain_is_reused() {
        let other_domain =
            DomainArn::new("aws", "us-east-1", OWNER, "other.example.com", "ffff0000");
        let mut s = seen();
        s.associations = vec![
            associated("vpce-0ddd3333eeee4444f", &arn("abcd1234")),
            associated(V, &other_domain),
        ];
        let p = plan(&s, &want(false)).unwrap();
        assert_eq!(p.steps, vec![Step::Associate], "{:?}", p.plan);
        s.associations.push(associated(V, &arn("abcd1234")));
        let p = plan(&s, &want(false)).unwrap();
        assert!(p.steps.is_empty(), "{:?}", p.steps);
    }

    /// One endpoint cannot invoke two private domains of one name: this
    /// endpoint's association with a namesake is refused; another
    /// endpoint's, or this endpoint's with this very domain, is not.
    #[test]
    fn a_namesake_domain_on_this_endpoint_is_refused_and_only_on_it() {
        let namesake = arn("ffff0000");
        let mut s = seen();
        s.associations = vec![associated(V, &namesake)];
        let e = plan(&s, &want(false)).unwrap_err().to_string();
        assert!(
            e.contains("another domain named private.example.com"),
            "{e}"
        );
        assert!(e.contains("ffff0000"), "{e}");
        s.associations = vec![associated("vpce-0ddd3333eeee4444f", &namesake)];
        assert_eq!(plan(&s, &want(false)).unwrap().steps, vec![Step::Associate]);
        s.associations = vec![associated(V, &arn("abcd1234"))];
        assert!(plan(&s, &want(false)).unwrap().steps.is_empty());
    }

    /// The zone that answers for a name is the most specific one whose name
    /// is the name or a parent of it, in any case; a zone whose name merely
    /// ends the same way is not a parent.
    #[test]
    fn the_answering_zone_is_the_most_specific_parent() {
        let zone = |id: &str, name: &str| HostedZone {
            id: id.into(),
            name: name.into(),
        };
        let zones = vec![
            zone("Zcom", "example.com"),
            zone("Zexact", "private.example.com"),
            zone("Zlookalike", "ample.com"),
        ];
        let id = |name: &str| answering_zone(&zones, name).map(|z| z.id.as_str());
        assert_eq!(id("Private.Example.com"), Some("Zexact"));
        assert_eq!(id("api.private.example.com"), Some("Zexact"));
        assert_eq!(id("other.example.com"), Some("Zcom"));
        assert_eq!(id("example.com"), Some("Zcom"));
        assert_eq!(id("badexample.com"), None, "not a parent, only a suffix");
        assert_eq!(id("example.net"), None);
    }

    /// A record of the name that aliases the right target in another
    /// endpoint's zone is not ours: never reused, never re-pointed.
    #[test]
    fn a_record_with_the_right_target_in_another_zone_is_refused() {
        let mut s = seen();
        s.zones.push(HostedZone {
            id: "Z1".into(),
            name: "private.example.com".into(),
        });
        s.records.push(record("A", REGIONAL, "ZOTHER"));
        let e = plan(&s, &want(true)).unwrap_err().to_string();
        assert!(e.contains("does not re-point a record"), "{e}");
    }
}
