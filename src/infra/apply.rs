//! The one applier of [`crate::plan::step`]: `wire-regional-front`, `mtls
//! deploy` and `teardown` hand it their planned steps, in order, and it is the
//! only code that sequences infrastructure writes. Each step goes to its
//! kind's module; what a step creates is kept in [`Made`] for the steps after it.

use std::time::Duration;

use super::{nlb, Patience};
use crate::aws::apigwv2::NewVpcLinkV2;
use crate::aws::ecs::NewService;
use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::DomainArn;
use crate::model::{LinkVersion, ServiceLoadBalancer, VpcLink, HTTPS_PORT};
use crate::output;
use crate::plan::mtls_deploy::with_secret_arn;
use crate::plan::step::Step;
use crate::stack::CONTAINER_NAME;

/// The ids later steps need: first what was observed, then what earlier
/// steps created.
#[derive(Debug, Clone, Default)]
pub struct Made {
    /// The stack's own security group (the mTLS proxy's).
    pub security_group: Option<String>,
    pub nlb: nlb::Made,
    /// The v2 link's security group.
    pub link_group: Option<String>,
    pub link: Option<VpcLink>,
    pub front_api: Option<String>,
    pub secret_arn: Option<String>,
    pub task_definition_arn: Option<String>,
    pub endpoint_service_id: Option<String>,
}

/// What applying needs besides the steps: where, how long to wait, and what
/// the plan leaves out (the certificates are secret, so no plan holds them).
pub struct Applier<'a> {
    pub ctx: &'a Context,
    pub aws: &'a Aws,
    /// The stack's tags, written on everything a step creates.
    pub tags: Vec<(String, String)>,
    /// How long to wait for what AWS finishes in the background.
    pub timeout: Duration,
    /// What to do after a wait runs out, e.g. `re-run teardown to finish`.
    pub hint: &'a str,
    /// The proxy's certificates, as its secret's value.
    pub secret_value: Option<&'a str>,
    pub made: Made,
}

/// An id a step needs: the planner orders steps so that it was observed or
/// created by an earlier step; anything else is a bug to report, not to paper over.
fn need<'v, T>(id: &'v Option<T>, what: &str, step: &str) -> Result<&'v T> {
    id.as_ref().ok_or_else(|| {
        Error::Unverified(format!(
            "the plan asked to {step} before the {what} existed; re-run (what was made is reused) and report this"
        ))
    })
}

impl Applier<'_> {
    /// Every step, in order; the first failure stops the run.
    pub async fn apply_all(&mut self, steps: impl IntoIterator<Item = Step>) -> Result<()> {
        for step in steps {
            self.apply(step).await?;
        }
        Ok(())
    }

    /// The one call (and wait) `step` names.
    pub async fn apply(&mut self, step: Step) -> Result<()> {
        let (aws, tags) = (self.aws, &self.tags);
        let patience = Patience {
            ctx: self.ctx,
            timeout: self.timeout,
            hint: self.hint,
        };
        let made = &mut self.made;
        match step {
            Step::Nlb(step) => super::nlb::apply(aws, &step, &mut made.nlb, tags).await?,
            Step::SyncTargets(diff) => {
                let tg = made.nlb.target_group("sync the targets")?;
                output::note(&format!("syncing the targets of {}", tg.name));
                super::target_group::sync(aws, &tg.arn, &diff).await?;
            }
            Step::LinkGroup(group) => {
                made.link_group = super::vpc_link::apply_group(aws, &group, tags).await?;
            }
            Step::CreateVpcLinkV1 { name } => {
                let lb = made.nlb.load_balancer("create the VPC link")?;
                made.link = Some(
                    super::vpc_link::create_v1(self.ctx, aws, &name, lb, tags, self.timeout)
                        .await?,
                );
            }
            Step::CreateVpcLinkV2 { name, subnet_ids } => {
                let spec = NewVpcLinkV2 {
                    name,
                    subnet_ids,
                    security_group_ids: made.link_group.iter().cloned().collect(),
                    tags: tags.clone(),
                };
                made.link = Some(super::vpc_link::create_v2(aws, &spec).await?);
            }
            Step::AwaitVpcLink => {
                let link = super::observed(made.link.take(), "VPC link")?;
                made.link =
                    Some(crate::wait::vpc_link_available(self.ctx, aws, link, self.timeout).await?);
            }
            Step::Front(work) => {
                let link = need(&made.link, "VPC link", "integrate the front API")?;
                // A v2 link is bound to no load balancer: each integration names it.
                let target = match work.link_version {
                    LinkVersion::V1 => None,
                    LinkVersion::V2 => Some(
                        made.nlb
                            .load_balancer("integrate the front API")?
                            .arn
                            .clone(),
                    ),
                };
                made.front_api = Some(
                    super::front_api::apply(
                        aws,
                        made.front_api.as_deref(),
                        &work,
                        &link.id,
                        target.as_deref(),
                        tags,
                    )
                    .await?,
                );
            }
            Step::RetireVpcLinkV1 { id } => {
                output::note(&format!(
                    "deleting VPC link v1 {id}, which the front no longer uses"
                ));
                aws.delete_vpc_link(&id, LinkVersion::V1).await?;
            }
            Step::AdmitLoadBalancer { group, cidrs } => {
                output::note(&format!(
                    "allowing TCP 443 into {group} from {}",
                    cidrs.join(", ")
                ));
                aws.authorize_https_from(&group, &cidrs, tags).await?;
            }

            Step::CreateSecurityGroup { name, vpc_id } => {
                let description = "xapi mTLS proxy: TLS and health checks from the NLB";
                made.security_group = Some(
                    super::security_group::create(aws, &vpc_id, &name, description, tags).await?,
                );
            }
            Step::AuthorizeIngress { port, cidrs } => {
                let sg = need(&made.security_group, "security group", "authorize ingress")?;
                let why = if port == HTTPS_PORT {
                    "xapi: mTLS from the NLB"
                } else {
                    "xapi: NLB health checks"
                };
                super::security_group::authorize_tcp(aws, sg, port, &cidrs, why, tags).await?;
            }
            Step::CreateSecret { name } => {
                let value = need(&self.secret_value, "certificates", "create the secret")?;
                made.secret_arn = Some(super::secret::create(aws, &name, value, tags).await?);
            }
            Step::RestoreAndPutSecretValue { name, arn } => {
                let value = need(&self.secret_value, "certificates", "update the secret")?;
                super::secret::put(aws, &name, &arn, value).await?;
            }
            Step::CreateCluster { name } => super::ecs::create_cluster(aws, &name, tags).await?,
            Step::RegisterTaskDefinition { task_definition } => {
                let secret = need(&made.secret_arn, "secret", "register the task definition")?;
                let td = with_secret_arn(&task_definition, secret);
                made.task_definition_arn =
                    Some(super::ecs::register_task_definition(aws, &td, tags).await?);
            }
            Step::UpdateServiceTaskDefinition { cluster, service } => {
                let td = need(
                    &made.task_definition_arn,
                    "task definition",
                    "roll the service out",
                )?;
                super::ecs::roll_out(aws, &cluster, &service, td).await?;
            }
            Step::ForceNewDeployment { cluster, service } => {
                super::ecs::restart(aws, &cluster, &service).await?;
            }
            Step::CreateService {
                cluster,
                name,
                desired_count,
                subnet_ids,
            } => {
                let step = "create the ECS service";
                let spec = NewService {
                    cluster,
                    name,
                    task_definition_arn: need(&made.task_definition_arn, "task definition", step)?
                        .clone(),
                    desired_count,
                    subnet_ids,
                    security_group_ids: vec![
                        need(&made.security_group, "security group", step)?.clone()
                    ],
                    load_balancer: ServiceLoadBalancer {
                        target_group_arn: made.nlb.target_group(step)?.arn.clone(),
                        container_name: CONTAINER_NAME.into(),
                        container_port: HTTPS_PORT,
                    },
                    health_check_grace_seconds: super::ecs::HEALTH_GRACE_SECONDS,
                    tags: tags.clone(),
                };
                super::ecs::create_service(aws, &spec).await?;
            }
            Step::CreateEndpointService => {
                let lb = made.nlb.load_balancer("create the endpoint service")?;
                made.endpoint_service_id = Some(
                    super::endpoint_service::create(self.ctx, aws, lb, tags, self.timeout).await?,
                );
            }
            Step::AllowPrincipals { add } => {
                let es = need(
                    &made.endpoint_service_id,
                    "endpoint service",
                    "allow principals",
                )?;
                super::endpoint_service::allow(aws, es, &add).await?;
            }

            Step::DeleteAccessAssociation(r) => match aws.delete_access_association(&r.id).await {
                Ok(()) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            },
            Step::DeleteHostedZone(r) => aws.delete_zone(&r.id).await?,
            Step::DeleteResourceShare(r) => aws.delete_share(&r.id).await?,
            Step::DeleteDomainName(r) => {
                let arn: DomainArn = r.id.parse().map_err(Error::Unverified)?;
                super::domain::delete(aws, &arn, &r.name, &patience).await?;
            }
            Step::DeleteRestApi(r) => aws.delete_rest_api(&r.id).await?,
            Step::DeleteVpcLink(r) => {
                super::vpc_link::delete(aws, &r.id, LinkVersion::V1, &patience).await?;
            }
            Step::DeleteVpcLinkV2(r) => {
                super::vpc_link::delete(aws, &r.id, LinkVersion::V2, &patience).await?;
            }
            Step::DeleteEndpointService { service, reject } => {
                super::endpoint_service::delete(aws, &service.id, &reject).await?;
            }
            Step::DeleteEcsService { service, cluster } => {
                super::ecs::delete_service(aws, &cluster, &service.id, &service.name, &patience)
                    .await?;
            }
            Step::DeleteLoadBalancer(r) => {
                super::load_balancer::delete(aws, &r.id, &r.name, &patience).await?;
            }
            Step::DeleteTargetGroup(r) => super::target_group::delete(aws, &r.id).await?,
            Step::DeleteEcsCluster(r) => super::ecs::delete_cluster(aws, &r.id).await?,
            Step::DeregisterTaskDefinition(r) => {
                super::ecs::deregister_task_definition(aws, &r.id).await?;
            }
            Step::DeleteSecret { secret, deletion } => {
                super::secret::delete(aws, &secret.id, deletion).await?;
            }
            Step::RevokeIngressRule { rule, group } => {
                super::security_group::revoke_ingress(aws, &group, &rule.id).await?;
            }
            Step::DeleteSecurityGroup(r) => {
                super::security_group::delete(aws, &r.id, &patience).await?;
            }
        }
        Ok(())
    }
}
