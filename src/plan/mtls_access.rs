//! Who reaches an mTLS stack's endpoint service, as pure plans: `mtls accept`
//! (accept waiting connections from accounts the service allows, never
//! anyone else's) and `mtls allow` (allow or revoke one account; revoking
//! also rejects its connections, which AWS otherwise keeps working).

use super::{Action, Plan, Verb};
use crate::error::Result;
use crate::model::EndpointConnection;
use crate::pipeline::Planned;

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
    /// The account's root principal, as the service's permissions name it.
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
    RemovePrincipal {
        service_id: String,
        principal: String,
    },
    /// Removing a principal alone leaves its accepted connections working.
    Reject {
        service_id: String,
        connections: Vec<EndpointConnection>,
    },
}

pub fn plan_allow(seen: &Observed, want: &Access) -> Result<Planned<AllowStep>> {
    let (service_id, principal) = (&seen.service_id, &want.principal);
    let allowed = seen.principals.contains(principal);
    let mut steps = Vec::new();
    let verb = if allowed != want.revoke {
        Verb::Reuse
    } else {
        let (service_id, principal) = (service_id.clone(), principal.clone());
        steps.push(if want.revoke {
            AllowStep::RemovePrincipal {
                service_id,
                principal,
            }
        } else {
            AllowStep::AddPrincipal {
                service_id,
                principal,
            }
        });
        Verb::Change
    };
    let mut actions = vec![Action {
        verb,
        resource: "endpoint-service-permissions".into(),
        target: service_id.clone(),
        details: vec![if want.revoke {
            format!("remove {principal}")
        } else {
            format!("allow {principal}")
        }],
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
            warnings: Vec::new(),
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
                AllowStep::RemovePrincipal {
                    service_id: "vpce-svc-1".into(),
                    principal: A.into()
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
}
