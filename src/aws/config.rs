//! Building one `SdkConfig` per account: region, credentials, endpoint, TLS,
//! timeouts and retries.

use std::borrow::Cow;
use std::time::Duration;

use aws_config::meta::region::ProvideRegion;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_smithy_types::timeout::TimeoutConfig;

use super::assume::{AssumedRole, AssumedRoleCredentials};
use super::retry::{record_max_attempts, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE};
use crate::error::{Error, Result};
use crate::region;

/// Whose credentials a side of the command uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Identity {
    pub profile: Option<String>,
    pub role_arn: Option<String>,
}

/// The one HTTP client every SDK client shares. The SDK's default client is
/// compiled out (it pulls a C crypto build), so this must be set explicitly
/// or loading the config panics.
///
/// Only HTTPS needs the system's certificate store, and loading it costs
/// about 9 ms of every command (measured: `whoami` 25 ms -> 16 ms): when
/// every request goes to an `http://` endpoint (a local emulator), it is not
/// loaded.
pub fn http_client(endpoint_flag: Option<&str>) -> SharedHttpClient {
    let https = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring));
    let service_endpoints = std::env::vars_os().any(|(k, _)| {
        k.to_str()
            .is_some_and(|k| k.starts_with("AWS_ENDPOINT_URL_"))
    });
    let env = |name: &str| std::env::var(name).ok();
    if !service_endpoints && plain_http_only(endpoint_flag, env) {
        let no_roots = tls::TlsContext::builder()
            .with_trust_store(tls::TrustStore::empty())
            .build();
        if let Ok(context) = no_roots {
            return https.tls_context(context).build_https();
        }
    }
    https.build_https()
}

/// Every request goes over plain HTTP: `--endpoint-url`, else
/// `AWS_ENDPOINT_URL` (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` turns
/// configured endpoints off), is an `http://` URL. A service-specific
/// endpoint (`AWS_ENDPOINT_URL_<SERVICE>`) is the caller's to rule out.
fn plain_http_only(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> bool {
    let configured = || {
        let ignored = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        env("AWS_ENDPOINT_URL").filter(|_| !ignored)
    };
    flag.map(str::to_owned)
        .or_else(configured)
        .is_some_and(|url| {
            url.get(..7)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
        })
}

/// Region from the flag, then `AWS_REGION`/`AWS_DEFAULT_REGION`, then the
/// profile. Never from instance metadata and never a default: a wrong guess
/// would silently point the command at another region's resources.
pub async fn resolve_region(flag: Option<&str>, profile: Option<&str>) -> Result<String> {
    let found = match flag {
        Some(r) => Some(r.to_owned()),
        None => {
            let env = aws_config::environment::region::EnvironmentVariableRegionProvider::new();
            match env.region().await {
                Some(r) => Some(r.to_string()),
                None => {
                    let mut builder = aws_config::profile::ProfileFileRegionProvider::builder();
                    if let Some(p) = profile {
                        builder = builder.profile_name(p);
                    }
                    builder.build().region().await.map(|r| r.to_string())
                }
            }
        }
    };
    let Some(region) = found else {
        return Err(Error::BadInput(
            "no region: pass --region, set AWS_REGION, or set region in the profile".into(),
        ));
    };
    if region::partition(&region).is_none() {
        return Err(Error::BadInput(format!(
            "unknown region '{region}': pass a region such as us-east-1 or eu-west-1"
        )));
    }
    Ok(region)
}

/// One account's SDK config, and the role it assumed (`--role-arn`), which
/// knows who the credentials are without asking STS.
pub struct Loaded {
    pub config: SdkConfig,
    pub assumed: Option<std::sync::Arc<AssumedRole>>,
}

pub async fn load(
    identity: &Identity,
    region: &str,
    endpoint_url: Option<&str>,
    http: SharedHttpClient,
    timeouts: &Timeouts,
) -> Result<Loaded> {
    let retry = retry_config(identity.profile.as_deref()).await?;
    record_max_attempts(retry.max_attempts());
    tracing::debug!(mode = ?retry.mode(), max_attempts = retry.max_attempts(), ?timeouts, "SDK retries and timeouts");
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new(region.to_owned()))
        .timeout_config(timeouts.config())
        .retry_config(retry);
    if let Some(profile) = &identity.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let base = loader.load().await;
    if base.credentials_provider().is_none() {
        return Err(Error::NoCredentials(
            "no credential provider is configured".into(),
        ));
    }
    let Some(role_arn) = &identity.role_arn else {
        return Ok(Loaded {
            config: base,
            assumed: None,
        });
    };
    let assumed = AssumedRole::new(&base, role_arn, "xapi");
    Ok(Loaded {
        config: base
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(AssumedRoleCredentials(
                assumed.clone(),
            )))
            .build(),
        assumed: Some(assumed),
    })
}

/// Per-attempt limits; `--connect-timeout` and `--read-timeout` change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing the TCP and TLS connection.
    pub connect: Duration,
    /// From sending a request to the first byte of the answer.
    pub read: Duration,
}

impl Timeouts {
    /// One attempt may take a connect plus a read; the whole operation, with
    /// its retries and back-off, is capped so a call never hangs a command.
    pub fn config(&self) -> TimeoutConfig {
        let attempt = self.connect + self.read;
        TimeoutConfig::builder()
            .connect_timeout(self.connect)
            .read_timeout(self.read)
            .operation_attempt_timeout(attempt)
            .operation_timeout((attempt * 4).max(Duration::from_secs(120)))
            .build()
    }
}

/// The retry settings for a profile: `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`,
/// then the profile's `max_attempts` / `retry_mode`, then xapi's defaults.
async fn retry_config(profile: Option<&str>) -> Result<RetryConfig> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let fs = aws_types::os_shim_internal::Fs::real();
    let os_env = aws_types::os_shim_internal::Env::real();
    let files = aws_runtime::env_config::file::EnvConfigFiles::default();
    let selected = profile.map(|p| Cow::Owned(p.to_owned()));
    // An unreadable profile file is reported by the credential chain with
    // its own message; here it only means "no retry settings in the profile".
    let profiles = aws_config::profile::load(&fs, &os_env, &files, selected)
        .await
        .ok();
    let from_profile = |k: &str| profiles.as_ref().and_then(|p| p.get(k)).map(str::to_owned);
    resolve_retry(RetrySources {
        env_max_attempts: env("AWS_MAX_ATTEMPTS"),
        env_retry_mode: env("AWS_RETRY_MODE"),
        profile_max_attempts: from_profile("max_attempts"),
        profile_retry_mode: from_profile("retry_mode"),
    })
}

/// Where retry settings can come from, as the user wrote them.
#[derive(Debug, Default, Clone)]
pub struct RetrySources {
    pub env_max_attempts: Option<String>,
    pub env_retry_mode: Option<String>,
    pub profile_max_attempts: Option<String>,
    pub profile_retry_mode: Option<String>,
}

/// Each field on its own (as the AWS SDKs do): the environment wins over the
/// profile, and only a field nobody set gets xapi's default.
pub fn resolve_retry(src: RetrySources) -> Result<RetryConfig> {
    let attempts = match (src.env_max_attempts, src.profile_max_attempts) {
        (Some(v), _) => parse_attempts(&v, "AWS_MAX_ATTEMPTS")?,
        (None, Some(v)) => parse_attempts(&v, "max_attempts in the profile")?,
        (None, None) => DEFAULT_MAX_ATTEMPTS,
    };
    let mode = match (src.env_retry_mode, src.profile_retry_mode) {
        (Some(v), _) => parse_mode(&v, "AWS_RETRY_MODE")?,
        (None, Some(v)) => parse_mode(&v, "retry_mode in the profile")?,
        (None, None) => DEFAULT_RETRY_MODE,
    };
    let base = match mode {
        RetryMode::Adaptive => RetryConfig::adaptive(),
        _ => RetryConfig::standard(),
    };
    Ok(base.with_max_attempts(attempts))
}

fn parse_attempts(value: &str, source: &str) -> Result<u32> {
    match value.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Error::BadInput(format!(
            "{source}='{value}' is not a number of attempts: use a whole number of at least 1"
        ))),
    }
}

/// The AWS CLI also knows `legacy`, which a shared profile may carry; the
/// nearest mode the Rust SDK has is `standard`.
fn parse_mode(value: &str, source: &str) -> Result<RetryMode> {
    if value.trim().eq_ignore_ascii_case("legacy") {
        return Ok(RetryMode::Standard);
    }
    value.parse::<RetryMode>().map_err(|_| {
        Error::BadInput(format!(
            "{source}='{value}' is not a retry mode: use standard or adaptive"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_http_endpoint_skips_the_certificate_store() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let none = env(&[]);
        assert!(plain_http_only(Some("http://127.0.0.1:5000"), none));
        assert!(plain_http_only(Some("HTTP://localhost:4566"), none));
        assert!(!plain_http_only(
            Some("https://apigateway.us-east-1.amazonaws.com"),
            none
        ));
        assert!(!plain_http_only(Some("http"), none));
        assert!(!plain_http_only(None, none));
        let emulator = env(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")]);
        assert!(plain_http_only(None, emulator));
        assert!(
            !plain_http_only(Some("https://sts.amazonaws.com"), emulator),
            "the flag wins"
        );
        let ignored = env(&[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert!(!plain_http_only(None, ignored), "real AWS over https");
        assert!(plain_http_only(Some("http://127.0.0.1:5000"), ignored));
    }

    fn some(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    #[test]
    fn defaults_are_standard_with_more_attempts() {
        let c = resolve_retry(RetrySources::default()).unwrap();
        assert_eq!(c.mode(), RetryMode::Standard);
        assert_eq!(c.max_attempts(), DEFAULT_MAX_ATTEMPTS);
    }

    #[test]
    fn the_environment_wins_over_the_profile_field_by_field() {
        let c = resolve_retry(RetrySources {
            env_max_attempts: some("2"),
            profile_max_attempts: some("5"),
            profile_retry_mode: some("standard"),
            ..RetrySources::default()
        })
        .unwrap();
        assert_eq!((c.max_attempts(), c.mode()), (2, RetryMode::Standard));

        let c = resolve_retry(RetrySources {
            env_retry_mode: some("standard"),
            ..RetrySources::default()
        })
        .unwrap();
        assert_eq!(
            (c.max_attempts(), c.mode()),
            (DEFAULT_MAX_ATTEMPTS, RetryMode::Standard),
            "setting only the mode keeps xapi's attempt count"
        );

        let c = resolve_retry(RetrySources {
            profile_max_attempts: some("1"),
            env_retry_mode: some("Adaptive"),
            ..RetrySources::default()
        })
        .unwrap();
        assert_eq!((c.max_attempts(), c.mode()), (1, RetryMode::Adaptive));

        let c = resolve_retry(RetrySources {
            profile_retry_mode: some("legacy"),
            ..RetrySources::default()
        })
        .unwrap();
        assert_eq!(c.mode(), RetryMode::Standard, "the AWS CLI's legacy mode");
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        for (src, named) in [
            (
                RetrySources {
                    env_max_attempts: some("0"),
                    ..RetrySources::default()
                },
                "AWS_MAX_ATTEMPTS='0'",
            ),
            (
                RetrySources {
                    profile_max_attempts: some("many"),
                    ..RetrySources::default()
                },
                "max_attempts in the profile='many'",
            ),
            (
                RetrySources {
                    env_retry_mode: some("fast"),
                    ..RetrySources::default()
                },
                "AWS_RETRY_MODE='fast'",
            ),
        ] {
            let e = resolve_retry(src).unwrap_err();
            assert_eq!(e.exit_code(), crate::error::exit::BAD_INPUT);
            assert!(e.to_string().contains(named), "{e}");
        }
    }

    #[test]
    fn an_attempt_is_bounded_and_the_operation_outlives_its_retries() {
        let t = Timeouts {
            connect: Duration::from_secs(2),
            read: Duration::from_secs(3),
        };
        let c = t.config();
        assert_eq!(c.connect_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(c.read_timeout(), Some(Duration::from_secs(3)));
        assert_eq!(c.operation_attempt_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(c.operation_timeout(), Some(Duration::from_secs(120)));
    }
}
