//! The policy document as JSON: parsing the forms AWS and the emulator return, writing,
//! and a canonical hash for drift detection.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::model::{canonical_resource, INVOKE, KEY_VPCE};
use super::{ApiRef, PolicyError};

/// A resource policy kept as JSON with its key order, so that an edit changes only what it
/// must and an unchanged policy serialises to the same bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDocument {
    value: Value,
}

impl PolicyDocument {
    /// Accepts plain JSON, a JSON string whose content is the policy (GetRestApi's wire
    /// form), or the unquoted escaped text (`{\"Version\":...\/*}`) that real AWS hands back
    /// through the SDK.
    pub fn parse(raw: &str) -> Result<Self, PolicyError> {
        let text = raw.trim_start_matches('\u{feff}').trim();
        let first = match strict_parse(text) {
            Ok(v) => v,
            Err(e) => {
                if !text.contains("\\\"") {
                    return Err(PolicyError::NotJson(e));
                }
                match unescape(text) {
                    Some(inner) => return Self::from_inner(&inner),
                    None => return Err(PolicyError::NotJson(e)),
                }
            }
        };
        match first {
            Value::String(inner) => Self::from_inner(&inner),
            v => Self::from_value(v),
        }
    }

    fn from_inner(inner: &str) -> Result<Self, PolicyError> {
        let v = strict_parse(inner.trim()).map_err(PolicyError::NotJson)?;
        Self::from_value(v)
    }

    fn from_value(v: Value) -> Result<Self, PolicyError> {
        match v {
            Value::Object(_) => Ok(PolicyDocument { value: v }),
            other => Err(PolicyError::NotJson(format!(
                "expected a JSON object, found {}",
                kind_name(&other)
            ))),
        }
    }

    pub(crate) fn from_json(value: Value) -> Self {
        PolicyDocument { value }
    }

    /// The documented private-API shape. With no endpoints the Deny has no exemption at
    /// all, which denies everyone: an empty exemption list would be rejected by AWS, and
    /// dropping the Deny would open the API.
    pub fn standard(vpces: &[String]) -> Self {
        let allow = json!({
            "Effect": "Allow",
            "Principal": "*",
            "Action": INVOKE,
            "Resource": "execute-api:/*"
        });
        let mut deny = json!({
            "Effect": "Deny",
            "Principal": "*",
            "Action": INVOKE,
            "Resource": "execute-api:/*"
        });
        let mut ids: Vec<String> = Vec::new();
        for v in vpces {
            if !ids.contains(v) {
                ids.push(v.clone());
            }
        }
        if !ids.is_empty() {
            if let Value::Object(m) = &mut deny {
                m.insert(
                    "Condition".into(),
                    json!({ "StringNotEquals": { KEY_VPCE: ids } }),
                );
            }
        }
        PolicyDocument {
            value: json!({ "Version": "2012-10-17", "Statement": [allow, deny] }),
        }
    }

    pub fn to_compact(&self) -> String {
        self.value.to_string()
    }

    pub fn to_pretty(&self) -> String {
        format!("{:#}", self.value)
    }

    pub fn as_value(&self) -> &Value {
        &self.value
    }

    /// Hash of a form that AWS's rewrites cannot change: `execute-api:/` expanded to the
    /// API's ARN, object keys sorted, whitespace and escapes gone. Without this every read
    /// back from AWS would look like drift.
    pub fn canonical_sha256(&self, api: &ApiRef) -> String {
        let mut v = self.value.clone();
        canonicalise_resources(&mut v, api);
        let text = sorted(&v).to_string();
        let digest = Sha256::digest(text.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Treats the text as the body of a JSON string literal. Raw control characters are not
/// legal inside a JSON string, but pretty-printed policies contain newlines between tokens,
/// so those are escaped first.
fn unescape(text: &str) -> Option<String> {
    let mut lit = String::with_capacity(text.len() + 2);
    lit.push('"');
    for c in text.chars() {
        match c {
            '\n' => lit.push_str("\\n"),
            '\r' => lit.push_str("\\r"),
            '\t' => lit.push_str("\\t"),
            c => lit.push(c),
        }
    }
    lit.push('"');
    serde_json::from_str::<String>(&lit).ok()
}

fn canonicalise_resources(doc: &mut Value, api: &ApiRef) {
    let stmts: Vec<&mut Value> = match doc.get_mut("Statement") {
        Some(Value::Array(a)) => a.iter_mut().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => return,
    };
    for s in stmts {
        let Some(obj) = s.as_object_mut() else {
            continue;
        };
        for key in ["Resource", "NotResource"] {
            match obj.get_mut(key) {
                Some(Value::String(r)) => *r = canonical_resource(api, r),
                Some(Value::Array(a)) => {
                    for item in a.iter_mut() {
                        if let Value::String(r) = item {
                            *r = canonical_resource(api, r);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                if let Some(x) = m.get(k) {
                    out.insert(k.clone(), sorted(x));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// serde_json keeps the last of duplicate keys silently; IAM may not. A policy whose meaning
/// depends on which duplicate wins is refused rather than guessed.
fn strict_parse(text: &str) -> Result<Value, String> {
    serde_json::from_str::<Strict>(text)
        .map(|s| s.0)
        .map_err(|e| e.to_string())
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if out.contains_key(&k) {
                return Err(de::Error::custom(format!("duplicate key {k:?}")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}
