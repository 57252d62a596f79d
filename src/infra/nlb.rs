//! The load balancer chain's applier, for every command that composes the
//! chain ([`crate::plan::nlb`] plans it): each step is one call, and what a
//! step creates is threaded to the steps after it.

use crate::aws::elbv2::NewTargetGroup;
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::model::{LoadBalancer, TargetGroup, HTTPS_PORT};
use crate::output;
use crate::plan::nlb::{ObservedNlb, ObservedTg, Step};

/// The chain's load balancer and target group: first as observed, then as
/// the steps create them.
#[derive(Debug, Clone, Default)]
pub struct Made {
    pub load_balancer: Option<LoadBalancer>,
    pub target_group: Option<TargetGroup>,
}

impl Made {
    pub fn observed(lb: Option<&ObservedNlb>, tg: Option<&ObservedTg>) -> Self {
        Made {
            load_balancer: lb.map(|n| n.lb.clone()),
            target_group: tg.map(|t| t.tg.clone()),
        }
    }

    /// The load balancer a step needs: the planner orders steps so that it
    /// was observed or created before; anything else is a bug to report.
    pub fn load_balancer(&self, step: &str) -> Result<&LoadBalancer> {
        self.load_balancer
            .as_ref()
            .ok_or_else(|| missing("load balancer", step))
    }

    pub fn target_group(&self, step: &str) -> Result<&TargetGroup> {
        self.target_group
            .as_ref()
            .ok_or_else(|| missing("target group", step))
    }
}

fn missing(what: &str, step: &str) -> Error {
    Error::Unverified(format!(
        "the plan asked to {step} before the {what} existed; re-run (what was made is reused) and report this"
    ))
}

/// Make the one call `step` names.
pub async fn apply(
    aws: &Aws,
    step: &Step,
    made: &mut Made,
    tags: &[(String, String)],
) -> Result<()> {
    match step {
        Step::CreateLoadBalancer { name, subnet_ids } => {
            output::note(&format!("creating load balancer {name}"));
            made.load_balancer = Some(aws.create_internal_nlb(name, subnet_ids, tags).await?);
        }
        Step::EnableCrossZone => {
            let lb = made.load_balancer("turn cross-zone load balancing on")?;
            aws.enable_cross_zone(&lb.arn).await?;
        }
        Step::CreateTargetGroup {
            name,
            vpc_id,
            health,
        } => {
            output::note(&format!("creating target group {name}"));
            let tg = aws
                .create_ip_target_group(&NewTargetGroup {
                    name: name.clone(),
                    vpc_id: vpc_id.clone(),
                    port: HTTPS_PORT,
                    health: health.clone(),
                    tags: tags.to_vec(),
                })
                .await?;
            made.target_group = Some(tg);
        }
        Step::SetHealthCheck { health } => {
            let tg = made.target_group("change the health check")?;
            aws.set_health_check(&tg.arn, health).await?;
        }
        Step::CreateListener => {
            let what = "create the listener";
            let (lb, tg) = (made.load_balancer(what)?, made.target_group(what)?);
            aws.create_tcp_listener(&lb.arn, HTTPS_PORT, &tg.arn, tags)
                .await?;
            output::note(&format!("created listener TCP {HTTPS_PORT} on {}", lb.name));
        }
    }
    Ok(())
}
