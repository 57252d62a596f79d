//! `xapi mtls allow`: add one account as an allowed principal of the stack's
//! endpoint service, or with `--revoke` remove every principal of the account
//! (root, roles, users) and reject its live connections (planned by
//! [`crate::plan::mtls_access::plan_allow`]). A `*` principal still admits
//! the account after that: the report names it and the exit code is 5.

use serde::Serialize;

use crate::aws::Aws;
use crate::cli::MtlsAllowArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::{account_root_principal, EndpointConnection, STACK_TAG};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::mtls_access::{plan_allow, still_admitting, Access, AllowStep, Observed};
use crate::plan::Assessed;
use crate::stack::the_endpoint_service;

fn subject(stack: &str, account: &str) -> String {
    format!("access of account {account} to stack {stack}")
}

struct Allow<'a> {
    aws: &'a Aws,
    stack: &'a str,
    want: Access,
}

impl Mutation for Allow<'_> {
    type Observed = Observed;
    type Step = AllowStep;
    type Facts = ();
    /// The connections rejected.
    type Applied = Vec<EndpointConnection>;

    fn subject(&self) -> String {
        subject(self.stack, &self.want.account)
    }

    async fn observe(&self) -> Result<Observed> {
        let (identity, services) = tokio::try_join!(
            self.aws.caller_identity(),
            self.aws.tagged_endpoint_services(STACK_TAG, self.stack)
        )?;
        let service = the_endpoint_service(self.stack, services)?;
        let principals = self.aws.allowed_principals(&service.id).await?;
        let connections = if self.want.revoke {
            self.aws.endpoint_connections(&service.id).await?
        } else {
            Vec::new()
        };
        Ok(Observed {
            identity: identity.arn,
            service_id: service.id,
            principals,
            connections,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<AllowStep>> {
        plan_allow(seen, &self.want).map(Into::into)
    }

    async fn apply(
        &self,
        _seen: &Observed,
        _facts: &(),
        steps: Vec<AllowStep>,
    ) -> Result<Vec<EndpointConnection>> {
        let mut cut = Vec::new();
        for step in steps {
            match step {
                AllowStep::AddPrincipal {
                    service_id,
                    principal,
                } => {
                    self.aws
                        .modify_allowed_principals(&service_id, &[principal], &[])
                        .await?;
                }
                AllowStep::RemovePrincipals {
                    service_id,
                    principals,
                } => {
                    self.aws
                        .modify_allowed_principals(&service_id, &[], &principals)
                        .await?;
                }
                AllowStep::Reject {
                    service_id,
                    connections,
                } => {
                    let ids: Vec<String> = connections.iter().map(|c| c.vpce_id.clone()).collect();
                    let refused = self
                        .aws
                        .reject_endpoint_connections(&service_id, &ids)
                        .await?;
                    if !refused.is_empty() {
                        let refused: Vec<String> = refused
                            .iter()
                            .map(|(id, why)| format!("{id}: {why}"))
                            .collect();
                        return Err(Error::Unverified(format!(
                            "rejecting the connections of account {} on {service_id} failed: AWS refused [{}]; \
                             reject them with `aws ec2 reject-vpc-endpoint-connections --service-id {service_id} --vpc-endpoint-ids ID`",
                            self.want.account,
                            refused.join(", "),
                        )));
                    }
                    cut.extend(connections);
                }
            }
        }
        Ok(cut)
    }

    fn inspect_hint(&self) -> String {
        if self.want.revoke {
            format!(
                "xapi mtls allow --name {} --account {} --revoke --dry-run",
                self.stack, self.want.account
            )
        } else {
            format!("xapi mtls show --name {}", self.stack)
        }
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AllowReport {
    pub name: String,
    pub endpoint_service_id: String,
    pub principal: String,
    /// `allow` or `revoke`.
    pub mode: &'static str,
    #[serde(flatten)]
    pub run: Run,
    pub allowed_principals: Vec<String>,
    /// With `--revoke`: the account's endpoint connections that were (or, in
    /// a dry run, would be) rejected. Removing a principal alone leaves
    /// accepted connections working.
    pub cut: Vec<EndpointConnection>,
    /// With `--revoke`: allowed principals that still admit the account
    /// (`*`); when any is left the command exits 5.
    pub still_admitted_by: Vec<String>,
    #[serde(skip)]
    account: String,
}

impl Report for AllowReport {
    fn table(&self, style: &Style) -> String {
        let frame = |body: &str| {
            self.run
                .frame(&subject(&self.name, &self.account), style, body)
        };
        if self.run.outcome == Outcome::Planned {
            return frame("");
        }
        let mut out = String::new();
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
        if !self.still_admitted_by.is_empty() {
            out.push_str(&format!(
                "account {} is STILL ADMITTED by {}\n",
                self.account,
                self.still_admitted_by.join(", ")
            ));
        }
        frame(&out)
    }
}

pub async fn run(ctx: &Context, args: &MtlsAllowArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let account = args.account.as_str();
    let allow = Allow {
        aws: &aws,
        stack: args.name.as_str(),
        want: Access {
            account: account.to_owned(),
            principal: account_root_principal(account),
            revoke: args.revoke,
        },
    };
    let ran = pipeline::run(ctx, &allow, args.dry_run).await?;
    let cut = match ran.outcome {
        Outcome::Planned => {
            crate::plan::mtls_access::connections_to_cut(&ran.observed.connections, account)
        }
        Outcome::Applied => ran.applied,
        Outcome::Unchanged => Vec::new(),
    };
    let still_admitted_by = if args.revoke {
        still_admitting(&ran.observed.principals, account)
    } else {
        Vec::new()
    };
    let exit_code = if still_admitted_by.is_empty() {
        exit::OK
    } else {
        exit::STILL_ADMITTED
    };
    output::emit(
        ctx,
        &AllowReport {
            name: allow.stack.to_owned(),
            endpoint_service_id: ran.observed.service_id,
            principal: allow.want.principal,
            mode: if args.revoke { "revoke" } else { "allow" },
            run: Run::new(ran.outcome, ran.plan),
            allowed_principals: ran.observed.principals,
            cut,
            still_admitted_by,
            account: account.to_owned(),
        },
    )?;
    Ok(exit_code)
}
