//! Plans as data: what a mutating command will do, computed before doing it.

use std::fmt::Write as _;

use serde::Serialize;

use crate::output::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Verb {
    Create,
    Reuse,
    Change,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Action {
    pub verb: Verb,
    /// Kind of resource, e.g. `vpc-endpoint`.
    pub resource: String,
    /// Its id, or what identifies it before it exists.
    pub target: String,
    pub details: Vec<String>,
}

impl Action {
    pub fn new(
        verb: Verb,
        resource: &str,
        target: impl Into<String>,
        details: Vec<String>,
    ) -> Self {
        Action {
            verb,
            resource: resource.into(),
            target: target.into(),
            details,
        }
    }
}

/// A plan for people and the steps that carry it out.
#[derive(Debug, Clone)]
pub struct Planned<S> {
    pub plan: Plan,
    pub steps: Vec<S>,
}

/// A plan, its steps and what the planner learned beside them that the
/// applier and the report need (`()` where the plan says it all), decided
/// once per observation.
#[derive(Debug, Clone)]
pub struct Assessed<S, F = ()> {
    pub planned: Planned<S>,
    pub facts: F,
}

impl<S> From<Planned<S>> for Assessed<S> {
    fn from(planned: Planned<S>) -> Self {
        Assessed { planned, facts: () }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Plan {
    /// Who will make the calls (caller ARN), so a dry run shows the identity too.
    pub identity: String,
    pub actions: Vec<Action>,
    pub warnings: Vec<String>,
}

impl Plan {
    /// True when applying would make no mutating call.
    pub fn is_noop(&self) -> bool {
        self.actions.iter().all(|a| a.verb == Verb::Reuse)
    }

    pub fn render(&self, style: &Style) -> String {
        let mut out = format!("Plan (as {}):\n", self.identity);
        for a in &self.actions {
            let verb = match a.verb {
                Verb::Create => style.paint("+ create", comfy_table::Color::Green),
                Verb::Reuse => "= reuse ".to_owned(),
                Verb::Change => style.paint("~ change", comfy_table::Color::Yellow),
                Verb::Delete => style.paint("- delete", comfy_table::Color::Red),
            };
            let _ = writeln!(out, "  {verb} {} {}", a.resource, a.target);
            for d in &a.details {
                let _ = writeln!(out, "      {d}");
            }
        }
        for w in &self.warnings {
            let _ = writeln!(
                out,
                "  {} {w}",
                style.paint("warning:", comfy_table::Color::Yellow)
            );
        }
        if self.is_noop() {
            out.push_str("  No changes.\n");
        }
        out
    }
}

pub mod access;
pub mod association;
pub mod domain;
pub mod domain_access;
pub mod endpoint;
pub mod front;
pub mod mtls_access;
pub mod mtls_deploy;
pub mod nlb;
pub mod publish;
pub mod share;
pub mod step;
pub mod targets;
pub mod teardown;
pub mod vpc_link;
pub mod wire;
