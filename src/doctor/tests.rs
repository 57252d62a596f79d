//! Every check over hand-built snapshots in the shapes real AWS returns, which
//! the emulator never produces: escaped policies, `/net/` NLB ARNs, several
//! DNS entries, connection ids, unhealthy and draining targets, FAILED and
//! PENDING links.

use std::collections::BTreeMap;

use super::checks::{deployed_hash, parse_private_uri};
use super::*;
use crate::model::*;
use crate::policy::{ApiRef, PolicyDocument};

const API: &str = "a1b2c3d4e5";
const VPCE: &str = "vpce-0123456789abcdef0";
const ACCOUNT: &str = "111111111111";

pub(super) fn ok<T>(value: T) -> Read<T> {
    Read::Ok { value }
}

fn api_ref() -> ApiRef {
    ApiRef {
        region: "us-east-1".into(),
        account: ACCOUNT.into(),
        api_id: API.into(),
    }
}

/// The policy as AWS returns it: minified, escaped, execute-api:/* expanded.
fn escaped_policy(vpces: &[&str]) -> String {
    let list = vpces
        .iter()
        .map(|v| format!("\\\"{v}\\\""))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "{{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"execute-api:Invoke\\\",\\\"Resource\\\":\\\"arn:aws:execute-api:us-east-1:{ACCOUNT}:{API}\\/*\\\"}},{{\\\"Effect\\\":\\\"Deny\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"execute-api:Invoke\\\",\\\"Resource\\\":\\\"arn:aws:execute-api:us-east-1:{ACCOUNT}:{API}\\/*\\\",\\\"Condition\\\":{{\\\"StringNotEquals\\\":{{\\\"aws:SourceVpce\\\":[{list}]}}}}}}]}}"
    )
}

fn marker_for(raw: &str) -> String {
    let hash = PolicyDocument::parse(raw)
        .unwrap()
        .canonical_sha256(&api_ref());
    format!("xapi policy-sha256={hash}")
}

fn integration(path: &str) -> Integration {
    let tail = if path == "/{proxy+}" { "{proxy}" } else { "" };
    Integration {
        integration_type: "HTTP_PROXY".into(),
        http_method: Some("ANY".into()),
        uri: Some(format!(
            "https://{API}.execute-api.us-east-1.amazonaws.com/prod/{tail}"
        )),
        connection_type: Some("VPC_LINK".into()),
        connection_id: Some("lnk1234567".into()),
        integration_target: None,
        request_parameters: BTreeMap::new(),
    }
}

pub(super) fn target(ip: &str, state: &str) -> TargetHealth {
    TargetHealth {
        target: Target {
            ip: ip.into(),
            port: 443,
            availability_zone: Some("us-east-1a".into()),
        },
        state: state.into(),
        reason: None,
        description: None,
    }
}

const LB_ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/front-nlb/50dc6c495c0c9188";
const TG_ARN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/front-tg/73e2d6bc24d8a067";

/// A healthy pattern-1 chain as real AWS describes it.
pub(super) fn healthy() -> Snapshot {
    let policy = escaped_policy(&[VPCE]);
    Snapshot {
        schema_version: SNAPSHOT_VERSION,
        region: "us-east-1".into(),
        dns_suffix: "amazonaws.com".into(),
        consumer_account: Some("222222222222".into()),
        producer_account: Some(ACCOUNT.into()),
        stage: None,
        front: ok(FrontEvidence {
            api_id: "front00001".into(),
            tags: BTreeMap::new(),
            integrations: BTreeMap::from([("/".into(), Some(integration("/"))), ("/{proxy+}".into(), Some(integration("/{proxy+}")))]),
            authorization: BTreeMap::from([("/".into(), "AWS_IAM".into()), ("/{proxy+}".into(), "AWS_IAM".into())]),
            policy: None,
        }),
        link: ok(VpcLink {
            id: "lnk1234567".into(),
            name: "front".into(),
            target_arns: vec![LB_ARN.into()],
            version: crate::model::LinkVersion::V1,
            subnet_ids: vec![],
            security_group_ids: vec![],
            status: "AVAILABLE".into(),
            status_message: None,
            tags: BTreeMap::new(),
        }),
        load_balancer: ok(LoadBalancer {
            security_groups: vec![],
            arn: LB_ARN.into(),
            name: "front-nlb".into(),
            dns_name: "front-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com".into(),
            scheme: "internal".into(),
            lb_type: "network".into(),
            state: "active".into(),
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            subnet_ids: vec!["subnet-0aaaaaaaaaaaaaaaa".into(), "subnet-0bbbbbbbbbbbbbbbb".into()],
            availability_zones: vec!["us-east-1a".into(), "us-east-1b".into()],
        }),
        cross_zone: ok(true),
        listeners: ok(vec![Listener {
            arn: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/net/front-nlb/50dc6c495c0c9188/f2f7dc8efc522ab2".into(),
            port: 443,
            protocol: "TCP".into(),
            forward_target_group_arns: vec![TG_ARN.into()],
        }]),
        nlb_subnets: ok(vec![
            Subnet {
                id: "subnet-0aaaaaaaaaaaaaaaa".into(),
                vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
                availability_zone: "us-east-1a".into(),
                availability_zone_id: String::new(),
                cidr_block: "10.0.1.0/24".into(),
            },
            Subnet {
                id: "subnet-0bbbbbbbbbbbbbbbb".into(),
                vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
                availability_zone: "us-east-1b".into(),
                availability_zone_id: String::new(),
                cidr_block: "10.0.2.0/24".into(),
            },
        ]),
        target_group: ok(TargetGroup {
            arn: TG_ARN.into(),
            name: "front-tg".into(),
            protocol: "TCP".into(),
            port: 443,
            target_type: "ip".into(),
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            health_check: HealthCheck {
                protocol: "HTTPS".into(),
                port: "traffic-port".into(),
                path: Some("/ping".into()),
                matcher: Some("200-399".into()),
            },
            load_balancer_arns: vec![LB_ARN.into()],
        }),
        targets: ok(vec![target("10.0.1.10", "healthy"), target("10.0.2.20", "healthy")]),
        endpoint: ok(Endpoint {
            id: VPCE.into(),
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            service_name: "com.amazonaws.us-east-1.execute-api".into(),
            endpoint_type: "Interface".into(),
            state: "available".into(),
            private_dns_enabled: true,
            subnet_ids: vec!["subnet-0aaaaaaaaaaaaaaaa".into(), "subnet-0bbbbbbbbbbbbbbbb".into()],
            security_group_ids: vec!["sg-0123456789abcdef0".into()],
            network_interface_ids: vec!["eni-1".into(), "eni-2".into()],
            dns_names: vec![
                format!("{VPCE}-abcd1234.execute-api.us-east-1.vpce.amazonaws.com"),
                format!("{VPCE}-abcd1234-us-east-1a.execute-api.us-east-1.vpce.amazonaws.com"),
                format!("{VPCE}-abcd1234-us-east-1b.execute-api.us-east-1.vpce.amazonaws.com"),
                "execute-api.us-east-1.amazonaws.com".into(),
                "*.execute-api.us-east-1.amazonaws.com".into(),
            ],
            dns_entries: Vec::new(),
            ip_address_type: None,
            policy_document: Some(r#"{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}"#.into()),
            owner_id: "222222222222".into(),
            tags: BTreeMap::new(),
        }),
        interfaces: ok(vec![
            NetworkInterface {
                id: "eni-1".into(),
                subnet_id: "subnet-0aaaaaaaaaaaaaaaa".into(),
                availability_zone: "us-east-1a".into(),
                private_ip: "10.0.1.10".into(),
            },
            NetworkInterface {
                id: "eni-2".into(),
                subnet_id: "subnet-0bbbbbbbbbbbbbbbb".into(),
                availability_zone: "us-east-1b".into(),
                private_ip: "10.0.2.20".into(),
            },
        ]),
        security_groups: ok(vec![SecurityGroup {
            id: "sg-0123456789abcdef0".into(),
            name: "endpoint".into(),
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
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
        }]),
        vpc_dns: ok(VpcDns { support: true, hostnames: true }),
        api: ok(RestApi {
            id: API.into(),
            name: "orders".into(),
            endpoint_types: vec!["PRIVATE".into()],
            vpc_endpoint_ids: vec![],
            policy: Some(policy.clone()),
            tags: BTreeMap::new(),
        }),
        stages: ok(vec![Stage {
            name: "prod".into(),
            deployment_id: Some("dep1".into()),
        }]),
        deployments: ok(vec![Deployment {
            id: "dep1".into(),
            description: Some(marker_for(&policy)),
        }]),
        lambda: Read::not_asked("no function given (--lambda)"),
        lambda_subnets: Read::not_asked("no VPC-attached function"),
        deployed_policies: Read::not_asked("deployments made by xapi"),
        taken_at: Some(1_780_000_000),
        mtls: Read::not_asked("no mTLS stack given (--mtls)"),
        link_network: Read::not_asked("no VPC link v2"),
        domain: Read::not_asked("no domain given (--domain)"),
    }
}

fn status_of(s: &Snapshot, check: &str) -> Vec<Status> {
    super::run(s)
        .into_iter()
        .filter(|f| f.check == check)
        .map(|f| f.status)
        .collect()
}

/// Exactly `check` fails, and nothing else does.
fn only_failure(s: &Snapshot, check: &str) -> Finding {
    let findings = super::run(s);
    let failing: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    assert!(!failing.is_empty(), "{check} did not fail: {findings:#?}");
    assert!(
        failing.iter().all(|f| f.check == check),
        "expected only {check} to fail: {failing:#?}"
    );
    failing[0].clone()
}

#[test]
fn a_healthy_chain_passes_every_check() {
    let findings = super::run(&healthy());
    for f in &findings {
        assert_eq!(f.status, Status::Pass, "{f:#?}");
    }
    let ids: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
    assert_eq!(
        ids,
        [
            "front.integration",
            "front.integration",
            "front.exposure",
            "link.available",
            "link.targets-nlb",
            "nlb.listener",
            "nlb.cross-zone",
            "targetgroup.config",
            "targets.match-endpoint",
            "targets.healthy",
            "endpoint.exists",
            "endpoint.available",
            "endpoint.sg-443",
            "endpoint.private-dns",
            "endpoint.vpc-dns",
            "endpoint.policy",
            "api.private",
            "policy.present",
            "policy.admits-vpce",
            "policy.restricts-source",
            "policy.size",
            "policy.deployed"
        ],
        "request-path order"
    );
    let json = serde_json::to_string(&healthy()).unwrap();
    assert_eq!(
        serde_json::from_str::<Snapshot>(&json).unwrap(),
        healthy(),
        "snapshots round-trip"
    );
}

#[test]
fn front_integration_faults() {
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.front {
        value
            .integrations
            .get_mut("/")
            .unwrap()
            .as_mut()
            .unwrap()
            .connection_id = Some("otherlink1".into());
    }
    assert!(only_failure(&s, "front.integration")
        .message
        .contains("otherlink1"));
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.front {
        value
            .integrations
            .get_mut("/{proxy+}")
            .unwrap()
            .as_mut()
            .unwrap()
            .uri = Some(format!(
            "https://{API}.execute-api.us-east-1.amazonaws.com/staging/{{proxy}}"
        ));
    }
    assert!(only_failure(&s, "front.integration")
        .message
        .contains("staging"));
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.front {
        value.integrations.insert("/".into(), None);
    }
    only_failure(&s, "front.integration");
    // The {api}-{vpce} alias is a valid host.
    assert_eq!(
        parse_private_uri(
            &format!("https://{API}-{VPCE}.execute-api.us-east-1.amazonaws.com/prod/x"),
            "us-east-1",
            "amazonaws.com"
        ),
        Some((API.into(), Some(VPCE.into()), "prod".into()))
    );
}

#[test]
fn link_states() {
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.link {
        value.status = "FAILED".into();
        value.status_message = Some("NLB is not in active state".into());
    }
    assert!(only_failure(&s, "link.available")
        .message
        .contains("NLB is not in active state"));
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.link {
        value.status = "PENDING".into();
    }
    assert_eq!(status_of(&s, "link.available"), [Status::Warn]);
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.link {
        value.target_arns = vec![
            "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/other/1".into(),
        ];
    }
    only_failure(&s, "link.targets-nlb");
}

#[test]
fn load_balancer_and_target_group_faults() {
    let mut s = healthy();
    s.listeners = ok(vec![]);
    assert!(only_failure(&s, "nlb.listener")
        .message
        .contains("no listener on port 443"));
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.load_balancer {
        value.scheme = "internet-facing".into();
    }
    only_failure(&s, "nlb.listener");
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.target_group {
        value.target_type = "instance".into();
    }
    only_failure(&s, "targetgroup.config");
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.target_group {
        value.health_check.protocol = "TCP".into();
    }
    assert_eq!(status_of(&s, "targetgroup.config"), [Status::Warn]);
}

#[test]
fn targets_faults() {
    let mut s = healthy();
    s.targets = ok(vec![
        target("10.0.1.10", "healthy"),
        target("10.0.9.9", "healthy"),
    ]);
    let f = only_failure(&s, "targets.match-endpoint");
    assert!(
        f.message.contains("missing 10.0.2.20") && f.message.contains("stale 10.0.9.9"),
        "{}",
        f.message
    );
    assert!(f
        .fix
        .unwrap()
        .starts_with(&format!("xapi targets sync --vpce {VPCE}")));

    let mut s = healthy();
    let mut sick = target("10.0.2.20", "unhealthy");
    sick.reason = Some("Target.Timeout".into());
    sick.description = Some("Request timed out".into());
    s.targets = ok(vec![target("10.0.1.10", "draining"), sick]);
    let f = only_failure(&s, "targets.healthy");
    assert!(
        f.message.contains("draining") && f.message.contains("Request timed out"),
        "{}",
        f.message
    );

    let mut s = healthy();
    s.targets = ok(vec![
        target("10.0.1.10", "initial"),
        target("10.0.2.20", "healthy"),
    ]);
    assert_eq!(status_of(&s, "targets.healthy"), [Status::Warn]);
}

#[test]
fn endpoint_faults() {
    let mut s = healthy();
    s.endpoint = Read::Failed {
        kind: FailKind::NotFound,
        error: "InvalidVpcEndpointId.NotFound".into(),
        needs: "x".into(),
        required: false,
    };
    s.interfaces = Read::not_asked("no VPC endpoint");
    assert_eq!(status_of(&s, "endpoint.exists"), [Status::Fail]);

    let mut s = healthy();
    if let Read::Ok { value } = &mut s.endpoint {
        value.state = "pending".into();
    }
    assert_eq!(status_of(&s, "endpoint.available"), [Status::Warn]);

    let mut s = healthy();
    if let Read::Ok { value } = &mut s.security_groups {
        value[0].ingress[0].cidrs = vec!["10.0.1.0/24".into()];
    }
    let f = only_failure(&s, "endpoint.sg-443");
    assert!(f
        .fix
        .unwrap()
        .contains("--group-id sg-0123456789abcdef0 --protocol tcp --port 443 --cidr 10.0.2.0/24"));

    let mut s = healthy();
    if let Read::Ok { value } = &mut s.endpoint {
        value.private_dns_enabled = false;
    }
    let f: Vec<Finding> = super::run(&s)
        .into_iter()
        .filter(|f| f.check.starts_with("endpoint."))
        .collect();
    let dns = f
        .iter()
        .find(|f| f.check == "endpoint.private-dns")
        .unwrap();
    assert_eq!(dns.status, Status::Warn);
    assert!(dns.message.contains(&format!(
        "https://{API}-{VPCE}.execute-api.us-east-1.amazonaws.com"
    )));
    assert_eq!(
        f.iter()
            .find(|f| f.check == "endpoint.vpc-dns")
            .unwrap()
            .status,
        Status::Skip
    );

    let mut s = healthy();
    s.vpc_dns = ok(VpcDns {
        support: true,
        hostnames: false,
    });
    assert!(only_failure(&s, "endpoint.vpc-dns")
        .fix
        .unwrap()
        .contains("--enable-dns-hostnames"));

    let mut s = healthy();
    if let Read::Ok { value } = &mut s.endpoint {
        value.policy_document = Some(format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{ACCOUNT}:otherapi00/*"}}]}}"#
        ));
    }
    only_failure(&s, "endpoint.policy");
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.endpoint {
        value.policy_document = Some(format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{ACCOUNT}:{API}/*"}}]}}"#
        ));
    }
    assert_eq!(status_of(&s, "endpoint.policy"), [Status::Pass]);
}

#[test]
fn policy_faults() {
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.api {
        value.endpoint_types = vec!["REGIONAL".into()];
    }
    only_failure(&s, "api.private");

    let mut s = healthy();
    let other = escaped_policy(&["vpce-0fffffffffffffff0"]);
    if let Read::Ok { value } = &mut s.api {
        value.policy = Some(other.clone());
    }
    s.deployments = ok(vec![Deployment {
        id: "dep1".into(),
        description: Some(marker_for(&other)),
    }]);
    let f = only_failure(&s, "policy.admits-vpce");
    assert_eq!(
        f.fix.as_deref(),
        Some(format!("xapi grant-vpce --api-id {API} --vpce {VPCE}").as_str())
    );

    let mut s = healthy();
    let open = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{ACCOUNT}:{API}/*"}}]}}"#
    );
    if let Read::Ok { value } = &mut s.api {
        value.policy = Some(open.clone());
    }
    s.deployments = ok(vec![Deployment {
        id: "dep1".into(),
        description: Some(marker_for(&open)),
    }]);
    only_failure(&s, "policy.restricts-source");

    let mut s = healthy();
    if let Read::Ok { value } = &mut s.api {
        value.policy = None;
    }
    let failing: Vec<String> = super::run(&s)
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.check)
        .collect();
    assert_eq!(failing, ["policy.present"], "admits-vpce is a consequence");

    let mut s = healthy();
    let many: Vec<String> = (0..318).map(|i| format!("vpce-{i:017x}")).collect();
    let mut refs: Vec<&str> = many.iter().map(String::as_str).collect();
    refs.push(VPCE);
    let big = escaped_policy(&refs);
    if let Read::Ok { value } = &mut s.api {
        value.policy = Some(big.clone());
    }
    s.deployments = ok(vec![Deployment {
        id: "dep1".into(),
        description: Some(marker_for(&big)),
    }]);
    assert_eq!(status_of(&s, "policy.size"), [Status::Warn]);

    // Changed after the last deployment: not live.
    let mut s = healthy();
    s.deployments = ok(vec![Deployment {
        id: "dep1".into(),
        description: Some(marker_for(&escaped_policy(&["vpce-0fffffffffffffff0"]))),
    }]);
    assert!(only_failure(&s, "policy.deployed")
        .fix
        .unwrap()
        .contains("create-deployment"));
    // A deployment xapi did not make: unknown.
    let mut s = healthy();
    s.deployments = ok(vec![Deployment {
        id: "dep1".into(),
        description: Some("hand made".into()),
    }]);
    assert_eq!(status_of(&s, "policy.deployed"), [Status::Warn]);
    assert_eq!(deployed_hash(Some("xapi policy-sha256=abc")), Some("abc"));
}

#[test]
fn unreadable_evidence_is_a_skip_that_says_what_access_would_help() {
    let mut s = healthy();
    s.api = Read::Failed {
        kind: FailKind::Denied,
        error: "AccessDeniedException".into(),
        needs: "read access in the producer account (--producer-profile/--producer-role-arn)"
            .into(),
        required: false,
    };
    s.stages = Read::not_asked("no private API");
    s.deployments = Read::not_asked("no stages");
    let findings = super::run(&s);
    let api = findings.iter().find(|f| f.check == "api.private").unwrap();
    assert_eq!(api.status, Status::Skip);
    assert!(
        api.message.contains("--producer-profile"),
        "{}",
        api.message
    );
    assert!(
        findings.iter().all(|f| f.status != Status::Fail),
        "{findings:#?}"
    );
}

fn denied<T>(needs: &str) -> Read<T> {
    Read::Failed {
        kind: FailKind::Denied,
        error: "AccessDeniedException: not authorized".into(),
        needs: needs.into(),
        required: false,
    }
}

/// A resource the command line named that could not be read fails the check
/// it feeds (with what access is needed) and blocks that check's dependents;
/// the same read, when doctor found the resource by itself, is only a skip.
#[test]
fn a_named_resource_that_could_not_be_read_fails_its_check() {
    type Break = fn(&mut Snapshot);
    let cases: [(&str, Break); 6] = [
        ("front.integration", |s| s.front = denied("F").required()),
        ("link.available", |s| s.link = denied("L").required()),
        ("targetgroup.config", |s| {
            s.target_group = denied("T").required();
        }),
        ("endpoint.exists", |s| s.endpoint = denied("E").required()),
        ("api.private", |s| s.api = denied("A").required()),
        ("lambda.vpc", |s| s.lambda = denied("λ").required()),
    ];
    for (check, break_it) in cases {
        let mut s = if check == "lambda.vpc" {
            pattern2()
        } else {
            healthy()
        };
        break_it(&mut s);
        let findings = super::run(&s);
        let f = findings.iter().find(|f| f.check == check).unwrap();
        assert_eq!(f.status, Status::Fail, "{check}: {findings:#?}");
        assert!(f.message.contains("could not be read"), "{f:#?}");
        assert!(f.message.contains("AccessDeniedException"), "{f:#?}");
        assert!(
            f.fix
                .as_deref()
                .is_some_and(|x| x.starts_with("run doctor again with ")),
            "{f:#?}"
        );
        // Its dependents are skipped as blocked by it, not failed as symptoms.
        for dep in &findings {
            if crate::doctor::catalogue::spec_of(&dep.check)
                .is_some_and(|c| c.needs.contains(&check))
            {
                assert_eq!(dep.blocked_by.as_deref(), Some(check), "{dep:#?}");
            }
        }
    }
    // Discovered rather than named: a skip, as before.
    let mut s = healthy();
    s.endpoint = denied("E");
    assert_eq!(status_of(&s, "endpoint.exists"), [Status::Skip]);
}

/// Every read refused, the named API among them: the run fails, never a green run of skips.
#[test]
fn a_chain_where_every_read_was_denied_fails() {
    let mut s = healthy();
    s.consumer_account = None;
    s.producer_account = None;
    s.front = denied("F").required();
    s.link = Read::not_asked("no VPC link given or discovered");
    s.load_balancer = Read::not_asked("no load balancer");
    s.listeners = Read::not_asked("no load balancer");
    s.nlb_subnets = Read::not_asked("no load balancer");
    s.target_group = Read::not_asked("no target group");
    s.targets = Read::not_asked("no target group");
    s.endpoint = Read::not_asked("no VPC endpoint");
    s.interfaces = Read::not_asked("no VPC endpoint");
    s.security_groups = Read::not_asked("no VPC endpoint");
    s.vpc_dns = Read::not_asked("no VPC endpoint");
    s.api = denied("A").required();
    s.stages = Read::not_asked("the private API could not be read");
    s.deployments = Read::not_asked("no stages");
    s.deployed_policies = Read::not_asked("no stages");
    let findings = super::run(&s);
    let failed: Vec<&str> = findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.check.as_str())
        .collect();
    assert_eq!(
        failed,
        ["front.integration", "api.private"],
        "{findings:#?}"
    );
    assert!(findings.iter().all(|f| f.status != Status::Pass));
}

/// Pattern 2: a VPC-attached function calls the private API through the endpoint.
pub(super) fn pattern2() -> Snapshot {
    let mut s = healthy();
    s.front = Read::not_asked("no front API given (--front-api-id)");
    s.link = Read::not_asked("no VPC link");
    s.load_balancer = Read::not_asked("no load balancer");
    s.listeners = Read::not_asked("no load balancer");
    s.nlb_subnets = Read::not_asked("no load balancer");
    s.target_group = Read::not_asked("no target group");
    s.targets = Read::not_asked("no target group");
    s.lambda = ok(LambdaVpc {
        function_name: "orders-client".into(),
        function_arn: "arn:aws:lambda:us-east-1:222222222222:function:orders-client".into(),
        vpc_id: Some("vpc-0a1b2c3d4e5f60718".into()),
        subnet_ids: vec!["subnet-0cccccccccccccccc".into()],
        security_group_ids: vec!["sg-0f0f0f0f0f0f0f0f0".into()],
    });
    s.lambda_subnets = ok(vec![Subnet {
        id: "subnet-0cccccccccccccccc".into(),
        vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
        availability_zone: "us-east-1a".into(),
        availability_zone_id: String::new(),
        cidr_block: "10.0.3.0/24".into(),
    }]);
    if let Read::Ok { value } = &mut s.security_groups {
        value[0].ingress[0].cidrs = vec![];
        value[0].ingress[0].source_groups = vec!["sg-0f0f0f0f0f0f0f0f0".into()];
    }
    s
}

#[test]
fn pattern_2_passes_its_lambda_checks() {
    let findings = super::run(&pattern2());
    let lambda: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check.starts_with("lambda."))
        .collect();
    assert_eq!(
        lambda.iter().map(|f| f.check.as_str()).collect::<Vec<_>>(),
        ["lambda.vpc", "lambda.private-dns", "lambda.sg-443"]
    );
    assert!(
        lambda.iter().all(|f| f.status == Status::Pass),
        "{lambda:#?}"
    );
    assert!(
        findings.iter().all(|f| f.status != Status::Fail),
        "{findings:#?}"
    );
    // Without --lambda, no lambda findings at all.
    assert!(super::run(&healthy())
        .iter()
        .all(|f| !f.check.starts_with("lambda.")));
}

#[test]
fn pattern_2_faults() {
    // A rule for the wrong source: the endpoint admits 443, but not from the function.
    let mut s = pattern2();
    if let Read::Ok { value } = &mut s.security_groups {
        value[0].ingress[0].source_groups = vec![];
        value[0].ingress[0].cidrs = vec!["192.168.0.0/16".into()];
    }
    let f = only_failure(&s, "lambda.sg-443");
    assert!(f
        .fix
        .unwrap()
        .contains("--source-group sg-0f0f0f0f0f0f0f0f0"));
    // Admitted by the subnet's CIDR instead of the group: fine.
    if let Read::Ok { value } = &mut s.security_groups {
        value[0].ingress[0].cidrs = vec!["10.0.0.0/16".into()];
    }
    assert_eq!(status_of(&s, "lambda.sg-443"), [Status::Pass]);

    let mut s = pattern2();
    if let Read::Ok { value } = &mut s.lambda {
        value.vpc_id = None;
        value.subnet_ids.clear();
        value.security_group_ids.clear();
    }
    s.lambda_subnets = Read::not_asked("no VPC-attached function");
    only_failure(&s, "lambda.vpc");
    assert_eq!(status_of(&s, "lambda.sg-443"), [Status::Skip]);

    // The subnets decide the VPC, whatever VpcId says.
    let mut s = pattern2();
    if let Read::Ok { value } = &mut s.lambda_subnets {
        value[0].vpc_id = "vpc-0999999999999999f".into();
    }
    assert!(only_failure(&s, "lambda.vpc")
        .message
        .contains("vpc-0999999999999999f"));

    let mut s = pattern2();
    if let Read::Ok { value } = &mut s.endpoint {
        value.private_dns_enabled = false;
    }
    let f = only_failure(&s, "lambda.private-dns");
    assert!(
        f.message.contains(&format!(
            "https://{API}-{VPCE}.execute-api.us-east-1.amazonaws.com"
        )),
        "{}",
        f.message
    );

    let mut s = pattern2();
    s.lambda = Read::Failed {
        kind: FailKind::NotFound,
        error: "ResourceNotFoundException".into(),
        needs: "x".into(),
        required: false,
    };
    assert_eq!(status_of(&s, "lambda.vpc"), [Status::Fail]);
}

#[test]
fn front_exposure_warns_only_when_anyone_can_call() {
    let open = |s: &mut Snapshot, policy: Option<String>| {
        if let Read::Ok { value } = &mut s.front {
            for a in value.authorization.values_mut() {
                *a = "NONE".into();
            }
            value.policy = policy;
        }
    };
    let mut s = healthy();
    open(&mut s, None);
    assert_eq!(status_of(&s, "front.exposure"), [Status::Warn]);
    let f = super::run(&s)
        .into_iter()
        .find(|f| f.check == "front.exposure")
        .unwrap();
    assert!(f.message.contains("no resource policy"), "{}", f.message);
    assert!(f.fix.unwrap().contains("--authorization iam"));

    // A policy that allows everyone from anywhere protects nothing.
    let everyone = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    open(&mut s, Some(everyone.into()));
    assert_eq!(status_of(&s, "front.exposure"), [Status::Warn]);

    // Source addresses limited, in AWS's escaped form.
    let cidr = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:222222222222:front00001\/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"203.0.113.0\/24\"]}}}]}"#;
    open(&mut s, Some(cidr.into()));
    assert_eq!(status_of(&s, "front.exposure"), [Status::Pass]);

    // Allow * beside a Deny of one address: everyone else still gets in.
    let one_ip_denied = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#;
    open(&mut s, Some(one_ip_denied.into()));
    assert_eq!(status_of(&s, "front.exposure"), [Status::Warn]);
    let f = super::run(&s)
        .into_iter()
        .find(|f| f.check == "front.exposure")
        .unwrap();
    assert!(
        f.message.contains("admits an anonymous request from"),
        "{}",
        f.message
    );
    // A Deny of everything but one address admits nobody else.
    let only_one_ip = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#;
    open(&mut s, Some(only_one_ip.into()));
    assert_eq!(status_of(&s, "front.exposure"), [Status::Pass]);
    // A Deny that a header the caller chooses escapes keeps nobody out.
    let header_gated = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"StringNotEquals":{"aws:UserAgent":"our-client"}}}]}"#;
    open(&mut s, Some(header_gated.into()));
    assert_eq!(status_of(&s, "front.exposure"), [Status::Warn]);

    // Only one method open is still open.
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.front {
        value
            .authorization
            .insert("/{proxy+}".into(), "NONE".into());
    }
    assert_eq!(status_of(&s, "front.exposure"), [Status::Warn]);
    // IAM on both: pass.
    assert_eq!(status_of(&healthy(), "front.exposure"), [Status::Pass]);
    // No front asked: no finding.
    assert!(status_of(&pattern2(), "front.exposure").is_empty());
}

/// `XAPI_BLESS_README=1 cargo test --lib the_readme` rewrites the list.
#[test]
fn the_readme_lists_every_check_of_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let begin = "<!-- checks:begin -->\n";
    let (head, rest) = readme
        .split_once(begin)
        .expect("README has the checks markers");
    let (listed, tail) = rest.split_once("<!-- checks:end -->").expect("end marker");
    let want = super::catalogue::markdown();
    if listed != want && std::env::var_os("XAPI_BLESS_README").is_some() {
        std::fs::write(
            &path,
            format!("{head}{begin}{want}<!-- checks:end -->{tail}"),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        listed, want,
        "README.md's list of checks is stale: run XAPI_BLESS_README=1 cargo test --lib the_readme"
    );
}

/// `x-amazon-apigateway-policy` as a stage export carries it: an object, with
/// `execute-api:/*` expanded to the API's ARN.
fn exported_policy(vpce: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{ACCOUNT}:{API}/*"}},{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{ACCOUNT}:{API}/*","Condition":{{"StringNotEquals":{{"aws:SourceVpce":["{vpce}"]}}}}}}]}}"#
    )
}

#[test]
fn policy_deployed_reads_the_stage_export_for_deployments_xapi_did_not_make() {
    let hand_made = |exported: Read<Vec<DeployedPolicy>>| {
        let mut s = healthy();
        s.deployments = ok(vec![Deployment {
            id: "dep1".into(),
            description: Some("deployed from the console".into()),
        }]);
        s.deployed_policies = exported;
        s
    };
    let one = |policy: Option<String>| {
        ok(vec![DeployedPolicy {
            stage: "prod".into(),
            policy,
        }])
    };
    // The same policy in the export's form (object, expanded ARN) as the escaped current one.
    let s = hand_made(one(Some(exported_policy(VPCE))));
    assert_eq!(status_of(&s, "policy.deployed"), [Status::Pass]);
    // Another policy deployed: the current one is not live.
    let s = hand_made(one(Some(exported_policy("vpce-0fffffffffffffff0"))));
    let f = only_failure(&s, "policy.deployed");
    assert!(f
        .fix
        .unwrap()
        .contains("create-deployment --rest-api-id a1b2c3d4e5 --stage-name prod"));
    // No policy in the export, export unreadable, not read: unknown, a warning.
    assert_eq!(
        status_of(&hand_made(one(None)), "policy.deployed"),
        [Status::Warn]
    );
    let denied = hand_made(Read::Failed {
        kind: FailKind::Denied,
        error: "AccessDeniedException".into(),
        needs: "apigateway:GET on the stages' exports".into(),
        required: false,
    });
    let f = super::run(&denied)
        .into_iter()
        .find(|f| f.check == "policy.deployed")
        .unwrap();
    assert_eq!(f.status, Status::Warn);
    assert!(f.message.contains("exports"), "{}", f.message);
    // xapi's marker wins over the export.
    let mut s = healthy();
    s.deployed_policies = one(Some(exported_policy("vpce-0fffffffffffffff0")));
    assert_eq!(status_of(&s, "policy.deployed"), [Status::Pass]);
}

pub(super) use crate::policy::testing::over_budget_policy;

/// An answer the evaluation budget could not prove is a warning that says so, never a pass.
#[test]
fn an_approximated_admission_is_a_warning_not_a_pass() {
    let mut s = healthy();
    let hard = over_budget_policy(VPCE);
    if let Read::Ok { value } = &mut s.api {
        value.policy = Some(hard.clone());
    }
    s.deployments = ok(vec![Deployment {
        id: "dep1".into(),
        description: Some(marker_for(&hard)),
    }]);
    let f = super::run(&s)
        .into_iter()
        .find(|f| f.check == "policy.admits-vpce")
        .unwrap();
    assert_eq!(f.status, Status::Warn, "{f:?}");
    assert!(f.message.contains("approximated"), "{}", f.message);
    assert!(f.message.contains(VPCE), "{}", f.message);
    assert!(f.message.contains("statement Dense"), "{}", f.message);
}

const LINK_GROUP: &str = "sg-0c0c0c0c0c0c0c0c0";

fn egress_443(range: &str) -> IngressRule {
    IngressRule {
        protocol: "tcp".into(),
        from_port: Some(443),
        to_port: Some(443),
        cidrs: vec![range.into()],
        ipv6_cidrs: vec![],
        source_groups: vec![],
        prefix_lists: vec![],
    }
}

/// The healthy chain through a v2 link, as AWS reports it: the integrations
/// name the link and the load balancer; the link's interfaces sit in two
/// supported zones under a group letting TCP 443 out to the NLB's subnets.
fn healthy_v2() -> Snapshot {
    let mut s = healthy();
    if let Read::Ok { value } = &mut s.front {
        for i in value.integrations.values_mut().flatten() {
            i.integration_target = Some(LB_ARN.into());
        }
    }
    if let Read::Ok { value } = &mut s.link {
        value.version = LinkVersion::V2;
        value.target_arns = vec![];
        value.subnet_ids = vec![
            "subnet-0aaaaaaaaaaaaaaaa".into(),
            "subnet-0bbbbbbbbbbbbbbbb".into(),
        ];
        value.security_group_ids = vec![LINK_GROUP.into()];
    }
    let mut subnets = s.nlb_subnets.ok().unwrap().clone();
    subnets[0].availability_zone_id = "use1-az6".into();
    subnets[1].availability_zone_id = "use1-az1".into();
    s.link_network = ok(LinkNetwork {
        subnets,
        groups: vec![SecurityGroup {
            id: LINK_GROUP.into(),
            name: "front-link".into(),
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            ingress: vec![],
            egress: vec![egress_443("10.0.1.0/24"), egress_443("10.0.2.0/24")],
            tags: BTreeMap::new(),
        }],
        load_balancer_groups: vec![],
    });
    s
}

fn net(s: &mut Snapshot) -> &mut LinkNetwork {
    match &mut s.link_network {
        Read::Ok { value } => value,
        _ => unreachable!("healthy_v2 has one"),
    }
}

#[test]
fn a_healthy_v2_chain_passes_every_check_and_its_network_is_checked() {
    let findings = super::run(&healthy_v2());
    for f in &findings {
        assert_eq!(f.status, Status::Pass, "{f:#?}");
    }
    let ids: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
    assert_eq!(
        ids[3..7],
        [
            "link.available",
            "link.targets-nlb",
            "link.v2-network",
            "nlb.listener"
        ]
    );
    // A v1 chain has no finding for it.
    assert!(status_of(&healthy(), "link.v2-network").is_empty());
    let json = serde_json::to_string(&healthy_v2()).unwrap();
    assert_eq!(
        serde_json::from_str::<Snapshot>(&json).unwrap(),
        healthy_v2()
    );
}

#[test]
fn v2_network_faults_each_fail_link_v2_network() {
    // An interface in a zone v2 links do not support.
    let mut s = healthy_v2();
    net(&mut s).subnets[1].availability_zone_id = "use1-az3".into();
    assert!(only_failure(&s, "link.v2-network")
        .message
        .contains("use1-az3"));
    // Interfaces in another VPC than the load balancer.
    let mut s = healthy_v2();
    for sub in &mut net(&mut s).subnets {
        sub.vpc_id = "vpc-0ffffffffffffffff".into();
    }
    assert!(only_failure(&s, "link.v2-network")
        .message
        .contains("vpc-0ffffffffffffffff"));
    // No way out to one of the load balancer's subnets: the fix names the group.
    let mut s = healthy_v2();
    net(&mut s).groups[0].egress = vec![egress_443("10.0.1.0/24")];
    let f = only_failure(&s, "link.v2-network");
    assert!(f.message.contains("10.0.2.0/24"), "{f:#?}");
    assert!(f.fix.unwrap().contains(&format!(
        "authorize-security-group-egress --group-id {LINK_GROUP}"
    )));
    // Port 80 out is no way to 443.
    let mut s = healthy_v2();
    for r in &mut net(&mut s).groups[0].egress {
        r.from_port = Some(80);
        r.to_port = Some(80);
    }
    only_failure(&s, "link.v2-network");
}

#[test]
fn a_load_balancer_with_groups_must_let_the_link_in() {
    let lb_group = |ingress: Vec<IngressRule>| SecurityGroup {
        id: "sg-0d0d0d0d0d0d0d0d0".into(),
        name: "nlb".into(),
        vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
        ingress,
        egress: vec![],
        tags: BTreeMap::new(),
    };
    let with_lb_group = |ingress: Vec<IngressRule>| {
        let mut s = healthy_v2();
        if let Read::Ok { value } = &mut s.load_balancer {
            value.security_groups = vec!["sg-0d0d0d0d0d0d0d0d0".into()];
        }
        net(&mut s).load_balancer_groups = vec![lb_group(ingress)];
        s
    };
    let f = only_failure(&with_lb_group(vec![]), "link.v2-network");
    assert!(f.fix.unwrap().contains(&format!(
        "--group-id sg-0d0d0d0d0d0d0d0d0 --protocol tcp --port 443 --source-group {LINK_GROUP}"
    )));
    // From the link's group, or from both of its subnets: admitted.
    let mut from_group = egress_443("0.0.0.0/32");
    from_group.cidrs.clear();
    from_group.source_groups = vec![LINK_GROUP.into()];
    assert_eq!(
        status_of(&with_lb_group(vec![from_group]), "link.v2-network"),
        [Status::Pass]
    );
    assert_eq!(
        status_of(
            &with_lb_group(vec![egress_443("10.0.0.0/16")]),
            "link.v2-network"
        ),
        [Status::Pass]
    );
    // From one subnet of the two: not enough.
    only_failure(
        &with_lb_group(vec![egress_443("10.0.1.0/24")]),
        "link.v2-network",
    );
}

#[test]
fn v2_link_states_and_targets() {
    let mut s = healthy_v2();
    if let Read::Ok { value } = &mut s.link {
        value.status = "INACTIVE".into();
    }
    assert_eq!(status_of(&s, "link.available"), [Status::Warn]);
    // An integration naming another load balancer.
    let mut s = healthy_v2();
    if let Read::Ok { value } = &mut s.front {
        value
            .integrations
            .get_mut("/")
            .unwrap()
            .as_mut()
            .unwrap()
            .integration_target = Some(
            "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/other/1".into(),
        );
    }
    assert!(only_failure(&s, "link.targets-nlb")
        .message
        .contains("other"));
    // A v2 connection without a target: AWS's own error, named.
    let mut s = healthy_v2();
    if let Read::Ok { value } = &mut s.front {
        value
            .integrations
            .get_mut("/")
            .unwrap()
            .as_mut()
            .unwrap()
            .integration_target = None;
    }
    let f = only_failure(&s, "front.integration");
    assert!(
        f.message.contains("IntegrationTarget is required"),
        "{f:#?}"
    );
}

/// The one finding of `check`.
fn finding_of(s: &Snapshot, check: &str) -> Finding {
    super::run(s)
        .into_iter()
        .find(|f| f.check == check)
        .unwrap_or_else(|| panic!("no {check} finding"))
}

fn target_in(ip: &str, state: &str, zone: &str) -> TargetHealth {
    let mut t = target(ip, state);
    t.target.availability_zone = Some(zone.into());
    t
}

#[test]
fn cross_zone_off_fails_exactly_where_a_zone_has_no_target_and_warns_elsewhere() {
    assert_eq!(status_of(&healthy(), "nlb.cross-zone"), [Status::Pass]);

    // Both zones served: a warning, with the command that turns it on.
    let mut s = healthy();
    s.cross_zone = ok(false);
    s.targets = ok(vec![
        target_in("10.0.1.10", "healthy", "us-east-1a"),
        target_in("10.0.2.20", "healthy", "us-east-1b"),
    ]);
    let f = finding_of(&s, "nlb.cross-zone");
    assert_eq!(f.status, Status::Warn, "{f:?}");
    let fix = f.fix.unwrap();
    assert!(
        fix.contains(&format!("--load-balancer-arn {LB_ARN}"))
            && fix.contains("Key=load_balancing.cross_zone.enabled,Value=true")
            && fix.contains("xapi wire-regional-front"),
        "{fix}"
    );

    // us-east-1b's node has no target: nothing answers the clients DNS sends there.
    let mut s = healthy();
    s.cross_zone = ok(false);
    let f = only_failure(&s, "nlb.cross-zone");
    assert!(
        f.message.contains("us-east-1b has no registered target")
            && !f.message.contains("us-east-1a"),
        "{}",
        f.message
    );
    // A target on its way out serves no one (and fails targets.healthy too).
    s.targets = ok(vec![
        target_in("10.0.1.10", "healthy", "us-east-1a"),
        target_in("10.0.2.20", "draining", "us-east-1b"),
    ]);
    let f = finding_of(&s, "nlb.cross-zone");
    assert_eq!(f.status, Status::Fail, "{f:?}");
    assert!(f.message.contains("us-east-1b has no"), "{}", f.message);

    // An address outside the group's VPC is served from every zone.
    let mut s = healthy();
    s.cross_zone = ok(false);
    s.targets = ok(vec![target_in("192.168.0.10", "healthy", "all")]);
    assert_eq!(status_of(&s, "nlb.cross-zone"), [Status::Warn]);

    // Unreadable: a skip that says what access would tell.
    let mut s = healthy();
    s.cross_zone = denied("elasticloadbalancing:DescribeLoadBalancerAttributes");
    let f = finding_of(&s, "nlb.cross-zone");
    assert_eq!(f.status, Status::Skip, "{f:?}");
    assert!(
        f.message.contains("DescribeLoadBalancerAttributes"),
        "{}",
        f.message
    );

    // A broken listener is the cause: cross-zone is not judged on top of it.
    let mut s = healthy();
    s.cross_zone = ok(false);
    s.listeners = ok(vec![]);
    assert_eq!(status_of(&s, "nlb.cross-zone"), [Status::Skip]);
}
