//! `xapi doctor`: the evidence (a serialisable snapshot of everything read)
//! and the findings pure checks draw from it. Gathering lives in
//! `commands::doctor`; nothing here does I/O, so a snapshot saved from a real
//! account re-runs the same checks anywhere.

pub mod catalogue;
#[cfg(test)]
mod catalogue_tests;
pub mod checks;
pub mod domain;
mod domain_consumer;
mod domain_evidence;
#[cfg(test)]
mod domain_tests;
pub mod mtls;
#[cfg(test)]
mod mtls_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    Deployment, Endpoint, Integration, LambdaVpc, Listener, LoadBalancer, NetworkInterface,
    RestApi, SecurityGroup, Stage, Subnet, TargetGroup, TargetHealth, VpcDns, VpcLink,
};

pub use catalogue::run;

/// A check's id, as the catalogue names it; each check's function is given
/// its own, so that no id is written twice.
pub type CheckId = &'static str;

pub const SNAPSHOT_VERSION: u32 = 1;

/// One read of the evidence: what AWS said, why it could not be read, or why it was not asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[cfg_attr(test, schemars(rename = "Read_{T}"))]
#[serde(tag = "read", rename_all = "kebab-case")]
pub enum Read<T> {
    Ok {
        value: T,
    },
    Failed {
        kind: FailKind,
        error: String,
        needs: String,
        /// The command line named this resource (see [`Read::required`]).
        #[serde(default)]
        required: bool,
    },
    NotAsked {
        why: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum FailKind {
    /// The resource does not exist: a finding in itself.
    NotFound,
    /// No permission (or no credentials for that account): the check is skipped.
    Denied,
    Error,
}

/// Evidence a snapshot does not hold was not asked for.
impl<T> Default for Read<T> {
    fn default() -> Self {
        Read::NotAsked {
            why: "not asked".into(),
        }
    }
}

impl<T> Read<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Read::Ok { value } => Some(value),
            _ => None,
        }
    }

    pub fn not_asked(why: impl Into<String>) -> Self {
        Read::NotAsked { why: why.into() }
    }

    /// The read's outcome without its value: what a check standing on it needs.
    pub fn unit(&self) -> Read<()> {
        self.map(|_| ())
    }

    /// The read's outcome with `f` of its value: one part of what one read returned.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Read<U> {
        match self {
            Read::Ok { value } => Read::Ok { value: f(value) },
            Read::Failed {
                kind,
                error,
                needs,
                required,
            } => Read::Failed {
                kind: *kind,
                error: error.clone(),
                needs: needs.clone(),
                required: *required,
            },
            Read::NotAsked { why } => Read::NotAsked { why: why.clone() },
        }
    }

    /// Mark a read of a resource the command line names (`--api-id`,
    /// `--vpce`, the stack of `--mtls`, ...). Without it there is nothing to
    /// diagnose, so its failure fails the check it feeds instead of skipping it.
    #[must_use]
    pub fn required(self) -> Self {
        match self {
            Read::Failed {
                kind, error, needs, ..
            } => Read::Failed {
                kind,
                error,
                needs,
                required: true,
            },
            other => other,
        }
    }
}

/// The front API's proxy integrations and stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct FrontEvidence {
    pub api_id: String,
    pub tags: BTreeMap<String, String>,
    /// `ANY` integrations by resource path (`/`, `/{proxy+}`); `None` where the path has none.
    pub integrations: BTreeMap<String, Option<Integration>>,
    /// The `ANY` methods' authorization types (`NONE`, `AWS_IAM`, `CUSTOM`, ...) by resource path.
    #[serde(default)]
    pub authorization: BTreeMap<String, String>,
    /// The front API's own resource policy, as API Gateway returns it.
    #[serde(default)]
    pub policy: Option<String>,
}

/// Everything doctor read, in request-path order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Snapshot {
    pub schema_version: u32,
    pub region: String,
    pub dns_suffix: String,
    pub consumer_account: Option<String>,
    pub producer_account: Option<String>,
    /// The private API's stages to check; empty for all.
    pub stage: Option<String>,
    pub front: Read<FrontEvidence>,
    pub link: Read<VpcLink>,
    pub load_balancer: Read<LoadBalancer>,
    pub listeners: Read<Vec<Listener>>,
    /// Whether the load balancer spreads each zone's traffic over every zone's targets.
    #[serde(default)]
    pub cross_zone: Read<bool>,
    pub nlb_subnets: Read<Vec<Subnet>>,
    pub target_group: Read<TargetGroup>,
    pub targets: Read<Vec<TargetHealth>>,
    pub endpoint: Read<Endpoint>,
    pub interfaces: Read<Vec<NetworkInterface>>,
    pub security_groups: Read<Vec<SecurityGroup>>,
    pub vpc_dns: Read<VpcDns>,
    pub api: Read<RestApi>,
    pub stages: Read<Vec<Stage>>,
    /// The deployment each checked stage points at.
    pub deployments: Read<Vec<Deployment>>,
    /// Pattern 2's caller, with `--lambda`.
    #[serde(default)]
    pub lambda: Read<LambdaVpc>,
    #[serde(default)]
    pub lambda_subnets: Read<Vec<Subnet>>,
    /// The policy each checked stage's deployment carries, from its export.
    #[serde(default)]
    pub deployed_policies: Read<Vec<DeployedPolicy>>,
    /// When the evidence was read (Unix seconds): certificate expiry is judged against it.
    #[serde(default)]
    pub taken_at: Option<i64>,
    /// Pattern 3's stack, with `--mtls`.
    #[serde(default)]
    pub mtls: Read<mtls::MtlsEvidence>,
    /// A v2 link's network: its subnets and groups, and its load balancer's groups.
    #[serde(default)]
    pub link_network: Read<LinkNetwork>,
    /// Pattern 4's private custom domain, with `--domain`.
    #[serde(default)]
    pub domain: Read<domain::DomainEvidence>,
}

/// Where a v2 link's interfaces live and what their groups and the load
/// balancer's groups let through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LinkNetwork {
    pub subnets: Vec<Subnet>,
    pub groups: Vec<SecurityGroup>,
    /// The load balancer's own groups (none on xapi's network load balancers).
    pub load_balancer_groups: Vec<SecurityGroup>,
}

/// A stage and the resource policy its deployment carries (`None`: none in its export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DeployedPolicy {
    pub stage: String,
    pub policy: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Finding {
    /// An id from the catalogue (a contract: scripts match on it).
    pub check: String,
    pub status: Status,
    pub resource: String,
    /// What is true, with the evidence.
    pub message: String,
    /// The exact command that fixes it, where one exists.
    pub fix: Option<String>,
    /// The prerequisite check whose failure skipped this one.
    #[serde(default)]
    pub blocked_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Summary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Self {
        let mut s = Summary::default();
        for f in findings {
            match f.status {
                Status::Pass => s.pass += 1,
                Status::Warn => s.warn += 1,
                Status::Fail => s.fail += 1,
                Status::Skip => s.skip += 1,
            }
        }
        s
    }
}
