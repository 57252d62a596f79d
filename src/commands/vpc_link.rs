//! `xapi vpc-link create|list`: REST API (v1) VPC links to a network load balancer.

use serde::Serialize;

use crate::cli::VpcLinkCreateArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::VpcLink;
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};

#[derive(Debug, Serialize)]
pub struct LinkReport {
    /// `planned`, `created` or `reused`.
    pub action: &'static str,
    pub link: Option<VpcLink>,
    pub plan: Plan,
}

impl Report for LinkReport {
    fn table(&self, style: &Style) -> String {
        match &self.link {
            None => format!("{}Dry run: nothing was changed.\n", self.plan.render(style)),
            Some(l) => {
                let mut t = style.table(&["VPC LINK", "NAME", "STATUS", "TARGET"]);
                t.add_row(vec![
                    comfy_table::Cell::new(&l.id),
                    comfy_table::Cell::new(&l.name),
                    style.status_cell(&l.status, l.status == "AVAILABLE"),
                    comfy_table::Cell::new(l.target_arns.join("\n")),
                ]);
                format!("{} {}\n{t}\n", self.action, l.id)
            }
        }
    }
}

pub async fn create(ctx: &Context, args: &VpcLinkCreateArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let (identity, nlb, links) = tokio::try_join!(
        aws.caller_identity(),
        aws.network_load_balancer(&args.nlb),
        aws.vpc_links()
    )?;
    let existing = crate::plan::vpc_link::link_for(&links, &nlb.arn).cloned();
    let mut plan = Plan {
        identity: identity.arn,
        ..Plan::default()
    };
    plan.actions.push(match &existing {
        Some(l) => Action {
            verb: Verb::Reuse,
            resource: "vpc-link".into(),
            target: l.id.clone(),
            details: vec![format!(
                "{} targets {}, status {}",
                l.name, nlb.name, l.status
            )],
        },
        None => Action {
            verb: Verb::Create,
            resource: "vpc-link".into(),
            target: args.name.clone(),
            details: vec![format!("target {}", nlb.arn)],
        },
    });
    if !nlb.state.is_empty() && nlb.state != "active" {
        plan.warnings.push(format!(
            "{} is {}: a link created before its load balancer is active fails",
            nlb.name, nlb.state
        ));
    }
    if args.dry_run {
        output::emit(
            ctx,
            &LinkReport {
                action: "planned",
                link: None,
                plan,
            },
        )?;
        return Ok(exit::OK);
    }
    output::note(plan.render(&ctx.stderr_style()).trim_end());
    let (action, link) = match existing {
        Some(l) => (
            "reused",
            crate::aws::wait::vpc_link_available(ctx, &aws, l, args.wait_timeout).await?,
        ),
        None => {
            let created = aws.create_vpc_link(&args.name, &nlb.arn, &[]).await?;
            output::note(&format!("created VPC link {}", created.id));
            (
                "created",
                crate::aws::wait::vpc_link_available(ctx, &aws, created, args.wait_timeout).await?,
            )
        }
    };
    if link.target_arns != [nlb.arn.clone()] {
        return Err(Error::Unverified(format!(
            "VPC link {} targets {}, not {}",
            link.id,
            link.target_arns.join(", "),
            nlb.arn
        )));
    }
    output::emit(
        ctx,
        &LinkReport {
            action,
            link: Some(link),
            plan,
        },
    )?;
    Ok(exit::OK)
}

#[derive(Debug, Serialize)]
pub struct LinkList {
    pub links: Vec<VpcLink>,
}

impl Report for LinkList {
    fn table(&self, style: &Style) -> String {
        if self.links.is_empty() {
            return "No VPC links.\n".into();
        }
        let mut t = style.table(&["VPC LINK", "NAME", "STATUS", "MESSAGE", "TARGET"]);
        for l in &self.links {
            t.add_row(vec![
                comfy_table::Cell::new(&l.id),
                comfy_table::Cell::new(&l.name),
                style.status_cell(&l.status, l.status == "AVAILABLE"),
                comfy_table::Cell::new(l.status_message.as_deref().unwrap_or("")),
                comfy_table::Cell::new(l.target_arns.join("\n")),
            ]);
        }
        format!("{t}\n")
    }
}

pub async fn list(ctx: &Context) -> Result<u8> {
    let aws = ctx.aws().await?;
    let mut links = aws.vpc_links().await?;
    links.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    output::emit(ctx, &LinkList { links })?;
    Ok(exit::OK)
}
