//! `doctor --domain`: a healthy private domain as AWS describes it (canned
//! D1's shape), and each broken piece named by exactly one failure.

use std::collections::BTreeMap;

use super::domain::{ConsumerEvidence, DomainEvidence};
use super::tests::{healthy, ok};
use super::{FailKind, Finding, Read, Snapshot, Status};
use crate::model::{
    AccessAssociation, AliasRecord, BasePathMapping, Certificate, DnsEntry, DomainName, Endpoint,
    HostedZone, RestApi, ShareInvitation, Stage, VpcDns,
};

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
            endpoint_access_mode: None,
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
        consumer: ok(consumer_side()),
    });
    s
}

const CONSUMER: &str = "222222222222";
const VPC: &str = "vpc-0a1b2c3d4e5f60718";
const REGIONAL: &str = "vpce-0aaa1111bbbb2222c-abcd1234.execute-api.us-east-1.vpce.amazonaws.com";
const VPCE_ZONE: &str = "Z7HUB22UULQXV";

/// The endpoint's account, with the domain shared, associated and named in its VPC.
fn consumer_side() -> ConsumerEvidence {
    let Read::Ok { value: mut e } = healthy().endpoint else {
        unreachable!()
    };
    e.id = V.into();
    e.vpc_id = VPC.into();
    e.dns_entries = vec![
        DnsEntry {
            dns_name: REGIONAL.into(),
            hosted_zone_id: VPCE_ZONE.into(),
        },
        DnsEntry {
            dns_name: REGIONAL.replace("-abcd1234.", "-abcd1234-us-east-1a."),
            hosted_zone_id: VPCE_ZONE.into(),
        },
    ];
    ConsumerEvidence {
        account: CONSUMER.into(),
        shared: ok(vec![DomainName {
            name: "private.example.com".into(),
            id: "abcd1234".into(),
            arn: ARN.into(),
            endpoint_types: Vec::new(),
            status: None,
            status_message: None,
            certificate_arn: None,
            security_policy: None,
            endpoint_access_mode: None,
            policy: None,
            management_policy: None,
            tags: BTreeMap::new(),
        }]),
        invitations: Read::not_asked("the domain is visible to this account"),
        endpoint: ok(e),
        vpc_dns: ok(VpcDns {
            support: true,
            hostnames: true,
        }),
        associations: ok(vec![association(ARN)]),
        zones: ok(vec![HostedZone {
            id: "Z0PRIVATE".into(),
            name: "private.example.com".into(),
        }]),
        records: ok(vec![AliasRecord {
            name: "private.example.com".into(),
            record_type: "A".into(),
            target: REGIONAL.into(),
            target_zone: VPCE_ZONE.into(),
        }]),
    }
}

fn association(domain_arn: &str) -> AccessAssociation {
    let name_id = domain_arn.rsplit("/domainnames/").next().unwrap();
    AccessAssociation {
        arn: format!(
            "arn:aws:apigateway:us-east-1:{CONSUMER}:/domainnameaccessassociations/domainname/{name_id}/vpcesource/{V}"
        ),
        domain_arn: domain_arn.into(),
        source: V.into(),
        source_type: "VPCE".into(),
        tags: BTreeMap::new(),
    }
}

fn consumer(s: &mut Snapshot) -> &mut ConsumerEvidence {
    match &mut evidence(s).consumer {
        Read::Ok { value } => value,
        _ => unreachable!(),
    }
}

fn endpoint(s: &mut Snapshot) -> &mut Endpoint {
    match &mut consumer(s).endpoint {
        Read::Ok { value } => value,
        _ => unreachable!(),
    }
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
        "domain.access-mode" => {
            domain(s).security_policy = Some("SecurityPolicy_TLS13_1_3_2025_09".into());
            domain(s).endpoint_access_mode = Some("STRICT".into());
        }
        "domain.vpce" => endpoint(s).state = "pending".into(),
        "domain.share" => {
            let c = consumer(s);
            c.shared = ok(Vec::new());
            c.invitations = ok(Vec::new());
        }
        "domain.association" => consumer(s).associations = ok(Vec::new()),
        "domain.name-clash" => {
            if let Read::Ok { value } = &mut consumer(s).associations {
                value.push(association(&ARN.replace("+abcd1234", "+other999")));
            }
        }
        "domain.dns" => consumer(s).records = ok(Vec::new()),
        "domain.endpoint-policy" => {
            endpoint(s).policy_document = Some(
                serde_json::json!({"Statement":[{"Effect":"Allow","Principal":"*",
                    "Action":"execute-api:Invoke","Resource":EXECUTE}]})
                .to_string(),
            );
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
            "domain.api-policy",
            "domain.access-mode",
            "domain.vpce",
            "domain.share",
            "domain.association",
            "domain.name-clash",
            "domain.dns",
            "domain.endpoint-policy",
        ]
    );
    for f in &findings {
        assert_eq!(f.status, Status::Pass, "{f:#?}");
    }
}

#[test]
fn each_broken_piece_is_exactly_one_failure_with_its_fix() {
    let associate = format!("xapi domain associate --domain {ARN} --vpce {V}");
    let share = format!("xapi domain share --domain {ARN} --account {CONSUMER}");
    let cases: [(&str, Option<&str>); 13] = [
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
        ("domain.vpce", None),
        ("domain.share", Some(&share)),
        ("domain.association", Some(&associate)),
        ("domain.name-clash", Some("delete-domain-name-access-association")),
        ("domain.dns", Some(&format!("{associate} --dns"))),
        ("domain.endpoint-policy", Some("--reset-policy")),
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

#[test]
fn strict_access_on_a_new_security_policy_warns_and_says_how_to_relax_it() {
    let mut s = healthy_domain();
    break_domain(&mut s, "domain.access-mode");
    let f = super::run(&s);
    let mode = f.iter().find(|f| f.check == "domain.access-mode").unwrap();
    assert_eq!(mode.status, Status::Warn, "{mode:#?}");
    assert!(mode.fix.as_deref().unwrap().contains("value=BASIC"));
    assert!(failures(&s).is_empty());
    // STRICT means nothing on the TLS_1_2 policy private domains start with.
    domain(&mut s).security_policy = Some("TLS_1_2".into());
    let f = super::run(&s);
    let mode = f.iter().find(|f| f.check == "domain.access-mode").unwrap();
    assert_eq!(mode.status, Status::Pass);
}

#[test]
fn the_share_check_says_accept_a_pending_invitation_and_share_again_after_expiry() {
    let invitation = |status: &str, sender: &str| ShareInvitation {
        arn: "arn:aws:ram:us-east-1:111111111111:resource-share-invitation/1e34".into(),
        share_arn: "arn:aws:ram:us-east-1:111111111111:resource-share/6f1d".into(),
        share_name: "xapi-s1-domain".into(),
        sender_account: sender.into(),
        receiver_account: CONSUMER.into(),
        status: status.into(),
    };
    let share_of = |invitations: Vec<ShareInvitation>| {
        let mut s = healthy_domain();
        consumer(&mut s).shared = ok(Vec::new());
        consumer(&mut s).invitations = ok(invitations);
        let f = super::run(&s);
        f.into_iter().find(|f| f.check == "domain.share").unwrap()
    };
    let pending = share_of(vec![invitation("PENDING", "111111111111")]);
    assert_eq!(pending.status, Status::Fail);
    assert!(pending.message.contains("not accepted"), "{pending:#?}");
    assert!(pending.fix.unwrap().ends_with("--accept-invitation"));
    let expired = share_of(vec![invitation("EXPIRED", "111111111111")]);
    assert!(
        expired.message.contains("expired after 12 hours"),
        "{expired:#?}"
    );
    assert!(expired.fix.unwrap().contains("xapi domain share"));
    // Another account's pending invitation is not the domain owner's.
    let stranger = share_of(vec![invitation("PENDING", "333333333333")]);
    assert!(stranger.message.contains("does not share"), "{stranger:#?}");
    assert!(stranger.fix.unwrap().contains("xapi domain share"));
}

#[test]
fn the_dns_check_follows_the_most_specific_zone_and_never_passes_a_foreign_target() {
    let mut s = healthy_domain();
    consumer(&mut s).zones = ok(vec![
        HostedZone {
            id: "Z0PARENT".into(),
            name: "example.com".into(),
        },
        HostedZone {
            id: "Z0PRIVATE".into(),
            name: "private.example.com".into(),
        },
        HostedZone {
            id: "Z0LOOKALIKE".into(),
            name: "e.example.com".into(),
        },
    ]);
    let dns = |s: &Snapshot| {
        super::run(s)
            .into_iter()
            .find(|f| f.check == "domain.dns")
            .unwrap()
    };
    let pass = dns(&s);
    assert_eq!(pass.status, Status::Pass, "{pass:#?}");
    assert!(pass.message.contains("Z0PRIVATE"));
    // A record aliased to somewhere else fails, and xapi says it will not re-point it.
    if let Read::Ok { value } = &mut consumer(&mut s).records {
        value[0].target = "evil.example.net".into();
    }
    let foreign = dns(&s);
    assert_eq!(foreign.status, Status::Fail);
    assert!(foreign.message.contains("evil.example.net"));
    assert!(foreign.fix.unwrap().contains("never re-points"));
    // The right name in the wrong zone (the endpoint's zone id differs) fails too.
    if let Read::Ok { value } = &mut consumer(&mut s).records {
        value[0].target = REGIONAL.into();
        value[0].target_zone = "ZOTHER".into();
    }
    assert_eq!(dns(&s).status, Status::Fail);
    // A dualstack endpoint also needs AAAA.
    if let Read::Ok { value } = &mut consumer(&mut s).records {
        value[0].target_zone = VPCE_ZONE.into();
    }
    endpoint(&mut s).ip_address_type = Some("dualstack".into());
    let aaaa = dns(&s);
    assert_eq!(aaaa.status, Status::Fail);
    assert!(aaaa.message.contains("no AAAA alias record"), "{aaaa:#?}");
}

#[test]
fn an_endpoint_policy_must_admit_the_domain_and_every_mapped_api() {
    let allow = |resources: Vec<String>| {
        let mut s = healthy_domain();
        endpoint(&mut s).policy_document = Some(
            serde_json::json!({"Statement":[{"Effect":"Allow","Principal":"*",
                "Action":"execute-api:Invoke","Resource":resources}]})
            .to_string(),
        );
        super::run(&s)
            .into_iter()
            .find(|f| f.check == "domain.endpoint-policy")
            .unwrap()
    };
    let api = format!("arn:aws:execute-api:us-east-1:111111111111:{API}/*");
    assert_eq!(
        allow(vec![EXECUTE.into(), api.clone()]).status,
        Status::Pass
    );
    let only_api = allow(vec![api]);
    assert_eq!(only_api.status, Status::Fail);
    assert!(only_api.message.contains("private.example.com+abcd1234"));
    let only_domain = allow(vec![EXECUTE.into()]);
    assert!(
        only_domain.message.contains(&format!("API {API}")),
        "{only_domain:#?}"
    );
}

#[test]
fn an_endpoint_in_the_owners_account_that_is_not_there_leaves_the_consumer_side_unchecked() {
    let mut s = healthy_domain();
    evidence(&mut s).consumer = Read::not_asked("not in the domain's account");
    let f = super::run(&s);
    let consumer: Vec<&Finding> = f
        .iter()
        .filter(|f| ["domain.vpce", "domain.share", "domain.dns"].contains(&f.check.as_str()))
        .collect();
    assert_eq!(consumer.len(), 3);
    assert!(consumer.iter().all(|f| f.status == Status::Skip));
    assert!(failures(&s).is_empty());
    // The endpoint's own account could not read it: that fails, it is the subject.
    consumer_side_failed(&mut s);
    let failed = failures(&s);
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].check, "domain.vpce");
}

fn consumer_side_failed(s: &mut Snapshot) {
    evidence(s).consumer = ok(consumer_side());
    consumer(s).endpoint = Read::Failed {
        kind: FailKind::NotFound,
        error: "InvalidVpcEndpointId.NotFound".into(),
        needs: "ec2:DescribeVpcEndpoints".into(),
        required: true,
    };
}
