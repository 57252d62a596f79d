//! The regional front door (pattern 1) as a pure plan: given what exists,
//! what must be created or changed so that
//! Regional API -> VPC link -> internal NLB -> endpoint IPs -> private API.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::nlb::{self, ObservedNlb, ObservedTg, TRAFFIC_PORT};
use super::targets::{self, TargetDiff};
use super::vpc_link::GroupSteps;
use super::{Action, Plan, Verb};
use crate::cidr;
use crate::error::{Error, Result};
use crate::ids::ExecuteApiHost;
use crate::model::{
    ApiResource, Endpoint, HealthCheck, Integration, LinkVersion, NetworkInterface, SecurityGroup,
    Subnet, Target, VpcLink, FRONT_METHOD, STACK_TAG,
};
use crate::stack::StackNames;

pub const PROXY_PATH: &str = "/{proxy+}";
pub const ROOT_PATH: &str = "/";

/// What the load balancer asks each endpoint interface: execute-api answers
/// `GET /ping` on every hostname, with no API or stage in the path.
pub fn health_check() -> HealthCheck {
    HealthCheck {
        protocol: "HTTPS".into(),
        port: TRAFFIC_PORT.into(),
        path: Some("/ping".into()),
        matcher: Some("200-399".into()),
    }
}

/// What the user asked for, with every name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    pub stack: String,
    pub region: String,
    pub dns_suffix: String,
    pub private_api_id: String,
    pub private_stage: String,
    pub front_stage: String,
    pub front_api_name: String,
    pub subnet_ids: Vec<String>,
    pub fix_security_group: bool,
    /// `--authorization`: `Some("AWS_IAM")` / `Some("NONE")` to enforce on
    /// `ANY /` and `ANY /{proxy+}`; `None` keeps what is there (NONE for new methods).
    pub authorization: Option<String>,
    /// `--allow-cidr`: the only source ranges the front's resource policy
    /// admits; empty leaves the policy as it is.
    pub allow_cidrs: Vec<String>,
    /// The id a new stack gets; an existing stack keeps the one its resources carry.
    pub new_stack_id: String,
    /// `--vpc-link` / `--migrate-to-v2`: which kind of VPC link the front uses.
    pub link: LinkChoice,
}

/// Which kind of VPC link the front door goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkChoice {
    /// A new stack gets a v2 link; an existing stack keeps the kind it has.
    #[default]
    Keep,
    V1,
    V2,
    /// Move a v1 stack to v2: make the v2 link, point both integrations at
    /// it, redeploy, and only then delete the v1 link.
    MigrateToV2,
}

/// Sid of the statements xapi writes into the front's resource policy.
pub const FRONT_POLICY_SID: &str = "xapi-front-allow-cidr";
pub const AUTH_NONE: &str = "NONE";
pub const AUTH_IAM: &str = "AWS_IAM";

impl Desired {
    pub fn nlb_name(&self) -> String {
        StackNames::of(&self.stack).load_balancer
    }
    pub fn tg_name(&self) -> String {
        StackNames::of(&self.stack).target_group
    }
    pub fn link_name(&self) -> String {
        StackNames::of(&self.stack).vpc_link
    }
    pub fn link_group_name(&self) -> String {
        StackNames::of(&self.stack).link_security_group
    }
    /// The private API's hostname: the TLS server name, and what routes the call to it.
    pub fn private_host(&self) -> String {
        ExecuteApiHost::private_dns(&self.private_api_id, &self.region, &self.dns_suffix)
            .to_string()
    }
    pub fn integration_uri(&self, path: &str) -> String {
        let tail = if path == PROXY_PATH { "{proxy}" } else { "" };
        format!(
            "https://{}/{}/{tail}",
            self.private_host(),
            self.private_stage
        )
    }
    pub fn integration_params(&self, path: &str) -> BTreeMap<String, String> {
        if path == PROXY_PATH {
            BTreeMap::from([(
                "integration.request.path.proxy".to_owned(),
                "method.request.path.proxy".to_owned(),
            )])
        } else {
            BTreeMap::new()
        }
    }
    /// Marks a front deployment with the configuration it deployed, so a re-run
    /// knows whether the stage is current without comparing timestamps.
    /// `target` is a v2 link's load balancer; v1 stacks keep the marker they had.
    pub fn front_marker(&self, link_id: &str, target: Option<&str>) -> String {
        let mut h = Sha256::new();
        for path in [ROOT_PATH, PROXY_PATH] {
            h.update(format!(
                "{path}|{}|{link_id}|{:?}\n",
                self.integration_uri(path),
                self.integration_params(path)
            ));
        }
        if let Some(target) = target {
            h.update(format!("integration-target|{target}\n"));
        }
        // Authorization and the resource policy only take effect once
        // deployed, so they are part of what the stage must carry. Left out
        // when not asked for, so stacks wired without them keep their marker.
        if let Some(auth) = &self.authorization {
            h.update(format!("authorization|{auth}\n"));
        }
        if !self.allow_cidrs.is_empty() {
            h.update(format!("allow-cidr|{}\n", self.allow_cidrs.join(",")));
        }
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        format!("xapi front-sha256={hex}")
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ObservedFront {
    pub id: String,
    pub endpoint_types: Vec<String>,
    pub resources: Vec<ApiResource>,
    /// Integration of `ANY` on `/` and `/{proxy+}`, by path.
    pub integrations: BTreeMap<String, Option<Integration>>,
    /// Description of the deployment the front stage points at, if the stage exists.
    pub stage_deployment: Option<Option<String>>,
    pub tags: BTreeMap<String, String>,
    /// Named with `--front-api-id`: the user chose it, so it needs no tag.
    pub explicit: bool,
    /// `authorizationType` of `ANY` on `/` and `/{proxy+}`, by path.
    pub method_auth: BTreeMap<String, String>,
    /// The resource policy as API Gateway returns it.
    pub policy: Option<String>,
}

/// The front's resource policy for `cidrs`: requests from anywhere else are
/// denied. With IAM authorization the callers' own IAM policies grant access,
/// and an `Allow` for `*` here would admit any AWS account's principals, so it
/// is written only for unauthenticated fronts (which need an explicit Allow).
pub fn front_policy(cidrs: &[String], iam: bool) -> serde_json::Value {
    let mut statements = vec![serde_json::json!({
        "Sid": format!("{FRONT_POLICY_SID}-deny"),
        "Effect": "Deny",
        "Principal": "*",
        "Action": "execute-api:Invoke",
        "Resource": "execute-api:/*",
        "Condition": {"NotIpAddress": {"aws:SourceIp": cidrs}}
    })];
    if !iam {
        statements.push(serde_json::json!({
            "Sid": FRONT_POLICY_SID,
            "Effect": "Allow",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": "execute-api:/*",
            "Condition": {"IpAddress": {"aws:SourceIp": cidrs}}
        }));
    }
    serde_json::json!({"Version": "2012-10-17", "Statement": statements})
}

/// API Gateway returns the policy JSON with its quotes escaped.
pub fn parse_returned_policy(raw: &str) -> Option<serde_json::Value> {
    serde_json::from_str(raw)
        .ok()
        .or_else(|| serde_json::from_str(&raw.replace("\\\"", "\"").replace("\\/", "/")).ok())
}

/// Everything read in the consumer account before planning.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Observed {
    pub identity: String,
    pub endpoint: Endpoint,
    pub enis: Vec<NetworkInterface>,
    pub groups: Vec<SecurityGroup>,
    pub subnets: Vec<Subnet>,
    pub nlb: Option<ObservedNlb>,
    pub tg: Option<ObservedTg>,
    /// The live v1 link bound to the stack's load balancer.
    pub link_v1: Option<VpcLink>,
    /// The live v2 link carrying the stack's tag.
    pub link_v2: Option<VpcLink>,
    /// The stack's group for a v2 link's interfaces, by name in the endpoint's VPC.
    pub link_group: Option<SecurityGroup>,
    pub front: Option<ObservedFront>,
}

impl Observed {
    /// The link the front goes through: v2 once there is one (a migration
    /// under way ends on it), else v1.
    pub fn link(&self) -> Option<&VpcLink> {
        self.link_v2.as_ref().or(self.link_v1.as_ref())
    }
}

/// What the front door needs, kind by kind; [`super::step::front_door`]
/// lists it as steps in apply order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Steps {
    /// The load balancer, its target group and listener.
    pub nlb: Vec<nlb::Step>,
    pub targets: TargetDiff,
    pub desired_targets: Vec<Target>,
    /// The kind of link the front goes through after these steps.
    pub link_version: LinkVersion,
    /// v2: the group on the link's interfaces and its outbound rules.
    pub link_group: GroupSteps,
    pub create_link: bool,
    /// A v1 link the stack moves off, deleted once the front serves v2.
    pub delete_link_v1: Option<String>,
    pub create_front: bool,
    pub create_proxy_resource: bool,
    pub put_methods: Vec<String>,
    pub put_integrations: Vec<String>,
    pub deploy_front: bool,
    /// Security group and the NLB subnet CIDRs to admit on TCP 443.
    pub authorize: Option<(String, Vec<String>)>,
    /// Existing `ANY` methods whose authorization type must change.
    pub set_auth: Vec<String>,
    /// The resource policy to write.
    pub put_front_policy: Option<String>,
    /// The stack's `xapi:stack-id`, written on everything the steps create.
    pub stack_id: String,
}

impl Steps {
    pub fn is_noop(&self) -> bool {
        let Steps {
            nlb,
            targets,
            desired_targets: _,
            link_version: _,
            link_group,
            create_link,
            delete_link_v1,
            create_front,
            create_proxy_resource,
            put_methods,
            put_integrations,
            deploy_front,
            authorize,
            set_auth,
            put_front_policy,
            stack_id: _,
        } = self;
        !(!nlb.is_empty()
            || !targets.is_noop()
            || !link_group.is_noop()
            || *create_link
            || delete_link_v1.is_some()
            || *create_front
            || *create_proxy_resource
            || !put_methods.is_empty()
            || !put_integrations.is_empty()
            || *deploy_front
            || authorize.is_some()
            || !set_auth.is_empty()
            || put_front_policy.is_some())
    }
}

/// The id the stack's existing resources carry, else a new one; two ids under one
/// name are refused.
fn stack_id(seen: &Observed, want: &Desired) -> Result<String> {
    let found = crate::stack::existing_stack_id(
        &want.stack,
        seen.nlb
            .as_ref()
            .map(|n| ("load balancer", &n.tags))
            .into_iter()
            .chain(seen.tg.as_ref().map(|t| ("target group", &t.tags)))
            .chain(seen.link_v1.as_ref().map(|l| ("VPC link", &l.tags)))
            .chain(seen.link_v2.as_ref().map(|l| ("VPC link", &l.tags)))
            .chain(
                seen.link_group
                    .as_ref()
                    .map(|g| ("security group", &g.tags)),
            )
            .chain(seen.front.as_ref().map(|f| ("front API", &f.tags))),
    )?;
    Ok(found.unwrap_or_else(|| want.new_stack_id.clone()))
}

/// `ANY / and ANY /{proxy+} need` / `ANY /{proxy+} needs`: the methods that will need
/// no authorization, with the verb that fits.
fn open_methods(auth_of: &dyn Fn(&str) -> String) -> String {
    let open: Vec<String> = [ROOT_PATH, PROXY_PATH]
        .iter()
        .filter(|p| auth_of(p) != AUTH_IAM)
        .map(|p| format!("ANY {p}"))
        .collect();
    let verb = if open.len() == 1 { "needs" } else { "need" };
    format!("{} {verb}", open.join(" and "))
}

/// The account of a caller ARN (`arn:aws:sts::ACCOUNT:assumed-role/...`).
fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

fn owned_by(tags: &BTreeMap<String, String>, stack: &str) -> bool {
    crate::stack::carries_stack(tags, stack)
}

/// The kind of link the front goes through, or why the one asked for
/// cannot be had from what exists.
fn link_version(seen: &Observed, want: &Desired) -> Result<LinkVersion> {
    let (v1, v2) = (seen.link_v1.as_ref(), seen.link_v2.as_ref());
    match (want.link, v1, v2) {
        (LinkChoice::Keep, Some(_), None) => Ok(LinkVersion::V1),
        (LinkChoice::Keep | LinkChoice::MigrateToV2, _, _) => Ok(LinkVersion::V2),
        (LinkChoice::V1, _, Some(l)) => Err(Error::BadInput(format!(
            "--vpc-link v1: stack {} goes through VPC link v2 {}; xapi does not move a stack back to v1: \
             leave out --vpc-link, or tear the stack down (`xapi teardown --stack {}`) and wire it again",
            want.stack, l.id, want.stack
        ))),
        (LinkChoice::V1, _, None) => Ok(LinkVersion::V1),
        (LinkChoice::V2, Some(l), None) => Err(Error::BadInput(format!(
            "--vpc-link v2: stack {} goes through VPC link v1 {}; pass --migrate-to-v2 to move it \
             (the v1 link is deleted only once the front serves the v2 link; --dry-run shows every step)",
            want.stack, l.id
        ))),
        (LinkChoice::V2, _, _) => Ok(LinkVersion::V2),
    }
}

fn plan_link_v1(seen: &Observed, want: &Desired, plan: &mut Plan, steps: &mut Steps) {
    match &seen.link_v1 {
        None => {
            steps.create_link = true;
            plan.actions.push(Action::new(
                Verb::Create,
                "vpc-link",
                want.link_name(),
                vec![format!("v1, to {}", want.nlb_name())],
            ));
        }
        Some(l) => plan.actions.push(Action::new(
            Verb::Reuse,
            "vpc-link",
            &l.id,
            vec![format!("v1, status {}", l.status)],
        )),
    }
}

/// v2: the link's own group (out TCP 443 to the load balancer's subnets,
/// nothing else), the link in the stack's subnets, and, when the stack moves
/// off a v1 link, that link's deletion once the front serves v2.
fn plan_link_v2(seen: &Observed, want: &Desired, plan: &mut Plan, steps: &mut Steps) -> Result<()> {
    let ranges: Vec<String> = seen.subnets.iter().map(|s| s.cidr_block.clone()).collect();
    let group_name = want.link_group_name();
    let (group_action, group_steps) = super::vpc_link::plan_group(
        seen.link_group.as_ref(),
        seen.link_v2.is_some(),
        (&seen.endpoint.vpc_id, &group_name),
        &want.stack,
        &ranges,
    )?;
    plan.actions.extend(group_action.map(|mut a| {
        if a.verb == Verb::Create {
            a.details[0].push_str(" (the load balancer's subnets)");
        }
        a
    }));
    steps.link_group = group_steps;
    match &seen.link_v2 {
        None => {
            let warnings = super::vpc_link::check_v2_subnets(&want.region, &seen.subnets)
                .map_err(|e| Error::BadInput(format!("--subnet-id: {e}")))?;
            plan.warnings.extend(warnings);
            steps.create_link = true;
            plan.actions.push(Action::new(
                Verb::Create,
                "vpc-link",
                want.link_name(),
                vec![format!(
                    "v2, interfaces in {} under {group_name}; each integration names {}",
                    want.subnet_ids.join(", "),
                    want.nlb_name()
                )],
            ));
        }
        Some(l) => {
            plan.actions.push(Action::new(
                Verb::Reuse,
                "vpc-link",
                &l.id,
                vec![format!("v2, status {}", l.status)],
            ));
            let mut asked = want.subnet_ids.clone();
            let mut has = l.subnet_ids.clone();
            asked.sort();
            has.sort();
            if asked != has {
                plan.warnings.push(format!(
                    "VPC link {} has its interfaces in {}, not in {}: a link's subnets cannot change; \
                     tear the stack down and wire it again to move them",
                    l.id,
                    has.join(", "),
                    asked.join(", ")
                ));
            }
        }
    }
    if let Some(old) = &seen.link_v1 {
        if owned_by(&old.tags, &want.stack) {
            steps.delete_link_v1 = Some(old.id.clone());
        } else {
            plan.warnings.push(format!(
                "VPC link v1 {} to {} does not carry {STACK_TAG}={}: left as it is",
                old.id,
                want.nlb_name(),
                want.stack
            ));
        }
    }
    Ok(())
}

/// Whether an integration goes through the link (and, for v2, to the load
/// balancer) the plan wants. Where API Gateway reports no connection id,
/// only a stage deployed by xapi with this very link and target vouches for
/// it; otherwise the integration is written again rather than trusted.
fn goes_through(
    i: &Integration,
    link_id: Option<&str>,
    target: Option<&str>,
    marker_ok: bool,
) -> bool {
    match (&i.connection_id, target) {
        (None, _) => marker_ok,
        (Some(id), None) => Some(id.as_str()) == link_id,
        (Some(id), Some(t)) => {
            Some(id.as_str()) == link_id && i.integration_target.as_deref() == Some(t)
        }
    }
}

/// Work out the plan. Refuses (bad input) what cannot be reconciled safely:
/// someone else's resources under the stack's names, immutable settings that differ.
pub fn plan(seen: &Observed, want: &Desired) -> Result<(Plan, Steps)> {
    let mut plan = Plan {
        identity: seen.identity.clone(),
        ..Plan::default()
    };
    let mut steps = Steps {
        stack_id: stack_id(seen, want)?,
        ..Steps::default()
    };
    let e = &seen.endpoint;
    if !e.endpoint_type.eq_ignore_ascii_case("Interface")
        || !e.service_name.ends_with(".execute-api")
    {
        return Err(Error::BadInput(format!(
            "{} is a {} endpoint for {}: the front door needs an execute-api interface endpoint",
            e.id, e.endpoint_type, e.service_name
        )));
    }
    for s in &seen.subnets {
        if s.vpc_id != e.vpc_id {
            return Err(Error::BadInput(format!(
                "subnet {} is in {}, not in {}, the endpoint's VPC: pass subnets of {}",
                s.id, s.vpc_id, e.vpc_id, e.vpc_id
            )));
        }
    }

    let chain = nlb::plan(
        seen.nlb.as_ref(),
        seen.tg.as_ref(),
        &nlb::Desired {
            stack: want.stack.clone(),
            load_balancer: want.nlb_name(),
            target_group: want.tg_name(),
            vpc_id: e.vpc_id.clone(),
            subnet_ids: want.subnet_ids.clone(),
            health: health_check(),
        },
    )?;
    plan.actions.extend(chain.actions);
    steps.nlb = chain.steps;

    // Targets: the stack owns the group, so stale addresses are pruned.
    let tg_vpc = seen
        .tg
        .as_ref()
        .map(|t| t.tg.vpc_id.clone())
        .unwrap_or_else(|| e.vpc_id.clone());
    steps.desired_targets = targets::desired_targets(e, &seen.enis, &tg_vpc);
    let current = seen
        .tg
        .as_ref()
        .map(|t| t.targets.clone())
        .unwrap_or_default();
    steps.targets = targets::diff(&current, &steps.desired_targets, true);
    plan.actions
        .extend(targets::target_actions(&want.tg_name(), &steps.targets));
    if steps.desired_targets.is_empty() {
        plan.warnings.push(format!(
            "{} has no network interfaces with addresses: the NLB will have no targets",
            e.id
        ));
    }

    // VPC link.
    steps.link_version = link_version(seen, want)?;
    let link = match steps.link_version {
        LinkVersion::V1 => {
            plan_link_v1(seen, want, &mut plan, &mut steps);
            seen.link_v1.as_ref()
        }
        LinkVersion::V2 => {
            plan_link_v2(seen, want, &mut plan, &mut steps)?;
            seen.link_v2.as_ref()
        }
    };
    let link_id = link.map(|l| l.id.as_str());
    // A v2 link is bound to no load balancer: each integration names it.
    let target = match steps.link_version {
        LinkVersion::V1 => None,
        LinkVersion::V2 => seen.nlb.as_ref().map(|n| n.lb.arn.as_str()),
    };
    let stage_current = seen.front.as_ref().and_then(|f| f.stage_deployment.clone());
    let marker_ok = match (link_id, &stage_current) {
        (Some(id), Some(Some(description))) => *description == want.front_marker(id, target),
        _ => false,
    };

    // Front API, its resources, methods and integrations.
    match &seen.front {
        None => {
            steps.create_front = true;
            steps.create_proxy_resource = true;
            steps.put_methods = vec![ROOT_PATH.into(), PROXY_PATH.into()];
            steps.put_integrations = vec![ROOT_PATH.into(), PROXY_PATH.into()];
            plan.actions.push(Action::new(
                Verb::Create,
                "rest-api",
                &want.front_api_name,
                vec!["Regional".into()],
            ));
        }
        Some(f) => {
            if !f.explicit && !owned_by(&f.tags, &want.stack) {
                return Err(Error::BadInput(format!(
                    "REST API {} named {} exists but does not carry {STACK_TAG}={}: xapi never takes \
                     over an API it did not make; pass another --name or --front-api-name, or name \
                     it with --front-api-id to use it on purpose",
                    f.id, want.front_api_name, want.stack
                )));
            }
            if !f
                .endpoint_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case("REGIONAL"))
            {
                return Err(Error::BadInput(format!(
                    "front API {} is {}, not REGIONAL",
                    f.id,
                    f.endpoint_types.join("/")
                )));
            }
            plan.actions.push(Action::new(
                Verb::Reuse,
                "rest-api",
                &f.id,
                vec![want.front_api_name.clone()],
            ));
            for path in [ROOT_PATH, PROXY_PATH] {
                let resource = f.resources.iter().find(|r| r.path == path);
                if resource.is_none() {
                    steps.create_proxy_resource = true;
                }
                if !resource.is_some_and(|r| r.methods.iter().any(|m| m == FRONT_METHOD)) {
                    steps.put_methods.push(path.into());
                }
                let current = f.integrations.get(path).cloned().flatten();
                let matches = current.as_ref().is_some_and(|i| {
                    i.integration_type == "HTTP_PROXY"
                        && i.connection_type.as_deref() == Some("VPC_LINK")
                        && i.uri.as_deref() == Some(want.integration_uri(path).as_str())
                        && i.request_parameters == want.integration_params(path)
                        && link_id.is_some()
                        && goes_through(i, link_id, target, marker_ok)
                });
                if matches {
                    if current.as_ref().is_some_and(|i| i.connection_id.is_none()) {
                        plan.warnings.push(format!(
                            "API Gateway did not report the connection id of ANY {path}: could not confirm it uses the stack's VPC link"
                        ));
                    }
                } else {
                    steps.put_integrations.push(path.into());
                }
            }
        }
    }
    for path in &steps.put_integrations {
        let verb = if seen
            .front
            .as_ref()
            .is_some_and(|f| f.integrations.get(path).is_some_and(Option::is_some))
        {
            Verb::Change
        } else {
            Verb::Create
        };
        plan.actions.push(Action::new(
            verb,
            "integration",
            format!("ANY {path}"),
            vec![match steps.link_version {
                // The load balancer's ARN once it exists, its name before.
                LinkVersion::V2 => format!(
                    "HTTP_PROXY over the VPC link v2 to {}, integration target {}",
                    want.integration_uri(path),
                    target.map_or_else(|| want.nlb_name(), str::to_owned)
                ),
                LinkVersion::V1 => format!(
                    "HTTP_PROXY over the VPC link to {}",
                    want.integration_uri(path)
                ),
            }],
        ));
    }
    // Authorization of the existing ANY methods (new ones get it at creation).
    let current_auth = |path: &str| {
        seen.front
            .as_ref()
            .and_then(|f| f.method_auth.get(path).cloned())
    };
    if let Some(auth) = &want.authorization {
        for path in [ROOT_PATH, PROXY_PATH] {
            let exists = !steps.put_methods.iter().any(|p| p == path);
            if exists && current_auth(path).as_deref() != Some(auth.as_str()) {
                steps.set_auth.push(path.into());
                plan.actions.push(Action::new(
                    Verb::Change,
                    "method",
                    format!("ANY {path}"),
                    vec![format!(
                        "authorization {} -> {auth}",
                        current_auth(path).unwrap_or_else(|| "-".into())
                    )],
                ));
            }
        }
    }
    // The front is only as closed as its most open method: a new method gets the asked
    // authorization (NONE when none is asked), an existing one keeps its own unless asked.
    let auth_of = |path: &str| {
        want.authorization
            .clone()
            .or_else(|| current_auth(path))
            .unwrap_or_else(|| AUTH_NONE.to_owned())
    };
    let iam = [ROOT_PATH, PROXY_PATH]
        .iter()
        .all(|path| auth_of(path) == AUTH_IAM);
    let current_policy = seen
        .front
        .as_ref()
        .and_then(|f| f.policy.as_deref())
        .filter(|p| !p.trim().is_empty());
    if !want.allow_cidrs.is_empty() {
        let wanted = front_policy(&want.allow_cidrs, iam);
        if current_policy.and_then(parse_returned_policy).as_ref() != Some(&wanted) {
            steps.put_front_policy = Some(wanted.to_string());
            plan.actions.push(Action::new(
                if current_policy.is_some() {
                    Verb::Change
                } else {
                    Verb::Create
                },
                "resource-policy",
                &want.front_api_name,
                vec![format!(
                    "deny every source address outside {}",
                    want.allow_cidrs.join(", ")
                )],
            ));
        }
    }
    // Plain words on who can reach the front door.
    let mut protections = Vec::new();
    let mut exposure = None;
    if iam {
        protections.push("IAM authorization: callers must sign requests with SigV4 and be allowed execute-api:Invoke".to_owned());
    }
    if !want.allow_cidrs.is_empty() {
        protections.push(format!(
            "a resource policy admitting only {}",
            want.allow_cidrs.join(", ")
        ));
    } else if let (Some(policy), Some(f)) = (current_policy, &seen.front) {
        match crate::policy::keeps_internet_out(
            policy,
            &want.region,
            account_of(&seen.identity),
            &f.id,
        ) {
            Ok(how) => protections.push(format!(
                "its existing resource policy (left as it is): {how}"
            )),
            Err(why) => exposure = Some(why),
        }
    }
    if iam {
        exposure = None;
    }
    if protections.is_empty() {
        plan.warnings.push(format!(
            "the front API {} is a public Regional API: anyone on the internet can call the private \
             API through it; {}. Pass --authorization iam \
             and/or --allow-cidr CIDR to restrict it",
            want.front_api_name,
            match exposure {
                Some(why) => format!("{} no authorization and {why}", open_methods(&auth_of)),
                None if auth_of(ROOT_PATH) != AUTH_IAM && auth_of(PROXY_PATH) != AUTH_IAM => {
                    "it has no authorization and no resource policy".to_owned()
                }
                None => format!(
                    "{} no authorization and it has no resource policy",
                    open_methods(&auth_of)
                ),
            }
        ));
    } else if let Some(a) = plan.actions.iter_mut().find(|a| a.resource == "rest-api") {
        a.details.push(format!(
            "public Regional API, reachable from the internet; protected by {}",
            protections.join(" and ")
        ));
    }

    steps.deploy_front = steps.create_front
        || !steps.put_integrations.is_empty()
        || !steps.put_methods.is_empty()
        || !steps.set_auth.is_empty()
        || steps.put_front_policy.is_some()
        || !marker_ok;
    if steps.deploy_front {
        plan.actions.push(Action::new(
            Verb::Create,
            "deployment",
            format!("front stage {}", want.front_stage),
            vec!["so the front door serves the current integrations".into()],
        ));
    } else {
        plan.actions.push(Action::new(
            Verb::Reuse,
            "deployment",
            format!("front stage {}", want.front_stage),
            vec!["current".into()],
        ));
    }
    if let Some(old) = &steps.delete_link_v1 {
        plan.actions.push(Action::new(
            Verb::Delete,
            "vpc-link",
            old,
            vec!["the v1 link, once the front stage serves the v2 link".into()],
        ));
    }

    // The endpoint's security groups must admit TCP 443 from the NLB's subnets.
    let uncovered: Vec<String> = cidr::not_admitted_on_443(
        &seen.groups,
        seen.subnets.iter().map(|s| s.cidr_block.as_str()),
    )
    .into_iter()
    .map(str::to_owned)
    .collect();
    if !uncovered.is_empty() {
        let group = e.security_group_ids.first().cloned().unwrap_or_default();
        if want.fix_security_group && !group.is_empty() {
            plan.actions.push(Action::new(
                Verb::Change,
                "security-group",
                &group,
                uncovered
                    .iter()
                    .map(|c| format!("allow TCP 443 from {c} (the NLB's subnet)"))
                    .collect(),
            ));
            steps.authorize = Some((group, uncovered));
        } else {
            for c in &uncovered {
                plan.warnings.push(format!(
                    "{}'s security groups do not admit TCP 443 from the NLB subnet {c}: pass --fix-security-group, or run `{}`",
                    e.id,
                    cidr::authorize_443_command(&group, c)
                ));
            }
        }
    }
    Ok((plan, steps))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{
        IngressRule, Listener, LoadBalancer, TargetGroup, ANYWHERE_V4, STACK_ID_TAG,
    };

    pub(crate) fn want() -> Desired {
        Desired {
            stack: "front".into(),
            region: "us-east-1".into(),
            dns_suffix: "amazonaws.com".into(),
            private_api_id: "a1b2c3d4e5".into(),
            private_stage: "prod".into(),
            front_stage: "prod".into(),
            front_api_name: "front".into(),
            subnet_ids: vec!["subnet-1111aaaa".into()],
            fix_security_group: false,
            authorization: None,
            allow_cidrs: Vec::new(),
            new_stack_id: "0123456789abcdef".into(),
            link: LinkChoice::Keep,
        }
    }

    fn nothing_yet() -> Observed {
        Observed {
            identity: "arn:aws:sts::222222222222:assumed-role/x/y".into(),
            endpoint: Endpoint {
                id: "vpce-0123abcd".into(),
                vpc_id: "vpc-1111aaaa".into(),
                service_name: "com.amazonaws.us-east-1.execute-api".into(),
                endpoint_type: "Interface".into(),
                state: "available".into(),
                private_dns_enabled: false,
                subnet_ids: vec!["subnet-1111aaaa".into()],
                security_group_ids: vec!["sg-1111aaaa".into()],
                network_interface_ids: vec!["eni-1".into()],
                dns_names: vec![],
                dns_entries: Vec::new(),
                ip_address_type: None,
                policy_document: None,
                owner_id: "222222222222".into(),
                tags: BTreeMap::new(),
            },
            enis: vec![NetworkInterface {
                id: "eni-1".into(),
                subnet_id: "subnet-1111aaaa".into(),
                availability_zone: "us-east-1a".into(),
                private_ip: "10.0.1.10".into(),
            }],
            groups: vec![SecurityGroup {
                id: "sg-1111aaaa".into(),
                name: "endpoint".into(),
                vpc_id: "vpc-1111aaaa".into(),
                egress: vec![],
                ingress: vec![IngressRule {
                    protocol: "tcp".into(),
                    from_port: Some(443),
                    to_port: Some(443),
                    cidrs: vec!["10.0.0.0/16".into()],
                    ipv6_cidrs: vec![],
                    source_groups: vec![],
                    prefix_lists: vec![],
                }],
                tags: BTreeMap::new(),
            }],
            subnets: vec![Subnet {
                id: "subnet-1111aaaa".into(),
                vpc_id: "vpc-1111aaaa".into(),
                availability_zone: "us-east-1a".into(),
                availability_zone_id: String::new(),
                cidr_block: "10.0.1.0/24".into(),
            }],
            nlb: None,
            tg: None,
            link_v1: None,
            link_v2: None,
            link_group: None,
            front: None,
        }
    }

    /// What a completed run leaves behind, as AWS reports it.
    fn wired(connection_id: Option<&str>) -> Observed {
        let w = want();
        let mut seen = nothing_yet();
        let tags = BTreeMap::from([(STACK_TAG.to_owned(), "front".to_owned())]);
        seen.nlb = Some(ObservedNlb {
            lb: LoadBalancer {
                security_groups: vec![],
                arn: "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/front-nlb/1".into(),
                name: "front-nlb".into(),
                dns_name: "front-nlb.elb".into(),
                scheme: "internal".into(),
                lb_type: "network".into(),
                state: "active".into(),
                vpc_id: "vpc-1111aaaa".into(),
                subnet_ids: vec!["subnet-1111aaaa".into()],
                availability_zones: vec![],
            },
            tags: tags.clone(),
            cross_zone: true,
            listeners: vec![Listener {
                arn: "listener-1".into(),
                port: 443,
                protocol: "TCP".into(),
                forward_target_group_arns: vec!["tg-arn".into()],
            }],
        });
        seen.tg = Some(ObservedTg {
            tg: TargetGroup {
                arn: "tg-arn".into(),
                name: "front-tg".into(),
                protocol: "TCP".into(),
                port: 443,
                target_type: "ip".into(),
                vpc_id: "vpc-1111aaaa".into(),
                health_check: HealthCheck {
                    protocol: "HTTPS".into(),
                    port: "traffic-port".into(),
                    path: Some("/ping".into()),
                    matcher: Some("200-399".into()),
                },
                load_balancer_arns: vec![],
            },
            tags,
            targets: vec![Target {
                ip: "10.0.1.10".into(),
                port: 443,
                availability_zone: None,
            }],
        });
        seen.link_v1 = Some(VpcLink {
            id: "link1".into(),
            name: "front".into(),
            target_arns: vec![],
            version: crate::model::LinkVersion::V1,
            subnet_ids: vec![],
            security_group_ids: vec![],
            status: "AVAILABLE".into(),
            status_message: None,
            tags: BTreeMap::new(),
        });
        let integration = |path: &str| Integration {
            integration_type: "HTTP_PROXY".into(),
            http_method: Some("ANY".into()),
            uri: Some(w.integration_uri(path)),
            connection_type: Some("VPC_LINK".into()),
            connection_id: connection_id.map(str::to_owned),
            integration_target: None,
            request_parameters: w.integration_params(path),
        };
        seen.front = Some(ObservedFront {
            id: "front12345".into(),
            endpoint_types: vec!["REGIONAL".into()],
            resources: vec![
                ApiResource {
                    id: "r1".into(),
                    path: ROOT_PATH.into(),
                    methods: vec!["ANY".into()],
                },
                ApiResource {
                    id: "r2".into(),
                    path: PROXY_PATH.into(),
                    methods: vec!["ANY".into()],
                },
            ],
            integrations: BTreeMap::from([
                (ROOT_PATH.to_owned(), Some(integration(ROOT_PATH))),
                (PROXY_PATH.to_owned(), Some(integration(PROXY_PATH))),
            ]),
            stage_deployment: Some(Some(w.front_marker("link1", None))),
            tags: BTreeMap::from([(STACK_TAG.to_owned(), "front".to_owned())]),
            explicit: false,
            method_auth: BTreeMap::from([
                (ROOT_PATH.to_owned(), AUTH_NONE.to_owned()),
                (PROXY_PATH.to_owned(), AUTH_NONE.to_owned()),
            ]),
            policy: None,
        });
        seen
    }

    #[test]
    fn a_fresh_account_creates_everything_in_order() {
        let (plan, steps) = plan(&nothing_yet(), &want()).unwrap();
        assert_eq!(
            steps.nlb,
            [
                nlb::Step::CreateLoadBalancer {
                    name: "front-nlb".into(),
                    subnet_ids: want().subnet_ids
                },
                nlb::Step::EnableCrossZone,
                nlb::Step::CreateTargetGroup {
                    name: "front-tg".into(),
                    vpc_id: "vpc-1111aaaa".into(),
                    health: health_check()
                },
                nlb::Step::CreateListener,
            ]
        );
        assert!(steps.create_link && steps.create_front);
        assert_eq!(steps.put_integrations, vec![ROOT_PATH, PROXY_PATH]);
        assert_eq!(steps.targets.register.len(), 1);
        assert!(steps.deploy_front);
        let kinds: Vec<&str> = plan.actions.iter().map(|a| a.resource.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "load-balancer",
                "target-group",
                "listener",
                "target",
                "security-group",
                "vpc-link",
                "rest-api",
                "integration",
                "integration",
                "deployment"
            ]
        );
        // A new stack goes through a v2 link whose own group lets only TCP
        // 443 out, to the load balancer's subnets.
        assert_eq!(steps.link_version, LinkVersion::V2);
        assert_eq!(
            steps.link_group,
            GroupSteps {
                create: Some(("vpc-1111aaaa".into(), "front-link".into())),
                existing: None,
                egress: vec!["10.0.1.0/24".into()],
                revoke_open_egress: true,
            }
        );
        assert_eq!(steps.delete_link_v1, None);
        let link = &plan.actions[5];
        assert_eq!((link.verb, link.target.as_str()), (Verb::Create, "front"));
        assert!(link.details[0].starts_with("v2, interfaces in subnet-1111aaaa under front-link"));
        // Asked for, v1 is what it was.
        let v1 = Desired {
            link: LinkChoice::V1,
            ..want()
        };
        let (plan, steps) = super::plan(&nothing_yet(), &v1).unwrap();
        assert_eq!(steps.link_version, LinkVersion::V1);
        assert!(steps.create_link && steps.link_group.is_noop());
        assert!(!plan.actions.iter().any(|a| a.resource == "security-group"));
    }

    const NLB_ARN: &str =
        "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/front-nlb/1";

    fn stack_tags() -> BTreeMap<String, String> {
        BTreeMap::from([(STACK_TAG.to_owned(), "front".to_owned())])
    }

    fn link_group(egress: Vec<IngressRule>) -> SecurityGroup {
        SecurityGroup {
            id: "sg-link".into(),
            name: "front-link".into(),
            vpc_id: "vpc-1111aaaa".into(),
            ingress: vec![],
            egress,
            tags: stack_tags(),
        }
    }

    fn rule(protocol: &str, port: Option<i32>, cidr: &str) -> IngressRule {
        IngressRule {
            protocol: protocol.into(),
            from_port: port,
            to_port: port,
            cidrs: vec![cidr.into()],
            ipv6_cidrs: vec![],
            source_groups: vec![],
            prefix_lists: vec![],
        }
    }

    fn link_v2(id: &str) -> VpcLink {
        VpcLink {
            id: id.into(),
            name: "front".into(),
            version: LinkVersion::V2,
            target_arns: vec![],
            subnet_ids: vec!["subnet-1111aaaa".into()],
            security_group_ids: vec!["sg-link".into()],
            status: "AVAILABLE".into(),
            status_message: None,
            tags: stack_tags(),
        }
    }

    /// A stack wired through v2 link `link2`, as AWS reports it: both
    /// integrations name the link and the load balancer, the stage carries
    /// the v2 marker. `v1` is a v1 link still bound to the load balancer.
    fn wired_v2(v1: bool) -> Observed {
        let w = want();
        let mut seen = wired(Some("link2"));
        if v1 {
            seen.link_v1.as_mut().unwrap().tags = stack_tags();
        } else {
            seen.link_v1 = None;
        }
        seen.link_v2 = Some(link_v2("link2"));
        seen.link_group = Some(link_group(vec![rule("tcp", Some(443), "10.0.1.0/24")]));
        let f = seen.front.as_mut().unwrap();
        for i in f.integrations.values_mut().flatten() {
            i.integration_target = Some(NLB_ARN.into());
        }
        f.stage_deployment = Some(Some(w.front_marker("link2", Some(NLB_ARN))));
        seen
    }

    #[test]
    fn a_stack_on_v2_is_a_noop_and_keeps_its_kind() {
        for choice in [LinkChoice::Keep, LinkChoice::V2, LinkChoice::MigrateToV2] {
            let want = Desired {
                link: choice,
                ..want()
            };
            let (plan, steps) = plan(&wired_v2(false), &want).unwrap();
            assert!(steps.is_noop(), "{choice:?}: {steps:?}");
            assert_eq!(steps.link_version, LinkVersion::V2);
            assert!(plan.is_noop(), "{plan:?}");
        }
        // And a v1 stack stays v1 unless moved on purpose.
        let (_, steps) = plan(&wired(Some("link1")), &want()).unwrap();
        assert_eq!(steps.link_version, LinkVersion::V1);
        assert!(steps.is_noop());
    }

    #[test]
    fn switching_kinds_is_refused_unless_it_is_a_migration() {
        let v2 = Desired {
            link: LinkChoice::V2,
            ..want()
        };
        let e = plan(&wired(Some("link1")), &v2).unwrap_err().to_string();
        assert!(e.contains("link1") && e.contains("--migrate-to-v2"), "{e}");
        let v1 = Desired {
            link: LinkChoice::V1,
            ..want()
        };
        let e = plan(&wired_v2(false), &v1).unwrap_err().to_string();
        assert!(e.contains("link2") && e.contains("back to v1"), "{e}");
    }

    #[test]
    fn a_migration_repoints_redeploys_and_only_then_deletes_the_v1_link() {
        let migrate = Desired {
            link: LinkChoice::MigrateToV2,
            ..want()
        };
        let mut seen = wired(Some("link1"));
        seen.link_v1.as_mut().unwrap().tags = stack_tags();
        let (plan, steps) = super::plan(&seen, &migrate).unwrap();
        assert_eq!(steps.link_version, LinkVersion::V2);
        assert!(steps.link_group.create.is_some() && steps.create_link && steps.deploy_front);
        assert_eq!(steps.put_integrations, [ROOT_PATH, PROXY_PATH]);
        assert_eq!(steps.delete_link_v1.as_deref(), Some("link1"));
        let order: Vec<(Verb, &str)> = plan
            .actions
            .iter()
            .map(|a| (a.verb, a.resource.as_str()))
            .filter(|(_, r)| ["vpc-link", "deployment", "integration"].contains(r))
            .collect();
        assert_eq!(
            order,
            [
                (Verb::Create, "vpc-link"),
                (Verb::Change, "integration"),
                (Verb::Change, "integration"),
                (Verb::Create, "deployment"),
                (Verb::Delete, "vpc-link"),
            ]
        );

        // The redeploy failed: the integrations already name the v2 link,
        // the stage still serves v1. A re-run deploys, then deletes.
        let mut half = wired_v2(true);
        half.front.as_mut().unwrap().stage_deployment =
            Some(Some(want().front_marker("link1", None)));
        let (_, steps) = super::plan(&half, &migrate).unwrap();
        assert!(steps.put_integrations.is_empty() && !steps.create_link);
        assert!(steps.deploy_front);
        assert_eq!(steps.delete_link_v1.as_deref(), Some("link1"));

        // Deployed, not yet deleted: only the deletion is left, and a plain
        // re-run (no flag) finishes it too.
        for choice in [LinkChoice::MigrateToV2, LinkChoice::Keep] {
            let want = Desired {
                link: choice,
                ..want()
            };
            let (_, steps) = super::plan(&wired_v2(true), &want).unwrap();
            let only_delete = Steps {
                delete_link_v1: None,
                ..steps.clone()
            };
            assert!(only_delete.is_noop(), "{choice:?}: {steps:?}");
            assert_eq!(steps.delete_link_v1.as_deref(), Some("link1"));
        }
    }

    #[test]
    fn a_v1_link_the_stack_did_not_make_is_never_deleted() {
        let migrate = Desired {
            link: LinkChoice::MigrateToV2,
            ..want()
        };
        // `wired`'s v1 link carries no stack tag.
        let (plan, steps) = super::plan(&wired(Some("link1")), &migrate).unwrap();
        assert_eq!(steps.delete_link_v1, None);
        assert!(
            plan.warnings
                .iter()
                .any(|w| w.contains("link1") && w.contains("left as it is")),
            "{:?}",
            plan.warnings
        );
    }

    #[test]
    fn a_v2_integration_must_name_the_link_and_the_load_balancer() {
        // Another target, no target at all, another link: each is written again.
        for (link, target) in [
            (
                "link2",
                Some(
                    "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/other/2",
                ),
            ),
            ("link2", None),
            ("link9", Some(NLB_ARN)),
        ] {
            let mut seen = wired_v2(false);
            let i = seen
                .front
                .as_mut()
                .unwrap()
                .integrations
                .get_mut(PROXY_PATH)
                .unwrap()
                .as_mut()
                .unwrap();
            i.connection_id = Some(link.into());
            i.integration_target = target.map(str::to_owned);
            let (_, steps) = plan(&seen, &want()).unwrap();
            assert_eq!(steps.put_integrations, [PROXY_PATH], "{link} {target:?}");
            assert!(steps.deploy_front);
        }
    }

    #[test]
    fn an_unreported_connection_is_trusted_only_on_a_stage_xapi_deployed_with_it() {
        // Nothing reported and the stage carries another link's marker: the
        // integrations are written again rather than assumed.
        let mut seen = wired(None);
        seen.front.as_mut().unwrap().stage_deployment =
            Some(Some(want().front_marker("old-link", None)));
        let (_, steps) = plan(&seen, &want()).unwrap();
        assert_eq!(steps.put_integrations, [ROOT_PATH, PROXY_PATH]);
        // The same on v2: the marker names the link and the target.
        let mut seen = wired_v2(false);
        for i in seen
            .front
            .as_mut()
            .unwrap()
            .integrations
            .values_mut()
            .flatten()
        {
            i.connection_id = None;
            i.integration_target = None;
        }
        let (_, steps) = plan(&seen, &want()).unwrap();
        assert!(steps.is_noop(), "{steps:?}");
        seen.front.as_mut().unwrap().stage_deployment =
            Some(Some(want().front_marker("link2", None)));
        let (_, steps) = plan(&seen, &want()).unwrap();
        assert_eq!(steps.put_integrations, [ROOT_PATH, PROXY_PATH]);
    }

    #[test]
    fn the_link_group_lets_only_https_out_to_the_load_balancer() {
        // Fresh from CreateSecurityGroup: all traffic out, anywhere.
        let mut seen = wired_v2(false);
        seen.link_group = Some(link_group(vec![rule("-1", None, ANYWHERE_V4)]));
        let (plan, steps) = super::plan(&seen, &want()).unwrap();
        assert!(steps.link_group.revoke_open_egress && steps.link_group.create.is_none());
        // The all-traffic rule lets 443 out too, but it goes: the allowed
        // path must stand on its own.
        assert_eq!(steps.link_group.egress, ["10.0.1.0/24"]);
        let a = plan
            .actions
            .iter()
            .find(|a| a.resource == "security-group")
            .unwrap();
        assert_eq!(a.verb, Verb::Change);
        // Only the load balancer's subnets, on 443.
        for egress in [
            vec![rule("tcp", Some(80), "10.0.1.0/24")],
            vec![rule("tcp", Some(443), "10.0.2.0/24")],
            vec![],
        ] {
            seen.link_group = Some(link_group(egress.clone()));
            let (_, steps) = super::plan(&seen, &want()).unwrap();
            assert_eq!(steps.link_group.egress, ["10.0.1.0/24"], "{egress:?}");
            assert!(!steps.link_group.revoke_open_egress);
        }
        // A wider range that holds the subnet does.
        seen.link_group = Some(link_group(vec![rule("tcp", Some(443), "10.0.0.0/16")]));
        assert!(super::plan(&seen, &want()).unwrap().1.is_noop());
        // Someone else's group under the name is refused.
        let mut foreign = link_group(vec![]);
        foreign.tags.clear();
        seen.link_group = Some(foreign);
        let e = super::plan(&seen, &want()).unwrap_err().to_string();
        assert!(
            e.contains("front-link") && e.contains("does not carry"),
            "{e}"
        );
    }

    #[test]
    fn a_wired_stack_is_a_noop() {
        let (plan, steps) = plan(&wired(Some("link1")), &want()).unwrap();
        assert!(steps.is_noop(), "{steps:?}");
        assert!(plan.is_noop());
        // Only the statement that this front is open to the internet.
        assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
        assert!(plan.warnings[0].contains("anyone on the internet"));
    }

    #[test]
    fn an_unreported_connection_id_is_a_warning_not_a_change() {
        let (plan, steps) = plan(&wired(None), &want()).unwrap();
        assert!(steps.is_noop());
        // One per unconfirmed link, and the front's exposure.
        assert_eq!(plan.warnings.len(), 3, "{:?}", plan.warnings);
    }

    #[test]
    fn drift_is_repaired() {
        let mut seen = wired(Some("other-link"));
        seen.tg.as_mut().unwrap().targets[0].ip = "10.9.9.9".into();
        seen.nlb.as_mut().unwrap().cross_zone = false;
        let (_, steps) = plan(&seen, &want()).unwrap();
        assert_eq!(steps.nlb, [nlb::Step::EnableCrossZone]);
        assert_eq!(steps.targets.register.len(), 1);
        assert_eq!(
            steps.targets.deregister.len(),
            1,
            "the stack's group is pruned"
        );
        assert_eq!(steps.put_integrations.len(), 2);
        assert!(steps.deploy_front);
    }

    #[test]
    fn a_stale_front_deployment_is_redeployed() {
        let mut seen = wired(Some("link1"));
        seen.front.as_mut().unwrap().stage_deployment = Some(Some("made by hand".into()));
        let (_, steps) = plan(&seen, &want()).unwrap();
        assert!(steps.deploy_front);
        assert!(steps.put_integrations.is_empty());
    }

    #[test]
    fn foreign_resources_and_bad_subnets_are_refused() {
        let mut seen = wired(Some("link1"));
        seen.nlb.as_mut().unwrap().tags.clear();
        assert!(matches!(plan(&seen, &want()), Err(Error::BadInput(m)) if m.contains("front-nlb")));
        let mut seen = nothing_yet();
        seen.subnets[0].vpc_id = "vpc-2222bbbb".into();
        assert!(
            matches!(plan(&seen, &want()), Err(Error::BadInput(m)) if m.contains("subnet-1111aaaa"))
        );
        let mut seen = wired(Some("link1"));
        seen.tg.as_mut().unwrap().tg.target_type = "instance".into();
        assert!(matches!(plan(&seen, &want()), Err(Error::BadInput(_))));
    }

    #[test]
    fn an_untagged_namesake_front_is_refused_unless_named_by_id() {
        let mut seen = wired(Some("link1"));
        seen.front.as_mut().unwrap().tags.clear();
        let err = plan(&seen, &want()).unwrap_err();
        assert!(
            matches!(&err, Error::BadInput(m) if m.contains("front12345") && m.contains("xapi:stack=front")),
            "{err}"
        );
        seen.front.as_mut().unwrap().explicit = true;
        let (_, steps) = plan(&seen, &want()).unwrap();
        assert!(steps.is_noop());
    }

    #[test]
    fn the_plan_says_the_front_is_public_and_how_it_is_protected() {
        let (p, _) = plan(&wired(Some("link1")), &want()).unwrap();
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("anyone on the internet")
                    && w.contains("no authorization and no resource policy")),
            "{:?}",
            p.warnings
        );
        let mut w = want();
        w.authorization = Some(AUTH_IAM.into());
        w.allow_cidrs = vec!["203.0.113.0/24".into()];
        let (p, steps) = plan(&wired(Some("link1")), &w).unwrap();
        assert_eq!(steps.set_auth, [ROOT_PATH, PROXY_PATH]);
        assert!(steps.deploy_front);
        let policy: serde_json::Value =
            serde_json::from_str(steps.put_front_policy.as_deref().unwrap()).unwrap();
        assert_eq!(policy, front_policy(&w.allow_cidrs, true));
        assert_eq!(
            policy["Statement"].as_array().unwrap().len(),
            1,
            "IAM: no Allow for *"
        );
        let front = p.actions.iter().find(|a| a.resource == "rest-api").unwrap();
        assert!(
            front
                .details
                .iter()
                .any(|m| m.contains("reachable from the internet")
                    && m.contains("IAM authorization")
                    && m.contains("203.0.113.0/24")),
            "{front:?}"
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);

        // Once applied (policy returned escaped, as API Gateway does), nothing is left.
        let mut seen = wired(Some("link1"));
        let f = seen.front.as_mut().unwrap();
        for auth in f.method_auth.values_mut() {
            *auth = AUTH_IAM.into();
        }
        f.policy = Some(
            front_policy(&w.allow_cidrs, true)
                .to_string()
                .replace('"', "\\\""),
        );
        f.stage_deployment = Some(Some(w.front_marker("link1", None)));
        let (_, steps) = plan(&seen, &w).unwrap();
        assert!(steps.is_noop(), "{steps:?}");
    }

    #[test]
    fn one_open_method_makes_the_front_open() {
        // `ANY /` signed, `ANY /{proxy+}` not: IAM protects nothing on the second.
        let mut seen = wired(Some("link1"));
        let f = seen.front.as_mut().unwrap();
        f.method_auth.insert(ROOT_PATH.into(), AUTH_IAM.into());
        f.method_auth.insert(PROXY_PATH.into(), AUTH_NONE.into());
        let (p, _) = plan(&seen, &want()).unwrap();
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("anyone on the internet")
                    && w.contains("ANY /{proxy+} needs no authorization")),
            "{:?}",
            p.warnings
        );
        // With --allow-cidr, the written policy must let the unsigned method's callers in.
        let mut w = want();
        w.allow_cidrs = vec!["198.51.100.0/24".into()];
        let (_, steps) = plan(&seen, &w).unwrap();
        let policy: serde_json::Value =
            serde_json::from_str(steps.put_front_policy.as_deref().unwrap()).unwrap();
        assert_eq!(policy, front_policy(&w.allow_cidrs, false));
    }

    #[test]
    fn an_existing_policy_is_judged_by_what_it_admits() {
        let open = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.9/32"}}}]}"#;
        let mut seen = wired(Some("link1"));
        seen.front.as_mut().unwrap().policy = Some(open.into());
        let (p, _) = plan(&seen, &want()).unwrap();
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("anyone on the internet")
                    && w.contains("admits an anonymous request from")),
            "{:?}",
            p.warnings
        );
        let closed = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.9/32"}}}]}"#;
        seen.front.as_mut().unwrap().policy = Some(closed.into());
        let (p, _) = plan(&seen, &want()).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let front = p.actions.iter().find(|a| a.resource == "rest-api").unwrap();
        assert!(
            front
                .details
                .iter()
                .any(|d| d.contains("existing resource policy")),
            "{front:?}"
        );
    }

    #[test]
    fn security_group_gap_warns_or_is_fixed() {
        let mut seen = wired(Some("link1"));
        seen.groups[0].ingress[0].cidrs = vec!["10.0.9.0/24".into()];
        let (plan_warn, steps) = plan(&seen, &want()).unwrap();
        assert!(steps.authorize.is_none());
        assert!(plan_warn
            .warnings
            .iter()
            .any(|w| w.contains("--port 443 --cidr 10.0.1.0/24")));
        let mut fix = want();
        fix.fix_security_group = true;
        let (_, steps) = plan(&seen, &fix).unwrap();
        assert_eq!(
            steps.authorize,
            Some(("sg-1111aaaa".into(), vec!["10.0.1.0/24".into()]))
        );
    }

    #[test]
    fn the_integrations_call_the_private_api_by_its_private_dns_name_on_its_stage() {
        let w = want();
        let host = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
        assert_eq!(w.private_host(), host);
        assert_eq!(
            w.integration_uri(ROOT_PATH),
            format!("https://{host}/prod/")
        );
        assert_eq!(
            w.integration_uri(PROXY_PATH),
            format!("https://{host}/prod/{{proxy}}")
        );
        assert_eq!(w.integration_params(ROOT_PATH), BTreeMap::new());
        assert_eq!(
            w.integration_params(PROXY_PATH),
            BTreeMap::from([(
                "integration.request.path.proxy".to_owned(),
                "method.request.path.proxy".to_owned()
            )])
        );
    }

    #[test]
    fn the_front_marker_tells_every_allowed_range_and_authorization_apart() {
        let marker = |cidrs: &[&str], auth: Option<&str>| {
            let w = Desired {
                allow_cidrs: cidrs.iter().map(|c| c.to_string()).collect(),
                authorization: auth.map(str::to_owned),
                ..want()
            };
            w.front_marker("link1", None)
        };
        let plain = marker(&[], None);
        let ten = marker(&["10.0.0.0/8"], None);
        let other = marker(&["192.168.0.0/16"], None);
        let iam = marker(&[], Some("AWS_IAM"));
        assert!(plain.starts_with("xapi front-sha256="), "{plain}");
        for (a, b) in [(&plain, &ten), (&ten, &other), (&plain, &iam)] {
            assert_ne!(a, b);
        }
        // The same stack, link and load balancer: the same marker.
        assert_eq!(marker(&["10.0.0.0/8"], None), ten);
        assert_ne!(
            want().front_marker("link1", Some("arn:aws:elasticloadbalancing:lb")),
            plain,
            "a v2 integration names its load balancer"
        );
    }

    #[test]
    fn the_front_goes_through_the_v2_link_once_there_is_one() {
        let mut seen = nothing_yet();
        assert!(seen.link().is_none());
        seen.link_v1 = Some(VpcLink {
            version: LinkVersion::V1,
            ..link_v2("link1")
        });
        assert_eq!(seen.link().map(|l| l.id.as_str()), Some("link1"));
        seen.link_v2 = Some(link_v2("link2"));
        assert_eq!(
            seen.link().map(|l| l.id.as_str()),
            Some("link2"),
            "a migration under way ends on v2"
        );
    }

    #[test]
    fn any_one_piece_of_work_is_work() {
        assert!(Steps::default().is_noop());
        let target = Target {
            ip: "10.0.1.10".into(),
            port: 443,
            availability_zone: None,
        };
        let each = [
            Steps {
                nlb: vec![nlb::Step::EnableCrossZone],
                ..Steps::default()
            },
            Steps {
                targets: TargetDiff {
                    register: vec![target],
                    ..TargetDiff::default()
                },
                ..Steps::default()
            },
            Steps {
                link_group: GroupSteps {
                    revoke_open_egress: true,
                    ..GroupSteps::default()
                },
                ..Steps::default()
            },
            Steps {
                create_link: true,
                ..Steps::default()
            },
            Steps {
                delete_link_v1: Some("link1".into()),
                ..Steps::default()
            },
            Steps {
                create_front: true,
                ..Steps::default()
            },
            Steps {
                create_proxy_resource: true,
                ..Steps::default()
            },
            Steps {
                put_methods: vec![ROOT_PATH.into()],
                ..Steps::default()
            },
            Steps {
                put_integrations: vec![ROOT_PATH.into()],
                ..Steps::default()
            },
            Steps {
                deploy_front: true,
                ..Steps::default()
            },
            Steps {
                authorize: Some(("sg-1".into(), vec!["10.0.1.0/24".into()])),
                ..Steps::default()
            },
            Steps {
                set_auth: vec![ROOT_PATH.into()],
                ..Steps::default()
            },
            Steps {
                put_front_policy: Some("{}".into()),
                ..Steps::default()
            },
        ];
        for steps in each {
            assert!(!steps.is_noop(), "{steps:?}");
        }
    }

    #[test]
    fn a_new_stack_takes_the_new_id_and_a_made_one_keeps_its_own() {
        let (_, fresh) = plan(&nothing_yet(), &want()).unwrap();
        assert_eq!(fresh.stack_id, want().new_stack_id);
        let mut seen = wired(Some("link1"));
        for tags in [
            seen.nlb.as_mut().map(|n| &mut n.tags),
            seen.tg.as_mut().map(|t| &mut t.tags),
        ]
        .into_iter()
        .flatten()
        {
            tags.insert(STACK_ID_TAG.to_owned(), "feedfacefeedface".to_owned());
        }
        let (_, made) = plan(&seen, &want()).unwrap();
        assert_eq!(made.stack_id, "feedfacefeedface");
    }

    #[test]
    fn an_existing_policy_naming_the_front_by_its_arn_is_judged_in_the_callers_account() {
        // The Deny names the front by its full ARN, in the account the caller
        // runs in: judged in any other account it would not apply.
        let mut seen = wired(Some("link1"));
        let front_id = seen.front.as_ref().unwrap().id.clone();
        let closed = serde_json::json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
             "Resource":format!("arn:aws:execute-api:us-east-1:222222222222:{front_id}/*"),
             "Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.9/32"}}}]});
        seen.front.as_mut().unwrap().policy = Some(closed.to_string());
        let (p, _) = plan(&seen, &want()).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(account_of(&seen.identity), Some("222222222222"));
        assert_eq!(account_of("not-an-arn"), None);
    }

    #[test]
    fn a_v2_link_s_group_says_where_it_lets_traffic_out_and_a_moved_subnet_is_named() {
        let mut seen = nothing_yet();
        let mut v2 = want();
        v2.link = LinkChoice::V2;
        let (p, _) = plan(&seen, &v2).unwrap();
        let group = p
            .actions
            .iter()
            .find(|a| a.resource == "security-group" && a.verb == Verb::Create)
            .expect("the link's group is made");
        assert!(
            group.details[0].ends_with(" (the load balancer's subnets)"),
            "{group:?}"
        );

        // A link whose interfaces sit in other subnets than asked: named, as
        // its subnets cannot change; one in the asked subnets: nothing said.
        let moved = |p: &Plan| {
            p.warnings
                .iter()
                .any(|w| w.contains("a link's subnets cannot change"))
        };
        seen.link_v2 = Some(VpcLink {
            subnet_ids: vec!["subnet-2222bbbb".into()],
            ..link_v2("link2")
        });
        let (p, _) = plan(&seen, &v2).unwrap();
        assert!(moved(&p), "{:?}", p.warnings);
        seen.link_v2 = Some(VpcLink {
            subnet_ids: v2.subnet_ids.clone(),
            ..link_v2("link2")
        });
        let (p, _) = plan(&seen, &v2).unwrap();
        assert!(!moved(&p), "{:?}", p.warnings);
    }

    #[test]
    fn only_an_execute_api_interface_endpoint_can_stand_behind_a_front() {
        let (p, _) = plan(&wired(Some("link1")), &want()).unwrap();
        assert_eq!(p.identity, "arn:aws:sts::222222222222:assumed-role/x/y");
        for (kind, service) in [
            ("Gateway", "com.amazonaws.us-east-1.execute-api"),
            ("Interface", "com.amazonaws.us-east-1.s3"),
        ] {
            let mut seen = wired(Some("link1"));
            seen.endpoint.endpoint_type = kind.into();
            seen.endpoint.service_name = service.into();
            let err = plan(&seen, &want()).unwrap_err();
            assert!(
                err.to_string()
                    .contains("needs an execute-api interface endpoint"),
                "{kind} {service}: {err}"
            );
        }
    }

    #[test]
    fn a_path_without_an_any_method_gets_one_and_one_with_it_is_left() {
        let seen = wired(Some("link1"));
        let (_, steps) = plan(&seen, &want()).unwrap();
        assert!(steps.put_methods.is_empty(), "{:?}", steps.put_methods);
        let mut only_get = seen.clone();
        for r in &mut only_get.front.as_mut().unwrap().resources {
            r.methods = vec!["GET".into()];
        }
        let (_, steps) = plan(&only_get, &want()).unwrap();
        assert_eq!(steps.put_methods, [ROOT_PATH, PROXY_PATH]);
    }

    #[test]
    fn a_change_of_authorization_alone_is_set_on_existing_methods_and_deployed() {
        let mut w = want();
        w.authorization = Some(AUTH_IAM.into());
        let mut seen = wired(Some("link1"));
        let f = seen.front.as_mut().unwrap();
        // The stage carries this configuration's marker: only a method differs.
        f.stage_deployment = Some(Some(w.front_marker("link1", None)));
        f.method_auth.insert(ROOT_PATH.into(), AUTH_IAM.into());
        f.method_auth.insert(PROXY_PATH.into(), AUTH_NONE.into());
        let (_, steps) = plan(&seen, &w).unwrap();
        assert_eq!(steps.set_auth, [PROXY_PATH]);
        assert!(
            steps.put_methods.is_empty()
                && steps.put_integrations.is_empty()
                && !steps.create_front
                && steps.put_front_policy.is_none(),
            "{steps:?}"
        );
        assert!(
            steps.deploy_front,
            "a method's authorization takes effect only once deployed"
        );

        // A path whose ANY method is new gets the authorization as it is made.
        let mut new_root = seen.clone();
        new_root
            .front
            .as_mut()
            .unwrap()
            .resources
            .iter_mut()
            .find(|r| r.path == ROOT_PATH)
            .unwrap()
            .methods = vec!["GET".into()];
        let (_, steps) = plan(&new_root, &w).unwrap();
        assert_eq!(steps.put_methods, [ROOT_PATH]);
        assert_eq!(steps.set_auth, [PROXY_PATH]);
    }
}
