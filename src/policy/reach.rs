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

use std::collections::{HashMap, HashSet};

use super::model::{Effect, Key, Policy, Stmt, INVOKE};
use super::search::{allows, solve, Automata, Group, Outcome, Problem};
use super::ApiRef;

/// One attribute of an Invoke request other than its resource.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Part<'a> {
    Caller(Option<&'a str>),
    Vpce(Option<&'a str>),
    Vpc(Option<&'a str>),
}

/// Whether statement `s` can take part in deciding an Invoke, as far as one attribute of
/// the request says: it takes part in a request when it does for each attribute (the
/// caller for its principal and action, each condition entry for the attribute its key
/// names). Answers are cached per (statement, attribute value), so a command's many
/// questions cost one evaluation per distinct value rather than per combination.
pub(crate) fn applies(s: &Stmt, part: Part) -> bool {
    match part {
        // Keys other than the endpoint's are free in these questions: an Allow's other
        // conditions can hold, and some request escapes a Deny that has any. This
        // over-approximates who gets in, the safe side for every "is it admitted?".
        Part::Caller(caller) => {
            s.principal.matches(caller)
                && s.matches_action(INVOKE)
                && s.fixed_conditions_hold()
                && (s.effect == Effect::Allow || !s.has_other_conditions())
        }
        Part::Vpce(v) => s
            .conditions
            .iter()
            .filter(|e| e.key == Key::Vpce)
            .all(|e| e.holds(v)),
        Part::Vpc(v) => s
            .conditions
            .iter()
            .filter(|e| e.key == Key::Vpc)
            .all(|e| e.holds(v)),
    }
}

/// Work units (automaton steps and subsumption checks) one question may use; past this
/// the answer is "unknown". A unit is a few nanoseconds in a release build.
const QUESTION_BUDGET: u64 = 1_000_000;

/// Work units all questions of one command may use together, so that a policy built to
/// make many distinct questions hard still answers in bounded time.
const COMMAND_BUDGET: u64 = 3_000_000;

/// Witnesses kept for reuse; each costs one pass over the patterns per question.
const MAX_WITNESSES: usize = 16;

/// A set of statements by index.
type Bits = Vec<u64>;

fn and(a: &Bits, b: &Bits) -> Bits {
    a.iter().zip(b).map(|(x, y)| x & y).collect()
}

/// A yes/no answer and whether it is the safe guess for an undecided search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub yes: bool,
    pub approximated: bool,
}

/// Ids that appear nowhere in the policy text, to stand for "some endpoint nobody listed".
pub(crate) fn fresh_ids(text: &str) -> (String, String, String) {
    let lower = text.to_lowercase();
    let pick = |make: &dyn Fn(u64) -> String| {
        (0u64..)
            .map(make)
            .find(|c| !lower.contains(c.as_str()))
            .unwrap_or_default()
    };
    let long = pick(&|i| format!("vpce-{:017x}", 0x0f1e_2d3c_4b5a_6978u64.wrapping_add(i)));
    let short = pick(&|i| format!("vpce-{:08x}", 0xd00d_fee0u64.wrapping_add(i)));
    let vpc = pick(&|i| format!("vpc-{:017x}", 0x0e1d_2c3b_4a59_6877u64.wrapping_add(i)));
    (long, short, vpc)
}

/// One policy compiled for one API, with the answers found so far.
pub(crate) struct Reach<'p> {
    policy: &'p Policy,
    auto: Automata,
    realistic: usize,
    resources: Vec<Vec<usize>>,
    named: Vec<String>,
    /// Statements each attribute value lets take part, as bit sets.
    parts: HashMap<(u8, Option<String>), Bits>,
    memo: HashMap<Bits, Outcome>,
    /// Resources found allowed so far, tried first on every new question.
    witnesses: Vec<String>,
    question_budget: u64,
    command_budget: u64,
    /// The statement blamed for the first question the budget could not answer.
    expensive: Option<usize>,
}

impl<'p> Reach<'p> {
    pub fn new(policy: &'p Policy, api: &ApiRef) -> Self {
        let realistic = api.request_pattern();
        let texts = policy
            .stmts
            .iter()
            .flat_map(|s| s.resource.patterns.iter().map(String::as_str))
            .chain([realistic.as_str()]);
        let mut auto = Automata::new(texts, &api.request_lead());
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
            parts: HashMap::new(),
            memo: HashMap::new(),
            witnesses: Vec::new(),
            question_budget: QUESTION_BUDGET,
            command_budget: COMMAND_BUDGET,
            expensive: None,
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

    /// The statements one attribute value lets take part.
    fn part(&mut self, part: Part) -> Bits {
        let key = match part {
            Part::Caller(v) => (0, v),
            Part::Vpce(v) => (1, v),
            Part::Vpc(v) => (2, v),
        };
        let key = (key.0, key.1.map(str::to_string));
        if let Some(bits) = self.parts.get(&key) {
            return bits.clone();
        }
        let mut bits = vec![0u64; self.policy.stmts.len().div_ceil(64)];
        for (i, s) in self.policy.stmts.iter().enumerate() {
            if applies(s, part) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        self.parts.insert(key, bits.clone());
        bits
    }

    /// Whether an Invoke through `vpce`/`vpc` by `caller` is allowed on some resource
    /// shaped like a real request to this API, with such a resource when it is. Commands
    /// ask through `admitted`, which groups the questions; tests ask one at a time.
    pub fn query(
        &mut self,
        vpce: Option<&str>,
        vpc: Option<&str>,
        caller: Option<&str>,
    ) -> Outcome {
        let stmts = and(
            &and(&self.part(Part::Vpce(vpce)), &self.part(Part::Vpc(vpc))),
            &self.part(Part::Caller(caller)),
        );
        self.answer(stmts)
    }

    /// The answer for one set of applicable statements.
    fn answer(&mut self, stmts: Bits) -> Outcome {
        if let Some(known) = self.memo.get(&stmts) {
            return known.clone();
        }
        let mut problem = Problem {
            allow: Vec::new(),
            deny: Vec::new(),
        };
        for (i, s) in self.policy.stmts.iter().enumerate() {
            if stmts[i / 64] & (1 << (i % 64)) == 0 {
                continue;
            }
            let group = Group {
                negated: s.resource.negated,
                globs: self.resources[i].clone(),
            };
            match s.effect {
                Effect::Allow => problem.allow.push(group),
                Effect::Deny => problem.deny.push(group),
            }
        }
        // Building the question costs about one unit per statement.
        self.auto.work += self.policy.stmts.len() as u64;
        let limit = (self.auto.work + self.question_budget).min(self.command_budget);
        let out = if problem.allow.is_empty() {
            Outcome::Denied
        } else if self.auto.work > limit {
            Outcome::Unknown
        } else if let Some(w) = self.witnesses.iter().find(|w| {
            self.auto.work <= limit && allows(&mut self.auto, self.realistic, &problem, w)
        }) {
            Outcome::Allowed(w.clone())
        } else {
            solve(&mut self.auto, self.realistic, &problem, limit)
        };
        if out == Outcome::Unknown && self.expensive.is_none() {
            self.expensive = self.costliest(&stmts);
        }
        if let Outcome::Allowed(w) = &out {
            if !self.witnesses.contains(w) && self.witnesses.len() < MAX_WITNESSES {
                self.witnesses.push(w.clone());
            }
        }
        self.memo.insert(stmts, out.clone());
        out
    }

    /// The label of the statement that made the first undecided question expensive, so a
    /// refusal can say which statement to simplify.
    pub fn expensive(&self) -> Option<&str> {
        self.expensive.map(|i| self.policy.stmts[i].label.as_str())
    }

    /// Of the statements in `stmts`, the one whose resource patterns hold the most
    /// wildcards: the search's work grows with them.
    fn costliest(&self, stmts: &Bits) -> Option<usize> {
        let wildcards = |i: usize| -> usize {
            self.policy.stmts[i]
                .resource
                .patterns
                .iter()
                .map(|p| p.matches(['*', '?']).count())
                .sum()
        };
        (0..self.policy.stmts.len())
            .filter(|i| stmts[i / 64] & (1 << (i % 64)) != 0)
            .max_by_key(|&i| (wildcards(i), std::cmp::Reverse(i)))
    }

    /// Whether some caller (anonymous, or a principal the policy names unless
    /// `anonymous_only`) may invoke some part of the API through `vpce` from any of `vpcs`.
    /// Undecided counts as admitted: every caller of this treats "admitted" as the riskier
    /// answer. Callers and VPCs that let the same statements take part are asked once.
    pub fn admitted(&mut self, vpce: &str, vpcs: &[Option<&str>], anonymous_only: bool) -> Answer {
        let mut callers: Vec<Bits> = vec![self.part(Part::Caller(None))];
        if !anonymous_only {
            for named in self.named.clone() {
                let bits = self.part(Part::Caller(Some(&named)));
                if !callers.contains(&bits) {
                    callers.push(bits);
                }
            }
        }
        let endpoint = self.part(Part::Vpce(Some(vpce)));
        let mut from: Vec<Bits> = Vec::new();
        for vpc in vpcs {
            let bits = and(&endpoint, &self.part(Part::Vpc(*vpc)));
            if !from.contains(&bits) {
                from.push(bits);
            }
        }
        let mut asked: HashSet<Bits> = HashSet::new();
        let mut unknown = false;
        for caller in &callers {
            for v in &from {
                let stmts = and(caller, v);
                if !asked.insert(stmts.clone()) {
                    continue;
                }
                match self.answer(stmts) {
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

    /// Whether a request that exactly the statements `picked` selects take part in is
    /// allowed on some resource shaped like a real request; undecided counts as allowed.
    pub fn allowed_when(&mut self, picked: impl Fn(&Stmt) -> bool) -> Answer {
        let mut bits = vec![0u64; self.policy.stmts.len().div_ceil(64)];
        for (i, s) in self.policy.stmts.iter().enumerate() {
            if picked(s) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        match self.answer(bits) {
            Outcome::Allowed(_) => Answer {
                yes: true,
                approximated: false,
            },
            Outcome::Denied => Answer {
                yes: false,
                approximated: false,
            },
            Outcome::Unknown => Answer {
                yes: true,
                approximated: true,
            },
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
