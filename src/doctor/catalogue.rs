//! The catalogue of check ids as data: what each check stands on and what it
//! says, in one line. Ids are a contract (scripts match on them); the README's
//! list is generated from here.
//!
//! A check's prerequisites are the checks whose failure makes its own verdict
//! a consequence rather than a cause: when one of them fails (or could not be
//! evaluated), the dependent check is skipped as "blocked by" it, so one root
//! cause gives one failure and no fix is offered for a symptom.

use std::collections::BTreeMap;

use super::{Finding, Status};

pub struct CheckSpec {
    pub id: &'static str,
    /// Checks that must hold before this one's verdict means anything.
    pub needs: &'static [&'static str],
    /// One line for the README.
    pub about: &'static str,
}

const fn spec(id: &'static str, needs: &'static [&'static str], about: &'static str) -> CheckSpec {
    CheckSpec { id, needs, about }
}

/// Every check, grouped by pattern, each group in request-path order.
pub const CATALOGUE: &[CheckSpec] = &[
    spec("lambda.vpc", &[], "the function (`--lambda`) runs in the VPC that holds the execute-api endpoint"),
    spec("lambda.private-dns", &["lambda.vpc"], "the endpoint has private DNS on, so the function's `https://{api}.execute-api...` reaches it"),
    spec("lambda.sg-443", &["lambda.vpc"], "the endpoint's security groups admit TCP 443 from the function's group or subnets"),
    spec("front.integration", &[], "the front API's `ANY /` and `ANY /{proxy+}` are HTTP_PROXY over the VPC link to an existing stage of the private API; over a v2 link, each names its load balancer (`integrationTarget`)"),
    spec("front.exposure", &[], "warns when the front is open to the internet: an `ANY` method without authorization, and no resource policy, or one that admits an anonymous request from a public address it does not name (by evaluation)"),
    spec("link.available", &[], "the VPC link (v1 or v2) is AVAILABLE (PENDING warns; INACTIVE, a v2 link idle for 60 days, warns; FAILED says why, and a v1 link to an application load balancer says to use v2)"),
    spec("link.targets-nlb", &[], "the VPC link leads to the NLB that forwards to the target group: a v1 link targets it; with a v2 link, the front's integrations name it as `integrationTarget`"),
    spec("link.v2-network", &[], "a v2 link's interfaces are in zones v2 links support, in the load balancer's VPC; its groups let TCP 443 out to the load balancer's subnets, and the load balancer's groups (if any) let it in from the link"),
    spec("nlb.listener", &[], "the NLB is internal, network, active, with a TCP 443 listener forwarding to the target group"),
    spec("targetgroup.config", &[], "the target group has ip targets on TCP 443 and a health check of HTTPS `/ping`"),
    spec("targets.match-endpoint", &["endpoint.exists"], "the registered targets are exactly the endpoint's interface addresses"),
    spec("targets.healthy", &["targets.match-endpoint", "endpoint.sg-443"], "every registered target is healthy"),
    spec("endpoint.exists", &[], "the endpoint exists and is an Interface endpoint for `com.amazonaws.{region}.execute-api`"),
    spec("endpoint.available", &["endpoint.exists"], "the endpoint is available"),
    spec("endpoint.sg-443", &["endpoint.exists"], "the endpoint's security groups admit TCP 443 from the NLB's subnets (or from anyone, without an NLB)"),
    spec("endpoint.private-dns", &["endpoint.exists"], "the endpoint has private DNS on (off warns and names the `{api}-{vpce}` alias)"),
    spec("endpoint.vpc-dns", &["endpoint.exists"], "the endpoint's VPC has DNS support and DNS hostnames on, as private DNS needs"),
    spec("endpoint.policy", &["endpoint.exists"], "the endpoint policy allows execute-api:Invoke on the private API"),
    spec("api.private", &[], "the private API exists and its endpoint type is PRIVATE"),
    spec("policy.present", &["api.private"], "the private API has a resource policy that parses"),
    spec("policy.admits-vpce", &["policy.present", "endpoint.exists"], "the resource policy admits the endpoint, by evaluation"),
    spec("policy.restricts-source", &["policy.present"], "the resource policy does not admit every VPC endpoint in the region"),
    spec("policy.size", &["policy.present"], "the resource policy is under 90% of the 8,192-character quota"),
    spec("policy.deployed", &["policy.present"], "each stage's deployment carries the current policy (xapi's marker, else the stage's export)"),
    spec("domain.exists", &[], "the private custom domain (`--domain`, its ARN with the `domainNameId`) exists"),
    spec("domain.private", &["domain.exists"], "the domain's endpoint type is PRIVATE (a public domain cannot be converted)"),
    spec("domain.status", &["domain.exists"], "the domain is AVAILABLE (PENDING and UPDATING warn: about 15 minutes; FAILED says why)"),
    spec("domain.cert", &["domain.exists"], "the domain's ACM certificate is ISSUED, in the domain's Region, covers its name (one wildcard level) with an RSA 2048, ECDSA P-256 or P-384 key (warns 30 days before expiry)"),
    spec("domain.mapping", &["domain.exists"], "the domain maps at least one base path, each to an existing stage of a PRIVATE API"),
    spec("domain.policy", &["domain.exists"], "the domain policy admits the endpoint (`--vpce`), by evaluation; without one, warns when it admits any endpoint"),
    spec("domain.api-policy", &["domain.mapping"], "each mapped API's resource policy admits the endpoint too, by evaluation (a call through the domain needs both)"),
    spec("domain.access-mode", &["domain.exists"], "warns when a `SecurityPolicy_*` domain is in STRICT access mode: calls by the endpoint's DNS name with a Host header, or through a front door, fail"),
    spec("domain.vpce", &[], "the endpoint (`--vpce`, read with the base credentials) is an available execute-api endpoint of the domain's Region, in a VPC with DNS support and hostnames on"),
    spec("domain.share", &["domain.exists"], "the domain reaches the endpoint's account: its own, or shared through AWS RAM (a pending invitation says to accept it; an expired one, to share again)"),
    spec("domain.association", &["domain.share", "domain.vpce"], "the endpoint has an access association with the domain (by name and id); AWS reports no readiness, so a new one needs about 15 minutes"),
    spec("domain.name-clash", &["domain.vpce"], "the endpoint is not associated with another domain of the same name"),
    spec("domain.dns", &["domain.vpce"], "the most specific private hosted zone for the name in the endpoint's VPC holds an A alias (and AAAA for dualstack) to the endpoint's Regional DNS name, in the zone EC2 reports"),
    spec("domain.endpoint-policy", &["domain.vpce"], "the endpoint policy allows execute-api:Invoke on the domain's ARN and on each mapped API, by evaluation"),
    spec("mtls.consumer-endpoint", &["mtls.principals"], "the consumer's endpoint (`--vpce`) to the stack's service is available, not waiting for acceptance or rejected"),
    spec("mtls.service", &[], "the stack's endpoint service exists, is available and requires acceptance"),
    spec("mtls.principals", &["mtls.service"], "the service's allowed principals hold no `*` and include the consumer's account"),
    spec("mtls.nlb", &[], "the stack's NLB is internal, with a TCP 443 listener to the stack's target group"),
    spec("mtls.targets", &["mtls.nlb", "mtls.tasks"], "at least one healthy target; health check HTTP 8080 `/health`"),
    spec("mtls.tasks", &["mtls.secret"], "the ECS service runs as many tasks as desired, on the stack's latest task definition"),
    spec("mtls.secret", &[], "the certificate secret holds the server certificate, its key and the client CA, no other private key, and the certificate is valid (warns 30 days before expiry); every CA in the client CA chain has a CRL whose next update has not passed (warns 14 days ahead)"),
    spec("mtls.upstream-endpoint", &[], "the proxy's VPC has an available execute-api endpoint with private DNS whose security groups admit TCP 443 from the tasks"),
    spec("mtls.api-policy", &["mtls.upstream-endpoint"], "the private API (`--api-id`) admits the proxy VPC's endpoint, by evaluation"),
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
