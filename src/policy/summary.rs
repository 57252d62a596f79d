//! A read-only account of who a policy lets in, for `show`/`doctor` output.

use std::collections::BTreeSet;

use serde::Serialize;

use super::model::{analyze, glob, Key};
use super::reach::{fresh_ids, Reach};
use super::{ApiRef, PolicyDocument, PolicyError, POLICY_SIZE_LIMIT};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AccessSummary {
    /// Endpoint ids (or patterns) listed as admitted and confirmed by evaluation.
    pub admitted_vpces: Vec<String>,
    /// VPCs from which any endpoint is admitted.
    pub admitted_vpcs: Vec<String>,
    /// An endpoint the policy never names gets in: every endpoint in the region, any account.
    pub open_to_any_endpoint: bool,
    /// Resources of statements narrower than the whole API (`NotResource ...` for negated ones).
    pub restricted_resources: Vec<String>,
    pub statement_count: usize,
    /// Answers above that are the safe guess because proving them exceeded the evaluation
    /// budget, e.g. `admitted_vpces: vpce-0abc`: counted as admitted, perhaps wrongly.
    pub approximated: Vec<String>,
    pub size: usize,
    pub limit: usize,
}

/// Reading the lists alone would report ids that a Deny elsewhere still blocks, so every
/// listed id is confirmed by evaluation before it is reported.
pub fn summarize(doc: &PolicyDocument, api: &ApiRef) -> Result<AccessSummary, PolicyError> {
    let policy = analyze(doc.as_value(), api)?;
    let text = doc.to_compact();
    let (fresh_vpce, _, fresh_vpc) = fresh_ids(&text);

    let mut listed_vpces = BTreeSet::new();
    let mut listed_vpcs = BTreeSet::new();
    for s in &policy.stmts {
        for e in s.admit_entries() {
            let set = match e.key {
                Key::Vpce => &mut listed_vpces,
                Key::Vpc => &mut listed_vpcs,
                Key::Other(_) => continue,
            };
            set.extend(e.values.iter().cloned());
        }
    }

    let mut vpc_options: Vec<Option<&str>> = vec![None, Some(fresh_vpc.as_str())];
    vpc_options.extend(listed_vpcs.iter().map(|v| Some(v.as_str())));
    let mut reach = Reach::new(&policy, api);
    let mut approximated = Vec::new();
    let mut admitted_vpces = Vec::new();
    for v in &listed_vpces {
        let a = reach.admitted(v, &vpc_options, false);
        if a.yes {
            admitted_vpces.push(v.clone());
        }
        if a.approximated {
            approximated.push(format!("admitted_vpces: {v}"));
        }
    }
    let mut admitted_vpcs = Vec::new();
    for v in &listed_vpcs {
        let a = reach.admitted(&fresh_vpce, &[Some(v.as_str())], false);
        if a.yes {
            admitted_vpcs.push(v.clone());
        }
        if a.approximated {
            approximated.push(format!("admitted_vpcs: {v}"));
        }
    }
    let open = reach.open_to_any(&text);
    if open.approximated {
        approximated.push("open_to_any_endpoint".to_string());
    }

    let whole = api.whole_api();
    let mut restricted = BTreeSet::new();
    for s in &policy.stmts {
        for p in &s.resource.patterns {
            if s.resource.negated {
                restricted.insert(format!("NotResource {p}"));
            } else if !glob(p, &whole) {
                restricted.insert(p.clone());
            }
        }
    }

    Ok(AccessSummary {
        admitted_vpces,
        admitted_vpcs,
        open_to_any_endpoint: open.yes,
        restricted_resources: restricted.into_iter().collect(),
        statement_count: policy.stmts.len(),
        approximated,
        size: text.len(),
        limit: POLICY_SIZE_LIMIT,
    })
}
