//! The `--dry-run` tables of `grant-vpce`, `revoke-vpce`, `policy restore`,
//! `targets sync` and `wire-regional-front` against moto, as snapshots: the
//! plan, what it would change, and the one closing line.

use crate::common::{self, json, moto_url, redact, seed, Run, Xapi};
use crate::front::{chain_with, rt, Chain};
use crate::grant::{producer, standard_policy, Producer, X, Y};

/// What a successful run printed on stdout.
fn table(run: Run) -> String {
    run.ok().stdout()
}

fn redact_api(p: &Producer, text: &str) -> String {
    redact(
        text,
        &[(&p.api_id, "<api-id>"), (X, "<vpce-x>"), (Y, "<vpce-y>")],
    )
}

/// A chain whose endpoint sits in the first subnet only: moto gives each
/// interface a random address, and with one the plan's order is fixed.
fn chain_one_interface(octet: u8) -> Chain {
    chain_with(octet, |account, vpc: &seed::ConsumerVpc| {
        let created = Xapi::as_account(&moto_url(), account)
            .run([
                "endpoint",
                "create",
                "--vpc-id",
                &vpc.vpc_id,
                "--subnet-id",
                &vpc.subnet_ids[0],
                "--security-group-id",
                &vpc.sg_id,
                "--output",
                "json",
            ])
            .ok()
            .parse::<json::EndpointCreate>();
        created.endpoint.unwrap().id
    })
}

/// The endpoint's address and the private API's id replaced.
fn redact_chain(c: &Chain, text: &str) -> String {
    let ip = the_address(c);
    redact(text, &[(&ip, "<ip>"), (&c.api_id, "<api-id>")])
}

fn the_address(c: &Chain) -> String {
    let ips = c.eni_ips();
    assert_eq!(ips.len(), 1, "{ips:?}");
    ips.into_iter().next().unwrap()
}

/// The target table as if the address were as long as `<ip>`: the border
/// and the header lose the width the address gave them (it sets the
/// column's width, as the longest cell).
fn narrow_table(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| match l.chars().nth(1) {
            Some(fill @ ('─' | '═')) => l.replacen(&fill.to_string().repeat(by), "", 1),
            _ if l.starts_with("│ TARGET") => l.replacen(&" ".repeat(by), "", 1),
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn grant_vpce() {
    let p = producer(None);
    let out = table(p.xapi(&moto_url()).run([
        "grant-vpce",
        "--api-id",
        &p.api_id,
        "--vpce",
        X,
        "--dry-run",
        "--output",
        "table",
        "--color",
        "never",
    ]));
    insta::assert_snapshot!("grant-vpce", redact_api(&p, &out));
}

/// Two stages, `dev` lagging the draft (its export, canned as AWS answers it:
/// see `stages.rs`): the plan says per stage what a redeploy publishes, and
/// warns by name.
#[test]
fn grant_vpce_publishing_draft_changes() {
    let p = crate::stages::two_stages();
    let proxy = crate::stages::exporting(&p);
    let out = table(p.xapi(&proxy.url).run([
        "grant-vpce",
        "--api-id",
        &p.api_id,
        "--vpce",
        X,
        "--dry-run",
        "--output",
        "table",
        "--color",
        "never",
    ]));
    insta::assert_snapshot!("grant-vpce-publishing", redact_api(&p, &out));
}

#[test]
fn revoke_vpce() {
    let p = producer(Some(&standard_policy(&[X, Y])));
    let out = table(p.xapi(&moto_url()).run([
        "revoke-vpce",
        "--api-id",
        &p.api_id,
        "--vpce",
        X,
        "--dry-run",
        "--output",
        "table",
        "--color",
        "never",
    ]));
    insta::assert_snapshot!("revoke-vpce", redact_api(&p, &out));
}

#[test]
fn policy_restore() {
    let p = producer(Some(&standard_policy(&[X, Y])));
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.json");
    let saved = serde_json::json!({
        "api_id": p.api_id, "account": p.account, "region": common::REGION,
        "saved_at": "20250101T000000.000Z", "policy": standard_policy(&[X]),
    });
    std::fs::write(&backup, saved.to_string()).unwrap();
    let backup = backup.to_str().unwrap();
    let out = table(p.xapi(&moto_url()).run([
        "policy",
        "restore",
        "--api-id",
        &p.api_id,
        "--from",
        backup,
        "--dry-run",
        "--output",
        "table",
        "--color",
        "never",
    ]));
    insta::assert_snapshot!(
        "policy-restore",
        redact_api(&p, &out.replace(backup, "<backup>"))
    );
}

#[test]
fn targets_sync() {
    let c = chain_one_interface(61);
    let tg_arn = rt().block_on(async {
        c.elb()
            .create_target_group()
            .name("plans-tg")
            .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Tcp)
            .port(443)
            .vpc_id(&c.vpc.vpc_id)
            .target_type(aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum::Ip)
            .send()
            .await
            .unwrap()
            .target_groups
            .unwrap()
            .remove(0)
            .target_group_arn
            .unwrap()
    });
    let out = table(Xapi::as_account(&moto_url(), &c.consumer).run([
        "targets",
        "sync",
        "--vpce",
        &c.vpce,
        "--target-group-arn",
        &tg_arn,
        "--dry-run",
        "--output",
        "table",
        "--color",
        "never",
    ]));
    let narrower = the_address(&c).len() - "<ip>".len();
    insta::assert_snapshot!(
        "targets-sync",
        narrow_table(&redact_chain(&c, &out), narrower)
    );
}

#[test]
fn wire_regional_front() {
    let c = chain_one_interface(60);
    let out = table(c.wire_as(&moto_url(), "table", &["--dry-run", "--color", "never"]));
    insta::assert_snapshot!("wire-regional-front", redact_chain(&c, &out));
}

/// The plan that moves a v1 front to a v2 link, in the order it runs.
#[test]
fn wire_regional_front_migrate_to_v2() {
    let c = chain_one_interface(66);
    let wired = c
        .wire_as(&moto_url(), "json", &["--vpc-link", "v1"])
        .ok()
        .parse::<json::Wire>();
    let r = wired.resources.unwrap();
    let (link, front) = (r.vpc_link_id.unwrap(), r.front_api_id.unwrap());
    let out = table(c.wire_as(
        &moto_url(),
        "table",
        &["--migrate-to-v2", "--dry-run", "--color", "never"],
    ));
    insta::assert_snapshot!(
        "wire-regional-front-migrate-to-v2",
        redact(
            &redact_chain(&c, &out),
            &[(&link, "<v1-link>"), (&front, "<front-id>")]
        )
    );
}
