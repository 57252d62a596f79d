//! `grant-vpce`, `revoke-vpce` and `policy show|restore` against a real moto
//! server: a consumer account's endpoint granted on a producer account's
//! private API.

use crate::common;

use common::json::{self, Lease, Like, Reference};
use common::proxy::Proxy;
use common::seed::{self, ssm};
use common::{fresh_account, moto_url, Run, Xapi};
use serde_json::json;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

pub(crate) struct Producer {
    pub(crate) account: String,
    pub(crate) api_id: String,
    pub(crate) cfg: aws_config::SdkConfig,
}

/// A fresh account with a private API (stage `prod`) carrying `policy`.
pub(crate) fn producer(policy: Option<&str>) -> Producer {
    let account = fresh_account();
    let (cfg, api_id) = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        let api = seed::private_api(&cfg, "prod", policy).await;
        (cfg, api)
    });
    Producer {
        account,
        api_id,
        cfg,
    }
}

impl Producer {
    pub(crate) fn xapi(&self, endpoint: &str) -> Xapi {
        Xapi::as_account(endpoint, &self.account)
    }

    pub(crate) fn raw_policy(&self) -> Option<String> {
        rt().block_on(async {
            aws_sdk_apigateway::Client::new(&self.cfg)
                .get_rest_api()
                .rest_api_id(&self.api_id)
                .send()
                .await
                .unwrap()
                .policy
        })
    }

    pub(crate) fn show(&self) -> json::PolicyShow {
        self.xapi(&moto_url())
            .run([
                "policy",
                "show",
                "--api-id",
                &self.api_id,
                "--output",
                "json",
            ])
            .ok()
            .parse()
    }

    pub(crate) fn admitted(&self) -> Vec<String> {
        self.show().summary.unwrap().admitted_vpces
    }

    pub(crate) fn grant(&self, endpoint: &str, vpces: &[&str], extra: &[&str]) -> Run {
        let mut args = vec!["grant-vpce", "--api-id", &self.api_id, "--output", "json"];
        for v in vpces {
            args.extend(["--vpce", v]);
        }
        args.extend(extra);
        self.xapi(endpoint).run(&args)
    }

    pub(crate) fn revoke(&self, endpoint: &str, vpces: &[&str], extra: &[&str]) -> Run {
        let mut args = vec!["revoke-vpce", "--api-id", &self.api_id, "--output", "json"];
        for v in vpces {
            args.extend(["--vpce", v]);
        }
        args.extend(extra);
        self.xapi(endpoint).run(&args)
    }
}

/// A real execute-api endpoint in a fresh consumer account, made by xapi itself.
fn consumer_endpoint() -> String {
    let account = fresh_account();
    let vpc = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        seed::consumer_vpc(&cfg, 40, true).await
    });
    common::xapi_endpoint(&account, &vpc)
}

pub(crate) const X: &str = "vpce-0123456789abcdef0";
pub(crate) const Y: &str = "vpce-0123456789abcdef1";

#[test]
fn cross_account_grant_redeploys_with_the_policy_hash() {
    let vpce = consumer_endpoint();
    let p = producer(None);
    let report = p
        .grant(&moto_url(), &[&vpce], &[])
        .ok()
        .parse::<json::Grant>();
    assert_eq!(report.schema_version, 1);
    assert!(report.changed);
    assert_eq!(report.added, [vpce.as_str()]);
    assert_eq!(
        report
            .backup
            .as_deref()
            .map(|b| b.contains("/xapi/backups/")),
        Some(true)
    );
    let hash = report.policy_sha256.clone().unwrap();
    assert_eq!(hash.len(), 64);
    let deployed = report.stages[0].deployment_id.clone().unwrap();
    assert_eq!(report.stages[0].stage, "prod");

    // The stage now points at a deployment whose description carries the hash.
    let (stage_deployment, description) = rt().block_on(async {
        let apigw = aws_sdk_apigateway::Client::new(&p.cfg);
        let stage = apigw
            .get_stage()
            .rest_api_id(&p.api_id)
            .stage_name("prod")
            .send()
            .await
            .unwrap();
        let d = apigw
            .get_deployment()
            .rest_api_id(&p.api_id)
            .deployment_id(stage.deployment_id().unwrap())
            .send()
            .await
            .unwrap();
        (
            stage.deployment_id.unwrap(),
            d.description.unwrap_or_default(),
        )
    });
    assert_eq!(stage_deployment, deployed);
    assert_eq!(description, format!("xapi policy-sha256={hash}"));

    // Admitted by evaluation, and nothing else is.
    let summary = p.show().summary.unwrap();
    assert_eq!(summary.admitted_vpces, [vpce.as_str()]);
    assert!(!summary.open_to_any_endpoint);
    assert!(report.invoke_urls[0].starts_with(&format!(
        "https://{}.execute-api.us-east-1.amazonaws.com/prod",
        p.api_id
    )));
}

#[test]
fn a_second_run_and_a_dry_run_send_no_mutating_request() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    let dry = p
        .grant(&proxy.url, &[X], &["--dry-run"])
        .ok()
        .parse::<json::Grant>();
    assert!(dry.dry_run);
    assert!(dry.changed);
    assert!(dry
        .diff
        .as_deref()
        .unwrap()
        .contains(&format!("+            \"{X}\"")));
    assert_eq!(dry.stages[0].deployment_id, None);
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "--dry-run wrote");
    assert_eq!(p.raw_policy(), None);

    p.grant(&proxy.url, &[X], &[]).ok();
    let writes = proxy.mutating();
    assert!(
        writes.iter().any(|w| w.starts_with("PATCH /restapis/")),
        "{writes:?}"
    );
    assert!(
        writes.iter().any(|w| w.contains("/deployments")),
        "{writes:?}"
    );

    proxy.clear();
    let again = p.grant(&proxy.url, &[X], &[]).ok().parse::<json::Grant>();
    assert!(!again.changed);
    assert_eq!(again.unchanged, [X]);
    assert!(again.stages.is_empty(), "{:?}", again.stages);
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "an already-admitted endpoint must not be re-written or redeployed"
    );
}

/// With `--role-arn`, the role is assumed once per command and its answer
/// names the caller: no GetCallerIdentity, yet the lease and the plan name
/// the assumed role's session as GetCallerIdentity would.
#[test]
fn an_assumed_role_is_assumed_once_and_names_the_caller_without_asking_sts_again() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    let run = p.grant(&proxy.url, &[X], &[]).ok();
    let ops: Vec<String> = proxy.requests().iter().map(|r| r.operation()).collect();
    let count = |op: &str| ops.iter().filter(|o| o.as_str() == op).count();
    assert_eq!(count("AssumeRole"), 1, "{ops:?}");
    assert_eq!(count("GetCallerIdentity"), 0, "{ops:?}");
    let caller = format!("arn:aws:sts::{}:assumed-role/xapi-test/xapi", p.account);
    assert!(
        run.stderr().contains(&format!("Plan (as {caller})")),
        "{}",
        run.stderr()
    );

    let whoami = p
        .xapi(&moto_url())
        .run(["whoami", "--output", "json"])
        .ok()
        .parse::<serde_json::Value>();
    assert_eq!(whoami["identities"][0]["arn"], caller.as_str());
    assert_eq!(whoami["identities"][0]["account"], p.account.as_str());
}

#[test]
fn ten_concurrent_grants_all_end_admitted() {
    let p = producer(None);
    let vpces: Vec<String> = (0..10)
        .map(|i| format!("vpce-0123456789abcde{i:02x}"))
        .collect();
    let handles: Vec<_> = vpces
        .iter()
        .map(|v| {
            let (account, api, v) = (p.account.clone(), p.api_id.clone(), v.clone());
            std::thread::spawn(move || {
                Xapi::as_account(&moto_url(), &account).run([
                    "grant-vpce",
                    "--api-id",
                    &api,
                    "--vpce",
                    &v,
                    "--output",
                    "json",
                ])
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap().ok();
    }
    let mut admitted = p.admitted();
    admitted.sort();
    assert_eq!(admitted, vpces, "a concurrent writer's grant was lost");
}

#[test]
fn revoke_is_the_inverse_and_the_last_revoke_admits_nobody() {
    let p = producer(None);
    p.grant(&moto_url(), &[X, Y], &[]).ok();
    let r = p.revoke(&moto_url(), &[X], &[]).ok().parse::<json::Grant>();
    assert_eq!(r.removed, [X]);
    assert_eq!(p.admitted(), vec![Y.to_owned()]);

    let r = p.revoke(&moto_url(), &[Y], &[]).ok().parse::<json::Grant>();
    assert!(r.changed);
    let summary = p.show().summary.unwrap();
    assert_eq!(summary.admitted_vpces, Vec::<String>::new());
    assert!(
        !summary.open_to_any_endpoint,
        "revoking the last endpoint must not open the API"
    );
    let raw = p.raw_policy().unwrap();
    assert!(!raw.contains("[]"), "no empty condition list: {raw}");

    // The lifecycle goes on: a new endpoint can be granted on the policy that admits nobody.
    p.grant(&moto_url(), &[X], &[]).ok();
    assert_eq!(p.admitted(), vec![X.to_owned()]);
    p.revoke(&moto_url(), &[X], &[]).ok();

    // Revoking what is not admitted changes nothing.
    let proxy = Proxy::start(&moto_url());
    let r = p.revoke(&proxy.url, &[X], &[]).ok().parse::<json::Grant>();
    assert!(!r.changed);
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

#[test]
fn restore_puts_back_the_previous_policy() {
    let p = producer(None);
    let x = p.xapi(&moto_url());
    let state = x.home().join("state");
    let state = state.to_str().unwrap();
    let run = |args: &[&str]| p.xapi(&moto_url()).env("XDG_STATE_HOME", state).run(args);
    let mut grant = vec![
        "grant-vpce",
        "--api-id",
        p.api_id.as_str(),
        "--vpce",
        X,
        "--output",
        "json",
    ];
    run(&grant).ok();
    let first = p.raw_policy().unwrap();
    grant[4] = Y;
    run(&grant).ok();
    assert_eq!(p.admitted(), vec![X.to_owned(), Y.to_owned()]);

    let dry = run(&[
        "policy",
        "restore",
        "--api-id",
        &p.api_id,
        "--dry-run",
        "--output",
        "json",
    ])
    .ok()
    .parse::<json::PolicyRestore>();
    assert!(dry.changed);
    assert_eq!(
        p.admitted(),
        vec![X.to_owned(), Y.to_owned()],
        "dry run restored"
    );

    // A file planted in the backup folder, sorting after xapi's own, never wins.
    let folder = std::path::Path::new(state)
        .join("xapi/backups")
        .join(&p.api_id);
    let planted = serde_json::json!({"api_id": p.api_id, "account": p.account, "region": "us-east-1",
        "saved_at": "20991231T000000.000Z",
        "policy": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#});
    std::fs::write(folder.join("zzz.json"), planted.to_string()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if !path.ends_with("zzz.json") {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }

    let restored = run(&[
        "policy", "restore", "--api-id", &p.api_id, "--output", "json",
    ])
    .ok()
    .parse::<json::PolicyRestore>();
    assert!(!restored.restored_from.ends_with("zzz.json"));
    assert!(restored.changed);
    assert_eq!(restored.stages[0].stage, "prod");
    assert_eq!(p.raw_policy().unwrap(), first);
    assert_eq!(p.admitted(), vec![X.to_owned()]);

    let foreign = producer(None);
    let path = restored.restored_from.as_str();
    foreign
        .xapi(&moto_url())
        .run([
            "policy",
            "restore",
            "--api-id",
            &foreign.api_id,
            "--from",
            path,
        ])
        .refused_naming(&p.api_id);
    foreign
        .xapi(&moto_url())
        .run(["policy", "restore", "--api-id", &foreign.api_id])
        .refused_naming(&foreign.api_id);
}

#[test]
fn the_escaped_form_aws_returns_is_understood() {
    // Real AWS returns the policy minified, escaped and with execute-api:/* expanded.
    let account = fresh_account();
    let escaped = format!(
        r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:{account}:API\/*\"}},{{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:{account}:API\/*\",\"Condition\":{{\"StringNotEquals\":{{\"aws:SourceVpce\":\"{X}\"}}}}}}]}}"#
    );
    let (cfg, api_id) = rt().block_on(async {
        let cfg = seed::account_config(&account).await;
        let api = seed::private_api(&cfg, "prod", None).await;
        aws_sdk_apigateway::Client::new(&cfg)
            .update_rest_api()
            .rest_api_id(&api)
            .patch_operations(
                aws_sdk_apigateway::types::PatchOperation::builder()
                    .op(aws_sdk_apigateway::types::Op::Replace)
                    .path("/policy")
                    .value(escaped.replace("API", &api))
                    .build(),
            )
            .send()
            .await
            .unwrap();
        (cfg, api)
    });
    let p = Producer {
        account,
        api_id,
        cfg,
    };
    assert_eq!(p.admitted(), vec![X.to_owned()]);
    let proxy = Proxy::start(&moto_url());
    let again = p.grant(&proxy.url, &[X], &[]).ok().parse::<json::Grant>();
    assert!(
        !again.changed,
        "an expanded ARN is the same resource as execute-api:/*"
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    p.grant(&moto_url(), &[Y], &[]).ok();
    assert_eq!(p.admitted(), vec![X.to_owned(), Y.to_owned()]);
}

#[test]
fn associate_sends_the_patch_and_verifies_it() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    // moto ignores vpcEndpointIds patches (docs/emulator.md), so the association
    // cannot be seen afterwards: xapi must say so with exit 4, not claim success.
    let run = p.grant(&proxy.url, &[X], &["--associate"]).expect_code(4);
    assert!(
        run.stderr()
            .contains("endpointConfiguration.vpcEndpointIds"),
        "{}",
        run.stderr()
    );
    let patch = proxy
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH" && r.body.contains("vpcEndpointIds"))
        .expect("the association patch was sent");
    let body: serde_json::Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(
        body["patchOperations"],
        serde_json::json!([{"op": "add", "path": "/endpointConfiguration/vpcEndpointIds", "value": X}])
    );
    // The policy part landed and was verified before the association.
    assert_eq!(p.admitted(), vec![X.to_owned()]);
}

#[test]
fn refusals_exit_2_and_leave_the_policy_unchanged() {
    let proxy = Proxy::start(&moto_url());

    // Not JSON (moto accepts anything; AWS would have validated it).
    let p = producer(Some("not json"));
    p.grant(&proxy.url, &[X], &[]).refused_naming(&p.api_id);
    assert_eq!(p.raw_policy().as_deref(), Some("not json"));

    // A condition xapi cannot model exactly (a policy variable).
    let odd = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":["${aws:username}"]}}}]}"#;
    let p = producer(Some(odd));
    p.grant(&proxy.url, &[X], &[]).refused_naming(&p.api_id);
    assert_eq!(p.raw_policy().as_deref(), Some(odd));

    // A result over 8,192 characters.
    let many: Vec<String> = (0..316).map(|i| format!("\"vpce-{i:017x}\"")).collect();
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}},{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{{"StringNotEquals":{{"aws:SourceVpce":[{}]}}}}}}]}}"#,
        many.join(",")
    );
    assert!(
        big.len() < 8192 && big.len() + 26 > 8192,
        "fixture must sit just under the limit: {}",
        big.len()
    );
    let p = producer(Some(&big));
    let run = p.grant(&proxy.url, &[X], &[]).refused_naming(&p.api_id);
    assert!(run.stderr().contains("8192"), "{}", run.stderr());
    assert_eq!(p.raw_policy().as_deref(), Some(big.as_str()));

    // Revoking from a policy open to every endpoint has nothing to remove, and says
    // which statement still admits the endpoint (exit 5), writing nothing.
    let open = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    let p = producer(Some(open));
    let r = p
        .revoke(&proxy.url, &[X], &[])
        .expect_code(5)
        .parse::<json::Grant>();
    assert!(!r.changed);
    assert_eq!(r.still_admitted[0].statements, ["#1"]);
    assert_eq!(p.raw_policy().as_deref(), Some(open));
    // Granting on it changes nothing but warns that the API is open.
    let r = p.grant(&proxy.url, &[X], &[]).ok().parse::<json::Grant>();
    assert!(!r.changed);
    assert!(r.warnings.iter().any(|w| w.contains("every VPC endpoint")));

    // Unknown stage, malformed and unknown ids, a non-private API.
    let p = producer(None);
    p.grant(&proxy.url, &[X], &["--stage", "nope"])
        .refused_naming("nope");
    p.grant(&proxy.url, &["vpce-12"], &[])
        .refused_naming("vpce-12");
    p.xapi(&proxy.url)
        .run(["grant-vpce", "--api-id", "NOTANID", "--vpce", X])
        .refused_naming("NOTANID");
    p.xapi(&proxy.url)
        .run(["grant-vpce", "--api-id", "zzzzzzzzzz", "--vpce", X])
        .refused_naming("zzzzzzzzzz");
    assert_eq!(p.raw_policy(), None);
    let regional = rt().block_on(async {
        aws_sdk_apigateway::Client::new(&p.cfg)
            .create_rest_api()
            .name("public")
            .endpoint_configuration(
                aws_sdk_apigateway::types::EndpointConfiguration::builder()
                    .types(aws_sdk_apigateway::types::EndpointType::Regional)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .id
            .unwrap()
    });
    let run = p
        .xapi(&proxy.url)
        .run(["grant-vpce", "--api-id", &regional, "--vpce", X])
        .refused_naming(&regional);
    assert!(run.stderr().contains("PRIVATE"), "{}", run.stderr());

    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "a refusal must not write"
    );
}

#[test]
fn a_hung_read_times_out_and_aws_max_attempts_is_honoured() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    proxy.disturb(|r| {
        (r.method == "GET" && r.path.starts_with("/restapis/"))
            .then_some(common::proxy::Disturbance::Hold)
    });
    let started = std::time::Instant::now();
    let run = p
        .xapi(&proxy.url)
        .env("AWS_MAX_ATTEMPTS", "2")
        .run([
            "policy",
            "show",
            "--api-id",
            &p.api_id,
            "--read-timeout",
            "1",
        ])
        .expect_code(3);
    let err = run.stderr();
    assert!(
        err.contains("GetRestApi") && err.contains(&p.api_id),
        "{err}"
    );
    assert!(
        err.contains("Timeout") && err.contains("--read-timeout"),
        "{err}"
    );
    let attempts = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/restapis/"))
        .count();
    assert_eq!(attempts, 2, "AWS_MAX_ATTEMPTS=2 means two attempts");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

pub(crate) fn standard_policy(vpces: &[&str]) -> String {
    let ids: Vec<String> = vpces.iter().map(|v| v.to_string()).collect();
    xapi::policy::PolicyDocument::standard(&ids).to_compact()
}

impl Producer {
    fn put_policy_directly(&self, policy: &str) {
        let (cfg, api) = (self.cfg.clone(), self.api_id.clone());
        let policy = policy.to_owned();
        // On a thread of its own: the proxy calls this from inside its runtime.
        std::thread::spawn(move || {
            rt().block_on(async {
                aws_sdk_apigateway::Client::new(&cfg)
                    .update_rest_api()
                    .rest_api_id(&api)
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
        })
        .join()
        .unwrap();
    }

    fn api_ref(&self) -> xapi::policy::ApiRef {
        xapi::policy::ApiRef {
            region: common::REGION.into(),
            account: self.account.clone(),
            api_id: self.api_id.clone(),
        }
    }

    /// The hash the stage's deployment carries, and the hash of the stored policy.
    pub(crate) fn stage_marker_and_current(&self, stage: &str) -> (Option<String>, String) {
        let (description, raw) = rt().block_on(async {
            let apigw = aws_sdk_apigateway::Client::new(&self.cfg);
            let s = apigw
                .get_stage()
                .rest_api_id(&self.api_id)
                .stage_name(stage)
                .send()
                .await
                .unwrap();
            let d = apigw
                .get_deployment()
                .rest_api_id(&self.api_id)
                .deployment_id(s.deployment_id().unwrap())
                .send()
                .await
                .unwrap();
            (d.description, self.raw_policy_async().await.unwrap())
        });
        let current = xapi::policy::PolicyDocument::parse(&raw)
            .unwrap()
            .canonical_sha256(&self.api_ref());
        (
            xapi::policy::deployed_hash(description.as_deref()).map(str::to_owned),
            current,
        )
    }

    async fn raw_policy_async(&self) -> Option<String> {
        aws_sdk_apigateway::Client::new(&self.cfg)
            .get_rest_api()
            .rest_api_id(&self.api_id)
            .send()
            .await
            .unwrap()
            .policy
    }

    pub(crate) fn lease_value(&self) -> Option<String> {
        rt().block_on(async {
            ssm(
                &self.cfg,
                "GetParameter",
                json!({"Name": format!("/xapi/lease/{}", self.api_id)}),
            )
            .await
            .ok()
            .and_then(|o| o["Parameter"]["Value"].as_str().map(str::to_owned))
        })
    }

    /// Another process's lease, promising renewal every `ttl_secs`; returns its value.
    fn plant_lease(&self, holder_arn: &str, expires_at: u64, ttl_secs: u64) -> String {
        let value = serde_json::json!({
            "holder": {"arn": holder_arn, "host": "build-host-7", "pid": 4242},
            "token": "planted0token",
            "expires_at": expires_at,
            "ttl_secs": ttl_secs,
        })
        .to_string();
        let planted = value.clone();
        rt().block_on(async {
            ssm(
                &self.cfg,
                "PutParameter",
                json!({"Name": format!("/xapi/lease/{}", self.api_id), "Value": value, "Type": "String"}),
            )
            .await
            .unwrap();
        });
        planted
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn is_op(r: &common::proxy::Recorded, op: &str) -> bool {
    r.target.as_deref().is_some_and(|t| t.ends_with(op))
}

#[test]
fn thirty_concurrent_grants_through_throttling_and_server_errors_all_land() {
    let p = producer(None);
    let proxy = std::sync::Arc::new(Proxy::start(&moto_url()));
    proxy.disturb_randomly(15, 5, |r| !r.body.contains("Action=AssumeRole"));
    let vpces: Vec<String> = (0..30)
        .map(|i| format!("vpce-0aaaaaaaaaaaaa{i:03x}"))
        .collect();
    let grant = |v: &str, url: &str| {
        // Standard mode: the SDK's adaptive mode throttles itself for seconds
        // after each injected throttle, which multiplies this test's wall time
        // and tests nothing more about lost updates.
        Xapi::as_account(url, &p.account)
            .env("AWS_RETRY_MODE", "standard")
            .run([
                "grant-vpce",
                "--api-id",
                &p.api_id,
                "--vpce",
                v,
                "--output",
                "json",
                "--lease-wait",
                "5m",
            ])
    };
    let runs: Vec<(String, Run)> = std::thread::scope(|s| {
        let handles: Vec<_> = vpces
            .iter()
            .map(|v| {
                let url = proxy.url.clone();
                let grant = &grant;
                s.spawn(move || (v.clone(), grant(v, &url)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failed = 0;
    for (v, run) in runs {
        if run.code() == 0 {
            continue;
        }
        failed += 1;
        // A clean failure: a documented code and one line that says what happened.
        assert!(
            [3, 4].contains(&run.code()),
            "{v}: exit {}\n{}",
            run.code(),
            run.stderr()
        );
        let last = run.stderr().lines().last().unwrap_or_default().to_owned();
        assert!(last.starts_with("xapi: "), "{v}: {}", run.stderr());
        grant(&v, &proxy.url).ok();
    }
    let mut admitted = p.admitted();
    admitted.sort();
    assert_eq!(
        admitted, vpces,
        "a grant was lost ({failed} runs failed first)"
    );
    let (marker, current) = p.stage_marker_and_current("prod");
    assert_eq!(
        marker.as_deref(),
        Some(current.as_str()),
        "the stage serves the final policy"
    );
    assert_eq!(p.lease_value(), None, "every lease was released");
    let injected = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "PATCH")
        .count();
    assert!(injected >= 30, "each grant wrote at least once: {injected}");
}

#[test]
fn a_failed_redeploy_is_finished_by_a_plain_re_run() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    proxy.fail_when(|r| r.method == "POST" && r.path.ends_with("/deployments"));
    let run = p.grant(&proxy.url, &[X], &[]).expect_code(3);
    let err = run.stderr();
    assert!(err.contains("CreateDeployment"), "{err}");
    assert!(
        err.contains("was written") && err.contains("NOT live on stage prod"),
        "{err}"
    );
    assert!(err.contains("re-run"), "{err}");
    let (marker, current) = p.stage_marker_and_current("prod");
    assert_ne!(marker.as_deref(), Some(current.as_str()));
    // The lease is released, leaving a note of what is not live (the stage
    // was never deployed by xapi, so its deployment carries no marker).
    let note: serde_json::Value = serde_json::from_str(&p.lease_value().unwrap()).unwrap();
    assert_eq!(note["expires_at"], 0);
    assert_eq!(
        note["pending"],
        serde_json::json!({"hash": current, "stages": ["prod"]})
    );

    proxy.heal();
    let dry = p
        .grant(&proxy.url, &[X], &["--dry-run"])
        .ok()
        .parse::<json::Grant>();
    assert!(!dry.changed);
    let plan = format!("{:?}", dry.plan.actions);
    assert!(plan.contains("serves an older policy"), "{plan}");
    assert_eq!(dry.stages[0].stage, "prod");

    proxy.clear();
    let again = p.grant(&proxy.url, &[X], &[]).ok().parse::<json::Grant>();
    assert!(!again.changed);
    assert_eq!(again.stages[0].stage, "prod");
    assert_eq!(again.policy_sha256.as_deref(), Some(current.as_str()));
    let (marker, current) = p.stage_marker_and_current("prod");
    assert_eq!(
        marker.as_deref(),
        Some(current.as_str()),
        "the policy is live"
    );
    let api_writes: Vec<String> = proxy
        .mutating()
        .into_iter()
        .filter(|w| w.contains("/restapis/"))
        .collect();
    assert_eq!(
        api_writes,
        vec![format!("POST /restapis/{}/deployments", p.api_id)],
        "only the redeploy; the policy is not rewritten"
    );
    assert_eq!(p.lease_value(), None, "the note is gone once all is live");
    // And now nothing is left to do.
    proxy.clear();
    p.grant(&proxy.url, &[X], &[]).ok();
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

/// Another writer replaces the policy after xapi's read-back and before its
/// redeploy: the deployment captures their policy under xapi's marker. The
/// verification reads the policy again and fails (exit 4, never "applied and
/// verified"), and a plain re-run writes the grant again and redeploys.
#[test]
fn a_policy_changed_before_the_redeploy_fails_verification_and_a_re_run_finishes() {
    let p = std::sync::Arc::new(producer(Some(&standard_policy(&[A]))));
    let proxy = Proxy::start(&moto_url());
    let (p2, done) = (p.clone(), std::sync::atomic::AtomicBool::new(false));
    proxy.respond_with(move |r| {
        if r.method == "POST"
            && r.path.ends_with("/deployments")
            && !done.swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            p2.put_policy_directly(&standard_policy(&[A, Z]));
        }
        None
    });
    let run = p.grant(&proxy.url, &[X], &[]).expect_code(4);
    let err = run.stderr();
    assert!(err.contains("still needs a change"), "{err}");
    assert!(!run.stdout().contains("verified"), "{}", run.stdout());
    let (marker, current) = p.stage_marker_and_current("prod");
    assert_ne!(
        marker.as_deref(),
        Some(current.as_str()),
        "X's marker, Z's policy"
    );

    proxy.clear();
    p.grant(&proxy.url, &[X], &[]).ok();
    let mut admitted = p.admitted();
    admitted.sort();
    let mut want = vec![A, X, Z];
    want.sort_unstable();
    assert_eq!(admitted, want, "the other writer's Z is kept");
    let (marker, current) = p.stage_marker_and_current("prod");
    assert_eq!(
        marker.as_deref(),
        Some(current.as_str()),
        "the policy is live"
    );
}

const A: &str = "vpce-0aaaaaaaaaaaaaaa1";
const Z: &str = "vpce-0ffffffffffffffff";
const W: &str = "vpce-0eeeeeeeeeeeeeeee";

#[test]
fn a_foreign_writer_s_change_is_kept() {
    let p = producer(Some(&standard_policy(&[A])));
    let p = std::sync::Arc::new(p);
    let proxy = Proxy::start(&moto_url());

    // Between xapi's first read and its write (while it takes the lease),
    // someone else admits Z.
    let (p2, done) = (p.clone(), std::sync::atomic::AtomicBool::new(false));
    proxy.respond_with(move |r| {
        if is_op(r, "PutParameter") && !done.swap(true, std::sync::atomic::Ordering::SeqCst) {
            p2.put_policy_directly(&standard_policy(&[A, Z]));
        }
        None
    });
    p.grant(&proxy.url, &[X], &[]).ok();
    let mut admitted = p.admitted();
    admitted.sort();
    assert_eq!(admitted, vec![X.to_owned(), A.to_owned(), Z.to_owned()]);
    let patch = proxy
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    assert!(
        patch.body.contains(Z),
        "the write carried Z: {}",
        patch.body
    );

    // Right after xapi's write, someone else writes the document they read
    // before it, plus W: xapi's grant of Y is gone. The whole-document check
    // sees it, and xapi applies its change again on top.
    let (p3, wrote, done) = (
        p.clone(),
        std::sync::atomic::AtomicBool::new(false),
        std::sync::atomic::AtomicBool::new(false),
    );
    proxy.respond_with(move |r| {
        use std::sync::atomic::Ordering::SeqCst;
        if r.method == "PATCH" {
            wrote.store(true, SeqCst);
        } else if r.method == "GET" && wrote.load(SeqCst) && !done.swap(true, SeqCst) {
            p3.put_policy_directly(&standard_policy(&[A, X, Z, W]));
        }
        None
    });
    proxy.clear();
    let run = p.grant(&proxy.url, &[Y], &[]).ok();
    assert!(
        run.stderr().contains("changed while xapi wrote it"),
        "{}",
        run.stderr()
    );
    let mut admitted = p.admitted();
    admitted.sort();
    let mut want = vec![A, X, Y, Z, W];
    want.sort_unstable();
    assert_eq!(admitted, want);
    let patches = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .count();
    assert_eq!(patches, 2, "written, found replaced, written again");
    let (marker, current) = p.stage_marker_and_current("prod");
    assert_eq!(marker.as_deref(), Some(current.as_str()));
}

#[test]
fn a_live_lease_makes_xapi_wait_then_exit_3_naming_the_holder() {
    let p = producer(None);
    let holder = format!("arn:aws:sts::{}:assumed-role/deployer/ci", p.account);
    p.plant_lease(&holder, now() + 600, 600);
    let lease = p.show().lease;
    let Lease::Held {
        holder: held_by, ..
    } = &lease
    else {
        panic!("the lease is not held: {lease:?}")
    };
    assert_eq!(held_by.arn, holder);

    let proxy = Proxy::start(&moto_url());
    let started = std::time::Instant::now();
    let run = p
        .grant(&proxy.url, &[X], &["--lease-wait", "1s"])
        .expect_code(3);
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    let err = run.stderr();
    assert!(
        err.contains(&holder) && err.contains("build-host-7") && err.contains("4242"),
        "{err}"
    );
    assert!(err.contains("--lease-wait"), "{err}");
    assert_eq!(p.raw_policy(), None, "nothing written");
    let writes: Vec<String> = proxy
        .mutating()
        .into_iter()
        .filter(|w| w != "PutParameter")
        .collect();
    assert_eq!(
        writes,
        Vec::<String>::new(),
        "only attempts to take the lease"
    );
    assert!(
        p.lease_value().unwrap().contains("planted0token"),
        "the holder's lease is untouched"
    );
}

#[test]
fn an_abandoned_lease_is_taken_over_and_released() {
    let p = producer(None);
    let planted = p.plant_lease(
        "arn:aws:sts::111111111111:assumed-role/crashed/x",
        now() - 5,
        1,
    );
    let lease = p.show().lease;
    assert!(matches!(lease, Lease::Expired { .. }), "{lease:?}");
    let proxy = Proxy::start(&moto_url());
    p.grant(&proxy.url, &[X], &[]).ok();
    assert_eq!(p.admitted(), vec![X.to_owned()]);
    assert_eq!(p.lease_value(), None, "released after use");
    let ssm: Vec<(String, String)> = proxy
        .requests()
        .into_iter()
        .filter(|r| {
            r.target
                .as_deref()
                .is_some_and(|t| t.starts_with("AmazonSSM."))
        })
        .map(|r| {
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            (
                r.operation(),
                body["Name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // Waiting out the TTL reads the lease a number of times that depends on
    // timing: count a run of identical calls once.
    let mut ssm = ssm;
    ssm.dedup();
    let lease = format!("/xapi/lease/{}", p.api_id);
    let claim = xapi::lease::claim_name(&lease, &planted, 1);
    let expect: Vec<(String, String)> = [
        // the note a failed run may have left, read while planning
        ("GetParameter", &lease),
        // create, found taken; then read until its version has stayed the same for its TTL
        ("PutParameter", &lease),
        ("GetParameter", &lease),
        ("PutParameter", &claim),
        // still the abandoned one? overwrite it, read back
        ("GetParameter", &lease),
        ("PutParameter", &lease),
        ("GetParameter", &lease),
        ("DeleteParameter", &claim),
        // no read after that: written moments ago, the lease is surely ours
        // before the write and the release, and verifying takes its note
        // from the record this process wrote
        ("DeleteParameter", &lease),
    ]
    .iter()
    .map(|(o, n)| (o.to_string(), (*n).clone()))
    .collect();
    assert_eq!(ssm, expect);
}

#[test]
fn without_ssm_permission_xapi_says_so_once_and_still_grants() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    proxy.respond_with(|r| {
        r.target
            .as_deref()
            .is_some_and(|t| t.starts_with("AmazonSSM."))
            .then(|| common::proxy::Canned {
                status: 400,
                content_type: "application/x-amz-json-1.1".into(),
                body: r#"{"__type":"AccessDeniedException","message":"User is not authorized to perform: ssm:PutParameter"}"#.into(),
            })
    });
    let run = p.grant(&proxy.url, &[X, Y], &[]).ok();
    let err = run.stderr();
    assert_eq!(
        err.matches("cannot use the write lease").count(),
        1,
        "{err}"
    );
    assert!(err.contains("ssm:PutParameter"), "{err}");
    assert_eq!(p.admitted(), vec![X.to_owned(), Y.to_owned()]);
    let show = p
        .xapi(&proxy.url)
        .run(["policy", "show", "--api-id", &p.api_id, "--output", "json"])
        .ok()
        .parse::<json::PolicyShow>();
    assert!(
        matches!(show.lease, Lease::Unreadable { .. }),
        "{:?}",
        show.lease
    );
}

#[test]
fn ctrl_c_while_writing_releases_the_lease_and_says_what_may_have_landed() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    proxy.disturb(|r| (r.method == "PATCH").then_some(common::proxy::Disturbance::Hold));
    let (child, _home) = p.xapi(&proxy.url).spawn([
        "grant-vpce",
        "--api-id",
        &p.api_id,
        "--vpce",
        X,
        "--output",
        "json",
    ]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !proxy.requests().iter().any(|r| r.method == "PATCH") {
        assert!(std::time::Instant::now() < deadline, "xapi never wrote");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(p.lease_value().is_some(), "the lease is held while writing");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let run = Run(child.wait_with_output().unwrap(), Vec::new());
    let run = run.expect_code(130);
    let err = run.stderr();
    assert!(
        err.contains("interrupted") && err.contains("may or may not have landed"),
        "{err}"
    );
    assert_eq!(p.lease_value(), None, "the lease is released on Ctrl-C");
}

const B: &str = "vpce-0bbbbbbbbbbbbbbbb";

fn policy_of(statements: serde_json::Value) -> String {
    serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

/// A stage lock written with NotResource binds the reference, so it binds the granted
/// endpoint too; a condition on another key (AWS's own NotIpAddress example) neither
/// stops the grant nor is lifted by it.
#[test]
fn a_grant_copies_its_reference_and_never_lifts_a_stage_lock() {
    let p = producer(Some(&policy_of(serde_json::json!([
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"StringNotEquals":{"aws:SourceVpce":[A, B]}}},
        {"Sid":"StageLock","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
         "NotResource":"execute-api:/prod/*"},
        {"Sid":"Net","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"NotIpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}}}
    ]))));
    let r = p.grant(&moto_url(), &[X], &[]).ok().parse::<json::Grant>();
    assert_eq!(r.added, [X]);
    assert_eq!(
        r.references,
        [Reference {
            vpce: X.to_owned(),
            like: Like::Endpoint(A.to_owned())
        }]
    );
    let stored: serde_json::Value = serde_json::from_str(&p.raw_policy().unwrap()).unwrap();
    let stmts = stored["Statement"].as_array().unwrap();
    assert_eq!(stmts[2]["NotResource"], "execute-api:/prod/*");
    assert!(
        stmts[2].get("Condition").is_none(),
        "the stage lock is untouched: {stored}"
    );
    assert!(
        stmts[3]["Condition"].get("StringNotEquals").is_none(),
        "{stored}"
    );

    // --like copies a named endpoint; one the policy does not admit is refused (exit 2).
    let like = p
        .grant(&moto_url(), &[Y], &["--like", B, "--dry-run"])
        .ok()
        .parse::<json::Grant>();
    assert_eq!(like.references[0].like, Like::Endpoint(B.to_owned()));
    p.grant(&moto_url(), &[Y], &["--like", "vpce-0cccccccccccccccc"])
        .refused_naming("vpce-0cccccccccccccccc");
}

/// Revoke takes X off every list and, when a statement that does not name X still admits
/// it, says which and where and exits 5.
#[test]
fn revoke_reports_what_still_admits_and_exits_5() {
    let p = producer(Some(&policy_of(serde_json::json!([
        {"Sid":"Open","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","NotResource":"execute-api:/prod/*",
         "Condition":{"StringNotEquals":{"aws:SourceVpce":[A]}}}
    ]))));
    p.grant(&moto_url(), &[X], &[]).ok();
    let r = p
        .revoke(&moto_url(), &[X], &[])
        .expect_code(5)
        .parse::<json::Grant>();
    assert_eq!(r.removed, [X]);
    let still = &r.still_admitted[0];
    assert_eq!(still.vpce, X);
    assert_eq!(still.statements, ["Open"]);
    assert!(
        still.example.as_deref().unwrap().contains("/prod/"),
        "{still:?}"
    );
    // The revoke itself went through: X is off the exemption list.
    assert!(!p.raw_policy().unwrap().contains(X));
}

/// Revoke exits 5 whenever X stays admitted by a statement that does not name it: through
/// its VPC (which the producer cannot see, so it cannot show X is not in it) as well as
/// through a wildcard; the table names the statement and what to do.
#[test]
fn revoke_exits_5_when_a_vpc_or_a_pattern_still_admits() {
    let vpc = "vpc-0aaaaaaaaaaaaaaaa";
    let p = producer(Some(&policy_of(serde_json::json!([
        {"Sid":"FromVpc","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"StringEquals":{"aws:SourceVpc":vpc}}},
        {"Sid":"Listed","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"StringEquals":{"aws:SourceVpce":[A, X]}}}
    ]))));
    let r = p
        .revoke(&moto_url(), &[X], &[])
        .expect_code(5)
        .parse::<json::Grant>();
    assert_eq!(r.removed, [X]);
    let still = &r.still_admitted[0];
    assert_eq!(still.statements, ["FromVpc"]);
    assert_eq!(still.only_from_vpcs, [vpc]);
    assert!(!still.approximated);
    assert!(
        !p.raw_policy().unwrap().contains(X),
        "the revoke went through"
    );
    // The table says which statement, from where, and what to do.
    let table = p
        .xapi(&moto_url())
        .run([
            "revoke-vpce",
            "--api-id",
            &p.api_id,
            "--vpce",
            X,
            "--output",
            "table",
        ])
        .expect_code(5);
    let out = table.stdout();
    assert!(out.contains("FromVpc") && out.contains(vpc), "{out}");
    assert!(out.contains("aws:SourceVpc list"), "{out}");

    // A pattern in an exemption list: still admitted from any VPC.
    let p = producer(Some(&policy_of(serde_json::json!([
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"StringNotLike":{"aws:SourceVpce":[A, "vpce-0*"]}}}
    ]))));
    let r = p
        .revoke(&moto_url(), &[X], &[])
        .expect_code(5)
        .parse::<json::Grant>();
    assert!(!r.changed);
    assert_eq!(r.still_admitted[0].statements, ["#1"]);
    assert!(r.still_admitted[0].only_from_vpcs.is_empty());
}

/// A policy that admits no endpoint (an Allow keyed on aws:SourceIp, which no request
/// through an endpoint carries) gets one new Allow for X on the named resources; the plan
/// and `references` say so.
#[test]
fn a_grant_on_a_policy_that_admits_no_endpoint_adds_one_allow() {
    let source_ip = policy_of(serde_json::json!([
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}
    ]));
    let p = producer(Some(&source_ip));
    let dry = p
        .grant(
            &moto_url(),
            &[X],
            &["--resource", "execute-api:/prod/GET/*", "--dry-run"],
        )
        .ok()
        .parse::<json::Grant>();
    assert!(dry.changed);
    assert_eq!(p.raw_policy().as_deref(), Some(source_ip.as_str()));
    let r = p
        .grant(
            &moto_url(),
            &[X],
            &["--resource", "execute-api:/prod/GET/*"],
        )
        .ok()
        .parse::<json::Grant>();
    assert_eq!(
        r.references,
        [Reference {
            vpce: X.to_owned(),
            like: Like::NewAllow(vec!["execute-api:/prod/GET/*".to_owned()])
        }]
    );
    assert!(r.plan.actions[0].details[0].contains("by a new Allow on execute-api:/prod/GET/*"));
    assert_eq!(p.admitted(), [X]);
    // --resource where endpoints are admitted already would be ignored: refused instead.
    p.grant(&moto_url(), &[Y], &["--resource", "execute-api:/*"])
        .refused_naming("--resource");
}

/// An answer past the evaluation budget is never "already admitted": exit 2 naming the
/// statement whose resources made it expensive, and nothing written.
#[test]
fn a_grant_the_budget_cannot_decide_is_refused_naming_the_statement() {
    let pieces: Vec<String> = (0..40)
        .map(|i| format!("execute-api:/*{}*{}?*/*/{}*", i % 7, (i * 3) % 11, i))
        .collect();
    let hard = policy_of(serde_json::json!([
        {"Sid":"Dense","Effect":"Allow","Principal":"*","Action":"*","Resource":pieces[..20]},
        {"Effect":"Deny","Principal":"*","Action":"*","NotResource":pieces[20..],
         "Condition":{"StringNotEquals":{"aws:SourceVpce":A}}},
        {"Effect":"Deny","Principal":"*","Action":"*","Resource":pieces[25..],
         "Condition":{"StringNotEquals":{"aws:SourceVpce":A}}},
        {"Effect":"Deny","Principal":"*","Action":"*","Resource":"execute-api:/*",
         "Condition":{"StringNotEquals":{"aws:SourceVpce":[A, X]}}}
    ]));
    let p = producer(Some(&hard));
    let proxy = Proxy::start(&moto_url());
    let run = p.grant(&proxy.url, &[X], &[]).refused_naming("Dense");
    assert!(
        run.stderr().contains("evaluation budget"),
        "{}",
        run.stderr()
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    // policy show's table marks what it approximated.
    let show = p
        .xapi(&moto_url())
        .run(["policy", "show", "--api-id", &p.api_id, "--output", "table"])
        .ok();
    assert!(show.stdout().contains("Approximated"), "{}", show.stdout());
    assert!(
        show.stdout().contains(&format!("admitted_vpces: {X}")),
        "{}",
        show.stdout()
    );
}
