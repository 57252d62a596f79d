//! `wire-regional-front` as one plan: the consumer's front door
//! ([`super::front`]) and, with producer credentials, the producer's grant
//! ([`super::access`]), whose lines are marked `(producer)`.

use super::step::{self, front_door};
use super::{access, front, Action, Assessed, Plan, Planned};
use crate::error::Result;

/// Everything read before planning, in both accounts.
#[derive(Debug, Clone)]
pub struct Observed {
    pub front: front::Observed,
    /// Read with producer credentials, when they were given.
    pub producer: Option<access::Observed>,
}

#[derive(Debug, Clone)]
pub struct Desired {
    pub front: front::Desired,
    /// The grant, when producer credentials were given.
    pub producer: Option<access::Desired>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// One step of the consumer's front door.
    Consumer(step::Step),
    /// One step of the producer's grant, with producer credentials.
    Producer(access::Step),
}

/// What the report and the producer's half need beside the combined plan.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The front door's `xapi:stack-id`.
    pub stack_id: String,
    /// The producer's grant as planned on its own, when producer credentials were given.
    pub producer: Option<access::Assessment>,
}

/// Plan both halves; a refusal of either refuses the whole.
pub fn plan(seen: &Observed, want: &Desired) -> Result<Assessed<Step, Facts>> {
    let consumer = front::plan(&seen.front, &want.front)?;
    let producer = match (&seen.producer, &want.producer) {
        (Some(s), Some(w)) => Some(access::plan(s, w)?),
        _ => None,
    };
    let facts = Facts {
        stack_id: consumer.1.stack_id.clone(),
        producer,
    };
    Ok(Assessed {
        planned: combine(
            consumer,
            &want.front,
            facts.producer.as_ref().map(|p| p.planned.clone()),
        ),
        facts,
    })
}

/// The front door's plan and steps first, then the producer's.
fn combine(
    (mut plan, steps): (Plan, front::Steps),
    front: &front::Desired,
    producer: Option<Planned<access::Step>>,
) -> Planned<Step> {
    let mut all = Vec::new();
    if !steps.is_noop() {
        all.extend(front_door(steps, front).into_iter().map(Step::Consumer));
    }
    if let Some(p) = producer {
        plan.actions
            .extend(p.plan.actions.into_iter().map(|a| Action {
                target: format!("{} (producer)", a.target),
                ..a
            }));
        plan.warnings.extend(p.plan.warnings);
        all.extend(p.steps.into_iter().map(Step::Producer));
    }
    Planned { plan, steps: all }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Verb;

    fn plan_of(verb: Verb, target: &str, warning: Option<&str>) -> Plan {
        Plan {
            identity: "arn:me".into(),
            actions: vec![Action {
                verb,
                resource: "thing".into(),
                target: target.into(),
                details: vec![],
            }],
            warnings: warning.map(str::to_owned).into_iter().collect(),
        }
    }

    fn redeploy() -> access::Step {
        access::Step::Redeploy {
            stage: "prod".into(),
        }
    }

    #[test]
    fn a_fresh_front_and_a_grant_are_one_plan_front_first() {
        let front_steps = front::Steps {
            nlb: vec![crate::plan::nlb::Step::EnableCrossZone],
            ..front::Steps::default()
        };
        let want = front::tests::want();
        let planned = combine(
            (
                plan_of(Verb::Create, "front-nlb", None),
                front_steps.clone(),
            ),
            &want,
            Some(Planned {
                plan: plan_of(Verb::Change, "a1b2c3d4e5", Some("open")),
                steps: vec![redeploy()],
            }),
        );
        let consumer: Vec<step::Step> = front_door(front_steps, &want);
        let mut expected: Vec<Step> = consumer.into_iter().map(Step::Consumer).collect();
        expected.push(Step::Producer(redeploy()));
        assert_eq!(planned.steps, expected);
        assert!(matches!(
            &planned.steps[0],
            Step::Consumer(step::Step::Nlb(crate::plan::nlb::Step::EnableCrossZone))
        ));
        let targets: Vec<&str> = planned
            .plan
            .actions
            .iter()
            .map(|a| a.target.as_str())
            .collect();
        assert_eq!(targets, ["front-nlb", "a1b2c3d4e5 (producer)"]);
        assert_eq!(planned.plan.warnings, ["open"]);
    }

    #[test]
    fn a_wired_front_and_an_admitted_endpoint_need_no_step() {
        let planned = combine(
            (
                plan_of(Verb::Reuse, "front-nlb", None),
                front::Steps::default(),
            ),
            &front::tests::want(),
            Some(Planned {
                plan: plan_of(Verb::Reuse, "a1b2c3d4e5", None),
                steps: vec![],
            }),
        );
        assert!(planned.steps.is_empty());
        assert!(planned.plan.is_noop());
    }

    #[test]
    fn only_the_half_that_drifted_has_steps() {
        let want = front::tests::want();
        let only_producer = combine(
            (
                plan_of(Verb::Reuse, "front-nlb", None),
                front::Steps::default(),
            ),
            &want,
            Some(Planned {
                plan: plan_of(Verb::Create, "a1b2c3d4e5 stage prod", None),
                steps: vec![redeploy()],
            }),
        );
        assert!(matches!(&only_producer.steps[..], [Step::Producer(_)]));
        let only_front = combine(
            (
                plan_of(Verb::Create, "front stage prod", None),
                front::Steps {
                    deploy_front: true,
                    ..front::Steps::default()
                },
            ),
            &want,
            None,
        );
        assert!(only_front
            .steps
            .iter()
            .all(|s| matches!(s, Step::Consumer(_))));
        assert!(only_front
            .steps
            .iter()
            .any(|s| matches!(s, Step::Consumer(step::Step::Front(f)) if f.deploy_front)));
        assert_eq!(only_front.plan.actions.len(), 1);
    }
}
