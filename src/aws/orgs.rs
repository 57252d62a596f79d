//! AWS Organizations: the accounts an `--org` audit scans.

use serde_json::json;

use super::error::{classify, organizations};
use super::fleet::Fleet;
use super::json_rpc::{self, text, ORGANIZATIONS};
use crate::error::Result;
use crate::model::{account_state, OrgAccount};

impl Fleet {
    /// Every account of the organization the base identity's account manages or belongs to.
    pub async fn org_accounts(&self) -> Result<Vec<OrgAccount>> {
        let listed = json_rpc::call_paged(
            &self.base,
            ORGANIZATIONS,
            "ListAccounts",
            json!({}),
            "NextToken",
            "Accounts",
        )
        .await
        .map_err(|e| classify(organizations::ListAccounts, "the organization", e))?;
        let mut accounts: Vec<OrgAccount> = listed
            .iter()
            .map(|a| OrgAccount {
                id: text(a, "Id").unwrap_or_default(),
                name: text(a, "Name").unwrap_or_default(),
                state: account_state(a["State"].as_str(), a["Status"].as_str()),
            })
            .collect();
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(accounts)
    }
}
