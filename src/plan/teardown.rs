//! `teardown` as a pure plan: of everything that carries a stack's tag, which
//! resources xapi made (and so deletes, users before what they use) and which
//! only carry the tag.
//!
//! A tag is only a claim anyone can make, so a resource is xapi's when it
//! carries the stack's `xapi:stack` tag AND has the name xapi derives for
//! that stack (REST APIs: xapi's description marker; endpoint services: the
//! stack's load balancer). Anything else with the tag is listed as "not
//! deleted: not made by xapi".
//!
//! Two operators may give two stacks the same name, so ownership also needs
//! the stack's `xapi:stack-id`: the one `--stack-id` names, else the only one
//! the name's resources carry (two are refused). A resource without an id was
//! made by an xapi older than stack ids: it counts as the stack's only while no
//! second id shares the name. And an ingress rule another xapi stack relies on
//! (its load balancer's subnet is in the rule's range and its targets are
//! interfaces in the rule's group) is kept and listed, whoever added it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::step::Step;
pub use super::step::{Kind, SecretDeletion, StackResource};
use super::{Action, Assessed, Plan, Planned, Verb};
use crate::aws::apigw::FRONT_DESCRIPTION;
use crate::cidr;
use crate::error::{Error, Result};
use crate::model::{EndpointConnection, STACK_ID_TAG, STACK_TAG};
use crate::stack::StackNames;

/// A resource that carries the stack's tag, with what tells xapi's own from a namesake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    pub resource: StackResource,
    /// A REST API's description; the names of an endpoint service's load
    /// balancers; nothing for kinds judged by their name alone.
    pub markers: Vec<String>,
    /// Its `xapi:stack-id`; `None` when made by an xapi older than stack ids.
    pub stack_id: Option<String>,
}

/// A resource teardown leaves, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct NotDeleted {
    #[serde(flatten)]
    pub resource: StackResource,
    pub reason: String,
}

/// A load balancer of some xapi stack (maybe this one), as far as telling
/// whether it sends traffic through an ingress rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Peer {
    pub stack: String,
    pub stack_id: Option<String>,
    pub load_balancer: String,
    /// The IPv4 ranges of its subnets: where its traffic comes from.
    pub subnet_cidrs: Vec<String>,
    /// The addresses its stack's target groups send to.
    pub target_ips: Vec<String>,
}

/// What an ingress rule admits and whom it guards.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleUse {
    pub cidr: Option<String>,
    /// The addresses of the interfaces in the rule's security group.
    pub group_addresses: Vec<String>,
}

/// What `teardown` reads before planning.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// The caller's ARN.
    pub identity: String,
    /// Every live resource that carries `xapi:stack=<stack>`.
    pub tagged: Vec<Tagged>,
    /// Consumer connections of each tagged endpoint service, by service id;
    /// `Err` says why they could not be listed.
    pub connections: BTreeMap<String, std::result::Result<Vec<EndpointConnection>, String>>,
    /// Every xapi stack's load balancers, read when the stack has ingress rules.
    pub peers: Vec<Peer>,
    /// The stack's tagged ingress rules, by rule id.
    pub rules: BTreeMap<String, RuleUse>,
}

#[derive(Debug, Clone)]
pub struct Desired {
    pub stack: String,
    /// `--stack-id`: which of the stacks sharing the name to delete.
    pub stack_id: Option<String>,
    pub secrets: SecretDeletion,
}

impl NotDeleted {
    /// `not deleted: <kind> <name> (<id>): <reason>`, as plans and tables say it.
    pub fn line(&self) -> String {
        let r = &self.resource;
        format!(
            "not deleted: {} {} ({}): {}",
            r.kind.label(),
            r.name,
            r.id,
            self.reason
        )
    }
}

/// Whether a resource tagged with the stack is one xapi made for it, judged
/// by the name xapi derives for the stack (or, where a resource has no
/// derivable name, by `marker`: a REST API's description, the name of an
/// endpoint service's load balancer).
pub fn made_by_xapi(kind: Kind, name: &str, marker: Option<&str>, stack: &str) -> bool {
    let n = StackNames::of(stack);
    match kind {
        Kind::RestApi => marker == Some(FRONT_DESCRIPTION),
        // A domain's name is the user's; xapi makes only PRIVATE ones (and
        // the stack id, checked for every kind, must be the stack's).
        Kind::DomainName => marker == Some(PRIVATE_DOMAIN),
        // Associations have no name; xapi tags the ones it makes.
        Kind::AccessAssociation => true,
        // Zones take no tags at creation: xapi's carry the stack's comment.
        Kind::HostedZone => marker == Some(n.zone_comment.as_str()),
        Kind::ResourceShare => name == n.domain_share,
        Kind::VpcLink | Kind::VpcLinkV2 => name == n.vpc_link,
        Kind::LoadBalancer => name == n.load_balancer,
        Kind::TargetGroup => name == n.target_group,
        Kind::EcsCluster => name == n.cluster,
        Kind::EcsService => name == n.service,
        Kind::TaskDefinition => name.split(':').next() == Some(n.task_family.as_str()),
        Kind::Secret => name == n.secret,
        Kind::SecurityGroup => name == n.security_group || name == n.link_security_group,
        Kind::EndpointService => marker == Some(n.load_balancer.as_str()),
        // Ingress rules have no name; xapi tags the ones it adds to the
        // endpoint's group, and revoking one deletes no resource.
        Kind::SecurityGroupRule => true,
    }
}

/// A domain's marker when it is a private one.
pub const PRIVATE_DOMAIN: &str = "PRIVATE";

/// `arn:...:loadbalancer/net/NAME/ID` -> `NAME`.
pub fn elb_name(arn: &str) -> Option<&str> {
    arn.rsplit_once(":loadbalancer/")?.1.split('/').nth(1)
}

/// Which stack id teardown deletes: the one asked for, else the only one the name's
/// resources carry; `None` when none carries one.
pub fn chosen_id(seen: &Observed, want: &Desired) -> Result<Option<String>> {
    let stack = want.stack.as_str();
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &seen.tagged {
        if let Some(id) = &t.stack_id {
            *ids.entry(id).or_default() += 1;
        }
    }
    let found = || {
        ids.iter()
            .map(|(id, n)| format!("{STACK_ID_TAG}={id} ({n} resources)"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (&want.stack_id, ids.len()) {
        // Asked for by id: whatever carries it (nothing, once it is gone).
        (Some(asked), _) => Ok(Some(asked.clone())),
        (None, 0) => Ok(None),
        (None, 1) => Ok(ids.keys().next().map(|id| id.to_string())),
        (None, _) => Err(Error::BadInput(format!(
            "{} stacks are named {stack}: {}; pass --stack-id ID to say which to delete \
             (each deploy reports its stack_id); nothing was deleted",
            ids.len(),
            found()
        ))),
    }
}

/// The tagged resources split into what xapi made for this stack, in deletion
/// order, and what teardown leaves, with the reason.
pub fn classify(seen: &Observed, want: &Desired) -> Result<(Vec<StackResource>, Vec<NotDeleted>)> {
    let stack = want.stack.as_str();
    let chosen = chosen_id(seen, want)?;
    let ids: std::collections::BTreeSet<&str> = seen
        .tagged
        .iter()
        .filter_map(|t| t.stack_id.as_deref())
        .collect();
    // Resources without an id count as this stack's only when the name is not shared and,
    // when an id was asked for, something carries it.
    let shared = ids.len() > 1
        || want
            .stack_id
            .as_deref()
            .is_some_and(|asked| !ids.contains(asked));
    // This stack's: its id, or no id at all while no second stack shares the name.
    let this_stack = |name: &str, id: Option<&str>| {
        name == stack
            && match id {
                Some(id) => chosen.as_deref() == Some(id),
                None => !shared,
            }
    };
    let (mut owned, mut foreign) = (Vec::new(), Vec::new());
    for t in &seen.tagged {
        let r = &t.resource;
        let leave = |reason: String| NotDeleted {
            resource: r.clone(),
            reason,
        };
        if !this_stack(stack, t.stack_id.as_deref()) {
            foreign.push(leave(match &t.stack_id {
                Some(id) => format!(
                    "belongs to another stack named {stack} ({STACK_ID_TAG}={id})"
                ),
                None => format!(
                    "carries no {STACK_ID_TAG} (made by an older xapi) while another stack shares the name {stack}, \
                     so it cannot be told whose it is; delete it by hand if it is this stack's"
                ),
            }));
            continue;
        }
        let mine = match r.kind {
            Kind::EndpointService => t
                .markers
                .iter()
                .any(|lb| made_by_xapi(r.kind, &r.name, Some(lb), stack)),
            _ => made_by_xapi(
                r.kind,
                &r.name,
                t.markers.first().map(String::as_str),
                stack,
            ),
        };
        if !mine {
            foreign.push(leave(format!(
                "not made by xapi: it carries {STACK_TAG}={stack} but not the name xapi gives it"
            )));
            continue;
        }
        let relied_on = (r.kind == Kind::SecurityGroupRule)
            .then(|| seen.rules.get(&r.id))
            .flatten()
            .and_then(|rule| {
                seen.peers
                    .iter()
                    .find(|p| !this_stack(&p.stack, p.stack_id.as_deref()) && relies_on(p, rule))
            });
        match relied_on {
            Some(p) => foreign.push(leave(format!(
                "stack {}{} relies on it: its load balancer {} sends from a subnet this rule admits to addresses in {}",
                p.stack,
                p.stack_id
                    .as_ref()
                    .map(|id| format!(" ({STACK_ID_TAG}={id})"))
                    .unwrap_or_default(),
                p.load_balancer,
                r.parent.as_deref().unwrap_or("its security group")
            ))),
            None => owned.push(r.clone()),
        }
    }
    owned.sort();
    foreign.sort();
    Ok((owned, foreign))
}

/// Whether the peer's traffic passes the rule: it comes from a subnet inside the rule's
/// range and goes to an interface of the rule's group.
fn relies_on(p: &Peer, rule: &RuleUse) -> bool {
    let Some(range) = rule.cidr.as_deref() else {
        return false;
    };
    p.subnet_cidrs.iter().any(|c| cidr::contains(range, c))
        && p.target_ips
            .iter()
            .any(|ip| rule.group_addresses.contains(ip))
}

/// Delete what xapi made for the stack, users first; say what is spared and
/// which consumer connections are cut on the way.
pub fn plan(seen: &Observed, want: &Desired) -> Result<Assessed<Step, Vec<NotDeleted>>> {
    let (owned, foreign) = classify(seen, want)?;
    let mut warnings: Vec<String> = foreign.iter().map(NotDeleted::line).collect();
    if let Some(asked) = &want.stack_id {
        if !seen
            .tagged
            .iter()
            .any(|t| t.stack_id.as_deref() == Some(asked.as_str()))
        {
            warnings.insert(
                0,
                format!(
                    "no resource of stack {stack} carries {STACK_ID_TAG}={asked}",
                    stack = want.stack
                ),
            );
        }
    }
    let mut actions = Vec::new();
    let mut steps = Vec::new();
    for r in owned {
        let mut details = vec![r.id.clone()];
        let parent = r.parent.clone().unwrap_or_default();
        let step = match r.kind {
            Kind::AccessAssociation => Step::DeleteAccessAssociation(r.clone()),
            Kind::HostedZone => Step::DeleteHostedZone(r.clone()),
            Kind::ResourceShare => Step::DeleteResourceShare(r.clone()),
            Kind::DomainName => Step::DeleteDomainName(r.clone()),
            Kind::RestApi => Step::DeleteRestApi(r.clone()),
            Kind::VpcLink => Step::DeleteVpcLink(r.clone()),
            Kind::VpcLinkV2 => Step::DeleteVpcLinkV2(r.clone()),
            Kind::EndpointService => Step::DeleteEndpointService {
                service: r.clone(),
                reject: rejects(seen, &r.id, &mut warnings),
            },
            Kind::EcsService => Step::DeleteEcsService {
                service: r.clone(),
                cluster: parent,
            },
            Kind::LoadBalancer => Step::DeleteLoadBalancer(r.clone()),
            Kind::TargetGroup => Step::DeleteTargetGroup(r.clone()),
            Kind::EcsCluster => Step::DeleteEcsCluster(r.clone()),
            Kind::TaskDefinition => Step::DeregisterTaskDefinition(r.clone()),
            Kind::Secret => {
                details.push(match want.secrets {
                    SecretDeletion::Recoverable(days) => format!(
                        "scheduled: restorable for {days} days with `aws secretsmanager restore-secret`"
                    ),
                    SecretDeletion::Immediate => "deleted at once, not restorable".into(),
                });
                Step::DeleteSecret {
                    secret: r.clone(),
                    deletion: want.secrets,
                }
            }
            Kind::SecurityGroupRule => Step::RevokeIngressRule {
                rule: r.clone(),
                group: parent,
            },
            Kind::SecurityGroup => Step::DeleteSecurityGroup(r.clone()),
        };
        actions.push(Action {
            verb: Verb::Delete,
            resource: r.kind.label().into(),
            target: r.name.clone(),
            details,
        });
        steps.push(step);
    }
    Ok(Assessed {
        planned: Planned {
            plan: Plan {
                identity: seen.identity.clone(),
                actions,
                warnings,
            },
            steps,
        },
        facts: foreign,
    })
}

/// The consumer endpoints whose connections block deleting the endpoint
/// service `id`, said in a warning (as is not knowing them).
fn rejects(seen: &Observed, id: &str, warnings: &mut Vec<String>) -> Vec<String> {
    match seen.connections.get(id) {
        Some(Ok(conns)) => {
            let live: Vec<&EndpointConnection> =
                conns.iter().filter(|c| blocks_deletion(c)).collect();
            if !live.is_empty() {
                warnings.push(format!(
                    "endpoint service {id} has live consumer connections, which teardown rejects first: {}",
                    live.iter()
                        .map(|c| format!("{} ({}, {})", c.vpce_id, c.owner, c.state))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            live.iter().map(|c| c.vpce_id.clone()).collect()
        }
        Some(Err(e)) => {
            warnings.push(format!(
                "could not list the consumer connections of endpoint service {id} ({e}); if deleting it fails, \
                 reject them with `aws ec2 reject-vpc-endpoint-connections --service-id {id} --vpc-endpoint-ids ID`"
            ));
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// AWS refuses to delete an endpoint service while a connection is in any other state.
fn blocks_deletion(c: &EndpointConnection) -> bool {
    !["rejected", "deleting", "deleted", "failed", "expired"]
        .iter()
        .any(|s| c.state.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(kind: Kind, id: &str, name: &str) -> StackResource {
        StackResource {
            kind,
            id: id.into(),
            name: name.into(),
            parent: None,
        }
    }

    fn tagged(kind: Kind, id: &str, name: &str, markers: &[&str]) -> Tagged {
        Tagged {
            resource: res(kind, id, name),
            markers: markers.iter().map(|m| m.to_string()).collect(),
            stack_id: None,
        }
    }

    fn want(secrets: SecretDeletion) -> Desired {
        Desired {
            stack: "orders".into(),
            stack_id: None,
            secrets,
        }
    }

    /// A whole mTLS stack as `mtls deploy` leaves it, listed out of order.
    fn deployed() -> Observed {
        Observed {
            identity: "arn:aws:iam::111111111111:role/me".into(),
            tagged: vec![
                tagged(Kind::SecurityGroup, "sg-1", "orders-mtls-proxy", &[]),
                tagged(Kind::Secret, "arn:secret", "xapi/mtls/orders", &[]),
                tagged(Kind::LoadBalancer, "arn:lb", "orders-nlb", &[]),
                tagged(
                    Kind::EndpointService,
                    "vpce-svc-1",
                    "com.svc",
                    &["orders-nlb"],
                ),
                tagged(Kind::TargetGroup, "arn:tg", "orders-tg", &[]),
                tagged(Kind::EcsCluster, "arn:cluster", "orders-mtls", &[]),
                Tagged {
                    resource: StackResource {
                        parent: Some("arn:cluster".into()),
                        ..res(Kind::EcsService, "arn:svc", "orders-mtls-proxy")
                    },
                    markers: vec![],
                    stack_id: None,
                },
                tagged(Kind::TaskDefinition, "arn:td", "orders-mtls-proxy:2", &[]),
            ],
            connections: BTreeMap::from([("vpce-svc-1".into(), Ok(vec![]))]),
            ..Observed::default()
        }
    }

    fn kinds(p: &Planned<Step>) -> Vec<Kind> {
        p.steps.iter().map(|s| s.deleted().unwrap().kind).collect()
    }

    #[test]
    fn only_the_names_xapi_derives_count_as_its_own() {
        let s = "orders";
        for (kind, name) in [
            (Kind::LoadBalancer, "orders-nlb"),
            (Kind::TargetGroup, "orders-tg"),
            (Kind::VpcLink, "orders"),
            (Kind::EcsCluster, "orders-mtls"),
            (Kind::EcsService, "orders-mtls-proxy"),
            (Kind::TaskDefinition, "orders-mtls-proxy:3"),
            (Kind::Secret, "xapi/mtls/orders"),
            (Kind::SecurityGroup, "orders-mtls-proxy"),
        ] {
            assert!(made_by_xapi(kind, name, None, s), "{kind:?} {name}");
        }
        for (kind, name) in [
            (Kind::LoadBalancer, "someone-elses-nlb"),
            (Kind::TargetGroup, "orders-tg2"),
            (Kind::Secret, "payments/db-password"),
            (Kind::TaskDefinition, "orders-mtls-proxy-x:1"),
            (Kind::EcsCluster, "orders"),
        ] {
            assert!(!made_by_xapi(kind, name, None, s), "{kind:?} {name}");
        }
        assert!(made_by_xapi(
            Kind::RestApi,
            "any name",
            Some(FRONT_DESCRIPTION),
            s
        ));
        assert!(!made_by_xapi(Kind::RestApi, "orders", None, s));
        assert!(!made_by_xapi(Kind::RestApi, "orders", Some("mine"), s));
        // xapi makes only private domains: a public one carrying the tag is not its own.
        assert!(made_by_xapi(
            Kind::DomainName,
            "private.example.com",
            Some(PRIVATE_DOMAIN),
            s
        ));
        for marker in [Some("REGIONAL"), Some("EDGE"), None] {
            assert!(!made_by_xapi(
                Kind::DomainName,
                "private.example.com",
                marker,
                s
            ));
        }
        assert!(made_by_xapi(
            Kind::EndpointService,
            "svc",
            Some("orders-nlb"),
            s
        ));
        assert!(!made_by_xapi(
            Kind::EndpointService,
            "svc",
            Some("other-nlb"),
            s
        ));
        assert_eq!(
            elb_name("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/orders-nlb/abc"),
            Some("orders-nlb")
        );
    }

    #[test]
    fn a_stack_is_deleted_users_first() {
        let p = plan(&deployed(), &want(SecretDeletion::Recoverable(7)))
            .unwrap()
            .planned;
        assert_eq!(
            kinds(&p),
            [
                Kind::EndpointService,
                Kind::EcsService,
                Kind::LoadBalancer,
                Kind::TargetGroup,
                Kind::EcsCluster,
                Kind::TaskDefinition,
                Kind::Secret,
                Kind::SecurityGroup,
            ]
        );
        assert_eq!(p.plan.actions.len(), p.steps.len());
        assert!(p.plan.actions.iter().all(|a| a.verb == Verb::Delete));
        assert_eq!(p.plan.actions[2].resource, "load-balancer");
        assert_eq!(p.plan.actions[2].target, "orders-nlb");
        assert_eq!(p.plan.actions[2].details, ["arn:lb"]);
        assert!(p.plan.warnings.is_empty());
        assert_eq!(
            p.steps[1],
            Step::DeleteEcsService {
                service: StackResource {
                    parent: Some("arn:cluster".into()),
                    ..res(Kind::EcsService, "arn:svc", "orders-mtls-proxy")
                },
                cluster: "arn:cluster".into(),
            },
            "a service step names its cluster"
        );
    }

    #[test]
    fn nothing_tagged_plans_nothing() {
        let p = plan(&Observed::default(), &want(SecretDeletion::Immediate))
            .unwrap()
            .planned;
        assert!(p.steps.is_empty() && p.plan.actions.is_empty() && p.plan.warnings.is_empty());
    }

    #[test]
    fn what_only_carries_the_tag_is_spared_and_said_so() {
        let seen = Observed {
            tagged: vec![
                tagged(Kind::LoadBalancer, "arn:theirs", "someone-elses-nlb", &[]),
                tagged(
                    Kind::RestApi,
                    "api1",
                    "orders",
                    &["the payments team's API"],
                ),
                tagged(Kind::RestApi, "api2", "front", &[FRONT_DESCRIPTION]),
                tagged(
                    Kind::EndpointService,
                    "vpce-svc-2",
                    "com.other",
                    &["other-nlb"],
                ),
            ],
            ..Observed::default()
        };
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7)))
            .unwrap()
            .planned;
        assert_eq!(
            p.steps,
            [Step::DeleteRestApi(res(Kind::RestApi, "api2", "front"))]
        );
        let (owned, foreign) = classify(&seen, &want(SecretDeletion::Recoverable(7))).unwrap();
        assert_eq!(owned.len(), 1);
        assert_eq!(
            foreign
                .iter()
                .map(|r| r.resource.id.as_str())
                .collect::<Vec<_>>(),
            ["api1", "vpce-svc-2", "arn:theirs"]
        );
        assert_eq!(p.plan.warnings.len(), 3);
        assert_eq!(
            p.plan.warnings[0],
            "not deleted: rest-api orders (api1): not made by xapi: it carries xapi:stack=orders but not the name xapi gives it"
        );
    }

    fn with_id(mut t: Tagged, id: &str) -> Tagged {
        t.stack_id = Some(id.into());
        t
    }

    fn rule(id: &str, group: &str) -> Tagged {
        Tagged {
            resource: StackResource {
                parent: Some(group.into()),
                ..res(
                    Kind::SecurityGroupRule,
                    id,
                    &format!("ingress rule on {group}"),
                )
            },
            markers: vec![],
            stack_id: None,
        }
    }

    /// Two operators each wired a front door named `orders` (different ids).
    fn two_operators() -> Observed {
        Observed {
            tagged: vec![
                with_id(
                    tagged(Kind::LoadBalancer, "arn:lb-a", "orders-nlb", &[]),
                    "aaaa",
                ),
                with_id(
                    tagged(Kind::RestApi, "api-a", "orders", &[FRONT_DESCRIPTION]),
                    "aaaa",
                ),
                with_id(rule("sgr-a", "sg-endpoint-a"), "aaaa"),
                with_id(
                    tagged(Kind::RestApi, "api-b", "orders", &[FRONT_DESCRIPTION]),
                    "bbbb",
                ),
                with_id(tagged(Kind::VpcLink, "link-b", "orders", &[]), "bbbb"),
                with_id(rule("sgr-b", "sg-endpoint-b"), "bbbb"),
                tagged(Kind::TargetGroup, "arn:tg-old", "orders-tg", &[]),
            ],
            ..Observed::default()
        }
    }

    #[test]
    fn two_stacks_of_one_name_are_told_apart_by_their_ids() {
        let seen = two_operators();
        let err = plan(&seen, &want(SecretDeletion::Recoverable(7))).unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        assert!(
            msg.contains("2 stacks are named orders")
                && msg.contains("xapi:stack-id=aaaa (3 resources)")
                && msg.contains("xapi:stack-id=bbbb (3 resources)")
                && msg.contains("--stack-id"),
            "{msg}"
        );
        let mut a = want(SecretDeletion::Recoverable(7));
        a.stack_id = Some("aaaa".into());
        let p = plan(&seen, &a).unwrap().planned;
        let deleted: Vec<&str> = p
            .steps
            .iter()
            .map(|s| s.deleted().unwrap().id.as_str())
            .collect();
        assert_eq!(deleted, ["api-a", "arn:lb-a", "sgr-a"]);
        let (_, left) = classify(&seen, &a).unwrap();
        let left: Vec<(&str, &str)> = left
            .iter()
            .map(|n| (n.resource.id.as_str(), n.reason.as_str()))
            .collect();
        assert_eq!(left.len(), 4, "{left:?}");
        for id in ["api-b", "link-b", "sgr-b"] {
            assert!(
                left.iter().any(|(i, why)| *i == id
                    && why.contains("another stack named orders (xapi:stack-id=bbbb)")),
                "{id}: {left:?}"
            );
        }
        assert!(
            left.iter()
                .any(|(i, why)| *i == "arn:tg-old" && why.contains("older xapi")),
            "{left:?}"
        );
        // The other operator's teardown deletes theirs and leaves these.
        let mut b = a.clone();
        b.stack_id = Some("bbbb".into());
        let p = plan(&seen, &b).unwrap().planned;
        let deleted: Vec<&str> = p
            .steps
            .iter()
            .map(|s| s.deleted().unwrap().id.as_str())
            .collect();
        assert_eq!(deleted, ["api-b", "link-b", "sgr-b"]);
        // An id nobody carries (a typo, or a stack already gone) deletes nothing, not
        // even the resources without an id, and says so.
        let mut c = a.clone();
        c.stack_id = Some("cccc".into());
        let p = plan(&seen, &c).unwrap().planned;
        assert!(p.steps.is_empty(), "{:?}", p.steps);
        assert_eq!(
            p.plan.warnings[0],
            "no resource of stack orders carries xapi:stack-id=cccc"
        );
    }

    #[test]
    fn a_stack_made_before_stack_ids_is_deleted_as_before() {
        let mut seen = deployed();
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7)))
            .unwrap()
            .planned;
        assert_eq!(p.steps.len(), 8);
        // Re-run by a newer xapi: new resources carry an id, old ones none; still one stack.
        seen.tagged[0].stack_id = Some("aaaa".into());
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7)))
            .unwrap()
            .planned;
        assert_eq!(p.steps.len(), 8, "{:?}", p.plan.warnings);
    }

    #[test]
    fn a_rule_another_stack_relies_on_is_kept_and_said_so() {
        // Stacks `orders` and `billing` wired one endpoint (group sg-e, interfaces
        // 10.0.9.10 and 10.0.9.11) through NLBs in the same subnet 10.0.1.0/24; `orders`
        // added the rule, `billing` found the subnet admitted and added none.
        let peer = |stack: &str, id: &str, lb: &str| Peer {
            stack: stack.into(),
            stack_id: Some(id.into()),
            load_balancer: lb.into(),
            subnet_cidrs: vec!["10.0.1.0/24".into()],
            target_ips: vec!["10.0.9.10".into(), "10.0.9.11".into()],
        };
        let mut seen = Observed {
            tagged: vec![
                with_id(
                    tagged(Kind::LoadBalancer, "arn:lb-o", "orders-nlb", &[]),
                    "aaaa",
                ),
                with_id(rule("sgr-1", "sg-e"), "aaaa"),
            ],
            peers: vec![
                peer("orders", "aaaa", "orders-nlb"),
                peer("billing", "cccc", "billing-nlb"),
            ],
            rules: BTreeMap::from([(
                "sgr-1".to_owned(),
                RuleUse {
                    cidr: Some("10.0.0.0/16".into()),
                    group_addresses: vec!["10.0.9.10".into(), "10.0.9.11".into()],
                },
            )]),
            ..Observed::default()
        };
        let w = want(SecretDeletion::Recoverable(7));
        let p = plan(&seen, &w).unwrap().planned;
        assert_eq!(
            p.steps,
            [Step::DeleteLoadBalancer(res(
                Kind::LoadBalancer,
                "arn:lb-o",
                "orders-nlb"
            ))]
        );
        assert!(
            p.plan.warnings.iter().any(|m| m.contains("sgr-1")
                && m.contains("stack billing (xapi:stack-id=cccc) relies on it")
                && m.contains("billing-nlb")),
            "{:?}",
            p.plan.warnings
        );
        // The same name under another id is another stack too.
        seen.peers[1] = peer("orders", "dddd", "orders-nlb-2");
        assert!(plan(&seen, &w).unwrap().planned.steps.len() == 1);
        // Only this stack's own load balancer behind it, or a peer elsewhere: revoked.
        for other in [
            Peer {
                subnet_cidrs: vec!["10.1.0.0/24".into()],
                ..peer("billing", "cccc", "b")
            },
            Peer {
                target_ips: vec!["10.0.7.7".into()],
                ..peer("billing", "cccc", "b")
            },
        ] {
            seen.peers[1] = other;
            let p = plan(&seen, &w).unwrap().planned;
            assert!(
                p.steps.iter().any(|s| s.deleted().unwrap().id == "sgr-1"),
                "{:?}",
                p.plan.warnings
            );
        }
    }

    #[test]
    fn secrets_are_scheduled_or_deleted_as_asked() {
        let seen = deployed();
        for (deletion, detail) in [
            (
                SecretDeletion::Recoverable(30),
                "scheduled: restorable for 30 days with `aws secretsmanager restore-secret`",
            ),
            (SecretDeletion::Immediate, "deleted at once, not restorable"),
        ] {
            let p = plan(&seen, &want(deletion)).unwrap().planned;
            let i = p
                .steps
                .iter()
                .position(|s| s.deleted().unwrap().kind == Kind::Secret)
                .unwrap();
            assert_eq!(
                p.steps[i],
                Step::DeleteSecret {
                    secret: res(Kind::Secret, "arn:secret", "xapi/mtls/orders"),
                    deletion
                }
            );
            assert_eq!(p.plan.actions[i].details, ["arn:secret", detail]);
        }
    }

    #[test]
    fn live_connections_are_rejected_first_and_said_so() {
        let mut seen = deployed();
        let conn = |id: &str, state: &str| EndpointConnection {
            vpce_id: id.into(),
            owner: "222222222222".into(),
            state: state.into(),
        };
        seen.connections.insert(
            "vpce-svc-1".into(),
            Ok(vec![
                conn("vpce-1", "available"),
                conn("vpce-2", "rejected"),
                conn("vpce-3", "pendingAcceptance"),
            ]),
        );
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7)))
            .unwrap()
            .planned;
        assert_eq!(
            p.steps[0],
            Step::DeleteEndpointService {
                service: res(Kind::EndpointService, "vpce-svc-1", "com.svc"),
                reject: vec!["vpce-1".into(), "vpce-3".into()],
            }
        );
        assert_eq!(
            p.plan.warnings,
            ["endpoint service vpce-svc-1 has live consumer connections, which teardown rejects first: \
              vpce-1 (222222222222, available), vpce-3 (222222222222, pendingAcceptance)"]
        );

        seen.connections
            .insert("vpce-svc-1".into(), Err("access denied".into()));
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7)))
            .unwrap()
            .planned;
        assert!(
            matches!(&p.steps[0], Step::DeleteEndpointService { reject, .. } if reject.is_empty())
        );
        assert!(
            p.plan.warnings[0].contains("(access denied)")
                && p.plan.warnings[0]
                    .contains("reject-vpc-endpoint-connections --service-id vpce-svc-1"),
            "{:?}",
            p.plan.warnings
        );
    }
}
