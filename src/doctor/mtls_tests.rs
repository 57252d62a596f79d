//! Pattern 3's checks over hand-built snapshots in the shapes AWS returns:
//! connection states the emulator cannot produce, running tasks, unhealthy
//! targets, and secrets laid out right and wrong.

use std::collections::BTreeMap;

use super::mtls::{summarize_secret, CrlEvidence, MtlsEvidence, SecretEvidence, TasksEvidence};
use super::tests::{healthy, ok};
use super::*;
use crate::model::*;

const STACK: &str = "orders";
const PRODUCER: &str = "111111111111";
const CONSUMER: &str = "222222222222";
const SERVICE_NAME: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
const CONSUMER_VPCE: &str = "vpce-0c0c0c0c0c0c0c0c0";
const UPSTREAM_VPCE: &str = "vpce-0a0a0a0a0a0a0a0a0";
const PROXY_VPC: &str = "vpc-0b0b0b0b0b0b0b0b0";
const TASK_SG: &str = "sg-0d0d0d0d0d0d0d0d0";
const LB_ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/orders-nlb/50dc6c495c0c9188";
const TG_ARN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/orders-tg/73e2d6bc24d8a067";
const TD_ARN: &str = "arn:aws:ecs:us-east-1:111111111111:task-definition/orders-mtls-proxy:3";

fn endpoint(id: &str, vpc: &str, service: &str, owner: &str, dns: bool) -> Endpoint {
    Endpoint {
        id: id.into(),
        vpc_id: vpc.into(),
        service_name: service.into(),
        endpoint_type: "Interface".into(),
        state: "available".into(),
        private_dns_enabled: dns,
        subnet_ids: vec![],
        security_group_ids: vec!["sg-0e0e0e0e0e0e0e0e0".into()],
        network_interface_ids: vec![],
        dns_names: vec![],
        dns_entries: Vec::new(),
        ip_address_type: None,
        policy_document: None,
        owner_id: owner.into(),
        tags: BTreeMap::new(),
    }
}

fn evidence() -> MtlsEvidence {
    MtlsEvidence {
        stack: STACK.into(),
        service: ok(EndpointService {
            id: "vpce-svc-0123456789abcdef0".into(),
            service_name: SERVICE_NAME.into(),
            state: "available".into(),
            acceptance_required: true,
            load_balancer_arns: vec![LB_ARN.into()],
            tags: BTreeMap::from([(STACK_TAG.into(), STACK.into())]),
        }),
        principals: ok(vec![format!("arn:aws:iam::{CONSUMER}:root")]),
        connections: ok(vec![EndpointConnection {
            vpce_id: CONSUMER_VPCE.into(),
            owner: CONSUMER.into(),
            state: "available".into(),
        }]),
        consumer_endpoint: ok(endpoint(
            CONSUMER_VPCE,
            "vpc-0f0f0f0f0f0f0f0f0",
            SERVICE_NAME,
            CONSUMER,
            false,
        )),
        load_balancer: ok(LoadBalancer {
            security_groups: vec![],
            arn: LB_ARN.into(),
            name: "orders-nlb".into(),
            dns_name: "orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com".into(),
            scheme: "internal".into(),
            lb_type: "network".into(),
            state: "active".into(),
            vpc_id: PROXY_VPC.into(),
            subnet_ids: vec!["subnet-0aaaaaaaaaaaaaaaa".into()],
            availability_zones: vec!["us-east-1a".into()],
        }),
        cross_zone: ok(true),
        listeners: ok(vec![Listener {
            arn: format!("{LB_ARN}/f2f7dc8efc522ab2").replace(":loadbalancer/", ":listener/"),
            port: 443,
            protocol: "TCP".into(),
            forward_target_group_arns: vec![TG_ARN.into()],
        }]),
        target_group: ok(TargetGroup {
            arn: TG_ARN.into(),
            name: "orders-tg".into(),
            protocol: "TCP".into(),
            port: 443,
            target_type: "ip".into(),
            vpc_id: PROXY_VPC.into(),
            health_check: HealthCheck {
                protocol: "HTTP".into(),
                port: "8080".into(),
                path: Some("/health".into()),
                matcher: Some("200-399".into()),
            },
            load_balancer_arns: vec![LB_ARN.into()],
        }),
        targets: ok(vec![TargetHealth {
            target: Target {
                ip: "10.40.1.25".into(),
                port: 443,
                availability_zone: Some("us-east-1a".into()),
            },
            state: "healthy".into(),
            reason: None,
            description: None,
        }]),
        tasks: ok(TasksEvidence {
            service: "orders-mtls-proxy".into(),
            status: "ACTIVE".into(),
            desired: 2,
            running: 2,
            pending: 0,
            task_definition: TD_ARN.into(),
            subnet_ids: vec!["subnet-0aaaaaaaaaaaaaaaa".into()],
            security_group_ids: vec![TASK_SG.into()],
        }),
        latest_task_definition: ok(TD_ARN.into()),
        secret: ok(SecretEvidence {
            name: "xapi/mtls/orders".into(),
            fields: vec![
                "client_ca".into(),
                "server_cert".into(),
                "server_key".into(),
            ],
            missing: vec![],
            extra_private_keys: vec![],
            server_subject: Some("CN=proxy.orders.example".into()),
            server_not_after: Some(1_780_000_000 + 365 * 86_400),
            problems: vec![],
            crls: vec![
                CrlEvidence {
                    ca: "CN=Team Issuing".into(),
                    depth: 0,
                    found: true,
                    next_update: Some(1_780_000_000 + 365 * 86_400),
                },
                CrlEvidence {
                    ca: "CN=Corp Root".into(),
                    depth: 1,
                    found: true,
                    next_update: Some(1_780_000_000 + 30 * 86_400),
                },
            ],
        }),
        task_subnets: ok(vec![Subnet {
            id: "subnet-0aaaaaaaaaaaaaaaa".into(),
            vpc_id: PROXY_VPC.into(),
            availability_zone: "us-east-1a".into(),
            availability_zone_id: String::new(),
            cidr_block: "10.40.1.0/24".into(),
        }]),
        upstream_endpoint: ok(endpoint(
            UPSTREAM_VPCE,
            PROXY_VPC,
            "com.amazonaws.us-east-1.execute-api",
            PRODUCER,
            true,
        )),
        upstream_security_groups: ok(vec![SecurityGroup {
            id: "sg-0e0e0e0e0e0e0e0e0".into(),
            name: "endpoint".into(),
            vpc_id: PROXY_VPC.into(),
            egress: vec![],
            ingress: vec![IngressRule {
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                cidrs: vec![],
                ipv6_cidrs: vec![],
                source_groups: vec![TASK_SG.into()],
                prefix_lists: vec![],
            }],
            tags: BTreeMap::new(),
        }]),
    }
}

fn policy_admitting(vpce: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}},{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{{"StringNotEquals":{{"aws:SourceVpce":"{vpce}"}}}}}}]}}"#
    )
}

/// A healthy mTLS stack as real AWS describes it, with its private API.
pub(super) fn healthy_mtls() -> Snapshot {
    let mut s = healthy();
    s.producer_account = Some(PRODUCER.into());
    s.consumer_account = Some(CONSUMER.into());
    s.front = Read::not_asked("pattern 3 (--mtls)");
    if let Read::Ok { value } = &mut s.api {
        value.policy = Some(policy_admitting(UPSTREAM_VPCE));
    }
    s.mtls = ok(evidence());
    s
}

fn m(s: &mut Snapshot) -> &mut MtlsEvidence {
    match &mut s.mtls {
        Read::Ok { value } => value,
        _ => unreachable!("healthy_mtls has evidence"),
    }
}

/// Break exactly `id` (for the prerequisite-graph test).
pub(super) fn break_mtls(s: &mut Snapshot, id: &str) {
    let e = m(s);
    match id {
        "mtls.service" => {
            if let Read::Ok { value } = &mut e.service {
                value.acceptance_required = false;
            }
        }
        "mtls.principals" => e.principals = ok(vec![]),
        "mtls.nlb" => e.listeners = ok(vec![]),
        "mtls.cross-zone" => {
            e.cross_zone = ok(false);
            if let Read::Ok { value } = &mut e.load_balancer {
                value.availability_zones.push("us-east-1b".into());
            }
        }
        "mtls.tasks" => {
            if let Read::Ok { value } = &mut e.tasks {
                value.running = 0;
                value.pending = 2;
            }
        }
        "mtls.secret" => {
            if let Read::Ok { value } = &mut e.secret {
                value.extra_private_keys = vec!["ca_key".into()];
            }
        }
        "mtls.upstream-endpoint" => {
            if let Read::Ok { value } = &mut e.upstream_endpoint {
                value.private_dns_enabled = false;
            }
        }
        other => panic!("no breaker for {other}"),
    }
}

fn run(s: &Snapshot) -> Vec<Finding> {
    super::run(s)
}

fn only_failure(s: &Snapshot, check: &str) -> Finding {
    let findings = run(s);
    let failing: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    assert_eq!(
        failing.iter().map(|f| f.check.as_str()).collect::<Vec<_>>(),
        [check],
        "{findings:#?}"
    );
    failing[0].clone()
}

#[test]
fn a_healthy_stack_passes_every_check_in_request_path_order() {
    let findings = run(&healthy_mtls());
    for f in &findings {
        assert_eq!(f.status, Status::Pass, "{f:#?}");
    }
    assert_eq!(
        findings
            .iter()
            .map(|f| f.check.as_str())
            .collect::<Vec<_>>(),
        [
            "mtls.consumer-endpoint",
            "mtls.service",
            "mtls.principals",
            "mtls.nlb",
            "mtls.cross-zone",
            "mtls.targets",
            "mtls.tasks",
            "mtls.secret",
            "mtls.upstream-endpoint",
            "mtls.api-policy",
        ]
    );
    let json = serde_json::to_string(&healthy_mtls()).unwrap();
    assert_eq!(
        serde_json::from_str::<Snapshot>(&json).unwrap(),
        healthy_mtls()
    );
}

#[test]
fn consumer_connection_states() {
    let set = |state: &str| {
        let mut s = healthy_mtls();
        if let Read::Ok { value } = &mut m(&mut s).connections {
            value[0].state = state.into();
        }
        s
    };
    let f = only_failure(&set("pendingAcceptance"), "mtls.consumer-endpoint");
    assert_eq!(f.fix.as_deref(), Some("xapi mtls accept --name orders"));
    let f = only_failure(&set("rejected"), "mtls.consumer-endpoint");
    assert!(f.fix.unwrap().contains(&format!(
        "xapi mtls allow --name orders --account {CONSUMER}"
    )));
    assert_eq!(
        run(&set("pending"))
            .iter()
            .find(|f| f.check == "mtls.consumer-endpoint")
            .unwrap()
            .status,
        Status::Warn
    );
    // The consumer's endpoint to some other service.
    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).consumer_endpoint {
        value.service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0ffffffffffffffff".into();
    }
    only_failure(&s, "mtls.consumer-endpoint");
    // Without --vpce: skipped, saying why; nothing else changes.
    let mut s = healthy_mtls();
    m(&mut s).consumer_endpoint = Read::not_asked("no consumer endpoint given (--vpce)");
    let f = run(&s);
    assert_eq!(f[0].status, Status::Skip);
    assert!(f[0].message.contains("--vpce"));
    assert!(f.iter().all(|f| f.status != Status::Fail));
}

#[test]
fn service_and_principal_faults() {
    let mut s = healthy_mtls();
    m(&mut s).service = Read::Failed {
        kind: FailKind::NotFound,
        error: "no endpoint service carries xapi:stack=orders".into(),
        needs: "x".into(),
        required: false,
    };
    let f = only_failure(&s, "mtls.service");
    assert!(f.message.contains("does not exist"));
    let blocked: Vec<String> = run(&s)
        .into_iter()
        .filter(|f| f.blocked_by.as_deref() == Some("mtls.service"))
        .map(|f| f.check)
        .collect();
    assert_eq!(blocked, ["mtls.principals"]);

    let mut s = healthy_mtls();
    m(&mut s).principals = ok(vec!["*".into()]);
    assert!(only_failure(&s, "mtls.principals").message.contains('*'));

    let mut s = healthy_mtls();
    m(&mut s).principals = ok(vec!["arn:aws:iam::333333333333:root".into()]);
    let f = only_failure(&s, "mtls.principals");
    assert_eq!(
        f.fix.as_deref(),
        Some(format!("xapi mtls allow --name orders --account {CONSUMER}").as_str())
    );
    // The connection check stands on the principals: blocked, not a wrong "accept".
    let f = run(&s);
    assert_eq!(f[0].blocked_by.as_deref(), Some("mtls.principals"));
}

#[test]
fn nlb_target_and_task_faults() {
    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).load_balancer {
        value.scheme = "internet-facing".into();
    }
    only_failure(&s, "mtls.nlb");

    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).targets {
        value[0].state = "unhealthy".into();
        value[0].description = Some("Health checks failed".into());
    }
    assert!(only_failure(&s, "mtls.targets")
        .message
        .contains("Health checks failed"));
    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).target_group {
        value.health_check.path = Some("/".into());
    }
    only_failure(&s, "mtls.targets");

    let mut s = healthy_mtls();
    m(&mut s).latest_task_definition = ok(TD_ARN.replace(":3", ":4"));
    assert!(only_failure(&s, "mtls.tasks").message.contains(":4"));
    let mut s = healthy_mtls();
    m(&mut s).tasks = Read::Failed {
        kind: FailKind::Denied,
        error: "AccessDeniedException".into(),
        needs: "ecs:DescribeServices in the producer account".into(),
        required: false,
    };
    let f = run(&s);
    let t = f.iter().find(|f| f.check == "mtls.tasks").unwrap();
    assert_eq!(t.status, Status::Skip);
    assert!(t.message.contains("ecs:DescribeServices"), "{}", t.message);
    assert!(f.iter().all(|f| f.status != Status::Fail), "{f:#?}");
}

#[test]
fn secret_faults_and_expiry() {
    let mut s = healthy_mtls();
    m(&mut s).secret = Read::Failed {
        kind: FailKind::NotFound,
        error: "ResourceNotFoundException".into(),
        needs: "x".into(),
        required: false,
    };
    only_failure(&s, "mtls.secret");
    let f = run(&s);
    assert_eq!(
        f.iter()
            .find(|f| f.check == "mtls.tasks")
            .unwrap()
            .blocked_by
            .as_deref(),
        Some("mtls.secret")
    );

    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).secret {
        value.missing = vec!["client_ca".into()];
    }
    assert!(only_failure(&s, "mtls.secret")
        .message
        .contains("client_ca"));

    let expiring = |days: i64| {
        let mut s = healthy_mtls();
        if let Read::Ok { value } = &mut m(&mut s).secret {
            value.server_not_after = Some(1_780_000_000 + days * 86_400);
        }
        run(&s)
            .into_iter()
            .find(|f| f.check == "mtls.secret")
            .unwrap()
    };
    assert_eq!(expiring(31).status, Status::Pass);
    assert_eq!(expiring(29).status, Status::Warn);
    assert_eq!(expiring(0).status, Status::Fail);
    assert_eq!(expiring(-3).status, Status::Fail);

    // The chain's CRLs: 14 days ahead a warning naming the CA and the
    // refresh, from their next update on (or without one) a failure.
    let crl = |edit: &dyn Fn(&mut CrlEvidence)| {
        let mut s = healthy_mtls();
        if let Read::Ok { value } = &mut m(&mut s).secret {
            edit(&mut value.crls[1]);
        }
        run(&s)
            .into_iter()
            .find(|f| f.check == "mtls.secret")
            .unwrap()
    };
    let at =
        |days: i64| move |c: &mut CrlEvidence| c.next_update = Some(1_780_000_000 + days * 86_400);
    assert_eq!(crl(&at(15)).status, Status::Pass);
    let soon = crl(&at(13));
    assert_eq!(soon.status, Status::Warn);
    assert!(
        soon.message.contains("CN=Corp Root") && soon.message.contains("13 days"),
        "{}",
        soon.message
    );
    assert!(soon.fix.as_deref().unwrap().contains("--refresh-chain-crl"));
    let lapsed = crl(&at(0));
    assert_eq!(lapsed.status, Status::Fail);
    assert!(lapsed.message.contains("lapsed"), "{}", lapsed.message);
    assert_eq!(crl(&at(-1)).status, Status::Fail);
    let missing = crl(&|c| {
        c.found = false;
        c.next_update = None;
    });
    assert_eq!(missing.status, Status::Fail);
    assert!(
        missing.message.contains("no CRL signed by CN=Corp Root"),
        "{}",
        missing.message
    );
    // A lapsed CRL outranks an expiring server certificate.
    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).secret {
        value.server_not_after = Some(1_780_000_000 + 5 * 86_400);
        value.crls[0].next_update = Some(1_780_000_000 - 1);
    }
    let f = run(&s)
        .into_iter()
        .find(|f| f.check == "mtls.secret")
        .unwrap();
    assert_eq!(f.status, Status::Fail);
    assert!(f.message.contains("CN=Team Issuing"), "{}", f.message);
}

#[test]
fn the_secret_is_reduced_to_facts_without_key_material() {
    let dir = tempfile::tempdir().unwrap();
    crate::mtls::write_certs(
        dir.path(),
        &crate::mtls::CertRequest {
            server_name: "proxy.orders.example".into(),
            clients: vec![],
            days: 10,
            ca: None,
            chain_crls: None,
            rotate_ca: false,
        },
        false,
    )
    .unwrap();
    let payload = crate::mtls::secret_payload(dir.path()).unwrap();
    let ev = summarize_secret("xapi/mtls/orders", &payload);
    assert!(
        ev.missing.is_empty() && ev.extra_private_keys.is_empty() && ev.problems.is_empty(),
        "{ev:#?}"
    );
    assert!(ev
        .server_subject
        .as_deref()
        .unwrap()
        .contains("proxy.orders.example"));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let left = ev.server_not_after.unwrap() - now;
    assert!((9 * 86_400..=11 * 86_400).contains(&left), "{left}");
    let serialised = serde_json::to_string(&ev).unwrap();
    assert!(!serialised.contains("PRIVATE KEY"), "{serialised}");
    // A generated CA: one CA in the chain, covered by its own CRL until it expires.
    assert_eq!(ev.crls.len(), 1, "{ev:#?}");
    assert!(ev.crls[0].found && ev.crls[0].ca.starts_with("CN=xapi mTLS CA "));
    assert_eq!(ev.crls[0].next_update, ev.server_not_after);
    // The CRL field emptied of CRLs: every CA is missing one.
    let mut v: serde_json::Value = serde_json::from_str(&payload).unwrap();
    v["crl"] = "".into();
    assert!(summarize_secret("s", &v.to_string()).crls.is_empty());

    // The CA's key, in its own field or appended to the server's.
    let ca_key = std::fs::read_to_string(dir.path().join(crate::mtls::CA_KEY_FILE)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&payload).unwrap();
    v["ca_key"] = ca_key.clone().into();
    let ev = summarize_secret("s", &v.to_string());
    assert_eq!(ev.extra_private_keys, ["ca_key"]);
    let mut v: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let both = format!("{}\n{ca_key}", v["server_key"].as_str().unwrap());
    v["server_key"] = both.into();
    assert_eq!(
        summarize_secret("s", &v.to_string()).extra_private_keys,
        ["server_key"]
    );

    // A key where the client CA should be; not JSON at all.
    let mut v: serde_json::Value = serde_json::from_str(&payload).unwrap();
    v["client_ca"] = ca_key.into();
    let ev = summarize_secret("s", &v.to_string());
    assert_eq!(ev.missing, ["client_ca"]);
    assert_eq!(ev.extra_private_keys, ["client_ca"]);
    assert!(!summarize_secret("s", "-----BEGIN CERTIFICATE-----")
        .problems
        .is_empty());
}

#[test]
fn upstream_endpoint_and_api_policy_faults() {
    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).upstream_endpoint {
        value.private_dns_enabled = false;
    }
    let f = only_failure(&s, "mtls.upstream-endpoint");
    assert!(f.fix.unwrap().contains("--private-dns-enabled"));

    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut m(&mut s).upstream_security_groups {
        value[0].ingress[0].source_groups = vec!["sg-0123401234012340a".into()];
    }
    let f = only_failure(&s, "mtls.upstream-endpoint");
    assert!(f
        .fix
        .unwrap()
        .contains(&format!("--source-group {TASK_SG}")));
    // The tasks' subnets admitted by address instead: fine.
    if let Read::Ok { value } = &mut m(&mut s).upstream_security_groups {
        value[0].ingress[0].cidrs = vec!["10.40.0.0/16".into()];
    }
    assert!(run(&s).iter().all(|f| f.status == Status::Pass));

    let mut s = healthy_mtls();
    m(&mut s).upstream_endpoint = Read::Failed {
        kind: FailKind::NotFound,
        error: "no execute-api endpoint in vpc-0b0b0b0b0b0b0b0b0".into(),
        needs: "x".into(),
        required: false,
    };
    only_failure(&s, "mtls.upstream-endpoint");

    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut s.api {
        value.policy = Some(policy_admitting("vpce-0999999999999999f"));
    }
    let f = only_failure(&s, "mtls.api-policy");
    assert_eq!(
        f.fix.as_deref(),
        Some(format!("xapi grant-vpce --api-id a1b2c3d4e5 --vpce {UPSTREAM_VPCE}").as_str())
    );
    // No --api-id: a skip that says what to pass.
    let mut s = healthy_mtls();
    s.api = Read::not_asked("no private API given (--api-id)");
    let f = run(&s);
    let a = f.iter().find(|f| f.check == "mtls.api-policy").unwrap();
    assert_eq!(a.status, Status::Skip);
    assert!(a.message.contains("--api-id"));
}

/// A read the command line asked for keeps its failure even when a
/// prerequisite of its check could not be evaluated either: the consumer's
/// endpoint (`--vpce`) refused, and the principals unreadable, which would
/// otherwise skip `mtls.consumer-endpoint` as blocked.
#[test]
fn a_named_read_that_failed_is_not_hidden_behind_a_skipped_prerequisite() {
    let refused = |needs: &str| Read::<Endpoint>::Failed {
        kind: FailKind::Denied,
        error: "UnauthorizedOperation".into(),
        needs: needs.into(),
        required: false,
    };
    let mut s = healthy_mtls();
    m(&mut s).principals = Read::Failed {
        kind: FailKind::Denied,
        error: "UnauthorizedOperation".into(),
        needs: "ec2:DescribeVpcEndpointServicePermissions".into(),
        required: false,
    };
    m(&mut s).consumer_endpoint = refused("ec2:DescribeVpcEndpoints").required();
    let f = only_failure(&s, "mtls.consumer-endpoint");
    assert_eq!(f.blocked_by, None);
    assert!(f.message.contains("UnauthorizedOperation"), "{f:#?}");
    // Not named: blocked as before.
    m(&mut s).consumer_endpoint = refused("ec2:DescribeVpcEndpoints");
    let all = run(&s);
    let c = all
        .iter()
        .find(|f| f.check == "mtls.consumer-endpoint")
        .unwrap();
    assert_eq!(c.status, Status::Skip);
    assert!(all.iter().all(|f| f.status != Status::Fail), "{all:#?}");
}

/// The stack's own resources are what `--mtls NAME` names: each refused read fails its check.
#[test]
fn each_of_the_stacks_resources_refused_fails_its_check() {
    type Break = fn(&mut MtlsEvidence);
    let cases: [(&str, Break); 5] = [
        ("mtls.service", |e| e.service = refused()),
        ("mtls.nlb", |e| e.load_balancer = refused()),
        ("mtls.targets", |e| e.target_group = refused()),
        ("mtls.tasks", |e| e.tasks = refused()),
        ("mtls.secret", |e| e.secret = refused()),
    ];
    for (check, break_it) in cases {
        let mut s = healthy_mtls();
        break_it(m(&mut s));
        let findings = run(&s);
        let f = findings.iter().find(|f| f.check == check).unwrap();
        assert_eq!(f.status, Status::Fail, "{check}: {findings:#?}");
        assert!(f.message.contains("could not be read"), "{f:#?}");
    }
}

/// A read the command line named, refused by IAM.
fn refused<T>() -> Read<T> {
    Read::<T>::Failed {
        kind: FailKind::Denied,
        error: "AccessDeniedException".into(),
        needs: "access".into(),
        required: false,
    }
    .required()
}

/// mtls.api-policy: an answer past the evaluation budget warns "approximated".
#[test]
fn an_approximated_api_policy_is_a_warning_not_a_pass() {
    let mut s = healthy_mtls();
    if let Read::Ok { value } = &mut s.api {
        value.policy = Some(super::tests::over_budget_policy(UPSTREAM_VPCE));
    }
    let f = super::run(&s)
        .into_iter()
        .find(|f| f.check == "mtls.api-policy")
        .unwrap();
    assert_eq!(f.status, Status::Warn, "{f:?}");
    assert!(f.message.contains("approximated"), "{}", f.message);
    assert!(f.message.contains(UPSTREAM_VPCE), "{}", f.message);
}

#[test]
fn a_proxy_nlb_without_cross_zone_fails_for_the_zone_with_no_task() {
    let mut s = healthy_mtls();
    break_mtls(&mut s, "mtls.cross-zone");
    let f = only_failure(&s, "mtls.cross-zone");
    assert!(
        f.message.contains("us-east-1b has no registered target"),
        "{}",
        f.message
    );
    assert!(
        f.fix.unwrap().contains("xapi mtls deploy --name orders"),
        "the fix re-runs the deploy of this stack"
    );
}
