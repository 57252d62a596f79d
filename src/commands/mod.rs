//! One module per subcommand: each has `run(ctx, args) -> Result<exit code>`.

pub mod completions;
pub mod endpoint;
pub mod mtls;
pub mod policy;
pub mod teardown;
pub mod vpce_access;
pub mod whoami;
