//! Names and shared settings of an mTLS proxy stack (pattern 3): every resource
//! name derives from the stack name, so deploy, show, doctor and teardown find
//! the same resources again.

use crate::error::Error;
use crate::ids::StackName;
use crate::model::{EndpointService, STACK_TAG};

/// The proxy container's name in the task definition and the service's load balancer wiring.
pub const CONTAINER_NAME: &str = "proxy";
/// The TLS port consumers reach through the NLB.
pub const HTTPS_PORT: i32 = crate::mtls::DEFAULT_HTTPS_PORT as i32;
/// Plain-HTTP port the NLB health check uses (`GET /health`).
pub const HEALTH_PORT: i32 = crate::mtls::DEFAULT_HEALTH_PORT as i32;

/// Names of a stack's resources, all derived from the stack name so a re-run
/// finds them again. `StackName` caps the name at 28 characters, so
/// `<name>-nlb` fits the load balancer's 32.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackNames {
    pub stack: String,
    pub cluster: String,
    pub task_family: String,
    pub service: String,
    pub security_group: String,
    pub load_balancer: String,
    pub target_group: String,
    pub log_group: String,
    /// The Secrets Manager secret holding the proxy's certificates.
    pub secret: String,
}

impl StackNames {
    pub fn new(stack: &StackName) -> Self {
        Self::of(stack.as_str())
    }

    /// For a name already validated as a [`StackName`].
    pub fn of(s: &str) -> Self {
        StackNames {
            stack: s.to_owned(),
            cluster: format!("{s}-mtls"),
            task_family: format!("{s}-mtls-proxy"),
            service: format!("{s}-mtls-proxy"),
            security_group: format!("{s}-mtls-proxy"),
            load_balancer: format!("{s}-nlb"),
            target_group: format!("{s}-tg"),
            log_group: format!("/xapi/{s}/mtls-proxy"),
            secret: format!("xapi/mtls/{s}"),
        }
    }

    pub fn tags(&self) -> Vec<(String, String)> {
        vec![(STACK_TAG.to_owned(), self.stack.clone())]
    }
}

/// The stack's one live endpoint service, or a clear refusal.
pub fn the_endpoint_service(
    stack: &str,
    services: Vec<EndpointService>,
) -> Result<EndpointService, Error> {
    let mut live: Vec<EndpointService> = services.into_iter().filter(|s| s.is_live()).collect();
    match live.len() {
        0 => Err(Error::not_found(
            format!("endpoint service of stack {stack}"),
            format!(
                "nothing carries {STACK_TAG}={stack}; run `xapi mtls deploy --name {stack}` first"
            ),
        )),
        1 => Ok(live.remove(0)),
        n => Err(Error::BadInput(format!(
            "{n} endpoint services carry {STACK_TAG}={stack} ({}); remove the extra ones",
            live.iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
