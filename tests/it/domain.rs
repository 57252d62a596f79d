//! Pattern 4, the producer's side: `domain create` and `domain show` against
//! moto (the private API, its stages, ACM and STS) with the custom domain
//! calls answered by the test proxy in AWS's shapes (canned D1 and D2, see
//! common/domains.rs), since moto drops a private domain's id and policy.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::common::domains::{self, State};
use crate::common::proxy::{Disturbance, Proxy};
use crate::common::{self, fresh_account, json, moto_url, seed, Xapi, REGION};

const NAME: &str = "private.example.com";
const V: &str = "vpce-0aaa1111bbbb2222c";
const W: &str = "vpce-0bbb1111bbbb2222c";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

struct Producer {
    account: String,
    api_id: String,
    certificate: String,
    proxy: Proxy,
    state: Arc<Mutex<State>>,
}

/// A producer account with a private API (stage prod), an ACM certificate for
/// NAME, a public domain of the same name, and the domain calls served by the proxy.
fn producer() -> Producer {
    let account = fresh_account();
    let (api_id, certificate) = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        let api = seed::private_api(&cfg, "prod", None).await;
        (api, seed::import_certificate(&cfg, &[NAME]).await)
    });
    let proxy = Proxy::start(&moto_url());
    let state = Arc::new(Mutex::new(State {
        account: account.clone(),
        domains: vec![domains::public_twin(NAME, &certificate)],
        ..State::default()
    }));
    domains::serve(&proxy, state.clone());
    Producer {
        account,
        api_id,
        certificate,
        proxy,
        state,
    }
}

impl Producer {
    fn x(&self) -> Xapi {
        Xapi::as_account(&self.proxy.url, &self.account)
    }

    fn create(&self, extra: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = [
            "domain",
            "create",
            "--name",
            NAME,
            "--certificate-arn",
            &self.certificate,
            "--api-id",
            &self.api_id,
            "--stage",
            "prod",
            "--base-path",
            "orders",
            "--allow-vpce",
            V,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    }

    /// Every domain request the proxy saw, as `METHOD path`.
    fn domain_requests(&self) -> Vec<String> {
        self.proxy
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/domainnames"))
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// No request on a domain went out without its id, and the public twin
    /// is as it was.
    fn assert_id_always_sent(&self) {
        let s = self.state.lock().unwrap();
        assert_eq!(s.without_id, Vec::<String>::new());
        let twin = s
            .domains
            .iter()
            .find(|d| d.id.is_empty())
            .expect("the public twin survives");
        assert_eq!(twin.endpoint_type, "REGIONAL");
        assert!(twin.policy.is_none() && twin.mappings.is_empty());
        for r in self.domain_requests() {
            let on_one = r.contains("/domainnames/");
            let id = r
                .split_once("domainNameId=")
                .map(|(_, rest)| rest.split('&').next().unwrap_or_default());
            assert!(
                !on_one || id.is_some_and(|id| !id.is_empty()),
                "a domain call without a domainNameId: {r}"
            );
        }
    }
}

#[test]
fn domain_create_makes_maps_and_admits_then_reruns_as_a_no_op() {
    let p = producer();
    let json = ["--output", "json"];

    // The plan: nothing is written, the public twin is named and left alone.
    let dry = p
        .x()
        .run(p.create(&["--dry-run", "--output", "table", "--color", "never"]))
        .ok();
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());
    insta::assert_snapshot!(
        "domain_create_dry_run",
        common::redact(
            &dry.stdout(),
            &[(&p.certificate, "<certificate>"), (&p.api_id, "<api>")]
        )
    );

    let made = p.x().run(p.create(&json)).ok().json();
    assert_eq!(made["action"], "created");
    assert_eq!(made["outcome"], "applied");
    let d = &made["domain"];
    assert_eq!(d["status"], "AVAILABLE");
    assert_eq!(d["endpoint_types"], serde_json::json!(["PRIVATE"]));
    assert_eq!(d["policy"]["admitted_vpces"], serde_json::json!([V]));
    assert_eq!(d["policy"]["open_to_any_endpoint"], false);
    assert_eq!(
        d["mappings"],
        serde_json::json!([{"base_path": "orders", "api_id": p.api_id, "stage": "prod"}])
    );
    let arn = d["arn"].as_str().unwrap().to_owned();
    assert_eq!(
        arn,
        format!(
            "arn:aws:apigateway:{REGION}:{}:/domainnames/{NAME}+abcd1234",
            p.account
        )
    );
    // The create asked for what a private domain needs, by the right field.
    let create = p.proxy.first("POST /domainnames");
    let body: Value = serde_json::from_str(&create.body).unwrap();
    assert_eq!(body["certificateArn"], p.certificate.as_str());
    assert!(body.get("regionalCertificateArn").is_none());
    assert_eq!(
        body["endpointConfiguration"]["types"],
        serde_json::json!(["PRIVATE"])
    );
    assert_eq!(body["securityPolicy"], "TLS_1_2");
    assert_eq!(body["routingMode"], "BASE_PATH_MAPPING_ONLY");
    assert_eq!(body["tags"]["xapi:stack"], "private-example-com");
    assert_eq!(p.state.lock().unwrap().creates, 1);
    p.assert_id_always_sent();

    // A re-run changes nothing and makes no write.
    p.proxy.clear();
    let again = p.x().run(p.create(&json)).ok().json();
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(again["action"], "reused");
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());

    // Another endpoint: one policy write, on the private domain only.
    p.proxy.clear();
    let more = p
        .x()
        .run(p.create(&["--allow-vpce", W, "--output", "json"]))
        .ok()
        .json();
    assert_eq!(more["outcome"], "applied");
    assert_eq!(
        more["domain"]["policy"]["admitted_vpces"],
        serde_json::json!([V, W])
    );
    let writes = p.proxy.mutating();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(
        writes[0].starts_with(&format!("PATCH /domainnames/{NAME}?domainNameId=abcd1234")),
        "{writes:?}"
    );
    p.assert_id_always_sent();

    // show reads the same domain back, by its ARN.
    let shown = p
        .x()
        .run(["domain", "show", "--domain", &arn, "--output", "json"])
        .ok()
        .json();
    assert_eq!(shown["schema_version"], 1);
    assert_eq!(shown["domain"]["arn"], arn.as_str());
    assert_eq!(shown["domain"]["stack"], "private-example-com");
    assert_eq!(
        shown["domain"]["policy"]["admitted_vpces"],
        serde_json::json!([V, W])
    );
    let table = p
        .x()
        .run([
            "domain", "show", "--domain", &arn, "--output", "table", "--color", "never",
        ])
        .ok()
        .stdout();
    assert!(
        table.contains(&format!("policy admits: {V}, {W}")),
        "{table}"
    );
    p.assert_id_always_sent();

    // teardown deletes the stack's private domain by its ARN; the public
    // twin, even carrying the stack's tag, is listed and spared.
    p.state.lock().unwrap().domains[0].tags =
        serde_json::json!({"xapi:stack": "private-example-com"});
    let down = p
        .x()
        .run([
            "teardown",
            "--stack",
            "private-example-com",
            "--yes",
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::Teardown>();
    assert_eq!(down.deleted.len(), 1, "{down:?}");
    assert_eq!(down.deleted[0].kind, "domain-name");
    assert_eq!(down.deleted[0].id, arn);
    assert_eq!(down.not_deleted.len(), 1, "{down:?}");
    assert_eq!(down.not_deleted[0].name, NAME);
    assert!(down.not_deleted[0].reason.starts_with("not made by xapi"));
    let s = p.state.lock().unwrap();
    assert_eq!(s.domains.len(), 1);
    assert!(s.domains[0].id.is_empty());
    drop(s);
    p.assert_id_always_sent();
}

#[test]
fn domain_create_refuses_bad_input_before_any_write() {
    let p = producer();
    let refused = |args: Vec<String>, needle: &str| {
        p.proxy.clear();
        let run = p.x().run(args).expect_code(2);
        let first = run.stderr().lines().next().unwrap_or_default().to_owned();
        assert!(first.contains(needle), "{needle}: {}", run.stderr());
        assert_eq!(p.proxy.mutating(), Vec::<String>::new());
    };
    let with = |from: &str, to: &str| -> Vec<String> {
        p.create(&[])
            .into_iter()
            .map(|a| if a == from { to.to_owned() } else { a })
            .collect()
    };
    refused(with(NAME, "*.example.com"), "'*.example.com'");
    refused(with("orders", "a/b"), "'a/b'");
    refused(with("prod", "nope"), "--stage nope");
    // A certificate for another name, and one in another Region.
    let (other, elsewhere) = rt().block_on(async {
        let cfg = seed::account_config(&p.account).await;
        let west = seed::account_config_in(&p.account, "eu-west-1").await;
        (
            seed::import_certificate(&cfg, &["other.example.com"]).await,
            seed::import_certificate(&west, &[NAME]).await,
        )
    });
    refused(
        with(&p.certificate, &other),
        "does not cover private.example.com",
    );
    refused(with(&p.certificate, &elsewhere), "is in eu-west-1");
    // show takes only an ARN with the id.
    let no_id = format!("arn:aws:apigateway:{REGION}::/domainnames/{NAME}");
    refused(
        vec![
            "domain".into(),
            "show".into(),
            "--domain".into(),
            no_id.clone(),
        ],
        "no domainNameId",
    );
    assert_eq!(p.state.lock().unwrap().creates, 0);
    p.assert_id_always_sent();
}

#[test]
fn a_lost_create_answer_never_makes_a_second_domain() {
    let p = producer();
    p.state.lock().unwrap().lose_next_create_answer = true;
    let made = p.x().run(p.create(&["--output", "json"])).ok().json();
    assert_eq!(made["domain"]["status"], "AVAILABLE");
    let s = p.state.lock().unwrap();
    assert_eq!(s.creates, 1, "CreateDomainName was sent again");
    assert_eq!(s.domains.iter().filter(|d| !d.id.is_empty()).count(), 1);
}

#[test]
fn domain_create_converges_under_throttling_and_server_errors() {
    let p = producer();
    // A throttled CreateDomainName waits out AWS's fixed 1-per-30-s rate;
    // here the create meets only a server error, everything else both.
    p.proxy.disturb_randomly(15, 5, |r| {
        r.path.starts_with("/domainnames/") || r.method == "GET"
    });
    let failed_once = std::sync::atomic::AtomicBool::new(false);
    let random = p.proxy.take_disturber();
    p.proxy.disturb(move |r| {
        if r.method == "POST" && r.path == "/domainnames" {
            let first = !failed_once.swap(true, std::sync::atomic::Ordering::SeqCst);
            return first.then_some(Disturbance::ServerError);
        }
        random.as_ref().and_then(|d| d(r))
    });
    let made = p.x().run(p.create(&["--output", "json"])).ok().json();
    assert_eq!(made["domain"]["status"], "AVAILABLE");
    assert_eq!(
        made["domain"]["policy"]["admitted_vpces"],
        serde_json::json!([V])
    );
    let s = p.state.lock().unwrap();
    assert_eq!(s.domains.iter().filter(|d| !d.id.is_empty()).count(), 1);
    assert_eq!(
        s.creates, 1,
        "the refused create made nothing; the next made one"
    );
    drop(s);
    p.assert_id_always_sent();
}

/// `doctor --domain` passes on what `domain create` and `grant-vpce` made,
/// and names each broken piece with the command that repairs it.
#[test]
fn doctor_domain_passes_on_the_result_and_names_each_broken_piece() {
    let p = producer();
    let made = p.x().run(p.create(&["--output", "json"])).ok().json();
    let arn = made["domain"]["arn"].as_str().unwrap().to_owned();
    p.x()
        .run(["grant-vpce", "--api-id", &p.api_id, "--vpce", V])
        .ok();
    let doctor = |vpce: &str, arn: &str| {
        p.x().run([
            "doctor", "--domain", arn, "--vpce", vpce, "--output", "json",
        ])
    };
    let healthy = doctor(V, &arn).ok().json();
    let checks = healthy["findings"].as_array().unwrap();
    assert_eq!(checks.len(), 14, "{healthy:#}");
    // The producer's eight pass; the endpoint is in another account, so its
    // side is skipped, saying whose credentials would check it.
    for f in &checks[..8] {
        assert_eq!(f["status"], "pass", "{f:#}");
    }
    for f in &checks[8..] {
        assert_eq!(f["status"], "skip", "{f:#}");
    }
    assert!(
        checks[8]["message"]
            .as_str()
            .unwrap()
            .contains("--producer-role-arn"),
        "{:#}",
        checks[8]
    );

    // An endpoint neither policy admits: both policies are broken pieces.
    let stranger = doctor(W, &arn).expect_code(1).json();
    let failed: Vec<(&str, &str)> = stranger["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| (f["check"].as_str().unwrap(), f["fix"].as_str().unwrap()))
        .collect();
    assert_eq!(failed.len(), 2, "{stranger:#}");
    assert_eq!(failed[0].0, "domain.policy");
    assert_eq!(
        failed[0].1,
        format!("xapi grant-vpce --domain {arn} --vpce {W}")
    );
    assert_eq!(failed[1].0, "domain.api-policy");
    assert_eq!(
        failed[1].1,
        format!("xapi grant-vpce --api-id {} --vpce {W}", p.api_id)
    );

    // An id that is not the domain's: one failure, the rest blocked.
    let wrong = arn.replace("+abcd1234", "+zzzz9999");
    let missing = doctor(V, &wrong).expect_code(1).json();
    let statuses: Vec<(&str, &str)> = missing["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["check"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses[0], ("domain.exists", "fail"));
    assert!(
        statuses[1..].iter().all(|(_, s)| *s == "skip"),
        "{statuses:?}"
    );
    p.assert_id_always_sent();
}

/// `grant-vpce --domain` / `revoke-vpce --domain`: the domain policy by the
/// exact engine, then the mapped API on its mapped stage only; a revoke
/// rejects the endpoint's association first and leaves the API's own grant
/// unless asked (`--also-apis`). Every re-run is a no-op.
#[test]
fn grant_and_revoke_on_a_domain_reach_its_policy_and_its_mapped_stages() {
    let p = producer();
    let made = p.x().run(p.create(&["--output", "json"])).ok().json();
    let arn = made["domain"]["arn"].as_str().unwrap().to_owned();
    let consumer = fresh_account();
    let association = domains::association(&consumer, &arn, W, None);
    let association_arn = association["domainNameAccessAssociationArn"]
        .as_str()
        .unwrap()
        .to_owned();
    p.state.lock().unwrap().associations.push(association);
    let on_domain = |verb: &str, vpce: &str, extra: &[&str]| {
        let mut a = vec![verb, "--domain", &arn, "--vpce", vpce];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };

    p.proxy.clear();
    let dry = p
        .x()
        .run(on_domain(
            "grant-vpce",
            W,
            &["--dry-run", "--output", "table", "--color", "never"],
        ))
        .ok();
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());
    insta::assert_snapshot!(
        "grant_domain_dry_run",
        common::redact(
            &dry.stdout(),
            &[(&p.api_id, "<api>"), (&p.account, "<account>")]
        )
    );

    p.proxy.clear();
    let granted = p
        .x()
        .run(on_domain("grant-vpce", W, &["--output", "json"]))
        .ok()
        .json();
    assert_eq!(granted["outcome"], "applied");
    assert_eq!(granted["added"], serde_json::json!([W]));
    let apis = granted["apis"].as_array().unwrap();
    assert_eq!(apis.len(), 1, "{granted:#}");
    assert_eq!(apis[0]["api_id"], p.api_id.as_str());
    assert_eq!(apis[0]["added"], serde_json::json!([W]));
    assert_eq!(apis[0]["stages"][0]["stage"], "prod");
    let writes = p.proxy.mutating();
    let domain_writes: Vec<_> = writes
        .iter()
        .filter(|w| w.contains("domainnames"))
        .collect();
    assert_eq!(domain_writes.len(), 1, "{writes:?}");
    let shown = p
        .x()
        .run(["domain", "show", "--domain", &arn, "--output", "json"])
        .ok()
        .json();
    assert_eq!(
        shown["domain"]["policy"]["admitted_vpces"],
        serde_json::json!([V, W])
    );

    // Again: nothing to do anywhere, no write.
    p.proxy.clear();
    let again = p
        .x()
        .run(on_domain("grant-vpce", W, &["--output", "json"]))
        .ok()
        .json();
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(again["apis"][0]["outcome"], "unchanged");
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());

    // An endpoint with no association yet: granted, and the consumer's next step named.
    let x = "vpce-0ccc1111bbbb2222c";
    let lone = p
        .x()
        .run(on_domain("grant-vpce", x, &["--output", "json"]))
        .ok()
        .json();
    let warned = lone["warnings"].as_array().unwrap();
    assert!(
        warned.iter().any(|w| w
            .as_str()
            .unwrap()
            .contains(&format!("xapi domain associate --domain {arn} --vpce {x}"))),
        "{lone:#}"
    );

    // Revoke: the association is rejected first, then the domain policy
    // loses W; the API keeps its own grant.
    let revoked = p
        .x()
        .run(on_domain("revoke-vpce", W, &["--output", "json"]))
        .ok()
        .json();
    assert_eq!(revoked["outcome"], "applied", "{revoked:#}");
    assert_eq!(revoked["removed"], serde_json::json!([W]));
    assert_eq!(
        revoked["rejected"],
        serde_json::json!([association_arn.clone()])
    );
    assert_eq!(revoked["apis"], serde_json::json!([]));
    assert_eq!(
        p.state.lock().unwrap().rejected,
        vec![association_arn.clone()]
    );
    let requests = p.proxy.requests();
    let patch = requests.iter().rposition(|r| r.method == "PATCH");
    let reject_at = requests
        .iter()
        .position(|r| r.path.starts_with("/rejectdomainnameaccessassociations?"));
    assert!(reject_at.is_some());
    assert!(
        reject_at < patch,
        "the rejection comes before the policy write"
    );

    // Again: the association AWS still lists is not rejected twice.
    p.proxy.clear();
    let again = p
        .x()
        .run(on_domain("revoke-vpce", W, &["--output", "json"]))
        .ok()
        .json();
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());

    // --also-apis: the mapped API's policy loses W too, on the mapped stage.
    let both = p
        .x()
        .run(on_domain(
            "revoke-vpce",
            W,
            &["--also-apis", "--output", "json"],
        ))
        .ok()
        .json();
    assert_eq!(both["outcome"], "unchanged");
    assert_eq!(both["apis"][0]["removed"], serde_json::json!([W]));
    assert_eq!(both["apis"][0]["stages"][0]["stage"], "prod");
    p.assert_id_always_sent();
}

/// `domain share` / `domain unshare`: one RAM share per stack with the
/// private-domain permission, principals added only when missing, and an
/// unshare in AWS's order: out of the share, the account's association
/// rejected, its endpoint out of the domain policy. Re-runs are no-ops.
#[test]
fn share_and_unshare_a_domain_in_awss_order() {
    let p = producer();
    let made = p.x().run(p.create(&["--output", "json"])).ok().json();
    let arn = made["domain"]["arn"].as_str().unwrap().to_owned();
    let (c1, c2) = (fresh_account(), fresh_account());
    p.state
        .lock()
        .unwrap()
        .associations
        .push(domains::association(&c1, &arn, V, None));
    let share = |accounts: &[&str], extra: &[&str]| {
        let mut a = vec!["domain", "share", "--domain", &arn];
        for acct in accounts {
            a.extend(["--account", acct]);
        }
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };

    p.proxy.clear();
    let dry = p
        .x()
        .run(share(
            &[&c1],
            &["--dry-run", "--output", "table", "--color", "never"],
        ))
        .ok();
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());
    insta::assert_snapshot!(
        "domain_share_dry_run",
        common::redact(
            &dry.stdout(),
            &[(&p.account, "<producer>"), (&c1, "<consumer>")]
        )
    );

    let shared = p.x().run(share(&[&c1], &["--output", "json"])).ok().json();
    assert_eq!(shared["outcome"], "applied", "{shared:#}");
    assert_eq!(shared["share_name"], "xapi-private-example-com-domain");
    assert_eq!(shared["principals"][0]["entity"], c1.as_str());
    assert_eq!(shared["principals"][0]["status"], "ASSOCIATED");
    assert_eq!(shared["needs_acceptance"], true);
    assert_eq!(
        shared["consumer_command"],
        format!("xapi domain associate --domain {arn} --vpce VPCE --accept-invitation")
    );
    let create = p.state.lock().unwrap().share_creates[0].clone();
    assert_eq!(create["resourceArns"], serde_json::json!([arn.clone()]));
    assert_eq!(
        create["permissionArns"],
        serde_json::json!(["arn:aws:ram::aws:permission/APIGatewayPrivateDomainNameManagementPolicyDefaultPermission"])
    );
    assert_eq!(create["tags"][0]["key"], "xapi:stack");
    assert!(create["clientToken"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));

    // Again: nothing; then a second account: only it is added.
    p.proxy.clear();
    let again = p.x().run(share(&[&c1], &["--output", "json"])).ok().json();
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());
    p.proxy.clear();
    p.x().run(share(&[&c1, &c2], &["--output", "json"])).ok();
    let writes = p.proxy.mutating();
    assert_eq!(writes, vec!["POST /associateresourceshare".to_owned()]);
    let body: Value =
        serde_json::from_str(&p.proxy.first("POST /associateresourceshare").body).unwrap();
    assert_eq!(body["principals"], serde_json::json!([c2.clone()]));

    // show, the owner's side: the share with both principals, and c1's
    // association judged against the domain policy (which admits V).
    let shown = p
        .x()
        .run(["domain", "show", "--domain", &arn, "--output", "json"])
        .ok()
        .json();
    assert_eq!(shown["side"], "owner", "{shown:#}");
    assert_eq!(
        shown["shares"][0]["name"],
        "xapi-private-example-com-domain"
    );
    let principals: Vec<&str> = shown["shares"][0]["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["entity"].as_str().unwrap())
        .collect();
    assert_eq!(principals, [c1.as_str(), c2.as_str()]);
    assert_eq!(shown["offered"][0]["association"]["source"], V);
    assert_eq!(shown["offered"][0]["admitted"], true);
    // An association whose endpoint the policy does not admit says so.
    p.state
        .lock()
        .unwrap()
        .associations
        .push(domains::association(
            &c2,
            &arn,
            "vpce-0fff1111bbbb2222c",
            None,
        ));
    let table = p
        .x()
        .run([
            "domain", "show", "--domain", &arn, "--output", "table", "--color", "never",
        ])
        .ok()
        .stdout();
    let row = table
        .lines()
        .find(|l| l.contains("vpce-0fff1111bbbb2222c"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("NOT admitted") && row.contains(&c2), "{table}");
    p.state.lock().unwrap().associations.pop();

    // Unshare c1: out of the share, its association rejected, V out of the policy.
    let unshare = |extra: &[&str]| {
        let mut a = vec!["domain", "unshare", "--domain", &arn, "--account", &c1];
        a.extend_from_slice(extra);
        p.x().run(a).ok()
    };
    p.proxy.clear();
    let dry = unshare(&["--dry-run", "--output", "table", "--color", "never"]);
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());
    insta::assert_snapshot!(
        "domain_unshare_dry_run",
        common::redact(
            &dry.stdout(),
            &[(&p.account, "<producer>"), (&c1, "<consumer>")]
        )
    );
    p.proxy.clear();
    let gone = unshare(&["--output", "json"]).json();
    assert_eq!(gone["outcome"], "applied", "{gone:#}");
    assert_eq!(gone["revoke"]["removed"], serde_json::json!([V]));
    assert_eq!(gone["revoke"]["rejected"].as_array().unwrap().len(), 1);
    // The writes in order, less the write lease's own (SSM).
    let order: Vec<String> = p
        .proxy
        .mutating()
        .into_iter()
        .filter(|w| !w.ends_with("Parameter"))
        .map(|w| w.split('?').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        order,
        vec![
            "POST /disassociateresourceshare".to_owned(),
            "POST /rejectdomainnameaccessassociations".to_owned(),
            format!("PATCH /domainnames/{NAME}"),
        ]
    );
    let shown = p
        .x()
        .run(["domain", "show", "--domain", &arn, "--output", "json"])
        .ok()
        .json();
    assert_eq!(
        shown["domain"]["policy"]["admitted_vpces"],
        serde_json::json!([])
    );
    p.proxy.clear();
    let again = unshare(&["--output", "json"]).json();
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());

    // teardown deletes the stack's share before its domain.
    let (down, kinds) = common::teardown_kinds(p.x(), "private-example-com");
    assert_eq!(kinds, ["resource-share", "domain-name"], "{down:#}");
    assert_eq!(p.state.lock().unwrap().shares[0]["status"], "DELETED");
    p.assert_id_always_sent();
}

/// audit over a shared private domain: an edge for each association both
/// the domain policy and the mapped API's policy admit, a finding for the
/// one they refuse, and reads only (RAM's share listing included).
#[test]
fn audit_maps_who_reaches_a_private_domain_and_flags_the_refused_association() {
    let p = producer();
    let made = p.x().run(p.create(&["--output", "json"])).ok().json();
    let arn = made["domain"]["arn"].as_str().unwrap().to_owned();
    let (c1, c2) = (fresh_account(), fresh_account());
    // create admitted V on the domain only; the mapped API must admit it too.
    p.x()
        .run([
            "grant-vpce",
            "--domain",
            &arn,
            "--vpce",
            V,
            "--output",
            "json",
        ])
        .ok();
    p.x()
        .run([
            "domain",
            "share",
            "--domain",
            &arn,
            "--account",
            &c1,
            "--output",
            "json",
        ])
        .ok();
    {
        let mut s = p.state.lock().unwrap();
        s.associations
            .push(domains::association(&c1, &arn, V, None));
        s.associations
            .push(domains::association(&c2, &arn, W, None));
    }

    p.proxy.clear();
    let report = p.x().run(["audit", "--output", "json"]).ok().json();
    assert_eq!(p.proxy.mutating(), Vec::<String>::new());
    assert_eq!(report["summary"]["private_domains"], 1, "{report:#}");
    let edges = report["domain_access_map"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{report:#}");
    assert_eq!(edges[0]["consumer_account"], c1.as_str());
    assert_eq!(edges[0]["vpce_id"], V);
    assert_eq!(edges[0]["domain_arn"], arn.as_str());
    assert_eq!(edges[0]["apis"], serde_json::json!([p.api_id.clone()]));
    let domain_findings: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"].as_str().unwrap().starts_with("audit.domain"))
        .collect();
    assert_eq!(domain_findings.len(), 1, "{report:#}");
    let refused = domain_findings[0];
    assert_eq!(refused["check"], "audit.domain-association-refused");
    assert!(refused["resource"].as_str().unwrap().contains(W));
    assert!(refused["message"].as_str().unwrap().contains(&c2));
    let target = &report["inventory"]["targets"][0]["domains"][0];
    assert_eq!(target["shared"], true, "{report:#}");
    assert_eq!(target["associations"].as_array().unwrap().len(), 2);

    let table = p
        .x()
        .run(["audit", "--output", "table", "--color", "never"])
        .ok()
        .stdout();
    let row = table
        .lines()
        .find(|l| l.contains(NAME) && l.contains("yes"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        row.contains(V) && row.contains(&c1) && !row.contains(W),
        "{table}"
    );
    assert!(
        table.contains("1 private domains, 1 domain access paths"),
        "{table}"
    );

    // A listing AWS refuses is an unreadable finding naming the
    // permission (exit 1), never a fleet without domains.
    p.proxy
        .fail_when(|r| r.method == "GET" && r.path.split('?').next() == Some("/domainnames"));
    let denied = p
        .x()
        .run(["audit", "--output", "json"])
        .expect_code(1)
        .json();
    assert_eq!(denied["summary"]["private_domains"], 0);
    let unreadable: Vec<&Value> = denied["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "audit.unreadable")
        .collect();
    assert_eq!(unreadable.len(), 1, "{denied:#}");
    assert!(unreadable[0]["resource"]
        .as_str()
        .unwrap()
        .ends_with("::/domainnames"));
    assert!(unreadable[0]["fix"]
        .as_str()
        .unwrap()
        .contains("apigateway:GET"));
}
