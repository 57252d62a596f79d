//! One module per AWS resource kind xapi makes: how it is made, waited for
//! and deleted, for every command that composes it. Their plans are pure,
//! in [`crate::plan`]; the SDK stays in [`crate::aws`].

use std::time::Duration;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::poll::Wait;

/// What a step that does not create a resource relies on having been observed.
pub fn observed<T>(found: Option<T>, what: &str) -> Result<T> {
    found.ok_or_else(|| {
        Error::Unverified(format!(
            "the plan reuses the {what}, but it was not observed; re-run"
        ))
    })
}

/// How long to wait for what AWS finishes in the background (a deletion, a
/// service draining), and what to tell the user when that runs out.
pub struct Patience<'a> {
    pub ctx: &'a Context,
    pub timeout: Duration,
    /// What to do after a timeout, e.g. `re-run teardown to finish`.
    pub hint: &'a str,
}

impl Patience<'_> {
    fn wait(&self, what: String) -> Wait<'_> {
        Wait {
            what,
            timeout: self.timeout,
            hint: self.hint.to_owned(),
            ctx: Some(self.ctx),
        }
    }
}

pub mod apply;
pub mod domain;
pub mod ecs;
pub mod endpoint;
pub mod endpoint_service;
pub mod front_api;
pub mod load_balancer;
pub mod nlb;
pub mod secret;
pub mod security_group;
pub mod target_group;
pub mod vpc_link;
