//! "Is this request allowed on *some* resource of the API?", answered exactly when that
//! fits in a work budget, and safely flagged when it does not.
//!
//! Probing a few resources misses policies that are open only on, say, `/*/POST/admin`, and
//! revoke must not report success while such a hole remains. Resource matching is glob
//! matching, so the question is whether the intersection of glob languages and complements
//! of glob languages is non-empty; `search` answers it. A command asks many such questions
//! of one policy (every listed endpoint, from every VPC, as every caller), and most of them
//! differ only in which statements apply, so `Reach` compiles the policy once and answers
//! each distinct set of applicable statements once.

use std::collections::HashMap;

use super::eval::fresh_ids;
use super::model::{Effect, Key, Policy, INVOKE};
use super::search::{allows, solve, Automata, Group, Outcome, Problem};
use super::ApiRef;

/// Statements that take part in deciding an Invoke through `vpce` from `vpc` by `caller`,
/// whatever the resource: everything but the resource is known here.
pub(crate) fn applicable(
    policy: &Policy,
    vpce: Option<&str>,
    vpc: Option<&str>,
    caller: Option<&str>,
) -> Vec<usize> {
    policy
        .stmts
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.principal.matches(caller)
                && s.matches_action(INVOKE)
                && s.conditions.iter().all(|e| {
                    e.holds(match e.key {
                        Key::Vpce => vpce,
                        Key::Vpc => vpc,
                    })
                })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Work units (automaton steps and subsumption checks) one question may use. Policies
/// written by people are answered in a few thousand; past this the answer is "unknown".
const QUESTION_BUDGET: u64 = 600_000;

/// Work units all questions of one command may use together, so that a policy built to
/// make many distinct questions hard still answers in bounded time.
const COMMAND_BUDGET: u64 = 2_000_000;

/// Witnesses kept for reuse; each costs one pass over the patterns per question.
const MAX_WITNESSES: usize = 16;

/// A yes/no answer and whether it is the safe guess for an undecided search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub yes: bool,
    pub approximated: bool,
}

/// One policy compiled for one API, with the answers found so far.
pub(crate) struct Reach<'p> {
    policy: &'p Policy,
    auto: Automata,
    realistic: usize,
    resources: Vec<Vec<usize>>,
    named: Vec<String>,
    memo: HashMap<Vec<usize>, Outcome>,
    /// Resources found allowed so far, tried first on every new question.
    witnesses: Vec<String>,
    question_budget: u64,
    command_budget: u64,
}

impl<'p> Reach<'p> {
    pub fn new(policy: &'p Policy, api: &ApiRef) -> Self {
        let prefix = api.arn_prefix();
        // Real requests are `<api arn>/<stage>/<method>/<path>`.
        let realistic = format!("{prefix}/?*/?*/*");
        let texts = policy
            .stmts
            .iter()
            .flat_map(|s| s.resource.patterns.iter().map(String::as_str))
            .chain([realistic.as_str()]);
        let mut auto = Automata::new(texts, &format!("{prefix}/"));
        let resources = policy
            .stmts
            .iter()
            .map(|s| s.resource.patterns.iter().map(|p| auto.glob(p)).collect())
            .collect();
        let realistic = auto.glob(&realistic);
        Reach {
            policy,
            auto,
            realistic,
            resources,
            named: policy.named_principals(),
            memo: HashMap::new(),
            witnesses: Vec::new(),
            question_budget: QUESTION_BUDGET,
            command_budget: COMMAND_BUDGET,
        }
    }

    /// As `new` with other budgets, so tests can reach the over-budget answers cheaply.
    #[cfg(test)]
    pub fn with_budget(policy: &'p Policy, api: &ApiRef, question: u64, command: u64) -> Self {
        Reach {
            question_budget: question,
            command_budget: command,
            ..Reach::new(policy, api)
        }
    }

    /// Units of work spent so far by this command's questions.
    #[cfg(test)]
    pub fn work(&self) -> u64 {
        self.auto.work
    }

    /// Whether an Invoke through `vpce`/`vpc` by `caller` is allowed on some resource
    /// shaped like a real request to this API, with such a resource when it is.
    pub fn query(
        &mut self,
        vpce: Option<&str>,
        vpc: Option<&str>,
        caller: Option<&str>,
    ) -> Outcome {
        let stmts = applicable(self.policy, vpce, vpc, caller);
        if let Some(known) = self.memo.get(&stmts) {
            return known.clone();
        }
        let mut problem = Problem {
            allow: Vec::new(),
            deny: Vec::new(),
        };
        for &i in &stmts {
            let s = &self.policy.stmts[i];
            let group = Group {
                negated: s.resource.negated,
                globs: self.resources[i].clone(),
            };
            match s.effect {
                Effect::Allow => problem.allow.push(group),
                Effect::Deny => problem.deny.push(group),
            }
        }
        let limit = (self.auto.work + self.question_budget).min(self.command_budget);
        let out = if problem.allow.is_empty() {
            Outcome::Denied
        } else if let Some(w) = self.witnesses.iter().find(|w| {
            self.auto.work <= limit && allows(&mut self.auto, self.realistic, &problem, w)
        }) {
            Outcome::Allowed(w.clone())
        } else {
            solve(&mut self.auto, self.realistic, &problem, limit)
        };
        if let Outcome::Allowed(w) = &out {
            if !self.witnesses.contains(w) && self.witnesses.len() < MAX_WITNESSES {
                self.witnesses.push(w.clone());
            }
        }
        self.memo.insert(stmts, out.clone());
        out
    }

    /// Whether some caller (anonymous, or a principal the policy names unless
    /// `anonymous_only`) may invoke some part of the API through `vpce` from any of `vpcs`.
    /// Undecided counts as admitted: every caller of this treats "admitted" as the riskier
    /// answer.
    pub fn admitted(&mut self, vpce: &str, vpcs: &[Option<&str>], anonymous_only: bool) -> Answer {
        let mut callers: Vec<Option<String>> = vec![None];
        if !anonymous_only {
            callers.extend(self.named.iter().cloned().map(Some));
        }
        let mut unknown = false;
        for caller in &callers {
            for vpc in vpcs {
                match self.query(Some(vpce), *vpc, caller.as_deref()) {
                    Outcome::Allowed(_) => {
                        return Answer {
                            yes: true,
                            approximated: false,
                        }
                    }
                    Outcome::Unknown => unknown = true,
                    Outcome::Denied => {}
                }
            }
        }
        Answer {
            yes: unknown,
            approximated: unknown,
        }
    }

    /// Open means two unrelated, never-listed endpoints both get in anonymously: the
    /// "every VPC endpoint in the region, any account" case the console warns about.
    pub fn open_to_any(&mut self, text: &str) -> Answer {
        let (long, short, vpc) = fresh_ids(text);
        let vpcs = [None, Some(vpc.as_str())];
        let first = self.admitted(&long, &vpcs, true);
        if !first.yes {
            return first;
        }
        let second = self.admitted(&short, &vpcs, true);
        Answer {
            yes: second.yes,
            approximated: second.yes && (first.approximated || second.approximated),
        }
    }
}

/// As `Reach::query` for a single question, in the shape tests compare with the
/// evaluator: `None` when undecided, `Some(None)` when allowed nowhere.
#[cfg(test)]
pub(crate) fn witness(
    policy: &Policy,
    api: &ApiRef,
    vpce: Option<&str>,
    vpc: Option<&str>,
    caller: Option<&str>,
) -> Option<Option<String>> {
    match Reach::new(policy, api).query(vpce, vpc, caller) {
        Outcome::Allowed(w) => Some(Some(w)),
        Outcome::Denied => Some(None),
        Outcome::Unknown => None,
    }
}
