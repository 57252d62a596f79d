//! How many attempts the SDK makes per call: xapi's default, and the number the
//! clients were built with, which a throttling error reports. Its own module so
//! that `config` (which sets it) and `error` (which reports it) both read down.

use std::sync::atomic::{AtomicU32, Ordering};

use aws_smithy_types::retry::RetryMode;

/// API Gateway, EC2 and ELB throttle hard (API Gateway allows a handful of
/// writes per second per account), so xapi retries more than the SDK's 3
/// attempts, with exponential backoff and jitter. Not adaptive: its client-side
/// rate limiter drops a process to 0.5 requests/s after one throttling answer and a
/// short-lived command never earns the rate back; 30 concurrent grants under 15%
/// throttling took 52 s in standard mode and had not finished after 15 minutes in
/// adaptive mode, because the slowed process held the write lease. (`audit`, one
/// long scan per account, does use adaptive mode.)
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
pub const DEFAULT_RETRY_MODE: RetryMode = RetryMode::Standard;

/// The SDK's attempts per call, as configured; a throttling error says how many were spent.
static MAX_ATTEMPTS: AtomicU32 = AtomicU32::new(DEFAULT_MAX_ATTEMPTS);

/// Record the attempts per call the SDK clients were built with.
pub(crate) fn record_max_attempts(attempts: u32) {
    MAX_ATTEMPTS.store(attempts, Ordering::Relaxed);
}

/// The attempts per call last recorded.
pub(crate) fn max_attempts() -> u32 {
    MAX_ATTEMPTS.load(Ordering::Relaxed)
}
