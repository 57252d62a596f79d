//! The mTLS producer stack (pattern 3) on ECS Fargate as a pure plan:
//! consumers' endpoint -> endpoint service -> internal NLB (TCP 443) -> ip
//! target group -> Fargate tasks running the NGINX proxy -> the private API.
//! Given what exists, which calls make the stack as requested, as steps of
//! the one infrastructure vocabulary ([`super::step`]).

use std::collections::{BTreeMap, BTreeSet};

use super::nlb::{self, ObservedNlb, ObservedTg};
pub use super::step::Step;
use super::{Action, Assessed, Plan, Planned, Verb};
use crate::error::{Error, Result};
use crate::model::HTTPS_PORT;
use crate::model::{
    CallerIdentity, ContainerSpec, EcsCluster, EcsService, EndpointService, HealthCheck,
    PortMapping, SecretInfo, SecurityGroup, Subnet, TaskDefinition, Vpc, STACK_TAG,
};
use crate::stack::{StackNames, CONTAINER_NAME, HEALTH_PORT};

/// Fargate's smallest size that runs NGINX comfortably.
const TASK_CPU: &str = "256";
const TASK_MEMORY: &str = "512";
const CONTAINER_MEMORY: i32 = 512;

/// What the load balancer asks each proxy task: NGINX answers `GET /health`
/// in plain HTTP on [`HEALTH_PORT`], without a client certificate.
pub fn health_check() -> HealthCheck {
    HealthCheck {
        protocol: "HTTP".into(),
        port: HEALTH_PORT.to_string(),
        path: Some("/health".into()),
        matcher: Some("200-399".into()),
    }
}

/// What the stack should look like.
#[derive(Debug, Clone)]
pub struct Desired {
    pub names: StackNames,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    /// Its containers' secrets are empty: they name the secret's ARN, which
    /// is known only once the secret exists (see [`with_secret_arn`]).
    pub task_definition: TaskDefinition,
    pub desired_count: i32,
    pub principals: BTreeSet<String>,
    /// Hash of the certificates as the secret's JSON value, as
    /// [`SecretInfo::value_sha256`] reports it; the value stays with the applier.
    pub secret_sha256: String,
    /// The id a new stack gets; an existing stack keeps the one its resources carry.
    pub new_stack_id: String,
}

/// The proxy's task definition: Fargate, the image, both ports, logs to the
/// stack's log group.
pub fn task_definition(
    names: &StackNames,
    image: &str,
    execution_role_arn: &str,
    region: &str,
) -> TaskDefinition {
    let log_options = BTreeMap::from([
        ("awslogs-group".to_owned(), names.log_group.clone()),
        ("awslogs-region".to_owned(), region.to_owned()),
        (
            "awslogs-stream-prefix".to_owned(),
            CONTAINER_NAME.to_owned(),
        ),
        // The group is created on first use; the execution role needs logs:CreateLogGroup.
        ("awslogs-create-group".to_owned(), "true".to_owned()),
    ]);
    TaskDefinition {
        arn: String::new(),
        family: names.task_family.clone(),
        revision: 0,
        network_mode: "awsvpc".into(),
        requires_compatibilities: vec!["FARGATE".into()],
        cpu: TASK_CPU.into(),
        memory: TASK_MEMORY.into(),
        execution_role_arn: Some(execution_role_arn.to_owned()),
        containers: vec![ContainerSpec {
            name: CONTAINER_NAME.into(),
            image: image.to_owned(),
            memory: Some(CONTAINER_MEMORY),
            port_mappings: [HTTPS_PORT, HEALTH_PORT]
                .into_iter()
                .map(|p| PortMapping {
                    container_port: p,
                    protocol: "tcp".into(),
                })
                .collect(),
            log_driver: Some("awslogs".into()),
            log_options,
            secrets: BTreeMap::new(),
        }],
        // The tags it is registered with are the applier's (with the stack id); these
        // only say whose it is.
        tags: BTreeMap::from([(STACK_TAG.to_owned(), names.stack.clone())]),
    }
}

/// `td` with its containers' secrets read from the secret `arn`.
pub fn with_secret_arn(td: &TaskDefinition, arn: &str) -> TaskDefinition {
    let mut td = td.clone();
    for c in &mut td.containers {
        c.secrets = crate::mtls::SECRET_FIELDS
            .iter()
            .map(|f| (f.env.to_owned(), format!("{arn}:{}::", f.json_key)))
            .collect();
    }
    td
}

/// What exists now, found by the names the stack derives.
#[derive(Debug, Clone)]
pub struct Observed {
    pub identity: CallerIdentity,
    pub vpc: Vpc,
    pub subnets: Vec<Subnet>,
    pub security_group: Option<SecurityGroup>,
    pub target_group: Option<ObservedTg>,
    pub load_balancer: Option<ObservedNlb>,
    /// Only an active one.
    pub cluster: Option<EcsCluster>,
    /// The family's latest revision.
    pub task_definition: Option<TaskDefinition>,
    /// Only an active one.
    pub service: Option<EcsService>,
    /// Only a live one.
    pub endpoint_service: Option<EndpointService>,
    pub principals: Vec<String>,
    /// Live execute-api endpoints in the VPC.
    pub execute_api_endpoints: usize,
    pub secret: Option<SecretInfo>,
}

/// The fields that make two task definitions the same proxy.
fn same_task(a: &TaskDefinition, b: &TaskDefinition) -> bool {
    let key = |t: &TaskDefinition| {
        (
            t.network_mode.to_ascii_lowercase(),
            t.requires_compatibilities
                .iter()
                .map(|c| c.to_ascii_uppercase())
                .collect::<BTreeSet<_>>(),
            t.cpu.clone(),
            t.memory.clone(),
            t.execution_role_arn.clone(),
            t.containers
                .iter()
                .map(|c| {
                    let mut ports: Vec<(i32, String)> = c
                        .port_mappings
                        .iter()
                        .map(|p| (p.container_port, p.protocol.to_ascii_lowercase()))
                        .collect();
                    ports.sort();
                    (
                        c.name.clone(),
                        c.image.clone(),
                        c.memory,
                        ports,
                        c.log_driver.clone(),
                        c.log_options.clone(),
                        c.secrets.clone(),
                    )
                })
                .collect::<Vec<_>>(),
        )
    };
    key(a) == key(b)
}

/// Ports the proxy's group must admit from the VPC and does not yet.
fn missing_ingress(sg: Option<&SecurityGroup>, cidrs: &[String]) -> Vec<i32> {
    [HTTPS_PORT, HEALTH_PORT]
        .into_iter()
        .filter(|port| {
            let Some(sg) = sg else { return true };
            !cidrs.iter().all(|cidr| {
                sg.ingress.iter().any(|r| {
                    r.protocol.eq_ignore_ascii_case("tcp")
                        && r.from_port == Some(*port)
                        && r.to_port == Some(*port)
                        && r.cidrs.contains(cidr)
                })
            })
        })
        .collect()
}

/// The `xapi:stack-id` the stack's existing resources carry, else a new one; resources
/// of two stacks under one name are refused.
fn stack_id(seen: &Observed, want: &Desired) -> Result<String> {
    let found = crate::stack::existing_stack_id(
        &want.names.stack,
        seen.security_group
            .as_ref()
            .map(|g| ("security group", &g.tags))
            .into_iter()
            .chain(
                seen.target_group
                    .as_ref()
                    .map(|t| ("target group", &t.tags)),
            )
            .chain(
                seen.load_balancer
                    .as_ref()
                    .map(|l| ("load balancer", &l.tags)),
            )
            .chain(seen.secret.as_ref().map(|s| ("secret", &s.tags)))
            .chain(seen.cluster.as_ref().map(|c| ("ECS cluster", &c.tags)))
            .chain(seen.service.as_ref().map(|s| ("ECS service", &s.tags)))
            .chain(
                seen.task_definition
                    .as_ref()
                    .map(|t| ("task definition", &t.tags)),
            )
            .chain(
                seen.endpoint_service
                    .as_ref()
                    .map(|e| ("endpoint service", &e.tags)),
            ),
    )?;
    Ok(found.unwrap_or_else(|| want.new_stack_id.clone()))
}

/// Decide, without I/O, what to create, reuse or change and the calls that
/// do it; refuse bad input and resources that carry the stack's names but
/// are not the stack's. The facts are the stack's `xapi:stack-id`.
pub fn plan(seen: &Observed, want: &Desired) -> Result<Assessed<Step, String>> {
    let vpc = want.vpc_id.as_str();
    let stack = want.names.stack.as_str();
    let ours = |tags: &BTreeMap<String, String>| crate::stack::carries_stack(tags, stack);
    let not_ours = |kind: &str, id: &str| {
        Error::BadInput(format!(
            "{kind} {id} already exists but does not carry {STACK_TAG}={stack}; xapi will not take it over: pick another --name or remove it"
        ))
    };
    let id = stack_id(seen, want)?;
    let mut zones = BTreeSet::new();
    for s in &seen.subnets {
        if s.vpc_id != vpc {
            return Err(Error::BadInput(format!(
                "subnet {} is in {}, not in {vpc}: pass subnets of {vpc}",
                s.id, s.vpc_id
            )));
        }
        if !zones.insert(&s.availability_zone) {
            return Err(Error::BadInput(format!(
                "subnet {} is a second subnet in {}: a load balancer takes one subnet per Availability Zone",
                s.id, s.availability_zone
            )));
        }
    }
    let mut plan = Plan {
        identity: seen.identity.arn.clone(),
        ..Plan::default()
    };
    let mut steps = Vec::new();
    let n = &want.names;
    let cidrs = &seen.vpc.cidr_blocks;

    // Security group: the NLB keeps no group of its own, so tasks see the
    // NLB's (and health checks') VPC addresses as the source.
    match &seen.security_group {
        Some(sg) if !ours(&sg.tags) => return Err(not_ours("security group", &sg.id)),
        Some(sg) => plan.actions.push(Action::new(
            Verb::Reuse,
            "security-group",
            &sg.id,
            vec![n.security_group.clone()],
        )),
        None => {
            plan.actions.push(Action::new(
                Verb::Create,
                "security-group",
                &n.security_group,
                vec![format!("in {vpc}")],
            ));
            steps.push(Step::CreateSecurityGroup {
                name: n.security_group.clone(),
                vpc_id: vpc.to_owned(),
            });
        }
    }
    let missing = missing_ingress(seen.security_group.as_ref(), cidrs);
    if !missing.is_empty() {
        let details = missing
            .iter()
            .map(|p| format!("TCP {p} from {}", cidrs.join(", ")))
            .collect();
        let (verb, target) = match &seen.security_group {
            Some(g) => (Verb::Change, g.id.as_str()),
            None => (Verb::Create, n.security_group.as_str()),
        };
        plan.actions
            .push(Action::new(verb, "security-group-ingress", target, details));
        steps.extend(missing.into_iter().map(|port| Step::AuthorizeIngress {
            port,
            cidrs: cidrs.clone(),
        }));
    }

    let chain = nlb::plan(
        seen.load_balancer.as_ref(),
        seen.target_group.as_ref(),
        &nlb::Desired {
            stack: stack.to_owned(),
            load_balancer: n.load_balancer.clone(),
            target_group: n.target_group.clone(),
            vpc_id: vpc.to_owned(),
            subnet_ids: want.subnet_ids.clone(),
            health: health_check(),
        },
    )?;
    plan.actions.extend(chain.actions);
    steps.extend(chain.steps.into_iter().map(Step::Nlb));

    let certs_rotated = match &seen.secret {
        Some(sec) if !ours(&sec.tags) => return Err(not_ours("secret", &sec.name)),
        Some(sec) if sec.value_sha256.as_deref() == Some(want.secret_sha256.as_str()) => {
            plan.actions.push(Action::new(
                Verb::Reuse,
                "secret",
                &sec.name,
                vec!["certificates unchanged".into()],
            ));
            false
        }
        Some(sec) => {
            plan.actions.push(Action::new(
                Verb::Change,
                "secret",
                &sec.name,
                vec!["new certificates; the service's tasks restart to read them".into()],
            ));
            steps.push(Step::RestoreAndPutSecretValue {
                name: sec.name.clone(),
                arn: sec.arn.clone(),
            });
            true
        }
        None => {
            plan.actions.push(Action::new(
                Verb::Create,
                "secret",
                &n.secret,
                vec!["server certificate and key, client CA (never the CA key)".into()],
            ));
            steps.push(Step::CreateSecret {
                name: n.secret.clone(),
            });
            false
        }
    };
    plan.warnings.push(format!(
        "the execution role needs secretsmanager:GetSecretValue on {} and logs:CreateLogGroup",
        n.secret
    ));

    match &seen.cluster {
        Some(c) if !ours(&c.tags) => return Err(not_ours("ECS cluster", &c.name)),
        Some(c) => plan.actions.push(Action::new(
            Verb::Reuse,
            "ecs-cluster",
            &c.name,
            vec![c.arn.clone()],
        )),
        None => {
            plan.actions
                .push(Action::new(Verb::Create, "ecs-cluster", &n.cluster, vec![]));
            steps.push(Step::CreateCluster {
                name: n.cluster.clone(),
            });
        }
    }
    // A new secret has a new ARN, so a task definition naming any other is stale.
    let td = match &seen.secret {
        Some(sec) => with_secret_arn(&want.task_definition, &sec.arn),
        None => want.task_definition.clone(),
    };
    let current = seen
        .task_definition
        .as_ref()
        .filter(|have| seen.secret.is_some() && same_task(have, &td));
    match current {
        Some(have) => plan.actions.push(Action::new(
            Verb::Reuse,
            "task-definition",
            format!("{}:{}", have.family, have.revision),
            vec![],
        )),
        None => {
            plan.actions.push(Action::new(
                Verb::Create,
                "task-definition",
                &td.family,
                vec![
                    format!(
                        "Fargate, awsvpc, {} CPU units, {} MiB",
                        td.cpu, td.memory
                    ),
                    format!(
                        "container {CONTAINER_NAME}: {}, ports {HTTPS_PORT} and {HEALTH_PORT}, logs to {}",
                        td.containers.first().map_or("", |c| c.image.as_str()),
                        n.log_group
                    ),
                    format!(
                        "execution role {}",
                        td.execution_role_arn.as_deref().unwrap_or("-")
                    ),
                ],
            ));
            steps.push(Step::RegisterTaskDefinition {
                task_definition: td.clone(),
            });
        }
    }
    match &seen.service {
        Some(s) if !ours(&s.tags) => return Err(not_ours("ECS service", &s.name)),
        Some(s) => {
            let wired = seen.target_group.as_ref().is_some_and(|tg| {
                s.load_balancers.iter().any(|l| {
                    l.target_group_arn == tg.tg.arn
                        && l.container_name == CONTAINER_NAME
                        && l.container_port == HTTPS_PORT
                })
            });
            if !wired {
                plan.warnings.push(format!(
                    "service {} is not wired to {} on {CONTAINER_NAME}:{HTTPS_PORT}; ECS cannot change that in place: tear the stack down and deploy again",
                    s.name, n.target_group
                ));
            }
            let (cluster, service) = (n.cluster.clone(), s.name.clone());
            match current {
                None => {
                    plan.actions.push(Action::new(
                        Verb::Change,
                        "ecs-service",
                        &s.name,
                        vec![format!("roll out the new revision of {}", td.family)],
                    ));
                    steps.push(Step::UpdateServiceTaskDefinition { cluster, service });
                }
                Some(have) if s.task_definition != have.arn => {
                    plan.actions.push(Action::new(
                        Verb::Change,
                        "ecs-service",
                        &s.name,
                        vec![format!(
                            "roll out {}:{} (it runs {})",
                            have.family, have.revision, s.task_definition
                        )],
                    ));
                    steps.push(Step::UpdateServiceTaskDefinition { cluster, service });
                }
                Some(_) if certs_rotated => {
                    plan.actions.push(Action::new(
                        Verb::Change,
                        "ecs-service",
                        &s.name,
                        vec!["restart the tasks to load the new certificates".into()],
                    ));
                    steps.push(Step::ForceNewDeployment { cluster, service });
                }
                Some(_) => plan.actions.push(Action::new(
                    Verb::Reuse,
                    "ecs-service",
                    &s.name,
                    vec![format!(
                        "{} desired, {} running",
                        s.desired_count, s.running_count
                    )],
                )),
            }
        }
        None => {
            plan.actions.push(Action::new(
                Verb::Create,
                "ecs-service",
                &n.service,
                vec![
                    format!(
                        "{} Fargate task(s) in {}",
                        want.desired_count,
                        want.subnet_ids.join(", ")
                    ),
                    format!(
                        "behind {} as {CONTAINER_NAME}:{HTTPS_PORT}, no public IP",
                        n.target_group
                    ),
                ],
            ));
            steps.push(Step::CreateService {
                cluster: n.cluster.clone(),
                name: n.service.clone(),
                desired_count: want.desired_count,
                subnet_ids: want.subnet_ids.clone(),
            });
        }
    }

    match &seen.endpoint_service {
        Some(es) => {
            if !es.acceptance_required {
                plan.warnings.push(format!(
                    "endpoint service {} accepts connections without review; turn acceptance on with `aws ec2 modify-vpc-endpoint-service-configuration --service-id {} --acceptance-required`",
                    es.id, es.id
                ));
            }
            if let Some(lb) = seen.load_balancer.as_ref().map(|n| &n.lb) {
                if !es.load_balancer_arns.contains(&lb.arn) {
                    plan.warnings
                        .push(format!("endpoint service {} is not on {}", es.id, lb.name));
                }
            }
            plan.actions.push(Action::new(
                Verb::Reuse,
                "endpoint-service",
                &es.id,
                vec![es.service_name.clone()],
            ));
        }
        None => {
            plan.actions.push(Action::new(
                Verb::Create,
                "endpoint-service",
                format!("on {}", n.load_balancer),
                vec!["acceptance required".into()],
            ));
            steps.push(Step::CreateEndpointService);
        }
    }
    let have: BTreeSet<&str> = seen.principals.iter().map(String::as_str).collect();
    let add: Vec<String> = want
        .principals
        .iter()
        .filter(|p| !have.contains(p.as_str()))
        .cloned()
        .collect();
    if !add.is_empty() {
        let target = seen
            .endpoint_service
            .as_ref()
            .map_or("the new endpoint service".to_owned(), |e| e.id.clone());
        plan.actions.push(Action::new(
            Verb::Change,
            "endpoint-service-permissions",
            &target,
            add.iter().map(|p| format!("allow {p}")).collect(),
        ));
        steps.push(Step::AllowPrincipals { add });
    }
    if seen.execute_api_endpoints == 0 {
        plan.warnings.push(format!(
            "{vpc} has no execute-api endpoint: the proxy reaches the private API through one with private DNS; create it with `xapi endpoint create --vpc-id {vpc} --subnet-id ...`"
        ));
    }
    Ok(Assessed {
        planned: Planned { plan, steps },
        facts: id,
    })
}

/// Wiring the plan cannot express: each entry is one problem found.
pub fn check(after: &Observed) -> Vec<String> {
    match (&after.endpoint_service, &after.load_balancer) {
        (Some(es), Some(n)) if !es.load_balancer_arns.contains(&n.lb.arn) => {
            vec![format!(
                "endpoint service {} is not on {}",
                es.id, n.lb.name
            )]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IngressRule, Listener, LoadBalancer, ServiceLoadBalancer, TargetGroup};

    const ROLE: &str = "arn:aws:iam::111111111111:role/ecsTaskExecutionRole";
    const CONSUMER: &str = "arn:aws:iam::222222222222:root";
    const SECRET_ARN: &str =
        "arn:aws:secretsmanager:us-east-1:111111111111:secret:xapi/mtls/orders-AbCdEf";
    const TD_ARN: &str = "arn:aws:ecs:us-east-1:111111111111:task-definition/orders-mtls-proxy:1";

    fn want() -> Desired {
        let names = StackNames::of("orders");
        Desired {
            task_definition: task_definition(&names, "proxy:1", ROLE, "us-east-1"),
            names,
            vpc_id: "vpc-1".into(),
            subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
            desired_count: 2,
            principals: BTreeSet::from([CONSUMER.to_owned()]),
            secret_sha256: "sha-1".into(),
            new_stack_id: "0123456789abcdef".into(),
        }
    }

    fn tagged() -> BTreeMap<String, String> {
        BTreeMap::from([(STACK_TAG.to_owned(), "orders".to_owned())])
    }

    fn nothing_yet() -> Observed {
        let subnet = |id: &str, az: &str| Subnet {
            id: id.into(),
            vpc_id: "vpc-1".into(),
            availability_zone: az.into(),
            availability_zone_id: String::new(),
            cidr_block: "10.0.0.0/24".into(),
        };
        Observed {
            identity: CallerIdentity {
                account: "111111111111".into(),
                arn: "arn:aws:iam::111111111111:user/me".into(),
            },
            vpc: Vpc {
                id: "vpc-1".into(),
                cidr_blocks: vec!["10.0.0.0/16".into()],
            },
            subnets: vec![
                subnet("subnet-a", "us-east-1a"),
                subnet("subnet-b", "us-east-1b"),
            ],
            security_group: None,
            target_group: None,
            load_balancer: None,
            cluster: None,
            task_definition: None,
            service: None,
            endpoint_service: None,
            principals: vec![],
            execute_api_endpoints: 1,
            secret: None,
        }
    }

    fn ingress(port: i32) -> IngressRule {
        IngressRule {
            protocol: "tcp".into(),
            from_port: Some(port),
            to_port: Some(port),
            cidrs: vec!["10.0.0.0/16".into()],
            ipv6_cidrs: vec![],
            source_groups: vec![],
            prefix_lists: vec![],
        }
    }

    /// The stack exactly as a verified deploy of [`want`] leaves it.
    fn deployed() -> Observed {
        let mut td = with_secret_arn(&want().task_definition, SECRET_ARN);
        td.arn = TD_ARN.into();
        td.revision = 1;
        Observed {
            security_group: Some(SecurityGroup {
                id: "sg-1".into(),
                name: "orders-mtls-proxy".into(),
                vpc_id: "vpc-1".into(),
                egress: vec![],
                ingress: vec![ingress(HTTPS_PORT), ingress(HEALTH_PORT)],
                tags: tagged(),
            }),
            target_group: Some(ObservedTg {
                tg: TargetGroup {
                    arn: "arn:tg".into(),
                    name: "orders-tg".into(),
                    protocol: "TCP".into(),
                    port: HTTPS_PORT,
                    target_type: "ip".into(),
                    vpc_id: "vpc-1".into(),
                    health_check: health_check(),
                    load_balancer_arns: vec!["arn:lb".into()],
                },
                tags: tagged(),
                targets: vec![],
            }),
            load_balancer: Some(ObservedNlb {
                lb: LoadBalancer {
                    security_groups: vec![],
                    arn: "arn:lb".into(),
                    name: "orders-nlb".into(),
                    dns_name: "orders-nlb.elb.example".into(),
                    scheme: "internal".into(),
                    lb_type: "network".into(),
                    state: "active".into(),
                    vpc_id: "vpc-1".into(),
                    subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
                    availability_zones: vec![],
                },
                tags: tagged(),
                cross_zone: true,
                listeners: vec![Listener {
                    arn: "arn:listener".into(),
                    port: HTTPS_PORT,
                    protocol: "TCP".into(),
                    forward_target_group_arns: vec!["arn:tg".into()],
                }],
            }),
            cluster: Some(EcsCluster {
                arn: "arn:cluster".into(),
                name: "orders-mtls".into(),
                status: "ACTIVE".into(),
                tags: tagged(),
            }),
            task_definition: Some(td),
            service: Some(EcsService {
                arn: "arn:service".into(),
                name: "orders-mtls-proxy".into(),
                cluster_arn: "arn:cluster".into(),
                status: "ACTIVE".into(),
                task_definition: TD_ARN.into(),
                launch_type: Some("FARGATE".into()),
                desired_count: 2,
                running_count: 2,
                pending_count: 0,
                subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
                security_group_ids: vec!["sg-1".into()],
                assign_public_ip: false,
                load_balancers: vec![ServiceLoadBalancer {
                    target_group_arn: "arn:tg".into(),
                    container_name: CONTAINER_NAME.into(),
                    container_port: HTTPS_PORT,
                }],
                tags: tagged(),
            }),
            endpoint_service: Some(EndpointService {
                id: "vpce-svc-1".into(),
                service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-1".into(),
                state: "available".into(),
                acceptance_required: true,
                load_balancer_arns: vec!["arn:lb".into()],
                tags: tagged(),
            }),
            principals: vec![CONSUMER.into()],
            secret: Some(SecretInfo {
                arn: SECRET_ARN.into(),
                name: "xapi/mtls/orders".into(),
                value_sha256: Some("sha-1".into()),
                tags: tagged(),
            }),
            ..nothing_yet()
        }
    }

    fn steps(seen: &Observed, want: &Desired) -> Vec<Step> {
        plan(seen, want).unwrap().planned.steps
    }

    fn service_steps() -> (String, String) {
        ("orders-mtls".into(), "orders-mtls-proxy".into())
    }

    #[test]
    fn a_fresh_account_creates_everything_in_dependency_order() {
        let planned = plan(&nothing_yet(), &want()).unwrap().planned;
        let cidrs = vec!["10.0.0.0/16".to_owned()];
        let subnets = vec!["subnet-a".to_owned(), "subnet-b".to_owned()];
        assert_eq!(
            planned.steps,
            [
                Step::CreateSecurityGroup {
                    name: "orders-mtls-proxy".into(),
                    vpc_id: "vpc-1".into()
                },
                Step::AuthorizeIngress {
                    port: HTTPS_PORT,
                    cidrs: cidrs.clone()
                },
                Step::AuthorizeIngress {
                    port: HEALTH_PORT,
                    cidrs
                },
                Step::Nlb(nlb::Step::CreateLoadBalancer {
                    name: "orders-nlb".into(),
                    subnet_ids: subnets.clone()
                }),
                Step::Nlb(nlb::Step::EnableCrossZone),
                Step::Nlb(nlb::Step::CreateTargetGroup {
                    name: "orders-tg".into(),
                    vpc_id: "vpc-1".into(),
                    health: health_check()
                }),
                Step::Nlb(nlb::Step::CreateListener),
                Step::CreateSecret {
                    name: "xapi/mtls/orders".into()
                },
                Step::CreateCluster {
                    name: "orders-mtls".into()
                },
                // Its secrets name the secret's ARN once the step above has made it.
                Step::RegisterTaskDefinition {
                    task_definition: want().task_definition
                },
                Step::CreateService {
                    cluster: "orders-mtls".into(),
                    name: "orders-mtls-proxy".into(),
                    desired_count: 2,
                    subnet_ids: subnets
                },
                Step::CreateEndpointService,
                Step::AllowPrincipals {
                    add: vec![CONSUMER.into()]
                },
            ]
        );
        assert!(planned
            .plan
            .actions
            .iter()
            .all(|a| a.verb == Verb::Create || a.resource == "endpoint-service-permissions"));
        assert_eq!(planned.plan.identity, "arn:aws:iam::111111111111:user/me");
    }

    #[test]
    fn a_deployed_stack_plans_no_steps() {
        let planned = plan(&deployed(), &want()).unwrap().planned;
        assert_eq!(planned.steps, []);
        assert!(planned.plan.is_noop(), "{:?}", planned.plan.actions);
        assert_eq!(check(&deployed()), Vec::<String>::new());
    }

    #[test]
    fn a_missing_ingress_port_is_authorized_alone() {
        let mut seen = deployed();
        seen.security_group.as_mut().unwrap().ingress = vec![ingress(HTTPS_PORT)];
        assert_eq!(
            steps(&seen, &want()),
            [Step::AuthorizeIngress {
                port: HEALTH_PORT,
                cidrs: vec!["10.0.0.0/16".into()]
            }]
        );
    }

    #[test]
    fn a_new_image_registers_a_revision_and_rolls_the_service_out() {
        let mut w = want();
        w.task_definition.containers[0].image = "proxy:2".into();
        let (cluster, service) = service_steps();
        assert_eq!(
            steps(&deployed(), &w),
            [
                Step::RegisterTaskDefinition {
                    task_definition: with_secret_arn(&w.task_definition, SECRET_ARN)
                },
                Step::UpdateServiceTaskDefinition { cluster, service },
            ]
        );
    }

    #[test]
    fn a_service_on_an_older_revision_is_rolled_forward() {
        let mut seen = deployed();
        seen.service.as_mut().unwrap().task_definition = TD_ARN.replace(":1", ":0");
        let (cluster, service) = service_steps();
        assert_eq!(
            steps(&seen, &want()),
            [Step::UpdateServiceTaskDefinition { cluster, service }]
        );
    }

    #[test]
    fn rotated_certificates_are_put_and_the_tasks_restarted() {
        let mut w = want();
        w.secret_sha256 = "sha-2".into();
        let (cluster, service) = service_steps();
        let expected = [
            Step::RestoreAndPutSecretValue {
                name: "xapi/mtls/orders".into(),
                arn: SECRET_ARN.into(),
            },
            Step::ForceNewDeployment { cluster, service },
        ];
        assert_eq!(steps(&deployed(), &w), expected);
        // A teardown's scheduled deletion leaves no readable value: restored and put.
        let mut seen = deployed();
        seen.secret.as_mut().unwrap().value_sha256 = None;
        assert_eq!(steps(&seen, &want()), expected);
    }

    #[test]
    fn a_new_secret_means_a_new_revision_naming_it() {
        let mut seen = deployed();
        seen.secret = None;
        let (cluster, service) = service_steps();
        assert_eq!(
            steps(&seen, &want()),
            [
                Step::CreateSecret {
                    name: "xapi/mtls/orders".into()
                },
                Step::RegisterTaskDefinition {
                    task_definition: want().task_definition
                },
                Step::UpdateServiceTaskDefinition { cluster, service },
            ]
        );
    }

    #[test]
    fn a_new_account_is_allowed_alone() {
        let mut w = want();
        w.principals.insert("arn:aws:iam::333333333333:root".into());
        assert_eq!(
            steps(&deployed(), &w),
            [Step::AllowPrincipals {
                add: vec!["arn:aws:iam::333333333333:root".into()]
            }]
        );
    }

    #[test]
    fn a_missing_listener_is_created_alone() {
        let mut seen = deployed();
        seen.load_balancer.as_mut().unwrap().listeners.clear();
        assert_eq!(
            steps(&seen, &want()),
            [Step::Nlb(nlb::Step::CreateListener)]
        );
    }

    #[test]
    fn drift_xapi_cannot_repair_is_a_warning_not_a_step() {
        let mut seen = deployed();
        seen.service.as_mut().unwrap().load_balancers.clear();
        seen.endpoint_service.as_mut().unwrap().acceptance_required = false;
        seen.endpoint_service.as_mut().unwrap().load_balancer_arns = vec!["arn:other".into()];
        let planned = plan(&seen, &want()).unwrap().planned;
        assert_eq!(planned.steps, []);
        let warnings = planned.plan.warnings.join("\n");
        for expected in [
            "service orders-mtls-proxy is not wired",
            "accepts connections without review",
            "endpoint service vpce-svc-1 is not on orders-nlb",
        ] {
            assert!(warnings.contains(expected), "{expected}: {warnings}");
        }
        assert_eq!(
            check(&seen),
            ["endpoint service vpce-svc-1 is not on orders-nlb"]
        );
    }

    #[test]
    fn bad_subnets_and_foreign_namesakes_are_refused() {
        let refused = |seen: Observed, needle: &str| {
            let err = plan(&seen, &want()).unwrap_err();
            assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
            assert!(err.to_string().contains(needle), "{needle}: {err}");
        };
        let mut seen = nothing_yet();
        seen.subnets[1].vpc_id = "vpc-2".into();
        refused(seen, "subnet subnet-b is in vpc-2, not in vpc-1");
        let mut seen = nothing_yet();
        seen.subnets[1].availability_zone = "us-east-1a".into();
        refused(seen, "subnet subnet-b is a second subnet in us-east-1a");

        let mut seen = deployed();
        seen.security_group.as_mut().unwrap().tags.clear();
        refused(
            seen,
            "security group sg-1 already exists but does not carry xapi:stack=orders",
        );
        let mut seen = deployed();
        seen.target_group.as_mut().unwrap().tags.clear();
        refused(seen, "target group orders-tg");
        let mut seen = deployed();
        seen.load_balancer.as_mut().unwrap().tags.clear();
        refused(seen, "load balancer orders-nlb");
        // A listener the stack would not have made is not taken over either.
        let mut seen = deployed();
        seen.load_balancer.as_mut().unwrap().listeners[0].forward_target_group_arns =
            vec!["arn:other".into()];
        refused(
            seen,
            "listener arn:listener on port 443 is TCP forwarding to arn:other",
        );
        let mut seen = deployed();
        seen.secret.as_mut().unwrap().tags.clear();
        refused(seen, "secret xapi/mtls/orders");
        let mut seen = deployed();
        seen.cluster.as_mut().unwrap().tags.clear();
        refused(seen, "ECS cluster orders-mtls");
        let mut seen = deployed();
        seen.service.as_mut().unwrap().tags.clear();
        refused(seen, "ECS service orders-mtls-proxy");
    }
}
