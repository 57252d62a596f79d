//! "Is this request allowed on *some* resource of the API?", answered exactly.
//!
//! Probing a few resources misses policies that are open only on, say, `/*/POST/admin`, and
//! revoke must not report success while such a hole remains. Resource matching is glob
//! matching, so the question is whether the intersection of glob languages and complements
//! of glob languages is non-empty; a breadth-first search over the product of the globs'
//! position automata answers it.

use std::collections::{BTreeSet, HashSet, VecDeque};

use super::model::{Effect, Matcher, Policy};
use super::ApiRef;

/// Bound on explored product states; policies are at most 8 KiB, so real ones stay far
/// below it. Past it the answer is "unknown" and callers assume the worse case.
const STATE_CAP: usize = 5_000;

/// Sets of pattern positions; a pattern accepts when its length is in its set.
type State = Vec<Vec<u16>>;

struct Group {
    deny: bool,
    negated: bool,
    first: usize,
    end: usize,
}

/// `Some(true)` when an Invoke through `vpce`/`vpc` by `caller` is allowed on at least one
/// resource shaped like a real request to this API (`<api arn>/<stage>/<method>/<path>`).
pub(crate) fn allowed_somewhere(
    policy: &Policy,
    api: &ApiRef,
    vpce: Option<&str>,
    vpc: Option<&str>,
    caller: Option<&str>,
) -> Option<bool> {
    witness(policy, api, vpce, vpc, caller).map(|w| w.is_some())
}

/// As `allowed_somewhere`, returning a resource that is allowed, so tests can check the
/// search against the evaluator.
pub(crate) fn witness(
    policy: &Policy,
    api: &ApiRef,
    vpce: Option<&str>,
    vpc: Option<&str>,
    caller: Option<&str>,
) -> Option<Option<String>> {
    let mut pats: Vec<Vec<char>> = vec![format!("{}/?*/?*/*", api.arn_prefix()).chars().collect()];
    let mut groups: Vec<Group> = Vec::new();
    for s in &policy.stmts {
        if s.may_apply(vpce, vpc, caller) {
            push_group(
                &mut pats,
                &mut groups,
                &s.resource,
                s.effect == Effect::Deny,
            );
        }
    }
    if !groups.iter().any(|g| !g.deny) {
        return Some(None);
    }
    if pats.iter().any(|p| p.len() >= usize::from(u16::MAX)) {
        return None;
    }

    if let Some(hit) = quick_witness(&pats, &groups) {
        return Some(Some(hit));
    }

    let mut alphabet: BTreeSet<char> = pats
        .iter()
        .flatten()
        .copied()
        .filter(|c| *c != '*' && *c != '?')
        .collect();
    // Every character no pattern names behaves alike, so one stands for all of them.
    if let Some(other) = ('a'..='z').chain('0'..='9').find(|c| !alphabet.contains(c)) {
        alphabet.insert(other);
    } else if let Some(other) = (0x100u32..)
        .filter_map(char::from_u32)
        .find(|c| !alphabet.contains(c))
    {
        alphabet.insert(other);
    }

    // Every request to this API starts with its ARN, so the search starts after it.
    let lead = format!("{}/", api.arn_prefix());
    let start: State = pats
        .iter()
        .map(|p| {
            lead.chars()
                .fold(closure(p, vec![0]), |set, c| step(p, &set, c))
        })
        .collect();
    if hopeless(&pats, &groups, &start) {
        return Some(None);
    }
    let mut seen: HashSet<State> = HashSet::new();
    let mut queue: VecDeque<(State, String)> = VecDeque::new();
    seen.insert(start.clone());
    queue.push_back((start, lead));
    while let Some((state, text)) = queue.pop_front() {
        if accepting(&pats, &groups, &state) {
            return Some(Some(text));
        }
        for &c in &alphabet {
            let next: State = pats
                .iter()
                .zip(&state)
                .map(|(p, set)| step(p, set, c))
                .collect();
            if hopeless(&pats, &groups, &next) {
                continue;
            }
            if seen.insert(next.clone()) {
                if seen.len() > STATE_CAP {
                    return None;
                }
                let mut longer = text.clone();
                longer.push(c);
                queue.push_back((next, longer));
            }
        }
    }
    Some(None)
}

/// Most allowed resources are an Allow pattern with its wildcards filled in; trying those
/// first answers the common "yes" without the search.
fn quick_witness(pats: &[Vec<char>], groups: &[Group]) -> Option<String> {
    let realistic: String = pats.first()?.iter().collect();
    let base = realistic.trim_end_matches("/?*/?*/*").to_string();
    let mut candidates = vec![format!("{base}/x/x/x"), format!("{base}/x/x/")];
    for g in groups.iter().filter(|g| !g.deny && !g.negated) {
        for p in &pats[g.first..g.end] {
            for (star, one) in [("x", 'x'), ("", 'x'), ("x/x/x", 'x')] {
                let mut c = String::new();
                for &ch in p {
                    match ch {
                        '*' => c.push_str(star),
                        '?' => c.push(one),
                        other => c.push(other),
                    }
                }
                candidates.push(c);
            }
        }
    }
    candidates.into_iter().find(|c| {
        let text: Vec<char> = c.chars().collect();
        let state: State = pats
            .iter()
            .map(|p| {
                text.iter()
                    .fold(closure(p, vec![0]), |set, &ch| step(p, &set, ch))
            })
            .collect();
        accepting(pats, groups, &state)
    })
}

/// States no continuation can turn into an allowed request to this API: the string can no
/// longer be such a request, a Deny already matches every continuation, or no Allow can
/// match any more.
fn hopeless(pats: &[Vec<char>], groups: &[Group], state: &State) -> bool {
    if state.first().is_none_or(|s| s.is_empty()) {
        return true;
    }
    let rest_is_stars = |i: usize| {
        state[i]
            .iter()
            .any(|&pos| pats[i][usize::from(pos)..].iter().all(|&c| c == '*'))
    };
    let deny_everything = groups
        .iter()
        .filter(|g| g.deny && !g.negated)
        .any(|g| (g.first..g.end).any(rest_is_stars));
    let allow_alive = groups
        .iter()
        .filter(|g| !g.deny)
        .any(|g| g.negated || (g.first..g.end).any(|i| !state[i].is_empty()));
    deny_everything || !allow_alive
}

fn push_group(pats: &mut Vec<Vec<char>>, groups: &mut Vec<Group>, m: &Matcher, deny: bool) {
    let first = pats.len();
    pats.extend(m.patterns.iter().map(|p| p.chars().collect::<Vec<char>>()));
    groups.push(Group {
        deny,
        negated: m.negated,
        first,
        end: pats.len(),
    });
}

fn accepts(p: &[char], set: &[u16]) -> bool {
    set.last().is_some_and(|&i| usize::from(i) == p.len())
}

fn accepting(pats: &[Vec<char>], groups: &[Group], state: &State) -> bool {
    let matched = |g: &Group| {
        let hit = (g.first..g.end).any(|i| accepts(&pats[i], &state[i]));
        hit != g.negated
    };
    accepts(&pats[0], &state[0])
        && groups.iter().any(|g| !g.deny && matched(g))
        && !groups.iter().any(|g| g.deny && matched(g))
}

/// A `*` may match nothing, so positions before it also stand after it. Positions before
/// the last `*` in the set are dropped: whatever they accept, the `*` position accepts
/// too, and without this the product of many patterns grows past any budget.
fn closure(p: &[char], mut set: Vec<u16>) -> Vec<u16> {
    let mut i = 0;
    while i < set.len() {
        let pos = usize::from(set[i]);
        if p.get(pos) == Some(&'*') {
            let after = set[i] + 1;
            if !set.contains(&after) {
                set.push(after);
            }
        }
        i += 1;
    }
    set.sort_unstable();
    set.dedup();
    if let Some(&star) = set
        .iter()
        .rev()
        .find(|&&i| p.get(usize::from(i)) == Some(&'*'))
    {
        set.retain(|&i| i >= star);
    }
    set
}

fn step(p: &[char], set: &[u16], c: char) -> Vec<u16> {
    let mut next: Vec<u16> = Vec::new();
    for &i in set {
        match p.get(usize::from(i)) {
            Some('*') => next.push(i),
            Some('?') => next.push(i + 1),
            Some(&x) if x == c => next.push(i + 1),
            _ => {}
        }
    }
    closure(p, next)
}
