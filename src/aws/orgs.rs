//! AWS Organizations: the accounts an `--org` audit scans.

use super::error::classify;
use super::fleet::Fleet;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`.
    pub status: String,
}

impl Fleet {
    /// Every account of the organization the base identity's account manages or belongs to.
    pub async fn org_accounts(&self) -> Result<Vec<OrgAccount>> {
        let pages: Vec<_> = aws_sdk_organizations::Client::new(&self.base)
            .list_accounts()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify("ListAccounts", "the organization", e))?;
        let mut accounts: Vec<OrgAccount> = pages
            .iter()
            .flat_map(|p| p.accounts())
            .map(|a| OrgAccount {
                id: a.id().unwrap_or_default().to_owned(),
                name: a.name().unwrap_or_default().to_owned(),
                status: a
                    .status()
                    .map(|s| s.as_str().to_ascii_uppercase())
                    .unwrap_or_default(),
            })
            .collect();
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(accounts)
    }
}
