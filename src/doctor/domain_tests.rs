//! `doctor --domain`: a healthy private domain as AWS describes it (canned
//! D1's shape), and each broken piece named by exactly one failure.

use std::collections::BTreeMap;

use super::domain::DomainEvidence;
use super::tests::{healthy, ok};
use super::{FailKind, Finding, Read, Snapshot, Status};
use crate::model::{BasePathMapping, Certificate, DomainName, RestApi, Stage};

const ARN: &str =
    "arn:aws:apigateway:us-east-1:111111111111:/domainnames/private.example.com+abcd1234";
const EXECUTE: &str =
    "arn:aws:execute-api:us-east-1:111111111111:/domainnames/private.example.com+abcd1234";
const CERT: &str = "arn:aws:acm:us-east-1:111111111111:certificate/0e6f";
const V: &str = "vpce-0aaa1111bbbb2222c";
const API: &str = "a1b2c3d4e5";
const TAKEN: i64 = 1_780_000_000;

fn standard(resource: &str, vpce: &str) -> String {
    serde_json::json!({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":resource},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":resource,
         "Condition":{"StringNotEquals":{"aws:SourceVpce":vpce}}}]})
    .to_string()
}

pub(super) fn healthy_domain() -> Snapshot {
    let mut s = healthy();
    s.taken_at = Some(TAKEN);
    s.domain = ok(DomainEvidence {
        arn: ARN.into(),
        domain: ok(DomainName {
            name: "private.example.com".into(),
            id: "abcd1234".into(),
            arn: ARN.into(),
            endpoint_types: vec!["PRIVATE".into()],
            status: Some("AVAILABLE".into()),
            status_message: None,
            certificate_arn: Some(CERT.into()),
            security_policy: Some("TLS_1_2".into()),
            policy: Some(standard(EXECUTE, V)),
            management_policy: None,
            tags: [("xapi:stack".to_owned(), "s1".to_owned())].into(),
        }),
        certificate: ok(Certificate {
            arn: CERT.into(),
            status: "ISSUED".into(),
            domain_name: "private.example.com".into(),
            subject_alternative_names: vec!["private.example.com".into()],
            key_algorithm: "RSA_2048".into(),
            not_after: Some(TAKEN + 365 * 24 * 3600),
        }),
        mappings: ok(vec![BasePathMapping {
            base_path: "orders".into(),
            api_id: API.into(),
            stage: "prod".into(),
        }]),
        apis: [(
            API.to_owned(),
            ok(RestApi {
                id: API.into(),
                name: "orders".into(),
                endpoint_types: vec!["PRIVATE".into()],
                vpc_endpoint_ids: Vec::new(),
                policy: Some(standard("execute-api:/*", V)),
                tags: BTreeMap::new(),
            }),
        )]
        .into(),
        stages: [(
            API.to_owned(),
            ok(vec![Stage {
                name: "prod".into(),
                deployment_id: Some("d1".into()),
            }]),
        )]
        .into(),
        vpce: Some(V.into()),
    });
    s
}

fn evidence(s: &mut Snapshot) -> &mut DomainEvidence {
    match &mut s.domain {
        Read::Ok { value } => value,
        _ => unreachable!(),
    }
}

fn domain(s: &mut Snapshot) -> &mut DomainName {
    match &mut evidence(s).domain {
        Read::Ok { value } => value,
        _ => unreachable!(),
    }
}

/// Break the piece a check stands for; used by the catalogue's tests too.
pub(super) fn break_domain(s: &mut Snapshot, id: &str) {
    match id {
        "domain.exists" => {
            evidence(s).domain = Read::Failed {
                kind: FailKind::NotFound,
                error: "NotFoundException: Invalid domain name identifier specified".into(),
                needs: "apigateway:GET".into(),
                required: true,
            };
        }
        "domain.private" => domain(s).endpoint_types = vec!["REGIONAL".into()],
        "domain.status" => {
            domain(s).status = Some("FAILED".into());
            domain(s).status_message = Some("certificate not found".into());
        }
        "domain.cert" => {
            if let Read::Ok { value } = &mut evidence(s).certificate {
                value.subject_alternative_names = vec!["other.example.com".into()];
                value.domain_name = "other.example.com".into();
            }
        }
        "domain.mapping" => evidence(s).mappings = ok(Vec::new()),
        "domain.policy" => domain(s).policy = Some(standard(EXECUTE, "vpce-0ccc1111bbbb2222c")),
        "domain.api-policy" => {
            if let Some(Read::Ok { value }) = evidence(s).apis.get_mut(API) {
                value.policy = Some(standard("execute-api:/*", "vpce-0ccc1111bbbb2222c"));
            }
        }
        other => panic!("no way to break {other}"),
    }
}

fn failures(s: &Snapshot) -> Vec<Finding> {
    super::run(s)
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .collect()
}

#[test]
fn a_healthy_domain_passes_every_check() {
    let findings = super::run(&healthy_domain());
    let ids: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
    assert_eq!(
        ids,
        [
            "domain.exists",
            "domain.private",
            "domain.status",
            "domain.cert",
            "domain.mapping",
            "domain.policy",
            "domain.api-policy"
        ]
    );
    for f in &findings {
        assert_eq!(f.status, Status::Pass, "{f:#?}");
    }
}

#[test]
fn each_broken_piece_is_exactly_one_failure_with_its_fix() {
    let cases: [(&str, Option<&str>); 7] = [
        ("domain.exists", Some("get-domain-names --resource-owner SELF")),
        ("domain.private", Some("xapi domain create --name private.example.com")),
        ("domain.status", Some("xapi domain create --name private.example.com")),
        ("domain.cert", Some("import or request a certificate")),
        (
            "domain.mapping",
            Some("xapi domain create --name private.example.com --certificate-arn arn:aws:acm:us-east-1:111111111111:certificate/0e6f --stack s1 --api-id API_ID --stage STAGE"),
        ),
        (
            "domain.policy",
            Some("xapi grant-vpce --domain arn:aws:apigateway:us-east-1:111111111111:/domainnames/private.example.com+abcd1234 --vpce vpce-0aaa1111bbbb2222c"),
        ),
        (
            "domain.api-policy",
            Some("xapi grant-vpce --api-id a1b2c3d4e5 --vpce vpce-0aaa1111bbbb2222c"),
        ),
    ];
    for (id, fix) in cases {
        let mut s = healthy_domain();
        break_domain(&mut s, id);
        let failed = failures(&s);
        assert_eq!(failed.len(), 1, "breaking {id}: {failed:#?}");
        assert_eq!(failed[0].check, id);
        match fix {
            Some(fix) => assert!(
                failed[0].fix.as_deref().is_some_and(|f| f.contains(fix)),
                "{id}: {:#?}",
                failed[0]
            ),
            None => assert_eq!(failed[0].fix, None),
        }
    }
}

#[test]
fn the_read_back_and_the_written_forms_of_the_domain_policy_both_pass() {
    let mut s = healthy_domain();
    domain(&mut s).policy = Some(standard("execute-api:/*", V));
    assert!(failures(&s).is_empty());
}

#[test]
fn a_pending_domain_and_an_expiring_certificate_warn() {
    let mut s = healthy_domain();
    domain(&mut s).status = Some("PENDING".into());
    if let Read::Ok { value } = &mut evidence(&mut s).certificate {
        value.not_after = Some(TAKEN + 10 * 24 * 3600);
    }
    let f = super::run(&s);
    let warned: Vec<&str> = f
        .iter()
        .filter(|f| f.status == Status::Warn)
        .map(|f| f.check.as_str())
        .collect();
    assert_eq!(warned, ["domain.status", "domain.cert"]);
}

#[test]
fn without_an_endpoint_the_policy_is_judged_open_or_not() {
    let mut s = healthy_domain();
    evidence(&mut s).vpce = None;
    let f = super::run(&s);
    let of = |id: &str| f.iter().find(|x| x.check == id).unwrap().clone();
    assert_eq!(of("domain.policy").status, Status::Pass);
    assert!(of("domain.policy").message.contains(V));
    assert_eq!(of("domain.api-policy").status, Status::Skip);
    let open = serde_json::json!({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":EXECUTE}]})
    .to_string();
    domain(&mut s).policy = Some(open);
    let f = super::run(&s);
    let p = f.iter().find(|x| x.check == "domain.policy").unwrap();
    assert_eq!(p.status, Status::Warn);
    assert!(p.message.contains("any VPC endpoint"));
}

#[test]
fn a_domain_with_no_policy_denies_everyone_and_says_so() {
    let mut s = healthy_domain();
    domain(&mut s).policy = None;
    let failed = failures(&s);
    assert_eq!(failed.len(), 1);
    assert!(failed[0].message.contains("denies every call"));
}
