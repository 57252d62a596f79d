//! The one wait loop: poll a resource AWS finishes in the background until it
//! settles or a deadline passes. Every `--*-timeout`/`--wait-timeout` ends up here.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;

/// How often to ask again: AWS's own waiters poll at seconds, not faster.
pub const INTERVAL: Duration = Duration::from_secs(2);

/// What one look at the resource found.
pub enum Poll<T> {
    /// Settled as wanted (or as far as waiting can take it).
    Ready(T),
    /// Still on its way; the text is the state it is in, for the timeout message.
    Pending(String),
}

/// What to say while waiting and when the deadline passes.
pub struct Wait<'a> {
    /// What is awaited, e.g. `load balancer x to become active`.
    pub what: String,
    pub timeout: Duration,
    /// What to do after a timeout, e.g. `re-run: what exists is reused`.
    pub hint: String,
    /// Shows a spinner on a terminal; `None` waits silently.
    pub ctx: Option<&'a Context>,
}

/// How long to pause between looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// The same pause every time.
    Every(Duration),
    /// `first`, doubling up to `max`: for what is usually free again within
    /// moments (a write lease), where a fixed pause of seconds would be slow.
    Backoff { first: Duration, max: Duration },
}

impl Pace {
    /// The pause after the `n`th look that found the resource pending (from 0).
    fn pause(self, n: u32) -> Duration {
        match self {
            Pace::Every(d) => d,
            Pace::Backoff { first, max } => first
                .checked_mul(2u32.saturating_pow(n))
                .map_or(max, |d| d.min(max)),
        }
    }
}

/// AWS RAM settles an association or an accepted share within seconds.
pub const RAM_PACE: Pace = Pace::Backoff {
    first: Duration::from_millis(250),
    max: INTERVAL,
};

/// Poll `look` every [`INTERVAL`] (never past the deadline) until it returns
/// `Ready` or an error; after `timeout`, [`Error::Timeout`] naming the last state.
/// The first look happens at once, so a resource that is already settled costs one call.
pub async fn poll_until<T, F, Fut>(wait: Wait<'_>, look: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>>>,
{
    poll_paced(Pace::Every(INTERVAL), wait, look).await
}

/// [`poll_until`] with pauses of its own pace.
pub async fn poll_paced<T, F, Fut>(pace: Pace, wait: Wait<'_>, mut look: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>>>,
{
    let spinner = wait
        .ctx
        .and_then(|ctx| output::spinner(ctx, format!("waiting for {}", wait.what)));
    let started = Instant::now();
    let mut pending = 0;
    let result = loop {
        let state = match look().await {
            Ok(Poll::Ready(v)) => break Ok(v),
            Ok(Poll::Pending(state)) => state,
            Err(e) => break Err(e),
        };
        let left = wait.timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            break Err(Error::Timeout {
                what: format!("{} (last state: {state})", wait.what),
                after_secs: wait.timeout.as_secs(),
                hint: wait.hint,
            });
        }
        tokio::time::sleep(pace.pause(pending).min(left)).await;
        pending += 1;
    };
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    result
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn wait(timeout: Duration) -> Wait<'static> {
        Wait {
            what: "thing t to settle".into(),
            timeout,
            hint: "re-run later".into(),
            ctx: None,
        }
    }

    #[tokio::test]
    async fn a_settled_resource_costs_one_look_and_no_sleep() {
        let looks = Cell::new(0);
        let started = Instant::now();
        let v = poll_paced(
            Pace::Every(Duration::from_secs(60)),
            wait(Duration::from_secs(60)),
            || {
                looks.set(looks.get() + 1);
                async { Ok(Poll::Ready(7)) }
            },
        )
        .await
        .unwrap();
        assert_eq!((v, looks.get()), (7, 1));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn looks_again_until_ready() {
        let looks = Cell::new(0);
        let v = poll_paced(
            Pace::Every(Duration::ZERO),
            wait(Duration::from_secs(60)),
            || {
                looks.set(looks.get() + 1);
                let n = looks.get();
                async move {
                    Ok(if n < 3 {
                        Poll::Pending(format!("pending {n}"))
                    } else {
                        Poll::Ready(n)
                    })
                }
            },
        )
        .await
        .unwrap();
        assert_eq!(v, 3);
    }

    #[tokio::test]
    async fn a_deadline_is_a_timeout_naming_the_last_state_and_the_hint() {
        let err = poll_paced(
            Pace::Every(Duration::from_millis(5)),
            wait(Duration::from_millis(30)),
            || async { Ok::<Poll<()>, Error>(Poll::Pending("provisioning".into())) },
        )
        .await
        .unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.exit_code(), crate::error::exit::AWS);
        assert!(
            msg.contains("thing t to settle (last state: provisioning)"),
            "{msg}"
        );
        assert!(msg.contains("re-run later"), "{msg}");
    }

    #[test]
    fn a_backoff_doubles_up_to_its_cap() {
        let ms = Duration::from_millis;
        let pace = Pace::Backoff {
            first: ms(50),
            max: ms(1000),
        };
        let pauses: Vec<Duration> = (0..7).map(|n| pace.pause(n)).collect();
        assert_eq!(
            pauses,
            [
                ms(50),
                ms(100),
                ms(200),
                ms(400),
                ms(800),
                ms(1000),
                ms(1000)
            ]
        );
        assert_eq!(pace.pause(u32::MAX), ms(1000), "no overflow");
        assert_eq!(Pace::Every(ms(7)).pause(9), ms(7));
    }

    #[tokio::test]
    async fn a_backoff_looks_again_quickly_and_still_ends_at_the_deadline() {
        let looks = Cell::new(0);
        let started = Instant::now();
        let pace = Pace::Backoff {
            first: Duration::from_millis(1),
            max: Duration::from_millis(8),
        };
        let err = poll_paced(pace, wait(Duration::from_secs(1)), || {
            looks.set(looks.get() + 1);
            async { Ok::<Poll<()>, Error>(Poll::Pending("held".into())) }
        })
        .await
        .unwrap_err();
        assert!(err.to_string().contains("(last state: held)"), "{err}");
        assert!(started.elapsed() >= Duration::from_secs(1));
        // The pauses themselves are pinned by `a_backoff_doubles_up_to_its_cap`;
        // this only shows the loop uses them: at the fixed INTERVAL (2 s) it
        // would look twice in a second. The bound leaves room for a loaded
        // machine, whose timers fire late (about 125 looks when idle).
        assert!(
            looks.get() >= 5,
            "pauses of at most 8ms over 1s: {} looks",
            looks.get()
        );
    }

    #[tokio::test]
    async fn an_error_ends_the_wait_at_once() {
        let looks = Cell::new(0);
        let err = poll_paced(
            Pace::Every(Duration::ZERO),
            wait(Duration::from_secs(60)),
            || {
                looks.set(looks.get() + 1);
                async { Err::<Poll<()>, _>(Error::BadInput("gone".into())) }
            },
        )
        .await
        .unwrap_err();
        assert_eq!((err.to_string(), looks.get()), ("gone".to_owned(), 1));
    }
}
