//! Audit over private domains: every association is judged by the domain
//! policy AND each mapped API's policy, an edge appears only where both
//! admit, and a policy the engine cannot judge never hides a finding.

use proptest::prelude::*;

use super::domains::judge;
use super::*;
use crate::model::{AccessAssociation, BasePathMapping, DomainRecord};

const P: &str = "111111111111";
const C: &str = "222222222222";
const R: &str = "us-east-1";
const ARN: &str =
    "arn:aws:apigateway:us-east-1:111111111111:/domainnames/private.example.com+abcd1234";
const EXECUTE: &str =
    "arn:aws:execute-api:us-east-1:111111111111:/domainnames/private.example.com+abcd1234";
const API: &str = "a1b2c3d4e5";
const V1: &str = "vpce-0aaa1111bbbb2222c";
const V2: &str = "vpce-0ddd3333eeee4444f";

/// Allow everyone, deny every endpoint but `vpces` (the shape grant writes).
fn only(resource: &str, vpces: &[&str]) -> String {
    serde_json::json!({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":resource},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":resource,
         "Condition":{"StringNotEquals":{"aws:SourceVpce":vpces}}}]})
    .to_string()
}

fn open(resource: &str) -> String {
    serde_json::json!({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":resource}]})
    .to_string()
}

fn association(account: &str, vpce: &str) -> AccessAssociation {
    AccessAssociation {
        arn: format!(
            "arn:aws:apigateway:{R}:{account}:/domainnameaccessassociations/domainname/\
             private.example.com+abcd1234/vpcesource/{vpce}"
        ),
        domain_arn: ARN.into(),
        source: vpce.into(),
        source_type: "VPCE".into(),
        tags: BTreeMap::default(),
    }
}

fn mapping(api: &str) -> BasePathMapping {
    BasePathMapping {
        base_path: "(none)".into(),
        api_id: api.into(),
        stage: "prod".into(),
    }
}

fn domain(policy: &str, associations: Vec<AccessAssociation>) -> DomainRecord {
    DomainRecord {
        arn: ARN.into(),
        name: "private.example.com".into(),
        policy: Some(policy.into()),
        mappings: Some(vec![mapping(API)]),
        shared: true,
        associations,
    }
}

fn api(policy: &str) -> ApiRecord {
    ApiRecord {
        id: API.into(),
        name: "orders".into(),
        endpoint_types: vec!["PRIVATE".into()],
        vpc_endpoint_ids: vec![],
        policy: Some(policy.into()),
        tags: BTreeMap::new(),
        stages: vec![],
        methods: None,
    }
}

fn api_policy(vpces: &[&str]) -> String {
    only(&format!("arn:aws:execute-api:{R}:{P}:{API}/*"), vpces)
}

fn scan_of(d: DomainRecord, apis: Vec<ApiRecord>) -> Scan {
    Scan {
        schema_version: SNAPSHOT_VERSION,
        accounts: vec![P.into()],
        org: false,
        excluded_accounts: vec![],
        excluded: vec![],
        targets: vec![Target {
            account: P.into(),
            region: R.into(),
            apis,
            endpoints: vec![],
            endpoints_read: true,
            domains: vec![d],
        }],
        unreadable: vec![],
    }
}

fn checks_of(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.check.as_str()).collect()
}

#[test]
fn an_association_both_policies_admit_is_an_edge_and_no_finding() {
    let s = scan_of(
        domain(&only(EXECUTE, &[V1]), vec![association(C, V1)]),
        vec![api(&api_policy(&[V1]))],
    );
    let (findings, access) = judge(&s);
    assert_eq!(findings, vec![]);
    assert_eq!(
        access,
        vec![domains::DomainAccess {
            consumer_account: C.into(),
            region: R.into(),
            vpce_id: V1.into(),
            producer_account: P.into(),
            domain_name: "private.example.com".into(),
            domain_arn: ARN.into(),
            apis: vec![API.into()],
        }]
    );
    // The whole audit carries it too.
    let report = Report::new(s, None);
    assert_eq!(report.domain_access_map.len(), 1);
    assert_eq!(report.summary.private_domains, 1);
}

#[test]
fn an_association_the_domain_policy_refuses_is_a_finding_and_no_edge() {
    let (findings, access) = judge(&scan_of(
        domain(&only(EXECUTE, &[V1]), vec![association(C, V2)]),
        vec![api(&api_policy(&[V1, V2]))],
    ));
    assert_eq!(access, vec![]);
    assert_eq!(checks_of(&findings), [checks::DOMAIN_ASSOCIATION_REFUSED]);
    let f = &findings[0];
    assert!(f.resource.contains(V2), "{f:?}");
    assert!(f.message.contains("domain policy does not admit"), "{f:?}");
    assert!(f.message.contains(C), "names the consumer: {f:?}");
    assert!(f.fix.as_deref().unwrap().contains(&format!("--vpce {V2}")));
}

#[test]
fn an_association_a_mapped_api_refuses_names_that_api() {
    let (findings, access) = judge(&scan_of(
        domain(&only(EXECUTE, &[V1, V2]), vec![association(C, V2)]),
        vec![api(&api_policy(&[V1]))],
    ));
    assert_eq!(access, vec![]);
    assert_eq!(checks_of(&findings), [checks::DOMAIN_ASSOCIATION_REFUSED]);
    assert!(
        findings[0].message.contains(&format!("mapped API {API}")),
        "{findings:?}"
    );
}

#[test]
fn an_api_without_a_policy_refuses_and_an_api_the_scan_did_not_list_is_not_judged() {
    let mut no_policy = api(&api_policy(&[V1]));
    no_policy.policy = None;
    let (findings, _) = judge(&scan_of(
        domain(&only(EXECUTE, &[V1]), vec![association(C, V1)]),
        vec![no_policy],
    ));
    assert_eq!(checks_of(&findings), [checks::DOMAIN_ASSOCIATION_REFUSED]);

    let (findings, access) = judge(&scan_of(
        domain(&only(EXECUTE, &[V1]), vec![association(C, V1)]),
        vec![],
    ));
    assert_eq!(findings, vec![]);
    assert_eq!(access.len(), 1);
}

#[test]
fn an_open_domain_policy_is_a_finding_and_a_grant_shaped_one_is_not() {
    let (findings, access) = judge(&scan_of(
        domain(&open(EXECUTE), vec![association(C, V2)]),
        vec![api(&api_policy(&[V2]))],
    ));
    assert_eq!(checks_of(&findings), [checks::DOMAIN_OPEN]);
    assert!(findings[0].message.contains("shared through AWS RAM"));
    assert_eq!(findings[0].resource, ARN);
    assert_eq!(access.len(), 1, "the open policy admits the association");

    let (findings, _) = judge(&scan_of(
        domain(&only(EXECUTE, &[V1]), vec![]),
        vec![api(&api_policy(&[V1]))],
    ));
    assert_eq!(findings, vec![]);
}

#[test]
fn a_shared_domain_that_maps_nothing_is_a_finding_unless_its_mappings_were_unread() {
    let mut d = domain(&only(EXECUTE, &[V1]), vec![]);
    d.mappings = Some(vec![]);
    let (findings, _) = judge(&scan_of(d.clone(), vec![]));
    assert_eq!(checks_of(&findings), [checks::DOMAIN_SHARED_UNMAPPED]);
    assert_eq!(findings[0].severity, Severity::Low);

    d.shared = false;
    assert_eq!(judge(&scan_of(d.clone(), vec![])).0, vec![]);

    d.shared = true;
    d.mappings = None;
    assert_eq!(
        judge(&scan_of(d, vec![])).0,
        vec![],
        "an unread listing is an unreadable entry, not an empty one"
    );
}

#[test]
fn another_domains_association_is_not_judged_against_this_one() {
    let mut other = association(C, V2);
    other.domain_arn = ARN.replace("abcd1234", "ffff0000");
    let (findings, access) = judge(&scan_of(
        domain(&only(EXECUTE, &[V1]), vec![other]),
        vec![api(&api_policy(&[V1]))],
    ));
    assert_eq!((findings, access), (vec![], vec![]));
}

#[test]
fn a_domain_policy_the_engine_cannot_parse_never_yields_an_edge() {
    let (findings, access) = judge(&scan_of(
        domain("{not json", vec![association(C, V1)]),
        vec![api(&api_policy(&[V1]))],
    ));
    assert_eq!(access, vec![]);
    assert_eq!(checks_of(&findings), [checks::DOMAIN_ASSOCIATION_REFUSED]);
}

proptest! {
    /// An edge exists exactly where both policies name the endpoint, and
    /// every other association is a finding: nothing is silently dropped.
    #[test]
    fn edges_exactly_where_both_policies_admit(
        on_domain in proptest::sample::subsequence(vec![V1, V2], 0..=2),
        on_api in proptest::sample::subsequence(vec![V1, V2], 0..=2),
        associated in proptest::sample::subsequence(vec![V1, V2], 0..=2),
    ) {
        let domain_policy = if on_domain.is_empty() {
            only(EXECUTE, &["vpce-0000000000000000a"])
        } else {
            only(EXECUTE, &on_domain)
        };
        let api_policy = if on_api.is_empty() {
            api_policy(&["vpce-0000000000000000a"])
        } else {
            api_policy(&on_api)
        };
        let (findings, access) = judge(&scan_of(
            domain(&domain_policy, associated.iter().map(|v| association(C, v)).collect()),
            vec![api(&api_policy)],
        ));
        let expected: Vec<&str> = associated
            .iter()
            .copied()
            .filter(|v| on_domain.contains(v) && on_api.contains(v))
            .collect();
        let got: Vec<&str> = access.iter().map(|a| a.vpce_id.as_str()).collect();
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(findings.len() + access.len(), associated.len());
    }
}
