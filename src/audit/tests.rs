use super::render::{self, GraphFormat};
use super::*;
use crate::model::{account_state, MethodAuth, StageExport, STACK_TAG};

const P: &str = "111111111111";
const C: &str = "222222222222";
const R: &str = "us-east-1";

fn standard(vpces: &[&str]) -> String {
    let ids: Vec<String> = vpces.iter().map(|s| s.to_string()).collect();
    PolicyDocument::standard(&ids).to_compact()
}

fn private(id: &str, policy: Option<&str>) -> ApiRecord {
    ApiRecord {
        id: id.into(),
        name: format!("{id}-name"),
        endpoint_types: vec!["PRIVATE".into()],
        vpc_endpoint_ids: vec![],
        policy: policy.map(str::to_owned),
        tags: BTreeMap::new(),
        stages: vec![StageRecord {
            name: "prod".into(),
            deployment_id: Some("d1".into()),
            deployment_description: None,
            export: None,
        }],
        methods: None,
    }
}

fn endpoint(id: &str, vpc: &str) -> EndpointRecord {
    EndpointRecord {
        id: id.into(),
        vpc_id: vpc.into(),
        owner_id: C.into(),
        state: "available".into(),
    }
}

fn scan(targets: Vec<Target>) -> Scan {
    let mut accounts: Vec<String> = targets.iter().map(|t| t.account.clone()).collect();
    accounts.sort();
    accounts.dedup();
    Scan {
        schema_version: SNAPSHOT_VERSION,
        accounts,
        org: false,
        excluded_accounts: vec![],
        excluded: vec![],
        targets,
        unreadable: vec![],
    }
}

fn target(
    account: &str,
    region: &str,
    apis: Vec<ApiRecord>,
    endpoints: Vec<EndpointRecord>,
) -> Target {
    Target {
        account: account.into(),
        region: region.into(),
        apis,
        endpoints,
        endpoints_read: true,
        domains: Vec::new(),
    }
}

fn checks_of(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.check.as_str()).collect()
}

#[test]
fn a_clean_fleet_has_no_findings_and_maps_each_grant() {
    let s = scan(vec![
        target(
            P,
            R,
            vec![private("api1", Some(&standard(&["vpce-1"])))],
            vec![],
        ),
        target(C, R, vec![], vec![endpoint("vpce-1", "vpc-1")]),
    ]);
    let (findings, access) = judge(&s);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(access.len(), 1);
    assert_eq!(
        (
            access[0].vpce_id.as_str(),
            access[0].api_id.as_str(),
            access[0].stages.clone()
        ),
        ("vpce-1", "api1", vec!["prod".to_owned()])
    );
}

#[test]
fn endpoints_only_reach_apis_in_their_own_region() {
    let open = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    let s = scan(vec![
        target(P, "eu-west-1", vec![private("api1", Some(open))], vec![]),
        target(C, R, vec![], vec![endpoint("vpce-1", "vpc-1")]),
    ]);
    let (findings, access) = judge(&s);
    assert!(access.is_empty());
    assert_eq!(
        checks_of(&findings),
        vec![checks::OPEN_TO_ANY, checks::ENDPOINT_UNUSED]
    );
}

#[test]
fn a_vpc_grant_admits_every_endpoint_of_that_vpc_by_evaluation() {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}"#;
    let s = scan(vec![
        target(P, R, vec![private("api1", Some(policy))], vec![]),
        target(
            C,
            R,
            vec![],
            vec![endpoint("vpce-1", "vpc-1"), endpoint("vpce-2", "vpc-2")],
        ),
    ]);
    let (findings, access) = judge(&s);
    assert_eq!(
        access
            .iter()
            .map(|a| a.vpce_id.as_str())
            .collect::<Vec<_>>(),
        vec!["vpce-1"]
    );
    assert_eq!(checks_of(&findings), vec![checks::ENDPOINT_UNUSED]);
    assert!(findings[0].resource.ends_with("vpc-endpoint/vpce-2"));
}

#[test]
fn a_deny_that_blocks_a_listed_endpoint_is_not_access() {
    // Listed in the Allow, denied by a second statement: strings say yes, evaluation says no.
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-2"}}}]}"#;
    let s = scan(vec![
        target(P, R, vec![private("api1", Some(policy))], vec![]),
        target(
            C,
            R,
            vec![],
            vec![endpoint("vpce-1", "vpc-1"), endpoint("vpce-2", "vpc-1")],
        ),
    ]);
    let (findings, access) = judge(&s);
    assert_eq!(
        access
            .iter()
            .map(|a| a.vpce_id.as_str())
            .collect::<Vec<_>>(),
        vec!["vpce-1"]
    );
    assert_eq!(checks_of(&findings), vec![checks::ENDPOINT_UNUSED]);
}

#[test]
fn stale_grants_need_a_live_endpoint_in_the_same_region() {
    let mut gone = endpoint("vpce-gone", "vpc-1");
    gone.state = "deleted".into();
    let s = scan(vec![
        target(
            P,
            R,
            vec![private(
                "api1",
                Some(&standard(&[
                    "vpce-gone",
                    "vpce-west",
                    "vpce-live",
                    "vpce-*",
                ])),
            )],
            vec![],
        ),
        target(C, R, vec![], vec![gone, endpoint("vpce-live", "vpc-1")]),
        target(C, "us-west-2", vec![], vec![endpoint("vpce-west", "vpc-9")]),
    ]);
    let (findings, _) = judge(&s);
    let missing: Vec<&str> = findings
        .iter()
        .filter(|f| f.check == checks::GRANT_MISSING)
        .map(|f| f.message.split_whitespace().nth(3).unwrap_or(""))
        .collect();
    // The wildcard is a pattern, not a grant to a missing endpoint.
    assert_eq!(missing, vec!["vpce-gone,", "vpce-west,"], "{findings:#?}");
}

#[test]
fn org_scans_call_a_missing_endpoint_stale_or_foreign() {
    let mut s = scan(vec![target(
        P,
        R,
        vec![private("api1", Some(&standard(&["vpce-x"])))],
        vec![],
    )]);
    s.org = true;
    let (findings, _) = judge(&s);
    assert_eq!(checks_of(&findings), vec![checks::GRANT_MISSING]);
    assert!(
        findings[0].message.contains("outside the organization"),
        "{}",
        findings[0].message
    );
}

#[test]
fn markers_decide_whether_a_stage_serves_the_current_policy() {
    let policy = standard(&["vpce-1"]);
    let api_ref = ApiRef {
        region: R.into(),
        account: P.into(),
        api_id: "api1".into(),
    };
    let current = PolicyDocument::parse(&policy)
        .unwrap()
        .canonical_sha256(&api_ref);
    let mut api = private("api1", Some(&policy));
    api.stages = vec![
        StageRecord {
            name: "current".into(),
            deployment_id: Some("d1".into()),
            deployment_description: Some(format!("xapi policy-sha256={current}")),
            export: None,
        },
        StageRecord {
            name: "old".into(),
            deployment_id: Some("d0".into()),
            deployment_description: Some("xapi policy-sha256=0123456789abcdef".into()),
            export: None,
        },
        StageRecord {
            name: "foreign".into(),
            deployment_id: Some("d2".into()),
            deployment_description: Some("deployed by the pipeline".into()),
            export: None,
        },
    ];
    let s = scan(vec![
        target(P, R, vec![api], vec![]),
        target(C, R, vec![], vec![endpoint("vpce-1", "vpc-1")]),
    ]);
    let (findings, _) = judge(&s);
    assert_eq!(checks_of(&findings), vec![checks::NOT_DEPLOYED]);
    assert!(findings[0].resource.ends_with("/restapis/api1/stages/old"));
    assert!(findings[0].fix.as_deref().unwrap().contains(&current));
}

#[test]
fn without_a_marker_the_stage_export_decides() {
    let policy = standard(&["vpce-1"]);
    // AWS's export: the policy as an object, execute-api:/* expanded to the ARN.
    let exported = |vpce: &str| {
        let arn = format!("arn:aws:execute-api:{R}:{P}:api1/*");
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn},
                {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn,
                 "Condition": {"StringNotEquals": {"aws:SourceVpce": [vpce]}}}
            ]
        })
        .to_string()
    };
    let stage =
        |name: &str, description: Option<String>, export: Option<Option<String>>| StageRecord {
            name: name.into(),
            deployment_id: Some(format!("d-{name}")),
            deployment_description: description,
            export: export.map(|policy| StageExport { policy }),
        };
    let current = PolicyDocument::parse(&policy)
        .unwrap()
        .canonical_sha256(&ApiRef {
            region: R.into(),
            account: P.into(),
            api_id: "api1".into(),
        });
    let mut api = private("api1", Some(&policy));
    api.stages = vec![
        stage("current", None, Some(Some(exported("vpce-1")))),
        stage("old", None, Some(Some(exported("vpce-0")))),
        stage("none", None, Some(None)),
        stage("unread", None, None),
        stage("garbled", None, Some(Some("not a policy".into()))),
        // The marker wins over the export: xapi made that deployment.
        stage(
            "marked",
            Some(format!("xapi policy-sha256={current}")),
            Some(Some(exported("vpce-0"))),
        ),
    ];
    let s = scan(vec![
        target(P, R, vec![api.clone()], vec![]),
        target(C, R, vec![], vec![endpoint("vpce-1", "vpc-1")]),
    ]);
    let (findings, _) = judge(&s);
    assert_eq!(
        checks_of(&findings),
        vec![checks::NOT_DEPLOYED],
        "{findings:#?}"
    );
    assert!(findings[0].resource.ends_with("/restapis/api1/stages/old"));
    assert!(
        findings[0].message.contains("export"),
        "{}",
        findings[0].message
    );
    assert!(findings[0].fix.as_deref().unwrap().contains(&current));

    // Which stages a scan reads the export of: no marker, a deployment, a policy.
    let wanted: Vec<&str> = api
        .stages
        .iter()
        .filter(|st| export_wanted(&api, st))
        .map(|st| st.name.as_str())
        .collect();
    assert_eq!(wanted, ["current", "old", "none", "unread", "garbled"]);
    let undeployed = StageRecord {
        deployment_id: None,
        ..stage("x", None, None)
    };
    assert!(!export_wanted(&api, &undeployed));
    assert!(!export_wanted(
        &private("api2", None),
        &stage("x", None, None)
    ));
}

#[test]
fn a_snapshot_without_stage_exports_still_loads() {
    let text = r#"{"schema_version":1,"accounts":["111111111111"],"org":false,"targets":[{"account":"111111111111","region":"us-east-1","apis":[{"id":"api1","name":"n","endpoint_types":["PRIVATE"],"vpc_endpoint_ids":[],"policy":null,"tags":{},"stages":[{"name":"prod","deployment_id":"d1","deployment_description":null}],"methods":null}],"endpoints":[]}],"unreadable":[]}"#;
    let s: Scan = serde_json::from_str(text).unwrap();
    assert_eq!(s.targets[0].apis[0].stages[0].export, None);
}

/// `Allow *` beside a Deny of one address: open to every other address.
const ONE_IP_DENIED: &str = r#"{"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
    {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
     "Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#;

/// `Allow *` beside a Deny of every address but one: closed to the internet.
const ONE_IP_ADMITTED: &str = r#"{"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
    {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
     "Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}]}"#;

#[test]
fn front_doors_are_open_without_authorization_unless_the_policy_keeps_the_internet_out() {
    let front = |id: &str, auth: &str, key: bool, policy: Option<&str>, tagged: bool| ApiRecord {
        id: id.into(),
        name: id.into(),
        endpoint_types: vec!["REGIONAL".into()],
        vpc_endpoint_ids: vec![],
        policy: policy.map(str::to_owned),
        tags: if tagged {
            [(STACK_TAG.to_owned(), "shop".to_owned())].into()
        } else {
            BTreeMap::new()
        },
        stages: vec![],
        methods: Some(vec![MethodAuth {
            path: "/".into(),
            method: "ANY".into(),
            authorization_type: auth.into(),
            api_key_required: key,
        }]),
    };
    let s = scan(vec![target(
        P,
        R,
        vec![
            front("open", "NONE", false, None, true),
            front("iam", "AWS_IAM", false, None, true),
            front("keyed", "NONE", true, None, true),
            front("policed", "NONE", false, Some("{\"Statement\":[]}"), true),
            front("untagged", "NONE", false, None, false),
            front("one-ip-denied", "NONE", false, Some(ONE_IP_DENIED), true),
            front(
                "one-ip-admitted",
                "NONE",
                false,
                Some(ONE_IP_ADMITTED),
                true,
            ),
        ],
        vec![],
    )]);
    let (findings, _) = judge(&s);
    assert_eq!(
        checks_of(&findings),
        vec![checks::FRONT_OPEN, checks::FRONT_OPEN]
    );
    let open: Vec<&Finding> = findings.iter().collect();
    assert!(open[0].resource.ends_with("/restapis/one-ip-denied"));
    assert!(
        open[0].message.contains("admits an anonymous request from"),
        "{}",
        open[0].message
    );
    assert!(open[1].resource.ends_with("/restapis/open"));
    assert!(open[1].message.contains("ANY /") && open[1].message.contains("no resource policy"));
}

#[test]
fn unreadable_accounts_and_unevaluable_policies_are_high() {
    let mut s = scan(vec![target(
        P,
        R,
        vec![private("api1", Some("not json"))],
        vec![],
    )]);
    s.unreadable.push(Unreadable {
        account: C.into(),
        region: None,
        resource: format!("arn:aws:iam::{C}:role/audit"),
        error: "AccessDenied".into(),
        needs: "sts:AssumeRole".into(),
    });
    let (findings, _) = judge(&s);
    assert_eq!(
        checks_of(&findings),
        vec![checks::UNREADABLE, checks::UNREADABLE]
    );
    assert!(findings.iter().all(|f| f.severity == Severity::High));
    assert!(fails(&findings, Severity::High));
}

#[test]
fn severity_thresholds() {
    let s = scan(vec![target(P, R, vec![private("api1", None)], vec![])]);
    let (findings, _) = judge(&s);
    assert_eq!(findings[0].severity, Severity::Medium);
    assert!(!fails(&findings, Severity::High));
    assert!(fails(&findings, Severity::Medium));
    assert!(fails(&findings, Severity::Low));
    assert!(!fails(&[], Severity::Low));
}

#[test]
fn csv_quotes_what_needs_quoting() {
    let f = Finding {
        check: checks::NO_POLICY.into(),
        severity: Severity::Medium,
        account: P.into(),
        region: None,
        resource: "arn:x".into(),
        message: "a, \"quoted\"\nline".into(),
        fix: None,
    };
    assert_eq!(
        render::csv(&[f]),
        "check,severity,account,region,resource,message,fix\r\naudit.no-policy,medium,111111111111,,arn:x,\"a, \"\"quoted\"\"\nline\",\r\n"
    );
}

#[test]
fn graphs_draw_each_access_once() {
    let s = scan(vec![
        target(
            P,
            R,
            vec![private("api1", Some(&standard(&["vpce-1", "vpce-2"])))],
            vec![],
        ),
        target(
            C,
            R,
            vec![],
            vec![endpoint("vpce-1", "vpc-1"), endpoint("vpce-2", "vpc-1")],
        ),
    ]);
    let (_, access) = judge(&s);
    let dot = render::graph_text(GraphFormat::Dot, &access);
    assert!(
        dot.contains("\"vpce-1\" -> \"api1\";") && dot.contains("\"vpce-2\" -> \"api1\";"),
        "{dot}"
    );
    assert_eq!(dot.matches("cluster_vpc-1").count(), 1, "{dot}");
    let mmd = render::graph_text(GraphFormat::Mermaid, &access);
    assert!(
        mmd.contains("vpce_1 --> api_api1") && mmd.contains("vpce_2 --> api_api1"),
        "{mmd}"
    );
    assert_eq!(
        GraphFormat::from_extension("MMD"),
        Some(GraphFormat::Mermaid)
    );
    assert_eq!(GraphFormat::from_extension("gv"), Some(GraphFormat::Dot));
    assert_eq!(GraphFormat::from_extension("png"), None);
}

#[test]
fn a_snapshot_round_trips_to_the_same_judgement() {
    let s = scan(vec![
        target(
            P,
            R,
            vec![private("api1", Some(&standard(&["vpce-1", "vpce-9"])))],
            vec![],
        ),
        target(C, R, vec![], vec![endpoint("vpce-1", "vpc-1")]),
    ]);
    let text = serde_json::to_string(&s).unwrap();
    let back: Scan = serde_json::from_str(&text).unwrap();
    assert_eq!(back, s);
    assert_eq!(judge(&back), judge(&s));
    let report = Report::new(back, None);
    assert_eq!(report.summary.medium, 1);
    assert_eq!(report.summary.private_apis, 1);
}

/// The shortcut for endpoints a policy never names must agree with evaluating each one.
#[test]
fn one_evaluation_for_unnamed_endpoints_agrees_with_evaluating_each() {
    let policies = [
        standard(&["vpce-1", "vpce-2"]),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#.to_owned(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-2"}}}]}"#.to_owned(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringLike":{"aws:SourceVpce":"vpce-1*"}}}]}"#.to_owned(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-2"}}}]}"#.to_owned(),
    ];
    let endpoints: Vec<EndpointRecord> = [
        ("vpce-1", "vpc-1"),
        ("vpce-2", "vpc-1"),
        ("vpce-10", "vpc-2"),
        ("vpce-3", "vpc-3"),
        ("vpce-4", "vpc-3"),
    ]
    .iter()
    .map(|(e, v)| endpoint(e, v))
    .collect();
    for (i, p) in policies.iter().enumerate() {
        let t = target(P, R, vec![private("api1", Some(p))], vec![]);
        let Ok(Some(e)) = evaluate(&t, &t.apis[0]) else {
            panic!("policy {i} evaluates")
        };
        for ep in &endpoints {
            let exact = policy::admits_vpce(&e.doc, &e.api_ref, &ep.id, Some(&ep.vpc_id)).unwrap();
            assert_eq!(e.admits(ep), exact, "policy {i}, {}", ep.id);
        }
    }
}

#[test]
fn a_missing_grant_names_the_accounts_whose_endpoints_were_not_read() {
    let mut s = scan(vec![
        target(
            P,
            R,
            vec![private("api1", Some(&standard(&["vpce-x"])))],
            vec![],
        ),
        target(C, R, vec![], vec![]),
    ]);
    s.targets[1].endpoints_read = false;
    s.accounts.push("333333333333".into());
    let (findings, _) = judge(&s);
    assert_eq!(checks_of(&findings), vec![checks::GRANT_MISSING]);
    let m = &findings[0].message;
    assert!(m.contains(&format!("scanned accounts ({P})")), "{m}");
    assert!(
        m.contains(&format!("endpoints of {C}, 333333333333 could not be read")),
        "{m}"
    );
}

fn org_account(id: &str, state: Option<&str>) -> OrgAccount {
    OrgAccount {
        id: id.into(),
        name: format!("name-{id}"),
        state: state.map(str::to_owned),
    }
}

#[test]
fn state_wins_over_the_retired_status_which_stands_in_only_when_state_is_absent() {
    assert_eq!(
        account_state(Some("SUSPENDED"), Some("ACTIVE")).as_deref(),
        Some("SUSPENDED")
    );
    assert_eq!(
        account_state(Some("ACTIVE"), Some("SUSPENDED")).as_deref(),
        Some("ACTIVE")
    );
    assert_eq!(
        account_state(None, Some("Active")).as_deref(),
        Some("ACTIVE")
    );
    assert_eq!(
        account_state(Some("PENDING_CLOSURE"), None).as_deref(),
        Some("PENDING_CLOSURE")
    );
    assert_eq!(account_state(Some(" "), None), None);
    assert_eq!(account_state(None, None), None);
}

#[test]
fn every_org_account_is_either_scanned_or_listed_with_its_reason() {
    let accounts = vec![
        org_account("555555555555", Some("CLOSED")),
        org_account("111111111111", Some("ACTIVE")),
        org_account("222222222222", Some("SUSPENDED")),
        org_account("333333333333", Some("ACTIVE")),
        org_account("444444444444", None),
        org_account("666666666666", Some("PENDING_ACTIVATION")),
    ];
    let ids: BTreeSet<String> = accounts.iter().map(|a| a.id.clone()).collect();
    let (scan, left_out) = org_scope(accounts, &["333333333333".to_owned()]);
    assert_eq!(scan, ["111111111111", "444444444444"]);
    let reasons: Vec<(&str, &str)> = left_out
        .iter()
        .map(|e| (e.account.as_str(), e.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                "222222222222",
                "SUSPENDED in AWS Organizations: only ACTIVE accounts are scanned"
            ),
            ("333333333333", "excluded with --exclude-account"),
            (
                "555555555555",
                "CLOSED in AWS Organizations: only ACTIVE accounts are scanned"
            ),
            (
                "666666666666",
                "PENDING_ACTIVATION in AWS Organizations: only ACTIVE accounts are scanned"
            ),
        ]
    );
    assert_eq!(left_out[1].state.as_deref(), Some("ACTIVE"));
    assert_eq!(left_out[0].name, "name-222222222222");
    // Nothing falls through the cracks: scanned and left out are the whole organization.
    let covered: BTreeSet<String> = scan
        .iter()
        .cloned()
        .chain(left_out.iter().map(|e| e.account.clone()))
        .collect();
    assert_eq!(covered, ids);
}

proptest::proptest! {
    /// For any organization and any exclusions: every account is scanned or
    /// listed (never both, never neither), and only ACTIVE or stateless
    /// accounts not excluded are scanned.
    #[test]
    fn org_scope_partitions_the_organization(
        members in proptest::collection::vec(
            (0u8..20, proptest::option::of(proptest::sample::select(vec![
                "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED", "PENDING_ACTIVATION",
            ]))),
            0..20,
        ),
        exclude in proptest::collection::vec(0u8..20, 0..5),
    ) {
        let id = |n: u8| format!("{:012}", n);
        let mut seen = BTreeSet::new();
        let accounts: Vec<OrgAccount> = members
            .iter()
            .filter(|(n, _)| seen.insert(*n))
            .map(|(n, st)| org_account(&id(*n), *st))
            .collect();
        let exclude: Vec<String> = exclude.into_iter().map(id).collect();
        let (scan, left_out) = org_scope(accounts.clone(), &exclude);
        for a in &accounts {
            let scanned = scan.contains(&a.id);
            let listed = left_out.iter().any(|e| e.account == a.id);
            proptest::prop_assert!(scanned != listed, "{:?}", a);
            let eligible = !exclude.contains(&a.id)
                && matches!(a.state.as_deref(), None | Some("ACTIVE"));
            proptest::prop_assert_eq!(scanned, eligible, "{:?}", a);
        }
        proptest::prop_assert_eq!(scan.len() + left_out.len(), accounts.len());
    }
}

#[test]
fn a_scan_that_read_no_account_says_why_and_one_that_read_any_does_not() {
    // Every account of the organization suspended: nothing tried, all listed.
    let (ids, excluded) = org_scope(
        vec![
            org_account("111111111111", Some("SUSPENDED")),
            org_account("222222222222", Some("SUSPENDED")),
        ],
        &[],
    );
    let mut s = scan(vec![]);
    s.org = true;
    s.accounts = ids;
    s.excluded = excluded;
    let why = nothing_scanned(&s).expect("nothing was scanned");
    assert!(why.contains("audit scanned no account"), "{why}");
    assert!(
        why.contains("111111111111 (SUSPENDED), 222222222222 (SUSPENDED)"),
        "{why}"
    );
    // Every AssumeRole refused: tried, none read.
    let mut s = scan(vec![]);
    s.accounts = vec!["111111111111".into(), "222222222222".into()];
    s.unreadable = vec![Unreadable {
        account: "111111111111".into(),
        region: None,
        resource: "arn:aws:iam::111111111111:role/r".into(),
        error: "AccessDenied".into(),
        needs: "sts:AssumeRole".into(),
    }];
    let why = nothing_scanned(&s).unwrap();
    assert!(why.contains("none of the 2 accounts"), "{why}");
    // An empty organization.
    let mut s = scan(vec![]);
    s.org = true;
    assert!(nothing_scanned(&s)
        .unwrap()
        .contains("the organization listed no account"));
    // One region of one account read is a scan, findings or not.
    let s = scan(vec![target(P, "us-east-1", vec![], vec![])]);
    assert_eq!(nothing_scanned(&s), None);
}

#[test]
fn the_table_and_the_stderr_line_name_every_account_left_out() {
    let (_, excluded) = org_scope(
        vec![
            org_account(P, Some("ACTIVE")),
            org_account(C, Some("SUSPENDED")),
        ],
        &[P.to_owned()],
    );
    let mut s = scan(vec![]);
    s.org = true;
    s.excluded = excluded;
    let table = render::table(
        &Report::new(s.clone(), None),
        &crate::output::Style { color: false },
    );
    assert!(table.contains("not scanned"), "{table}");
    for (account, says) in [(P, "--exclude-account"), (C, "SUSPENDED")] {
        let row = table
            .lines()
            .find(|l| l.contains(account) && l.contains(says))
            .unwrap_or_else(|| panic!("no row for {account}:\n{table}"));
        assert!(row.contains(&format!("name-{account}")), "{row}");
    }
    let line = render::excluded_line(&s.excluded).unwrap();
    assert_eq!(line.lines().count(), 1);
    assert!(
        line.contains(&format!("{P} (excluded with --exclude-account)"))
            && line.contains(&format!("{C} (SUSPENDED in AWS Organizations")),
        "{line}"
    );
    assert_eq!(render::excluded_line(&[]), None);
}
