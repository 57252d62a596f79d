//! The catalogue of checks, each a pure function of the snapshot. Ids are a
//! contract. Findings come out in request-path order: front door, VPC link,
//! NLB, targets, endpoint, private API, policy.

use std::collections::BTreeSet;

use super::{CheckId, FailKind, Finding, Read, Snapshot, Status};
use crate::cidr;
use crate::ids::{execute_api_service, ExecuteApiHost};
use crate::model::{
    Endpoint, LinkVersion, LoadBalancer, TargetHealth, VpcLink, HTTPS_PORT, STACK_TAG,
};
use crate::plan::{front, nlb};
use crate::policy::{self, ApiRef, Decision, PolicyDocument, Request};

pub(super) fn finding(
    check: &str,
    status: Status,
    resource: impl Into<String>,
    message: impl Into<String>,
    fix: Option<String>,
) -> Finding {
    Finding {
        check: check.into(),
        status,
        resource: resource.into(),
        message: message.into(),
        fix,
        blocked_by: None,
    }
}

/// A check whose evidence could not be read: skipped, saying what would enable it.
/// `missing_fails` marks the check that stands first on the evidence: a
/// resource that does not exist fails it, and so does one the command line
/// named that could not be read (a diagnosis of nothing is never a pass).
pub(super) fn unread<T>(
    check: &str,
    resource: &str,
    read: &Read<T>,
    missing_fails: bool,
) -> Finding {
    match read {
        Read::Ok { .. } => finding(check, Status::Skip, resource, "nothing to check", None),
        Read::NotAsked { why } => finding(check, Status::Skip, resource, why.clone(), None),
        Read::Failed {
            kind: FailKind::NotFound,
            error,
            ..
        } if missing_fails => finding(
            check,
            Status::Fail,
            resource,
            format!("does not exist: {error}"),
            None,
        ),
        Read::Failed {
            error,
            needs,
            required: true,
            ..
        } if missing_fails => finding(
            check,
            Status::Fail,
            resource,
            format!("could not be read, so nothing about it was checked ({error})"),
            Some(format!("run doctor again with {needs}")),
        ),
        Read::Failed { error, needs, .. } => finding(
            check,
            Status::Skip,
            resource,
            format!("could not read it ({error}); needs {needs}"),
            None,
        ),
    }
}

/// A read the command line asked for that failed fails the check it feeds
/// even when a prerequisite of that check was not evaluated either: it is the
/// diagnosis's own failure, never a symptom to skip.
pub(super) fn keep_required<T>(findings: &mut [Finding], check: &str, read: &Read<T>) {
    if !matches!(read, Read::Failed { required: true, .. }) {
        return;
    }
    for f in findings
        .iter_mut()
        .filter(|f| f.check == check && f.blocked_by.is_some())
    {
        *f = unread(check, &f.resource, read, true);
    }
}

fn api_ref(s: &Snapshot) -> Option<ApiRef> {
    Some(ApiRef {
        region: s.region.clone(),
        account: s.producer_account.clone()?,
        api_id: s.api.ok()?.id.clone(),
    })
}

fn api_host(s: &Snapshot, api_id: &str) -> ExecuteApiHost {
    ExecuteApiHost::private_dns(api_id, &s.region, &s.dns_suffix)
}

fn api_host_via(s: &Snapshot, api_id: &str, vpce: &str) -> ExecuteApiHost {
    ExecuteApiHost::via_endpoint(api_id, vpce, &s.region, &s.dns_suffix)
}

/// The API id and stage an integration URI points at: the host is
/// `{api}.execute-api...` or the `{api}-{vpce}` alias; the stage is the first path segment.
pub fn parse_private_uri(
    uri: &str,
    region: &str,
    suffix: &str,
) -> Option<(String, Option<String>, String)> {
    let rest = uri.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = ExecuteApiHost::parse(host, region, suffix)?;
    let stage = path.split('/').next().unwrap_or_default().to_owned();
    Some((host.api().to_owned(), host.vpce().map(str::to_owned), stage))
}

pub(super) fn front_integration(id: CheckId, s: &Snapshot) -> Vec<Finding> {
    let Some(front) = s.front.ok() else {
        return vec![unread(id, "front API", &s.front, true)];
    };
    let mut out = Vec::new();
    for (path, integration) in &front.integrations {
        let resource = format!("{} ANY {path}", front.api_id);
        let Some(i) = integration else {
            out.push(finding(
                id,
                Status::Fail,
                &resource,
                format!("no ANY method with an integration on {path}"),
                Some(format!(
                    "xapi wire-regional-front ... --front-api-id {}",
                    front.api_id
                )),
            ));
            continue;
        };
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        if i.integration_type != "HTTP_PROXY" {
            problems.push(format!("type {} (want HTTP_PROXY)", i.integration_type));
        }
        if i.connection_type.as_deref() != Some("VPC_LINK") {
            problems.push(format!(
                "connection type {} (want VPC_LINK)",
                i.connection_type.as_deref().unwrap_or("INTERNET")
            ));
        }
        match (&i.connection_id, s.link.ok()) {
            (Some(id), Some(link)) if *id != link.id => {
                problems.push(format!("uses VPC link {id}, not {}", link.id));
            }
            (Some(id), Some(link))
                if link.version == LinkVersion::V2 && i.integration_target.is_none() =>
            {
                problems.push(format!(
                    "VPC link {id} is a v2 link but the integration names no integrationTarget \
                     (AWS: \"IntegrationTarget is required for VpcLinkV2 {id}\"); it must name the load balancer"
                ));
            }
            (None, _) => warnings.push(
                "API Gateway did not report its connection id, so the link it uses is unconfirmed"
                    .to_owned(),
            ),
            _ => {}
        }
        match i
            .uri
            .as_deref()
            .and_then(|u| parse_private_uri(u, &s.region, &s.dns_suffix))
        {
            None => problems.push(format!(
                "URI {} is not https://{{api}}.execute-api.{}.{}/{{stage}}/...",
                i.uri.as_deref().unwrap_or("(none)"),
                s.region,
                s.dns_suffix
            )),
            Some((api, _, stage)) => {
                if let Some(known) = s.api.ok() {
                    if known.id != api {
                        problems.push(format!("URI names API {api}, not {}", known.id));
                    }
                }
                if let Some(stages) = s.stages.ok() {
                    if !stages.iter().any(|st| st.name == stage) {
                        problems.push(format!(
                            "stage '{stage}' in the URI does not exist on {api}"
                        ));
                    }
                }
            }
        }
        out.push(if !problems.is_empty() {
            finding(
                id,
                Status::Fail,
                &resource,
                problems.join("; "),
                Some(format!(
                    "xapi wire-regional-front ... --front-api-id {}",
                    front.api_id
                )),
            )
        } else if !warnings.is_empty() {
            finding(
                id,
                Status::Warn,
                &resource,
                format!(
                    "HTTP_PROXY over VPC_LINK to {}; {}",
                    i.uri.as_deref().unwrap_or_default(),
                    warnings.join("; ")
                ),
                None,
            )
        } else {
            finding(
                id,
                Status::Pass,
                &resource,
                format!(
                    "HTTP_PROXY over VPC link {} to {}",
                    i.connection_id.as_deref().unwrap_or_default(),
                    i.uri.as_deref().unwrap_or_default()
                ),
                None,
            )
        });
    }
    if out.is_empty() {
        out.push(finding(
            id,
            Status::Fail,
            &front.api_id,
            "the front API has no ANY / or ANY /{proxy+} method",
            None,
        ));
    }
    out
}

pub(super) fn front_exposure(id: CheckId, s: &Snapshot) -> Finding {
    let Some(front) = s.front.ok() else {
        return unread(id, "front API", &s.front, false);
    };
    let open: Vec<&str> = front
        .authorization
        .iter()
        .filter(|(_, auth)| auth.eq_ignore_ascii_case("NONE"))
        .map(|(path, _)| path.as_str())
        .collect();
    if open.is_empty() {
        let auth: Vec<String> = front
            .authorization
            .iter()
            .map(|(p, a)| format!("ANY {p} {a}"))
            .collect();
        return if auth.is_empty() {
            finding(
                id,
                Status::Skip,
                &front.api_id,
                "no ANY method to check",
                None,
            )
        } else {
            finding(
                id,
                Status::Pass,
                &front.api_id,
                format!("callers must authorize: {}", auth.join(", ")),
                None,
            )
        };
    }
    let judged = front.policy.as_deref().map(|p| {
        policy::keeps_internet_out(p, &s.region, s.consumer_account.as_deref(), &front.api_id)
    });
    match judged {
        Some(Ok(how)) => finding(
            id,
            Status::Pass,
            &front.api_id,
            format!(
                "ANY {} need no authorization, but {how}",
                open.join(", ANY ")
            ),
            None,
        ),
        why_open => finding(
            id,
            Status::Warn,
            &front.api_id,
            format!(
                "reachable from the internet by anyone: ANY {} need no authorization and {}",
                open.join(", ANY "),
                match why_open {
                    Some(Err(why)) => why,
                    _ => "it has no resource policy".to_owned(),
                }
            ),
            Some(format!(
                "xapi wire-regional-front ... --front-api-id {} --authorization iam (or --allow-cidr CIDR...)",
                front.api_id
            )),
        ),
    }
}

/// The VPC a function runs in. Its subnets decide it; the reported `VpcId` is
/// only derived from them (and not every implementation derives it right).
pub fn function_vpc(
    f: Option<&crate::model::LambdaVpc>,
    subnets: Option<&Vec<crate::model::Subnet>>,
) -> Option<String> {
    subnets
        .and_then(|v| v.first())
        .map(|sn| sn.vpc_id.clone())
        .or_else(|| f.and_then(|f| f.vpc_id.clone()))
}

pub(super) fn lambda_vpc(id: CheckId, s: &Snapshot) -> Finding {
    let Some(f) = s.lambda.ok() else {
        return unread(id, "Lambda function", &s.lambda, true);
    };
    let vpc = function_vpc(Some(f), s.lambda_subnets.ok());
    let Some(vpc) = &vpc else {
        return finding(
            id,
            Status::Fail,
            &f.function_name,
            "the function is not attached to a VPC, so it cannot reach a private API (only a VPC endpoint can)",
            Some(format!(
                "aws lambda update-function-configuration --function-name {} --vpc-config SubnetIds=<subnets>,SecurityGroupIds=<groups>",
                f.function_name
            )),
        );
    };
    match s.endpoint.ok() {
        Some(e) if e.vpc_id == *vpc => finding(id, Status::Pass, &f.function_name, format!("runs in {vpc}, which holds {}", e.id), None),
        Some(e) => finding(
            id,
            Status::Fail,
            &f.function_name,
            format!("runs in {vpc}, but the endpoint {} is in {}: the function's calls never reach it", e.id, e.vpc_id),
            Some(format!("xapi endpoint create --vpc-id {vpc} --subnet-id <subnet>..., then xapi grant-vpce on the API")),
        ),
        // Whether the endpoint exists is endpoint.exists' finding, not this one's.
        None => finding(id, Status::Skip, &f.function_name, format!("runs in {vpc}; no endpoint to compare it with (endpoint.exists)"), None),
    }
}

/// The function and the endpoint share a VPC (else `lambda.vpc` already failed).
fn same_vpc(s: &Snapshot) -> bool {
    matches!(
        (function_vpc(s.lambda.ok(), s.lambda_subnets.ok()), s.endpoint.ok()),
        (Some(v), Some(e)) if e.vpc_id == v
    )
}

pub(super) fn lambda_private_dns(id: CheckId, s: &Snapshot) -> Finding {
    let Some(f) = s.lambda.ok() else {
        return unread(id, "Lambda function", &s.lambda, false);
    };
    let Some(e) = s.endpoint.ok().filter(|_| same_vpc(s)) else {
        return finding(
            id,
            Status::Skip,
            &f.function_name,
            "the function is not in the endpoint's VPC (lambda.vpc)",
            None,
        );
    };
    let api = s
        .api
        .ok()
        .map(|a| a.id.clone())
        .unwrap_or_else(|| "{api-id}".into());
    if e.private_dns_enabled {
        finding(
            id,
            Status::Pass,
            &f.function_name,
            format!(
                "https://{} resolves to {} inside {}",
                api_host(s, &api),
                e.id,
                e.vpc_id
            ),
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &f.function_name,
            format!(
                "{} has private DNS off: the function's https://{} resolves to the public endpoint and the call fails; or call https://{} after associating the endpoint",
                e.id,
                api_host(s, &api),
                api_host_via(s, &api, &e.id),
            ),
            Some(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled", e.id)),
        )
    }
}

pub(super) fn lambda_sg_443(id: CheckId, s: &Snapshot) -> Finding {
    let Some(f) = s.lambda.ok() else {
        return unread(id, "Lambda function", &s.lambda, false);
    };
    let Some(e) = s.endpoint.ok().filter(|_| same_vpc(s)) else {
        return finding(
            id,
            Status::Skip,
            &f.function_name,
            "the function is not in the endpoint's VPC (lambda.vpc)",
            None,
        );
    };
    let Some(groups) = s.security_groups.ok() else {
        return unread(id, &e.id, &s.security_groups, false);
    };
    let rules: Vec<_> = groups
        .iter()
        .flat_map(|g| g.ingress.iter())
        .filter(|r| r.admits_tcp_443())
        .collect();
    let by_group = f
        .security_group_ids
        .iter()
        .find(|g| rules.iter().any(|r| r.source_groups.contains(g)));
    let subnet_cidrs: Vec<&str> = s
        .lambda_subnets
        .ok()
        .map(|v| v.iter().map(|sn| sn.cidr_block.as_str()).collect())
        .unwrap_or_default();
    let by_cidr = !subnet_cidrs.is_empty()
        && cidr::not_admitted_on_443(groups, subnet_cidrs.iter().copied()).is_empty();
    match (by_group, by_cidr) {
        (Some(g), _) => finding(id, Status::Pass, &f.function_name, format!("{}'s security groups admit TCP 443 from the function's group {g}", e.id), None),
        (None, true) => finding(id, Status::Pass, &f.function_name, format!("{}'s security groups admit TCP 443 from the function's subnets ({})", e.id, subnet_cidrs.join(", ")), None),
        (None, false) => finding(
            id,
            Status::Fail,
            &f.function_name,
            format!("{}'s security groups admit TCP 443 neither from the function's groups ({}) nor its subnets: its calls time out", e.id, f.security_group_ids.join(", ")),
            Some(format!(
                "aws ec2 authorize-security-group-ingress --group-id {} --protocol tcp --port 443 --source-group {}",
                e.security_group_ids.first().map(String::as_str).unwrap_or("<endpoint group>"),
                f.security_group_ids.first().map(String::as_str).unwrap_or("<function group>")
            )),
        ),
    }
}

pub(super) fn link_available(id: CheckId, s: &Snapshot) -> Finding {
    let Some(l) = s.link.ok() else {
        return unread(id, "VPC link", &s.link, true);
    };
    let v = l.version;
    match l.status.as_str() {
        "AVAILABLE" => finding(id, Status::Pass, &l.id, format!("{v}, AVAILABLE"), None),
        "PENDING" => finding(
            id,
            Status::Warn,
            &l.id,
            format!("{v}, PENDING: calls fail until it is AVAILABLE (this can take minutes)"),
            None,
        ),
        "INACTIVE" => finding(
            id,
            Status::Warn,
            &l.id,
            format!(
                "{v}, INACTIVE: no traffic for 60 days, so AWS removed its network interfaces; \
                 the next calls bring it back, slow or failing for minutes"
            ),
            Some(
                "send a request through the front door, then re-run doctor until it is AVAILABLE"
                    .into(),
            ),
        ),
        other => {
            // A v1 link bound to an application load balancer ends FAILED:
            // only a v2 link reaches one.
            let alb = v == LinkVersion::V1
                && l.target_arns
                    .iter()
                    .any(|t| t.contains(":loadbalancer/app/"));
            finding(
                id,
                Status::Fail,
                &l.id,
                format!(
                    "{v}, {other}: {}{}",
                    l.status_message.as_deref().unwrap_or("no status message"),
                    if alb {
                        " (a v1 link reaches only a network load balancer; it targets an application load balancer)"
                    } else {
                        ""
                    }
                ),
                Some(if alb {
                    format!(
                        "aws apigateway delete-vpc-link --vpc-link-id {} && xapi wire-regional-front ... --vpc-link v2",
                        l.id
                    )
                } else {
                    format!(
                        "aws {} delete-vpc-link --vpc-link-id {} && xapi wire-regional-front ...",
                        l.version.cli_service(),
                        l.id
                    )
                }),
            )
        }
    }
}

pub(super) fn link_targets_nlb(id: CheckId, s: &Snapshot) -> Finding {
    let Some(l) = s.link.ok() else {
        return unread(id, "VPC link", &s.link, false);
    };
    let Some(lb) = s.load_balancer.ok() else {
        return unread(id, &l.id, &s.load_balancer, true);
    };
    if l.version == LinkVersion::V2 {
        return link_v2_target(id, s, l, &lb.arn, &lb.name);
    }
    if l.target_arns.contains(&lb.arn) {
        finding(
            id,
            Status::Pass,
            &l.id,
            format!("targets {}", lb.name),
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &l.id,
            format!("targets {}, not {}", l.target_arns.join(", "), lb.arn),
            None,
        )
    }
}

/// Whether `groups` together let TCP 443 in from one of `group_ids`, or
/// from every range in `ranges` (a network interface's groups add up).
fn lets_443_in(
    groups: &[crate::model::SecurityGroup],
    group_ids: &[String],
    ranges: &[&str],
) -> bool {
    let from_group = groups
        .iter()
        .flat_map(|g| &g.ingress)
        .any(|r| r.admits_tcp_443() && r.source_groups.iter().any(|sg| group_ids.contains(sg)));
    from_group
        || !ranges.is_empty()
            && cidr::not_admitted_on_443(groups, ranges.iter().copied()).is_empty()
}

/// A v2 link's network: no finding for a v1 link.
pub(super) fn link_v2_network(id: CheckId, s: &Snapshot) -> Option<Finding> {
    let l = s.link.ok().filter(|l| l.version == LinkVersion::V2)?;
    let Some(net) = s.link_network.ok() else {
        return Some(unread(id, &l.id, &s.link_network, false));
    };
    let Some(lb) = s.load_balancer.ok() else {
        return Some(unread(id, &l.id, &s.load_balancer, false));
    };
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    if let Err(e) = crate::plan::vpc_link::check_v2_subnets(&s.region, &net.subnets) {
        problems.push(e);
    }
    let elsewhere: BTreeSet<&str> = net
        .subnets
        .iter()
        .map(|s| s.vpc_id.as_str())
        .filter(|v| *v != lb.vpc_id)
        .collect();
    if !elsewhere.is_empty() {
        problems.push(format!(
            "its interfaces are in {}, the load balancer {} in {}",
            elsewhere.into_iter().collect::<Vec<_>>().join(", "),
            lb.name,
            lb.vpc_id
        ));
    }
    let lb_ranges: Vec<&str> = s
        .nlb_subnets
        .ok()
        .map(|subnets| subnets.iter().map(|s| s.cidr_block.as_str()).collect())
        .unwrap_or_default();
    for range in &lb_ranges {
        if !net
            .groups
            .iter()
            .any(|g| crate::plan::vpc_link::lets_443_out_to(g, range))
        {
            problems.push(format!(
                "its groups ({}) let no TCP 443 out to {range}, the load balancer's subnet",
                l.security_group_ids.join(", ")
            ));
            if let Some(g) = l.security_group_ids.first() {
                fixes.push(format!(
                    "aws ec2 authorize-security-group-egress --group-id {g} --ip-permissions \
                     'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{{CidrIp={range}}}]'"
                ));
            }
        }
    }
    let link_ranges: Vec<&str> = net.subnets.iter().map(|s| s.cidr_block.as_str()).collect();
    if !lb.security_groups.is_empty()
        && !lets_443_in(
            &net.load_balancer_groups,
            &l.security_group_ids,
            &link_ranges,
        )
    {
        problems.push(format!(
            "the load balancer's groups ({}) let no TCP 443 in from the link's groups or subnets",
            lb.security_groups.join(", ")
        ));
        if let (Some(lb_group), Some(link_group)) =
            (lb.security_groups.first(), l.security_group_ids.first())
        {
            fixes.push(format!(
                "aws ec2 authorize-security-group-ingress --group-id {lb_group} --protocol tcp \
                 --port 443 --source-group {link_group}"
            ));
        }
    }
    Some(if problems.is_empty() {
        let zones: BTreeSet<&str> = net
            .subnets
            .iter()
            .map(|s| s.availability_zone.as_str())
            .collect();
        finding(
            id,
            Status::Pass,
            &l.id,
            format!(
                "interfaces in {} of {}; TCP 443 out to the load balancer's subnets{}",
                zones.into_iter().collect::<Vec<_>>().join(", "),
                lb.vpc_id,
                if lb.security_groups.is_empty() {
                    ""
                } else {
                    ", and in through its groups"
                }
            ),
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &l.id,
            problems.join("; "),
            (!fixes.is_empty()).then(|| fixes.join(" && ")),
        )
    })
}

/// A v2 link is bound to no load balancer: the front's integrations name it.
fn link_v2_target(id: CheckId, s: &Snapshot, l: &VpcLink, lb_arn: &str, lb_name: &str) -> Finding {
    let targets: BTreeSet<&str> = s
        .front
        .ok()
        .map(|f| {
            f.integrations
                .values()
                .flatten()
                .filter_map(|i| i.integration_target.as_deref())
                .collect()
        })
        .unwrap_or_default();
    let others: Vec<&str> = targets.iter().copied().filter(|t| *t != lb_arn).collect();
    if !others.is_empty() {
        finding(
            id,
            Status::Fail,
            &l.id,
            format!(
                "v2: the front's integrations go to {}, not {lb_arn}",
                others.join(", ")
            ),
            Some("xapi wire-regional-front ... (it writes the integrations again)".into()),
        )
    } else if targets.is_empty() {
        finding(
            id,
            Status::Warn,
            &l.id,
            format!(
                "v2: API Gateway did not report the integrations' integrationTarget, so that they \
                 go to {lb_name} is unconfirmed (it was found by the stack's name)"
            ),
            None,
        )
    } else {
        finding(
            id,
            Status::Pass,
            &l.id,
            format!("v2: the front's integrations name {lb_name}"),
            None,
        )
    }
}

pub(super) fn nlb_listener(id: CheckId, s: &Snapshot) -> Finding {
    let Some(lb) = s.load_balancer.ok() else {
        return unread(id, "load balancer", &s.load_balancer, true);
    };
    let mut problems = Vec::new();
    if !lb.lb_type.eq_ignore_ascii_case("network") {
        problems.push(format!(
            "type {} (a VPC link needs a network load balancer)",
            lb.lb_type
        ));
    }
    if lb.scheme != "internal" {
        problems.push(format!("scheme {} (want internal)", lb.scheme));
    }
    if !lb.state.is_empty() && lb.state != "active" {
        problems.push(format!("state {}", lb.state));
    }
    match (s.listeners.ok(), s.target_group.ok()) {
        (Some(listeners), tg) => match listeners.iter().find(|l| l.port == HTTPS_PORT) {
            None => problems.push("no listener on port 443".into()),
            Some(l) => {
                if l.protocol != "TCP" {
                    problems.push(format!(
                        "the 443 listener is {} (want TCP: TLS passes through to the endpoint)",
                        l.protocol
                    ));
                }
                if let Some(tg) = tg {
                    if !l.forward_target_group_arns.contains(&tg.arn) {
                        problems.push(format!(
                            "the 443 listener forwards to {}, not {}",
                            l.forward_target_group_arns.join(", "),
                            tg.name
                        ));
                    }
                }
            }
        },
        (None, _) => return unread(id, &lb.name, &s.listeners, false),
    }
    if problems.is_empty() {
        finding(
            id,
            Status::Pass,
            &lb.name,
            "internal network load balancer, active, TCP 443 forwarding to the target group",
            None,
        )
    } else {
        finding(id, Status::Fail, &lb.name, problems.join("; "), None)
    }
}

/// Cross-zone load balancing off, a network load balancer sends what each
/// zone's node receives only to that zone's targets, and DNS sends clients
/// to every zone's node: a zone without a registered target answers them
/// nothing. `remade_by` is the xapi command that turns it back on.
pub(super) fn cross_zone(
    id: CheckId,
    lb: &Read<LoadBalancer>,
    cross_zone: &Read<bool>,
    targets: &Read<Vec<TargetHealth>>,
    remade_by: &str,
) -> Finding {
    let Some(lb) = lb.ok() else {
        return unread(id, "load balancer", lb, false);
    };
    let Some(&on) = cross_zone.ok() else {
        return unread(id, &lb.name, cross_zone, false);
    };
    if on {
        return finding(
            id,
            Status::Pass,
            &lb.name,
            "cross-zone load balancing is on: each zone's node reaches every target",
            None,
        );
    }
    let fix = Some(format!(
        "{remade_by} (it turns it on), or `aws elbv2 modify-load-balancer-attributes --load-balancer-arn {} --attributes Key=load_balancing.cross_zone.enabled,Value=true`",
        lb.arn
    ));
    let served: Option<BTreeSet<&str>> = targets.ok().map(|ts| {
        ts.iter()
            .filter(|t| t.is_registered())
            .filter_map(|t| t.target.availability_zone.as_deref())
            .collect()
    });
    let unserved: Vec<&str> = match &served {
        // An address outside the group's VPC is served from every zone.
        Some(zones) if !zones.contains("all") => lb
            .availability_zones
            .iter()
            .map(String::as_str)
            .filter(|z| !zones.contains(z))
            .collect(),
        _ => Vec::new(),
    };
    if unserved.is_empty() {
        finding(
            id,
            Status::Warn,
            &lb.name,
            "cross-zone load balancing is off: a zone whose targets all go answers nothing to the clients DNS sends to its node",
            fix,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &lb.name,
            format!(
                "cross-zone load balancing is off and {} {} no registered target: the clients DNS sends to {} get no answer",
                unserved.join(", "),
                if unserved.len() == 1 { "has" } else { "have" },
                if unserved.len() == 1 { "that zone's node" } else { "those zones' nodes" },
            ),
            fix,
        )
    }
}

pub(super) fn targetgroup_config(id: CheckId, s: &Snapshot) -> Finding {
    let Some(tg) = s.target_group.ok() else {
        return unread(id, "target group", &s.target_group, true);
    };
    let mut problems = Vec::new();
    if !tg.target_type.eq_ignore_ascii_case("ip") {
        problems.push(format!("target type {} (want ip)", tg.target_type));
    }
    if tg.protocol != "TCP" || tg.port != HTTPS_PORT {
        problems.push(format!("{}:{} (want TCP:443)", tg.protocol, tg.port));
    }
    if !problems.is_empty() {
        return finding(id, Status::Fail, &tg.name, problems.join("; "), None);
    }
    let (hc, want) = (&tg.health_check, front::health_check());
    if !nlb::health_matches(hc, &want) {
        return finding(
            id,
            Status::Warn,
            &tg.name,
            format!(
                "health check {} (the endpoint answers {})",
                nlb::describe(hc),
                nlb::describe(&want)
            ),
            Some(nlb::set_health_command(&tg.arn, &want)),
        );
    }
    finding(
        id,
        Status::Pass,
        &tg.name,
        "ip targets, TCP 443, health check HTTPS /ping",
        None,
    )
}

fn endpoint_ips(s: &Snapshot) -> Option<BTreeSet<String>> {
    let e = s.endpoint.ok()?;
    Some(
        s.interfaces
            .ok()?
            .iter()
            .filter(|n| e.network_interface_ids.contains(&n.id))
            .map(|n| n.private_ip.clone())
            .collect(),
    )
}

pub(super) fn targets_match_endpoint(id: CheckId, s: &Snapshot) -> Finding {
    let Some(tg) = s.target_group.ok() else {
        return unread(id, "target group", &s.target_group, false);
    };
    let Some(targets) = s.targets.ok() else {
        return unread(id, &tg.name, &s.targets, false);
    };
    let Some(ips) = endpoint_ips(s) else {
        return unread(id, &tg.name, &s.interfaces, false);
    };
    let registered: BTreeSet<String> = targets
        .iter()
        .filter(|t| t.target.port == HTTPS_PORT)
        .map(|t| t.target.ip.clone())
        .collect();
    let missing: Vec<&String> = ips.difference(&registered).collect();
    let stale: Vec<&String> = registered.difference(&ips).collect();
    if missing.is_empty() && stale.is_empty() {
        return finding(
            id,
            Status::Pass,
            &tg.name,
            format!(
                "targets are the endpoint's addresses: {}",
                ips.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            None,
        );
    }
    let vpce = s.endpoint.ok().map(|e| e.id.clone()).unwrap_or_default();
    let show = |v: &[&String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    finding(
        id,
        Status::Fail,
        &tg.name,
        format!("missing {}; stale {}", show(&missing), show(&stale)),
        Some(format!(
            "xapi targets sync --vpce {vpce} --target-group-arn {} --prune",
            tg.arn
        )),
    )
}

pub(super) fn targets_healthy(id: CheckId, s: &Snapshot) -> Finding {
    let Some(tg) = s.target_group.ok() else {
        return unread(id, "target group", &s.target_group, false);
    };
    let Some(targets) = s.targets.ok() else {
        return unread(id, &tg.name, &s.targets, false);
    };
    if targets.is_empty() {
        return finding(
            id,
            Status::Fail,
            &tg.name,
            "no targets registered: every call fails with 500",
            None,
        );
    }
    let describe = |states: &[&str]| -> Vec<String> {
        targets
            .iter()
            .filter(|t| states.contains(&t.state.as_str()))
            .map(|t| {
                let why = t
                    .description
                    .as_deref()
                    .or(t.reason.as_deref())
                    .unwrap_or("");
                format!(
                    "{}:{} {}{}",
                    t.target.ip,
                    t.target.port,
                    t.state,
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({why})")
                    }
                )
            })
            .collect()
    };
    let bad = describe(&["unhealthy", "draining", "unavailable", "unused"]);
    let starting = describe(&["initial"]);
    if !bad.is_empty() {
        finding(id, Status::Fail, &tg.name, bad.join("; "), Some("check the endpoint's security group admits TCP 443 from the NLB subnets (endpoint.sg-443)".into()))
    } else if !starting.is_empty() {
        finding(
            id,
            Status::Warn,
            &tg.name,
            format!("still being checked: {}", starting.join("; ")),
            None,
        )
    } else {
        finding(
            id,
            Status::Pass,
            &tg.name,
            format!("{} healthy target(s)", targets.len()),
            None,
        )
    }
}

pub(super) fn endpoint_exists(id: CheckId, s: &Snapshot) -> Finding {
    let Some(e) = s.endpoint.ok() else {
        return unread(id, "VPC endpoint", &s.endpoint, true);
    };
    let service = execute_api_service(&s.region);
    if !e.endpoint_type.eq_ignore_ascii_case("Interface") || e.service_name != service {
        return finding(
            id,
            Status::Fail,
            &e.id,
            format!(
                "{} endpoint for {} (want an Interface endpoint for {service})",
                e.endpoint_type, e.service_name
            ),
            None,
        );
    }
    finding(
        id,
        Status::Pass,
        &e.id,
        format!("Interface endpoint for {service} in {}", e.vpc_id),
        None,
    )
}

pub(super) fn endpoint_available(id: CheckId, s: &Snapshot) -> Finding {
    let Some(e) = s.endpoint.ok() else {
        return unread(id, "VPC endpoint", &s.endpoint, false);
    };
    match e.state.as_str() {
        "available" => finding(id, Status::Pass, &e.id, "available", None),
        "pending" | "pendingacceptance" => finding(
            id,
            Status::Warn,
            &e.id,
            format!("{}: not usable yet", e.state),
            None,
        ),
        other => finding(id, Status::Fail, &e.id, format!("state {other}"), None),
    }
}

pub(super) fn endpoint_sg_443(id: CheckId, s: &Snapshot) -> Finding {
    let Some(e) = s.endpoint.ok() else {
        return unread(id, "VPC endpoint", &s.endpoint, false);
    };
    let Some(groups) = s.security_groups.ok() else {
        return unread(id, &e.id, &s.security_groups, false);
    };
    let rules: Vec<_> = groups
        .iter()
        .flat_map(|g| g.ingress.iter())
        .filter(|r| r.admits_tcp_443())
        .collect();
    let Some(subnets) = s.nlb_subnets.ok() else {
        // No load balancer in the chain (pattern 2): any TCP 443 source at all?
        return if rules.is_empty() {
            finding(
                id,
                Status::Fail,
                &e.id,
                "its security groups admit no TCP 443 at all: no caller can connect",
                Some(fix_sg(e, "<caller CIDR>")),
            )
        } else {
            let sources: Vec<String> = rules.iter().flat_map(|r| r.sources()).collect();
            finding(
                id,
                Status::Pass,
                &e.id,
                format!("TCP 443 from {}", sources.join(", ")),
                None,
            )
        };
    };
    let uncovered =
        cidr::not_admitted_on_443(groups, subnets.iter().map(|sn| sn.cidr_block.as_str()));
    if uncovered.is_empty() {
        finding(
            id,
            Status::Pass,
            &e.id,
            format!(
                "admits TCP 443 from the NLB subnets ({})",
                subnets
                    .iter()
                    .map(|s| s.cidr_block.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &e.id,
            format!("its security groups do not admit TCP 443 from the NLB subnets {}: health checks and calls time out", uncovered.join(", ")),
            Some(uncovered.iter().map(|c| fix_sg(e, c)).collect::<Vec<_>>().join(" && ")),
        )
    }
}

fn fix_sg(e: &Endpoint, source: &str) -> String {
    cidr::authorize_443_command(
        e.security_group_ids
            .first()
            .map(String::as_str)
            .unwrap_or("<group>"),
        source,
    )
}

pub(super) fn endpoint_private_dns(id: CheckId, s: &Snapshot) -> Finding {
    let Some(e) = s.endpoint.ok() else {
        return unread(id, "VPC endpoint", &s.endpoint, false);
    };
    let api = s
        .api
        .ok()
        .map(|a| a.id.clone())
        .unwrap_or_else(|| "{api-id}".into());
    if e.private_dns_enabled {
        finding(
            id,
            Status::Pass,
            &e.id,
            format!(
                "on: callers in {} reach https://{}",
                e.vpc_id,
                api_host(s, &api)
            ),
            None,
        )
    } else {
        finding(
            id,
            Status::Warn,
            &e.id,
            format!(
                "off: https://{} does not resolve to the endpoint inside {}; callers (pattern 2) must use https://{} (associate the endpoint: xapi grant-vpce --associate)",
                api_host(s, &api),
                e.vpc_id,
                api_host_via(s, &api, &e.id),
            ),
            None,
        )
    }
}

pub(super) fn endpoint_vpc_dns(id: CheckId, s: &Snapshot) -> Finding {
    let Some(e) = s.endpoint.ok() else {
        return unread(id, "VPC endpoint", &s.endpoint, false);
    };
    if !e.private_dns_enabled {
        return finding(
            id,
            Status::Skip,
            &e.vpc_id,
            "private DNS is off on the endpoint, so the VPC's DNS settings do not matter",
            None,
        );
    }
    let Some(dns) = s.vpc_dns.ok() else {
        return unread(id, &e.vpc_id, &s.vpc_dns, false);
    };
    if dns.support && dns.hostnames {
        finding(
            id,
            Status::Pass,
            &e.vpc_id,
            "DNS support and DNS hostnames are on",
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &e.vpc_id,
            format!("private DNS needs both: DNS support {}, DNS hostnames {}", on(dns.support), on(dns.hostnames)),
            Some(format!("aws ec2 modify-vpc-attribute --vpc-id {} --enable-dns-hostnames '{{\"Value\":true}}'", e.vpc_id)),
        )
    }
}

fn on(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

pub(super) fn endpoint_policy(id: CheckId, s: &Snapshot) -> Finding {
    let Some(e) = s.endpoint.ok() else {
        return unread(id, "VPC endpoint", &s.endpoint, false);
    };
    if crate::model::is_default_endpoint_policy(e.policy_document.as_deref()) {
        return finding(
            id,
            Status::Pass,
            &e.id,
            "default endpoint policy (full access)",
            None,
        );
    }
    let Some(api) = api_ref(s) else {
        return finding(
            id,
            Status::Skip,
            &e.id,
            "custom endpoint policy; the private API (and its account) is needed to evaluate it",
            None,
        );
    };
    let raw = e.policy_document.as_deref().unwrap_or_default();
    let stage = s.stage.clone().unwrap_or_else(|| "*".into());
    let verdict = PolicyDocument::parse(raw).and_then(|doc| {
        policy::evaluate(
            &doc,
            &api,
            &Request {
                source_vpce: Some(e.id.clone()),
                source_vpc: Some(e.vpc_id.clone()),
                resource: format!("{}/{stage}/GET/", api.arn_prefix()),
                action: "execute-api:Invoke".into(),
                ..Default::default()
            },
        )
    });
    match verdict {
        Ok(Decision::Allow) => finding(
            id,
            Status::Pass,
            &e.id,
            format!(
                "custom endpoint policy allows execute-api:Invoke on {}",
                api.api_id
            ),
            None,
        ),
        Ok(d) => finding(
            id,
            Status::Fail,
            &e.id,
            format!(
                "custom endpoint policy does not allow execute-api:Invoke on {} ({})",
                api.api_id,
                match d {
                    Decision::ExplicitDeny => "a statement denies it",
                    _ => "no statement allows it",
                }
            ),
            Some(format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --reset-policy",
                e.id
            )),
        ),
        Err(err) => finding(
            id,
            Status::Warn,
            &e.id,
            format!("custom endpoint policy xapi cannot evaluate: {err}"),
            None,
        ),
    }
}

pub(super) fn api_private(id: CheckId, s: &Snapshot) -> Finding {
    let Some(a) = s.api.ok() else {
        return unread(id, "private API", &s.api, true);
    };
    if a.is_private() {
        finding(
            id,
            Status::Pass,
            &a.id,
            format!("{} is PRIVATE", a.name),
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &a.id,
            format!("{} is {}, not PRIVATE", a.name, a.endpoint_types.join("/")),
            None,
        )
    }
}

fn grant_fix(s: &Snapshot) -> Option<String> {
    let a = s.api.ok()?;
    let e = s
        .endpoint
        .ok()
        .map(|e| e.id.clone())
        .unwrap_or_else(|| "<vpce-id>".into());
    Some(format!("xapi grant-vpce --api-id {} --vpce {e}", a.id))
}

fn parsed(s: &Snapshot) -> Option<Result<PolicyDocument, policy::PolicyError>> {
    s.api.ok()?.policy.as_deref().map(PolicyDocument::parse)
}

pub(super) fn policy_present(id: CheckId, s: &Snapshot) -> Finding {
    let Some(a) = s.api.ok() else {
        return unread(id, "private API", &s.api, false);
    };
    match parsed(s) {
        None => finding(
            id,
            Status::Fail,
            &a.id,
            "no resource policy: a private API without one admits no one and cannot be deployed",
            grant_fix(s),
        ),
        Some(Err(e)) => finding(
            id,
            Status::Fail,
            &a.id,
            format!("the resource policy does not parse: {e}"),
            None,
        ),
        Some(Ok(_)) => finding(id, Status::Pass, &a.id, "resource policy attached", None),
    }
}

pub(super) fn policy_admits_vpce(id: CheckId, s: &Snapshot) -> Finding {
    let Some(a) = s.api.ok() else {
        return unread(id, "private API", &s.api, false);
    };
    let Some(e) = s.endpoint.ok() else {
        return unread(id, &a.id, &s.endpoint, false);
    };
    let (Some(Ok(doc)), Some(api)) = (parsed(s), api_ref(s)) else {
        return finding(
            id,
            Status::Fail,
            &a.id,
            format!("no readable policy admits {}", e.id),
            grant_fix(s),
        );
    };
    match policy::admission(&doc, &api, &e.id, Some(&e.vpc_id)) {
        Ok(adm) => admission_verdict(
            id,
            &a.id,
            &e.id,
            &adm,
            format!("the policy admits {}", e.id),
            format!(
                "the policy does not admit {}: calls get 403 \"explicit deny\"",
                e.id
            ),
            grant_fix(s),
        ),
        Err(err) => finding(
            id,
            Status::Warn,
            &a.id,
            format!("could not evaluate the policy: {err}"),
            None,
        ),
    }
}

/// A check's verdict on whether a policy admits `vpce`: an approximated
/// answer warns (never passes) and says how to get a proven one; otherwise
/// `admitted` passes, and `refused` fails with `fix`.
pub(super) fn admission_verdict(
    id: &str,
    resource: &str,
    vpce: &str,
    adm: &policy::Admission,
    admitted: String,
    refused: String,
    fix: Option<String>,
) -> Finding {
    if adm.approximated {
        return finding(
            id,
            Status::Warn,
            resource,
            approximated_message(vpce, adm),
            Some(format!(
                "simplify the Resource/NotResource patterns of that statement, then re-run; or check by calling the API through {vpce}"
            )),
        );
    }
    if adm.admitted {
        finding(id, Status::Pass, resource, admitted, None)
    } else {
        finding(id, Status::Fail, resource, refused, fix)
    }
}

/// The message of a check whose answer the evaluation budget could not prove.
pub(crate) fn approximated_message(vpce: &str, adm: &policy::Admission) -> String {
    format!(
        "approximated: proving whether the policy admits {vpce} exceeded the evaluation budget, so it counts as admitted without proof{}",
        adm.expensive
            .as_deref()
            .map(|s| format!(" (statement {s}'s resource patterns make the search expensive)"))
            .unwrap_or_default()
    )
}

pub(super) fn policy_restricts_source(id: CheckId, s: &Snapshot) -> Finding {
    let Some(a) = s.api.ok() else {
        return unread(id, "private API", &s.api, false);
    };
    let (Some(Ok(doc)), Some(api)) = (parsed(s), api_ref(s)) else {
        return finding(
            id,
            Status::Skip,
            &a.id,
            "no readable policy to evaluate",
            None,
        );
    };
    match policy::summarize(&doc, &api) {
        Ok(sum) if sum.open_to_any_endpoint => finding(
            id,
            Status::Fail,
            &a.id,
            "the policy admits every VPC endpoint in the region, in any account (an Allow without an aws:SourceVpce or aws:SourceVpc condition)",
            Some(format!("xapi policy show --api-id {}, then restrict it to named endpoints with a Deny on aws:SourceVpce", a.id)),
        ),
        Ok(sum) => finding(id, Status::Pass, &a.id, format!("only named sources: endpoints [{}], VPCs [{}]", sum.admitted_vpces.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "), sum.admitted_vpcs.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")), None),
        Err(err) => finding(id, Status::Warn, &a.id, format!("could not evaluate the policy: {err}"), None),
    }
}

pub(super) fn policy_size(id: CheckId, s: &Snapshot) -> Finding {
    let Some(a) = s.api.ok() else {
        return unread(id, "private API", &s.api, false);
    };
    let Some(Ok(doc)) = parsed(s) else {
        return finding(id, Status::Skip, &a.id, "no readable policy", None);
    };
    let size = doc.to_compact().len();
    let limit = policy::POLICY_SIZE_LIMIT;
    if size * 10 >= limit * 9 {
        finding(
            id,
            Status::Warn,
            &a.id,
            format!(
                "{size} of {limit} characters: about {} more endpoint ids fit",
                (limit.saturating_sub(size)) / 25
            ),
            None,
        )
    } else {
        finding(
            id,
            Status::Pass,
            &a.id,
            format!("{size} of {limit} characters"),
            None,
        )
    }
}

pub use crate::policy::deployed_hash;

pub(super) fn policy_deployed(id: CheckId, s: &Snapshot) -> Vec<Finding> {
    let Some(a) = s.api.ok() else {
        return vec![unread(id, "private API", &s.api, false)];
    };
    let Some(stages) = s.stages.ok() else {
        return vec![unread(id, &a.id, &s.stages, false)];
    };
    let Some(deployments) = s.deployments.ok() else {
        return vec![unread(id, &a.id, &s.deployments, false)];
    };
    let (Some(Ok(doc)), Some(api)) = (parsed(s), api_ref(s)) else {
        return vec![finding(id, Status::Skip, &a.id, "no readable policy", None)];
    };
    let current = doc.canonical_sha256(&api);
    let checked: Vec<_> = stages
        .iter()
        .filter(|st| s.stage.as_ref().is_none_or(|want| *want == st.name))
        .collect();
    if checked.is_empty() {
        let wanted = s.stage.clone().unwrap_or_default();
        return vec![finding(
            id,
            Status::Fail,
            format!("{} stage {wanted}", a.id),
            format!("stage '{wanted}' does not exist"),
            None,
        )];
    }
    checked
        .into_iter()
        .map(|st| {
            let resource = format!("{} stage {}", a.id, st.name);
            let description = st
                .deployment_id
                .as_ref()
                .and_then(|id| deployments.iter().find(|d| d.id == *id))
                .and_then(|d| d.description.as_deref());
            let redeploy = Some(format!("aws apigateway create-deployment --rest-api-id {} --stage-name {} --description '{}'", a.id, st.name, policy::deployment_marker(&current)));
            match deployed_hash(description) {
                Some(h) if h == current => finding(id, Status::Pass, &resource, "the deployed policy is the current one", None),
                Some(h) => finding(id, Status::Fail, &resource, format!("the policy changed after the last deployment (deployed {}, current {}): the change is not live", &h[..h.len().min(12)], &current[..12]), redeploy),
                None => from_export(id, s, &api, &current, &st.name, &resource, redeploy),
            }
        })
        .collect()
}

/// A deployment xapi did not make: the stage's export carries the policy it deployed.
fn from_export(
    id: CheckId,
    s: &Snapshot,
    api: &ApiRef,
    current: &str,
    stage: &str,
    resource: &str,
    redeploy: Option<String>,
) -> Finding {
    let exported = match &s.deployed_policies {
        Read::Ok { value } => value.iter().find(|d| d.stage == stage),
        Read::Failed { error, needs, .. } => {
            return finding(id, Status::Warn, resource, format!("unknown: the deployment was not made by xapi and the stage's export could not be read ({error}); needs {needs}"), redeploy)
        }
        Read::NotAsked { .. } => None,
    };
    let Some(exported) = exported else {
        return finding(
            id,
            Status::Warn,
            resource,
            "unknown: the deployment was not made by xapi and the stage's export was not read",
            redeploy,
        );
    };
    let Some(raw) = exported.policy.as_deref() else {
        return finding(id, Status::Warn, resource, "the stage's export carries no resource policy: it was deployed before the current policy was attached, or the export omits it", redeploy);
    };
    match PolicyDocument::parse(raw).map(|d| d.canonical_sha256(api)) {
        Ok(h) if h == current => finding(id, Status::Pass, resource, "the deployed policy (from the stage's export) is the current one", None),
        Ok(h) => finding(
            id,
            Status::Fail,
            resource,
            format!("the stage's export carries another policy (deployed {}, current {}): the current one is not live", &h[..12], &current[..12]),
            redeploy,
        ),
        Err(e) => finding(id, Status::Warn, resource, format!("the stage's export carries a policy xapi cannot read: {e}"), redeploy),
    }
}

/// Checks whose evidence says who owns the chain, for the table's heading.
pub fn stack_of(s: &Snapshot) -> Option<String> {
    s.front.ok().and_then(|f| f.tags.get(STACK_TAG).cloned())
}
