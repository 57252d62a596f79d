//! Every JSON document a test reads is checked against the JSON Schema that
//! `docs/schema/` publishes for its command, so the published contract is
//! proven on real runs, not only derived from the types.
//!
//! The checker covers what those schemas use (`$ref` into `$defs`, `type`,
//! `properties`, `required`, `additionalProperties`, `items`, `prefixItems`,
//! `enum`, `const`, `oneOf`, `anyOf`, `allOf`, `minimum`); any other keyword
//! fails loudly, so a schema that grows one cannot pass unchecked.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema")
}

/// `(schema name, the command words and flags that print it)`, from the
/// index `docs/schema/README.md`, e.g. `("AccessReport", ["grant-vpce"])`.
fn index() -> &'static Vec<(String, Vec<String>)> {
    static INDEX: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let text = std::fs::read_to_string(schema_dir().join("README.md")).expect("schema index");
        let mut out = Vec::new();
        for line in text.lines().filter(|l| l.starts_with("| [")) {
            let name = &line[3..line.find(']').expect("schema link")];
            let printed_by = line.rsplit('|').nth(1).expect("printed-by column");
            for command in printed_by.split(',') {
                let words: Vec<String> = command
                    .trim()
                    .trim_matches('`')
                    .split_whitespace()
                    .skip(1) // "xapi"
                    .map(str::to_owned)
                    .collect();
                out.push((name.to_owned(), words));
            }
        }
        out
    })
}

/// The schema for the document a run with `args` prints on stdout: the
/// index entry all of whose words appear in `args` in order, the longest
/// (`grant-vpce --domain` before `grant-vpce`). `None` for a command with
/// no document (a file written with `--snapshot-out` is not stdout).
fn schema_for(args: &[String]) -> Option<(String, Value)> {
    let appears_in_order = |words: &[String]| {
        let mut rest = args.iter();
        words.iter().all(|w| rest.any(|a| a == w))
    };
    let (name, _) = index()
        .iter()
        .filter(|(_, words)| !words.iter().any(|w| w == "--snapshot-out"))
        .filter(|(_, words)| appears_in_order(words))
        .max_by_key(|(_, words)| words.len())?;
    let text = std::fs::read_to_string(schema_dir().join(format!("{name}.json")))
        .unwrap_or_else(|e| panic!("docs/schema/{name}.json: {e}"));
    Some((
        name.clone(),
        serde_json::from_str(&text).expect("schema is JSON"),
    ))
}

/// Panics, naming every place `doc` breaks its command's published schema.
pub fn check(args: &[String], doc: &Value) {
    let Some((name, schema)) = schema_for(args) else {
        return;
    };
    let mut errors = Vec::new();
    validate(doc, &schema, &schema, "", &mut errors);
    assert!(
        errors.is_empty(),
        "the output of `xapi {}` breaks docs/schema/{name}.json:\n  {}\ndocument: {doc:#}",
        args.join(" "),
        errors.join("\n  ")
    );
}

fn type_matches(value: &Value, ty: &str) -> bool {
    match ty {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        other => panic!("schema type {other:?} is not one this checker knows"),
    }
}

fn validate(value: &Value, schema: &Value, root: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: no value is allowed here"));
        }
        return;
    };
    for (keyword, rule) in schema {
        match keyword.as_str() {
            "$ref" => {
                let name = rule
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    .unwrap_or_else(|| panic!("unsupported $ref {rule}"));
                validate(value, &root["$defs"][name], root, at, errors);
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    other => panic!("unsupported type {other}"),
                };
                if !types.iter().any(|t| type_matches(value, t)) {
                    errors.push(format!("{at}: {value} is not of type {types:?}"));
                }
            }
            "properties" => {
                if let Some(object) = value.as_object() {
                    for (field, sub) in rule.as_object().expect("properties") {
                        if let Some(v) = object.get(field) {
                            validate(v, sub, root, &format!("{at}/{field}"), errors);
                        }
                    }
                }
            }
            "required" => {
                if let Some(object) = value.as_object() {
                    for field in rule.as_array().expect("required") {
                        let field = field.as_str().expect("required field");
                        if !object.contains_key(field) {
                            errors.push(format!("{at}: required field {field:?} is missing"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(object) = value.as_object() {
                    let known = schema.get("properties").and_then(Value::as_object);
                    for (field, v) in object {
                        if known.is_some_and(|k| k.contains_key(field)) {
                            continue;
                        }
                        validate(v, rule, root, &format!("{at}/{field}"), errors);
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    let skip = schema
                        .get("prefixItems")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    for (i, v) in items.iter().enumerate().skip(skip) {
                        validate(v, rule, root, &format!("{at}/{i}"), errors);
                    }
                }
            }
            "prefixItems" => {
                if let Some(items) = value.as_array() {
                    for (i, (v, sub)) in items
                        .iter()
                        .zip(rule.as_array().expect("prefixItems"))
                        .enumerate()
                    {
                        validate(v, sub, root, &format!("{at}/{i}"), errors);
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let (Some(items), Some(n)) = (value.as_array(), rule.as_u64()) {
                    let len = items.len() as u64;
                    if (keyword == "minItems" && len < n) || (keyword == "maxItems" && len > n) {
                        errors.push(format!("{at}: {len} items breaks {keyword} {n}"));
                    }
                }
            }
            "enum" => {
                if !rule.as_array().expect("enum").contains(value) {
                    errors.push(format!("{at}: {value} is not one of {rule}"));
                }
            }
            "const" => {
                if value != rule {
                    errors.push(format!("{at}: {value} is not {rule}"));
                }
            }
            "minimum" => {
                if let (Some(v), Some(min)) = (value.as_f64(), rule.as_f64()) {
                    if v < min {
                        errors.push(format!("{at}: {v} is below the minimum {min}"));
                    }
                }
            }
            "oneOf" | "anyOf" => {
                let passing = rule
                    .as_array()
                    .expect("alternatives")
                    .iter()
                    .filter(|sub| {
                        let mut errs = Vec::new();
                        validate(value, sub, root, at, &mut errs);
                        errs.is_empty()
                    })
                    .count();
                let ok = if keyword == "oneOf" {
                    passing == 1
                } else {
                    passing >= 1
                };
                if !ok {
                    errors.push(format!(
                        "{at}: {value} matches {passing} of the {keyword} alternatives"
                    ));
                }
            }
            "allOf" => {
                for sub in rule.as_array().expect("allOf") {
                    validate(value, sub, root, at, errors);
                }
            }
            // Annotations: they describe, they do not constrain.
            "$schema" | "$defs" | "title" | "description" | "format" | "default" => {}
            other => panic!("schema keyword {other:?} is not one this checker knows"),
        }
    }
}

#[test]
fn the_checker_refuses_what_a_schema_refuses() {
    let schema = serde_json::json!({
        "type": "object",
        "required": ["a", "kind"],
        "properties": {
            "a": {"type": "integer", "minimum": 0},
            "kind": {"oneOf": [{"const": "x"}, {"const": "y"}]},
            "list": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
            "maybe": {"type": ["string", "null"]}
        },
        "$defs": {"Item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}
    });
    let errors = |doc: Value| {
        let mut e = Vec::new();
        validate(&doc, &schema, &schema, "", &mut e);
        e
    };
    assert!(
        errors(serde_json::json!({"a": 1, "kind": "x", "list": [{"id": "i"}], "maybe": null}))
            .is_empty()
    );
    for bad in [
        serde_json::json!({"kind": "x"}),
        serde_json::json!({"a": -1, "kind": "x"}),
        serde_json::json!({"a": 1.5, "kind": "x"}),
        serde_json::json!({"a": 1, "kind": "z"}),
        serde_json::json!({"a": 1, "kind": "x", "list": [{}]}),
        serde_json::json!({"a": 1, "kind": "x", "list": [{"id": 3}]}),
        serde_json::json!({"a": 1, "kind": "x", "maybe": 3}),
        serde_json::json!([1]),
    ] {
        assert!(!errors(bad.clone()).is_empty(), "{bad} passed");
    }
}

#[test]
fn each_command_finds_its_own_schema() {
    let of = |args: &[&str]| {
        schema_for(&args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>()).map(|(n, _)| n)
    };
    assert_eq!(
        of(&["--role-arn", "r", "grant-vpce", "--api-id", "a"]).as_deref(),
        Some("AccessReport")
    );
    assert_eq!(
        of(&["grant-vpce", "--domain", "d"]).as_deref(),
        Some("DomainAccessReport")
    );
    assert_eq!(
        of(&["mtls", "certs", "--out", "o", "--refresh-chain-crl", "c"]).as_deref(),
        Some("MtlsRefreshReport")
    );
    assert_eq!(
        of(&["mtls", "certs", "--out", "o"]).as_deref(),
        Some("MtlsCertsReport")
    );
    assert_eq!(
        of(&["doctor", "--snapshot-out", "f"]).as_deref(),
        Some("DoctorReport")
    );
    assert_eq!(of(&["completions", "bash"]), None);
}
