//! `xapi wire-regional-front`: pattern 1 in one idempotent command, run by
//! [`crate::wire`] through the pipeline: the front door in the consumer
//! account and, with producer credentials, the grant in the producer's.

use serde::Serialize;

use crate::access::{self, AccessReport, Writer};
use crate::cidr;
use crate::cli::WireArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::ids::ExecuteApiHost;
use crate::lease::LeaseOptions;
use crate::model::LinkVersion;
use crate::output::{self, Report, Style};
use crate::pipeline::{Outcome, Ran, Run};
use crate::plan::access::{Change, Mode};
use crate::plan::front::{self, Desired};
use crate::plan::wire;
use crate::region;
use crate::wire::{Lookup, Wire};

fn desired(ctx: &Context, args: &WireArgs) -> Desired {
    let stack = args
        .name
        .as_ref()
        .map(|n| n.to_string())
        .unwrap_or_else(|| format!("front-{}", args.private_api_id));
    Desired {
        front_api_name: args.front_api_name.clone().unwrap_or_else(|| stack.clone()),
        front_stage: args.front_stage.as_ref().unwrap_or(&args.stage).to_string(),
        stack,
        region: ctx.region.clone(),
        dns_suffix: region::dns_suffix(&ctx.region).to_owned(),
        private_api_id: args.private_api_id.to_string(),
        private_stage: args.stage.to_string(),
        subnet_ids: args.subnet_ids.iter().map(|s| s.to_string()).collect(),
        fix_security_group: args.fix_security_group,
        authorization: args.authorization.map(|a| {
            match a {
                crate::cli::FrontAuthorization::None => front::AUTH_NONE,
                crate::cli::FrontAuthorization::Iam => front::AUTH_IAM,
            }
            .to_owned()
        }),
        allow_cidrs: {
            let mut cidrs = args.allow_cidrs.clone();
            cidrs.sort();
            cidrs.dedup();
            cidrs
        },
        new_stack_id: crate::stack::new_stack_id(),
        link: match (args.vpc_link, args.migrate_to_v2) {
            (_, true) => front::LinkChoice::MigrateToV2,
            (None, false) => front::LinkChoice::Keep,
            (Some(crate::cli::LinkVersionArg::V1), false) => front::LinkChoice::V1,
            (Some(crate::cli::LinkVersionArg::V2), false) => front::LinkChoice::V2,
        },
    }
}

/// The stack's resources, as observed after the run.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Resources {
    pub load_balancer_arn: Option<String>,
    pub load_balancer_dns: Option<String>,
    pub target_group_arn: Option<String>,
    pub vpc_link_id: Option<String>,
    /// `V1` or `V2`: the kind of the link the front goes through.
    pub vpc_link_version: Option<LinkVersion>,
    /// The group on a v2 link's interfaces.
    pub link_security_group_id: Option<String>,
    pub front_api_id: Option<String>,
    pub front_stage: String,
    pub targets: Vec<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct WireReport {
    pub stack: String,
    /// The stack's `xapi:stack-id` (what `teardown --stack-id` takes); in a dry run of a
    /// new stack, the id it would get.
    pub stack_id: String,
    #[serde(flatten)]
    pub run: Run,
    pub resources: Option<Resources>,
    /// The producer's grant, when producer credentials were given.
    pub producer: Option<AccessReport>,
    /// The command the producer must run, when they were not.
    pub producer_command: Option<String>,
    pub invoke_url: Option<String>,
    pub warnings: Vec<String>,
}

impl Report for WireReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if let Some(cmd) = &self.producer_command {
            out.push_str(&format!(
                "The producer must admit the endpoint and redeploy:\n  {cmd}\n"
            ));
        }
        if let Some(r) = &self.resources {
            let mut t = style.table(&["RESOURCE", "ID"]);
            let rows = [
                ("Load balancer", r.load_balancer_arn.clone()),
                ("Target group", r.target_group_arn.clone()),
                ("Targets", Some(r.targets.join(", "))),
                (
                    "VPC link",
                    r.vpc_link_id.as_ref().map(|id| match r.vpc_link_version {
                        Some(v) => format!("{id} ({v})"),
                        None => id.clone(),
                    }),
                ),
                ("Link security group", r.link_security_group_id.clone()),
                ("Front API", r.front_api_id.clone()),
                ("Front stage", Some(r.front_stage.clone())),
            ];
            for (k, v) in rows {
                t.add_row(vec![k.to_owned(), v.unwrap_or_default()]);
            }
            out.push_str(&format!("{t}\n"));
        }
        if let Some(p) = &self.producer {
            out.push_str(&p.details(style));
        }
        if let Some(url) = &self.invoke_url {
            out.push_str(&format!("Front door: {url}\n"));
        }
        if self.run.outcome != Outcome::Planned {
            out.push_str(&format!("Stack id: {}\n", self.stack_id));
        }
        // A dry run's plan already ends with them.
        for w in self
            .warnings
            .iter()
            .filter(|_| self.run.outcome != Outcome::Planned)
        {
            out.push_str(&style.warning_line(w));
        }
        self.run
            .frame(&format!("stack {}", self.stack), style, &out)
    }
}

pub async fn run(ctx: &Context, args: &WireArgs) -> Result<u8> {
    if !args.allow_public {
        cidr::refuse_public(&args.allow_cidrs)?;
    }
    let front = desired(ctx, args);
    let (aws, producer) = tokio::try_join!(ctx.aws(), ctx.producer(&args.producer))?;
    let grant = producer.as_ref().map(|_| crate::plan::access::Desired {
        api_id: args.private_api_id.clone(),
        change: Change::Access {
            mode: Mode::Grant,
            vpces: vec![args.vpce.clone()],
            like: None,
            resources: Vec::new(),
        },
        link: false,
    });
    let wire = Wire {
        ctx,
        consumer: &aws,
        producer: producer.as_deref().map(|p| {
            Writer::new(
                p,
                LeaseOptions {
                    wait: access::DEFAULT_LEASE_WAIT,
                    progress: false,
                },
                args.yes,
            )
        }),
        lookup: Lookup {
            vpce: args.vpce.clone(),
            subnet_ids: args.subnet_ids.clone(),
            front_api_id: args.front_api_id.clone(),
        },
        want: wire::Desired {
            front,
            producer: grant,
        },
        producer_stage: args.stage.to_string(),
        timeout: args.wait_timeout,
    };
    let ran = wire.run(args.dry_run).await?;
    let report = report(args, &wire.want, ran)?;
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

fn report(
    args: &WireArgs,
    want: &wire::Desired,
    ran: Ran<wire::Observed, wire::Step, wire::Facts, crate::wire::Applied>,
) -> Result<WireReport> {
    let Ran {
        outcome,
        plan,
        observed,
        pending,
        facts,
        applied,
    } = ran;
    let front_changed = match outcome {
        Outcome::Applied => applied.front,
        Outcome::Planned => pending.iter().any(|s| matches!(s, wire::Step::Consumer(_))),
        Outcome::Unchanged => false,
    };
    // The producer's half as a run of its own: what it planned from the
    // observation the run ends with, and, when applied, the plan it applied.
    let producer = match (observed.producer, &want.producer, facts.producer) {
        (Some(seen), Some(grant), Some(now)) => {
            let (producer_outcome, producer_plan, producer_applied) =
                match (outcome, applied.producer) {
                    (Outcome::Planned, _) => (
                        Outcome::Planned,
                        now.planned.plan,
                        access::Applied::default(),
                    ),
                    (_, Some((done, plan))) => (Outcome::Applied, plan, done),
                    (_, None) => (
                        Outcome::Unchanged,
                        now.planned.plan,
                        crate::access::Applied::default(),
                    ),
                };
            Some(AccessReport::from_run(
                grant,
                Ran {
                    outcome: producer_outcome,
                    plan: producer_plan,
                    observed: seen,
                    pending: now.planned.steps,
                    facts: now.facts,
                    applied: producer_applied,
                },
            )?)
        }
        _ => None,
    };
    let resources = (outcome != Outcome::Planned).then(|| resources(&observed.front, &want.front));
    let invoke_url = resources
        .as_ref()
        .and_then(|r| r.front_api_id.as_ref())
        .map(|id| {
            format!(
                "https://{}/{}/",
                ExecuteApiHost::private_dns(id, &want.front.region, &want.front.dns_suffix),
                want.front.front_stage
            )
        });
    Ok(WireReport {
        stack: want.front.stack.clone(),
        stack_id: facts.stack_id,
        warnings: plan.warnings.clone(),
        run: Run::with_changed(
            outcome,
            plan,
            front_changed || producer.as_ref().is_some_and(|p| p.run.changed),
        ),
        resources,
        producer_command: want.producer.is_none().then(|| {
            format!(
                "xapi grant-vpce --api-id {} --vpce {} --stage {} --profile <producer profile>",
                args.private_api_id, args.vpce, args.stage
            )
        }),
        producer,
        invoke_url,
    })
}

/// The stack's resources as observed.
fn resources(seen: &front::Observed, want: &Desired) -> Resources {
    let mut targets: Vec<String> = seen
        .tg
        .as_ref()
        .map(|t| {
            t.targets
                .iter()
                .map(|t| format!("{}:{}", t.ip, t.port))
                .collect()
        })
        .unwrap_or_default();
    targets.sort();
    Resources {
        load_balancer_arn: seen.nlb.as_ref().map(|n| n.lb.arn.clone()),
        load_balancer_dns: seen.nlb.as_ref().map(|n| n.lb.dns_name.clone()),
        target_group_arn: seen.tg.as_ref().map(|t| t.tg.arn.clone()),
        vpc_link_id: seen.link().map(|l| l.id.clone()),
        vpc_link_version: seen.link().map(|l| l.version),
        link_security_group_id: seen
            .link_v2
            .as_ref()
            .and_then(|l| l.security_group_ids.first().cloned())
            .or_else(|| seen.link_group.as_ref().map(|g| g.id.clone())),
        front_api_id: seen.front.as_ref().map(|f| f.id.clone()),
        front_stage: want.front_stage.clone(),
        targets,
    }
}
