//! AWS Organizations: the accounts an `--org` audit scans.

use super::error::{classify, organizations};
use super::fleet::Fleet;
use crate::error::Result;
use crate::model::{account_state, OrgAccount};

impl Fleet {
    /// Every account of the organization the base identity's account manages or belongs to.
    pub async fn org_accounts(&self) -> Result<Vec<OrgAccount>> {
        let pages: Vec<_> = aws_sdk_organizations::Client::new(&self.base)
            .list_accounts()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(organizations::ListAccounts, "the organization", e))?;
        let mut accounts: Vec<OrgAccount> = pages
            .iter()
            .flat_map(|p| p.accounts())
            .map(|a| OrgAccount {
                id: a.id().unwrap_or_default().to_owned(),
                name: a.name().unwrap_or_default().to_owned(),
                state: account_state(
                    a.state().map(|s| s.as_str()),
                    a.status().map(|s| s.as_str()),
                ),
            })
            .collect();
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(accounts)
    }
}
