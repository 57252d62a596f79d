//! Pattern 1 against a real moto server with two accounts: `wire-regional-front`,
//! `targets sync`, `vpc-link`, `teardown`.

use crate::common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use aws_config::SdkConfig;
use common::json::{self, Made, Verb};
use common::proxy::{Canned, Proxy};
use common::seed;
use common::{fresh_account, moto_url, role_arn, Run, Xapi};

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

pub(crate) struct Chain {
    pub(crate) consumer: String,
    producer: String,
    consumer_cfg: SdkConfig,
    pub(crate) api_id: String,
    pub(crate) vpc: seed::ConsumerVpc,
    pub(crate) vpce: String,
}

/// A producer with a private API and a consumer with an execute-api endpoint made by xapi.
pub(crate) fn chain(octet: u8) -> Chain {
    chain_with(octet, common::xapi_endpoint)
}

/// As [`chain`], the endpoint made by `endpoint(consumer account, its VPC)`.
pub(crate) fn chain_with(
    octet: u8,
    endpoint: impl FnOnce(&str, &seed::ConsumerVpc) -> String,
) -> Chain {
    let (consumer, producer) = (fresh_account(), fresh_account());
    let (consumer_cfg, vpc, api_id) = rt().block_on(async {
        let pcfg = seed::account_config(&producer).await;
        let api = seed::private_api(&pcfg, "prod", None).await;
        let ccfg = seed::account_config(&consumer).await;
        let vpc = seed::consumer_vpc(&ccfg, octet, true).await;
        (ccfg, vpc, api)
    });
    let vpce = endpoint(&consumer, &vpc);
    Chain {
        consumer,
        producer,
        consumer_cfg,
        api_id,
        vpc,
        vpce,
    }
}

impl Chain {
    fn wire(&self, endpoint: &str, extra: &[&str]) -> Run {
        self.wire_as(endpoint, "json", extra)
    }

    /// `wire-regional-front` with producer credentials, printing `output` (table or json).
    pub(crate) fn wire_as(&self, endpoint: &str, output: &str, extra: &[&str]) -> Run {
        self.wire_stack(endpoint, "front", output, extra)
    }

    /// As [`Chain::wire_as`] for the stack `name`.
    fn wire_stack(&self, endpoint: &str, name: &str, output: &str, extra: &[&str]) -> Run {
        let producer_role = role_arn(&self.producer);
        let mut args = vec![
            "wire-regional-front",
            "--private-api-id",
            &self.api_id,
            "--stage",
            "prod",
            "--vpce",
            &self.vpce,
            "--subnet-id",
            &self.vpc.subnet_ids[0],
            "--subnet-id",
            &self.vpc.subnet_ids[1],
            "--name",
            name,
            "--producer-role-arn",
            &producer_role,
            "--output",
            output,
        ];
        args.extend(extra);
        Xapi::as_account(endpoint, &self.consumer).run(&args)
    }

    pub(crate) fn eni_ips(&self) -> BTreeSet<String> {
        let show = Xapi::as_account(&moto_url(), &self.consumer)
            .run(["endpoint", "show", &self.vpce, "--output", "json"])
            .ok()
            .parse::<json::EndpointShow>();
        show.network_interfaces
            .into_iter()
            .map(|n| n.private_ip)
            .collect()
    }

    pub(crate) fn elb(&self) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&self.consumer_cfg)
    }

    fn apigw(&self) -> aws_sdk_apigateway::Client {
        aws_sdk_apigateway::Client::new(&self.consumer_cfg)
    }

    fn apigwv2(&self) -> aws_sdk_apigatewayv2::Client {
        aws_sdk_apigatewayv2::Client::new(&self.consumer_cfg)
    }

    fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.consumer_cfg)
    }

    fn target_ips(&self, tg_arn: &str) -> BTreeSet<String> {
        rt().block_on(async {
            self.elb()
                .describe_target_health()
                .target_group_arn(tg_arn)
                .send()
                .await
                .unwrap()
                .target_health_descriptions
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    let t = d.target.unwrap();
                    assert_eq!(t.port, Some(443));
                    t.id.unwrap()
                })
                .collect()
        })
    }

    /// Ids of everything in the consumer account that carries xapi:stack=front.
    fn tagged(&self) -> Vec<String> {
        let run = Xapi::as_account(&moto_url(), &self.consumer)
            .run([
                "teardown",
                "--stack",
                "front",
                "--dry-run",
                "--output",
                "json",
            ])
            .ok()
            .parse::<json::Teardown>();
        run.plan
            .actions
            .into_iter()
            .map(|a| a.details[0].clone())
            .collect()
    }
}

#[test]
fn wire_regional_front_builds_the_whole_chain() {
    let c = chain(50);
    let proxy = Proxy::start(&moto_url());
    let report = c.wire(&proxy.url, &[]).ok().parse::<json::Wire>();
    assert!(report.changed);
    let r = report.resources.as_ref().unwrap();
    let (lb_arn, tg_arn) = (
        r.load_balancer_arn.as_deref().unwrap(),
        r.target_group_arn.as_deref().unwrap(),
    );
    let (link_id, front_id) = (
        r.vpc_link_id.as_deref().unwrap(),
        r.front_api_id.as_deref().unwrap(),
    );

    rt().block_on(async {
        let elb = c.elb();
        let lb = elb
            .describe_load_balancers()
            .load_balancer_arns(lb_arn)
            .send()
            .await
            .unwrap()
            .load_balancers
            .unwrap()
            .remove(0);
        assert_eq!(lb.scheme.unwrap().as_str(), "internal");
        assert_eq!(lb.r#type.unwrap().as_str(), "network");
        let attrs = elb
            .describe_load_balancer_attributes()
            .load_balancer_arn(lb_arn)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap();
        assert!(attrs
            .iter()
            .any(|a| a.key() == Some("load_balancing.cross_zone.enabled")
                && a.value() == Some("true")));

        let tg = elb
            .describe_target_groups()
            .target_group_arns(tg_arn)
            .send()
            .await
            .unwrap()
            .target_groups
            .unwrap()
            .remove(0);
        assert_eq!(tg.protocol.unwrap().as_str(), "TCP");
        assert_eq!(tg.port, Some(443));
        assert_eq!(tg.target_type.unwrap().as_str(), "ip");
        assert_eq!(tg.health_check_protocol.unwrap().as_str(), "HTTPS");
        assert_eq!(tg.health_check_path.as_deref(), Some("/ping"));
        assert_eq!(tg.matcher.unwrap().http_code.as_deref(), Some("200-399"));

        let listeners = elb
            .describe_listeners()
            .load_balancer_arn(lb_arn)
            .send()
            .await
            .unwrap()
            .listeners
            .unwrap();
        assert_eq!(listeners.len(), 1);
        assert_eq!(listeners[0].port, Some(443));
        assert_eq!(listeners[0].protocol.as_ref().unwrap().as_str(), "TCP");
        assert_eq!(
            listeners[0].default_actions()[0].target_group_arn(),
            Some(tg_arn)
        );

        // A new stack goes through a v2 link: interfaces in the stack's
        // subnets under the stack's own group.
        let link = c
            .apigwv2()
            .get_vpc_link()
            .vpc_link_id(link_id)
            .send()
            .await
            .unwrap();
        assert_eq!(link.vpc_link_version().unwrap().as_str(), "V2");
        assert_eq!(link.name(), Some("front"));
        assert_eq!(link.subnet_ids(), c.vpc.subnet_ids.as_slice());
        assert_eq!(
            link.tags().unwrap().get("xapi:stack").map(String::as_str),
            Some("front")
        );
        let group_id = r.link_security_group_id.as_deref().unwrap();
        assert_eq!(link.security_group_ids(), [group_id.to_owned()]);
        // Its group lets only TCP 443 out, and only to the load balancer's subnets.
        let group = c
            .ec2()
            .describe_security_groups()
            .group_ids(group_id)
            .send()
            .await
            .unwrap()
            .security_groups
            .unwrap()
            .remove(0);
        assert_eq!(group.group_name(), Some("front-link"));
        let mut egress: Vec<(String, Option<i32>, Option<i32>, String)> = group
            .ip_permissions_egress()
            .iter()
            .flat_map(|p| {
                p.ip_ranges().iter().map(|r| {
                    (
                        p.ip_protocol().unwrap_or_default().to_owned(),
                        p.from_port(),
                        p.to_port(),
                        r.cidr_ip().unwrap_or_default().to_owned(),
                    )
                })
            })
            .collect();
        egress.sort();
        let octet = 50;
        assert_eq!(
            egress,
            [
                (
                    "tcp".into(),
                    Some(443),
                    Some(443),
                    format!("10.{octet}.1.0/24")
                ),
                (
                    "tcp".into(),
                    Some(443),
                    Some(443),
                    format!("10.{octet}.2.0/24")
                ),
            ],
            "{group:#?}"
        );
        assert!(group
            .ip_permissions_egress()
            .iter()
            .all(|p| p.ipv6_ranges().is_empty()));

        let apigw = c.apigw();

        let front = apigw
            .get_rest_api()
            .rest_api_id(front_id)
            .send()
            .await
            .unwrap();
        assert_eq!(
            front.endpoint_configuration().unwrap().types()[0].as_str(),
            "REGIONAL"
        );
        let resources = apigw
            .get_resources()
            .rest_api_id(front_id)
            .send()
            .await
            .unwrap()
            .items
            .unwrap();
        let host = format!(
            "https://{}.execute-api.us-east-1.amazonaws.com/prod/",
            c.api_id
        );
        for (path, uri, params) in [
            ("/", host.clone(), 0),
            ("/{proxy+}", format!("{host}{{proxy}}"), 1),
        ] {
            let res = resources
                .iter()
                .find(|r| r.path() == Some(path))
                .unwrap_or_else(|| panic!("no {path}"));
            let i = apigw
                .get_integration()
                .rest_api_id(front_id)
                .resource_id(res.id().unwrap())
                .http_method("ANY")
                .send()
                .await
                .unwrap();
            assert_eq!(i.r#type().unwrap().as_str(), "HTTP_PROXY", "{path}");
            assert_eq!(i.connection_type().unwrap().as_str(), "VPC_LINK", "{path}");
            assert_eq!(i.uri(), Some(uri.as_str()), "{path}");
            let p = i.request_parameters().cloned().unwrap_or_default();
            assert_eq!(p.len(), params, "{path}");
            if params == 1 {
                assert_eq!(
                    p.get("integration.request.path.proxy").map(String::as_str),
                    Some("method.request.path.proxy")
                );
            }
        }
        let stage = apigw
            .get_stage()
            .rest_api_id(front_id)
            .stage_name("prod")
            .send()
            .await
            .unwrap();
        let d = apigw
            .get_deployment()
            .rest_api_id(front_id)
            .deployment_id(stage.deployment_id().unwrap())
            .send()
            .await
            .unwrap();
        assert!(d.description().unwrap().starts_with("xapi front-sha256="));
    });
    // moto drops connectionId and integrationTarget, so assert them on what
    // xapi sent: over a v2 link each integration names the load balancer.
    let puts: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/methods/ANY/integration"))
        .collect();
    assert_eq!(puts.len(), 2);
    for p in &puts {
        let body: serde_json::Value = serde_json::from_str(&p.body).unwrap();
        assert_eq!(body["connectionId"], link_id);
        assert_eq!(body["integrationTarget"], lb_arn);
        assert_eq!(body["connectionType"], "VPC_LINK");
        assert_eq!(body["type"], "HTTP_PROXY");
    }
    assert_eq!(
        c.target_ips(tg_arn),
        c.eni_ips(),
        "targets are the endpoint's addresses"
    );

    // The producer admits the endpoint.
    assert_eq!(report.producer.as_ref().unwrap().added, [c.vpce.as_str()]);
    let policy = Xapi::as_account(&moto_url(), &c.producer)
        .run(["policy", "show", "--api-id", &c.api_id, "--output", "json"])
        .ok()
        .parse::<json::PolicyShow>();
    assert_eq!(policy.summary.unwrap().admitted_vpces, [c.vpce.as_str()]);
    assert_eq!(
        report.invoke_url.as_deref(),
        Some(format!("https://{front_id}.execute-api.us-east-1.amazonaws.com/prod/").as_str())
    );

    // Second run: nothing to do, nothing written.
    proxy.clear();
    let again = c.wire(&proxy.url, &[]).ok().parse::<json::Wire>();
    assert!(!again.changed);
    assert_eq!(
        again.resources.unwrap().front_api_id.as_deref(),
        Some(front_id)
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "a second run wrote");

    // Someone else's REST API that carries the stack's tag (and even its
    // name) but not xapi's description marker is not xapi's to delete.
    let planted = rt().block_on(async {
        c.apigw()
            .create_rest_api()
            .name("front")
            .description("the payments team's API")
            .tags("xapi:stack", "front")
            .send()
            .await
            .unwrap()
            .id
            .unwrap()
    });

    // Teardown deletes the stack, and only the stack.
    let down = Xapi::as_account(&moto_url(), &c.consumer)
        .run(["teardown", "--stack", "front", "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    assert_eq!(down.not_deleted[0].id, planted, "{down:#?}");
    rt().block_on(async {
        c.apigw()
            .get_rest_api()
            .rest_api_id(&planted)
            .send()
            .await
            .expect("the planted API survives teardown");
    });
    let kinds: Vec<&str> = down.deleted.iter().map(|d| d.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "rest-api",
            "vpc-link-v2",
            "load-balancer",
            "target-group",
            "security-group"
        ],
        "dependency order: the link's group goes once the link's interfaces are gone"
    );
    assert!(c.tagged().is_empty());
    assert_eq!(
        c.eni_ips().len(),
        2,
        "the endpoint xapi did not create for the stack is kept"
    );
    Xapi::as_account(&moto_url(), &c.producer)
        .run(["policy", "show", "--api-id", &c.api_id, "--output", "json"])
        .ok();
}

#[test]
fn dry_run_sends_no_mutating_request() {
    let c = chain(51);
    let proxy = Proxy::start(&moto_url());
    let plan = c
        .wire(&proxy.url, &["--dry-run"])
        .ok()
        .parse::<json::Wire>();
    assert!(plan.dry_run);
    let verbs: Vec<Verb> = plan.plan.actions.iter().map(|a| a.verb).collect();
    assert!(
        verbs
            .iter()
            .all(|v| *v == Verb::Create || *v == Verb::Change),
        "{verbs:?}"
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    assert!(c.tagged().is_empty());
}

#[test]
fn a_run_that_failed_midway_is_finished_by_re_running() {
    let c = chain(52);
    let proxy = Proxy::start(&moto_url());
    proxy.fail_when(|r| r.method == "POST" && r.path == "/v2/vpclinks");
    let failed = c.wire(&proxy.url, &[]).expect_code(3);
    assert!(
        failed.stderr().contains("CreateVpcLink"),
        "{}",
        failed.stderr()
    );
    let partial = c.tagged();
    assert_eq!(
        partial.len(),
        3,
        "the NLB, the target group and the link's group exist and are tagged: {partial:?}"
    );

    proxy.heal();
    let done = c.wire(&proxy.url, &[]).ok().parse::<json::Wire>();
    assert!(done.changed);
    let after = c.tagged();
    assert_eq!(after.len(), 5, "one of each, none duplicated: {after:?}");
    assert!(after.contains(&done.resources.unwrap().load_balancer_arn.unwrap()));
    proxy.clear();
    c.wire(&proxy.url, &[]).ok();
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

#[test]
fn security_group_gap_is_reported_or_fixed_and_torn_down() {
    let c = chain(53);
    // The seeded group admits nothing: the NLB subnets cannot reach the endpoint.
    let warned = c
        .wire(&moto_url(), &["--dry-run"])
        .ok()
        .parse::<json::Wire>();
    let warnings = &warned.warnings;
    assert!(
        warnings.iter().any(|w| w.contains(&format!(
            "--group-id {} --protocol tcp --port 443 --cidr 10.53.1.0/24",
            c.vpc.sg_id
        ))),
        "{warnings:?}"
    );
    c.wire(&moto_url(), &["--fix-security-group"]).ok();
    let show = Xapi::as_account(&moto_url(), &c.consumer)
        .run(["endpoint", "show", &c.vpce, "--output", "json"])
        .ok()
        .parse::<json::EndpointShow>();
    let from = &show.security_groups[0].tcp_443_from;
    assert_eq!(from, &["10.53.1.0/24", "10.53.2.0/24"]);
    let again = c.wire(&moto_url(), &[]).ok().parse::<json::Wire>();
    assert!(!again.changed);
    assert!(again.warnings.iter().all(|w| !w.contains("authorize")));

    Xapi::as_account(&moto_url(), &c.consumer)
        .run(["teardown", "--stack", "front", "--yes"])
        .ok();
    let show = Xapi::as_account(&moto_url(), &c.consumer)
        .run(["endpoint", "show", &c.vpce, "--output", "json"])
        .ok()
        .parse::<json::EndpointShow>();
    assert_eq!(
        show.security_groups[0].tcp_443_from,
        Vec::<String>::new(),
        "teardown revokes the rule it added"
    );
}

/// The tags of an ELB resource.
fn elb_tags(c: &Chain, arn: &str) -> std::collections::BTreeMap<String, String> {
    rt().block_on(async {
        c.elb()
            .describe_tags()
            .resource_arns(arn)
            .send()
            .await
            .unwrap()
            .tag_descriptions
            .unwrap_or_default()
            .into_iter()
            .flat_map(|d| d.tags.unwrap_or_default())
            .map(|t| (t.key.unwrap(), t.value.unwrap_or_default()))
            .collect()
    })
}

/// The TCP 443 ingress rules of `group`, as (rule id, CIDR, its xapi:stack tag).
fn rules_443(c: &Chain, group: &str) -> Vec<(String, String, Option<String>)> {
    rt().block_on(async {
        aws_sdk_ec2::Client::new(&c.consumer_cfg)
            .describe_security_group_rules()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("group-id")
                    .values(group)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .security_group_rules
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.is_egress != Some(true) && r.from_port == Some(443))
            .map(|r| {
                let stack = r
                    .tags
                    .unwrap_or_default()
                    .into_iter()
                    .find(|t| t.key.as_deref() == Some("xapi:stack"))
                    .and_then(|t| t.value);
                (
                    r.security_group_rule_id.unwrap(),
                    r.cidr_ipv4.unwrap_or_default(),
                    stack,
                )
            })
            .collect()
    })
}

/// Two stacks wired to one endpoint through the same subnets: the first added the
/// TCP 443 rule, the second found it and relies on it. Tearing the first down must not
/// cut the second's traffic.
#[test]
fn teardown_keeps_a_rule_another_stack_relies_on() {
    let c = chain(57);
    c.wire(&moto_url(), &["--fix-security-group"]).ok();
    let billing = c
        .wire_stack(&moto_url(), "billing", "json", &[])
        .ok()
        .parse::<json::Wire>();
    assert!(
        billing
            .warnings
            .iter()
            .all(|w| !w.contains("do not admit TCP 443")),
        "{:?}",
        billing.warnings
    );
    let rules = rules_443(&c, &c.vpc.sg_id);
    assert_eq!(rules.len(), 2, "{rules:?}");
    assert!(
        rules.iter().all(|r| r.2.as_deref() == Some("front")),
        "{rules:?}"
    );

    let down = Xapi::as_account(&moto_url(), &c.consumer)
        .run(["teardown", "--stack", "front", "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    assert!(
        down.deleted.iter().all(|d| d.kind != "security-group-rule"),
        "{down:#?}"
    );
    let kept: Vec<&json::NotDeleted> = down
        .not_deleted
        .iter()
        .filter(|n| n.kind == "security-group-rule")
        .collect();
    assert_eq!(kept.len(), 2, "{down:#?}");
    assert!(
        kept.iter().all(|k| k.reason.contains("stack billing")
            && k.reason.contains("relies on it")
            && k.reason.contains("billing-nlb")),
        "{kept:#?}"
    );
    assert_eq!(
        rules_443(&c, &c.vpc.sg_id),
        rules,
        "billing's traffic was cut"
    );
    assert!(
        down.deleted.iter().any(|d| d.name == "front-nlb"),
        "the rest of the stack goes: {down:#?}"
    );

    // Once billing is gone too, nothing relies on the rules: front's teardown revokes them.
    Xapi::as_account(&moto_url(), &c.consumer)
        .run(["teardown", "--stack", "billing", "--yes"])
        .ok();
    let last = Xapi::as_account(&moto_url(), &c.consumer)
        .run(["teardown", "--stack", "front", "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    assert_eq!(
        last.deleted
            .iter()
            .filter(|d| d.kind == "security-group-rule")
            .count(),
        2,
        "{last:#?}"
    );
    assert!(rules_443(&c, &c.vpc.sg_id).is_empty());
}

/// Two operators chose the stack name `front` in one account: each stack's resources
/// carry its own `xapi:stack-id`, so one's teardown never deletes the other's.
#[test]
fn two_stacks_of_one_name_never_delete_each_other() {
    let c = chain(58);
    let a = c
        .wire(&moto_url(), &["--fix-security-group"])
        .ok()
        .parse::<json::Wire>();
    let id_a = a.stack_id.clone();
    assert_eq!(id_a.len(), 16, "{a:#?}");
    let r = a.resources.as_ref().unwrap();
    for arn in [
        r.load_balancer_arn.as_deref().unwrap(),
        r.target_group_arn.as_deref().unwrap(),
    ] {
        assert_eq!(elb_tags(&c, arn).get("xapi:stack-id"), Some(&id_a), "{arn}");
    }
    let front_id = r.front_api_id.clone().unwrap();
    let link_id = r.vpc_link_id.clone().unwrap();
    rt().block_on(async {
        let api = c
            .apigw()
            .get_rest_api()
            .rest_api_id(&front_id)
            .send()
            .await
            .unwrap();
        assert_eq!(
            api.tags.unwrap_or_default().get("xapi:stack-id"),
            Some(&id_a)
        );
        let link = c
            .apigwv2()
            .get_vpc_link()
            .vpc_link_id(&link_id)
            .send()
            .await
            .unwrap();
        assert_eq!(
            link.tags.unwrap_or_default().get("xapi:stack-id"),
            Some(&id_a)
        );
    });
    // A re-run keeps the id.
    let again = c.wire(&moto_url(), &[]).ok().parse::<json::Wire>();
    assert_eq!(again.stack_id, id_a);
    assert!(!again.changed);

    // The other operator's stack `front`, as their xapi made it: a front API with xapi's
    // description and a TCP 443 rule on their own endpoint's group, under another id.
    let id_b = "b0b0b0b0b0b0b0b0";
    let (api_b, group_b) = rt().block_on(async {
        use aws_sdk_ec2::types::{IpPermission, IpRange, ResourceType, Tag, TagSpecification};
        let api_b = c
            .apigw()
            .create_rest_api()
            .name("front")
            .description(xapi::aws::apigw::FRONT_DESCRIPTION)
            .tags("xapi:stack", "front")
            .tags("xapi:stack-id", id_b)
            .send()
            .await
            .unwrap()
            .id
            .unwrap();
        let ec2 = aws_sdk_ec2::Client::new(&c.consumer_cfg);
        let group_b = ec2
            .create_security_group()
            .vpc_id(&c.vpc.vpc_id)
            .group_name("operator-b-endpoint")
            .description("operator b's endpoint group")
            .send()
            .await
            .unwrap()
            .group_id
            .unwrap();
        ec2.authorize_security_group_ingress()
            .group_id(&group_b)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .ip_ranges(IpRange::builder().cidr_ip("10.58.1.0/24").build())
                    .build(),
            )
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::SecurityGroupRule)
                    .tags(Tag::builder().key("xapi:stack").value("front").build())
                    .tags(Tag::builder().key("xapi:stack-id").value(id_b).build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        (api_b, group_b)
    });

    // Which one? Refused, naming both, with nothing deleted.
    let proxy = Proxy::start(&moto_url());
    let refused = Xapi::as_account(&proxy.url, &c.consumer)
        .run(["teardown", "--stack", "front", "--yes"])
        .refused_naming(id_b);
    assert!(
        refused.stderr().contains(&id_a) && refused.stderr().contains("--stack-id"),
        "{}",
        refused.stderr()
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    // Operator A's teardown deletes A's stack and leaves B's API and rule.
    let down = Xapi::as_account(&moto_url(), &c.consumer)
        .run([
            "teardown",
            "--stack",
            "front",
            "--stack-id",
            &id_a,
            "--yes",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::Teardown>();
    assert_eq!(down.stack_id.as_deref(), Some(id_a.as_str()));
    let deleted: BTreeSet<&str> = down.deleted.iter().map(|d| d.kind.as_str()).collect();
    for kind in [
        "rest-api",
        "vpc-link-v2",
        "load-balancer",
        "target-group",
        "security-group-rule",
        "security-group",
    ] {
        assert!(deleted.contains(kind), "{kind}: {down:#?}");
    }
    assert!(down.deleted.iter().all(|d| d.id != api_b), "{down:#?}");
    assert!(
        down.not_deleted
            .iter()
            .any(|n| n.id == api_b && n.reason.contains(id_b)),
        "{down:#?}"
    );
    let b_rules = rules_443(&c, &group_b);
    assert_eq!(b_rules.len(), 1, "operator b's rule was revoked");
    rt().block_on(async {
        c.apigw()
            .get_rest_api()
            .rest_api_id(&api_b)
            .send()
            .await
            .expect("operator b's front API survives");
    });
    assert!(
        rules_443(&c, &c.vpc.sg_id).is_empty(),
        "a's own rules are revoked"
    );

    // And B's teardown, now the only stack of the name, needs no id.
    let down_b = Xapi::as_account(&moto_url(), &c.consumer)
        .run(["teardown", "--stack", "front", "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    assert_eq!(down_b.stack_id.as_deref(), Some(id_b));
    let ids: BTreeSet<&str> = down_b.deleted.iter().map(|d| d.id.as_str()).collect();
    assert!(
        ids.contains(api_b.as_str()) && ids.contains(b_rules[0].0.as_str()),
        "{down_b:#?}"
    );
}

#[test]
fn targets_sync_registers_missing_and_prunes_stale() {
    let c = chain(54);
    let report = c.wire(&moto_url(), &[]).ok().parse::<json::Wire>();
    let tg_arn = report.resources.unwrap().target_group_arn.unwrap();
    let ips = c.eni_ips();
    let gone = ips.iter().next().unwrap().clone();
    // The endpoint's addresses changed: moto does not move interfaces when subnets
    // change, so make the target group drift the same way by hand.
    rt().block_on(async {
        use aws_sdk_elasticloadbalancingv2::types::TargetDescription;
        let elb = c.elb();
        elb.deregister_targets()
            .target_group_arn(&tg_arn)
            .targets(TargetDescription::builder().id(&gone).port(443).build())
            .send()
            .await
            .unwrap();
        elb.register_targets()
            .target_group_arn(&tg_arn)
            .targets(
                TargetDescription::builder()
                    .id("10.54.1.99")
                    .port(443)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let proxy = Proxy::start(&moto_url());
    let x = || Xapi::as_account(&proxy.url, &c.consumer);
    let dry = x()
        .run([
            "targets",
            "sync",
            "--vpce",
            &c.vpce,
            "--target-group-arn",
            &tg_arn,
            "--dry-run",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::TargetsSync>();
    assert_eq!(dry.register[0].ip, gone);
    assert_eq!(dry.stale[0].ip, "10.54.1.99");
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    let synced = x()
        .run([
            "targets",
            "sync",
            "--vpce",
            &c.vpce,
            "--target-group",
            "front-tg",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::TargetsSync>();
    assert!(synced.changed);
    let mut expect = ips.clone();
    expect.insert("10.54.1.99".into());
    assert_eq!(
        c.target_ips(&tg_arn),
        expect,
        "without --prune the stale target stays"
    );

    let prune = || {
        x().run([
            "targets",
            "sync",
            "--vpce",
            &c.vpce,
            "--target-group-arn",
            &tg_arn,
            "--prune",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::TargetsSync>()
    };
    prune();
    assert_eq!(c.target_ips(&tg_arn), ips);
    proxy.clear();
    let noop = prune();
    assert!(!noop.changed);
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    // Not an ip target group, and unknown ones, are refused.
    let instance_tg = rt().block_on(async {
        c.elb()
            .create_target_group()
            .name("instances")
            .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Tcp)
            .port(443)
            .vpc_id(&c.vpc.vpc_id)
            .target_type(aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum::Instance)
            .send()
            .await
            .unwrap()
            .target_groups
            .unwrap()
            .remove(0)
            .target_group_arn
            .unwrap()
    });
    x().run([
        "targets",
        "sync",
        "--vpce",
        &c.vpce,
        "--target-group-arn",
        &instance_tg,
    ])
    .refused_naming("instances");
    x().run([
        "targets",
        "sync",
        "--vpce",
        &c.vpce,
        "--target-group",
        "nope",
    ])
    .refused_naming("nope");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

#[test]
fn wire_refuses_bad_input_without_changes() {
    let c = chain(55);
    let proxy = Proxy::start(&moto_url());
    let other = rt().block_on(async { seed::consumer_vpc(&c.consumer_cfg, 56, true).await });
    let producer_role = role_arn(&c.producer);
    let base = |subnet: &str, name: &str| {
        vec![
            "wire-regional-front".to_owned(),
            "--private-api-id".into(),
            c.api_id.clone(),
            "--stage".into(),
            "prod".into(),
            "--vpce".into(),
            c.vpce.clone(),
            "--subnet-id".into(),
            subnet.into(),
            "--name".into(),
            name.into(),
            "--producer-role-arn".into(),
            producer_role.clone(),
        ]
    };
    let x = || Xapi::as_account(&proxy.url, &c.consumer);
    x().run(base(&other.subnet_ids[0], "front"))
        .refused_naming(&other.subnet_ids[0]);
    x().run(base(&c.vpc.subnet_ids[0], "bad_name"))
        .refused_naming("bad_name");
    let mut wrong_stage = base(&c.vpc.subnet_ids[0], "front");
    wrong_stage[4] = "nope".into();
    x().run(wrong_stage).refused_naming("nope");
    // A load balancer of the same name that the stack does not own.
    rt().block_on(async {
        c.elb()
            .create_load_balancer()
            .name("taken-nlb")
            .r#type(aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Network)
            .scheme(aws_sdk_elasticloadbalancingv2::types::LoadBalancerSchemeEnum::Internal)
            .subnets(&c.vpc.subnet_ids[0])
            .send()
            .await
            .unwrap();
    });
    proxy.clear();
    x().run(base(&c.vpc.subnet_ids[0], "taken"))
        .refused_naming("taken-nlb");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

#[test]
fn without_producer_credentials_it_prints_the_grant_command() {
    let c = chain(57);
    let args = [
        "wire-regional-front",
        "--private-api-id",
        &c.api_id,
        "--stage",
        "prod",
        "--vpce",
        &c.vpce,
        "--subnet-id",
        &c.vpc.subnet_ids[0],
        "--output",
        "json",
    ];
    let report = Xapi::as_account(&moto_url(), &c.consumer)
        .run(args)
        .ok()
        .parse::<json::Wire>();
    let cmd = report.producer_command.as_deref().unwrap();
    assert!(
        cmd.starts_with(&format!(
            "xapi grant-vpce --api-id {} --vpce {} --stage prod",
            c.api_id, c.vpce
        )),
        "{cmd}"
    );
    assert_eq!(report.producer, None);
    let policy = Xapi::as_account(&moto_url(), &c.producer)
        .run(["policy", "show", "--api-id", &c.api_id, "--output", "json"])
        .ok()
        .parse::<json::PolicyShow>();
    assert_eq!(policy.policy, None, "the producer's API was not touched");
}

/// A link in the given state, as API Gateway would describe it.
fn link_json(id: &str, status: &str, message: &str, nlb: &str) -> String {
    serde_json::json!({"id": id, "name": "l", "targetArns": [nlb], "status": status, "statusMessage": message}).to_string()
}

pub(crate) fn nlb_for_links() -> (String, String) {
    let account = fresh_account();
    let arn = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        let vpc = seed::consumer_vpc(&cfg, 58, true).await;
        internal_nlb(&cfg, "links-nlb", &vpc.subnet_ids[0]).await
    });
    (account, arn)
}

/// A bare internal network load balancer in `subnet`; its ARN.
async fn internal_nlb(cfg: &SdkConfig, name: &str, subnet: &str) -> String {
    aws_sdk_elasticloadbalancingv2::Client::new(cfg)
        .create_load_balancer()
        .name(name)
        .r#type(aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Network)
        .scheme(aws_sdk_elasticloadbalancingv2::types::LoadBalancerSchemeEnum::Internal)
        .subnets(subnet)
        .send()
        .await
        .unwrap()
        .load_balancers
        .unwrap()
        .remove(0)
        .load_balancer_arn
        .unwrap()
}

#[test]
fn vpc_link_waits_through_pending_and_reports_failed_and_timeouts() {
    // moto makes every link AVAILABLE at once; real links are PENDING for minutes
    // and may FAIL. The proxy answers as API Gateway would.
    let (account, nlb) = nlb_for_links();
    let create = |proxy: &Proxy, timeout: &str| {
        Xapi::as_account(&proxy.url, &account).run([
            "vpc-link",
            "create",
            "--nlb",
            "links-nlb",
            "--name",
            "l",
            "--wait-timeout",
            timeout,
            "--output",
            "json",
        ])
    };
    let canned = |proxy: &Proxy,
                  next: Arc<dyn Fn(u32) -> (&'static str, &'static str) + Send + Sync>,
                  nlb: String| {
        let polls = Arc::new(AtomicU32::new(0));
        proxy.respond_with(move |r| {
            if r.method == "POST" && r.path == "/vpclinks" {
                return Some(Canned::json(
                    202,
                    link_json("lnk0000001", "PENDING", "", &nlb),
                ));
            }
            if r.method == "GET" && r.path.starts_with("/vpclinks/lnk0000001") {
                let (status, message) = next(polls.fetch_add(1, Ordering::SeqCst));
                return Some(Canned::json(
                    200,
                    link_json("lnk0000001", status, message, &nlb),
                ));
            }
            None
        });
    };

    let proxy = Proxy::start(&moto_url());
    canned(
        &proxy,
        Arc::new(|n| {
            if n < 1 {
                ("PENDING", "")
            } else {
                ("AVAILABLE", "")
            }
        }),
        nlb.clone(),
    );
    let ok = create(&proxy, "60s").ok().parse::<json::VpcLinkCreate>();
    assert_eq!(ok.action, Made::Created);
    assert_eq!(ok.link.unwrap().status, "AVAILABLE");
    assert!(
        proxy
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/vpclinks/lnk0000001"))
            .count()
            >= 2,
        "it polled"
    );

    let proxy = Proxy::start(&moto_url());
    canned(
        &proxy,
        Arc::new(|_| ("FAILED", "NLB is not in active state")),
        nlb.clone(),
    );
    let failed = create(&proxy, "60s").expect_code(3);
    assert!(
        failed.stderr().contains("NLB is not in active state"),
        "{}",
        failed.stderr()
    );

    let proxy = Proxy::start(&moto_url());
    canned(&proxy, Arc::new(|_| ("PENDING", "")), nlb.clone());
    let slow = create(&proxy, "3s").expect_code(3);
    assert!(
        slow.stderr().contains("timed out") && slow.stderr().contains("lnk0000001"),
        "{}",
        slow.stderr()
    );

    // Against the emulator itself: create, then reuse.
    let created = Xapi::as_account(&moto_url(), &account)
        .run([
            "vpc-link", "create", "--nlb", &nlb, "--name", "real", "--output", "json",
        ])
        .ok()
        .parse::<json::VpcLinkCreate>();
    let reused = Xapi::as_account(&moto_url(), &account)
        .run([
            "vpc-link", "create", "--nlb", &nlb, "--name", "real", "--output", "json",
        ])
        .ok()
        .parse::<json::VpcLinkCreate>();
    assert_eq!(reused.action, Made::Reused);
    assert_eq!(reused.link.unwrap().id, created.link.unwrap().id);
    let list = Xapi::as_account(&moto_url(), &account)
        .run(["vpc-link", "list", "--output", "json"])
        .ok()
        .parse::<json::VpcLinkList>();
    assert_eq!(list.links.len(), 1);
    Xapi::as_account(&moto_url(), &account)
        .run(["vpc-link", "create", "--nlb", "no-such-nlb", "--name", "x"])
        .refused_naming("no-such-nlb");
}

/// The front door never takes over a REST API it did not make, and can be
/// closed to all but signed callers from given source ranges; a re-run of a
/// guarded front writes nothing.
#[test]
fn front_door_never_adopts_and_can_require_iam_and_source_cidrs() {
    let c = chain(57);
    let proxy = Proxy::start(&moto_url());
    let theirs = rt().block_on(async {
        c.apigw()
            .create_rest_api()
            .name("front")
            .send()
            .await
            .unwrap()
            .id
            .unwrap()
    });
    let refused = c.wire(&proxy.url, &[]).refused_naming(&theirs);
    assert!(
        refused.stderr().contains("xapi:stack=front"),
        "{}",
        refused.stderr()
    );
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "the namesake was touched"
    );

    // A bad CIDR is bad input, named, before anything is read or written.
    c.wire(
        &proxy.url,
        &["--front-api-name", "guarded", "--allow-cidr", "10.0.0.1/8"],
    )
    .refused_naming("10.0.0.1/8");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    // A range that stands for the internet needs --allow-public; nothing is read first.
    for wide in ["0.0.0.0/0", "::/0", "0.0.0.0/7"] {
        proxy.clear();
        let refused = c
            .wire(
                &proxy.url,
                &[
                    "--front-api-name",
                    "guarded",
                    "--allow-cidr",
                    "203.0.113.0/24",
                    "--allow-cidr",
                    wide,
                ],
            )
            .refused_naming(wide);
        assert!(
            refused.stderr().contains("--allow-public"),
            "{}",
            refused.stderr()
        );
        assert!(proxy.requests().is_empty(), "read before refusing {wide}");
    }
    let public = c
        .wire(
            &proxy.url,
            &[
                "--front-api-name",
                "guarded",
                "--allow-cidr",
                "0.0.0.0/0",
                "--allow-public",
                "--dry-run",
            ],
        )
        .ok()
        .parse::<json::Wire>();
    assert!(
        format!("{:?}", public.plan).contains("admitting only 0.0.0.0/0"),
        "{:#?}",
        public.plan
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    let guarded = [
        "--front-api-name",
        "guarded",
        "--authorization",
        "iam",
        "--allow-cidr",
        "203.0.113.0/24",
        "--allow-cidr",
        "2001:db8::/32",
    ];
    let dry = c
        .wire(&proxy.url, &[&guarded[..], &["--dry-run"]].concat())
        .ok()
        .parse::<json::Wire>();
    let front = dry
        .plan
        .actions
        .iter()
        .find(|a| a.resource == "rest-api")
        .unwrap();
    let said = format!("{front:?}");
    assert!(
        said.contains("reachable from the internet") && said.contains("IAM authorization"),
        "{front:#?}"
    );
    let done = c.wire(&proxy.url, &guarded).ok().parse::<json::Wire>();
    let front_id = done.resources.unwrap().front_api_id.unwrap();
    assert_ne!(front_id, theirs);
    // Read back what API Gateway holds.
    rt().block_on(async {
        let api = c
            .apigw()
            .get_rest_api()
            .rest_api_id(&front_id)
            .send()
            .await
            .unwrap();
        let policy = api.policy.unwrap_or_default();
        assert!(
            policy.contains("203.0.113.0/24") && policy.contains("NotIpAddress"),
            "{policy}"
        );
        let resources = c
            .apigw()
            .get_resources()
            .rest_api_id(&front_id)
            .send()
            .await
            .unwrap();
        let mut seen = 0;
        for r in resources.items() {
            if r.path() == Some("/") || r.path() == Some("/{proxy+}") {
                let m = c
                    .apigw()
                    .get_method()
                    .rest_api_id(&front_id)
                    .resource_id(r.id().unwrap())
                    .http_method("ANY")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(m.authorization_type(), Some("AWS_IAM"), "{:?}", r.path());
                seen += 1;
            }
        }
        assert_eq!(seen, 2);
        // The namesake is as it was: no methods were put on it.
        let theirs_resources = c
            .apigw()
            .get_resources()
            .rest_api_id(&theirs)
            .send()
            .await
            .unwrap();
        assert!(theirs_resources
            .items()
            .iter()
            .all(|r| r.resource_methods().is_none_or(|m| m.is_empty())));
    });
    proxy.clear();
    let again = c.wire(&proxy.url, &guarded).ok().parse::<json::Wire>();
    assert!(!again.changed, "{again:#?}");
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "a re-run wrote");
}

/// The deployment the front stage serves.
fn front_stage_deployment(c: &Chain, front_id: &str) -> String {
    rt().block_on(async {
        c.apigw()
            .get_stage()
            .rest_api_id(front_id)
            .stage_name("prod")
            .send()
            .await
            .unwrap()
            .deployment_id
            .unwrap()
    })
}

fn v1_link_exists(c: &Chain, id: &str) -> bool {
    rt().block_on(async {
        match c.apigw().get_vpc_link().vpc_link_id(id).send().await {
            Ok(l) => l.status().map(|s| s.as_str()) != Some("DELETING"),
            Err(e) => {
                assert_eq!(
                    e.as_service_error().map(|s| s.is_not_found_exception()),
                    Some(true),
                    "{e:?}"
                );
                false
            }
        }
    })
}

/// A stack on a v1 link stays v1 until moved on purpose; the move makes the
/// v2 link, repoints both integrations, redeploys, and deletes the v1 link
/// only after the redeploy. Here the redeploy fails first: the front keeps
/// serving v1, the v1 link stays, and a plain re-run finishes the move.
#[test]
fn a_v1_stack_migrates_to_v2_and_keeps_working_through_a_failed_redeploy() {
    let c = chain(59);
    let v1 = c
        .wire(&moto_url(), &["--vpc-link", "v1", "--fix-security-group"])
        .ok()
        .parse::<json::Wire>();
    let r = v1.resources.unwrap();
    let (lb_arn, front_id) = (r.load_balancer_arn.unwrap(), r.front_api_id.unwrap());
    let v1_id = r.vpc_link_id.unwrap();
    assert_eq!(r.vpc_link_version.as_deref(), Some("V1"));
    rt().block_on(async {
        let link = c
            .apigw()
            .get_vpc_link()
            .vpc_link_id(&v1_id)
            .send()
            .await
            .unwrap();
        assert_eq!(link.target_arns(), std::slice::from_ref(&lb_arn));
    });

    // Without a flag it stays v1; asking for v2 alone is refused, naming the way.
    let proxy = Proxy::start(&moto_url());
    let kept = c.wire(&proxy.url, &[]).ok().parse::<json::Wire>();
    assert!(!kept.changed);
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    let refused = c.wire(&proxy.url, &["--vpc-link", "v2"]).expect_code(2);
    assert!(
        refused.stderr().contains("--migrate-to-v2") && refused.stderr().contains(&v1_id),
        "{}",
        refused.stderr()
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    // The dry run shows every step, in the order they run, and sends nothing.
    let plan = c
        .wire(&proxy.url, &["--migrate-to-v2", "--dry-run"])
        .ok()
        .parse::<json::Wire>()
        .plan;
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    let steps: Vec<(Verb, &str, &str)> = plan
        .actions
        .iter()
        .filter(|a| a.verb != Verb::Reuse && a.resource != "target")
        .map(|a| (a.verb, a.resource.as_str(), a.target.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (Verb::Create, "security-group", "front-link"),
            (Verb::Create, "vpc-link", "front"),
            (Verb::Change, "integration", "ANY /"),
            (Verb::Change, "integration", "ANY /{proxy+}"),
            (Verb::Create, "deployment", "front stage prod"),
            (Verb::Delete, "vpc-link", v1_id.as_str()),
        ],
        "{plan:#?}"
    );

    // The redeploy fails: exit non-zero, the v1 link and the v1 deployment stay.
    let served = front_stage_deployment(&c, &front_id);
    let deployments = format!("/restapis/{front_id}/deployments");
    let fail_path = deployments.clone();
    proxy.fail_when(move |r| r.method == "POST" && r.path == fail_path);
    let failed = c.wire(&proxy.url, &["--migrate-to-v2"]).expect_code(3);
    assert!(
        failed.stderr().contains("CreateDeployment"),
        "{}",
        failed.stderr()
    );
    assert!(
        v1_link_exists(&c, &v1_id),
        "the v1 link outlives a failed redeploy"
    );
    assert_eq!(front_stage_deployment(&c, &front_id), served);
    assert!(
        !proxy.requests().iter().any(|r| r.method == "DELETE"),
        "nothing deleted: {:?}",
        proxy.mutating()
    );

    // A plain re-run finishes: redeploy, then delete the v1 link.
    proxy.heal();
    proxy.clear();
    let done = c.wire(&proxy.url, &[]).ok().parse::<json::Wire>();
    assert!(done.changed);
    let r = done.resources.unwrap();
    assert_eq!(r.vpc_link_version.as_deref(), Some("V2"));
    assert_ne!(r.vpc_link_id.as_deref(), Some(v1_id.as_str()));
    let order: Vec<String> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.is_mutating())
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let deploy = order
        .iter()
        .position(|o| *o == format!("POST {deployments}"))
        .unwrap_or_else(|| panic!("no redeploy: {order:?}"));
    let delete = order
        .iter()
        .position(|o| *o == format!("DELETE /vpclinks/{v1_id}"))
        .unwrap_or_else(|| panic!("no v1 deletion: {order:?}"));
    assert!(deploy < delete, "{order:?}");
    assert!(!v1_link_exists(&c, &v1_id));
    assert_ne!(front_stage_deployment(&c, &front_id), served);

    // Nothing left to do.
    proxy.clear();
    assert!(!c.wire(&proxy.url, &[]).ok().parse::<json::Wire>().changed);
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

/// A v2 link cannot place interfaces in us-east-1's use1-az3 (AWS's list,
/// docs/vpc-link-v2.md; moto accepts any zone): the subnet is refused by
/// name before anything is made, as the link could never change later.
#[test]
fn a_subnet_in_a_zone_v2_links_do_not_support_is_refused_before_any_write() {
    let c = chain(61);
    let unsupported = rt().block_on(async {
        c.ec2()
            .create_subnet()
            .vpc_id(&c.vpc.vpc_id)
            .cidr_block("10.61.5.0/24")
            .availability_zone("us-east-1e")
            .send()
            .await
            .unwrap()
            .subnet
            .unwrap()
            .subnet_id
            .unwrap()
    });
    let proxy = Proxy::start(&moto_url());
    let producer_role = role_arn(&c.producer);
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "wire-regional-front".to_owned(),
            "--private-api-id".into(),
            c.api_id.clone(),
            "--stage".into(),
            "prod".into(),
            "--vpce".into(),
            c.vpce.clone(),
            "--subnet-id".into(),
            c.vpc.subnet_ids[0].clone(),
            "--subnet-id".into(),
            unsupported.clone(),
            "--producer-role-arn".into(),
            producer_role.clone(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let refused = Xapi::as_account(&proxy.url, &c.consumer)
        .run(args(&[]))
        .expect_code(2);
    assert!(
        refused.stderr().contains(&unsupported) && refused.stderr().contains("use1-az3"),
        "{}",
        refused.stderr()
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    // A v1 link is bound to the load balancer, not to zones: the plan stands.
    Xapi::as_account(&proxy.url, &c.consumer)
        .run(args(&["--vpc-link", "v1", "--dry-run"]))
        .ok();
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

/// A v2 link in the given state, as API Gateway (apigatewayv2) describes it
/// (V1 in docs/vpc-link-v2.md): moto makes every v2 link AVAILABLE at once.
fn link_v2_json(id: &str, status: &str, message: &str, subnets: &[String]) -> String {
    serde_json::json!({
        "vpcLinkId": id,
        "name": "l2",
        "subnetIds": subnets,
        "securityGroupIds": ["sg-0c"],
        "vpcLinkStatus": status,
        "vpcLinkStatusMessage": message,
        "vpcLinkVersion": "V2",
        "createdDate": "2026-11-30T10:00:00Z",
        "tags": {"xapi:stack": "l2"}
    })
    .to_string()
}

#[test]
fn vpc_link_v2_is_made_reused_listed_and_torn_down() {
    let account = fresh_account();
    let vpc = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        seed::consumer_vpc(&cfg, 62, true).await
    });
    let x = || Xapi::as_account(&moto_url(), &account);
    let create = |url: &str, name: &str, extra: &[&str]| {
        let mut args = vec![
            "vpc-link",
            "create",
            "--v2",
            "--name",
            name,
            "--subnet-id",
            &vpc.subnet_ids[0],
            "--subnet-id",
            &vpc.subnet_ids[1],
            "--output",
            "json",
        ];
        args.extend(extra);
        Xapi::as_account(url, &account).run(&args)
    };

    // Bad input: a v2 link needs subnets and takes no load balancer.
    x().run(["vpc-link", "create", "--v2", "--name", "l2"])
        .expect_code(2);
    x().run([
        "vpc-link",
        "create",
        "--v2",
        "--name",
        "l2",
        "--nlb",
        "n",
        "--subnet-id",
        &vpc.subnet_ids[0],
    ])
    .expect_code(2);

    // PENDING, then AVAILABLE, as AWS answers (canned: moto is AVAILABLE at once).
    let proxy = Proxy::start(&moto_url());
    let polls = Arc::new(AtomicU32::new(0));
    let seen = polls.clone();
    let subnets = vpc.subnet_ids.clone();
    proxy.respond_with(move |r| {
        if r.method == "POST" && r.path == "/v2/vpclinks" {
            return Some(Canned::json(
                201,
                link_v2_json("v2link01", "PENDING", "", &subnets),
            ));
        }
        if r.method == "GET" && r.path == "/v2/vpclinks/v2link01" {
            let status = if seen.fetch_add(1, Ordering::SeqCst) < 1 {
                "PENDING"
            } else {
                "AVAILABLE"
            };
            return Some(Canned::json(
                200,
                link_v2_json("v2link01", status, "", &subnets),
            ));
        }
        None
    });
    let ok = create(&proxy.url, "l2", &["--wait-timeout", "60s"])
        .ok()
        .parse::<json::VpcLinkCreate>();
    assert_eq!(ok.action, Made::Created);
    assert!(polls.load(Ordering::SeqCst) >= 2, "it polled");
    // FAILED carries AWS's message and the apigatewayv2 command to clean up.
    let proxy = Proxy::start(&moto_url());
    let subnets = vpc.subnet_ids.clone();
    proxy.respond_with(move |r| {
        if r.method == "POST" && r.path == "/v2/vpclinks" {
            return Some(Canned::json(
                201,
                link_v2_json("v2link02", "PENDING", "", &subnets),
            ));
        }
        (r.method == "GET" && r.path == "/v2/vpclinks/v2link02").then(|| {
            Canned::json(
                200,
                link_v2_json(
                    "v2link02",
                    "FAILED",
                    "Insufficient free IP addresses",
                    &subnets,
                ),
            )
        })
    });
    let failed = create(&proxy.url, "l3", &[]).expect_code(3);
    assert!(
        failed.stderr().contains("Insufficient free IP addresses")
            && failed.stderr().contains("aws apigatewayv2 delete-vpc-link"),
        "{}",
        failed.stderr()
    );

    // Against the emulator: made with its own group, then reused.
    let made = create(&moto_url(), "real2", &[])
        .ok()
        .parse::<json::VpcLinkCreate>();
    assert_eq!(made.action, Made::Created);
    let link = made.link.unwrap();
    assert_eq!(link.version, "V2");
    assert_eq!(link.subnet_ids, vpc.subnet_ids);
    assert_eq!(link.security_group_ids.len(), 1);
    let group = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        aws_sdk_ec2::Client::new(&cfg)
            .describe_security_groups()
            .group_ids(&link.security_group_ids[0])
            .send()
            .await
            .unwrap()
            .security_groups
            .unwrap()
            .remove(0)
    });
    assert_eq!(group.group_name(), Some("real2-link"));
    let egress: Vec<(Option<&str>, Option<i32>, Vec<&str>)> = group
        .ip_permissions_egress()
        .iter()
        .map(|p| {
            (
                p.ip_protocol(),
                p.from_port(),
                p.ip_ranges().iter().filter_map(|r| r.cidr_ip()).collect(),
            )
        })
        .collect();
    assert_eq!(
        egress,
        [(Some("tcp"), Some(443), vec!["10.62.0.0/16"])],
        "{group:#?}"
    );
    let proxy = Proxy::start(&moto_url());
    let reused = create(&proxy.url, "real2", &[])
        .ok()
        .parse::<json::VpcLinkCreate>();
    assert_eq!(reused.action, Made::Reused);
    assert_eq!(reused.link.unwrap().id, link.id);
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    // One list, both kinds.
    let nlb = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        internal_nlb(&cfg, "v1-nlb", &vpc.subnet_ids[0]).await
    });
    x().run(["vpc-link", "create", "--nlb", &nlb, "--name", "v1"])
        .ok();
    let list = x()
        .run(["vpc-link", "list", "--output", "json"])
        .ok()
        .parse::<json::VpcLinkList>();
    let kinds: BTreeSet<(String, String)> = list
        .links
        .iter()
        .map(|l| (l.name.clone(), l.version.clone()))
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([("real2".into(), "V2".into()), ("v1".into(), "V1".into()),]),
        "{list:#?}"
    );
    let table = x()
        .run(["vpc-link", "list", "--output", "table", "--color", "never"])
        .ok()
        .stdout();
    assert!(
        table.contains("VERSION") && table.contains("V2") && table.contains("V1"),
        "{table}"
    );

    // The name is the stack: teardown deletes the link, then its group.
    let down = x()
        .run(["teardown", "--stack", "real2", "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    let kinds: Vec<&str> = down.deleted.iter().map(|d| d.kind.as_str()).collect();
    assert_eq!(kinds, ["vpc-link-v2", "security-group"], "{down:#?}");
    let left = x()
        .run(["vpc-link", "list", "--output", "json"])
        .ok()
        .parse::<json::VpcLinkList>();
    assert!(left.links.iter().all(|l| l.version == "V1"), "{left:#?}");
}

/// Under 15% throttling and 5% server errors (injected before the call
/// reaches the emulator), wiring a v2 front, migrating a v1 front and
/// making a v2 link each converge: re-runs finish, nothing is duplicated,
/// and the last run has nothing left to do.
#[test]
fn v2_commands_converge_under_throttling_and_server_errors() {
    let c = chain(63);
    let proxy = Proxy::start(&moto_url());
    proxy.disturb_randomly(15, 5, |r| !r.body.contains("Action=AssumeRole"));
    let until_ok = |extra: &[&str]| {
        let mut why = Vec::new();
        for attempt in 1..=6 {
            let run = c.wire(&proxy.url, extra);
            if run.code() == 0 {
                return run.parse::<json::Wire>();
            }
            assert_eq!(run.code(), 3, "attempt {attempt}: {}", run.stderr());
            why.push(run.stderr().lines().last().unwrap_or_default().to_owned());
        }
        panic!("did not converge in 6 runs: {why:#?}");
    };
    until_ok(&["--vpc-link", "v1"]);
    let migrated = until_ok(&["--migrate-to-v2"]);
    assert_eq!(
        migrated.resources.unwrap().vpc_link_version.as_deref(),
        Some("V2")
    );
    proxy.heal();
    proxy.clear();
    let last = c.wire(&proxy.url, &[]).ok().parse::<json::Wire>();
    assert!(!last.changed);
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    // One of each: no second link, group, load balancer or front.
    let tagged = c.tagged();
    assert_eq!(tagged.len(), 5, "{tagged:?}");

    // `vpc-link create --v2` the same way.
    proxy.disturb_randomly(15, 5, |r| !r.body.contains("Action=AssumeRole"));
    let create = || {
        Xapi::as_account(&proxy.url, &c.consumer).run([
            "vpc-link",
            "create",
            "--v2",
            "--name",
            "spare",
            "--subnet-id",
            &c.vpc.subnet_ids[0],
            "--subnet-id",
            &c.vpc.subnet_ids[1],
            "--output",
            "json",
        ])
    };
    let mut why = Vec::new();
    let made = (1..=6)
        .find_map(|_| {
            let run = create();
            if run.code() == 0 {
                return Some(run.parse::<json::VpcLinkCreate>());
            }
            assert_eq!(run.code(), 3, "{}", run.stderr());
            why.push(run.stderr().lines().last().unwrap_or_default().to_owned());
            None
        })
        .unwrap_or_else(|| panic!("vpc-link create --v2 did not converge: {why:#?}"));
    proxy.heal();
    proxy.clear();
    let again = create().ok().parse::<json::VpcLinkCreate>();
    assert_eq!(again.action, Made::Reused);
    assert_eq!(again.link.unwrap().id, made.link.unwrap().id);
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

/// AWS refuses a v2 connection without a target ("IntegrationTarget is
/// required", I2 in docs/vpc-link-v2.md; moto accepts anything): the refusal
/// is AWS's, named, exit 3, and nothing after it runs; a re-run finishes.
#[test]
fn a_refused_integration_is_named_and_a_re_run_finishes() {
    let c = chain(65);
    let proxy = Proxy::start(&moto_url());
    proxy.respond_with(|r| {
        (r.method == "PUT" && r.path.ends_with("/methods/ANY/integration")).then(|| {
            Canned::json(
                400,
                r#"{"__type":"BadRequestException","message":"IntegrationTarget is required for VpcLinkV2 ab12cd."}"#
                    .into(),
            )
        })
    });
    let failed = c.wire(&proxy.url, &[]).expect_code(3);
    assert!(
        failed.stderr().contains("PutIntegration")
            && failed
                .stderr()
                .contains("IntegrationTarget is required for VpcLinkV2"),
        "{}",
        failed.stderr()
    );
    assert!(
        !proxy
            .requests()
            .iter()
            .any(|r| r.method == "POST" && r.path.ends_with("/deployments")),
        "no deployment after a refused integration"
    );
    let proxy = Proxy::start(&moto_url());
    let done = c.wire(&proxy.url, &[]).ok().parse::<json::Wire>();
    assert!(done.changed);
    assert_eq!(c.tagged().len(), 5);
}
