//! Glob patterns compiled once into lazily built automata, and the bounded search for a
//! resource that an applicable Allow matches and no applicable Deny does.
//!
//! The question "is the intersection of some globs minus a union of other globs non-empty"
//! is hard in general (inclusion of one glob in a union of globs is PSPACE-hard), so the
//! search counts its work and gives up past a budget; its caller then answers the safe way.
//! These keep real and adversarial policies far below the budget:
//! - the search runs once per Allow pattern against the Deny patterns, so the product holds
//!   two positive automata and the Deny ones, not every Allow pattern at once; a few
//!   fillings of the Allow pattern's wildcards are tried first;
//! - per pattern, a state is a set of positions in which only those after the last `*`
//!   matter, and a state with less progress in a Deny pattern accepts fewer continuations;
//!   a product state whose Deny parts are all at least as advanced as those of a state
//!   already seen is skipped (an antichain), which collapses the orders in which Deny
//!   patterns can be advanced;
//! - stepping a product state stops at the first Deny pattern that now matches every
//!   continuation, trying the one that ended the previous path first;
//! - a "denied" answer records the Deny patterns it rests on, and settles any later case
//!   with the same Allow side that faces at least those;
//! - each pattern's automaton is built lazily and shared by every search of a command.

use std::collections::{HashMap, HashSet, VecDeque};

/// Marks a transition not computed yet.
const UNSET: u32 = u32::MAX;
/// State 0 of every pattern is the empty set of positions: the pattern can no longer match.
const DEAD: u32 = 0;

const ACCEPT: u8 = 1;
/// Every continuation matches: a `*` that ends the pattern has been reached.
const UNIVERSAL: u8 = 2;

struct Glob {
    chars: Vec<char>,
    sets: Vec<Vec<u32>>,
    flags: Vec<u8>,
    /// The `*` position a set contains, if any (only the last one survives `closure`).
    star: Vec<Option<u32>>,
    index: HashMap<Vec<u32>, u32>,
    trans: Vec<u32>,
    /// The state after reading the request prefix every resource of the API starts with.
    start: u32,
}

/// Every resource pattern of one policy, compiled for requests to one API.
pub(crate) struct Automata {
    lead: String,
    /// One character per class; the last stands for every character no pattern names.
    reps: Vec<char>,
    class_of: HashMap<char, usize>,
    globs: Vec<Glob>,
    by_text: HashMap<String, usize>,
    /// Units of work done so far; the searches compare it with their budget.
    pub work: u64,
    /// For the Allow side of a case (its `pos` and `must` patterns), sets of Deny patterns
    /// proven to shut it out entirely: a case with at least those Deny patterns is denied.
    cores: HashMap<AllowSide, Vec<Vec<usize>>>,
}

/// The `pos` and `must` patterns of a case.
type AllowSide = (Vec<usize>, Vec<Vec<usize>>);

/// Resources matched by one statement's `Resource` (or, negated, `NotResource`) list.
pub(crate) struct Group {
    pub negated: bool,
    pub globs: Vec<usize>,
}

/// The applicable statements of one request context, by effect.
pub(crate) struct Problem {
    pub allow: Vec<Group>,
    pub deny: Vec<Group>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Allowed on this resource (a full ARN).
    Allowed(String),
    /// Allowed on no resource of the API.
    Denied,
    /// The budget ran out first.
    Unknown,
}

impl Automata {
    /// `lead` is what every resource of the API starts with (`<api arn>/`).
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str> + Clone, lead: &str) -> Self {
        let mut named: Vec<char> = patterns
            .clone()
            .into_iter()
            .flat_map(str::chars)
            .filter(|c| *c != '*' && *c != '?')
            .collect();
        named.sort_unstable();
        named.dedup();
        // Every character no pattern names behaves alike, so one stands for all of them.
        let other = ('a'..='z')
            .chain('0'..='9')
            .chain((0x100u32..).filter_map(char::from_u32))
            .find(|c| named.binary_search(c).is_err())
            .unwrap_or('\u{fffd}');
        let mut reps = named;
        reps.push(other);
        let class_of = reps.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let mut auto = Automata {
            lead: lead.to_string(),
            reps,
            class_of,
            globs: Vec::new(),
            by_text: HashMap::new(),
            work: 0,
            cores: HashMap::new(),
        };
        for p in patterns {
            auto.glob(p);
        }
        auto
    }

    /// The id of a pattern, compiling it on first use; identical patterns share one.
    pub fn glob(&mut self, text: &str) -> usize {
        if let Some(&id) = self.by_text.get(text) {
            return id;
        }
        let mut chars: Vec<char> = Vec::with_capacity(text.len());
        for c in text.chars() {
            // `**` matches what `*` matches; collapsing keeps one `*` per set.
            if !(c == '*' && chars.last() == Some(&'*')) {
                chars.push(c);
            }
        }
        let set = self
            .lead
            .chars()
            .fold(closure(&chars, vec![0]), |s, c| step_set(&chars, &s, c));
        let mut g = Glob {
            chars,
            sets: Vec::new(),
            flags: Vec::new(),
            star: Vec::new(),
            index: HashMap::new(),
            trans: Vec::new(),
            start: DEAD,
        };
        let classes = self.reps.len();
        intern(&mut g, Vec::new(), classes);
        g.start = intern(&mut g, set, classes);
        let id = self.globs.len();
        self.globs.push(g);
        self.by_text.insert(text.to_string(), id);
        id
    }

    fn start(&self, g: usize) -> u32 {
        self.globs[g].start
    }

    fn flags(&self, g: usize, s: u32) -> u8 {
        self.globs[g].flags[s as usize]
    }

    fn step(&mut self, g: usize, s: u32, class: usize) -> u32 {
        let classes = self.reps.len();
        let glob = &mut self.globs[g];
        let at = s as usize * classes + class;
        let known = glob.trans[at];
        if known != UNSET {
            return known;
        }
        let set = step_set(&glob.chars, &glob.sets[s as usize], self.reps[class]);
        self.work += set.len() as u64 + 1;
        let next = intern(glob, set, classes);
        glob.trans[at] = next;
        next
    }

    /// Sufficient condition for "every continuation state `a` accepts, `b` accepts too".
    /// From a `*` at `t`, the pattern accepts whatever it accepts from any position before
    /// `t`, so a position of `a` is covered when `b` has it or has a `*` at or after it.
    fn covered(&self, g: usize, a: u32, b: u32) -> bool {
        if a == b || a == DEAD {
            return true;
        }
        let glob = &self.globs[g];
        let star = glob.star[b as usize];
        let bs = &glob.sets[b as usize];
        glob.sets[a as usize]
            .iter()
            .all(|q| star.is_some_and(|t| *q <= t) || bs.binary_search(q).is_ok())
    }

    fn class(&self, c: char) -> usize {
        self.class_of
            .get(&c)
            .copied()
            .unwrap_or(self.reps.len() - 1)
    }

    /// Classes of the characters the given patterns still name after the request prefix,
    /// plus the one for all others.
    fn classes_of(&self, globs: &[usize]) -> Vec<usize> {
        let mut out: Vec<usize> = globs
            .iter()
            .flat_map(|&g| {
                let glob = &self.globs[g];
                let from = glob.sets[glob.start as usize].first().copied();
                glob.chars[from.map_or(glob.chars.len(), |f| f as usize)..].iter()
            })
            .filter(|c| **c != '*' && **c != '?')
            .map(|&c| self.class(c))
            .collect();
        out.push(self.reps.len() - 1);
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "a pattern is part of a policy of at most 20,480 characters, so its positions and state sets number far below u32::MAX"
)]
fn intern(g: &mut Glob, set: Vec<u32>, classes: usize) -> u32 {
    if let Some(&id) = g.index.get(&set) {
        return id;
    }
    let id = g.sets.len() as u32;
    let len = g.chars.len() as u32;
    let mut flags = 0;
    if set.last() == Some(&len) {
        flags |= ACCEPT;
    }
    if len > 0 && g.chars[len as usize - 1] == '*' && set.contains(&(len - 1)) {
        flags |= UNIVERSAL;
    }
    let star = set
        .iter()
        .rev()
        .copied()
        .find(|&i| g.chars.get(i as usize) == Some(&'*'));
    g.flags.push(flags);
    g.star.push(star);
    g.index.insert(set.clone(), id);
    g.sets.push(set);
    g.trans.extend(std::iter::repeat_n(UNSET, classes));
    id
}

/// A `*` may match nothing, so positions before it also stand after it. Positions before
/// the last `*` in the set are dropped: whatever they accept, the `*` position accepts
/// too, and without this the product of many patterns grows past any budget.
fn closure(p: &[char], mut set: Vec<u32>) -> Vec<u32> {
    let mut i = 0;
    while i < set.len() {
        let pos = set[i] as usize;
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
    if let Some(&star) = set.iter().rev().find(|&&i| p.get(i as usize) == Some(&'*')) {
        set.retain(|&i| i >= star);
    }
    set
}

fn step_set(p: &[char], set: &[u32], c: char) -> Vec<u32> {
    let mut next: Vec<u32> = Vec::new();
    for &i in set {
        match p.get(i as usize) {
            Some('*') => next.push(i),
            Some('?') => next.push(i + 1),
            Some(&x) if x == c => next.push(i + 1),
            _ => {}
        }
    }
    closure(p, next)
}

/// One conjunctive case: every `pos` pattern matches, one pattern of each `must` group
/// matches, no `neg` pattern matches.
struct Case {
    pos: Vec<usize>,
    must: Vec<Vec<usize>>,
    neg: Vec<usize>,
}

impl Case {
    fn comps(&self) -> Vec<usize> {
        let mut out = self.pos.clone();
        out.extend(self.must.iter().flatten());
        out.extend(&self.neg);
        out
    }
}

/// Is some resource of the API (one that `realistic` matches) allowed by `problem`?
/// Work past `limit` on `auto.work` makes the answer `Unknown`.
pub(crate) fn solve(
    auto: &mut Automata,
    realistic: usize,
    problem: &Problem,
    limit: u64,
) -> Outcome {
    let live = |auto: &Automata, g: &usize| auto.start(*g) != DEAD;
    let universal = |auto: &Automata, g: &usize| auto.flags(*g, auto.start(*g)) & UNIVERSAL != 0;

    let mut neg: Vec<usize> = Vec::new();
    let mut must: Vec<Vec<usize>> = Vec::new();
    for d in &problem.deny {
        let globs: Vec<usize> = d.globs.iter().filter(|g| live(auto, g)).copied().collect();
        if d.negated {
            // NotResource: the Deny spares only what one of its patterns matches.
            if globs.is_empty() {
                return Outcome::Denied;
            }
            if !globs.iter().any(|g| universal(auto, g)) {
                must.push(globs);
            }
        } else {
            if globs.iter().any(|g| universal(auto, g)) {
                return Outcome::Denied;
            }
            neg.extend(globs);
        }
    }
    neg.sort_unstable();
    neg.dedup();

    // One case per Allow pattern, and one per NotResource Allow (whose patterns join the
    // Deny ones); cases are built when tried, as they share the Deny part.
    let mut patterns: Vec<usize> = Vec::new();
    let mut not_resource: Vec<Vec<usize>> = Vec::new();
    for a in &problem.allow {
        if a.negated {
            if a.globs.iter().any(|g| universal(auto, g)) {
                continue;
            }
            let mut n = neg.clone();
            n.extend(a.globs.iter().filter(|g| live(auto, g)));
            n.sort_unstable();
            n.dedup();
            if !not_resource.contains(&n) {
                not_resource.push(n);
            }
        } else {
            patterns.extend(a.globs.iter().filter(|g| live(auto, g)));
        }
    }
    patterns.sort_unstable();
    patterns.dedup();
    let count = patterns.len() + not_resource.len();
    let case = |i: usize| match patterns.get(i) {
        Some(&g) => Case {
            pos: vec![realistic, g],
            must: must.clone(),
            neg: neg.clone(),
        },
        None => Case {
            pos: vec![realistic],
            must: must.clone(),
            neg: not_resource[i - patterns.len()].clone(),
        },
    };
    if count == 0 {
        return Outcome::Denied;
    }

    // Cases an earlier question's proof already denies need neither.
    let open: Vec<usize> = (0..count).filter(|&i| !proven(auto, &case(i))).collect();
    for &i in &open {
        if auto.work > limit {
            break;
        }
        if let Some(hit) = quick(auto, &case(i), limit) {
            return Outcome::Allowed(hit);
        }
    }
    let mut unknown = false;
    for &i in &open {
        if auto.work > limit {
            return Outcome::Unknown;
        }
        match search(auto, &case(i), limit) {
            Outcome::Allowed(w) => return Outcome::Allowed(w),
            Outcome::Unknown => unknown = true,
            Outcome::Denied => {}
        }
    }
    if unknown {
        Outcome::Unknown
    } else {
        Outcome::Denied
    }
}

/// Whether `resource` is a request to the API that `problem` allows; answers found for one
/// set of applicable statements often hold for the next.
pub(crate) fn allows(
    auto: &mut Automata,
    realistic: usize,
    problem: &Problem,
    resource: &str,
) -> bool {
    let Some(suffix) = resource.strip_prefix(auto.lead.as_str()) else {
        return false;
    };
    let text: Vec<usize> = suffix.chars().map(|c| auto.class(c)).collect();
    let group = |auto: &mut Automata, g: &Group| {
        g.globs.iter().any(|&p| matches(auto, p, &text)) != g.negated
    };
    matches(auto, realistic, &text)
        && problem.allow.iter().any(|a| group(auto, a))
        && !problem.deny.iter().any(|d| group(auto, d))
}

fn matches(auto: &mut Automata, g: usize, text: &[usize]) -> bool {
    let mut s = auto.start(g);
    for &class in text {
        if s == DEAD {
            return false;
        }
        auto.work += 1;
        s = auto.step(g, s, class);
    }
    auto.flags(g, s) & ACCEPT != 0
}

/// The states of all components, as laid out by `Case::comps`.
type State = Vec<u32>;

fn hopeless(auto: &Automata, case: &Case, comps: &[usize], state: &[u32]) -> bool {
    let np = case.pos.len();
    if state[..np].contains(&DEAD) {
        return true;
    }
    let mut at = np;
    for group in &case.must {
        if state[at..at + group.len()].iter().all(|&s| s == DEAD) {
            return true;
        }
        at += group.len();
    }
    comps[at..]
        .iter()
        .zip(&state[at..])
        .any(|(&g, &s)| auto.flags(g, s) & UNIVERSAL != 0)
}

fn accepting(auto: &Automata, case: &Case, comps: &[usize], state: &[u32]) -> bool {
    let acc = |i: usize| auto.flags(comps[i], state[i]) & ACCEPT != 0;
    let np = case.pos.len();
    if !(0..np).all(acc) {
        return false;
    }
    let mut at = np;
    for group in &case.must {
        if !(at..at + group.len()).any(acc) {
            return false;
        }
        at += group.len();
    }
    !(at..comps.len()).any(acc)
}

/// Most allowed resources are an Allow pattern with its wildcards filled in; trying a few
/// fillings first answers the common "yes" without the search.
fn quick(auto: &mut Automata, case: &Case, limit: u64) -> Option<String> {
    let other = *auto.reps.last()?;
    let o = other.to_string();
    let three = format!("{other}/{other}/{other}");
    let mut suffixes: Vec<String> = vec![three.clone(), format!("{other}/{other}/")];
    if let Some(&g) = case.pos.get(1) {
        let glob = &auto.globs[g];
        for &q in &glob.sets[glob.start as usize] {
            for fill in ["", o.as_str(), three.as_str()] {
                let mut s = String::new();
                for &ch in &glob.chars[q as usize..] {
                    match ch {
                        '*' => s.push_str(fill),
                        '?' => s.push(other),
                        c => s.push(c),
                    }
                }
                suffixes.push(s);
            }
        }
    }
    let comps = case.comps();
    let mut killer = 0;
    let mut used = vec![false; comps.len()];
    'next: for suffix in suffixes {
        if auto.work > limit {
            return None;
        }
        let mut state: State = comps.iter().map(|&g| auto.start(g)).collect();
        for ch in suffix.chars() {
            let class = auto.class(ch);
            match advance(auto, case, &comps, &state, class, &mut killer, &mut used) {
                Some(next) => state = next,
                None => continue 'next,
            }
        }
        if accepting(auto, case, &comps, &state) {
            return Some(format!("{}{suffix}", auto.lead));
        }
    }
    None
}

/// Breadth-first search over product states, skipping states subsumed by one already seen.
fn search(auto: &mut Automata, case: &Case, limit: u64) -> Outcome {
    let comps = case.comps();
    // Product states are grouped by their Allow-side part; within a group, a state whose
    // `must` parts accept no more and whose Deny parts accept no less than another's is
    // skipped.
    let split = case.pos.len();
    let nmust = comps.len() - split - case.neg.len();
    let classes = auto.classes_of(&comps);
    let key = (case.pos.clone(), case.must.clone());
    // Deny patterns that ended a path or matched where the Allow side accepted: the Deny
    // patterns the answer "denied" rests on.
    let mut used = vec![false; comps.len()];
    let start: State = comps.iter().map(|&g| auto.start(g)).collect();
    if hopeless(auto, case, &comps, &start) {
        return Outcome::Denied;
    }
    if accepting(auto, case, &comps, &start) {
        return Outcome::Allowed(auto.lead.clone());
    }
    blame(auto, case, &comps, &start, &mut used);
    // Parent node and character class, to spell the witness out.
    let mut nodes: Vec<(usize, usize)> = vec![(usize::MAX, 0)];
    let mut seen: HashSet<State> = HashSet::new();
    let mut antichains: HashMap<Vec<u32>, Vec<Vec<u32>>> = HashMap::new();
    let mut queue: VecDeque<(usize, State)> = VecDeque::new();
    let mut killer = 0;
    seen.insert(start.clone());
    antichains
        .entry(start[..split].to_vec())
        .or_default()
        .push(start[split..].to_vec());
    queue.push_back((0, start));
    while let Some((node, state)) = queue.pop_front() {
        for &class in &classes {
            if auto.work > limit {
                return Outcome::Unknown;
            }
            let Some(next) = advance(auto, case, &comps, &state, class, &mut killer, &mut used)
            else {
                continue;
            };
            if seen.contains(&next) {
                continue;
            }
            let chain = antichains.entry(next[..split].to_vec()).or_default();
            let rest = &comps[split..];
            let mut compared = 0u64;
            let subsumed = chain.iter().any(|old| {
                rest.iter()
                    .zip(old.iter().zip(&next[split..]))
                    .enumerate()
                    .all(|(i, (&g, (&o, &n)))| {
                        compared += 1;
                        if i < nmust {
                            auto.covered(g, n, o)
                        } else {
                            auto.covered(g, o, n)
                        }
                    })
            });
            auto.work += compared + 2 * comps.len() as u64;
            if subsumed {
                continue;
            }
            chain.push(next[split..].to_vec());
            seen.insert(next.clone());
            nodes.push((node, class));
            if accepting(auto, case, &comps, &next) {
                return Outcome::Allowed(spell(auto, &nodes, nodes.len() - 1));
            }
            blame(auto, case, &comps, &next, &mut used);
            queue.push_back((nodes.len() - 1, next));
        }
    }
    // Every path was ended by a Deny pattern in `used` or by the Allow side, and every
    // state where the Allow side accepted had one in `used` accepting too (a state skipped
    // as subsumed is covered by the one that subsumed it), so those Deny patterns alone
    // deny this Allow side, whatever other Deny patterns a later question adds.
    let core: Vec<usize> = comps
        .iter()
        .zip(&used)
        .skip(comps.len() - case.neg.len())
        .filter(|(_, u)| **u)
        .map(|(g, _)| *g)
        .collect();
    let cores = auto.cores.entry(key).or_default();
    if cores.len() < MAX_CORES {
        let mut core = core;
        core.sort_unstable();
        cores.push(core);
    }
    Outcome::Denied
}

/// Whether a proof found for an earlier case denies this one: same Allow side, and at
/// least the Deny patterns the proof rests on.
fn proven(auto: &Automata, case: &Case) -> bool {
    auto.cores
        .get(&(case.pos.clone(), case.must.clone()))
        .is_some_and(|cores| cores.iter().any(|core| subset(core, &case.neg)))
}

/// Proofs of "denied" kept per Allow side.
const MAX_CORES: usize = 16;

/// Marks the Deny patterns that stop `state` from being an answer when the Allow side
/// accepts there.
fn blame(auto: &Automata, case: &Case, comps: &[usize], state: &[u32], used: &mut [bool]) {
    let acc = |i: usize| auto.flags(comps[i], state[i]) & ACCEPT != 0;
    let np = case.pos.len();
    if !(0..np).all(acc) {
        return;
    }
    let mut at = np;
    for group in &case.must {
        if !(at..at + group.len()).any(acc) {
            return;
        }
        at += group.len();
    }
    for (i, u) in used.iter_mut().enumerate().skip(at) {
        if acc(i) {
            *u = true;
        }
    }
}

/// Whether sorted `small` is contained in sorted `big`.
fn subset(small: &[usize], big: &[usize]) -> bool {
    let mut rest = big.iter();
    small.iter().all(|x| rest.any(|y| y == x))
}

/// The successor of `state` on `class`, or `None` when it is hopeless. Most successors in
/// a dense policy are hopeless because one Deny pattern now matches every continuation;
/// the component that ended the last attempt is tried first, and stepping stops there.
fn advance(
    auto: &mut Automata,
    case: &Case,
    comps: &[usize],
    state: &[u32],
    class: usize,
    killer: &mut usize,
    used: &mut [bool],
) -> Option<State> {
    let np = case.pos.len();
    let neg_from = comps.len() - case.neg.len();
    let kills = |auto: &Automata, i: usize, s: u32| {
        if i < np {
            s == DEAD
        } else {
            i >= neg_from && auto.flags(comps[i], s) & UNIVERSAL != 0
        }
    };
    let k = *killer;
    auto.work += 1;
    let first = auto.step(comps[k], state[k], class);
    if kills(auto, k, first) {
        used[k] = true;
        return None;
    }
    let mut next: State = Vec::with_capacity(comps.len());
    for (i, (&g, &s)) in comps.iter().zip(state).enumerate() {
        let n = auto.step(g, s, class);
        auto.work += 1;
        if kills(auto, i, n) {
            *killer = i;
            used[i] = true;
            return None;
        }
        next.push(n);
    }
    if hopeless(auto, case, comps, &next) {
        return None;
    }
    Some(next)
}

fn spell(auto: &Automata, nodes: &[(usize, usize)], mut at: usize) -> String {
    let mut rev: Vec<char> = Vec::new();
    while at != 0 {
        let (parent, class) = nodes[at];
        rev.push(auto.reps[class]);
        at = parent;
    }
    let mut out = auto.lead.clone();
    out.extend(rev.iter().rev());
    out
}
