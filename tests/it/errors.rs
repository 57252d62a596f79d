//! AWS refusals are classified once and said the same way by every command:
//! a denial names the IAM action to allow, throttling says how many attempts were spent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::proxy::{Canned, Proxy};
use crate::common::{moto_url, Xapi};

/// API Gateway's REST calls (the only ones without an `Action=` body or a target header).
fn is_apigw(r: &crate::common::proxy::Recorded) -> bool {
    r.path.starts_with("/restapis")
}

#[test]
fn a_denied_call_names_the_action_and_identity_aws_named() {
    let proxy = Proxy::start(&moto_url());
    proxy.respond_with(|r| {
        is_apigw(r).then(|| {
            Canned::json(
                403,
                r#"{"__type":"AccessDeniedException","message":"User: arn:aws:sts::123456789012:assumed-role/ops/me is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5"}"#.into(),
            )
        })
    });
    let run = Xapi::new(&proxy.url)
        .run(["policy", "show", "--api-id", "a1b2c3d4e5"])
        .expect_code(3);
    let err = run.stderr();
    assert!(err.contains("a1b2c3d4e5"), "{err}");
    assert!(
        err.contains("allow apigateway:GET for arn:aws:sts::123456789012:assumed-role/ops/me"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(run.stdout().is_empty(), "{}", run.stdout());
}

#[test]
fn a_denial_aws_did_not_explain_still_says_which_action_to_allow() {
    let proxy = Proxy::start(&moto_url());
    proxy.respond_with(|r| {
        is_apigw(r).then(|| {
            Canned::json(
                403,
                r#"{"__type":"AccessDeniedException","message":"Forbidden"}"#.into(),
            )
        })
    });
    let err = Xapi::new(&proxy.url)
        .run(["policy", "show", "--api-id", "a1b2c3d4e5"])
        .expect_code(3)
        .stderr();
    assert!(
        err.contains("allow apigateway:GET for the identity xapi runs as"),
        "{err}"
    );
}

#[test]
fn throttling_past_every_retry_says_how_many_attempts_and_what_to_raise() {
    let proxy = Proxy::start(&moto_url());
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    proxy.respond_with(move |r| {
        is_apigw(r).then(|| {
            count.fetch_add(1, Ordering::SeqCst);
            Canned::json(
                429,
                r#"{"__type":"TooManyRequestsException","message":"Too Many Requests"}"#.into(),
            )
        })
    });
    let err = Xapi::new(&proxy.url)
        .env("AWS_MAX_ATTEMPTS", "2")
        .run(["policy", "show", "--api-id", "a1b2c3d4e5"])
        .expect_code(3)
        .stderr();
    assert!(err.contains("throttled"), "{err}");
    assert!(err.contains("all 2 attempts"), "{err}");
    assert!(err.contains("AWS_MAX_ATTEMPTS"), "{err}");
    // The count in the message is what was actually spent on the first refused call.
    assert!(seen.load(Ordering::SeqCst) >= 2, "{err}");
}

#[test]
fn a_local_path_that_cannot_be_written_exits_6_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a directory is needed fails for root too, unlike permissions.
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let out = file.join("proxy");
    // No AWS call: an endpoint nothing listens on proves the failure is local.
    let run = Xapi::new("http://127.0.0.1:9")
        .run([
            "mtls",
            "render",
            "--api-id",
            "a1b2c3d4e5",
            "--stage",
            "prod",
            "--out",
            out.to_str().unwrap(),
        ])
        .expect_code(6);
    let err = run.stderr();
    assert!(err.contains(out.to_str().unwrap()), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(run.stdout().is_empty(), "{}", run.stdout());
    assert!(file.is_file(), "the file in the way is left alone");
}
