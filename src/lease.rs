//! The write lease: at most one xapi process at a time rewrites a given
//! API's resource policy.
//!
//! API Gateway replaces the whole policy on every write and has no
//! conditional write, so two read-modify-write cycles that overlap lose one
//! of the two changes. The lease is an SSM parameter `/xapi/lease/<api-id>`
//! in the API's account, created with `PutParameter` without overwrite, which
//! SSM performs atomically. Its value names the holder and an expiry, so a
//! holder that crashed blocks others for at most [`TTL`]; a live holder
//! renews it while it works and deletes it when it is done.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::output;
use crate::poll::{poll_paced, Pace, Poll, Wait};

/// How long a lease lasts without renewal: a crashed holder blocks no longer.
pub const TTL: Duration = Duration::from_secs(60);
/// A live holder renews this often, well inside [`TTL`].
const RENEW_EVERY: Duration = Duration::from_secs(20);
/// A release this close to expiry leaves the lease to expire instead, so it
/// never deletes a lease that someone else has just taken over.
const RELEASE_MARGIN: u64 = 5;

pub fn parameter_name(api_id: &str) -> String {
    format!("/xapi/lease/{api_id}")
}

/// Who holds a lease, as stored in the parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The caller identity's ARN.
    pub arn: String,
    pub host: String,
    pub pid: u32,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} on host {} (pid {})", self.arn, self.host, self.pid)
    }
}

/// The parameter's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub holder: Holder,
    /// Unique per acquisition: tells our own lease from anyone else's.
    pub token: String,
    /// Seconds since the Unix epoch.
    pub expires_at: u64,
    /// Left by a holder that wrote the policy but could not deploy it everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
}

/// Stages that do not serve the policy a failed run wrote. A stage xapi never
/// deployed carries no marker, so without this note a re-run could not tell
/// that it still serves an older policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// Canonical hash of the policy written.
    pub hash: String,
    pub stages: Vec<String>,
}

/// The note a failed run left, if any (unreadable counts as none).
pub async fn pending(aws: &Aws, api_id: &str) -> Option<Pending> {
    let value = aws.parameter(&parameter_name(api_id)).await.ok()??;
    Record::parse(&value)?.pending
}

impl Record {
    pub fn parse(value: &str) -> Option<Record> {
        serde_json::from_str(value).ok()
    }

    pub fn expired(&self, now: u64) -> bool {
        self.expires_at <= now
    }

    fn to_value(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn new_token(holder: &Holder) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let seed = format!(
        "{}|{}|{}|{nanos}|{:p}",
        holder.arn, holder.host, holder.pid, &nanos
    );
    Sha256::digest(seed.as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A lease this process holds.
#[derive(Debug)]
pub struct Lease {
    name: String,
    record: Record,
}

/// What waiting for the lease may show on a terminal.
pub struct LeaseOptions {
    /// How long to wait for a live holder before giving up (exit 3).
    pub wait: Duration,
    pub progress: bool,
}

enum Attempt {
    Taken(Lease),
    Held(Record),
    Again,
}

/// The account refused the lease calls once; the notice is printed once per process.
static NOTICE_GIVEN: AtomicBool = AtomicBool::new(false);

fn is_access_denied(e: &Error) -> bool {
    matches!(e, Error::Denied { .. })
}

/// Take the lease for `api_id`, waiting up to `options.wait` for a live
/// holder. `Ok(None)` when the caller may not use SSM: then xapi works as it
/// did without a lease (its re-read and verification still apply) and says so once.
pub async fn acquire(
    aws: &Aws,
    api_id: &str,
    caller_arn: &str,
    options: &LeaseOptions,
) -> Result<Option<Lease>> {
    let name = parameter_name(api_id);
    let holder = Holder {
        arn: caller_arn.to_owned(),
        host: host_name(),
        pid: std::process::id(),
    };
    let token = new_token(&holder);
    let started = std::time::Instant::now();
    // The holder last seen, for the message when the wait ends; after the
    // first sighting, a waiter reads before it writes.
    let held: RefCell<Option<Record>> = RefCell::new(None);
    let spinner: RefCell<Option<indicatif::ProgressBar>> = RefCell::new(None);
    let wait = Wait {
        what: format!("the write lease on {api_id}"),
        timeout: options.wait,
        hint: "re-run when it is done, or wait longer with --lease-wait".into(),
        ctx: None,
    };
    // A lease is usually given back within moments: look again soon, then
    // less often, as SSM allows few writes per second.
    let pace = Pace::Backoff {
        first: Duration::from_millis(50),
        max: Duration::from_secs(1),
    };
    let outcome = poll_paced(pace, wait, || async {
        loop {
            let mine = Record {
                holder: holder.clone(),
                token: token.clone(),
                expires_at: unix_now() + TTL.as_secs(),
                pending: None,
            };
            let peek = held.borrow().is_some();
            match try_take(aws, &name, mine, peek).await {
                Ok(Attempt::Taken(lease)) => return Ok(Poll::Ready(Some(lease))),
                Ok(Attempt::Again) => continue,
                Ok(Attempt::Held(record)) => {
                    if options.progress && spinner.borrow().is_none() {
                        *spinner.borrow_mut() = Some(waiting_spinner(format!(
                            "waiting for the write lease on {api_id}, held by {}",
                            record.holder
                        )));
                    }
                    tracing::debug!(holder = %record.holder, "write lease held; waiting");
                    let state = format!("held by {}", record.holder);
                    *held.borrow_mut() = Some(record);
                    return Ok(Poll::Pending(state));
                }
                Err(e) if is_access_denied(&e) => {
                    if !NOTICE_GIVEN.swap(true, Ordering::SeqCst) {
                        output::note(&format!(
                            "note: cannot use the write lease {name} ({e}); continuing without it: concurrent xapi writers are then kept apart only by re-reading and verifying. Allow ssm:PutParameter, ssm:GetParameter and ssm:DeleteParameter on parameter/xapi/lease/* to serialise them."
                        ));
                    }
                    return Ok(Poll::Ready(None));
                }
                Err(e) => return Err(e),
            }
        }
    })
    .await;
    if let Some(s) = spinner.into_inner() {
        s.finish_and_clear();
    }
    match (outcome, held.into_inner()) {
        (Err(Error::Timeout { .. }), Some(record)) => Err(Error::LeaseHeld {
            api_id: api_id.to_owned(),
            holder: record.holder.to_string(),
            expires_in_secs: record.expires_at.saturating_sub(unix_now()),
            waited_secs: started.elapsed().as_secs(),
        }),
        (outcome, _) => outcome,
    }
}

/// One try. A waiter (`peek`) reads before it writes: SSM allows far fewer
/// writes than reads per second, and a held lease needs no write attempt.
async fn try_take(aws: &Aws, name: &str, mine: Record, peek: bool) -> Result<Attempt> {
    if peek {
        if let Some(theirs) = aws
            .parameter(name)
            .await?
            .as_deref()
            .and_then(Record::parse)
        {
            if !theirs.expired(unix_now()) {
                return Ok(Attempt::Held(theirs));
            }
        }
    }
    if aws.create_parameter(name, &mine.to_value()).await? {
        return confirm(aws, name, mine).await;
    }
    let Some(value) = aws.parameter(name).await? else {
        // Released between our create and our read.
        return Ok(Attempt::Again);
    };
    match Record::parse(&value) {
        Some(theirs) if !theirs.expired(unix_now()) => Ok(Attempt::Held(theirs)),
        expired => take_over(aws, name, expired.map(|r| r.token), mine).await,
    }
}

/// Read back what we wrote: the emulator (unlike SSM) may let two creates both succeed.
async fn confirm(aws: &Aws, name: &str, mine: Record) -> Result<Attempt> {
    match aws
        .parameter(name)
        .await?
        .as_deref()
        .and_then(Record::parse)
    {
        Some(r) if r.token == mine.token => Ok(Attempt::Taken(Lease {
            name: name.to_owned(),
            record: mine,
        })),
        Some(r) => Ok(Attempt::Held(r)),
        None => Ok(Attempt::Again),
    }
}

/// Replace an expired lease. Overwriting is not atomic, so the right to
/// replace the lease with token T is itself taken atomically first, as the
/// parameter `<name>.takeover.<T>`: of several processes that saw T expire,
/// exactly one gets it, and a latecomer that gets it after the winner is done
/// finds T gone and backs off.
async fn take_over(
    aws: &Aws,
    name: &str,
    expired: Option<String>,
    mine: Record,
) -> Result<Attempt> {
    let expired = expired.unwrap_or_else(|| "unreadable".into());
    let claim = format!("{name}.takeover.{expired}");
    if !aws.create_parameter(&claim, &mine.to_value()).await? {
        return Ok(Attempt::Again);
    }
    let still = aws.parameter(name).await?;
    let same = match still.as_deref().map(Record::parse) {
        Some(Some(r)) => r.token == expired,
        Some(None) => expired == "unreadable",
        None => false,
    };
    let outcome = if same {
        aws.overwrite_parameter(name, &mine.to_value()).await?;
        tracing::debug!(expired, "took over an expired write lease");
        confirm(aws, name, mine).await
    } else {
        Ok(Attempt::Again)
    };
    // The claim is spent either way: the token it names never comes back.
    aws.delete_parameter(&claim).await?;
    outcome
}

fn waiting_spinner(message: String) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new_spinner().with_message(message);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        pb.set_style(style);
    }
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// The lease on an API as `policy show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum LeaseState {
    Free,
    Held {
        holder: Holder,
        expires_in_secs: u64,
    },
    /// Held by a holder that stopped renewing it: the next writer takes it over.
    Expired {
        holder: Holder,
    },
    Unreadable {
        error: String,
    },
}

/// Read the lease without taking it.
pub async fn observe(aws: &Aws, api_id: &str) -> LeaseState {
    match aws.parameter(&parameter_name(api_id)).await {
        Ok(None) => LeaseState::Free,
        Ok(Some(value)) => match Record::parse(&value) {
            Some(r) if r.expired(unix_now()) => LeaseState::Expired { holder: r.holder },
            Some(r) => LeaseState::Held {
                expires_in_secs: r.expires_at.saturating_sub(unix_now()),
                holder: r.holder,
            },
            None => LeaseState::Unreadable {
                error: format!(
                    "{} does not hold an xapi lease record",
                    parameter_name(api_id)
                ),
            },
        },
        Err(e) => LeaseState::Unreadable {
            error: e.to_string(),
        },
    }
}

impl Lease {
    /// Renew the lease until dropped; never returns. A renewal that finds the
    /// lease gone or taken stops renewing and says so: the work goes on,
    /// still protected by re-reading and verifying every write.
    pub async fn keep_alive(&self, aws: &Aws) -> std::convert::Infallible {
        let mut record = self.record.clone();
        loop {
            tokio::time::sleep(RENEW_EVERY).await;
            let current = aws.parameter(&self.name).await;
            match current.ok().flatten().as_deref().and_then(Record::parse) {
                Some(r) if r.token == record.token => {
                    record.expires_at = unix_now() + TTL.as_secs();
                    if let Err(e) = aws
                        .overwrite_parameter(&self.name, &record.to_value())
                        .await
                    {
                        tracing::debug!(error = %e, "renewing the write lease failed");
                    }
                }
                _ => {
                    output::note(&format!(
                        "warning: lost the write lease {} (it expired while this process was stalled)",
                        self.name
                    ));
                    return std::future::pending().await;
                }
            }
        }
    }

    /// Give the lease back: delete it if it is still ours and not about to
    /// expire, or, when stages were left not serving the policy written,
    /// leave it expired with that note for the next run.
    pub async fn release(self, aws: &Aws, pending: Option<Pending>) {
        let result = async {
            let current = aws.parameter(&self.name).await?;
            let ours = current
                .as_deref()
                .and_then(Record::parse)
                .filter(|r| r.token == self.record.token);
            match ours {
                Some(r) if r.expires_at > unix_now() + RELEASE_MARGIN => match pending {
                    None => aws.delete_parameter(&self.name).await,
                    Some(p) => {
                        let note = Record {
                            expires_at: 0,
                            pending: Some(p),
                            ..r
                        };
                        aws.overwrite_parameter(&self.name, &note.to_value()).await
                    }
                },
                _ => Ok(()),
            }
        }
        .await;
        if let Err(e) = result {
            output::note(&format!(
                "warning: could not release the write lease {} ({e}); it expires by itself within {}s",
                self.name,
                TTL.as_secs()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_and_expires() {
        let r = Record {
            holder: Holder {
                arn: "arn:aws:iam::111111111111:role/ci".into(),
                host: "build-7".into(),
                pid: 42,
            },
            token: "t1".into(),
            expires_at: 1_000,
            pending: None,
        };
        assert_eq!(Record::parse(&r.to_value()), Some(r.clone()));
        assert!(!r.expired(999));
        assert!(r.expired(1_000));
        assert_eq!(
            r.holder.to_string(),
            "arn:aws:iam::111111111111:role/ci on host build-7 (pid 42)"
        );
        assert_eq!(Record::parse("not a lease"), None);
        assert_ne!(new_token(&r.holder), "");
        assert_eq!(parameter_name("a1b2c3d4e5"), "/xapi/lease/a1b2c3d4e5");
    }
}
