use serde_json::{json, Value};

use super::eval::decide;
use super::model::analyze;
use super::*;

const X: &str = "vpce-0123456789abcdef0";
const A: &str = "vpce-aaaaaaaa";
const B: &str = "vpce-bbbbbbbb";
const VPC_A: &str = "vpc-0aaaaaaa";
const VPC_B: &str = "vpc-0bbbbbbb";

fn api() -> ApiRef {
    ApiRef {
        region: "us-east-1".into(),
        account: "111122223333".into(),
        api_id: "abc123defg".into(),
    }
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn doc(v: Value) -> PolicyDocument {
    PolicyDocument::parse(&v.to_string()).unwrap()
}

fn req(vpce: Option<&str>, vpc: Option<&str>, path: &str) -> Request {
    Request {
        source_vpce: vpce.map(str::to_string),
        source_vpc: vpc.map(str::to_string),
        resource: format!("{}/{}", api().arn_prefix(), path),
        action: "execute-api:Invoke".into(),
        ..Default::default()
    }
}

fn eval(d: &PolicyDocument, vpce: Option<&str>, vpc: Option<&str>) -> Decision {
    evaluate(d, &api(), &req(vpce, vpc, "prod/GET/items")).unwrap()
}

fn allow_all() -> Value {
    json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"})
}

fn deny_unless(op: &str, key: &str, values: Value) -> Value {
    json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
           "Condition":{op:{key:values}}})
}

fn policy(stmts: Vec<Value>) -> PolicyDocument {
    doc(json!({"Version":"2012-10-17","Statement":stmts}))
}

fn statements(d: &PolicyDocument) -> Vec<Value> {
    d.as_value()["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn unsupported(r: Result<impl std::fmt::Debug, PolicyError>) -> String {
    match r {
        Err(PolicyError::Unsupported { detail, .. }) => detail,
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

// ---------- parsing and canonical form ----------

#[test]
fn standard_shape_admits_listed_endpoints_only() {
    let d = PolicyDocument::standard(&ids(&[A]));
    assert_eq!(eval(&d, Some(A), None), Decision::Allow);
    assert_eq!(eval(&d, Some(B), None), Decision::ExplicitDeny);
    assert_eq!(eval(&d, None, None), Decision::ExplicitDeny);
    let empty = PolicyDocument::standard(&[]);
    assert!(!empty.to_compact().contains("Condition"));
    assert_eq!(eval(&empty, Some(A), None), Decision::ExplicitDeny);
}

#[test]
fn parses_aws_escaped_form_and_hashes_it_like_the_sent_form() {
    let sent = PolicyDocument::standard(&ids(&[A]));
    let stored = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:111122223333:abc123defg\/*\"},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:111122223333:abc123defg\/*\",\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpce\":[\"vpce-aaaaaaaa\"]}}}]}"#;
    let parsed = PolicyDocument::parse(stored).unwrap();
    assert_eq!(
        parsed.canonical_sha256(&api()),
        sent.canonical_sha256(&api())
    );
    assert_ne!(parsed.to_compact(), sent.to_compact());
    // The same text as a JSON string literal (what the wire carries), and pretty-printed
    // with keys in another order.
    let quoted = serde_json::to_string(&sent.to_compact()).unwrap();
    let q = PolicyDocument::parse(&quoted).unwrap();
    assert_eq!(q, sent);
    let reordered = PolicyDocument::parse(
        r#"{ "Statement": [ {"Resource":"execute-api:/*","Action":"execute-api:Invoke","Principal":"*","Effect":"Allow"},
        {"Condition":{"StringNotEquals":{"aws:SourceVpce":["vpce-aaaaaaaa"]}},"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:\/*"} ],
        "Version": "2012-10-17" }"#,
    )
    .unwrap();
    assert_eq!(
        reordered.canonical_sha256(&api()),
        sent.canonical_sha256(&api())
    );
    assert_eq!(eval(&parsed, Some(A), None), Decision::Allow);
    assert_eq!(eval(&parsed, Some(B), None), Decision::ExplicitDeny);
}

#[test]
fn parse_refusals() {
    assert!(matches!(
        PolicyDocument::parse("nope"),
        Err(PolicyError::NotJson(_))
    ));
    assert!(matches!(
        PolicyDocument::parse("[1]"),
        Err(PolicyError::NotJson(_))
    ));
    assert!(matches!(
        PolicyDocument::parse(r#"{"a":1,"a":2}"#),
        Err(PolicyError::NotJson(_))
    ));
    assert!(matches!(
        PolicyDocument::parse(r#"{\"a\":"#),
        Err(PolicyError::NotJson(_))
    ));
    let e = PolicyDocument::parse("{").unwrap_err();
    assert!(e
        .to_string()
        .starts_with("resource policy is not valid JSON: "));
}

// ---------- evaluation ----------

#[test]
fn missing_keys_follow_iam() {
    let neg = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
    ]);
    assert_eq!(
        eval(&neg, None, None),
        Decision::ExplicitDeny,
        "negated op on absent key is true"
    );
    let pos = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
        "Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":A}}}),
    ]);
    assert_eq!(eval(&pos, None, None), Decision::ImplicitDeny);
    let ifx = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
        "Resource":"execute-api:/*","Condition":{"StringEqualsIfExists":{"aws:SourceVpce":A}}}),
    ]);
    assert_eq!(eval(&ifx, None, None), Decision::Allow);
    assert_eq!(eval(&ifx, Some(B), None), Decision::ImplicitDeny);
}

#[test]
fn principals_actions_and_resources() {
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"EXECUTE-API:*","Resource":"execute-api:/prod/*"}),
        json!({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"}),
    ]);
    assert_eq!(eval(&d, Some(A), None), Decision::Allow);
    let test_stage = evaluate(&d, &api(), &req(Some(A), None, "test/GET/items")).unwrap();
    assert_eq!(
        test_stage,
        Decision::ImplicitDeny,
        "named principal does not match anonymous"
    );
    // The whole-API probe misses a stage-only Allow; the Allow's own resource is probed too.
    assert!(admits_vpce(&d, &api(), A, None).unwrap());
}

#[test]
fn unsupported_keys_and_operators_are_refused() {
    for cond in [
        json!({"ForAnyValue:StringEquals":{"aws:SourceVpce":[A]}}),
        json!({"NumericEquals":{"aws:SourceVpce":"1"}}),
        json!({"ArnLike":{"aws:SourceVpc":"arn:*"}}),
        json!({"StringEquals":{"aws:SourceVpce":[]}}),
        json!({"StringEquals":{"aws:SourceVpce":A,"aws:sourcevpce":B}}),
        json!({"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/33"}}),
        json!({"IpAddress":{"aws:VpcSourceIp":"not-an-address"}}),
        json!({"NumericLessThan":{"aws:MultiFactorAuthAge":"soon"}}),
        json!({"DateGreaterThan":{"aws:CurrentTime":"2026-13-01"}}),
        json!({"Bool":{"aws:SecureTransport":"yes"}}),
        json!({"NullIfExists":{"aws:PrincipalOrgID":"true"}}),
        json!({"StringEquals":{"aws:PrincipalArn":"${aws:username}"}}),
        json!({"StringMatches":{"aws:PrincipalArn":"x"}}),
    ] {
        let d = policy(vec![
            allow_all(),
            json!({"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":cond}),
        ]);
        unsupported(grant(Some(&d), &api(), &ids(&[X])));
        unsupported(revoke(Some(&d), &api(), &ids(&[X])));
        unsupported(evaluate(&d, &api(), &req(Some(A), None, "prod/GET/x")));
        unsupported(summarize(&d, &api()));
    }
    let both = policy(vec![
        json!({"Effect":"Allow","Principal":"*","NotPrincipal":{"AWS":"x"},"Action":"*","Resource":"*"}),
    ]);
    unsupported(grant(Some(&both), &api(), &ids(&[X])));
}

// ---------- grant ----------

#[test]
fn grant_documented_deny_list() {
    let d = PolicyDocument::standard(&ids(&[A]));
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(e.changed);
    assert_eq!(e.added, ids(&[X]));
    let s = statements(&e.document);
    assert_eq!(s[0], statements(&d)[0]);
    assert_eq!(
        s[1]["Condition"]["StringNotEquals"]["aws:SourceVpce"],
        json!([A, X])
    );
    assert_eq!(eval(&e.document, Some(X), None), Decision::Allow);
    assert_eq!(eval(&e.document, Some(B), None), Decision::ExplicitDeny);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
}

#[test]
fn grant_string_value_becomes_list_and_second_grant_is_byte_identical() {
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!(A)),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        statements(&e.document)[1]["Condition"]["StringNotEquals"]["aws:SourceVpce"],
        json!([A, X])
    );
    let again = grant(Some(&e.document), &api(), &ids(&[X, A])).unwrap();
    assert!(!again.changed);
    assert_eq!(again.already, ids(&[X, A]));
    assert_eq!(again.document.to_compact(), e.document.to_compact());
}

#[test]
fn grant_not_like_if_exists_and_ignore_case() {
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotLikeIfExists", "aws:sourcevpce", json!("vpce-a*")),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X, A])).unwrap();
    assert_eq!(e.added, ids(&[X]));
    assert_eq!(e.already, ids(&[A]), "the pattern already covers A");
    assert_eq!(
        statements(&e.document)[1]["Condition"]["StringNotLikeIfExists"]["aws:sourcevpce"],
        json!(["vpce-a*", X])
    );
    let ic = policy(vec![
        allow_all(),
        deny_unless(
            "StringNotEqualsIgnoreCase",
            "aws:SourceVpce",
            json!(["VPCE-AAAAAAAA"]),
        ),
    ]);
    let e = grant(Some(&ic), &api(), &ids(&[A])).unwrap();
    assert!(!e.changed);
    assert_eq!(e.already, ids(&[A]));
}

#[test]
fn grant_and_revoke_on_source_vpc_only_deny() {
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpc", json!([VPC_A])),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    let cond = &statements(&e.document)[1]["Condition"]["StringNotEquals"];
    assert_eq!(cond, &json!({"aws:SourceVpc":[VPC_A],"aws:SourceVpce":[X]}));
    assert_eq!(eval(&e.document, Some(X), Some(VPC_B)), Decision::Allow);
    assert_eq!(
        eval(&e.document, Some(B), Some(VPC_B)),
        Decision::ExplicitDeny
    );
    assert_eq!(eval(&e.document, Some(B), Some(VPC_A)), Decision::Allow);
    let s = summarize(&e.document, &api()).unwrap();
    assert_eq!(s.admitted_vpces, ids(&[X]));
    assert_eq!(s.admitted_vpcs, ids(&[VPC_A]));
    let r = revoke(Some(&e.document), &api(), &ids(&[X])).unwrap();
    assert_eq!(r.document.to_compact(), d.to_compact());
    // X may sit in the admitted VPC; the user must know the revoke cannot cover that.
    assert_eq!(r.still_admitted.len(), 1, "{:?}", r.still_admitted);
    assert_eq!(r.still_admitted[0].only_from_vpcs, ids(&[VPC_A]));
    assert_eq!(r.still_admitted[0].statements, ids(&["#1"]));
}

#[test]
fn grant_allow_list_and_vpc_only_allow() {
    let listed = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
        "Condition":{"StringEquals":{"aws:SourceVpce":[A]}}}),
    ]);
    let e = grant(Some(&listed), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        statements(&e.document)[0]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([A, X])
    );
    assert_eq!(eval(&e.document, Some(X), None), Decision::Allow);

    let by_vpc = doc(
        json!({"Version":"2012-10-17","Statement":{"Sid":"FromVpc","Effect":"Allow","Principal":"*",
        "Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpc":VPC_A}}}}),
    );
    let e = grant(Some(&by_vpc), &api(), &ids(&[X])).unwrap();
    let s = statements(&e.document);
    assert_eq!(s.len(), 2);
    assert_eq!(s[1]["Sid"], json!("FromVpcVpce"));
    assert_eq!(
        s[1]["Condition"],
        json!({"StringEquals":{"aws:SourceVpce":[X]}})
    );
    assert_eq!(eval(&e.document, Some(X), Some(VPC_B)), Decision::Allow);
    assert_eq!(
        eval(&e.document, Some(B), Some(VPC_B)),
        Decision::ImplicitDeny
    );
    let again = grant(Some(&e.document), &api(), &ids(&[X])).unwrap();
    assert!(!again.changed);
    let e2 = grant(Some(&e.document), &api(), &ids(&[B])).unwrap();
    assert_eq!(
        statements(&e2.document).len(),
        2,
        "the companion gains B instead of a second copy"
    );
    let r = revoke(Some(&e2.document), &api(), &ids(&[X, B])).unwrap();
    assert_eq!(statements(&r.document).len(), 1);
    assert_eq!(
        eval(&r.document, Some(X), Some(VPC_B)),
        Decision::ImplicitDeny
    );
    assert_eq!(eval(&r.document, Some(B), Some(VPC_A)), Decision::Allow);
}

#[test]
fn grant_without_policy_writes_the_standard_one() {
    let e = grant(None, &api(), &ids(&[X, A, X])).unwrap();
    assert!(e.changed);
    assert_eq!(e.document, PolicyDocument::standard(&ids(&[X, A])));
    assert_eq!(e.added, ids(&[X, A]));
    unsupported(grant(None, &api(), &[]));
}

#[test]
fn open_policy_is_flagged_and_cannot_be_revoked() {
    let d = policy(vec![allow_all()]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(!e.changed);
    assert_eq!(e.already, ids(&[X]));
    assert!(
        e.warnings.iter().any(|w| w.contains("every VPC endpoint")),
        "{:?}",
        e.warnings
    );
    assert_eq!(e.document.to_compact(), d.to_compact());
    assert!(summarize(&d, &api()).unwrap().open_to_any_endpoint);
    let r = revoke(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(!r.changed);
    assert!(
        r.already.is_empty(),
        "still admitted is not 'already revoked'"
    );
    let still = &r.still_admitted[0];
    assert_eq!(still.vpce, X);
    assert_eq!(still.statements, ids(&["#1"]));
    assert_eq!(still.resources, vec![api().whole_api()]);
    assert!(still.only_from_vpcs.is_empty());
    assert!(still
        .example
        .as_deref()
        .is_some_and(|r| r.starts_with(&api().arn_prefix())));
}

#[test]
fn grant_refuses_when_policy_singles_out_the_endpoint() {
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        deny_unless("StringEquals", "aws:SourceVpce", json!([X])),
    ]);
    unsupported(grant(Some(&d), &api(), &ids(&[X])));
    let deny_all = policy(vec![
        json!({"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}),
    ]);
    unsupported(grant(Some(&deny_all), &api(), &ids(&[X])));
}

#[test]
fn size_limit_is_enforced() {
    let many: Vec<String> = (0..600).map(|i| format!("vpce-{i:08x}")).collect();
    let err = grant(None, &api(), &many).unwrap_err();
    assert!(matches!(err, PolicyError::TooLarge { size, limit: 8192 } if size > 8192));
    let d = PolicyDocument::standard(&many[..450]);
    let err = grant(Some(&d), &api(), &many[450..]).unwrap_err();
    assert!(matches!(err, PolicyError::TooLarge { .. }));
}

// ---------- revoke ----------

#[test]
fn revoke_last_id_denies_everyone() {
    let d = PolicyDocument::standard(&ids(&[A]));
    let r = revoke(Some(&d), &api(), &ids(&[A, B])).unwrap();
    assert!(r.changed);
    assert_eq!(r.removed, ids(&[A]));
    assert_eq!(r.already, ids(&[B]));
    assert!(statements(&r.document)[1].get("Condition").is_none());
    assert_eq!(eval(&r.document, Some(A), None), Decision::ExplicitDeny);
    let s = summarize(&r.document, &api()).unwrap();
    assert!(s.admitted_vpces.is_empty());
    assert!(!s.open_to_any_endpoint);
}

#[test]
fn grant_after_revoking_the_last_endpoint_admits_only_the_new_one() {
    let start = PolicyDocument::standard(&ids(&[A]));
    let empty = revoke(Some(&start), &api(), &ids(&[A])).unwrap().document;
    assert_eq!(eval(&empty, Some(A), None), Decision::ExplicitDeny);
    let granted = grant(Some(&empty), &api(), &ids(&[X])).unwrap();
    assert!(granted.changed);
    assert_eq!(granted.added, ids(&[X]));
    assert_eq!(eval(&granted.document, Some(X), None), Decision::Allow);
    assert_eq!(
        eval(&granted.document, Some(A), None),
        Decision::ExplicitDeny
    );
    assert_eq!(
        eval(&granted.document, Some(B), Some(VPC_B)),
        Decision::ExplicitDeny
    );
    assert_eq!(eval(&granted.document, None, None), Decision::ExplicitDeny);
    // And back: revoking X again denies everyone, as before.
    let again = revoke(Some(&granted.document), &api(), &ids(&[X]))
        .unwrap()
        .document;
    assert_eq!(again.to_compact(), empty.to_compact());
}

#[test]
fn a_narrower_unconditional_deny_keeps_binding_a_granted_endpoint() {
    // Nobody may DELETE: admitted endpoints are bound by it, so a granted one must be too.
    let no_delete = json!({"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*/DELETE/*"});
    let p = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        no_delete.clone(),
    ]);
    let granted = grant(Some(&p), &api(), &ids(&[X])).unwrap();
    assert_eq!(statements(&granted.document)[2], no_delete);
    let delete = |d: &PolicyDocument, v: &str| {
        evaluate(d, &api(), &req(Some(v), None, "prod/DELETE/orders")).unwrap()
    };
    assert_eq!(delete(&granted.document, X), Decision::ExplicitDeny);
    assert_eq!(delete(&granted.document, A), Decision::ExplicitDeny);
    assert_eq!(eval(&granted.document, Some(X), None), Decision::Allow);
}

#[test]
fn revoke_removes_allow_that_admitted_only_that_endpoint() {
    let only = |v: &str| {
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
        "Condition":{"StringEquals":{"aws:SourceVpce":v}}})
    };
    let d = policy(vec![only(X), only(A)]);
    let r = revoke(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(statements(&r.document), vec![only(A)]);
    let last = policy(vec![only(X)]);
    unsupported(revoke(Some(&last), &api(), &ids(&[X])));
    let none = revoke(None, &api(), &ids(&[X])).unwrap();
    assert!(!none.changed);
}

#[test]
fn reachability_search_stays_bounded_on_wildcard_heavy_policies() {
    let pats: Vec<String> = (0..40)
        .map(|i| format!("execute-api:/*{}*{}?*/*/{}*", i % 7, (i * 3) % 11, i))
        .collect();
    let mut stmts =
        vec![json!({"Effect":"Allow","Principal":"*","Action":"*","Resource":pats[..20]})];
    stmts.push(
        json!({"Effect":"Deny","Principal":"*","Action":"*","Resource":pats[20..],
        "Condition":{"StringNotEquals":{"aws:SourceVpce":[A]}}}),
    );
    let d = policy(stmts.clone());
    let started = std::time::Instant::now();
    let s = summarize(&d, &api()).unwrap();
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    assert!(
        s.open_to_any_endpoint,
        "a path outside the Deny's patterns is open"
    );

    // Past its budget the search answers "admitted", the safe reading for every caller:
    // here it cannot prove B is shut out, so revoking B is refused rather than reported.
    stmts[1] = json!({"Effect":"Deny","Principal":"*","Action":"*","NotResource":pats[20..],
        "Condition":{"StringNotEquals":{"aws:SourceVpce":[A]}}});
    stmts.push(
        json!({"Effect":"Deny","Principal":"*","Action":"*","Resource":pats[25..],
        "Condition":{"StringNotEquals":{"aws:SourceVpce":[A]}}}),
    );
    let d = policy(stmts);
    let p = analyze(d.as_value(), &api()).unwrap();
    assert_eq!(super::reach::witness(&p, &api(), Some(B), None, None), None);
    let started = std::time::Instant::now();
    // Undecided within the budget counts as still admitted: the safe answer for revoke.
    let r = revoke(Some(&d), &api(), &ids(&[B])).unwrap();
    assert_eq!(r.still_admitted.len(), 1, "{:?}", r.still_admitted);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

// ---------- summary and diff ----------

#[test]
fn summary_of_standard_and_restricted_policy() {
    let d = PolicyDocument::standard(&ids(&[B, A]));
    let s = summarize(&d, &api()).unwrap();
    assert_eq!(s.admitted_vpces, ids(&[A, B]));
    assert!(!s.open_to_any_endpoint);
    assert!(s.restricted_resources.is_empty());
    assert_eq!(
        (s.statement_count, s.size, s.limit),
        (2, d.to_compact().len(), 8192)
    );
    let r = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        json!({"Effect":"Deny","Principal":"*","Action":"*","Resource":"execute-api:/*/POST/*"}),
    ]);
    let s = summarize(&r, &api()).unwrap();
    assert_eq!(
        s.restricted_resources,
        vec![format!("{}/*/POST/*", api().arn_prefix())]
    );
    assert!(serde_json::to_string(&s)
        .unwrap()
        .contains("admitted_vpces"));
}

#[test]
fn diff_is_plain_unified() {
    let d = PolicyDocument::standard(&ids(&[A]));
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    let out = unified_diff(
        &d.to_pretty(),
        &e.document.to_pretty(),
        "current",
        "proposed",
    );
    assert!(out.starts_with("--- current\n+++ proposed\n"));
    assert!(out.contains(&format!("+            \"{X}\"")), "{out}");
    assert!(!out.contains('\u{1b}'));
}

// ---------- exact grants: the shapes that once widened or refused ----------

fn at(d: &PolicyDocument, vpce: &str, path: &str, ctx: &[(&str, &str)]) -> Decision {
    let mut q = req(Some(vpce), Some(VPC_B), path);
    q.context = ctx
        .iter()
        .map(|(k, v)| (k.to_lowercase(), v.to_string()))
        .collect();
    evaluate(d, &api(), &q).unwrap()
}

#[test]
fn grant_never_lifts_a_stage_lock_the_reference_is_bound_by() {
    let lock = json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
        "NotResource":"execute-api:/prod/*"});
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        lock.clone(),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(statements(&e.document)[2], lock, "the lock is untouched");
    assert_eq!(
        e.references,
        vec![Reference {
            vpce: X.into(),
            like: Like::Endpoint(A.into())
        }]
    );
    for path in ["prod/GET/items", "dev/GET/items", "test/POST/x"] {
        assert_eq!(
            at(&e.document, X, path, &[]),
            at(&d, A, path, &[]),
            "{path}"
        );
    }
    assert_eq!(
        at(&e.document, X, "dev/GET/items", &[]),
        Decision::ExplicitDeny
    );
    assert_eq!(at(&e.document, X, "prod/GET/items", &[]), Decision::Allow);
}

#[test]
fn grant_ignores_conditions_on_other_keys_and_keeps_them_binding() {
    let ip_lock = json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
        "Resource":"execute-api:/*","Condition":{"NotIpAddress":{"aws:VpcSourceIp":["10.0.0.0/8","fd00::/8"]}}});
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        ip_lock.clone(),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(statements(&e.document)[2], ip_lock);
    for ip in ["10.1.2.3", "192.168.1.1", "fd00::1", "2001:db8::1"] {
        let ctx = [("aws:VpcSourceIp", ip)];
        assert_eq!(
            at(&e.document, X, "prod/GET/x", &ctx),
            at(&d, A, "prod/GET/x", &ctx),
            "{ip}"
        );
    }
    assert_eq!(
        at(
            &e.document,
            X,
            "prod/GET/x",
            &[("aws:VpcSourceIp", "10.1.2.3")]
        ),
        Decision::Allow
    );
    assert_eq!(
        at(
            &e.document,
            X,
            "prod/GET/x",
            &[("aws:VpcSourceIp", "192.168.1.1")]
        ),
        Decision::ExplicitDeny
    );
    // Absent key: a negated operator holds, so the Deny applies.
    assert_eq!(
        at(&e.document, X, "prod/GET/x", &[]),
        Decision::ExplicitDeny
    );
    let s = summarize(&e.document, &api()).unwrap();
    assert_eq!(s.admitted_vpces, ids(&[X, A]));
}

#[test]
fn revoke_undoes_a_grant_on_a_stage_lock_and_names_what_still_admits() {
    let d = policy(vec![
        allow_all(),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
            "NotResource":"execute-api:/prod/*",
            "Condition":{"StringNotEquals":{"aws:SourceVpce":[A]}}}),
    ]);
    let g = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        at(&g.document, X, "dev/GET/x", &[]),
        Decision::Allow,
        "like A"
    );
    let r = revoke(Some(&g.document), &api(), &ids(&[X])).unwrap();
    assert_eq!(r.document.to_compact(), d.to_compact());
    assert_eq!(r.removed, ids(&[X]));
    assert_eq!(at(&r.document, X, "dev/GET/x", &[]), Decision::ExplicitDeny);
    // /prod is open to every endpoint; revoke cannot close that, and says so.
    let still = &r.still_admitted[0];
    assert_eq!(still.statements, ids(&["#1"]));
    assert!(
        still
            .example
            .as_deref()
            .is_some_and(|e| e.contains("/prod/")),
        "{still:?}"
    );
    assert!(still.only_from_vpcs.is_empty());
}

#[test]
fn grant_copies_the_reference_that_needs_the_smallest_edit_or_the_one_named() {
    let admin_lock = json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
        "Resource":"execute-api:/*/*/admin*","Condition":{"StringNotEquals":{"aws:SourceVpce":[A]}}});
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A, B])),
        admin_lock.clone(),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(e.references[0].like, Like::Endpoint(B.into()));
    assert_eq!(
        statements(&e.document)[2],
        admin_lock,
        "X is not let into /admin"
    );
    assert_eq!(
        at(&e.document, X, "prod/GET/admin", &[]),
        Decision::ExplicitDeny
    );
    assert_eq!(at(&e.document, X, "prod/GET/items", &[]), Decision::Allow);

    let like_a = grant_like(Some(&d), &api(), &ids(&[X]), Some(A), &[]).unwrap();
    assert_eq!(like_a.references[0].like, Like::Endpoint(A.into()));
    assert_eq!(
        at(&like_a.document, X, "prod/GET/admin", &[]),
        Decision::Allow
    );

    let detail = unsupported(grant_like(
        Some(&d),
        &api(),
        &ids(&[X]),
        Some("vpce-cccccccc"),
        &[],
    ));
    assert!(detail.contains("vpce-cccccccc is not admitted"), "{detail}");
}

#[test]
fn grant_of_a_vpc_only_allow_uses_one_companion_for_every_endpoint() {
    let d = policy(vec![
        json!({"Sid":"Vpcs","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpc":[VPC_A]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X, B])).unwrap();
    let s = statements(&e.document);
    assert_eq!(s.len(), 2, "{}", e.document.to_pretty());
    assert_eq!(s[1]["Sid"], "VpcsVpce");
    assert_eq!(
        s[1]["Condition"],
        json!({"StringEquals":{"aws:SourceVpce":[X, B]}})
    );
    for vpc in [VPC_A, VPC_B] {
        let q = req(Some(X), Some(vpc), "prod/GET/x");
        assert_eq!(evaluate(&e.document, &api(), &q).unwrap(), Decision::Allow);
    }
    let again = grant(Some(&e.document), &api(), &ids(&[X, B])).unwrap();
    assert!(!again.changed);
}

#[test]
fn a_second_grant_recognises_its_own_companions() {
    // Copying "any endpoint in vpc-bbbb2222" needs a Deny companion for X (the /prod lock
    // binds that VPC by pattern); a second grant must see it as X's copy of the lock, not
    // as a human's "deny X", and change nothing.
    let d = policy(vec![
        allow_all(),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/*",
            "Condition":{"StringNotLike":{"aws:SourceVpc":["vpc-a*"]}}}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringNotEquals":{"aws:SourceVpc":[VPC_B]},"StringNotLike":{"aws:SourceVpce":[X]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(e.changed);
    let again = grant(Some(&e.document), &api(), &ids(&[X])).unwrap();
    assert!(!again.changed, "{}", again.document.to_pretty());
    assert_eq!(again.already, ids(&[X]));
}

/// A condition block and, per request, the context key, its value and whether the Allow applies.
type OperatorCase = (Value, Vec<(&'static str, Option<&'static str>, bool)>);

#[test]
fn a_human_deny_of_the_endpoint_is_never_taken_for_a_companion() {
    // "vpce-1*" under StringNotEquals is a literal, not a pattern: nothing is admitted, and
    // the Deny naming X is a human's, even though it has a companion's shape.
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!(["vpce-1*"])),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[X]}}}),
    ]);
    let detail = unsupported(grant(Some(&d), &api(), &ids(&[X])));
    assert!(detail.contains(X), "{detail}");
}

#[test]
fn condition_operators_follow_iam() {
    let allow_when = |cond: Value| {
        policy(vec![
            json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
            "Resource":"execute-api:/*","Condition":cond}),
        ])
    };
    let cases: Vec<OperatorCase> = vec![
        (
            json!({"IpAddress":{"aws:VpcSourceIp":["10.0.0.0/8","2001:db8::/32"]}}),
            vec![
                ("aws:VpcSourceIp", Some("10.255.0.1"), true),
                ("aws:VpcSourceIp", Some("11.0.0.1"), false),
                ("aws:VpcSourceIp", Some("2001:db8:1::5"), true),
                ("aws:VpcSourceIp", Some("2001:db9::5"), false),
                ("aws:VpcSourceIp", Some("not-an-ip"), false),
                ("aws:VpcSourceIp", None, false),
            ],
        ),
        (
            json!({"NotIpAddress":{"aws:VpcSourceIp":"10.0.0.1"}}),
            vec![
                ("aws:VpcSourceIp", Some("10.0.0.1"), false),
                ("aws:VpcSourceIp", Some("10.0.0.2"), true),
                ("aws:VpcSourceIp", None, true),
            ],
        ),
        (
            json!({"Bool":{"aws:SecureTransport":true}}),
            vec![
                ("aws:SecureTransport", Some("TRUE"), true),
                ("aws:SecureTransport", Some("false"), false),
                ("aws:SecureTransport", None, false),
            ],
        ),
        (
            json!({"BoolIfExists":{"aws:SecureTransport":"true"}}),
            vec![
                ("aws:SecureTransport", Some("false"), false),
                ("aws:SecureTransport", None, true),
            ],
        ),
        (
            json!({"Null":{"aws:PrincipalOrgID":"true"}}),
            vec![
                ("aws:PrincipalOrgID", None, true),
                ("aws:PrincipalOrgID", Some("o-1"), false),
            ],
        ),
        (
            json!({"NumericLessThanEquals":{"aws:MultiFactorAuthAge":3600}}),
            vec![
                ("aws:MultiFactorAuthAge", Some("3600"), true),
                ("aws:MultiFactorAuthAge", Some("3600.5"), false),
                ("aws:MultiFactorAuthAge", Some("12"), true),
            ],
        ),
        (
            json!({"NumericNotEquals":{"aws:MultiFactorAuthAge":"5"}}),
            vec![
                ("aws:MultiFactorAuthAge", Some("5"), false),
                ("aws:MultiFactorAuthAge", Some("6"), true),
                ("aws:MultiFactorAuthAge", None, true),
            ],
        ),
        (
            json!({"DateLessThan":{"aws:CurrentTime":"2026-12-01T00:00:00Z"}}),
            vec![
                ("aws:CurrentTime", Some("2026-11-30T23:59:59Z"), true),
                ("aws:CurrentTime", Some("2026-12-01T01:00:00+02:00"), true),
                ("aws:CurrentTime", Some("2026-12-01"), false),
                ("aws:CurrentTime", Some("1796083200"), false),
            ],
        ),
        (
            json!({"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/app-*"}}),
            vec![
                (
                    "aws:PrincipalArn",
                    Some("arn:aws:iam::111122223333:role/app-web"),
                    true,
                ),
                (
                    "aws:PrincipalArn",
                    Some("arn:aws:iam::111122223333:user/app-web"),
                    false,
                ),
                (
                    "aws:PrincipalArn",
                    Some("arn:aws:iam:111122223333:role/app-web"),
                    false,
                ),
            ],
        ),
        (
            json!({"StringEquals":{"aws:PrincipalOrgID":["o-a","o-b"]}}),
            vec![
                ("AWS:PrincipalOrgId", Some("o-b"), true),
                ("aws:PrincipalOrgID", Some("O-B"), false),
            ],
        ),
        (
            json!({"ForAnyValue:StringEquals":{"aws:PrincipalOrgID":"o-a"}}),
            vec![
                ("aws:PrincipalOrgID", Some("o-a"), true),
                ("aws:PrincipalOrgID", None, false),
            ],
        ),
        (
            json!({"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-a"}}),
            vec![
                ("aws:PrincipalOrgID", Some("o-b"), false),
                ("aws:PrincipalOrgID", None, true),
            ],
        ),
    ];
    for (cond, probes) in cases {
        let d = allow_when(cond.clone());
        for (key, value, allowed) in probes {
            let ctx: Vec<(&str, &str)> = value.map(|v| (key, v)).into_iter().collect();
            let got = at(&d, A, "prod/GET/x", &ctx) == Decision::Allow;
            assert_eq!(got, allowed, "{cond} with {key}={value:?}");
        }
    }
}

#[test]
fn not_principal_is_modelled_and_never_denies_every_call() {
    let d = policy(vec![
        allow_all(),
        json!({"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},
            "Action":"execute-api:Invoke","Resource":"execute-api:/*"}),
    ]);
    assert_eq!(
        at(&d, A, "prod/GET/x", &[]),
        Decision::ExplicitDeny,
        "anonymous is not the named one"
    );
    let p = analyze(d.as_value(), &api()).unwrap();
    let caller = Some("arn:aws:iam::444455556666:role/r");
    let q = req(Some(A), None, "prod/GET/x");
    assert_eq!(decide(&p, &api(), &q, caller), Decision::Allow);
    assert!(!p.stmts[1].denies_every_call(&api()));
}

#[test]
fn only_a_positive_whole_api_deny_without_conditions_denies_every_call() {
    let deny = |extra: Value| {
        let mut s = json!({"Effect":"Deny","Principal":"*"});
        s.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        analyze(&json!({"Version":"2012-10-17","Statement":[s]}), &api())
            .unwrap()
            .stmts[0]
            .denies_every_call(&api())
    };
    assert!(deny(
        json!({"Action":"execute-api:Invoke","Resource":"execute-api:/*"})
    ));
    assert!(deny(json!({"Action":"*","Resource":"*"})));
    assert!(deny(
        json!({"Action":"execute-api:*","Resource":"arn:aws:execute-api:*"})
    ));
    assert!(!deny(
        json!({"Action":"execute-api:Invoke","NotResource":"execute-api:/prod/*"})
    ));
    assert!(!deny(
        json!({"NotAction":"execute-api:ManageConnections","Resource":"*"})
    ));
    assert!(!deny(
        json!({"Action":"execute-api:Invoke","Resource":"execute-api:/?"})
    ));
    assert!(!deny(
        json!({"Action":"execute-api:Invoke","Resource":"execute-api:/*/GET/*"})
    ));
    assert!(!deny(
        json!({"Action":"execute-api:Invoke","Resource":"execute-api:/*",
        "Condition":{"Bool":{"aws:SecureTransport":"false"}}})
    ));
}

// ---------- properties ----------

mod props {
    use super::super::model::{Effect, Policy};
    use super::*;
    use proptest::prelude::*;

    const PX: &str = "vpce-0000000a";
    const POOL: [&str; 4] = [
        PX,
        "vpce-1111111b",
        "vpce-2222222c",
        "vpce-33333333333333333",
    ];
    const PATTERNS: [&str; 4] = ["vpce-1*", "vpce-*", "vpce-2??????c", "VPCE-0000000A"];
    const VPCS: [&str; 3] = ["vpc-aaaa1111", "vpc-bbbb2222", "vpc-a*"];
    const OPS: [&str; 6] = [
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    ];
    const CALLER: &str = "arn:aws:iam::111122223333:root";
    /// Anonymous, the named account, and the account a NotPrincipal spares.
    const CALLERS: [Option<&str>; 3] =
        [None, Some(CALLER), Some("arn:aws:iam::444455556666:role/r")];

    #[derive(Debug, Clone)]
    struct Cond {
        op: usize,
        if_exists: bool,
        key: usize,
        values: Vec<usize>,
        as_string: bool,
    }

    fn cond() -> impl Strategy<Value = Cond> {
        (
            0..6usize,
            prop::bool::weighted(0.25),
            prop_oneof![3 => 0..2usize, 1 => Just(2usize)],
            prop::collection::vec(prop_oneof![5 => 0..4usize, 1 => 4..8usize], 1..=3),
            any::<bool>(),
        )
            .prop_map(|(op, if_exists, key, values, as_string)| Cond {
                op,
                if_exists,
                key,
                values,
                as_string,
            })
    }

    fn build_condition(conds: &[Cond]) -> Option<Value> {
        let mut out = serde_json::Map::new();
        for c in conds {
            let op = format!("{}{}", OPS[c.op], if c.if_exists { "IfExists" } else { "" });
            let (key, vals): (&str, Vec<&str>) = match c.key {
                0 | 1 => (
                    if c.key == 0 {
                        "aws:SourceVpce"
                    } else {
                        "aws:sourcevpce"
                    },
                    c.values
                        .iter()
                        .map(|&i| if i < 4 { POOL[i] } else { PATTERNS[i - 4] })
                        .collect(),
                ),
                _ => (
                    "aws:SourceVpc",
                    c.values.iter().map(|&i| VPCS[i % 3]).collect(),
                ),
            };
            let block = out
                .entry(op)
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .unwrap();
            if block.keys().any(|k| k.eq_ignore_ascii_case(key)) {
                continue;
            }
            let v = if c.as_string {
                json!(vals[0])
            } else {
                json!(vals)
            };
            block.insert(key.to_string(), v);
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }

    /// Conditions on keys grant and revoke never edit: each must keep binding X exactly as
    /// it binds the endpoint X copies.
    const OTHER: [(&str, &str, &[&str]); 8] = [
        (
            "IpAddress",
            "aws:VpcSourceIp",
            &["10.0.0.0/8", "10.1.0.0/16"],
        ),
        (
            "NotIpAddress",
            "aws:VpcSourceIp",
            &["10.0.0.0/8", "192.168.0.0/16"],
        ),
        ("Bool", "aws:SecureTransport", &["true"]),
        ("StringEquals", "aws:PrincipalOrgID", &["o-aaa", "o-bbb"]),
        ("StringNotEqualsIfExists", "aws:PrincipalOrgID", &["o-aaa"]),
        ("Null", "aws:PrincipalOrgID", &["false"]),
        // Requests through an endpoint never carry aws:SourceIp: an Allow keyed on it
        // admits no endpoint (shape a), a Deny keyed on NotIpAddress binds every one.
        ("IpAddress", "aws:SourceIp", &["203.0.113.0/24"]),
        ("NotIpAddress", "aws:SourceIp", &["203.0.113.0/24"]),
    ];

    fn statement() -> impl Strategy<Value = Value> {
        (
            any::<bool>(),
            prop_oneof![4 => Just(0usize), 1 => 1..6usize],
            0..5usize,
            prop_oneof![8 => 0..6usize, 1 => 6..8usize],
            prop::collection::vec(cond(), 0..=2),
            prop::option::weighted(0.3, "[A-Z][a-z]{1,3}"),
            prop::option::weighted(0.3, 0..OTHER.len()),
        )
            .prop_map(|(allow, p, a, r, conds, sid, other)| {
                let mut v = build(allow, p, a, r, &conds, sid);
                if let Some(i) = other {
                    let (op, key, values) = OTHER[i];
                    let cond = v
                        .as_object_mut()
                        .unwrap()
                        .entry("Condition")
                        .or_insert_with(|| json!({}));
                    let block = cond
                        .as_object_mut()
                        .unwrap()
                        .entry(op)
                        .or_insert_with(|| json!({}));
                    block
                        .as_object_mut()
                        .unwrap()
                        .insert(key.into(), json!(values));
                }
                v
            })
    }

    fn build(
        allow: bool,
        p: usize,
        a: usize,
        r: usize,
        conds: &[Cond],
        sid: Option<String>,
    ) -> Value {
        let mut m = serde_json::Map::new();
        if let Some(sid) = sid {
            m.insert("Sid".into(), json!(sid));
        }
        m.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
        let principal = [
            json!("*"),
            json!({"AWS":"*"}),
            json!({"AWS":["*"]}),
            json!({"AWS":"111122223333"}),
            json!({"AWS":"444455556666"}),
            // A principal no request through an endpoint is (shape a).
            json!({"Service":"lambda.amazonaws.com"}),
        ];
        let element = if p == 4 { "NotPrincipal" } else { "Principal" };
        m.insert(element.into(), principal[p].clone());
        let (ak, av) = [
            ("Action", json!("execute-api:Invoke")),
            ("Action", json!("execute-api:*")),
            ("Action", json!("*")),
            ("Action", json!(["EXECUTE-API:invoke"])),
            ("NotAction", json!("execute-api:ManageConnections")),
        ][a]
            .clone();
        m.insert(ak.into(), av);
        let (rk, rv) = [
            ("Resource", json!("execute-api:/*")),
            ("Resource", json!(format!("{}/*", api().arn_prefix()))),
            ("Resource", json!("execute-api:/prod/*")),
            (
                "Resource",
                json!(["execute-api:/*/GET/*", "execute-api:/test/*"]),
            ),
            ("Resource", json!("*")),
            ("NotResource", json!("execute-api:/*/POST/admin")),
            // As SAM stores it: matches no request (shape c).
            ("Resource", json!("execute-api:*/*/*")),
            (
                "NotResource",
                json!(["execute-api:*/prod/*", "execute-api:/*/POST/admin"]),
            ),
        ][r]
            .clone();
        m.insert(rk.into(), rv);
        if let Some(c) = build_condition(conds) {
            m.insert("Condition".into(), c);
        }
        Value::Object(m)
    }

    /// Mostly random statements, plus the documented shapes with random details, so that
    /// the interesting edits are exercised often.
    fn policy_value() -> impl Strategy<Value = Value> {
        let exempting = (
            prop::sample::select(vec![1usize, 3, 5]),
            prop::bool::weighted(0.25),
            prop_oneof![3 => 0..2usize, 1 => Just(2usize)],
            prop::collection::vec(prop_oneof![5 => 1..4usize, 1 => 0..8usize], 1..=3),
            any::<bool>(),
        )
            .prop_map(|(op, if_exists, key, values, as_string)| Cond {
                op,
                if_exists,
                key,
                values,
                as_string,
            });
        let documented = (
            exempting,
            prop::collection::vec(statement(), 0..=2),
            0..3usize,
        )
            .prop_map(|(c, extra, shape)| {
                let mut s = vec![build(true, 0, 0, 0, &[], None)];
                match shape {
                    0 => s.push(build(false, 0, 0, 0, &[c], None)),
                    1 => {
                        let mut allow_list = c.clone();
                        allow_list.op -= 1;
                        s[0] = build(true, 0, 0, 0, &[allow_list], Some("List".into()));
                        s.push(build(false, 0, 0, 0, &[c], None));
                    }
                    _ => {
                        let mut allow_list = c;
                        allow_list.op -= 1;
                        s[0] = build(true, 0, 0, 0, &[allow_list], None);
                    }
                }
                s.extend(extra);
                s
            });
        let random = prop::collection::vec(statement(), 1..=4);
        (prop_oneof![documented, random], any::<bool>()).prop_map(|(stmts, single)| {
            let st = if single && stmts.len() == 1 {
                stmts[0].clone()
            } else {
                Value::Array(stmts)
            };
            json!({"Version":"2012-10-17","Statement":st})
        })
    }

    fn requests() -> Vec<Request> {
        let mut out = Vec::new();
        let resources = [
            "prod/GET/items".to_string(),
            "prod/POST/admin".to_string(),
            "test/GET/x/y".to_string(),
            "*".to_string(),
        ];
        let vpces = [
            None,
            Some(POOL[0]),
            Some(POOL[1]),
            Some(POOL[2]),
            Some(POOL[3]),
        ];
        let vpcs = [None, Some(VPCS[0]), Some(VPCS[1]), Some("vpc-cccc3333")];
        let contexts: [&[(&str, &str)]; 5] = [
            &[],
            &[
                ("aws:vpcsourceip", "10.1.2.3"),
                ("aws:securetransport", "true"),
                ("aws:principalorgid", "o-aaa"),
            ],
            &[
                ("aws:vpcsourceip", "192.168.1.1"),
                ("aws:securetransport", "false"),
            ],
            &[
                ("aws:vpcsourceip", "10.2.0.1"),
                ("aws:principalorgid", "o-ccc"),
            ],
            &[
                ("aws:vpcsourceip", "8.8.8.8"),
                ("aws:securetransport", "true"),
                ("aws:principalorgid", "o-bbb"),
            ],
        ];
        for vpce in vpces {
            for vpc in vpcs {
                for (i, r) in resources.iter().enumerate() {
                    for action in ["execute-api:Invoke", "execute-api:ManageConnections"] {
                        if i == 3 && action != "execute-api:Invoke" {
                            continue;
                        }
                        for ctx in contexts {
                            let mut q = req(vpce, vpc, r);
                            q.action = action.into();
                            q.context = ctx
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.to_string()))
                                .collect();
                            out.push(q);
                        }
                    }
                }
                let mut other = req(vpce, vpc, "prod/GET/items");
                other.resource =
                    "arn:aws:execute-api:us-east-1:111122223333:otherapi/prod/GET/items".into();
                out.push(other);
            }
        }
        out
    }

    /// Decisions for every request, for an anonymous caller and for a named one.
    fn decisions(v: &Value, reqs: &[Request]) -> Vec<(Request, Option<&'static str>, Decision)> {
        let p = analyze(v, &api()).unwrap();
        let mut out = Vec::new();
        for q in reqs {
            for caller in CALLERS {
                out.push((q.clone(), caller, decide(&p, &api(), q, caller)));
            }
        }
        out
    }

    fn no_empty_lists(v: &Value) -> bool {
        match v {
            Value::Array(a) => !a.is_empty() && a.iter().all(no_empty_lists),
            Value::Object(m) => m.values().all(no_empty_lists),
            _ => true,
        }
    }

    fn well_formed(d: &PolicyDocument) -> Result<(), TestCaseError> {
        let text = d.to_compact();
        prop_assert!(text.len() <= POLICY_SIZE_LIMIT);
        let back = PolicyDocument::parse(&text).unwrap();
        prop_assert_eq!(&back, d);
        prop_assert!(analyze(back.as_value(), &api()).is_ok());
        let stmts = &d.as_value()["Statement"];
        prop_assert!(
            stmts.is_object() || no_empty_lists(stmts),
            "empty list in {}",
            text
        );
        Ok(())
    }

    fn through_x(q: &Request) -> bool {
        q.source_vpce.as_deref() == Some(PX)
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("POLICY_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(160),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The exact "allowed somewhere" search agrees with the evaluator: its witness is
        /// allowed, and when it finds none, no sampled request to this API is allowed.
        #[test]
        fn reachability_matches_evaluator(v in policy_value()) {
            let p = analyze(&v, &api()).unwrap();
            let reqs = requests();
            let vpces = [None, Some(POOL[0]), Some(POOL[1]), Some(POOL[3])];
            let vpcs = [None, Some(VPCS[0]), Some("vpc-cccc3333")];
            let mut extra = Vec::new();
            for vpce in vpces {
                for vpc in vpcs {
                    for path in ["dev/PUT/admin", "prod/POST/admin/x", "test/POST/admin", "prod/GET/", "a/POST/admin", "prod/DELETE/x"] {
                        extra.push(req(vpce, vpc, path));
                    }
                }
            }
            for vpce in vpces {
                for vpc in vpcs {
                    for caller in [None, Some(CALLER)] {
                        let w = super::super::reach::witness(&p, &api(), vpce, vpc, caller);
                        match w {
                            Some(Some(resource)) => {
                                let prefix = format!("{}/", api().arn_prefix());
                                prop_assert!(resource.starts_with(&prefix), "{}", resource);
                                let q = Request {
                                    source_vpce: vpce.map(str::to_string),
                                    source_vpc: vpc.map(str::to_string),
                                    resource: resource.clone(),
                                    action: "execute-api:Invoke".into(),
                                    ..Default::default()
                                };
                                // Other keys are free in the search: the witness is allowed for
                                // some values of them, which the empty context may not be.
                                if !p.stmts.iter().any(|s| s.has_other_conditions()) {
                                    prop_assert_eq!(decide(&p, &api(), &q, caller), Decision::Allow, "{}", resource);
                                }
                            }
                            Some(None) => {
                                for q in reqs.iter().chain(&extra).filter(|q| {
                                    q.source_vpce.as_deref() == vpce
                                        && q.source_vpc.as_deref() == vpc
                                        && q.action == "execute-api:Invoke"
                                        && q.resource.starts_with(&format!("{}/", api().arn_prefix()))
                                        && q.resource.matches('/').count() >= 3
                                }) {
                                    prop_assert_ne!(decide(&p, &api(), q, caller), Decision::Allow, "{:?}", q);
                                }
                            }
                            None => prop_assert!(false, "state cap hit"),
                        }
                    }
                }
            }
        }

        /// The promise of grant, in its strongest form: every request not through X keeps
        /// its decision, and X gets exactly the decisions of one endpoint that was admitted
        /// before (the same for every resource, action, caller, VPC of X and value of every
        /// other condition key), so X gets in only where a reference got in. With nothing
        /// admitted, X gets what every endpoint-listing statement offers, or, when that is
        /// nothing, exactly a new Allow on the named resources under every Deny that does not
        /// list exemptions. A grant that reports success leaves X admitted (proved, never
        /// approximated), and a second grant changes nothing.
        #[test]
        fn grant_admits_x_exactly_like_an_admitted_endpoint(v in policy_value()) {
            let d = PolicyDocument::from_json(v.clone());
            let e = match grant(Some(&d), &api(), &[PX.to_string()]) {
                Ok(e) => e,
                Err(PolicyError::Unsupported { .. } | PolicyError::TooLarge { .. }) => return Ok(()),
                Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
            };
            well_formed(&e.document)?;
            prop_assert_eq!(e.changed, e.document != d);
            let before = analyze(&v, &api()).unwrap();
            let before_policy = before.clone();
            let after = analyze(e.document.as_value(), &api()).unwrap();
            let reqs = requests();
            for q in reqs.iter().filter(|q| !through_x(q)) {
                for c in CALLERS {
                    prop_assert_eq!(decide(&before, &api(), q, c), decide(&after, &api(), q, c),
                        "changed for {:?} caller {:?}\n{}", q, c, e.document.to_pretty());
                }
            }
            if e.changed {
                let (fresh, _, fresh_vpc) = super::super::reach::fresh_ids(&format!("{v}{PX}"));
                let x_reqs: Vec<&Request> = reqs.iter().filter(|q| through_x(q)).collect();
                let as_ref = |q: &Request, rv: &str, rvpc: &str| {
                    let mut r = q.clone();
                    r.source_vpce = Some(rv.to_string());
                    r.source_vpc = Some(rvpc.to_string());
                    r
                };
                let copies = |p: &Policy, rv: &str, rvpc: &str| {
                    x_reqs.iter().all(|q| CALLERS.iter().all(|&c| {
                        decide(&after, &api(), q, c) == decide(p, &api(), &as_ref(q, rv, rvpc), c)
                    }))
                };
                let admitted_before = |rv: &str, rvpc: &str| {
                    reqs.iter().filter(|q| q.resource.starts_with(&api().arn_prefix()) && q.action == "execute-api:Invoke").any(|q| CALLERS.iter().any(|&c| {
                        decide(&before, &api(), &as_ref(q, rv, rvpc), c) == Decision::Allow
                    })) || CALLERS.iter().any(|&c| {
                        matches!(super::super::reach::witness(&before, &api(), Some(rv), Some(rvpc), c), Some(Some(_)))
                    })
                };
                // Every endpoint the generated policies can tell apart: the pool, one
                // instance of each pattern, and one nobody names.
                // (X in upper case is X misspelt, not another endpoint.)
                let instances: Vec<String> = PATTERNS.iter()
                    .map(|p| p.replace(['*', '?'], "0"))
                    .filter(|p| !p.eq_ignore_ascii_case(PX))
                    .collect();
                let mut ref_vpces: Vec<&str> = POOL[1..].to_vec();
                ref_vpces.extend(instances.iter().map(String::as_str));
                ref_vpces.push(&fresh);
                let mut ref_vpcs: Vec<String> = VPCS.iter().map(|s| s.to_string()).collect();
                ref_vpcs.extend([VPCS[2].replace('*', "0"), "vpc-cccc3333".into(), fresh_vpc.clone()]);
                let candidates: Vec<(&str, &str)> = ref_vpces.iter()
                    .flat_map(|rv| ref_vpcs.iter().map(move |rvpc| (*rv, rvpc.as_str())))
                    .collect();
                let anyone_admitted = candidates.iter().any(|(rv, rvpc)| admitted_before(rv, rvpc));
                prop_assert_eq!(e.references.len(), 1);
                let x_admitted = ref_vpcs.iter().any(|rvpc| CALLERS.iter().any(|&c| {
                    matches!(super::super::reach::witness(&after, &api(), Some(PX), Some(rvpc), c), Some(Some(_)))
                }));
                prop_assert!(x_admitted, "granted, yet X gets in nowhere\n{}", e.document.to_pretty());
                if let Like::NewAllow(resources) = &e.references[0].like {
                    prop_assert!(!anyone_admitted, "a new Allow though an endpoint was admitted\n{}", d.to_pretty());
                    prop_assert_eq!(resources, &vec!["execute-api:/*".to_string()]);
                    // Exactly the new Allow, under every Deny except the exemption lists X
                    // joined; nothing any statement offered before.
                    let mut stmts: Vec<Value> = super::super::model::statements(&v)
                        .unwrap_or_default()
                        .into_iter()
                        .cloned()
                        .zip(&before.stmts)
                        .filter(|(_, s)| s.effect == Effect::Deny && s.admit_entries().next().is_none())
                        .map(|(raw, _)| raw)
                        .collect();
                    stmts.push(json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":resources}));
                    let virtual_policy = analyze(&json!({"Version":"2012-10-17","Statement":stmts}), &api()).unwrap();
                    // "No endpoint is admitted" speaks of invoking. Another action (a
                    // WebSocket's ManageConnections) is not the new Allow's: X may get it
                    // only where X had it already or an endpoint whose exemption list X
                    // joined did.
                    for q in &x_reqs {
                        for c in CALLERS {
                            if q.action.eq_ignore_ascii_case("execute-api:Invoke") {
                                prop_assert_eq!(decide(&after, &api(), q, c), decide(&virtual_policy, &api(), q, c), "{:?} {:?}\n{}", q, c, e.document.to_pretty());
                            } else if decide(&after, &api(), q, c) == Decision::Allow {
                                let had = decide(&before, &api(), q, c) == Decision::Allow
                                    || candidates.iter().any(|(rv, rvpc)| decide(&before, &api(), &as_ref(q, rv, rvpc), c) == Decision::Allow);
                                prop_assert!(had, "{:?} {:?} newly allowed\n{}", q, c, e.document.to_pretty());
                            }
                        }
                    }
                } else if e.references[0].like == Like::Nothing {
                    prop_assert!(!anyone_admitted, "claimed nothing was admitted\n{}", d.to_pretty());
                    // What every endpoint-listing statement offers, evaluated on its own.
                    let virtual_policy = Policy {
                        stmts: before.stmts.iter().filter_map(|s| {
                            let lists = s.admit_entries().next().is_some();
                            match s.effect {
                                Effect::Deny if lists || s.denies_every_call(&api()) => None,
                                Effect::Allow if lists => {
                                    let mut open = s.clone();
                                    open.conditions.retain(|c| !c.key.is_endpoint());
                                    Some(open)
                                }
                                _ => Some(s.clone()),
                            }
                        }).collect(),
                    };
                    for q in &x_reqs {
                        for c in CALLERS {
                            prop_assert_eq!(decide(&after, &api(), q, c), decide(&virtual_policy, &api(), q, c), "{:?}", q);
                        }
                    }
                } else {
                    let found = candidates.iter().find(|(rv, rvpc)| admitted_before(rv, rvpc) && copies(&before, rv, rvpc));
                    prop_assert!(found.is_some(), "X copies no admitted endpoint ({:?})\n{}\n{}",
                        e.references, d.to_pretty(), e.document.to_pretty());
                }
            }
            if !e.changed {
                // "Already admitted" is a proof, never the budget's guess.
                let mut reach = super::super::reach::Reach::new(&before_policy, &api());
                let proved = [None, Some(VPCS[0]), Some(VPCS[1]), Some(VPCS[2]), Some("vpc-a0"), Some("vpc-cccc3333")].iter().any(|vpc| {
                    CALLERS.iter().any(|&c| matches!(reach.query(Some(PX), *vpc, c), super::super::search::Outcome::Allowed(_)))
                });
                prop_assert!(proved, "reported already admitted, but X gets in nowhere\n{}", d.to_pretty());
            }
            let again = grant(Some(&e.document), &api(), &[PX.to_string()]).unwrap();
            prop_assert!(!again.changed);
            prop_assert_eq!(again.already, vec![PX.to_string()]);
            prop_assert_eq!(again.document.to_compact(), e.document.to_compact());
        }

        /// revoke after grant: nobody else's decision moves, X is never left wider than it
        /// was before the grant, and exactly as before when the policy did not name X and
        /// the grant added no Deny.
        #[test]
        fn revoke_undoes_grant(v in policy_value()) {
            let d = PolicyDocument::from_json(v.clone());
            let Ok(g) = grant(Some(&d), &api(), &[PX.to_string()]) else { return Ok(()) };
            let r = match revoke(Some(&g.document), &api(), &[PX.to_string()]) {
                Ok(r) => r,
                Err(PolicyError::Unsupported { .. }) => return Ok(()),
                Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
            };
            well_formed(&r.document)?;
            let before = analyze(&v, &api()).unwrap();
            let after = analyze(r.document.as_value(), &api()).unwrap();
            // Grant may also have had to narrow X (a Deny that names it, an Allow that
            // excludes it) to copy a reference some statement singles out; revoke never
            // widens, so it leaves those. Otherwise the grant only added X to lists that let
            // endpoints in, and revoke removes it from all of them.
            let granted = analyze(g.document.as_value(), &api()).unwrap();
            let only_let_in = granted.stmts.iter().all(|s| {
                s.conditions.iter().all(|e| {
                    e.admits_in(s.effect) || !e.values.iter().any(|v| v.eq_ignore_ascii_case(PX))
                })
            });
            let exact = !v.to_string().to_lowercase().contains(PX) && only_let_in;
            for q in requests() {
                for c in CALLERS {
                    let (old, new) = (decide(&before, &api(), &q, c), decide(&after, &api(), &q, c));
                    if !through_x(&q) {
                        prop_assert_eq!(old, new, "{:?} {:?}", q, c);
                    } else {
                        prop_assert!(new != Decision::Allow || old == Decision::Allow,
                            "wider than before the grant: {:?} {:?}\n{}\n{}", q, c, d.to_pretty(), r.document.to_pretty());
                        if exact {
                            prop_assert_eq!(old == Decision::Allow, new == Decision::Allow, "{:?} {:?}\n{}\n{}", q, c, d.to_pretty(), r.document.to_pretty());
                        }
                    }
                }
            }
        }

        /// revoke alone: nobody else's decision moves, X only loses access, and it either
        /// gets in nowhere afterwards or is reported as still admitted (which exits 5), by
        /// Allows that exist, from the VPCs named (any VPC when none is), and, unless the
        /// report says it is approximated, truly: X gets in from one of them.
        #[test]
        fn revoke_alone_is_exact(v in policy_value()) {
            let d = PolicyDocument::from_json(v.clone());
            let Ok(r) = revoke(Some(&d), &api(), &[PX.to_string()]) else { return Ok(()) };
            well_formed(&r.document)?;
            let before = analyze(&v, &api()).unwrap();
            let after = analyze(r.document.as_value(), &api()).unwrap();
            for q in requests() {
                for c in CALLERS {
                    let (old, new) = (decide(&before, &api(), &q, c), decide(&after, &api(), &q, c));
                    if !through_x(&q) {
                        prop_assert_eq!(old, new, "{:?} {:?}", q, c);
                        continue;
                    }
                    prop_assert!(new != Decision::Allow || old == Decision::Allow, "widened {:?}", q);
                    if r.still_admitted.is_empty()
                        && q.source_vpc.is_some()
                        && q.action == "execute-api:Invoke"
                        && q.resource.starts_with(&api().arn_prefix())
                    {
                        prop_assert_ne!(new, Decision::Allow, "X still gets in: {:?} {:?}\n{}", q, c, r.document.to_pretty());
                    }
                }
            }
            prop_assert!(r.still_admitted.len() <= 1);
            for still in &r.still_admitted {
                prop_assert_eq!(&still.vpce, PX);
                prop_assert!(!still.statements.is_empty());
                for label in &still.statements {
                    prop_assert!(after.stmts.iter().any(|s| &s.label == label && s.effect == Effect::Allow));
                }
                let vpcs: Vec<&str> = if still.only_from_vpcs.is_empty() {
                    vec!["vpc-cccc3333"]
                } else {
                    still.only_from_vpcs.iter().map(String::as_str).collect()
                };
                if !still.approximated {
                    let really = vpcs.iter().any(|vpc| CALLERS.iter().any(|&c| {
                        matches!(super::super::reach::witness(&after, &api(), Some(PX), Some(vpc), c), Some(Some(_)))
                    }));
                    prop_assert!(really, "reported still admitted, yet X gets in nowhere: {:?}\n{}", still, r.document.to_pretty());
                }
            }
        }

        /// The form AWS stores (ARNs expanded, quotes and slashes escaped) parses to the same
        /// decisions and the same canonical hash.
        #[test]
        fn aws_stored_form_is_equivalent(v in policy_value()) {
            let d = PolicyDocument::from_json(v.clone());
            let expanded = v.to_string().replace("\"execute-api:/", &format!("\"{}/", api().arn_prefix()));
            let stored = expanded.replace('"', "\\\"").replace('/', "\\/");
            let parsed = PolicyDocument::parse(&stored).unwrap();
            prop_assert_eq!(parsed.canonical_sha256(&api()), d.canonical_sha256(&api()));
            let quoted = PolicyDocument::parse(&serde_json::to_string(&expanded).unwrap()).unwrap();
            prop_assert_eq!(&quoted, &parsed);
            let reqs = requests();
            prop_assert_eq!(decisions(&v, &reqs), decisions(parsed.as_value(), &reqs));
        }

        /// (4) near the size limit: either a valid document within it, or TooLarge.
        #[test]
        fn size_limit_holds(n in 280usize..330) {
            let listed: Vec<String> = (0..n).map(|i| format!("vpce-{i:08x}")).collect();
            let d = PolicyDocument::standard(&listed);
            match grant(Some(&d), &api(), &[PX.to_string(), "vpce-ffffffff".to_string()]) {
                Ok(e) => well_formed(&e.document)?,
                Err(PolicyError::TooLarge { size, limit }) => prop_assert!(size > limit),
                Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
            }
        }
    }

    fn mixed_blocks(v: &Value) -> usize {
        let Some(stmts) = super::super::model::statements(v) else {
            return 0;
        };
        stmts
            .iter()
            .filter(|s| s["Effect"] == "Deny")
            .filter_map(|s| s.get("Condition").and_then(Value::as_object))
            .flat_map(|c| c.values())
            .filter(|b| b.get("aws:SourceVpc").is_some() && b.get("aws:SourceVpce").is_some())
            .count()
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("POLICY_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(160),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Applied again to the very document it was planned on, a grant is its plan:
        /// the same document and the same references, whatever kind of reference
        /// (an endpoint, a VPC's, any endpoint, none, a new Allow) the plan chose.
        #[test]
        fn a_grant_re_applied_to_its_own_document_is_its_plan(planned_on in policy_value()) {
            let planned_on = doc(planned_on);
            let Ok(plan) = grant(Some(&planned_on), &api(), &ids(&[PX])) else {
                return Ok(());
            };
            let again = grant_as(Some(&planned_on), &api(), &ids(&[PX]), &plan.references, &[]);
            match again {
                Ok(e) => {
                    prop_assert_eq!(&e.document, &plan.document);
                    prop_assert_eq!(&e.references, &plan.references);
                }
                Err(e) => prop_assert!(false, "planned {:?}, re-applied: {}", plan.references, e),
            }
        }

        /// A grant planned on one policy and applied again to another writer's copies
        /// exactly the planned reference, or fails as re-planned, never choosing another:
        /// for a listed endpoint it is `--like` that endpoint (the same document, or
        /// `Replanned` exactly where `--like` finds it not admitted); for any other kind
        /// the reference reported is the planned one.
        #[test]
        fn a_re_applied_grant_copies_the_planned_reference_or_fails(
            planned_on in policy_value(),
            fresh in policy_value(),
        ) {
            let (planned_on, fresh) = (doc(planned_on), doc(fresh));
            let Ok(plan) = grant(Some(&planned_on), &api(), &ids(&[PX])) else {
                return Ok(());
            };
            let again = grant_as(Some(&fresh), &api(), &ids(&[PX]), &plan.references, &[]);
            match (plan.references.first().map(|r| &r.like), &again) {
                (None, Ok(e)) => prop_assert!(e.added.is_empty(), "{:?}", e),
                (None, Err(e)) => prop_assert!(
                    !matches!(e, PolicyError::Replanned(_)) || e.to_string().contains("already admitted when planned"),
                    "{}", e
                ),
                (Some(like @ Like::Endpoint(r)), _) => {
                    let named = grant_like(Some(&fresh), &api(), &ids(&[PX]), Some(r), &[]);
                    match (&again, &named) {
                        (Ok(a), Ok(n)) => {
                            prop_assert_eq!(&a.document, &n.document);
                            prop_assert!(a.references.iter().all(|x| &x.like == like));
                        }
                        (Err(PolicyError::Replanned(_)), Err(PolicyError::Unsupported { detail, .. })) => {
                            prop_assert!(detail.contains("is not admitted by the policy"), "{}", detail);
                        }
                        (Err(a), Err(n)) => prop_assert_eq!(a, n),
                        (a, n) => prop_assert!(false, "re-apply {:?} but --like {:?}", a, n),
                    }
                }
                (Some(like), Ok(e)) => prop_assert!(
                    e.references.iter().all(|x| &x.like == like),
                    "planned {:?}, copied {:?}", like, e.references
                ),
                (Some(_), Err(_)) => {}
            }
        }
    }

    /// Guards against vacuous properties: enough generated policies must actually be edited.
    #[test]
    fn generator_exercises_edits() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = policy_value();
        let (mut granted, mut companions, mut vpc_keys, mut revoked) = (0, 0, 0, 0);
        let (mut new_allows, mut inert, mut open_alike) = (0, 0, 0);
        for _ in 0..400 {
            let v = strategy.new_tree(&mut runner).unwrap().current();
            let d = PolicyDocument::from_json(v.clone());
            if let Ok(e) = grant(Some(&d), &api(), &[PX.to_string()]) {
                if matches!(e.references.first(), Some(r) if matches!(r.like, Like::NewAllow(_))) {
                    new_allows += 1;
                }
                if e.warnings.iter().any(|w| w.contains("matches no request")) {
                    inert += 1;
                }
                if e.warnings.iter().any(|w| w.contains("never reads")) {
                    open_alike += 1;
                }
                if e.changed {
                    granted += 1;
                    let n = |d: &PolicyDocument| {
                        super::super::model::statements(d.as_value()).map_or(0, |s| s.len())
                    };
                    if n(&e.document) > n(&d) {
                        companions += 1;
                    }
                    if mixed_blocks(e.document.as_value()) > mixed_blocks(&v) {
                        vpc_keys += 1;
                    }
                }
            }
            if matches!(revoke(Some(&d), &api(), &[PX.to_string()]), Ok(r) if r.changed) {
                revoked += 1;
            }
        }
        assert!(granted > 120, "granted {granted}");
        assert!(companions > 5, "companions {companions}");
        assert!(vpc_keys > 3, "vpc keys {vpc_keys}");
        assert!(revoked > 30, "revoked {revoked}");
        // The three shapes once refused: no endpoint admitted, endpoints never read, a
        // resource that matches no request.
        assert!(new_allows > 5, "new allows {new_allows}");
        assert!(open_alike > 5, "open to every endpoint alike {open_alike}");
        assert!(inert > 5, "inert resources {inert}");
    }
}

// ---------- pinned by mutation testing (scripts/mutants-policy.sh) ----------

/// "Any endpoint (the policy is open)" is a reference too: an open policy that denies one
/// VPC's endpoints makes X, whose VPC the policy cannot know, behave like an endpoint of a
/// VPC it never names; applied again, the grant copies exactly that.
#[test]
fn an_open_policy_denying_one_vpc_is_copied_as_any_endpoint_and_re_applied_so() {
    let d = policy(vec![
        allow_all(),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpc":VPC_A}}}),
    ]);
    let plan = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(plan.references[0].like, Like::AnyEndpoint, "{plan:?}");
    assert_eq!(eval(&plan.document, Some(X), Some(VPC_A)), Decision::Allow);
    let again = grant_as(Some(&d), &api(), &ids(&[X]), &plan.references, &[]).unwrap();
    assert_eq!(again.document, plan.document);
    assert_eq!(again.references, plan.references);
}

#[test]
fn like_is_displayed_as_the_plan_names_the_reference() {
    let cases = [
        (Like::Endpoint(A.into()), A.to_string()),
        (
            Like::Matching("vpce-a*".into()),
            "any endpoint matching vpce-a*".to_string(),
        ),
        (
            Like::AnyEndpointIn(VPC_A.into()),
            format!("any endpoint in {VPC_A}"),
        ),
        (
            Like::AnyEndpoint,
            "any endpoint (the policy is open)".to_string(),
        ),
        (
            Like::Nothing,
            "an endpoint named in every statement that lists endpoints or VPCs (none was admitted before)".to_string(),
        ),
    ];
    for (like, shown) in cases {
        assert_eq!(like.to_string(), shown);
    }
}

#[test]
fn a_policy_of_exactly_the_size_limit_is_accepted_and_one_more_byte_is_not() {
    let size = |v: &[String]| PolicyDocument::standard(v).to_compact().len();
    let mut many: Vec<String> = Vec::new();
    while size(&many) + 40 < POLICY_SIZE_LIMIT {
        many.push(format!("vpce-{:08x}", many.len()));
    }
    // Each character of the last id adds one byte: pad it to land on the limit exactly.
    many.push("vpce-0".into());
    let pad = POLICY_SIZE_LIMIT - size(&many);
    let last = many.len() - 1;
    many[last] = format!("vpce-0{}", "f".repeat(pad));
    assert_eq!(size(&many), POLICY_SIZE_LIMIT);
    let e = grant(None, &api(), &many).unwrap();
    assert_eq!(e.document.to_compact().len(), POLICY_SIZE_LIMIT);
    many[last].push('f');
    let err = grant(None, &api(), &many).unwrap_err();
    assert_eq!(
        err,
        PolicyError::TooLarge {
            size: POLICY_SIZE_LIMIT + 1,
            limit: POLICY_SIZE_LIMIT
        }
    );
}

#[test]
fn grant_prefers_a_list_edit_over_a_companion_even_for_a_later_reference() {
    // Copying A needs a companion (A is admitted only from VPC_A, and X's VPC is unknown);
    // copying B needs X on one list. B comes later in the document but is cheaper.
    let allow = |cond: Value| {
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
            "Resource":"execute-api:/*","Condition":cond})
    };
    let d = policy(vec![
        allow(json!({"StringEquals":{"aws:SourceVpce":[A],"aws:SourceVpc":[VPC_A]}})),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
            "Resource":"execute-api:/prod/*","Condition":{"StringEquals":{"aws:SourceVpce":[B]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(e.references[0].like, Like::Endpoint(B.into()));
    let s = statements(&e.document);
    assert_eq!(s.len(), 2, "{}", e.document.to_pretty());
    assert_eq!(s[0], statements(&d)[0]);
    assert_eq!(
        s[1]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([B, X])
    );
}

#[test]
fn grant_copies_an_endpoint_that_only_a_companion_lists() {
    // Regression: X's companion (a copy of the VPC-gated Allow) was taken for a statement
    // X needs nothing from, so copying X cost nothing, changed nothing and was refused.
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[A],"aws:SourceVpc":[VPC_A]}}}),
    ]);
    let g = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(statements(&g.document).len(), 2);
    let e = grant(Some(&g.document), &api(), &ids(&[B])).unwrap();
    assert!(e.changed);
    let s = statements(&e.document);
    assert_eq!(
        s.len(),
        2,
        "B joins X's companion: {}",
        e.document.to_pretty()
    );
    assert_eq!(
        s[1]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([X, B])
    );
    for vpc in [VPC_A, VPC_B] {
        assert_eq!(eval(&e.document, Some(B), Some(vpc)), Decision::Allow);
    }
    assert_eq!(
        eval(&e.document, Some("vpce-cccccccc"), Some(VPC_B)),
        Decision::ImplicitDeny
    );
    // A human's Allow of the same shape is read the same way: B is copied by joining it.
    let human = policy(vec![
        statements(&d)[0].clone(),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[B]}}}),
    ]);
    let e = grant(Some(&human), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        statements(&e.document)[1]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([B, X])
    );
    assert_eq!(statements(&e.document).len(), 2);
}

#[test]
fn grant_edits_the_list_in_place_beside_an_endpoint_conjunct_that_already_holds() {
    // The Null conjunct holds for X; only the list needs X, so no companion is needed.
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[A]},"Null":{"aws:SourceVpce":"false"}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    let s = statements(&e.document);
    assert_eq!(s.len(), 1, "{}", e.document.to_pretty());
    assert_eq!(
        s[0]["Condition"],
        json!({"StringEquals":{"aws:SourceVpce":[A, X]},"Null":{"aws:SourceVpce":"false"}})
    );
}

#[test]
fn grant_takes_x_off_an_exemption_the_reference_does_not_have() {
    // X is exempt from the /admin lock but denied everywhere; copying A (admitted, bound by
    // the lock) exempts X from the first Deny and takes it off the lock's exemption list.
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/*/admin*",
            "Condition":{"StringNotEquals":{"aws:SourceVpce":[B, X]}}}),
    ]);
    assert_eq!(eval(&d, Some(X), None), Decision::ExplicitDeny);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(e.references[0].like, Like::Endpoint(A.into()));
    let s = statements(&e.document);
    assert_eq!(s.len(), 3, "{}", e.document.to_pretty());
    assert_eq!(
        s[1]["Condition"]["StringNotEquals"]["aws:SourceVpce"],
        json!([A, X])
    );
    assert_eq!(
        s[2]["Condition"]["StringNotEquals"]["aws:SourceVpce"],
        json!([B])
    );
    assert_eq!(
        at(&e.document, X, "prod/GET/admin", &[]),
        Decision::ExplicitDeny
    );
}

#[test]
fn grant_binds_x_by_a_lock_whose_exemption_pattern_matches_it() {
    // A is bound by the /admin lock; X is exempt from it by pattern, which no list edit can
    // undo for X alone: a Deny companion binds X.
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/*/admin*",
            "Condition":{"StringNotLike":{"aws:SourceVpce":["vpce-0*"]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(e.references[0].like, Like::Endpoint(A.into()));
    let s = statements(&e.document);
    assert_eq!(s.len(), 4, "{}", e.document.to_pretty());
    assert_eq!(s[2], statements(&d)[2]);
    assert_eq!(
        s[3]["Condition"],
        json!({"StringEquals":{"aws:SourceVpce":[X]}})
    );
    assert_eq!(s[3]["Resource"], json!("execute-api:/*/*/admin*"));
    assert_eq!(
        at(&e.document, X, "prod/GET/admin", &[]),
        Decision::ExplicitDeny
    );
    assert_eq!(at(&e.document, X, "prod/GET/items", &[]), Decision::Allow);
}

#[test]
fn an_allow_that_excludes_other_endpoints_is_not_a_refusal() {
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[A]},"StringNotEquals":{"aws:SourceVpce":[B]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        statements(&e.document)[0]["Condition"],
        json!({"StringEquals":{"aws:SourceVpce":[A, X]},"StringNotEquals":{"aws:SourceVpce":[B]}})
    );
}

#[test]
fn a_deny_by_pattern_beside_an_exemption_list_is_answered_by_exempting_x() {
    // "Deny vpce-0* unless A": the idiom the exemption answers.
    let d = policy(vec![
        allow_all(),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringLike":{"aws:SourceVpce":["vpce-0*"]},"StringNotEquals":{"aws:SourceVpce":[A]}}}),
    ]);
    assert_eq!(eval(&d, Some(X), None), Decision::ExplicitDeny);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        statements(&e.document)[1]["Condition"],
        json!({"StringLike":{"aws:SourceVpce":["vpce-0*"]},"StringNotEquals":{"aws:SourceVpce":[A, X]}})
    );
    assert_eq!(eval(&e.document, Some(X), None), Decision::Allow);

    // Naming X is a human's decision even beside an exemption list; a pattern alone too.
    let named = policy(vec![
        allow_all(),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[X]},"StringNotEquals":{"aws:SourceVpce":[A]}}}),
    ]);
    let detail = unsupported(grant(Some(&named), &api(), &ids(&[X])));
    assert!(detail.contains("this Deny targets"), "{detail}");
    let pattern_only = policy(vec![
        allow_all(),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
        deny_unless("StringLike", "aws:SourceVpce", json!(["vpce-0*"])),
    ]);
    let detail = unsupported(grant(Some(&pattern_only), &api(), &ids(&[X])));
    assert!(detail.contains("this Deny targets"), "{detail}");
}

#[test]
fn with_nothing_admitted_only_allows_that_list_endpoints_admit_x() {
    // The Deny of every call leaves nothing admitted. The first Allow lists endpoints and
    // takes X; the second excludes X by pattern, which is not X's to lift. (The first has
    // its own resource, so it is not read as a companion of the second.)
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[A]}}}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringNotLike":{"aws:SourceVpce":["vpce-0*"]}}}),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(e.references[0].like, Like::Nothing);
    let s = statements(&e.document);
    assert_eq!(s.len(), 3, "{}", e.document.to_pretty());
    assert_eq!(
        s[0]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([A, X])
    );
    assert_eq!(s[1], statements(&d)[1]);
    assert_eq!(
        s[2]["Condition"],
        json!({"StringNotEquals":{"aws:SourceVpce":[X]}})
    );
    assert_eq!(eval(&e.document, Some(X), None), Decision::Allow);
    assert_eq!(eval(&e.document, Some(A), None), Decision::ExplicitDeny);
}

#[test]
fn an_endpoint_listed_and_admitted_is_already_granted_whatever_its_peers_get() {
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[A]}}}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[X]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(!e.changed, "{}", e.document.to_pretty());
    assert_eq!(e.already, ids(&[X]));
}

#[test]
fn granting_like_another_endpoint_takes_x_off_its_old_companion() {
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[A],"aws:SourceVpc":[VPC_A]}}}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[B]}}}),
    ]);
    let g = grant_like(Some(&d), &api(), &ids(&[X]), Some(A), &[]).unwrap();
    assert_eq!(
        statements(&g.document).len(),
        3,
        "X's companion of the first Allow"
    );
    assert_eq!(at(&g.document, X, "dev/GET/x", &[]), Decision::Allow);
    let e = grant_like(Some(&g.document), &api(), &ids(&[X]), Some(B), &[]).unwrap();
    let s = statements(&e.document);
    assert_eq!(s.len(), 2, "the companion goes: {}", e.document.to_pretty());
    assert_eq!(s[0], statements(&d)[0]);
    assert_eq!(
        s[1]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([B, X])
    );
    assert_eq!(at(&e.document, X, "dev/GET/x", &[]), Decision::ImplicitDeny);
    assert_eq!(at(&e.document, X, "prod/GET/x", &[]), Decision::Allow);
}

#[test]
fn a_companion_that_already_carries_x_makes_its_reference_the_cheapest() {
    // X already has A's VPC-gated Allow through its companion (the third statement); only
    // the Deny still stops it. Copying A costs one exemption, copying B three edits.
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[B]}}}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[A],"aws:SourceVpc":[VPC_A]}}}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[X]}}}),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A, B])),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(e.references[0].like, Like::Endpoint(A.into()));
    let s = statements(&e.document);
    assert_eq!(&s[..3], &statements(&d)[..3], "{}", e.document.to_pretty());
    assert_eq!(
        s[3]["Condition"]["StringNotEquals"]["aws:SourceVpce"],
        json!([A, B, X])
    );
}

#[test]
fn an_open_policy_that_excludes_x_by_name_is_refused_not_reported_as_granted() {
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringNotEquals":{"aws:SourceVpce":[X]}}}),
    ]);
    let detail = unsupported(grant(Some(&d), &api(), &ids(&[X])));
    assert!(detail.contains("this Allow excludes"), "{detail}");
}

#[test]
fn grant_names_the_vpc_whose_endpoints_x_copies() {
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpc":[VPC_A]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(e.references[0].like, Like::AnyEndpointIn(VPC_A.into()));
}

#[test]
fn an_endpoint_admitted_only_from_one_vpc_is_already_granted() {
    let d = policy(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpce":[X],"aws:SourceVpc":[VPC_A]}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(!e.changed, "{}", e.document.to_pretty());
    assert_eq!(e.already, ids(&[X]));
}

#[test]
fn grant_edits_a_policy_whose_statement_is_a_single_object() {
    let d = doc(json!({"Version":"2012-10-17","Statement":
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"StringEquals":{"aws:SourceVpce":[A]}}}}));
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        e.document.as_value()["Statement"]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([A, X])
    );
}

#[test]
fn statements_of_one_companion_shape_share_one_companion_that_lists_each_endpoint_once() {
    // Both statements admit every endpoint of VPC_A and differ only in their VPC gate, so
    // their companions for X are one statement: the second edit finds the first's and
    // must not list X in it twice.
    let vpcs = |list: Value| {
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:SourceVpc":list}}})
    };
    let d = policy(vec![vpcs(json!([VPC_A])), vpcs(json!([VPC_A, VPC_B]))]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    let s = statements(&e.document);
    let listing: Vec<&Value> = s
        .iter()
        .filter_map(|t| t["Condition"]["StringEquals"].get("aws:SourceVpce"))
        .collect();
    assert_eq!(listing, [&json!([X])], "{}", e.document.to_pretty());
    assert_eq!(s.len(), 3, "{}", e.document.to_pretty());
    assert_eq!(
        eval(&e.document, Some(X), Some("vpc-0ccccccc")),
        Decision::Allow
    );
    assert!(
        !grant(Some(&e.document), &api(), &ids(&[X]))
            .unwrap()
            .changed
    );
}

// ---------- the shapes once refused (issue 18, item 16) ----------

/// Found by the grant property: `execute-api:*` allowed where every invoke is denied
/// admits no endpoint to invoke, so X gets a new Allow to invoke; its other actions (a
/// WebSocket's ManageConnections, allowed to every endpoint) stay as they were.
#[test]
fn a_new_allow_for_invoking_leaves_other_actions_as_they_were() {
    let resources = json!(["execute-api:/*/GET/*", "execute-api:/test/*"]);
    let d = policy(vec![
        json!({"Effect":"Deny","Principal":"*","Action":["EXECUTE-API:invoke"],"Resource":resources}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:*","Resource":resources}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        e.references[0].like,
        Like::NewAllow(ids(&["execute-api:/*"]))
    );
    let manage = |d: &PolicyDocument| {
        let mut q = req(Some(X), None, "prod/GET/items");
        q.action = "execute-api:ManageConnections".into();
        evaluate(d, &api(), &q).unwrap()
    };
    assert_eq!(manage(&d), Decision::Allow);
    assert_eq!(manage(&e.document), Decision::Allow);
    assert_eq!(eval(&e.document, Some(X), None), Decision::ExplicitDeny);
    assert_eq!(
        evaluate(&e.document, &api(), &req(Some(X), None, "prod/POST/items")).unwrap(),
        Decision::Allow
    );
}

/// Shape (a), AWS's own examples: an Allow keyed on `aws:SourceIp` (absent from every
/// request through an endpoint), an Allow for a service principal, and a policy of Denies
/// only. None admits an endpoint, so the grant adds one Allow for X, bound by every Deny.
#[test]
fn a_policy_that_admits_no_endpoint_gets_one_new_allow_for_x() {
    let source_ip = json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
        "Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","198.51.100.0/24"]}}});
    let service = json!({"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"});
    let net = json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
        "Condition":{"NotIpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}}});
    for stmts in [vec![source_ip], vec![service], vec![net.clone()]] {
        let d = policy(stmts);
        assert!(!admits_vpce(&d, &api(), X, Some(VPC_A)).unwrap(), "{d:?}");
        let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
        assert_eq!(
            e.references,
            [Reference {
                vpce: X.into(),
                like: Like::NewAllow(ids(&["execute-api:/*"]))
            }]
        );
        let s = statements(&e.document);
        assert_eq!(
            s.last().unwrap(),
            &json!({"Sid":"XapiAllowVpce","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
                "Resource":["execute-api:/*"],"Condition":{"StringEquals":{"aws:SourceVpce":[X]}}})
        );
        assert!(admits_vpce(&e.document, &api(), X, Some(VPC_A)).unwrap());
        assert!(!admits_vpce(&e.document, &api(), A, Some(VPC_A)).unwrap());
        // A second endpoint copies the first.
        let again = grant(Some(&e.document), &api(), &ids(&[A])).unwrap();
        assert_eq!(again.references[0].like, Like::Endpoint(X.into()));
    }
    // The Deny still binds X: only from inside 10.0.0.0/8.
    let e = grant(Some(&policy(vec![net])), &api(), &ids(&[X])).unwrap();
    assert_eq!(
        at(
            &e.document,
            X,
            "prod/GET/items",
            &[("aws:VpcSourceIp", "10.1.2.3")]
        ),
        Decision::Allow
    );
    assert_eq!(
        at(
            &e.document,
            X,
            "prod/GET/items",
            &[("aws:VpcSourceIp", "8.8.8.8")]
        ),
        Decision::ExplicitDeny
    );
}

#[test]
fn a_new_allow_covers_the_named_resources_only_and_joins_exemption_lists() {
    let d = policy(vec![deny_unless(
        "StringNotEquals",
        "aws:SourceVpce",
        json!([A]),
    )]);
    let e = grant_like(
        Some(&d),
        &api(),
        &ids(&[X]),
        None,
        &ids(&["execute-api:/prod/GET/*"]),
    )
    .unwrap();
    assert_eq!(
        e.references[0].like,
        Like::NewAllow(ids(&["execute-api:/prod/GET/*"]))
    );
    assert_eq!(
        statements(&e.document)[0]["Condition"]["StringNotEquals"]["aws:SourceVpce"],
        json!([A, X])
    );
    assert_eq!(at(&e.document, X, "prod/GET/items", &[]), Decision::Allow);
    assert_eq!(
        at(&e.document, X, "prod/POST/items", &[]),
        Decision::ImplicitDeny
    );
    assert_eq!(
        at(&e.document, A, "prod/GET/items", &[]),
        Decision::ImplicitDeny
    );
    assert!(e.references[0]
        .to_string()
        .contains("by a new Allow on execute-api:/prod/GET/*"));
}

/// A grant planned as a new Allow on named resources and applied again to
/// another writer's copy adds that Allow on the same resources, not on the
/// whole API.
#[test]
fn a_re_applied_new_allow_keeps_the_planned_resources() {
    let resources = ids(&["execute-api:/prod/GET/*"]);
    let planned_on = policy(vec![deny_unless(
        "StringNotEquals",
        "aws:SourceVpce",
        json!([A]),
    )]);
    let plan = grant_like(Some(&planned_on), &api(), &ids(&[X]), None, &resources).unwrap();
    // Meanwhile another writer exempted B too.
    let fresh = policy(vec![deny_unless(
        "StringNotEquals",
        "aws:SourceVpce",
        json!([A, B]),
    )]);
    let again = grant_as(
        Some(&fresh),
        &api(),
        &ids(&[X]),
        &plan.references,
        &resources,
    )
    .unwrap();
    assert_eq!(again.references, plan.references);
    assert_eq!(
        at(&again.document, X, "prod/GET/items", &[]),
        Decision::Allow
    );
    assert_eq!(
        at(&again.document, X, "prod/POST/items", &[]),
        Decision::ImplicitDeny
    );
}

/// A grant applied again after another writer removed the policy: one
/// planned on no policy writes the same document again; one that copied an
/// endpoint fails naming that endpoint, rather than admit X some other way.
#[test]
fn a_grant_re_applied_to_a_removed_policy_keeps_its_reference_or_fails() {
    let resources = ids(&["execute-api:/prod/GET/*"]);
    let on_none = grant_like(None, &api(), &ids(&[X]), None, &resources).unwrap();
    let again = grant_as(None, &api(), &ids(&[X]), &on_none.references, &resources).unwrap();
    assert_eq!(again.document, on_none.document);
    assert_eq!(again.references, on_none.references);
    // Meanwhile another writer put a policy of Denies only in place of none:
    // X would need a new Allow, which is not what the plan said; refused.
    let fresh = policy(vec![deny_unless(
        "NotIpAddress",
        "aws:VpcSourceIp",
        json!("10.0.0.0/8"),
    )]);
    let err = grant_as(
        Some(&fresh),
        &api(),
        &ids(&[X]),
        &on_none.references,
        &resources,
    )
    .unwrap_err();
    assert!(matches!(err, PolicyError::Replanned(_)), "{err}");

    let listed = PolicyDocument::standard(&ids(&[A]));
    let copied = grant(Some(&listed), &api(), &ids(&[X])).unwrap();
    assert_eq!(copied.references[0].like, Like::Endpoint(A.into()));
    let err = grant_as(None, &api(), &ids(&[X]), &copied.references, &[]).unwrap_err();
    assert!(
        matches!(&err, PolicyError::Replanned(m) if m.contains(A) && m.contains("the policy was removed")),
        "{err}"
    );
}

#[test]
fn resources_are_checked_and_used_only_for_a_new_allow() {
    let d = policy(vec![deny_unless(
        "StringNotEquals",
        "aws:SourceVpce",
        json!([A]),
    )]);
    let bad = unsupported(grant_like(
        Some(&d),
        &api(),
        &ids(&[X]),
        None,
        &ids(&["prod/*"]),
    ));
    assert!(bad.contains("\"prod/*\""), "{bad}");
    let standard = PolicyDocument::standard(&ids(&[A]));
    let unused = unsupported(grant_like(
        Some(&standard),
        &api(),
        &ids(&[X]),
        None,
        &ids(&["execute-api:/prod/*"]),
    ));
    assert!(unused.contains("--resource"), "{unused}");
    // Nothing left to grant (a re-run, the check after a write): no refusal.
    let done = grant_like(
        Some(&standard),
        &api(),
        &ids(&[A]),
        None,
        &ids(&["execute-api:/prod/*"]),
    )
    .unwrap();
    assert!(!done.changed);
    let arn = format!("{}/prod/*", api().arn_prefix());
    let fresh = grant_like(None, &api(), &ids(&[X]), None, std::slice::from_ref(&arn)).unwrap();
    assert_eq!(statements(&fresh.document)[0]["Resource"], json!([arn]));
    assert_eq!(
        at(&fresh.document, X, "dev/GET/items", &[]),
        Decision::ImplicitDeny
    );
}

/// Shape (a) where a Deny of every call still binds X: no exact grant exists, so refuse
/// naming the Deny.
#[test]
fn a_new_allow_that_a_blanket_deny_overrides_is_refused_naming_it() {
    let d = policy(vec![
        json!({"Sid":"Lockdown","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}),
    ]);
    match grant(Some(&d), &api(), &ids(&[X])) {
        Err(PolicyError::Unsupported { statement, detail }) => {
            assert_eq!(statement, "Lockdown", "{detail}");
            assert!(detail.contains("new Allow"), "{detail}");
            // Only the Deny is named, not the Allow that would have been added.
            assert!(detail.contains("statement Lockdown;"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

/// Shape (b): a policy that never reads aws:SourceVpce or aws:SourceVpc treats every
/// endpoint alike; X is already admitted, nothing changes, and the grant says the API is
/// open to any endpoint.
#[test]
fn a_policy_blind_to_endpoints_admits_x_like_any_other_and_says_so() {
    for p in [
        json!({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}),
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}),
    ] {
        let d = policy(vec![p]);
        let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
        assert!(!e.changed);
        assert_eq!(e.already, ids(&[X]));
        assert_eq!(e.document, d);
        // Every endpoint is alike, so X is already like any one named.
        let like = grant_like(Some(&d), &api(), &ids(&[X]), Some(A), &[]).unwrap();
        assert_eq!(like.already, ids(&[X]));
        assert!(like.warnings.iter().any(|w| w.contains("never reads")));
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("never reads aws:SourceVpce")
                    && w.contains("open to any endpoint")),
            "{:?}",
            e.warnings
        );
    }
}

/// Shape (c): SAM stores `execute-api:*/*/*` as written; it matches no request, so its
/// statement is inert, the grant warns and goes on, and evaluation agrees.
#[test]
fn a_resource_that_is_no_arn_makes_its_statement_inert() {
    let d = policy(vec![
        allow_all(),
        json!({"Sid":"SamDeny","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:*/*/*",
            "Condition":{"StringNotEquals":{"aws:SourceVpce":[A]}}}),
        deny_unless("StringNotEquals", "aws:SourceVpce", json!([A])),
    ]);
    assert_eq!(eval(&d, Some(A), Some(VPC_A)), Decision::Allow);
    assert_eq!(eval(&d, Some(B), Some(VPC_A)), Decision::ExplicitDeny);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(e.changed);
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("SamDeny") && w.contains("\"execute-api:*/*/*\"")),
        "{:?}",
        e.warnings
    );
    assert_eq!(eval(&e.document, Some(X), Some(VPC_A)), Decision::Allow);
    let r = revoke(Some(&e.document), &api(), &ids(&[X])).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("SamDeny")));
    // Hashing keeps the form as written too: AWS does not expand it.
    let text = d.to_compact();
    assert!(PolicyDocument::parse(&text).is_ok());
}

/// A policy that reads the endpoint keys and already admits X by a pattern is granted as
/// "already admitted" without the warning meant for policies blind to endpoints.
#[test]
fn an_endpoint_admitted_by_a_pattern_is_already_granted_without_the_blind_warning() {
    let d = policy(vec![
        allow_all(),
        deny_unless("StringNotLike", "aws:SourceVpce", json!(["vpce-0*"])),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    assert!(!e.changed);
    assert_eq!(e.already, ids(&[X]));
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
}

/// The new Allow's Sid never collides with one the policy already has.
#[test]
fn a_new_allow_gets_a_sid_of_its_own() {
    let d = policy(vec![
        json!({"Sid":"XapiAllowVpce","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
            "Condition":{"NotIpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}}}),
    ]);
    let e = grant(Some(&d), &api(), &ids(&[X])).unwrap();
    let s = statements(&e.document);
    assert_eq!(s.len(), 2);
    assert_eq!(s[1]["Sid"], "XapiAllowVpce2");
    assert_eq!(
        s[1]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!([X])
    );
}

// ---------- wildcard matching ----------

/// What `*` and `?` mean, by their definition: tried at every split, slowly
/// and obviously right.
fn glob_by_definition(p: &[char], t: &[char]) -> bool {
    match p.split_first() {
        None => t.is_empty(),
        Some(('*', rest)) => (0..=t.len()).any(|i| glob_by_definition(rest, &t[i..])),
        Some((c, rest)) => t
            .split_first()
            .is_some_and(|(tc, t_rest)| (*c == '?' || c == tc) && glob_by_definition(rest, t_rest)),
    }
}

#[test]
fn a_question_mark_is_one_character_even_outside_ascii() {
    use super::model::glob;
    assert!(glob("?", "é"));
    assert!(glob("caf?", "café"));
    assert!(!glob("caf??", "café"));
    assert!(glob("é*", "éa"));
    assert!(!glob("?", "ab"));
    assert!(glob("vpce-*", "vpce-0123"));
    assert!(!glob("vpce-*", "VPCE-0123"), "matching is case-sensitive");
    assert!(glob("vpce-0123", "vpce-0123"));
    assert!(!glob("vpce-0123", "vpce-01234"));
}

proptest::proptest! {
    /// The fast matcher agrees with the definition on every pattern and text
    /// over an alphabet with both wildcards, ASCII and a two-byte character.
    #[test]
    fn glob_matches_exactly_by_the_definition(
        p in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', '*', '?', 'é']), 0..8),
        t in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', 'é', '*', '?']), 0..10),
    ) {
        let (ps, ts): (String, String) = (p.iter().collect(), t.iter().collect());
        proptest::prop_assert_eq!(super::model::glob(&ps, &ts), glob_by_definition(&p, &t), "{} against {}", ps, ts);
    }
}
