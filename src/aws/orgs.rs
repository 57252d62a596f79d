//! AWS Organizations: the accounts an `--org` audit scans.

use serde_json::{json, Value};

use super::error::{classify, organizations};
use super::fleet::Fleet;
use super::json_rpc::{self, ORGANIZATIONS};
use crate::error::Result;
use crate::model::{account_state, OrgAccount};

impl Fleet {
    /// Every account of the organization the base identity's account manages or belongs to.
    pub async fn org_accounts(&self) -> Result<Vec<OrgAccount>> {
        let mut accounts = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let input = match &next {
                Some(token) => json!({"NextToken": token}),
                None => json!({}),
            };
            let page = json_rpc::call(&self.base, ORGANIZATIONS, "ListAccounts", input)
                .await
                .map_err(|e| classify(organizations::ListAccounts, "the organization", e))?;
            let text = |a: &Value, key: &str| a[key].as_str().map(str::to_owned);
            accounts.extend(page["Accounts"].as_array().into_iter().flatten().map(|a| {
                OrgAccount {
                    id: text(a, "Id").unwrap_or_default(),
                    name: text(a, "Name").unwrap_or_default(),
                    state: account_state(a["State"].as_str(), a["Status"].as_str()),
                }
            }));
            next = text(&page, "NextToken").filter(|t| !t.is_empty());
            if next.is_none() {
                break;
            }
        }
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(accounts)
    }
}
