//! `xapi domain associate`: the consumer's half of a shared private custom
//! domain (planned by [`crate::plan::association`]), run with the consumer's
//! credentials.

use std::sync::OnceLock;
use std::time::Duration;

use serde::Serialize;

use super::default_stack;
use crate::aws::domain::DomainOwner;
use crate::aws::Aws;
use crate::cli::DomainAssociateArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::VpcId;
use crate::infra;
use crate::model::{AccessAssociation, AliasRecord};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::association::{self as planner, Desired, Observed, Step};
use crate::plan::Assessed;
use crate::poll::{poll_paced, Poll, Wait, RAM_PACE};

/// How long an accepted share may take to show the domain to this account.
const SHARE_VISIBLE_TIMEOUT: Duration = Duration::from_secs(120);

struct Associate<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    want: Desired,
    /// The zone this run created: the alias records go into it.
    zone: OnceLock<String>,
    /// Whether this run created the association.
    made: OnceLock<()>,
}

impl Mutation for Associate<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = ();
    type Applied = ();

    fn subject(&self) -> String {
        format!(
            "the access of {} to domain {}",
            self.want.vpce,
            self.want.domain.name_and_id()
        )
    }

    async fn observe(&self) -> Result<Observed> {
        let aws = self.aws;
        let want = &self.want;
        let endpoint = async {
            infra::endpoint::observe(aws, &want.vpce)
                .await
                .map_err(|e| match e {
                    Error::NotFound { .. } => Error::BadInput(format!(
                    "--vpce {}: no such endpoint in this account and Region; nothing was changed",
                    want.vpce
                )),
                    e => e,
                })
        };
        let (identity, shared, endpoint, associations) = tokio::try_join!(
            aws.caller_identity(),
            aws.domain_names(DomainOwner::Shared),
            endpoint,
            aws.access_associations(DomainOwner::Mine)
        )?;
        let vpc: VpcId = endpoint
            .vpc_id
            .parse()
            .map_err(|e: String| Error::internal("reading the endpoint's VPC", e))?;
        let visible = want.domain.account() == identity.account
            || shared.iter().any(|d| want.domain.is(&d.arn));
        let invitations = async {
            if visible {
                Ok(None)
            } else {
                aws.share_invitations().await.map(Some)
            }
        };
        let zones = async {
            if want.dns {
                aws.private_zones_of_vpc(vpc.as_str()).await
            } else {
                Ok(Vec::new())
            }
        };
        let (vpc_dns, invitations, zones) =
            tokio::try_join!(aws.vpc_dns(&vpc), invitations, zones)?;
        let name = want.domain.name().to_ascii_lowercase();
        let records = match zones.iter().filter(|z| z.name == name).collect::<Vec<_>>()[..] {
            [zone] => aws.alias_records(&zone.id, &name).await?,
            _ => Vec::new(),
        };
        Ok(Observed {
            caller: identity.arn,
            account: identity.account,
            region: aws.region().to_owned(),
            shared,
            invitations,
            endpoint,
            vpc_dns,
            associations,
            zones,
            records,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step>> {
        planner::plan(seen, &self.want).map(Into::into)
    }

    async fn apply(&self, seen: &Observed, _facts: &(), steps: Vec<Step>) -> Result<()> {
        let aws = self.aws;
        let want = &self.want;
        let name = want.domain.name().to_ascii_lowercase();
        for step in steps {
            match step {
                Step::Accept(invitation) => {
                    output::note(&format!(
                        "accepting the invitation to resource share {} from account {}",
                        invitation.share_name, invitation.sender_account
                    ));
                    aws.accept_share_invitation(&invitation.arn).await?;
                    self.await_shared().await?;
                }
                Step::Associate => {
                    output::note(&format!(
                        "associating {} with domain {}",
                        want.vpce,
                        want.domain.name_and_id()
                    ));
                    let tags = crate::stack::stack_tags(&want.stack, &crate::stack::new_stack_id());
                    aws.create_access_association(&want.domain, &want.vpce, &tags)
                        .await?;
                    let _ = self.made.set(());
                }
                Step::CreateZone => {
                    output::note(&format!(
                        "creating private hosted zone {name} for VPC {}",
                        seen.endpoint.vpc_id
                    ));
                    let zone = aws
                        .create_private_zone(
                            &name,
                            &seen.endpoint.vpc_id,
                            &format!("xapi-{}-{}", want.stack, crate::stack::new_stack_id()),
                            &crate::stack::StackNames::of(&want.stack).zone_comment,
                        )
                        .await?;
                    let _ = self.zone.set(zone.id);
                }
                Step::Aliases(records) => {
                    let zone = match self.zone.get() {
                        Some(id) => id.clone(),
                        None => seen
                            .zones
                            .iter()
                            .find(|z| z.name == name)
                            .map(|z| z.id.clone())
                            .ok_or_else(|| {
                                Error::internal("applying a DNS plan", "no zone before its records")
                            })?,
                    };
                    output::note(&format!("writing alias records for {name} in zone {zone}"));
                    aws.upsert_aliases(&zone, &records).await?;
                }
            }
        }
        Ok(())
    }

    fn inspect_hint(&self) -> String {
        "aws apigateway get-domain-name-access-associations --resource-owner SELF".into()
    }
}

impl Associate<'_> {
    /// RAM makes an accepted share's resources visible shortly after.
    async fn await_shared(&self) -> Result<()> {
        let arn = &self.want.domain;
        let wait = Wait {
            what: format!(
                "domain {} to be shared with this account",
                arn.name_and_id()
            ),
            timeout: SHARE_VISIBLE_TIMEOUT,
            hint: "re-run the same command: the accepted share is kept".into(),
            ctx: Some(self.ctx),
        };
        poll_paced(RAM_PACE, wait, || async {
            let shared = self.aws.domain_names(DomainOwner::Shared).await?;
            Ok(if shared.iter().any(|d| arn.is(&d.arn)) {
                Poll::Ready(())
            } else {
                Poll::Pending("not listed yet".into())
            })
        })
        .await
    }
}

/// What `domain associate` reports.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AssociateReport {
    #[serde(flatten)]
    pub run: Run,
    /// The association's: `planned`, `created` or `reused`.
    pub action: &'static str,
    pub domain_arn: String,
    pub vpce: String,
    pub stack: String,
    /// Absent on a dry run that would create it.
    pub association: Option<AccessAssociation>,
    /// With `--dns`: the private zone and the alias records in it.
    pub hosted_zone_id: Option<String>,
    pub records: Vec<AliasRecord>,
    /// What the domain's owner runs so its policies admit the endpoint.
    pub producer_command: String,
    #[serde(skip)]
    subject: String,
}

impl Report for AssociateReport {
    fn table(&self, style: &Style) -> String {
        let mut body = String::new();
        if let Some(a) = &self.association {
            body.push_str(&format!("{} access association {}\n", self.action, a.arn));
        }
        if let Some(z) = &self.hosted_zone_id {
            for r in &self.records {
                body.push_str(&format!(
                    "zone {z}: {} {} alias to {}\n",
                    r.name, r.record_type, r.target
                ));
            }
        }
        if self.run.outcome != Outcome::Planned {
            body.push_str(&format!(
                "next, the domain's owner admits the endpoint: {}\nAWS makes a new association \
                 usable in about 15 minutes (it reports no status)\n",
                self.producer_command
            ));
        }
        self.run.frame(&self.subject, style, &body)
    }
}

pub async fn associate(ctx: &Context, args: &DomainAssociateArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    args.domain
        .check_region(aws.region())
        .map_err(Error::BadInput)?;
    let stack = match &args.stack {
        Some(s) => s.clone(),
        None => default_stack(args.domain.name())?,
    };
    let mutation = Associate {
        ctx,
        aws: &aws,
        want: Desired {
            domain: args.domain.clone(),
            vpce: args.vpce.clone(),
            stack: stack.to_string(),
            accept_invitation: args.accept_invitation,
            dns: args.dns,
        },
        zone: OnceLock::new(),
        made: OnceLock::new(),
    };
    let ran = pipeline::run(ctx, &mutation, args.dry_run).await?;
    let seen = &ran.observed;
    let want = &mutation.want;
    let association = planner::association(seen, want).cloned();
    let name = want.domain.name().to_ascii_lowercase();
    let zone = seen.zones.iter().find(|z| z.name == name);
    output::emit(
        ctx,
        &AssociateReport {
            run: Run::new(ran.outcome, ran.plan),
            action: ran.outcome.action(mutation.made.get().is_some()),
            domain_arn: want.domain.to_string(),
            vpce: want.vpce.to_string(),
            stack: want.stack.clone(),
            association,
            hosted_zone_id: zone.map(|z| z.id.clone()),
            records: if zone.is_some() {
                seen.records.clone()
            } else {
                Vec::new()
            },
            producer_command: format!(
                "xapi grant-vpce --domain {} --vpce {}",
                want.domain, want.vpce
            ),
            subject: mutation.subject(),
        },
    )?;
    Ok(exit::OK)
}
