//! Ctrl-C while xapi holds something it must give back (the write lease, a
//! takeover claim).
//!
//! Outside a [`Guard`], Ctrl-C ends the process at once with exit 130, as if
//! xapi installed no handler. Inside one, it only raises a flag: each step
//! that can wait (taking the lease, writing, verifying, releasing) watches
//! it, stops, gives back what it holds within [`GRACE`] and exits 130. A
//! second Ctrl-C ends the process at once.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::watch;

/// How long giving back what is held may take after Ctrl-C: the command
/// stops within about this long, whatever AWS does.
pub const GRACE: Duration = Duration::from_millis(1500);

/// Sections that handle Ctrl-C themselves.
static GUARDS: AtomicUsize = AtomicUsize::new(0);
static PRESSED: OnceLock<watch::Receiver<bool>> = OnceLock::new();

/// While alive, Ctrl-C raises the flag instead of ending the process.
pub struct Guard(());

impl Drop for Guard {
    fn drop(&mut self) {
        GUARDS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Handle Ctrl-C from now on; must be called inside the runtime.
pub fn guard() -> Guard {
    listen();
    GUARDS.fetch_add(1, Ordering::SeqCst);
    Guard(())
}

fn listen() -> &'static watch::Receiver<bool> {
    PRESSED.get_or_init(|| {
        let (tx, rx) = watch::channel(false);
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if GUARDS.load(Ordering::SeqCst) == 0 || *tx.borrow() {
                    eprintln!("xapi: interrupted");
                    std::process::exit(i32::from(crate::error::exit::INTERRUPTED));
                }
                tx.send_replace(true);
            }
        });
        rx
    })
}

/// Whether Ctrl-C was pressed inside a guard.
pub fn pressed() -> bool {
    PRESSED.get().is_some_and(|rx| *rx.borrow())
}

/// Resolves once Ctrl-C is pressed inside a guard (at once if it already was).
pub async fn wait() {
    let mut rx = listen().clone();
    if rx.wait_for(|p| *p).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// `work` unless Ctrl-C comes first: then [`crate::error::Error::Interrupted`]
/// with an empty message, for the caller to say what was and was not done.
pub async fn race<T>(
    work: impl Future<Output = crate::error::Result<T>>,
) -> crate::error::Result<T> {
    tokio::select! {
        biased;
        r = work => r,
        () = wait() => Err(crate::error::Error::Interrupted(String::new())),
    }
}

/// Give something back: run `work()` to its end; if Ctrl-C comes first (or
/// came already), drop that attempt, whose call may hang, and make a fresh
/// one that may take at most [`GRACE`]. `None` when even that did not finish.
pub async fn finish<T, F, Fut>(mut work: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    if !pressed() {
        tokio::select! {
            biased;
            r = work() => return Some(r),
            () = wait() => {}
        }
    }
    tokio::time::timeout(GRACE, work()).await.ok()
}
