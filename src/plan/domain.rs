//! `domain create` as a pure plan: a private custom domain name for a stack
//! (reused by its name AND the stack's tag, since domain names are not
//! unique), its certificate checked first, its policy admitting the
//! requested endpoints, and one base path mapping to a private API's stage.

use super::{Action, Plan, Planned, Verb};
use crate::aws::domain::NewPrivateDomain;
use crate::error::{Error, Result};
use crate::ids::{CertificateArn, DomainArn};
use crate::model::{BasePathMapping, Certificate, DomainName, RestApi, Stage};
use crate::policy::{self, ApiRef, PolicyDocument};
use crate::stack::carries_stack;

/// The key types API Gateway accepts on a custom domain's certificate.
pub const KEY_ALGORITHMS: &[&str] = &["RSA_2048", "EC_prime256v1", "EC_secp384r1"];

/// A certificate that expires sooner than this is worth a warning.
pub const EXPIRY_WARNING_SECS: i64 = 30 * 24 * 3600;

/// What `domain create` is asked for.
#[derive(Debug, Clone)]
pub struct Desired {
    pub name: String,
    pub stack: String,
    pub certificate_arn: CertificateArn,
    /// The Region the domain is made in.
    pub region: String,
    /// Endpoints the domain policy must admit.
    pub allow_vpces: Vec<String>,
    pub mapping: Option<BasePathMapping>,
}

/// The mapped API and its stages, read when a mapping is asked for.
#[derive(Debug, Clone)]
pub struct MappedApi {
    pub api: RestApi,
    pub stages: Vec<Stage>,
}

/// The stack's domain: the ARN it was read by, what GetDomainName says of
/// it (a listing may leave out its policy) and its mappings.
#[derive(Debug, Clone)]
pub struct Found {
    pub arn: DomainArn,
    pub domain: DomainName,
    pub mappings: Vec<BasePathMapping>,
}

/// What `domain create` reads before planning.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The caller's ARN.
    pub identity: String,
    pub certificate: Certificate,
    /// This account's domains with the requested name (public and private).
    pub same_name: Vec<DomainName>,
    pub found: Option<Found>,
    pub mapped_api: Option<MappedApi>,
    /// Seconds since the epoch, for the certificate's expiry.
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create the domain (CreateDomainName is limited to one call per 30 s per account).
    Create(NewPrivateDomain),
    /// Wait until the domain is AVAILABLE (about 15 minutes on AWS).
    AwaitAvailable,
    /// Replace the domain's execute-api policy with this document.
    PutPolicy(String),
    Map(BasePathMapping),
}

/// The certificate's problems for a domain named `name` in `region`, each a
/// sentence; empty when API Gateway will take it.
pub fn certificate_problems(cert: &Certificate, name: &str, region: &str) -> Vec<String> {
    let mut out = Vec::new();
    match cert.arn.parse::<CertificateArn>() {
        Ok(arn) => out.extend(region_problem(&arn, region)),
        Err(e) => out.push(e),
    }
    if cert.status != "ISSUED" {
        out.push(format!(
            "certificate {} is {}, not ISSUED",
            cert.arn,
            if cert.status.is_empty() {
                "of unknown status"
            } else {
                &cert.status
            }
        ));
    }
    if !covers(cert, name) {
        out.push(format!(
            "certificate {} does not cover {name} (it names {})",
            cert.arn,
            names_of(cert).join(", ")
        ));
    }
    if !KEY_ALGORITHMS.contains(&cert.key_algorithm.as_str()) {
        out.push(format!(
            "certificate {} has a {} key; a custom domain takes {} only",
            cert.arn,
            if cert.key_algorithm.is_empty() {
                "unreported"
            } else {
                &cert.key_algorithm
            },
            KEY_ALGORITHMS.join(", ")
        ));
    }
    out
}

/// Why a domain in `region` cannot use the certificate: ACM is regional (a
/// certificate elsewhere cannot even be described from `region`).
pub fn region_problem(cert: &CertificateArn, region: &str) -> Option<String> {
    (cert.region() != region).then(|| {
        format!(
            "certificate {cert} is in {}, and a domain in {region} can only use a \
             certificate from its own Region",
            cert.region()
        )
    })
}

/// The names a certificate covers: its subject alternative names, or its
/// domain name where none are reported.
fn names_of(cert: &Certificate) -> Vec<String> {
    let mut names = cert.subject_alternative_names.clone();
    if !names.contains(&cert.domain_name) && !cert.domain_name.is_empty() {
        names.insert(0, cert.domain_name.clone());
    }
    names
}

/// Whether the certificate covers `name`: exactly, or by a wildcard that
/// stands for exactly one leftmost label (`*.example.com` covers
/// `a.example.com`, not `example.com` nor `a.b.example.com`).
pub fn covers(cert: &Certificate, name: &str) -> bool {
    names_of(cert).iter().any(|n| {
        let n = n.to_ascii_lowercase();
        match n.strip_prefix("*.") {
            Some(parent) => name
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
            None => n == name,
        }
    })
}

/// The domain's ARN as AWS reports it, or from its name and id where the
/// report leaves the ARN out; `None` without an id (a public domain).
pub fn arn_of(d: &DomainName, partition: &str, region: &str, account: &str) -> Option<DomainArn> {
    if let Ok(arn) = d.arn.parse() {
        return Some(arn);
    }
    (!d.id.is_empty()).then(|| DomainArn::new(partition, region, account, &d.name, &d.id))
}

/// The policy's view of the domain: `execute-api:/*` is the domain's ARN.
pub fn policy_ref(arn: &DomainArn) -> ApiRef {
    ApiRef::domain(arn.region(), arn.account(), &arn.name_and_id())
}

/// The stack's domains among `same_name`: private and tagged with the stack.
pub fn stack_domains<'a>(same_name: &'a [DomainName], stack: &str) -> Vec<&'a DomainName> {
    same_name
        .iter()
        .filter(|d| d.is_private() && carries_stack(&d.tags, stack))
        .collect()
}

pub fn plan(seen: &Observed, want: &Desired) -> Result<Planned<Step>> {
    let problems = certificate_problems(&seen.certificate, &want.name, &want.region);
    if !problems.is_empty() {
        return Err(Error::BadInput(format!(
            "--certificate-arn: {}; nothing was changed",
            problems.join("; ")
        )));
    }
    if let Some(m) = &want.mapping {
        check_mapping(seen.mapped_api.as_ref(), m)?;
    }
    let mut plan = Plan {
        identity: seen.identity.clone(),
        ..Plan::default()
    };
    if let Some(not_after) = seen.certificate.not_after {
        if not_after - seen.now < EXPIRY_WARNING_SECS {
            plan.warnings.push(format!(
                "certificate {} expires within 30 days: renew or replace it before then",
                seen.certificate.arn
            ));
        }
    }
    let ours = stack_domains(&seen.same_name, &want.stack);
    if ours.len() > 1 {
        return Err(Error::BadInput(format!(
            "{} private domains named {} carry xapi:stack={} ({}); xapi cannot tell which is \
             the stack's: delete the extra one, or pick another --stack",
            ours.len(),
            want.name,
            want.stack,
            ours.iter()
                .map(|d| d.arn.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    for other in seen
        .same_name
        .iter()
        .filter(|d| !(d.is_private() && carries_stack(&d.tags, &want.stack)))
    {
        plan.warnings.push(format!(
            "{} domain {} {}is not this stack's: xapi leaves it untouched",
            if other.is_private() {
                "private"
            } else {
                "public"
            },
            want.name,
            if other.id.is_empty() {
                String::new()
            } else {
                format!("({}) ", other.id)
            }
        ));
    }
    let mut steps = Vec::new();
    match &seen.found {
        None => {
            let document = PolicyDocument::standard(&want.allow_vpces);
            let details = vec![
                format!("PRIVATE, TLS 1.2, certificate {}", want.certificate_arn),
                if want.allow_vpces.is_empty() {
                    "policy admits no endpoint yet (grant some with --allow-vpce)".to_owned()
                } else {
                    format!("policy admits {}", want.allow_vpces.join(", "))
                },
                "waits until it is AVAILABLE (about 15 minutes on AWS)".to_owned(),
                format!("tagged xapi:stack={}", want.stack),
            ];
            plan.actions.push(Action {
                verb: Verb::Create,
                resource: "domain-name".into(),
                target: want.name.clone(),
                details,
            });
            steps.push(Step::Create(NewPrivateDomain {
                name: want.name.clone(),
                certificate_arn: want.certificate_arn.clone(),
                policy: document.to_compact(),
                tags: Vec::new(),
            }));
            steps.push(Step::AwaitAvailable);
        }
        Some(Found { arn, domain: d, .. }) => {
            if d.certificate_arn.as_deref() != Some(want.certificate_arn.as_str()) {
                return Err(Error::BadInput(format!(
                    "--certificate-arn: the stack's domain {arn} uses certificate {}, not {}; \
                     xapi does not swap a domain's certificate: give that ARN, or run \
                     `xapi teardown --stack {}` and create the domain again",
                    d.certificate_arn.as_deref().unwrap_or("(none)"),
                    want.certificate_arn,
                    want.stack
                )));
            }
            let status = d.status.as_deref().unwrap_or("UNKNOWN");
            let mut details = vec![format!("status {status}")];
            let mut verb = Verb::Reuse;
            match status {
                "AVAILABLE" => {}
                "PENDING" | "UPDATING" => {
                    details.push("waits until it is AVAILABLE".into());
                    steps.push(Step::AwaitAvailable);
                }
                other => {
                    return Err(Error::Unverified(format!(
                        "the stack's domain {arn} is {other}{}; fix the cause, or run \
                         `xapi teardown --stack {}` and create it again",
                        d.status_message
                            .as_deref()
                            .map(|m| format!(" ({m})"))
                            .unwrap_or_default(),
                        want.stack
                    )))
                }
            }
            if let Some(edit) = policy_change(d, arn, &want.allow_vpces)? {
                verb = Verb::Change;
                details.push(format!("policy: admit {}", edit.added.join(", ")));
                steps.push(Step::PutPolicy(edit.document.to_compact()));
            }
            plan.actions.push(Action {
                verb,
                resource: "domain-name".into(),
                target: arn.to_string(),
                details,
            });
        }
    }
    if let Some(m) = &want.mapping {
        let mapped = seen.found.iter().flat_map(|f| &f.mappings);
        match mapped.clone().find(|h| h.base_path == m.base_path) {
            Some(h) if h.api_id == m.api_id && h.stage == m.stage => {
                plan.actions.push(Action {
                    verb: Verb::Reuse,
                    resource: "base-path-mapping".into(),
                    target: m.base_path.clone(),
                    details: vec![format!("to {} stage {}", m.api_id, m.stage)],
                });
            }
            Some(h) => {
                return Err(Error::BadInput(format!(
                    "--base-path {}: the domain already maps it to API {} stage {}; xapi \
                     does not re-point a mapping: choose another --base-path",
                    m.base_path, h.api_id, h.stage
                )))
            }
            None => {
                plan.actions.push(Action {
                    verb: Verb::Create,
                    resource: "base-path-mapping".into(),
                    target: m.base_path.clone(),
                    details: vec![format!("to {} stage {}", m.api_id, m.stage)],
                });
                steps.push(Step::Map(m.clone()));
            }
        }
    }
    Ok(Planned { plan, steps })
}

/// The mapped API must be private and have the stage: API Gateway maps a
/// private domain to nothing else.
fn check_mapping(api: Option<&MappedApi>, m: &BasePathMapping) -> Result<()> {
    let Some(MappedApi { api, stages }) = api else {
        return Err(Error::BadInput(format!("--api-id {}: not found", m.api_id)));
    };
    if !api.is_private() {
        return Err(Error::BadInput(format!(
            "--api-id {}: the API is {}, and a private domain maps only PRIVATE APIs",
            m.api_id,
            api.endpoint_types.join(", ")
        )));
    }
    if !stages.iter().any(|s| s.name == m.stage) {
        return Err(Error::BadInput(format!(
            "--stage {}: API {} has no such stage (it has {})",
            m.stage,
            m.api_id,
            stages
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(())
}

/// The grant that makes the domain admit every one of `vpces`; `None` when
/// it admits them all.
fn policy_change(
    d: &DomainName,
    arn: &DomainArn,
    vpces: &[String],
) -> Result<Option<policy::Edit>> {
    if vpces.is_empty() {
        return Ok(None);
    }
    let api = policy_ref(arn);
    let current = d
        .policy
        .as_deref()
        .map(PolicyDocument::parse)
        .transpose()
        .map_err(|e| policy_error(arn, e))?;
    let edit = policy::grant(current.as_ref(), &api, vpces).map_err(|e| policy_error(arn, e))?;
    Ok(edit.changed.then_some(edit))
}

fn policy_error(arn: &DomainArn, e: policy::PolicyError) -> Error {
    Error::BadInput(format!("the policy of domain {arn}: {e}"))
}

/// What is still not as asked after applying, beyond what a new plan shows.
pub fn differences(seen: &Observed, want: &Desired) -> Vec<String> {
    let Some(Found { arn, domain: d, .. }) = &seen.found else {
        return vec![format!("no private domain {} for the stack", want.name)];
    };
    let mut out = Vec::new();
    if !d.is_private() {
        out.push(format!("domain {} is not PRIVATE", want.name));
    }
    if d.status.as_deref() != Some("AVAILABLE") {
        out.push(format!(
            "domain {} is {}",
            want.name,
            d.status.as_deref().unwrap_or("of unknown status")
        ));
    }
    let api = policy_ref(arn);
    match d.policy.as_deref().map(PolicyDocument::parse) {
        Some(Ok(doc)) => {
            for v in &want.allow_vpces {
                if !policy::admits_vpce(&doc, &api, v, None).unwrap_or(false) {
                    out.push(format!("the domain policy does not admit {v}"));
                }
            }
        }
        Some(Err(e)) => out.push(format!("the domain policy: {e}")),
        None if !want.allow_vpces.is_empty() => {
            out.push("API Gateway reports no domain policy".into());
        }
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const NAME: &str = "private.example.com";
    const CERT: &str = "arn:aws:acm:us-east-1:111111111111:certificate/0e6f";
    const V: &str = "vpce-0aaa1111bbbb2222c";
    const W: &str = "vpce-0bbb1111bbbb2222c";
    const NOW: i64 = 1_764_500_000;

    fn cert() -> Certificate {
        Certificate {
            arn: CERT.into(),
            status: "ISSUED".into(),
            domain_name: NAME.into(),
            subject_alternative_names: vec![NAME.into()],
            key_algorithm: "RSA_2048".into(),
            not_after: Some(NOW + 365 * 24 * 3600),
        }
    }

    fn want() -> Desired {
        Desired {
            name: NAME.into(),
            stack: "s1".into(),
            certificate_arn: CERT.parse().unwrap(),
            region: "us-east-1".into(),
            allow_vpces: vec![V.into()],
            mapping: None,
        }
    }

    fn tags(stack: &str) -> BTreeMap<String, String> {
        [("xapi:stack".to_owned(), stack.to_owned())].into()
    }

    fn domain(types: &str, id: &str, stack: &str, policy: Option<String>) -> DomainName {
        DomainName {
            name: NAME.into(),
            id: id.into(),
            arn: if id.is_empty() {
                String::new()
            } else {
                format!("arn:aws:apigateway:us-east-1:111111111111:/domainnames/{NAME}+{id}")
            },
            endpoint_types: vec![types.into()],
            status: Some("AVAILABLE".into()),
            status_message: None,
            certificate_arn: Some(CERT.into()),
            security_policy: Some("TLS_1_2".into()),
            endpoint_access_mode: None,
            policy,
            management_policy: None,
            tags: if stack.is_empty() {
                BTreeMap::new()
            } else {
                tags(stack)
            },
        }
    }

    /// The policy as AWS reads it back: `execute-api:/*` expanded, no `/*`.
    fn read_back(vpces: &[&str]) -> String {
        let arn =
            format!("arn:aws:execute-api:us-east-1:111111111111:/domainnames/{NAME}+abcd1234");
        serde_json::json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":arn},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":arn,
             "Condition":{"StringNotEquals":{"aws:SourceVpce":vpces}}}]})
        .to_string()
    }

    fn seen(same_name: Vec<DomainName>) -> Observed {
        let found = stack_domains(&same_name, "s1").first().map(|d| Found {
            arn: arn_of(d, "aws", "us-east-1", "111111111111").unwrap(),
            domain: (*d).clone(),
            mappings: Vec::new(),
        });
        Observed {
            identity: "arn:aws:iam::111111111111:user/p".into(),
            certificate: cert(),
            same_name,
            found,
            mapped_api: None,
            now: NOW,
        }
    }

    #[test]
    fn wildcards_cover_one_label() {
        let mut c = cert();
        c.domain_name = "*.example.com".into();
        c.subject_alternative_names = vec!["*.example.com".into()];
        assert!(covers(&c, "private.example.com"));
        assert!(!covers(&c, "example.com"));
        assert!(!covers(&c, "a.private.example.com"));
        assert!(!covers(&c, "private.example.org"));
        c.subject_alternative_names = vec!["Private.Example.com".into()];
        c.domain_name = String::new();
        assert!(covers(&c, "private.example.com"));
        c.subject_alternative_names.clear();
        assert!(!covers(&c, "private.example.com"));
    }

    #[test]
    fn every_certificate_fault_is_named_and_nothing_is_planned() {
        let mut c = cert();
        c.arn = "arn:aws:acm:eu-west-1:111111111111:certificate/0e6f".into();
        c.status = "PENDING_VALIDATION".into();
        c.subject_alternative_names = vec!["other.example.com".into()];
        c.domain_name = "other.example.com".into();
        c.key_algorithm = "RSA_4096".into();
        let p = certificate_problems(&c, NAME, "us-east-1");
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(p[0].contains("eu-west-1") && p[0].contains("us-east-1"));
        assert!(p[1].contains("PENDING_VALIDATION"));
        assert!(p[2].contains("does not cover private.example.com"));
        assert!(p[3].contains("RSA_4096"));
        let mut s = seen(Vec::new());
        s.certificate = c;
        let err = plan(&s, &want()).unwrap_err().to_string();
        assert!(err.starts_with("--certificate-arn:"), "{err}");
        for ok in KEY_ALGORITHMS {
            let mut c = cert();
            c.key_algorithm = (*ok).into();
            assert!(certificate_problems(&c, NAME, "us-east-1").is_empty());
        }
    }

    #[test]
    fn a_new_domain_is_private_with_the_endpoints_admitted() {
        let p = plan(&seen(Vec::new()), &want()).unwrap();
        let [Step::Create(spec), Step::AwaitAvailable] = p.steps.as_slice() else {
            panic!("{:?}", p.steps)
        };
        assert_eq!(spec.name, NAME);
        assert_eq!(spec.certificate_arn.as_str(), CERT);
        let doc = PolicyDocument::parse(&spec.policy).unwrap();
        let api = ApiRef::domain("us-east-1", "111111111111", "private.example.com+new1");
        assert!(policy::admits_vpce(&doc, &api, V, None).unwrap());
        assert!(!policy::admits_vpce(&doc, &api, W, None).unwrap());
        assert_eq!(p.plan.actions[0].verb, Verb::Create);
        assert!(p.plan.warnings.is_empty());
    }

    #[test]
    fn without_endpoints_a_new_domain_admits_none() {
        let mut w = want();
        w.allow_vpces.clear();
        let p = plan(&seen(Vec::new()), &w).unwrap();
        let Step::Create(spec) = &p.steps[0] else {
            panic!()
        };
        let doc = PolicyDocument::parse(&spec.policy).unwrap();
        let api = ApiRef::domain("us-east-1", "111111111111", "private.example.com+new1");
        assert!(!policy::admits_vpce(&doc, &api, V, None).unwrap());
        assert!(!policy::summarize(&doc, &api).unwrap().open_to_any_endpoint);
    }

    #[test]
    fn a_public_twin_and_other_stacks_domains_are_left_alone() {
        let same = vec![
            domain("REGIONAL", "", "", None),
            domain("PRIVATE", "zzzz9999", "other", None),
            domain("PRIVATE", "yyyy8888", "", None),
        ];
        let p = plan(&seen(same), &want()).unwrap();
        assert!(matches!(p.steps[0], Step::Create(_)));
        assert_eq!(p.plan.warnings.len(), 3, "{:?}", p.plan.warnings);
        assert!(p.plan.warnings[0].starts_with("public domain"));
        assert!(p.plan.warnings[1].contains("zzzz9999"));
    }

    #[test]
    fn the_stacks_domain_is_reused_and_a_rerun_plans_nothing() {
        let d = domain("PRIVATE", "abcd1234", "s1", Some(read_back(&[V])));
        let p = plan(&seen(vec![d]), &want()).unwrap();
        assert!(p.steps.is_empty(), "{:?}", p.steps);
        assert!(p.plan.is_noop());
        assert_eq!(
            p.plan.actions[0].target,
            "arn:aws:apigateway:us-east-1:111111111111:/domainnames/private.example.com+abcd1234"
        );
    }

    #[test]
    fn a_missing_endpoint_is_granted_on_the_read_back_policy() {
        let d = domain("PRIVATE", "abcd1234", "s1", Some(read_back(&[W])));
        let mut w = want();
        w.allow_vpces = vec![V.into(), W.into()];
        let p = plan(&seen(vec![d.clone()]), &w).unwrap();
        let [Step::PutPolicy(text)] = p.steps.as_slice() else {
            panic!("{:?}", p.steps)
        };
        assert_eq!(p.plan.actions[0].details[1], format!("policy: admit {V}"));
        let mut after = d;
        after.policy = Some(text.clone());
        let s = seen(vec![after]);
        assert!(plan(&s, &w).unwrap().steps.is_empty());
        assert!(differences(&s, &w).is_empty());
    }

    #[test]
    fn two_stack_domains_a_failed_one_or_another_certificate_are_refused() {
        let two = vec![
            domain("PRIVATE", "abcd1234", "s1", None),
            domain("PRIVATE", "efgh5678", "s1", None),
        ];
        let err = plan(&seen(two), &want()).unwrap_err().to_string();
        assert!(
            err.contains("2 private domains") && err.contains("efgh5678"),
            "{err}"
        );
        let mut failed = domain("PRIVATE", "abcd1234", "s1", Some(read_back(&[V])));
        failed.status = Some("FAILED".into());
        failed.status_message = Some("certificate not found".into());
        let err = plan(&seen(vec![failed]), &want()).unwrap_err();
        assert!(err.to_string().contains("FAILED (certificate not found)"));
        let mut other = domain("PRIVATE", "abcd1234", "s1", Some(read_back(&[V])));
        other.certificate_arn = Some("arn:aws:acm:us-east-1:111111111111:certificate/9999".into());
        let err = plan(&seen(vec![other]), &want()).unwrap_err().to_string();
        assert!(
            err.contains("certificate/9999") && err.starts_with("--certificate-arn"),
            "{err}"
        );
    }

    #[test]
    fn a_pending_domain_is_waited_for() {
        let mut d = domain("PRIVATE", "abcd1234", "s1", Some(read_back(&[V])));
        d.status = Some("PENDING".into());
        let p = plan(&seen(vec![d]), &want()).unwrap();
        assert_eq!(p.steps, vec![Step::AwaitAvailable]);
    }

    fn mapped(types: &str, stages: &[&str]) -> MappedApi {
        MappedApi {
            api: RestApi {
                id: "a1b2c3d4e5".into(),
                name: "orders".into(),
                endpoint_types: vec![types.into()],
                vpc_endpoint_ids: Vec::new(),
                policy: None,
                tags: BTreeMap::new(),
            },
            stages: stages
                .iter()
                .map(|s| Stage {
                    name: (*s).into(),
                    deployment_id: None,
                })
                .collect(),
        }
    }

    #[test]
    fn mappings_go_to_a_private_api_stage_and_are_never_repointed() {
        let mut w = want();
        let m = BasePathMapping {
            base_path: "orders".into(),
            api_id: "a1b2c3d4e5".into(),
            stage: "prod".into(),
        };
        w.mapping = Some(m.clone());
        let mut s = seen(vec![domain(
            "PRIVATE",
            "abcd1234",
            "s1",
            Some(read_back(&[V])),
        )]);
        s.mapped_api = Some(mapped("PRIVATE", &["prod"]));
        assert_eq!(plan(&s, &w).unwrap().steps, vec![Step::Map(m.clone())]);
        fn mappings(s: &mut Observed) -> &mut Vec<BasePathMapping> {
            &mut s.found.as_mut().unwrap().mappings
        }
        *mappings(&mut s) = vec![m.clone()];
        assert!(plan(&s, &w).unwrap().steps.is_empty());
        mappings(&mut s)[0].stage = "test".into();
        let err = plan(&s, &w).unwrap_err().to_string();
        assert!(
            err.contains("already maps it to API a1b2c3d4e5 stage test"),
            "{err}"
        );
        mappings(&mut s).clear();
        s.mapped_api = Some(mapped("REGIONAL", &["prod"]));
        assert!(plan(&s, &w).unwrap_err().to_string().contains("REGIONAL"));
        s.mapped_api = Some(mapped("PRIVATE", &["test"]));
        assert!(plan(&s, &w)
            .unwrap_err()
            .to_string()
            .starts_with("--stage prod"));
        s.mapped_api = None;
        assert!(plan(&s, &w).unwrap_err().to_string().contains("not found"));
    }

    #[test]
    fn an_expiring_certificate_warns() {
        let mut s = seen(Vec::new());
        s.certificate.not_after = Some(NOW + 29 * 24 * 3600);
        let p = plan(&s, &want()).unwrap();
        assert!(p.plan.warnings[0].contains("expires within 30 days"));
    }
}
