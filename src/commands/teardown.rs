//! `xapi teardown --stack NAME`: delete what xapi created for a stack, and
//! only what carries its `xapi:stack` tag, in dependency order.
//!
//! It never touches the private API (another account, never tagged) nor an
//! endpoint xapi did not create: only tagged resources are candidates.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::aws::Aws;
use crate::cli::TeardownArgs;
use crate::commands::mtls::StackNames;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::STACK_TAG;
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};

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
    fn label(self) -> &'static str {
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

/// Every resource tagged `xapi:stack=<stack>`, sorted into deletion order.
pub async fn find(aws: &Aws, stack: &str) -> Result<Vec<StackResource>> {
    let tagged = |tags: &std::collections::BTreeMap<String, String>| {
        tags.get(STACK_TAG).map(String::as_str) == Some(stack)
    };
    let (apis, links, lbs, tgs, rules) = tokio::try_join!(
        aws.rest_apis(),
        aws.vpc_links(),
        aws.all_load_balancers(),
        aws.all_target_groups(),
        aws.tagged_ingress_rules(STACK_TAG, stack),
    )?;
    let task_family = StackNames::of(stack).task_family;
    let (endpoint_services, clusters, groups, task_arns, secrets) = tokio::try_join!(
        aws.tagged_endpoint_services(STACK_TAG, stack),
        aws.all_ecs_clusters(),
        aws.tagged_security_groups(STACK_TAG, stack),
        aws.task_definition_arns(&task_family),
        aws.tagged_secrets(STACK_TAG, stack),
    )?;
    let clusters: Vec<_> = clusters
        .into_iter()
        .filter(|c| c.is_active() && tagged(&c.tags))
        .collect();
    let mut services = Vec::new();
    for c in &clusters {
        services.extend(
            aws.ecs_services(&c.arn)
                .await?
                .into_iter()
                .filter(|s| s.is_active() && tagged(&s.tags)),
        );
    }
    let mut task_definitions = Vec::new();
    for arn in &task_arns {
        let td = aws.task_definition(arn).await?;
        if tagged(&td.tags) {
            task_definitions.push(td);
        }
    }
    let elb_arns: Vec<String> = lbs
        .iter()
        .map(|l| l.arn.clone())
        .chain(tgs.iter().map(|t| t.arn.clone()))
        .collect();
    let elb_tags = if elb_arns.is_empty() {
        Default::default()
    } else {
        aws.elb_tags(&elb_arns).await?
    };
    let elb_tagged = |arn: &str| elb_tags.get(arn).is_some_and(&tagged);

    let mut found: Vec<StackResource> = Vec::new();
    found.extend(
        apis.iter()
            .filter(|a| tagged(&a.tags))
            .map(|a| StackResource {
                kind: Kind::RestApi,
                id: a.id.clone(),
                name: a.name.clone(),
                parent: None,
            }),
    );
    found.extend(
        links
            .iter()
            .filter(|l| tagged(&l.tags))
            .map(|l| StackResource {
                kind: Kind::VpcLink,
                id: l.id.clone(),
                name: l.name.clone(),
                parent: None,
            }),
    );
    found.extend(
        lbs.iter()
            .filter(|l| elb_tagged(&l.arn))
            .map(|l| StackResource {
                kind: Kind::LoadBalancer,
                id: l.arn.clone(),
                name: l.name.clone(),
                parent: None,
            }),
    );
    found.extend(
        tgs.iter()
            .filter(|t| elb_tagged(&t.arn))
            .map(|t| StackResource {
                kind: Kind::TargetGroup,
                id: t.arn.clone(),
                name: t.name.clone(),
                parent: None,
            }),
    );
    found.extend(rules.into_iter().map(|(group, rule)| StackResource {
        kind: Kind::SecurityGroupRule,
        name: format!("ingress rule on {group}"),
        id: rule,
        parent: Some(group),
    }));
    found.extend(
        endpoint_services
            .iter()
            .filter(|e| e.is_live())
            .map(|e| StackResource {
                kind: Kind::EndpointService,
                id: e.id.clone(),
                name: e.service_name.clone(),
                parent: None,
            }),
    );
    found.extend(services.iter().map(|s| StackResource {
        kind: Kind::EcsService,
        id: s.arn.clone(),
        name: s.name.clone(),
        parent: Some(s.cluster_arn.clone()),
    }));
    found.extend(clusters.iter().map(|c| StackResource {
        kind: Kind::EcsCluster,
        id: c.arn.clone(),
        name: c.name.clone(),
        parent: None,
    }));
    found.extend(task_definitions.iter().map(|t| StackResource {
        kind: Kind::TaskDefinition,
        id: t.arn.clone(),
        name: format!("{}:{}", t.family, t.revision),
        parent: None,
    }));
    found.extend(groups.iter().map(|g| StackResource {
        kind: Kind::SecurityGroup,
        id: g.id.clone(),
        name: g.name.clone(),
        parent: None,
    }));
    found.extend(secrets.into_iter().map(|(arn, name)| StackResource {
        kind: Kind::Secret,
        id: arn,
        name,
        parent: None,
    }));
    found.sort();
    Ok(found)
}

async fn delete(aws: &Aws, r: &StackResource, timeout: Duration) -> Result<()> {
    match r.kind {
        Kind::RestApi => aws.delete_rest_api(&r.id).await,
        Kind::VpcLink => {
            aws.delete_vpc_link(&r.id).await?;
            // AWS deletes links in the background; the NLB behind one cannot go first.
            wait_gone(
                &format!("VPC link {} to be deleted", r.id),
                timeout,
                || async {
                    match aws.vpc_link(&r.id).await {
                        Ok(_) => Ok(false),
                        Err(Error::NotFound { .. }) => Ok(true),
                        Err(e) => Err(e),
                    }
                },
            )
            .await
        }
        Kind::LoadBalancer => {
            aws.delete_load_balancer(&r.id).await?;
            // Its listeners hold the target group until the load balancer is gone.
            wait_gone(
                &format!("load balancer {} to be deleted", r.name),
                timeout,
                || async { aws.load_balancer(&r.id).await.map(|lb| lb.is_none()) },
            )
            .await
        }
        Kind::TargetGroup => aws.delete_target_group(&r.id).await,
        Kind::EndpointService => aws.delete_endpoint_service(&r.id).await,
        Kind::EcsService => {
            let cluster = r.parent.as_deref().unwrap_or_default();
            aws.delete_ecs_service(cluster, &r.id).await?;
            // Its tasks hold the target group's registrations and the security group's interfaces.
            wait_gone(
                &format!("ECS service {} to be deleted", r.name),
                timeout,
                || async {
                    aws.ecs_service(cluster, &r.id)
                        .await
                        .map(|s| s.is_none_or(|s| !s.is_active() && s.status != "DRAINING"))
                },
            )
            .await
        }
        Kind::EcsCluster => aws.delete_ecs_cluster(&r.id).await,
        Kind::TaskDefinition => aws.deregister_task_definition(&r.id).await,
        Kind::Secret => aws.delete_secret(&r.id).await,
        Kind::SecurityGroup => {
            // Fargate task interfaces release the group a while after their service is gone.
            wait_gone(
                &format!("security group {} to be deletable", r.id),
                timeout,
                || async {
                    match aws.delete_security_group(&r.id).await {
                        Ok(()) => Ok(true),
                        Err(Error::Aws { code, .. }) if code == "DependencyViolation" => Ok(false),
                        Err(Error::NotFound { .. }) => Ok(true),
                        Err(e) => Err(e),
                    }
                },
            )
            .await
        }
        Kind::SecurityGroupRule => {
            let group = r.parent.as_deref().unwrap_or_default();
            aws.revoke_ingress_rules(group, std::slice::from_ref(&r.id))
                .await
        }
    }
}

async fn wait_gone<F, Fut>(what: &str, timeout: Duration, mut gone: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let started = Instant::now();
    loop {
        if gone().await? {
            return Ok(());
        }
        if started.elapsed() >= timeout {
            return Err(Error::Timeout {
                what: what.to_owned(),
                after_secs: timeout.as_secs(),
                hint: "re-run teardown to finish; it deletes only what is left".into(),
            });
        }
        tokio::time::sleep(Duration::from_secs(2).min(timeout)).await;
    }
}

#[derive(Debug, Serialize)]
pub struct TeardownReport {
    pub stack: String,
    pub dry_run: bool,
    pub deleted: Vec<StackResource>,
    pub plan: Plan,
}

impl Report for TeardownReport {
    fn table(&self, style: &Style) -> String {
        if self.plan.actions.is_empty() {
            return format!(
                "Nothing carries {STACK_TAG}={}: nothing to delete.\n",
                self.stack
            );
        }
        if self.dry_run {
            return format!("{}Dry run: nothing was deleted.\n", self.plan.render(style));
        }
        let mut t = style.table(&["DELETED", "NAME", "ID"]);
        for r in &self.deleted {
            t.add_row(vec![r.kind.label(), &r.name, &r.id]);
        }
        format!("{t}\n")
    }
}

pub async fn run(ctx: &Context, args: &TeardownArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let (identity, found) =
        tokio::try_join!(aws.caller_identity(), find(&aws, args.stack.as_str()))?;
    let plan = Plan {
        identity: identity.arn,
        actions: found
            .iter()
            .map(|r| Action {
                verb: Verb::Delete,
                resource: r.kind.label().into(),
                target: r.name.clone(),
                details: vec![r.id.clone()],
            })
            .collect(),
        warnings: Vec::new(),
    };
    let mut report = TeardownReport {
        stack: args.stack.to_string(),
        dry_run: args.dry_run,
        deleted: Vec::new(),
        plan,
    };
    if args.dry_run || found.is_empty() {
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&Style { color: ctx.color }).trim_end());
    for r in &found {
        let spinner = output::spinner(ctx, format!("deleting {} {}", r.kind.label(), r.name));
        let result = delete(&aws, r, args.wait_timeout).await;
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        result?;
        output::note(&format!("deleted {} {}", r.kind.label(), r.name));
        report.deleted.push(r.clone());
    }
    let left = find(&aws, args.stack.as_str()).await?;
    if !left.is_empty() {
        return Err(Error::Unverified(format!(
            "after teardown {} resource(s) still carry {STACK_TAG}={}: {}; re-run teardown",
            left.len(),
            args.stack,
            left.iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
