//! The write lease: at most one xapi process at a time rewrites a given
//! API's resource policy.
//!
//! API Gateway replaces the whole policy on every write and has no
//! conditional write, so two read-modify-write cycles that overlap lose one
//! of the two changes. The lease is an SSM parameter `/xapi/lease/<api-id>`
//! in the API's account, created with `PutParameter` without overwrite, which
//! SSM performs atomically. Its value names the holder and how often it
//! promises to renew it (its TTL); every write gives the parameter a new
//! version. A waiter judges a lease abandoned when its version stays the same
//! for a whole TTL measured on the waiter's own monotonic clock: no two
//! hosts' wall clocks are ever compared, so clock skew cannot make a live
//! lease look expired.
//!
//! SSM has no compare-and-swap for an overwrite. Every overwrite here is
//! "conditional" in the only way SSM allows: read the version V, write, and
//! count the write as ours only if SSM numbered it V+1 (nobody wrote between
//! the read and the write) and reading back still shows our token at V+1.
//! Two writers that interleave both see a number they did not expect, so at
//! most one of them believes it holds the lease. What remains is documented
//! in README ("Writes: the lease, re-reads and redeploys").

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::aws::ssm::Parameter;
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::interrupt;
use crate::output;
use crate::poll::{poll_paced, Pace, Poll, Wait};

/// How long a lease lasts without renewal, unless `XAPI_LEASE_TTL` says otherwise.
pub const DEFAULT_TTL: Duration = Duration::from_secs(30);
/// The longest lifetime a record may claim: a record asking for more is held to this.
const MAX_TTL: Duration = Duration::from_secs(600);
/// The shortest lifetime `XAPI_LEASE_TTL` may set.
const MIN_TTL: Duration = Duration::from_secs(2);
/// The lifetime records written by xapi versions that did not record one promised.
const LEGACY_TTL_SECS: u64 = 60;
/// How far another host's clock may be ahead of ours, when showing when a
/// lease expires by its holder's clock.
pub const CLOCK_SKEW: Duration = Duration::from_secs(300);
/// The longest holder text (ARN, host) shown from a record.
const MAX_TEXT: usize = 256;

pub fn parameter_name(api_id: &str) -> String {
    format!("/xapi/lease/{api_id}")
}

/// The parameter whose atomic creation gives one process the right to
/// replace the lease whose value was `value` at `version`. Naming the version
/// and a hash of the value makes every takeover a separate claim: a claim
/// left behind blocks only the takeover it named, and only until it goes stale.
pub fn claim_name(lease: &str, value: &str, version: i64) -> String {
    let digest: String = Sha256::digest(value.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{lease}.takeover.{digest}.{version}")
}

/// This process's lease lifetime: `XAPI_LEASE_TTL` (whole seconds) or [`DEFAULT_TTL`].
pub fn configured_ttl() -> Result<Duration> {
    let Ok(raw) = std::env::var("XAPI_LEASE_TTL") else {
        return Ok(DEFAULT_TTL);
    };
    raw.trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
        .filter(|d| (MIN_TTL..=MAX_TTL).contains(d))
        .ok_or_else(|| {
            Error::BadInput(format!(
                "XAPI_LEASE_TTL={raw:?}: expected whole seconds from {} to {}",
                MIN_TTL.as_secs(),
                MAX_TTL.as_secs()
            ))
        })
}

/// Who holds a lease, as stored in the parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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

/// Text another process wrote, made safe to print: no control characters
/// (a record could otherwise move the cursor or rewrite the terminal), bounded length.
fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEXT)
        .collect()
}

/// The parameter's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Record {
    pub holder: Holder,
    /// Unique per acquisition: tells our own lease from anyone else's.
    pub token: String,
    /// When the lease lapses unless renewed, by the writer's own clock
    /// (seconds since the Unix epoch), for people; 0 once released.
    pub expires_at: u64,
    /// The writer's promise to renew at least this often, in seconds.
    #[serde(default = "legacy_ttl")]
    pub ttl_secs: u64,
    /// Stages that do not serve the policy noted, carried from holder to holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
}

fn legacy_ttl() -> u64 {
    LEGACY_TTL_SECS
}

/// Stages that do not serve the policy a failed run wrote. A stage xapi never
/// deployed carries no marker, so without this note a re-run could not tell
/// that it still serves an older policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Pending {
    /// Canonical hash of the policy written.
    pub hash: String,
    pub stages: Vec<String>,
}

impl Pending {
    /// The note to leave after a run: the stages of the note it inherited
    /// (`prior`) and the target stages that do not serve `hash`
    /// (`not_live`), less those that now serve it (`live`). A run that saw no
    /// policy (`hash` unknown) keeps the note it inherited as it was.
    pub fn merged(
        prior: Option<&Pending>,
        hash: Option<&str>,
        not_live: &[String],
        live: &[String],
    ) -> Option<Pending> {
        let Some(hash) = hash else {
            return prior.cloned();
        };
        let mut stages: Vec<String> = prior
            .map(|p| p.stages.clone())
            .unwrap_or_default()
            .into_iter()
            .chain(not_live.iter().cloned())
            .filter(|s| !live.contains(s))
            .collect();
        stages.sort();
        stages.dedup();
        (!stages.is_empty()).then(|| Pending {
            hash: hash.to_owned(),
            stages,
        })
    }
}

/// The note a failed run left, if any (unreadable counts as none).
pub async fn pending(aws: &Aws, api_id: &str) -> Option<Pending> {
    let param = aws.parameter(&parameter_name(api_id)).await.ok()??;
    Record::parse(&param.value)?.pending
}

impl Record {
    /// The record in `value`, its holder's text made printable.
    pub fn parse(value: &str) -> Option<Record> {
        let mut r: Record = serde_json::from_str(value).ok()?;
        r.holder.arn = printable(&r.holder.arn);
        r.holder.host = printable(&r.holder.host);
        Some(r)
    }

    /// Given back by its holder (the value is only a note for the next run).
    pub fn released(&self) -> bool {
        self.expires_at == 0
    }

    /// How long its version must stay unchanged before it counts as abandoned.
    pub fn ttl(&self) -> Duration {
        Duration::from_secs(self.ttl_secs).clamp(Duration::from_secs(1), MAX_TTL)
    }

    /// Seconds until it expires by its holder's clock, never more than a
    /// holder whose clock is [`CLOCK_SKEW`] ahead could mean.
    pub fn expires_in_secs(&self, now: u64) -> u64 {
        self.expires_at
            .saturating_sub(now)
            .min((self.ttl() + CLOCK_SKEW).as_secs())
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
        .map(|h| printable(h.trim()))
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

/// What waiting for the lease may show on a terminal.
pub struct LeaseOptions {
    /// How long to wait for a live holder before giving up (exit 3).
    pub wait: Duration,
    pub progress: bool,
}

/// The account refused the lease calls once; the notice is printed once per process.
static NOTICE_GIVEN: AtomicBool = AtomicBool::new(false);

fn is_access_denied(e: &Error) -> bool {
    matches!(e, Error::Denied { .. })
}

/// A value seen at a version, and since when (by this process's monotonic clock).
#[derive(Debug, Clone)]
struct Sighting {
    version: i64,
    value: String,
    since: Instant,
}

/// Whether `param` has stayed exactly as last seen for `ttl`; remembers it otherwise.
fn unchanged_for(
    seen: &mut Option<Sighting>,
    param: &Parameter,
    ttl: Duration,
    now: Instant,
) -> bool {
    match seen {
        Some(s) if s.version == param.version && s.value == param.value => {
            now.duration_since(s.since) >= ttl
        }
        _ => {
            *seen = Some(Sighting {
                version: param.version,
                value: param.value.clone(),
                since: now,
            });
            false
        }
    }
}

/// What waiting has learned so far.
#[derive(Default)]
struct Waiting {
    first: bool,
    /// The lease as last seen.
    lease: Option<Sighting>,
    /// Another process's takeover claim as last seen.
    claim: Option<Sighting>,
    /// The live holder last seen, for the message when the wait ends.
    holder: Option<Record>,
    /// `PutParameter` is denied: wait for a live holder, then go on without the lease.
    writes_denied: bool,
}

/// One process trying to take one lease.
struct Taking<'a> {
    aws: &'a Aws,
    name: String,
    holder: Holder,
    token: String,
    ttl: Duration,
    /// Every parameter a write of ours may have created or overwritten:
    /// whatever is not handed over as the lease is removed before returning.
    touched: Mutex<Vec<String>>,
}

impl Taking<'_> {
    fn record(&self, pending: Option<Pending>) -> Record {
        Record {
            holder: self.holder.clone(),
            token: self.token.clone(),
            expires_at: unix_now() + self.ttl.as_secs(),
            ttl_secs: self.ttl.as_secs(),
            pending,
        }
    }

    fn touch(&self, name: &str) {
        let mut t = self.touched.lock().unwrap_or_else(|p| p.into_inner());
        if !t.iter().any(|n| n == name) {
            t.push(name.to_owned());
        }
    }

    fn lease(&self, record: Record, version: i64, written: Instant) -> Lease {
        Lease {
            name: self.name.clone(),
            record,
            ttl: self.ttl,
            state: Mutex::new(Holding {
                version,
                unconfirmed: None,
                renewed: written,
                renewed_wall: SystemTime::now()
                    .checked_sub(written.elapsed())
                    .unwrap_or(UNIX_EPOCH),
            }),
        }
    }

    /// Create the lease where there is none.
    async fn create(&self) -> Result<Option<Lease>> {
        let mine = self.record(None);
        self.touch(&self.name);
        let sent = Instant::now();
        let Some(version) = self
            .aws
            .create_parameter(&self.name, &mine.to_value())
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(self.lease(mine, version, sent)))
    }

    /// One look: `Ready(Some)` holding the lease, `Ready(None)` to go on
    /// without it, `Pending` naming who or what is in the way.
    async fn attempt(&self, waiting: &RefCell<Waiting>) -> Result<Poll<Option<Lease>>> {
        let first = std::mem::replace(&mut waiting.borrow_mut().first, false);
        // The lease is usually free: try to create it before reading it.
        if first {
            match self.create().await {
                Ok(Some(lease)) => return Ok(Poll::Ready(Some(lease))),
                Ok(None) => {}
                Err(e) if is_access_denied(&e) => waiting.borrow_mut().writes_denied = true,
                Err(e) => return Err(e),
            }
        }
        let current = match self.aws.parameter(&self.name).await {
            Ok(c) => c,
            Err(e) if is_access_denied(&e) => return Ok(self.without_lease(&e)),
            Err(e) => return Err(e),
        };
        let writes_denied = waiting.borrow().writes_denied;
        let Some(param) = current else {
            if writes_denied {
                return Ok(self.without_lease(&self.denied_put()));
            }
            return match self.create().await {
                Ok(Some(lease)) => Ok(Poll::Ready(Some(lease))),
                Ok(None) => Ok(Poll::Pending("taken by another writer just now".into())),
                Err(e) if is_access_denied(&e) => Ok(self.without_lease(&e)),
                Err(e) => Err(e),
            };
        };
        let record = Record::parse(&param.value);
        if let Some(r) = record.as_ref().filter(|r| r.token == self.token) {
            // Our create landed although its answer was lost.
            return Ok(Poll::Ready(Some(self.lease(
                r.clone(),
                param.version,
                Instant::now(),
            ))));
        }
        let ttl = record
            .as_ref()
            .map_or(Duration::from_secs(LEGACY_TTL_SECS), Record::ttl);
        let replaceable = record.as_ref().is_some_and(Record::released)
            || unchanged_for(&mut waiting.borrow_mut().lease, &param, ttl, Instant::now());
        if !replaceable {
            let state = match &record {
                Some(r) => format!("held by {}", r.holder),
                None => format!("{} holds no xapi lease record", self.name),
            };
            tracing::debug!(state, "write lease held; waiting");
            waiting.borrow_mut().holder = record;
            return Ok(Poll::Pending(state));
        }
        if writes_denied {
            return Ok(self.without_lease(&self.denied_put()));
        }
        match self
            .take_over(waiting, &param, record.and_then(|r| r.pending))
            .await
        {
            Err(e) if is_access_denied(&e) => Ok(self.without_lease(&e)),
            other => other,
        }
    }

    fn denied_put(&self) -> Error {
        Error::Denied {
            operation: "PutParameter",
            resource: self.name.clone(),
            aws_said: "denied earlier in this run".into(),
            action: "ssm:PutParameter".into(),
            identity: self.holder.arn.clone(),
        }
    }

    /// Say once that xapi goes on without the lease.
    fn without_lease(&self, e: &Error) -> Poll<Option<Lease>> {
        if !NOTICE_GIVEN.swap(true, Ordering::SeqCst) {
            output::note(&format!(
                "note: cannot use the write lease {} ({e}); continuing without it: concurrent xapi writers are then kept apart only by re-reading and verifying. Allow ssm:PutParameter, ssm:GetParameter and ssm:DeleteParameter on parameter/xapi/lease/* to serialise them.",
                self.name
            ));
        }
        Poll::Ready(None)
    }

    /// Replace a released or abandoned lease (`param`), carrying over the
    /// note it holds. The right to do so is taken atomically first, as the
    /// claim parameter [`claim_name`]: of several processes that judged the
    /// same version replaceable, one gets it. The claim is deleted whatever
    /// happens; one another process left is removed once it has stayed
    /// unchanged for its own TTL.
    async fn take_over(
        &self,
        waiting: &RefCell<Waiting>,
        param: &Parameter,
        pending: Option<Pending>,
    ) -> Result<Poll<Option<Lease>>> {
        let claim = claim_name(&self.name, &param.value, param.version);
        self.touch(&claim);
        let created = self
            .aws
            .create_parameter(&claim, &self.record(None).to_value())
            .await?;
        if created.is_none() {
            self.judge_claim(waiting, &claim).await?;
            return Ok(Poll::Pending(
                "another xapi process is taking it over".into(),
            ));
        }
        let outcome = self.replace(param, pending).await;
        match self.aws.delete_parameter(&claim).await {
            Ok(()) => self
                .touched
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|n| n != &claim),
            Err(e) => {
                tracing::debug!(error = %e, claim, "deleting the takeover claim failed; retried before returning");
            }
        }
        outcome
    }

    async fn replace(
        &self,
        param: &Parameter,
        pending: Option<Pending>,
    ) -> Result<Poll<Option<Lease>>> {
        let still = self.aws.parameter(&self.name).await?;
        if still.as_ref() != Some(param) {
            return Ok(Poll::Pending("changed while being taken over".into()));
        }
        let mine = self.record(pending);
        self.touch(&self.name);
        let sent = Instant::now();
        Ok(
            match write_next(self.aws, &self.name, &mine, param.version).await? {
                Some(version) => {
                    tracing::debug!(version, "took over a released or abandoned write lease");
                    Poll::Ready(Some(self.lease(mine, version, sent)))
                }
                None => Poll::Pending("another writer wrote it while it was taken over".into()),
            },
        )
    }

    /// Remove a claim that stayed unchanged for its TTL: its maker died or
    /// was interrupted between making and deleting it.
    async fn judge_claim(&self, waiting: &RefCell<Waiting>, claim: &str) -> Result<()> {
        let Some(param) = self.aws.parameter(claim).await? else {
            return Ok(());
        };
        let ttl = Record::parse(&param.value)
            .as_ref()
            .map_or(DEFAULT_TTL, Record::ttl);
        if unchanged_for(&mut waiting.borrow_mut().claim, &param, ttl, Instant::now()) {
            tracing::debug!(claim, "removing a stale takeover claim");
            self.aws.delete_parameter(claim).await?;
            waiting.borrow_mut().claim = None;
        }
        Ok(())
    }

    /// Remove what a write of ours may have left, except `keep`: a claim, or
    /// a lease this process took but does not hand over. A lease that
    /// carries a note is left released with the note.
    async fn clean_up(&self, keep: Option<&str>) {
        let names: Vec<String> = self
            .touched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|n| Some(n.as_str()) != keep)
            .cloned()
            .collect();
        for name in names {
            let result = async {
                let Some(param) = self.aws.parameter(&name).await? else {
                    return Ok(());
                };
                match Record::parse(&param.value).filter(|r| r.token == self.token) {
                    Some(r) if r.pending.is_some() && name == self.name => {
                        let note = Record { expires_at: 0, ..r };
                        write_next(self.aws, &name, &note, param.version)
                            .await
                            .map(|_| ())
                    }
                    Some(_) => self.aws.delete_parameter(&name).await,
                    None => Ok(()),
                }
            }
            .await;
            if let Err(e) = result {
                output::note(&format!(
                    "warning: could not remove {name} ({e}); the next writer removes it once it has stayed unchanged for {}s",
                    self.ttl.as_secs()
                ));
            }
        }
    }
}

/// Overwrite `name` with `record`, counting the write as done only if SSM
/// numbered it `version + 1` (nobody wrote since we read `version`) and
/// reading back still shows it: the version written, else `None`.
async fn write_next(aws: &Aws, name: &str, record: &Record, version: i64) -> Result<Option<i64>> {
    let written = aws.overwrite_parameter(name, &record.to_value()).await?;
    if written != version + 1 {
        return Ok(None);
    }
    let back = aws.parameter(name).await?;
    Ok(back
        .filter(|p| {
            p.version == written && Record::parse(&p.value).is_some_and(|r| r.token == record.token)
        })
        .map(|p| p.version))
}

fn waiting_spinner(message: String) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new_spinner().with_message(message);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        pb.set_style(style);
    }
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Take the lease for `api_id`, waiting up to `options.wait` for a live
/// holder. `Ok(None)` when the caller may not use SSM: then xapi works as it
/// did without a lease (its re-read and verification still apply) and says
/// so once. On any error and on Ctrl-C, every claim and lease this call
/// wrote is removed before it returns.
pub async fn acquire(
    aws: &Aws,
    api_id: &str,
    caller_arn: &str,
    options: &LeaseOptions,
) -> Result<Option<Lease>> {
    let ttl = configured_ttl()?;
    let holder = Holder {
        arn: printable(caller_arn),
        host: host_name(),
        pid: std::process::id(),
    };
    let taking = Taking {
        aws,
        name: parameter_name(api_id),
        token: new_token(&holder),
        holder,
        ttl,
        touched: Mutex::new(Vec::new()),
    };
    let started = Instant::now();
    let waiting = RefCell::new(Waiting {
        first: true,
        ..Waiting::default()
    });
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
    let outcome = interrupt::race(poll_paced(pace, wait, || async {
        let poll = taking.attempt(&waiting).await?;
        if let (Poll::Pending(state), true) = (&poll, options.progress) {
            if spinner.borrow().is_none() && waiting.borrow().holder.is_some() {
                *spinner.borrow_mut() = Some(waiting_spinner(format!(
                    "waiting for the write lease on {api_id}, {state}"
                )));
            }
        }
        Ok(poll)
    }))
    .await;
    if let Some(s) = spinner.into_inner() {
        s.finish_and_clear();
    }
    let keep = outcome
        .as_ref()
        .ok()
        .and_then(Option::as_ref)
        .map(|l| l.name.clone());
    interrupt::finish(|| taking.clean_up(keep.as_deref())).await;
    let waiting = waiting.into_inner();
    match (outcome, waiting.holder, waiting.lease) {
        (Err(Error::Timeout { .. }), Some(record), seen) => Err(Error::LeaseHeld {
            api_id: api_id.to_owned(),
            holder: record.holder.to_string(),
            expires_in_secs: seen.map_or(record.ttl(), |s| {
                record.ttl().saturating_sub(s.since.elapsed())
            })
            .as_secs(),
            waited_secs: started.elapsed().as_secs(),
        }),
        (Err(Error::Interrupted(_)), ..) => Err(Error::Interrupted(format!(
            "nothing was changed on {api_id}; xapi was still waiting for the write lease, and removed what it had written of it"
        ))),
        (outcome, ..) => outcome,
    }
}

/// The lease on an API as `policy show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum LeaseState {
    Free,
    Held {
        holder: Holder,
        /// By the holder's clock, capped at what [`CLOCK_SKEW`] allows.
        expires_in_secs: u64,
    },
    /// Released with a note, or past its expiry by the holder's clock: the
    /// next writer takes it over (after a TTL without renewal, if not released).
    Expired {
        holder: Holder,
        /// Who claimed the right to take it over (`<lease>.takeover.*`): a
        /// takeover under way, or one whose maker was interrupted, which
        /// the next writer removes once it has stood unchanged for its TTL.
        #[serde(skip_serializing_if = "Option::is_none")]
        takeover_claimed_by: Option<Holder>,
    },
    Unreadable {
        error: String,
    },
}

/// Read the lease without taking it; a replaceable one, with the claim on
/// its takeover (one more read, named by the lease's value and version).
pub async fn observe(aws: &Aws, api_id: &str) -> LeaseState {
    let name = parameter_name(api_id);
    match aws.parameter(&name).await {
        Ok(None) => LeaseState::Free,
        Ok(Some(param)) => match Record::parse(&param.value) {
            Some(r) if r.released() || r.expires_in_secs(unix_now()) == 0 => {
                let claim = claim_name(&name, &param.value, param.version);
                LeaseState::Expired {
                    holder: r.holder,
                    takeover_claimed_by: match aws.parameter(&claim).await {
                        Ok(Some(c)) => Record::parse(&c.value).map(|c| c.holder),
                        // A claim that cannot be read is not shown; the lease itself was.
                        Ok(None) | Err(_) => None,
                    },
                }
            }
            Some(r) => LeaseState::Held {
                expires_in_secs: r.expires_in_secs(unix_now()),
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

/// What this process knows of the lease it holds.
#[derive(Debug)]
struct Holding {
    /// The version of our last write known to have landed.
    version: i64,
    /// The version a write whose answer never came would have, had it landed cleanly.
    unconfirmed: Option<i64>,
    /// When our last landed write was sent (monotonic).
    renewed: Instant,
    /// The same moment by the wall clock, which keeps counting while the
    /// machine sleeps (the monotonic clock does not).
    renewed_wall: SystemTime,
}

/// A lease this process holds.
#[derive(Debug)]
pub struct Lease {
    name: String,
    record: Record,
    ttl: Duration,
    state: Mutex<Holding>,
}

impl Lease {
    fn holding(&self) -> std::sync::MutexGuard<'_, Holding> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How much of a TTL must be left for this process to still act as the
    /// holder: a waiter measures the TTL from later than our last write, so
    /// acting inside `ttl - margin` of it is safe with time to spare.
    fn margin(&self) -> Duration {
        self.ttl / 3
    }

    fn lost(&self, why: impl Into<String>) -> Error {
        Error::LeaseLost {
            name: self.name.clone(),
            why: why.into(),
        }
    }

    /// The note the lease inherited from the run before.
    pub fn inherited(&self) -> Option<&Pending> {
        self.record.pending.as_ref()
    }

    /// The lease as it stands, if it is still ours: our token at the version
    /// of our last write (or of a write whose answer never came, which then counts).
    async fn ours(&self, aws: &Aws) -> Result<Option<Parameter>> {
        let Some(param) = aws.parameter(&self.name).await? else {
            return Ok(None);
        };
        if Record::parse(&param.value).is_none_or(|r| r.token != self.record.token) {
            return Ok(None);
        }
        let mut h = self.holding();
        if param.version == h.version {
            return Ok(Some(param));
        }
        if h.unconfirmed == Some(param.version) {
            h.version = param.version;
            h.unconfirmed = None;
            return Ok(Some(param));
        }
        Ok(None)
    }

    /// Whether the lease is known to be ours without reading it: our last
    /// write landed so recently, by both clocks, that no waiter can have seen
    /// its version unchanged for a whole TTL yet (a waiter starts counting
    /// only once it sees that version). Both clocks, because the monotonic one
    /// stops while the machine sleeps and the wall clock can be set back; when
    /// they disagree, or a renewal's answer never came, the lease is read.
    fn surely_ours(&self) -> bool {
        let h = self.holding();
        h.unconfirmed.is_none()
            && h.renewed.elapsed() < self.margin()
            && SystemTime::now()
                .duration_since(h.renewed_wall)
                .is_ok_and(|d| d < self.margin())
    }

    /// Make sure the lease is still ours right before a write: refuse
    /// ([`Error::LeaseLost`]) when it is gone, taken, or was not renewed
    /// recently enough that no waiter could be taking it over now.
    pub async fn check(&self, aws: &Aws) -> Result<()> {
        let since = self.holding().renewed.elapsed();
        if since + self.margin() >= self.ttl {
            return Err(self.lost(format!(
                "it was last renewed {}s ago, too close to its {}s lifetime to write safely (this process stalled)",
                since.as_secs(),
                self.ttl.as_secs()
            )));
        }
        if self.surely_ours() {
            return Ok(());
        }
        match self.ours(aws).await? {
            Some(_) => Ok(()),
            None => Err(self.lost(format!(
                "another writer took it over after this process did not renew it for {}s",
                self.ttl.as_secs()
            ))),
        }
    }

    /// One conditional renewal: `Ok(false)` when the lease is no longer ours.
    async fn renew(&self, aws: &Aws) -> Result<bool> {
        let Some(param) = self.ours(aws).await? else {
            return Ok(false);
        };
        let mine = Record {
            expires_at: unix_now() + self.ttl.as_secs(),
            ..self.record.clone()
        };
        let sent = Instant::now();
        let sent_wall = SystemTime::now();
        self.holding().unconfirmed = Some(param.version + 1);
        let written = write_next(aws, &self.name, &mine, param.version).await?;
        let mut h = self.holding();
        h.unconfirmed = None;
        match written {
            Some(version) => {
                h.version = version;
                h.renewed = sent;
                h.renewed_wall = sent_wall;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Renew the lease a third of its TTL after the last write, until
    /// dropped; returns only when it is lost, or could not be renewed for so
    /// long that a waiter may take it over: the caller must then stop writing.
    pub async fn keep_alive(&self, aws: &Aws) -> Result<std::convert::Infallible> {
        loop {
            let due = self.holding().renewed + self.margin();
            tokio::time::sleep_until(due.into()).await;
            match self.renew(aws).await {
                Ok(true) => {}
                Ok(false) => {
                    return Err(self.lost(format!(
                        "another writer took it over after this process did not renew it for {}s",
                        self.ttl.as_secs()
                    )))
                }
                Err(e) => {
                    let since = self.holding().renewed.elapsed();
                    if since + self.margin() >= self.ttl {
                        return Err(self.lost(format!("renewing it kept failing ({e})")));
                    }
                    tracing::debug!(error = %e, "renewing the write lease failed; trying again");
                    tokio::time::sleep(Duration::from_secs(1).min(self.margin())).await;
                }
            }
        }
    }

    /// Give the lease back, only if it is still ours and not so close to its
    /// TTL that a waiter may be taking it over: delete it, or, when `note`
    /// names stages left not serving the policy, leave it released with that note.
    pub async fn release(&self, aws: &Aws, note: Option<&Pending>) -> Result<()> {
        let version = if self.surely_ours() {
            self.holding().version
        } else {
            match self.ours(aws).await? {
                Some(param) => param.version,
                None => return Ok(()),
            }
        };
        if self.holding().renewed.elapsed() + self.margin() >= self.ttl {
            return Ok(());
        }
        match note {
            None => aws.delete_parameter(&self.name).await,
            Some(p) => {
                let released = Record {
                    expires_at: 0,
                    pending: Some(p.clone()),
                    ..self.record.clone()
                };
                self.holding().unconfirmed = Some(version + 1);
                write_next(aws, &self.name, &released, version)
                    .await
                    .map(|_| ())
            }
        }
    }

    /// [`Lease::release`] that stops within [`interrupt::GRACE`] of Ctrl-C and
    /// says on stderr when it could not give the lease back.
    pub async fn give_back(&self, aws: &Aws, note: Option<&Pending>) {
        let outcome = interrupt::finish(|| self.release(aws, note)).await;
        let problem = match outcome {
            Some(Ok(())) => return,
            Some(Err(e)) => e.to_string(),
            None => "interrupted before SSM answered".to_owned(),
        };
        output::note(&format!(
            "warning: could not release the write lease {} ({problem}); the next writer takes it over once it has stayed unrenewed for {}s",
            self.name,
            self.ttl.as_secs()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            holder: Holder {
                arn: "arn:aws:iam::111111111111:role/ci".into(),
                host: "build-7".into(),
                pid: 42,
            },
            token: "t1".into(),
            expires_at: 1_000,
            ttl_secs: 30,
            pending: None,
        }
    }

    #[test]
    fn a_lease_is_known_ours_without_a_read_only_while_both_clocks_say_it_was_just_written() {
        let held = |renewed: Instant, renewed_wall: SystemTime, unconfirmed: Option<i64>| Lease {
            name: "/xapi/lease/a1".into(),
            record: record(),
            ttl: Duration::from_secs(30),
            state: Mutex::new(Holding {
                version: 3,
                unconfirmed,
                renewed,
                renewed_wall,
            }),
        };
        let (now, wall) = (Instant::now(), SystemTime::now());
        let secs = Duration::from_secs;
        assert!(held(now, wall, None).surely_ours());
        assert!(
            !held(now, wall, Some(4)).surely_ours(),
            "a renewal whose answer never came"
        );
        assert!(
            !held(now, wall - secs(3600), None).surely_ours(),
            "the machine slept an hour: only the wall clock counted it"
        );
        assert!(
            !held(now, wall + secs(60), None).surely_ours(),
            "the wall clock was set back"
        );
        assert!(
            !held(now.checked_sub(secs(10)).unwrap(), wall, None).surely_ours(),
            "a stall of a third of the TTL"
        );
    }

    #[test]
    fn a_record_round_trips() {
        let r = record();
        assert_eq!(Record::parse(&r.to_value()), Some(r.clone()));
        assert!(!r.released());
        assert_eq!(
            r.holder.to_string(),
            "arn:aws:iam::111111111111:role/ci on host build-7 (pid 42)"
        );
        assert_eq!(Record::parse("not a lease"), None);
        assert_ne!(new_token(&r.holder), "");
        assert_eq!(parameter_name("a1b2c3d4e5"), "/xapi/lease/a1b2c3d4e5");
    }

    #[test]
    fn a_record_given_back_with_a_note_is_released_and_a_held_one_is_not() {
        let given_back = Record {
            expires_at: 0,
            pending: Some(Pending {
                hash: "ab".repeat(32),
                stages: vec!["prod".into()],
            }),
            ..record()
        };
        assert!(given_back.released(), "the next writer takes it at once");
        assert!(!record().released(), "a live holder's record is waited for");
        assert_eq!(given_back.expires_in_secs(unix_now()), 0);
    }

    #[test]
    fn a_record_of_an_older_xapi_promises_the_old_ttl() {
        let old = r#"{"holder":{"arn":"a","host":"h","pid":1},"token":"t","expires_at":5}"#;
        assert_eq!(
            Record::parse(old).unwrap().ttl(),
            Duration::from_secs(LEGACY_TTL_SECS)
        );
    }

    #[test]
    fn a_holder_s_text_is_printed_without_control_characters() {
        let mut r = record();
        r.holder.arn = "arn:aws:iam::1:role/x\u{1b}[2J\u{1b}]0;pwned\u{7}".into();
        r.holder.host = "evil\r\nxapi: all good\u{0}".into();
        let shown = Record::parse(&r.to_value()).unwrap().holder.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.starts_with("arn:aws:iam::1:role/x[2J]0;pwned on host evilxapi: all good"));
        r.holder.host = "h".repeat(10_000);
        assert_eq!(
            Record::parse(&r.to_value()).unwrap().holder.host.len(),
            MAX_TEXT
        );
    }

    #[test]
    fn an_expiry_far_ahead_is_capped_and_a_lifetime_is_bounded() {
        let mut r = record();
        r.expires_at = 10_000_000;
        assert_eq!(r.expires_in_secs(1_000), 30 + CLOCK_SKEW.as_secs());
        r.expires_at = 1_010;
        assert_eq!(r.expires_in_secs(1_000), 10);
        assert_eq!(r.expires_in_secs(2_000), 0);
        r.ttl_secs = u64::MAX;
        assert_eq!(r.ttl(), MAX_TTL);
        r.ttl_secs = 0;
        assert_eq!(r.ttl(), Duration::from_secs(1));
    }

    #[test]
    fn a_claim_names_the_version_and_the_value() {
        let a = claim_name("/xapi/lease/x", "v", 1);
        assert!(a.starts_with("/xapi/lease/x.takeover."), "{a}");
        assert!(a.ends_with(".1"), "{a}");
        assert_ne!(a, claim_name("/xapi/lease/x", "v", 2));
        assert_ne!(a, claim_name("/xapi/lease/x", "w", 1));
        // SSM parameter names allow letters, digits, `.`, `-`, `_` and `/`.
        let odd = claim_name("/xapi/lease/x", "\u{1b}{\"token\":\"a b\"}", 3);
        assert!(odd
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c)));
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_note_keeps_every_stage_not_yet_serving_the_policy() {
        let prior = Pending {
            hash: "h1".into(),
            stages: names(&["prod"]),
        };
        // A re-run that only redeployed `beta`: `prod` is still not live.
        assert_eq!(
            Pending::merged(Some(&prior), Some("h1"), &[], &names(&["beta"])),
            Some(prior.clone())
        );
        // A re-run whose redeploy of `prod` failed again.
        assert_eq!(
            Pending::merged(Some(&prior), Some("h1"), &names(&["prod"]), &[]),
            Some(prior.clone())
        );
        // A new policy: the old note's stages serve neither.
        assert_eq!(
            Pending::merged(Some(&prior), Some("h2"), &names(&["beta"]), &[]),
            Some(Pending {
                hash: "h2".into(),
                stages: names(&["beta", "prod"])
            })
        );
        // Nothing read: the note stays as it was.
        assert_eq!(
            Pending::merged(Some(&prior), None, &[], &[]),
            Some(prior.clone())
        );
        // Once every stage serves it, no note.
        assert_eq!(
            Pending::merged(Some(&prior), Some("h1"), &[], &names(&["prod"])),
            None
        );
        assert_eq!(Pending::merged(None, Some("h1"), &[], &[]), None);
    }

    #[test]
    fn a_value_counts_as_abandoned_only_after_staying_the_same_for_the_ttl() {
        let p = |version: i64, value: &str| Parameter {
            version,
            value: value.into(),
        };
        let mut seen = None;
        let ttl = Duration::from_secs(30);
        let t0 = Instant::now();
        let at = |secs: u64| t0 + Duration::from_secs(secs);
        assert!(
            !unchanged_for(&mut seen, &p(1, "a"), ttl, at(0)),
            "first sighting"
        );
        assert!(
            !unchanged_for(&mut seen, &p(1, "a"), ttl, at(29)),
            "too soon"
        );
        // A renewal (new version) starts the count again, whatever its clock says.
        assert!(!unchanged_for(&mut seen, &p(2, "a"), ttl, at(31)));
        assert!(!unchanged_for(&mut seen, &p(2, "a"), ttl, at(60)));
        assert!(unchanged_for(&mut seen, &p(2, "a"), ttl, at(61)));
        // Deleted and created again: version 1 with another value is new.
        assert!(!unchanged_for(&mut seen, &p(1, "b"), ttl, at(200)));
        assert!(unchanged_for(&mut seen, &p(1, "b"), ttl, at(230)));
    }

    #[test]
    fn xapi_lease_ttl_is_whole_seconds_in_bounds() {
        // One test owns the variable: tests run on threads of one process.
        std::env::set_var("XAPI_LEASE_TTL", "5");
        assert_eq!(configured_ttl().unwrap(), Duration::from_secs(5));
        for bad in ["1", "601", "5s", ""] {
            std::env::set_var("XAPI_LEASE_TTL", bad);
            let err = configured_ttl().unwrap_err();
            assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
            assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
        }
        std::env::remove_var("XAPI_LEASE_TTL");
        assert_eq!(configured_ttl().unwrap(), DEFAULT_TTL);
    }
}
