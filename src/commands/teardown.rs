//! `xapi teardown --stack NAME`: delete what xapi created for a stack, in
//! dependency order.
//!
//! A tag is only a claim anyone can make, so a resource is xapi's when it
//! carries the stack's `xapi:stack` tag AND has the name xapi derives for
//! that stack (REST APIs: xapi's description marker; endpoint services: the
//! stack's load balancer). Anything else with the tag is listed as "not
//! deleted: not made by xapi". It never touches the private API (another
//! account, never tagged) nor an endpoint xapi did not create. It deletes
//! only after confirmation (a terminal prompt, or `--yes`), and secrets stay
//! restorable for a recovery window unless `--force-delete-secrets`.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::aws::apigw::FRONT_DESCRIPTION;
use crate::aws::Aws;
use crate::cli::TeardownArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::STACK_TAG;
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};
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

/// The stack's resources: what xapi made (in deletion order) and what only
/// carries the tag.
#[derive(Debug, Default)]
pub struct Found {
    pub owned: Vec<StackResource>,
    pub foreign: Vec<StackResource>,
}

/// `arn:...:loadbalancer/net/NAME/ID` -> `NAME`.
fn elb_name(arn: &str) -> Option<&str> {
    arn.rsplit_once(":loadbalancer/")?.1.split('/').nth(1)
}

/// Every resource tagged `xapi:stack=<stack>`, split by [`made_by_xapi`].
pub async fn find(aws: &Aws, stack: &str) -> Result<Found> {
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
    let mut descriptions = std::collections::BTreeMap::new();
    for r in found.iter().filter(|r| r.kind == Kind::RestApi) {
        descriptions.insert(r.id.clone(), aws.rest_api_description(&r.id).await?);
    }
    let service_lbs: std::collections::BTreeMap<&str, Vec<&str>> = endpoint_services
        .iter()
        .map(|e| {
            (
                e.id.as_str(),
                e.load_balancer_arns
                    .iter()
                    .filter_map(|a| elb_name(a))
                    .collect(),
            )
        })
        .collect();
    let mut out = Found::default();
    for r in found {
        let owned = match r.kind {
            Kind::RestApi => made_by_xapi(
                r.kind,
                &r.name,
                descriptions.get(&r.id).cloned().flatten().as_deref(),
                stack,
            ),
            Kind::EndpointService => service_lbs.get(r.id.as_str()).is_some_and(|lbs| {
                lbs.iter()
                    .any(|lb| made_by_xapi(r.kind, &r.name, Some(lb), stack))
            }),
            _ => made_by_xapi(r.kind, &r.name, None, stack),
        };
        if owned {
            out.owned.push(r);
        } else {
            out.foreign.push(r);
        }
    }
    out.owned.sort();
    out.foreign.sort();
    Ok(out)
}

/// How teardown deletes a stack's secrets.
#[derive(Debug, Clone, Copy)]
pub enum SecretDeletion {
    /// Restorable for this many days.
    Recoverable(i64),
    Immediate,
}

async fn delete(
    aws: &Aws,
    r: &StackResource,
    timeout: Duration,
    secrets: SecretDeletion,
    cut: &[String],
) -> Result<()> {
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
        Kind::EndpointService => {
            // AWS refuses to delete a service with connected endpoints.
            if !cut.is_empty() {
                let refused = aws.reject_endpoint_connections(&r.id, cut).await?;
                if !refused.is_empty() {
                    return Err(Error::Unverified(format!(
                        "could not reject the connections {:?} of endpoint service {}; reject them with \
                         `aws ec2 reject-vpc-endpoint-connections --service-id {} --vpc-endpoint-ids ID` and re-run teardown",
                        refused, r.id, r.id
                    )));
                }
            }
            aws.delete_endpoint_service(&r.id).await
        }
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
        Kind::Secret => match secrets {
            SecretDeletion::Recoverable(days) => aws.schedule_secret_deletion(&r.id, days).await,
            SecretDeletion::Immediate => aws.delete_secret(&r.id).await,
        },
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
    /// Tagged with the stack but not made by xapi: left alone.
    pub not_deleted: Vec<StackResource>,
    /// Days the deleted secrets stay restorable; `None` with `--force-delete-secrets`.
    pub secret_recovery_days: Option<i64>,
    pub plan: Plan,
}

impl Report for TeardownReport {
    fn table(&self, style: &Style) -> String {
        let mut foreign = String::new();
        for r in &self.not_deleted {
            foreign.push_str(&format!(
                "not deleted: not made by xapi: {} {} ({})\n",
                r.kind.label(),
                r.name,
                r.id
            ));
        }
        if self.plan.actions.is_empty() {
            return format!(
                "{foreign}Nothing xapi made carries {STACK_TAG}={}: nothing to delete.\n",
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
        format!("{t}\n{foreign}")
    }
}

/// Asks on the terminal; `None` when there is no terminal to ask on.
fn confirm(question: &str) -> Option<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    Some(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

pub async fn run(ctx: &Context, args: &TeardownArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let stack = args.stack.as_str();
    let (identity, found) = tokio::try_join!(aws.caller_identity(), find(&aws, stack))?;
    let secrets = if args.force_delete_secrets {
        SecretDeletion::Immediate
    } else {
        SecretDeletion::Recoverable(args.recovery_days)
    };
    let mut warnings: Vec<String> = found
        .foreign
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
    // Live consumer connections block deleting an endpoint service: they are
    // rejected first, and said so.
    let mut cuts: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in found
        .owned
        .iter()
        .filter(|r| r.kind == Kind::EndpointService)
    {
        match aws.endpoint_connections(&r.id).await {
            Ok(conns) => {
                let live: Vec<String> = conns
                    .iter()
                    .filter(|c| {
                        !["rejected", "deleting", "deleted", "failed", "expired"]
                            .iter()
                            .any(|s| c.state.eq_ignore_ascii_case(s))
                    })
                    .map(|c| format!("{} ({}, {})", c.vpce_id, c.owner, c.state))
                    .collect();
                if !live.is_empty() {
                    cuts.insert(
                        r.id.clone(),
                        conns
                            .iter()
                            .filter(|c| live.iter().any(|l| l.starts_with(&c.vpce_id)))
                            .map(|c| c.vpce_id.clone())
                            .collect(),
                    );
                    warnings.push(format!(
                        "endpoint service {} has live consumer connections, which teardown rejects first: {}",
                        r.id,
                        live.join(", ")
                    ));
                }
            }
            Err(e) => warnings.push(format!(
                "could not list the consumer connections of endpoint service {} ({e}); if deleting it fails, \
                 reject them with `aws ec2 reject-vpc-endpoint-connections --service-id {} --vpc-endpoint-ids ID`",
                r.id, r.id
            )),
        }
    }
    let plan = Plan {
        identity: identity.arn,
        actions: found
            .owned
            .iter()
            .map(|r| Action {
                verb: Verb::Delete,
                resource: r.kind.label().into(),
                target: r.name.clone(),
                details: match (r.kind, secrets) {
                    (Kind::Secret, SecretDeletion::Recoverable(days)) => vec![
                        r.id.clone(),
                        format!("scheduled: restorable for {days} days with `aws secretsmanager restore-secret`"),
                    ],
                    (Kind::Secret, SecretDeletion::Immediate) => {
                        vec![r.id.clone(), "deleted at once, not restorable".into()]
                    }
                    _ => vec![r.id.clone()],
                },
            })
            .collect(),
        warnings,
    };
    let mut report = TeardownReport {
        stack: args.stack.to_string(),
        dry_run: args.dry_run,
        deleted: Vec::new(),
        not_deleted: found.foreign.clone(),
        secret_recovery_days: match secrets {
            SecretDeletion::Recoverable(d) => Some(d),
            SecretDeletion::Immediate => None,
        },
        plan,
    };
    if args.dry_run || found.owned.is_empty() {
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&ctx.stderr_style()).trim_end());
    if !args.yes {
        let question = format!(
            "Delete these {} resource(s) of stack {stack}?",
            found.owned.len()
        );
        match confirm(&question) {
            Some(true) => {}
            Some(false) => {
                return Err(Error::BadInput(format!(
                    "teardown of stack {stack} not confirmed: nothing was deleted"
                )))
            }
            None => {
                return Err(Error::BadInput(format!(
                    "teardown of stack {stack} would delete {} resource(s) and there is no terminal to \
                     confirm on: pass --yes (or --dry-run to list them); nothing was deleted",
                    found.owned.len()
                )))
            }
        }
    }
    for r in &found.owned {
        let spinner = output::spinner(ctx, format!("deleting {} {}", r.kind.label(), r.name));
        let cut = cuts.get(&r.id).cloned().unwrap_or_default();
        let result = delete(&aws, r, args.wait_timeout, secrets, &cut).await;
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        result?;
        output::note(&format!("deleted {} {}", r.kind.label(), r.name));
        report.deleted.push(r.clone());
    }
    let left = find(&aws, stack).await?.owned;
    if !left.is_empty() {
        return Err(Error::Unverified(format!(
            "after teardown {} resource(s) xapi made still carry {STACK_TAG}={}: {}; re-run teardown",
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
