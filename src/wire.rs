//! `wire-regional-front` as the pipeline runs it: read the consumer's front
//! door (and, with producer credentials, the producer's API), plan with
//! [`crate::plan::wire`], and apply exactly the planned steps.
//!
//! Consumer account: internal NLB -> IP target group of the endpoint's
//! interface addresses -> VPC link -> Regional REST API with `ANY /` and
//! `ANY /{proxy+}` proxying to the private API. Producer account: the access
//! engine admits the endpoint and redeploys.

use std::time::Duration;

use crate::access::{self, Writer};
use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::{ApiId, SubnetId, VpcId, VpceId};
use crate::infra;
use crate::pipeline::{self, Mutation, Ran};
use crate::plan::front::{self, ObservedFront};
use crate::plan::wire::{self as planner, Desired, Facts, Observed, Step};
use crate::plan::{Assessed, Plan};
use crate::stack::carries_stack;

/// What identifies the consumer's resources that exist before the stack does.
pub struct Lookup {
    pub vpce: VpceId,
    pub subnet_ids: Vec<SubnetId>,
    /// `--front-api-id`: the front API to use, chosen by the user.
    pub front_api_id: Option<ApiId>,
}

/// What applying did, beyond what observing again shows.
#[derive(Debug, Default)]
pub struct Applied {
    /// Whether the front door's steps were applied.
    pub front: bool,
    /// The producer's grant, when it had steps, and its plan as applied.
    pub producer: Option<(access::Applied, Plan)>,
}

/// The front door and the producer's grant, as one mutation.
pub struct Wire<'a> {
    pub ctx: &'a Context,
    pub consumer: &'a Aws,
    /// Applies the grant with producer credentials, when they were given.
    pub producer: Option<Writer<'a>>,
    pub lookup: Lookup,
    pub want: Desired,
    /// The producer stage to redeploy.
    pub producer_stage: String,
    /// How long to wait for the load balancer and the VPC link.
    pub timeout: Duration,
}

impl Wire<'_> {
    /// Run through the pipeline, then give back the producer's write lease whatever happened.
    pub async fn run(&self, dry_run: bool) -> Result<Ran<Observed, Step, Facts, Applied>> {
        match &self.producer {
            Some(w) => w.run(pipeline::run(self.ctx, self, dry_run)).await,
            None => pipeline::run(self.ctx, self, dry_run).await,
        }
    }
}

impl Mutation for Wire<'_> {
    type Observed = Observed;
    type Step = Step;
    type Facts = Facts;
    type Applied = Applied;

    fn subject(&self) -> String {
        format!("stack {}", self.want.front.stack)
    }

    async fn observe(&self) -> Result<Observed> {
        let producer = async {
            match (&self.producer, &self.want.producer) {
                (Some(w), Some(want)) => w
                    .observe(&want.api_id, std::slice::from_ref(&self.producer_stage))
                    .await
                    .map(Some),
                _ => Ok(None),
            }
        };
        let (front, producer) = tokio::try_join!(
            observe_front_door(self.consumer, &self.lookup, &self.want.front),
            producer
        )?;
        Ok(Observed { front, producer })
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step, Facts>> {
        planner::plan(seen, &self.want)
    }

    async fn apply(&self, seen: &Observed, facts: &Facts, steps: Vec<Step>) -> Result<Applied> {
        let mut front_steps = Vec::new();
        let mut producer_steps = Vec::new();
        for step in steps {
            match step {
                Step::Consumer(s) => front_steps.push(s),
                Step::Producer(s) => producer_steps.push(s),
            }
        }
        let mut applied = Applied::default();
        if let (false, Some(writer), Some(planned), Some(want)) = (
            producer_steps.is_empty(),
            &self.producer,
            &facts.producer,
            &self.want.producer,
        ) {
            writer.consented(want, &planned.facts)?;
        }
        if !front_steps.is_empty() {
            let mut applier = infra::apply::Applier {
                ctx: self.ctx,
                aws: self.consumer,
                tags: crate::stack::stack_tags(&self.want.front.stack, &facts.stack_id),
                timeout: self.timeout,
                hint: "re-run wire-regional-front to finish",
                secret_value: None,
                made: made_observed(&seen.front),
            };
            applier.apply_all(front_steps).await?;
            applied.front = true;
        }
        if !producer_steps.is_empty() {
            let (Some(writer), Some(seen), Some(want), Some(planned)) = (
                &self.producer,
                &seen.producer,
                &self.want.producer,
                &facts.producer,
            ) else {
                return Err(Error::Unverified(
                    "producer steps were planned without producer credentials".into(),
                ));
            };
            let done = writer
                .apply(seen, &planned.facts, want, producer_steps)
                .await?;
            applied.producer = Some((done, planned.planned.plan.clone()));
        }
        Ok(applied)
    }

    fn inspect_hint(&self) -> String {
        format!(
            "xapi doctor --api-id {} --stage {} --vpce {}",
            self.want.front.private_api_id, self.want.front.private_stage, self.lookup.vpce
        )
    }
}

/// Read everything the front door's plan needs; independent reads run concurrently.
async fn observe_front_door(
    aws: &Aws,
    lookup: &Lookup,
    want: &front::Desired,
) -> Result<front::Observed> {
    let (nlb_name, tg_name) = (want.nlb_name(), want.tg_name());
    let (identity, endpoint, subnets, nlb, tg, links, front_id) = tokio::try_join!(
        aws.caller_identity(),
        infra::endpoint::observe(aws, &lookup.vpce),
        aws.subnets(&lookup.subnet_ids),
        infra::load_balancer::observe(aws, &nlb_name),
        infra::target_group::observe(aws, &tg_name),
        infra::vpc_link::observe_all(aws),
        find_front(aws, lookup, want),
    )?;
    let (link_v1, link_v2) =
        infra::vpc_link::of_stack(links, &want.stack, nlb.as_ref().map(|n| n.lb.arn.as_str()));
    let vpc: VpcId = endpoint
        .vpc_id
        .parse()
        .map_err(|e: String| Error::Unverified(format!("endpoint {}: {e}", endpoint.id)))?;
    let group_name = want.link_group_name();
    let (enis, groups, front, link_group) = tokio::try_join!(
        aws.network_interfaces(&endpoint.network_interface_ids),
        aws.security_groups(&endpoint.security_group_ids),
        observe_front(aws, front_id, lookup.front_api_id.is_some(), want),
        aws.security_group_by_name(&vpc, &group_name),
    )?;
    Ok(front::Observed {
        identity: identity.arn,
        endpoint,
        enis,
        groups,
        subnets,
        nlb,
        tg,
        link_v1,
        link_v2,
        link_group,
        front,
    })
}

/// The front API: the one given, else the one tagged with the stack, else one by name.
async fn find_front(aws: &Aws, lookup: &Lookup, want: &front::Desired) -> Result<Option<String>> {
    if let Some(id) = &lookup.front_api_id {
        return aws.rest_api(id).await.map(|a| Some(a.id));
    }
    let apis = aws.rest_apis().await?;
    let tagged = apis.iter().find(|a| carries_stack(&a.tags, &want.stack));
    let named = apis.iter().find(|a| a.name == want.front_api_name);
    Ok(tagged.or(named).map(|a| a.id.clone()))
}

async fn observe_front(
    aws: &Aws,
    id: Option<String>,
    explicit: bool,
    want: &front::Desired,
) -> Result<Option<ObservedFront>> {
    let Some(id) = id else { return Ok(None) };
    let api_id: ApiId = id
        .parse()
        .map_err(|e: String| Error::BadInput(format!("front API: {e}")))?;
    let (front, stages) =
        tokio::try_join!(infra::front_api::observe(aws, &api_id), aws.stages(&api_id))?;
    let stage_deployment = match stages.iter().find(|s| s.name == want.front_stage) {
        Some(stage) => match &stage.deployment_id {
            Some(d) => Some(aws.deployment(&api_id, d).await?.description),
            None => Some(None),
        },
        None => None,
    };
    Ok(Some(ObservedFront {
        id,
        endpoint_types: front.api.endpoint_types,
        resources: front.resources,
        integrations: front.integrations,
        stage_deployment,
        tags: front.api.tags,
        explicit,
        method_auth: front.authorization,
        policy: front.api.policy,
    }))
}

/// What the front door's steps start from: the chain, the link group, the
/// link the front goes through and the front API, as observed (a step that
/// makes one replaces it).
fn made_observed(seen: &front::Observed) -> infra::apply::Made {
    infra::apply::Made {
        nlb: infra::nlb::Made::observed(seen.nlb.as_ref(), seen.tg.as_ref()),
        link_group: seen.link_group.as_ref().map(|g| g.id.clone()),
        link: seen.link().cloned(),
        front_api: seen.front.as_ref().map(|f| f.id.clone()),
        ..infra::apply::Made::default()
    }
}
