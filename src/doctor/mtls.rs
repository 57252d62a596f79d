//! Pattern 3 (`xapi doctor --mtls NAME`): the evidence about an mTLS stack and
//! its checks, in request-path order: the consumer's endpoint, the endpoint
//! service and who it admits, the NLB and its targets, the proxy tasks and
//! their certificates, and the way from the proxy to the private API.

use serde::{Deserialize, Serialize};

use super::checks::{finding, unread};
use super::{CheckId, Finding, Read, Snapshot, Status};
use crate::cidr;
use crate::model::HTTPS_PORT;
use crate::model::{
    Endpoint, EndpointConnection, EndpointService, Listener, LoadBalancer, SecurityGroup, Subnet,
    TargetGroup, TargetHealth,
};
use crate::plan::{mtls_deploy, nlb};
use crate::policy::{self, ApiRef, PolicyDocument};

/// Warn this long before the server certificate expires.
const EXPIRY_WARNING_SECONDS: i64 = 30 * 24 * 3600;

/// An ECS service as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TasksEvidence {
    pub service: String,
    pub status: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub task_definition: String,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// What the certificate secret holds, never its values: a snapshot is a file
/// people pass around, so no key material may reach it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SecretEvidence {
    pub name: String,
    /// The secret's JSON keys.
    pub fields: Vec<String>,
    /// Expected fields that are absent or do not hold the right kind of PEM.
    pub missing: Vec<String>,
    /// Fields holding a private key other than the server's own (a CA key, say).
    pub extra_private_keys: Vec<String>,
    /// The server certificate's subject and end of validity (Unix seconds).
    pub server_subject: Option<String>,
    pub server_not_after: Option<i64>,
    /// Why the server certificate or the JSON could not be read.
    pub problems: Vec<String>,
    /// Each CA of the client CA chain (issuing CA first) and its CRL.
    #[serde(default)]
    pub crls: Vec<CrlEvidence>,
}

/// One CA of the deployed trust chain and the CRL NGINX would use for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CrlEvidence {
    /// The CA's subject DN.
    pub ca: String,
    /// 0 for the issuing CA, then each CA above it.
    pub depth: usize,
    /// Whether the secret's CRL field holds a CRL signed by this CA.
    pub found: bool,
    /// That CRL's next update (Unix seconds); `None` without one.
    pub next_update: Option<i64>,
}

/// Everything `--mtls` read about one stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct MtlsEvidence {
    pub stack: String,
    pub service: Read<EndpointService>,
    pub principals: Read<Vec<String>>,
    pub connections: Read<Vec<EndpointConnection>>,
    /// The consumer's interface endpoint to the service (`--vpce`, consumer credentials).
    pub consumer_endpoint: Read<Endpoint>,
    pub load_balancer: Read<LoadBalancer>,
    pub listeners: Read<Vec<Listener>>,
    /// Whether the load balancer spreads each zone's traffic over every zone's targets.
    #[serde(default)]
    pub cross_zone: Read<bool>,
    pub target_group: Read<TargetGroup>,
    pub targets: Read<Vec<TargetHealth>>,
    pub tasks: Read<TasksEvidence>,
    /// ARN of the stack's newest task definition revision.
    pub latest_task_definition: Read<String>,
    pub secret: Read<SecretEvidence>,
    pub task_subnets: Read<Vec<Subnet>>,
    /// The execute-api endpoint in the proxy's VPC and its security groups.
    pub upstream_endpoint: Read<Endpoint>,
    pub upstream_security_groups: Read<Vec<SecurityGroup>>,
}

fn pem_blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = after[..label_end].to_owned();
        let end_marker = format!("-----END {label}-----");
        let Some(end) = after.find(&end_marker) else {
            break;
        };
        let block_end = start + 11 + end + end_marker.len();
        out.push((label, rest[start..block_end].to_owned()));
        rest = &rest[block_end..];
    }
    out
}

/// Reduce the secret's value to facts, as `mtls deploy` lays it out.
pub fn summarize_secret(name: &str, value: &str) -> SecretEvidence {
    let mut ev = SecretEvidence {
        name: name.to_owned(),
        ..SecretEvidence::default()
    };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(value)
    else {
        ev.problems
            .push("the value is not the JSON object `mtls deploy` writes".into());
        return ev;
    };
    ev.fields = map.keys().cloned().collect();
    let text = |key: &str| map.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    let key_of = |file: &str| {
        crate::mtls::SECRET_FIELDS
            .iter()
            .find(|f| f.file == file)
            .map_or("", |f| f.json_key)
    };
    let (server_cert, server_key) = (
        key_of(crate::mtls::SERVER_CERT_FILE),
        key_of(crate::mtls::SERVER_KEY_FILE),
    );
    for f in &crate::mtls::SECRET_FIELDS {
        let blocks = pem_blocks(text(f.json_key));
        let ok = if f.file == crate::mtls::ISSUER_PIN_FILE {
            // NGINX configuration, not PEM: the issuer check the proxy includes.
            !text(f.json_key).trim().is_empty()
        } else {
            blocks.first().is_some_and(|(label, _)| {
                if f.json_key == server_key {
                    label.ends_with("PRIVATE KEY")
                } else if f.file == crate::mtls::CRL_FILE {
                    label == "X509 CRL"
                } else {
                    label == "CERTIFICATE"
                }
            })
        };
        if !ok {
            ev.missing.push(f.json_key.to_owned());
        }
    }
    for (key, v) in &map {
        let keys = pem_blocks(v.as_str().unwrap_or_default())
            .into_iter()
            .filter(|(label, _)| label.ends_with("PRIVATE KEY"))
            .count();
        let own = usize::from(key == server_key);
        if keys > own {
            ev.extra_private_keys.push(key.clone());
        }
    }
    let (ca, crl) = (
        text(key_of(crate::mtls::CA_CERT_FILE)),
        text(key_of(crate::mtls::CRL_FILE)),
    );
    if !ca.is_empty() && !crl.is_empty() {
        match crate::mtls::crl_coverage(ca, crl, time::OffsetDateTime::now_utc()) {
            Ok(coverage) => {
                ev.crls = coverage
                    .into_iter()
                    .map(|c| CrlEvidence {
                        found: c.state != crate::mtls::CrlState::Missing,
                        ca: c.ca,
                        depth: c.depth,
                        next_update: c.next_update_unix,
                    })
                    .collect();
            }
            Err(e) => ev
                .problems
                .push(format!("the client CA and CRL do not parse: {e}")),
        }
    }
    if let Some((_, pem)) = pem_blocks(text(server_cert)).first() {
        match x509_parser::pem::parse_x509_pem(pem.as_bytes()) {
            Ok((_, p)) => match p.parse_x509() {
                Ok(cert) => {
                    ev.server_subject = Some(cert.subject().to_string());
                    ev.server_not_after = Some(cert.validity().not_after.timestamp());
                }
                Err(e) => ev
                    .problems
                    .push(format!("{server_cert} does not parse: {e}")),
            },
            Err(e) => ev.problems.push(format!("{server_cert} is not PEM: {e}")),
        }
    }
    ev
}

/// The account in a principal ARN (`arn:aws:iam::<account>:...`).
fn principal_account(principal: &str) -> Option<&str> {
    principal.split(':').nth(4).filter(|a| a.len() == 12)
}

fn consumer_owner(m: &MtlsEvidence) -> Option<String> {
    m.consumer_endpoint.ok().map(|e| e.owner_id.clone())
}

pub(super) fn consumer_endpoint(id: CheckId, m: &MtlsEvidence) -> Finding {
    let Some(e) = m.consumer_endpoint.ok() else {
        return unread(id, "consumer endpoint", &m.consumer_endpoint, true);
    };
    if let Some(svc) = m.service.ok() {
        if e.service_name != svc.service_name {
            return finding(
                id,
                Status::Fail,
                &e.id,
                format!(
                    "connects to {}, not to the stack's service {}",
                    e.service_name, svc.service_name
                ),
                Some(format!(
                    "xapi endpoint create --service-name {} --vpc-id {} --subnet-id ...",
                    svc.service_name, e.vpc_id
                )),
            );
        }
    }
    // The producer's view of the connection is authoritative; the consumer's
    // endpoint reports the same states.
    let state = m
        .connections
        .ok()
        .and_then(|cs| cs.iter().find(|c| c.vpce_id == e.id))
        .map(|c| c.state.clone())
        .unwrap_or_else(|| e.state.clone());
    match state.to_ascii_lowercase().as_str() {
        "available" => finding(id, Status::Pass, &e.id, format!("connected to {}: available", e.service_name), None),
        "pendingacceptance" => finding(
            id,
            Status::Fail,
            &e.id,
            format!("waits for the producer to accept it (pendingAcceptance), from account {}", e.owner_id),
            Some(format!("xapi mtls accept --name {}", m.stack)),
        ),
        "pending" => finding(id, Status::Warn, &e.id, "accepted, still being set up (pending)", None),
        "rejected" => finding(
            id,
            Status::Fail,
            &e.id,
            format!("rejected by the producer (account {})", e.owner_id),
            Some(format!(
                "xapi mtls allow --name {} --account {}, then delete {} and create it again with xapi endpoint create --service-name {}",
                m.stack, e.owner_id, e.id, e.service_name
            )),
        ),
        other => finding(id, Status::Fail, &e.id, format!("state {other}"), None),
    }
}

pub(super) fn service(id: CheckId, m: &MtlsEvidence) -> Finding {
    let Some(svc) = m.service.ok() else {
        return unread(
            id,
            &format!("endpoint service of stack {}", m.stack),
            &m.service,
            true,
        );
    };
    let mut problems = Vec::new();
    if !svc.state.eq_ignore_ascii_case("available") {
        problems.push(format!("state {}", svc.state));
    }
    if !svc.acceptance_required {
        problems.push("accepts every allowed consumer's endpoint without review".to_owned());
    }
    if let Some(lb) = m.load_balancer.ok() {
        if !svc.load_balancer_arns.contains(&lb.arn) {
            problems.push(format!("is not on the stack's load balancer {}", lb.name));
        }
    }
    if problems.is_empty() {
        finding(
            id,
            Status::Pass,
            &svc.id,
            format!("{} available, acceptance required", svc.service_name),
            None,
        )
    } else {
        let fix = (!svc.acceptance_required).then(|| {
            format!(
                "aws ec2 modify-vpc-endpoint-service-configuration --service-id {} --acceptance-required",
                svc.id
            )
        });
        finding(id, Status::Fail, &svc.id, problems.join("; "), fix)
    }
}

pub(super) fn principals(id: CheckId, m: &MtlsEvidence) -> Finding {
    let Some(svc) = m.service.ok() else {
        return unread(id, "endpoint service", &m.service, false);
    };
    let Some(ps) = m.principals.ok() else {
        return unread(id, &svc.id, &m.principals, false);
    };
    if ps.iter().any(|p| p == "*") {
        return finding(
            id,
            Status::Fail,
            &svc.id,
            "the wildcard principal `*` lets every AWS account request a connection",
            Some(format!(
                "aws ec2 modify-vpc-endpoint-service-permissions --service-id {} --remove-allowed-principals '*'",
                svc.id
            )),
        );
    }
    match consumer_owner(m) {
        Some(owner)
            if !ps
                .iter()
                .any(|p| principal_account(p) == Some(owner.as_str())) =>
        {
            finding(
                id,
                Status::Fail,
                &svc.id,
                format!(
                    "the consumer's account {owner} is not an allowed principal (allowed: {})",
                    if ps.is_empty() {
                        "none".to_owned()
                    } else {
                        ps.join(", ")
                    }
                ),
                Some(format!(
                    "xapi mtls allow --name {} --account {owner}",
                    m.stack
                )),
            )
        }
        Some(owner) => finding(
            id,
            Status::Pass,
            &svc.id,
            format!("the consumer's account {owner} is allowed; no wildcard"),
            None,
        ),
        None if ps.is_empty() => finding(
            id,
            Status::Warn,
            &svc.id,
            "no account is allowed yet: no consumer can connect",
            Some(format!(
                "xapi mtls allow --name {} --account ACCOUNT",
                m.stack
            )),
        ),
        None => finding(
            id,
            Status::Pass,
            &svc.id,
            format!("allowed: {}; no wildcard", ps.join(", ")),
            None,
        ),
    }
}

pub(super) fn nlb(id: CheckId, m: &MtlsEvidence) -> Finding {
    let Some(lb) = m.load_balancer.ok() else {
        return unread(id, "load balancer", &m.load_balancer, true);
    };
    let Some(listeners) = m.listeners.ok() else {
        return unread(id, &lb.name, &m.listeners, false);
    };
    let mut problems = Vec::new();
    if lb.scheme != "internal" {
        problems.push(format!("scheme {} (want internal)", lb.scheme));
    }
    if !lb.lb_type.eq_ignore_ascii_case("network") {
        problems.push(format!("type {} (want network)", lb.lb_type));
    }
    match listeners.iter().find(|l| l.port == HTTPS_PORT) {
        None => problems.push(format!("no listener on port {HTTPS_PORT}")),
        Some(l) => {
            if l.protocol != "TCP" {
                problems.push(format!(
                    "the {HTTPS_PORT} listener is {} (want TCP: NGINX terminates TLS)",
                    l.protocol
                ));
            }
            if let Some(tg) = m.target_group.ok() {
                if !l.forward_target_group_arns.contains(&tg.arn) {
                    problems.push(format!(
                        "the {HTTPS_PORT} listener forwards to {}, not {}",
                        l.forward_target_group_arns.join(", "),
                        tg.name
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        finding(
            id,
            Status::Pass,
            &lb.name,
            format!("internal network load balancer, TCP {HTTPS_PORT} to the stack's target group"),
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &lb.name,
            problems.join("; "),
            Some(format!("xapi mtls deploy --name {} ... (the same arguments as before) puts the listener back", m.stack)),
        )
    }
}

pub(super) fn targets(id: CheckId, m: &MtlsEvidence) -> Finding {
    let Some(tg) = m.target_group.ok() else {
        return unread(id, "target group", &m.target_group, true);
    };
    let (hc, want) = (&tg.health_check, mtls_deploy::health_check());
    if !nlb::health_matches(hc, &want) {
        return finding(
            id,
            Status::Fail,
            &tg.name,
            format!(
                "health check {} (the proxy answers {})",
                nlb::describe(hc),
                nlb::describe(&want)
            ),
            Some(nlb::set_health_command(&tg.arn, &want)),
        );
    }
    let Some(ts) = m.targets.ok() else {
        return unread(id, &tg.name, &m.targets, false);
    };
    let healthy = ts.iter().filter(|t| t.state == "healthy").count();
    let others: Vec<String> = ts
        .iter()
        .filter(|t| t.state != "healthy")
        .map(|t| {
            format!(
                "{}:{} {}{}",
                t.target.ip,
                t.target.port,
                t.state,
                t.description
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    if healthy == 0 {
        finding(
            id,
            Status::Fail,
            &tg.name,
            if ts.is_empty() {
                "no targets registered: no proxy task is running behind the NLB".to_owned()
            } else {
                format!("no healthy target: {}", others.join("; "))
            },
            Some(format!(
                "xapi mtls show --name {}, then check the tasks' logs",
                m.stack
            )),
        )
    } else if !others.is_empty() {
        finding(
            id,
            Status::Warn,
            &tg.name,
            format!("{healthy} healthy; {}", others.join("; ")),
            None,
        )
    } else {
        finding(
            id,
            Status::Pass,
            &tg.name,
            format!(
                "{healthy} healthy target(s), health check {}",
                nlb::describe(&want)
            ),
            None,
        )
    }
}

pub(super) fn tasks(id: CheckId, m: &MtlsEvidence) -> Finding {
    let Some(t) = m.tasks.ok() else {
        return unread(id, "ECS service", &m.tasks, true);
    };
    let mut problems = Vec::new();
    if !t.status.eq_ignore_ascii_case("ACTIVE") {
        problems.push(format!("status {}", t.status));
    }
    if t.desired == 0 {
        problems.push("desired count 0: no proxy runs".to_owned());
    } else if t.running < t.desired {
        problems.push(format!(
            "{} running of {} desired ({} pending)",
            t.running, t.desired, t.pending
        ));
    }
    if let Some(latest) = m.latest_task_definition.ok() {
        if *latest != t.task_definition {
            problems.push(format!(
                "runs {}, not the stack's latest {latest}",
                t.task_definition
            ));
        }
    }
    if problems.is_empty() {
        finding(
            id,
            Status::Pass,
            &t.service,
            format!(
                "{} of {} running {}",
                t.running, t.desired, t.task_definition
            ),
            None,
        )
    } else {
        finding(
            id,
            Status::Fail,
            &t.service,
            problems.join("; "),
            Some(format!("xapi mtls deploy --name {} ... (the same arguments), then xapi mtls show --name {}", m.stack, m.stack)),
        )
    }
}

pub(super) fn secret(id: CheckId, s: &Snapshot, m: &MtlsEvidence) -> Finding {
    let Some(sec) = m.secret.ok() else {
        return unread(
            id,
            &format!("secret xapi/mtls/{}", m.stack),
            &m.secret,
            true,
        );
    };
    let redeploy = format!(
        "xapi mtls deploy --name {} --certs DIR ... (the directory `xapi mtls certs` wrote)",
        m.stack
    );
    let mut problems = sec.problems.clone();
    if !sec.missing.is_empty() {
        problems.push(format!(
            "missing or not PEM of the right kind: {}",
            sec.missing.join(", ")
        ));
    }
    if !sec.extra_private_keys.is_empty() {
        problems.push(format!(
            "holds a private key besides the server's (in {}): a CA key must never leave the machine that signs certificates",
            sec.extra_private_keys.join(", ")
        ));
    }
    if !problems.is_empty() {
        return finding(
            id,
            Status::Fail,
            &sec.name,
            problems.join("; "),
            Some(redeploy),
        );
    }
    let renew_server =
        format!("xapi mtls certs --out DIR --server-name NAME --force, then {redeploy}");
    let mut fails: Vec<(String, String)> = Vec::new();
    let mut warns: Vec<(String, String)> = Vec::new();
    match (sec.server_not_after, s.taken_at) {
        (Some(end), Some(now)) if end <= now => fails.push((
            format!("the server certificate expired at {end} (Unix time): every handshake fails"),
            renew_server,
        )),
        (Some(end), Some(now)) if end - now <= EXPIRY_WARNING_SECONDS => warns.push((
            format!(
                "the server certificate expires in {} days",
                (end - now) / 86_400
            ),
            renew_server,
        )),
        _ => {}
    }
    // The CRLs pin the chain, so NGINX refuses every client once the CRL of
    // any CA in it is missing or past its next update.
    let warn_secs = crate::mtls::CRL_WARNING.whole_seconds();
    for c in &sec.crls {
        let ca = &c.ca;
        let fix = if c.depth == 0 {
            format!("re-issue the issuing CA's CRL (`xapi mtls certs --out DIR ... --force` or `xapi mtls revoke-client --certs DIR ...`), then {redeploy}")
        } else {
            format!("get the current CRL of {ca}, run `xapi mtls certs --out DIR --refresh-chain-crl FILE...`, then {redeploy}")
        };
        match (c.next_update, s.taken_at) {
            _ if !c.found => fails.push((
                format!("no CRL signed by {ca}: NGINX checks one for every CA in the chain and refuses every client"),
                fix,
            )),
            (Some(next), Some(now)) if next <= now => fails.push((
                format!("the CRL of {ca} lapsed at {next} (Unix time): NGINX refuses every client"),
                fix,
            )),
            (Some(next), Some(now)) if next - now <= warn_secs => warns.push((
                format!(
                    "the CRL of {ca} lapses in {} days (at {next}, Unix time), and then NGINX refuses every client",
                    (next - now) / 86_400
                ),
                fix,
            )),
            _ => {}
        }
    }
    for (status, list) in [(Status::Fail, &fails), (Status::Warn, &warns)] {
        if !list.is_empty() {
            let (messages, fixes): (Vec<&str>, Vec<&str>) =
                list.iter().map(|(m, f)| (m.as_str(), f.as_str())).unzip();
            let mut fixes = fixes;
            fixes.dedup();
            return finding(
                id,
                status,
                &sec.name,
                messages.join("; "),
                Some(fixes.join("; ")),
            );
        }
    }
    finding(
        id,
        Status::Pass,
        &sec.name,
        format!(
            "server certificate{}, key and client CA; no other private key; a current CRL for each of the {} CA(s) in the chain",
            sec.server_subject
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default(),
            sec.crls.len()
        ),
        None,
    )
}

pub(super) fn upstream_endpoint(id: CheckId, m: &MtlsEvidence) -> Finding {
    let Some(e) = m.upstream_endpoint.ok() else {
        return unread(
            id,
            "the proxy VPC's execute-api endpoint",
            &m.upstream_endpoint,
            true,
        );
    };
    let mut problems = Vec::new();
    if !e.is_available() {
        problems.push(format!("state {}", e.state));
    }
    if !e.private_dns_enabled {
        problems.push(format!(
            "private DNS is off: the proxy's https://{{api}}.execute-api... does not resolve to it (fix: aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled)",
            e.id
        ));
    }
    let groups = m.upstream_security_groups.ok();
    let tasks = m.tasks.ok();
    let subnets = m.task_subnets.ok();
    let sg_fix;
    match (groups, tasks) {
        (Some(groups), Some(t)) => {
            let rules: Vec<_> = groups
                .iter()
                .flat_map(|g| g.ingress.iter())
                .filter(|r| r.admits_tcp_443())
                .collect();
            let by_group = t
                .security_group_ids
                .iter()
                .any(|g| rules.iter().any(|r| r.source_groups.contains(g)));
            let cidrs: Vec<&str> = subnets
                .map(|v| v.iter().map(|s| s.cidr_block.as_str()).collect())
                .unwrap_or_default();
            let by_cidr = !cidrs.is_empty()
                && cidr::not_admitted_on_443(groups, cidrs.iter().copied()).is_empty();
            if !by_group && !by_cidr {
                problems.push(format!(
                    "its security groups admit TCP 443 neither from the tasks' groups ({}) nor their subnets ({}): the proxy's calls time out",
                    t.security_group_ids.join(", "),
                    cidrs.join(", ")
                ));
                sg_fix = Some(format!(
                    "aws ec2 authorize-security-group-ingress --group-id {} --protocol tcp --port 443 --source-group {}",
                    e.security_group_ids.first().map(String::as_str).unwrap_or("<endpoint group>"),
                    t.security_group_ids.first().map(String::as_str).unwrap_or("<tasks' group>")
                ));
            } else {
                sg_fix = None;
            }
        }
        (None, _) => return unread(id, &e.id, &m.upstream_security_groups, false),
        (_, None) => return unread(id, &e.id, &m.tasks, false),
    }
    if problems.is_empty() {
        finding(
            id,
            Status::Pass,
            &e.id,
            format!(
                "available in {}, private DNS on, TCP 443 admitted from the tasks",
                e.vpc_id
            ),
            None,
        )
    } else {
        let fix = sg_fix.or_else(|| {
            (!e.private_dns_enabled).then(|| {
                format!(
                    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled",
                    e.id
                )
            })
        });
        finding(id, Status::Fail, &e.id, problems.join("; "), fix)
    }
}

pub(super) fn api_policy(id: CheckId, s: &Snapshot, m: &MtlsEvidence) -> Finding {
    let Some(a) = s.api.ok() else {
        return unread(id, "private API", &s.api, true);
    };
    let Some(e) = m.upstream_endpoint.ok() else {
        return unread(id, &a.id, &m.upstream_endpoint, false);
    };
    let Some(account) = s.producer_account.clone() else {
        return finding(
            id,
            Status::Skip,
            &a.id,
            "the private API's account is unknown (sts:GetCallerIdentity)",
            None,
        );
    };
    let api = ApiRef {
        region: s.region.clone(),
        account,
        api_id: a.id.clone(),
    };
    let grant = Some(format!("xapi grant-vpce --api-id {} --vpce {}", a.id, e.id));
    let Some(raw) = a.policy.as_deref() else {
        return finding(
            id,
            Status::Fail,
            &a.id,
            format!(
                "{} has no resource policy, so it admits no one, {} included",
                a.id, e.id
            ),
            grant,
        );
    };
    let verdict = PolicyDocument::parse(raw)
        .and_then(|doc| policy::admission(&doc, &api, &e.id, Some(&e.vpc_id)));
    match verdict {
        Ok(adm) => super::checks::admission_verdict(
            id,
            &a.id,
            &e.id,
            &adm,
            format!("the policy admits the proxy's endpoint {}", e.id),
            format!(
                "the policy does not admit the proxy's endpoint {}: every proxied call gets 403",
                e.id
            ),
            grant,
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
