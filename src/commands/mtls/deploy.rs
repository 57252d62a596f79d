//! `xapi mtls deploy`: the producer side of pattern 3 on ECS Fargate (the
//! stack and its planner are [`crate::plan::mtls_deploy`]). Observe, plan,
//! apply exactly the planned calls, then observe again: a verified deploy
//! re-plans to no steps.

use serde::Serialize;

use crate::aws::secrets::value_sha256;
use crate::aws::Aws;
use crate::cli::MtlsDeployArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::infra;
use crate::model::{account_root_principal, EcsCluster, EcsService, STACK_TAG};
use crate::mtls::CrlState;
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::mtls_deploy::{self as planner, Desired, Observed, Step};
use crate::plan::Assessed;
use crate::stack::StackNames;

fn subject(stack: &str) -> String {
    format!("stack {stack}")
}

struct Deploy<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    args: &'a MtlsDeployArgs,
    want: Desired,
    /// The certificates as the secret's JSON value.
    secret_value: String,
    /// CRLs of the certificate directory that lapse soon, as plan warnings.
    crl_warnings: Vec<String>,
}

impl Mutation for Deploy<'_> {
    type Observed = Observed;
    type Step = Step;
    /// The stack's `xapi:stack-id`: the one its resources carry, else a new one.
    type Facts = String;
    type Applied = ();

    fn subject(&self) -> String {
        subject(&self.want.names.stack)
    }

    async fn observe(&self) -> Result<Observed> {
        let (aws, args, n) = (self.aws, self.args, &self.want.names);
        let (identity, vpc, subnets, security_group, target_group, load_balancer) = tokio::try_join!(
            aws.caller_identity(),
            aws.vpc(&args.vpc_id),
            aws.subnets(&args.subnet_ids),
            aws.security_group_by_name(&args.vpc_id, &n.security_group),
            infra::target_group::observe(aws, &n.target_group),
            infra::load_balancer::observe(aws, &n.load_balancer),
        )?;
        let (cluster, task_definition, service, endpoint_services, api_endpoints, secret) = tokio::try_join!(
            aws.ecs_cluster(&n.cluster),
            aws.latest_task_definition(&n.task_family),
            aws.ecs_service(&n.cluster, &n.service),
            aws.tagged_endpoint_services(STACK_TAG, &n.stack),
            aws.execute_api_endpoints(Some(&args.vpc_id)),
            aws.secret(&n.secret),
        )?;
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
            cluster: cluster.filter(EcsCluster::is_active),
            task_definition,
            service: service.filter(EcsService::is_active),
            endpoint_service,
            principals,
            execute_api_endpoints: api_endpoints.iter().filter(|e| e.is_live()).count(),
            secret,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step, String>> {
        let mut assessed = planner::plan(seen, &self.want)?;
        assessed
            .planned
            .plan
            .warnings
            .extend(self.crl_warnings.iter().cloned());
        Ok(assessed)
    }

    async fn apply(&self, seen: &Observed, stack_id: &String, steps: Vec<Step>) -> Result<()> {
        let made = infra::apply::Made {
            security_group: seen.security_group.as_ref().map(|g| g.id.clone()),
            nlb: infra::nlb::Made::observed(
                seen.load_balancer.as_ref(),
                seen.target_group.as_ref(),
            ),
            secret_arn: seen.secret.as_ref().map(|s| s.arn.clone()),
            task_definition_arn: seen.task_definition.as_ref().map(|t| t.arn.clone()),
            endpoint_service_id: seen.endpoint_service.as_ref().map(|e| e.id.clone()),
            ..infra::apply::Made::default()
        };
        infra::apply::Applier {
            ctx: self.ctx,
            aws: self.aws,
            tags: self.want.names.tags(stack_id),
            timeout: self.args.wait_timeout,
            hint: "re-run `xapi mtls deploy` to finish (what was made is reused)",
            secret_value: Some(&self.secret_value),
            made,
        }
        .apply_all(steps)
        .await
    }

    fn check(&self, after: &Observed) -> Vec<String> {
        planner::check(after)
    }

    fn inspect_hint(&self) -> String {
        format!("xapi mtls show --name {}", self.want.names.stack)
    }
}

/// The deployed stack, as `deploy` reports it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
            target_group_arn: seen.target_group.as_ref().map(|t| t.tg.arn.clone()),
            load_balancer_arn: seen.load_balancer.as_ref().map(|n| n.lb.arn.clone()),
            load_balancer_dns_name: seen.load_balancer.as_ref().map(|n| n.lb.dns_name.clone()),
            listener_arn: seen
                .load_balancer
                .as_ref()
                .and_then(|n| n.listener())
                .map(|l| l.arn.clone()),
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DeployReport {
    pub name: String,
    /// The stack's `xapi:stack-id` (what `teardown --stack-id` takes); in a dry run of a
    /// new stack, the id it would get.
    pub stack_id: String,
    #[serde(flatten)]
    pub run: Run,
    pub stack: StackView,
}

impl Report for DeployReport {
    fn table(&self, style: &Style) -> String {
        let frame = |body: &str| self.run.frame(&subject(&self.name), style, body);
        if self.run.outcome == Outcome::Planned {
            return frame("");
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
            format!(
                "none yet (xapi mtls allow --name {} --account ACCOUNT)",
                self.name
            )
        } else {
            s.allowed_principals.join(", ")
        };
        frame(&format!(
            "{t}\nallowed principals: {principals}\nstack id: {}\n",
            self.stack_id
        ))
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
    // The CRLs pin the chain and NGINX refuses every client once one is
    // missing or lapsed: shipping such a set would be an outage.
    let dir = args.certs.display().to_string();
    let mut crl_warnings = Vec::new();
    let mut lapsed = Vec::new();
    for c in super::dir_crl_coverage(&args.certs)? {
        match c.state {
            CrlState::Current => {}
            CrlState::Expiring => {
                crl_warnings.push(format!("{}: {}", c.describe(), c.fix(&dir)));
            }
            CrlState::Lapsed | CrlState::Missing => {
                lapsed.push(format!("{}: {}", c.describe(), c.fix(&dir)));
            }
        }
    }
    if !lapsed.is_empty() {
        return Err(Error::BadInput(format!(
            "refusing to deploy stack {} with the CRLs in {dir}: {}",
            args.name,
            lapsed.join("; ")
        )));
    }
    let names = StackNames::new(&args.name);
    let execution_role = args.execution_role_arn.clone().unwrap_or_else(|| {
        format!(
            "arn:aws:iam::{}:role/ecsTaskExecutionRole",
            identity.account
        )
    });
    let want = Desired {
        task_definition: planner::task_definition(
            &names,
            &args.image.to_string(),
            &execution_role,
            aws.region(),
        ),
        names,
        vpc_id: args.vpc_id.to_string(),
        subnet_ids: args.subnet_ids.iter().map(|s| s.to_string()).collect(),
        desired_count: args.desired_count,
        principals: args
            .allow_accounts
            .iter()
            .map(|a| account_root_principal(a.as_str()))
            .collect(),
        secret_sha256: value_sha256(&secret_value),
        new_stack_id: crate::stack::new_stack_id(),
    };
    let deploy = Deploy {
        ctx,
        aws: &aws,
        args,
        want,
        secret_value,
        crl_warnings,
    };
    let ran = pipeline::run(ctx, &deploy, args.dry_run).await?;
    output::emit(
        ctx,
        &DeployReport {
            name: deploy.want.names.stack.clone(),
            stack_id: ran.facts,
            run: Run::new(ran.outcome, ran.plan),
            stack: StackView::new(&ran.observed),
        },
    )?;
    Ok(exit::OK)
}
