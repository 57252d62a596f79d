//! The regional front door (pattern 1) as a pure plan: given what exists,
//! what must be created or changed so that
//! Regional API -> VPC link -> internal NLB -> endpoint IPs -> private API.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::targets::{self, TargetDiff};
use super::{Action, Plan, Verb};
use crate::cidr;
use crate::error::{Error, Result};
use crate::ids::ExecuteApiHost;
use crate::model::{
    ApiResource, Endpoint, Integration, Listener, LoadBalancer, NetworkInterface, SecurityGroup,
    Subnet, Target, TargetGroup, VpcLink, HTTPS_PORT, STACK_TAG,
};

pub const PROXY_PATH: &str = "/{proxy+}";
pub const ROOT_PATH: &str = "/";
pub const HEALTH_PROTOCOL: &str = "HTTPS";
pub const HEALTH_PATH: &str = "/ping";
pub const HEALTH_MATCHER: &str = "200-399";

/// What the user asked for, with every name resolved.
#[derive(Debug, Clone)]
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
}

/// Sid of the statements xapi writes into the front's resource policy.
pub const FRONT_POLICY_SID: &str = "xapi-front-allow-cidr";
pub const AUTH_NONE: &str = "NONE";
pub const AUTH_IAM: &str = "AWS_IAM";

impl Desired {
    pub fn nlb_name(&self) -> String {
        format!("{}-nlb", self.stack)
    }
    pub fn tg_name(&self) -> String {
        format!("{}-tg", self.stack)
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
    pub fn front_marker(&self, link_id: &str) -> String {
        let mut h = Sha256::new();
        for path in [ROOT_PATH, PROXY_PATH] {
            h.update(format!(
                "{path}|{}|{link_id}|{:?}\n",
                self.integration_uri(path),
                self.integration_params(path)
            ));
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
pub struct ObservedNlb {
    pub lb: LoadBalancer,
    pub tags: BTreeMap<String, String>,
    pub cross_zone: bool,
    pub listeners: Vec<Listener>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObservedTg {
    pub tg: TargetGroup,
    pub tags: BTreeMap<String, String>,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Serialize)]
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
pub struct Observed {
    pub identity: String,
    pub endpoint: Endpoint,
    pub enis: Vec<NetworkInterface>,
    pub groups: Vec<SecurityGroup>,
    pub subnets: Vec<Subnet>,
    pub nlb: Option<ObservedNlb>,
    pub tg: Option<ObservedTg>,
    pub link: Option<VpcLink>,
    pub front: Option<ObservedFront>,
}

/// The work to do, in apply order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Steps {
    pub create_nlb: bool,
    pub enable_cross_zone: bool,
    pub create_tg: bool,
    pub fix_health_check: bool,
    pub create_listener: bool,
    pub targets: TargetDiff,
    pub desired_targets: Vec<Target>,
    pub create_link: bool,
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
            create_nlb,
            enable_cross_zone,
            create_tg,
            fix_health_check,
            create_listener,
            targets,
            desired_targets: _,
            create_link,
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
        !(*create_nlb
            || *enable_cross_zone
            || *create_tg
            || *fix_health_check
            || *create_listener
            || !targets.is_noop()
            || *create_link
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

fn action(verb: Verb, resource: &str, target: impl Into<String>, details: Vec<String>) -> Action {
    Action {
        verb,
        resource: resource.into(),
        target: target.into(),
        details,
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
            .chain(seen.link.as_ref().map(|l| ("VPC link", &l.tags)))
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
    tags.get(STACK_TAG).map(String::as_str) == Some(stack)
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

    // Load balancer.
    match &seen.nlb {
        None => {
            steps.create_nlb = true;
            steps.create_listener = true;
            plan.actions.push(action(
                Verb::Create,
                "load-balancer",
                want.nlb_name(),
                vec![format!(
                    "internal network load balancer in {}, cross-zone on",
                    want.subnet_ids.join(", ")
                )],
            ));
        }
        Some(n) => {
            if !owned_by(&n.tags, &want.stack) {
                return Err(Error::BadInput(format!(
                    "load balancer {} exists but does not carry {STACK_TAG}={}: pass another --name",
                    n.lb.name, want.stack
                )));
            }
            if n.lb.scheme != "internal" || !n.lb.lb_type.eq_ignore_ascii_case("network") {
                return Err(Error::BadInput(format!(
                    "load balancer {} is {} {}, not an internal network load balancer: delete it with `xapi teardown --stack {}` and re-run",
                    n.lb.name, n.lb.scheme, n.lb.lb_type, want.stack
                )));
            }
            plan.actions.push(action(
                Verb::Reuse,
                "load-balancer",
                &n.lb.name,
                vec![n.lb.arn.clone()],
            ));
            if !n.cross_zone {
                steps.enable_cross_zone = true;
                plan.actions.push(action(
                    Verb::Change,
                    "load-balancer",
                    &n.lb.name,
                    vec!["turn cross-zone load balancing on".into()],
                ));
            }
        }
    }

    // Target group.
    match &seen.tg {
        None => {
            steps.create_tg = true;
            plan.actions.push(action(
                Verb::Create,
                "target-group",
                want.tg_name(),
                vec![format!("ip targets, TCP 443, health check {HEALTH_PROTOCOL} {HEALTH_PATH} ({HEALTH_MATCHER})")],
            ));
        }
        Some(t) => {
            if !owned_by(&t.tags, &want.stack) {
                return Err(Error::BadInput(format!(
                    "target group {} exists but does not carry {STACK_TAG}={}: pass another --name",
                    t.tg.name, want.stack
                )));
            }
            if !t.tg.target_type.eq_ignore_ascii_case("ip")
                || t.tg.protocol != "TCP"
                || t.tg.port != HTTPS_PORT
            {
                return Err(Error::BadInput(format!(
                    "target group {} is {} {}:{}, not ip TCP:443 (these cannot change): delete it with `xapi teardown --stack {}` and re-run",
                    t.tg.name, t.tg.target_type, t.tg.protocol, t.tg.port, want.stack
                )));
            }
            plan.actions.push(action(
                Verb::Reuse,
                "target-group",
                &t.tg.name,
                vec![t.tg.arn.clone()],
            ));
            let hc = &t.tg.health_check;
            if hc.protocol != HEALTH_PROTOCOL
                || hc.path.as_deref() != Some(HEALTH_PATH)
                || hc.port != "traffic-port" && hc.port != HTTPS_PORT.to_string()
            {
                steps.fix_health_check = true;
                plan.actions.push(action(
                    Verb::Change,
                    "target-group",
                    &t.tg.name,
                    vec![format!(
                        "health check {} {} -> {HEALTH_PROTOCOL} {HEALTH_PATH}",
                        hc.protocol,
                        hc.path.as_deref().unwrap_or("-")
                    )],
                ));
            }
        }
    }

    // Listener.
    if let Some(n) = &seen.nlb {
        match n.listeners.iter().find(|l| l.port == HTTPS_PORT) {
            None => {
                steps.create_listener = true;
                plan.actions.push(action(
                    Verb::Create,
                    "listener",
                    format!("{} TCP 443", n.lb.name),
                    vec![format!("forward to {}", want.tg_name())],
                ));
            }
            Some(l) => {
                let forwards_to_ours = seen
                    .tg
                    .as_ref()
                    .is_some_and(|t| l.forward_target_group_arns.contains(&t.tg.arn));
                if l.protocol != "TCP" || !forwards_to_ours {
                    return Err(Error::BadInput(format!(
                        "listener {} on port 443 is {} forwarding to {}, not TCP to {}: remove it or pass another --name",
                        l.arn,
                        l.protocol,
                        l.forward_target_group_arns.join(", "),
                        want.tg_name()
                    )));
                }
                plan.actions.push(action(
                    Verb::Reuse,
                    "listener",
                    format!("{} TCP 443", n.lb.name),
                    vec![l.arn.clone()],
                ));
            }
        }
    } else {
        plan.actions.push(action(
            Verb::Create,
            "listener",
            format!("{} TCP 443", want.nlb_name()),
            vec![format!("forward to {}", want.tg_name())],
        ));
    }

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
    match &seen.link {
        None => {
            steps.create_link = true;
            plan.actions.push(action(
                Verb::Create,
                "vpc-link",
                &want.stack,
                vec![format!("to {}", want.nlb_name())],
            ));
        }
        Some(l) => plan.actions.push(action(
            Verb::Reuse,
            "vpc-link",
            &l.id,
            vec![format!("status {}", l.status)],
        )),
    }

    // Front API, its resources, methods and integrations.
    let link_id = seen.link.as_ref().map(|l| l.id.as_str());
    match &seen.front {
        None => {
            steps.create_front = true;
            steps.create_proxy_resource = true;
            steps.put_methods = vec![ROOT_PATH.into(), PROXY_PATH.into()];
            steps.put_integrations = vec![ROOT_PATH.into(), PROXY_PATH.into()];
            plan.actions.push(action(
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
            plan.actions.push(action(
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
                if !resource.is_some_and(|r| r.methods.iter().any(|m| m == "ANY")) {
                    steps.put_methods.push(path.into());
                }
                let current = f.integrations.get(path).cloned().flatten();
                let matches = current.as_ref().is_some_and(|i| {
                    i.integration_type == "HTTP_PROXY"
                        && i.connection_type.as_deref() == Some("VPC_LINK")
                        && i.uri.as_deref() == Some(want.integration_uri(path).as_str())
                        && i.request_parameters == want.integration_params(path)
                        && link_id.is_some()
                        && (i.connection_id.is_none() || i.connection_id.as_deref() == link_id)
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
        plan.actions.push(action(
            verb,
            "integration",
            format!("ANY {path}"),
            vec![format!(
                "HTTP_PROXY over the VPC link to {}",
                want.integration_uri(path)
            )],
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
                plan.actions.push(action(
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
            plan.actions.push(action(
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

    let stage_current = seen.front.as_ref().and_then(|f| f.stage_deployment.clone());
    let marker_ok = match (link_id, &stage_current) {
        (Some(id), Some(Some(description))) => *description == want.front_marker(id),
        _ => false,
    };
    steps.deploy_front = steps.create_front
        || !steps.put_integrations.is_empty()
        || !steps.put_methods.is_empty()
        || !steps.set_auth.is_empty()
        || steps.put_front_policy.is_some()
        || !marker_ok;
    if steps.deploy_front {
        plan.actions.push(action(
            Verb::Create,
            "deployment",
            format!("front stage {}", want.front_stage),
            vec!["so the front door serves the current integrations".into()],
        ));
    } else {
        plan.actions.push(action(
            Verb::Reuse,
            "deployment",
            format!("front stage {}", want.front_stage),
            vec!["current".into()],
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
            plan.actions.push(action(
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
mod tests {
    use super::*;
    use crate::model::{HealthCheck, IngressRule};

    fn want() -> Desired {
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
                cidr_block: "10.0.1.0/24".into(),
            }],
            nlb: None,
            tg: None,
            link: None,
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
                arn: "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/front-nlb/1".into(),
                name: "front-nlb".into(),
                dns_name: "front-nlb.elb".into(),
                scheme: "internal".into(),
                lb_type: "network".into(),
                state: "active".into(),
                vpc_id: "vpc-1111aaaa".into(),
                subnet_ids: vec!["subnet-1111aaaa".into()],
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
        seen.link = Some(VpcLink {
            id: "link1".into(),
            name: "front".into(),
            target_arns: vec![],
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
            stage_deployment: Some(Some(w.front_marker("link1"))),
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
        assert!(
            steps.create_nlb
                && steps.create_tg
                && steps.create_listener
                && steps.create_link
                && steps.create_front
        );
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
                "vpc-link",
                "rest-api",
                "integration",
                "integration",
                "deployment"
            ]
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
        assert!(steps.enable_cross_zone);
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
        f.stage_deployment = Some(Some(w.front_marker("link1")));
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
}
