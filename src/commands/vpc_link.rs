//! `xapi vpc-link create|list`: REST API VPC links, v1 (bound to a network
//! load balancer) and v2 (interfaces in subnets; each integration names its
//! load balancer).

use std::sync::OnceLock;

use serde::Serialize;

use crate::aws::apigwv2::NewVpcLinkV2;
use crate::aws::Aws;
use crate::cli::VpcLinkCreateArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{StackName, VpcId};
use crate::infra;
use crate::model::{LinkVersion, VpcLink, STACK_ID_TAG};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::vpc_link::{self as planner, DesiredV2, Observed, ObservedV2, Step, StepV2};
use crate::plan::Assessed;
use crate::plan::Plan;
use crate::stack::StackNames;

/// `vpc-link create` (v1) for the pipeline.
struct CreateLink<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    args: &'a VpcLinkCreateArgs,
    nlb: &'a str,
    /// The link this run created.
    made: OnceLock<String>,
}

impl Mutation for CreateLink<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = ();
    type Applied = ();

    fn subject(&self) -> String {
        format!("the VPC link to {}", self.nlb)
    }

    async fn observe(&self) -> Result<Observed> {
        let aws = self.aws;
        let (identity, nlb, mut links) = tokio::try_join!(
            aws.caller_identity(),
            aws.network_load_balancer(self.nlb),
            infra::vpc_link::observe_all(aws)
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

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step>> {
        planner::plan(seen, &self.args.name).map(Into::into)
    }

    async fn apply(&self, _seen: &Observed, _facts: &(), steps: Vec<Step>) -> Result<()> {
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LinkReport {
    /// `planned`, `created` or `reused`.
    pub action: &'static str,
    #[serde(flatten)]
    pub run: Run,
    pub link: Option<VpcLink>,
    #[serde(skip)]
    subject: String,
}

impl LinkReport {
    /// The report of a run whose last observation found `link`; `made`: this
    /// run created it.
    fn of(
        outcome: Outcome,
        made: bool,
        link: Option<VpcLink>,
        plan: Plan,
        subject: String,
    ) -> Self {
        LinkReport {
            action: outcome.action(made),
            run: Run::new(outcome, plan),
            link: (outcome != Outcome::Planned).then_some(link).flatten(),
            subject,
        }
    }
}

impl Report for LinkReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if let Some(l) = &self.link {
            let mut t = style.table(&["VPC LINK", "VERSION", "NAME", "STATUS", "TARGET / SUBNETS"]);
            t.add_row(vec![
                comfy_table::Cell::new(&l.id),
                comfy_table::Cell::new(l.version),
                comfy_table::Cell::new(&l.name),
                style.status_cell(&l.status, l.status == "AVAILABLE"),
                comfy_table::Cell::new(reaches(l)),
            ]);
            out.push_str(&format!("{} {}\n{t}\n", self.action, l.id));
        }
        self.run.frame(&self.subject, style, &out)
    }
}

pub async fn create(ctx: &Context, args: &VpcLinkCreateArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let Some(nlb) = args.nlb.as_deref() else {
        return create_v2(ctx, &aws, args).await;
    };
    let mutation = CreateLink {
        ctx,
        aws: &aws,
        args,
        nlb,
        made: OnceLock::new(),
    };
    let ran = pipeline::run(ctx, &mutation, args.dry_run).await?;
    output::emit(
        ctx,
        &LinkReport::of(
            ran.outcome,
            mutation.made.get().is_some(),
            ran.observed.link,
            ran.plan,
            mutation.subject(),
        ),
    )?;
    Ok(exit::OK)
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LinkList {
    pub links: Vec<VpcLink>,
}

impl Report for LinkList {
    fn table(&self, style: &Style) -> String {
        if self.links.is_empty() {
            return "No VPC links.\n".into();
        }
        let mut t = style.table(&[
            "VPC LINK",
            "VERSION",
            "NAME",
            "STATUS",
            "MESSAGE",
            "TARGET / SUBNETS",
        ]);
        for l in &self.links {
            t.add_row(vec![
                comfy_table::Cell::new(&l.id),
                comfy_table::Cell::new(l.version),
                comfy_table::Cell::new(&l.name),
                style.status_cell(&l.status, l.status == "AVAILABLE"),
                comfy_table::Cell::new(l.status_message.as_deref().unwrap_or("")),
                comfy_table::Cell::new(reaches(l)),
            ]);
        }
        format!("{t}\n")
    }
}

pub async fn list(ctx: &Context) -> Result<u8> {
    let aws = ctx.aws().await?;
    let mut links = infra::vpc_link::observe_all(&aws).await?;
    links.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.version.cmp(&b.version))
            .then(a.id.cmp(&b.id))
    });
    output::emit(ctx, &LinkList { links })?;
    Ok(exit::OK)
}

/// What a link leads to: a v1 link's load balancer; a v2 link's subnets and
/// groups (its load balancers are named by the integrations).
fn reaches(l: &VpcLink) -> String {
    match l.version {
        LinkVersion::V1 => l.target_arns.join("\n"),
        LinkVersion::V2 => format!(
            "{}\nunder {}",
            l.subnet_ids.join(", "),
            l.security_group_ids.join(", ")
        ),
    }
}

/// `vpc-link create --v2` for the pipeline.
struct CreateLinkV2<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    args: &'a VpcLinkCreateArgs,
    want: DesiredV2,
    /// The link this run created.
    made: OnceLock<String>,
}

impl Mutation for CreateLinkV2<'_> {
    type Observed = ObservedV2;
    type Step = StepV2;
    type Facts = ();
    type Applied = ();

    fn subject(&self) -> String {
        format!("the VPC link v2 {}", self.want.name)
    }

    async fn observe(&self) -> Result<ObservedV2> {
        let aws = self.aws;
        let (identity, subnets, links) = tokio::try_join!(
            aws.caller_identity(),
            aws.subnets(&self.args.subnet_ids),
            infra::vpc_link::observe_all(aws)
        )?;
        let mut link = links
            .into_iter()
            .find(|l| l.version == LinkVersion::V2 && l.is_live() && l.name == self.want.name);
        // The link this run made is read by its id: a listing need not show it yet.
        if let (None, Some(id)) = (&link, self.made.get()) {
            link = Some(aws.vpc_link(id, LinkVersion::V2).await?);
        }
        let vpc: Option<VpcId> = subnets.first().and_then(|s| s.vpc_id.parse().ok());
        let (vpc_ranges, group) = match (&vpc, self.want.security_group_ids.is_empty()) {
            (Some(vpc), true) => {
                let (v, g) = tokio::try_join!(
                    aws.vpc(vpc),
                    aws.security_group_by_name(vpc, &self.want.group_name)
                )?;
                (v.cidr_blocks, g)
            }
            _ => (Vec::new(), None),
        };
        Ok(ObservedV2 {
            identity: identity.arn,
            subnets,
            vpc_ranges,
            link,
            group,
        })
    }

    fn plan(&self, seen: &ObservedV2) -> Result<Assessed<StepV2>> {
        planner::plan_v2(seen, &self.want).map(Into::into)
    }

    async fn apply(&self, seen: &ObservedV2, _facts: &(), steps: Vec<StepV2>) -> Result<()> {
        // A group left by an earlier run that stopped short names the id.
        let stack_id = seen
            .group
            .as_ref()
            .and_then(|g| g.tags.get(STACK_ID_TAG).cloned())
            .unwrap_or_else(crate::stack::new_stack_id);
        let tags = crate::stack::stack_tags(&self.want.name, &stack_id);
        let mut made_group = None;
        for step in steps {
            let link = match step {
                StepV2::Group(group) => {
                    made_group = infra::vpc_link::apply_group(self.aws, &group, &tags).await?;
                    continue;
                }
                StepV2::Create {
                    name,
                    subnet_ids,
                    mut security_group_ids,
                } => {
                    // The group the Group step made or fixed, when not already listed.
                    if let Some(g) = made_group.take() {
                        if !security_group_ids.contains(&g) {
                            security_group_ids.push(g);
                        }
                    }
                    let created = infra::vpc_link::create_v2(
                        self.aws,
                        &NewVpcLinkV2 {
                            name,
                            subnet_ids,
                            security_group_ids,
                            tags: tags.clone(),
                        },
                    )
                    .await?;
                    let _ = self.made.set(created.id.clone());
                    created
                }
                StepV2::AwaitAvailable(link) => link,
            };
            crate::wait::vpc_link_available(self.ctx, self.aws, link, self.args.wait_timeout)
                .await?;
        }
        Ok(())
    }

    fn check(&self, after: &ObservedV2) -> Vec<String> {
        match &after.link {
            Some(l) => planner::differences_v2(l, &self.want),
            None => vec![format!("no VPC link v2 named {}", self.want.name)],
        }
    }

    fn inspect_hint(&self) -> String {
        "xapi vpc-link list".into()
    }
}

async fn create_v2(ctx: &Context, aws: &Aws, args: &VpcLinkCreateArgs) -> Result<u8> {
    // The name is also the stack tag, and names the group made for it.
    let stack: StackName = args
        .name
        .parse()
        .map_err(|e: String| Error::BadInput(format!("--name: {e}")))?;
    let mutation = CreateLinkV2 {
        ctx,
        aws,
        args,
        want: DesiredV2 {
            name: args.name.clone(),
            region: ctx.region.clone(),
            subnet_ids: args.subnet_ids.iter().map(ToString::to_string).collect(),
            security_group_ids: args
                .security_group_ids
                .iter()
                .map(ToString::to_string)
                .collect(),
            group_name: StackNames::new(&stack).link_security_group,
        },
        made: OnceLock::new(),
    };
    let ran = pipeline::run(ctx, &mutation, args.dry_run).await?;
    output::emit(
        ctx,
        &LinkReport::of(
            ran.outcome,
            mutation.made.get().is_some(),
            ran.observed.link,
            ran.plan,
            mutation.subject(),
        ),
    )?;
    Ok(exit::OK)
}
