//! grant and revoke: minimal edits of the conditions that list admitted endpoints.
//!
//! The invariant both keep, checked by the property tests with the evaluator as oracle:
//! a request whose `aws:SourceVpce` is not the edited id gets exactly the decision it got
//! before. Every change below is therefore a change to a conjunct that is constant for such
//! requests (`vpce != X` is true for them, `vpce == X` false), which is why it is neutral.
//!
//! grant(X):
//! - Deny with an `aws:SourceVpce` exemption (negated operator, any variant): X joins the
//!   first exemption list unless one already covers it.
//! - Deny exempting only by `aws:SourceVpc`: `aws:SourceVpce: [X]` goes into that same
//!   negated block; never X's VPC, which would admit every endpoint in it.
//! - Allow requiring `aws:SourceVpce` (positive operator): X joins every such list.
//! - Allow requiring only `aws:SourceVpc`: a companion Allow (same Principal, Action,
//!   Resource, other conditions) with `StringEquals aws:SourceVpce [X]`; later grants extend it.
//! - "Already" means nothing was left to add and X is listed or admitted. So an open
//!   policy with no lists reports X as already admitted (with a warning), while a list that
//!   sits beside an open Allow still gains X, so X keeps access if the open Allow goes.
//! - Refused: a statement that denies X by name or excludes it from an Allow (a human
//!   decided that), a policy with no list to extend that does not admit X, and a result
//!   over the size limit.
//!
//! revoke(X) removes X, by name, from every list that admits endpoints. An exemption list
//! that empties loses its key (then its block, then `Condition`), so the Deny applies to
//! everyone; an Allow whose required list empties is removed. It refuses when X would
//! still get in somewhere (a pattern, an open Allow, an Allow for a named principal),
//! when a `...IfExists` Allow would lose its last value, and when no statement would remain.
//!
//! Edits never look at Principal, so they keep the invariant for signed callers too.

use serde_json::{json, Map, Value};

use super::eval::{admitted, fresh_ids, open_to_any};
use super::model::{analyze, has_wildcard, Effect, Entry, Key, Policy, Stmt, KEY_VPCE};
use super::{ApiRef, PolicyDocument, PolicyError, POLICY_SIZE_LIMIT};

#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub document: PolicyDocument,
    pub changed: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// grant: ids already admitted; revoke: ids already not admitted.
    pub already: Vec<String>,
    pub warnings: Vec<String>,
}

/// Makes requests through each id be treated like requests through the endpoints the
/// policy already admits, without changing the decision for any other request.
pub fn grant(
    current: Option<&PolicyDocument>,
    api: &ApiRef,
    vpces: &[String],
) -> Result<Edit, PolicyError> {
    let ids = dedupe(vpces);
    let Some(current) = current else {
        if ids.is_empty() {
            return Err(PolicyError::unsupported(
                "(request)",
                "no VPC endpoint ids to grant",
            ));
        }
        let document = PolicyDocument::standard(&ids);
        check_size(&document)?;
        return Ok(Edit {
            document,
            changed: true,
            added: ids,
            removed: Vec::new(),
            already: Vec::new(),
            warnings: Vec::new(),
        });
    };
    edit_each(current, api, &ids, grant_one, |e| &mut e.added)
}

/// Removes each id from every list that admits it. Refuses when the id would stay
/// admitted anyway, because reporting a revoke that did not revoke is worse than failing.
pub fn revoke(
    current: Option<&PolicyDocument>,
    api: &ApiRef,
    vpces: &[String],
) -> Result<Edit, PolicyError> {
    let ids = dedupe(vpces);
    let Some(current) = current else {
        // No policy: nothing is admitted. The placeholder document must never be written,
        // which `changed == false` says.
        return Ok(Edit {
            document: PolicyDocument::from_json(
                json!({ "Version": "2012-10-17", "Statement": [] }),
            ),
            changed: false,
            added: Vec::new(),
            removed: Vec::new(),
            already: ids,
            warnings: vec!["the API has no resource policy; nothing to revoke".into()],
        });
    };
    edit_each(current, api, &ids, revoke_one, |e| &mut e.removed)
}

/// Apply `one` for each id in turn, each on the result of the last; ids it
/// changes nothing for are `already`.
fn edit_each(
    current: &PolicyDocument,
    api: &ApiRef,
    ids: &[String],
    one: fn(&Value, &ApiRef, &str) -> Result<Outcome, PolicyError>,
    changed: fn(&mut Edit) -> &mut Vec<String>,
) -> Result<Edit, PolicyError> {
    analyze(current.as_value(), api)?;
    let mut value = current.as_value().clone();
    let mut edit = empty_edit(current);
    for id in ids {
        match one(&value, api, id)? {
            Some((next, warnings)) => {
                value = next;
                changed(&mut edit).push(id.clone());
                edit.warnings.extend(warnings);
            }
            None => edit.already.push(id.clone()),
        }
    }
    finish(edit, value, api)
}

fn empty_edit(current: &PolicyDocument) -> Edit {
    Edit {
        document: current.clone(),
        changed: false,
        added: Vec::new(),
        removed: Vec::new(),
        already: Vec::new(),
        warnings: Vec::new(),
    }
}

fn finish(mut edit: Edit, value: Value, api: &ApiRef) -> Result<Edit, PolicyError> {
    if !edit.added.is_empty() || !edit.removed.is_empty() {
        // Only a changed policy is re-serialised, so an unchanged one stays byte-identical.
        edit.document = PolicyDocument::from_json(value);
        edit.changed = true;
        check_size(&edit.document)?;
    }
    let policy = analyze(edit.document.as_value(), api)?;
    if open_to_any(&policy, api, &edit.document.to_compact()) {
        edit.warnings.push(format!(
            "the policy admits requests through every VPC endpoint in {} (any account): an Allow \
             is not limited by aws:SourceVpce or aws:SourceVpc",
            api.region
        ));
    }
    Ok(edit)
}

fn check_size(doc: &PolicyDocument) -> Result<(), PolicyError> {
    // Bytes, not characters: never smaller, so the check can only err on the safe side.
    let size = doc.to_compact().len();
    if size > POLICY_SIZE_LIMIT {
        return Err(PolicyError::TooLarge {
            size,
            limit: POLICY_SIZE_LIMIT,
        });
    }
    Ok(())
}

fn dedupe(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

type Outcome = Option<(Value, Vec<String>)>;

/// One id. `None` means already admitted.
fn grant_one(value: &Value, api: &ApiRef, x: &str) -> Result<Outcome, PolicyError> {
    let policy = analyze(value, api)?;
    refuse_if_singled_out(&policy, x)?;

    let mut out = value.clone();
    let mut changed = false;
    let mut companions: Vec<&Stmt> = Vec::new();
    let mut exempted_from_deny_all = false;
    for s in &policy.stmts {
        match s.effect {
            Effect::Deny => {
                let exemptions: Vec<&Entry> = s.admit_entries().collect();
                let vpce_exemptions: Vec<&Entry> = exemptions
                    .iter()
                    .copied()
                    .filter(|e| e.key == Key::Vpce)
                    .collect();
                if vpce_exemptions.iter().any(|e| e.any_value_matches(x)) {
                    // One false conjunct already keeps this Deny off X.
                    continue;
                }
                if let Some(e) = vpce_exemptions.first() {
                    add_value(&mut out, s.index, e, x);
                    changed = true;
                } else if let Some(e) = exemptions.iter().find(|e| e.key == Key::Vpc) {
                    // Same block, so ANDed: the Deny now applies when the VPC is not listed
                    // AND the endpoint is not X, which exempts X and nothing else. Adding X's
                    // VPC instead would admit every endpoint in that VPC.
                    add_key(&mut out, s.index, &e.op_name, x);
                    changed = true;
                } else if s.conditions.is_empty() && denies_every_call(s, api) {
                    // Denying every call on the whole API admits no endpoint at all (what
                    // revoking the last endpoint leaves), so no admitted endpoint exists to
                    // copy: exempting X from it changes the decisions for X and nothing else.
                    // A narrower unconditional Deny (say, of DELETE) binds admitted endpoints
                    // too, so it must keep binding X and is left alone.
                    set_exemption(&mut out, s.index, x);
                    exempted_from_deny_all = true;
                    changed = true;
                }
            }
            Effect::Allow => {
                let required: Vec<&Entry> = s.admit_entries().collect();
                let vpce_required: Vec<&Entry> = required
                    .iter()
                    .copied()
                    .filter(|e| e.key == Key::Vpce)
                    .collect();
                if !vpce_required.is_empty() {
                    for e in vpce_required {
                        if !e.any_value_matches(x) {
                            add_value(&mut out, s.index, e, x);
                            changed = true;
                        }
                    }
                } else if required.iter().any(|e| e.key == Key::Vpc) {
                    companions.push(s);
                }
            }
        }
    }
    // Descending index order keeps the indices of statements not yet handled valid.
    for s in companions.into_iter().rev() {
        if add_companion(&mut out, value, s, x)? {
            changed = true;
        }
    }

    if !changed {
        let listed = policy.stmts.iter().any(|s| {
            s.admit_entries()
                .any(|e| e.key == Key::Vpce && e.any_value_matches(x))
        });
        let (_, _, vpc) = fresh_ids(&value.to_string());
        if listed || admitted(&policy, api, x, &[None, Some(vpc.as_str())], false) {
            return Ok(None);
        }
        return Err(PolicyError::unsupported(
            "(policy)",
            format!(
                "no statement admits endpoints by {KEY_VPCE} or aws:SourceVpc and {x} is not \
                 admitted; there is no list to add it to, refusing to guess"
            ),
        ));
    }

    let after = analyze(&out, api)?;
    let mut warnings = Vec::new();
    let text = out.to_string();
    let (_, _, fresh_vpc) = fresh_ids(&text);
    let admitted_now = admitted(&after, api, x, &[Some(fresh_vpc.as_str())], false);
    if exempted_from_deny_all && !admitted_now {
        return Err(PolicyError::unsupported(
            "(policy)",
            format!("the policy denies every call and no Allow would admit {x}; refusing to guess"),
        ));
    }
    if !admitted_now {
        let vpcs = listed_vpcs(&after);
        let from: Vec<&str> = vpcs
            .iter()
            .map(String::as_str)
            .filter(|v| admitted(&after, api, x, &[Some(v)], false))
            .collect();
        if from.is_empty() {
            warnings.push(format!(
                "{x} is now listed like the other endpoints, but no Allow statement admits \
                 requests through it"
            ));
        } else {
            warnings.push(format!(
                "{x} is admitted only if it is in one of these VPCs, as the listed endpoints \
                 are: {}",
                from.join(", ")
            ));
        }
    }
    Ok(Some((out, warnings)))
}

/// Refuses when the policy treats X differently from other endpoints on purpose; granting
/// would mean deleting that rule, which is a decision for a human.
fn refuse_if_singled_out(policy: &Policy, x: &str) -> Result<(), PolicyError> {
    for s in &policy.stmts {
        let against = s.conditions.iter().filter(|e| {
            e.key == Key::Vpce
                && e.op.negated == (s.effect == Effect::Allow)
                && e.any_value_matches(x)
        });
        for e in against {
            let explicit = e
                .values
                .iter()
                .any(|v| !has_wildcard(v) && e.op.value_matches(v, x));
            match s.effect {
                Effect::Allow => {
                    return Err(PolicyError::unsupported(
                        s.label.clone(),
                        format!(
                            "this Allow excludes {x} ({} {}); edit it by hand",
                            e.op_name, e.key_name
                        ),
                    ))
                }
                Effect::Deny => {
                    // A pattern such as "vpce-*" next to an exemption list is the common
                    // "deny all but these" idiom: the exemption we add neutralises it.
                    let exemptable = s.admit_entries().next().is_some();
                    if explicit || !exemptable {
                        return Err(PolicyError::unsupported(
                            s.label.clone(),
                            format!(
                                "this Deny targets {x} ({} {}); edit it by hand",
                                e.op_name, e.key_name
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

fn listed_vpcs(policy: &Policy) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &policy.stmts {
        for e in s.admit_entries().filter(|e| e.key == Key::Vpc) {
            for v in &e.values {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
        }
    }
    out
}

fn statement_mut(doc: &mut Value, index: usize) -> Option<&mut Map<String, Value>> {
    match doc.get_mut("Statement")? {
        Value::Array(a) => a.get_mut(index)?.as_object_mut(),
        v @ Value::Object(_) if index == 0 => v.as_object_mut(),
        _ => None,
    }
}

fn block_mut<'a>(
    doc: &'a mut Value,
    index: usize,
    op_name: &str,
) -> Option<&'a mut Map<String, Value>> {
    statement_mut(doc, index)?
        .get_mut("Condition")?
        .as_object_mut()?
        .get_mut(op_name)?
        .as_object_mut()
}

/// A single string that gains a second value becomes a list, as AWS writes it.
fn add_value(doc: &mut Value, index: usize, e: &Entry, x: &str) {
    let Some(block) = block_mut(doc, index, &e.op_name) else {
        return;
    };
    let Some(slot) = block.get_mut(&e.key_name) else {
        return;
    };
    match slot {
        Value::Array(a) => a.push(Value::String(x.to_string())),
        other => {
            let first = other.take();
            *other = Value::Array(vec![first, Value::String(x.to_string())]);
        }
    }
}

fn denies_every_call(s: &Stmt, api: &ApiRef) -> bool {
    s.principal.wildcard
        && s.matches_action("execute-api:Invoke")
        && s.matches_resource(&api.whole_api())
}

fn set_exemption(doc: &mut Value, index: usize, x: &str) {
    if let Some(stmt) = statement_mut(doc, index) {
        stmt.insert(
            "Condition".to_string(),
            json!({ "StringNotEquals": { KEY_VPCE: [x] } }),
        );
    }
}

fn add_key(doc: &mut Value, index: usize, op_name: &str, x: &str) {
    if let Some(block) = block_mut(doc, index, op_name) {
        block.insert(KEY_VPCE.to_string(), json!([x]));
    }
}

/// For an Allow that admits whole VPCs (positive aws:SourceVpc, no endpoint list): one
/// block cannot say "VPC listed OR endpoint X", so X gets its own Allow, a copy with the VPC
/// requirement replaced by `StringEquals aws:SourceVpce [X]`. That copy matches no request
/// through another endpoint, so other decisions are unchanged. Returns whether it was added.
fn add_companion(
    out: &mut Value,
    original: &Value,
    s: &Stmt,
    x: &str,
) -> Result<bool, PolicyError> {
    let source = super::model::statements(original)
        .and_then(|v| v.get(s.index).copied())
        .and_then(Value::as_object)
        .ok_or_else(|| PolicyError::unsupported(s.label.clone(), "statement vanished"))?;
    let mut body = source.clone();
    let sid = body.shift_remove("Sid");
    if let Some(Value::Object(cond)) = body.get_mut("Condition") {
        for e in s.admit_entries().filter(|e| e.key == Key::Vpc) {
            if let Some(Value::Object(block)) = cond.get_mut(&e.op_name) {
                block.shift_remove(&e.key_name);
            }
        }
        cond.retain(|_, b| b.as_object().is_none_or(|m| !m.is_empty()));
        match cond.get_mut("StringEquals") {
            Some(Value::Object(block)) => {
                block.insert(KEY_VPCE.to_string(), json!([x]));
            }
            _ => {
                cond.insert("StringEquals".into(), json!({ KEY_VPCE: [x] }));
            }
        }
    }

    // A companion made by an earlier grant already carries X (the endpoint-list pass above
    // added it), and must not be duplicated.
    let shape = companion_shape(&body);
    let existing = super::model::statements(out).unwrap_or_default();
    if existing.iter().any(|t| {
        t.as_object()
            .is_some_and(|t| companion_shape(t) == shape && vpce_list_contains(t, x))
    }) {
        return Ok(false);
    }

    let mut stmt = Map::new();
    if let Some(Value::String(sid)) = sid {
        let candidate = format!("{sid}Vpce");
        let taken = existing
            .iter()
            .any(|t| t.get("Sid").and_then(Value::as_str) == Some(candidate.as_str()));
        if !taken {
            stmt.insert("Sid".into(), Value::String(candidate));
        }
    }
    stmt.extend(body);
    let stmt = Value::Object(stmt);
    let Some(slot) = out.get_mut("Statement") else {
        return Err(PolicyError::unsupported(s.label.clone(), "no Statement"));
    };
    if slot.is_object() {
        let single = slot.take();
        *slot = Value::Array(vec![single]);
    }
    if let Value::Array(a) = slot {
        let at = (s.index + 1).min(a.len());
        a.insert(at, stmt);
    }
    Ok(true)
}

fn companion_shape(stmt: &Map<String, Value>) -> Value {
    let mut m = stmt.clone();
    m.shift_remove("Sid");
    if let Some(Value::Object(cond)) = m.get_mut("Condition") {
        if let Some(Value::Object(block)) = cond.get_mut("StringEquals") {
            if let Some(v) = block.get_mut(KEY_VPCE) {
                *v = Value::Null;
            }
        }
    }
    Value::Object(m)
}

fn vpce_list_contains(stmt: &Map<String, Value>, x: &str) -> bool {
    match stmt
        .get("Condition")
        .and_then(|c| c.get("StringEquals"))
        .and_then(|b| b.get(KEY_VPCE))
    {
        Some(Value::String(s)) => s == x,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(x)),
        _ => false,
    }
}

/// One id. `None` means it was already not admitted.
fn revoke_one(value: &Value, api: &ApiRef, x: &str) -> Result<Outcome, PolicyError> {
    let policy = analyze(value, api)?;
    let mut out = value.clone();
    let mut changed = false;
    let mut drop_statements: Vec<usize> = Vec::new();
    for s in &policy.stmts {
        for e in s.admit_entries().filter(|e| e.key == Key::Vpce) {
            let remaining: Vec<&String> = e
                .values
                .iter()
                .filter(|v| !e.op.names_exactly(v, x))
                .collect();
            if remaining.len() == e.values.len() {
                continue;
            }
            changed = true;
            if !remaining.is_empty() {
                if let Some(block) = block_mut(&mut out, s.index, &e.op_name) {
                    block.insert(e.key_name.clone(), json!(remaining));
                }
                continue;
            }
            match s.effect {
                Effect::Deny => remove_key(&mut out, s.index, e),
                Effect::Allow if e.op.if_exists => {
                    return Err(PolicyError::unsupported(
                        s.label.clone(),
                        format!(
                            "{x} is the only value of {} {}; dropping it would change requests \
                             that carry no aws:SourceVpce. Edit it by hand",
                            e.op_name, e.key_name
                        ),
                    ))
                }
                Effect::Allow => {
                    // The Allow admitted only X: removing it changes nothing for others.
                    if !drop_statements.contains(&s.index) {
                        drop_statements.push(s.index);
                    }
                }
            }
        }
    }
    if !drop_statements.is_empty() {
        drop_statements.sort_unstable();
        let count = super::model::statements(&out).map_or(0, |v| v.len());
        if drop_statements.len() >= count {
            return Err(PolicyError::unsupported(
                "(policy)",
                format!(
                    "revoking {x} would leave the policy with no statements; a private API \
                     needs one. Write a policy that admits the remaining endpoints instead"
                ),
            ));
        }
        if let Some(Value::Array(a)) = out.get_mut("Statement") {
            for i in drop_statements.into_iter().rev() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
    }

    let after = analyze(&out, api)?;
    let text = out.to_string();
    let (_, _, fresh_vpc) = fresh_ids(&text);
    if admitted(&after, api, x, &[None, Some(fresh_vpc.as_str())], false) {
        let detail = if open_to_any(&after, api, &text) {
            "policy admits every endpoint; grant a specific endpoint first".to_string()
        } else {
            format!(
                "requests through {x} would still be admitted by a statement that does not name \
                 it (a wildcard pattern, or an Allow for a named principal without an endpoint \
                 condition); edit the policy by hand"
            )
        };
        return Err(PolicyError::unsupported("(policy)", detail));
    }
    if !changed {
        return Ok(None);
    }
    let mut warnings = Vec::new();
    let still: Vec<String> = listed_vpcs(&after)
        .into_iter()
        .filter(|v| admitted(&after, api, x, &[Some(v.as_str())], false))
        .collect();
    if !still.is_empty() {
        warnings.push(format!(
            "{x} is still admitted if it is in one of these VPCs, which the policy admits as a \
             whole: {}",
            still.join(", ")
        ));
    }
    Ok(Some((out, warnings)))
}

/// Drops an exemption whose last value was X. For every other request `vpce != X` was
/// true, so removing that conjunct leaves their decisions alone; with no condition left the
/// Deny applies to every request, which admits nobody rather than everybody.
fn remove_key(doc: &mut Value, index: usize, e: &Entry) {
    let Some(stmt) = statement_mut(doc, index) else {
        return;
    };
    let Some(Value::Object(cond)) = stmt.get_mut("Condition") else {
        return;
    };
    if let Some(Value::Object(block)) = cond.get_mut(&e.op_name) {
        block.shift_remove(&e.key_name);
        if block.is_empty() {
            cond.shift_remove(&e.op_name);
        }
    }
    if cond.is_empty() {
        stmt.shift_remove("Condition");
    }
}
