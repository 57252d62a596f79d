//! The `--dry-run` plans of `endpoint create`, `vpc-link create` (v1, v2) and
//! `teardown` as people read them, and the `outcome` each run reports.

use aws_sdk_elasticloadbalancingv2::types::{
    LoadBalancerSchemeEnum, LoadBalancerTypeEnum, ProtocolEnum, Tag as ElbTag,
};

use crate::common::json::{self, Made, Outcome};
use crate::common::{self, moto_url, seed, Xapi};
use crate::endpoint::{consumer, endpoint_create};
use crate::front::nlb_for_links;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

const TABLE: [&str; 4] = ["--output", "table", "--color", "never"];
const JSON: [&str; 2] = ["--output", "json"];

fn with(base: &[String], extra: &[&str]) -> Vec<String> {
    base.iter()
        .cloned()
        .chain(extra.iter().map(|s| s.to_string()))
        .collect()
}

#[test]
fn endpoint_create_plan() {
    let c = consumer(true);
    let x = || Xapi::as_account(&moto_url(), &c.account);
    let base = endpoint_create(&c);
    let args = with(&base, &["--tag", "team=payments", "--dry-run"]);
    let dry = dry_table(x().run(with(&args, &TABLE)));
    insta::assert_snapshot!("endpoint_create_dry_run", common::redact(&dry, &[]));

    let created = x()
        .run(with(&base, &JSON))
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(
        (created.outcome, created.action),
        (Outcome::Applied, Made::Created)
    );
    let again = x()
        .run(with(&base, &JSON))
        .ok()
        .parse::<json::EndpointCreate>();
    assert_eq!(
        (again.outcome, again.action),
        (Outcome::Unchanged, Made::Reused)
    );
    let reused = dry_table(x().run(with(&with(&base, &["--dry-run"]), &TABLE)));
    assert!(
        reused.contains("= reuse  vpc-endpoint vpce-")
            && reused.ends_with("Dry run: nothing was changed.\n"),
        "{reused}"
    );
}

/// The four things every mutating command's JSON says of its run, the same
/// way for each outcome: a dry run that would create something, the run that
/// creates it, and a run with nothing left to do.
#[test]
fn every_outcome_says_the_same_four_things_of_its_run() {
    let c = consumer(true);
    let x = || Xapi::as_account(&moto_url(), &c.account);
    let base = endpoint_create(&c);
    let envelope = |args: Vec<String>| {
        let v = x()
            .run(with(&args, &JSON))
            .ok()
            .parse::<serde_json::Value>();
        (
            v["outcome"].as_str().map(str::to_owned),
            v["dry_run"].as_bool(),
            v["changed"].as_bool(),
            v["plan"]["actions"].as_array().map(Vec::len),
        )
    };
    let planned = envelope(with(&base, &["--dry-run"]));
    assert_eq!(
        (planned.0.as_deref(), planned.1, planned.2),
        (Some("planned"), Some(true), Some(true))
    );
    assert!(planned.3 > Some(0), "{planned:?}");
    let applied = envelope(base.clone());
    assert_eq!(
        (applied.0.as_deref(), applied.1, applied.2, applied.3),
        (Some("applied"), Some(false), Some(true), planned.3)
    );
    let unchanged = envelope(base);
    assert_eq!(
        (unchanged.0.as_deref(), unchanged.1, unchanged.2),
        (Some("unchanged"), Some(false), Some(false))
    );
}

#[test]
fn vpc_link_create_plan() {
    let (account, nlb) = nlb_for_links();
    let x = || Xapi::as_account(&moto_url(), &account);
    let base: Vec<String> = ["vpc-link", "create", "--nlb", "links-nlb", "--name", "l"]
        .map(String::from)
        .to_vec();
    let dry = dry_table(x().run(with(&with(&base, &["--dry-run"]), &TABLE)));
    insta::assert_snapshot!(
        "vpc_link_create_dry_run",
        common::redact(&dry, &[(&nlb, "<nlb-arn>")])
    );

    let created = x()
        .run(with(&base, &JSON))
        .ok()
        .parse::<json::VpcLinkCreate>();
    assert_eq!(
        (created.outcome, created.action),
        (Outcome::Applied, Made::Created)
    );
    let again = x().run(with(&base, &TABLE)).ok().stdout();
    assert!(
        again.starts_with("reused ")
            && again.ends_with("No changes: the VPC link to links-nlb is already as requested.\n"),
        "{again}"
    );
}

#[test]
fn vpc_link_v2_create_plan() {
    let account = common::fresh_account();
    let vpc = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        seed::consumer_vpc(&cfg, 64, true).await
    });
    let x = || Xapi::as_account(&moto_url(), &account);
    let base: Vec<String> = [
        "vpc-link",
        "create",
        "--v2",
        "--name",
        "l2",
        "--subnet-id",
        &vpc.subnet_ids[0],
        "--subnet-id",
        &vpc.subnet_ids[1],
    ]
    .map(String::from)
    .to_vec();
    let dry = dry_table(x().run(with(&with(&base, &["--dry-run"]), &TABLE)));
    insta::assert_snapshot!(
        "vpc_link_v2_create_dry_run",
        common::redact(
            &dry,
            &[
                (&vpc.subnet_ids[0], "<subnet-a>"),
                (&vpc.subnet_ids[1], "<subnet-b>")
            ]
        )
    );
    let created = x()
        .run(with(&base, &JSON))
        .ok()
        .parse::<json::VpcLinkCreate>();
    assert_eq!(
        (created.outcome, created.action),
        (Outcome::Applied, Made::Created)
    );
    let again = x().run(with(&base, &TABLE)).ok().stdout();
    assert!(
        again.starts_with("reused ")
            && again.ends_with("No changes: the VPC link v2 l2 is already as requested.\n"),
        "{again}"
    );
}

/// A stack's worth of tagged resources, made the way `mtls deploy` names them,
/// and someone else's load balancer that carries the same tag.
#[test]
fn teardown_plan() {
    let account = common::fresh_account();
    let stack = "snap";
    let secret_arn = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        let vpc = seed::consumer_vpc(&cfg, 59, true).await;
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&cfg);
        let tag = || ElbTag::builder().key("xapi:stack").value(stack).build();
        for name in ["snap-nlb", "someone-elses-nlb"] {
            elb.create_load_balancer()
                .name(name)
                .r#type(LoadBalancerTypeEnum::Network)
                .scheme(LoadBalancerSchemeEnum::Internal)
                .subnets(&vpc.subnet_ids[0])
                .tags(tag())
                .send()
                .await
                .unwrap();
        }
        elb.create_target_group()
            .name("snap-tg")
            .protocol(ProtocolEnum::Tcp)
            .port(443)
            .vpc_id(&vpc.vpc_id)
            .tags(tag())
            .send()
            .await
            .unwrap();
        let input = serde_json::json!({
            "Name": "xapi/mtls/snap",
            "SecretString": "{}",
            "Tags": [{"Key": "xapi:stack", "Value": stack}],
            "ClientRequestToken": xapi::aws::client_token(),
        });
        seed::secrets(&cfg, "CreateSecret", input).await.unwrap()["ARN"]
            .as_str()
            .unwrap()
            .to_owned()
    });
    let x = || Xapi::as_account(&moto_url(), &account);
    let dry = dry_table(
        x().run(
            ["teardown", "--stack", stack, "--dry-run"]
                .iter()
                .chain(&TABLE),
        ),
    );
    insta::assert_snapshot!(
        "teardown_dry_run",
        common::redact(&dry, &[(&secret_arn, "<secret-arn>")])
    );

    let down = x()
        .run(["teardown", "--stack", stack, "--yes", "--output", "json"])
        .ok()
        .parse::<json::Teardown>();
    assert_eq!(down.outcome, Outcome::Applied, "{down:#?}");
    assert_eq!(down.deleted.len(), 3, "{down:#?}");
    let again = x()
        .run(["teardown", "--stack", stack, "--output", "table"])
        .ok()
        .stdout();
    assert!(
        again.ends_with(
            "Nothing xapi made carries xapi:stack=snap.\nNo changes: stack snap is already as requested.\n"
        ) && again.contains("not deleted: load-balancer someone-elses-nlb (")
            && again.contains("): not made by xapi"),
        "{again}"
    );
}

/// The table a dry run printed; it writes nothing to stderr.
fn dry_table(run: common::Run) -> String {
    let run = run.ok();
    assert!(run.stderr().is_empty(), "{}", run.stderr());
    run.stdout()
}
