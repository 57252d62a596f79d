//! `xapi mtls allow`: add or remove one account as an allowed principal of
//! the stack's endpoint service, then re-read the permissions to verify.

use serde::Serialize;

use super::the_endpoint_service;
use crate::cli::MtlsAllowArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::{account_root_principal, STACK_TAG};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};

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
    pub plan: Plan,
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
    let plan = Plan {
        identity: identity.arn,
        actions: vec![Action {
            verb,
            resource: "endpoint-service-permissions".into(),
            target: service.id.clone(),
            details: vec![detail],
        }],
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
        plan,
    };
    if args.dry_run {
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&Style { color: ctx.color }).trim_end());
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
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
