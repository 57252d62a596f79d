//! The one mutation pipeline every mutating command runs through:
//! observe -> plan (pure) -> print -> apply exactly those steps -> observe and
//! plan again, expecting no steps.
//!
//! A command supplies a [`Mutation`]: how to observe, a pure planner that
//! turns what it saw into a [`Plan`] for people, the `Steps` to execute and
//! the facts behind them, and an applier that executes exactly the steps it
//! is given. The pipeline owns everything else, so dry runs, "nothing to
//! do", the plan on stderr and verification read and behave the same in
//! every command; and it plans each observation once: the applier gets the
//! plan's facts and the report the facts of the last observation, so nothing
//! is planned again to apply or to report it.

use std::future::Future;

use serde::Serialize;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{self, Style};
use crate::plan::{Assessed, Plan, Planned};

/// What a run did; every mutating command's JSON carries it as `outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A dry run: the plan was printed and nothing was changed.
    Planned,
    /// There was nothing to do: no call that changes anything was made.
    Unchanged,
    /// The steps were applied and a fresh observation planned nothing more.
    Applied,
}

impl Outcome {
    /// The one line every command ends a table with for this outcome.
    /// `subject` names what was planned for, e.g. `stack demo`.
    pub fn summary(self, subject: &str) -> String {
        match self {
            Outcome::Planned => "Dry run: nothing was changed.".to_owned(),
            Outcome::Unchanged => format!("No changes: {subject} is already as requested."),
            Outcome::Applied => format!("Applied and verified: {subject} is as requested."),
        }
    }

    /// What happened to the one resource a command makes, as its JSON
    /// `action` says it: `planned` on a dry run, else `created` when this
    /// run made it (`made`), else `reused`.
    pub fn action(self, made: bool) -> &'static str {
        match self {
            Outcome::Planned => "planned",
            _ if made => "created",
            _ => "reused",
        }
    }

    /// A report's table in the one order every command uses: the plan (dry
    /// run only: while applying it went to stderr), then the command's own
    /// lines (`body`), then the summary line, always last.
    pub fn frame(self, plan: &Plan, subject: &str, style: &Style, body: &str) -> String {
        let mut out = String::new();
        if self == Outcome::Planned {
            out.push_str(&plan.render(style));
        }
        out.push_str(body);
        out.push_str(&self.summary(subject));
        out.push('\n');
        out
    }
}

/// What every mutating command's report says of its run, written once and
/// flattened into each report's JSON: `outcome`, `dry_run`, `changed`, `plan`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Run {
    pub outcome: Outcome,
    /// `outcome` is `planned`: nothing was changed.
    pub dry_run: bool,
    /// The run changed the account; in a dry run, applying the plan would.
    pub changed: bool,
    /// The plan that was applied, or would be.
    pub plan: Plan,
}

impl Run {
    /// For a command whose applied steps each change the account.
    pub fn new(outcome: Outcome, plan: Plan) -> Self {
        let changed = match outcome {
            Outcome::Applied => true,
            Outcome::Planned => !plan.is_noop(),
            Outcome::Unchanged => false,
        };
        Run::with_changed(outcome, plan, changed)
    }

    /// For a command that knows better what changed (a grant another writer
    /// had already made changes nothing, though its stages were redeployed).
    pub fn with_changed(outcome: Outcome, plan: Plan, changed: bool) -> Self {
        Run {
            outcome,
            dry_run: outcome == Outcome::Planned,
            changed,
            plan,
        }
    }

    /// The report's table: see [`Outcome::frame`].
    pub fn frame(&self, subject: &str, style: &Style, body: &str) -> String {
        self.outcome.frame(&self.plan, subject, style, body)
    }
}

/// One mutating command, split so the pipeline can run it.
pub trait Mutation {
    /// Everything the planner needs, read from AWS.
    type Observed;
    /// One call (or tightly bound group of calls) the applier makes.
    type Step: std::fmt::Debug;
    /// What the planner learned beside the plan, for the applier and the
    /// report (`()` when the plan says it all).
    type Facts;
    /// What applying learned that observing again cannot (new deployment ids, backups...).
    type Applied: Default;

    /// What the plan is for, as the summary line names it (`stack demo`, `API a1b2c3`).
    fn subject(&self) -> String;

    fn observe(&self) -> impl Future<Output = Result<Self::Observed>>;

    /// Pure: the same observation always yields the same plan, steps and facts.
    fn plan(&self, seen: &Self::Observed) -> Result<Assessed<Self::Step, Self::Facts>>;

    /// Execute exactly `steps`, in order, with the facts planned beside them;
    /// never re-decide from `seen`.
    fn apply(
        &self,
        seen: &Self::Observed,
        facts: &Self::Facts,
        steps: Vec<Self::Step>,
    ) -> impl Future<Output = Result<Self::Applied>>;

    /// Wiring the plan cannot express (a re-plan with no steps is checked
    /// by the pipeline itself); each entry is one problem found.
    fn check(&self, _after: &Self::Observed) -> Vec<String> {
        Vec::new()
    }

    /// What to run to look at the result by hand when verification fails.
    fn inspect_hint(&self) -> String;
}

/// The end of a run: what happened, the plan that was (or would be) applied,
/// the latest observation (after applying, the fresh one) as it was planned,
/// and what applying learned. Nothing is planned again to report it.
#[derive(Debug)]
pub struct Ran<O, S, F, A> {
    pub outcome: Outcome,
    pub plan: Plan,
    pub observed: O,
    /// What the latest observation still plans: a dry run's steps; none
    /// once applied and verified, or when there was nothing to do.
    pub pending: Vec<S>,
    /// The facts planned from the latest observation.
    pub facts: F,
    pub applied: A,
}

/// A run's result as the pipeline returns it for `M`.
pub type RanOf<M> = Ran<
    <M as Mutation>::Observed,
    <M as Mutation>::Step,
    <M as Mutation>::Facts,
    <M as Mutation>::Applied,
>;

/// Run a mutation: plan, and unless this is a dry run or there is nothing to
/// do, print the plan to stderr, apply its steps and verify by observing and
/// planning again.
pub async fn run<M: Mutation>(ctx: &Context, mutation: &M, dry_run: bool) -> Result<RanOf<M>> {
    run_with(&Style::stderr(ctx), mutation, dry_run).await
}

async fn run_with<M: Mutation>(stderr: &Style, mutation: &M, dry_run: bool) -> Result<RanOf<M>> {
    let seen = mutation.observe().await?;
    let Assessed {
        planned: Planned { plan, steps },
        facts,
    } = mutation.plan(&seen)?;
    if dry_run || steps.is_empty() {
        let outcome = if dry_run {
            Outcome::Planned
        } else {
            // No plan is printed when nothing is to be done, but what it warns
            // about (an existing resource that differs from the request) still holds.
            for w in &plan.warnings {
                output::note(stderr.warning_line(w).trim_end());
            }
            Outcome::Unchanged
        };
        return Ok(Ran {
            outcome,
            plan,
            observed: seen,
            pending: steps,
            facts,
            applied: M::Applied::default(),
        });
    }
    output::note(plan.render(stderr).trim_end());
    let applied = mutation.apply(&seen, &facts, steps).await?;
    let after = mutation.observe().await?;
    let Assessed {
        planned: again,
        facts: after_facts,
    } = mutation.plan(&after)?;
    let mut problems: Vec<String> = again
        .plan
        .actions
        .iter()
        .filter(|a| a.verb != crate::plan::Verb::Reuse)
        .map(|a| format!("{} {} still needs a change", a.resource, a.target))
        .collect();
    if problems.is_empty() && !again.steps.is_empty() {
        problems.push(format!("{} step(s) are still planned", again.steps.len()));
    }
    problems.extend(mutation.check(&after));
    if !problems.is_empty() {
        return Err(Error::Unverified(format!(
            "applied the plan for {} but re-reading it shows: {}; inspect it with `{}`",
            mutation.subject(),
            problems.join("; "),
            mutation.inspect_hint()
        )));
    }
    Ok(Ran {
        outcome: Outcome::Applied,
        plan,
        observed: after,
        pending: again.steps,
        facts: after_facts,
        applied,
    })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    use super::*;
    use crate::plan::{Action, Verb};

    /// A set of names that should hold `want`; `lossy` drops every write of that name.
    struct Names {
        have: RefCell<BTreeSet<String>>,
        want: Vec<String>,
        lossy: Option<String>,
        applied: RefCell<Vec<Vec<String>>>,
        facts_at_apply: RefCell<Vec<usize>>,
        observed: RefCell<usize>,
        planned: RefCell<usize>,
    }

    impl Names {
        fn new(have: &[&str], want: &[&str]) -> Self {
            Names {
                have: RefCell::new(have.iter().map(|s| s.to_string()).collect()),
                want: want.iter().map(|s| s.to_string()).collect(),
                lossy: None,
                applied: RefCell::new(Vec::new()),
                facts_at_apply: RefCell::new(Vec::new()),
                observed: RefCell::new(0),
                planned: RefCell::new(0),
            }
        }
    }

    impl Mutation for Names {
        type Observed = BTreeSet<String>;
        type Step = String;
        type Facts = usize;
        type Applied = usize;

        fn subject(&self) -> String {
            "set s".into()
        }
        async fn observe(&self) -> Result<BTreeSet<String>> {
            *self.observed.borrow_mut() += 1;
            Ok(self.have.borrow().clone())
        }
        fn plan(&self, seen: &BTreeSet<String>) -> Result<Assessed<String, usize>> {
            *self.planned.borrow_mut() += 1;
            let steps: Vec<String> = self
                .want
                .iter()
                .filter(|w| !seen.contains(*w))
                .cloned()
                .collect();
            let planned = Planned {
                plan: Plan {
                    identity: "me".into(),
                    actions: steps
                        .iter()
                        .map(|s| Action {
                            verb: Verb::Create,
                            resource: "name".into(),
                            target: s.clone(),
                            details: vec![],
                        })
                        .collect(),
                    warnings: vec![],
                },
                steps,
            };
            // The facts: how many of the wanted names were there.
            Ok(Assessed {
                facts: self.want.len() - planned.steps.len(),
                planned,
            })
        }
        async fn apply(
            &self,
            _seen: &BTreeSet<String>,
            facts: &usize,
            steps: Vec<String>,
        ) -> Result<usize> {
            self.facts_at_apply.borrow_mut().push(*facts);
            self.applied.borrow_mut().push(steps.clone());
            for s in &steps {
                if self.lossy.as_ref() != Some(s) {
                    self.have.borrow_mut().insert(s.clone());
                }
            }
            Ok(steps.len())
        }
        fn inspect_hint(&self) -> String {
            "look at s".into()
        }
    }

    fn style() -> Style {
        Style { color: false }
    }

    #[tokio::test]
    async fn a_dry_run_plans_and_applies_nothing() {
        let m = Names::new(&["a"], &["a", "b"]);
        let ran = run_with(&style(), &m, true).await.unwrap();
        assert_eq!(ran.outcome, Outcome::Planned);
        assert_eq!(ran.plan.actions.len(), 1);
        assert_eq!(ran.pending, ["b"], "the report sees what would be done");
        assert_eq!(ran.facts, 1);
        assert!(m.applied.borrow().is_empty());
        assert_eq!(*m.observed.borrow(), 1);
        assert_eq!(*m.planned.borrow(), 1);
        assert_eq!(ran.applied, 0);
    }

    #[tokio::test]
    async fn nothing_to_do_applies_nothing_and_reads_once() {
        let m = Names::new(&["a", "b"], &["a", "b"]);
        let ran = run_with(&style(), &m, false).await.unwrap();
        assert_eq!(ran.outcome, Outcome::Unchanged);
        assert!(m.applied.borrow().is_empty());
        assert_eq!(*m.observed.borrow(), 1);
        assert_eq!(*m.planned.borrow(), 1);
        assert_eq!((ran.pending.len(), ran.facts), (0, 2));
    }

    #[tokio::test]
    async fn applies_exactly_the_planned_steps_then_observes_again() {
        let m = Names::new(&["a"], &["a", "b", "c"]);
        let ran = run_with(&style(), &m, false).await.unwrap();
        assert_eq!(ran.outcome, Outcome::Applied);
        assert_eq!(
            *m.applied.borrow(),
            vec![vec!["b".to_owned(), "c".to_owned()]]
        );
        assert_eq!(*m.observed.borrow(), 2);
        // Once for the plan, once to verify: each observation is planned once.
        assert_eq!(*m.planned.borrow(), 2);
        assert_eq!(
            *m.facts_at_apply.borrow(),
            [1],
            "the applier gets the plan's facts"
        );
        assert_eq!(ran.applied, 2);
        assert!(
            ran.observed.contains("c"),
            "the report sees the fresh observation"
        );
        assert_eq!(ran.facts, 3, "as planned from the fresh observation");
        assert!(ran.pending.is_empty());
    }

    #[tokio::test]
    async fn a_write_that_did_not_stick_is_unverified_naming_what_is_left() {
        let mut m = Names::new(&[], &["a", "b"]);
        m.lossy = Some("b".into());
        let err = run_with(&style(), &m, false).await.unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::UNVERIFIED);
        let msg = err.to_string();
        assert!(msg.contains("name b still needs a change"), "{msg}");
        assert!(!msg.contains("name a "), "{msg}");
        assert!(
            msg.contains("set s") && msg.contains("`look at s`"),
            "{msg}"
        );
    }

    #[test]
    fn a_run_says_dry_run_and_changed_from_its_outcome_and_plan() {
        let plan_of = |verb| Plan {
            identity: "arn:me".into(),
            actions: vec![Action {
                verb,
                resource: "name".into(),
                target: "a".into(),
                details: vec![],
            }],
            warnings: vec![],
        };
        let said = |r: &Run| (r.outcome, r.dry_run, r.changed);
        let cases = [
            (
                Outcome::Planned,
                Verb::Create,
                (Outcome::Planned, true, true),
            ),
            (
                Outcome::Planned,
                Verb::Reuse,
                (Outcome::Planned, true, false),
            ),
            (
                Outcome::Applied,
                Verb::Create,
                (Outcome::Applied, false, true),
            ),
            (
                Outcome::Unchanged,
                Verb::Reuse,
                (Outcome::Unchanged, false, false),
            ),
        ];
        for (outcome, verb, expected) in cases {
            assert_eq!(
                said(&Run::new(outcome, plan_of(verb))),
                expected,
                "{outcome:?} {verb:?}"
            );
        }
        // A command that knows better: applied, yet nothing of the account changed.
        let known = Run::with_changed(Outcome::Applied, plan_of(Verb::Change), false);
        assert_eq!(said(&known), (Outcome::Applied, false, false));
        assert_eq!(
            said(&Run::with_changed(
                Outcome::Planned,
                plan_of(Verb::Reuse),
                true
            )),
            (Outcome::Planned, true, true)
        );
        // Its table is its outcome's frame around the command's lines.
        assert_eq!(
            known.frame("set s", &style(), "made a\n"),
            Outcome::Applied.frame(&known.plan, "set s", &style(), "made a\n")
        );
        assert_eq!(
            Run::new(Outcome::Planned, plan_of(Verb::Create)).frame("set s", &style(), ""),
            "Plan (as arn:me):\n  + create name a\nDry run: nothing was changed.\n"
        );
        // Flattened into a report, the four fields sit at its top level.
        #[derive(Serialize)]
        #[cfg_attr(test, derive(schemars::JsonSchema))]
        struct Report {
            name: &'static str,
            #[serde(flatten)]
            run: Run,
        }
        let json = serde_json::to_value(Report {
            name: "x",
            run: known,
        })
        .unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["name", "outcome", "dry_run", "changed", "plan"]);
    }

    #[test]
    fn every_outcome_has_one_wording() {
        let plan = Plan {
            identity: "arn:me".into(),
            actions: vec![],
            warnings: vec![],
        };
        assert_eq!(
            Outcome::Planned.frame(&plan, "stack x", &style(), "a diff\n"),
            "Plan (as arn:me):\n  No changes.\na diff\nDry run: nothing was changed.\n"
        );
        assert_eq!(
            Outcome::Unchanged.frame(&plan, "stack x", &style(), ""),
            "No changes: stack x is already as requested.\n"
        );
        assert_eq!(
            Outcome::Applied.frame(&plan, "stack x", &style(), "created x\n"),
            "created x\nApplied and verified: stack x is as requested.\n"
        );
        assert_eq!(
            serde_json::to_value([Outcome::Planned, Outcome::Unchanged, Outcome::Applied]).unwrap(),
            serde_json::json!(["planned", "unchanged", "applied"])
        );
        // What happened to the one resource a command makes: a dry run made
        // nothing, whatever it would make.
        assert_eq!(
            [true, false].map(|made| Outcome::Planned.action(made)),
            ["planned", "planned"]
        );
        assert_eq!(Outcome::Applied.action(true), "created");
        assert_eq!(Outcome::Applied.action(false), "reused");
        assert_eq!(Outcome::Unchanged.action(false), "reused");
    }
}
