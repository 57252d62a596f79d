//! Settings resolved once from the global flags, plus the per-account AWS handles.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;

use aws_smithy_runtime_api::client::http::SharedHttpClient;
use tokio::sync::Mutex;

use crate::aws::config::{self, Identity};
use crate::aws::Aws;
use crate::cli::{ColorArg, GlobalArgs, OutputArg, ProducerArgs};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

/// Output format and colour from the flags and the terminal, for commands
/// that run without AWS as well as those with a [`Context`].
pub fn output_settings(global: &GlobalArgs) -> (Format, bool) {
    let stdout_tty = std::io::stdout().is_terminal();
    let format = match global.output {
        // Only `audit` writes CSV (checked in `run`); it reads the flag itself.
        OutputArg::Json | OutputArg::Csv => Format::Json,
        OutputArg::Table => Format::Table,
        OutputArg::Auto if stdout_tty => Format::Table,
        OutputArg::Auto => Format::Json,
    };
    let color = color_for(
        global.color,
        stdout_tty,
        std::env::var_os("NO_COLOR").as_deref(),
    );
    (format, color)
}

/// Whether to colour one stream, decided from that stream alone: `--color
/// always/never` wins; `auto` colours a terminal unless `NO_COLOR` is set to
/// something (<https://no-color.org>). Tables go to stdout and plans and
/// progress to stderr, so `xapi ... > out.json` on a terminal still gets a
/// coloured plan, and `xapi ... 2> log` gets no escape codes in the log.
pub fn color_for(arg: ColorArg, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

pub struct Context {
    pub format: Format,
    /// Colour for stdout (the report).
    pub color: bool,
    /// Colour for stderr (plans, notes), decided from stderr itself.
    pub stderr_color: bool,
    pub progress: bool,
    pub region: String,
    endpoint_url: Option<String>,
    http: SharedHttpClient,
    identity: Identity,
    timeouts: config::Timeouts,
    cache: Mutex<HashMap<Identity, Arc<Aws>>>,
}

impl Context {
    pub async fn new(global: &GlobalArgs) -> Result<Self> {
        let region =
            config::resolve_region(global.region.as_deref(), global.profile.as_deref()).await?;
        let (format, color) = output_settings(global);
        let stderr_tty = std::io::stderr().is_terminal();
        let stderr_color = color_for(
            global.color,
            stderr_tty,
            std::env::var_os("NO_COLOR").as_deref(),
        );
        let progress = stderr_tty && !global.no_progress && std::env::var_os("CI").is_none();
        Ok(Context {
            format,
            color,
            stderr_color,
            progress,
            region,
            endpoint_url: global.endpoint_url.clone(),
            http: config::http_client(global.endpoint_url.as_deref()),
            identity: Identity {
                profile: global.profile.clone(),
                role_arn: global.role_arn.clone(),
            },
            timeouts: config::Timeouts {
                connect: global.connect_timeout,
                read: global.read_timeout,
            },
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The account the command runs in (`--profile` / `--role-arn`).
    pub async fn aws(&self) -> Result<Arc<Aws>> {
        self.aws_for(&self.identity.clone()).await
    }

    /// The producer account, when its credentials were given.
    pub async fn producer(&self, args: &ProducerArgs) -> Result<Option<Arc<Aws>>> {
        if !args.is_set() {
            return Ok(None);
        }
        let identity = Identity {
            profile: args
                .producer_profile
                .clone()
                .or_else(|| self.identity.profile.clone()),
            role_arn: args.producer_role_arn.clone(),
        };
        self.aws_for(&identity).await.map(Some)
    }

    async fn aws_for(&self, identity: &Identity) -> Result<Arc<Aws>> {
        let mut cache = self.cache.lock().await;
        if let Some(aws) = cache.get(identity) {
            return Ok(aws.clone());
        }
        let sdk = config::load(
            identity,
            &self.region,
            self.endpoint_url.as_deref(),
            self.http.clone(),
            &self.timeouts,
        )
        .await?;
        tracing::debug!(profile = ?identity.profile, role_arn = ?identity.role_arn, region = %self.region, "loaded AWS config");
        let aws = Arc::new(Aws::new(sdk, self.region.clone()));
        cache.insert(identity.clone(), aws.clone());
        Ok(aws)
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::*;

    #[test]
    fn each_stream_is_coloured_from_its_own_terminal() {
        // stdout piped, stderr a terminal: the plan on stderr is coloured, the JSON is not.
        assert!(!color_for(ColorArg::Auto, false, None));
        assert!(color_for(ColorArg::Auto, true, None));
    }

    #[test]
    fn no_color_turns_auto_off_only_when_set_to_something() {
        assert!(!color_for(ColorArg::Auto, true, Some(OsStr::new("1"))));
        assert!(color_for(ColorArg::Auto, true, Some(OsStr::new(""))));
    }

    #[test]
    fn the_flag_wins_over_terminal_and_no_color() {
        for tty in [true, false] {
            for no_color in [None, Some(OsStr::new("1"))] {
                assert!(color_for(ColorArg::Always, tty, no_color));
                assert!(!color_for(ColorArg::Never, tty, no_color));
            }
        }
    }
}
