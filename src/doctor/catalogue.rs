//! The registry of doctor's checks. Each entry is a check's id (written
//! here only: the check's function is given it), what it stands on, what it
//! says in one line, the function that runs it and the read named on the
//! command line that it stands first on; the catalogue's order is the run
//! order. Ids are a contract (scripts match on them); the README's list is
//! generated from here.
//!
//! A check's prerequisites are the checks whose failure makes its own verdict
//! a consequence rather than a cause: when one of them fails (or could not be
//! evaluated), the dependent check is skipped as "blocked by" it, so one root
//! cause gives one failure and no fix is offered for a symptom.

use std::collections::BTreeMap;

use super::checks::{self, finding, keep_required, unread};
use super::domain_evidence::{ConsumerEvidence, DomainEvidence};
use super::mtls::{self, MtlsEvidence};
use super::{domain, domain_consumer, CheckId, Finding, Read, Snapshot, Status};
use crate::ids::DomainArn;

pub struct CheckSpec {
    pub id: CheckId,
    /// Checks that must hold before this one's verdict means anything.
    pub needs: &'static [&'static str],
    /// One line for the README.
    pub about: &'static str,
    pub check: Check,
}

/// A check's function, by the evidence it reads, and the read named on the
/// command line that it stands first on: that read's failure fails the check
/// even where a prerequisite was not evaluated (see [`keep_required`]).
#[derive(Clone, Copy)]
pub enum Check {
    /// Patterns 1 and 2: the front door's chain and the endpoint.
    Chain(
        fn(CheckId, &Snapshot) -> Vec<Finding>,
        Option<fn(&Snapshot) -> Read<()>>,
    ),
    /// Pattern 4, the domain's owner's side.
    Domain(
        fn(CheckId, &Snapshot, &DomainEvidence, &DomainArn) -> Vec<Finding>,
        Option<fn(&DomainEvidence) -> Read<()>>,
    ),
    /// Pattern 4, the endpoint's side (`--vpce`).
    Consumer(
        fn(CheckId, &DomainEvidence, &ConsumerEvidence, &DomainArn) -> Vec<Finding>,
        Option<fn(&ConsumerEvidence) -> Read<()>>,
    ),
    /// Pattern 3.
    Mtls(
        fn(CheckId, &Snapshot, &MtlsEvidence) -> Vec<Finding>,
        Option<fn(&Snapshot, &MtlsEvidence) -> Read<()>>,
    ),
}

const fn spec(
    id: CheckId,
    needs: &'static [&'static str],
    about: &'static str,
    check: Check,
) -> CheckSpec {
    CheckSpec {
        id,
        needs,
        about,
        check,
    }
}

/// A check of evidence the command line may not have asked for (a Lambda
/// function, a front door) runs only when it was.
fn if_asked<T>(read: &Read<T>, check: impl FnOnce() -> Finding) -> Vec<Finding> {
    if matches!(read, Read::NotAsked { .. }) {
        Vec::new()
    } else {
        vec![check()]
    }
}

fn vpce_of(d: &DomainEvidence) -> &str {
    d.vpce.as_deref().unwrap_or_default()
}

/// Every finding a snapshot supports: a domain's checks or an mTLS stack's
/// when the snapshot is of one, else the front door's and the endpoint's.
/// Each check runs in catalogue order; then the prerequisites are applied,
/// and a failed read the command line named fails the check on it.
pub fn run(s: &Snapshot) -> Vec<Finding> {
    let mut f = if let Some(d) = s.domain.ok() {
        let Ok(arn) = d.arn.parse::<DomainArn>() else {
            return not_a_domain_arn(d);
        };
        run_domain(s, d, &arn)
    } else if let Some(m) = s.mtls.ok() {
        run_mtls(s, m)
    } else {
        run_chain(s)
    };
    apply_prerequisites(&mut f);
    for spec in CATALOGUE {
        let read = match (spec.check, s.domain.ok(), s.mtls.ok()) {
            (Check::Chain(_, Some(read)), None, None) => read(s),
            (Check::Domain(_, Some(read)), Some(d), _) => read(d),
            (Check::Consumer(_, Some(read)), Some(d), _) => match d.consumer.ok() {
                Some(c) => read(c),
                None => continue,
            },
            (Check::Mtls(_, Some(read)), None, Some(m)) => read(s, m),
            _ => continue,
        };
        keep_required(&mut f, spec.id, &read);
    }
    f
}

fn run_chain(s: &Snapshot) -> Vec<Finding> {
    CATALOGUE
        .iter()
        .flat_map(|spec| match spec.check {
            Check::Chain(run, _) => run(spec.id, s),
            _ => Vec::new(),
        })
        .collect()
}

fn run_mtls(s: &Snapshot, m: &MtlsEvidence) -> Vec<Finding> {
    CATALOGUE
        .iter()
        .flat_map(|spec| match spec.check {
            Check::Mtls(run, _) => run(spec.id, s, m),
            _ => Vec::new(),
        })
        .collect()
}

/// The domain's checks, then, when `--vpce` names an endpoint, the
/// endpoint's side: if that side's evidence could not be read, each of its
/// checks is unread (and the one that stands first on it fails).
fn run_domain(s: &Snapshot, d: &DomainEvidence, arn: &DomainArn) -> Vec<Finding> {
    CATALOGUE
        .iter()
        .flat_map(|spec| match spec.check {
            Check::Domain(run, _) => run(spec.id, s, d, arn),
            Check::Consumer(..) if d.vpce.is_none() => Vec::new(),
            Check::Consumer(run, first) => match d.consumer.ok() {
                Some(c) => run(spec.id, d, c, arn),
                None => vec![unread(spec.id, vpce_of(d), &d.consumer, first.is_some())],
            },
            _ => Vec::new(),
        })
        .collect()
}

/// `--domain` must be a domain's ARN with its `domainNameId`: without one,
/// the check that stands first on the domain fails alone.
fn not_a_domain_arn(d: &DomainEvidence) -> Vec<Finding> {
    CATALOGUE
        .iter()
        .filter(|spec| matches!(spec.check, Check::Domain(_, Some(_))))
        .map(|spec| {
            finding(
                spec.id,
                Status::Fail,
                &d.arn,
                "not a domain ARN with a domainNameId",
                None,
            )
        })
        .take(1)
        .collect()
}

/// Every check, grouped by pattern, each group in request-path order: the
/// order it runs in.
pub const CATALOGUE: &[CheckSpec] = &[
    spec(
        "lambda.vpc",
        &[],
        "the function (`--lambda`) runs in the VPC that holds the execute-api endpoint",
        Check::Chain(|id, s| if_asked(&s.lambda, || checks::lambda_vpc(id, s)), Some(|s| s.lambda.unit())),
    ),
    spec(
        "lambda.private-dns",
        &["lambda.vpc"],
        "the endpoint has private DNS on, so the function's `https://{api}.execute-api...` reaches it",
        Check::Chain(|id, s| if_asked(&s.lambda, || checks::lambda_private_dns(id, s)), None),
    ),
    spec(
        "lambda.sg-443",
        &["lambda.vpc"],
        "the endpoint's security groups admit TCP 443 from the function's group or subnets",
        Check::Chain(|id, s| if_asked(&s.lambda, || checks::lambda_sg_443(id, s)), None),
    ),
    spec(
        "front.integration",
        &[],
        "the front API's `ANY /` and `ANY /{proxy+}` are HTTP_PROXY over the VPC link to an existing stage of the private API; over a v2 link, each names its load balancer (`integrationTarget`)",
        Check::Chain(checks::front_integration, Some(|s| s.front.unit())),
    ),
    spec(
        "front.exposure",
        &[],
        "warns when the front is open to the internet: an `ANY` method without authorization, and no resource policy, or one that admits an anonymous request from a public address it does not name (by evaluation)",
        Check::Chain(|id, s| if_asked(&s.front, || checks::front_exposure(id, s)), None),
    ),
    spec(
        "link.available",
        &[],
        "the VPC link (v1 or v2) is AVAILABLE (PENDING warns; INACTIVE, a v2 link idle for 60 days, warns; FAILED says why, and a v1 link to an application load balancer says to use v2)",
        Check::Chain(|id, s| vec![checks::link_available(id, s)], Some(|s| s.link.unit())),
    ),
    spec(
        "link.targets-nlb",
        &[],
        "the VPC link leads to the NLB that forwards to the target group: a v1 link targets it; with a v2 link, the front's integrations name it as `integrationTarget`",
        Check::Chain(|id, s| vec![checks::link_targets_nlb(id, s)], None),
    ),
    spec(
        "link.v2-network",
        &[],
        "a v2 link's interfaces are in zones v2 links support, in the load balancer's VPC; its groups let TCP 443 out to the load balancer's subnets, and the load balancer's groups (if any) let it in from the link",
        Check::Chain(|id, s| checks::link_v2_network(id, s).into_iter().collect(), None),
    ),
    spec(
        "nlb.listener",
        &[],
        "the NLB is internal, network, active, with a TCP 443 listener forwarding to the target group",
        Check::Chain(|id, s| vec![checks::nlb_listener(id, s)], None),
    ),
    spec(
        "nlb.cross-zone",
        &["nlb.listener"],
        "the NLB has cross-zone load balancing on (off, a zone without a registered target answers nothing)",
        Check::Chain(
            |id, s| {
                vec![checks::cross_zone(
                    id,
                    &s.load_balancer,
                    &s.cross_zone,
                    &s.targets,
                    "re-run `xapi wire-regional-front ...` as the stack was wired",
                )]
            },
            None,
        ),
    ),
    spec(
        "targetgroup.config",
        &[],
        "the target group has ip targets on TCP 443 and a health check of HTTPS `/ping`",
        Check::Chain(|id, s| vec![checks::targetgroup_config(id, s)], Some(|s| s.target_group.unit())),
    ),
    spec(
        "targets.match-endpoint",
        &["endpoint.exists"],
        "the registered targets are exactly the endpoint's interface addresses",
        Check::Chain(|id, s| vec![checks::targets_match_endpoint(id, s)], None),
    ),
    spec(
        "targets.healthy",
        &["targets.match-endpoint", "endpoint.sg-443"],
        "every registered target is healthy",
        Check::Chain(|id, s| vec![checks::targets_healthy(id, s)], None),
    ),
    spec(
        "endpoint.exists",
        &[],
        "the endpoint exists and is an Interface endpoint for `com.amazonaws.{region}.execute-api`",
        Check::Chain(|id, s| vec![checks::endpoint_exists(id, s)], Some(|s| s.endpoint.unit())),
    ),
    spec(
        "endpoint.available",
        &["endpoint.exists"],
        "the endpoint is available",
        Check::Chain(|id, s| vec![checks::endpoint_available(id, s)], None),
    ),
    spec(
        "endpoint.sg-443",
        &["endpoint.exists"],
        "the endpoint's security groups admit TCP 443 from the NLB's subnets (or from anyone, without an NLB)",
        Check::Chain(|id, s| vec![checks::endpoint_sg_443(id, s)], None),
    ),
    spec(
        "endpoint.private-dns",
        &["endpoint.exists"],
        "the endpoint has private DNS on (off warns and names the `{api}-{vpce}` alias)",
        Check::Chain(|id, s| vec![checks::endpoint_private_dns(id, s)], None),
    ),
    spec(
        "endpoint.vpc-dns",
        &["endpoint.exists"],
        "the endpoint's VPC has DNS support and DNS hostnames on, as private DNS needs",
        Check::Chain(|id, s| vec![checks::endpoint_vpc_dns(id, s)], None),
    ),
    spec(
        "endpoint.policy",
        &["endpoint.exists"],
        "the endpoint policy allows execute-api:Invoke on the private API",
        Check::Chain(|id, s| vec![checks::endpoint_policy(id, s)], None),
    ),
    spec(
        "api.private",
        &[],
        "the private API exists and its endpoint type is PRIVATE",
        Check::Chain(|id, s| vec![checks::api_private(id, s)], Some(|s| s.api.unit())),
    ),
    spec(
        "policy.present",
        &["api.private"],
        "the private API has a resource policy that parses",
        Check::Chain(|id, s| vec![checks::policy_present(id, s)], None),
    ),
    spec(
        "policy.admits-vpce",
        &["policy.present", "endpoint.exists"],
        "the resource policy admits the endpoint, by evaluation",
        Check::Chain(|id, s| vec![checks::policy_admits_vpce(id, s)], None),
    ),
    spec(
        "policy.restricts-source",
        &["policy.present"],
        "the resource policy does not admit every VPC endpoint in the region",
        Check::Chain(|id, s| vec![checks::policy_restricts_source(id, s)], None),
    ),
    spec(
        "policy.size",
        &["policy.present"],
        "the resource policy is under 90% of the 8,192-character quota",
        Check::Chain(|id, s| vec![checks::policy_size(id, s)], None),
    ),
    spec(
        "policy.deployed",
        &["policy.present"],
        "each stage's deployment carries the current policy (xapi's marker, else the stage's export)",
        Check::Chain(checks::policy_deployed, None),
    ),
    spec(
        "domain.exists",
        &[],
        "the private custom domain (`--domain`, its ARN with the `domainNameId`) exists",
        Check::Domain(|id, _, d, _| vec![domain::exists(id, d)], Some(|d| d.domain.unit())),
    ),
    spec(
        "domain.private",
        &["domain.exists"],
        "the domain's endpoint type is PRIVATE (a public domain cannot be converted)",
        Check::Domain(|id, _, d, _| vec![domain::private(id, d)], None),
    ),
    spec(
        "domain.status",
        &["domain.exists"],
        "the domain is AVAILABLE (PENDING and UPDATING warn: about 15 minutes; FAILED says why)",
        Check::Domain(|id, _, d, _| vec![domain::status(id, d)], None),
    ),
    spec(
        "domain.cert",
        &["domain.exists"],
        "the domain's ACM certificate is ISSUED, in the domain's Region, covers its name (one wildcard level) with an RSA 2048, ECDSA P-256 or P-384 key (warns 30 days before expiry)",
        Check::Domain(|id, s, d, arn| vec![domain::cert(id, s, d, arn)], None),
    ),
    spec(
        "domain.mapping",
        &["domain.exists"],
        "the domain maps at least one base path, each to an existing stage of a PRIVATE API",
        Check::Domain(|id, _, d, _| vec![domain::mapping(id, d)], None),
    ),
    spec(
        "domain.policy",
        &["domain.exists"],
        "the domain policy admits the endpoint (`--vpce`), by evaluation; without one, warns when it admits any endpoint",
        Check::Domain(|id, _, d, arn| vec![domain::domain_policy(id, d, arn)], None),
    ),
    spec(
        "domain.api-policy",
        &["domain.mapping"],
        "each mapped API's resource policy admits the endpoint too, by evaluation (a call through the domain needs both)",
        Check::Domain(|id, _, d, arn| vec![domain::api_policy(id, d, arn)], None),
    ),
    spec(
        "domain.access-mode",
        &["domain.exists"],
        "warns when a `SecurityPolicy_*` domain is in STRICT access mode: calls by the endpoint's DNS name with a Host header, or through a front door, fail",
        Check::Domain(|id, _, d, _| vec![domain::access_mode(id, d)], None),
    ),
    spec(
        "domain.vpce",
        &[],
        "the endpoint (`--vpce`, read with the base credentials) is an available execute-api endpoint of the domain's Region, in a VPC with DNS support and hostnames on",
        Check::Consumer(|id, d, c, arn| vec![domain_consumer::endpoint(id, c, arn, vpce_of(d))], Some(|c| c.endpoint.unit())),
    ),
    spec(
        "domain.share",
        &["domain.exists"],
        "the domain reaches the endpoint's account: its own, or shared through AWS RAM (a pending invitation says to accept it; an expired one, to share again)",
        Check::Consumer(|id, d, c, arn| vec![domain_consumer::share(id, c, arn, vpce_of(d))], None),
    ),
    spec(
        "domain.association",
        &["domain.share", "domain.vpce"],
        "the endpoint has an access association with the domain (by name and id); AWS reports no readiness, so a new one needs about 15 minutes",
        Check::Consumer(|id, d, c, arn| vec![domain_consumer::association(id, c, arn, vpce_of(d))], None),
    ),
    spec(
        "domain.name-clash",
        &["domain.vpce"],
        "the endpoint is not associated with another domain of the same name",
        Check::Consumer(|id, d, c, arn| vec![domain_consumer::name_clash(id, c, arn, vpce_of(d))], None),
    ),
    spec(
        "domain.dns",
        &["domain.vpce"],
        "the most specific private hosted zone for the name in the endpoint's VPC holds an A alias (and AAAA for dualstack) to the endpoint's Regional DNS name, in the zone EC2 reports",
        Check::Consumer(|id, d, c, arn| vec![domain_consumer::dns(id, c, arn, vpce_of(d))], None),
    ),
    spec(
        "domain.endpoint-policy",
        &["domain.vpce"],
        "the endpoint policy allows execute-api:Invoke on the domain's ARN and on each mapped API, by evaluation",
        Check::Consumer(|id, d, c, arn| vec![domain_consumer::endpoint_policy(id, d, c, arn, vpce_of(d))], None),
    ),
    spec(
        "mtls.consumer-endpoint",
        &["mtls.principals"],
        "the consumer's endpoint (`--vpce`) to the stack's service is available, not waiting for acceptance or rejected",
        Check::Mtls(|id, _, m| vec![mtls::consumer_endpoint(id, m)], Some(|_, m| m.consumer_endpoint.unit())),
    ),
    spec(
        "mtls.service",
        &[],
        "the stack's endpoint service exists, is available and requires acceptance",
        Check::Mtls(|id, _, m| vec![mtls::service(id, m)], Some(|_, m| m.service.unit())),
    ),
    spec(
        "mtls.principals",
        &["mtls.service"],
        "the service's allowed principals hold no `*` and include the consumer's account",
        Check::Mtls(|id, _, m| vec![mtls::principals(id, m)], None),
    ),
    spec(
        "mtls.nlb",
        &[],
        "the stack's NLB is internal, with a TCP 443 listener to the stack's target group",
        Check::Mtls(|id, _, m| vec![mtls::nlb(id, m)], Some(|_, m| m.load_balancer.unit())),
    ),
    spec(
        "mtls.cross-zone",
        &["mtls.nlb"],
        "the proxy's NLB has cross-zone load balancing on (off, a zone without a running task answers nothing)",
        Check::Mtls(
            |id, _, m| {
                vec![checks::cross_zone(
                    id,
                    &m.load_balancer,
                    &m.cross_zone,
                    &m.targets,
                    &format!("re-run `xapi mtls deploy --name {} ...` as the stack was deployed", m.stack),
                )]
            },
            None,
        ),
    ),
    spec(
        "mtls.targets",
        &["mtls.nlb", "mtls.tasks"],
        "at least one healthy target; health check HTTP 8080 `/health`",
        Check::Mtls(|id, _, m| vec![mtls::targets(id, m)], Some(|_, m| m.target_group.unit())),
    ),
    spec(
        "mtls.tasks",
        &["mtls.secret"],
        "the ECS service runs as many tasks as desired, on the stack's latest task definition",
        Check::Mtls(|id, _, m| vec![mtls::tasks(id, m)], Some(|_, m| m.tasks.unit())),
    ),
    spec(
        "mtls.secret",
        &[],
        "the certificate secret holds the server certificate, its key and the client CA, no other private key, and the certificate is valid (warns 30 days before expiry); every CA in the client CA chain has a CRL whose next update has not passed (warns 14 days ahead)",
        Check::Mtls(|id, s, m| vec![mtls::secret(id, s, m)], Some(|_, m| m.secret.unit())),
    ),
    spec(
        "mtls.upstream-endpoint",
        &[],
        "the proxy's VPC has an available execute-api endpoint with private DNS whose security groups admit TCP 443 from the tasks",
        Check::Mtls(|id, _, m| vec![mtls::upstream_endpoint(id, m)], None),
    ),
    spec(
        "mtls.api-policy",
        &["mtls.upstream-endpoint"],
        "the private API (`--api-id`) admits the proxy VPC's endpoint, by evaluation",
        Check::Mtls(|id, s, m| vec![mtls::api_policy(id, s, m)], Some(|s, _| s.api.unit())),
    ),
];

pub fn spec_of(id: &str) -> Option<&'static CheckSpec> {
    CATALOGUE.iter().find(|c| c.id == id)
}

/// The README's list of checks, one line each.
pub fn markdown() -> String {
    CATALOGUE
        .iter()
        .map(|c| {
            let needs = if c.needs.is_empty() {
                String::new()
            } else {
                format!(
                    " (after {})",
                    c.needs
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            format!("- `{}`: {}{needs}\n", c.id, c.about)
        })
        .collect()
}

/// Skip every finding whose prerequisite failed or could not be evaluated,
/// naming the first such prerequisite. A check that produced no finding at all
/// (its part of the chain was not asked about) blocks nothing.
pub fn apply_prerequisites(findings: &mut [Finding]) {
    let mut raw: BTreeMap<&'static str, bool> = BTreeMap::new();
    for f in findings.iter() {
        if let Some(spec) = spec_of(&f.check) {
            let bad = matches!(f.status, Status::Fail | Status::Skip);
            *raw.entry(spec.id).or_default() |= bad;
        }
    }
    // The graph is acyclic (a test checks), so the recursion ends.
    fn blocker(id: &str, raw: &BTreeMap<&'static str, bool>) -> Option<&'static str> {
        spec_of(id)?
            .needs
            .iter()
            .copied()
            .find(|need| raw.get(need).copied().unwrap_or(false) || blocker(need, raw).is_some())
    }
    for f in findings.iter_mut() {
        if let Some(by) = blocker(&f.check, &raw) {
            f.status = Status::Skip;
            f.message = format!("blocked by {by}");
            f.fix = None;
            f.blocked_by = Some(by.to_owned());
        }
    }
}
