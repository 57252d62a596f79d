//! The write lease against a real moto server, adversarially: abandoned
//! leases and takeover claims, holders with skewed clocks, a holder paused
//! past its lifetime, SSM writes denied, redeploys that keep failing, and
//! Ctrl-C at every step. Other xapi processes' leases are planted as records
//! in the parameter, exactly as such a process writes them.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common;
use crate::grant::{producer, standard_policy, Producer, X, Y};

use common::json::{self, Lease};
use common::proxy::{Canned, Disturbance, Proxy, Recorded};
use common::seed::ssm;
use common::{moto_url, Run, Xapi};
use serde_json::json;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A record as another xapi process writes it.
fn record(
    token: &str,
    expires_at: u64,
    ttl_secs: u64,
    pending: Option<serde_json::Value>,
) -> String {
    let mut r = serde_json::json!({
        "holder": {"arn": "arn:aws:sts::111111111111:assumed-role/deployer/ci", "host": "build-host-7", "pid": 4242},
        "token": token,
        "expires_at": expires_at,
        "ttl_secs": ttl_secs,
    });
    if let Some(p) = pending {
        r["pending"] = p;
    }
    r.to_string()
}

/// The SSM operation and parameter name of a request, if it is one.
fn ssm_call(r: &Recorded) -> Option<(String, String)> {
    r.target.as_deref()?.strip_prefix("AmazonSSM.")?;
    let body: serde_json::Value = serde_json::from_str(&r.body).ok()?;
    Some((
        r.operation(),
        body["Name"].as_str().unwrap_or_default().to_owned(),
    ))
}

impl Producer {
    fn lease_name(&self) -> String {
        format!("/xapi/lease/{}", self.api_id)
    }

    /// Write a parameter as another process would; returns the version made.
    fn put_param(&self, name: &str, value: &str, overwrite: bool) -> i64 {
        let (cfg, name, value) = (self.cfg.clone(), name.to_owned(), value.to_owned());
        // On a thread of its own: the proxy may call this from inside its runtime.
        std::thread::spawn(move || {
            rt().block_on(async {
                let input =
                    json!({"Name": name, "Value": value, "Type": "String", "Overwrite": overwrite});
                ssm(&cfg, "PutParameter", input).await.unwrap()["Version"]
                    .as_i64()
                    .unwrap()
            })
        })
        .join()
        .unwrap()
    }

    fn param(&self, name: &str) -> Option<String> {
        rt().block_on(async {
            ssm(&self.cfg, "GetParameter", json!({"Name": name}))
                .await
                .ok()
                .and_then(|o| o["Parameter"]["Value"].as_str().map(str::to_owned))
        })
    }

    fn delete_param(&self, name: &str) {
        rt().block_on(async {
            let _ = ssm(&self.cfg, "DeleteParameter", json!({"Name": name})).await;
        });
    }

    fn grant_args(&self, vpce: &str, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = [
            "grant-vpce",
            "--api-id",
            &self.api_id,
            "--vpce",
            vpce,
            "--output",
            "json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }
}

/// Wait for `child` to end, killing it and failing after `limit`.
fn finish_within(mut child: std::process::Child, limit: Duration, what: &str) -> Run {
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().unwrap().is_some() {
            return Run(child.wait_with_output().unwrap(), Vec::new());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{what}: still running after {limit:?}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_until(limit: Duration, what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !cond() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &std::process::Child, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {sig}");
}

/// Ctrl-C `child`; it must exit 130 within 2 s.
fn ctrl_c(child: std::process::Child) -> Run {
    signal(&child, "-INT");
    let sent = Instant::now();
    let run = finish_within(child, Duration::from_secs(10), "after Ctrl-C");
    let took = sent.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "stopped {took:?} after Ctrl-C\n{}",
        run.stderr()
    );
    run.expect_code(130)
}

/// Item 1: an abandoned lease and a leaked takeover claim, as this version
/// names claims and as versions before it did, wedge nobody.
#[test]
fn a_leaked_claim_and_an_abandoned_lease_never_wedge_ten_concurrent_grants() {
    let p = producer(None);
    let lease = p.lease_name();
    let value = record("planted0token", now() - 5, 1, None);
    let version = p.put_param(&lease, &value, false);
    let claim = xapi::lease::claim_name(&lease, &value, version);
    p.put_param(&claim, &record("claimer0token", now() + 60, 1, None), false);
    let legacy_claim = format!("{lease}.takeover.planted0token");
    p.put_param(
        &legacy_claim,
        &record("claimer1token", now() + 60, 1, None),
        false,
    );
    // policy show names the claim on the abandoned lease, not only "expired".
    let shown = Xapi::as_account(&moto_url(), &p.account)
        .run(["policy", "show", "--api-id", &p.api_id, "--output", "json"])
        .ok()
        .json();
    assert_eq!(shown["lease"]["state"], "expired", "{shown:#}");
    assert_eq!(
        shown["lease"]["takeover_claimed_by"]["host"], "build-host-7",
        "{shown:#}"
    );
    let table = Xapi::as_account(&moto_url(), &p.account)
        .run([
            "policy", "show", "--api-id", &p.api_id, "--output", "table", "--color", "never",
        ])
        .ok()
        .stdout();
    assert!(table.contains("claimed its takeover"), "{table}");

    let vpces: Vec<String> = (0..10)
        .map(|i| format!("vpce-0123456789abcde{i:02x}"))
        .collect();
    let children: Vec<_> = vpces
        .iter()
        .map(|v| {
            Xapi::as_account(&moto_url(), &p.account)
                .spawn(p.grant_args(v, &["--lease-wait", "60s"]))
        })
        .collect();
    for (child, _home) in children {
        finish_within(child, Duration::from_secs(120), "a grant").ok();
    }
    let mut admitted = p.admitted();
    admitted.sort();
    assert_eq!(admitted, vpces, "a grant was lost");
    assert_eq!(p.param(&lease), None, "every lease was released");
    assert_eq!(p.param(&claim), None, "the stale claim was removed");
}

/// Item 1: every retry pauses and the wait ends at --lease-wait, even when
/// every takeover finds a fresh claim in its way.
#[test]
fn a_contended_takeover_pauses_and_ends_at_the_lease_wait() {
    let p = producer(None);
    let lease = p.lease_name();
    let value = record("planted0token", now(), 1, None);
    let version = p.put_param(&lease, &value, false);
    let claim = xapi::lease::claim_name(&lease, &value, version);
    let proxy = Proxy::start(&moto_url());
    // Every claim xapi tries to make already exists, made just now.
    proxy.respond_with(move |r| {
        (ssm_call(r).is_some_and(|(op, name)| op == "PutParameter" && name == claim)).then(|| {
            Canned {
                status: 400,
                content_type: "application/x-amz-json-1.1".into(),
                body: r#"{"__type":"ParameterAlreadyExists","message":"The parameter already exists."}"#.into(),
            }
        })
    });
    let started = Instant::now();
    let (child, _home) = p
        .xapi(&proxy.url)
        .spawn(p.grant_args(X, &["--lease-wait", "4s"]));
    let run = finish_within(child, Duration::from_secs(30), "a contended grant").expect_code(3);
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("--lease-wait"), "{}", run.stderr());
    let ssm_calls = proxy
        .requests()
        .iter()
        .filter(|r| ssm_call(r).is_some())
        .count();
    assert!(
        ssm_calls < 60,
        "{ssm_calls} SSM calls in 4 s: retries must pause"
    );
    assert_eq!(p.raw_policy(), None, "nothing written");
}

/// Item 2: a live holder whose clock is 5 minutes behind (its expiry looks
/// long past) is waited for; once it stops renewing it is taken over.
#[test]
fn a_live_holder_whose_clock_is_behind_is_waited_for() {
    let p = Arc::new(producer(None));
    let lease = p.lease_name();
    let behind = || now() - 300 + 3;
    p.put_param(&lease, &record("skewed0token", behind(), 3, None), false);
    let stop = Arc::new(AtomicBool::new(false));
    let renewer = {
        let (p, lease, stop) = (p.clone(), lease.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(SeqCst) {
                p.put_param(&lease, &record("skewed0token", behind(), 3, None), true);
                std::thread::sleep(Duration::from_millis(300));
            }
        })
    };
    let proxy = Proxy::start(&moto_url());
    let run = p
        .grant(&proxy.url, &[X], &["--lease-wait", "4s"])
        .expect_code(3);
    assert!(run.stderr().contains("build-host-7"), "{}", run.stderr());
    assert_eq!(p.raw_policy(), None, "nothing written while it was held");
    assert!(!proxy.requests().iter().any(|r| r.method == "PATCH"));
    stop.store(true, SeqCst);
    renewer.join().unwrap();
    p.grant(&moto_url(), &[X], &["--lease-wait", "30s"]).ok();
    assert_eq!(p.admitted(), vec![X.to_owned()]);
    assert_eq!(p.param(&lease), None);
}

/// Item 2: a crashed holder whose clock was far ahead is taken over after
/// its TTL, and `policy show` caps the expiry it claims.
#[test]
fn a_crashed_holder_whose_clock_is_ahead_is_taken_over_after_its_ttl() {
    let p = producer(None);
    let lease = p.lease_name();
    p.put_param(&lease, &record("ahead0token", now() + 3600, 2, None), false);
    let Lease::Held {
        expires_in_secs, ..
    } = p.show().lease
    else {
        panic!("not held")
    };
    let cap = xapi::lease::CLOCK_SKEW.as_secs() + 2;
    assert!(expires_in_secs <= cap, "{expires_in_secs} > {cap}");
    let started = Instant::now();
    p.grant(&moto_url(), &[X], &["--lease-wait", "30s"]).ok();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(p.admitted(), vec![X.to_owned()]);
    assert_eq!(p.param(&lease), None);
}

/// Item 2: a holder paused past its TTL (SIGSTOP right before its policy
/// write) loses the lease to another writer and, resumed, writes nothing.
#[test]
fn a_holder_paused_past_its_ttl_never_writes_after_losing_the_lease() {
    let p = Arc::new(producer(None));
    let proxy = Proxy::start(&moto_url());
    let pid = Arc::new(AtomicU32::new(0));
    let stopped = Arc::new(AtomicBool::new(false));
    {
        let (pid, stopped, lease) = (pid.clone(), stopped.clone(), p.lease_name());
        let api = format!("/restapis/{}", p.api_id);
        let took = AtomicBool::new(false);
        proxy.respond_with(move |r| {
            let call = ssm_call(r).filter(|(_, name)| *name == lease);
            if call.as_ref().is_some_and(|(op, _)| op == "PutParameter") {
                took.store(true, SeqCst);
            } else if took.load(SeqCst)
                && r.method == "GET"
                && r.path == api
                && !stopped.swap(true, SeqCst)
            {
                // The re-read of the policy right before the write, under the
                // lease it created: freeze the holder here. Its answer is sent
                // while it is frozen, so only the stall itself can tell it the
                // lease was lost.
                let status = std::process::Command::new("kill")
                    .args(["-STOP", &pid.load(SeqCst).to_string()])
                    .status()
                    .unwrap();
                assert!(status.success());
            }
            None
        });
    }
    let (child, _home) = p
        .xapi(&proxy.url)
        .env("XAPI_LEASE_TTL", "3")
        .spawn(p.grant_args(X, &[]));
    pid.store(child.id(), SeqCst);
    wait_until(Duration::from_secs(60), "the holder froze", || {
        stopped.load(SeqCst)
    });
    // Another writer waits out the frozen holder's TTL, takes over and grants Y.
    p.grant(&moto_url(), &[Y], &["--lease-wait", "30s"]).ok();
    signal(&child, "-CONT");
    let run = finish_within(child, Duration::from_secs(30), "the resumed holder").expect_code(3);
    assert!(
        run.stderr().contains("lost the write lease"),
        "{}",
        run.stderr()
    );
    assert!(
        !proxy.requests().iter().any(|r| r.method == "PATCH"),
        "the paused holder wrote after losing the lease"
    );
    assert_eq!(p.admitted(), vec![Y.to_owned()], "Y's grant was kept");
}

/// Item 2: with SSM writes denied but reads allowed, a live holder is still waited for.
#[test]
fn without_ssm_write_permission_a_live_holder_is_still_waited_for() {
    let p = producer(None);
    let lease = p.lease_name();
    p.put_param(&lease, &record("live0token", now() + 600, 600, None), false);
    let proxy = Proxy::start(&moto_url());
    proxy.respond_with(|r| {
        ssm_call(r)
            .is_some_and(|(op, _)| op != "GetParameter")
            .then(|| Canned {
                status: 400,
                content_type: "application/x-amz-json-1.1".into(),
                body: r#"{"__type":"AccessDeniedException","message":"User is not authorized to perform: ssm:PutParameter"}"#.into(),
            })
    });
    let run = p
        .grant(&proxy.url, &[X], &["--lease-wait", "2s"])
        .expect_code(3);
    assert!(run.stderr().contains("build-host-7"), "{}", run.stderr());
    assert_eq!(p.raw_policy(), None, "nothing written while it was held");
    // The holder finishes: now xapi goes on without the lease, and says so.
    p.delete_param(&lease);
    let run = p.grant(&proxy.url, &[X], &["--lease-wait", "2s"]).ok();
    assert!(
        run.stderr().contains("cannot use the write lease"),
        "{}",
        run.stderr()
    );
    assert_eq!(p.admitted(), vec![X.to_owned()]);
}

/// Item 3: a stage that never got the policy is never reported done, across
/// failed re-runs and a takeover from a holder that crashed.
#[test]
fn a_stage_that_never_got_the_revoke_is_never_reported_done() {
    const KEEP: &str = "vpce-0aaaaaaaaaaaaaaa1";
    let p = producer(Some(&standard_policy(&[X, KEEP])));
    let proxy = Proxy::start(&moto_url());
    proxy.fail_when(|r| r.method == "POST" && r.path.ends_with("/deployments"));
    let first = p.revoke(&proxy.url, &[X], &[]).expect_code(3);
    assert!(
        first.stderr().contains("NOT live on stage prod"),
        "{}",
        first.stderr()
    );
    let (_, revoked) = p.stage_marker_and_current("prod");

    let check = |run: Run, which: &str| {
        assert_ne!(run.code(), 0, "{which} run exited 0:\n{}", run.stderr());
        assert!(
            !run.stdout().contains("already as requested")
                && !run.stderr().contains("already as requested"),
            "{which}"
        );
        assert!(
            run.stderr().contains("prod"),
            "{which} run does not name the stage: {}",
            run.stderr()
        );
        let deploys = proxy
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/deployments"))
            .count();
        assert!(deploys >= 1, "{which} run did not try to redeploy prod");
    };
    proxy.clear();
    // The failed run gave the lease back with its note: the next run takes
    // it at once instead of waiting out a TTL (30 s here).
    let second = p.revoke(&proxy.url, &[X], &["--lease-wait", "2s"]);
    assert!(
        !second.stderr().contains("is held by"),
        "{}",
        second.stderr()
    );
    check(second, "second");

    // A holder that took the lease (and its note) then crashed: the note
    // survives the takeover.
    let lease = p.lease_name();
    let note: serde_json::Value = serde_json::from_str(&p.param(&lease).unwrap()).unwrap();
    assert_eq!(note["pending"]["stages"], serde_json::json!(["prod"]));
    p.put_param(
        &lease,
        &record(
            "crashed0token",
            now() + 600,
            1,
            Some(note["pending"].clone()),
        ),
        true,
    );
    proxy.clear();
    check(p.revoke(&proxy.url, &[X], &[]), "third");
    proxy.clear();
    check(p.revoke(&proxy.url, &[X], &[]), "fourth");

    proxy.heal();
    let done = p.revoke(&proxy.url, &[X], &[]).ok().parse::<json::Grant>();
    assert_eq!(done.stages[0].stage, "prod");
    let (marker, current) = p.stage_marker_and_current("prod");
    assert_eq!(
        (marker.as_deref(), current.as_str()),
        (Some(revoked.as_str()), revoked.as_str())
    );
    assert_eq!(
        p.param(&lease),
        None,
        "the note is gone once every stage serves the policy"
    );
}

fn spawn_grant(
    p: &Producer,
    proxy: &Proxy,
    extra: &[&str],
) -> (std::process::Child, tempfile::TempDir) {
    p.xapi(&proxy.url).spawn(p.grant_args(X, extra))
}

/// Item 15: Ctrl-C while waiting for a live holder.
#[test]
fn ctrl_c_while_waiting_for_the_lease_stops_at_once_and_touches_nothing() {
    let p = producer(None);
    let lease = p.lease_name();
    let value = record("live0token", now() + 600, 600, None);
    p.put_param(&lease, &value, false);
    let proxy = Proxy::start(&moto_url());
    let (child, _home) = spawn_grant(&p, &proxy, &["--lease-wait", "60s"]);
    wait_until(Duration::from_secs(60), "xapi waits for the lease", || {
        proxy
            .requests()
            .iter()
            .filter(|r| ssm_call(r).is_some_and(|(op, n)| op == "GetParameter" && n == lease))
            .count()
            >= 3
    });
    let run = ctrl_c(child);
    assert!(
        run.stderr().contains("nothing was changed"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        p.param(&lease),
        Some(value),
        "the holder's lease is untouched"
    );
    assert_eq!(p.raw_policy(), None);
}

/// Item 1 and 15: Ctrl-C in the middle of a takeover, with its claim made:
/// the claim is deleted and the abandoned lease left for the next writer.
#[test]
fn ctrl_c_during_a_takeover_deletes_the_claim() {
    let p = producer(None);
    let lease = p.lease_name();
    let value = record("planted0token", now(), 1, None);
    let version = p.put_param(&lease, &value, false);
    let claim = xapi::lease::claim_name(&lease, &value, version);
    let proxy = Proxy::start(&moto_url());
    let (claimed, held) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    {
        let (claimed, held, claim, lease) =
            (claimed.clone(), held.clone(), claim.clone(), lease.clone());
        proxy.disturb(move |r| {
            let (op, name) = ssm_call(r)?;
            if op == "PutParameter" && name == claim {
                claimed.store(true, SeqCst);
            } else if op == "GetParameter"
                && name == lease
                && claimed.load(SeqCst)
                && !held.swap(true, SeqCst)
            {
                return Some(Disturbance::Hold);
            }
            None
        });
    }
    let (child, _home) = spawn_grant(&p, &proxy, &["--lease-wait", "60s"]);
    wait_until(Duration::from_secs(60), "xapi claims the takeover", || {
        held.load(SeqCst)
    });
    assert!(p.param(&claim).is_some(), "the claim exists");
    let run = ctrl_c(child);
    assert!(
        run.stderr().contains("nothing was changed"),
        "{}",
        run.stderr()
    );
    assert_eq!(p.param(&claim), None, "the claim was deleted");
    assert_eq!(p.param(&lease), Some(value), "the lease was not replaced");
    assert_eq!(p.raw_policy(), None);
}

/// Item 15: Ctrl-C while verifying a write releases the lease and says the
/// change is unverified.
#[test]
fn ctrl_c_while_verifying_releases_the_lease_and_says_it_is_unverified() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    let (deployed, held) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    {
        let (deployed, held) = (deployed.clone(), held.clone());
        proxy.disturb(move |r| {
            if r.method == "POST" && r.path.ends_with("/deployments") {
                deployed.store(true, SeqCst);
            } else if deployed.load(SeqCst)
                && r.method == "GET"
                && r.path.ends_with("/stages")
                && !held.swap(true, SeqCst)
            {
                return Some(Disturbance::Hold);
            }
            None
        });
    }
    let (child, _home) = spawn_grant(&p, &proxy, &[]);
    wait_until(Duration::from_secs(60), "xapi verifies", || {
        held.load(SeqCst)
    });
    let run = ctrl_c(child);
    assert!(
        run.stderr().contains("applied but not verified"),
        "{}",
        run.stderr()
    );
    assert_eq!(p.lease_value(), None, "the lease is released");
    assert_eq!(p.admitted(), vec![X.to_owned()]);
}

/// Item 15: Ctrl-C while the release itself hangs: a fresh release gives it back.
#[test]
fn ctrl_c_during_a_hung_release_still_releases_the_lease() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    let held = Arc::new(AtomicBool::new(false));
    {
        let (held, lease) = (held.clone(), p.lease_name());
        proxy.disturb(move |r| {
            let (op, name) = ssm_call(r)?;
            (op == "DeleteParameter" && name == lease && !held.swap(true, SeqCst))
                .then_some(Disturbance::Hold)
        });
    }
    let (child, _home) = spawn_grant(&p, &proxy, &[]);
    wait_until(Duration::from_secs(60), "xapi releases", || {
        held.load(SeqCst)
    });
    let run = ctrl_c(child);
    assert!(run.stderr().contains("interrupted"), "{}", run.stderr());
    assert_eq!(p.lease_value(), None, "the lease is released");
    assert_eq!(p.admitted(), vec![X.to_owned()]);
}

/// Item 2: the lease stays renewed while the write is verified, however long
/// that takes: a writer waiting meanwhile never takes it over.
#[test]
fn the_lease_is_renewed_while_the_write_is_verified() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    let (deployed, held) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    {
        let (deployed, held) = (deployed.clone(), held.clone());
        proxy.disturb(move |r| {
            if r.method == "POST" && r.path.ends_with("/deployments") {
                deployed.store(true, SeqCst);
            } else if deployed.load(SeqCst)
                && r.method == "GET"
                && r.path.ends_with("/stages")
                && !held.swap(true, SeqCst)
            {
                return Some(Disturbance::Hold);
            }
            None
        });
    }
    let (child, _home) = p
        .xapi(&proxy.url)
        .env("XAPI_LEASE_TTL", "2")
        .spawn(p.grant_args(X, &[]));
    wait_until(Duration::from_secs(60), "xapi verifies", || {
        held.load(SeqCst)
    });
    // Twice the holder's TTL: without renewals it would be taken over.
    let waiter = p
        .grant(&moto_url(), &[Y], &["--lease-wait", "4s"])
        .expect_code(3);
    assert!(
        waiter.stderr().contains("is held by"),
        "{}",
        waiter.stderr()
    );
    assert_eq!(p.admitted(), vec![X.to_owned()], "the waiter wrote nothing");
    // Each renewal also moves the expiry the record states (what `policy
    // show` prints): it is never behind the last renewal, nor past one TTL on.
    let held: serde_json::Value = serde_json::from_str(&p.lease_value().unwrap()).unwrap();
    let expires_at = held["expires_at"].as_u64().unwrap();
    let renewed_by = now();
    assert!(
        (renewed_by..=renewed_by + 3).contains(&expires_at),
        "expires_at {expires_at}, now {renewed_by}"
    );
    ctrl_c(child);
    assert_eq!(p.lease_value(), None, "the lease is released");
}

/// A write on an API nobody else is writing costs the lease three calls: the
/// read of the note a failed run may have left (part of the plan), the
/// create (tried before any read: the lease is usually free; SSM's create is
/// atomic, so its success needs no read-back) and the delete.
#[test]
fn an_uncontended_write_reads_the_lease_once_creates_it_and_deletes_it() {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    p.grant(&proxy.url, &[X], &[]).ok();
    let lease = p.lease_name();
    let calls: Vec<String> = proxy
        .requests()
        .iter()
        .filter_map(ssm_call)
        .filter(|(_, name)| *name == lease)
        .map(|(op, _)| op)
        .collect();
    assert_eq!(calls, ["GetParameter", "PutParameter", "DeleteParameter"]);
    assert_eq!(p.admitted(), vec![X.to_owned()]);
}

/// The lease rests on SSM's create-if-absent being atomic: of many
/// concurrent creates of one name, exactly one succeeds. The tests' emulator
/// must give the same answer, or every lease test above proves nothing
/// (moto_server alone does not: it checks the name and stores the parameter
/// apart, unlocked, and lets several creates land).
#[test]
fn the_emulator_lets_exactly_one_of_many_concurrent_creates_land_as_ssm_does() {
    let p = producer(None);
    for round in 0..16 {
        let name = format!("{}.atomic.{round}", p.lease_name());
        let outcomes = rt().block_on(futures::future::join_all((0..24).map(|i| {
            let input = json!({"Name": name, "Value": format!("creator {i}"), "Type": "String", "Overwrite": false});
            ssm(&p.cfg, "PutParameter", input)
        })));
        let landed = outcomes.iter().filter(|o| o.is_ok()).count();
        let refused = outcomes
            .iter()
            .filter_map(|o| o.as_ref().err())
            .filter(|e| {
                e.as_service_error().and_then(|m| m.code()) == Some("ParameterAlreadyExists")
            })
            .count();
        assert_eq!((landed, refused), (1, 23), "round {round}: {outcomes:?}");
        let stored = p.param(&name).expect("the one create is stored");
        let winner = outcomes.iter().position(Result::is_ok).unwrap();
        assert_eq!(stored, format!("creator {winner}"), "round {round}");
        p.delete_param(&name);
    }
}
