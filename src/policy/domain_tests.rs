//! The domain mode: a private custom domain name's policy, whose one request
//! resource is the domain's execute-api ARN and which AWS reads back with
//! `execute-api:/*` expanded to that ARN (no `/*`).

use proptest::prelude::*;
use serde_json::json;

use super::*;

const NAME_ID: &str = "private.example.com+abcd1234";
const EXPANDED: &str =
    "arn:aws:execute-api:us-east-1:111111111111:/domainnames/private.example.com+abcd1234";
const V: &str = "vpce-0aaa1111bbbb2222c";
const W: &str = "vpce-0bbb1111bbbb2222c";
const STRANGER: &str = "vpce-0ccc1111bbbb2222c";

fn domain() -> ApiRef {
    ApiRef::domain("us-east-1", "111111111111", NAME_ID)
}

/// The Allow + Deny-unless-endpoint shape with `resource` in both statements.
fn standard(resource: &str, vpces: &[&str]) -> PolicyDocument {
    let v = json!({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":resource},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":resource,
         "Condition":{"StringNotEquals":{"aws:SourceVpce":vpces}}}
    ]});
    PolicyDocument::parse(&v.to_string()).unwrap()
}

fn through(vpce: &str) -> Request {
    Request {
        source_vpce: Some(vpce.into()),
        resource: EXPANDED.into(),
        action: "execute-api:Invoke".into(),
        ..Request::default()
    }
}

#[test]
fn the_domain_resource_is_its_arn_with_no_suffix() {
    let d = domain();
    assert!(d.is_domain());
    assert!(!ApiRef {
        region: "us-east-1".into(),
        account: "111111111111".into(),
        api_id: "a1b2c3d4e5".into()
    }
    .is_domain());
    assert_eq!(d.whole_api(), EXPANDED);
    assert_eq!(d.request_lead(), EXPANDED);
    assert_eq!(d.request_pattern(), EXPANDED);
}

#[test]
fn both_resource_forms_are_one_policy() {
    let written = standard("execute-api:/*", &[V]);
    let read_back = standard(EXPANDED, &[V]);
    assert_eq!(
        written.canonical_sha256(&domain()),
        read_back.canonical_sha256(&domain())
    );
    for doc in [&written, &read_back] {
        assert_eq!(
            evaluate(doc, &domain(), &through(V)).unwrap(),
            Decision::Allow
        );
        assert_eq!(
            evaluate(doc, &domain(), &through(STRANGER)).unwrap(),
            Decision::ExplicitDeny
        );
        assert!(admits_vpce(doc, &domain(), V, None).unwrap());
        assert!(!admits_vpce(doc, &domain(), STRANGER, None).unwrap());
        let s = summarize(doc, &domain()).unwrap();
        assert_eq!(s.admitted_vpces, vec![V.to_owned()]);
        assert!(!s.open_to_any_endpoint);
        assert!(s.restricted_resources.is_empty(), "{s:?}");
        assert!(s.approximated.is_empty());
    }
}

#[test]
fn a_policy_written_for_the_domains_paths_admits_nobody() {
    // `/*` after the domain's ARN matches no request: AWS checks the ARN itself.
    let doc = standard(&format!("{EXPANDED}/*"), &[V]);
    assert!(!admits_vpce(&doc, &domain(), V, None).unwrap());
    assert_eq!(
        evaluate(&doc, &domain(), &through(V)).unwrap(),
        Decision::ImplicitDeny
    );
}

#[test]
fn grant_and_revoke_on_the_read_back_form() {
    let current = standard(EXPANDED, &[V]);
    let granted = grant(Some(&current), &domain(), &[W.to_owned()]).unwrap();
    assert!(granted.changed);
    assert_eq!(granted.added, vec![W.to_owned()]);
    for admitted in [V, W] {
        assert!(admits_vpce(&granted.document, &domain(), admitted, None).unwrap());
    }
    assert!(!admits_vpce(&granted.document, &domain(), STRANGER, None).unwrap());
    let again = grant(Some(&granted.document), &domain(), &[W.to_owned()]).unwrap();
    assert!(!again.changed);
    let revoked = revoke(Some(&granted.document), &domain(), &[V.to_owned()]).unwrap();
    assert!(revoked.changed);
    assert!(!admits_vpce(&revoked.document, &domain(), V, None).unwrap());
    assert!(admits_vpce(&revoked.document, &domain(), W, None).unwrap());
}

#[test]
fn an_open_domain_policy_is_open() {
    let v = json!({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":EXPANDED}
    ]});
    let doc = PolicyDocument::parse(&v.to_string()).unwrap();
    assert!(summarize(&doc, &domain()).unwrap().open_to_any_endpoint);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The strongest form of "only the listed endpoints": in either resource form, an
    /// endpoint is admitted exactly when the list names it, and granting one endpoint
    /// admits exactly one more.
    #[test]
    fn admitted_only_where_listed(
        listed in proptest::collection::btree_set(0u8..6, 1..4),
        expanded in any::<bool>(),
        extra in 0u8..6,
    ) {
        let name = |i: u8| format!("vpce-0{i}aa1111bbbb2222c");
        let ids: Vec<String> = listed.iter().map(|i| name(*i)).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let doc = standard(if expanded { EXPANDED } else { "execute-api:/*" }, &refs);
        for i in 0u8..6 {
            let admitted = admits_vpce(&doc, &domain(), &name(i), None).unwrap();
            prop_assert_eq!(admitted, listed.contains(&i));
            let decision = evaluate(&doc, &domain(), &through(&name(i))).unwrap();
            prop_assert_eq!(decision == Decision::Allow, listed.contains(&i));
        }
        let granted = grant(Some(&doc), &domain(), &[name(extra)]).unwrap();
        prop_assert_eq!(granted.changed, !listed.contains(&extra));
        for i in 0u8..6 {
            let admitted = admits_vpce(&granted.document, &domain(), &name(i), None).unwrap();
            prop_assert_eq!(admitted, listed.contains(&i) || i == extra);
        }
    }
}
