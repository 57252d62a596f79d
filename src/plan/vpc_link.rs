//! `vpc-link create` as a pure plan: reuse the link to the network load
//! balancer, waiting for it if it is not AVAILABLE yet, or create one.

use super::{Action, Plan, Planned, Verb};
use crate::error::Result;
use std::collections::BTreeSet;

use crate::cidr;
use crate::error::Error;
use crate::model::{
    IngressRule, LoadBalancer, SecurityGroup, Subnet, VpcLink, ANYWHERE_V4, STACK_TAG,
};

/// What `vpc-link create` reads before planning.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The caller's ARN.
    pub identity: String,
    /// The network load balancer the link is for.
    pub nlb: LoadBalancer,
    /// The link that already targets it, if any.
    pub link: Option<VpcLink>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create a link to the load balancer, then wait until it is AVAILABLE.
    Create { name: String, nlb_arn: String },
    /// Wait until an existing link is AVAILABLE (it fails if the link FAILED).
    AwaitAvailable(VpcLink),
}

pub fn plan(seen: &Observed, name: &str) -> Result<Planned<Step>> {
    let nlb = &seen.nlb;
    let mut plan = Plan {
        identity: seen.identity.clone(),
        ..Plan::default()
    };
    let mut steps = Vec::new();
    match &seen.link {
        Some(l) => {
            let mut details = vec![format!(
                "{} targets {}, status {}",
                l.name, nlb.name, l.status
            )];
            if l.status != "AVAILABLE" {
                details.push("waits until it is AVAILABLE".into());
                steps.push(Step::AwaitAvailable(l.clone()));
            }
            plan.actions.push(Action {
                verb: Verb::Reuse,
                resource: "vpc-link".into(),
                target: l.id.clone(),
                details,
            });
        }
        None => {
            plan.actions.push(Action {
                verb: Verb::Create,
                resource: "vpc-link".into(),
                target: name.to_owned(),
                details: vec![format!("target {}", nlb.arn)],
            });
            steps.push(Step::Create {
                name: name.to_owned(),
                nlb_arn: nlb.arn.clone(),
            });
        }
    }
    if !nlb.state.is_empty() && nlb.state != "active" {
        plan.warnings.push(format!(
            "{} is {}: a link created before its load balancer is active fails",
            nlb.name, nlb.state
        ));
    }
    Ok(Planned { plan, steps })
}

/// The existing link that targets this load balancer, if any (one being deleted does not count).
pub fn link_for<'a>(links: &'a [VpcLink], nlb_arn: &str) -> Option<&'a VpcLink> {
    links
        .iter()
        .find(|l| l.target_arns.iter().any(|t| t == nlb_arn) && l.status != "DELETING")
}

/// A REST API link targets exactly one load balancer: anything else is not the link asked for.
pub fn differences(link: &VpcLink, nlb: &LoadBalancer) -> Vec<String> {
    if link.target_arns == [nlb.arn.as_str()] {
        Vec::new()
    } else {
        vec![format!(
            "VPC link {} targets {}, not {}",
            link.id,
            link.target_arns.join(", "),
            nlb.arn
        )]
    }
}

/// What `vpc-link create --v2` reads before planning.
#[derive(Debug, Clone)]
pub struct ObservedV2 {
    pub identity: String,
    /// The subnets asked for.
    pub subnets: Vec<Subnet>,
    /// The address ranges of the subnets' VPC: where the link's own group
    /// lets TCP 443 out.
    pub vpc_ranges: Vec<String>,
    /// The live v2 link of that name, if any.
    pub link: Option<VpcLink>,
    /// `<name>-link` in the subnets' VPC, looked for when no group is given.
    pub group: Option<SecurityGroup>,
}

/// `vpc-link create --v2`, with every name resolved.
#[derive(Debug, Clone)]
pub struct DesiredV2 {
    pub name: String,
    pub region: String,
    pub subnet_ids: Vec<String>,
    /// `--security-group-id`: the link's groups; none makes `<name>-link`.
    pub security_group_ids: Vec<String>,
    /// The name of the group made when none is given.
    pub group_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepV2 {
    /// Make the link's own group and set its outbound rules.
    Group(GroupSteps),
    /// Create the link under `security_group_ids` and the group just made.
    Create {
        name: String,
        subnet_ids: Vec<String>,
        security_group_ids: Vec<String>,
    },
    /// Wait until an existing link is AVAILABLE (it fails if the link FAILED).
    AwaitAvailable(VpcLink),
}

/// Reuse the v2 link of that name (made by xapi: it carries
/// `xapi:stack=<name>`), waiting for it if it is not AVAILABLE yet, or
/// make it, with its own group unless groups are given.
pub fn plan_v2(seen: &ObservedV2, want: &DesiredV2) -> Result<Planned<StepV2>> {
    let mut plan = Plan {
        identity: seen.identity.clone(),
        ..Plan::default()
    };
    let mut steps = Vec::new();
    if let Some(l) = &seen.link {
        if !crate::stack::carries_stack(&l.tags, &want.name) {
            return Err(Error::BadInput(format!(
                "--name {}: VPC link v2 {} has that name but does not carry {STACK_TAG}={}, so \
                 xapi did not make it: pass another --name",
                want.name, l.id, want.name
            )));
        }
        let mut details = vec![format!("v2, status {}", l.status)];
        if l.status != "AVAILABLE" && l.status != "INACTIVE" {
            details.push("waits until it is AVAILABLE".into());
            steps.push(StepV2::AwaitAvailable(l.clone()));
        }
        plan.actions.push(Action {
            verb: Verb::Reuse,
            resource: "vpc-link".into(),
            target: l.id.clone(),
            details,
        });
        plan.warnings.extend(differences_v2(l, want));
        return Ok(Planned { plan, steps });
    }
    let warnings = check_v2_subnets(&want.region, &seen.subnets)
        .map_err(|e| Error::BadInput(format!("--subnet-id: {e}")))?;
    plan.warnings.extend(warnings);
    let mut groups = want.security_group_ids.clone();
    if groups.is_empty() {
        let vpc = seen
            .subnets
            .first()
            .map(|s| s.vpc_id.as_str())
            .unwrap_or_default();
        let (action, group) = plan_group(
            seen.group.as_ref(),
            false,
            (vpc, &want.group_name),
            &want.name,
            &seen.vpc_ranges,
        )?;
        plan.actions.extend(action);
        groups.extend(group.existing.clone());
        if !group.is_noop() {
            steps.push(StepV2::Group(group));
        }
    }
    plan.actions.push(Action {
        verb: Verb::Create,
        resource: "vpc-link".into(),
        target: want.name.clone(),
        details: vec![format!(
            "v2, interfaces in {} under {}",
            want.subnet_ids.join(", "),
            if want.security_group_ids.is_empty() {
                want.group_name.clone()
            } else {
                want.security_group_ids.join(", ")
            }
        )],
    });
    steps.push(StepV2::Create {
        name: want.name.clone(),
        subnet_ids: want.subnet_ids.clone(),
        security_group_ids: groups,
    });
    Ok(Planned { plan, steps })
}

/// A v2 link cannot change: subnets or groups other than those asked for
/// are said, not fixed.
pub fn differences_v2(link: &VpcLink, want: &DesiredV2) -> Vec<String> {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let mut out = Vec::new();
    if sorted(&link.subnet_ids) != sorted(&want.subnet_ids) {
        out.push(format!(
            "VPC link {} has its interfaces in {}, not {}: a link's subnets cannot change",
            link.id,
            link.subnet_ids.join(", "),
            want.subnet_ids.join(", ")
        ));
    }
    if !want.security_group_ids.is_empty()
        && sorted(&link.security_group_ids) != sorted(&want.security_group_ids)
    {
        out.push(format!(
            "VPC link {} is under {}, not {}: a link's groups cannot change",
            link.id,
            link.security_group_ids.join(", "),
            want.security_group_ids.join(", ")
        ));
    }
    out
}

/// What to do with the security group on a v2 link's interfaces (the one
/// xapi makes when none is given): made, then out TCP 443 to the given
/// ranges and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupSteps {
    /// Make the group: `(vpc id, name)`.
    pub create: Option<(String, String)>,
    /// The group that exists already.
    pub existing: Option<String>,
    /// Let TCP 443 out to these ranges.
    pub egress: Vec<String>,
    /// Remove the all-traffic-to-anywhere rule a new group starts with.
    pub revoke_open_egress: bool,
}

impl GroupSteps {
    pub fn is_noop(&self) -> bool {
        self.create.is_none() && self.egress.is_empty() && !self.revoke_open_egress
    }
}

/// The all-traffic-to-anywhere rule a new group starts with.
fn is_open_egress(r: &IngressRule) -> bool {
    r.protocol == "-1" && r.cidrs.iter().any(|c| c == ANYWHERE_V4)
}

/// Whether a group's outbound rules, other than the open rule the plan
/// removes, let TCP 443 out to `range`.
pub fn lets_443_out_to(group: &SecurityGroup, range: &str) -> bool {
    group
        .egress
        .iter()
        .filter(|r| !is_open_egress(r))
        .any(|r| r.admits_tcp_443() && r.cidrs.iter().any(|c| cidr::contains(c, range)))
}

/// The link group's plan: make it when neither it nor the link exists
/// (a link's groups cannot change, so a group removed by hand is not made
/// again for it), else bring its outbound rules to TCP 443 to `ranges`
/// only. A group under the name without `xapi:stack=stack` is refused.
pub fn plan_group(
    group: Option<&SecurityGroup>,
    link_exists: bool,
    (vpc_id, name): (&str, &str),
    stack: &str,
    ranges: &[String],
) -> Result<(Option<Action>, GroupSteps)> {
    let Some(g) = group else {
        if link_exists {
            return Ok((None, GroupSteps::default()));
        }
        let action = Action {
            verb: Verb::Create,
            resource: "security-group".into(),
            target: name.to_owned(),
            details: vec![format!(
                "for the VPC link's network interfaces: out TCP 443 to {} only",
                ranges.join(", ")
            )],
        };
        let steps = GroupSteps {
            create: Some((vpc_id.to_owned(), name.to_owned())),
            existing: None,
            egress: ranges.to_vec(),
            revoke_open_egress: true,
        };
        return Ok((Some(action), steps));
    };
    if !crate::stack::carries_stack(&g.tags, stack) {
        return Err(Error::BadInput(format!(
            "security group {} ({}) exists but does not carry {STACK_TAG}={stack}: pass another --name",
            g.name, g.id
        )));
    }
    let steps = GroupSteps {
        create: None,
        existing: Some(g.id.clone()),
        egress: ranges
            .iter()
            .filter(|c| !lets_443_out_to(g, c))
            .cloned()
            .collect(),
        revoke_open_egress: g.egress.iter().any(is_open_egress),
    };
    let mut details = Vec::new();
    if steps.revoke_open_egress {
        details.push("remove the rule letting all traffic out to anywhere".to_owned());
    }
    if !steps.egress.is_empty() {
        details.push(format!("let TCP 443 out to {}", steps.egress.join(", ")));
    }
    let verb = if details.is_empty() {
        details.push(g.id.clone());
        Verb::Reuse
    } else {
        Verb::Change
    };
    let action = Action {
        verb,
        resource: "security-group".into(),
        target: name.to_owned(),
        details,
    };
    Ok((Some(action), steps))
}

/// The Availability Zones (by id, the same in every account) where a VPC
/// link v2 can place its interfaces, by Region, as AWS's guide lists them
/// ("Set up VPC links V2", read 2026-12; docs/vpc-link-v2.md). Zones not
/// listed fail CreateVpcLink; Regions not listed are not checked.
pub const V2_ZONES: &[(&str, &[&str])] = &[
    (
        "us-east-1",
        &["use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"],
    ),
    ("us-east-2", &["use2-az1", "use2-az2", "use2-az3"]),
    ("us-west-1", &["usw1-az1", "usw1-az3"]),
    (
        "us-west-2",
        &["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
    ),
    ("ap-east-1", &["ape1-az2", "ape1-az3"]),
    ("ap-south-1", &["aps1-az1", "aps1-az2", "aps1-az3"]),
    ("ap-northeast-2", &["apne2-az1", "apne2-az2", "apne2-az3"]),
    ("ap-southeast-1", &["apse1-az1", "apse1-az2", "apse1-az3"]),
    ("ap-southeast-2", &["apse2-az1", "apse2-az2", "apse2-az3"]),
];

/// Subnets one VPC link v2 may have (an API Gateway quota).
pub const V2_MAX_SUBNETS: usize = 10;

/// Whether `subnets` can hold a v2 link's interfaces: `Err` names the bad
/// value (refused before anything is made, as the link cannot change
/// later); `Ok` carries warnings.
pub fn check_v2_subnets(
    region: &str,
    subnets: &[Subnet],
) -> std::result::Result<Vec<String>, String> {
    if subnets.is_empty() {
        return Err("a VPC link v2 needs at least one subnet".into());
    }
    if subnets.len() > V2_MAX_SUBNETS {
        return Err(format!(
            "{} subnets: a VPC link v2 takes at most {V2_MAX_SUBNETS}",
            subnets.len()
        ));
    }
    let vpcs: BTreeSet<&str> = subnets.iter().map(|s| s.vpc_id.as_str()).collect();
    if vpcs.len() > 1 {
        return Err(format!(
            "subnets {} are in {}: a VPC link v2 lives in one VPC",
            subnets
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            vpcs.into_iter().collect::<Vec<_>>().join(" and ")
        ));
    }
    let mut warnings = Vec::new();
    match V2_ZONES.iter().find(|(r, _)| *r == region) {
        Some((_, zones)) => {
            for s in subnets {
                if !s.availability_zone_id.is_empty()
                    && !zones.contains(&s.availability_zone_id.as_str())
                {
                    return Err(format!(
                        "subnet {} is in {} ({}), where VPC links v2 cannot place interfaces; \
                         {region} supports {}: pass subnets in those zones",
                        s.id,
                        s.availability_zone_id,
                        s.availability_zone,
                        zones.join(", ")
                    ));
                }
            }
        }
        None => warnings.push(format!(
            "xapi carries no list of the zones VPC links v2 support in {region}: a subnet in an \
             unsupported zone makes the link FAILED"
        )),
    }
    let zones: BTreeSet<&str> = subnets
        .iter()
        .map(|s| s.availability_zone.as_str())
        .collect();
    if zones.len() < 2 {
        warnings.push(format!(
            "the VPC link v2's interfaces are all in {}: the front door fails with that zone; \
             pass subnets in two or more zones",
            zones.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NLB: &str =
        "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/n/0123456789abcdef";

    fn seen(link: Option<(&str, &str)>, nlb_state: &str) -> Observed {
        Observed {
            identity: "arn:aws:iam::111111111111:role/me".into(),
            nlb: LoadBalancer {
                security_groups: vec![],
                arn: NLB.into(),
                name: "n".into(),
                dns_name: "n.elb.amazonaws.com".into(),
                scheme: "internal".into(),
                lb_type: "network".into(),
                state: nlb_state.into(),
                vpc_id: "vpc-0aaaaaaaaaaaaaaa1".into(),
                subnet_ids: vec![],
                availability_zones: vec![],
            },
            link: link.map(|(id, status)| VpcLink {
                id: id.into(),
                name: "l".into(),
                target_arns: vec![NLB.into()],
                version: crate::model::LinkVersion::V1,
                subnet_ids: vec![],
                security_group_ids: vec![],
                status: status.into(),
                status_message: None,
                tags: std::collections::BTreeMap::new(),
            }),
        }
    }

    fn subnet(id: &str, vpc: &str, zone: &str, zone_id: &str) -> Subnet {
        Subnet {
            id: id.into(),
            vpc_id: vpc.into(),
            availability_zone: zone.into(),
            availability_zone_id: zone_id.into(),
            cidr_block: "10.0.1.0/24".into(),
        }
    }

    fn seen_v2(link: Option<VpcLink>, group: Option<SecurityGroup>) -> ObservedV2 {
        ObservedV2 {
            identity: "arn:aws:iam::111111111111:role/me".into(),
            subnets: vec![
                subnet("subnet-a", "vpc-1", "us-east-1a", "use1-az6"),
                subnet("subnet-b", "vpc-1", "us-east-1b", "use1-az1"),
            ],
            vpc_ranges: vec!["10.0.0.0/16".into()],
            link,
            group,
        }
    }

    fn want_v2(groups: &[&str]) -> DesiredV2 {
        DesiredV2 {
            name: "l".into(),
            region: "us-east-1".into(),
            subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
            security_group_ids: groups.iter().map(|g| g.to_string()).collect(),
            group_name: "l-link".into(),
        }
    }

    fn link_v2(status: &str, tagged: bool) -> VpcLink {
        VpcLink {
            id: "v2link".into(),
            name: "l".into(),
            version: crate::model::LinkVersion::V2,
            target_arns: vec![],
            subnet_ids: vec!["subnet-b".into(), "subnet-a".into()],
            security_group_ids: vec!["sg-1".into()],
            status: status.into(),
            status_message: None,
            tags: if tagged {
                std::collections::BTreeMap::from([(STACK_TAG.to_owned(), "l".to_owned())])
            } else {
                std::collections::BTreeMap::new()
            },
        }
    }

    #[test]
    fn a_new_v2_link_gets_its_own_group_unless_groups_are_given() {
        let p = plan_v2(&seen_v2(None, None), &want_v2(&[])).unwrap();
        assert_eq!(
            p.steps,
            [
                StepV2::Group(GroupSteps {
                    create: Some(("vpc-1".into(), "l-link".into())),
                    existing: None,
                    egress: vec!["10.0.0.0/16".into()],
                    revoke_open_egress: true,
                }),
                StepV2::Create {
                    name: "l".into(),
                    subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
                    security_group_ids: vec![],
                }
            ]
        );
        let kinds: Vec<(Verb, &str)> = p
            .plan
            .actions
            .iter()
            .map(|a| (a.verb, a.resource.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [(Verb::Create, "security-group"), (Verb::Create, "vpc-link")]
        );
        // Given groups: no group of its own.
        let p = plan_v2(&seen_v2(None, None), &want_v2(&["sg-9"])).unwrap();
        assert_eq!(
            p.steps,
            [StepV2::Create {
                name: "l".into(),
                subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
                security_group_ids: vec!["sg-9".into()],
            }]
        );
        assert!(p
            .plan
            .actions
            .iter()
            .all(|a| a.resource != "security-group"));
    }

    #[test]
    fn an_existing_v2_link_is_reused_awaited_or_refused() {
        let p = plan_v2(
            &seen_v2(Some(link_v2("AVAILABLE", true)), None),
            &want_v2(&[]),
        )
        .unwrap();
        assert!(p.steps.is_empty() && p.plan.is_noop() && p.plan.warnings.is_empty());
        // INACTIVE comes back on its next calls: nothing to wait for here.
        let p = plan_v2(
            &seen_v2(Some(link_v2("INACTIVE", true)), None),
            &want_v2(&[]),
        )
        .unwrap();
        assert!(p.steps.is_empty());
        let pending = link_v2("PENDING", true);
        let p = plan_v2(&seen_v2(Some(pending.clone()), None), &want_v2(&[])).unwrap();
        assert_eq!(p.steps, [StepV2::AwaitAvailable(pending)]);
        // Other groups asked for than it has: said, not fixed.
        let p = plan_v2(
            &seen_v2(Some(link_v2("AVAILABLE", true)), None),
            &want_v2(&["sg-9"]),
        )
        .unwrap();
        assert!(
            p.plan.warnings[0].contains("cannot change"),
            "{:?}",
            p.plan.warnings
        );
        // A namesake xapi did not make.
        let e = plan_v2(
            &seen_v2(Some(link_v2("AVAILABLE", false)), None),
            &want_v2(&[]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("v2link") && e.contains("another --name"), "{e}");
    }

    #[test]
    fn v2_subnets_are_one_vpc_in_supported_zones_at_most_ten() {
        let a = subnet("subnet-a", "vpc-1", "us-east-1a", "use1-az6");
        let b = subnet("subnet-b", "vpc-1", "us-east-1b", "use1-az1");
        assert_eq!(
            check_v2_subnets("us-east-1", &[a.clone(), b.clone()]),
            Ok(vec![])
        );
        // us-east-1's use1-az3 holds no v2 link: refused, naming it.
        let e = subnet("subnet-e", "vpc-1", "us-east-1e", "use1-az3");
        let err = check_v2_subnets("us-east-1", &[a.clone(), e]).unwrap_err();
        assert!(
            err.contains("subnet-e") && err.contains("use1-az3"),
            "{err}"
        );
        // Two VPCs.
        let other = subnet("subnet-o", "vpc-2", "us-east-1b", "use1-az1");
        let err = check_v2_subnets("us-east-1", &[a.clone(), other]).unwrap_err();
        assert!(err.contains("vpc-1 and vpc-2"), "{err}");
        // Eleven subnets.
        let many: Vec<Subnet> = (0..11).map(|_| a.clone()).collect();
        assert!(check_v2_subnets("us-east-1", &many)
            .unwrap_err()
            .contains("11 subnets"));
        assert!(check_v2_subnets("us-east-1", &many[..10]).is_ok());
        assert!(check_v2_subnets("us-east-1", &[]).is_err());
        // One zone warns; an unlisted Region warns that it was not checked.
        let w = check_v2_subnets("us-east-1", std::slice::from_ref(&a)).unwrap();
        assert!(w[0].contains("us-east-1a"), "{w:?}");
        let w = check_v2_subnets("eu-west-1", &[a, b]).unwrap();
        assert!(w[0].contains("eu-west-1"), "{w:?}");
    }

    #[test]
    fn no_link_yet_creates_one_to_the_load_balancer() {
        let p = plan(&seen(None, "active"), "l").unwrap();
        assert_eq!(
            p.steps,
            [Step::Create {
                name: "l".into(),
                nlb_arn: NLB.into()
            }]
        );
        let a = &p.plan.actions[0];
        assert_eq!((a.verb, a.target.as_str()), (Verb::Create, "l"));
        assert_eq!(a.details, [format!("target {NLB}")]);
        assert!(p.plan.warnings.is_empty());
        assert_eq!(p.plan.identity, "arn:aws:iam::111111111111:role/me");
    }

    #[test]
    fn an_available_link_is_reused_with_no_steps() {
        let p = plan(&seen(Some(("lnk1", "AVAILABLE")), "active"), "other").unwrap();
        assert!(p.steps.is_empty() && p.plan.is_noop());
        assert_eq!(p.plan.actions[0].target, "lnk1");
        assert_eq!(p.plan.actions[0].details, ["l targets n, status AVAILABLE"]);
    }

    #[test]
    fn a_link_on_its_way_is_reused_and_awaited() {
        for status in ["PENDING", "FAILED"] {
            let s = seen(Some(("lnk1", status)), "active");
            let p = plan(&s, "l").unwrap();
            assert_eq!(p.steps, [Step::AwaitAvailable(s.link.clone().unwrap())]);
            assert_eq!(p.plan.actions[0].verb, Verb::Reuse);
            assert_eq!(p.plan.actions[0].details[1], "waits until it is AVAILABLE");
        }
    }

    #[test]
    fn a_load_balancer_that_is_not_active_is_a_warning() {
        let p = plan(&seen(None, "provisioning"), "l").unwrap();
        assert_eq!(
            p.plan.warnings,
            ["n is provisioning: a link created before its load balancer is active fails"]
        );
        assert!(plan(&seen(None, ""), "l").unwrap().plan.warnings.is_empty());
    }

    #[test]
    fn a_link_to_more_than_the_load_balancer_differs() {
        let s = seen(Some(("lnk1", "AVAILABLE")), "active");
        let mut link = s.link.clone().unwrap();
        assert!(differences(&link, &s.nlb).is_empty());
        link.target_arns.push("arn:other".into());
        assert_eq!(
            differences(&link, &s.nlb),
            [format!("VPC link lnk1 targets {NLB}, arn:other, not {NLB}")]
        );
    }

    #[test]
    fn finds_the_live_link_to_the_load_balancer() {
        let link = |id: &str, target: &str, status: &str| VpcLink {
            id: id.into(),
            name: id.into(),
            target_arns: vec![target.into()],
            version: crate::model::LinkVersion::V1,
            subnet_ids: vec![],
            security_group_ids: vec![],
            status: status.into(),
            status_message: None,
            tags: std::collections::BTreeMap::new(),
        };
        let links = [
            link("other", "arn:nlb/b", "AVAILABLE"),
            link("gone", "arn:nlb/a", "DELETING"),
            link("mine", "arn:nlb/a", "PENDING"),
        ];
        assert_eq!(
            link_for(&links, "arn:nlb/a").map(|l| l.id.as_str()),
            Some("mine")
        );
        assert!(link_for(&links[..2], "arn:nlb/a").is_none());
        assert!(link_for(&links, "arn:nlb/c").is_none());
    }
}
