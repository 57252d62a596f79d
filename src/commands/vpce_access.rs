//! `xapi grant-vpce` and `xapi revoke-vpce`: edit a private API's resource
//! policy so exactly the named VPC endpoints gain (or lose) access, then
//! redeploy so the change takes effect; or, with `--domain`, a private custom
//! domain's policy and then each mapped API's on its mapped stages. The
//! engine is [`crate::access`].

use std::collections::BTreeMap;
use std::time::Duration;

use crate::access::{Access, AccessReport, DomainAccess, DomainAccessReport};
use crate::aws::Aws;
use crate::cli::{DeployArgs, GrantArgs, RevokeArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{ApiId, DomainArn, VpceId};
use crate::lease::LeaseOptions;
use crate::output;
use crate::plan::access::{Change, Desired, Mode};
use crate::plan::domain_access;

pub async fn grant(ctx: &Context, args: &GrantArgs) -> Result<u8> {
    if let Some(domain) = &args.domain {
        let change = change(Mode::Grant, &args.vpces, args.like.as_ref(), &[]);
        return on_domain(ctx, domain, change, true, &args.deploy, args.lease_wait).await;
    }
    let want = desired(
        Mode::Grant,
        api_id(args.api_id.as_ref())?,
        &args.vpces,
        args.like.as_ref(),
        &args.resources,
        args.associate,
    );
    run(ctx, want, &args.deploy, args.lease_wait).await
}

pub async fn revoke(ctx: &Context, args: &RevokeArgs) -> Result<u8> {
    if let Some(domain) = &args.domain {
        let change = change(Mode::Revoke, &args.vpces, None, &[]);
        return on_domain(
            ctx,
            domain,
            change,
            args.also_apis,
            &args.deploy,
            args.lease_wait,
        )
        .await;
    }
    let want = desired(
        Mode::Revoke,
        api_id(args.api_id.as_ref())?,
        &args.vpces,
        None,
        &[],
        args.disassociate,
    );
    run(ctx, want, &args.deploy, args.lease_wait).await
}

/// clap requires one of `--api-id` and `--domain`.
fn api_id(id: Option<&ApiId>) -> Result<&ApiId> {
    id.ok_or_else(|| Error::BadInput("give --api-id ID or --domain ARN".into()))
}

fn change(mode: Mode, vpces: &[VpceId], like: Option<&VpceId>, resources: &[String]) -> Change {
    let mut ids = vpces.to_vec();
    ids.sort();
    ids.dedup();
    Change::Access {
        mode,
        vpces: ids,
        like: like.map(|v| v.to_string()),
        resources: resources.to_vec(),
    }
}

fn desired(
    mode: Mode,
    api_id: &ApiId,
    vpces: &[VpceId],
    like: Option<&VpceId>,
    resources: &[String],
    link: bool,
) -> Desired {
    Desired {
        api_id: api_id.clone(),
        change: change(mode, vpces, like, resources),
        link,
    }
}

fn lease_options(ctx: &Context, wait: Duration) -> LeaseOptions {
    LeaseOptions {
        wait,
        progress: ctx.progress,
    }
}

/// The domain's policy first, then (`apis`) each mapped API's policy, on
/// the stages the domain maps and no other. `--like` names an endpoint the
/// domain policy admits, so it applies there only.
async fn on_domain(
    ctx: &Context,
    domain: &DomainArn,
    change: Change,
    apis: bool,
    deploy: &DeployArgs,
    lease_wait: Duration,
) -> Result<u8> {
    let aws = ctx.aws().await?;
    domain.check_region(aws.region()).map_err(Error::BadInput)?;
    let want = domain_access::Desired {
        domain: domain.clone(),
        change: change.clone(),
    };
    let access = DomainAccess::new(&aws, want, lease_options(ctx, lease_wait));
    let ran = access.run(ctx, deploy.dry_run).await?;
    let mapped = mapped_stages(&ran.observed.mappings);
    let mut report = DomainAccessReport::from_run(&access.want, ran)?;
    if apis {
        let change = match change {
            Change::Access {
                mode,
                vpces,
                resources,
                ..
            } => Change::Access {
                mode,
                vpces,
                like: None,
                resources,
            },
            restore @ Change::Restore { .. } => restore,
        };
        for (api_id, stages) in mapped {
            let want = Desired {
                api_id,
                change: change.clone(),
                link: false,
            };
            report
                .apis
                .push(on_api(ctx, &aws, want, stages, deploy, lease_wait).await?);
        }
    }
    output::emit(ctx, &report)?;
    Ok(if report.still_open() {
        exit::STILL_ADMITTED
    } else {
        exit::OK
    })
}

/// Each mapped API with the stages the domain routes to, in order.
fn mapped_stages(mappings: &[crate::model::BasePathMapping]) -> BTreeMap<ApiId, Vec<String>> {
    let mut out: BTreeMap<ApiId, Vec<String>> = BTreeMap::new();
    for m in mappings {
        // A mapping names an API by the id API Gateway gave it.
        let Ok(api_id) = m.api_id.parse::<ApiId>() else {
            continue;
        };
        let stages = out.entry(api_id).or_default();
        if !stages.contains(&m.stage) {
            stages.push(m.stage.clone());
        }
    }
    out
}

async fn on_api(
    ctx: &Context,
    aws: &Aws,
    want: Desired,
    stages: Vec<String>,
    deploy: &DeployArgs,
    lease_wait: Duration,
) -> Result<AccessReport> {
    let access = Access::new(
        aws,
        want,
        stages,
        lease_options(ctx, lease_wait),
        deploy.yes,
    );
    let ran = access.run(ctx, deploy.dry_run).await?;
    AccessReport::from_run(&access.want, ran)
}

async fn run(
    ctx: &Context,
    want: Desired,
    deploy: &DeployArgs,
    lease_wait: Duration,
) -> Result<u8> {
    let aws = ctx.aws().await?;
    let stages = deploy.stages.iter().map(|s| s.to_string()).collect();
    let report = on_api(ctx, &aws, want, stages, deploy, lease_wait).await?;
    output::emit(ctx, &report)?;
    Ok(if report.still_open() {
        exit::STILL_ADMITTED
    } else {
        exit::OK
    })
}
