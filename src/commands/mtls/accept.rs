//! `xapi mtls accept`: the endpoint service requires acceptance, so a
//! consumer's endpoint waits in `pendingAcceptance` until the producer
//! accepts it. Accept exactly those requests from accounts the service
//! already allows (planned by [`crate::plan::mtls_access::plan_accept`]).

use serde::Serialize;

use crate::aws::Aws;
use crate::cli::MtlsAcceptArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::{EndpointConnection, STACK_TAG};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::mtls_access::{decide, plan_accept, AcceptStep, Observed};
use crate::plan::Assessed;
use crate::stack::the_endpoint_service;

fn subject(stack: &str) -> String {
    format!("the endpoint service of stack {stack}")
}

struct Accept<'a> {
    aws: &'a Aws,
    stack: &'a str,
}

impl Mutation for Accept<'_> {
    type Observed = Observed;
    type Step = AcceptStep;
    type Facts = ();
    /// The connections accepted.
    type Applied = Vec<EndpointConnection>;

    fn subject(&self) -> String {
        subject(self.stack)
    }

    async fn observe(&self) -> Result<Observed> {
        let (identity, services) = tokio::try_join!(
            self.aws.caller_identity(),
            self.aws.tagged_endpoint_services(STACK_TAG, self.stack)
        )?;
        let es = the_endpoint_service(self.stack, services)?;
        let (principals, connections) = tokio::try_join!(
            self.aws.allowed_principals(&es.id),
            self.aws.endpoint_connections(&es.id)
        )?;
        Ok(Observed {
            identity: identity.arn,
            service_id: es.id,
            principals,
            connections,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<AcceptStep>> {
        plan_accept(seen).map(Into::into)
    }

    async fn apply(
        &self,
        _seen: &Observed,
        _facts: &(),
        steps: Vec<AcceptStep>,
    ) -> Result<Vec<EndpointConnection>> {
        let mut accepted = Vec::new();
        for step in steps {
            match step {
                AcceptStep::Accept {
                    service_id,
                    connections,
                } => {
                    let ids: Vec<String> = connections.iter().map(|c| c.vpce_id.clone()).collect();
                    let refused = self
                        .aws
                        .accept_endpoint_connections(&service_id, &ids)
                        .await?;
                    if let Some((id, why)) = refused.first() {
                        return Err(Error::Aws {
                            operation: "AcceptVpcEndpointConnections",
                            resource: id.clone(),
                            code: "Unsuccessful".into(),
                            message: why.clone(),
                        });
                    }
                    accepted.extend(connections);
                }
            }
        }
        Ok(accepted)
    }

    fn inspect_hint(&self) -> String {
        format!("xapi mtls accept --name {} --dry-run", self.stack)
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AcceptReport {
    pub name: String,
    pub endpoint_service_id: String,
    #[serde(flatten)]
    pub run: Run,
    /// Accepted (in a dry run: would be).
    pub accepted: Vec<EndpointConnection>,
    /// Waiting, but from an account the service does not allow: left alone.
    pub not_allowed: Vec<EndpointConnection>,
    pub connections: Vec<EndpointConnection>,
}

impl Report for AcceptReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        let mut t = style.table(&["ENDPOINT", "OWNER", "STATE"]);
        for c in &self.connections {
            t.add_row(vec![c.vpce_id.as_str(), &c.owner, &c.state]);
        }
        if self.connections.is_empty() {
            out.push_str("No consumer endpoints are connected or waiting.\n");
        } else {
            out.push_str(&format!("{t}\n"));
        }
        if self.run.outcome == Outcome::Applied {
            let ids: Vec<&str> = self.accepted.iter().map(|c| c.vpce_id.as_str()).collect();
            out.push_str(&format!("accepted {}\n", ids.join(", ")));
        }
        // A dry run's plan already warns about them.
        let not_allowed = if self.run.outcome == Outcome::Planned {
            &[][..]
        } else {
            &self.not_allowed[..]
        };
        for c in not_allowed {
            out.push_str(&format!(
                "{} {} waits from account {}, which the service does not allow: left pending (allow it with `xapi mtls allow --name {} --account {}`)\n",
                style.paint("warning:", comfy_table::Color::Yellow),
                c.vpce_id,
                c.owner,
                self.name,
                c.owner
            ));
        }
        self.run.frame(&subject(&self.name), style, &out)
    }
}

pub async fn run(ctx: &Context, args: &MtlsAcceptArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let accept = Accept {
        aws: &aws,
        stack: args.name.as_str(),
    };
    let ran = pipeline::run(ctx, &accept, args.dry_run).await?;
    let seen = ran.observed;
    let (waiting, not_allowed) = decide(&seen.connections, &seen.principals);
    let accepted = match ran.outcome {
        Outcome::Planned => waiting,
        Outcome::Applied => ran.applied,
        Outcome::Unchanged => Vec::new(),
    };
    output::emit(
        ctx,
        &AcceptReport {
            name: accept.stack.to_owned(),
            endpoint_service_id: seen.service_id,
            run: Run::new(ran.outcome, ran.plan),
            accepted,
            not_allowed,
            connections: seen.connections,
        },
    )?;
    Ok(exit::OK)
}
