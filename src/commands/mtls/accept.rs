//! `xapi mtls accept`: the endpoint service requires acceptance, so a
//! consumer's endpoint waits in `pendingAcceptance` until the producer
//! accepts it. Accept exactly those requests from accounts the service
//! already allows; never widen access to anyone else.

use serde::Serialize;

use crate::cli::MtlsAcceptArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::{EndpointConnection, STACK_TAG};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};
use crate::stack::{the_endpoint_service, StackNames};

/// The account a principal ARN belongs to (`arn:aws:iam::<account>:...`), or
/// `*` for the wildcard principal.
fn principal_account(principal: &str) -> Option<&str> {
    if principal == "*" {
        return Some("*");
    }
    principal.split(':').nth(4).filter(|a| a.len() == 12)
}

/// Split pending requests into those from allowed accounts and the rest.
pub fn decide(
    connections: &[EndpointConnection],
    principals: &[String],
) -> (Vec<EndpointConnection>, Vec<EndpointConnection>) {
    let allowed: Vec<&str> = principals
        .iter()
        .filter_map(|p| principal_account(p))
        .collect();
    connections
        .iter()
        .filter(|c| c.is_pending_acceptance())
        .cloned()
        .partition(|c| allowed.contains(&"*") || allowed.contains(&c.owner.as_str()))
}

#[derive(Debug, Serialize)]
pub struct AcceptReport {
    pub name: String,
    pub endpoint_service_id: String,
    pub dry_run: bool,
    pub accepted: Vec<EndpointConnection>,
    /// Waiting, but from an account the service does not allow: left alone.
    pub not_allowed: Vec<EndpointConnection>,
    pub connections: Vec<EndpointConnection>,
    pub plan: Plan,
}

impl Report for AcceptReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if self.dry_run {
            out.push_str(&self.plan.render(style));
        }
        let mut t = style.table(&["ENDPOINT", "OWNER", "STATE"]);
        for c in &self.connections {
            t.add_row(vec![c.vpce_id.as_str(), &c.owner, &c.state]);
        }
        if self.connections.is_empty() {
            out.push_str("No consumer endpoints are connected or waiting.\n");
        } else {
            out.push_str(&format!("{t}\n"));
        }
        if self.dry_run {
            out.push_str("Dry run: nothing was accepted.\n");
        } else if self.accepted.is_empty() {
            out.push_str("No changes: no connection from an allowed account is waiting.\n");
        } else {
            let ids: Vec<&str> = self.accepted.iter().map(|c| c.vpce_id.as_str()).collect();
            out.push_str(&format!("accepted {}\n", ids.join(", ")));
        }
        for c in &self.not_allowed {
            out.push_str(&format!(
                "{} {} waits from account {}, which the service does not allow: left pending (allow it with `xapi mtls allow --name {} --account {}`)\n",
                style.paint("warning:", comfy_table::Color::Yellow),
                c.vpce_id,
                c.owner,
                self.name,
                c.owner
            ));
        }
        out
    }
}

pub async fn run(ctx: &Context, args: &MtlsAcceptArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let n = StackNames::new(&args.name);
    let (identity, services) = tokio::try_join!(
        aws.caller_identity(),
        aws.tagged_endpoint_services(STACK_TAG, &n.stack)
    )?;
    let es = the_endpoint_service(&n.stack, services)?;
    let (principals, connections) = tokio::try_join!(
        aws.allowed_principals(&es.id),
        aws.endpoint_connections(&es.id)
    )?;
    let (accept, not_allowed) = decide(&connections, &principals);
    let plan = Plan {
        identity: identity.arn,
        actions: accept
            .iter()
            .map(|c| Action {
                verb: Verb::Change,
                resource: "endpoint-connection".into(),
                target: c.vpce_id.clone(),
                details: vec![format!("accept from account {}", c.owner)],
            })
            .collect(),
        warnings: not_allowed
            .iter()
            .map(|c| {
                format!(
                    "{} from account {} is not allowed: left pending",
                    c.vpce_id, c.owner
                )
            })
            .collect(),
    };
    let mut report = AcceptReport {
        name: n.stack.clone(),
        endpoint_service_id: es.id.clone(),
        dry_run: args.dry_run,
        accepted: Vec::new(),
        not_allowed,
        connections,
        plan,
    };
    if args.dry_run || accept.is_empty() {
        if args.dry_run {
            report.accepted = accept;
        }
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&ctx.stderr_style()).trim_end());
    let ids: Vec<String> = accept.iter().map(|c| c.vpce_id.clone()).collect();
    let refused = aws.accept_endpoint_connections(&es.id, &ids).await?;
    if let Some((id, why)) = refused.first() {
        return Err(Error::Aws {
            operation: "AcceptVpcEndpointConnections",
            resource: id.clone(),
            code: "Unsuccessful".into(),
            message: why.clone(),
        });
    }
    let after = aws.endpoint_connections(&es.id).await?;
    let still: Vec<&str> = after
        .iter()
        .filter(|c| c.is_pending_acceptance() && ids.contains(&c.vpce_id))
        .map(|c| c.vpce_id.as_str())
        .collect();
    if !still.is_empty() {
        return Err(Error::Unverified(format!(
            "accepted {} on {}, but it still waits for acceptance; check with `aws ec2 describe-vpc-endpoint-connections --filters Name=service-id,Values={}`",
            still.join(", "),
            es.id,
            es.id
        )));
    }
    report.accepted = accept;
    report.connections = after;
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(id: &str, owner: &str, state: &str) -> EndpointConnection {
        EndpointConnection {
            vpce_id: id.into(),
            owner: owner.into(),
            state: state.into(),
        }
    }

    #[test]
    fn only_waiting_requests_from_allowed_accounts_are_accepted() {
        let connections = [
            conn("vpce-1", "222222222222", "pendingAcceptance"),
            conn("vpce-2", "333333333333", "pendingAcceptance"),
            conn("vpce-3", "222222222222", "available"),
            conn("vpce-4", "444444444444", "pendingAcceptance"),
        ];
        let principals = vec![
            "arn:aws:iam::222222222222:root".to_owned(),
            "arn:aws:iam::444444444444:role/consumer".to_owned(),
        ];
        let (accept, rest) = decide(&connections, &principals);
        let ids =
            |v: &[EndpointConnection]| v.iter().map(|c| c.vpce_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&accept), ["vpce-1", "vpce-4"]);
        assert_eq!(ids(&rest), ["vpce-2"]);
        let (accept, rest) = decide(&connections, &["*".to_owned()]);
        assert_eq!(accept.len(), 3);
        assert!(rest.is_empty());
        let (accept, _) = decide(&connections, &[]);
        assert!(accept.is_empty(), "no principal, nobody accepted");
    }
}
