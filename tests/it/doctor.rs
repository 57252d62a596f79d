//! `xapi doctor` against a real moto server: a healthy two-account chain built
//! by wire-regional-front, then broken one fault at a time; each fault must
//! fail exactly its check.

use crate::common;

use aws_config::SdkConfig;
use common::json::{self, Doctor, Status};
use common::proxy::{Canned, Proxy};
use common::seed;
use common::{fresh_account, moto_url, role_arn, Run, Xapi};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

struct Chain {
    consumer: String,
    producer: String,
    ccfg: SdkConfig,
    pcfg: SdkConfig,
    api_id: String,
    vpc: seed::ConsumerVpc,
    vpce: String,
    front: String,
    tg_arn: String,
    link_id: String,
    lb_arn: String,
    /// The `wire-regional-front` arguments that made it.
    wire: Vec<String>,
}

/// A healthy pattern-1 chain, wired by xapi itself (a new stack: VPC link v2).
fn chain(octet: u8) -> Chain {
    chain_on(octet, &[])
}

/// As [`chain`], with more `wire-regional-front` arguments (`--vpc-link v1`).
fn chain_on(octet: u8, wire_args: &[&str]) -> Chain {
    let (consumer, producer) = (fresh_account(), fresh_account());
    let (ccfg, pcfg, vpc, api_id) = rt().block_on(async {
        let pcfg = seed::account_config(&producer).await;
        let api = seed::private_api(&pcfg, "prod", None).await;
        let ccfg = seed::account_config(&consumer).await;
        let vpc = seed::consumer_vpc(&ccfg, octet, true).await;
        (ccfg, pcfg, vpc, api)
    });
    let vpce = common::xapi_endpoint(&consumer, &vpc);
    let producer_role = role_arn(&producer);
    let mut args = vec![
        "wire-regional-front",
        "--private-api-id",
        &api_id,
        "--stage",
        "prod",
        "--vpce",
        &vpce,
        "--subnet-id",
        &vpc.subnet_ids[0],
        "--subnet-id",
        &vpc.subnet_ids[1],
        "--name",
        "front",
        "--fix-security-group",
        "--producer-role-arn",
        &producer_role,
        "--output",
        "json",
    ];
    args.extend(wire_args);
    let wired = Xapi::as_account(&moto_url(), &consumer)
        .run(&args)
        .ok()
        .parse::<json::Wire>()
        .resources
        .expect("the front's resources");
    let wire = args.iter().map(|a| (*a).to_owned()).collect();
    Chain {
        wire,
        front: wired.front_api_id.unwrap(),
        tg_arn: wired.target_group_arn.unwrap(),
        link_id: wired.vpc_link_id.unwrap(),
        lb_arn: wired.load_balancer_arn.unwrap(),
        consumer,
        producer,
        ccfg,
        pcfg,
        api_id,
        vpc,
        vpce,
    }
}

impl Chain {
    fn doctor(&self, extra: &[&str]) -> Run {
        self.doctor_via(&moto_url(), extra)
    }

    /// `doctor` through `endpoint` (a test proxy with canned answers).
    fn doctor_via(&self, endpoint: &str, extra: &[&str]) -> Run {
        let producer_role = role_arn(&self.producer);
        let mut args = vec![
            "doctor",
            "--front-api-id",
            &self.front,
            "--producer-role-arn",
            &producer_role,
            "--output",
            "json",
        ];
        args.extend(extra);
        Xapi::as_account(endpoint, &self.consumer).run(&args)
    }

    fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.ccfg)
    }

    fn put_policy(&self, policy: &str) {
        rt().block_on(async {
            aws_sdk_apigateway::Client::new(&self.pcfg)
                .update_rest_api()
                .rest_api_id(&self.api_id)
                .patch_operations(
                    aws_sdk_apigateway::types::PatchOperation::builder()
                        .op(aws_sdk_apigateway::types::Op::Replace)
                        .path("/policy")
                        .value(policy)
                        .build(),
                )
                .send()
                .await
                .unwrap();
        });
    }

    /// Redeploy the way grant-vpce does, with the current policy's hash.
    fn redeploy_marked(&self, policy: &str) {
        let api = xapi::policy::ApiRef {
            region: "us-east-1".into(),
            account: self.producer.clone(),
            api_id: self.api_id.clone(),
        };
        let hash = xapi::policy::PolicyDocument::parse(policy)
            .unwrap()
            .canonical_sha256(&api);
        rt().block_on(async {
            aws_sdk_apigateway::Client::new(&self.pcfg)
                .create_deployment()
                .rest_api_id(&self.api_id)
                .stage_name("prod")
                .description(format!("xapi policy-sha256={hash}"))
                .send()
                .await
                .unwrap();
        });
    }
}

fn findings(v: &Doctor) -> Vec<(String, Status)> {
    v.findings
        .iter()
        .map(|f| (f.check.clone(), f.status))
        .collect()
}

/// Exit 1 and exactly `check` failing.
fn fails_exactly(run: Run, check: &str) -> Doctor {
    let v = run.expect_code(1).parse::<Doctor>();
    let failing: Vec<String> = findings(&v)
        .into_iter()
        .filter(|(_, s)| *s == Status::Fail)
        .map(|(c, _)| c)
        .collect();
    assert!(
        !failing.is_empty() && failing.iter().all(|c| c == check),
        "expected only {check} to fail, got {failing:?}\n{v:#?}"
    );
    v
}

#[test]
fn a_healthy_chain_passes_every_check_moto_can_represent() {
    // A v2 chain has one check more (link.v2-network) and one warning more.
    for (octet, wire_args, passes) in [(60, &["--vpc-link", "v1"][..], 19), (70, &[][..], 19)] {
        let c = chain_on(octet, wire_args);
        let v = c.doctor(&[]).ok().parse::<Doctor>();
        assert_eq!(v.schema_version, 1);
        for (check, status) in findings(&v) {
            match check.as_str() {
                // moto drops an integration's connectionId (docs/emulator.md), so the
                // link cannot be confirmed from the integration: a warning, never a pass.
                "front.integration" => assert_eq!(status, Status::Warn, "{check}"),
                // wire-regional-front makes an open front (authorization NONE, no policy).
                "front.exposure" => assert_eq!(status, Status::Warn, "{check}"),
                // moto drops integrationTarget too, and a v2 link names no load
                // balancer: found by the stack's name, it is unconfirmed.
                "link.targets-nlb" if wire_args.is_empty() => {
                    assert_eq!(status, Status::Warn, "{check}: {v:#?}");
                }
                _ => assert_eq!(status, Status::Pass, "{check}: {v:#?}"),
            }
        }
        assert_eq!(v.summary.fail, 0);
        assert_eq!(v.summary.skip, 0, "no silent skip");
        assert_eq!(v.summary.pass, passes, "{wire_args:?}");
    }
}

#[test]
fn cross_zone_turned_off_is_found_and_re_running_wire_turns_it_back_on() {
    let c = chain(76);
    rt().block_on(async {
        aws_sdk_elasticloadbalancingv2::Client::new(&c.ccfg)
            .modify_load_balancer_attributes()
            .load_balancer_arn(&c.lb_arn)
            .attributes(
                aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute::builder()
                    .key("load_balancing.cross_zone.enabled")
                    .value("false")
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let v = fails_exactly(c.doctor(&[]), "nlb.cross-zone");
    let f = v.finding("nlb.cross-zone");
    assert!(
        f.message.contains("cross-zone load balancing is off"),
        "{}",
        f.message
    );
    let fix = f.fix.clone().unwrap_or_default();
    assert!(
        fix.contains("xapi wire-regional-front")
            && fix.contains(&format!("--load-balancer-arn {}", c.lb_arn)),
        "{fix}"
    );

    // The fix as it says: the same wire-regional-front again.
    Xapi::as_account(&moto_url(), &c.consumer).run(&c.wire).ok();
    let v = c.doctor(&[]).ok().parse::<Doctor>();
    assert_eq!(v.finding("nlb.cross-zone").status, Status::Pass, "{v:#?}");
}

/// GetIntegration as AWS answers it for a front over a v2 link (I1 in
/// docs/vpc-link-v2.md): moto drops `connectionId` and `integrationTarget`.
fn canned_integration(c: &Chain, proxy: &Proxy, target: Option<&str>) {
    let resources: Vec<(String, String)> = rt().block_on(async {
        aws_sdk_apigateway::Client::new(&c.ccfg)
            .get_resources()
            .rest_api_id(&c.front)
            .send()
            .await
            .unwrap()
            .items
            .unwrap()
            .into_iter()
            .map(|r| (r.id.unwrap(), r.path.unwrap()))
            .collect()
    });
    let host = format!(
        "https://{}.execute-api.us-east-1.amazonaws.com/prod/",
        c.api_id
    );
    let (front, link) = (c.front.clone(), c.link_id.clone());
    let target = target.map(str::to_owned);
    proxy.respond_with(move |r| {
        if r.method != "GET" {
            return None;
        }
        let (_, path) = resources.iter().find(|(id, _)| {
            r.path == format!("/restapis/{front}/resources/{id}/methods/ANY/integration")
        })?;
        let proxied = path == "/{proxy+}";
        let mut body = serde_json::json!({
            "type": "HTTP_PROXY",
            "httpMethod": "ANY",
            "uri": if proxied { format!("{host}{{proxy}}") } else { host.clone() },
            "connectionType": "VPC_LINK",
            "connectionId": link,
            "timeoutInMillis": 29000,
            "cacheKeyParameters": [],
            "requestParameters": if proxied {
                serde_json::json!({"integration.request.path.proxy": "method.request.path.proxy"})
            } else {
                serde_json::json!({})
            },
        });
        if let Some(t) = &target {
            body["integrationTarget"] = serde_json::json!(t);
        }
        Some(Canned::json(200, body.to_string()))
    });
}

/// With AWS's full GetIntegration answer (canned: moto drops both fields),
/// a v2 chain passes everything: the integrations name the link and the
/// load balancer.
#[test]
fn a_v2_chain_passes_when_the_integrations_name_the_load_balancer() {
    let c = chain(71);
    let proxy = Proxy::start(&moto_url());
    canned_integration(&c, &proxy, Some(&c.lb_arn));
    let v = c.doctor_via(&proxy.url, &[]).ok().parse::<Doctor>();
    for (check, status) in findings(&v) {
        match check.as_str() {
            "front.exposure" => assert_eq!(status, Status::Warn, "{check}"),
            _ => assert_eq!(status, Status::Pass, "{check}: {v:#?}"),
        }
    }
    assert_eq!(v.summary.pass, 22);
    assert!(v.finding("link.targets-nlb").message.contains("front-nlb"));

    // A load balancer that does not exist named: the link leads nowhere,
    // and so there is no listener to check either.
    let other = "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/other/0123456789abcdef";
    canned_integration(&c, &proxy, Some(other));
    let v = c
        .doctor_via(&proxy.url, &[])
        .expect_code(1)
        .parse::<Doctor>();
    let failing: Vec<String> = findings(&v)
        .into_iter()
        .filter(|(_, s)| *s == Status::Fail)
        .map(|(c, _)| c)
        .collect();
    assert_eq!(failing, ["link.targets-nlb", "nlb.listener"], "{v:#?}");
    assert!(v.finding("link.targets-nlb").message.contains(other));

    // No target at all on a v2 connection: AWS refuses to create that
    // ("IntegrationTarget is required for VpcLinkV2"); an imported API can
    // still carry it, and front.integration says so.
    canned_integration(&c, &proxy, None);
    let v = c
        .doctor_via(&proxy.url, &[])
        .expect_code(1)
        .parse::<Doctor>();
    let f = v
        .findings
        .iter()
        .find(|f| f.check == "front.integration" && f.status == Status::Fail)
        .unwrap_or_else(|| panic!("{v:#?}"));
    assert!(
        f.message
            .contains("IntegrationTarget is required for VpcLinkV2"),
        "{f:#?}"
    );
}

/// GetVpcLink (apigatewayv2) as AWS answers for a link that is not
/// AVAILABLE (V1 in docs/vpc-link-v2.md): moto's links are AVAILABLE at once.
fn canned_link_v2(c: &Chain, proxy: &Proxy, status: &'static str, message: &'static str) {
    let link = c.link_id.clone();
    proxy.respond_with(move |r| {
        (r.method == "GET" && r.path == format!("/v2/vpclinks/{link}")).then(|| {
            Canned::json(
                200,
                serde_json::json!({
                    "vpcLinkId": link,
                    "name": "front",
                    "subnetIds": ["subnet-0a", "subnet-0b"],
                    "securityGroupIds": ["sg-0c"],
                    "vpcLinkStatus": status,
                    "vpcLinkStatusMessage": message,
                    "vpcLinkVersion": "V2",
                    "createdDate": "2026-11-30T10:00:00Z",
                    "tags": {"xapi:stack": "front"}
                })
                .to_string(),
            )
        })
    });
}

#[test]
fn a_v2_link_that_is_not_available_says_why() {
    let c = chain(72);
    let proxy = Proxy::start(&moto_url());

    canned_link_v2(&c, &proxy, "INACTIVE", "VPC link is inactive");
    let v = c.doctor_via(&proxy.url, &[]).ok().parse::<Doctor>();
    let f = v.finding("link.available");
    assert_eq!(f.status, Status::Warn, "{f:#?}");
    assert!(
        f.message.contains("INACTIVE") && f.message.contains("60 days"),
        "{f:#?}"
    );

    canned_link_v2(&c, &proxy, "PENDING", "VPC link is provisioning ENIs");
    let v = c.doctor_via(&proxy.url, &[]).ok().parse::<Doctor>();
    assert_eq!(v.finding("link.available").status, Status::Warn);

    canned_link_v2(
        &c,
        &proxy,
        "FAILED",
        "Insufficient free IP addresses in subnet",
    );
    let v = fails_exactly(c.doctor_via(&proxy.url, &[]), "link.available");
    let f = v.finding("link.available");
    assert!(
        f.message.contains("Insufficient free IP addresses"),
        "{f:#?}"
    );
    assert!(
        f.fix
            .as_deref()
            .unwrap()
            .contains("aws apigatewayv2 delete-vpc-link"),
        "{f:#?}"
    );
}

/// A v1 link given an application load balancer ends FAILED with "NLB ARN
/// is malformed" (V2 in docs/vpc-link-v2.md; moto makes it AVAILABLE):
/// the fix is a v2 link.
#[test]
fn a_v1_link_to_an_application_load_balancer_points_to_v2() {
    let c = chain_on(73, &["--vpc-link", "v1"]);
    let proxy = Proxy::start(&moto_url());
    let link = c.link_id.clone();
    proxy.respond_with(move |r| {
        (r.method == "GET" && r.path == format!("/vpclinks/{link}")).then(|| {
            Canned::json(
                200,
                serde_json::json!({
                    "id": link,
                    "name": "front",
                    "targetArns": ["arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/app/alb/4429c9"],
                    "status": "FAILED",
                    "statusMessage": "NLB ARN is malformed"
                })
                .to_string(),
            )
        })
    });
    let v = c
        .doctor_via(&proxy.url, &["--vpc-link-id", &c.link_id])
        .expect_code(1)
        .parse::<Doctor>();
    let f = v.finding("link.available");
    assert_eq!(f.status, Status::Fail, "{f:#?}");
    assert!(f.message.contains("NLB ARN is malformed"), "{f:#?}");
    assert!(
        f.fix.as_deref().unwrap().contains("--vpc-link v2"),
        "{f:#?}"
    );
}

#[test]
fn evidence_saved_to_a_snapshot_replays_with_no_aws_call() {
    let c = chain(61);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evidence.json");
    let live = c
        .doctor(&["--snapshot-out", path.to_str().unwrap()])
        .ok()
        .json();
    // No credentials, no region, an endpoint nothing listens on.
    let replay = Xapi::new("http://127.0.0.1:9")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_REGION")
        .run([
            "doctor",
            "--from-snapshot",
            path.to_str().unwrap(),
            "--output",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(replay["findings"], live["findings"]);
    Xapi::new(&moto_url())
        .run(["doctor", "--from-snapshot", "/nonexistent/x.json"])
        .refused_naming("/nonexistent/x.json");
}

#[test]
fn revoked_endpoint_fails_policy_admits_vpce() {
    let c = chain(62);
    Xapi::as_account(&moto_url(), &c.producer)
        .run(["revoke-vpce", "--api-id", &c.api_id, "--vpce", &c.vpce])
        .ok();
    let v = fails_exactly(c.doctor(&[]), "policy.admits-vpce");
    assert_eq!(
        v.finding("policy.admits-vpce").fix,
        Some(format!(
            "xapi grant-vpce --api-id {} --vpce {}",
            c.api_id, c.vpce
        ))
    );
}

#[test]
fn an_open_policy_fails_policy_restricts_source() {
    let c = chain(63);
    let open = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    c.put_policy(open);
    c.redeploy_marked(open);
    fails_exactly(c.doctor(&[]), "policy.restricts-source");
}

#[test]
fn a_policy_change_without_redeploy_fails_policy_deployed() {
    let c = chain(64);
    let wider = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}},{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{{"StringNotEquals":{{"aws:SourceVpce":["{}","vpce-0fffffffffffffff0"]}}}}}}]}}"#,
        c.vpce
    );
    c.put_policy(&wider);
    fails_exactly(c.doctor(&[]), "policy.deployed");
}

#[test]
fn stale_targets_fail_targets_match_endpoint() {
    let c = chain(65);
    rt().block_on(async {
        use aws_sdk_elasticloadbalancingv2::types::TargetDescription;
        aws_sdk_elasticloadbalancingv2::Client::new(&c.ccfg)
            .register_targets()
            .target_group_arn(&c.tg_arn)
            .targets(
                TargetDescription::builder()
                    .id("10.65.1.250")
                    .port(443)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let v = fails_exactly(c.doctor(&[]), "targets.match-endpoint");
    assert!(format!("{v:?}").contains("stale 10.65.1.250"));
}

#[test]
fn a_closed_security_group_fails_endpoint_sg_443() {
    let c = chain(66);
    rt().block_on(async {
        let rules = c
            .ec2()
            .describe_security_group_rules()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("group-id")
                    .values(&c.vpc.sg_id)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let ids: Vec<String> = rules
            .security_group_rules()
            .iter()
            .filter(|r| r.is_egress() != Some(true))
            .filter_map(|r| r.security_group_rule_id().map(str::to_owned))
            .collect();
        c.ec2()
            .revoke_security_group_ingress()
            .group_id(&c.vpc.sg_id)
            .set_security_group_rule_ids(Some(ids))
            .send()
            .await
            .unwrap();
    });
    fails_exactly(c.doctor(&[]), "endpoint.sg-443");
}

#[test]
fn vpc_dns_hostnames_off_fails_endpoint_vpc_dns() {
    let c = chain(67);
    rt().block_on(async {
        c.ec2()
            .modify_vpc_attribute()
            .vpc_id(&c.vpc.vpc_id)
            .enable_dns_hostnames(
                aws_sdk_ec2::types::AttributeBooleanValue::builder()
                    .value(false)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    fails_exactly(c.doctor(&[]), "endpoint.vpc-dns");
}

#[test]
fn an_endpoint_policy_for_another_api_fails_endpoint_policy() {
    let c = chain(68);
    let policy = format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{}:otherapi00/*"}}]}}"#,
        c.producer
    );
    rt().block_on(async {
        c.ec2()
            .modify_vpc_endpoint()
            .vpc_endpoint_id(&c.vpce)
            .policy_document(policy)
            .send()
            .await
            .unwrap();
    });
    fails_exactly(c.doctor(&[]), "endpoint.policy");
}

#[test]
fn a_missing_listener_fails_nlb_listener() {
    let c = chain(69);
    rt().block_on(async {
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&c.ccfg);
        let lb = elb
            .describe_load_balancers()
            .names("front-nlb")
            .send()
            .await
            .unwrap()
            .load_balancers
            .unwrap()
            .remove(0);
        let listeners = elb
            .describe_listeners()
            .load_balancer_arn(lb.load_balancer_arn().unwrap())
            .send()
            .await
            .unwrap();
        for l in listeners.listeners() {
            elb.delete_listener()
                .listener_arn(l.listener_arn().unwrap())
                .send()
                .await
                .unwrap();
        }
    });
    // Without the listener the target group cannot be discovered: name it (and the endpoint).
    fails_exactly(
        c.doctor(&["--target-group-arn", &c.tg_arn, "--vpce", &c.vpce]),
        "nlb.listener",
    );
}

#[test]
fn an_integration_to_the_wrong_stage_fails_front_integration() {
    let c = chain(70);
    rt().block_on(async {
        let apigw = aws_sdk_apigateway::Client::new(&c.ccfg);
        let resources = apigw
            .get_resources()
            .rest_api_id(&c.front)
            .send()
            .await
            .unwrap()
            .items
            .unwrap();
        let proxy = resources
            .iter()
            .find(|r| r.path() == Some("/{proxy+}"))
            .unwrap();
        apigw
            .put_integration()
            .rest_api_id(&c.front)
            .resource_id(proxy.id().unwrap())
            .http_method("ANY")
            .integration_http_method("ANY")
            .r#type(aws_sdk_apigateway::types::IntegrationType::HttpProxy)
            .connection_type(aws_sdk_apigateway::types::ConnectionType::VpcLink)
            .connection_id("whatever")
            .uri(format!(
                "https://{}.execute-api.us-east-1.amazonaws.com/staging/{{proxy}}",
                c.api_id
            ))
            .send()
            .await
            .unwrap();
    });
    let v = fails_exactly(c.doctor(&[]), "front.integration");
    assert!(format!("{v:?}").contains("stage 'staging'"));
}

#[test]
fn an_unknown_endpoint_fails_endpoint_exists() {
    let c = chain(71);
    fails_exactly(
        c.doctor(&["--vpce", "vpce-0123456789abcdef9"]),
        "endpoint.exists",
    );
}

#[test]
fn a_regional_api_fails_api_private() {
    let c = chain(72);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}},{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{{"StringNotEquals":{{"aws:SourceVpce":["{}"]}}}}}}]}}"#,
        c.vpce
    );
    let regional = rt().block_on(async {
        let apigw = aws_sdk_apigateway::Client::new(&c.pcfg);
        let id = apigw
            .create_rest_api()
            .name("public")
            .policy(&policy)
            .endpoint_configuration(
                aws_sdk_apigateway::types::EndpointConfiguration::builder()
                    .types(aws_sdk_apigateway::types::EndpointType::Regional)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .id
            .unwrap();
        seed_mock_stage(&apigw, &id).await;
        id
    });
    let api = xapi::policy::ApiRef {
        region: "us-east-1".into(),
        account: c.producer.clone(),
        api_id: regional.clone(),
    };
    let hash = xapi::policy::PolicyDocument::parse(&policy)
        .unwrap()
        .canonical_sha256(&api);
    rt().block_on(async {
        aws_sdk_apigateway::Client::new(&c.pcfg)
            .create_deployment()
            .rest_api_id(&regional)
            .stage_name("prod")
            .description(format!("xapi policy-sha256={hash}"))
            .send()
            .await
            .unwrap();
    });
    let producer_role = role_arn(&c.producer);
    let run = Xapi::as_account(&moto_url(), &c.consumer).run([
        "doctor",
        "--api-id",
        &regional,
        "--vpce",
        &c.vpce,
        "--producer-role-arn",
        &producer_role,
        "--output",
        "json",
    ]);
    fails_exactly(run, "api.private");
}

async fn seed_mock_stage(apigw: &aws_sdk_apigateway::Client, id: &str) {
    let root = apigw
        .get_resources()
        .rest_api_id(id)
        .send()
        .await
        .unwrap()
        .items
        .unwrap()
        .remove(0)
        .id
        .unwrap();
    apigw
        .put_method()
        .rest_api_id(id)
        .resource_id(&root)
        .http_method("GET")
        .authorization_type("NONE")
        .send()
        .await
        .unwrap();
    apigw
        .put_integration()
        .rest_api_id(id)
        .resource_id(&root)
        .http_method("GET")
        .r#type(aws_sdk_apigateway::types::IntegrationType::Mock)
        .send()
        .await
        .unwrap();
}

#[test]
fn without_producer_credentials_the_producer_checks_skip_and_say_why() {
    let c = chain(73);
    let v = Xapi::as_account(&moto_url(), &c.consumer)
        .run(["doctor", "--front-api-id", &c.front, "--output", "json"])
        .ok()
        .parse::<Doctor>();
    let api = v.finding("api.private");
    assert_eq!(api.status, Status::Skip);
    assert!(api.message.contains("--producer-role-arn"), "{api:#?}");
    assert_eq!(v.summary.fail, 0);
    Xapi::as_account(&moto_url(), &c.consumer)
        .run(["doctor"])
        .expect_code(2);
}

/// Pattern 2 on moto: a VPC-attached function calls the private API through
/// the consumer's endpoint; doctor finds the endpoint from the function's VPC.
#[test]
fn pattern_2_lambda_consumer_is_checked_from_the_function() {
    let (consumer, producer) = (fresh_account(), fresh_account());
    let (ccfg, vpc, api_id) = rt().block_on(async {
        let pcfg = seed::account_config(&producer).await;
        let api = seed::private_api(&pcfg, "prod", None).await;
        let ccfg = seed::account_config(&consumer).await;
        let vpc = seed::consumer_vpc(&ccfg, 80, true).await;
        (ccfg, vpc, api)
    });
    let vpce = common::xapi_endpoint(&consumer, &vpc);
    Xapi::as_account(&moto_url(), &producer)
        .run(["grant-vpce", "--api-id", &api_id, "--vpce", &vpce])
        .ok();
    let ec2 = aws_sdk_ec2::Client::new(&ccfg);
    let function_sg = rt().block_on(async {
        let sg = ec2
            .create_security_group()
            .group_name("orders-client")
            .description("the function")
            .vpc_id(&vpc.vpc_id)
            .send()
            .await
            .unwrap()
            .group_id
            .unwrap();
        ec2.authorize_security_group_ingress()
            .group_id(&vpc.sg_id)
            .ip_permissions(
                aws_sdk_ec2::types::IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .user_id_group_pairs(aws_sdk_ec2::types::UserIdGroupPair::builder().group_id(&sg).build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let role = seed::create_role(
            &ccfg,
            "orders-client",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .await;
        // An empty zip archive: the function is never invoked here.
        let empty_zip = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
        aws_sdk_lambda::Client::new(&ccfg)
            .create_function()
            .function_name("orders-client")
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(role)
            .handler("index.handler")
            .code(aws_sdk_lambda::types::FunctionCode::builder().zip_file(aws_sdk_lambda::primitives::Blob::new(empty_zip)).build())
            .vpc_config(
                aws_sdk_lambda::types::VpcConfig::builder()
                    .subnet_ids(&vpc.subnet_ids[0])
                    .security_group_ids(&sg)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        sg
    });
    let producer_role = role_arn(&producer);
    let doctor = || {
        Xapi::as_account(&moto_url(), &consumer).run([
            "doctor",
            "--lambda",
            "orders-client",
            "--api-id",
            &api_id,
            "--producer-role-arn",
            &producer_role,
            "--output",
            "json",
        ])
    };
    let run = doctor().ok();
    let v = run.parse::<Doctor>();
    let lambda: Vec<(String, Status)> = findings(&v)
        .into_iter()
        .filter(|(c, _)| c.starts_with("lambda."))
        .collect();
    assert_eq!(
        lambda,
        [
            ("lambda.vpc", Status::Pass),
            ("lambda.private-dns", Status::Pass),
            ("lambda.sg-443", Status::Pass)
        ]
        .map(|(c, s)| (c.to_owned(), s))
    );
    assert_eq!(v.summary.fail, 0, "{v:#?}");
    assert!(
        run.stdout().contains(&vpce),
        "the endpoint was found from the function's VPC"
    );

    // The endpoint's group admits 443, but from the wrong source.
    rt().block_on(async {
        ec2.revoke_security_group_ingress()
            .group_id(&vpc.sg_id)
            .ip_permissions(
                aws_sdk_ec2::types::IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .user_id_group_pairs(
                        aws_sdk_ec2::types::UserIdGroupPair::builder()
                            .group_id(&function_sg)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        ec2.authorize_security_group_ingress()
            .group_id(&vpc.sg_id)
            .ip_protocol("tcp")
            .from_port(443)
            .to_port(443)
            .cidr_ip("192.168.0.0/16")
            .send()
            .await
            .unwrap();
    });
    let v = fails_exactly(doctor(), "lambda.sg-443");
    assert!(format!("{v:?}").contains(&format!("--source-group {function_sg}")));
    Xapi::as_account(&moto_url(), &consumer)
        .run(["doctor", "--lambda", "no-such-function"])
        .expect_code(1);
}

/// Cascade 1: an S3 interface endpoint passed as --vpce by mistake fails
/// endpoint.exists and nothing else; no fix tells the user to grant it or to
/// register its addresses.
#[test]
fn an_s3_endpoint_as_vpce_fails_endpoint_exists_only() {
    let c = chain(74);
    let s3 = rt().block_on(async {
        c.ec2()
            .create_vpc_endpoint()
            .vpc_id(&c.vpc.vpc_id)
            .service_name("com.amazonaws.us-east-1.s3")
            .vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Interface)
            .subnet_ids(&c.vpc.subnet_ids[0])
            .send()
            .await
            .unwrap()
            .vpc_endpoint
            .and_then(|e| e.vpc_endpoint_id)
            .unwrap()
    });
    let v = fails_exactly(c.doctor(&["--vpce", &s3]), "endpoint.exists");
    assert_eq!(v.summary.fail, 1);
    for check in ["policy.admits-vpce", "targets.match-endpoint"] {
        let f = v.finding(check);
        assert_eq!(f.status, Status::Skip, "{f:#?}");
        assert_eq!(f.blocked_by.as_deref(), Some("endpoint.exists"), "{f:#?}");
        assert!(f.fix.is_none(), "{f:#?}");
    }
}

/// Cascade 2: no resource policy fails policy.present and nothing else.
#[test]
fn no_resource_policy_fails_policy_present_only() {
    let producer = fresh_account();
    let api_id = rt().block_on(async {
        let pcfg = seed::account_config(&producer).await;
        seed::private_api(&pcfg, "prod", None).await
    });
    let v = Xapi::as_account(&moto_url(), &producer)
        .run(["doctor", "--api-id", &api_id, "--output", "json"])
        .expect_code(1)
        .parse::<Doctor>();
    let failing: Vec<(String, Status)> = findings(&v)
        .into_iter()
        .filter(|(_, s)| *s == Status::Fail)
        .collect();
    assert_eq!(
        failing,
        [("policy.present".to_owned(), Status::Fail)],
        "{v:#?}"
    );
    for check in ["policy.restricts-source", "policy.size", "policy.deployed"] {
        assert_eq!(
            v.finding(check).blocked_by.as_deref(),
            Some("policy.present"),
            "{v:#?}"
        );
    }
}

/// front.exposure: the front wire-regional-front makes is open (a warning with
/// the fix); a resource policy limiting source addresses closes it.
#[test]
fn an_open_front_warns_and_a_source_ip_policy_passes_front_exposure() {
    let c = chain(75);
    let v = c.doctor(&[]).ok().parse::<Doctor>();
    let f = v.finding("front.exposure");
    assert_eq!(f.status, Status::Warn, "{f:#?}");
    assert!(f.message.contains("no resource policy"), "{f:#?}");
    assert!(
        f.fix.as_deref().unwrap().contains("--authorization iam"),
        "{f:#?}"
    );
    let set_policy = |policy: &str| {
        rt().block_on(seed::put_policy(&c.ccfg, &c.front, policy));
    };
    set_policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}}]}"#,
    );
    let v = c.doctor(&[]).ok().parse::<Doctor>();
    let f = v.finding("front.exposure");
    assert_eq!(f.status, Status::Pass, "{f:#?}");
    assert!(f.message.contains("refuses an anonymous request"), "{f:#?}");

    // Conditions on aws:SourceIp are not enough: `Allow *` beside a Deny of one
    // address is open to every other address.
    set_policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#,
    );
    let v = c.doctor(&[]).ok().parse::<Doctor>();
    let f = v.finding("front.exposure");
    assert_eq!(f.status, Status::Warn, "{f:#?}");
    assert!(
        f.message.contains("admits an anonymous request from"),
        "{f:#?}"
    );
    // A Deny of every address but one /32 keeps the internet out.
    set_policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#,
    );
    let v = c.doctor(&[]).ok().parse::<Doctor>();
    assert_eq!(v.finding("front.exposure").status, Status::Pass, "{v:#?}");
}

/// An mTLS stack as `mtls deploy` makes it, with everything around it: the
/// proxy VPC's execute-api endpoint, the private API admitting it, and a
/// consumer's endpoint to the service.
struct MtlsStack {
    producer: String,
    consumer: String,
    pcfg: SdkConfig,
    api_id: String,
    upstream_vpce: String,
    consumer_vpce: String,
    stack: json::MtlsStack,
    proxy: common::proxy::Proxy,
    /// The stack's CA (`ca.pem`, `ca.key`), as `mtls certs` wrote it.
    certs: tempfile::TempDir,
}

/// How the proxy VPC's execute-api endpoint is made (the emulator cannot turn
/// private DNS off afterwards, so that fault is set up from the start).
#[derive(Clone, Copy, PartialEq)]
enum Upstream {
    Healthy,
    NoPrivateDns,
    No443,
}

fn mtls_stack(octet: u8, upstream: Upstream) -> MtlsStack {
    let (producer, consumer) = (fresh_account(), fresh_account());
    let (pcfg, pvpc) = rt().block_on(async {
        let pcfg = seed::account_config(&producer).await;
        let vpc = seed::consumer_vpc(&pcfg, octet, true).await;
        (pcfg, vpc)
    });
    let certs = tempfile::tempdir().unwrap();
    let dir = certs.path().join("certs").display().to_string();
    Xapi::new(&moto_url())
        .run([
            "mtls",
            "certs",
            "--out",
            &dir,
            "--server-name",
            "proxy.orders.example",
            "--client",
            "partner",
        ])
        .ok();
    let mut create = vec![
        "endpoint".to_owned(),
        "create".into(),
        "--vpc-id".into(),
        pvpc.vpc_id.clone(),
        "--subnet-id".into(),
        pvpc.subnet_ids[0].clone(),
        "--subnet-id".into(),
        pvpc.subnet_ids[1].clone(),
        "--security-group-id".into(),
        pvpc.sg_id.clone(),
        "--output".into(),
        "json".into(),
    ];
    if upstream == Upstream::NoPrivateDns {
        create.push("--no-private-dns".into());
    }
    let upstream_vpce = Xapi::as_account(&moto_url(), &producer)
        .run(&create)
        .ok()
        .parse::<json::EndpointCreate>()
        .endpoint
        .unwrap()
        .id;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}},{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{{"StringNotEquals":{{"aws:SourceVpce":"{upstream_vpce}"}}}}}}]}}"#
    );
    let api_id = rt().block_on(seed::private_api(&pcfg, "prod", Some(&policy)));
    let mut deploy = vec![
        "mtls".to_owned(),
        "deploy".into(),
        "--name".into(),
        "orders".into(),
        "--vpc-id".into(),
        pvpc.vpc_id.clone(),
        "--image".into(),
        "111122223333.dkr.ecr.us-east-1.amazonaws.com/mtls-proxy:1".into(),
        "--certs".into(),
        dir.clone(),
        "--allow-account".into(),
        consumer.clone(),
        "--output".into(),
        "json".into(),
    ];
    for s in &pvpc.subnet_ids {
        deploy.extend(["--subnet-id".into(), s.clone()]);
    }
    let stack = Xapi::as_account(&moto_url(), &producer)
        .run(&deploy)
        .ok()
        .parse::<json::MtlsDeploy>()
        .stack;
    if upstream != Upstream::No443 {
        // The endpoint admits TCP 443 from the proxy tasks' security group.
        let tasks_sg = stack.security_group_id.clone().unwrap();
        rt().block_on(async {
            aws_sdk_ec2::Client::new(&pcfg)
                .authorize_security_group_ingress()
                .group_id(&pvpc.sg_id)
                .ip_permissions(
                    aws_sdk_ec2::types::IpPermission::builder()
                        .ip_protocol("tcp")
                        .from_port(443)
                        .to_port(443)
                        .user_id_group_pairs(
                            aws_sdk_ec2::types::UserIdGroupPair::builder()
                                .group_id(tasks_sg)
                                .build(),
                        )
                        .build(),
                )
                .send()
                .await
                .unwrap();
        });
    }
    let cvpc = rt().block_on(async {
        let ccfg = seed::account_config(&consumer).await;
        seed::consumer_vpc(&ccfg, octet + 1, true).await
    });
    let consumer_vpce = Xapi::as_account(&moto_url(), &consumer)
        .run([
            "endpoint",
            "create",
            "--service-name",
            stack.endpoint_service_name.as_deref().unwrap(),
            "--vpc-id",
            &cvpc.vpc_id,
            "--subnet-id",
            &cvpc.subnet_ids[0],
            "--security-group-id",
            &cvpc.sg_id,
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::EndpointCreate>()
        .endpoint
        .unwrap()
        .id;
    let m = MtlsStack {
        proxy: common::proxy::Proxy::start(&moto_url()),
        producer,
        consumer,
        pcfg,
        api_id,
        upstream_vpce,
        consumer_vpce,
        stack,
        certs,
    };
    m.answer_as_aws("available");
    m
}

impl MtlsStack {
    /// Change the deployed secret's JSON as a hand edit (or time) would.
    fn edit_secret(&self, edit: impl FnOnce(&mut serde_json::Value)) {
        rt().block_on(seed::edit_secret_json(&self.pcfg, "xapi/mtls/orders", edit));
    }

    /// What the emulator cannot show, answered as AWS would: the ECS service
    /// running its desired tasks, those tasks registered and healthy behind the
    /// NLB, and the consumer's connection in `state`.
    fn answer_as_aws(&self, state: &str) {
        let s = &self.stack;
        let service = serde_json::json!({
            "services": [{
                "serviceArn": s.service_arn,
                "serviceName": "orders-mtls-proxy",
                "clusterArn": s.cluster_arn,
                "status": "ACTIVE",
                "desiredCount": 2,
                "runningCount": 2,
                "pendingCount": 0,
                "launchType": "FARGATE",
                "taskDefinition": s.task_definition_arn,
                "networkConfiguration": {"awsvpcConfiguration": {
                    "subnets": self.task_subnets(),
                    "securityGroups": [s.security_group_id],
                    "assignPublicIp": "DISABLED"
                }},
                "loadBalancers": [{"targetGroupArn": s.target_group_arn, "containerName": "proxy", "containerPort": 443}]
            }],
            "failures": []
        })
        .to_string();
        let health = r#"<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult><TargetHealthDescriptions><member><Target><Id>10.50.1.25</Id><Port>443</Port><AvailabilityZone>us-east-1a</AvailabilityZone></Target><HealthCheckPort>8080</HealthCheckPort><TargetHealth><State>healthy</State></TargetHealth></member><member><Target><Id>10.50.2.25</Id><Port>443</Port><AvailabilityZone>us-east-1b</AvailabilityZone></Target><HealthCheckPort>8080</HealthCheckPort><TargetHealth><State>healthy</State></TargetHealth></member></TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTargetHealthResponse>"#;
        let service_id = s.endpoint_service_id.clone().unwrap();
        let connections = format!(
            r#"<DescribeVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcEndpointConnectionSet><item><serviceId>{service_id}</serviceId><vpcEndpointId>{}</vpcEndpointId><vpcEndpointOwner>{}</vpcEndpointOwner><vpcEndpointState>{state}</vpcEndpointState></item></vpcEndpointConnectionSet></DescribeVpcEndpointConnectionsResponse>"#,
            self.consumer_vpce, self.consumer
        );
        self.proxy.respond_with(move |r| {
            let canned = |content_type: &str, body: &str| {
                Some(common::proxy::Canned {
                    status: 200,
                    content_type: content_type.into(),
                    body: body.into(),
                })
            };
            match r.operation().as_str() {
                "DescribeServices" => canned("application/x-amz-json-1.1", &service),
                "DescribeTargetHealth" => canned("text/xml", health),
                "DescribeVpcEndpointConnections" => canned("text/xml", &connections),
                _ => None,
            }
        });
    }

    fn task_subnets(&self) -> Vec<String> {
        rt().block_on(async {
            let input =
                serde_json::json!({"cluster": "orders-mtls", "services": ["orders-mtls-proxy"]});
            let out = xapi::aws::json_rpc::call(
                &self.pcfg,
                xapi::aws::json_rpc::ECS,
                "DescribeServices",
                input,
            )
            .await
            .unwrap();
            serde_json::from_value(
                out["services"][0]["networkConfiguration"]["awsvpcConfiguration"]["subnets"]
                    .clone(),
            )
            .unwrap()
        })
    }

    fn doctor(&self) -> Run {
        Xapi::as_account(&self.proxy.url, &self.consumer).run([
            "doctor",
            "--mtls",
            "orders",
            "--vpce",
            &self.consumer_vpce,
            "--api-id",
            &self.api_id,
            "--producer-role-arn",
            &role_arn(&self.producer),
            "--output",
            "json",
        ])
    }

    fn mtls_fails_exactly(&self, check: &str) -> Doctor {
        let v = fails_exactly(self.doctor(), check);
        assert_eq!(v.summary.fail, 1, "{v:#?}");
        v
    }
}

#[test]
fn a_deployed_mtls_stack_passes_every_check() {
    let m = mtls_stack(90, Upstream::Healthy);
    let v = m.doctor().ok().parse::<Doctor>();
    let ids: Vec<String> = findings(&v).into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        ids,
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
    // mtls.consumer-endpoint, mtls.targets and mtls.tasks pass here only through
    // the proxy's canned answers: the emulator answers 500 to
    // DescribeVpcEndpointConnections, never starts tasks and so registers no targets.
    for (check, status) in findings(&v) {
        assert_eq!(status, Status::Pass, "{check}: {v:#?}");
    }
    // Without them, the emulator's own view: no task runs.
    m.proxy.respond_with(|_| None);
    let v = m.doctor().expect_code(1).parse::<Doctor>();
    assert_eq!(v.finding("mtls.tasks").status, Status::Fail, "{v:#?}");
    // The snapshot holds no key material and replays to the same findings.
    m.answer_as_aws("available");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mtls.json");
    let mut args: Vec<String> = [
        "doctor",
        "--mtls",
        "orders",
        "--vpce",
        &m.consumer_vpce,
        "--api-id",
        &m.api_id,
        "--producer-role-arn",
        &role_arn(&m.producer),
        "--output",
        "json",
        "--snapshot-out",
    ]
    .map(String::from)
    .to_vec();
    args.push(path.display().to_string());
    let live = Xapi::as_account(&m.proxy.url, &m.consumer)
        .run(&args)
        .ok()
        .json();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        !saved.contains("PRIVATE KEY") && !saved.contains("CERTIFICATE-----"),
        "{saved}"
    );
    let replay = Xapi::new("http://127.0.0.1:9")
        .env_remove("AWS_REGION")
        .run([
            "doctor",
            "--from-snapshot",
            path.to_str().unwrap(),
            "--output",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(replay["findings"], live["findings"]);
}

#[test]
fn mtls_principal_removed_fails_mtls_principals_only() {
    let m = mtls_stack(92, Upstream::Healthy);
    // Straight through EC2, as someone editing the service by hand would: `mtls allow
    // --revoke` also rejects live connections, which the emulator cannot list.
    rt().block_on(async {
        aws_sdk_ec2::Client::new(&m.pcfg)
            .modify_vpc_endpoint_service_permissions()
            .service_id(m.stack.endpoint_service_id.as_deref().unwrap())
            .remove_allowed_principals(format!("arn:aws:iam::{}:root", m.consumer))
            .send()
            .await
            .unwrap();
    });
    let v = m.mtls_fails_exactly("mtls.principals");
    assert_eq!(
        v.finding("mtls.consumer-endpoint").blocked_by.as_deref(),
        Some("mtls.principals")
    );
    assert_eq!(
        v.finding("mtls.principals").fix,
        Some(format!(
            "xapi mtls allow --name orders --account {}",
            m.consumer
        ))
    );
}

#[test]
fn mtls_listener_deleted_fails_mtls_nlb_only() {
    let m = mtls_stack(94, Upstream::Healthy);
    rt().block_on(async {
        aws_sdk_elasticloadbalancingv2::Client::new(&m.pcfg)
            .delete_listener()
            .listener_arn(m.stack.listener_arn.as_deref().unwrap())
            .send()
            .await
            .unwrap();
    });
    let v = m.mtls_fails_exactly("mtls.nlb");
    assert_eq!(
        v.finding("mtls.targets").blocked_by.as_deref(),
        Some("mtls.nlb")
    );
}

#[test]
fn mtls_secret_deleted_fails_mtls_secret_only() {
    let m = mtls_stack(96, Upstream::Healthy);
    rt().block_on(async {
        let input =
            serde_json::json!({"SecretId": "xapi/mtls/orders", "ForceDeleteWithoutRecovery": true});
        seed::secrets(&m.pcfg, "DeleteSecret", input).await.unwrap();
    });
    let v = m.mtls_fails_exactly("mtls.secret");
    assert_eq!(
        v.finding("mtls.tasks").blocked_by.as_deref(),
        Some("mtls.secret")
    );
}

#[test]
fn mtls_secret_holding_a_ca_key_fails_mtls_secret_only() {
    let m = mtls_stack(98, Upstream::Healthy);
    m.edit_secret(|v| {
        v["ca_key"] = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----".into();
    });
    let run = m.doctor();
    let report = run.stdout();
    let v = fails_exactly(run, "mtls.secret");
    assert_eq!(v.summary.fail, 1, "{v:#?}");
    assert!(
        v.finding("mtls.secret").message.contains("ca_key"),
        "{v:#?}"
    );
    assert!(!report.contains("MIGHAgEA"), "key material in the report");
}

/// The deployed CRL is some other CA's (as a lapsed or swapped file would
/// leave it): NGINX refuses every client, and `mtls.secret` fails naming the
/// stack's CA.
#[test]
fn mtls_secret_without_the_cas_crl_fails_mtls_secret_only() {
    use crate::mtls_nginx::{crl_until, test_ca};
    let m = mtls_stack(108, Upstream::Healthy);
    let other = test_ca("Someone Else", None, None);
    m.edit_secret(|v| v["crl"] = crl_until(&other, time::Duration::days(30)).into());
    let v = m.mtls_fails_exactly("mtls.secret");
    let f = v.finding("mtls.secret");
    assert!(
        f.message.contains("no CRL signed by CN=xapi mTLS CA "),
        "{v:#?}"
    );
    assert!(
        f.fix.as_deref().unwrap_or("").contains("mtls deploy"),
        "{v:#?}"
    );
}

/// The CRL is the issuer pin, so it must never lapse: a deployed CRL of
/// the stack's own CA past its next update fails `mtls.secret` alone
/// (NGINX refuses every client), and one that lapses within 14 days warns.
#[test]
fn a_lapsed_deployed_crl_fails_mtls_secret_and_one_lapsing_soon_warns() {
    use crate::mtls_nginx::crl_of_issuer_until;
    let m = mtls_stack(110, Upstream::Healthy);
    let dir = m.certs.path().join("certs");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let ca = rcgen::Issuer::from_ca_cert_pem(
        &read("ca.pem"),
        rcgen::KeyPair::from_pem(&read("ca.key")).unwrap(),
    )
    .unwrap();
    let deploy_crl = |crl: String| m.edit_secret(|v| v["crl"] = crl.into());

    deploy_crl(crl_of_issuer_until(&ca, time::Duration::hours(-1)));
    let v = m.mtls_fails_exactly("mtls.secret");
    let f = v.finding("mtls.secret");
    assert!(
        f.message.contains("lapsed") && f.message.contains("refuses every client"),
        "{v:#?}"
    );
    assert!(
        f.fix.as_deref().unwrap_or("").contains("mtls deploy"),
        "{v:#?}"
    );

    deploy_crl(crl_of_issuer_until(&ca, time::Duration::days(10)));
    let v = m.doctor().ok().parse::<Doctor>();
    let f = v.finding("mtls.secret");
    assert_eq!(f.status, Status::Warn, "{v:#?}");
    assert!(f.message.contains("lapses in"), "{v:#?}");
}

#[test]
fn mtls_upstream_endpoint_without_private_dns_fails_only_it() {
    let m = mtls_stack(100, Upstream::NoPrivateDns);
    let v = m.mtls_fails_exactly("mtls.upstream-endpoint");
    assert_eq!(
        v.finding("mtls.api-policy").blocked_by.as_deref(),
        Some("mtls.upstream-endpoint")
    );
}

#[test]
fn mtls_upstream_security_group_without_443_fails_only_it() {
    let m = mtls_stack(102, Upstream::No443);
    let v = m.mtls_fails_exactly("mtls.upstream-endpoint");
    assert!(v
        .finding("mtls.upstream-endpoint")
        .fix
        .as_deref()
        .unwrap()
        .contains(m.stack.security_group_id.as_deref().unwrap()));
}

#[test]
fn mtls_api_policy_not_admitting_the_proxy_endpoint_fails_only_it() {
    let m = mtls_stack(104, Upstream::Healthy);
    let other = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0fffffffffffffff0"}}}]}"#;
    rt().block_on(async {
        aws_sdk_apigateway::Client::new(&m.pcfg)
            .update_rest_api()
            .rest_api_id(&m.api_id)
            .patch_operations(
                aws_sdk_apigateway::types::PatchOperation::builder()
                    .op(aws_sdk_apigateway::types::Op::Replace)
                    .path("/policy")
                    .value(other)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let v = m.mtls_fails_exactly("mtls.api-policy");
    assert_eq!(
        v.finding("mtls.api-policy").fix,
        Some(format!(
            "xapi grant-vpce --api-id {} --vpce {}",
            m.api_id, m.upstream_vpce
        ))
    );
}

#[test]
fn mtls_consumer_connection_pending_fails_only_it() {
    let m = mtls_stack(106, Upstream::Healthy);
    m.answer_as_aws("pendingAcceptance");
    let v = m.mtls_fails_exactly("mtls.consumer-endpoint");
    assert_eq!(
        v.finding("mtls.consumer-endpoint").fix.as_deref(),
        Some("xapi mtls accept --name orders")
    );
}

/// policy.deployed for a deployment xapi did not make: the stage's export
/// (API Gateway extensions) carries the deployed policy. The emulator's export
/// omits it, so the proxy answers as AWS does.
#[test]
fn policy_deployed_compares_the_stage_export_when_xapi_did_not_deploy() {
    let producer = fresh_account();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:SourceVpce":["vpce-0123456789abcdef0"]}}}]}"#;
    let api_id = rt().block_on(async {
        let pcfg = seed::account_config(&producer).await;
        seed::private_api(&pcfg, "prod", Some(policy)).await
    });
    let proxy = common::proxy::Proxy::start(&moto_url());
    let doctor = || {
        Xapi::as_account(&proxy.url, &producer)
            .run(["doctor", "--api-id", &api_id, "--output", "json"])
            .parse::<Doctor>()
    };
    // What the emulator exports: no policy, so whether it is live is unknown.
    let v = doctor();
    assert_eq!(v.finding("policy.deployed").status, Status::Warn, "{v:#?}");
    let asked = proxy
        .requests()
        .into_iter()
        .find(|r| r.path.contains("/stages/prod/exports/oas30"))
        .expect("the stage's export was read");
    assert!(
        asked.path.contains("extensions=apigateway"),
        "{}",
        asked.path
    );

    // AWS's export: the policy as an object, execute-api:/* expanded to the ARN.
    let export = |vpce: &str| {
        let arn = format!("arn:aws:execute-api:us-east-1:{producer}:{api_id}/*");
        serde_json::json!({
            "openapi": "3.0.1",
            "info": {"title": "orders-private", "version": "2026-11-30T07:00:00Z"},
            "paths": {"/hello": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}},
            "x-amazon-apigateway-policy": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn},
                    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn,
                     "Condition": {"StringNotEquals": {"aws:SourceVpce": [vpce]}}}
                ]
            }
        })
        .to_string()
    };
    let answer = |body: String| {
        move |r: &common::proxy::Recorded| {
            (r.method == "GET" && r.path.contains("/exports/oas30"))
                .then(|| common::proxy::Canned::json(200, body.clone()))
        }
    };
    proxy.respond_with(answer(export("vpce-0123456789abcdef0")));
    let v = doctor();
    let f = v.finding("policy.deployed");
    assert_eq!(f.status, Status::Pass, "{v:#?}");
    assert!(f.message.contains("export"), "{f:#?}");

    proxy.respond_with(answer(export("vpce-0fffffffffffffff0")));
    let run = Xapi::as_account(&proxy.url, &producer)
        .run(["doctor", "--api-id", &api_id, "--output", "json"]);
    let v = fails_exactly(run, "policy.deployed");
    assert!(v
        .finding("policy.deployed")
        .fix
        .as_deref()
        .unwrap()
        .contains("create-deployment"));
}

/// Every call refused by IAM, each in its own service's protocol and words.
fn deny_everything(proxy: &common::proxy::Proxy) {
    use common::proxy::Canned;
    proxy.respond_with(|r| {
        Some(if r.body.contains("Version=2016-11-15") {
            Canned {
                status: 403,
                content_type: "text/xml".into(),
                body: "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>x</RequestID></Response>".into(),
            }
        } else if r.body.contains("Action=") {
            Canned {
                status: 403,
                content_type: "text/xml".into(),
                body: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform this action</Message></Error><RequestId>x</RequestId></ErrorResponse>".into(),
            }
        } else if r.target.is_some() {
            Canned {
                status: 400,
                content_type: "application/x-amz-json-1.1".into(),
                body: r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/auditor is not authorized to perform this action"}"#.into(),
            }
        } else {
            Canned::json(
                403,
                r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/auditor is not authorized to perform this action"}"#.into(),
            )
        })
    });
}

/// Nothing readable: doctor fails the checks of what the command line named,
/// for every pattern, and never exits 0 on a run of skips.
#[test]
fn doctor_where_every_read_is_denied_never_exits_0() {
    let proxy = common::proxy::Proxy::start(&moto_url());
    deny_everything(&proxy);
    let cases: [(&[&str], &[&str]); 4] = [
        (&["--front-api-id", "f1f2f3f4f5"], &["front.integration"]),
        (
            &["--api-id", "a1b2c3d4e5", "--vpce", "vpce-0123456789abcdef0"],
            &["endpoint.exists", "api.private"],
        ),
        (&["--lambda", "orders-client"], &["lambda.vpc"]),
        (
            &["--mtls", "orders"],
            &["mtls.service", "mtls.nlb", "mtls.secret"],
        ),
    ];
    for (args, failing) in cases {
        let mut argv = vec!["doctor", "--output", "json"];
        argv.extend(args);
        let run = Xapi::new(&proxy.url).run(&argv).expect_code(1);
        let v = run.parse::<Doctor>();
        let failed: Vec<&str> = v
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .map(|f| f.check.as_str())
            .collect();
        for check in failing {
            assert!(
                failed.contains(check),
                "{args:?}: {check} not failed: {v:#?}"
            );
            let f = v.finding(check);
            assert!(
                f.message.contains("could not be read")
                    && (f.message.contains("AccessDenied")
                        || f.message.contains("UnauthorizedOperation")),
                "{f:#?}"
            );
        }
        assert_eq!(v.summary.pass, 0, "{args:?}: {v:#?}");
    }
}

/// A snapshot in which nothing was read judges to all skips: exit 1, saying so.
#[test]
fn a_snapshot_with_nothing_read_is_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.json");
    let not_asked = serde_json::json!({"read": "not-asked", "why": "hand made"});
    let mut snap = serde_json::json!({
        "schema_version": 1,
        "region": "us-east-1",
        "dns_suffix": "amazonaws.com",
        "consumer_account": null,
        "producer_account": null,
        "stage": null,
    });
    for field in [
        "front",
        "link",
        "load_balancer",
        "listeners",
        "nlb_subnets",
        "target_group",
        "targets",
        "endpoint",
        "interfaces",
        "security_groups",
        "vpc_dns",
        "api",
        "stages",
        "deployments",
    ] {
        snap[field] = not_asked.clone();
    }
    std::fs::write(&path, snap.to_string()).unwrap();
    let run = Xapi::new("http://127.0.0.1:9")
        .run([
            "doctor",
            "--from-snapshot",
            path.to_str().unwrap(),
            "--output",
            "json",
        ])
        .expect_code(1);
    let v = run.parse::<Doctor>();
    assert_eq!((v.summary.pass, v.summary.warn, v.summary.fail), (0, 0, 0));
    assert!(v.summary.skip > 0);
    assert!(
        run.stderr().contains("doctor checked nothing"),
        "{}",
        run.stderr()
    );
}

/// `--snapshot-out` never writes through a symbolic link, and replaces a
/// file that was there (world-readable) with a private one.
#[cfg(unix)]
#[test]
fn the_doctor_snapshot_is_private_and_never_written_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let proxy = common::proxy::Proxy::start(&moto_url());
    deny_everything(&proxy);
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me\n").unwrap();
    let link = dir.path().join("evidence.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let doctor = |path: &std::path::Path| {
        Xapi::new(&proxy.url).run([
            "doctor",
            "--api-id",
            "a1b2c3d4e5",
            "--output",
            "json",
            "--snapshot-out",
            path.to_str().unwrap(),
        ])
    };
    let run = doctor(&link).expect_code(6);
    assert!(run.stderr().contains("symbolic link"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());

    let existing = dir.path().join("old.json");
    std::fs::write(&existing, "x".repeat(100_000)).unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    doctor(&existing).expect_code(1);
    let mode = std::fs::metadata(&existing).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let snap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&existing).unwrap()).unwrap();
    assert_eq!(snap["api"]["read"], "failed");
    assert_eq!(snap["api"]["required"], true);
}

/// The link's group loses its way out to the load balancer: exactly
/// link.v2-network fails, and its fix names the group.
#[test]
fn a_link_group_without_egress_fails_link_v2_network() {
    use aws_sdk_ec2::types::{IpPermission, IpRange};
    let c = chain(74);
    let group = rt().block_on(async {
        let link = aws_sdk_apigatewayv2::Client::new(&c.ccfg)
            .get_vpc_link()
            .vpc_link_id(&c.link_id)
            .send()
            .await
            .unwrap();
        let group = link.security_group_ids()[0].clone();
        for range in ["10.74.1.0/24", "10.74.2.0/24"] {
            c.ec2()
                .revoke_security_group_egress()
                .group_id(&group)
                .ip_permissions(
                    IpPermission::builder()
                        .ip_protocol("tcp")
                        .from_port(443)
                        .to_port(443)
                        .ip_ranges(IpRange::builder().cidr_ip(range).build())
                        .build(),
                )
                .send()
                .await
                .unwrap();
        }
        group
    });
    let v = fails_exactly(c.doctor(&[]), "link.v2-network");
    let f = v.finding("link.v2-network");
    assert!(f.message.contains("10.74.1.0/24"), "{f:#?}");
    assert!(
        f.fix.as_deref().unwrap().contains(&format!(
            "authorize-security-group-egress --group-id {group}"
        )),
        "{f:#?}"
    );
}
