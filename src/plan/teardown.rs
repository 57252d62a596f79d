//! `teardown` as a pure plan: of everything that carries a stack's tag, which
//! resources xapi made (and so deletes, users before what they use) and which
//! only carry the tag.
//!
//! A tag is only a claim anyone can make, so a resource is xapi's when it
//! carries the stack's `xapi:stack` tag AND has the name xapi derives for
//! that stack (REST APIs: xapi's description marker; endpoint services: the
//! stack's load balancer). Anything else with the tag is listed as "not
//! deleted: not made by xapi".

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Action, Plan, Verb};
use crate::aws::apigw::FRONT_DESCRIPTION;
use crate::error::Result;
use crate::model::{EndpointConnection, STACK_TAG};
use crate::pipeline::Planned;
use crate::stack::StackNames;

/// Resource kinds, declared in the order they must be deleted: users of a
/// resource before the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    RestApi,
    VpcLink,
    EndpointService,
    EcsService,
    LoadBalancer,
    TargetGroup,
    EcsCluster,
    TaskDefinition,
    Secret,
    SecurityGroupRule,
    SecurityGroup,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::RestApi => "rest-api",
            Kind::VpcLink => "vpc-link",
            Kind::EndpointService => "endpoint-service",
            Kind::EcsService => "ecs-service",
            Kind::LoadBalancer => "load-balancer",
            Kind::TargetGroup => "target-group",
            Kind::EcsCluster => "ecs-cluster",
            Kind::TaskDefinition => "task-definition",
            Kind::Secret => "secret",
            Kind::SecurityGroupRule => "security-group-rule",
            Kind::SecurityGroup => "security-group",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StackResource {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    /// The security group a rule belongs to; the cluster a service runs in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A resource that carries the stack's tag, with what tells xapi's own from a namesake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    pub resource: StackResource,
    /// A REST API's description; the names of an endpoint service's load
    /// balancers; nothing for kinds judged by their name alone.
    pub markers: Vec<String>,
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
}

/// How teardown deletes a stack's secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretDeletion {
    /// Restorable for this many days.
    Recoverable(i64),
    Immediate,
}

#[derive(Debug, Clone)]
pub struct Desired {
    pub stack: String,
    pub secrets: SecretDeletion,
}

/// One deletion, with everything it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    DeleteRestApi(StackResource),
    /// Deleted in the background: wait until it is gone, as its NLB cannot go first.
    DeleteVpcLink(StackResource),
    /// Reject these consumer endpoints' connections, which block the
    /// deletion, then delete the endpoint service.
    DeleteEndpointService {
        service: StackResource,
        reject: Vec<String>,
    },
    /// Wait until it is gone: its tasks hold the target group and the security group.
    DeleteEcsService {
        service: StackResource,
        cluster: String,
    },
    /// Wait until it is gone: its listeners hold the target group.
    DeleteLoadBalancer(StackResource),
    DeleteTargetGroup(StackResource),
    DeleteEcsCluster(StackResource),
    DeregisterTaskDefinition(StackResource),
    DeleteSecret {
        secret: StackResource,
        deletion: SecretDeletion,
    },
    RevokeIngressRule {
        rule: StackResource,
        group: String,
    },
    /// Retried until the task interfaces that use it are released.
    DeleteSecurityGroup(StackResource),
}

impl Step {
    pub fn resource(&self) -> &StackResource {
        match self {
            Step::DeleteRestApi(r)
            | Step::DeleteVpcLink(r)
            | Step::DeleteLoadBalancer(r)
            | Step::DeleteTargetGroup(r)
            | Step::DeleteEcsCluster(r)
            | Step::DeregisterTaskDefinition(r)
            | Step::DeleteSecurityGroup(r)
            | Step::DeleteEndpointService { service: r, .. }
            | Step::DeleteEcsService { service: r, .. }
            | Step::DeleteSecret { secret: r, .. }
            | Step::RevokeIngressRule { rule: r, .. } => r,
        }
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
        Kind::VpcLink => name == stack,
        Kind::LoadBalancer => name == n.load_balancer,
        Kind::TargetGroup => name == n.target_group,
        Kind::EcsCluster => name == n.cluster,
        Kind::EcsService => name == n.service,
        Kind::TaskDefinition => name.split(':').next() == Some(n.task_family.as_str()),
        Kind::Secret => name == n.secret,
        Kind::SecurityGroup => name == n.security_group,
        Kind::EndpointService => marker == Some(n.load_balancer.as_str()),
        // Ingress rules have no name; xapi tags the ones it adds to the
        // endpoint's group, and revoking one deletes no resource.
        Kind::SecurityGroupRule => true,
    }
}

/// `arn:...:loadbalancer/net/NAME/ID` -> `NAME`.
pub fn elb_name(arn: &str) -> Option<&str> {
    arn.rsplit_once(":loadbalancer/")?.1.split('/').nth(1)
}

/// The tagged resources split into what xapi made, in deletion order, and
/// what only carries the tag.
pub fn classify(seen: &Observed, stack: &str) -> (Vec<StackResource>, Vec<StackResource>) {
    let (mut owned, mut foreign) = (Vec::new(), Vec::new());
    for t in &seen.tagged {
        let r = &t.resource;
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
        if mine {
            owned.push(r.clone());
        } else {
            foreign.push(r.clone());
        }
    }
    owned.sort();
    foreign.sort();
    (owned, foreign)
}

/// Delete what xapi made for the stack, users first; say what is spared and
/// which consumer connections are cut on the way.
pub fn plan(seen: &Observed, want: &Desired) -> Result<Planned<Step>> {
    let stack = want.stack.as_str();
    let (owned, foreign) = classify(seen, stack);
    let mut warnings: Vec<String> = foreign
        .iter()
        .map(|r| {
            format!(
                "not deleted: not made by xapi: {} {} ({}) carries {STACK_TAG}={stack} but not the name xapi gives it",
                r.kind.label(),
                r.name,
                r.id
            )
        })
        .collect();
    let mut actions = Vec::new();
    let mut steps = Vec::new();
    for r in owned {
        let mut details = vec![r.id.clone()];
        let parent = r.parent.clone().unwrap_or_default();
        let step = match r.kind {
            Kind::RestApi => Step::DeleteRestApi(r.clone()),
            Kind::VpcLink => Step::DeleteVpcLink(r.clone()),
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
    Ok(Planned {
        plan: Plan {
            identity: seen.identity.clone(),
            actions,
            warnings,
        },
        steps,
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
        }
    }

    fn want(secrets: SecretDeletion) -> Desired {
        Desired {
            stack: "orders".into(),
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
                },
                tagged(Kind::TaskDefinition, "arn:td", "orders-mtls-proxy:2", &[]),
            ],
            connections: BTreeMap::from([("vpce-svc-1".into(), Ok(vec![]))]),
        }
    }

    fn kinds(p: &Planned<Step>) -> Vec<Kind> {
        p.steps.iter().map(|s| s.resource().kind).collect()
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
        let p = plan(&deployed(), &want(SecretDeletion::Recoverable(7))).unwrap();
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
        let p = plan(&Observed::default(), &want(SecretDeletion::Immediate)).unwrap();
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
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7))).unwrap();
        assert_eq!(
            p.steps,
            [Step::DeleteRestApi(res(Kind::RestApi, "api2", "front"))]
        );
        let (owned, foreign) = classify(&seen, "orders");
        assert_eq!(owned.len(), 1);
        assert_eq!(
            foreign.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["api1", "vpce-svc-2", "arn:theirs"]
        );
        assert_eq!(p.plan.warnings.len(), 3);
        assert_eq!(
            p.plan.warnings[0],
            "not deleted: not made by xapi: rest-api orders (api1) carries xapi:stack=orders but not the name xapi gives it"
        );
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
            let p = plan(&seen, &want(deletion)).unwrap();
            let i = p
                .steps
                .iter()
                .position(|s| s.resource().kind == Kind::Secret)
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
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7))).unwrap();
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
        let p = plan(&seen, &want(SecretDeletion::Recoverable(7))).unwrap();
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
