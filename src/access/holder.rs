//! Whose resource policy a write job edits: a private API's, or a private
//! custom domain's (which has no stages: its policy is live once stored).

use std::fmt;

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::ids::{ApiId, DomainArn};
use crate::plan::access::policy_error;
use crate::policy::PolicyDocument;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyHolder {
    Api(ApiId),
    Domain(DomainArn),
}

/// A policy as stored: the text (for the backup) and its parse.
pub(super) struct Stored {
    pub text: Option<String>,
    pub document: Option<PolicyDocument>,
}

impl PolicyHolder {
    /// What the write lease and the backups are keyed on: the API's id, or
    /// the domain's name and id (SSM parameter names take no `+`).
    pub fn key(&self) -> String {
        match self {
            PolicyHolder::Api(id) => id.to_string(),
            PolicyHolder::Domain(arn) => format!("domainnames/{}/{}", arn.name(), arn.id()),
        }
    }

    /// The command that shows the policy, for messages that send people to look.
    pub fn inspect_hint(&self) -> String {
        match self {
            PolicyHolder::Api(id) => format!("xapi policy show --api-id {id}"),
            PolicyHolder::Domain(arn) => format!("xapi domain show --domain {arn}"),
        }
    }

    /// The API whose stages a write redeploys; a domain has none.
    pub fn api(&self) -> Result<&ApiId> {
        match self {
            PolicyHolder::Api(id) => Ok(id),
            PolicyHolder::Domain(arn) => Err(Error::internal(
                "redeploying a domain",
                format!("{arn} has no stages"),
            )),
        }
    }

    /// The policy stored now; one xapi cannot read is refused, never guessed at.
    pub(super) async fn stored(&self, aws: &Aws) -> Result<Stored> {
        let text = match self {
            PolicyHolder::Api(id) => aws.rest_api(id).await?.policy,
            PolicyHolder::Domain(arn) => aws.domain_name(arn).await?.policy,
        };
        let document = text
            .as_deref()
            .map(PolicyDocument::parse)
            .transpose()
            .map_err(|e| policy_error(&self.to_string(), e))?;
        Ok(Stored { text, document })
    }

    pub(super) async fn put_policy(&self, aws: &Aws, document: &str) -> Result<()> {
        match self {
            PolicyHolder::Api(id) => aws.put_policy(id, document).await,
            PolicyHolder::Domain(arn) => aws.put_domain_policy(arn, document).await,
        }
    }
}

/// An API by its id, as every message has always named it; a domain by its
/// name and id.
impl fmt::Display for PolicyHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyHolder::Api(id) => write!(f, "{id}"),
            PolicyHolder::Domain(arn) => write!(f, "domain {}", arn.name_and_id()),
        }
    }
}
