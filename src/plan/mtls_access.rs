//! Who reaches an mTLS stack's endpoint service, as pure plans: `mtls accept`
//! (accept waiting connections from accounts the service allows, never
//! anyone else's) and `mtls allow` (allow or revoke one account; revoking
//! also rejects its connections, which AWS otherwise keeps working).

use super::{Action, Plan, Planned, Verb};
use crate::error::Result;
use crate::model::EndpointConnection;

/// The stack's endpoint service and who may and does connect to it.
#[derive(Debug, Clone)]
pub struct Observed {
    /// Who makes the calls (caller ARN).
    pub identity: String,
    pub service_id: String,
    pub principals: Vec<String>,
    /// Empty when the plan does not need them (`allow` without `--revoke`).
    pub connections: Vec<EndpointConnection>,
}

/// The account a principal ARN belongs to (`arn:aws:iam::<account>:...`), or
/// `*` for the wildcard principal.
fn principal_account(principal: &str) -> Option<&str> {
    if principal == "*" {
        return Some("*");
    }
    principal.split(':').nth(4).filter(|a| a.len() == 12)
}

/// Split pending requests into those from allowed accounts and the rest.
pub fn decide(
    connections: &[EndpointConnection],
    principals: &[String],
) -> (Vec<EndpointConnection>, Vec<EndpointConnection>) {
    let allowed: Vec<&str> = principals
        .iter()
        .filter_map(|p| principal_account(p))
        .collect();
    connections
        .iter()
        .filter(|c| c.is_pending_acceptance())
        .cloned()
        .partition(|c| allowed.contains(&"*") || allowed.contains(&c.owner.as_str()))
}

/// The one call `mtls accept` makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcceptStep {
    Accept {
        service_id: String,
        connections: Vec<EndpointConnection>,
    },
}

/// Accept what waits from allowed accounts; what waits from others is a warning.
pub fn plan_accept(seen: &Observed) -> Result<Planned<AcceptStep>> {
    let (accept, not_allowed) = decide(&seen.connections, &seen.principals);
    let plan = Plan {
        identity: seen.identity.clone(),
        actions: accept
            .iter()
            .map(|c| Action {
                verb: Verb::Change,
                resource: "endpoint-connection".into(),
                target: c.vpce_id.clone(),
                details: vec![format!("accept from account {}", c.owner)],
            })
            .collect(),
        warnings: not_allowed
            .iter()
            .map(|c| {
                format!(
                    "{} from account {} is not allowed: left pending",
                    c.vpce_id, c.owner
                )
            })
            .collect(),
    };
    let steps = if accept.is_empty() {
        Vec::new()
    } else {
        vec![AcceptStep::Accept {
            service_id: seen.service_id.clone(),
            connections: accept,
        }]
    };
    Ok(Planned { plan, steps })
}

/// Connections that still carry (or may come to carry) traffic: everything
/// but the end states.
fn is_live(c: &EndpointConnection) -> bool {
    !["rejected", "deleting", "deleted", "failed", "expired"]
        .iter()
        .any(|s| c.state.eq_ignore_ascii_case(s))
}

/// The account's connections that `--revoke` must reject.
pub fn connections_to_cut(
    connections: &[EndpointConnection],
    account: &str,
) -> Vec<EndpointConnection> {
    connections
        .iter()
        .filter(|c| c.owner == account && is_live(c))
        .cloned()
        .collect()
}

/// One account's access to the endpoint service.
#[derive(Debug, Clone)]
pub struct Access {
    pub account: String,
    /// The account's root principal, as `allow` adds it.
    pub principal: String,
    /// Revoke rather than allow.
    pub revoke: bool,
}

/// The calls `mtls allow` makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowStep {
    AddPrincipal {
        service_id: String,
        principal: String,
    },
    /// Every principal of the account: its root, roles and users each admit it.
    RemovePrincipals {
        service_id: String,
        principals: Vec<String>,
    },
    /// Removing a principal alone leaves its accepted connections working.
    Reject {
        service_id: String,
        connections: Vec<EndpointConnection>,
    },
}

/// The allowed principals that admit `account`: its own (root, roles,
/// users) and the wildcard.
pub fn admitting(principals: &[String], account: &str) -> Vec<String> {
    principals
        .iter()
        .filter(|p| matches!(principal_account(p), Some(a) if a == account || a == "*"))
        .cloned()
        .collect()
}

/// What still admits `account` once `--revoke` has removed the account's
/// own principals: the wildcard, which xapi never removes (it would shut
/// out every other account too).
pub fn still_admitting(principals: &[String], account: &str) -> Vec<String> {
    admitting(principals, account)
        .into_iter()
        .filter(|p| p == "*")
        .collect()
}

pub fn plan_allow(seen: &Observed, want: &Access) -> Result<Planned<AllowStep>> {
    let service_id = &seen.service_id;
    let mut steps = Vec::new();
    let mut warnings = Vec::new();
    let details;
    let verb = if want.revoke {
        let remove: Vec<String> = admitting(&seen.principals, &want.account)
            .into_iter()
            .filter(|p| p != "*")
            .collect();
        for p in still_admitting(&seen.principals, &want.account) {
            warnings.push(format!(
                "{p} (any AWS account) is an allowed principal of {service_id} and still admits \
                 account {}: remove it with `aws ec2 modify-vpc-endpoint-service-permissions \
                 --service-id {service_id} --remove-allowed-principals '{p}'` (that shuts out \
                 every account not named), then allow the others by name",
                want.account
            ));
        }
        if remove.is_empty() {
            details = vec![format!(
                "no principal of account {} is allowed",
                want.account
            )];
            Verb::Reuse
        } else {
            details = remove.iter().map(|p| format!("remove {p}")).collect();
            steps.push(AllowStep::RemovePrincipals {
                service_id: service_id.clone(),
                principals: remove,
            });
            Verb::Change
        }
    } else {
        details = vec![format!("allow {}", want.principal)];
        if seen.principals.contains(&want.principal) {
            Verb::Reuse
        } else {
            steps.push(AllowStep::AddPrincipal {
                service_id: service_id.clone(),
                principal: want.principal.clone(),
            });
            Verb::Change
        }
    };
    let mut actions = vec![Action {
        verb,
        resource: "endpoint-service-permissions".into(),
        target: service_id.clone(),
        details,
    }];
    let cut = if want.revoke {
        connections_to_cut(&seen.connections, &want.account)
    } else {
        Vec::new()
    };
    actions.extend(cut.iter().map(|c| Action {
        verb: Verb::Change,
        resource: "endpoint-connection".into(),
        target: c.vpce_id.clone(),
        details: vec![format!(
            "reject ({} from {}): an accepted connection keeps working after the principal is removed",
            c.state, c.owner
        )],
    }));
    if !cut.is_empty() {
        steps.push(AllowStep::Reject {
            service_id: service_id.clone(),
            connections: cut,
        });
    }
    Ok(Planned {
        plan: Plan {
            identity: seen.identity.clone(),
            actions,
            warnings,
        },
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(id: &str, owner: &str, state: &str) -> EndpointConnection {
        EndpointConnection {
            vpce_id: id.into(),
            owner: owner.into(),
            state: state.into(),
        }
    }

    fn seen(principals: &[&str], connections: &[EndpointConnection]) -> Observed {
        Observed {
            identity: "arn:aws:iam::111111111111:user/me".into(),
            service_id: "vpce-svc-1".into(),
            principals: principals.iter().map(|p| p.to_string()).collect(),
            connections: connections.to_vec(),
        }
    }

    fn ids(v: &[EndpointConnection]) -> Vec<String> {
        v.iter().map(|c| c.vpce_id.clone()).collect()
    }

    #[test]
    fn only_waiting_requests_from_allowed_accounts_are_accepted() {
        let connections = [
            conn("vpce-1", "222222222222", "pendingAcceptance"),
            conn("vpce-2", "333333333333", "pendingAcceptance"),
            conn("vpce-3", "222222222222", "available"),
            conn("vpce-4", "444444444444", "pendingAcceptance"),
        ];
        let principals = vec![
            "arn:aws:iam::222222222222:root".to_owned(),
            "arn:aws:iam::444444444444:role/consumer".to_owned(),
        ];
        let (accept, rest) = decide(&connections, &principals);
        assert_eq!(ids(&accept), ["vpce-1", "vpce-4"]);
        assert_eq!(ids(&rest), ["vpce-2"]);
        let (accept, rest) = decide(&connections, &["*".to_owned()]);
        assert_eq!(accept.len(), 3);
        assert!(rest.is_empty());
        let (accept, _) = decide(&connections, &[]);
        assert!(accept.is_empty(), "no principal, nobody accepted");
    }

    #[test]
    fn accept_is_one_call_for_the_allowed_and_a_warning_for_the_rest() {
        let waiting = conn("vpce-1", "222222222222", "pendingAcceptance");
        let stranger = conn("vpce-2", "333333333333", "pendingAcceptance");
        let planned = plan_accept(&seen(
            &["arn:aws:iam::222222222222:root"],
            &[waiting.clone(), stranger],
        ))
        .unwrap();
        assert_eq!(
            planned.steps,
            [AcceptStep::Accept {
                service_id: "vpce-svc-1".into(),
                connections: vec![waiting]
            }]
        );
        assert_eq!(planned.plan.actions.len(), 1);
        assert_eq!(
            planned.plan.warnings,
            ["vpce-2 from account 333333333333 is not allowed: left pending"]
        );
    }

    #[test]
    fn nothing_waiting_is_nothing_to_accept() {
        let planned = plan_accept(&seen(
            &["arn:aws:iam::222222222222:root"],
            &[conn("vpce-1", "222222222222", "pending")],
        ))
        .unwrap();
        assert_eq!(planned.steps, []);
        assert!(planned.plan.is_noop());
    }

    #[test]
    fn only_the_accounts_live_connections_are_cut() {
        let c = conn;
        let all = [
            c("vpce-1", "111111111111", "available"),
            c("vpce-2", "111111111111", "pendingAcceptance"),
            c("vpce-3", "111111111111", "rejected"),
            c("vpce-4", "222222222222", "available"),
            c("vpce-5", "111111111111", "Deleted"),
            c("vpce-6", "111111111111", "pending"),
        ];
        assert_eq!(
            ids(&connections_to_cut(&all, "111111111111")),
            ["vpce-1", "vpce-2", "vpce-6"]
        );
    }

    fn access(account: &str, revoke: bool) -> Access {
        Access {
            account: account.into(),
            principal: format!("arn:aws:iam::{account}:root"),
            revoke,
        }
    }

    const A: &str = "arn:aws:iam::222222222222:root";

    #[test]
    fn allowing_adds_the_principal_once() {
        let planned = plan_allow(&seen(&[], &[]), &access("222222222222", false)).unwrap();
        assert_eq!(
            planned.steps,
            [AllowStep::AddPrincipal {
                service_id: "vpce-svc-1".into(),
                principal: A.into()
            }]
        );
        assert_eq!(planned.plan.actions[0].verb, Verb::Change);
        let again = plan_allow(&seen(&[A], &[]), &access("222222222222", false)).unwrap();
        assert_eq!(again.steps, []);
        assert!(again.plan.is_noop());
    }

    #[test]
    fn revoking_removes_the_principal_and_rejects_its_live_connections() {
        let live = conn("vpce-1", "222222222222", "available");
        let others = [
            conn("vpce-2", "222222222222", "rejected"),
            conn("vpce-3", "333333333333", "available"),
        ];
        let mut all = vec![live.clone()];
        all.extend(others.clone());
        let planned = plan_allow(&seen(&[A], &all), &access("222222222222", true)).unwrap();
        let reject = AllowStep::Reject {
            service_id: "vpce-svc-1".into(),
            connections: vec![live],
        };
        assert_eq!(
            planned.steps,
            [
                AllowStep::RemovePrincipals {
                    service_id: "vpce-svc-1".into(),
                    principals: vec![A.into()]
                },
                reject.clone(),
            ]
        );
        // Removed already (a run whose rejection did not take): only the rejection is left.
        let planned = plan_allow(&seen(&[], &all), &access("222222222222", true)).unwrap();
        assert_eq!(planned.steps, [reject]);
        let done = plan_allow(&seen(&[], &others), &access("222222222222", true)).unwrap();
        assert_eq!(done.steps, []);
        assert!(done.plan.is_noop());
    }

    /// Every principal of the account goes, in one call; principals of
    /// other accounts and look-alikes stay; `*` stays and is named.
    #[test]
    fn revoking_removes_every_principal_of_the_account_and_names_the_wildcard() {
        let account = "222222222222";
        let mine = [
            "arn:aws:iam::222222222222:root",
            "arn:aws:iam::222222222222:role/consumer",
            "arn:aws:iam::222222222222:user/path/alice",
        ];
        let others = [
            "arn:aws:iam::333333333333:root",
            "arn:aws:iam::2222222222220:root",
            "arn:aws:iam::333333333333:role/222222222222",
        ];
        let mut all: Vec<&str> = mine.to_vec();
        all.extend(others);
        let planned = plan_allow(&seen(&all, &[]), &access(account, true)).unwrap();
        assert_eq!(
            planned.steps,
            [AllowStep::RemovePrincipals {
                service_id: "vpce-svc-1".into(),
                principals: mine.iter().map(|p| p.to_string()).collect()
            }]
        );
        assert!(planned.plan.warnings.is_empty());
        // Only a role left, no root: still removed.
        let planned = plan_allow(&seen(&[mine[1]], &[]), &access(account, true)).unwrap();
        assert_eq!(planned.steps.len(), 1);

        all.push("*");
        let planned = plan_allow(&seen(&all, &[]), &access(account, true)).unwrap();
        assert_eq!(planned.steps.len(), 1, "the wildcard is never removed");
        assert_eq!(planned.plan.warnings.len(), 1);
        assert!(planned.plan.warnings[0].contains("still admits account 222222222222"));
        let after: Vec<String> = others.iter().chain(&["*"]).map(|p| p.to_string()).collect();
        assert_eq!(still_admitting(&after, account), ["*"]);
        let done = plan_allow(&seen(&others, &[]), &access(account, true)).unwrap();
        assert!(done.plan.is_noop());
        assert!(still_admitting(
            &others.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            account
        )
        .is_empty());
    }
}
