//! `xapi mtls deploy`: the producer side of pattern 3 on ECS Fargate.
//!
//! consumers' endpoint -> endpoint service -> internal NLB (TCP 443) -> ip
//! target group -> Fargate tasks running the NGINX proxy -> the private API.
//! Observe, plan, apply, then observe again: a verified deploy re-plans to
//! "No changes".

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::Serialize;

use crate::aws::ecs::NewService;
use crate::aws::elbv2::NewTargetGroup;
use crate::aws::secrets::value_sha256;
use crate::aws::Aws;
use crate::cli::MtlsDeployArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::SecretInfo;
use crate::model::{
    account_root_principal, CallerIdentity, ContainerSpec, EcsCluster, EcsService, EndpointService,
    Listener, LoadBalancer, PortMapping, SecurityGroup, ServiceLoadBalancer, Subnet, TargetGroup,
    TaskDefinition, Vpc, STACK_TAG,
};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};
use crate::stack::{StackNames, CONTAINER_NAME, HEALTH_PORT, HTTPS_PORT};

/// Fargate's smallest size that runs NGINX comfortably.
const TASK_CPU: &str = "256";
const TASK_MEMORY: &str = "512";
const CONTAINER_MEMORY: i32 = 512;
/// Time for NGINX to start before failed health checks replace a task.
const HEALTH_GRACE_SECONDS: i32 = 60;

/// What the stack should look like.
#[derive(Debug, Clone)]
pub struct Desired {
    pub names: StackNames,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub task_definition: TaskDefinition,
    pub desired_count: i32,
    pub principals: BTreeSet<String>,
    /// The certificates as the secret's JSON value.
    pub secret_value: String,
}

impl Desired {
    /// Point the container's secrets at the secret's ARN (known once it exists).
    pub fn with_secret_arn(mut self, arn: &str) -> Self {
        for c in &mut self.task_definition.containers {
            c.secrets = crate::mtls::SECRET_FIELDS
                .iter()
                .map(|f| (f.env.to_owned(), format!("{arn}:{}::", f.json_key)))
                .collect();
        }
        self
    }

    pub fn new(args: &MtlsDeployArgs, account: &str, region: &str, secret_value: String) -> Self {
        let names = StackNames::new(&args.name);
        let execution_role = args
            .execution_role_arn
            .clone()
            .unwrap_or_else(|| format!("arn:aws:iam::{account}:role/ecsTaskExecutionRole"));
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
        let task_definition = TaskDefinition {
            arn: String::new(),
            family: names.task_family.clone(),
            revision: 0,
            network_mode: "awsvpc".into(),
            requires_compatibilities: vec!["FARGATE".into()],
            cpu: TASK_CPU.into(),
            memory: TASK_MEMORY.into(),
            execution_role_arn: Some(execution_role),
            containers: vec![ContainerSpec {
                name: CONTAINER_NAME.into(),
                image: args.image.to_string(),
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
            tags: names.tags().into_iter().collect(),
        };
        Desired {
            names,
            vpc_id: args.vpc_id.to_string(),
            subnet_ids: args.subnet_ids.iter().map(|s| s.to_string()).collect(),
            task_definition,
            desired_count: args.desired_count,
            secret_value,
            principals: args
                .allow_accounts
                .iter()
                .map(|a| account_root_principal(a.as_str()))
                .collect(),
        }
    }
}

/// What exists now, found by the names the stack derives.
#[derive(Debug, Clone)]
pub struct Observed {
    pub identity: CallerIdentity,
    pub vpc: Vpc,
    pub subnets: Vec<Subnet>,
    pub security_group: Option<SecurityGroup>,
    pub target_group: Option<TargetGroup>,
    pub load_balancer: Option<LoadBalancer>,
    pub elb_tags: BTreeMap<String, BTreeMap<String, String>>,
    pub listeners: Vec<Listener>,
    pub cluster: Option<EcsCluster>,
    pub task_definition: Option<TaskDefinition>,
    pub service: Option<EcsService>,
    pub endpoint_service: Option<EndpointService>,
    pub principals: Vec<String>,
    pub execute_api_endpoints: usize,
    pub secret: Option<SecretInfo>,
}

impl Observed {
    fn listener_443(&self) -> Option<&Listener> {
        self.listeners.iter().find(|l| l.port == HTTPS_PORT)
    }
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

fn reuse(resource: &str, target: &str, details: Vec<String>) -> Action {
    Action {
        verb: Verb::Reuse,
        resource: resource.into(),
        target: target.into(),
        details,
    }
}

fn create(resource: &str, target: &str, details: Vec<String>) -> Action {
    Action {
        verb: Verb::Create,
        resource: resource.into(),
        target: target.into(),
        details,
    }
}

fn change(resource: &str, target: &str, details: Vec<String>) -> Action {
    Action {
        verb: Verb::Change,
        resource: resource.into(),
        target: target.into(),
        details,
    }
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

/// Decide, without I/O, what to create, reuse or change; refuse bad input
/// and resources that carry the stack's names but are not the stack's.
pub fn plan(want: &Desired, seen: &Observed) -> Result<Plan> {
    let vpc = want.vpc_id.as_str();
    let stack = want.names.stack.as_str();
    let ours =
        |tags: &BTreeMap<String, String>| tags.get(STACK_TAG).map(String::as_str) == Some(stack);
    let not_ours = |kind: &str, id: &str| {
        Error::BadInput(format!(
            "{kind} {id} already exists but does not carry {STACK_TAG}={stack}; xapi will not take it over: pick another --name or remove it"
        ))
    };
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
    let n = &want.names;
    let cidrs = &seen.vpc.cidr_blocks;

    // Security group: the NLB keeps no group of its own, so tasks see the
    // NLB's (and health checks') VPC addresses as the source.
    match &seen.security_group {
        Some(sg) if !ours(&sg.tags) => return Err(not_ours("security group", &sg.id)),
        Some(sg) => plan.actions.push(reuse(
            "security-group",
            &sg.id,
            vec![n.security_group.clone()],
        )),
        None => plan.actions.push(create(
            "security-group",
            &n.security_group,
            vec![format!("in {vpc}")],
        )),
    }
    let missing = missing_ingress(seen.security_group.as_ref(), cidrs);
    if !missing.is_empty() {
        let details = missing
            .iter()
            .map(|p| format!("TCP {p} from {}", cidrs.join(", ")))
            .collect();
        let target = seen
            .security_group
            .as_ref()
            .map_or(n.security_group.as_str(), |g| g.id.as_str());
        plan.actions.push(if seen.security_group.is_some() {
            change("security-group-ingress", target, details)
        } else {
            create("security-group-ingress", target, details)
        });
    }

    let elb_ours = |arn: &str| seen.elb_tags.get(arn).is_some_and(&ours);
    match &seen.target_group {
        Some(tg) if !elb_ours(&tg.arn) => return Err(not_ours("target group", &tg.name)),
        Some(tg) => {
            let hc = &tg.health_check;
            let matches = tg.protocol == "TCP"
                && tg.port == HTTPS_PORT
                && tg.target_type == "ip"
                && tg.vpc_id == vpc
                && hc.protocol == "HTTP"
                && hc.port == HEALTH_PORT.to_string()
                && hc.path.as_deref() == Some("/health");
            if !matches {
                plan.warnings.push(format!(
                    "target group {} is {} {} ({}) in {}, health {} {} {}; xapi expects ip TCP 443 in {vpc} with HTTP 8080 /health: tear the stack down and deploy again",
                    tg.name, tg.target_type, tg.protocol, tg.port, tg.vpc_id, hc.protocol, hc.port, hc.path.as_deref().unwrap_or("-")
                ));
            }
            plan.actions
                .push(reuse("target-group", &tg.name, vec![tg.arn.clone()]));
        }
        None => plan.actions.push(create(
            "target-group",
            &n.target_group,
            vec![format!(
                "ip targets, TCP {HTTPS_PORT}; health check HTTP {HEALTH_PORT} /health"
            )],
        )),
    }
    match &seen.load_balancer {
        Some(lb) if !elb_ours(&lb.arn) => return Err(not_ours("load balancer", &lb.name)),
        Some(lb) => {
            if lb.scheme != "internal" || lb.lb_type != "network" || lb.vpc_id != vpc {
                plan.warnings.push(format!(
                    "load balancer {} is {} {} in {}; xapi expects an internal network load balancer in {vpc}",
                    lb.name, lb.scheme, lb.lb_type, lb.vpc_id
                ));
            }
            plan.actions
                .push(reuse("load-balancer", &lb.name, vec![lb.dns_name.clone()]));
        }
        None => plan.actions.push(create(
            "load-balancer",
            &n.load_balancer,
            vec![format!(
                "internal network, subnets {}",
                want.subnet_ids.join(", ")
            )],
        )),
    }
    match (seen.listener_443(), &seen.target_group) {
        (Some(l), Some(tg)) if l.forward_target_group_arns.contains(&tg.arn) => {
            plan.actions.push(reuse("listener", &format!("TCP {HTTPS_PORT}"), vec![l.arn.clone()]))
        }
        (Some(l), _) => plan.warnings.push(format!(
            "listener {} on port {HTTPS_PORT} forwards to {}, not to {}; fix it or tear the stack down",
            l.arn,
            l.forward_target_group_arns.join(", "),
            n.target_group
        )),
        (None, _) => plan.actions.push(create(
            "listener",
            &format!("TCP {HTTPS_PORT}"),
            vec![format!("forward to {}", n.target_group)],
        )),
    }

    match &seen.secret {
        Some(sec) if !ours(&sec.tags) => return Err(not_ours("secret", &sec.name)),
        Some(sec)
            if sec.value_sha256.as_deref() == Some(value_sha256(&want.secret_value).as_str()) =>
        {
            plan.actions.push(reuse(
                "secret",
                &sec.name,
                vec!["certificates unchanged".into()],
            ))
        }
        Some(sec) => plan.actions.push(change(
            "secret",
            &sec.name,
            vec!["new certificates; the service's tasks restart to read them".into()],
        )),
        None => plan.actions.push(create(
            "secret",
            &n.secret,
            vec!["server certificate and key, client CA (never the CA key)".into()],
        )),
    }
    plan.warnings.push(format!(
        "the execution role needs secretsmanager:GetSecretValue on {} and logs:CreateLogGroup",
        n.secret
    ));

    match &seen.cluster {
        Some(c) if !ours(&c.tags) => return Err(not_ours("ECS cluster", &c.name)),
        Some(c) => plan
            .actions
            .push(reuse("ecs-cluster", &c.name, vec![c.arn.clone()])),
        None => plan.actions.push(create("ecs-cluster", &n.cluster, vec![])),
    }
    let td = &want.task_definition;
    let task_is_current = seen
        .task_definition
        .as_ref()
        .is_some_and(|have| same_task(have, td));
    match &seen.task_definition {
        Some(have) if task_is_current => plan.actions.push(reuse(
            "task-definition",
            &format!("{}:{}", have.family, have.revision),
            vec![],
        )),
        _ => plan.actions.push(create(
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
        )),
    }
    match &seen.service {
        Some(s) if !ours(&s.tags) => return Err(not_ours("ECS service", &s.name)),
        Some(s) => {
            let wired = seen.target_group.as_ref().is_some_and(|tg| {
                s.load_balancers.iter().any(|l| {
                    l.target_group_arn == tg.arn
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
            if task_is_current {
                plan.actions.push(reuse(
                    "ecs-service",
                    &s.name,
                    vec![format!(
                        "{} desired, {} running",
                        s.desired_count, s.running_count
                    )],
                ));
            } else {
                plan.actions.push(change(
                    "ecs-service",
                    &s.name,
                    vec![format!("roll out the new revision of {}", td.family)],
                ));
            }
        }
        None => plan.actions.push(create(
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
        )),
    }

    match &seen.endpoint_service {
        Some(es) => {
            if !es.acceptance_required {
                plan.warnings.push(format!(
                    "endpoint service {} accepts connections without review; turn acceptance on with `aws ec2 modify-vpc-endpoint-service-configuration --service-id {} --acceptance-required`",
                    es.id, es.id
                ));
            }
            if let Some(lb) = &seen.load_balancer {
                if !es.load_balancer_arns.contains(&lb.arn) {
                    plan.warnings
                        .push(format!("endpoint service {} is not on {}", es.id, lb.name));
                }
            }
            plan.actions.push(reuse(
                "endpoint-service",
                &es.id,
                vec![es.service_name.clone()],
            ));
        }
        None => plan.actions.push(create(
            "endpoint-service",
            &format!("on {}", n.load_balancer),
            vec!["acceptance required".into()],
        )),
    }
    let have: BTreeSet<&str> = seen.principals.iter().map(String::as_str).collect();
    let add: Vec<String> = want
        .principals
        .iter()
        .filter(|p| !have.contains(p.as_str()))
        .map(|p| format!("allow {p}"))
        .collect();
    if !add.is_empty() {
        let target = seen
            .endpoint_service
            .as_ref()
            .map_or("the new endpoint service".to_owned(), |e| e.id.clone());
        plan.actions
            .push(change("endpoint-service-permissions", &target, add));
    }
    if seen.execute_api_endpoints == 0 {
        plan.warnings.push(format!(
            "{vpc} has no execute-api endpoint: the proxy reaches the private API through one with private DNS; create it with `xapi endpoint create --vpc-id {vpc} --subnet-id ...`"
        ));
    }
    Ok(plan)
}

async fn observe(aws: &Aws, want: &Desired) -> Result<Observed> {
    let vpc_id: crate::ids::VpcId = want.vpc_id.parse().map_err(Error::BadInput)?;
    let subnet_ids: Vec<crate::ids::SubnetId> = want
        .subnet_ids
        .iter()
        .map(|s| s.parse().map_err(Error::BadInput))
        .collect::<Result<_>>()?;
    let n = &want.names;
    let (identity, vpc, subnets, security_group, target_group, load_balancer) = tokio::try_join!(
        aws.caller_identity(),
        aws.vpc(&vpc_id),
        aws.subnets(&subnet_ids),
        aws.security_group_by_name(&vpc_id, &n.security_group),
        aws.target_group(&n.target_group),
        aws.load_balancer(&n.load_balancer),
    )?;
    let (cluster, task_definition, service, endpoint_services, api_endpoints, secret) = tokio::try_join!(
        aws.ecs_cluster(&n.cluster),
        aws.latest_task_definition(&n.task_family),
        aws.ecs_service(&n.cluster, &n.service),
        aws.tagged_endpoint_services(STACK_TAG, &n.stack),
        aws.execute_api_endpoints(Some(&vpc_id)),
        aws.secret(&n.secret),
    )?;
    let elb_arns: Vec<String> = target_group
        .iter()
        .map(|t| t.arn.clone())
        .chain(load_balancer.iter().map(|l| l.arn.clone()))
        .collect();
    let elb_tags = if elb_arns.is_empty() {
        BTreeMap::new()
    } else {
        aws.elb_tags(&elb_arns).await?
    };
    let listeners = match &load_balancer {
        Some(lb) => aws.listeners(&lb.arn).await?,
        None => Vec::new(),
    };
    let endpoint_service = endpoint_services.into_iter().find(|s| s.is_live());
    let principals = match &endpoint_service {
        Some(es) => aws.allowed_principals(&es.id).await?,
        None => Vec::new(),
    };
    Ok(Observed {
        identity,
        vpc,
        subnets,
        security_group,
        target_group,
        load_balancer,
        elb_tags,
        listeners,
        cluster: cluster.filter(EcsCluster::is_active),
        task_definition,
        service: service.filter(EcsService::is_active),
        endpoint_service,
        principals,
        execute_api_endpoints: api_endpoints.iter().filter(|e| e.is_live()).count(),
        secret,
    })
}

/// The deployed stack, as `deploy` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct StackView {
    pub security_group_id: Option<String>,
    pub target_group_arn: Option<String>,
    pub load_balancer_arn: Option<String>,
    pub load_balancer_dns_name: Option<String>,
    pub listener_arn: Option<String>,
    pub cluster_arn: Option<String>,
    pub task_definition_arn: Option<String>,
    pub service_arn: Option<String>,
    pub endpoint_service_id: Option<String>,
    pub endpoint_service_name: Option<String>,
    pub allowed_principals: Vec<String>,
}

impl StackView {
    fn new(seen: &Observed) -> Self {
        StackView {
            security_group_id: seen.security_group.as_ref().map(|g| g.id.clone()),
            target_group_arn: seen.target_group.as_ref().map(|t| t.arn.clone()),
            load_balancer_arn: seen.load_balancer.as_ref().map(|l| l.arn.clone()),
            load_balancer_dns_name: seen.load_balancer.as_ref().map(|l| l.dns_name.clone()),
            listener_arn: seen.listener_443().map(|l| l.arn.clone()),
            cluster_arn: seen.cluster.as_ref().map(|c| c.arn.clone()),
            task_definition_arn: seen.task_definition.as_ref().map(|t| t.arn.clone()),
            service_arn: seen.service.as_ref().map(|s| s.arn.clone()),
            endpoint_service_id: seen.endpoint_service.as_ref().map(|e| e.id.clone()),
            endpoint_service_name: seen
                .endpoint_service
                .as_ref()
                .map(|e| e.service_name.clone()),
            allowed_principals: seen.principals.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DeployReport {
    pub name: String,
    pub dry_run: bool,
    pub changed: bool,
    pub plan: Plan,
    pub stack: StackView,
}

impl Report for DeployReport {
    fn table(&self, style: &Style) -> String {
        if self.dry_run {
            return format!("{}Dry run: nothing was changed.\n", self.plan.render(style));
        }
        let s = &self.stack;
        let mut t = style.table(&["RESOURCE", "ID"]);
        let rows = [
            ("endpoint service", s.endpoint_service_name.as_deref()),
            ("load balancer", s.load_balancer_dns_name.as_deref()),
            ("target group", s.target_group_arn.as_deref()),
            ("ECS service", s.service_arn.as_deref()),
            ("task definition", s.task_definition_arn.as_deref()),
            ("security group", s.security_group_id.as_deref()),
        ];
        for (what, id) in rows {
            t.add_row(vec![what, id.unwrap_or("-")]);
        }
        let principals = if s.allowed_principals.is_empty() {
            "none yet (xapi mtls allow --name NAME --account ACCOUNT)".to_owned()
        } else {
            s.allowed_principals.join(", ")
        };
        format!(
            "{} stack {}\n{t}\nallowed principals: {principals}\n",
            if self.changed {
                "deployed"
            } else {
                "No changes to"
            },
            self.name
        )
    }
}

pub async fn run(ctx: &Context, args: &MtlsDeployArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let identity = aws.caller_identity().await?;
    let secret_value = crate::mtls::secret_payload(&args.certs).map_err(|e| match e {
        crate::mtls::MtlsError::Io { path, source } => Error::BadInput(format!(
            "cannot read {}: {source}; pass --certs the directory `xapi mtls certs --out` wrote",
            path.display()
        )),
        other => super::mtls_error(other),
    })?;
    let want = Desired::new(args, &identity.account, aws.region(), secret_value);
    let seen = observe(&aws, &want).await?;
    // Until the secret exists its ARN is unknown, and the plan registers a new
    // task definition either way.
    let want = match &seen.secret {
        Some(sec) => want.with_secret_arn(&sec.arn),
        None => want,
    };
    let plan = plan(&want, &seen)?;
    let style = ctx.stderr_style();
    if args.dry_run {
        output::emit(
            ctx,
            &DeployReport {
                name: want.names.stack.clone(),
                dry_run: true,
                changed: false,
                stack: StackView::new(&seen),
                plan,
            },
        )?;
        return Ok(exit::OK);
    }
    output::note(plan.render(&style).trim_end());
    let changed = !plan.is_noop();
    let seen = if changed {
        let want = apply(ctx, &aws, want.clone(), &seen, args.wait_timeout).await?;
        let after = observe(&aws, &want).await?;
        verify(&want, &after)?;
        after
    } else {
        seen
    };
    output::emit(
        ctx,
        &DeployReport {
            name: want.names.stack.clone(),
            dry_run: false,
            changed,
            stack: StackView::new(&seen),
            plan,
        },
    )?;
    Ok(exit::OK)
}

/// Creates what `seen` lacks, in dependency order, carrying new ids forward.
/// Returns the desired state with the secret's ARN filled in, for verification.
async fn apply(
    ctx: &Context,
    aws: &Aws,
    want: Desired,
    seen: &Observed,
    timeout: Duration,
) -> Result<Desired> {
    let tags = want.names.tags();
    let (want, certs_rotated) = match &seen.secret {
        None => {
            let arn = aws
                .create_secret(&want.names.secret, &want.secret_value, &tags)
                .await?;
            output::note(&format!(
                "stored the certificates in secret {}",
                want.names.secret
            ));
            (want.with_secret_arn(&arn), false)
        }
        Some(sec)
            if sec.value_sha256.as_deref() != Some(value_sha256(&want.secret_value).as_str()) =>
        {
            // A teardown leaves the secret restorable rather than gone.
            if aws.restore_secret_if_scheduled(&sec.arn).await? {
                output::note(&format!(
                    "restored secret {}, which a teardown had scheduled for deletion",
                    sec.name
                ));
            }
            aws.put_secret_value(&sec.arn, &want.secret_value).await?;
            output::note(&format!("updated the certificates in secret {}", sec.name));
            (want, true)
        }
        Some(_) => (want, false),
    };
    let want = &want;
    let n = &want.names;
    let vpc_id: crate::ids::VpcId = want.vpc_id.parse().map_err(Error::BadInput)?;

    let sg_id = match &seen.security_group {
        Some(sg) => sg.id.clone(),
        None => {
            let id = aws
                .create_security_group(
                    &vpc_id,
                    &n.security_group,
                    "xapi mTLS proxy: TLS and health checks from the NLB",
                    &tags,
                )
                .await?;
            output::note(&format!("created security group {id}"));
            id
        }
    };
    for port in missing_ingress(seen.security_group.as_ref(), &seen.vpc.cidr_blocks) {
        let what = if port == HTTPS_PORT {
            "xapi: mTLS from the NLB"
        } else {
            "xapi: NLB health checks"
        };
        aws.authorize_tcp_from(&sg_id, port, &seen.vpc.cidr_blocks, what, &tags)
            .await?;
        output::note(&format!("allowed TCP {port} into {sg_id}"));
    }

    let tg = match &seen.target_group {
        Some(tg) => tg.clone(),
        None => {
            let tg = aws
                .create_ip_target_group(&NewTargetGroup {
                    name: n.target_group.clone(),
                    vpc_id: want.vpc_id.clone(),
                    port: HTTPS_PORT,
                    health_protocol: "HTTP".into(),
                    health_port: HEALTH_PORT.to_string(),
                    health_path: "/health".into(),
                    matcher: "200-399".into(),
                    tags: tags.clone(),
                })
                .await?;
            output::note(&format!("created target group {}", tg.name));
            tg
        }
    };
    let lb = match &seen.load_balancer {
        Some(lb) => lb.clone(),
        None => {
            let lb = aws
                .create_internal_nlb(&n.load_balancer, &want.subnet_ids, &tags)
                .await?;
            output::note(&format!("created load balancer {}", lb.name));
            lb
        }
    };
    if seen.listener_443().is_none() {
        aws.create_tcp_listener(&lb.arn, HTTPS_PORT, &tg.arn, &tags)
            .await?;
        output::note(&format!("created listener TCP {HTTPS_PORT} on {}", lb.name));
    }

    if seen.cluster.is_none() {
        aws.create_ecs_cluster(&n.cluster, &tags).await?;
        output::note(&format!("created ECS cluster {}", n.cluster));
    }
    let task_arn = match &seen.task_definition {
        Some(have) if same_task(have, &want.task_definition) => have.arn.clone(),
        _ => {
            let td = aws
                .register_task_definition(&want.task_definition, &tags)
                .await?;
            output::note(&format!(
                "registered task definition {}:{}",
                td.family, td.revision
            ));
            td.arn
        }
    };
    match &seen.service {
        Some(s) if s.task_definition != task_arn => {
            aws.update_service_task_definition(&n.cluster, &s.name, &task_arn)
                .await?;
            output::note(&format!("rolling {} out to {task_arn}", s.name));
        }
        // Tasks read secrets only when they start.
        Some(s) if certs_rotated => {
            aws.force_new_deployment(&n.cluster, &s.name).await?;
            output::note(&format!(
                "restarting {}'s tasks to load the new certificates",
                s.name
            ));
        }
        Some(_) => {}
        None => {
            aws.create_ecs_service(&NewService {
                cluster: n.cluster.clone(),
                name: n.service.clone(),
                task_definition_arn: task_arn,
                desired_count: want.desired_count,
                subnet_ids: want.subnet_ids.clone(),
                security_group_ids: vec![sg_id],
                load_balancer: ServiceLoadBalancer {
                    target_group_arn: tg.arn.clone(),
                    container_name: CONTAINER_NAME.into(),
                    container_port: HTTPS_PORT,
                },
                health_check_grace_seconds: HEALTH_GRACE_SECONDS,
                tags: tags.clone(),
            })
            .await?;
            output::note(&format!("created ECS service {}", n.service));
        }
    }

    let endpoint_service = match &seen.endpoint_service {
        Some(es) => es.clone(),
        None => {
            // An endpoint service needs an active load balancer behind it.
            crate::aws::wait::load_balancer_active(ctx, aws, &lb, timeout).await?;
            let es = aws
                .create_endpoint_service(&lb.arn, &tags, &crate::aws::client_token())
                .await?;
            output::note(&format!("created endpoint service {}", es.service_name));
            es
        }
    };
    let have: BTreeSet<&str> = seen.principals.iter().map(String::as_str).collect();
    let add: Vec<String> = want
        .principals
        .iter()
        .filter(|p| !have.contains(p.as_str()))
        .cloned()
        .collect();
    if !add.is_empty() {
        aws.modify_allowed_principals(&endpoint_service.id, &add, &[])
            .await?;
        output::note(&format!("allowed {}", add.join(", ")));
    }
    Ok(want.clone())
}

/// After applying, the stack must re-plan to no changes and be wired end to end.
fn verify(want: &Desired, after: &Observed) -> Result<()> {
    let again = plan(want, after)?;
    let mut problems: Vec<String> = again
        .actions
        .iter()
        .filter(|a| a.verb != Verb::Reuse)
        .map(|a| format!("{} {} still needs a change", a.resource, a.target))
        .collect();
    if let (Some(es), Some(lb)) = (&after.endpoint_service, &after.load_balancer) {
        if !es.load_balancer_arns.contains(&lb.arn) {
            problems.push(format!("endpoint service {} is not on {}", es.id, lb.name));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Unverified(format!(
            "deployed stack {} but re-reading it shows: {}; inspect it with `xapi mtls show --name {}`",
            want.names.stack,
            problems.join("; "),
            want.names.stack
        )))
    }
}
