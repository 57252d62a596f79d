//! `domain share` and `domain unshare` as a pure plan: the producer's AWS
//! RAM share of a private custom domain, one share per stack
//! (`xapi-{stack}-domain`), holding the domain and the consumer principals.

use super::{Action, Plan, Planned, Verb};
use crate::error::{Error, Result};
use crate::ids::DomainArn;
use crate::model::{DomainName, ResourceShare, ShareMember};

/// The managed permission that lets a principal associate endpoints with a
/// shared private domain (`apigateway:CreateAccessAssociation`).
pub fn domain_permission(partition: &str) -> String {
    format!(
        "arn:{partition}:ram::aws:permission/APIGatewayPrivateDomainNameManagementPolicyDefaultPermission"
    )
}

/// The name of the stack's share.
pub fn share_name(stack: &str) -> String {
    crate::stack::StackNames::of(stack).domain_share
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Share,
    Unshare,
}

#[derive(Debug, Clone)]
pub struct Desired {
    pub domain: DomainArn,
    pub stack: String,
    pub mode: Mode,
    /// Account ids, organization or OU ARNs (sorted, no duplicates).
    pub principals: Vec<String>,
}

/// What `domain share` reads before planning (with the producer's credentials).
#[derive(Debug, Clone)]
pub struct Observed {
    pub caller: String,
    pub account: String,
    pub domain: DomainName,
    /// This account's shares with the stack's share name.
    pub shares: Vec<ResourceShare>,
    /// The principals and resources of the one share, when there is one.
    pub members: Vec<ShareMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A new share of the domain with these principals.
    Create(Vec<String>),
    /// Put the domain in the existing share.
    AddDomain,
    AddPrincipals(Vec<String>),
    RemovePrincipals(Vec<String>),
}

/// The one share of the stack, if any; two of one name are refused.
pub fn the_share<'a>(seen: &'a Observed, want: &Desired) -> Result<Option<&'a ResourceShare>> {
    let live: Vec<&ResourceShare> = seen
        .shares
        .iter()
        .filter(|s| !matches!(s.status.as_str(), "DELETING" | "DELETED"))
        .collect();
    match live[..] {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(Error::BadInput(format!(
            "{} resource shares named {} ({}); xapi cannot tell which is the stack's: delete \
             the extra one; nothing was changed",
            live.len(),
            share_name(&want.stack),
            live.iter()
                .map(|s| s.arn.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub fn plan(seen: &Observed, want: &Desired) -> Result<Planned<Step>> {
    let arn = &want.domain;
    if arn.account() != seen.account {
        return Err(Error::BadInput(format!(
            "--domain {arn}: the domain belongs to account {}, and these credentials are \
             account {}'s: share it with the owner's credentials; nothing was changed",
            arn.account(),
            seen.account
        )));
    }
    if !seen.domain.is_private() {
        return Err(Error::BadInput(format!(
            "--domain {arn}: the domain is {}, not PRIVATE: only private domains are shared \
             through AWS RAM; nothing was changed",
            seen.domain.endpoint_types.join("/")
        )));
    }
    let mut plan = Plan {
        identity: seen.caller.clone(),
        ..Plan::default()
    };
    let share = the_share(seen, want)?;
    let principal = |p: &str| {
        seen.members
            .iter()
            .find(|m| m.kind == "PRINCIPAL" && m.entity == p)
    };
    let mut steps = Vec::new();
    let name = share_name(&want.stack);
    match (want.mode, share) {
        (Mode::Share, None) => {
            plan.actions.push(Action {
                verb: Verb::Create,
                resource: "resource-share".into(),
                target: name.clone(),
                details: vec![
                    format!("shares {}", arn.name_and_id()),
                    format!("with {}", want.principals.join(", ")),
                    "permission APIGatewayPrivateDomainNameManagementPolicyDefaultPermission"
                        .into(),
                    format!("tagged xapi:stack={}", want.stack),
                ],
            });
            steps.push(Step::Create(want.principals.clone()));
        }
        (Mode::Share, Some(s)) => {
            let has_domain = seen
                .members
                .iter()
                .any(|m| m.kind == "RESOURCE" && m.is_member() && m.entity == arn.to_string());
            if !has_domain {
                plan.actions.push(Action {
                    verb: Verb::Change,
                    resource: "resource-share".into(),
                    target: s.arn.clone(),
                    details: vec![format!("add the domain {}", arn.name_and_id())],
                });
                steps.push(Step::AddDomain);
            }
            let missing: Vec<String> = want
                .principals
                .iter()
                .filter(|p| !principal(p).is_some_and(ShareMember::is_member))
                .cloned()
                .collect();
            for p in want.principals.iter().filter(|p| !missing.contains(p)) {
                plan.actions.push(Action {
                    verb: Verb::Reuse,
                    resource: "share-principal".into(),
                    target: p.clone(),
                    details: vec![principal(p).map(|m| m.status.clone()).unwrap_or_default()],
                });
            }
            if !missing.is_empty() {
                plan.actions.push(Action {
                    verb: Verb::Change,
                    resource: "resource-share".into(),
                    target: s.arn.clone(),
                    details: missing.iter().map(|p| format!("add {p}")).collect(),
                });
                steps.push(Step::AddPrincipals(missing));
            }
        }
        (Mode::Unshare, share) => {
            let present: Vec<String> = want
                .principals
                .iter()
                .filter(|p| principal(p).is_some_and(ShareMember::is_member))
                .cloned()
                .collect();
            for p in want.principals.iter().filter(|p| !present.contains(p)) {
                plan.actions.push(Action {
                    verb: Verb::Reuse,
                    resource: "share-principal".into(),
                    target: p.clone(),
                    details: vec!["already not shared with".into()],
                });
            }
            if let (Some(s), false) = (share, present.is_empty()) {
                plan.actions.push(Action {
                    verb: Verb::Change,
                    resource: "resource-share".into(),
                    target: s.arn.clone(),
                    details: present.iter().map(|p| format!("remove {p}")).collect(),
                });
                steps.push(Step::RemovePrincipals(present));
            }
        }
    }
    Ok(Planned { plan, steps })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const OWNER: &str = "111111111111";
    const C1: &str = "222222222222";
    const C2: &str = "333333333333";

    fn arn() -> DomainArn {
        DomainArn::new("aws", "us-east-1", OWNER, "private.example.com", "abcd1234")
    }

    fn seen(share: bool, members: &[(&str, &str, &str)]) -> Observed {
        Observed {
            caller: format!("arn:aws:iam::{OWNER}:user/p"),
            account: OWNER.into(),
            domain: DomainName {
                name: "private.example.com".into(),
                id: "abcd1234".into(),
                arn: arn().to_string(),
                endpoint_types: vec!["PRIVATE".into()],
                status: Some("AVAILABLE".into()),
                status_message: None,
                certificate_arn: None,
                security_policy: None,
                endpoint_access_mode: None,
                policy: None,
                management_policy: None,
                tags: BTreeMap::new(),
            },
            shares: if share {
                vec![ResourceShare {
                    arn: format!("arn:aws:ram:us-east-1:{OWNER}:resource-share/6f1d"),
                    name: share_name("s1"),
                    status: "ACTIVE".into(),
                    allow_external_principals: true,
                    tags: BTreeMap::new(),
                }]
            } else {
                Vec::new()
            },
            members: members
                .iter()
                .map(|(entity, kind, status)| ShareMember {
                    entity: (*entity).into(),
                    kind: (*kind).into(),
                    status: (*status).into(),
                    status_message: None,
                    external: true,
                })
                .collect(),
        }
    }

    fn want(mode: Mode, principals: &[&str]) -> Desired {
        Desired {
            domain: arn(),
            stack: "s1".into(),
            mode,
            principals: principals.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn a_share_is_made_once_then_only_missing_principals_are_added() {
        let first = plan(&seen(false, &[]), &want(Mode::Share, &[C1])).unwrap();
        assert_eq!(first.steps, vec![Step::Create(vec![C1.into()])]);
        let domain = arn().to_string();
        let members = [
            (domain.as_str(), "RESOURCE", "ASSOCIATED"),
            (C1, "PRINCIPAL", "ASSOCIATING"),
            (C2, "PRINCIPAL", "DISASSOCIATED"),
        ];
        let s = seen(true, &members);
        assert!(plan(&s, &want(Mode::Share, &[C1]))
            .unwrap()
            .steps
            .is_empty());
        assert_eq!(
            plan(&s, &want(Mode::Share, &[C1, C2])).unwrap().steps,
            vec![Step::AddPrincipals(vec![C2.into()])]
        );
        // A share that lost the domain gets it back.
        let without = seen(true, &[(C1, "PRINCIPAL", "ASSOCIATED")]);
        assert_eq!(
            plan(&without, &want(Mode::Share, &[C1])).unwrap().steps,
            vec![Step::AddDomain]
        );
    }

    #[test]
    fn unshare_removes_only_present_principals() {
        let s = seen(
            true,
            &[
                (C1, "PRINCIPAL", "ASSOCIATED"),
                (C2, "PRINCIPAL", "DISASSOCIATED"),
            ],
        );
        assert_eq!(
            plan(&s, &want(Mode::Unshare, &[C1, C2])).unwrap().steps,
            vec![Step::RemovePrincipals(vec![C1.into()])]
        );
        assert!(plan(&s, &want(Mode::Unshare, &[C2]))
            .unwrap()
            .steps
            .is_empty());
        assert!(plan(&seen(false, &[]), &want(Mode::Unshare, &[C1]))
            .unwrap()
            .steps
            .is_empty());
    }

    #[test]
    fn refusals() {
        let mut other = seen(false, &[]);
        other.account = C1.into();
        assert!(plan(&other, &want(Mode::Share, &[C2]))
            .unwrap_err()
            .to_string()
            .contains("owner's credentials"));
        let mut public = seen(false, &[]);
        public.domain.endpoint_types = vec!["REGIONAL".into()];
        assert!(plan(&public, &want(Mode::Share, &[C1])).is_err());
        let mut two = seen(true, &[]);
        two.shares.push(two.shares[0].clone());
        two.shares[1].arn.push('2');
        assert!(plan(&two, &want(Mode::Share, &[C1]))
            .unwrap_err()
            .to_string()
            .contains("2 resource shares"));
    }

    #[test]
    fn the_permission_follows_the_partition() {
        assert!(domain_permission("aws-cn").starts_with("arn:aws-cn:ram::aws:permission/"));
    }

    #[test]
    fn the_share_is_named_for_the_stack_and_the_plan_for_its_runner() {
        assert_eq!(share_name("s1"), "xapi-s1-domain");
        let p = plan(&seen(false, &[]), &want(Mode::Share, &[C1])).unwrap();
        assert_eq!(p.plan.identity, format!("arn:aws:iam::{OWNER}:user/p"));
    }

    /// The domain counts as shared only as a RESOURCE member that is this
    /// domain and still a member: a disassociated one, or another resource,
    /// is not it.
    #[test]
    fn only_this_domain_as_a_live_resource_counts_as_in_the_share() {
        let domain = arn().to_string();
        let other = arn().to_string().replace("abcd1234", "ffff0000");
        for members in [
            [
                (domain.as_str(), "RESOURCE", "DISASSOCIATED"),
                (C1, "PRINCIPAL", "ASSOCIATED"),
            ],
            [
                (other.as_str(), "RESOURCE", "ASSOCIATED"),
                (C1, "PRINCIPAL", "ASSOCIATED"),
            ],
            [
                (domain.as_str(), "PRINCIPAL", "ASSOCIATED"),
                (C1, "PRINCIPAL", "ASSOCIATED"),
            ],
        ] {
            assert_eq!(
                plan(&seen(true, &members), &want(Mode::Share, &[C1]))
                    .unwrap()
                    .steps,
                vec![Step::AddDomain],
                "{members:?}"
            );
        }
    }

    /// The plan says which principals are left as they are, on both sides.
    #[test]
    fn principals_left_alone_are_named_as_such() {
        let domain = arn().to_string();
        let s = seen(
            true,
            &[
                (domain.as_str(), "RESOURCE", "ASSOCIATED"),
                (C1, "PRINCIPAL", "ASSOCIATED"),
                (C2, "PRINCIPAL", "DISASSOCIATED"),
            ],
        );
        let reused = |mode, principals: &[&str]| -> Vec<String> {
            plan(&s, &want(mode, principals))
                .unwrap()
                .plan
                .actions
                .iter()
                .filter(|a| a.verb == Verb::Reuse && a.resource == "share-principal")
                .map(|a| a.target.clone())
                .collect()
        };
        assert_eq!(reused(Mode::Share, &[C1, C2]), [C1]);
        assert_eq!(reused(Mode::Unshare, &[C1, C2]), [C2]);
    }
}
