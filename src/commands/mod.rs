//! One module per subcommand: each has `run(ctx, args) -> Result<exit code>`.

pub mod audit;
pub mod completions;
pub mod doctor;
pub mod domain;
pub mod endpoint;
pub mod mtls;
pub mod policy;
pub mod targets;
pub mod teardown;
pub mod vpc_link;
pub mod vpce_access;
pub mod whoami;
pub mod wire_regional_front;

#[cfg(test)]
mod schema_tests;
