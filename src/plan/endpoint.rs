//! `endpoint create` as a pure plan: reuse the live endpoint a VPC already has
//! to the service, or create one; refuse subnets and groups that cannot hold it.

use std::collections::BTreeSet;

use super::{Action, Plan, Planned, Verb};
use crate::aws::ec2::NewEndpoint;
use crate::error::{Error, Result};
use crate::model::{
    CallerIdentity, Endpoint, NetworkInterface, SecurityGroup, Subnet, VpcDns, VpcInterface,
};

/// What `endpoint create` reads before planning.
#[derive(Debug, Clone)]
pub struct Observed {
    pub identity: CallerIdentity,
    /// The subnets asked for.
    pub subnets: Vec<Subnet>,
    /// The security groups asked for.
    pub groups: Vec<SecurityGroup>,
    /// Interface endpoints to the service in the VPC, sorted by id.
    pub existing: Vec<Endpoint>,
    /// Read only when private DNS is asked for.
    pub dns: Option<VpcDns>,
    /// The network interfaces of the [`reusable`] endpoint, for the report.
    pub interfaces: Vec<NetworkInterface>,
    /// Read only when an execute-api endpoint with private DNS is asked for: what else
    /// runs in the VPC, whose calls to public APIs private DNS redirects.
    pub vpc: Option<VpcWorkloads>,
}

/// The VPC's network interfaces and the security groups xapi made there.
#[derive(Debug, Clone, Default)]
pub struct VpcWorkloads {
    pub interfaces: Vec<VpcInterface>,
    /// Groups carrying `xapi:stack`: their interfaces are xapi's (the mTLS proxy's tasks).
    pub xapi_groups: Vec<String>,
}

/// Interface types that never resolve a hostname: endpoints and load balancers (whoever
/// made them) are plumbing, not workloads.
const PLUMBING: &[&str] = &[
    "vpc_endpoint",
    "network_load_balancer",
    "gateway_load_balancer",
    "gateway_load_balancer_endpoint",
    "nat_gateway",
    "transit_gateway",
];

/// The VPC's interfaces that are neither plumbing nor xapi's: the workloads whose
/// `*.execute-api` lookups private DNS changes.
pub fn workloads(vpc: &VpcWorkloads) -> Vec<&VpcInterface> {
    vpc.interfaces
        .iter()
        .filter(|i| !PLUMBING.contains(&i.interface_type.as_str()))
        .filter(|i| !i.group_ids.iter().any(|g| vpc.xapi_groups.contains(g)))
        .collect()
}

/// How many workloads a warning names before it counts the rest.
const NAMED_WORKLOADS: usize = 10;

/// What turning private DNS on for an execute-api endpoint does to the VPC, in words.
fn private_dns_warning(vpc_id: &str, region: &str, seen: Option<&VpcWorkloads>) -> String {
    let mut w = format!(
        "private DNS makes every public *.execute-api.{region}.amazonaws.com hostname called from {vpc_id} \
         resolve to this endpoint: calls from the VPC to public (Regional or edge-optimized) APIs by their \
         execute-api hostname then fail with 403 Forbidden (call those through a custom domain name, or \
         pass --no-private-dns and use the {{api-id}}-{{vpce-id}} hostnames)"
    );
    let Some(seen) = seen else { return w };
    let others = workloads(seen);
    if others.is_empty() {
        w.push_str(&format!("; {vpc_id} has no other workloads now"));
        return w;
    }
    let named: Vec<String> = others
        .iter()
        .take(NAMED_WORKLOADS)
        .map(|i| {
            let what = match (&i.instance_id, i.description.as_str()) {
                (Some(instance), _) => format!("instance {instance}"),
                (None, "") => i.interface_type.clone(),
                (None, d) => d.to_owned(),
            };
            format!("{} ({what})", i.id)
        })
        .collect();
    let more = others.len().saturating_sub(NAMED_WORKLOADS);
    w.push_str(&format!(
        "; workloads in {vpc_id} this affects: {}{}",
        named.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ));
    w
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create the endpoint, then wait until it is available (or waits for its
    /// service's owner to accept it).
    Create(NewEndpoint),
}

/// The endpoint a run reuses: the first live one (by id) to the service in the VPC.
pub fn reusable(existing: &[Endpoint]) -> Option<&Endpoint> {
    existing.iter().find(|e| e.is_live())
}

/// Reuse the VPC's endpoint to the service or create `want`; refuse bad input
/// even when an endpoint exists, so a re-run says what a first run would.
pub fn plan(seen: &Observed, want: &NewEndpoint) -> Result<Planned<Step>> {
    let vpc = want.vpc_id.as_str();
    let service_name = want.service_name.as_str();
    for s in &seen.subnets {
        if s.vpc_id != vpc {
            return Err(Error::BadInput(format!(
                "subnet {} is in {}, not in {vpc}: pass subnets of {vpc}",
                s.id, s.vpc_id
            )));
        }
    }
    let mut zones = BTreeSet::new();
    for s in &seen.subnets {
        if !zones.insert(&s.availability_zone) {
            return Err(Error::BadInput(format!(
                "subnet {} is a second subnet in {}: an endpoint takes one subnet per Availability Zone",
                s.id, s.availability_zone
            )));
        }
    }
    for g in &seen.groups {
        if g.vpc_id != vpc {
            return Err(Error::BadInput(format!(
                "security group {} is in {}, not in {vpc}: pass groups of {vpc}",
                g.id, g.vpc_id
            )));
        }
    }
    let mut plan = Plan {
        identity: seen.identity.arn.clone(),
        ..Plan::default()
    };
    if let Some(found) = reusable(&seen.existing) {
        let mut details = vec![format!(
            "state {}, private DNS {}",
            found.state,
            on_off(found.private_dns_enabled)
        )];
        let wanted = subnet_set(want);
        let has: BTreeSet<&str> = found.subnet_ids.iter().map(String::as_str).collect();
        if wanted != has {
            plan.warnings.push(format!(
                "{} is in subnets {} (asked for {}); xapi does not move an existing endpoint: change it with `aws ec2 modify-vpc-endpoint --vpc-endpoint-id {}`",
                found.id,
                join(&has),
                join(&wanted),
                found.id
            ));
        }
        if found.private_dns_enabled != want.private_dns {
            plan.warnings.push(format!(
                "{} has private DNS {} (asked for {})",
                found.id,
                on_off(found.private_dns_enabled),
                on_off(want.private_dns)
            ));
        }
        if seen.existing.iter().filter(|e| e.is_live()).count() > 1 {
            details.push(format!(
                "the VPC has more than one endpoint to {service_name}; reusing the first"
            ));
        }
        plan.actions.push(Action {
            verb: Verb::Reuse,
            resource: "vpc-endpoint".into(),
            target: found.id.clone(),
            details,
        });
        return Ok(Planned {
            plan,
            steps: Vec::new(),
        });
    }
    if want.private_dns {
        if let Some(dns) = seen.dns {
            if !(dns.support && dns.hostnames) {
                return Err(Error::BadInput(format!(
                    "private DNS needs DNS support and DNS hostnames on {vpc} (support {}, hostnames {}): run `aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dns-hostnames` (and --enable-dns-support), or pass --no-private-dns",
                    on_off(dns.support),
                    on_off(dns.hostnames)
                )));
            }
        }
    }
    let groups = if want.security_group_ids.is_empty() {
        "the VPC's default security group".to_owned()
    } else {
        join(&want.security_group_ids.iter().map(|g| g.as_str()).collect())
    };
    let mut details = vec![
        format!("service {service_name}"),
        format!(
            "subnets {}",
            seen.subnets
                .iter()
                .map(|s| format!("{} ({})", s.id, s.availability_zone))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!("security groups {groups}"),
        format!("private DNS {}", on_off(want.private_dns)),
    ];
    if !want.tags.is_empty() {
        details.push(format!(
            "tags {}",
            want.tags
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    plan.actions.push(Action {
        verb: Verb::Create,
        resource: "vpc-endpoint".into(),
        target: format!("{} in {vpc}", short_service(service_name)),
        details,
    });
    if want.private_dns && short_service(service_name) == "execute-api" {
        let region = service_name.split('.').nth(2).unwrap_or_default();
        plan.warnings
            .push(private_dns_warning(vpc, region, seen.vpc.as_ref()));
    }
    Ok(Planned {
        plan,
        steps: vec![Step::Create(want.clone())],
    })
}

/// `com.amazonaws.us-east-1.execute-api` -> `execute-api`.
pub fn short_service(service_name: &str) -> &str {
    service_name.rsplit('.').next().unwrap_or(service_name)
}

/// How an endpoint differs from the one asked for (after creating it, each
/// difference is a write that did not land as asked); empty when it matches.
pub fn differences(found: &Endpoint, want: &NewEndpoint) -> Vec<String> {
    let wanted = subnet_set(want);
    let has: BTreeSet<&str> = found.subnet_ids.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    if found.vpc_id != want.vpc_id.as_str() {
        problems.push(format!(
            "{} is in VPC {} (asked {})",
            found.id, found.vpc_id, want.vpc_id
        ));
    }
    if found.service_name != want.service_name {
        problems.push(format!(
            "{} connects to {} (asked {})",
            found.id, found.service_name, want.service_name
        ));
    }
    if wanted != has {
        problems.push(format!(
            "{} is in subnets {} (asked {})",
            found.id,
            join(&has),
            join(&wanted)
        ));
    }
    if found.private_dns_enabled != want.private_dns {
        problems.push(format!(
            "{} has private DNS {} (asked {})",
            found.id,
            on_off(found.private_dns_enabled),
            on_off(want.private_dns)
        ));
    }
    problems
}

fn subnet_set(want: &NewEndpoint) -> BTreeSet<&str> {
    want.subnet_ids.iter().map(|s| s.as_str()).collect()
}

pub fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn join(set: &BTreeSet<&str>) -> String {
    set.iter().copied().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const VPC: &str = "vpc-0aaaaaaaaaaaaaaa1";
    const SERVICE: &str = "com.amazonaws.us-east-1.execute-api";

    fn subnet(id: &str, vpc: &str, az: &str) -> Subnet {
        Subnet {
            id: id.into(),
            vpc_id: vpc.into(),
            availability_zone: az.into(),
            availability_zone_id: String::new(),
            cidr_block: "10.0.0.0/24".into(),
        }
    }

    fn want() -> NewEndpoint {
        NewEndpoint {
            vpc_id: VPC.parse().unwrap(),
            service_name: SERVICE.into(),
            subnet_ids: vec![
                "subnet-0aaaaaaaaaaaaaaa1".parse().unwrap(),
                "subnet-0aaaaaaaaaaaaaaa2".parse().unwrap(),
            ],
            security_group_ids: vec!["sg-0aaaaaaaaaaaaaaa1".parse().unwrap()],
            private_dns: true,
            tags: vec!["team=payments".parse().unwrap()],
            client_token: "token-1".into(),
        }
    }

    fn fresh() -> Observed {
        Observed {
            identity: CallerIdentity {
                account: "111111111111".into(),
                arn: "arn:aws:iam::111111111111:role/me".into(),
            },
            subnets: vec![
                subnet("subnet-0aaaaaaaaaaaaaaa1", VPC, "us-east-1a"),
                subnet("subnet-0aaaaaaaaaaaaaaa2", VPC, "us-east-1b"),
            ],
            groups: vec![SecurityGroup {
                id: "sg-0aaaaaaaaaaaaaaa1".into(),
                name: "endpoints".into(),
                vpc_id: VPC.into(),
                egress: vec![],
                ingress: vec![],
                tags: std::collections::BTreeMap::new(),
            }],
            existing: vec![],
            dns: Some(VpcDns {
                support: true,
                hostnames: true,
            }),
            interfaces: vec![],
            vpc: Some(VpcWorkloads::default()),
        }
    }

    fn endpoint(id: &str, state: &str) -> Endpoint {
        Endpoint {
            id: id.into(),
            vpc_id: VPC.into(),
            service_name: SERVICE.into(),
            endpoint_type: "Interface".into(),
            state: state.into(),
            private_dns_enabled: true,
            subnet_ids: vec![
                "subnet-0aaaaaaaaaaaaaaa1".into(),
                "subnet-0aaaaaaaaaaaaaaa2".into(),
            ],
            security_group_ids: vec!["sg-0aaaaaaaaaaaaaaa1".into()],
            network_interface_ids: vec![],
            dns_names: vec![],
            dns_entries: Vec::new(),
            ip_address_type: None,
            policy_document: None,
            owner_id: "111111111111".into(),
            tags: std::collections::BTreeMap::new(),
        }
    }

    fn refusal(seen: &Observed, want: &NewEndpoint) -> String {
        let err = plan(seen, want).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        err.to_string()
    }

    #[test]
    fn nothing_yet_creates_the_endpoint_asked_for() {
        let p = plan(&fresh(), &want()).unwrap();
        assert_eq!(p.steps, vec![Step::Create(want())]);
        let a = &p.plan.actions[..];
        assert_eq!(a.len(), 1);
        assert_eq!(
            (a[0].verb, a[0].resource.as_str(), a[0].target.as_str()),
            (
                Verb::Create,
                "vpc-endpoint",
                "execute-api in vpc-0aaaaaaaaaaaaaaa1"
            )
        );
        assert_eq!(
            a[0].details,
            [
                "service com.amazonaws.us-east-1.execute-api",
                "subnets subnet-0aaaaaaaaaaaaaaa1 (us-east-1a), subnet-0aaaaaaaaaaaaaaa2 (us-east-1b)",
                "security groups sg-0aaaaaaaaaaaaaaa1",
                "private DNS on",
                "tags team=payments",
            ]
        );
        assert_eq!(p.plan.identity, "arn:aws:iam::111111111111:role/me");
        assert_eq!(p.plan.warnings.len(), 1, "{:?}", p.plan.warnings);
        assert!(
            p.plan.warnings[0].contains("*.execute-api.us-east-1.amazonaws.com")
                && p.plan.warnings[0].contains("no other workloads"),
            "{:?}",
            p.plan.warnings
        );

        let mut bare = want();
        bare.security_group_ids.clear();
        bare.tags.clear();
        let p = plan(&fresh(), &bare).unwrap();
        assert!(p.plan.actions[0]
            .details
            .contains(&"security groups the VPC's default security group".to_owned()));
        assert!(!p.plan.actions[0]
            .details
            .iter()
            .any(|d| d.starts_with("tags")));
    }

    fn eni(id: &str, kind: &str, description: &str, groups: &[&str]) -> VpcInterface {
        VpcInterface {
            id: id.into(),
            interface_type: kind.into(),
            description: description.into(),
            instance_id: None,
            group_ids: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn private_dns_names_the_vpc_workloads_it_redirects() {
        let mut seen = fresh();
        seen.vpc = Some(VpcWorkloads {
            interfaces: vec![
                eni(
                    "eni-lambda",
                    "lambda",
                    "AWS Lambda VPC ENI-orders",
                    &["sg-app"],
                ),
                VpcInterface {
                    instance_id: Some("i-0123".into()),
                    ..eni("eni-ec2", "interface", "", &["sg-app"])
                },
                eni(
                    "eni-vpce",
                    "vpc_endpoint",
                    "VPC Endpoint Interface vpce-1",
                    &["sg-e"],
                ),
                eni(
                    "eni-nlb",
                    "network_load_balancer",
                    "ELB net/front-nlb/1",
                    &[],
                ),
                eni("eni-proxy", "interface", "arn:aws:ecs:task", &["sg-xapi"]),
            ],
            xapi_groups: vec!["sg-xapi".into()],
        });
        let p = plan(&seen, &want()).unwrap();
        let w = &p.plan.warnings[0];
        assert!(
            w.contains("eni-lambda (AWS Lambda VPC ENI-orders)")
                && w.contains("eni-ec2 (instance i-0123)"),
            "{w}"
        );
        for plumbing in ["eni-vpce", "eni-nlb", "eni-proxy"] {
            assert!(!w.contains(plumbing), "{plumbing} named: {w}");
        }
        // Many workloads: the first ten and a count.
        seen.vpc.as_mut().unwrap().interfaces = (0..13)
            .map(|i| eni(&format!("eni-{i:02}"), "interface", "app", &[]))
            .collect();
        let w = &plan(&seen, &want()).unwrap().plan.warnings[0];
        assert!(
            w.contains("eni-09 (app)") && !w.contains("eni-10") && w.contains("and 3 more"),
            "{w}"
        );
        // No warning without private DNS, for another service, or for a reused endpoint.
        let mut off = want();
        off.private_dns = false;
        assert!(plan(&seen, &off).unwrap().plan.warnings.is_empty());
        let mut other = want();
        other.service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc".into();
        assert!(plan(&seen, &other).unwrap().plan.warnings.is_empty());
        seen.existing = vec![endpoint("vpce-0aaaaaaaaaaaaaaa1", "available")];
        assert!(plan(&seen, &want()).unwrap().plan.warnings.is_empty());
    }

    #[test]
    fn a_live_endpoint_is_reused_with_no_steps() {
        let mut seen = fresh();
        seen.existing = vec![endpoint("vpce-0aaaaaaaaaaaaaaa1", "available")];
        let p = plan(&seen, &want()).unwrap();
        assert!(p.steps.is_empty());
        assert_eq!(p.plan.actions.len(), 1);
        assert_eq!(p.plan.actions[0].verb, Verb::Reuse);
        assert_eq!(p.plan.actions[0].target, "vpce-0aaaaaaaaaaaaaaa1");
        assert_eq!(
            p.plan.actions[0].details,
            ["state available, private DNS on"]
        );
        assert!(p.plan.warnings.is_empty() && p.plan.is_noop());
    }

    #[test]
    fn dead_endpoints_are_not_reused() {
        let mut seen = fresh();
        seen.existing = vec![
            endpoint("vpce-0aaaaaaaaaaaaaaa1", "deleted"),
            endpoint("vpce-0aaaaaaaaaaaaaaa2", "failed"),
            endpoint("vpce-0aaaaaaaaaaaaaaa3", "rejected"),
        ];
        assert_eq!(plan(&seen, &want()).unwrap().steps.len(), 1);
        assert_eq!(reusable(&seen.existing), None);
        seen.existing
            .push(endpoint("vpce-0aaaaaaaaaaaaaaa4", "pendingAcceptance"));
        let p = plan(&seen, &want()).unwrap();
        assert!(p.steps.is_empty());
        assert_eq!(p.plan.actions[0].target, "vpce-0aaaaaaaaaaaaaaa4");
    }

    #[test]
    fn a_reused_endpoint_that_differs_is_a_warning_not_a_change() {
        let mut seen = fresh();
        let mut found = endpoint("vpce-0aaaaaaaaaaaaaaa1", "available");
        found.subnet_ids.pop();
        found.private_dns_enabled = false;
        seen.existing = vec![found, endpoint("vpce-0aaaaaaaaaaaaaaa2", "available")];
        let p = plan(&seen, &want()).unwrap();
        assert!(p.steps.is_empty());
        let w = p.plan.warnings.join("\n");
        assert!(
            w.contains("vpce-0aaaaaaaaaaaaaaa1 is in subnets subnet-0aaaaaaaaaaaaaaa1 (asked for subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2)")
                && w.contains("modify-vpc-endpoint --vpc-endpoint-id vpce-0aaaaaaaaaaaaaaa1"),
            "{w}"
        );
        assert!(
            w.contains("vpce-0aaaaaaaaaaaaaaa1 has private DNS off (asked for on)"),
            "{w}"
        );
        assert!(p.plan.actions[0].details[1].contains("more than one endpoint"));
    }

    #[test]
    fn subnets_and_groups_of_another_vpc_are_refused() {
        let mut seen = fresh();
        seen.subnets[1].vpc_id = "vpc-0bbbbbbbbbbbbbbb1".into();
        let msg = refusal(&seen, &want());
        assert!(
            msg.contains("subnet subnet-0aaaaaaaaaaaaaaa2 is in vpc-0bbbbbbbbbbbbbbb1"),
            "{msg}"
        );

        let mut seen = fresh();
        seen.groups[0].vpc_id = "vpc-0bbbbbbbbbbbbbbb1".into();
        let msg = refusal(&seen, &want());
        assert!(
            msg.contains("security group sg-0aaaaaaaaaaaaaaa1 is in vpc-0bbbbbbbbbbbbbbb1"),
            "{msg}"
        );

        // Even when an endpoint exists to reuse.
        seen.existing = vec![endpoint("vpce-0aaaaaaaaaaaaaaa1", "available")];
        refusal(&seen, &want());
    }

    #[test]
    fn two_subnets_in_one_zone_are_refused() {
        let mut seen = fresh();
        seen.subnets[1].availability_zone = "us-east-1a".into();
        let msg = refusal(&seen, &want());
        assert!(
            msg.contains("subnet subnet-0aaaaaaaaaaaaaaa2 is a second subnet in us-east-1a"),
            "{msg}"
        );
    }

    #[test]
    fn private_dns_needs_the_vpc_dns_attributes() {
        let mut seen = fresh();
        seen.dns = Some(VpcDns {
            support: true,
            hostnames: false,
        });
        let msg = refusal(&seen, &want());
        assert!(
            msg.contains("support on, hostnames off") && msg.contains("--no-private-dns"),
            "{msg}"
        );
        let mut no_dns = want();
        no_dns.private_dns = false;
        assert_eq!(plan(&seen, &no_dns).unwrap().steps.len(), 1);
        // An existing endpoint is reused whatever the VPC's DNS.
        seen.existing = vec![endpoint("vpce-0aaaaaaaaaaaaaaa1", "available")];
        assert!(plan(&seen, &want()).unwrap().steps.is_empty());
    }

    #[test]
    fn differences_name_each_mismatch() {
        let found = endpoint("vpce-0aaaaaaaaaaaaaaa1", "available");
        assert!(differences(&found, &want()).is_empty());
        let mut off = found.clone();
        off.private_dns_enabled = false;
        off.subnet_ids.pop();
        let d = differences(&off, &want());
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].contains("subnets subnet-0aaaaaaaaaaaaaaa1 (asked"),
            "{d:?}"
        );
        assert!(d[1].contains("private DNS off (asked on)"), "{d:?}");
        assert_eq!(
            short_service("com.amazonaws.vpce.us-east-1.vpce-svc-1"),
            "vpce-svc-1"
        );
    }
}
