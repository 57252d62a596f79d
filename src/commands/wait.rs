//! Waits shared by the commands that create resources AWS finishes in the background.

use std::time::{Duration, Instant};

use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::LoadBalancer;
use crate::output;

/// Wait until a new load balancer is active: a VPC link or an endpoint
/// service made while it is still provisioning fails.
pub async fn load_balancer_active(
    ctx: &Context,
    aws: &Aws,
    lb: &LoadBalancer,
    timeout: Duration,
) -> Result<()> {
    let spinner = output::spinner(
        ctx,
        format!("waiting for load balancer {} to become active", lb.name),
    );
    let started = Instant::now();
    let result = loop {
        let state = match aws.load_balancer(&lb.arn).await {
            Ok(Some(now)) => now.state,
            Ok(None) => {
                break Err(Error::not_found(
                    format!("load balancer {}", lb.name),
                    "it disappeared while starting",
                ))
            }
            Err(e) => break Err(e),
        };
        match state.as_str() {
            "active" => break Ok(()),
            "failed" => {
                break Err(Error::Aws {
                    operation: "CreateLoadBalancer",
                    resource: lb.name.clone(),
                    code: "LoadBalancerFailed".into(),
                    message: "the load balancer went to state failed; delete it with `xapi teardown --stack <name>` and re-run".into(),
                })
            }
            _ => {}
        }
        if started.elapsed() >= timeout {
            break Err(Error::Timeout {
                what: format!("load balancer {} to become active (state {state})", lb.name),
                after_secs: timeout.as_secs(),
                hint: "re-run the command later: what exists is reused".into(),
            });
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    result
}
