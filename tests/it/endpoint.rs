//! `xapi whoami` and `xapi endpoint create|list|show` against a real moto
//! server, across two accounts reached through STS AssumeRole.

use crate::common;

use common::json::{self, Made, Outcome, PolicyKind, Verb};
use common::proxy::{Canned, Proxy};
use common::seed;
use common::{fresh_account, moto_url, Xapi};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

pub(crate) struct Consumer {
    pub(crate) account: String,
    pub(crate) vpc: seed::ConsumerVpc,
}

/// A fresh account with a consumer VPC (DNS support and hostnames as `dns` says).
pub(crate) fn consumer(dns: bool) -> Consumer {
    let account = fresh_account();
    let vpc = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        seed::consumer_vpc(&cfg, 30, dns).await
    });
    Consumer { account, vpc }
}

/// `endpoint create` in the consumer's VPC, all its subnets, its security group.
pub(crate) fn endpoint_create(c: &Consumer) -> Vec<String> {
    let mut args = vec![
        "endpoint".into(),
        "create".into(),
        "--vpc-id".into(),
        c.vpc.vpc_id.clone(),
    ];
    for s in &c.vpc.subnet_ids {
        args.push("--subnet-id".into());
        args.push(s.clone());
    }
    args.extend(["--security-group-id".into(), c.vpc.sg_id.clone()]);
    args
}

fn create_args(c: &Consumer) -> Vec<String> {
    let mut args = endpoint_create(c);
    args.extend(["--output".into(), "json".into()]);
    args
}

#[test]
fn whoami_reports_both_accounts() {
    let (me, producer) = (fresh_account(), fresh_account());
    let run = Xapi::as_account(&moto_url(), &me)
        .run([
            "whoami",
            "--producer-role-arn",
            &common::role_arn(&producer),
            "--output",
            "json",
        ])
        .ok();
    let v = run.parse::<json::Whoami>();
    assert_eq!(v.schema_version, 1);
    let ids = &v.identities;
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0].side, "account");
    assert_eq!(ids[0].account, me);
    assert_eq!(ids[0].region, "us-east-1");
    assert_eq!(ids[1].side, "producer");
    assert_eq!(ids[1].account, producer);
    assert!(ids[1].arn.contains(&producer));
}

/// A `--role-arn` that may not be assumed is named as any other denied call
/// is: the operation, the role and the IAM action to allow.
#[test]
fn a_role_that_may_not_be_assumed_is_named_with_the_action_to_allow() {
    let (me, producer) = (fresh_account(), fresh_account());
    let role = common::role_arn(&producer);
    let proxy = Proxy::start(&moto_url());
    let denied = role.clone();
    proxy.respond_with(move |r| {
        (r.operation() == "AssumeRole").then(|| Canned::sts_access_denied(&denied))
    });
    let run = Xapi::as_account(&proxy.url, &me)
        .run(["whoami", "--role-arn", &role])
        .expect_code(3);
    let said = run.stderr();
    assert!(
        said.contains(&format!("AssumeRole on {role} was denied"))
            && said.contains("allow sts:AssumeRole"),
        "{said}"
    );
}

/// Private DNS sends every `*.execute-api` lookup in the VPC to the endpoint: the plan
/// says so and names the VPC's workloads, not xapi's own interfaces nor the endpoint's.
#[test]
fn the_plan_says_what_private_dns_does_to_the_vpc_and_to_whom() {
    let c = consumer(true);
    let (app, proxy_task) = rt().block_on(async {
        let cfg = seed::account_config(&c.account).await;
        let ec2 = aws_sdk_ec2::Client::new(&cfg);
        let eni = |description: &'static str, group: String| {
            let ec2 = ec2.clone();
            let subnet = c.vpc.subnet_ids[0].clone();
            async move {
                ec2.create_network_interface()
                    .subnet_id(subnet)
                    .description(description)
                    .groups(group)
                    .send()
                    .await
                    .expect("CreateNetworkInterface")
                    .network_interface
                    .and_then(|n| n.network_interface_id)
                    .expect("eni id")
            }
        };
        let xapi_group = ec2
            .create_security_group()
            .vpc_id(&c.vpc.vpc_id)
            .group_name("shop-mtls-proxy")
            .description("made by xapi mtls deploy")
            .tag_specifications(
                aws_sdk_ec2::types::TagSpecification::builder()
                    .resource_type(aws_sdk_ec2::types::ResourceType::SecurityGroup)
                    .tags(
                        aws_sdk_ec2::types::Tag::builder()
                            .key("xapi:stack")
                            .value("shop")
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .expect("CreateSecurityGroup")
            .group_id
            .expect("group id");
        (
            eni("billing batch job", c.vpc.sg_id.clone()).await,
            eni("mTLS proxy task", xapi_group).await,
        )
    });
    let proxy = Proxy::start(&moto_url());
    let mut dry = create_args(&c);
    dry.push("--dry-run".into());
    let planned = Xapi::as_account(&proxy.url, &c.account)
        .run(&dry)
        .ok()
        .parse::<json::EndpointCreate>();
    let w: Vec<&String> = planned
        .plan
        .warnings
        .iter()
        .filter(|w| w.contains("private DNS"))
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", planned.plan);
    let w = w[0];
    assert!(
        w.contains("*.execute-api.us-east-1.amazonaws.com")
            && w.contains(&c.vpc.vpc_id)
            && w.contains(&format!("{app} (billing batch job)")),
        "{w}"
    );
    assert!(!w.contains(&proxy_task), "xapi's own interface named: {w}");
    assert!(
        proxy
            .requests()
            .iter()
            .any(|r| r.operation() == "DescribeNetworkInterfaces"),
        "the VPC's interfaces were not read"
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    // Once the endpoint exists, a re-run reuses it and has nothing to warn about.
    Xapi::as_account(&proxy.url, &c.account)
        .run(create_args(&c))
        .ok();
    let again = Xapi::as_account(&proxy.url, &c.account)
        .run(create_args(&c))
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(again.action, Made::Reused);
    assert!(again.plan.warnings.is_empty(), "{:#?}", again.plan);
}

#[test]
fn create_is_idempotent_and_dry_run_changes_nothing() {
    let c = consumer(true);
    let proxy = Proxy::start(&moto_url());

    let mut dry = create_args(&c);
    dry.push("--dry-run".into());
    let planned = Xapi::as_account(&proxy.url, &c.account)
        .run(&dry)
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(planned.action, Made::Planned);
    assert_eq!(planned.outcome, Outcome::Planned);
    assert_eq!(planned.plan.actions[0].verb, Verb::Create);
    assert!(planned.plan.identity.contains(&c.account));
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "--dry-run sent a mutating request"
    );

    let created = Xapi::as_account(&proxy.url, &c.account)
        .run(create_args(&c))
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(created.action, Made::Created);
    assert_eq!(created.outcome, Outcome::Applied);
    let e = created.endpoint.as_ref().unwrap();
    let id = e.id.clone();
    assert_eq!(e.state, "available");
    assert_eq!(e.vpc_id, c.vpc.vpc_id);
    assert!(e.private_dns_enabled);
    assert_eq!(e.network_interfaces.len(), 2, "one interface per subnet");
    assert_eq!(proxy.mutating(), vec!["CreateVpcEndpoint".to_owned()]);

    proxy.clear();
    let again = Xapi::as_account(&proxy.url, &c.account)
        .run(create_args(&c))
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(again.action, Made::Reused);
    assert_eq!(again.outcome, Outcome::Unchanged);
    assert_eq!(again.endpoint.unwrap().id, id);
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "a second run must not write"
    );

    // Asking for fewer subnets reuses the endpoint as it is; with no plan to
    // print, the warning that it differs still reaches stderr, once.
    let fewer = [
        "endpoint",
        "create",
        "--vpc-id",
        &c.vpc.vpc_id,
        "--subnet-id",
        &c.vpc.subnet_ids[0],
        "--security-group-id",
        &c.vpc.sg_id,
        "--output",
        "json",
    ];
    let run = Xapi::as_account(&proxy.url, &c.account).run(fewer).ok();
    let reused = run.parse::<json::EndpointCreate>();
    assert_eq!(reused.outcome, Outcome::Unchanged);
    assert_eq!(reused.plan.warnings.len(), 1, "{:?}", reused.plan.warnings);
    assert!(reused.plan.warnings[0].contains("does not move an existing endpoint"));
    assert_eq!(
        run.stderr()
            .matches("does not move an existing endpoint")
            .count(),
        1,
        "{}",
        run.stderr()
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());

    // The endpoint lives in the consumer account only.
    let elsewhere = Xapi::as_account(&moto_url(), &fresh_account())
        .run(["endpoint", "list", "--output", "json"])
        .ok()
        .parse::<json::EndpointList>();
    assert_eq!(elsewhere.endpoints.len(), 0);
}

#[test]
fn list_and_show_describe_the_endpoint() {
    let c = consumer(true);
    let created = Xapi::as_account(&moto_url(), &c.account)
        .run(create_args(&c))
        .ok()
        .parse::<json::EndpointCreate>();
    let id = created.endpoint.unwrap().id;

    let list = Xapi::as_account(&moto_url(), &c.account)
        .run([
            "endpoint",
            "list",
            "--vpc-id",
            &c.vpc.vpc_id,
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::EndpointList>();
    assert_eq!(list.schema_version, 1);
    let endpoints = &list.endpoints;
    assert_eq!(endpoints.len(), 1);
    assert_eq!(endpoints[0].id, id);
    let mut azs: Vec<&str> = endpoints[0]
        .network_interfaces
        .iter()
        .map(|n| n.availability_zone.as_str())
        .collect();
    azs.sort_unstable();
    assert_eq!(azs, ["us-east-1a", "us-east-1b"]);

    let show = Xapi::as_account(&moto_url(), &c.account)
        .run(["endpoint", "show", &id, "--output", "json"])
        .ok()
        .parse::<json::EndpointShow>();
    assert_eq!(show.id, id);
    assert_eq!(show.service_name, "com.amazonaws.us-east-1.execute-api");
    assert_eq!(show.endpoint_type, "Interface");
    assert_eq!(show.owner_id, c.account);
    assert_eq!(show.policy.kind, PolicyKind::Default);
    assert_eq!(show.security_groups[0].id, c.vpc.sg_id);
    assert_eq!(
        show.security_groups[0].tcp_443_from,
        Vec::<String>::new(),
        "seeded group admits nothing yet"
    );
    for n in &show.network_interfaces {
        assert!(n.private_ip.parse::<std::net::Ipv4Addr>().is_ok());
        assert!(c.vpc.subnet_ids.contains(&n.subnet_id));
    }

    let table = Xapi::as_account(&moto_url(), &c.account)
        .run(["endpoint", "show", &id, "--output", "table"])
        .ok()
        .stdout();
    assert!(table.contains("admits no TCP 443"), "{table}");
}

#[test]
fn private_dns_needs_vpc_dns_hostnames() {
    let c = consumer(false);
    let run = Xapi::as_account(&moto_url(), &c.account)
        .run(create_args(&c))
        .refused_naming(&c.vpc.vpc_id);
    assert!(
        run.stderr().contains("--no-private-dns"),
        "{}",
        run.stderr()
    );
    let mut args = create_args(&c);
    args.push("--no-private-dns".into());
    let created = Xapi::as_account(&moto_url(), &c.account)
        .run(&args)
        .ok()
        .parse::<json::EndpointCreate>();
    assert!(!created.endpoint.unwrap().private_dns_enabled);
}

#[test]
fn bad_input_is_refused_with_exit_2_and_no_change() {
    let c = consumer(true);
    let other = consumer(true);
    let proxy = Proxy::start(&moto_url());
    let x = || Xapi::as_account(&proxy.url, &c.account);
    let vpc = c.vpc.vpc_id.as_str();
    let subnet = c.vpc.subnet_ids[0].as_str();

    for (flag, bad) in [
        ("--vpc-id", "vpc-123"),
        ("--vpc-id", "vpc-0123ABCD"),
        ("--subnet-id", "subnet-xyz"),
        ("--security-group-id", "sg-"),
    ] {
        let mut args = vec!["endpoint", "create"];
        for (f, good) in [("--vpc-id", vpc), ("--subnet-id", subnet)] {
            args.extend([f, if f == flag { bad } else { good }]);
        }
        if flag == "--security-group-id" {
            args.extend([flag, bad]);
        }
        x().run(&args).refused_naming(bad);
    }
    x().run(["endpoint", "show", "vpce-12"])
        .refused_naming("vpce-12");
    x().run(["endpoint", "list", "--vpc-id", "vpc-zz"])
        .refused_naming("vpc-zz");
    x().run(["whoami", "--role-arn", "arn:aws:iam::12:role/x"])
        .refused_naming("arn:aws:iam::12:role/x");

    // Well-formed but unknown ids.
    x().run(["endpoint", "show", "vpce-0123456789abcdef0"])
        .refused_naming("vpce-0123456789abcdef0");
    x().run([
        "endpoint",
        "create",
        "--vpc-id",
        "vpc-0123456789abcdef0",
        "--subnet-id",
        subnet,
    ])
    .refused_naming("vpc-0123456789abcdef0");
    x().run([
        "endpoint",
        "create",
        "--vpc-id",
        vpc,
        "--subnet-id",
        "subnet-0123456789abcdef0",
    ])
    .refused_naming("subnet-0123456789abcdef0");

    // A subnet of another VPC (same account).
    let other_vpc = rt().block_on(async {
        let cfg = seed::account_config(&c.account).await;
        seed::consumer_vpc(&cfg, 31, true).await
    });
    x().run([
        "endpoint",
        "create",
        "--vpc-id",
        vpc,
        "--subnet-id",
        &other_vpc.subnet_ids[0],
    ])
    .refused_naming(&other_vpc.subnet_ids[0]);
    // Another account's VPC is not found from this one.
    x().run([
        "endpoint",
        "create",
        "--vpc-id",
        &other.vpc.vpc_id,
        "--subnet-id",
        subnet,
    ])
    .refused_naming(&other.vpc.vpc_id);
    // Two subnets in one AZ.
    let same_az = rt().block_on(async {
        let cfg = seed::account_config(&c.account).await;
        aws_sdk_ec2::Client::new(&cfg)
            .create_subnet()
            .vpc_id(vpc)
            .cidr_block("10.30.9.0/24")
            .availability_zone("us-east-1a")
            .send()
            .await
            .unwrap()
            .subnet
            .unwrap()
            .subnet_id
            .unwrap()
    });
    x().run([
        "endpoint",
        "create",
        "--vpc-id",
        vpc,
        "--subnet-id",
        subnet,
        "--subnet-id",
        &same_az,
    ])
    .refused_naming(&same_az);

    // Regions: unknown, and none at all.
    x().run(["whoami", "--region", "us-east-9"])
        .refused_naming("us-east-9");
    let none = Xapi::new(&proxy.url)
        .env_remove("AWS_REGION")
        .run(["whoami"])
        .expect_code(2);
    assert!(none.stderr().contains("--region"), "{}", none.stderr());

    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "a refusal must change nothing"
    );
}

#[test]
fn missing_credentials_and_unreachable_aws_exit_3() {
    let run = Xapi::new(&moto_url())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .run(["whoami"])
        .expect_code(3);
    let err = run.stderr();
    assert!(
        err.contains("no AWS credentials") && err.contains("AWS_ACCESS_KEY_ID"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one-line error: {err}");

    // Two attempts are enough to show the error; the default eight spend
    // about 40 s in backoff against a port that never answers.
    let run = Xapi::new("http://127.0.0.1:9")
        .env("AWS_MAX_ATTEMPTS", "2")
        .run(["whoami"])
        .expect_code(3);
    assert!(
        run.stderr().contains("GetCallerIdentity"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        run.stderr().trim_end().lines().count(),
        1,
        "one-line error: {}",
        run.stderr()
    );
}

#[test]
fn aws_errors_show_code_and_message() {
    // An AWS refusal (here injected by the proxy) is exit 3 with AWS's code, never a bare "service error".
    let c = consumer(true);
    let proxy = Proxy::start(&moto_url());
    proxy.fail_when(|r| r.operation() == "CreateVpcEndpoint");
    let run = Xapi::as_account(&proxy.url, &c.account)
        .run(create_args(&c))
        .expect_code(3);
    assert!(
        run.stderr().contains("CreateVpcEndpoint") && run.stderr().contains("InjectedFault"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("service error"), "{}", run.stderr());
}
