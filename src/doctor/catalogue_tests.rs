//! The catalogue over every pattern: each check is catalogued, and breaking
//! one prerequisite fails it alone and blocks what depends on it. Builds on
//! both patterns' fixtures, so it sits beside them rather than in either.

use super::domain_tests::{break_domain, healthy_domain};
use super::mtls_tests::{break_mtls, healthy_mtls};
use super::tests::{healthy, ok, pattern2, target};
use super::*;

/// Break exactly the check `id` in a snapshot that otherwise passes it.
fn broken(id: &str) -> Snapshot {
    let mut s = if id.starts_with("lambda.") {
        pattern2()
    } else if id.starts_with("mtls.") {
        healthy_mtls()
    } else if id.starts_with("domain.") {
        let mut s = healthy_domain();
        break_domain(&mut s, id);
        return s;
    } else {
        healthy()
    };
    match id {
        "nlb.listener" => s.listeners = ok(vec![]),
        "endpoint.exists" => {
            if let Read::Ok { value } = &mut s.endpoint {
                value.service_name = "com.amazonaws.us-east-1.s3".into();
            }
        }
        "targets.match-endpoint" => {
            s.targets = ok(vec![
                target("10.0.1.10", "healthy"),
                target("10.0.9.9", "healthy"),
            ]);
        }
        "endpoint.sg-443" => {
            if let Read::Ok { value } = &mut s.security_groups {
                value[0].ingress[0].cidrs = vec!["10.0.1.0/24".into()];
            }
        }
        "api.private" => {
            if let Read::Ok { value } = &mut s.api {
                value.endpoint_types = vec!["REGIONAL".into()];
            }
        }
        "policy.present" => {
            if let Read::Ok { value } = &mut s.api {
                value.policy = None;
            }
        }
        "lambda.vpc" => {
            if let Read::Ok { value } = &mut s.lambda_subnets {
                value[0].vpc_id = "vpc-0999999999999999f".into();
            }
        }
        other => break_mtls(&mut s, other),
    }
    s
}

#[test]
fn the_prerequisite_graph_is_acyclic_and_names_known_checks() {
    use super::catalogue::{spec_of, CATALOGUE};
    let mut seen = std::collections::BTreeSet::new();
    for c in CATALOGUE {
        assert!(seen.insert(c.id), "{} listed twice", c.id);
        for n in c.needs {
            assert!(spec_of(n).is_some(), "{} needs unknown {n}", c.id);
        }
    }
    fn reaches(from: &str, to: &str, depth: usize) -> bool {
        depth < CATALOGUE.len()
            && spec_of(from)
                .unwrap()
                .needs
                .iter()
                .any(|n| *n == to || reaches(n, to, depth + 1))
    }
    for c in CATALOGUE {
        assert!(!reaches(c.id, c.id, 0), "{} depends on itself", c.id);
    }
    for s in [healthy(), pattern2(), healthy_mtls(), healthy_domain()] {
        for f in super::run(&s) {
            assert!(spec_of(&f.check).is_some(), "{} is not catalogued", f.check);
        }
    }
}

/// The graph as data: for every check with prerequisites, breaking only one
/// prerequisite gives exactly one failure (that prerequisite), and the check is
/// a skip naming it, with no fix.
#[test]
fn a_broken_prerequisite_fails_once_and_blocks_its_dependents() {
    use super::catalogue::CATALOGUE;
    let mut pairs = 0;
    for c in CATALOGUE.iter().filter(|c| !c.needs.is_empty()) {
        for need in c.needs {
            let findings = super::run(&broken(need));
            let failing: std::collections::BTreeSet<&str> = findings
                .iter()
                .filter(|f| f.status == Status::Fail)
                .map(|f| f.check.as_str())
                .collect();
            assert_eq!(
                failing.into_iter().collect::<Vec<_>>(),
                [*need],
                "breaking {need} (needed by {}): {findings:#?}",
                c.id
            );
            let dependent: Vec<&Finding> = findings.iter().filter(|f| f.check == c.id).collect();
            assert!(!dependent.is_empty(), "{} gave no finding", c.id);
            for f in dependent {
                assert_eq!(f.status, Status::Skip, "{f:#?}");
                assert_eq!(f.blocked_by.as_deref(), Some(*need), "{f:#?}");
                assert_eq!(f.message, format!("blocked by {need}"));
                assert_eq!(f.fix, None);
            }
            pairs += 1;
        }
    }
    assert!(pairs >= 15, "only {pairs} prerequisite edges tested");
}

#[test]
fn an_s3_endpoint_given_as_vpce_is_one_failure_with_no_wrong_fix() {
    let findings = super::run(&broken("endpoint.exists"));
    let failing: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    assert_eq!(failing.len(), 1, "{failing:#?}");
    assert!(failing[0].message.contains("com.amazonaws.us-east-1.s3"));
    for id in ["policy.admits-vpce", "targets.match-endpoint"] {
        let f = findings.iter().find(|f| f.check == id).unwrap();
        assert_eq!(f.blocked_by.as_deref(), Some("endpoint.exists"), "{f:#?}");
        assert!(f.fix.is_none());
    }
    let json = serde_json::to_value(
        findings
            .iter()
            .find(|f| f.check == "policy.admits-vpce")
            .unwrap(),
    )
    .unwrap();
    assert_eq!(json["blocked_by"], "endpoint.exists");
    let json = serde_json::to_value(&findings[0]).unwrap();
    assert!(
        json["blocked_by"].is_null(),
        "present and null when not blocked"
    );
}

/// The catalogue is the registry: a check id is written there (its entry,
/// and the prerequisites naming it) and nowhere else in xapi's code (tests
/// aside), so no check can report under an id the catalogue does not hold.
#[test]
fn every_check_id_is_written_once_in_the_catalogue_and_nowhere_else() {
    use super::catalogue::CATALOGUE;
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.clone()];
    let mut sources = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name != "tests.rs" && !name.ends_with("_tests.rs") {
                sources.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    assert!(sources.len() > 50, "read {} source files", sources.len());
    for c in CATALOGUE {
        let literal = format!("\"{}\"", c.id);
        let places: Vec<String> = sources
            .iter()
            .map(|(path, text)| (path, text.matches(&literal).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(path, n)| format!("{} ({n})", path.display()))
            .collect();
        assert!(
            places.len() == 1 && places[0].contains("doctor/catalogue.rs ("),
            "{} is written in {places:?}",
            c.id
        );
    }
}
