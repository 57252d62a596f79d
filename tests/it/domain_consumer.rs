//! Pattern 4, the consumer's side: `domain associate` against moto (the
//! VPC, its endpoint, its DNS attributes, Route 53 private zones and alias
//! records, STS), with the calls moto lacks answered by the test proxy in
//! AWS's shapes: the shared domain listing (D2), access associations (D3,
//! D4) and AWS RAM invitations (R2). See common/domains.rs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::common::domains::{self, State};
use crate::common::proxy::{Proxy, Recorded};
use crate::common::{self, fresh_account, moto_url, seed, Xapi, REGION};

const NAME: &str = "private.example.com";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

/// An alias record as (type, target name, target zone).
type Alias = (String, String, String);

struct Consumer {
    account: String,
    producer: String,
    domain_arn: String,
    vpce: String,
    vpc_id: String,
    proxy: Proxy,
    state: Arc<Mutex<State>>,
}

/// A consumer account with a VPC (DNS attributes as `dns`) and an
/// execute-api endpoint, invited (`invitation` status) to a share of a
/// producer's private domain.
fn consumer(dns: bool, invitation: &str) -> Consumer {
    let account = fresh_account();
    let producer = fresh_account();
    let (vpce, vpc_id) = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        let vpc = seed::consumer_vpc(&cfg, 61, dns).await;
        (seed::execute_api_endpoint(&cfg, &vpc).await, vpc.vpc_id)
    });
    let domain_arn = format!("arn:aws:apigateway:{REGION}:{producer}:/domainnames/{NAME}+abcd1234");
    let proxy = Proxy::start(&moto_url());
    let state = Arc::new(Mutex::new(State {
        account: account.clone(),
        invitations: vec![domains::invitation(
            &producer,
            &account,
            "xapi-private-example-com-domain",
            invitation,
        )],
        accept_shares: Some(domains::shared_item(&domain_arn)),
        ..State::default()
    }));
    domains::serve(&proxy, state.clone());
    Consumer {
        account,
        producer,
        domain_arn,
        vpce,
        vpc_id,
        proxy,
        state,
    }
}

impl Consumer {
    fn x(&self) -> Xapi {
        Xapi::as_account(&self.proxy.url, &self.account)
    }

    fn associate(&self, extra: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = [
            "domain",
            "associate",
            "--domain",
            &self.domain_arn,
            "--vpce",
            &self.vpce,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    }

    /// The producer's half: a private API in moto (stage prod) whose policy
    /// admits the endpoint, an ACM certificate, and the domain (owned by the
    /// producer, admitting the endpoint, mapping the API) in the fake.
    fn with_producer_domain(&self) {
        let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": &self.vpce}}}]})
        .to_string();
        let (api_id, certificate) = rt().block_on(async {
            let cfg = seed::account_config(&self.producer).await;
            (
                seed::private_api(&cfg, "prod", Some(&policy)).await,
                seed::import_certificate(&cfg, &[NAME]).await,
            )
        });
        let mut s = self.state.lock().unwrap();
        s.owner = Some(self.producer.clone());
        s.domains = vec![domains::private_domain(
            &self.producer,
            NAME,
            "abcd1234",
            &certificate,
            &api_id,
            &self.vpce,
        )];
    }

    fn refused(&self, args: Vec<String>, needle: &str) {
        self.proxy.clear();
        let run = self.x().run(args).expect_code(2);
        let first = run.stderr().lines().next().unwrap_or_default().to_owned();
        assert!(first.contains(needle), "{needle}: {}", run.stderr());
        assert_eq!(self.proxy.mutating(), Vec::<String>::new());
    }

    /// The endpoint's Regional DNS name and its zone, as EC2 reports them.
    fn regional_dns(&self) -> (String, String) {
        rt().block_on(async {
            let cfg = seed::account_config(&self.account).await;
            let e = aws_sdk_ec2::Client::new(&cfg)
                .describe_vpc_endpoints()
                .vpc_endpoint_ids(&self.vpce)
                .send()
                .await
                .expect("DescribeVpcEndpoints");
            let entry = e.vpc_endpoints()[0]
                .dns_entries()
                .iter()
                .find(|d| {
                    let first = d.dns_name().unwrap_or_default().split('.').next().unwrap();
                    first
                        .strip_prefix(&format!("{}-", self.vpce))
                        .is_some_and(|s| !s.contains('-'))
                })
                .expect("a Regional DNS entry")
                .clone();
            (
                entry.dns_name().unwrap().to_owned(),
                entry.hosted_zone_id().unwrap().to_owned(),
            )
        })
    }

    /// The private zones of the VPC, and the alias records in each, from Route 53.
    fn zones(&self) -> Vec<(String, Vec<Alias>)> {
        rt().block_on(async {
            let cfg = seed::account_config(&self.account).await;
            let r53 = aws_sdk_route53::Client::new(&cfg);
            let zones = r53
                .list_hosted_zones_by_vpc()
                .vpc_id(&self.vpc_id)
                .vpc_region(aws_sdk_route53::types::VpcRegion::from(REGION))
                .send()
                .await
                .expect("ListHostedZonesByVPC");
            let mut out = Vec::new();
            for z in zones.hosted_zone_summaries() {
                let sets = r53
                    .list_resource_record_sets()
                    .hosted_zone_id(z.hosted_zone_id())
                    .send()
                    .await
                    .expect("ListResourceRecordSets");
                let aliases = sets
                    .resource_record_sets()
                    .iter()
                    .filter_map(|r| {
                        let a = r.alias_target()?;
                        Some((
                            r.r#type().as_str().to_owned(),
                            a.dns_name().trim_end_matches('.').to_owned(),
                            a.hosted_zone_id().to_owned(),
                        ))
                    })
                    .collect();
                out.push((z.name().trim_end_matches('.').to_owned(), aliases));
            }
            out
        })
    }
}

#[test]
fn domain_associate_accepts_when_asked_associates_and_names_the_domain_in_the_vpc() {
    let c = consumer(true, "PENDING");
    // A pending invitation is accepted only when asked.
    c.refused(c.associate(&["--dns"]), "--accept-invitation");

    let dry = c
        .x()
        .run(c.associate(&[
            "--accept-invitation",
            "--dns",
            "--dry-run",
            "--output",
            "table",
            "--color",
            "never",
        ]))
        .ok();
    assert_eq!(c.proxy.mutating(), Vec::<String>::new());
    let (dns_name, zone_of_name) = c.regional_dns();
    insta::assert_snapshot!(
        "domain_associate_dry_run",
        common::redact(
            &dry.stdout(),
            &[
                (&dns_name.to_ascii_lowercase(), "<regional-dns-name>"),
                (&zone_of_name, "<its-zone>"),
                (&c.account, "<consumer>"),
                (&c.vpc_id, "<vpc>"),
                (c.domain_arn.split(':').nth(4).unwrap(), "<producer>"),
            ]
        )
    );

    c.proxy.clear();
    let made = c
        .x()
        .run(c.associate(&["--accept-invitation", "--dns", "--output", "json"]))
        .ok()
        .json();
    assert_eq!(made["outcome"], "applied", "{made:#}");
    assert_eq!(made["action"], "created");
    assert_eq!(made["association"]["domain_arn"], c.domain_arn.as_str());
    assert_eq!(made["association"]["source"], c.vpce.as_str());
    assert_eq!(
        made["producer_command"],
        format!(
            "xapi grant-vpce --domain {} --vpce {}",
            c.domain_arn, c.vpce
        )
    );
    let s = c.state.lock().unwrap();
    assert_eq!(s.invitations[0]["status"], "ACCEPTED");
    assert_eq!(s.associations.len(), 1);
    assert_eq!(
        s.associations[0]["tags"]["xapi:stack"],
        "private-example-com"
    );
    drop(s);
    // The zone is private to the endpoint's VPC, and its A record aliases the
    // endpoint's Regional name in the zone EC2 reports for it.
    let zones = c.zones();
    assert_eq!(zones.len(), 1, "{zones:?}");
    assert_eq!(zones[0].0, NAME);
    assert_eq!(
        zones[0].1,
        vec![("A".to_owned(), dns_name.clone(), zone_of_name.clone())]
    );
    assert_eq!(made["records"][0]["target"], dns_name.to_ascii_lowercase());

    // Again: nothing to do, nothing written.
    c.proxy.clear();
    let again = c
        .x()
        .run(c.associate(&["--accept-invitation", "--dns", "--output", "json"]))
        .ok()
        .json();
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(again["action"], "reused");
    assert_eq!(c.proxy.mutating(), Vec::<String>::new());
    assert_eq!(c.zones().len(), 1);

    // teardown deletes the association and the zone (records first), and
    // leaves a zone of the same name that is not the stack's.
    let foreign = rt().block_on(async {
        let cfg = seed::account_config(&c.account).await;
        aws_sdk_route53::Client::new(&cfg)
            .create_hosted_zone()
            .name(NAME)
            .caller_reference("someone-else")
            .hosted_zone_config(
                aws_sdk_route53::types::HostedZoneConfig::builder()
                    .private_zone(true)
                    .comment("the network team's")
                    .build(),
            )
            .vpc(
                aws_sdk_route53::types::Vpc::builder()
                    .vpc_id(&c.vpc_id)
                    .vpc_region(aws_sdk_route53::types::VpcRegion::from(REGION))
                    .build(),
            )
            .send()
            .await
            .expect("CreateHostedZone")
    });
    assert!(foreign.hosted_zone.is_some());
    let (down, kinds) = common::teardown_kinds(c.x(), "private-example-com");
    assert_eq!(kinds, ["access-association", "hosted-zone"], "{down:#}");
    assert!(c.state.lock().unwrap().associations.is_empty());
    let left = c.zones();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        left[0].1.is_empty(),
        "the foreign zone kept, ours gone: {left:?}"
    );
}

/// `doctor --domain ARN --vpce V` run by the endpoint's account, with the
/// producer's role for the domain's side: every check passes once the
/// consumer has associated with `--dns`, and each piece broken afterwards is
/// exactly one failure whose fix names the command that mends it.
#[test]
fn doctor_domain_from_the_consumer_passes_after_associate_and_names_each_broken_piece() {
    let c = consumer(true, "PENDING");
    c.with_producer_domain();
    let producer_role = common::role_arn(&c.producer);
    let doctor = || {
        c.x().run([
            "doctor",
            "--domain",
            &c.domain_arn,
            "--vpce",
            &c.vpce,
            "--producer-role-arn",
            &producer_role,
            "--output",
            "json",
        ])
    };
    let failures = |report: &Value| -> Vec<(String, String)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == "fail")
            .map(|f| {
                (
                    f["check"].as_str().unwrap().to_owned(),
                    f["fix"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    // Before the consumer's half: the invitation waits and the VPC has no
    // name for the domain, two pieces, two failures; the association's
    // check waits behind the share.
    let before = doctor().expect_code(1).json();
    let failed = failures(&before);
    let checks: Vec<&str> = failed.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(checks, ["domain.share", "domain.dns"], "{before:#}");
    assert!(failed[0].1.ends_with("--accept-invitation"), "{failed:?}");
    assert!(failed[1].1.ends_with("--dns"), "{failed:?}");

    c.x()
        .run(c.associate(&["--accept-invitation", "--dns"]))
        .ok();
    c.proxy.clear();
    let healthy = doctor().ok().json();
    let findings = healthy["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 14, "{healthy:#}");
    for f in findings {
        assert_eq!(f["status"], "pass", "{f:#}");
    }
    assert_eq!(
        c.proxy.mutating(),
        Vec::<String>::new(),
        "doctor only reads"
    );

    // show, the consumer's side: shared, its association, and the alias
    // the endpoint's VPC gives the name.
    let shown = c
        .x()
        .run([
            "domain",
            "show",
            "--domain",
            &c.domain_arn,
            "--output",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(shown["side"], "consumer", "{shown:#}");
    assert_eq!(shown["domain"], Value::Null);
    assert_eq!(shown["shared_with_me"], true);
    let mine = &shown["associations"][0];
    assert_eq!(mine["association"]["source"], c.vpce.as_str());
    assert_eq!(mine["vpc_id"], c.vpc_id.as_str());
    assert_eq!(mine["zone"]["name"], NAME);
    let (dns_name, zone_of_name) = c.regional_dns();
    assert_eq!(mine["records"][0]["target"], dns_name.to_ascii_lowercase());
    assert_eq!(mine["records"][0]["target_zone"], zone_of_name.as_str());

    let broken = |what: &str, check: &str, fix: &str| {
        let report = doctor().expect_code(1).json();
        let failed = failures(&report);
        assert_eq!(failed.len(), 1, "{what}: {report:#}");
        assert_eq!(failed[0].0, check, "{what}");
        assert!(failed[0].1.contains(fix), "{what}: {:?}", failed[0]);
    };
    let associate = format!(
        "xapi domain associate --domain {} --vpce {}",
        c.domain_arn, c.vpce
    );

    // The association gone (deleted by the consumer, say).
    let kept = std::mem::take(&mut c.state.lock().unwrap().associations);
    broken("no association", "domain.association", &associate);
    c.state.lock().unwrap().associations = kept;

    // The producer's domain policy no longer admits the endpoint.
    let policy = c.state.lock().unwrap().domains[0].policy.clone();
    c.state.lock().unwrap().domains[0].policy = policy
        .as_ref()
        .map(|p| p.replace(&c.vpce, "vpce-0fff1111bbbb2222c"));
    broken(
        "domain policy",
        "domain.policy",
        &format!(
            "xapi grant-vpce --domain {} --vpce {}",
            c.domain_arn, c.vpce
        ),
    );
    c.state.lock().unwrap().domains[0].policy = policy;

    // The share withdrawn, its invitation expired: one failure, the
    // association's check blocked behind it.
    let shared = std::mem::take(&mut c.state.lock().unwrap().shared);
    c.state.lock().unwrap().invitations[0]["status"] = "EXPIRED".into();
    broken(
        "share expired",
        "domain.share",
        &format!(
            "xapi domain share --domain {} --account {}",
            c.domain_arn, c.account
        ),
    );
    c.state.lock().unwrap().shared = shared;

    // The alias record deleted from the zone.
    rt().block_on(async {
        let cfg = seed::account_config(&c.account).await;
        let r53 = aws_sdk_route53::Client::new(&cfg);
        let zone = r53
            .list_hosted_zones_by_name()
            .dns_name(NAME)
            .send()
            .await
            .expect("ListHostedZonesByName")
            .hosted_zones()[0]
            .id()
            .to_owned();
        let sets = r53
            .list_resource_record_sets()
            .hosted_zone_id(&zone)
            .send()
            .await
            .expect("ListResourceRecordSets");
        let alias = sets
            .resource_record_sets()
            .iter()
            .find(|r| r.alias_target().is_some())
            .expect("the alias record")
            .clone();
        r53.change_resource_record_sets()
            .hosted_zone_id(&zone)
            .change_batch(
                aws_sdk_route53::types::ChangeBatch::builder()
                    .changes(
                        aws_sdk_route53::types::Change::builder()
                            .action(aws_sdk_route53::types::ChangeAction::Delete)
                            .resource_record_set(alias)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("ChangeResourceRecordSets");
    });
    broken("alias deleted", "domain.dns", &format!("{associate} --dns"));
}

#[test]
fn domain_associate_refuses_what_cannot_work_before_any_write() {
    // An invitation left for more than 12 hours.
    let c = consumer(true, "EXPIRED");
    c.refused(
        c.associate(&["--accept-invitation"]),
        "expired (after 12 hours)",
    );
    // Never shared at all.
    c.state.lock().unwrap().invitations.clear();
    c.refused(c.associate(&[]), "has not shared it with this account");
    // Shared, but the endpoint already reaches another domain of the same name.
    let other = c.domain_arn.replace("+abcd1234", "+zzzz9999");
    {
        let mut s = c.state.lock().unwrap();
        s.shared.push(domains::shared_item(&c.domain_arn));
        let clash = domains::association(&c.account, &other, &c.vpce, None);
        s.associations.push(clash);
    }
    c.refused(c.associate(&[]), "two private domains of the same name");
    // A domain in another Region, and a malformed ARN.
    let elsewhere = c.domain_arn.replace(REGION, "eu-west-1");
    c.refused(
        vec![
            "domain".into(),
            "associate".into(),
            "--domain".into(),
            elsewhere,
            "--vpce".into(),
            c.vpce.clone(),
        ],
        "is in eu-west-1",
    );
    // A VPC whose DNS hostnames are off cannot resolve the name.
    let off = consumer(false, "PENDING");
    off.state
        .lock()
        .unwrap()
        .shared
        .push(domains::shared_item(&off.domain_arn));
    off.refused(off.associate(&[]), "enableDnsHostnames");
    let untouched: Vec<Value> = off.state.lock().unwrap().associations.clone();
    assert!(untouched.is_empty());
}

/// Pattern 4 end to end across two accounts of one AWS, as the demo runs
/// it: each account behind its own proxy, the fake telling them apart by
/// the credentials that signed each request. The producer creates, grants
/// and shares; the consumer accepts, associates and names the domain;
/// doctor passes from the endpoint's side; the consumer's teardown removes
/// its own pieces and never the producer's domain.
#[test]
fn two_accounts_run_pattern_4_end_to_end_and_each_tears_down_only_its_own() {
    pattern_4_across_two_accounts(false);
}

/// The same under throttling and server errors on every API Gateway and
/// AWS RAM request of every command: the same end state, nothing made twice.
#[test]
fn pattern_4_converges_under_throttling_and_server_errors() {
    pattern_4_across_two_accounts(true);
}

fn pattern_4_across_two_accounts(disturbed: bool) {
    let (producer, consumer) = (fresh_account(), fresh_account());
    let (api_id, certificate, vpce) = rt().block_on(async {
        let p = seed::account_config(&producer).await;
        let c = seed::account_config(&consumer).await;
        let vpc = seed::consumer_vpc(&c, 62, true).await;
        (
            seed::private_api(&p, "prod", None).await,
            seed::import_certificate(&p, &[NAME]).await,
            seed::execute_api_endpoint(&c, &vpc).await,
        )
    });
    let (pp, cp) = (Proxy::start(&moto_url()), Proxy::start(&moto_url()));
    let (p_state, _) = domains::serve_pair(&pp, &cp, &producer, &consumer);
    let as_producer = || Xapi::as_account(&pp.url, &producer);
    let as_consumer = || Xapi::as_account(&cp.url, &consumer);
    let disturbed_hits = Arc::new(AtomicUsize::new(0));
    if disturbed {
        // REST-JSON services only: API Gateway and RAM (and not Route 53,
        // whose XML errors the stand-in does not speak; STS, EC2 and SSM
        // are other protocols).
        let rest_json = |r: &Recorded| {
            r.target.is_none() && !r.body.contains("Action=") && !r.path.starts_with("/2013-04-01")
        };
        for proxy in [&pp, &cp] {
            proxy.disturb_randomly(10, 5, rest_json);
            let random = proxy.take_disturber();
            let hits = disturbed_hits.clone();
            proxy.disturb(move |r| {
                let d = random.as_ref().and_then(|d| d(r));
                if d.is_some() {
                    hits.fetch_add(1, Ordering::SeqCst);
                }
                d
            });
        }
    }

    let made = as_producer()
        .run([
            "domain",
            "create",
            "--name",
            NAME,
            "--certificate-arn",
            &certificate,
            "--api-id",
            &api_id,
            "--stage",
            "prod",
            "--allow-vpce",
            &vpce,
            "--output",
            "json",
        ])
        .ok()
        .json();
    let arn = made["domain"]["arn"].as_str().unwrap().to_owned();
    as_producer()
        .run([
            "grant-vpce",
            "--domain",
            &arn,
            "--vpce",
            &vpce,
            "--output",
            "json",
        ])
        .ok();
    as_producer()
        .run(["domain", "share", "--domain", &arn, "--account", &consumer])
        .ok();
    let associated = as_consumer()
        .run([
            "domain",
            "associate",
            "--domain",
            &arn,
            "--vpce",
            &vpce,
            "--accept-invitation",
            "--dns",
            "--output",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(associated["outcome"], "applied", "{associated:#}");

    let producer_role = common::role_arn(&producer);
    let doctor = || {
        as_consumer().run([
            "doctor",
            "--domain",
            &arn,
            "--vpce",
            &vpce,
            "--producer-role-arn",
            &producer_role,
            "--output",
            "json",
        ])
    };
    let report = doctor().ok().json();
    let not_passed: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "pass")
        .collect();
    assert_eq!(not_passed, Vec::<&Value>::new(), "{report:#}");

    // The producer sees the consumer's association, admitted.
    let shown = as_producer()
        .run(["domain", "show", "--domain", &arn, "--output", "json"])
        .ok()
        .json();
    assert_eq!(shown["offered"][0]["association"]["source"], vpce.as_str());
    assert_eq!(shown["offered"][0]["admitted"], true, "{shown:#}");

    // Unshare: the consumer out of the share, its association rejected,
    // its endpoint out of the domain policy; doctor then names both.
    let gone = as_producer()
        .run([
            "domain",
            "unshare",
            "--domain",
            &arn,
            "--account",
            &consumer,
            "--output",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(
        gone["revoke"]["removed"],
        serde_json::json!([vpce.clone()]),
        "{gone:#}"
    );
    assert_eq!(p_state.lock().unwrap().rejected.len(), 1);
    let report = doctor().expect_code(1).json();
    let failed: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    // Both halves of the unshare, each its own failure.
    assert_eq!(failed, ["domain.policy", "domain.share"], "{report:#}");

    // The consumer's teardown: its association and zone, not the domain
    // (which the consumer never lists as its own).
    let (down, kinds) = common::teardown_kinds(as_consumer(), "private-example-com");
    assert_eq!(kinds, ["access-association", "hosted-zone"], "{down:#}");
    assert_eq!(p_state.lock().unwrap().domains.len(), 1);
    assert_eq!(p_state.lock().unwrap().associations, Vec::<Value>::new());
    let (down, kinds) = common::teardown_kinds(as_producer(), "private-example-com");
    assert_eq!(kinds, ["resource-share", "domain-name"], "{down:#}");
    let s = p_state.lock().unwrap();
    assert_eq!(
        (s.creates, s.share_creates.len()),
        (1, 1),
        "one domain and one share made"
    );
    if disturbed {
        assert!(
            disturbed_hits.load(Ordering::SeqCst) >= 5,
            "throttles and server errors were injected"
        );
    }
}
