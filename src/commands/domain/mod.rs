//! `xapi domain create|show|share|unshare|associate`: private custom domain
//! names (pattern 4); `create` and `share` on the producer's side,
//! `associate` on the consumer's, `show` on either. Every domain call is keyed on the domain's
//! ARN (name + `domainNameId`).

pub mod associate;
pub mod share;
pub mod show;

use std::sync::OnceLock;

use serde::Serialize;

use crate::aws::Aws;
use crate::cli::DomainCreateArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{DomainArn, StackName};
use crate::infra;
use crate::model::{BasePathMapping, DomainName, EMPTY_BASE_PATH, STACK_ID_TAG};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::domain::{self as planner, Desired, Found, MappedApi, Observed, Step};
use crate::plan::Assessed;
use crate::policy::{self, AccessSummary, PolicyDocument};

pub use associate::associate;
pub use share::{share, unshare};
pub use show::show;

/// `domain create` for the pipeline.
struct CreateDomain<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    args: &'a DomainCreateArgs,
    want: Desired,
    /// The domain this run created or found, by its ARN: what was made is
    /// read by its id, whatever a listing shows.
    made: OnceLock<DomainArn>,
}

impl Mutation for CreateDomain<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = ();
    type Applied = ();

    fn subject(&self) -> String {
        format!(
            "the private domain {} of stack {}",
            self.want.name, self.want.stack
        )
    }

    async fn observe(&self) -> Result<Observed> {
        let aws = self.aws;
        let mapped = async {
            // --api-id comes with --stage: the mapping asked for.
            match &self.args.api_id {
                Some(id) => {
                    let (api, stages) = tokio::join!(aws.rest_api(id), aws.stages(id));
                    match api {
                        Err(Error::NotFound { .. }) => Ok(None),
                        api => Ok(Some(MappedApi {
                            api: api?,
                            stages: stages?,
                        })),
                    }
                }
                None => Ok(None),
            }
        };
        let (identity, certificate, same_name, mapped_api) = tokio::try_join!(
            aws.caller_identity(),
            aws.certificate(&self.want.certificate_arn),
            infra::domain::same_name(aws, &self.want.name),
            mapped
        )?;
        let arn = match (
            self.made.get(),
            planner::stack_domains(&same_name, &self.want.stack).first(),
        ) {
            (Some(arn), _) => Some(arn.clone()),
            (None, Some(d)) => infra::domain::arn(aws, d).await?,
            (None, None) => None,
        };
        let found = match arn {
            Some(arn) => {
                let (domain, mappings) =
                    tokio::try_join!(aws.domain_name(&arn), aws.base_path_mappings(&arn))?;
                Some(Found {
                    arn,
                    domain,
                    mappings,
                })
            }
            None => None,
        };
        Ok(Observed {
            identity: identity.arn,
            certificate,
            same_name,
            found,
            mapped_api,
            now: time::OffsetDateTime::now_utc().unix_timestamp(),
        })
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step>> {
        planner::plan(seen, &self.want).map(Into::into)
    }

    async fn apply(&self, seen: &Observed, _facts: &(), steps: Vec<Step>) -> Result<()> {
        let aws = self.aws;
        let mut arn = seen.found.as_ref().map(|f| f.arn.clone());
        for step in steps {
            match step {
                Step::Create(mut spec) => {
                    let stack_id = crate::stack::new_stack_id();
                    spec.tags = crate::stack::stack_tags(&self.want.stack, &stack_id);
                    let made_arn = infra::domain::create(aws, &spec, &self.want.stack).await?;
                    let _ = self.made.set(made_arn.clone());
                    arn = Some(made_arn);
                }
                Step::AwaitAvailable => {
                    let arn = known(arn.as_ref())?;
                    infra::domain::await_available(self.ctx, aws, arn, self.args.wait_timeout)
                        .await?;
                }
                Step::PutPolicy(document) => {
                    let arn = known(arn.as_ref())?;
                    output::note(&format!("writing the policy of domain {arn}"));
                    aws.put_domain_policy(arn, &document).await?;
                }
                Step::Map(m) => {
                    let arn = known(arn.as_ref())?;
                    output::note(&format!(
                        "mapping base path {} of {} to {} stage {}",
                        m.base_path, arn, m.api_id, m.stage
                    ));
                    aws.create_base_path_mapping(arn, &m).await?;
                }
            }
        }
        Ok(())
    }

    fn check(&self, after: &Observed) -> Vec<String> {
        planner::differences(after, &self.want)
    }

    fn inspect_hint(&self) -> String {
        match self.made.get() {
            Some(arn) => format!("xapi domain show --domain {arn}"),
            None => "aws apigateway get-domain-names --resource-owner SELF".into(),
        }
    }
}

/// The domain a step acts on: made or found before it.
fn known(arn: Option<&DomainArn>) -> Result<&DomainArn> {
    arn.ok_or_else(|| Error::internal("applying a domain plan", "no domain before its step"))
}

/// The default stack of a domain: its name with dots as hyphens, cut to a
/// stack name's 28 characters.
pub fn default_stack(name: &str) -> Result<StackName> {
    let mut s: String = name.replace('.', "-").chars().take(28).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s.parse()
        .map_err(|e: String| Error::BadInput(format!("--stack: {e}")))
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainReport {
    /// `planned`, `created` or `reused`.
    pub action: &'static str,
    #[serde(flatten)]
    pub run: Run,
    pub stack: String,
    /// The domain as last read (absent on a dry run).
    pub domain: Option<DomainView>,
    #[serde(skip)]
    subject: String,
}

/// A domain, its mappings and what its policy admits, evaluated.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainView {
    /// The ARN every later command takes (`--domain`).
    pub arn: String,
    pub name: String,
    pub domain_name_id: String,
    pub endpoint_types: Vec<String>,
    pub status: Option<String>,
    pub status_message: Option<String>,
    pub certificate_arn: Option<String>,
    pub security_policy: Option<String>,
    pub mappings: Vec<BasePathMapping>,
    /// The policy, evaluated; absent when API Gateway returned none.
    pub policy: Option<AccessSummary>,
    /// The policy could not be read: why.
    pub policy_error: Option<String>,
    pub stack: Option<String>,
    pub stack_id: Option<String>,
}

impl DomainView {
    fn of(d: &DomainName, arn: &DomainArn, mappings: Vec<BasePathMapping>) -> Self {
        let api = planner::policy_ref(arn);
        let (policy, policy_error) = match d.policy.as_deref().map(PolicyDocument::parse) {
            None => (None, None),
            Some(Ok(doc)) => match policy::summarize(&doc, &api) {
                Ok(s) => (Some(s), None),
                Err(e) => (None, Some(e.to_string())),
            },
            Some(Err(e)) => (None, Some(e.to_string())),
        };
        DomainView {
            arn: arn.to_string(),
            name: d.name.clone(),
            domain_name_id: arn.id().to_owned(),
            endpoint_types: d.endpoint_types.clone(),
            status: d.status.clone(),
            status_message: d.status_message.clone(),
            certificate_arn: d.certificate_arn.clone(),
            security_policy: d.security_policy.clone(),
            mappings,
            policy,
            policy_error,
            stack: d.tags.get(crate::model::STACK_TAG).cloned(),
            stack_id: d.tags.get(STACK_ID_TAG).cloned(),
        }
    }

    fn table(&self, style: &Style) -> String {
        let mut t = style.table(&["DOMAIN", "STATUS", "TYPE", "CERTIFICATE"]);
        let status = self.status.as_deref().unwrap_or("-");
        t.add_row(vec![
            comfy_table::Cell::new(&self.arn),
            style.status_cell(status, status == "AVAILABLE"),
            comfy_table::Cell::new(self.endpoint_types.join(", ")),
            comfy_table::Cell::new(self.certificate_arn.as_deref().unwrap_or("-")),
        ]);
        let mut out = format!("{t}\n");
        if let Some(m) = &self.status_message {
            out.push_str(&format!("status message: {m}\n"));
        }
        if self.mappings.is_empty() {
            out.push_str("No base path mappings.\n");
        } else {
            let mut m = style.table(&["BASE PATH", "API", "STAGE"]);
            for b in &self.mappings {
                m.add_row(vec![&b.base_path, &b.api_id, &b.stage]);
            }
            out.push_str(&format!("{m}\n"));
        }
        match (&self.policy, &self.policy_error) {
            (Some(p), _) => {
                let admits = if p.admitted_vpces.is_empty() {
                    "no endpoint".to_owned()
                } else {
                    p.admitted_vpces.join(", ")
                };
                out.push_str(&format!("policy admits: {admits}\n"));
                if p.open_to_any_endpoint {
                    out.push_str(
                        &style.warning_line(
                            "the domain policy admits any VPC endpoint, in any account",
                        ),
                    );
                }
                if !p.approximated.is_empty() {
                    out.push_str(&style.warning_line(&format!(
                        "approximated (over the evaluation budget): {}",
                        p.approximated.join(", ")
                    )));
                }
            }
            (None, Some(e)) => out.push_str(&style.warning_line(&format!("policy: {e}"))),
            (None, None) => out.push_str("policy: none reported\n"),
        }
        out
    }
}

impl Report for DomainReport {
    fn table(&self, style: &Style) -> String {
        let body = match &self.domain {
            Some(d) => format!("{} {}\n{}", self.action, d.arn, d.table(style)),
            None => String::new(),
        };
        self.run.frame(&self.subject, style, &body)
    }
}

pub async fn create(ctx: &Context, args: &DomainCreateArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    // Before any call: ACM cannot describe a certificate from another Region.
    if let Some(problem) = planner::region_problem(&args.certificate_arn, aws.region()) {
        return Err(Error::BadInput(format!("--certificate-arn: {problem}")));
    }
    let stack = match &args.stack {
        Some(s) => s.clone(),
        None => default_stack(&args.name)?,
    };
    let mapping = match (&args.api_id, &args.stage) {
        (Some(api), Some(stage)) => Some(BasePathMapping {
            base_path: args
                .base_path
                .clone()
                .unwrap_or_else(|| EMPTY_BASE_PATH.to_owned()),
            api_id: api.to_string(),
            stage: stage.to_string(),
        }),
        _ => None,
    };
    let mutation = CreateDomain {
        ctx,
        aws: &aws,
        args,
        want: Desired {
            name: args.name.clone(),
            stack: stack.to_string(),
            certificate_arn: args.certificate_arn.clone(),
            region: aws.region().to_owned(),
            allow_vpces: args.allow_vpces.iter().map(ToString::to_string).collect(),
            mapping,
        },
        made: OnceLock::new(),
    };
    let ran = pipeline::run(ctx, &mutation, args.dry_run).await?;
    let domain = match (ran.outcome, &ran.observed.found) {
        (Outcome::Planned, _) | (_, None) => None,
        (_, Some(f)) => Some(DomainView::of(&f.domain, &f.arn, f.mappings.clone())),
    };
    let action = ran.outcome.action(mutation.made.get().is_some());
    output::emit(
        ctx,
        &DomainReport {
            action,
            run: Run::new(ran.outcome, ran.plan),
            stack: stack.to_string(),
            domain,
            subject: mutation.subject(),
        },
    )?;
    Ok(exit::OK)
}
