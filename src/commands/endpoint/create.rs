use std::time::Duration;

use serde::Serialize;

use super::EndpointView;
use crate::aws::ec2::NewEndpoint;
use crate::aws::Aws;
use crate::cli::EndpointCreateArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::infra;
use crate::model::STACK_TAG;
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::endpoint::{self as planner, on_off, Observed, Step, VpcWorkloads};
use crate::plan::Assessed;

/// `endpoint create` for the pipeline: the endpoint asked for, and how long to wait for it.
struct CreateEndpoint<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    want: NewEndpoint,
    wait_timeout: Duration,
}

impl Mutation for CreateEndpoint<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = ();
    type Applied = ();

    fn subject(&self) -> String {
        subject(&self.want)
    }

    async fn observe(&self) -> Result<Observed> {
        let (aws, want) = (self.aws, &self.want);
        let group_ids: Vec<String> = want
            .security_group_ids
            .iter()
            .map(|g| g.to_string())
            .collect();
        // The VPC is read only to refuse an unknown one by name.
        let (identity, _vpc, subnets, groups, existing, dns) = tokio::try_join!(
            aws.caller_identity(),
            aws.vpc(&want.vpc_id),
            aws.subnets(&want.subnet_ids),
            aws.security_groups(&group_ids),
            infra::endpoint::for_service(aws, &want.service_name, Some(&want.vpc_id)),
            async {
                if want.private_dns {
                    aws.vpc_dns(&want.vpc_id).await.map(Some)
                } else {
                    Ok(None)
                }
            },
        )?;
        let redirects = want.private_dns
            && planner::short_service(&want.service_name) == "execute-api"
            && planner::reusable(&existing).is_none();
        let (interfaces, vpc) = tokio::try_join!(
            async {
                match planner::reusable(&existing) {
                    Some(e) => aws.network_interfaces(&e.network_interface_ids).await,
                    None => Ok(Vec::new()),
                }
            },
            async {
                if !redirects {
                    return Ok(None);
                }
                let (interfaces, xapi_groups) = tokio::try_join!(
                    aws.vpc_interfaces(&want.vpc_id),
                    aws.groups_tagged_with_key(&want.vpc_id, STACK_TAG),
                )?;
                Ok(Some(VpcWorkloads {
                    interfaces,
                    xapi_groups,
                }))
            },
        )?;
        Ok(Observed {
            identity,
            subnets,
            groups,
            existing,
            dns,
            interfaces,
            vpc,
        })
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step>> {
        planner::plan(seen, &self.want).map(Into::into)
    }

    async fn apply(&self, _seen: &Observed, _facts: &(), steps: Vec<Step>) -> Result<()> {
        for step in steps {
            match step {
                Step::Create(spec) => {
                    infra::endpoint::create(self.ctx, self.aws, &spec, self.wait_timeout).await?;
                }
            }
        }
        Ok(())
    }

    fn check(&self, after: &Observed) -> Vec<String> {
        planner::reusable(&after.existing)
            .map(|found| planner::differences(found, &self.want))
            .unwrap_or_default()
    }

    fn inspect_hint(&self) -> String {
        format!("xapi endpoint list --vpc-id {}", self.want.vpc_id)
    }
}

/// `the execute-api endpoint in vpc-...`, as the summary line names it.
fn subject(want: &NewEndpoint) -> String {
    format!(
        "the {} endpoint in {}",
        planner::short_service(&want.service_name),
        want.vpc_id
    )
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CreateReport {
    /// `planned` (dry run), `created` or `reused`.
    pub action: &'static str,
    #[serde(flatten)]
    pub run: Run,
    pub endpoint: Option<EndpointView>,
    #[serde(skip)]
    subject: String,
}

impl Report for CreateReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if let Some(e) = &self.endpoint {
            let mut t = style.table(&[
                "ENDPOINT",
                "VPC",
                "STATE",
                "PRIVATE DNS",
                "AZ",
                "PRIVATE IP",
            ]);
            for n in &e.network_interfaces {
                t.add_row(vec![
                    e.id.as_str(),
                    &e.vpc_id,
                    &e.state,
                    on_off(e.private_dns_enabled),
                    &n.availability_zone,
                    &n.private_ip,
                ]);
            }
            out.push_str(&format!("{} {}\n{t}\n", self.action, e.id));
        }
        self.run.frame(&self.subject, style, &out)
    }
}

pub async fn run(ctx: &Context, args: &EndpointCreateArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let service_name = match &args.service_name {
        Some(name) => name.to_string(),
        None => aws.execute_api_service_name(),
    };
    let mutation = CreateEndpoint {
        ctx,
        aws: &aws,
        want: NewEndpoint {
            vpc_id: args.vpc_id.clone(),
            service_name,
            subnet_ids: args.subnet_ids.clone(),
            security_group_ids: args.security_group_ids.clone(),
            private_dns: args.private_dns(),
            tags: args.tags.clone(),
            client_token: crate::aws::client_token(),
        },
        wait_timeout: args.wait_timeout,
    };
    let ran = pipeline::run(ctx, &mutation, args.dry_run).await?;
    // Applying made the endpoint: a run that found one changes nothing.
    let action = ran.outcome.action(ran.outcome == Outcome::Applied);
    let endpoint = match ran.outcome {
        Outcome::Planned => None,
        _ => planner::reusable(&ran.observed.existing)
            .map(|e| EndpointView::new(e, &ran.observed.interfaces)),
    };
    output::emit(
        ctx,
        &CreateReport {
            action,
            run: Run::new(ran.outcome, ran.plan),
            endpoint,
            subject: subject(&mutation.want),
        },
    )?;
    Ok(exit::OK)
}
