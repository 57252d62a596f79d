//! A validated, typed view of a policy document.
//!
//! Evaluation and editing both work from this view so that they can never disagree about
//! what a statement means. Anything outside the subset we model is refused here, once,
//! with `PolicyError::Unsupported`: a guessed meaning could open a private API.

use serde_json::{Map, Value};

use super::{ApiRef, PolicyError};

pub(crate) const KEY_VPCE: &str = "aws:SourceVpce";
pub(crate) const KEY_VPC: &str = "aws:SourceVpc";
pub(crate) const INVOKE: &str = "execute-api:Invoke";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Vpce,
    Vpc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Equals,
    EqualsIgnoreCase,
    Like,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Op {
    pub kind: Kind,
    pub negated: bool,
    pub if_exists: bool,
}

impl Op {
    pub fn parse(name: &str) -> Option<Op> {
        let (base, if_exists) = match name.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (name, false),
        };
        let (kind, negated) = match base {
            "StringEquals" => (Kind::Equals, false),
            "StringNotEquals" => (Kind::Equals, true),
            "StringEqualsIgnoreCase" => (Kind::EqualsIgnoreCase, false),
            "StringNotEqualsIgnoreCase" => (Kind::EqualsIgnoreCase, true),
            "StringLike" => (Kind::Like, false),
            "StringNotLike" => (Kind::Like, true),
            _ => return None,
        };
        Some(Op {
            kind,
            negated,
            if_exists,
        })
    }

    /// Whether one policy value matches the request value, ignoring negation.
    pub fn value_matches(self, policy_value: &str, actual: &str) -> bool {
        match self.kind {
            Kind::Equals => policy_value == actual,
            Kind::EqualsIgnoreCase => policy_value.to_lowercase() == actual.to_lowercase(),
            Kind::Like => glob(policy_value, actual),
        }
    }

    /// Whether a policy value names exactly `id` (not merely a pattern covering it); revoke
    /// only removes such values because removing a pattern would drop other endpoints too.
    pub fn names_exactly(self, policy_value: &str, id: &str) -> bool {
        match self.kind {
            Kind::Equals | Kind::Like => policy_value == id,
            Kind::EqualsIgnoreCase => policy_value.to_lowercase() == id.to_lowercase(),
        }
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
    /// from the request context is true (IAM User Guide, "Condition operators", Important box).
    pub fn holds(&self, actual: Option<&str>) -> bool {
        match actual {
            None => self.op.if_exists || self.op.negated,
            Some(a) => self.any_value_matches(a) != self.op.negated,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Principals {
    pub wildcard: bool,
    /// Normalised non-wildcard principals (12-digit accounts become root ARNs).
    pub named: Vec<String>,
}

impl Principals {
    /// `caller == None` is an unauthenticated request, the usual case through a VPC
    /// endpoint; only a wildcard principal matches it.
    pub fn matches(&self, caller: Option<&str>) -> bool {
        if self.wildcard {
            return true;
        }
        let Some(c) = caller else { return false };
        self.named.iter().any(|n| {
            n == c
                || (n.ends_with(":root")
                    && arn_account(n).is_some()
                    && arn_account(n) == arn_account(c))
        })
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
        let deny = self.effect == Effect::Deny;
        self.conditions.iter().filter(move |e| e.op.negated == deny)
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

    pub fn matches_resource(&self, resource: &str) -> bool {
        let hit = self.resource.patterns.iter().any(|p| glob(p, resource));
        hit != self.resource.negated
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
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<usize> = None;
    let mut mark = 0usize;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
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
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

pub(crate) fn has_wildcard(s: &str) -> bool {
    s.contains('*') || s.contains('?')
}

/// `execute-api:/...` is how policies are written; AWS stores the full ARN.
pub(crate) fn canonical_resource(api: &ApiRef, r: &str) -> String {
    match r.strip_prefix("execute-api:") {
        Some(rest) => format!("{}{}", api.arn_prefix(), rest),
        None => r.to_string(),
    }
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
                Some("2012-10-17") | Some("2008-10-17") => {}
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
            "Sid" | "Effect" | "Principal" | "Action" | "NotAction" | "Resource"
            | "NotResource" | "Condition" => {}
            "NotPrincipal" => return Err(err("NotPrincipal is not supported".into())),
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
    let principal = parse_principal(obj.get("Principal"), api).map_err(err)?;
    let action = parse_matcher(obj, "Action", "NotAction", |s| Ok(s.to_string())).map_err(err)?;
    let resource = parse_matcher(obj, "Resource", "NotResource", |s| {
        if s.contains("${") {
            return Err(format!(
                "policy variables are not supported in resource {s:?}"
            ));
        }
        if let Some(rest) = s.strip_prefix("execute-api:") {
            if !rest.starts_with('/') {
                return Err(format!("resource {s:?} must look like execute-api:/..."));
            }
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

fn normalise_principal(api: &ApiRef, p: &str) -> String {
    if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
        format!("arn:{}:iam::{}:root", api.partition(), p)
    } else {
        p.to_string()
    }
}

fn parse_principal(v: Option<&Value>, api: &ApiRef) -> Result<Principals, String> {
    let mut out = Principals {
        wildcard: false,
        named: Vec::new(),
    };
    match v {
        None => Err("statement has no Principal".into()),
        Some(Value::String(s)) if s == "*" => {
            out.wildcard = true;
            Ok(out)
        }
        Some(Value::Object(m)) if !m.is_empty() => {
            for (kind, vals) in m {
                if !matches!(
                    kind.as_str(),
                    "AWS" | "Service" | "Federated" | "CanonicalUser"
                ) {
                    return Err(format!("unknown principal type {kind:?}"));
                }
                for p in string_list(vals, "Principal")? {
                    if kind == "AWS" && p == "*" {
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
        Some(other) => Err(format!("unsupported Principal {other}")),
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

fn unsupported_key(key_name: &str) -> String {
    format!("condition key {key_name:?} is not supported (only {KEY_VPCE} and {KEY_VPC})")
}

fn parse_condition(c: &Value) -> Result<Vec<Entry>, String> {
    let blocks = c
        .as_object()
        .filter(|m| !m.is_empty())
        .ok_or("Condition must be a non-empty object")?;
    let mut out = Vec::new();
    for (op_name, block) in blocks {
        let op = Op::parse(op_name).ok_or_else(|| {
            format!("condition operator {op_name:?} is not supported (only String* operators)")
        })?;
        let keys = block
            .as_object()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| format!("{op_name} must be a non-empty object"))?;
        let mut seen: Vec<Key> = Vec::new();
        for (key_name, vals) in keys {
            let key = match key_name.to_ascii_lowercase().as_str() {
                "aws:sourcevpce" => Key::Vpce,
                "aws:sourcevpc" => Key::Vpc,
                _ => return Err(unsupported_key(key_name)),
            };
            if seen.contains(&key) {
                return Err(format!(
                    "{op_name} names the same condition key twice in different case"
                ));
            }
            seen.push(key);
            let values = string_list(vals, key_name)?;
            if values.iter().any(|v| v.contains("${")) {
                return Err(format!("policy variables are not supported in {key_name}"));
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
