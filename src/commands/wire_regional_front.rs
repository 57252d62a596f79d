//! `xapi wire-regional-front`: pattern 1 in one idempotent command.
//!
//! Consumer account: internal NLB -> IP target group of the endpoint's
//! interface addresses -> VPC link -> Regional REST API with `ANY /` and
//! `ANY /{proxy+}` proxying to the private API. Producer account (with its
//! credentials): the grant-vpce engine admits the endpoint and redeploys.
//! Observe -> plan -> apply -> observe again: the second plan must be empty.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::vpce_access::{self, AccessReport, Mode};
use crate::aws::apigw::NewProxyIntegration;
use crate::aws::elbv2::NewTargetGroup;
use crate::aws::Aws;
use crate::cli::{DeployArgs, WireArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::{LoadBalancer, STACK_TAG};
use crate::output::{self, Report, Style};
use crate::plan::front::{
    self, Desired, Observed, ObservedFront, ObservedNlb, ObservedTg, Steps, HEALTH_MATCHER,
    HEALTH_PATH, HEALTH_PROTOCOL, PROXY_PATH, ROOT_PATH,
};
use crate::plan::{Action, Plan, Verb};
use crate::region;

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
    }
}

/// Read everything the plan needs; independent reads run concurrently.
async fn observe(aws: &Aws, args: &WireArgs, want: &Desired) -> Result<Observed> {
    let (nlb_name, tg_name) = (want.nlb_name(), want.tg_name());
    let (identity, endpoint, subnets, lb, tg, links, front_id) = tokio::try_join!(
        aws.caller_identity(),
        aws.endpoint(&args.vpce),
        aws.subnets(&args.subnet_ids),
        aws.load_balancer(&nlb_name),
        aws.target_group(&tg_name),
        aws.vpc_links(),
        find_front(aws, args, want),
    )?;
    let link = lb
        .as_ref()
        .and_then(|lb| super::vpc_link::link_for(&links, &lb.arn))
        .cloned();
    let (enis, groups, nlb, tg, front) = tokio::try_join!(
        aws.network_interfaces(&endpoint.network_interface_ids),
        aws.security_groups(&endpoint.security_group_ids),
        observe_nlb(aws, lb),
        observe_tg(aws, tg),
        observe_front(aws, front_id, args.front_api_id.is_some(), want),
    )?;
    Ok(Observed {
        identity: identity.arn,
        endpoint,
        enis,
        groups,
        subnets,
        nlb,
        tg,
        link,
        front,
    })
}

/// The front API: the one given, else the one tagged with the stack, else one by name.
async fn find_front(aws: &Aws, args: &WireArgs, want: &Desired) -> Result<Option<String>> {
    if let Some(id) = &args.front_api_id {
        return aws.rest_api(id).await.map(|a| Some(a.id));
    }
    let apis = aws.rest_apis().await?;
    let tagged = apis
        .iter()
        .find(|a| a.tags.get(STACK_TAG) == Some(&want.stack));
    let named = apis.iter().find(|a| a.name == want.front_api_name);
    Ok(tagged.or(named).map(|a| a.id.clone()))
}

async fn observe_nlb(aws: &Aws, lb: Option<LoadBalancer>) -> Result<Option<ObservedNlb>> {
    let Some(lb) = lb else { return Ok(None) };
    let (tags, cross_zone, listeners) = tokio::try_join!(
        aws.elb_tags(std::slice::from_ref(&lb.arn)),
        aws.cross_zone_enabled(&lb.arn),
        aws.listeners(&lb.arn)
    )?;
    Ok(Some(ObservedNlb {
        tags: tags.get(&lb.arn).cloned().unwrap_or_default(),
        cross_zone,
        listeners,
        lb,
    }))
}

async fn observe_tg(
    aws: &Aws,
    tg: Option<crate::model::TargetGroup>,
) -> Result<Option<ObservedTg>> {
    let Some(tg) = tg else { return Ok(None) };
    let (tags, health) = tokio::try_join!(
        aws.elb_tags(std::slice::from_ref(&tg.arn)),
        aws.target_health(&tg.arn)
    )?;
    Ok(Some(ObservedTg {
        tags: tags.get(&tg.arn).cloned().unwrap_or_default(),
        targets: health.into_iter().map(|h| h.target).collect(),
        tg,
    }))
}

async fn observe_front(
    aws: &Aws,
    id: Option<String>,
    explicit: bool,
    want: &Desired,
) -> Result<Option<ObservedFront>> {
    let Some(id) = id else { return Ok(None) };
    let api_id: crate::ids::ApiId = id
        .parse()
        .map_err(|e: String| Error::BadInput(format!("front API: {e}")))?;
    let (api, resources, stages) = tokio::try_join!(
        aws.rest_api(&api_id),
        aws.resources(&id),
        aws.stages(&api_id)
    )?;
    let mut integrations = BTreeMap::new();
    let mut method_auth = BTreeMap::new();
    for path in [ROOT_PATH, PROXY_PATH] {
        let found = match resources.iter().find(|r| r.path == path) {
            Some(r) if r.methods.iter().any(|m| m == "ANY") => {
                if let Some(auth) = aws.method_authorization(&id, &r.id, "ANY").await? {
                    method_auth.insert(path.to_owned(), auth);
                }
                aws.integration(&id, &r.id, "ANY").await?
            }
            _ => None,
        };
        integrations.insert(path.to_owned(), found);
    }
    let stage_deployment = match stages.iter().find(|s| s.name == want.front_stage) {
        Some(stage) => match &stage.deployment_id {
            Some(d) => Some(aws.deployment(&api_id, d).await?.description),
            None => Some(None),
        },
        None => None,
    };
    Ok(Some(ObservedFront {
        id,
        endpoint_types: api.endpoint_types,
        resources,
        integrations,
        stage_deployment,
        tags: api.tags,
        explicit,
        method_auth,
        policy: api.policy,
    }))
}

/// Ids known before applying, filled in as resources are created.
#[derive(Debug, Default, Serialize, Clone)]
pub struct Resources {
    pub load_balancer_arn: Option<String>,
    pub load_balancer_dns: Option<String>,
    pub target_group_arn: Option<String>,
    pub vpc_link_id: Option<String>,
    pub front_api_id: Option<String>,
    pub front_stage: String,
    pub targets: Vec<String>,
}

async fn apply(
    ctx: &Context,
    aws: &Aws,
    seen: &Observed,
    want: &Desired,
    steps: &Steps,
    timeout: Duration,
) -> Result<Resources> {
    let tags = want.tags();
    let mut ids = Resources {
        front_stage: want.front_stage.clone(),
        ..Resources::default()
    };
    let mut lb = seen.nlb.as_ref().map(|n| n.lb.clone());
    if steps.create_nlb {
        let created = aws
            .create_internal_nlb(&want.nlb_name(), &want.subnet_ids, &tags)
            .await?;
        output::note(&format!("created load balancer {}", created.name));
        aws.enable_cross_zone(&created.arn).await?;
        lb = Some(created);
    } else if steps.enable_cross_zone {
        if let Some(lb) = &lb {
            aws.enable_cross_zone(&lb.arn).await?;
        }
    }
    let lb = lb.ok_or_else(|| Error::Unverified("no load balancer after creating it".into()))?;

    let mut tg = seen.tg.as_ref().map(|t| t.tg.clone());
    if steps.create_tg {
        let created = aws
            .create_ip_target_group(&NewTargetGroup {
                name: want.tg_name(),
                vpc_id: seen.endpoint.vpc_id.clone(),
                port: 443,
                health_protocol: HEALTH_PROTOCOL.into(),
                health_port: "traffic-port".into(),
                health_path: HEALTH_PATH.into(),
                matcher: HEALTH_MATCHER.into(),
                tags: tags.clone(),
            })
            .await?;
        output::note(&format!("created target group {}", created.name));
        tg = Some(created);
    }
    let tg = tg.ok_or_else(|| Error::Unverified("no target group after creating it".into()))?;
    if steps.fix_health_check {
        aws.set_health_check(
            &tg.arn,
            HEALTH_PROTOCOL,
            "traffic-port",
            HEALTH_PATH,
            HEALTH_MATCHER,
        )
        .await?;
    }
    if steps.create_listener {
        aws.create_tcp_listener(&lb.arn, 443, &tg.arn, &tags)
            .await?;
        output::note("created listener TCP 443");
    }
    if !steps.targets.is_noop() {
        super::targets::apply(aws, &tg, &steps.targets, &steps.desired_targets, true).await?;
        output::note(&format!("synced {} target(s)", steps.desired_targets.len()));
    }

    let link = match &seen.link {
        Some(l) => l.clone(),
        None => {
            // A link made while its load balancer is still provisioning fails.
            crate::aws::wait::load_balancer_active(ctx, aws, &lb, timeout).await?;
            let created = aws.create_vpc_link(&want.stack, &lb.arn, &tags).await?;
            output::note(&format!("created VPC link {}", created.id));
            created
        }
    };
    let link = crate::aws::wait::vpc_link_available(ctx, aws, link, timeout).await?;

    let front_id = match &seen.front {
        Some(f) => f.id.clone(),
        None => {
            let id = aws.create_regional_api(&want.front_api_name, &tags).await?;
            output::note(&format!("created Regional API {id}"));
            id
        }
    };
    let mut resources = aws.resources(&front_id).await?;
    if !resources.iter().any(|r| r.path == PROXY_PATH) {
        let root = resources
            .iter()
            .find(|r| r.path == ROOT_PATH)
            .map(|r| r.id.clone())
            .ok_or_else(|| {
                Error::Unverified(format!("front API {front_id} has no root resource"))
            })?;
        aws.create_resource(&front_id, &root, "{proxy+}").await?;
        resources = aws.resources(&front_id).await?;
    }
    let resource_id = |path: &str| {
        resources
            .iter()
            .find(|r| r.path == path)
            .map(|r| r.id.clone())
            .ok_or_else(|| {
                Error::Unverified(format!("front API {front_id} has no {path} resource"))
            })
    };
    let auth = want.authorization.as_deref().unwrap_or(front::AUTH_NONE);
    for path in &steps.put_methods {
        let param = (path == PROXY_PATH).then_some("proxy");
        aws.put_any_method_authorized(&front_id, &resource_id(path)?, param, auth)
            .await?;
    }
    for path in &steps.set_auth {
        aws.set_method_authorization(&front_id, &resource_id(path)?, "ANY", auth)
            .await?;
        output::note(&format!("set authorization {auth} on ANY {path}"));
    }
    if let Some(policy) = &steps.put_front_policy {
        let api_id: crate::ids::ApiId = front_id
            .parse()
            .map_err(|e: String| Error::Unverified(format!("front API: {e}")))?;
        aws.put_policy(&api_id, policy).await?;
        output::note(&format!(
            "wrote the resource policy of front API {front_id}"
        ));
    }
    for path in &steps.put_integrations {
        aws.put_proxy_integration(
            &front_id,
            &resource_id(path)?,
            &NewProxyIntegration {
                uri: want.integration_uri(path),
                connection_id: link.id.clone(),
                request_parameters: want.integration_params(path).into_iter().collect(),
            },
        )
        .await?;
        output::note(&format!("integrated ANY {path} over VPC link {}", link.id));
    }
    if steps.deploy_front {
        let api_id: crate::ids::ApiId = front_id
            .parse()
            .map_err(|e: String| Error::Unverified(format!("front API: {e}")))?;
        let d = aws
            .create_deployment(&api_id, &want.front_stage, &want.front_marker(&link.id))
            .await?;
        output::note(&format!("deployed front stage {} ({d})", want.front_stage));
    }
    if let Some((group, cidrs)) = &steps.authorize {
        aws.authorize_https_from(group, cidrs, &tags).await?;
        output::note(&format!(
            "allowed TCP 443 into {group} from {}",
            cidrs.join(", ")
        ));
    }
    ids.load_balancer_arn = Some(lb.arn.clone());
    ids.load_balancer_dns = Some(lb.dns_name.clone());
    ids.target_group_arn = Some(tg.arn.clone());
    ids.vpc_link_id = Some(link.id.clone());
    ids.front_api_id = Some(front_id);
    ids.targets = steps
        .desired_targets
        .iter()
        .map(|t| format!("{}:{}", t.ip, t.port))
        .collect();
    Ok(ids)
}

#[derive(Debug, Serialize)]
pub struct WireReport {
    pub stack: String,
    pub dry_run: bool,
    pub changed: bool,
    pub plan: Plan,
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
        if self.dry_run {
            out.push_str(&self.plan.render(style));
            if let Some(p) = &self.producer {
                out.push_str(&vpce_access::plan_and_diff(
                    false,
                    &p.plan,
                    p.diff.as_deref(),
                    style,
                ));
            }
        }
        if let Some(cmd) = &self.producer_command {
            out.push_str(&format!(
                "The producer must admit the endpoint and redeploy:\n  {cmd}\n"
            ));
        }
        if self.dry_run {
            out.push_str("Dry run: nothing was changed.\n");
            return out;
        }
        if !self.changed {
            out.push_str(&format!("No changes: stack {} is wired.\n", self.stack));
        }
        if let Some(r) = &self.resources {
            let mut t = style.table(&["RESOURCE", "ID"]);
            let rows = [
                ("Load balancer", r.load_balancer_arn.clone()),
                ("Target group", r.target_group_arn.clone()),
                ("Targets", Some(r.targets.join(", "))),
                ("VPC link", r.vpc_link_id.clone()),
                ("Front API", r.front_api_id.clone()),
                ("Front stage", Some(r.front_stage.clone())),
            ];
            for (k, v) in rows {
                t.add_row(vec![k.to_owned(), v.unwrap_or_default()]);
            }
            out.push_str(&format!("{t}\n"));
        }
        if let Some(p) = &self.producer {
            out.push_str(&p.table(style));
        }
        if let Some(url) = &self.invoke_url {
            out.push_str(&format!("Front door: {url}\n"));
        }
        for w in &self.warnings {
            out.push_str(&format!(
                "{} {w}\n",
                style.paint("warning:", comfy_table::Color::Yellow)
            ));
        }
        out
    }
}

pub async fn run(ctx: &Context, args: &WireArgs) -> Result<u8> {
    let want = desired(ctx, args);
    let (aws, producer) = tokio::try_join!(ctx.aws(), ctx.producer(&args.producer))?;
    let grant_args = DeployArgs {
        stages: vec![args.stage.clone()],
        dry_run: args.dry_run,
    };
    let (seen, prepared) = tokio::try_join!(observe(&aws, args, &want), async {
        match &producer {
            Some(p) => vpce_access::prepare(
                p,
                Mode::Grant,
                &args.private_api_id,
                std::slice::from_ref(&args.vpce),
                None,
                false,
                &grant_args,
            )
            .await
            .map(Some),
            None => Ok(None),
        }
    })?;
    let (mut plan, steps) = front::plan(&seen, &want)?;
    let producer_command = producer.is_none().then(|| {
        format!(
            "xapi grant-vpce --api-id {} --vpce {} --stage {} --profile <producer profile>",
            args.private_api_id, args.vpce, args.stage
        )
    });
    match &prepared {
        Some(p) => {
            for a in &p.report.plan.actions {
                plan.actions.push(Action {
                    target: format!("{} (producer)", a.target),
                    ..a.clone()
                });
            }
            plan.warnings.extend(p.report.warnings.iter().cloned());
        }
        None => plan.actions.push(Action {
            verb: Verb::Change,
            resource: "resource-policy".into(),
            target: format!(
                "{} (producer: not run without producer credentials)",
                args.private_api_id
            ),
            details: vec![format!("admit {}", args.vpce)],
        }),
    }
    let mut report = WireReport {
        stack: want.stack.clone(),
        dry_run: args.dry_run,
        changed: !steps.is_noop() || prepared.as_ref().is_some_and(|p| p.report.changed),
        warnings: plan.warnings.clone(),
        plan,
        resources: None,
        producer: None,
        producer_command,
        invoke_url: None,
    };
    if args.dry_run {
        report.producer = prepared.map(|p| p.report);
        output::emit(ctx, &report)?;
        return Ok(exit::OK);
    }
    output::note(report.plan.render(&ctx.stderr_style()).trim_end());
    let resources = if steps.is_noop() {
        existing_resources(&seen, &want)
    } else {
        let ids = apply(ctx, &aws, &seen, &want, &steps, args.wait_timeout).await?;
        let after = observe(&aws, args, &want).await?;
        let (_, left) = front::plan(&after, &want)?;
        if !left.is_noop() {
            return Err(Error::Unverified(format!(
                "after wiring, stack {} still differs from the plan ({left:?}); re-run, or inspect with `xapi doctor`",
                want.stack
            )));
        }
        ids
    };
    if let Some(p) = prepared {
        report.producer = Some(if p.needs_apply() {
            vpce_access::execute(
                producer
                    .as_deref()
                    .ok_or_else(|| Error::Unverified("producer credentials vanished".into()))?,
                p,
            )
            .await?
        } else {
            p.report
        });
    }
    report.invoke_url = resources.front_api_id.as_ref().map(|id| {
        format!(
            "https://{id}.execute-api.{}.{}/{}/",
            want.region, want.dns_suffix, want.front_stage
        )
    });
    report.resources = Some(resources);
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

fn existing_resources(seen: &Observed, want: &Desired) -> Resources {
    Resources {
        load_balancer_arn: seen.nlb.as_ref().map(|n| n.lb.arn.clone()),
        load_balancer_dns: seen.nlb.as_ref().map(|n| n.lb.dns_name.clone()),
        target_group_arn: seen.tg.as_ref().map(|t| t.tg.arn.clone()),
        vpc_link_id: seen.link.as_ref().map(|l| l.id.clone()),
        front_api_id: seen.front.as_ref().map(|f| f.id.clone()),
        front_stage: want.front_stage.clone(),
        targets: seen
            .tg
            .as_ref()
            .map(|t| {
                t.targets
                    .iter()
                    .map(|t| format!("{}:{}", t.ip, t.port))
                    .collect()
            })
            .unwrap_or_default(),
    }
}
