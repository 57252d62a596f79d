//! Resource policies of private API Gateway REST APIs: parse, evaluate, summarise and edit.
//!
//! Everything here is pure (no AWS calls) so that the rules that decide who may reach a
//! private API can be tested exhaustively. The evaluator implements the subset of IAM that
//! API Gateway resource policies use for VPC endpoint access, and it is the oracle the
//! editor is tested against: an edit is correct when the evaluator says so.
//!
//! This module only uses `self::`/`super::` paths so that it compiles both as the root of a
//! scratch crate and as `crate::policy` inside xapi.
#![forbid(unsafe_code)]

mod diff;
mod doc;
mod edit;
mod eval;
mod marker;
mod model;
mod public;
mod reach;
mod search;
mod summary;

#[cfg(test)]
mod domain_tests;
#[cfg(test)]
mod reach_tests;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

pub use diff::unified_diff;
pub use doc::PolicyDocument;
pub use edit::{grant, grant_as, grant_like, revoke, Edit, Like, Reference, StillAdmitted};
pub use eval::{admission, admits_vpce, evaluate, Admission, Decision, Request};
pub use marker::{deployed_hash, deployment_marker};
pub use public::{keeps_internet_out, public_access, Probe, PublicAccess, PUBLIC_PREFIX};
pub use summary::{summarize, AccessSummary};

/// API Gateway's default quota for a resource policy, in characters.
pub const POLICY_SIZE_LIMIT: usize = 8192;

/// The API a policy belongs to; needed because `execute-api:/...` in a policy is shorthand
/// for this API's ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRef {
    pub region: String,
    pub account: String,
    pub api_id: String,
}

impl ApiRef {
    /// Partition from the region name, so that China and GovCloud APIs canonicalise to the
    /// ARNs AWS actually stores there.
    pub fn partition(&self) -> &'static str {
        let r = self.region.as_str();
        if r.starts_with("cn-") {
            "aws-cn"
        } else if r.starts_with("us-gov-") {
            "aws-us-gov"
        } else if r.starts_with("us-isob-") {
            "aws-iso-b"
        } else if r.starts_with("us-iso-") {
            "aws-iso"
        } else if r.starts_with("eu-isoe-") {
            "aws-iso-e"
        } else if r.starts_with("us-isof-") {
            "aws-iso-f"
        } else {
            "aws"
        }
    }

    /// `arn:<partition>:execute-api:<region>:<account>:<api-id>`
    pub fn arn_prefix(&self) -> String {
        format!(
            "arn:{}:execute-api:{}:{}:{}",
            self.partition(),
            self.region,
            self.account,
            self.api_id
        )
    }

    /// The policy of a private custom domain name, `{name}+{id}`: requests
    /// through the domain are checked against the domain's own execute-api
    /// ARN, `arn:...:execute-api:{region}:{account}:/domainnames/{name}+{id}`.
    pub fn domain(region: &str, account: &str, name_and_id: &str) -> Self {
        ApiRef {
            region: region.to_owned(),
            account: account.to_owned(),
            api_id: format!("{DOMAIN_PATH}{name_and_id}"),
        }
    }

    /// Whether this is a domain's policy rather than an API's.
    pub fn is_domain(&self) -> bool {
        self.api_id.starts_with(DOMAIN_PATH)
    }

    /// The resource that stands for "every stage, method and path of this API"; for a
    /// domain, the domain's ARN itself (AWS stores `execute-api:/*` so, with no `/*`).
    pub fn whole_api(&self) -> String {
        if self.is_domain() {
            self.arn_prefix()
        } else {
            format!("{}/*", self.arn_prefix())
        }
    }

    /// What every request resource starts with: `<api arn>/`, or for a domain
    /// the domain's ARN, which is the whole of every request resource.
    pub(crate) fn request_lead(&self) -> String {
        if self.is_domain() {
            self.arn_prefix()
        } else {
            format!("{}/", self.arn_prefix())
        }
    }

    /// A pattern of the resources real requests carry: `<api arn>/<stage>/<method>/<path>`,
    /// or for a domain exactly its ARN.
    pub(crate) fn request_pattern(&self) -> String {
        if self.is_domain() {
            self.arn_prefix()
        } else {
            format!("{}/?*/?*/*", self.arn_prefix())
        }
    }
}

/// How a domain's execute-api ARN names it, after the account.
const DOMAIN_PATH: &str = "/domainnames/";

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    #[error("resource policy is not valid JSON: {0}")]
    NotJson(String),
    #[error("unsupported resource policy (statement {statement}): {detail}")]
    Unsupported { statement: String, detail: String },
    #[error("resource policy would be {size} characters, over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    /// Applying a planned grant again, to a document another writer changed, cannot keep
    /// to what the plan said.
    #[error("{0}")]
    Replanned(String),
}

impl PolicyError {
    pub(crate) fn unsupported(statement: impl Into<String>, detail: impl Into<String>) -> Self {
        PolicyError::Unsupported {
            statement: statement.into(),
            detail: detail.into(),
        }
    }
}
