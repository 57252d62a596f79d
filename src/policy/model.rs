//! A validated, typed view of a policy document.
//!
//! Evaluation and editing both work from this view so that they can never disagree about
//! what a statement means. Anything outside the subset we model is refused here, once,
//! with `PolicyError::Unsupported`: a guessed meaning could open a private API.
//!
//! Conditions on `aws:SourceVpce` and `aws:SourceVpc` are the ones xapi edits; they form a
//! statement's *endpoint gate*. Every other key (`aws:VpcSourceIp`, `aws:PrincipalOrgID`,
//! ...) is an independent dimension of the request that edits never touch, modelled with
//! IAM's operators so that requests can be evaluated exactly.

use std::net::IpAddr;

use serde_json::{Map, Value};

use super::{ApiRef, PolicyError};

pub(crate) const KEY_VPCE: &str = "aws:SourceVpce";
/// Absent from every request that comes through a VPC endpoint (IAM User Guide,
/// `aws:SourceIp`), which is every request a private API receives: a condition on it
/// has one fixed value there.
pub(crate) const KEY_SOURCE_IP: &str = "aws:sourceip";
pub(crate) const INVOKE: &str = "execute-api:Invoke";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Vpce,
    Vpc,
    /// Any other condition key, lower-cased (IAM condition keys are case-insensitive).
    Other(String),
}

impl Key {
    pub fn is_endpoint(&self) -> bool {
        matches!(self, Key::Vpce | Key::Vpc)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Equals,
    EqualsIgnoreCase,
    Like,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Ip,
    Arn,
    Null,
}

/// `ForAnyValue:` / `ForAllValues:` set qualifiers. Request context values here are single
/// values, for which both reduce to the plain operator except when the key is absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Set {
    Plain,
    AnyValue,
    AllValues,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Op {
    pub kind: Kind,
    pub negated: bool,
    pub if_exists: bool,
    pub set: Set,
}

impl Op {
    pub fn parse(name: &str) -> Option<Op> {
        let (set, rest) = if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Set::AnyValue, r)
        } else if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Set::AllValues, r)
        } else {
            (Set::Plain, name)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        let cmp = |s: &str| match s {
            "Equals" => Some((Cmp::Eq, false)),
            "NotEquals" => Some((Cmp::Eq, true)),
            "LessThan" => Some((Cmp::Lt, false)),
            "LessThanEquals" => Some((Cmp::Le, false)),
            "GreaterThan" => Some((Cmp::Gt, false)),
            "GreaterThanEquals" => Some((Cmp::Ge, false)),
            _ => None,
        };
        let (kind, negated) = match base {
            "StringEquals" => (Kind::Equals, false),
            "StringNotEquals" => (Kind::Equals, true),
            "StringEqualsIgnoreCase" => (Kind::EqualsIgnoreCase, false),
            "StringNotEqualsIgnoreCase" => (Kind::EqualsIgnoreCase, true),
            "StringLike" => (Kind::Like, false),
            "StringNotLike" => (Kind::Like, true),
            "Bool" => (Kind::Bool, false),
            "IpAddress" => (Kind::Ip, false),
            "NotIpAddress" => (Kind::Ip, true),
            "ArnEquals" | "ArnLike" => (Kind::Arn, false),
            "ArnNotEquals" | "ArnNotLike" => (Kind::Arn, true),
            // IAM documents no IfExists or set form of Null; refusing beats guessing.
            "Null" if !if_exists && set == Set::Plain => (Kind::Null, false),
            other => {
                if let Some(c) = other.strip_prefix("Numeric").and_then(cmp) {
                    (Kind::Numeric(c.0), c.1)
                } else if let Some(c) = other.strip_prefix("Date").and_then(cmp) {
                    (Kind::Date(c.0), c.1)
                } else {
                    return None;
                }
            }
        };
        Some(Op {
            kind,
            negated,
            if_exists,
            set,
        })
    }

    /// The operators whose value lists xapi edits: plain string comparisons.
    pub fn is_string_list(self) -> bool {
        self.set == Set::Plain
            && matches!(
                self.kind,
                Kind::Equals | Kind::EqualsIgnoreCase | Kind::Like
            )
    }

    /// Whether one policy value matches the request value, ignoring negation. Values were
    /// validated for the operator when the policy was analysed; an unparsable request
    /// value matches nothing (IAM treats it as a failed comparison).
    pub fn value_matches(self, policy_value: &str, actual: &str) -> bool {
        match self.kind {
            Kind::Equals => policy_value == actual,
            Kind::EqualsIgnoreCase => policy_value.to_lowercase() == actual.to_lowercase(),
            Kind::Like => glob(policy_value, actual),
            Kind::Numeric(c) => match (parse_number(policy_value), parse_number(actual)) {
                (Some(p), Some(a)) => compare(c, a.partial_cmp(&p)),
                _ => false,
            },
            Kind::Date(c) => match (parse_date(policy_value), parse_date(actual)) {
                (Some(p), Some(a)) => compare(c, Some(a.cmp(&p))),
                _ => false,
            },
            Kind::Bool => policy_value.eq_ignore_ascii_case(actual),
            Kind::Ip => match (parse_cidr(policy_value), actual.parse::<IpAddr>()) {
                (Some(net), Ok(ip)) => net.contains(ip),
                _ => false,
            },
            Kind::Arn => arn_like(policy_value, actual),
            // Null is decided on presence in `Entry::holds`, never on a value.
            Kind::Null => false,
        }
    }

    /// Whether a policy value names exactly `id` (not merely a pattern covering it); revoke
    /// only removes such values because removing a pattern would drop other endpoints too.
    pub fn names_exactly(self, policy_value: &str, id: &str) -> bool {
        match self.kind {
            Kind::Equals | Kind::Like => policy_value == id,
            Kind::EqualsIgnoreCase => policy_value.to_lowercase() == id.to_lowercase(),
            _ => false,
        }
    }
}

fn compare(c: Cmp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (c, ord),
        (Cmp::Eq, Some(Equal))
            | (Cmp::Lt, Some(Less))
            | (Cmp::Le, Some(Less | Equal))
            | (Cmp::Gt, Some(Greater))
            | (Cmp::Ge, Some(Greater | Equal))
    )
}

fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Seconds since the epoch, from epoch seconds or ISO 8601 (`2026-01-31`,
/// `2026-01-31T12:00:00Z`, `...T12:00:00.5+01:00`), as IAM's Date operators accept.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut dp = date.split('-');
    let (y, m, d) = (num(dp.next()?)?, num(dp.next()?)?, num(dp.next()?)?);
    if dp.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(t) = time {
        let (clock, offset) = if let Some(c) = t.strip_suffix('Z') {
            (c, 0)
        } else if let Some(i) = t.rfind(['+', '-']) {
            let (c, o) = t.split_at(i);
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':').unwrap_or((&o[1..], "0"));
            (c, sign * (num(oh)? * 3600 + num(om)? * 60))
        } else {
            return None;
        };
        let clock = clock.split('.').next()?;
        let mut cp = clock.split(':');
        let (h, mi) = (num(cp.next()?)?, num(cp.next()?)?);
        let sec = cp.next().map_or(Some(0), num)?;
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + sec - offset;
    }
    Some(secs)
}

/// Howard Hinnant's days-from-civil: days since 1970-01-01 in the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An IPv4 or IPv6 network; a bare address is a /32 or /128.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn contains(self, ip: IpAddr) -> bool {
        let (net, ip, bits) = match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(i)) => (
                u128::from(u32::from(n)) << 96,
                u128::from(u32::from(i)) << 96,
                32u32,
            ),
            (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
            _ => return false,
        };
        let prefix = u32::from(self.prefix);
        if prefix == 0 {
            return true;
        }
        debug_assert!(prefix <= bits);
        let mask = u128::MAX << (128 - prefix);
        (net & mask) == (ip & mask)
    }
}

pub(crate) fn parse_cidr(s: &str) -> Option<Cidr> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
        Some(_) => return None,
    };
    (prefix <= max).then_some(Cidr { addr, prefix })
}

/// ArnLike/ArnEquals: the six colon-separated parts matched one by one, wildcards allowed
/// in each; the resource part keeps any further colons.
fn arn_like(pattern: &str, actual: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = actual.splitn(6, ':').collect();
    p.len() == 6 && a.len() == 6 && p.iter().zip(&a).all(|(p, a)| glob(p, a))
}

fn valid_value(kind: Kind, v: &str) -> bool {
    match kind {
        Kind::Equals | Kind::EqualsIgnoreCase | Kind::Like => true,
        Kind::Numeric(_) => parse_number(v).is_some(),
        Kind::Date(_) => parse_date(v).is_some(),
        Kind::Bool | Kind::Null => {
            v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false")
        }
        Kind::Ip => parse_cidr(v).is_some(),
        Kind::Arn => v.splitn(6, ':').count() == 6,
    }
}

/// One `operator: { key: values }` pair of a Condition block.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub op: Op,
    pub op_name: String,
    pub key: Key,
    pub key_name: String,
    pub values: Vec<String>,
}

impl Entry {
    pub fn any_value_matches(&self, actual: &str) -> bool {
        self.values.iter().any(|v| self.op.value_matches(v, actual))
    }

    /// IAM semantics, including the documented rule that a negated operator on a key absent
    /// from the request context is true (IAM User Guide, "Condition operators", Important
    /// box), `...IfExists` is true on an absent key, `ForAnyValue` is false and
    /// `ForAllValues` true on one.
    pub fn holds(&self, actual: Option<&str>) -> bool {
        if self.op.kind == Kind::Null {
            let absent = actual.is_none();
            return self
                .values
                .iter()
                .any(|v| v.eq_ignore_ascii_case("true") == absent);
        }
        match actual {
            None => {
                self.op.if_exists
                    || match self.op.set {
                        Set::Plain => self.op.negated,
                        Set::AnyValue => false,
                        Set::AllValues => true,
                    }
            }
            Some(a) => self.any_value_matches(a) != self.op.negated,
        }
    }

    /// The value the entry has for every request through a VPC endpoint, when that is
    /// fixed: entries on `aws:SourceIp`, a key such requests never carry.
    pub fn fixed(&self) -> Option<bool> {
        matches!(&self.key, Key::Other(k) if k == KEY_SOURCE_IP).then(|| self.holds(None))
    }

    /// Lists that let endpoints in: the exemptions of a Deny (negated string operators) and
    /// the requirements of an Allow (positive ones).
    pub fn admits_in(&self, effect: Effect) -> bool {
        self.key.is_endpoint()
            && self.op.is_string_list()
            && self.op.negated == (effect == Effect::Deny)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Principals {
    /// `NotPrincipal`: the statement applies to everyone the list does not name.
    pub negated: bool,
    pub wildcard: bool,
    /// Normalised non-wildcard principals (12-digit accounts become root ARNs).
    pub named: Vec<String>,
}

impl Principals {
    /// `caller == None` is an unauthenticated request, the usual case through a VPC
    /// endpoint; only a wildcard principal names it.
    pub fn matches(&self, caller: Option<&str>) -> bool {
        let named = self.wildcard
            || caller.is_some_and(|c| {
                self.named.iter().any(|n| {
                    n == c
                        || (n.ends_with(":root")
                            && arn_account(n).is_some()
                            && arn_account(n) == arn_account(c))
                })
            });
        named != self.negated
    }
}

fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    if parts.next() != Some("arn") {
        return None;
    }
    parts.nth(3).filter(|a| !a.is_empty())
}

#[derive(Clone, Debug)]
pub(crate) struct Matcher {
    pub negated: bool,
    pub patterns: Vec<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Stmt {
    pub index: usize,
    pub label: String,
    pub effect: Effect,
    pub principal: Principals,
    pub action: Matcher,
    pub resource: Matcher,
    pub conditions: Vec<Entry>,
}

impl Stmt {
    /// Entries that list who is let in: the exemptions of a Deny (negated operators) and
    /// the requirements of an Allow (positive operators).
    pub fn admit_entries(&self) -> impl Iterator<Item = &Entry> {
        self.conditions.iter().filter(|e| e.admits_in(self.effect))
    }

    /// The conjunction of the statement's conditions on `aws:SourceVpce` and
    /// `aws:SourceVpc`: the only part of a statement that grant and revoke edit.
    pub fn endpoint_gate(&self, vpce: Option<&str>, vpc: Option<&str>) -> bool {
        self.conditions.iter().all(|e| match e.key {
            Key::Vpce => e.holds(vpce),
            Key::Vpc => e.holds(vpc),
            Key::Other(_) => true,
        })
    }

    pub fn has_vpc_conditions(&self) -> bool {
        self.conditions.iter().any(|e| e.key == Key::Vpc)
    }

    /// Conditions on keys other than the endpoint's whose value a request through an
    /// endpoint can choose (not those on a key such requests never carry).
    pub fn has_other_conditions(&self) -> bool {
        self.conditions
            .iter()
            .any(|e| !e.key.is_endpoint() && e.fixed().is_none())
    }

    /// False when a condition on a key requests through an endpoint never carry rules the
    /// statement out for all of them (`IpAddress aws:SourceIp` in an Allow).
    pub fn fixed_conditions_hold(&self) -> bool {
        self.conditions.iter().all(|e| e.fixed() != Some(false))
    }

    pub fn other_conditions_hold(&self, lookup: impl Fn(&str) -> Option<String>) -> bool {
        self.conditions.iter().all(|e| match &e.key {
            Key::Other(k) => e.holds(lookup(k).as_deref()),
            _ => true,
        })
    }

    /// Whether the statement can apply to some request through `vpce` from `vpc` by
    /// `caller`, for some values of the other condition keys, treated as free: an Allow
    /// applies when its other conditions can hold, a Deny only when it has none (otherwise
    /// some request escapes it). This over-approximates who gets in, which is the safe
    /// side for every "is it admitted?" question xapi asks.
    pub fn may_apply(&self, vpce: Option<&str>, vpc: Option<&str>, caller: Option<&str>) -> bool {
        self.principal.matches(caller)
            && self.matches_action(INVOKE)
            && self.endpoint_gate(vpce, vpc)
            && self.fixed_conditions_hold()
            && (self.effect == Effect::Allow || !self.has_other_conditions())
    }

    pub fn matches_action(&self, action: &str) -> bool {
        let a = action.to_lowercase();
        let hit = self
            .action
            .patterns
            .iter()
            .any(|p| glob(&p.to_lowercase(), &a));
        hit != self.action.negated
    }

    /// Its resource patterns that match no request (see [`matches_no_request`]).
    pub fn inert_resources(&self) -> impl Iterator<Item = &String> {
        self.resource
            .patterns
            .iter()
            .filter(|p| matches_no_request(p))
    }

    pub fn matches_resource(&self, resource: &str) -> bool {
        let hit = self.resource.patterns.iter().any(|p| glob(p, resource));
        hit != self.resource.negated
    }

    /// Denies every invocation of every resource of the API for every caller: wildcard
    /// principal, no condition, positive Action and Resource with a pattern covering all.
    /// A negated element (`NotResource`, `NotAction`, `NotPrincipal`) never qualifies: it
    /// leaves something out by construction.
    pub fn denies_every_call(&self, api: &ApiRef) -> bool {
        let covers_all = |pattern: &str, prefix: &str| {
            // `prefix*`-style patterns only: the part after the last literal must be stars.
            let literal = pattern.trim_end_matches('*');
            literal.len() < pattern.len() && !has_wildcard(literal) && prefix.starts_with(literal)
        };
        let whole = api.request_lead();
        self.effect == Effect::Deny
            && self.conditions.is_empty()
            && self.principal.wildcard
            && !self.principal.negated
            && !self.action.negated
            && self.matches_action(INVOKE)
            && !self.resource.negated
            && self.resource.patterns.iter().any(|p| covers_all(p, &whole))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub stmts: Vec<Stmt>,
}

impl Policy {
    /// Non-wildcard principals named anywhere, so callers can ask "does anyone get in".
    pub fn named_principals(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.stmts {
            for n in &s.principal.named {
                if !out.contains(n) {
                    out.push(n.clone());
                }
            }
        }
        out
    }
}

/// IAM wildcard match: `*` any run of characters (including none), `?` exactly one.
/// Every evaluation matches many patterns against many values, so the common
/// cases allocate nothing: a pattern without wildcards is compared as it is,
/// and ASCII text is matched byte by byte.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    if !has_wildcard(pattern) {
        return pattern == text;
    }
    // `?` stands for one character: a byte is one only in ASCII text.
    if pattern.is_ascii() && text.is_ascii() {
        wildcard_match(pattern.as_bytes(), text.as_bytes(), b'*', b'?')
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        wildcard_match(&p, &t, '*', '?')
    }
}

/// Greedy matching with one backtrack point (the last `*`): linear in
/// practice, and never exponential.
fn wildcard_match<T: Copy + PartialEq>(p: &[T], t: &[T], any_run: T, any_one: T) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<usize> = None;
    let mut mark = 0usize;
    while ti < t.len() {
        if pi < p.len() && p[pi] == any_run {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && (p[pi] == any_one || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == any_run {
        pi += 1;
    }
    pi == p.len()
}

pub(crate) fn has_wildcard(s: &str) -> bool {
    s.contains('*') || s.contains('?')
}

/// `execute-api:/...` is how policies are written; AWS stores the full ARN (for a domain,
/// `execute-api:/*` is stored as the domain's ARN with no `/*`). Any other
/// `execute-api:` form (SAM's `execute-api:*/*/*`) is stored, and matched, as written.
pub(crate) fn canonical_resource(api: &ApiRef, r: &str) -> String {
    match r.strip_prefix("execute-api:") {
        // A domain has no stages or paths: `execute-api:/*` is the domain itself.
        Some("/*") if api.is_domain() => api.whole_api(),
        Some(rest) if rest.starts_with('/') => format!("{}{}", api.arn_prefix(), rest),
        _ => r.to_string(),
    }
}

/// A resource pattern no request resource (always an ARN) can match: its text before the
/// first wildcard neither starts with `arn:` nor is a start of it.
pub(crate) fn matches_no_request(pattern: &str) -> bool {
    let literal = pattern.split(['*', '?']).next().unwrap_or_default();
    !(literal.starts_with("arn:") || "arn:".starts_with(literal))
}

/// Statements as a slice, whether `Statement` is one object or an array.
pub(crate) fn statements(doc: &Value) -> Option<Vec<&Value>> {
    match doc.get("Statement")? {
        Value::Array(a) => Some(a.iter().collect()),
        v @ Value::Object(_) => Some(vec![v]),
        _ => None,
    }
}

pub(crate) fn analyze(doc: &Value, api: &ApiRef) -> Result<Policy, PolicyError> {
    let top = doc
        .as_object()
        .ok_or_else(|| PolicyError::unsupported("(document)", "the policy is not a JSON object"))?;
    for (k, v) in top {
        match k.as_str() {
            "Version" => match v.as_str() {
                Some("2012-10-17" | "2008-10-17") => {}
                _ => {
                    return Err(PolicyError::unsupported(
                        "(document)",
                        format!("unknown policy Version {v}"),
                    ))
                }
            },
            "Id" if v.is_string() => {}
            "Statement" => {}
            other => {
                return Err(PolicyError::unsupported(
                    "(document)",
                    format!("unknown top-level element {other:?}"),
                ))
            }
        }
    }
    let raw = statements(doc).ok_or_else(|| {
        PolicyError::unsupported(
            "(document)",
            "Statement is missing or is neither an object nor an array",
        )
    })?;
    let mut stmts = Vec::with_capacity(raw.len());
    for (i, s) in raw.into_iter().enumerate() {
        stmts.push(analyze_statement(i, s, api)?);
    }
    Ok(Policy { stmts })
}

fn label_of(i: usize, obj: Option<&Map<String, Value>>) -> String {
    match obj.and_then(|o| o.get("Sid")).and_then(Value::as_str) {
        Some(sid) if !sid.is_empty() => sid.to_string(),
        _ => format!("#{}", i + 1),
    }
}

fn analyze_statement(i: usize, v: &Value, api: &ApiRef) -> Result<Stmt, PolicyError> {
    let label = label_of(i, v.as_object());
    let err = |d: String| PolicyError::unsupported(label.clone(), d);
    let obj = v
        .as_object()
        .ok_or_else(|| err("statement is not a JSON object".into()))?;
    for k in obj.keys() {
        match k.as_str() {
            "Sid" | "Effect" | "Principal" | "NotPrincipal" | "Action" | "NotAction"
            | "Resource" | "NotResource" | "Condition" => {}
            other => return Err(err(format!("unknown statement element {other:?}"))),
        }
    }
    if let Some(sid) = obj.get("Sid") {
        if !sid.is_string() {
            return Err(err("Sid is not a string".into()));
        }
    }
    let effect = match obj.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => return Err(err("Effect must be \"Allow\" or \"Deny\"".into())),
    };
    let principal = match (obj.get("Principal"), obj.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            return Err(err("both Principal and NotPrincipal are present".into()))
        }
        (None, None) => return Err(err("statement has no Principal".into())),
        (Some(p), None) => parse_principal(p, api, false).map_err(err)?,
        (None, Some(p)) => parse_principal(p, api, true).map_err(err)?,
    };
    let action = parse_matcher(obj, "Action", "NotAction", |s| Ok(s.to_string())).map_err(err)?;
    let resource = parse_matcher(obj, "Resource", "NotResource", |s| {
        if s.contains("${") {
            return Err(format!(
                "policy variables are not supported in resource {s:?}"
            ));
        }
        Ok(canonical_resource(api, s))
    })
    .map_err(err)?;
    let conditions = match obj.get("Condition") {
        None => Vec::new(),
        Some(c) => parse_condition(c).map_err(err)?,
    };
    Ok(Stmt {
        index: i,
        label,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

fn string_list(v: &Value, what: &str) -> Result<Vec<String>, String> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(a) if !a.is_empty() => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{what} contains a non-string value"))
            })
            .collect(),
        Value::Array(_) => Err(format!("{what} is an empty list")),
        _ => Err(format!("{what} must be a string or a list of strings")),
    }
}

/// Condition values may also be JSON booleans and numbers (`"Bool": {"aws:SecureTransport": false}`).
fn condition_values(v: &Value, what: &str) -> Result<Vec<String>, String> {
    let one = |x: &Value| match x {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(format!(
            "{what} contains a value that is not a string, number or boolean"
        )),
    };
    match v {
        Value::Array(a) if !a.is_empty() => a.iter().map(one).collect(),
        Value::Array(_) => Err(format!("{what} is an empty list")),
        other => Ok(vec![one(other)?]),
    }
}

fn normalise_principal(api: &ApiRef, p: &str) -> String {
    if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
        format!("arn:{}:iam::{}:root", api.partition(), p)
    } else {
        p.to_string()
    }
}

fn parse_principal(v: &Value, api: &ApiRef, negated: bool) -> Result<Principals, String> {
    let mut out = Principals {
        negated,
        wildcard: false,
        named: Vec::new(),
    };
    match v {
        Value::String(s) if s == "*" => {
            out.wildcard = true;
            Ok(out)
        }
        Value::Object(m) if !m.is_empty() => {
            for (kind, vals) in m {
                if !matches!(
                    kind.as_str(),
                    "AWS" | "Service" | "Federated" | "CanonicalUser"
                ) {
                    return Err(format!("unknown principal type {kind:?}"));
                }
                for p in string_list(vals, "Principal")? {
                    // AWS services, web identities and S3 canonical users never call an API
                    // through a VPC endpoint, so such a principal names no caller here.
                    if kind != "AWS" {
                        continue;
                    }
                    if p == "*" {
                        out.wildcard = true;
                    } else if p.contains('*') {
                        return Err(format!("wildcard principal {p:?} is not supported"));
                    } else {
                        out.named.push(normalise_principal(api, &p));
                    }
                }
            }
            Ok(out)
        }
        other => Err(format!("unsupported Principal {other}")),
    }
}

fn parse_matcher(
    obj: &Map<String, Value>,
    pos: &str,
    neg: &str,
    map: impl Fn(&str) -> Result<String, String>,
) -> Result<Matcher, String> {
    let (negated, v) = match (obj.get(pos), obj.get(neg)) {
        (Some(v), None) => (false, v),
        (None, Some(v)) => (true, v),
        (Some(_), Some(_)) => return Err(format!("both {pos} and {neg} are present")),
        (None, None) => return Err(format!("neither {pos} nor {neg} is present")),
    };
    let what = if negated { neg } else { pos };
    let patterns = string_list(v, what)?
        .iter()
        .map(|s| {
            if s.is_empty() {
                Err(format!("{what} contains an empty string"))
            } else {
                map(s)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Matcher { negated, patterns })
}

fn parse_condition(c: &Value) -> Result<Vec<Entry>, String> {
    let blocks = c
        .as_object()
        .filter(|m| !m.is_empty())
        .ok_or("Condition must be a non-empty object")?;
    let mut out = Vec::new();
    for (op_name, block) in blocks {
        let op = Op::parse(op_name)
            .ok_or_else(|| format!("condition operator {op_name:?} is not supported"))?;
        let keys = block
            .as_object()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| format!("{op_name} must be a non-empty object"))?;
        let mut seen: Vec<String> = Vec::new();
        for (key_name, vals) in keys {
            let lower = key_name.to_ascii_lowercase();
            if seen.contains(&lower) {
                return Err(format!(
                    "{op_name} names the condition key {key_name} twice in different case"
                ));
            }
            seen.push(lower.clone());
            let key = match lower.as_str() {
                "aws:sourcevpce" => Key::Vpce,
                "aws:sourcevpc" => Key::Vpc,
                _ => Key::Other(lower),
            };
            if key.is_endpoint() && !(op.is_string_list() || op.kind == Kind::Null) {
                return Err(format!(
                    "{op_name} on {key_name} is not supported: xapi edits endpoint conditions \
                     written with String operators (or Null)"
                ));
            }
            let values = condition_values(vals, key_name)?;
            if let Some(v) = values.iter().find(|v| v.contains("${")) {
                return Err(format!(
                    "policy variable in {key_name} value {v:?} is not supported"
                ));
            }
            if let Some(v) = values.iter().find(|v| !valid_value(op.kind, v)) {
                return Err(format!("{op_name} value {v:?} for {key_name} is not valid"));
            }
            out.push(Entry {
                op,
                op_name: op_name.clone(),
                key,
                key_name: key_name.clone(),
                values,
            });
        }
    }
    Ok(out)
}
