//! The `--dry-run` tables of `mtls deploy`, `mtls allow` and `mtls accept`
//! against moto, as snapshots: what a user reads before anything changes.

use crate::common;
use crate::mtls::{connections_xml, deploy_args, producer, Producer, IMAGE};

use common::json;
use common::proxy::{Canned, Proxy};
use common::{fresh_account, moto_url, Xapi};

/// `args` as a table dry run: no colour, so the snapshot has no escape codes.
fn table_dry_run(args: &[String]) -> Vec<String> {
    let mut args: Vec<String> = args
        .iter()
        .take_while(|a| *a != "--output")
        .cloned()
        .collect();
    args.extend(["--dry-run", "--output", "table", "--color", "never"].map(String::from));
    args
}

fn dry_run(endpoint: &str, p: &Producer, args: &[String]) -> String {
    let run = Xapi::as_account(endpoint, &p.account)
        .run(table_dry_run(args))
        .ok();
    run.stdout()
}

#[test]
fn deploy_plans_a_fresh_stack_and_then_only_the_drift() {
    let p = producer();
    let consumer = fresh_account();
    let fresh = dry_run(&moto_url(), &p, &deploy_args(&p, "orders", &[&consumer]));
    insta::assert_snapshot!(
        "mtls-deploy-fresh",
        common::redact(
            &fresh,
            &[
                (&p.vpc.vpc_id, "<vpc>"),
                (&p.account, "<producer>"),
                (&consumer, "<consumer>")
            ]
        )
    );

    let deployed = Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, "orders", &[&consumer]))
        .ok()
        .parse::<json::MtlsDeploy>();
    let stack = &deployed.stack;
    // A new image and one more allowed account: the rest is reused.
    let newer = fresh_account();
    let mut args = deploy_args(&p, "orders", &[&consumer, &newer]);
    let i = args.iter().position(|a| a == IMAGE).unwrap();
    args[i] = format!("{IMAGE}-2");
    let drift = dry_run(&moto_url(), &p, &args);
    let known = |id: Option<&str>| id.unwrap_or_default().to_owned();
    // Whole values with random parts first, before their account is redacted.
    let (listener, es_name) = (
        known(stack.listener_arn.as_deref()),
        known(stack.endpoint_service_name.as_deref()),
    );
    insta::assert_snapshot!(
        "mtls-deploy-drift",
        common::redact(
            &drift,
            &[
                (&listener, "<listener-arn>"),
                (&es_name, "<endpoint-service-name>"),
                (&p.vpc.vpc_id, "<vpc>"),
                (&p.account, "<producer>"),
                (&consumer, "<consumer>"),
                (&newer, "<newer>"),
            ]
        )
    );
}

/// A deployed stack whose endpoint service has `connections`, answered as
/// EC2 would (moto answers endpoint-connection calls with HTTP 500).
fn stack_with_connections(
    name: &str,
    allow: &[&str],
    connections: Vec<(String, String, String)>,
) -> (Producer, Proxy, String) {
    let p = producer();
    let deployed = Xapi::as_account(&moto_url(), &p.account)
        .run(deploy_args(&p, name, allow))
        .ok()
        .parse::<json::MtlsDeploy>();
    let service_id = deployed.stack.endpoint_service_id.unwrap();
    let proxy = Proxy::start(&moto_url());
    let sid = service_id.clone();
    proxy.respond_with(move |r| {
        (r.operation() == "DescribeVpcEndpointConnections").then(|| {
            let items: Vec<(&str, &str, &str)> = connections
                .iter()
                .map(|(id, owner, state)| (id.as_str(), owner.as_str(), state.as_str()))
                .collect();
            Canned {
                status: 200,
                content_type: "text/xml".into(),
                body: connections_xml(&sid, &items),
            }
        })
    });
    (p, proxy, service_id)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn allow_and_revoke_plan_the_principal_and_the_connections_to_cut() {
    let (consumer, newer) = (fresh_account(), fresh_account());
    let connections = vec![
        (
            "vpce-0ccccccccccccccc1".to_owned(),
            consumer.clone(),
            "available".to_owned(),
        ),
        (
            "vpce-0ccccccccccccccc2".to_owned(),
            consumer.clone(),
            "rejected".to_owned(),
        ),
    ];
    let (p, proxy, _) = stack_with_connections("cut", &[&consumer], connections);
    let allow = dry_run(
        &proxy.url,
        &p,
        &strings(&["mtls", "allow", "--name", "cut", "--account", &newer]),
    );
    let known = [
        (p.account.as_str(), "<producer>"),
        (consumer.as_str(), "<consumer>"),
        (newer.as_str(), "<newer>"),
        ("vpce-0ccccccccccccccc1", "<connected>"),
    ];
    insta::assert_snapshot!("mtls-allow", common::redact(&allow, &known));
    let revoke = dry_run(
        &proxy.url,
        &p,
        &strings(&[
            "mtls",
            "allow",
            "--name",
            "cut",
            "--account",
            &consumer,
            "--revoke",
        ]),
    );
    insta::assert_snapshot!("mtls-allow-revoke", common::redact(&revoke, &known));
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "--dry-run wrote");
}

#[test]
fn accept_plans_the_allowed_and_warns_about_the_rest() {
    let (consumer, stranger) = (fresh_account(), fresh_account());
    let connections = vec![
        (
            "vpce-0aaaaaaaaaaaaaaa1".to_owned(),
            consumer.clone(),
            "pendingAcceptance".to_owned(),
        ),
        (
            "vpce-0aaaaaaaaaaaaaaa2".to_owned(),
            stranger.clone(),
            "pendingAcceptance".to_owned(),
        ),
        (
            "vpce-0aaaaaaaaaaaaaaa3".to_owned(),
            consumer.clone(),
            "available".to_owned(),
        ),
    ];
    let (p, proxy, _) = stack_with_connections("acc", &[&consumer], connections);
    let accept = dry_run(
        &proxy.url,
        &p,
        &strings(&["mtls", "accept", "--name", "acc"]),
    );
    insta::assert_snapshot!(
        "mtls-accept",
        common::redact(
            &accept,
            &[
                (&p.account, "<producer>"),
                (&consumer, "<consumer>"),
                (&stranger, "<stranger>"),
                ("vpce-0aaaaaaaaaaaaaaa1", "<waiting>"),
                ("vpce-0aaaaaaaaaaaaaaa2", "<waiting-stranger>"),
                ("vpce-0aaaaaaaaaaaaaaa3", "<connected>"),
            ]
        )
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "--dry-run wrote");
}
