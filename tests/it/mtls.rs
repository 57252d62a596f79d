//! `xapi mtls deploy|allow|show`, `endpoint create --service-name` and
//! `teardown` of an mTLS stack against a real moto server, each test in its
//! own fresh accounts.

use crate::common;

use std::collections::BTreeMap;

use common::json::{self, AllowMode, Made, Outcome, Verb};
use common::proxy::{Canned, Proxy};
use common::seed;
use common::{fresh_account, moto_url, Xapi};
use serde_json::json;
use xapi::aws::json_rpc;

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

pub(crate) struct Producer {
    pub(crate) account: String,
    pub(crate) vpc: seed::ConsumerVpc,
    pub(crate) cfg: aws_config::SdkConfig,
    certs: tempfile::TempDir,
}

impl Producer {
    pub(crate) fn certs_dir(&self) -> String {
        self.certs.path().join("certs").display().to_string()
    }

    /// Issue (or, with `force`, re-issue under a new CA) the proxy's certificates with xapi itself.
    pub(crate) fn issue_certs(&self, force: bool) {
        let dir = self.certs_dir();
        let mut args = vec![
            "mtls",
            "certs",
            "--out",
            &dir,
            "--server-name",
            "proxy.orders.example",
            "--client",
            "partner",
        ];
        if force {
            // A new CA too: --force alone never replaces ca.key.
            args.extend(["--force", "--rotate-ca"]);
        }
        Xapi::new(&moto_url()).run(&args).ok();
    }
}

pub(crate) fn producer() -> Producer {
    let account = fresh_account();
    let (cfg, vpc) = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        let vpc = seed::consumer_vpc(&cfg, 40, true).await;
        (cfg, vpc)
    });
    let p = Producer {
        account,
        vpc,
        cfg,
        certs: tempfile::tempdir().expect("temp dir"),
    };
    p.issue_certs(false);
    p
}

pub(crate) const IMAGE: &str = "111122223333.dkr.ecr.us-east-1.amazonaws.com/mtls-proxy:1";

pub(crate) fn deploy_args(p: &Producer, name: &str, allow: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["mtls", "deploy", "--name", name, "--vpc-id", &p.vpc.vpc_id]
        .map(String::from)
        .to_vec();
    for s in &p.vpc.subnet_ids {
        args.extend(["--subnet-id".into(), s.clone()]);
    }
    args.extend([
        "--image".into(),
        IMAGE.into(),
        "--certs".into(),
        p.certs_dir(),
    ]);
    for a in allow {
        args.extend(["--allow-account".into(), (*a).into()]);
    }
    args.extend(["--output".into(), "json".into()]);
    args
}

fn tags_of(pairs: impl IntoIterator<Item = (String, String)>) -> BTreeMap<String, String> {
    pairs.into_iter().collect()
}

/// Carries the stack's name and its id.
fn stack_tagged(tags: &BTreeMap<String, String>, name: &str, id: &str) -> bool {
    tags.get("xapi:stack").map(String::as_str) == Some(name)
        && tags.get("xapi:stack-id").map(String::as_str) == Some(id)
}

#[test]
fn deploy_creates_a_tagged_stack_once_and_dry_run_changes_nothing() {
    let p = producer();
    let consumer = fresh_account();
    let proxy = Proxy::start(&moto_url());
    let name = "orders";

    let mut dry = deploy_args(&p, name, &[&consumer]);
    dry.push("--dry-run".into());
    let planned = Xapi::as_account(&proxy.url, &p.account)
        .run(&dry)
        .ok()
        .parse::<json::MtlsDeploy>();
    assert!(planned.dry_run);
    assert_eq!(planned.outcome, Outcome::Planned);
    let verbs: Vec<(Verb, &str)> = planned
        .plan
        .actions
        .iter()
        .map(|a| (a.verb, a.resource.as_str()))
        .collect();
    assert_eq!(
        verbs,
        [
            (Verb::Create, "security-group"),
            (Verb::Create, "security-group-ingress"),
            (Verb::Create, "load-balancer"),
            (Verb::Create, "target-group"),
            (Verb::Create, "listener"),
            (Verb::Create, "secret"),
            (Verb::Create, "ecs-cluster"),
            (Verb::Create, "task-definition"),
            (Verb::Create, "ecs-service"),
            (Verb::Create, "endpoint-service"),
            (Verb::Change, "endpoint-service-permissions"),
        ]
    );
    assert!(planned.plan.identity.contains(&p.account));
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "--dry-run wrote");

    let deployed = Xapi::as_account(&proxy.url, &p.account)
        .run(deploy_args(&p, name, &[&consumer]))
        .ok()
        .parse::<json::MtlsDeploy>();
    assert!(deployed.changed);
    assert_eq!(deployed.outcome, Outcome::Applied);
    let mut writes = proxy.mutating();
    writes.sort();
    assert_eq!(
        writes,
        [
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupIngress",
            "CreateCluster",
            "CreateListener",
            "CreateLoadBalancer",
            "CreateSecret",
            "CreateSecurityGroup",
            "CreateService",
            "CreateTargetGroup",
            "CreateVpcEndpointServiceConfiguration",
            "ModifyLoadBalancerAttributes",
            "ModifyVpcEndpointServicePermissions",
            "RegisterTaskDefinition",
        ]
    );
    let stack = &deployed.stack;
    let principal = format!("arn:aws:iam::{consumer}:root");
    assert_eq!(stack.allowed_principals, [principal.as_str()]);
    assert_eq!(deployed.stack_id.len(), 16, "{deployed:#?}");

    // Read everything back with the SDK, as the account's owner would.
    rt().block_on(async {
        let cfg = &p.cfg;
        let ecs = move |operation, input| async move {
            json_rpc::call(cfg, json_rpc::ECS, operation, input)
                .await
                .unwrap()
        };
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&p.cfg);
        let ec2 = aws_sdk_ec2::Client::new(&p.cfg);
        let tags = |tags: &serde_json::Value| {
            tags_of(tags.as_array().unwrap().iter().map(|t| {
                (
                    t["key"].as_str().unwrap().to_owned(),
                    t["value"].as_str().unwrap().to_owned(),
                )
            }))
        };

        let td = ecs(
            "DescribeTaskDefinition",
            json!({"taskDefinition": stack.task_definition_arn.as_deref().unwrap(), "include": ["TAGS"]}),
        )
        .await;
        let def = &td["taskDefinition"];
        assert_eq!(def["networkMode"], "awsvpc");
        assert_eq!(def["requiresCompatibilities"], json!(["FARGATE"]));
        assert_eq!((&def["cpu"], &def["memory"]), (&json!("256"), &json!("512")));
        let c = &def["containerDefinitions"][0];
        assert_eq!((&c["name"], &c["image"]), (&json!("proxy"), &json!(IMAGE)));
        assert!(c["memory"].is_i64(), "each container sets memory");
        let ports: Vec<i64> = c["portMappings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["containerPort"].as_i64())
            .collect();
        assert_eq!(ports, [443, 8080]);
        let log = &c["logConfiguration"];
        assert_eq!(log["logDriver"], "awslogs");
        assert_eq!(log["options"]["awslogs-group"], "/xapi/orders/mtls-proxy");
        assert!(stack_tagged(&tags(&td["tags"]), name, &deployed.stack_id));

        let svc = ecs(
            "DescribeServices",
            json!({"cluster": "orders-mtls", "services": ["orders-mtls-proxy"], "include": ["TAGS"]}),
        )
        .await;
        let s = &svc["services"][0];
        assert_eq!(s["launchType"], "FARGATE");
        assert_eq!(s["desiredCount"], 2);
        let net = &s["networkConfiguration"]["awsvpcConfiguration"];
        let mut subnets: Vec<String> = serde_json::from_value(net["subnets"].clone()).unwrap();
        subnets.sort();
        let mut want = p.vpc.subnet_ids.clone();
        want.sort();
        assert_eq!(subnets, want);
        assert_eq!(
            net["securityGroups"],
            json!([stack.security_group_id.as_deref().unwrap()])
        );
        assert_eq!(net["assignPublicIp"], "DISABLED");
        let lb = &s["loadBalancers"][0];
        assert_eq!(lb["targetGroupArn"].as_str(), stack.target_group_arn.as_deref());
        assert_eq!(
            (&lb["containerName"], &lb["containerPort"]),
            (&json!("proxy"), &json!(443))
        );
        assert!(stack_tagged(&tags(&s["tags"]), name, &deployed.stack_id));
        let cluster = ecs(
            "DescribeClusters",
            json!({"clusters": ["orders-mtls"], "include": ["TAGS"]}),
        )
        .await;
        assert!(stack_tagged(
            &tags(&cluster["clusters"][0]["tags"]),
            name,
            &deployed.stack_id
        ));

        let lb_arn = stack.load_balancer_arn.as_deref().unwrap();
        let tg_arn = stack.target_group_arn.as_deref().unwrap();
        let lbs = elb
            .describe_load_balancers()
            .load_balancer_arns(lb_arn)
            .send()
            .await
            .unwrap();
        let nlb = &lbs.load_balancers()[0];
        assert_eq!(nlb.r#type().unwrap().as_str(), "network");
        assert_eq!(nlb.scheme().unwrap().as_str(), "internal");
        // A zone where no task runs would otherwise answer nothing.
        let attributes = elb
            .describe_load_balancer_attributes()
            .load_balancer_arn(lb_arn)
            .send()
            .await
            .unwrap();
        assert!(
            attributes
                .attributes()
                .iter()
                .any(|a| a.key() == Some("load_balancing.cross_zone.enabled")
                    && a.value() == Some("true")),
            "{attributes:?}"
        );
        let listeners = elb
            .describe_listeners()
            .load_balancer_arn(lb_arn)
            .send()
            .await
            .unwrap();
        let l = &listeners.listeners()[0];
        assert_eq!(
            (l.protocol().unwrap().as_str(), l.port()),
            ("TCP", Some(443))
        );
        assert_eq!(l.default_actions()[0].target_group_arn(), Some(tg_arn));
        let tgs = elb
            .describe_target_groups()
            .target_group_arns(tg_arn)
            .send()
            .await
            .unwrap();
        let tg = &tgs.target_groups()[0];
        assert_eq!(tg.target_type().unwrap().as_str(), "ip");
        assert_eq!(
            (tg.protocol().unwrap().as_str(), tg.port()),
            ("TCP", Some(443))
        );
        assert_eq!(tg.health_check_protocol().unwrap().as_str(), "HTTP");
        assert_eq!(tg.health_check_port(), Some("8080"));
        assert_eq!(tg.health_check_path(), Some("/health"));
        let elb_tags = elb
            .describe_tags()
            .resource_arns(lb_arn)
            .resource_arns(tg_arn)
            .send()
            .await
            .unwrap();
        assert_eq!(elb_tags.tag_descriptions().len(), 2);
        for d in elb_tags.tag_descriptions() {
            assert!(stack_tagged(
                &tags_of(d.tags().iter().map(|t| (
                    t.key().unwrap().to_owned(),
                    t.value().unwrap_or_default().to_owned()
                ))),
                name,
                &deployed.stack_id
            ));
        }

        let es_id = stack.endpoint_service_id.as_deref().unwrap();
        let conf = ec2
            .describe_vpc_endpoint_service_configurations()
            .service_ids(es_id)
            .send()
            .await
            .unwrap();
        let es = &conf.service_configurations()[0];
        assert_eq!(es.acceptance_required(), Some(true));
        assert_eq!(es.network_load_balancer_arns(), [lb_arn]);
        assert!(stack_tagged(
            &tags_of(es.tags().iter().map(|t| (
                t.key().unwrap().to_owned(),
                t.value().unwrap_or_default().to_owned()
            ))),
            name,
            &deployed.stack_id
        ));
        let perms = ec2
            .describe_vpc_endpoint_service_permissions()
            .service_id(es_id)
            .send()
            .await
            .unwrap();
        assert_eq!(
            perms.allowed_principals()[0].principal(),
            Some(principal.as_str())
        );

        let sg = ec2
            .describe_security_groups()
            .group_ids(stack.security_group_id.as_deref().unwrap())
            .send()
            .await
            .unwrap();
        let g = &sg.security_groups()[0];
        assert_eq!(g.vpc_id(), Some(p.vpc.vpc_id.as_str()));
        let mut ports: Vec<(i32, String)> = g
            .ip_permissions()
            .iter()
            .map(|r| {
                (
                    r.from_port().unwrap(),
                    r.ip_ranges()[0].cidr_ip().unwrap().to_owned(),
                )
            })
            .collect();
        ports.sort();
        assert_eq!(
            ports,
            [
                (443, "10.40.0.0/16".to_owned()),
                (8080, "10.40.0.0/16".to_owned())
            ]
        );
        assert!(g
            .tags()
            .iter()
            .any(|t| t.key() == Some("xapi:stack") && t.value() == Some(name)));
        assert!(g
            .tags()
            .iter()
            .any(|t| t.key() == Some("xapi:stack-id") && t.value() == Some(&deployed.stack_id)));
    });

    proxy.clear();
    let again = Xapi::as_account(&proxy.url, &p.account)
        .run(deploy_args(&p, name, &[&consumer]))
        .ok()
        .parse::<json::MtlsDeploy>();
    assert_eq!(
        again.stack_id, deployed.stack_id,
        "a re-run made a new stack id"
    );
    assert_eq!(again.outcome, Outcome::Unchanged);
    assert!(!again.changed);
    assert_eq!(again.stack.endpoint_service_id, stack.endpoint_service_id);
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "a second run wrote");

    let mut dry = deploy_args(&p, name, &[&consumer]);
    dry.push("--dry-run".into());
    let planned = Xapi::as_account(&proxy.url, &p.account)
        .run(&dry)
        .ok()
        .parse::<json::MtlsDeploy>();
    assert!(planned.plan.actions.iter().all(|a| a.verb == Verb::Reuse));
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    // A new image is a new task definition revision rolled out to the service.
    proxy.clear();
    let mut newer = deploy_args(&p, name, &[&consumer]);
    let i = newer.iter().position(|a| a == IMAGE).unwrap();
    newer[i] = format!("{IMAGE}-2");
    Xapi::as_account(&proxy.url, &p.account).run(&newer).ok();
    let mut writes = proxy.mutating();
    writes.sort();
    assert_eq!(writes, ["RegisterTaskDefinition", "UpdateService"]);

    // New certificates: the secret's value changes and the tasks restart to read
    // it; the task definition (which names the secret, not its value) stays.
    p.issue_certs(true);
    proxy.clear();
    Xapi::as_account(&proxy.url, &p.account).run(&newer).ok();
    let mut writes = proxy.mutating();
    writes.sort();
    assert_eq!(writes, ["PutSecretValue", "UpdateService"]);
    let update = proxy.first("UpdateService");
    assert!(
        update.body.contains("\"forceNewDeployment\":true"),
        "{}",
        update.body
    );
    proxy.clear();
    Xapi::as_account(&proxy.url, &p.account).run(&newer).ok();
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "unchanged certificates wrote"
    );
}

#[test]
fn certificates_reach_the_task_through_a_tagged_secret() {
    let p = producer();
    Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "certs", &[]))
        .ok();
    rt().block_on(async {
        let sm =
            |operation, input| json_rpc::call(&p.cfg, json_rpc::SECRETS_MANAGER, operation, input);
        let secret = sm("DescribeSecret", json!({"SecretId": "xapi/mtls/certs"}))
            .await
            .unwrap();
        assert!(secret["Tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["Key"] == "xapi:stack" && t["Value"] == "certs"));
        let arn = secret["ARN"].as_str().unwrap().to_owned();
        let value: serde_json::Value = serde_json::from_str(
            sm("GetSecretValue", json!({"SecretId": arn}))
                .await
                .unwrap()["SecretString"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        let on_disk = std::fs::read_to_string(p.certs.path().join("certs/server.pem")).unwrap();
        assert_eq!(value["server_cert"].as_str().unwrap(), on_disk.trim_end());
        assert!(value["server_key"]
            .as_str()
            .unwrap()
            .contains("PRIVATE KEY"));
        assert!(
            value.get("ca_key").is_none()
                && !value.to_string().contains(
                    &std::fs::read_to_string(p.certs.path().join("certs/ca.key"))
                        .unwrap()
                        .trim()
                        .to_string()
                )
        );

        let td = json_rpc::call(
            &p.cfg,
            json_rpc::ECS,
            "DescribeTaskDefinition",
            json!({"taskDefinition": "certs-mtls-proxy"}),
        )
        .await
        .unwrap();
        let secrets: BTreeMap<String, String> = td["taskDefinition"]["containerDefinitions"][0]
            ["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().to_owned(),
                    s["valueFrom"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            secrets,
            BTreeMap::from([
                (
                    "XAPI_MTLS_CLIENT_CA".to_owned(),
                    format!("{arn}:client_ca::")
                ),
                ("XAPI_MTLS_CRL".to_owned(), format!("{arn}:crl::")),
                (
                    "XAPI_MTLS_ISSUER_PIN".to_owned(),
                    format!("{arn}:issuer_pin::")
                ),
                (
                    "XAPI_MTLS_SERVER_CERT".to_owned(),
                    format!("{arn}:server_cert::")
                ),
                (
                    "XAPI_MTLS_SERVER_KEY".to_owned(),
                    format!("{arn}:server_key::")
                ),
            ])
        );
    });

    // Revoking a client changes the CRL, which the next deploy ships in the
    // secret and loads by restarting the tasks; `mtls show` lists it.
    let revoked = Xapi::new(&moto_url())
        .run([
            "mtls",
            "revoke-client",
            "--certs",
            &p.certs_dir(),
            "--client",
            "partner",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::MtlsRevokeClient>();
    assert!(revoked.changed, "{revoked:#?}");
    let serial = revoked.serial;
    let again = Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "certs", &[]))
        .ok();
    let doc = again.parse::<json::MtlsDeploy>();
    assert!(doc.changed, "{doc:#?}");
    let secret_action = doc
        .plan
        .actions
        .iter()
        .find(|a| a.resource == "secret")
        .unwrap();
    assert_eq!(secret_action.verb, Verb::Change, "{secret_action:#?}");
    assert!(
        again.stderr().contains("restarting"),
        "tasks not restarted: {}",
        again.stderr()
    );
    let shown = Xapi::as_account(&moto_url(), &p.account)
        .run(["mtls", "show", "--name", "certs", "--output", "json"])
        .ok()
        .parse::<json::MtlsShow>();
    let crls = &shown.revocation.crls;
    assert_eq!(crls.len(), 1, "{shown:#?}");
    assert_eq!(crls[0].revoked[0].serial, serial, "{shown:#?}");
    assert!(crls[0].next_update.is_some(), "{shown:#?}");

    // Someone else's resources that merely carry the stack's tag.
    let foreign_nlb = rt().block_on(async {
        let input = json!({
            "Name": "payments/db-password",
            "SecretString": "hunter2",
            "Tags": [{"Key": "xapi:stack", "Value": "certs"}],
            "ClientRequestToken": "someone-elses-secret-0000000000000000",
        });
        json_rpc::call(&p.cfg, json_rpc::SECRETS_MANAGER, "CreateSecret", input)
            .await
            .unwrap();
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&p.cfg);
        elb.create_load_balancer()
            .name("someone-elses-nlb")
            .r#type(aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Network)
            .scheme(aws_sdk_elasticloadbalancingv2::types::LoadBalancerSchemeEnum::Internal)
            .subnets(&p.vpc.subnet_ids[0])
            .tags(
                aws_sdk_elasticloadbalancingv2::types::Tag::builder()
                    .key("xapi:stack")
                    .value("certs")
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .load_balancers()[0]
            .load_balancer_arn()
            .unwrap()
            .to_owned()
    });
    let listed = |run: common::Run| -> Vec<String> {
        run.parse::<json::Teardown>()
            .plan
            .actions
            .into_iter()
            .map(|a| a.details[0].clone())
            .collect()
    };
    let before = listed(
        Xapi::as_account(&moto_url(), &p.account)
            .run([
                "teardown",
                "--stack",
                "certs",
                "--dry-run",
                "--output",
                "json",
            ])
            .ok(),
    );
    assert!(!before.contains(&foreign_nlb), "{before:?}");
    // No --yes and no terminal: nothing is deleted, exit 2.
    let refused = Xapi::as_account(&moto_url(), &p.account)
        .run(["teardown", "--stack", "certs", "--output", "json"])
        .expect_code(2);
    assert!(refused.stderr().contains("--yes"), "{}", refused.stderr());
    let still = listed(
        Xapi::as_account(&moto_url(), &p.account)
            .run([
                "teardown",
                "--stack",
                "certs",
                "--dry-run",
                "--output",
                "json",
            ])
            .ok(),
    );
    assert_eq!(still, before, "a refused teardown deleted something");

    let down = Xapi::as_account(&moto_url(), &p.account)
        .run(["teardown", "--stack", "certs", "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    assert!(
        down.deleted
            .iter()
            .any(|d| d.kind == "secret" && d.name == "xapi/mtls/certs"),
        "{down:#?}"
    );
    let spared: Vec<&str> = down.not_deleted.iter().map(|d| d.name.as_str()).collect();
    assert!(
        spared.contains(&"someone-elses-nlb") && spared.contains(&"payments/db-password"),
        "{down:#?}"
    );
    assert_eq!(down.secret_recovery_days, Some(7));
    rt().block_on(async {
        let describe = |id: &str| seed::secrets(&p.cfg, "DescribeSecret", json!({"SecretId": id}));
        let ours = describe("xapi/mtls/certs")
            .await
            .expect("the stack's secret is scheduled for deletion, not destroyed");
        assert!(!ours["DeletedDate"].is_null(), "not scheduled: {ours}");
        let theirs = describe("payments/db-password").await.unwrap();
        assert!(
            theirs["DeletedDate"].is_null(),
            "someone else's secret was deleted"
        );
        let lbs = aws_sdk_elasticloadbalancingv2::Client::new(&p.cfg)
            .describe_load_balancers()
            .names("someone-elses-nlb")
            .send()
            .await
            .unwrap();
        assert_eq!(
            lbs.load_balancers().len(),
            1,
            "someone else's NLB was deleted"
        );
    });
    // A directory without certificates is bad input, and nothing is created.
    let mut args = deploy_args(&p, "nocerts", &[]);
    let i = args.iter().position(|a| a == "--certs").unwrap();
    args[i + 1] = "/nonexistent/certs".into();
    Xapi::as_account(&moto_url(), &p.account)
        .run(&args)
        .refused_naming("/nonexistent/certs");
}

fn describe_services_body(account: &str, running: i32) -> String {
    serde_json::json!({
        "services": [{
            "serviceArn": format!("arn:aws:ecs:us-east-1:{account}:service/orders-mtls/orders-mtls-proxy"),
            "serviceName": "orders-mtls-proxy",
            "clusterArn": format!("arn:aws:ecs:us-east-1:{account}:cluster/orders-mtls"),
            "status": "ACTIVE",
            "desiredCount": 2,
            "runningCount": running,
            "pendingCount": 2 - running,
            "launchType": "FARGATE",
            "taskDefinition": format!("arn:aws:ecs:us-east-1:{account}:task-definition/orders-mtls-proxy:1"),
        }],
        "failures": []
    })
    .to_string()
}

#[test]
fn allow_round_trips_principals_and_show_reports_the_stack() {
    let p = producer();
    let (a, b) = (fresh_account(), fresh_account());
    Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "orders", &[&a]))
        .ok();
    let proxy = Proxy::start(&moto_url());
    // moto answers endpoint-connection calls with HTTP 500; nobody is connected.
    proxy.respond_with(|r| {
        (r.operation() == "DescribeVpcEndpointConnections").then(|| Canned {
            status: 200,
            content_type: "text/xml".into(),
            body: connections_xml("unused", &[]),
        })
    });
    let x = || Xapi::as_account(&proxy.url, &p.account);
    let allow = |account: &str, extra: &[&str]| {
        let mut args = vec!["mtls", "allow", "--name", "orders", "--account", account];
        args.extend(extra);
        args.extend(["--output", "json"]);
        x().run(args).ok().parse::<json::MtlsAllow>()
    };
    let pa = format!("arn:aws:iam::{a}:root");
    let pb = format!("arn:aws:iam::{b}:root");

    let dry = allow(&b, &["--dry-run"]);
    assert_eq!(dry.plan.actions[0].verb, Verb::Change);
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    let added = allow(&b, &[]);
    assert!(added.changed);
    assert_eq!(added.allowed_principals, [pa.as_str(), pb.as_str()]);
    assert_eq!(proxy.mutating(), ["ModifyVpcEndpointServicePermissions"]);

    proxy.clear();
    let same = allow(&b, &[]);
    assert!(!same.changed);
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "re-allowing wrote");

    let revoked = allow(&a, &["--revoke"]);
    assert!(revoked.changed);
    assert_eq!(revoked.mode, AllowMode::Revoke);
    assert_eq!(revoked.allowed_principals, [pb.as_str()]);
    proxy.clear();
    assert!(!allow(&a, &["--revoke"]).changed);
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    let show = x()
        .run(["mtls", "show", "--name", "orders", "--output", "json"])
        .ok()
        .parse::<json::MtlsShow>();
    assert_eq!(show.schema_version, 1);
    let es = &show.endpoint_service;
    assert!(es
        .service_name
        .starts_with("com.amazonaws.vpce.us-east-1.vpce-svc-"));
    assert_eq!(es.state, "available");
    assert!(es.acceptance_required);
    assert_eq!(es.allowed_principals, [pb.as_str()]);
    let tasks = show.tasks.unwrap();
    assert_eq!(tasks.desired, 2);
    assert_eq!(tasks.running, 0, "moto never starts tasks");

    // Running tasks, as AWS would report them once Fargate starts them.
    let account = p.account.clone();
    proxy.respond_with(move |r| {
        (r.operation() == "DescribeServices").then(|| Canned {
            status: 200,
            content_type: "application/x-amz-json-1.1".into(),
            body: describe_services_body(&account, 2),
        })
    });
    let show = x()
        .run(["mtls", "show", "--name", "orders", "--output", "json"])
        .ok()
        .parse::<json::MtlsShow>();
    let tasks = show.tasks.unwrap();
    assert_eq!(tasks.running, 2);
    assert_eq!(tasks.pending, 0);
    let table = x()
        .run(["mtls", "show", "--name", "orders", "--output", "table"])
        .ok()
        .stdout();
    assert!(table.contains("2 running of 2 desired"), "{table}");
    assert!(table.contains(&pb), "{table}");

    Xapi::as_account(&moto_url(), &p.account)
        .run(["mtls", "show", "--name", "nosuch", "--output", "json"])
        .refused_naming("nosuch");
}

fn count_tagged(p: &Producer, name: &str) -> usize {
    let run = Xapi::as_account(&moto_url(), &p.account)
        .run(["teardown", "--stack", name, "--dry-run", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    run.plan.actions.len()
}

#[test]
fn a_consumer_connects_to_the_service_and_teardown_removes_the_stack() {
    let p = producer();
    let consumer = fresh_account();
    let cvpc = rt().block_on(async {
        let cfg = seed::account_config(&consumer).await;
        seed::consumer_vpc(&cfg, 41, true).await
    });
    let deployed = Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "orders", &[&consumer]))
        .ok()
        .parse::<json::MtlsDeploy>();
    let service_name = deployed.stack.endpoint_service_name.unwrap();

    let proxy = Proxy::start(&moto_url());
    let mut args = vec![
        "endpoint".to_owned(),
        "create".into(),
        "--service-name".into(),
        service_name.clone(),
        "--vpc-id".into(),
        cvpc.vpc_id.clone(),
    ];
    for s in &cvpc.subnet_ids {
        args.extend(["--subnet-id".into(), s.clone()]);
    }
    args.extend([
        "--security-group-id".into(),
        cvpc.sg_id.clone(),
        "--output".into(),
        "json".into(),
    ]);
    let created = Xapi::as_account(&proxy.url, &consumer)
        .run(&args)
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(created.action, Made::Created);
    assert!(created.plan.actions[0].details[0].contains(&service_name));
    let endpoint = created.endpoint.unwrap();
    assert!(
        !endpoint.private_dns_enabled,
        "a custom service has no private DNS name by default"
    );
    let sent = proxy.first("CreateVpcEndpoint");
    assert!(
        sent.body
            .contains(&format!("ServiceName={}", service_name.replace('.', "%2E")))
            || sent.body.contains(&format!("ServiceName={service_name}")),
        "{}",
        sent.body
    );

    // The reuse lookup finds the endpoint to that service, not an execute-api one.
    proxy.clear();
    let again = Xapi::as_account(&proxy.url, &consumer)
        .run(&args)
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(again.action, Made::Reused);
    assert_eq!(again.endpoint.unwrap().id, endpoint.id);
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    assert_eq!(
        count_tagged(&p, "orders"),
        10,
        "ingress rules and the certificates' secret are tagged too"
    );
    let torn = Xapi::as_account(&moto_url(), &p.account)
        .run(["teardown", "--stack", "orders", "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    let kinds: Vec<&str> = torn.deleted.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "endpoint-service",
            "ecs-service",
            "load-balancer",
            "target-group",
            "ecs-cluster",
            "task-definition",
            "secret",
            "security-group-rule",
            "security-group-rule",
            "security-group",
        ]
    );
    assert_eq!(count_tagged(&p, "orders"), 0);
    // And the deploy can start again from nothing.
    let redeployed = Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "orders", &[]))
        .ok()
        .parse::<json::MtlsDeploy>();
    assert!(redeployed.changed);
}

#[test]
fn bad_input_is_refused_with_exit_2_and_no_change() {
    let p = producer();
    let other = rt().block_on(async { seed::consumer_vpc(&p.cfg, 42, true).await });
    let proxy = Proxy::start(&moto_url());
    let x = || Xapi::as_account(&proxy.url, &p.account);

    let with = |flag: &str, value: &str| {
        let mut args = deploy_args(&p, "orders", &[]);
        match args.iter().position(|a| a == flag) {
            Some(i) => args[i + 1] = value.to_owned(),
            None => args.extend([flag.to_owned(), value.to_owned()]),
        }
        args
    };
    for (flag, bad) in [
        ("--vpc-id", "vpc-12"),
        ("--subnet-id", "subnet-xyz"),
        ("--name", "has_underscore"),
        ("--name", "a-name-that-is-far-too-long-for-an-nlb"),
        ("--allow-account", "12345"),
        ("--allow-account", "12345678901x"),
        ("--image", "has space"),
        ("--execution-role-arn", "arn:aws:iam::1:role/x"),
    ] {
        x().run(with(flag, bad)).refused_naming(bad);
    }
    // Well-formed but wrong: an unknown VPC, a subnet of another VPC.
    x().run(with("--vpc-id", "vpc-0123456789abcdef0"))
        .refused_naming("vpc-0123456789abcdef0");
    x().run(with("--subnet-id", &other.subnet_ids[0]))
        .refused_naming(&other.subnet_ids[0]);
    x().run(["mtls", "allow", "--name", "orders", "--account", "1234"])
        .refused_naming("1234");
    x().run([
        "mtls",
        "allow",
        "--name",
        "orders",
        "--account",
        "123456789012",
    ])
    .refused_naming("orders");
    x().run([
        "endpoint",
        "create",
        "--service-name",
        "vpce-svc-123",
        "--vpc-id",
        &p.vpc.vpc_id,
        "--subnet-id",
        &p.vpc.subnet_ids[0],
    ])
    .refused_naming("vpce-svc-123");
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "bad input wrote");
    assert_eq!(count_tagged(&p, "orders"), 0);

    // A same-named resource that is not the stack's is not taken over.
    rt().block_on(async {
        json_rpc::call(
            &p.cfg,
            json_rpc::ECS,
            "CreateCluster",
            json!({"clusterName": "theirs-mtls"}),
        )
        .await
        .unwrap();
    });
    let run = x()
        .run(deploy_args(&p, "theirs", &[]))
        .refused_naming("theirs-mtls");
    assert!(
        run.stderr().contains("xapi:stack=theirs"),
        "{}",
        run.stderr()
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

#[test]
fn deploy_help_names_every_flag() {
    let out = Xapi::new(&moto_url())
        .run(["mtls", "deploy", "--help"])
        .ok()
        .stdout();
    for flag in [
        "--name",
        "--vpc-id",
        "--subnet-id",
        "--image",
        "--allow-account",
        "--execution-role-arn",
        "--dry-run",
    ] {
        assert!(out.contains(flag), "{flag} missing:\n{out}");
    }
}

/// EC2's answer to DescribeVpcEndpointConnections, as AWS sends it.
pub(crate) fn connections_xml(service_id: &str, items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(id, owner, state)| {
            format!(
                "<item><serviceId>{service_id}</serviceId><vpcEndpointId>{id}</vpcEndpointId><vpcEndpointOwner>{owner}</vpcEndpointOwner><vpcEndpointState>{state}</vpcEndpointState></item>"
            )
        })
        .collect();
    format!(
        r#"<DescribeVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcEndpointConnectionSet>{items}</vpcEndpointConnectionSet></DescribeVpcEndpointConnectionsResponse>"#
    )
}

#[test]
fn accept_takes_waiting_connections_from_allowed_accounts_only() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let p = producer();
    let (consumer, stranger) = (fresh_account(), fresh_account());
    Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "acc", &[&consumer]))
        .ok();
    let show = Xapi::as_account(&moto_url(), &p.account)
        .run(["mtls", "show", "--name", "acc", "--output", "json"])
        .ok()
        .parse::<json::MtlsShow>();
    let service_id = show.endpoint_service.id;

    // moto answers these two calls with HTTP 500: the proxy answers as EC2 would,
    // and remembers the acceptance.
    let proxy = Proxy::start(&moto_url());
    let accepted = Arc::new(AtomicBool::new(false));
    let (seen, sid) = (accepted.clone(), service_id.clone());
    proxy.respond_with(move |r| {
        let xml = |body: String| Some(Canned { status: 200, content_type: "text/xml".into(), body });
        match r.operation().as_str() {
            "DescribeVpcEndpointConnections" => xml(connections_xml(
                &sid,
                &[
                    ("vpce-0aaaaaaaaaaaaaaa1", &consumer, if seen.load(Ordering::SeqCst) { "pending" } else { "pendingAcceptance" }),
                    ("vpce-0aaaaaaaaaaaaaaa2", &stranger, "pendingAcceptance"),
                    ("vpce-0aaaaaaaaaaaaaaa3", &consumer, "available"),
                ],
            )),
            "AcceptVpcEndpointConnections" => {
                seen.store(true, Ordering::SeqCst);
                xml(r#"<AcceptVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><unsuccessful/></AcceptVpcEndpointConnectionsResponse>"#.into())
            }
            _ => None,
        }
    });
    let x = || Xapi::as_account(&proxy.url, &p.account);

    let dry = x()
        .run([
            "mtls",
            "accept",
            "--name",
            "acc",
            "--dry-run",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::MtlsAccept>();
    assert_eq!(dry.accepted[0].vpce_id, "vpce-0aaaaaaaaaaaaaaa1");
    assert_eq!(dry.not_allowed[0].vpce_id, "vpce-0aaaaaaaaaaaaaaa2");
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "--dry-run accepted");

    let done = x()
        .run(["mtls", "accept", "--name", "acc", "--output", "json"])
        .ok()
        .parse::<json::MtlsAccept>();
    assert_eq!(done.accepted.len(), 1);
    assert_eq!(proxy.mutating(), ["AcceptVpcEndpointConnections"]);
    let sent = proxy.first("AcceptVpcEndpointConnections");
    assert!(
        sent.body.contains(&format!("ServiceId={service_id}")),
        "{}",
        sent.body
    );
    assert!(
        sent.body.contains("VpcEndpointId.1=vpce-0aaaaaaaaaaaaaaa1"),
        "{}",
        sent.body
    );
    assert!(
        !sent.body.contains("vpce-0aaaaaaaaaaaaaaa2"),
        "a stranger's endpoint was accepted: {}",
        sent.body
    );

    proxy.clear();
    let again = x()
        .run(["mtls", "accept", "--name", "acc", "--output", "json"])
        .ok()
        .parse::<json::MtlsAccept>();
    assert!(again.accepted.is_empty(), "{:?}", again.accepted);
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "nothing left to accept, nothing sent"
    );
    x().run(["mtls", "accept", "--name", "nosuchstack"])
        .refused_naming("nosuchstack");
}

/// `mtls allow --revoke` removes the principal AND rejects the account's
/// existing connections (AWS keeps accepted ones working otherwise), checks
/// that none is left, and a re-run sends nothing.
#[test]
fn allow_revoke_cuts_the_accounts_existing_connections() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let p = producer();
    let (consumer, other) = (fresh_account(), fresh_account());
    Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "cut", &[&consumer, &other]))
        .ok();
    let show = Xapi::as_account(&moto_url(), &p.account)
        .run(["mtls", "show", "--name", "cut", "--output", "json"])
        .ok()
        .parse::<json::MtlsShow>();
    let service_id = show.endpoint_service.id;

    // moto answers endpoint-connection calls with HTTP 500: canned as EC2 would,
    // with a switch for whether the rejection takes effect.
    let proxy = Proxy::start(&moto_url());
    let rejected = Arc::new(AtomicBool::new(false));
    let takes = Arc::new(AtomicBool::new(true));
    let (seen, works, sid, owner, bystander) = (
        rejected.clone(),
        takes.clone(),
        service_id.clone(),
        consumer.clone(),
        other.clone(),
    );
    proxy.respond_with(move |r| {
        let xml = |body: String| Some(Canned { status: 200, content_type: "text/xml".into(), body });
        let cut = seen.load(Ordering::SeqCst);
        match r.operation().as_str() {
            "DescribeVpcEndpointConnections" => xml(connections_xml(
                &sid,
                &[
                    ("vpce-0ccccccccccccccc1", &owner, if cut { "rejected" } else { "available" }),
                    ("vpce-0ccccccccccccccc2", &owner, if cut { "rejected" } else { "pendingAcceptance" }),
                    ("vpce-0ccccccccccccccc3", &owner, "rejected"),
                    ("vpce-0ccccccccccccccc4", &bystander, "available"),
                ],
            )),
            "RejectVpcEndpointConnections" => {
                if works.load(Ordering::SeqCst) {
                    seen.store(true, Ordering::SeqCst);
                }
                xml(r#"<RejectVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><unsuccessful/></RejectVpcEndpointConnectionsResponse>"#.into())
            }
            _ => None,
        }
    });
    let x = || Xapi::as_account(&proxy.url, &p.account);
    let revoke = |extra: &[&str]| {
        let mut args = vec![
            "mtls",
            "allow",
            "--name",
            "cut",
            "--account",
            &consumer,
            "--revoke",
            "--output",
            "json",
        ];
        args.extend_from_slice(extra);
        x().run(args)
    };

    let dry = revoke(&["--dry-run"]).ok().parse::<json::MtlsAllow>();
    let cut: Vec<&str> = dry.cut.iter().map(|c| c.vpce_id.as_str()).collect();
    assert_eq!(cut, ["vpce-0ccccccccccccccc1", "vpce-0ccccccccccccccc2"]);
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "--dry-run wrote");

    // The rejection does not take: the report must not claim a revocation.
    takes.store(false, Ordering::SeqCst);
    let failed = revoke(&[]).expect_code(4);
    assert!(
        failed.stderr().contains("vpce-0ccccccccccccccc1"),
        "{}",
        failed.stderr()
    );
    takes.store(true, Ordering::SeqCst);
    proxy.clear();

    let done = revoke(&[]).ok().parse::<json::MtlsAllow>();
    assert_eq!(done.cut.len(), 2, "{done:#?}");
    assert_eq!(
        proxy.mutating(),
        ["RejectVpcEndpointConnections"],
        "principal already removed by the failed run"
    );
    let sent = proxy.first("RejectVpcEndpointConnections");
    assert!(
        sent.body.contains(&format!("ServiceId={service_id}")),
        "{}",
        sent.body
    );
    assert!(
        sent.body.contains("VpcEndpointId.1=vpce-0ccccccccccccccc1"),
        "{}",
        sent.body
    );
    assert!(
        sent.body.contains("VpcEndpointId.2=vpce-0ccccccccccccccc2"),
        "{}",
        sent.body
    );
    for spared in ["vpce-0ccccccccccccccc3", "vpce-0ccccccccccccccc4"] {
        assert!(
            !sent.body.contains(spared),
            "{spared} was cut: {}",
            sent.body
        );
    }
    let allowed = |account: &str| done.allowed_principals.iter().any(|p| p.contains(account));
    assert!(!allowed(&consumer) && allowed(&other), "{done:#?}");

    proxy.clear();
    let again = revoke(&[]).ok().parse::<json::MtlsAllow>();
    assert!(again.cut.is_empty(), "{:?}", again.cut);
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "a re-run wrote");
}

/// AWS refuses to delete an endpoint service with connected endpoints:
/// teardown names them in its plan and rejects them before the deletion.
#[test]
fn teardown_rejects_live_connections_before_deleting_the_endpoint_service() {
    let p = producer();
    let consumer = fresh_account();
    let deployed = Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "live", &[&consumer]))
        .ok()
        .parse::<json::MtlsDeploy>();
    let service_id = deployed.stack.endpoint_service_id.unwrap();
    let proxy = Proxy::start(&moto_url());
    let (sid, owner) = (service_id.clone(), consumer.clone());
    proxy.respond_with(move |r| {
        let xml = |body: String| Some(Canned { status: 200, content_type: "text/xml".into(), body });
        match r.operation().as_str() {
            "DescribeVpcEndpointConnections" => xml(connections_xml(
                &sid,
                &[
                    ("vpce-0ddddddddddddddd1", &owner, "available"),
                    ("vpce-0ddddddddddddddd2", &owner, "rejected"),
                ],
            )),
            "RejectVpcEndpointConnections" => xml(r#"<RejectVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><unsuccessful/></RejectVpcEndpointConnectionsResponse>"#.into()),
            _ => None,
        }
    });
    let x = || Xapi::as_account(&proxy.url, &p.account);
    let dry = x()
        .run([
            "teardown",
            "--stack",
            "live",
            "--dry-run",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::Teardown>();
    assert!(
        dry.plan
            .warnings
            .iter()
            .any(|w| w.contains("vpce-0ddddddddddddddd1")),
        "{dry:#?}"
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    x().run(["teardown", "--stack", "live", "--yes", "--output", "json"])
        .ok();
    let ops = proxy.mutating();
    let reject = ops.iter().position(|o| o == "RejectVpcEndpointConnections");
    let delete = ops
        .iter()
        .position(|o| o == "DeleteVpcEndpointServiceConfigurations");
    assert!(
        matches!((reject, delete), (Some(r), Some(d)) if r < d),
        "{ops:?}"
    );
    let sent = proxy.first("RejectVpcEndpointConnections");
    assert!(
        sent.body.contains("VpcEndpointId.1=vpce-0ddddddddddddddd1"),
        "{}",
        sent.body
    );
    assert!(
        !sent.body.contains("vpce-0ddddddddddddddd2"),
        "{}",
        sent.body
    );
}

/// `mtls allow --revoke` removes every principal of the account, its roles
/// and users as well as its root, in one call; a `*` it never removes is
/// named and the command exits 5, in a dry run too.
#[test]
fn allow_revoke_removes_every_principal_of_the_account_or_exits_5() {
    let p = producer();
    let (a, b) = (fresh_account(), fresh_account());
    Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "every", &[&a, &b]))
        .ok();
    let service_id = Xapi::as_account(&moto_url(), &p.account)
        .run(["mtls", "show", "--name", "every", "--output", "json"])
        .ok()
        .parse::<json::MtlsShow>()
        .endpoint_service
        .id;
    let mine = [
        format!("arn:aws:iam::{a}:role/consumer"),
        format!("arn:aws:iam::{a}:user/ops/alice"),
    ];
    let add = |principals: &[String]| {
        rt().block_on(async {
            aws_sdk_ec2::Client::new(&p.cfg)
                .modify_vpc_endpoint_service_permissions()
                .service_id(&service_id)
                .set_add_allowed_principals(Some(principals.to_vec()))
                .send()
                .await
                .unwrap();
        });
    };
    add(&mine);
    let proxy = Proxy::start(&moto_url());
    // moto answers endpoint-connection calls with HTTP 500; nobody is connected.
    proxy.respond_with(|r| {
        (r.operation() == "DescribeVpcEndpointConnections").then(|| Canned {
            status: 200,
            content_type: "text/xml".into(),
            body: connections_xml("unused", &[]),
        })
    });
    let revoke = |extra: &[&str]| {
        let mut args = vec![
            "mtls",
            "allow",
            "--name",
            "every",
            "--account",
            &a,
            "--revoke",
            "--output",
            "json",
        ];
        args.extend(extra);
        Xapi::as_account(&proxy.url, &p.account).run(args)
    };
    let pb = format!("arn:aws:iam::{b}:root");

    let done = revoke(&[]).ok().parse::<json::MtlsAllow>();
    assert!(done.changed);
    assert_eq!(done.allowed_principals, [pb.as_str()], "{done:#?}");
    assert!(done.still_admitted_by.is_empty());
    assert_eq!(
        proxy.mutating(),
        ["ModifyVpcEndpointServicePermissions"],
        "one call"
    );
    let sent = proxy.first("ModifyVpcEndpointServicePermissions").body;
    for p in mine.iter().chain([&format!("arn:aws:iam::{a}:root")]) {
        assert!(
            sent.contains(&p.replace(':', "%3A").replace('/', "%2F")),
            "{p}: {sent}"
        );
    }

    // A wildcard still admits the account: named, exit 5, never removed.
    add(&["*".to_owned(), mine[0].clone()]);
    proxy.clear();
    let dry = revoke(&["--dry-run"])
        .expect_code(5)
        .parse::<json::MtlsAllow>();
    assert_eq!(dry.still_admitted_by, ["*"]);
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "--dry-run wrote");
    let run = revoke(&[]).expect_code(5);
    assert!(
        run.stderr().contains("still admits account"),
        "{}",
        run.stderr()
    );
    let left = run.parse::<json::MtlsAllow>();
    assert_eq!(left.still_admitted_by, ["*"]);
    assert!(left.allowed_principals.contains(&"*".to_owned()));
    assert!(!left.allowed_principals.contains(&mine[0]), "{left:#?}");
    proxy.clear();
    revoke(&[]).expect_code(5);
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "nothing left to remove"
    );
}

/// The CRLs pin a supplied chain, so they must never lapse: `mtls deploy`
/// warns 14 days ahead and refuses a missing or lapsed one,
/// `--refresh-chain-crl` replaces the chain's CRLs and nothing else, and
/// `mtls show` fails (exit 1) once the deployed CRL has lapsed.
#[test]
fn chain_crls_are_refreshed_and_never_shipped_or_left_lapsed() {
    use crate::mtls_nginx::{crl_until, test_ca};
    use time::Duration;
    let p = producer();
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let corp = test_ca("Corp Root", None, None);
    let team = test_ca("Team Issuing", Some(&corp), Some(0));
    let other = test_ca("Someone Else", None, None);
    std::fs::write(path("chain.pem"), format!("{}{}", team.pem, corp.pem)).unwrap();
    std::fs::write(path("team.key"), team.key.serialize_pem()).unwrap();
    std::fs::write(path("soon.pem"), crl_until(&corp, Duration::days(10))).unwrap();
    std::fs::write(path("later.pem"), crl_until(&corp, Duration::days(60))).unwrap();
    std::fs::write(path("lapsed.pem"), crl_until(&corp, Duration::hours(-1))).unwrap();
    std::fs::write(path("other.pem"), crl_until(&other, Duration::days(60))).unwrap();
    let certs = path("certs");
    let x = || Xapi::as_account(&moto_url(), &p.account);
    x().run([
        "mtls",
        "certs",
        "--out",
        &certs,
        "--server-name",
        "proxy.orders.example",
        "--client",
        "partner",
        "--ca-cert",
        &path("chain.pem"),
        "--ca-key",
        &path("team.key"),
        "--chain-crl",
        &path("soon.pem"),
    ])
    .ok();
    let deploy = || {
        let mut args = deploy_args(&p, "pinned", &[]);
        let at = args.iter().position(|a| a == "--certs").unwrap();
        args[at + 1] = certs.clone();
        x().run(args)
    };
    let show = || x().run(["mtls", "show", "--name", "pinned", "--output", "json"]);

    let first = deploy().ok();
    let plan = first.parse::<json::MtlsDeploy>().plan;
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("CN=Corp Root") && w.contains("lapses")),
        "{plan:#?}"
    );
    let shown = show().ok().parse::<json::MtlsShow>();
    let states: Vec<(&str, &str)> = shown
        .revocation
        .coverage
        .iter()
        .map(|c| (c.ca.as_str(), c.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("CN=Team Issuing, O=Corp", "current"),
            ("CN=Corp Root, O=Corp", "expiring")
        ],
        "{shown:#?}"
    );

    // Refreshing: no key is read, our own CRL (and its revocations) stays.
    let key_before = std::fs::read(path("team.key")).unwrap();
    x().run([
        "mtls",
        "revoke-client",
        "--certs",
        &certs,
        "--client",
        "partner",
        "--ca-key",
        &path("team.key"),
    ])
    .ok();
    let ours = |text: &str| -> String {
        text.split_inclusive("-----END X509 CRL-----\n")
            .next()
            .unwrap()
            .to_owned()
    };
    let own_crl = ours(&std::fs::read_to_string(path("certs/crl.pem")).unwrap());
    let refresh = |files: &[&str]| {
        let mut args = vec![
            "mtls",
            "certs",
            "--out",
            &certs,
            "--output",
            "json",
            "--refresh-chain-crl",
        ];
        args.extend(files);
        x().run(args)
    };
    let later = path("later.pem");
    let refreshed = refresh(&[&later]).ok().parse::<json::MtlsRefresh>();
    assert!(refreshed.changed);
    assert!(
        refreshed.coverage.iter().all(|c| c.state == "current"),
        "{refreshed:#?}"
    );
    assert_eq!(
        refreshed.crls[0].revoked.len(),
        1,
        "partner's revocation kept"
    );
    let crl_now = std::fs::read_to_string(path("certs/crl.pem")).unwrap();
    assert_eq!(
        ours(&crl_now),
        own_crl,
        "the issuing CA's CRL was rewritten"
    );
    assert!(crl_now.ends_with(&std::fs::read_to_string(&later).unwrap()));
    assert_eq!(std::fs::read(path("team.key")).unwrap(), key_before);
    assert!(!refresh(&[&later]).ok().parse::<json::MtlsRefresh>().changed);
    // Refused, the file untouched: a foreign CRL, a lapsed one, none for the root,
    // and a refresh mixed with issuing.
    for (files, naming) in [
        (vec![later.as_str(), &path("other.pem")], "CN=Someone Else"),
        (vec![&path("lapsed.pem")], "expired"),
        (vec![&path("other.pem")], "CN=Someone Else"),
    ] {
        refresh(&files).refused_naming(naming);
        assert_eq!(
            std::fs::read_to_string(path("certs/crl.pem")).unwrap(),
            crl_now
        );
    }
    x().run([
        "mtls",
        "certs",
        "--out",
        &certs,
        "--refresh-chain-crl",
        &later,
        "--client",
        "x",
    ])
    .expect_code(2);

    let second = deploy().ok().parse::<json::MtlsDeploy>();
    assert!(second.changed, "the new CRL is shipped");
    assert!(
        second.plan.warnings.iter().all(|w| !w.contains("lapses")),
        "{:#?}",
        second.plan
    );
    assert!(show()
        .ok()
        .parse::<json::MtlsShow>()
        .revocation
        .coverage
        .iter()
        .all(|c| c.state == "current"));

    // A lapsed or missing CRL in the directory (edited by hand) is never shipped.
    let own_only = ours(&crl_now);
    for (crl, naming) in [
        (
            own_only.clone() + &std::fs::read_to_string(path("lapsed.pem")).unwrap(),
            "lapsed",
        ),
        (own_only.clone(), "no CRL signed by CN=Corp Root"),
    ] {
        std::fs::write(path("certs/crl.pem"), crl).unwrap();
        let refused = deploy().expect_code(2);
        assert!(refused.stderr().contains(naming), "{}", refused.stderr());
    }

    // The deployed CRL lapses (put into the secret directly, as time would):
    // show says so and exits 1.
    let lapsed_crl = format!(
        "{own_only}{}",
        std::fs::read_to_string(path("lapsed.pem")).unwrap()
    );
    rt().block_on(seed::edit_secret_json(&p.cfg, "xapi/mtls/pinned", |v| {
        v["crl"] = lapsed_crl.into();
    }));
    let lapsed = show().expect_code(1).parse::<json::MtlsShow>();
    let root = &lapsed.revocation.coverage[1];
    assert_eq!(
        (root.ca.as_str(), root.state.as_str()),
        ("CN=Corp Root, O=Corp", "lapsed")
    );
    let table = x()
        .run(["mtls", "show", "--name", "pinned", "--output", "table"])
        .expect_code(1);
    assert!(
        table.stdout().contains("--refresh-chain-crl"),
        "{}",
        table.stdout()
    );

    // No CRL in the secret at all: the pin cannot be judged, which is no pass either.
    rt().block_on(seed::edit_secret_json(&p.cfg, "xapi/mtls/pinned", |v| {
        v.as_object_mut().unwrap().remove("crl");
    }));
    let no_crl = show().expect_code(1).parse::<json::MtlsShow>();
    assert!(
        no_crl
            .revocation
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("no CRL deployed")),
        "{no_crl:#?}"
    );
}

/// A security group AWS still holds (task interfaces are released minutes
/// after their service is gone) is deleted once it is released; while it is
/// held, teardown fails naming it and never reports the stack gone. AWS's
/// `DependencyViolation` is canned: moto deletes a group at once.
#[test]
fn teardown_waits_out_a_group_still_in_use_and_never_claims_it_gone() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let p = producer();
    let consumer = fresh_account();
    Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "held", &[&consumer]))
        .ok();
    let group_exists = || {
        rt().block_on(async {
            let groups = aws_sdk_ec2::Client::new(&p.cfg)
                .describe_security_groups()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("group-name")
                        .values("held-mtls-proxy")
                        .build(),
                )
                .send()
                .await
                .unwrap();
            !groups.security_groups().is_empty()
        })
    };
    assert!(group_exists());

    // The group stays in use for as many deletion attempts as `refusals` says.
    let proxy = Proxy::start(&moto_url());
    let refusals = Arc::new(AtomicUsize::new(usize::MAX));
    let left = refusals.clone();
    proxy.respond_with(move |r| {
        let refuse = r.operation() == "DeleteSecurityGroup"
            && left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
        refuse.then(|| Canned {
            status: 400,
            content_type: "text/xml".into(),
            body: "<Response><Errors><Error><Code>DependencyViolation</Code><Message>resource sg has a dependent object</Message></Error></Errors><RequestID>r</RequestID></Response>".into(),
        })
    });
    let teardown = |timeout: &str| {
        Xapi::as_account(&proxy.url, &p.account).run([
            "teardown",
            "--stack",
            "held",
            "--yes",
            "--wait-timeout",
            timeout,
            "--output",
            "json",
        ])
    };

    // Held for good: everything else goes, the group stays, and the run fails saying so.
    let held = teardown("2s").expect_code(3);
    let err = held.stderr();
    assert!(
        err.contains("security group sg-") && err.contains("to be deletable"),
        "{err}"
    );
    assert!(err.contains("re-run teardown to finish"), "{err}");
    assert!(
        held.stdout().trim().is_empty(),
        "no report of a finished teardown: {}",
        held.stdout()
    );
    assert!(group_exists(), "the group was not deleted");
    let attempts = proxy
        .requests()
        .iter()
        .filter(|r| r.operation() == "DeleteSecurityGroup")
        .count();
    assert!(attempts >= 2, "looked again while it was held: {attempts}");
    assert_eq!(count_tagged(&p, "held"), 1, "only the group is left");

    // Released after two more refusals: the re-run deletes only the group, and says so.
    refusals.store(2, Ordering::SeqCst);
    proxy.clear();
    let done = teardown("1m").ok().parse::<json::Teardown>();
    let kinds: Vec<&str> = done.deleted.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["security-group"]);
    assert_eq!(done.outcome, Outcome::Applied);
    let attempts = proxy
        .requests()
        .iter()
        .filter(|r| r.operation() == "DeleteSecurityGroup")
        .count();
    assert_eq!(attempts, 3, "two refused, the third deleted it");
    assert!(!group_exists());
    assert_eq!(count_tagged(&p, "held"), 0);
}

/// The load balancer chain is the stack's or it is left alone: a listener
/// someone pointed at another target group, and a health check someone
/// changed, are drift of different kinds. The health check is set back;
/// the listener is refused (exit 2) with nothing written, never deployed
/// past with a warning (the proxy's traffic would go elsewhere while the
/// run said "applied and verified").
#[test]
fn a_redirected_listener_is_refused_and_a_drifted_health_check_set_back() {
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, ProtocolEnum, TargetTypeEnum,
    };

    let p = producer();
    let consumer = fresh_account();
    let deployed = Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "drift", &[&consumer]))
        .ok()
        .parse::<json::MtlsDeploy>();
    let tg_arn = deployed.stack.target_group_arn.unwrap();
    let listener_arn = deployed.stack.listener_arn.unwrap();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&p.cfg);

    // Someone points the health check at the TLS port.
    rt().block_on(async {
        elb.modify_target_group()
            .target_group_arn(&tg_arn)
            .health_check_protocol(ProtocolEnum::Tcp)
            .health_check_port("443")
            .send()
            .await
            .unwrap();
    });
    let proxy = Proxy::start(&moto_url());
    let fixed = Xapi::as_account(&proxy.url, &p.account)
        .run(deploy_args(&p, "drift", &[&consumer]))
        .ok()
        .parse::<json::MtlsDeploy>();
    assert_eq!(fixed.outcome, Outcome::Applied);
    assert_eq!(proxy.mutating(), ["ModifyTargetGroup"]);
    let health = rt().block_on(async {
        let tgs = elb
            .describe_target_groups()
            .target_group_arns(&tg_arn)
            .send()
            .await
            .unwrap();
        let tg = &tgs.target_groups()[0];
        (
            tg.health_check_protocol().map(|p| p.as_str().to_owned()),
            tg.health_check_port().map(str::to_owned),
            tg.health_check_path().map(str::to_owned),
        )
    });
    assert_eq!(
        health,
        (
            Some("HTTP".into()),
            Some("8080".into()),
            Some("/health".into())
        )
    );

    // Someone points the listener at a group of their own.
    rt().block_on(async {
        let theirs = elb
            .create_target_group()
            .name("someone-elses")
            .protocol(ProtocolEnum::Tcp)
            .port(443)
            .vpc_id(&p.vpc.vpc_id)
            .target_type(TargetTypeEnum::Ip)
            .send()
            .await
            .unwrap();
        let theirs = theirs.target_groups()[0]
            .target_group_arn()
            .unwrap()
            .to_owned();
        elb.modify_listener()
            .listener_arn(&listener_arn)
            .default_actions(
                Action::builder()
                    .r#type(ActionTypeEnum::Forward)
                    .target_group_arn(theirs)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    proxy.clear();
    let refused = Xapi::as_account(&proxy.url, &p.account)
        .run(deploy_args(&p, "drift", &[&consumer]))
        .expect_code(2);
    let err = refused.stderr();
    assert!(
        err.contains(&format!(
            "listener {listener_arn} on port 443 is TCP forwarding to"
        )) && err.contains("someone-elses")
            && err.contains("not TCP to drift-tg"),
        "{err}"
    );
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "a refused deploy wrote"
    );
}
