//! `xapi mtls allow`: add or remove one account as an allowed principal of
//! the stack's endpoint service, then re-read the permissions to verify.

use serde::Serialize;

use crate::cli::MtlsAllowArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::{account_root_principal, EndpointConnection, STACK_TAG};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};
use crate::stack::the_endpoint_service;

#[derive(Debug, Serialize)]
pub struct AllowReport {
    pub name: String,
    pub endpoint_service_id: String,
    pub principal: String,
    /// `allow` or `revoke`.
    pub mode: &'static str,
    pub dry_run: bool,
    pub changed: bool,
    pub allowed_principals: Vec<String>,
    /// With `--revoke`: the account's endpoint connections that were (or, in
    /// a dry run, would be) rejected. Removing a principal alone leaves
    /// accepted connections working.
    pub cut: Vec<EndpointConnection>,
    pub plan: Plan,
}

/// Connections that still carry (or may come to carry) traffic: everything
/// but the end states.
fn is_live(c: &EndpointConnection) -> bool {
    !["rejected", "deleting", "deleted", "failed", "expired"]
        .iter()
        .any(|s| c.state.eq_ignore_ascii_case(s))
}

/// The account's connections that `--revoke` must reject.
fn connections_to_cut(
    connections: &[EndpointConnection],
    account: &str,
) -> Vec<EndpointConnection> {
    connections
        .iter()
        .filter(|c| c.owner == account && is_live(c))
        .cloned()
        .collect()
}

impl Report for AllowReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if self.dry_run {
            out.push_str(&self.plan.render(style));
            out.push_str("Dry run: nothing was changed.\n");
            return out;
        }
        let verb = match (self.mode, self.changed) {
            ("allow", true) => "allowed",
            ("allow", false) => "already allowed:",
            (_, true) => "revoked",
            (_, false) => "was not allowed:",
        };
        out.push_str(&format!(
            "{verb} {} on {}\n",
            self.principal, self.endpoint_service_id
        ));
        if self.mode == "revoke" {
            if self.cut.is_empty() {
                out.push_str("no live endpoint connections from that account\n");
            } else {
                let mut t = style.table(&["CUT CONNECTION", "STATE BEFORE"]);
                for c in &self.cut {
                    t.add_row(vec![c.vpce_id.clone(), c.state.clone()]);
                }
                out.push_str(&format!("{t}\n"));
            }
        }
        let mut t = style.table(&["ALLOWED PRINCIPAL"]);
        for p in &self.allowed_principals {
            t.add_row(vec![p]);
        }
        out.push_str(&format!("{t}\n"));
        out
    }
}

pub async fn run(ctx: &Context, args: &MtlsAllowArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let stack = args.name.as_str();
    let (identity, services) = tokio::try_join!(
        aws.caller_identity(),
        aws.tagged_endpoint_services(STACK_TAG, stack)
    )?;
    let service = the_endpoint_service(stack, services)?;
    let principal = account_root_principal(args.account.as_str());
    let before = aws.allowed_principals(&service.id).await?;
    let cut = if args.revoke {
        connections_to_cut(
            &aws.endpoint_connections(&service.id).await?,
            args.account.as_str(),
        )
    } else {
        Vec::new()
    };
    let present = before.contains(&principal);
    let wanted_present = !args.revoke;
    let verb = if present == wanted_present {
        Verb::Reuse
    } else {
        Verb::Change
    };
    let detail = if args.revoke {
        format!("remove {principal}")
    } else {
        format!("allow {principal}")
    };
    let mut actions = vec![Action {
        verb,
        resource: "endpoint-service-permissions".into(),
        target: service.id.clone(),
        details: vec![detail],
    }];
    actions.extend(cut.iter().map(|c| Action {
        verb: Verb::Change,
        resource: "endpoint-connection".into(),
        target: c.vpce_id.clone(),
        details: vec![format!(
            "reject ({} from {}): an accepted connection keeps working after the principal is removed",
            c.state, c.owner
        )],
    }));
    let plan = Plan {
        identity: identity.arn,
        actions,
        warnings: Vec::new(),
    };
    let mut report = AllowReport {
        name: stack.to_owned(),
        endpoint_service_id: service.id.clone(),
        principal: principal.clone(),
        mode: if args.revoke { "revoke" } else { "allow" },
        dry_run: args.dry_run,
        changed: false,
        allowed_principals: before,
        cut,
        plan,
    };
    if args.dry_run {
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&ctx.stderr_style()).trim_end());
    if verb == Verb::Change {
        let one = std::slice::from_ref(&principal);
        if args.revoke {
            aws.modify_allowed_principals(&service.id, &[], one).await?;
        } else {
            aws.modify_allowed_principals(&service.id, one, &[]).await?;
        }
        let after = aws.allowed_principals(&service.id).await?;
        if after.contains(&principal) != wanted_present {
            return Err(Error::Unverified(format!(
                "{} {principal} on {} but re-reading the permissions shows it {}; check with `xapi mtls show --name {stack}`",
                if args.revoke { "removed" } else { "allowed" },
                service.id,
                if wanted_present { "absent" } else { "still present" }
            )));
        }
        report.changed = true;
        report.allowed_principals = after;
    }
    if !report.cut.is_empty() {
        let ids: Vec<String> = report.cut.iter().map(|c| c.vpce_id.clone()).collect();
        let refused = aws.reject_endpoint_connections(&service.id, &ids).await?;
        let after = aws.endpoint_connections(&service.id).await?;
        let still = connections_to_cut(&after, args.account.as_str());
        if !refused.is_empty() || !still.is_empty() {
            let refused: Vec<String> = refused
                .iter()
                .map(|(id, why)| format!("{id}: {why}"))
                .collect();
            let still: Vec<String> = still
                .iter()
                .map(|c| format!("{} ({})", c.vpce_id, c.state))
                .collect();
            return Err(Error::Unverified(format!(
                "rejected the connections of account {} on {}, but AWS refused [{}] and these are still live [{}]; \
                 reject them with `aws ec2 reject-vpc-endpoint-connections --service-id {} --vpc-endpoint-ids ID`",
                args.account.as_str(),
                service.id,
                refused.join(", "),
                still.join(", "),
                service.id
            )));
        }
        report.changed = true;
    }
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_accounts_live_connections_are_cut() {
        let c = |id: &str, owner: &str, state: &str| EndpointConnection {
            vpce_id: id.into(),
            owner: owner.into(),
            state: state.into(),
        };
        let all = [
            c("vpce-1", "111111111111", "available"),
            c("vpce-2", "111111111111", "pendingAcceptance"),
            c("vpce-3", "111111111111", "rejected"),
            c("vpce-4", "222222222222", "available"),
            c("vpce-5", "111111111111", "Deleted"),
            c("vpce-6", "111111111111", "pending"),
        ];
        let ids: Vec<String> = connections_to_cut(&all, "111111111111")
            .into_iter()
            .map(|c| c.vpce_id)
            .collect();
        assert_eq!(ids, ["vpce-1", "vpce-2", "vpce-6"]);
    }
}
