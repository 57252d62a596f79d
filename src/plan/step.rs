//! The one vocabulary of infrastructure calls: what `wire-regional-front`,
//! `mtls deploy` and `teardown` plan, as a list in apply order, and
//! [`crate::infra::apply`] runs, each step through its resource kind's
//! module in [`crate::infra`]. Ids that earlier steps create (a security
//! group, the load balancer and target group, a VPC link, the front API, a
//! secret, a task definition, an endpoint service) are not known here: the
//! applier threads them from step to step, starting from what was observed.
//! Teardown's steps are deletions, each with what it needs.

use serde::Serialize;

use super::front::{self, Desired as FrontDesired};
use super::nlb;
use super::targets::TargetDiff;
use super::vpc_link::GroupSteps;
use crate::model::{LinkVersion, TaskDefinition};

/// One call, or one call and the wait its kind needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    // The load balancer chain (both stacks).
    /// The load balancer, its target group and listener.
    Nlb(nlb::Step),
    /// Register and deregister the target group's targets.
    SyncTargets(TargetDiff),

    // The front door (`wire-regional-front`).
    /// v2: the group on the link's interfaces and its outbound rules.
    LinkGroup(GroupSteps),
    /// Bound to the stack's load balancer, once it is active.
    CreateVpcLinkV1 {
        name: String,
    },
    /// In the stack's subnets, under the link group.
    CreateVpcLinkV2 {
        name: String,
        subnet_ids: Vec<String>,
    },
    /// Wait until the link, made or observed, is available.
    AwaitVpcLink,
    /// The front API, its methods, integrations through the link, policy and deployment.
    Front(Box<FrontWork>),
    /// A v1 link the front no longer uses (it serves the v2 link by now).
    RetireVpcLinkV1 {
        id: String,
    },
    /// TCP 443 into the endpoint's group from the load balancer's subnets.
    AdmitLoadBalancer {
        group: String,
        cidrs: Vec<String>,
    },

    // The mTLS proxy (`mtls deploy`).
    /// The proxy's group.
    CreateSecurityGroup {
        name: String,
        vpc_id: String,
    },
    /// Into the stack's security group.
    AuthorizeIngress {
        port: i32,
        cidrs: Vec<String>,
    },
    CreateSecret {
        name: String,
    },
    /// New certificates; a secret a teardown scheduled for deletion is restored first.
    RestoreAndPutSecretValue {
        name: String,
        arn: String,
    },
    CreateCluster {
        name: String,
    },
    /// Its containers' secrets are pointed at the stack's secret before registering.
    RegisterTaskDefinition {
        task_definition: TaskDefinition,
    },
    /// Roll the service out to the stack's task definition.
    UpdateServiceTaskDefinition {
        cluster: String,
        service: String,
    },
    /// Tasks read secrets only when they start.
    ForceNewDeployment {
        cluster: String,
        service: String,
    },
    /// Behind the stack's target group, in its security group, running its task definition.
    CreateService {
        cluster: String,
        name: String,
        desired_count: i32,
        subnet_ids: Vec<String>,
    },
    /// On the stack's load balancer, once it is active.
    CreateEndpointService,
    /// On the stack's endpoint service.
    AllowPrincipals {
        add: Vec<String>,
    },

    // Teardown: deletions, users before what they use.
    /// Only the consumer that made it can delete it.
    DeleteAccessAssociation(StackResource),
    /// Its records first (Route 53 keeps a zone that holds any), then the zone.
    DeleteHostedZone(StackResource),
    DeleteResourceShare(StackResource),
    /// Its base path mappings go with it; CreateDomainName and DeleteDomainName
    /// share a rate of one call per 30 s per account.
    DeleteDomainName(StackResource),
    DeleteRestApi(StackResource),
    /// Deleted in the background: wait until it is gone, as its NLB cannot go first.
    DeleteVpcLink(StackResource),
    /// Deleted in the background: wait until it is gone, as its network
    /// interfaces hold its security group.
    DeleteVpcLinkV2(StackResource),
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
    /// The resource a deletion deletes; `None` for every other step.
    pub fn deleted(&self) -> Option<&StackResource> {
        match self {
            Step::DeleteAccessAssociation(r)
            | Step::DeleteHostedZone(r)
            | Step::DeleteResourceShare(r)
            | Step::DeleteDomainName(r)
            | Step::DeleteRestApi(r)
            | Step::DeleteVpcLink(r)
            | Step::DeleteVpcLinkV2(r)
            | Step::DeleteLoadBalancer(r)
            | Step::DeleteTargetGroup(r)
            | Step::DeleteEcsCluster(r)
            | Step::DeregisterTaskDefinition(r)
            | Step::DeleteSecurityGroup(r)
            | Step::DeleteEndpointService { service: r, .. }
            | Step::DeleteEcsService { service: r, .. }
            | Step::DeleteSecret { secret: r, .. }
            | Step::RevokeIngressRule { rule: r, .. } => Some(r),
            _ => None,
        }
    }
}

/// The front API's part of a front door's steps, with the stack's wishes
/// it is made from; the link and load balancer come from earlier steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontWork {
    pub want: FrontDesired,
    pub create_front: bool,
    pub create_proxy_resource: bool,
    pub put_methods: Vec<String>,
    pub put_integrations: Vec<String>,
    /// Existing `ANY` methods whose authorization type must change.
    pub set_auth: Vec<String>,
    /// The resource policy to write.
    pub put_front_policy: Option<String>,
    pub deploy_front: bool,
    /// v2: each integration names the load balancer.
    pub link_version: LinkVersion,
}

/// A front door's planned steps as the one vocabulary, in apply order: the
/// chain and its targets, the link (and v2's group), the front API, the v1
/// link the stack moved off (only once the front serves v2), the ingress rule.
pub fn front_door(steps: front::Steps, want: &FrontDesired) -> Vec<Step> {
    let front::Steps {
        nlb,
        targets,
        desired_targets: _,
        link_version,
        link_group,
        create_link,
        delete_link_v1,
        create_front,
        create_proxy_resource,
        put_methods,
        put_integrations,
        deploy_front,
        authorize,
        set_auth,
        put_front_policy,
        stack_id: _,
    } = steps;
    let mut out: Vec<Step> = nlb.into_iter().map(Step::Nlb).collect();
    if !targets.is_noop() {
        out.push(Step::SyncTargets(targets));
    }
    if link_version == LinkVersion::V2 {
        out.push(Step::LinkGroup(link_group));
    }
    if create_link {
        out.push(match link_version {
            LinkVersion::V1 => Step::CreateVpcLinkV1 {
                name: want.link_name(),
            },
            LinkVersion::V2 => Step::CreateVpcLinkV2 {
                name: want.link_name(),
                subnet_ids: want.subnet_ids.clone(),
            },
        });
    }
    out.push(Step::AwaitVpcLink);
    out.push(Step::Front(Box::new(FrontWork {
        want: want.clone(),
        create_front,
        create_proxy_resource,
        put_methods,
        put_integrations,
        set_auth,
        put_front_policy,
        deploy_front,
        link_version,
    })));
    out.extend(delete_link_v1.map(|id| Step::RetireVpcLinkV1 { id }));
    out.extend(authorize.map(|(group, cidrs)| Step::AdmitLoadBalancer { group, cidrs }));
    out
}

/// Resource kinds, declared in the order they must be deleted: users of a
/// resource before the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A consumer's access association with a shared domain.
    AccessAssociation,
    /// A consumer's private hosted zone for a shared domain's name.
    HostedZone,
    /// A producer's AWS RAM share of its domain.
    ResourceShare,
    DomainName,
    RestApi,
    VpcLink,
    VpcLinkV2,
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
            Kind::AccessAssociation => "access-association",
            Kind::HostedZone => "hosted-zone",
            Kind::ResourceShare => "resource-share",
            Kind::DomainName => "domain-name",
            Kind::RestApi => "rest-api",
            Kind::VpcLink => "vpc-link",
            Kind::VpcLinkV2 => "vpc-link-v2",
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct StackResource {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    /// The security group a rule belongs to; the cluster a service runs in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// How teardown deletes a stack's secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretDeletion {
    /// Restorable for this many days.
    Recoverable(i64),
    Immediate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;

    fn names(steps: &[Step]) -> Vec<&'static str> {
        steps
            .iter()
            .map(|s| match s {
                Step::Nlb(_) => "nlb",
                Step::SyncTargets(_) => "targets",
                Step::LinkGroup(_) => "link-group",
                Step::CreateVpcLinkV1 { .. } => "link-v1",
                Step::CreateVpcLinkV2 { .. } => "link-v2",
                Step::AwaitVpcLink => "await-link",
                Step::Front(_) => "front",
                Step::RetireVpcLinkV1 { .. } => "retire-v1",
                Step::AdmitLoadBalancer { .. } => "admit",
                _ => "other",
            })
            .collect()
    }

    #[test]
    fn a_front_door_is_applied_chain_link_front_then_what_relies_on_the_front() {
        let want = front::tests::want();
        let target = Target {
            ip: "10.0.1.10".into(),
            port: 443,
            availability_zone: Some("us-east-1a".into()),
        };
        let migrating = front::Steps {
            nlb: vec![nlb::Step::EnableCrossZone],
            targets: TargetDiff {
                register: vec![target],
                ..TargetDiff::default()
            },
            link_version: LinkVersion::V2,
            create_link: true,
            delete_link_v1: Some("v1link".into()),
            deploy_front: true,
            authorize: Some(("sg-1".into(), vec!["10.0.1.0/24".into()])),
            ..front::Steps::default()
        };
        let steps = front_door(migrating, &want);
        // The v1 link goes only after the front serves v2; the rule that lets
        // the load balancer in comes last.
        assert_eq!(
            names(&steps),
            [
                "nlb",
                "targets",
                "link-group",
                "link-v2",
                "await-link",
                "front",
                "retire-v1",
                "admit"
            ]
        );
        assert!(matches!(
            &steps[3],
            Step::CreateVpcLinkV2 { name, subnet_ids } if *name == want.link_name() && *subnet_ids == want.subnet_ids
        ));
        assert!(
            matches!(&steps[5], Step::Front(w) if w.deploy_front && w.link_version == LinkVersion::V2)
        );

        // A v1 front door with nothing to make but a deployment: no link
        // group, no link to create, no targets to sync.
        let redeploy = front::Steps {
            link_version: LinkVersion::V1,
            deploy_front: true,
            ..front::Steps::default()
        };
        assert_eq!(names(&front_door(redeploy, &want)), ["await-link", "front"]);
        let v1 = front::Steps {
            link_version: LinkVersion::V1,
            create_link: true,
            ..front::Steps::default()
        };
        assert!(front_door(v1, &want)
            .iter()
            .any(|s| matches!(s, Step::CreateVpcLinkV1 { name } if *name == want.link_name())));
    }

    #[test]
    fn only_deletions_name_what_they_delete() {
        let r = StackResource {
            kind: Kind::SecurityGroup,
            id: "sg-1".into(),
            name: "s-sg".into(),
            parent: None,
        };
        assert_eq!(Step::DeleteSecurityGroup(r.clone()).deleted(), Some(&r));
        assert_eq!(Step::AwaitVpcLink.deleted(), None);
        assert_eq!(Step::CreateEndpointService.deleted(), None);
    }
}
