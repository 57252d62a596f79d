//! A change another writer overtakes between xapi's plan and its write: the
//! re-applied grant copies the reference the plan named or fails, the report
//! shows what was written, and a restore asks again. The other writer writes
//! straight to moto when xapi takes its lease (after planning, before the
//! re-read that precedes the write).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::proxy::Proxy;
use crate::common::{self, json, moto_url, seed};
use crate::grant::{producer, standard_policy, Producer, X};

const A: &str = "vpce-0aaaaaaaaaaaaaaa1";
const B: &str = "vpce-0bbbbbbbbbbbbbbb1";
const Z: &str = "vpce-0ffffffffffffffff";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

/// Replace the policy as another writer would, from a thread of its own (the
/// proxy calls this from inside its runtime).
fn put_policy(p: &Producer, policy: &str) {
    let (account, api, policy) = (p.account.clone(), p.api_id.clone(), policy.to_owned());
    std::thread::spawn(move || {
        rt().block_on(async {
            aws_sdk_apigateway::Client::new(&seed::account_config(&account).await)
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

fn stored_policy(p: &Producer) -> String {
    let (account, api) = (p.account.clone(), p.api_id.clone());
    rt().block_on(async {
        aws_sdk_apigateway::Client::new(&seed::account_config(&account).await)
            .get_rest_api()
            .rest_api_id(&api)
            .send()
            .await
            .unwrap()
            .policy
            .unwrap()
    })
}

/// A proxy that lets another writer put `policy` in place once, when xapi
/// asks for the write lease.
fn overtaken_by(p: &std::sync::Arc<Producer>, policy: String) -> Proxy {
    let proxy = Proxy::start(&moto_url());
    let (p, done) = (p.clone(), AtomicBool::new(false));
    proxy.respond_with(move |r| {
        if r.operation() == "PutParameter" && !done.swap(true, Ordering::SeqCst) {
            put_policy(&p, &policy);
        }
        None
    });
    proxy
}

fn policy_writes(proxy: &Proxy) -> usize {
    proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.body.contains("/policy"))
        .count()
}

/// Allows gated on endpoint lists: A's on `/prod/*`, B's on everything.
fn gated(a: bool, b: bool) -> String {
    let allow = |resource: &str, vpce: &str| {
        serde_json::json!({"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
            "Resource": resource, "Condition": {"StringEquals": {"aws:SourceVpce": [vpce]}}})
    };
    let mut st = Vec::new();
    if b {
        st.push(allow("execute-api:/*", B));
    }
    if a {
        st.push(allow("execute-api:/prod/*", A));
    }
    serde_json::json!({"Version": "2012-10-17", "Statement": st}).to_string()
}

#[test]
fn a_re_applied_grant_whose_planned_reference_is_gone_fails_naming_it() {
    let p = std::sync::Arc::new(producer(Some(&gated(true, false))));
    // Planned: X exactly like A. Meanwhile A is replaced by B, which a fresh
    // choice would copy: xapi must not.
    let proxy = overtaken_by(&p, gated(false, true));
    let run = p
        .xapi(&proxy.url)
        .run([
            "grant-vpce",
            "--api-id",
            &p.api_id,
            "--vpce",
            X,
            "--output",
            "json",
        ])
        .expect_code(4);
    let err = run.stderr();
    assert!(
        err.contains(&format!("{X} was planned to be admitted exactly like {A}"))
            && err.contains("no longer admitted")
            && err.contains("wrote nothing"),
        "{err}"
    );
    assert_eq!(policy_writes(&proxy), 0, "nothing written");
    assert!(!stored_policy(&p).contains(X));
}

#[test]
fn a_re_applied_grant_reports_the_edit_it_wrote() {
    let p = std::sync::Arc::new(producer(Some(&standard_policy(&[A]))));
    let proxy = overtaken_by(&p, standard_policy(&[A, Z]));
    let r: json::Grant = p
        .xapi(&proxy.url)
        .run([
            "grant-vpce",
            "--api-id",
            &p.api_id,
            "--vpce",
            X,
            "--output",
            "json",
        ])
        .ok()
        .parse();
    let diff = r.diff.as_deref().unwrap();
    assert!(
        diff.contains("(as another writer left it)") && diff.contains(Z),
        "the diff is against the document written over: {diff}"
    );
    assert!(diff.contains(&format!("+            \"{X}\"")), "{diff}");
    assert!(
        r.warnings.iter().any(|w| w.contains("applied again")),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.references.len(), 1);
    assert_eq!(r.references[0].vpce, X);
    let stored = stored_policy(&p);
    assert!(stored.contains(Z) && stored.contains(X), "{stored}");
}

#[test]
fn a_restore_over_a_concurrently_changed_policy_asks_again() {
    let p = std::sync::Arc::new(producer(Some(&standard_policy(&[A, X]))));
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.json");
    let saved = serde_json::json!({
        "api_id": p.api_id, "account": p.account, "region": common::REGION,
        "saved_at": "20250101T000000.000Z", "policy": standard_policy(&[A]),
    });
    std::fs::write(&backup, saved.to_string()).unwrap();
    let proxy = overtaken_by(&p, standard_policy(&[A, X, Z]));
    let run = p
        .xapi(&proxy.url)
        .run([
            "policy",
            "restore",
            "--api-id",
            &p.api_id,
            "--from",
            backup.to_str().unwrap(),
            "--yes",
            "--output",
            "json",
        ])
        .expect_code(4);
    let err = run.stderr();
    assert!(err.contains("changed after the plan"), "{err}");
    // The new diff would also take Z out: it is shown before the refusal.
    assert!(err.contains(&format!("-            \"{Z}\"")), "{err}");
    assert!(err.contains("wrote nothing"), "{err}");
    assert_eq!(policy_writes(&proxy), 0);
    assert!(stored_policy(&p).contains(Z));
}
