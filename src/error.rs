//! Domain errors and the exit codes they map to.
//!
//! Every variant says what failed, on which resource, and what to do next;
//! `main` prints the Display form on one line and exits with [`Error::exit_code`].

/// Documented exit codes (README "Exit codes", `xapi --help`).
pub mod exit {
    pub const OK: u8 = 0;
    /// A diagnosis found at least one failing check, or could not read what it
    /// was asked about (doctor: a resource the command line names; audit: every
    /// account; `mtls show`: a deployed CRL is missing, lapsed or unreadable).
    pub const CHECK_FAILED: u8 = 1;
    /// Bad input: usage, malformed id, resource not found, wrong kind of resource.
    pub const BAD_INPUT: u8 = 2;
    /// AWS refused or failed: credentials, throttling past retries, service errors, timeouts.
    pub const AWS: u8 = 3;
    /// A write went through but its result could not be verified afterwards.
    pub const UNVERIFIED: u8 = 4;
    /// revoke removed every grant that names the endpoint, but a statement that does not
    /// name it still admits it from any VPC (the report says which and where); or
    /// `mtls allow --revoke` removed the account's principals but a `*` still admits it.
    pub const STILL_ADMITTED: u8 = 5;
    /// A local file or directory could not be read or written (`--snapshot-out`,
    /// `--out`, backups, stdout): the message names the path and the OS error.
    pub const LOCAL_IO: u8 = 6;
    /// A bug in xapi: an invariant it relies on broke (sysexits' EX_SOFTWARE).
    pub const INTERNAL: u8 = 70;
    /// Interrupted (Ctrl-C) while taking, holding or releasing the write lease; what was held was given back.
    pub const INTERRUPTED: u8 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadInput(String),

    #[error("{resource} not found in this account and region{detail}")]
    NotFound { resource: String, detail: String },

    #[error("{operation} on {resource} failed: {code}: {message}")]
    Aws {
        operation: &'static str,
        resource: String,
        code: String,
        message: String,
    },

    /// AWS refused the call for lack of permission (AccessDenied, UnauthorizedOperation...).
    #[error("{operation} on {resource} was denied: allow {action} for {identity} and re-run; AWS said {aws_said}")]
    Denied {
        operation: &'static str,
        resource: String,
        /// AWS's code and message, e.g. `AccessDeniedException: ...`.
        aws_said: String,
        /// The IAM action to allow, e.g. `ec2:DescribeVpcEndpoints` or `apigateway:PATCH`.
        action: String,
        /// The caller's ARN when AWS named it, else a pointer to find it out.
        identity: String,
    },

    /// AWS kept throttling the call (Throttling, TooManyRequests...) through every retry.
    #[error("{operation} on {resource} was throttled by AWS ({code}) on all {attempts} attempts: try again later, or allow more retries with AWS_MAX_ATTEMPTS (now {attempts}); AWS said: {message}")]
    Throttled {
        operation: &'static str,
        resource: String,
        code: String,
        message: String,
        attempts: u32,
    },

    #[error("no AWS credentials: {0}; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or pass --profile")]
    NoCredentials(String),

    #[error("timed out after {after_secs}s waiting for {what}; {hint}")]
    Timeout {
        what: String,
        after_secs: u64,
        hint: String,
    },

    #[error("{0}")]
    Unverified(String),

    /// A diagnosis or audit that read none of what it was asked about: its
    /// report is printed, but an empty verdict must never pass for a clean one.
    #[error("{0}")]
    NothingRead(String),

    /// `expires_in_secs`: when it is taken over if its holder stops renewing it now.
    #[error("the write lease on {api_id} is held by {holder}, who keeps renewing it (taken over {expires_in_secs}s after it stops); gave up after waiting {waited_secs}s: re-run when it is done, or wait longer with --lease-wait")]
    LeaseHeld {
        api_id: String,
        holder: String,
        expires_in_secs: u64,
        waited_secs: u64,
    },

    /// This process stopped holding the write lease it took (it stalled past
    /// the lease's lifetime and another writer took it over): it wrote nothing after that.
    #[error("lost the write lease {name}: {why}; this process wrote nothing after losing it: re-run the same command")]
    LeaseLost { name: String, why: String },

    /// A failure after something was already written: says what is live and what is not.
    #[error("{cause}; {state}")]
    AfterWrite { cause: Box<Error>, state: String },

    #[error("interrupted: {0}")]
    Interrupted(String),

    /// Something xapi relies on that no input or AWS answer can break, broke.
    #[error("internal error while {what}: {cause}; this is a bug in xapi: please report it with the command line (nothing after this point was changed)")]
    Internal { what: String, cause: String },

    #[error("{what}: {source}; check the path and its permissions, then re-run")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::BadInput(_) | Error::NotFound { .. } => exit::BAD_INPUT,
            Error::Aws { .. }
            | Error::Denied { .. }
            | Error::Throttled { .. }
            | Error::NoCredentials(_)
            | Error::Timeout { .. }
            | Error::LeaseHeld { .. }
            | Error::LeaseLost { .. } => exit::AWS,
            Error::Io { .. } => exit::LOCAL_IO,
            Error::Internal { .. } => exit::INTERNAL,
            Error::NothingRead(_) => exit::CHECK_FAILED,
            Error::Unverified(_) => exit::UNVERIFIED,
            Error::AfterWrite { cause, .. } => cause.exit_code(),
            Error::Interrupted(_) => exit::INTERRUPTED,
        }
    }

    /// [`Error::Internal`] from any displayable cause.
    pub fn internal(what: impl Into<String>, cause: impl std::fmt::Display) -> Self {
        Error::Internal {
            what: what.into(),
            cause: cause.to_string(),
        }
    }

    pub fn not_found(resource: impl Into<String>, detail: impl AsRef<str>) -> Self {
        let detail = detail.as_ref();
        Error::NotFound {
            resource: resource.into(),
            detail: if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_invariant_is_exit_70_and_asks_for_a_report_not_a_permission_fix() {
        let e = Error::internal("scheduling an AWS read", "semaphore closed");
        assert_eq!(e.exit_code(), exit::INTERNAL);
        let msg = e.to_string();
        assert!(
            msg.contains("scheduling an AWS read: semaphore closed"),
            "{msg}"
        );
        assert!(
            msg.contains("bug in xapi") && !msg.contains("permissions"),
            "{msg}"
        );
        let io = Error::Io {
            what: "writing out.json".into(),
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(io.exit_code(), exit::LOCAL_IO);
    }
}
