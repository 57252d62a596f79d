//! AWS RAM: how a private custom domain reaches another account.

use super::error::{classify, ram};
use super::Aws;
use crate::error::Result;
use crate::model::ShareInvitation;

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
}
