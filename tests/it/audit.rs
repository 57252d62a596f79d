//! `xapi audit` against the local AWS: accounts reached through STS, a
//! recording proxy in front (to refuse one AssumeRole as AWS would and to
//! count requests), the JSON read back as README documents it.

use crate::common;

use std::collections::BTreeSet;

use common::json::{Audit, Severity};
use common::proxy::{Canned, Proxy};
use common::{fresh_account, moto_url, seed, Xapi, REGION};
use xapi::audit::checks;
use xapi::policy::{self, ApiRef, PolicyDocument};

const WEST: &str = "us-west-2";

fn standard(vpces: &[&str]) -> String {
    let ids: Vec<String> = vpces.iter().map(|s| s.to_string()).collect();
    PolicyDocument::standard(&ids).to_compact()
}

fn marker(raw: &str, account: &str, region: &str, api_id: &str) -> String {
    let hash = PolicyDocument::parse(raw)
        .expect("policy")
        .canonical_sha256(&ApiRef {
            region: region.into(),
            account: account.into(),
            api_id: api_id.into(),
        });
    format!("xapi policy-sha256={hash}")
}

/// The standard policy for `vpce`, padded past 90% of the 8192-character limit
/// with a Deny on paths nobody calls (so it grants nothing more).
fn oversized(vpce: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(&standard(&[vpce])).unwrap();
    let mut paths = Vec::new();
    let mut n = 0;
    loop {
        let text = doc.to_string();
        if text.len() >= 7_500 {
            assert!(text.len() < 8_100, "padding overshot: {}", text.len());
            return text;
        }
        paths.push(serde_json::Value::String(format!(
            "execute-api:/*/DELETE/retired/{n:04}"
        )));
        n += 1;
        let stmts = doc["Statement"].as_array_mut().unwrap();
        stmts.truncate(2);
        stmts.push(serde_json::json!({
            "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": paths.clone()
        }));
    }
}

fn report(run: &common::Run) -> Audit {
    let report = run.parse::<Audit>();
    assert_eq!(report.schema_version, 1, "{report:#?}");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_fleet_with_one_of_each_problem_yields_exactly_those_findings() {
    let (producer, consumer, locked) = (fresh_account(), fresh_account(), fresh_account());
    let p = seed::account_config(&producer).await;
    let p_west = seed::account_config_in(&producer, WEST).await;
    let c = seed::account_config(&consumer).await;

    let vpc1 = seed::consumer_vpc(&c, 1, true).await;
    let vpc2 = seed::consumer_vpc(&c, 2, true).await;
    let used = seed::execute_api_endpoint(&c, &vpc1).await;
    let unused = seed::execute_api_endpoint(&c, &vpc2).await;

    // Clean: admits `used`, its stage carries the marker of the current policy.
    let good_policy = standard(&[&used]);
    let good = seed::private_api(&p, "prod", Some(&good_policy)).await;
    seed::deploy_with_description(
        &p,
        &good,
        "prod",
        &marker(&good_policy, &producer, REGION, &good),
    )
    .await;
    // Clean and never deployed by xapi: no marker, so nothing to say.
    let plain = seed::private_api(&p, "prod", Some(&good_policy)).await;
    let no_policy = seed::private_api(&p, "prod", None).await;
    let stale_stage = seed::private_api(&p, "prod", Some(&good_policy)).await;
    let older = standard(&[&used, &unused]);
    seed::deploy_with_description(
        &p,
        &stale_stage,
        "prod",
        &marker(&older, &producer, REGION, &stale_stage),
    )
    .await;
    let missing = "vpce-0badc0ffee0000001";
    let stale_grant = seed::private_api(&p, "prod", Some(&standard(&[&used, missing]))).await;
    let big = seed::private_api(&p, "prod", Some(&oversized(&used))).await;
    let open_front = seed::regional_api(&p, "front-open", &[("xapi:stack", "shop")], "NONE").await;
    seed::regional_api(&p, "front-iam", &[("xapi:stack", "billing")], "AWS_IAM").await;
    // Two fronts with policies that name aws:SourceIp: one still open to every address
    // but one, the other closed to every address but one.
    let one_ip_denied =
        seed::regional_api(&p, "front-deny-one", &[("xapi:stack", "cart")], "NONE").await;
    seed::put_policy(&p, &one_ip_denied, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#).await;
    let one_ip_only =
        seed::regional_api(&p, "front-only-one", &[("xapi:stack", "till")], "NONE").await;
    seed::put_policy(&p, &one_ip_only, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#).await;
    seed::regional_api(&p, "public-untagged", &[], "NONE").await;
    // In another region, so it cannot reach (and so "use") the consumer's endpoints.
    let open_policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    let open = seed::private_api(&p_west, "prod", Some(open_policy)).await;

    let proxy = Proxy::start(&moto_url());
    let locked_for_proxy = locked.clone();
    proxy.respond_with(move |r| {
        r.is_assume_role_into(&locked_for_proxy).then(|| {
            Canned::sts_access_denied(&format!("arn:aws:iam::{locked_for_proxy}:role/xapi-test"))
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let dot = dir.path().join("access.dot");
    let snapshot = dir.path().join("scan.json");
    let run = Xapi::new(&proxy.url)
        .run([
            "audit",
            "--account",
            &producer,
            &consumer,
            &locked,
            "--role-name",
            "xapi-test",
            "--regions",
            &format!("{REGION},{WEST}"),
            "--output",
            "json",
            "--graph",
            dot.to_str().unwrap(),
            "--snapshot-out",
            snapshot.to_str().unwrap(),
        ])
        .expect_code(1);
    let r = report(&run);

    let api = |region: &str, id: &str| xapi::audit::api_arn(region, id);
    let want: BTreeSet<(String, String, String)> = [
        (checks::OPEN_TO_ANY, producer.clone(), api(WEST, &open)),
        (checks::NO_POLICY, producer.clone(), api(REGION, &no_policy)),
        (
            checks::NOT_DEPLOYED,
            producer.clone(),
            format!("{}/stages/prod", api(REGION, &stale_stage)),
        ),
        (
            checks::GRANT_MISSING,
            producer.clone(),
            api(REGION, &stale_grant),
        ),
        (
            checks::ENDPOINT_UNUSED,
            consumer.clone(),
            xapi::audit::endpoint_arn(REGION, &consumer, &unused),
        ),
        (checks::POLICY_SIZE, producer.clone(), api(REGION, &big)),
        (
            checks::FRONT_OPEN,
            producer.clone(),
            api(REGION, &open_front),
        ),
        (
            checks::FRONT_OPEN,
            producer.clone(),
            api(REGION, &one_ip_denied),
        ),
        (
            checks::UNREADABLE,
            locked.clone(),
            format!("arn:aws:iam::{locked}:role/xapi-test"),
        ),
    ]
    .into_iter()
    .map(|(c, a, res)| (c.to_owned(), a, res))
    .collect();
    let got: BTreeSet<(String, String, String)> = r
        .findings
        .iter()
        .map(|f| (f.check.clone(), f.account.clone(), f.resource.clone()))
        .collect();
    assert_eq!(got, want, "findings:\n{:#?}", r.findings);
    assert_eq!(r.findings.len(), 9, "one finding each: {:#?}", r.findings);

    let by_check = |c: &str| r.findings.iter().find(|f| f.check == c).unwrap();
    assert_eq!(by_check(checks::OPEN_TO_ANY).severity, Severity::High);
    assert_eq!(by_check(checks::FRONT_OPEN).severity, Severity::High);
    let unreadable = by_check(checks::UNREADABLE);
    assert!(
        unreadable.message.contains("AccessDenied"),
        "{unreadable:?}"
    );
    assert!(
        unreadable
            .fix
            .as_deref()
            .unwrap_or("")
            .contains("sts:AssumeRole"),
        "{unreadable:?}"
    );
    let grant = by_check(checks::GRANT_MISSING);
    assert!(
        grant.message.contains(missing) && grant.message.contains(&consumer),
        "{grant:?}"
    );
    for f in &r.findings {
        assert!(f.resource.starts_with("arn:aws:"), "{f:?}");
        assert!(!f.message.is_empty() && f.fix.is_some(), "{f:?}");
    }
    // The other accounts were still scanned, in both regions.
    let scanned: BTreeSet<(&str, &str)> = r
        .inventory
        .targets
        .iter()
        .map(|t| (t.account.as_str(), t.region.as_str()))
        .collect();
    assert_eq!(
        scanned,
        [
            (&producer, REGION),
            (&producer, WEST),
            (&consumer, REGION),
            (&consumer, WEST)
        ]
        .into_iter()
        .map(|(a, r)| (a.as_str(), r))
        .collect()
    );

    // The access map is the policies' evaluation, endpoint by endpoint.
    let mut expected = BTreeSet::new();
    for t in &r.inventory.targets {
        let private = t.apis.iter().filter(|a| {
            a.endpoint_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case("PRIVATE"))
        });
        for a in private {
            let Some(raw) = &a.policy else { continue };
            let doc = PolicyDocument::parse(raw).unwrap();
            let api_ref = ApiRef {
                region: t.region.clone(),
                account: t.account.clone(),
                api_id: a.id.clone(),
            };
            for e in r
                .inventory
                .targets
                .iter()
                .filter(|e| e.region == t.region)
                .flat_map(|e| &e.endpoints)
            {
                if policy::admits_vpce(&doc, &api_ref, &e.id, Some(&e.vpc_id)).unwrap() {
                    expected.insert((e.id.clone(), a.id.clone()));
                }
            }
        }
    }
    let mapped: BTreeSet<(String, String)> = r
        .access_map
        .iter()
        .map(|a| (a.vpce_id.clone(), a.api_id.clone()))
        .collect();
    assert_eq!(mapped, expected);
    let reached_by_used: BTreeSet<&str> = r
        .access_map
        .iter()
        .filter(|a| a.vpce_id == used)
        .map(|a| a.api_id.as_str())
        .collect();
    assert_eq!(
        reached_by_used,
        [&good, &plain, &stale_stage, &stale_grant, &big]
            .into_iter()
            .map(String::as_str)
            .collect()
    );
    for a in &r.access_map {
        assert_eq!(
            (
                a.consumer_account.as_str(),
                a.producer_account.as_str(),
                a.vpc_id.as_str()
            ),
            (consumer.as_str(), producer.as_str(), vpc1.vpc_id.as_str())
        );
        assert_eq!(a.stages, vec!["prod".to_owned()]);
    }

    let graph = std::fs::read_to_string(&dot).expect("graph written");
    assert!(graph.starts_with("digraph"), "{graph}");
    for id in &reached_by_used {
        assert!(
            graph.contains(&format!("\"{used}\" -> \"{id}\"")),
            "{graph}"
        );
    }
    assert!(
        !graph.contains(&unused),
        "an endpoint that reaches nothing has no edge: {graph}"
    );

    // The snapshot judged offline: same findings, CSV and Mermaid, no AWS at all.
    let mmd = dir.path().join("access.mmd");
    let offline = Xapi::new("http://127.0.0.1:9")
        .run([
            "audit",
            "--from-snapshot",
            snapshot.to_str().unwrap(),
            "--output",
            "csv",
            "--graph",
            mmd.to_str().unwrap(),
            "--fail-on",
            "high",
        ])
        .expect_code(1);
    let csv = offline.stdout();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("check,severity,account,region,resource,message,fix")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 9, "{csv}");
    for f in &r.findings {
        assert!(
            rows.iter().any(|row| row.starts_with(&format!(
                "{},{},{}",
                f.check,
                f.severity.as_str(),
                f.account
            ))),
            "{csv}"
        );
    }
    let mermaid = std::fs::read_to_string(&mmd).expect("mermaid written");
    assert!(mermaid.starts_with("flowchart LR"), "{mermaid}");
    assert_eq!(
        mermaid.matches(" --> ").count(),
        reached_by_used.len(),
        "{mermaid}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_grow_with_apis_never_with_endpoints() {
    let (producer, consumer) = (fresh_account(), fresh_account());
    let p = seed::account_config(&producer).await;
    let c = seed::account_config(&consumer).await;
    let vpc = seed::consumer_vpc(&c, 3, true).await;
    let first = seed::execute_api_endpoint(&c, &vpc).await;
    for _ in 0..3 {
        seed::private_api(&p, "prod", Some(&standard(&[&first]))).await;
    }
    let proxy = Proxy::start(&moto_url());
    let scan = |proxy: &Proxy| {
        proxy.clear();
        let r = report(
            &Xapi::new(&proxy.url)
                .run([
                    "audit",
                    "--account",
                    &producer,
                    &consumer,
                    "--role-name",
                    "xapi-test",
                    "--output",
                    "json",
                ])
                .ok(),
        );
        let sent = proxy.requests();
        assert_eq!(
            r.stats.as_ref().map(|s| s.requests),
            Some(sent.len() as u64),
            "counted = sent"
        );
        (r, sent)
    };
    let (before, sent_before) = scan(&proxy);
    assert_eq!(before.access_map.len(), 3);
    // Two AssumeRoles, then per account: GetRestApis + DescribeVpcEndpoints + GetDomainNames
    // (no private domain: nothing more); per private API: GetStages + GetDeployments, and
    // GetExport for its one stage (deployed without xapi's marker).
    assert_eq!(
        sent_before.len(),
        2 + 2 * 3 + 3 * 3,
        "{:?}",
        sent_before
            .iter()
            .map(|r| r.operation())
            .collect::<Vec<_>>()
    );
    assert!(
        proxy.mutating().is_empty(),
        "audit only reads: {:?}",
        proxy.mutating()
    );

    for _ in 0..4 {
        seed::execute_api_endpoint(&c, &vpc).await;
    }
    let (more_endpoints, sent) = scan(&proxy);
    assert_eq!(
        more_endpoints
            .inventory
            .targets
            .iter()
            .map(|t| t.endpoints.len())
            .sum::<usize>(),
        5
    );
    assert_eq!(
        sent.len(),
        sent_before.len(),
        "five endpoints cost what one did"
    );

    seed::private_api(&p, "prod", Some(&standard(&[&first]))).await;
    let (_, sent) = scan(&proxy);
    assert_eq!(
        sent.len(),
        sent_before.len() + 3,
        "one more private API: GetStages + GetDeployments + GetExport"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn org_scan_covers_active_accounts_minus_the_excluded() {
    let management = fresh_account();
    let m = seed::account_config(&management).await;
    let orgs = |operation, input| {
        xapi::aws::json_rpc::call(&m, xapi::aws::json_rpc::ORGANIZATIONS, operation, input)
    };
    orgs(
        "CreateOrganization",
        serde_json::json!({"FeatureSet": "ALL"}),
    )
    .await
    .expect("CreateOrganization");
    let mut members = Vec::new();
    for name in ["payments", "sandbox"] {
        let input = serde_json::json!({
            "Email": format!("{name}-{management}@example.com"),
            "AccountName": name,
        });
        let created = orgs("CreateAccount", input).await.expect("CreateAccount");
        members.push(
            created["CreateAccountStatus"]["AccountId"]
                .as_str()
                .expect("account id")
                .to_owned(),
        );
    }
    let (payments, sandbox) = (&members[0], &members[1]);
    let pay = seed::account_config(payments).await;
    let api = seed::private_api(&pay, "prod", None).await;

    let run = Xapi::as_account(&moto_url(), &management)
        .run([
            "audit",
            "--org",
            "--role-name",
            "OrganizationAccountAccessRole",
            "--exclude-account",
            sandbox,
            "--output",
            "json",
        ])
        .ok();
    let r = report(&run);
    assert!(r.inventory.org);
    assert!(
        r.inventory.accounts.contains(payments),
        "{:?}",
        r.inventory.accounts
    );
    assert!(
        r.inventory.accounts.contains(&management),
        "{:?}",
        r.inventory.accounts
    );
    assert!(
        !r.inventory.accounts.contains(sandbox),
        "excluded: {:?}",
        r.inventory.accounts
    );
    assert_eq!(r.inventory.excluded_accounts, vec![sandbox.clone()]);
    let f: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.resource.clone()))
        .collect();
    assert_eq!(
        f,
        vec![(checks::NO_POLICY, xapi::audit::api_arn(REGION, &api))]
    );
    // A medium finding fails only when asked to.
    Xapi::as_account(&moto_url(), &management)
        .run([
            "audit",
            "--org",
            "--role-name",
            "OrganizationAccountAccessRole",
            "--exclude-account",
            sandbox,
            "--fail-on",
            "medium",
            "--output",
            "json",
        ])
        .expect_code(1);
}

#[test]
fn bad_input_is_refused_naming_the_value_before_any_request() {
    let proxy = Proxy::start(&moto_url());
    let x = || Xapi::new(&proxy.url);
    x().run(["audit", "--account", "12345", "--role-name", "r"])
        .refused_naming("12345");
    x().run([
        "audit",
        "--account",
        "111111111111",
        "--role-name",
        "bad name!",
    ])
    .refused_naming("bad name!");
    x().run(["audit", "--regions", "us-east-1,mars-north-1"])
        .refused_naming("mars-north-1");
    x().run(["audit", "--graph", "map.png"])
        .refused_naming("map.png");
    x().run(["audit", "--account", "111111111111"])
        .refused_naming("--role-name");
    x().run(["whoami", "--output", "csv"]).refused_naming("csv");
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_reads_are_retried_and_the_scan_completes() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let producer = fresh_account();
    let p = seed::account_config(&producer).await;
    let api = seed::private_api(&p, "prod", None).await;
    let proxy = Proxy::start(&moto_url());
    let throttled = Arc::new(AtomicUsize::new(0));
    let count = throttled.clone();
    // API Gateway's answer past its control-plane rate limit, then moto's. One is
    // enough: after a throttle the SDK's adaptive mode paces this account's retries
    // to the rate it measured, which for a client that sent four requests is slow.
    proxy.respond_with(move |r| {
        let listing = r.method == "GET" && r.path.contains("/deployments");
        (listing && count.fetch_add(1, Ordering::SeqCst) < 1).then(|| {
            Canned::json(
                429,
                r#"{"__type":"TooManyRequestsException","message":"Too Many Requests"}"#.into(),
            )
        })
    });
    let r = report(
        &Xapi::new(&proxy.url)
            .run([
                "audit",
                "--account",
                &producer,
                "--role-name",
                "xapi-test",
                "--output",
                "json",
            ])
            .ok(),
    );
    assert_eq!(
        throttled.load(Ordering::SeqCst),
        2,
        "one throttled read, then one answered"
    );
    let f: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.resource.clone()))
        .collect();
    assert_eq!(
        f,
        vec![(checks::NO_POLICY, xapi::audit::api_arn(REGION, &api))]
    );
    // AssumeRole, GetRestApis, DescribeVpcEndpoints, GetDomainNames, GetStages,
    // GetDeployments twice.
    assert_eq!(r.stats.map(|s| s.requests), Some(7));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_whose_endpoints_cannot_be_read_is_reported_and_its_apis_still_judged() {
    let (producer, consumer) = (fresh_account(), fresh_account());
    let p = seed::account_config(&producer).await;
    let api = seed::private_api(&p, "prod", Some(&standard(&["vpce-0123456789abcdef0"]))).await;
    let proxy = Proxy::start(&moto_url());
    proxy.fail_when(|r| r.operation() == "DescribeVpcEndpoints");
    let r = report(
        &Xapi::new(&proxy.url)
            .run([
                "audit",
                "--account",
                &producer,
                &consumer,
                "--role-name",
                "xapi-test",
                "--output",
                "json",
            ])
            .expect_code(1),
    );
    let mut got: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.account.clone()))
        .collect();
    got.sort();
    let mut want = vec![
        (checks::GRANT_MISSING, producer.clone()),
        (checks::UNREADABLE, producer.clone()),
        (checks::UNREADABLE, consumer.clone()),
    ];
    want.sort();
    assert_eq!(got, want, "{:#?}", r.findings);
    let unreadable = r
        .findings
        .iter()
        .find(|f| f.check == checks::UNREADABLE)
        .unwrap();
    assert!(
        unreadable.message.contains("InjectedFault"),
        "{unreadable:?}"
    );
    assert!(
        unreadable
            .fix
            .as_deref()
            .unwrap()
            .contains("ec2:DescribeVpcEndpoints"),
        "{unreadable:?}"
    );
    let grant = r
        .findings
        .iter()
        .find(|f| f.check == checks::GRANT_MISSING)
        .unwrap();
    assert_eq!(grant.resource, xapi::audit::api_arn(REGION, &api));
    assert!(grant.message.contains("could not be read"), "{grant:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_regions_scans_each_enabled_region() {
    let producer = fresh_account();
    let far = seed::account_config_in(&producer, "ap-southeast-2").await;
    let api = seed::private_api(&far, "prod", None).await;
    let r = report(
        &Xapi::new(&moto_url())
            .run([
                "audit",
                "--account",
                &producer,
                "--role-name",
                "xapi-test",
                "--all-regions",
                "--output",
                "json",
            ])
            .ok(),
    );
    let regions: BTreeSet<&str> = r
        .inventory
        .targets
        .iter()
        .map(|t| t.region.as_str())
        .collect();
    assert!(
        regions.len() > 10 && regions.contains(REGION) && regions.contains(WEST),
        "{regions:?}"
    );
    let f: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.resource.clone()))
        .collect();
    assert_eq!(
        f,
        vec![(
            checks::NO_POLICY,
            xapi::audit::api_arn("ap-southeast-2", &api)
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_default_the_current_account_and_region_are_scanned() {
    let account = fresh_account();
    let p = seed::account_config(&account).await;
    let api = seed::private_api(&p, "prod", None).await;
    let run = Xapi::as_account(&moto_url(), &account)
        .run(["audit", "--output", "table", "--fail-on", "medium"])
        .expect_code(1);
    let table = run.stdout();
    assert!(table.contains(&format!("account {account}")), "{table}");
    assert!(
        table.contains(checks::NO_POLICY) && table.contains(&api),
        "{table}"
    );
    let r = report(
        &Xapi::as_account(&moto_url(), &account)
            .run(["audit", "--output", "json"])
            .ok(),
    );
    assert_eq!(r.inventory.accounts, vec![account.clone()]);
    let targets: Vec<(&str, &str)> = r
        .inventory
        .targets
        .iter()
        .map(|t| (t.account.as_str(), t.region.as_str()))
        .collect();
    assert_eq!(targets, vec![(account.as_str(), REGION)]);
}

#[test]
fn a_file_that_is_not_an_audit_snapshot_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("doctor-snapshot.json");
    std::fs::write(&bad, r#"{"schema_version":1,"region":"us-east-1"}"#).unwrap();
    Xapi::new("http://127.0.0.1:9")
        .run(["audit", "--from-snapshot", bad.to_str().unwrap()])
        .refused_naming("doctor-snapshot.json");
    Xapi::new("http://127.0.0.1:9")
        .run(["audit", "--from-snapshot", "/nonexistent/scan.json"])
        .refused_naming("/nonexistent/scan.json");
}

/// A policy that admits one VPC's endpoints: no vpce id to go stale, no endpoint to scan.
fn vpc_policy(vpc: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}},{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{{"StringNotEquals":{{"aws:SourceVpc":["{vpc}"]}}}}}}]}}"#
    )
}

/// Stages deployed without xapi's marker are judged by their export's deployed
/// policy. The emulator's export omits it, so the proxy answers as AWS does: the
/// policy as an object, `execute-api:/*` expanded to the API's ARN, slashes escaped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stages_without_a_marker_are_judged_by_their_export() {
    let producer = fresh_account();
    let p = seed::account_config(&producer).await;
    let (current, older) = (
        vpc_policy("vpc-0123456789abcdef0"),
        vpc_policy("vpc-0fffffffffffffff0"),
    );
    let stale = seed::private_api(&p, "prod", Some(&current)).await;
    let live = seed::private_api(&p, "prod", Some(&current)).await;
    let unexportable = seed::private_api(&p, "prod", Some(&current)).await;
    // Marked by xapi: its marker decides, so its export is never read.
    let marked = seed::private_api(&p, "prod", Some(&current)).await;
    seed::deploy_with_description(
        &p,
        &marked,
        "prod",
        &marker(&current, &producer, REGION, &marked),
    )
    .await;

    let aws_export = |api_id: &str, policy: &str| {
        let arn = format!("arn:aws:execute-api:{REGION}:{producer}:{api_id}/*");
        let mut policy: serde_json::Value = serde_json::from_str(policy).unwrap();
        for st in policy["Statement"].as_array_mut().unwrap() {
            st["Resource"] = arn.clone().into();
        }
        serde_json::json!({
            "openapi": "3.0.1",
            "info": {"title": "orders-private", "version": "2026-11-30T07:00:00Z"},
            "paths": {"/hello": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}},
            "x-amazon-apigateway-policy": policy
        })
        .to_string()
        .replace('/', "\\/")
    };
    let answers = [
        (stale.clone(), aws_export(&stale, &older)),
        (live.clone(), aws_export(&live, &current)),
    ];
    let proxy = Proxy::start(&moto_url());
    proxy.respond_with(move |r| {
        answers.iter().find_map(|(id, body)| {
            (r.method == "GET"
                && r.path
                    .contains(&format!("/restapis/{id}/stages/prod/exports/oas30")))
            .then(|| Canned::json(200, body.clone()))
        })
    });
    let failing = unexportable.clone();
    proxy.fail_when(move |r| {
        r.path
            .contains(&format!("/restapis/{failing}/stages/prod/exports"))
    });
    let run = Xapi::new(&proxy.url)
        .run([
            "audit",
            "--account",
            &producer,
            "--role-name",
            "xapi-test",
            "--output",
            "json",
        ])
        .expect_code(1);
    let r = report(&run);

    let export_arn = format!(
        "{}/stages/prod/exports/oas30",
        xapi::audit::api_arn(REGION, &unexportable)
    );
    let got: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.resource.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (checks::UNREADABLE, export_arn.as_str()),
            (
                checks::NOT_DEPLOYED,
                format!("{}/stages/prod", xapi::audit::api_arn(REGION, &stale)).as_str()
            ),
        ],
        "{:#?}",
        r.findings
    );
    let stale_finding = &r.findings[1];
    assert_eq!(stale_finding.severity, Severity::Medium);
    assert!(
        stale_finding.message.contains("export"),
        "{stale_finding:?}"
    );
    assert!(
        stale_finding
            .fix
            .as_deref()
            .unwrap()
            .contains("create-deployment"),
        "{stale_finding:?}"
    );
    let unreadable = &r.findings[0];
    assert!(
        unreadable.message.contains("InjectedFault"),
        "{unreadable:?}"
    );
    assert_eq!(
        unreadable.fix.as_deref(),
        Some(format!("grant the scanning role apigateway:GET on {export_arn}").as_str())
    );

    // One GetExport per stage without a marker, asking for API Gateway's extensions.
    let exports: Vec<String> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/exports/oas30"))
        .map(|r| r.path)
        .collect();
    assert_eq!(exports.len(), 3, "{exports:?}");
    assert!(
        exports.iter().all(|p| p.contains("extensions=apigateway")),
        "{exports:?}"
    );
    assert!(!exports.iter().any(|p| p.contains(&marked)), "{exports:?}");

    // The snapshot keeps what the exports said, so judging it offline agrees.
    let stage_export = |id: &str| {
        r.inventory.targets[0]
            .apis
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .stages[0]
            .export
            .clone()
    };
    assert!(stage_export(&stale).and_then(|x| x.policy).is_some());
    assert_eq!(stage_export(&unexportable), None);
    assert_eq!(stage_export(&marked), None);
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("scan.json");
    std::fs::write(&saved, run.json()["inventory"].to_string()).unwrap();
    let again = report(
        &Xapi::new("http://127.0.0.1:9")
            .run([
                "audit",
                "--from-snapshot",
                saved.to_str().unwrap(),
                "--output",
                "json",
            ])
            .expect_code(1),
    );
    assert_eq!(again.findings, r.findings);
}

/// Organizations' ListAccounts answer (JSON 1.1, one page) for accounts of
/// the given lifecycle fields, as AWS shapes it.
fn list_accounts(accounts: &[(&str, &[(&str, &str)])]) -> Canned {
    let items: Vec<serde_json::Value> = accounts
        .iter()
        .map(|(id, fields)| {
            let mut a = serde_json::json!({
                "Id": id,
                "Arn": format!("arn:aws:organizations::123456789012:account/o-a1b2c3d4e5/{id}"),
                "Email": format!("{id}@example.com"),
                "Name": format!("team-{id}"),
                "JoinedMethod": "CREATED",
                "JoinedTimestamp": 1.7e9,
            });
            for (k, v) in *fields {
                a[*k] = serde_json::Value::String((*v).to_owned());
            }
            a
        })
        .collect();
    Canned {
        status: 200,
        content_type: "application/x-amz-json-1.1".into(),
        body: serde_json::json!({ "Accounts": items }).to_string(),
    }
}

fn org_audit(proxy: &Proxy) -> common::Run {
    Xapi::new(&proxy.url).run([
        "audit",
        "--org",
        "--role-name",
        "xapi-test",
        "--output",
        "json",
    ])
}

/// AWS retired the account `Status` on 2026-09-09: `State` decides, `Status`
/// stands in only when `State` is absent, and every account left out is
/// listed with its reason, in the report and on stderr.
#[test]
fn org_accounts_are_judged_by_state_with_status_only_as_a_fallback() {
    for shape in ["State", "Status", "both"] {
        let (active, suspended, closing, flipped) = (
            fresh_account(),
            fresh_account(),
            fresh_account(),
            fresh_account(),
        );
        let life = |state: &'static str| -> Vec<(&'static str, &'static str)> {
            match shape {
                "both" => vec![("State", state), ("Status", "ACTIVE")],
                key => vec![(if key == "State" { "State" } else { "Status" }, state)],
            }
        };
        let (a, s, c) = (life("ACTIVE"), life("SUSPENDED"), life("PENDING_CLOSURE"));
        // With both fields, a suspended State wins over an ACTIVE Status, and
        // an ACTIVE State over a suspended Status.
        let f: Vec<(&str, &str)> = if shape == "both" {
            vec![("State", "ACTIVE"), ("Status", "SUSPENDED")]
        } else {
            a.clone()
        };
        let canned = list_accounts(&[
            (&active, &a),
            (&suspended, &s),
            (&closing, &c),
            (&flipped, &f),
        ]);
        let proxy = Proxy::start(&moto_url());
        proxy.respond_with(move |r| (r.operation() == "ListAccounts").then(|| canned.clone()));
        let run = org_audit(&proxy).ok();
        let r = report(&run);
        let mut want = vec![active.clone(), flipped.clone()];
        want.sort();
        assert_eq!(r.inventory.accounts, want, "{shape}");
        let left: Vec<(String, Option<String>)> = r
            .inventory
            .excluded
            .iter()
            .map(|e| (e.account.clone(), e.state.clone()))
            .collect();
        assert_eq!(
            left,
            vec![
                (suspended.clone(), Some("SUSPENDED".to_owned())),
                (closing.clone(), Some("PENDING_CLOSURE".to_owned())),
            ],
            "{shape}"
        );
        for e in &r.inventory.excluded {
            assert!(
                e.reason.contains(e.state.as_deref().unwrap())
                    && e.reason.contains("only ACTIVE accounts are scanned"),
                "{e:?}"
            );
            assert_eq!(e.name, format!("team-{}", e.account));
        }
        let err = run.stderr();
        assert!(
            err.contains("not scanned") && err.contains(&suspended) && err.contains(&closing),
            "{shape}: {err}"
        );
        // No role is assumed in an account that was left out.
        for gone in [&suspended, &closing] {
            assert!(
                !proxy.requests().iter().any(|q| q.is_assume_role_into(gone)),
                "{shape}: assumed a role in {gone}"
            );
        }
        for scanned in [&active, &flipped] {
            assert!(
                proxy
                    .requests()
                    .iter()
                    .any(|q| q.is_assume_role_into(scanned)),
                "{shape}: never assumed a role in {scanned}"
            );
        }
    }
}

#[test]
fn an_org_whose_every_account_is_suspended_exits_1_naming_them() {
    let (one, two) = (fresh_account(), fresh_account());
    let suspended: &[(&str, &str)] = &[("State", "SUSPENDED")];
    let canned = list_accounts(&[(&one, suspended), (&two, suspended)]);
    let proxy = Proxy::start(&moto_url());
    proxy.respond_with(move |r| (r.operation() == "ListAccounts").then(|| canned.clone()));
    let run = org_audit(&proxy).expect_code(1);
    let err = run.stderr();
    assert!(err.contains("audit scanned no account"), "{err}");
    assert!(
        err.contains(&format!("{one} (SUSPENDED)")) && err.contains(&format!("{two} (SUSPENDED)")),
        "{err}"
    );
    // The report is still printed, with every account and its reason.
    let r = report(&run);
    assert!(r.inventory.accounts.is_empty());
    assert_eq!(r.inventory.excluded.len(), 2);
    assert!(
        !proxy
            .requests()
            .iter()
            .any(|q| q.operation() == "AssumeRole"),
        "{:?}",
        proxy.requests()
    );
    // Excluding the last active account is as empty a scan.
    let active: &[(&str, &str)] = &[("State", "ACTIVE")];
    let three = fresh_account();
    let canned = list_accounts(&[(&three, active), (&one, suspended)]);
    proxy.respond_with(move |r| (r.operation() == "ListAccounts").then(|| canned.clone()));
    let err = Xapi::new(&proxy.url)
        .run([
            "audit",
            "--org",
            "--role-name",
            "xapi-test",
            "--exclude-account",
            &three,
            "--output",
            "csv",
        ])
        .expect_code(1)
        .stderr();
    assert!(
        err.contains(&format!("{three} (--exclude-account)")),
        "{err}"
    );
}

#[test]
fn an_org_where_no_role_can_be_assumed_exits_1_saying_none_was_read() {
    let (one, two) = (fresh_account(), fresh_account());
    let active: &[(&str, &str)] = &[("State", "ACTIVE")];
    let canned = list_accounts(&[(&one, active), (&two, active)]);
    let proxy = Proxy::start(&moto_url());
    let denied_role = format!("arn:aws:iam::{one}:role/xapi-test");
    proxy.respond_with(move |r| {
        if r.operation() == "ListAccounts" {
            return Some(canned.clone());
        }
        (r.operation() == "AssumeRole").then(|| Canned::sts_access_denied(&denied_role))
    });
    let run = org_audit(&proxy).expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("audit scanned no account") && err.contains("none of the 2 accounts"),
        "{err}"
    );
    let r = report(&run);
    let unreadable: BTreeSet<&str> = r
        .findings
        .iter()
        .filter(|f| f.check == checks::UNREADABLE)
        .map(|f| f.account.as_str())
        .collect();
    assert_eq!(unreadable, BTreeSet::from([one.as_str(), two.as_str()]));
}

/// `--snapshot-out` and `--graph` never write through a symbolic link, and replace a
/// file that was there (world-readable) with a private one.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_snapshot_and_the_graph_are_private_and_never_written_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let account = fresh_account();
    let p = seed::account_config(&account).await;
    seed::private_api(&p, "prod", None).await;
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me\n").unwrap();
    let link = dir.path().join("linked.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let run = Xapi::as_account(&moto_url(), &account)
        .run([
            "audit",
            "--output",
            "json",
            "--snapshot-out",
            link.to_str().unwrap(),
        ])
        .expect_code(6);
    assert!(run.stderr().contains("symbolic link"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");

    let existing = dir.path().join("scan.json");
    std::fs::write(&existing, "an old scan").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    Xapi::as_account(&moto_url(), &account)
        .run([
            "audit",
            "--output",
            "json",
            "--snapshot-out",
            existing.to_str().unwrap(),
        ])
        .ok();
    let mode = std::fs::metadata(&existing).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let scan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&existing).unwrap()).unwrap();
    assert_eq!(scan["accounts"][0], account.as_str());

    // The access graph says who can reach what: written the same way.
    let graph_link = dir.path().join("map.dot");
    std::os::unix::fs::symlink(&victim, &graph_link).unwrap();
    let run = Xapi::as_account(&moto_url(), &account)
        .run([
            "audit",
            "--output",
            "json",
            "--graph",
            graph_link.to_str().unwrap(),
        ])
        .expect_code(6);
    assert!(run.stderr().contains("symbolic link"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    let graph = dir.path().join("fresh.mmd");
    Xapi::as_account(&moto_url(), &account)
        .run([
            "audit",
            "--output",
            "json",
            "--graph",
            graph.to_str().unwrap(),
        ])
        .ok();
    let mode = std::fs::metadata(&graph).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&graph)
        .unwrap()
        .starts_with("flowchart"));
}
