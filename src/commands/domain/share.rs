//! `xapi domain share` and `xapi domain unshare`: the producer's AWS RAM
//! share of a private custom domain (planned by [`crate::plan::share`]).
//! `unshare` goes on in AWS's documented order: after the share, it rejects
//! the removed accounts' access associations and removes their endpoints
//! from the domain policy (`revoke-vpce --domain`).

use std::time::Duration;

use serde::Serialize;

use super::default_stack;
use crate::access::{DomainAccess, DomainAccessReport};
use crate::aws::domain::DomainOwner;
use crate::aws::ram::NewShare;
use crate::aws::Aws;
use crate::cli::{DomainShareArgs, DomainUnshareArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{DomainArn, VpceId};
use crate::lease::LeaseOptions;
use crate::model::{ShareMember, STACK_ID_TAG, STACK_TAG};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::access::{Change, Mode as AccessMode};
use crate::plan::domain_access;
use crate::plan::share::{self as planner, Desired, Mode, Observed, Step};
use crate::plan::Assessed;
use crate::poll::{poll_paced, Poll, Wait, RAM_PACE};

/// How long RAM may take to (dis)associate a principal.
const MEMBERSHIP_TIMEOUT: Duration = Duration::from_secs(120);

struct ShareDomain<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    want: Desired,
}

impl Mutation for ShareDomain<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = ();
    type Applied = ();

    fn subject(&self) -> String {
        format!(
            "the share of domain {} ({})",
            self.want.domain.name_and_id(),
            planner::share_name(&self.want.stack)
        )
    }

    async fn observe(&self) -> Result<Observed> {
        let aws = self.aws;
        let name = planner::share_name(&self.want.stack);
        let (identity, domain, shares) = tokio::try_join!(
            aws.caller_identity(),
            aws.domain_name(&self.want.domain),
            aws.shares_named(&name)
        )?;
        let mut seen = Observed {
            caller: identity.arn,
            account: identity.account,
            domain,
            shares,
            members: Vec::new(),
        };
        if let Some(share) = planner::the_share(&seen, &self.want)? {
            seen.members = aws.share_members(&share.arn).await?;
        }
        Ok(seen)
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step>> {
        planner::plan(seen, &self.want).map(Into::into)
    }

    async fn apply(&self, seen: &Observed, _facts: &(), steps: Vec<Step>) -> Result<()> {
        let aws = self.aws;
        let want = &self.want;
        let domain = want.domain.to_string();
        let existing = planner::the_share(seen, want)?.map(|s| s.arn.clone());
        let mut share_arn = existing.clone().unwrap_or_default();
        for step in steps {
            match step {
                Step::Create(principals) => {
                    output::note(&format!(
                        "creating resource share {} of {}",
                        planner::share_name(&want.stack),
                        want.domain.name_and_id()
                    ));
                    let share = aws
                        .create_share(&NewShare {
                            name: planner::share_name(&want.stack),
                            resource_arn: domain.clone(),
                            principals: principals.clone(),
                            permission_arn: planner::domain_permission(want.domain.partition()),
                            tags: crate::stack::stack_tags(&want.stack, &stack_id(seen, want)),
                        })
                        .await?;
                    share_arn = share.arn;
                    self.await_members(&share_arn, &principals, true).await?;
                }
                Step::AddDomain => {
                    output::note(&format!("adding {domain} to {share_arn}"));
                    aws.associate_share(&share_arn, &[], std::slice::from_ref(&domain))
                        .await?;
                }
                Step::AddPrincipals(principals) => {
                    output::note(&format!(
                        "sharing {share_arn} with {}",
                        principals.join(", ")
                    ));
                    aws.associate_share(&share_arn, &principals, &[]).await?;
                    self.await_members(&share_arn, &principals, true).await?;
                }
                Step::RemovePrincipals(principals) => {
                    output::note(&format!(
                        "removing {} from {share_arn}",
                        principals.join(", ")
                    ));
                    aws.disassociate_share_principals(&share_arn, &principals)
                        .await?;
                    self.await_members(&share_arn, &principals, false).await?;
                }
            }
        }
        Ok(())
    }

    fn inspect_hint(&self) -> String {
        format!(
            "aws ram get-resource-shares --resource-owner SELF --name {}",
            planner::share_name(&self.want.stack)
        )
    }
}

/// The share joins the domain's stack: it takes the domain's stack id when
/// the domain carries the same stack, so teardown sees one stack.
fn stack_id(seen: &Observed, want: &Desired) -> String {
    match (
        seen.domain.tags.get(STACK_TAG),
        seen.domain.tags.get(STACK_ID_TAG),
    ) {
        (Some(stack), Some(id)) if *stack == want.stack => id.clone(),
        _ => crate::stack::new_stack_id(),
    }
}

impl ShareDomain<'_> {
    /// Wait until RAM reports each principal associated (`joined`) or gone;
    /// a FAILED association carries RAM's message.
    async fn await_members(
        &self,
        share_arn: &str,
        principals: &[String],
        joined: bool,
    ) -> Result<()> {
        let wait = Wait {
            what: format!(
                "{} to be {} {share_arn}",
                principals.join(", "),
                if joined {
                    "associated with"
                } else {
                    "removed from"
                }
            ),
            timeout: MEMBERSHIP_TIMEOUT,
            hint: "re-run the same command: what is done is kept".into(),
            ctx: Some(self.ctx),
        };
        poll_paced(RAM_PACE, wait, || async {
            let members = self.aws.share_members(share_arn).await?;
            let of = |p: &String| {
                members
                    .iter()
                    .find(|m| m.kind == "PRINCIPAL" && &m.entity == p)
            };
            if let Some(failed) = principals
                .iter()
                .filter_map(of)
                .find(|m| m.status == "FAILED")
            {
                return Err(Error::Aws {
                    operation: "AssociateResourceShare",
                    resource: share_arn.to_owned(),
                    code: "AssociationFailed".into(),
                    message: format!(
                        "RAM could not share with {}: {}",
                        failed.entity,
                        failed
                            .status_message
                            .as_deref()
                            .unwrap_or("no reason given")
                    ),
                });
            }
            let done = principals.iter().all(|p| match (joined, of(p)) {
                (true, Some(m)) => m.status == "ASSOCIATED",
                (false, m) => !m.is_some_and(ShareMember::is_member),
                (true, None) => false,
            });
            Ok(if done {
                Poll::Ready(())
            } else {
                Poll::Pending("in progress".into())
            })
        })
        .await
    }
}

/// What `domain share` and `domain unshare` report.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ShareReport {
    #[serde(flatten)]
    pub run: Run,
    pub mode: &'static str,
    pub domain_arn: String,
    pub stack: String,
    pub share_name: String,
    /// Absent until the share exists.
    pub share_arn: Option<String>,
    /// The share's principals as RAM reports them now.
    pub principals: Vec<ShareMember>,
    /// share: a principal outside the organization gets an invitation to
    /// accept within 12 hours.
    pub needs_acceptance: bool,
    /// share: what each consumer runs next.
    pub consumer_command: Option<String>,
    /// unshare: the removed accounts' associations rejected and endpoints
    /// removed from the domain policy, as `revoke-vpce --domain` reports it.
    pub revoke: Option<DomainAccessReport>,
    #[serde(skip)]
    subject: String,
}

impl Report for ShareReport {
    fn table(&self, style: &Style) -> String {
        let mut body = String::new();
        if let Some(arn) = &self.share_arn {
            body.push_str(&format!("resource share {arn}\n"));
        }
        for m in &self.principals {
            body.push_str(&format!(
                "  {} {}{}\n",
                m.entity,
                m.status,
                if m.external {
                    " (outside the organization)"
                } else {
                    ""
                }
            ));
        }
        if let Some(cmd) = &self.consumer_command {
            if self.needs_acceptance {
                body.push_str(&format!(
                    "each consumer accepts the invitation within {} hours and associates its \
                     endpoint: {cmd}\n",
                    crate::plan::association::INVITATION_HOURS
                ));
            } else {
                body.push_str(&format!("each consumer associates its endpoint: {cmd}\n"));
            }
        }
        let mut out = self.run.frame(&self.subject, style, &body);
        if let Some(r) = &self.revoke {
            out.push('\n');
            out.push_str(&r.table(style));
        }
        out
    }
}

fn principals(accounts: &[crate::ids::AccountId], orgs: &[String]) -> Vec<String> {
    let mut p: Vec<String> = accounts
        .iter()
        .map(ToString::to_string)
        .chain(orgs.iter().cloned())
        .collect();
    p.sort();
    p.dedup();
    p
}

/// The stack a domain's share belongs to: `--stack`, else the domain's own
/// `xapi:stack` tag, else the default from its name.
async fn stack_of(
    aws: &Aws,
    arn: &DomainArn,
    given: Option<&crate::ids::StackName>,
) -> Result<String> {
    if let Some(s) = given {
        return Ok(s.to_string());
    }
    let d = aws.domain_name(arn).await?;
    match d.tags.get(STACK_TAG) {
        Some(s) => Ok(s.clone()),
        None => Ok(default_stack(arn.name())?.to_string()),
    }
}

async fn run_share(
    ctx: &Context,
    aws: &Aws,
    want: Desired,
    dry_run: bool,
) -> Result<(ShareReport, Vec<String>)> {
    let mutation = ShareDomain { ctx, aws, want };
    let ran = pipeline::run(ctx, &mutation, dry_run).await?;
    let want = &mutation.want;
    let share_arn = planner::the_share(&ran.observed, want)?.map(|s| s.arn.clone());
    let principals: Vec<ShareMember> = ran
        .observed
        .members
        .iter()
        .filter(|m| m.kind == "PRINCIPAL")
        .cloned()
        .collect();
    let needs_acceptance = principals
        .iter()
        .any(|m| m.external && want.principals.contains(&m.entity));
    // A dry run does not know yet whether RAM counts a principal as external.
    let consumer_command =
        (want.mode == Mode::Share && ran.outcome != Outcome::Planned).then(|| {
            format!(
                "xapi domain associate --domain {} --vpce VPCE{}",
                want.domain,
                if needs_acceptance {
                    " --accept-invitation"
                } else {
                    ""
                }
            )
        });
    Ok((
        ShareReport {
            run: Run::new(ran.outcome, ran.plan),
            mode: match want.mode {
                Mode::Share => "share",
                Mode::Unshare => "unshare",
            },
            domain_arn: want.domain.to_string(),
            stack: want.stack.clone(),
            share_name: planner::share_name(&want.stack),
            share_arn,
            principals,
            needs_acceptance,
            consumer_command,
            revoke: None,
            subject: mutation.subject(),
        },
        want.principals.clone(),
    ))
}

pub async fn share(ctx: &Context, args: &DomainShareArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    args.domain
        .check_region(aws.region())
        .map_err(Error::BadInput)?;
    let want = Desired {
        domain: args.domain.clone(),
        stack: stack_of(&aws, &args.domain, args.stack.as_ref()).await?,
        mode: Mode::Share,
        principals: principals(&args.accounts, &args.org_arns),
    };
    let (report, _) = run_share(ctx, &aws, want, args.dry_run).await?;
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

pub async fn unshare(ctx: &Context, args: &DomainUnshareArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    args.domain
        .check_region(aws.region())
        .map_err(Error::BadInput)?;
    let want = Desired {
        domain: args.domain.clone(),
        stack: stack_of(&aws, &args.domain, args.stack.as_ref()).await?,
        mode: Mode::Unshare,
        principals: principals(&args.accounts, &[]),
    };
    let (mut report, removed) = run_share(ctx, &aws, want, args.dry_run).await?;
    // The removed accounts' endpoints, as their associations with this domain name them.
    let mut vpces: Vec<VpceId> = aws
        .access_associations(DomainOwner::Shared)
        .await?
        .into_iter()
        .filter(|a| removed.iter().any(|acct| acct == a.account()) && args.domain.is(&a.domain_arn))
        .filter_map(|a| a.source.parse().ok())
        .collect();
    vpces.sort();
    vpces.dedup();
    if !vpces.is_empty() {
        let access = DomainAccess::new(
            &aws,
            domain_access::Desired {
                domain: args.domain.clone(),
                change: Change::Access {
                    mode: AccessMode::Revoke,
                    vpces,
                    like: None,
                    resources: Vec::new(),
                },
            },
            LeaseOptions {
                wait: args.lease_wait,
                progress: ctx.progress,
            },
        );
        let ran = access.run(ctx, args.dry_run).await?;
        // The command applied something when either half did.
        if ran.outcome == Outcome::Applied {
            report.run.outcome = Outcome::Applied;
            report.run.changed = true;
        }
        report.revoke = Some(DomainAccessReport::from_run(&access.want, ran)?);
    }
    output::emit(ctx, &report)?;
    Ok(
        if report
            .revoke
            .as_ref()
            .is_some_and(DomainAccessReport::still_open)
        {
            exit::STILL_ADMITTED
        } else {
            exit::OK
        },
    )
}
