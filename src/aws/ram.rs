//! AWS RAM: how a private custom domain reaches another account.

use aws_sdk_ram::types::{ResourceOwner, ResourceShareAssociationType, Tag};

use super::error::{classify, ram};
use super::Aws;
use crate::error::{Error, Result};
use crate::model::{ResourceShare, ShareInvitation, ShareMember};

/// What a new resource share holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShare {
    pub name: String,
    pub resource_arn: String,
    pub principals: Vec<String>,
    pub permission_arn: String,
    pub tags: Vec<(String, String)>,
}

/// An idempotency token for one call: RAM returns the first answer to a retry carrying it.
fn token() -> String {
    crate::stack::new_stack_id()
}

/// The crate's view of a share, from a listing or a create.
fn share_of(s: &aws_sdk_ram::types::ResourceShare) -> ResourceShare {
    ResourceShare {
        arn: s.resource_share_arn().unwrap_or_default().to_owned(),
        name: s.name().unwrap_or_default().to_owned(),
        status: s
            .status()
            .map(|v| v.as_str().to_owned())
            .unwrap_or_default(),
        allow_external_principals: s.allow_external_principals().unwrap_or(false),
        tags: s
            .tags()
            .iter()
            .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
            .collect(),
    }
}

/// The crate's view of an invitation, from a listing or an accept.
macro_rules! invitation_of {
    ($i:expr) => {
        ShareInvitation {
            arn: $i
                .resource_share_invitation_arn()
                .unwrap_or_default()
                .to_owned(),
            share_arn: $i.resource_share_arn().unwrap_or_default().to_owned(),
            share_name: $i.resource_share_name().unwrap_or_default().to_owned(),
            sender_account: $i.sender_account_id().unwrap_or_default().to_owned(),
            receiver_account: $i.receiver_account_id().unwrap_or_default().to_owned(),
            status: $i
                .status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        }
    };
}

impl Aws {
    fn ram(&self) -> &aws_sdk_ram::Client {
        self.ram
            .get_or_init(|| aws_sdk_ram::Client::new(&self.config))
    }

    /// Every invitation this account has received, all pages.
    pub async fn share_invitations(&self) -> Result<Vec<ShareInvitation>> {
        let pages: Vec<_> = self
            .ram()
            .get_resource_share_invitations()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ram::GetResourceShareInvitations, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.resource_share_invitations())
            .map(|i| invitation_of!(i))
            .collect())
    }

    pub async fn accept_share_invitation(&self, arn: &str) -> Result<ShareInvitation> {
        let out = self
            .ram()
            .accept_resource_share_invitation()
            .resource_share_invitation_arn(arn)
            .send()
            .await
            .map_err(|e| classify(ram::AcceptResourceShareInvitation, arn, e))?;
        let i = out.resource_share_invitation();
        Ok(match i {
            Some(i) => invitation_of!(i),
            None => ShareInvitation {
                arn: arn.to_owned(),
                share_arn: String::new(),
                share_name: String::new(),
                sender_account: String::new(),
                receiver_account: String::new(),
                status: String::new(),
            },
        })
    }

    /// Every share this account owns, all pages.
    pub async fn shares_owned(&self) -> Result<Vec<ResourceShare>> {
        let pages: Vec<_> = self
            .ram()
            .get_resource_shares()
            .resource_owner(ResourceOwner::SelfValue)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ram::GetResourceShares, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.resource_shares())
            .map(share_of)
            .collect())
    }

    /// This account's shares named `name`, all pages.
    pub async fn shares_named(&self, name: &str) -> Result<Vec<ResourceShare>> {
        let pages: Vec<_> = self
            .ram()
            .get_resource_shares()
            .resource_owner(ResourceOwner::SelfValue)
            .name(name)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ram::GetResourceShares, name, e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.resource_shares())
            .map(share_of)
            .filter(|s| s.name == name)
            .collect())
    }

    /// The share's principals and resources, all pages.
    pub async fn share_members(&self, share_arn: &str) -> Result<Vec<ShareMember>> {
        let mut out = Vec::new();
        for kind in [
            ResourceShareAssociationType::Principal,
            ResourceShareAssociationType::Resource,
        ] {
            let pages: Vec<_> = self
                .ram()
                .get_resource_share_associations()
                .association_type(kind.clone())
                .resource_share_arns(share_arn)
                .into_paginator()
                .send()
                .collect::<std::result::Result<_, _>>()
                .await
                .map_err(|e| classify(ram::GetResourceShareAssociations, share_arn, e))?;
            out.extend(
                pages
                    .iter()
                    .flat_map(|p| p.resource_share_associations())
                    .map(|a| ShareMember {
                        entity: a.associated_entity().unwrap_or_default().to_owned(),
                        kind: kind.as_str().to_owned(),
                        status: a
                            .status()
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                        status_message: a
                            .status_message()
                            .filter(|m| !m.is_empty())
                            .map(str::to_owned),
                        external: a.external().unwrap_or(false),
                    }),
            );
        }
        Ok(out)
    }

    /// The resources this account's shares hold (associated or on the way), all pages.
    pub async fn shared_resources(&self) -> Result<Vec<String>> {
        let pages: Vec<_> = self
            .ram()
            .get_resource_share_associations()
            .association_type(ResourceShareAssociationType::Resource)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ram::GetResourceShareAssociations, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.resource_share_associations())
            .filter(|a| {
                a.status()
                    .is_some_and(|s| matches!(s.as_str(), "ASSOCIATED" | "ASSOCIATING"))
            })
            .filter_map(|a| a.associated_entity().map(str::to_owned))
            .collect())
    }

    /// A share of one resource with `principals`, open to accounts outside
    /// the organization (they get an invitation).
    pub async fn create_share(&self, spec: &NewShare) -> Result<ResourceShare> {
        let out = self
            .ram()
            .create_resource_share()
            .name(&spec.name)
            .resource_arns(&spec.resource_arn)
            .set_principals(Some(spec.principals.clone()))
            .permission_arns(&spec.permission_arn)
            .allow_external_principals(true)
            .set_tags(Some(
                spec.tags
                    .iter()
                    .map(|(k, v)| Tag::builder().key(k).value(v).build())
                    .collect(),
            ))
            .client_token(token())
            .send()
            .await
            .map_err(|e| classify(ram::CreateResourceShare, &spec.name, e))?;
        out.resource_share().map(share_of).ok_or_else(|| {
            Error::Unverified(format!(
                "CreateResourceShare answered with no share for {}; look with `aws ram                  get-resource-shares --resource-owner SELF --name {}`",
                spec.name, spec.name
            ))
        })
    }

    /// Add principals and resources to a share.
    pub async fn associate_share(
        &self,
        share_arn: &str,
        principals: &[String],
        resources: &[String],
    ) -> Result<()> {
        self.ram()
            .associate_resource_share()
            .resource_share_arn(share_arn)
            .set_principals(Some(principals.to_vec()).filter(|p| !p.is_empty()))
            .set_resource_arns(Some(resources.to_vec()).filter(|r| !r.is_empty()))
            .client_token(token())
            .send()
            .await
            .map_err(|e| classify(ram::AssociateResourceShare, share_arn, e))?;
        Ok(())
    }

    pub async fn disassociate_share_principals(
        &self,
        share_arn: &str,
        principals: &[String],
    ) -> Result<()> {
        self.ram()
            .disassociate_resource_share()
            .resource_share_arn(share_arn)
            .set_principals(Some(principals.to_vec()))
            .client_token(token())
            .send()
            .await
            .map_err(|e| classify(ram::DisassociateResourceShare, share_arn, e))?;
        Ok(())
    }

    pub async fn delete_share(&self, share_arn: &str) -> Result<()> {
        self.ram()
            .delete_resource_share()
            .resource_share_arn(share_arn)
            .client_token(token())
            .send()
            .await
            .map_err(|e| classify(ram::DeleteResourceShare, share_arn, e))?;
        Ok(())
    }
}
