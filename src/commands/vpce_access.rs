//! `xapi grant-vpce` and `xapi revoke-vpce`: edit a private API's resource
//! policy so exactly the named VPC endpoints gain (or lose) access, then
//! redeploy so the change takes effect. The engine is [`crate::access`].

use std::time::Duration;

use crate::access::{Access, AccessReport};
use crate::cli::{DeployArgs, GrantArgs, RevokeArgs};
use crate::context::Context;
use crate::error::{exit, Result};
use crate::ids::{ApiId, VpceId};
use crate::lease::LeaseOptions;
use crate::output;
use crate::plan::access::{Change, Desired, Mode};

pub async fn grant(ctx: &Context, args: &GrantArgs) -> Result<u8> {
    let want = desired(
        Mode::Grant,
        &args.api_id,
        &args.vpces,
        args.like.as_ref(),
        &args.resources,
        args.associate,
    );
    run(ctx, want, &args.deploy, args.lease_wait).await
}

pub async fn revoke(ctx: &Context, args: &RevokeArgs) -> Result<u8> {
    let want = desired(
        Mode::Revoke,
        &args.api_id,
        &args.vpces,
        None,
        &[],
        args.disassociate,
    );
    run(ctx, want, &args.deploy, args.lease_wait).await
}

fn desired(
    mode: Mode,
    api_id: &ApiId,
    vpces: &[VpceId],
    like: Option<&VpceId>,
    resources: &[String],
    link: bool,
) -> Desired {
    let mut ids = vpces.to_vec();
    ids.sort();
    ids.dedup();
    Desired {
        api_id: api_id.clone(),
        change: Change::Access {
            mode,
            vpces: ids,
            like: like.map(|v| v.to_string()),
            resources: resources.to_vec(),
        },
        link,
    }
}

async fn run(
    ctx: &Context,
    want: Desired,
    deploy: &DeployArgs,
    lease_wait: Duration,
) -> Result<u8> {
    let aws = ctx.aws().await?;
    let access = Access::new(
        &aws,
        want,
        deploy.stages.iter().map(|s| s.to_string()).collect(),
        LeaseOptions {
            wait: lease_wait,
            progress: ctx.progress,
        },
        deploy.yes,
    );
    let ran = access.run(ctx, deploy.dry_run).await?;
    let report = AccessReport::from_run(&access.want, ran)?;
    output::emit(ctx, &report)?;
    Ok(if report.still_open() {
        exit::STILL_ADMITTED
    } else {
        exit::OK
    })
}
