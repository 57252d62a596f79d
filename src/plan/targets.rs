//! Reconciling an IP target group with an endpoint's interface addresses.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Action, Assessed, Plan, Planned, Verb};
use crate::error::{Error, Result};
use crate::model::{Endpoint, NetworkInterface, Target, TargetGroup, HTTPS_PORT};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TargetDiff {
    pub register: Vec<Target>,
    /// Registered targets that are not current addresses, removed (only with prune).
    pub deregister: Vec<Target>,
    /// Registered targets that are not current addresses, left in place (without prune).
    pub stale: Vec<Target>,
    pub unchanged: Vec<Target>,
}

impl TargetDiff {
    pub fn is_noop(&self) -> bool {
        self.register.is_empty() && self.deregister.is_empty()
    }
}

/// Targets are the same target when address and port match; the AZ is a
/// registration detail (and not every implementation reports it back).
fn key(t: &Target) -> (&str, i32) {
    (t.ip.as_str(), t.port)
}

pub fn diff(current: &[Target], desired: &[Target], prune: bool) -> TargetDiff {
    let have: BTreeSet<(&str, i32)> = current.iter().map(key).collect();
    let want: BTreeSet<(&str, i32)> = desired.iter().map(key).collect();
    let mut d = TargetDiff::default();
    let mut seen = BTreeSet::new();
    for t in desired {
        if !seen.insert(key(t)) {
            continue;
        }
        if have.contains(&key(t)) {
            d.unchanged.push(t.clone());
        } else {
            d.register.push(t.clone());
        }
    }
    let mut seen = BTreeSet::new();
    for t in current {
        if want.contains(&key(t)) || !seen.insert(key(t)) {
            continue;
        }
        if prune {
            d.deregister.push(t.clone());
        } else {
            d.stale.push(t.clone());
        }
    }
    for v in [
        &mut d.register,
        &mut d.deregister,
        &mut d.stale,
        &mut d.unchanged,
    ] {
        v.sort();
    }
    d
}

/// The targets an endpoint's interfaces should be: port 443, each with its
/// interface's AZ, or `all` when the address is outside the target group's VPC.
pub fn desired_targets(
    endpoint: &Endpoint,
    enis: &[NetworkInterface],
    tg_vpc: &str,
) -> Vec<Target> {
    let mut targets: Vec<Target> = enis
        .iter()
        .filter(|n| endpoint.network_interface_ids.contains(&n.id) && !n.private_ip.is_empty())
        .map(|n| Target {
            ip: n.private_ip.clone(),
            port: HTTPS_PORT,
            availability_zone: Some(if endpoint.vpc_id == tg_vpc {
                n.availability_zone.clone()
            } else {
                "all".to_owned()
            }),
        })
        .collect();
    targets.sort();
    targets
}

/// Refuse target groups that can never hold endpoint addresses.
pub fn check_target_group(tg: &TargetGroup) -> Result<()> {
    if !tg.target_type.eq_ignore_ascii_case("ip") {
        return Err(Error::BadInput(format!(
            "target group {} has target type '{}': endpoint addresses need an 'ip' target group",
            tg.name, tg.target_type
        )));
    }
    Ok(())
}

pub fn target_actions(tg_name: &str, d: &TargetDiff) -> Vec<Action> {
    let mut actions = Vec::new();
    for t in &d.register {
        actions.push(Action {
            verb: Verb::Create,
            resource: "target".into(),
            target: format!("{}:{}", t.ip, t.port),
            details: vec![format!(
                "register in {tg_name} ({})",
                t.availability_zone.as_deref().unwrap_or("-")
            )],
        });
    }
    for t in &d.deregister {
        actions.push(Action {
            verb: Verb::Delete,
            resource: "target".into(),
            target: format!("{}:{}", t.ip, t.port),
            details: vec![format!(
                "deregister from {tg_name}: not an endpoint address"
            )],
        });
    }
    for t in &d.unchanged {
        actions.push(Action {
            verb: Verb::Reuse,
            resource: "target".into(),
            target: format!("{}:{}", t.ip, t.port),
            details: Vec::new(),
        });
    }
    actions
}

/// Everything `targets sync` reads before planning.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The caller's ARN.
    pub identity: String,
    pub endpoint: Endpoint,
    pub enis: Vec<NetworkInterface>,
    pub tg: TargetGroup,
    /// The targets registered now.
    pub current: Vec<Target>,
}

/// `--prune`: also deregister targets that are not endpoint addresses.
#[derive(Debug, Clone, Copy)]
pub struct Desired {
    pub prune: bool,
}

/// One call on the target group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Deregister(Vec<Target>),
    Register(Vec<Target>),
}

/// The plan and the diff it comes from, as its facts (the report lists every target).
pub type Assessment = Assessed<Step, TargetDiff>;

/// Plan `targets sync`: deregister (with prune) first, then register.
/// Refuses a target group that is not of type `ip`.
pub fn plan(seen: &Observed, want: Desired) -> Result<Assessment> {
    check_target_group(&seen.tg)?;
    let desired = desired_targets(&seen.endpoint, &seen.enis, &seen.tg.vpc_id);
    let d = diff(&seen.current, &desired, want.prune);
    let mut plan = Plan {
        identity: seen.identity.clone(),
        actions: target_actions(&seen.tg.name, &d),
        warnings: Vec::new(),
    };
    if !d.stale.is_empty() {
        plan.warnings.push(format!(
            "{} registered target(s) are not addresses of {}: pass --prune to deregister them",
            d.stale.len(),
            seen.endpoint.id
        ));
    }
    if desired.is_empty() {
        plan.warnings.push(format!(
            "{} has no network interfaces with addresses",
            seen.endpoint.id
        ));
    }
    let mut steps = Vec::new();
    if !d.deregister.is_empty() {
        steps.push(Step::Deregister(d.deregister.clone()));
    }
    if !d.register.is_empty() {
        steps.push(Step::Register(d.register.clone()));
    }
    Ok(Assessment {
        facts: d,
        planned: Planned { plan, steps },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(ip: &str) -> Target {
        Target {
            ip: ip.into(),
            port: 443,
            availability_zone: Some("us-east-1a".into()),
        }
    }

    #[test]
    fn registers_missing_and_lists_or_prunes_stale() {
        let current = [t("10.0.1.5"), t("10.0.9.9")];
        let desired = [t("10.0.1.5"), t("10.0.2.7")];
        let d = diff(&current, &desired, false);
        assert_eq!(d.register, vec![t("10.0.2.7")]);
        assert_eq!(d.stale, vec![t("10.0.9.9")]);
        assert!(d.deregister.is_empty());
        assert_eq!(d.unchanged, vec![t("10.0.1.5")]);
        let d = diff(&current, &desired, true);
        assert_eq!(d.deregister, vec![t("10.0.9.9")]);
        assert!(d.stale.is_empty());
    }

    #[test]
    fn the_az_does_not_make_a_different_target() {
        let mut reported = t("10.0.1.5");
        reported.availability_zone = None;
        assert!(diff(&[reported], &[t("10.0.1.5")], true).is_noop());
    }

    fn seen(current: &[Target]) -> Observed {
        Observed {
            identity: "arn:me".into(),
            endpoint: Endpoint {
                id: "vpce-0123abcd".into(),
                vpc_id: "vpc-1".into(),
                service_name: "com.amazonaws.us-east-1.execute-api".into(),
                endpoint_type: "Interface".into(),
                state: "available".into(),
                private_dns_enabled: false,
                subnet_ids: vec![],
                security_group_ids: vec![],
                network_interface_ids: vec!["eni-1".into(), "eni-2".into()],
                dns_names: vec![],
                dns_entries: Vec::new(),
                ip_address_type: None,
                policy_document: None,
                owner_id: "111111111111".into(),
                tags: std::collections::BTreeMap::new(),
            },
            enis: ["10.0.1.5", "10.0.2.7"]
                .iter()
                .enumerate()
                .map(|(i, ip)| NetworkInterface {
                    id: format!("eni-{}", i + 1),
                    subnet_id: "subnet-1".into(),
                    availability_zone: "us-east-1a".into(),
                    private_ip: (*ip).into(),
                })
                .collect(),
            tg: TargetGroup {
                arn: "arn:tg".into(),
                name: "tg".into(),
                protocol: "TCP".into(),
                port: 443,
                target_type: "ip".into(),
                vpc_id: "vpc-1".into(),
                health_check: crate::model::HealthCheck {
                    protocol: "HTTPS".into(),
                    port: "traffic-port".into(),
                    path: None,
                    matcher: None,
                },
                load_balancer_arns: vec![],
            },
            current: current.to_vec(),
        }
    }

    #[test]
    fn sync_plans_registers_and_with_prune_deregisters_first() {
        let keep = Desired { prune: false };
        let fresh = plan(&seen(&[]), keep).unwrap();
        assert_eq!(
            fresh.planned.steps,
            [Step::Register(vec![t("10.0.1.5"), t("10.0.2.7")])]
        );
        let done = plan(&seen(&[t("10.0.1.5"), t("10.0.2.7")]), keep).unwrap();
        assert_eq!(done.planned.steps, []);
        assert!(done.planned.plan.is_noop());

        let drifted = seen(&[t("10.0.1.5"), t("10.0.9.9")]);
        let kept = plan(&drifted, keep).unwrap();
        assert_eq!(kept.planned.steps, [Step::Register(vec![t("10.0.2.7")])]);
        assert_eq!(kept.facts.stale, [t("10.0.9.9")]);
        assert!(kept.planned.plan.warnings[0].contains("--prune"));
        let pruned = plan(&drifted, Desired { prune: true }).unwrap();
        assert_eq!(
            pruned.planned.steps,
            [
                Step::Deregister(vec![t("10.0.9.9")]),
                Step::Register(vec![t("10.0.2.7")])
            ]
        );
    }

    #[test]
    fn sync_refuses_a_target_group_that_is_not_of_type_ip() {
        let mut s = seen(&[]);
        s.tg.target_type = "instance".into();
        let e = plan(&s, Desired { prune: false }).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("'instance'"));
    }

    fn targets() -> impl Strategy<Value = Vec<Target>> {
        prop::collection::vec((0u8..12, prop::sample::select(vec![443, 8443])), 0..8).prop_map(
            |v| {
                v.into_iter()
                    .map(|(n, port)| Target {
                        ip: format!("10.0.0.{n}"),
                        port,
                        availability_zone: None,
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn applying_the_diff_reaches_the_desired_set(current in targets(), desired in targets(), prune: bool) {
            let d = diff(&current, &desired, prune);
            let mut after: BTreeSet<(String, i32)> = current.iter().map(|t| (t.ip.clone(), t.port)).collect();
            for r in &d.deregister { after.remove(&(r.ip.clone(), r.port)); }
            for r in &d.register { prop_assert!(after.insert((r.ip.clone(), r.port)), "registers an existing target"); }
            let want: BTreeSet<(String, i32)> = desired.iter().map(|t| (t.ip.clone(), t.port)).collect();
            if prune {
                prop_assert_eq!(&after, &want);
            } else {
                prop_assert!(want.is_subset(&after));
                let stale: BTreeSet<(String, i32)> = d.stale.iter().map(|t| (t.ip.clone(), t.port)).collect();
                prop_assert_eq!(after.difference(&want).cloned().collect::<BTreeSet<_>>(), stale);
            }
            // Idempotent: once applied, nothing more to do.
            let applied: Vec<Target> = after.iter().map(|(ip, port)| Target { ip: ip.clone(), port: *port, availability_zone: None }).collect();
            prop_assert!(diff(&applied, &desired, prune).register.is_empty());
        }
    }
}
