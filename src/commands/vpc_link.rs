//! `xapi vpc-link create|list`: REST API (v1) VPC links to a network load balancer.

use std::sync::OnceLock;

use serde::Serialize;

use crate::aws::Aws;
use crate::cli::VpcLinkCreateArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::model::VpcLink;
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome};
use crate::plan::vpc_link::{self as planner, Observed, Step};
use crate::plan::Plan;
use crate::plan::Planned;

/// `vpc-link create` for the pipeline.
struct CreateLink<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    args: &'a VpcLinkCreateArgs,
    /// The link this run created.
    made: OnceLock<String>,
}

impl Mutation for CreateLink<'_> {
    type Observed = Observed;
    type Step = Step;
    type Applied = ();

    fn subject(&self) -> String {
        format!("the VPC link to {}", self.args.nlb)
    }

    async fn observe(&self) -> Result<Observed> {
        let aws = self.aws;
        let (identity, nlb, mut links) = tokio::try_join!(
            aws.caller_identity(),
            aws.network_load_balancer(&self.args.nlb),
            aws.vpc_links()
        )?;
        // The link this run made is read by its id: that is what was made,
        // and a listing need not show it yet.
        if let Some(id) = self.made.get() {
            if !links.iter().any(|l| &l.id == id) {
                links.push(aws.vpc_link(id, crate::model::LinkVersion::V1).await?);
            }
        }
        let link = planner::link_for(&links, &nlb.arn).cloned();
        Ok(Observed {
            identity: identity.arn,
            nlb,
            link,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<Planned<Step>> {
        planner::plan(seen, &self.args.name)
    }

    async fn apply(&self, _seen: &Observed, steps: Vec<Step>) -> Result<()> {
        let timeout = self.args.wait_timeout;
        for step in steps {
            let link = match step {
                Step::Create { name, nlb_arn } => {
                    let created = self.aws.create_vpc_link(&name, &nlb_arn, &[]).await?;
                    let _ = self.made.set(created.id.clone());
                    created
                }
                Step::AwaitAvailable(link) => link,
            };
            crate::wait::vpc_link_available(self.ctx, self.aws, link, timeout).await?;
        }
        Ok(())
    }

    fn check(&self, after: &Observed) -> Vec<String> {
        after
            .link
            .as_ref()
            .map(|l| planner::differences(l, &after.nlb))
            .unwrap_or_default()
    }

    fn inspect_hint(&self) -> String {
        "xapi vpc-link list".into()
    }
}

#[derive(Debug, Serialize)]
pub struct LinkReport {
    /// `planned`, `created` or `reused`.
    pub action: &'static str,
    pub outcome: Outcome,
    pub link: Option<VpcLink>,
    pub plan: Plan,
    #[serde(skip)]
    subject: String,
}

impl Report for LinkReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if let Some(l) = &self.link {
            let mut t = style.table(&["VPC LINK", "NAME", "STATUS", "TARGET"]);
            t.add_row(vec![
                comfy_table::Cell::new(&l.id),
                comfy_table::Cell::new(&l.name),
                style.status_cell(&l.status, l.status == "AVAILABLE"),
                comfy_table::Cell::new(l.target_arns.join("\n")),
            ]);
            out.push_str(&format!("{} {}\n{t}\n", self.action, l.id));
        }
        self.outcome.frame(&self.plan, &self.subject, style, &out)
    }
}

pub async fn create(ctx: &Context, args: &VpcLinkCreateArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let mutation = CreateLink {
        ctx,
        aws: &aws,
        args,
        made: OnceLock::new(),
    };
    let ran = pipeline::run(ctx, &mutation, args.dry_run).await?;
    let action = match ran.outcome {
        Outcome::Planned => "planned",
        _ if mutation.made.get().is_some() => "created",
        _ => "reused",
    };
    output::emit(
        ctx,
        &LinkReport {
            action,
            outcome: ran.outcome,
            link: (ran.outcome != Outcome::Planned)
                .then_some(ran.observed.link)
                .flatten(),
            plan: ran.plan,
            subject: mutation.subject(),
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
