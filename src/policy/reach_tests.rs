//! The bounded reachability search against brute force, its budget path and its reuse of
//! work. The older properties in `tests.rs` check it against the evaluator on the
//! documented policy shapes; these use dense wildcard resources, where the search is hard.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::eval::decide;
use super::model::{analyze, glob};
use super::reach::{fresh_ids, Reach};
use super::search::Outcome;
use super::*;

const A: &str = "vpce-aaaaaaaa";
const B: &str = "vpce-bbbbbbbb";
const D: &str = "vpce-dddddddd";
const CALLER: &str = "arn:aws:iam::444455556666:root";

fn api() -> ApiRef {
    ApiRef {
        region: "us-east-1".into(),
        account: "111122223333".into(),
        api_id: "abc123defg".into(),
    }
}

fn doc(stmts: Vec<Value>) -> PolicyDocument {
    PolicyDocument::parse(&json!({"Version":"2012-10-17","Statement":stmts}).to_string()).unwrap()
}

fn request(vpce: Option<&str>, resource: String) -> Request {
    Request {
        source_vpce: vpce.map(str::to_string),
        source_vpc: None,
        resource,
        action: "execute-api:Invoke".into(),
        ..Default::default()
    }
}

/// Every string over `alphabet` of at most `max` characters.
fn strings(alphabet: &[char], max: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..max {
        last = last
            .iter()
            .flat_map(|s| {
                alphabet.iter().map(move |c| {
                    let mut t = s.clone();
                    t.push(*c);
                    t
                })
            })
            .collect();
        out.extend(last.iter().cloned());
    }
    out
}

/// `<stage>/<method>/<path>` with non-empty stage and method, as the search reads it:
/// the requests it ranges over.
fn realistic(suffix: &str) -> bool {
    glob("?*/?*/*", suffix)
}

fn pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[ab/*?]{0,5}".prop_map(|p| format!("execute-api:/{p}")),
        1 => Just("*".to_string()),
        1 => "[ab*]{0,3}".prop_map(|p| format!("arn:aws:execute-api:us-east-1:111122223333:abc123defg/{p}")),
        1 => Just("arn:aws:execute-api:us-east-1:111122223333:otherapi/*".to_string()),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.45),
        prop::bool::weighted(0.2),
        prop::collection::vec(pattern(), 1..=4),
        0..4usize,
        prop::bool::weighted(0.8),
    )
        .prop_map(|(allow, not_resource, patterns, cond, anyone)| {
            let mut s = json!({
                "Effect": if allow { "Allow" } else { "Deny" },
                "Principal": if anyone { json!("*") } else { json!({"AWS": CALLER}) },
                "Action": "execute-api:Invoke",
            });
            s[if not_resource {
                "NotResource"
            } else {
                "Resource"
            }] = json!(patterns);
            let condition = match cond {
                1 => Some(json!({"StringNotEquals": {"aws:SourceVpce": A}})),
                2 => Some(json!({"StringEquals": {"aws:SourceVpce": [A, B]}})),
                3 => Some(json!({"StringNotLike": {"aws:SourceVpce": "vpce-b*"}})),
                _ => None,
            };
            if let Some(c) = condition {
                s["Condition"] = c;
            }
            s
        })
}

fn policy_value() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(statement(), 1..=5)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("POLICY_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Answers agree with brute force over every request of up to 6 characters after the
    /// API's ARN (over `a`, `b`, `/` and a character no pattern names): a witness is
    /// allowed, and "allowed nowhere" means none of those requests is. Small policies must
    /// be answered exactly.
    #[test]
    fn search_matches_brute_force(stmts in policy_value()) {
        let d = doc(stmts);
        let p = analyze(d.as_value(), &api()).unwrap();
        let prefix = format!("{}/", api().arn_prefix());
        let universe: Vec<String> = strings(&['a', 'b', '/', 'x'], 6)
            .into_iter()
            .filter(|s| realistic(s))
            .map(|s| format!("{prefix}{s}"))
            .collect();
        let mut reach = Reach::new(&p, &api());
        for vpce in [None, Some(A), Some(B)] {
            for caller in [None, Some(CALLER)] {
                let brute = || universe
                    .iter()
                    .find(|r| decide(&p, &api(), &request(vpce, (*r).clone()), caller) == Decision::Allow);
                match reach.query(vpce, None, caller) {
                    Outcome::Allowed(w) => {
                        prop_assert!(w.starts_with(&prefix) && realistic(&w[prefix.len()..]), "{}", w);
                        prop_assert_eq!(decide(&p, &api(), &request(vpce, w.clone()), caller), Decision::Allow, "{}", w);
                    }
                    Outcome::Denied => {
                        let found = brute();
                        prop_assert!(found.is_none(), "search says denied, {:?} is allowed", found);
                    }
                    Outcome::Unknown => prop_assert!(false, "small policy over budget:\n{}", d.to_pretty()),
                }
            }
        }
    }

    /// Past its budget, the answer is the safe one and says so: never "not admitted" for
    /// an endpoint brute force admits, and unflagged answers equal the exact ones.
    #[test]
    fn budget_answers_are_safe_and_flagged(stmts in policy_value(), budget in 0u64..400) {
        let d = doc(stmts);
        let p = analyze(d.as_value(), &api()).unwrap();
        let (_, _, vpc) = fresh_ids(&d.to_compact());
        let vpcs = [None, Some(vpc.as_str())];
        let mut exact = Reach::new(&p, &api());
        let mut tight = Reach::with_budget(&p, &api(), budget, budget * 3);
        for vpce in [A, B, "vpce-cccccccc"] {
            let e = exact.admitted(vpce, &vpcs, false);
            prop_assert!(!e.approximated);
            let t = tight.admitted(vpce, &vpcs, false);
            if t.approximated {
                prop_assert!(t.yes, "approximated answers are 'admitted'");
            } else {
                prop_assert_eq!(t.yes, e.yes);
            }
        }
        let e = exact.open_to_any(&d.to_compact());
        let t = tight.open_to_any(&d.to_compact());
        prop_assert!(!e.approximated);
        prop_assert!(t.yes || !e.yes, "tight budget claims closed, exact says open");
        if !t.approximated {
            prop_assert_eq!(t.yes, e.yes);
        }
    }
}

/// The shape from the issue report: an Allow over wildcard-dense resources, a Deny over
/// other dense resources unless the endpoint matches one of many patterns, the usual
/// endpoint Deny, filled up to the size limit.
fn issue_policy() -> PolicyDocument {
    let letters = ['a', 'b', 'c', 'x', '7', '0'];
    let l = |i: usize| letters[i % letters.len()];
    let build = |n: usize| {
        let allow: Vec<String> = (0..n * 3 / 2)
            .map(|i| format!("execute-api:/*/GET/*/{}/*/{}*/*", l(i), l(i * 7 + 3)))
            .collect();
        let deny: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "execute-api:/*/*/{}*{}*{}*{}*",
                    l(i),
                    l(i / 6 + 1),
                    l(i / 3 + 2),
                    l(i * 5 + 4)
                )
            })
            .collect();
        let exempt: Vec<String> = (0..n * 3 / 2)
            .map(|i| format!("vpce-0*{}*{}*{}*", l(i), l(i / 6 + 1), l(i * 5 + 2)))
            .collect();
        json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":allow},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":deny,
             "Condition":{"StringNotLike":{"aws:SourceVpce":exempt}}},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringNotEquals":{"aws:SourceVpce":[A, "vpce-0123456789abcdef0", D]}}},
        ]})
    };
    let n = (1..)
        .take_while(|&n| build(n).to_string().len() <= POLICY_SIZE_LIMIT)
        .last()
        .unwrap();
    PolicyDocument::from_json(build(n))
}

#[test]
fn issue_shaped_policy_is_answered_exactly() {
    let d = issue_policy();
    assert!(d.to_compact().len() > POLICY_SIZE_LIMIT - 200);
    let s = summarize(&d, &api()).unwrap();
    assert!(s.approximated.is_empty(), "{:?}", s.approximated);
    assert!(!s.open_to_any_endpoint);
    assert!(s.admitted_vpces.contains(&A.to_string()), "{s:?}");
    // Listed only as exemptions from the pattern Deny, so the endpoint Deny still shuts
    // them out.
    assert!(!s.admitted_vpces.iter().any(|v| v.contains('*')), "{s:?}");
    assert!(admits_vpce(&d, &api(), A, None).unwrap());
    assert!(!admits_vpce(&d, &api(), B, None).unwrap());
}

/// For B, one narrow way in: stage `s`, method `m`, a path without `/` not starting with
/// `a`; no filling of the Allow's wildcard finds it, only the search does.
fn narrow_policy() -> PolicyDocument {
    doc(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","NotResource":["execute-api:/s/m/*"],
               "Condition":{"StringNotEquals":{"aws:SourceVpce":A}}}),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":["execute-api:/s/m/a*", "execute-api:/s/m/*/*"],
               "Condition":{"StringNotEquals":{"aws:SourceVpce":A}}}),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
               "Condition":{"StringNotEquals":{"aws:SourceVpce":[A, B]}}}),
    ])
}

#[test]
fn over_budget_answers_are_admitted_and_flagged_where() {
    let d = narrow_policy();
    let p = analyze(d.as_value(), &api()).unwrap();
    // With its budget the search finds B's one way in...
    let mut full = Reach::new(&p, &api());
    match full.query(Some(B), None, None) {
        Outcome::Allowed(w) => assert_eq!(
            decide(&p, &api(), &request(Some(B), w.clone()), None),
            Decision::Allow,
            "{w}"
        ),
        other => panic!("{other:?}"),
    }
    // ...and without one it says it does not know, which counts as admitted.
    let mut starved = Reach::with_budget(&p, &api(), 0, 0);
    let a = starved.admitted(B, &[None], false);
    assert!(a.yes && a.approximated, "{a:?}");
}

/// Many NotResource patterns that a request must match one of, against Deny patterns built
/// from the same pieces: undecidable within the budget. With `gated`, A is exempt from
/// both Denies and only A and B pass the endpoint Deny; without, no statement reads the
/// endpoint keys.
fn over_budget_policy(gated: bool) -> PolicyDocument {
    let pieces: Vec<String> = (0..40)
        .map(|i| format!("execute-api:/*{}*{}?*/*/{}*", i % 7, (i * 3) % 11, i))
        .collect();
    let unless = |ids: Value| json!({"StringNotEquals":{"aws:SourceVpce":ids}});
    let mut stmts = vec![
        json!({"Effect":"Allow","Principal":"*","Action":"*","Resource":pieces[..20]}),
        json!({"Effect":"Deny","Principal":"*","Action":"*","NotResource":pieces[20..]}),
        json!({"Effect":"Deny","Principal":"*","Action":"*","Resource":pieces[25..]}),
    ];
    if gated {
        stmts[1]["Condition"] = unless(json!(A));
        stmts[2]["Condition"] = unless(json!(A));
        stmts.push(
            json!({"Effect":"Deny","Principal":"*","Action":"*","Resource":"execute-api:/*",
               "Condition":unless(json!([A, B]))}),
        );
    }
    doc(stmts)
}

#[test]
fn summary_names_what_it_approximated() {
    // B counts as admitted and the summary says so; A, exempt from both, is exact.
    let d = over_budget_policy(true);
    let s = summarize(&d, &api()).unwrap();
    assert_eq!(s.admitted_vpces, vec![A.to_string(), B.to_string()]);
    assert_eq!(s.approximated, vec![format!("admitted_vpces: {B}")]);
    assert!(!s.open_to_any_endpoint);
    let text = serde_json::to_value(&s).unwrap();
    assert_eq!(
        text["approximated"],
        json!([format!("admitted_vpces: {B}")])
    );
}

#[test]
fn questions_with_the_same_statements_are_answered_once() {
    let d = issue_policy();
    let p = analyze(d.as_value(), &api()).unwrap();
    let mut reach = Reach::new(&p, &api());
    let first = reach.query(Some(A), None, None);
    let spent = reach.work();
    // Another endpoint exempt from the same statements, another caller the statements
    // treat alike: nothing left to compute.
    assert_eq!(reach.query(Some(D), None, None), first);
    assert_eq!(reach.query(Some(A), None, Some(CALLER)), first);
    assert_eq!(reach.work(), spent);
}

#[test]
fn denied_proofs_carry_over_only_where_they_hold() {
    const C: &str = "vpce-cccccccc";
    let d = doc(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}),
        // Shuts out the fillings tried before the search, so the search has to run.
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
               "Resource":["execute-api:/?/?/?", "execute-api:/?/?/"]}),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/??*",
               "Condition":{"StringNotEquals":{"aws:SourceVpce":B}}}),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/a*",
               "Condition":{"StringEquals":{"aws:SourceVpce":C}}}),
    ]);
    let p = analyze(d.as_value(), &api()).unwrap();
    let mut shared = Reach::new(&p, &api());
    assert_eq!(shared.query(Some(A), None, None), Outcome::Denied);
    // C faces every Deny A faces and one more: A's proof answers it without a search,
    // for no more work than setting the question (one unit per statement).
    let before = shared.work();
    assert_eq!(shared.query(Some(C), None, None), Outcome::Denied);
    assert_eq!(shared.work() - before, p.stmts.len() as u64);
    let mut fresh = Reach::new(&p, &api());
    assert_eq!(fresh.query(Some(C), None, None), Outcome::Denied);
    assert!(fresh.work() > p.stmts.len() as u64);
    // B is spared the Deny A's proof rests on: it must be searched, and it gets in.
    match shared.query(Some(B), None, None) {
        Outcome::Allowed(w) => assert_eq!(
            decide(&p, &api(), &request(Some(B), w.clone()), None),
            Decision::Allow,
            "{w}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn denied_proofs_include_denies_that_match_at_the_end() {
    // A's only allowed resource is matched by a Deny that ends no path early; the proof
    // must still rest on it, or B, spared that Deny, would be answered "denied" from it.
    let d = doc(vec![
        json!({"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/s/m/a"}),
        json!({"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*a",
               "Condition":{"StringNotEquals":{"aws:SourceVpce":B}}}),
    ]);
    let p = analyze(d.as_value(), &api()).unwrap();
    let mut reach = Reach::new(&p, &api());
    assert_eq!(reach.query(Some(A), None, None), Outcome::Denied);
    assert_eq!(
        reach.query(Some(B), None, None),
        Outcome::Allowed(format!("{}/s/m/a", api().arn_prefix()))
    );
}

/// An approximated answer is never a pass: a grant that would report "already admitted"
/// or "open to every endpoint" on the budget's guess refuses instead, naming the statement
/// whose resources made the search expensive; `admission` flags the guess.
#[test]
fn grant_refuses_what_only_the_budget_says_is_admitted() {
    let d = over_budget_policy(true);
    let a = admission(&d, &api(), B, None).unwrap();
    assert!(a.admitted && a.approximated, "{a:?}");
    assert_eq!(a.expensive.as_deref(), Some("#1"));
    let exact = admission(&d, &api(), A, None).unwrap();
    assert!(exact.admitted && !exact.approximated && exact.expensive.is_none());

    for (policy, id) in [
        (d, B),
        (over_budget_policy(false), "vpce-0123456789abcdef0"),
    ] {
        match grant(Some(&policy), &api(), &[id.to_string()]) {
            Err(PolicyError::Unsupported { statement, detail }) => {
                assert_eq!(statement, "#1", "{detail}");
                assert!(detail.contains("evaluation budget"), "{detail}");
                assert!(detail.contains(id), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }
}

/// Revoke counts an endpoint the budget cannot prove shut out as still admitted, and says
/// the answer is approximated.
#[test]
fn revoke_reports_an_approximated_still_admitted() {
    let mut v = over_budget_policy(false).as_value().clone();
    v["Statement"].as_array_mut().unwrap().push(json!(
        {"Sid":"OnlyB","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"StringEquals":{"aws:SourceVpce":B}}}));
    let d = PolicyDocument::from_json(v);
    let r = revoke(Some(&d), &api(), &[B.to_string()]).unwrap();
    assert_eq!(r.removed, vec![B.to_string()]);
    let still = &r.still_admitted[0];
    assert!(still.approximated, "{still:?}");
    assert_eq!(still.statements, vec!["#1".to_string()]);
    assert!(still.only_from_vpcs.is_empty());
}
