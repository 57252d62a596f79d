//! `grant-vpce --domain` and `revoke-vpce --domain` on the domain's own
//! policy, as a pure plan: the same exact engine as an API's policy, in its
//! domain mode (AWS stores `execute-api:/*` as the domain's execute-api ARN).
//! A domain has no stages: its policy is live once stored. A revoke also
//! rejects the endpoint's access association, before the policy write, as
//! AWS documents the order.

use super::access::{edit_lines, policy_error, Change, Facts, Mode};
use super::domain::policy_ref;
use super::{Action, Assessed, Plan, Planned, Verb};
use crate::error::{Error, Result};
use crate::ids::DomainArn;
use crate::model::{AccessAssociation, BasePathMapping, DomainName};
use crate::policy::{self, PolicyDocument};

/// What the user asked for: a grant or revoke (never a restore) on the domain.
#[derive(Debug, Clone)]
pub struct Desired {
    pub domain: DomainArn,
    pub change: Change,
}

/// Everything read before planning.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The caller's ARN.
    pub caller: String,
    pub domain: DomainName,
    pub mappings: Vec<BasePathMapping>,
    /// Other accounts' access associations with this domain.
    pub associations: Vec<AccessAssociation>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Refuse another account's association: its calls through the domain get 403.
    Reject(AccessAssociation),
    /// Write `document` over the policy whose hash is `over` (re-applied to
    /// another writer's document found in its place, as for an API).
    WritePolicy {
        document: PolicyDocument,
        hash: String,
        over: Option<String>,
    },
}

/// The plan, its steps and the facts behind them.
pub type Assessment = Assessed<Step, Facts>;

/// The associations of `vpces` with the domain, as the producer lists them.
pub fn associations_of<'a>(
    seen: &'a Observed,
    domain: &DomainArn,
    vpces: &'a [String],
) -> impl Iterator<Item = &'a AccessAssociation> + 'a {
    let domain = domain.clone();
    seen.associations
        .iter()
        .filter(move |a| domain.is(&a.domain_arn) && vpces.contains(&a.source))
}

pub fn plan(seen: &Observed, want: &Desired) -> Result<Assessment> {
    let arn = &want.domain;
    let label = format!("domain {}", arn.name_and_id());
    let Change::Access {
        mode,
        vpces,
        like,
        resources,
    } = &want.change
    else {
        return Err(Error::internal(
            "planning a domain grant",
            "a restore is not a domain change",
        ));
    };
    if !seen.domain.is_private() {
        return Err(Error::BadInput(format!(
            "--domain {arn}: the domain is {}, not PRIVATE: endpoint grants apply to private domains",
            seen.domain.endpoint_types.join("/")
        )));
    }
    let api = policy_ref(arn);
    let current = seen
        .domain
        .policy
        .as_deref()
        .map(PolicyDocument::parse)
        .transpose()
        .map_err(|e| policy_error(&label, e))?;
    let current_hash = current.as_ref().map(|d| d.canonical_sha256(&api));
    let edit = mode
        .edit(current.as_ref(), &api, vpces, like.as_deref(), resources)
        .map_err(|e| policy_error(&label, e))?;
    let mut plan = Plan {
        identity: seen.caller.clone(),
        ..Plan::default()
    };
    let mut facts = Facts {
        current_hash: current_hash.clone(),
        ..Facts::default()
    };
    facts.record(&edit);
    plan.warnings.extend(edit.warnings.iter().cloned());
    let (details, already) = edit_lines(*mode, "domain-policy", &arn.to_string(), &edit);
    let mut steps = Vec::new();
    if edit.changed {
        let names: Vec<String> = vpces.iter().map(ToString::to_string).collect();
        if *mode == Mode::Revoke {
            for a in associations_of(seen, arn, &names) {
                if a.account() == arn.account() {
                    plan.warnings.push(format!(
                        "access association {} is in the domain's own account: AWS lets only \
                         its owner delete it (`aws apigateway delete-domain-name-access-association \
                         --domain-name-access-association-arn {}`)",
                        a.arn, a.arn
                    ));
                    continue;
                }
                plan.actions.push(Action {
                    verb: Verb::Delete,
                    resource: "access-association".into(),
                    target: a.arn.clone(),
                    details: vec![format!(
                        "reject it: {} (account {}) can no longer call through the domain",
                        a.source,
                        a.account()
                    )],
                });
                steps.push(Step::Reject(a.clone()));
            }
        }
        facts.changed = true;
        facts.diff = Some(policy::unified_diff(
            &current
                .as_ref()
                .map(|d| d.to_pretty() + "\n")
                .unwrap_or_default(),
            &(edit.document.to_pretty() + "\n"),
            &format!("{label} (current)"),
            &format!("{label} (new)"),
        ));
        plan.actions.push(Action {
            verb: Verb::Change,
            resource: "domain-policy".into(),
            target: arn.to_string(),
            details,
        });
        steps.push(Step::WritePolicy {
            hash: edit.document.canonical_sha256(&api),
            document: edit.document.clone(),
            over: current_hash,
        });
    }
    plan.actions.extend(already);
    if *mode == Mode::Grant {
        for v in vpces.iter().map(ToString::to_string) {
            let listed = std::slice::from_ref(&v);
            if associations_of(seen, arn, listed).next().is_none() {
                plan.warnings.push(format!(
                    "{v} has no access association with the domain yet: its owner runs \
                     `xapi domain associate --domain {arn} --vpce {v}` (AWS then takes about \
                     15 minutes)"
                ));
            }
        }
    }
    if seen.mappings.is_empty() {
        plan.warnings.push(format!(
            "{label} maps no API yet, so the endpoints reach nothing through it: map one with \
             `xapi domain create --name {} --certificate-arn ... --api-id ID --stage STAGE`",
            arn.name()
        ));
    }
    Ok(Assessment {
        facts,
        planned: Planned { plan, steps },
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::ids::VpceId;

    const OWNER: &str = "111111111111";
    const CONSUMER: &str = "222222222222";
    const V: &str = "vpce-0aaa1111bbbb2222c";
    const W: &str = "vpce-0bbb1111bbbb2222c";

    fn arn(id: &str) -> DomainArn {
        DomainArn::new("aws", "us-east-1", OWNER, "private.example.com", id)
    }

    fn domain(admits: &[&str], private: bool) -> DomainName {
        let vpces: Vec<String> = admits.iter().map(|v| (*v).to_owned()).collect();
        DomainName {
            name: "private.example.com".into(),
            id: "abcd1234".into(),
            arn: arn("abcd1234").to_string(),
            endpoint_types: vec![if private { "PRIVATE" } else { "REGIONAL" }.into()],
            status: Some("AVAILABLE".into()),
            status_message: None,
            certificate_arn: None,
            security_policy: Some("TLS_1_2".into()),
            endpoint_access_mode: None,
            policy: Some(PolicyDocument::standard(&vpces).to_compact()),
            management_policy: None,
            tags: BTreeMap::new(),
        }
    }

    fn association(account: &str, domain_id: &str, vpce: &str) -> AccessAssociation {
        AccessAssociation {
            arn: format!(
                "arn:aws:apigateway:us-east-1:{account}:/domainnameaccessassociations/domainname/private.example.com+{domain_id}/vpcesource/{vpce}"
            ),
            domain_arn: arn(domain_id).to_string(),
            source: vpce.into(),
            source_type: "VPCE".into(),
            tags: BTreeMap::new(),
        }
    }

    fn seen(d: DomainName, associations: Vec<AccessAssociation>) -> Observed {
        Observed {
            caller: format!("arn:aws:iam::{OWNER}:user/p"),
            domain: d,
            mappings: vec![BasePathMapping {
                base_path: "orders".into(),
                api_id: "a1b2c3d4e5".into(),
                stage: "prod".into(),
            }],
            associations,
        }
    }

    fn want(mode: Mode, vpces: &[&str]) -> Desired {
        Desired {
            domain: arn("abcd1234"),
            change: Change::Access {
                mode,
                vpces: vpces.iter().map(|v| v.parse::<VpceId>().unwrap()).collect(),
                like: None,
                resources: Vec::new(),
            },
        }
    }

    #[test]
    fn a_revoke_rejects_the_endpoints_association_before_writing_the_policy() {
        let s = seen(
            domain(&[V, W], true),
            vec![
                association(CONSUMER, "abcd1234", W),
                association(CONSUMER, "abcd1234", V),
                // The same name with another id: another domain, never touched.
                association(CONSUMER, "zzzz9999", W),
            ],
        );
        let a = plan(&s, &want(Mode::Revoke, &[W])).unwrap();
        let steps = &a.planned.steps;
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert_eq!(steps[0], Step::Reject(association(CONSUMER, "abcd1234", W)));
        let Step::WritePolicy { document, .. } = &steps[1] else {
            panic!("{steps:?}")
        };
        let api = policy_ref(&arn("abcd1234"));
        assert!(policy::admits_vpce(document, &api, V, None).unwrap());
        assert!(!policy::admits_vpce(document, &api, W, None).unwrap());
        assert_eq!(a.facts.removed, vec![W.to_owned()]);
        // What the write job compares a fresh read against, and who runs it.
        let stored = PolicyDocument::parse(s.domain.policy.as_deref().unwrap()).unwrap();
        assert_eq!(a.facts.current_hash, Some(stored.canonical_sha256(&api)));
        assert_eq!(
            a.planned.plan.identity,
            format!("arn:aws:iam::{OWNER}:user/p")
        );
    }

    #[test]
    fn a_same_account_association_is_not_rejected_but_named() {
        let s = seen(domain(&[W], true), vec![association(OWNER, "abcd1234", W)]);
        let a = plan(&s, &want(Mode::Revoke, &[W])).unwrap();
        assert!(matches!(
            a.planned.steps.as_slice(),
            [Step::WritePolicy { .. }]
        ));
        assert!(
            a.planned
                .plan
                .warnings
                .iter()
                .any(|w| w.contains("delete-domain-name-access-association")),
            "{:?}",
            a.planned.plan.warnings
        );
    }

    #[test]
    fn nothing_to_revoke_rejects_nothing() {
        let s = seen(
            domain(&[V], true),
            vec![association(CONSUMER, "abcd1234", W)],
        );
        let a = plan(&s, &want(Mode::Revoke, &[W])).unwrap();
        assert!(a.planned.steps.is_empty());
        assert!(a.planned.plan.is_noop());
        assert_eq!(a.facts.unchanged, vec![W.to_owned()]);
    }

    #[test]
    fn a_grant_names_the_missing_association_and_the_missing_mapping() {
        let mut s = seen(
            domain(&[V], true),
            vec![association(CONSUMER, "abcd1234", V)],
        );
        let a = plan(&s, &want(Mode::Grant, &[V, W])).unwrap();
        let warned = |a: &Assessment, needle: &str| {
            a.planned.plan.warnings.iter().any(|w| w.contains(needle))
        };
        assert!(warned(&a, &format!("--vpce {W}")));
        assert!(!warned(&a, &format!("--vpce {V}")));
        assert!(!warned(&a, "maps no API"));
        assert_eq!(a.facts.added, vec![W.to_owned()]);
        s.mappings.clear();
        assert!(warned(
            &plan(&s, &want(Mode::Grant, &[V])).unwrap(),
            "maps no API"
        ));
    }

    #[test]
    fn refusals() {
        let public = seen(domain(&[V], false), Vec::new());
        let e = plan(&public, &want(Mode::Grant, &[W])).unwrap_err();
        assert!(e.to_string().contains("not PRIVATE"), "{e}");
        let mut unreadable = seen(domain(&[V], true), Vec::new());
        unreadable.domain.policy = Some("{not json".into());
        let e = plan(&unreadable, &want(Mode::Grant, &[W])).unwrap_err();
        assert!(
            e.to_string().contains("private.example.com+abcd1234"),
            "{e}"
        );
        let restore = Desired {
            domain: arn("abcd1234"),
            change: Change::Restore {
                document: PolicyDocument::standard(&[]),
                from: "x".into(),
                account: OWNER.into(),
                region: "us-east-1".into(),
            },
        };
        assert!(plan(&seen(domain(&[V], true), Vec::new()), &restore).is_err());
    }

    fn any_association() -> impl Strategy<Value = AccessAssociation> {
        (
            prop::sample::select(vec![OWNER, CONSUMER, "333333333333"]),
            prop::sample::select(vec!["abcd1234", "zzzz9999"]),
            prop::sample::select(vec![V, W, "vpce-0ccc1111bbbb2222c"]),
        )
            .prop_map(|(account, id, vpce)| association(account, id, vpce))
    }

    proptest! {
        /// A revoke rejects exactly the other accounts' associations of the
        /// revoked endpoints with this domain (by name AND id), only when it
        /// removes something, and always before the write.
        #[test]
        fn rejects_exactly_the_revoked_endpoints_foreign_associations(
            associations in prop::collection::vec(any_association(), 0..6),
            admitted_w in any::<bool>(),
        ) {
            let admits: Vec<&str> = if admitted_w { vec![V, W] } else { vec![V] };
            let s = seen(domain(&admits, true), associations.clone());
            let a = plan(&s, &want(Mode::Revoke, &[W])).unwrap();
            let rejected: Vec<&AccessAssociation> = a
                .planned
                .steps
                .iter()
                .filter_map(|s| match s {
                    Step::Reject(a) => Some(a),
                    Step::WritePolicy { .. } => None,
                })
                .collect();
            let expected: Vec<&AccessAssociation> = associations
                .iter()
                .filter(|a| admitted_w
                    && a.source == W
                    && a.domain_arn == arn("abcd1234").to_string()
                    && a.account() != OWNER)
                .collect();
            prop_assert_eq!(rejected, expected);
            let write_at = a.planned.steps.iter().position(|s| matches!(s, Step::WritePolicy { .. }));
            prop_assert_eq!(write_at.is_some(), admitted_w);
            if let Some(at) = write_at {
                prop_assert_eq!(at, a.planned.steps.len() - 1);
            }
        }
    }
}
