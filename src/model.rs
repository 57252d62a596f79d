//! The crate's own view of AWS resources: what adapters in `aws/` return and
//! pure cores consume. Plain data, serialisable, no SDK types.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Vpc {
    pub id: String,
    pub cidr_blocks: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct VpcDns {
    pub support: bool,
    pub hostnames: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub availability_zone: String,
    /// The zone's id (`use1-az1`), the same in every account, unlike its name.
    #[serde(default)]
    pub availability_zone_id: String,
    pub cidr_block: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Endpoint {
    pub id: String,
    pub vpc_id: String,
    pub service_name: String,
    pub endpoint_type: String,
    /// Lower case as EC2 sends it (`available`, `pending`, ...).
    pub state: String,
    pub private_dns_enabled: bool,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub network_interface_ids: Vec<String>,
    pub dns_names: Vec<String>,
    /// Each DNS name with the Route 53 zone that serves it (an alias needs both).
    #[serde(default)]
    pub dns_entries: Vec<DnsEntry>,
    /// `ipv4`, `dualstack` or `ipv6`, when EC2 says.
    #[serde(default)]
    pub ip_address_type: Option<String>,
    pub policy_document: Option<String>,
    pub owner_id: String,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DnsEntry {
    pub dns_name: String,
    pub hosted_zone_id: String,
}

impl Endpoint {
    pub fn is_available(&self) -> bool {
        self.state.eq_ignore_ascii_case("available")
    }

    /// Deleted, failed and rejected endpoints are history, not candidates for reuse.
    pub fn is_live(&self) -> bool {
        !["deleted", "deleting", "failed", "rejected", "expired"]
            .iter()
            .any(|s| self.state.eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct NetworkInterface {
    pub id: String,
    pub subnet_id: String,
    pub availability_zone: String,
    pub private_ip: String,
}

/// A network interface of a VPC, as far as telling workloads from plumbing needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct VpcInterface {
    pub id: String,
    /// `interface`, `vpc_endpoint`, `network_load_balancer`, `lambda`, ...
    pub interface_type: String,
    pub description: String,
    /// The instance it is attached to, if any.
    pub instance_id: Option<String>,
    pub group_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    pub ingress: Vec<IngressRule>,
    /// Outbound rules (the same shape; `cidrs` are destinations).
    #[serde(default)]
    pub egress: Vec<IngressRule>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp`, or `-1` for all traffic.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub cidrs: Vec<String>,
    pub ipv6_cidrs: Vec<String>,
    pub source_groups: Vec<String>,
    pub prefix_lists: Vec<String>,
}

/// The one TCP port of every call xapi wires: API Gateway serves HTTPS only, on 443, so
/// front doors, endpoint targets and the mTLS proxy all listen and forward on it.
pub const HTTPS_PORT: i32 = 443;

/// The method the front door serves on both of its paths, and the one its
/// integrations call.
pub const FRONT_METHOD: &str = "ANY";

/// Every IPv4 address: the destination of the all-traffic egress rule a new
/// security group starts with.
pub const ANYWHERE_V4: &str = "0.0.0.0/0";

impl IngressRule {
    /// Whether this rule lets TCP 443 through: in for an ingress rule (from
    /// any of its sources), out for an egress rule (to any of its destinations).
    pub fn admits_tcp_443(&self) -> bool {
        match self.protocol.as_str() {
            "-1" | "all" => true,
            p if p.eq_ignore_ascii_case("tcp") || p == "6" => {
                match (self.from_port, self.to_port) {
                    (Some(from), Some(to)) => from <= HTTPS_PORT && HTTPS_PORT <= to,
                    _ => true,
                }
            }
            _ => false,
        }
    }

    /// The sources this rule names, for display.
    pub fn sources(&self) -> Vec<String> {
        self.cidrs
            .iter()
            .chain(&self.ipv6_cidrs)
            .chain(&self.source_groups)
            .chain(&self.prefix_lists)
            .cloned()
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RestApi {
    pub id: String,
    pub name: String,
    /// `PRIVATE`, `REGIONAL` or `EDGE`.
    pub endpoint_types: Vec<String>,
    pub vpc_endpoint_ids: Vec<String>,
    /// The resource policy exactly as the API returns it (AWS escapes it).
    pub policy: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl RestApi {
    pub fn is_private(&self) -> bool {
        self.endpoint_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("PRIVATE"))
    }
}

/// A custom domain name as API Gateway reports it. For a domain another
/// account shares, only `name`, `id` and `arn` are known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainName {
    pub name: String,
    /// The `domainNameId`: empty for a public domain.
    pub id: String,
    /// `arn:...:/domainnames/{name}+{id}`; empty where AWS gives none.
    pub arn: String,
    /// `PRIVATE`, `REGIONAL` or `EDGE`.
    pub endpoint_types: Vec<String>,
    /// `PENDING`, `AVAILABLE`, `UPDATING`, `FAILED`, ...
    pub status: Option<String>,
    pub status_message: Option<String>,
    pub certificate_arn: Option<String>,
    pub security_policy: Option<String>,
    /// `BASIC` or `STRICT` (with a `SecurityPolicy_*` policy only): STRICT
    /// refuses a call whose TLS server name is not the domain's.
    #[serde(default)]
    pub endpoint_access_mode: Option<String>,
    /// The execute-api policy (who may invoke through the domain).
    pub policy: Option<String>,
    /// Who may associate an endpoint with it (RAM writes this when sharing).
    pub management_policy: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl DomainName {
    pub fn is_private(&self) -> bool {
        self.endpoint_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("PRIVATE"))
    }
}

/// One base path of a domain, routed to one stage of one API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct BasePathMapping {
    /// `(none)` is API Gateway's name for the empty base path.
    pub base_path: String,
    pub api_id: String,
    pub stage: String,
}

/// The one base path API Gateway reports when none was given.
pub const EMPTY_BASE_PATH: &str = "(none)";

/// A domain name access association: a consumer's VPC endpoint allowed to
/// reach a private domain. AWS reports no status for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AccessAssociation {
    /// Its ARN, in the consumer's account; AWS shows it with and without the
    /// domain's `+id`, so it is parsed, never built.
    pub arn: String,
    pub domain_arn: String,
    /// The endpoint (`vpce-...`) when the source type is `VPCE`.
    pub source: String,
    pub source_type: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// An AWS RAM invitation to a resource share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ShareInvitation {
    pub arn: String,
    pub share_arn: String,
    pub share_name: String,
    pub sender_account: String,
    pub receiver_account: String,
    /// `PENDING`, `ACCEPTED`, `REJECTED` or `EXPIRED` (after 12 hours).
    pub status: String,
}

/// An AWS RAM resource share this account owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ResourceShare {
    pub arn: String,
    pub name: String,
    /// `ACTIVE`, `PENDING`, `FAILED`, `DELETING` or `DELETED`.
    pub status: String,
    pub allow_external_principals: bool,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// One principal or resource of a resource share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ShareMember {
    /// An account id, an organization or OU ARN, or a resource ARN.
    pub entity: String,
    /// `PRINCIPAL` or `RESOURCE`.
    pub kind: String,
    /// `ASSOCIATING`, `ASSOCIATED`, `FAILED`, `DISASSOCIATING` or `DISASSOCIATED`.
    pub status: String,
    pub status_message: Option<String>,
    /// Outside the owner's organization: the principal must accept an invitation.
    pub external: bool,
}

impl ShareMember {
    /// Associated or on its way: asking again would change nothing.
    pub fn is_member(&self) -> bool {
        matches!(self.status.as_str(), "ASSOCIATED" | "ASSOCIATING")
    }
}

/// A Route 53 private hosted zone, by its bare id (no `/hostedzone/`) and
/// its name without the final dot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct HostedZone {
    pub id: String,
    pub name: String,
}

/// A Route 53 alias record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AliasRecord {
    /// Without the final dot, lower case.
    pub name: String,
    /// `A` or `AAAA`.
    pub record_type: String,
    /// The alias target's DNS name, without the final dot, lower case.
    pub target: String,
    pub target_zone: String,
}

impl AccessAssociation {
    /// The account that owns the association (the consumer's).
    pub fn account(&self) -> &str {
        self.arn.split(':').nth(4).unwrap_or_default()
    }
}

/// An ACM certificate, as far as a custom domain depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Certificate {
    pub arn: String,
    /// `ISSUED`, `PENDING_VALIDATION`, `EXPIRED`, ...
    pub status: String,
    pub domain_name: String,
    /// The names it covers, the domain name included.
    pub subject_alternative_names: Vec<String>,
    /// `RSA_2048`, `EC_prime256v1`, ...
    pub key_algorithm: String,
    /// Seconds since the epoch.
    pub not_after: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Stage {
    pub name: String,
    pub deployment_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Deployment {
    pub id: String,
    pub description: Option<String>,
}

/// What a method does, as far as xapi compares a stage's deployment with the
/// draft: who may call it and where its integration sends the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct MethodShape {
    /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
    pub authorization: String,
    pub api_key_required: bool,
    /// `None`: the answer did not describe the integration (see [`ExportedStage`]).
    pub integration: Option<IntegrationShape>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct IntegrationShape {
    /// Upper case: `HTTP_PROXY`, `AWS_PROXY`, `MOCK`, ...
    pub kind: String,
    pub http_method: Option<String>,
    pub uri: Option<String>,
    /// `INTERNET` or `VPC_LINK`.
    pub connection_type: String,
    pub connection_id: Option<String>,
}

/// Every method of an API, keyed `METHOD /path` (`ANY /{proxy+}`).
pub type ApiShape = BTreeMap<String, MethodShape>;

/// What a stage's export says its deployment serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedStage {
    /// `x-amazon-apigateway-policy`, as a JSON string.
    pub policy: Option<String>,
    /// The deployed methods; a method's integration is `None` when the export
    /// does not carry API Gateway's extension for it (AWS always does when
    /// asked for extensions, moto 5.2.5 never does).
    pub methods: std::result::Result<ApiShape, String>,
}

impl ExportedStage {
    /// Read an OpenAPI 3 export with API Gateway's extensions (or a Swagger 2
    /// one: the emulator's shape), as GetExport returns it.
    pub fn from_json(doc: &serde_json::Value) -> ExportedStage {
        let policy = match doc.get("x-amazon-apigateway-policy") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        ExportedStage {
            policy,
            methods: export_methods(doc),
        }
    }
}

/// The HTTP methods an export's path item may hold, as API Gateway names them.
const EXPORT_METHODS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("put", "PUT"),
    ("post", "POST"),
    ("delete", "DELETE"),
    ("options", "OPTIONS"),
    ("head", "HEAD"),
    ("patch", "PATCH"),
    ("x-amazon-apigateway-any-method", "ANY"),
    ("any", "ANY"),
];

fn export_methods(doc: &serde_json::Value) -> std::result::Result<ApiShape, String> {
    let schemes = doc
        .pointer("/components/securitySchemes")
        .or_else(|| doc.get("securityDefinitions"));
    let mut shape = ApiShape::new();
    let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) else {
        return Err("the export has no paths".into());
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (key, op) in item {
            let Some((_, method)) = EXPORT_METHODS
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
            else {
                continue;
            };
            let (authorization, api_key_required) =
                export_security(op, schemes).map_err(|e| format!("{method} {path}: {e}"))?;
            let integration = op.get("x-amazon-apigateway-integration").map(|i| {
                let text = |k: &str| i.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                IntegrationShape {
                    kind: text("type").unwrap_or_default().to_ascii_uppercase(),
                    http_method: text("httpMethod").map(|m| m.to_ascii_uppercase()),
                    uri: text("uri"),
                    connection_type: text("connectionType")
                        .map(|c| c.to_ascii_uppercase())
                        .unwrap_or_else(|| "INTERNET".into()),
                    connection_id: text("connectionId").filter(|c| !c.is_empty()),
                }
            });
            shape.insert(
                format!("{method} {path}"),
                MethodShape {
                    authorization,
                    api_key_required,
                    integration,
                },
            );
        }
    }
    Ok(shape)
}

/// A method's authorization type and API-key requirement from its `security`
/// requirements and the export's security schemes.
fn export_security(
    op: &serde_json::Value,
    schemes: Option<&serde_json::Value>,
) -> std::result::Result<(String, bool), String> {
    let mut authorization = "NONE".to_owned();
    let mut api_key = false;
    let names = op
        .get("security")
        .and_then(|s| s.as_array())
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_object())
        .flat_map(|r| r.keys());
    for name in names {
        let scheme = schemes.and_then(|s| s.get(name));
        let authtype = scheme
            .and_then(|s| s.get("x-amazon-apigateway-authtype"))
            .and_then(|v| v.as_str())
            .map(str::to_ascii_lowercase);
        let header = scheme
            .and_then(|s| s.get("name"))
            .and_then(|v| v.as_str())
            .map(str::to_ascii_lowercase);
        match (authtype.as_deref(), header.as_deref()) {
            (Some("awssigv4"), _) => authorization = "AWS_IAM".into(),
            (Some("cognito_user_pools"), _) => authorization = "COGNITO_USER_POOLS".into(),
            (Some(_), _) => authorization = "CUSTOM".into(),
            (None, Some("x-api-key")) => api_key = true,
            _ => return Err(format!("security scheme '{name}' is not one xapi knows")),
        }
    }
    Ok((authorization, api_key))
}

/// AWS's default endpoint policy allows everything; anything else was set on purpose.
pub fn is_default_endpoint_policy(raw: Option<&str>) -> bool {
    let Some(document) = raw.and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok()) else {
        return true;
    };
    let is_full_access = |s: &serde_json::Value| {
        s.get("Effect").and_then(|v| v.as_str()) == Some("Allow")
            && s.get("Principal").and_then(|v| v.as_str()) == Some("*")
            && s.get("Action").and_then(|v| v.as_str()) == Some("*")
            && s.get("Resource").and_then(|v| v.as_str()) == Some("*")
            && s.get("Condition").is_none()
    };
    match document.get("Statement") {
        None => document.is_null(),
        Some(serde_json::Value::Array(st)) => st.len() == 1 && is_full_access(&st[0]),
        Some(single) => is_full_access(single),
    }
}

/// Tags xapi puts on everything it creates for a stack, so a re-run finds it
/// again and `teardown` deletes exactly that.
pub const STACK_TAG: &str = "xapi:stack";
/// A random id written next to [`STACK_TAG`] on every resource of one stack, so that
/// two stacks given the same name (by two operators) never count as one.
pub const STACK_ID_TAG: &str = "xapi:stack-id";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LoadBalancer {
    pub arn: String,
    pub name: String,
    pub dns_name: String,
    /// `internal` or `internet-facing`.
    pub scheme: String,
    /// `network`, `application` or `gateway` (from the Type field; moto's ARNs say `/app/` even for NLBs).
    pub lb_type: String,
    /// `active`, `provisioning`, `failed`...
    pub state: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    /// The zones it has a node in, each answering for the load balancer's DNS name.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// The load balancer's own groups (a network load balancer may have none).
    #[serde(default)]
    pub security_groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct HealthCheck {
    pub protocol: String,
    pub port: String,
    pub path: Option<String>,
    pub matcher: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    pub protocol: String,
    pub port: i32,
    /// `ip`, `instance`, `lambda` or `alb`.
    pub target_type: String,
    pub vpc_id: String,
    pub health_check: HealthCheck,
    pub load_balancer_arns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Target {
    pub ip: String,
    pub port: i32,
    /// The interface's AZ, or `all` for an address outside the target group's VPC.
    pub availability_zone: Option<String>,
}

/// The targets a group serves from: a deregistered target stays listed as
/// `draining` for the deregistration delay (300 s by default), and counting
/// it would make a sync that just removed it look unfinished.
pub fn registered_targets(health: Vec<TargetHealth>) -> Vec<Target> {
    health
        .into_iter()
        .filter(TargetHealth::is_registered)
        .map(|h| h.target)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TargetHealth {
    pub target: Target,
    /// `initial`, `healthy`, `unhealthy`, `draining`, `unused`, `unavailable`.
    pub state: String,
    pub reason: Option<String>,
    pub description: Option<String>,
}

impl TargetHealth {
    /// Registered, and not on its way out: a draining target takes no new connections.
    pub fn is_registered(&self) -> bool {
        self.state != "draining"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Listener {
    pub arn: String,
    pub port: i32,
    pub protocol: String,
    pub forward_target_group_arns: Vec<String>,
}

/// Which of API Gateway's two VPC link kinds a link is. A REST API reaches a
/// v1 link (apigateway `VpcLink`, bound to one network load balancer by its
/// `targetArns`) and, since late 2025, a v2 link (apigatewayv2 `VpcLink`:
/// network interfaces in subnets, under security groups, bound to no load
/// balancer; each integration names its load balancer in `integrationTarget`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub enum LinkVersion {
    #[default]
    V1,
    V2,
}

impl LinkVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkVersion::V1 => "V1",
            LinkVersion::V2 => "V2",
        }
    }

    /// The AWS CLI service a link of this kind is managed with.
    pub fn cli_service(self) -> &'static str {
        match self {
            LinkVersion::V1 => "apigateway",
            LinkVersion::V2 => "apigatewayv2",
        }
    }
}

impl fmt::Display for LinkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct VpcLink {
    pub id: String,
    pub name: String,
    /// Snapshots written before v2 links existed hold only v1 links.
    #[serde(default)]
    pub version: LinkVersion,
    /// v1: the network load balancer the link is bound to.
    pub target_arns: Vec<String>,
    /// v2: where the link's network interfaces live.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// v2: the groups on the link's network interfaces.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// `AVAILABLE`, `PENDING`, `DELETING`, `FAILED`, or (v2, after 60 days
    /// without traffic) `INACTIVE`.
    pub status: String,
    pub status_message: Option<String>,
    pub tags: BTreeMap<String, String>,
}

impl VpcLink {
    /// A link on its way out no longer serves anything, nor can it be reused.
    pub fn is_live(&self) -> bool {
        self.status != "DELETING"
    }
}

/// A REST API as GetRestApis lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RestApiSummary {
    pub id: String,
    pub name: String,
    pub endpoint_types: Vec<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ApiResource {
    pub id: String,
    pub path: String,
    pub methods: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Integration {
    /// `HTTP_PROXY`, `AWS_PROXY`, `MOCK`...
    pub integration_type: String,
    pub http_method: Option<String>,
    pub uri: Option<String>,
    /// `VPC_LINK` or `INTERNET`.
    pub connection_type: Option<String>,
    /// Not every API Gateway implementation reports it back; `None` means unknown.
    pub connection_id: Option<String>,
    /// The load balancer a VPC link v2 connection goes to; `None` for v1
    /// links and where API Gateway did not report it.
    #[serde(default)]
    pub integration_target: Option<String>,
    pub request_parameters: BTreeMap<String, String>,
}

/// An ECS cluster. `status` is `ACTIVE`, `PROVISIONING`, `INACTIVE`...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EcsCluster {
    pub arn: String,
    pub name: String,
    pub status: String,
    pub tags: BTreeMap<String, String>,
}

impl EcsCluster {
    /// A deleted cluster stays listed as `INACTIVE` for a while.
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("ACTIVE")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PortMapping {
    pub container_port: i32,
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    /// Hard memory limit in MiB.
    pub memory: Option<i32>,
    pub port_mappings: Vec<PortMapping>,
    pub log_driver: Option<String>,
    pub log_options: BTreeMap<String, String>,
    /// Environment variables filled from secrets at task start: name -> `valueFrom` ARN.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
}

/// A Secrets Manager secret, without its value: only a hash of it, to tell
/// whether it needs updating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SecretInfo {
    pub arn: String,
    pub name: String,
    pub value_sha256: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// An ECS task definition revision (or one to register).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TaskDefinition {
    /// Empty until registered.
    pub arn: String,
    pub family: String,
    pub revision: i32,
    pub network_mode: String,
    pub requires_compatibilities: Vec<String>,
    pub cpu: String,
    pub memory: String,
    pub execution_role_arn: Option<String>,
    pub containers: Vec<ContainerSpec>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ServiceLoadBalancer {
    pub target_group_arn: String,
    pub container_name: String,
    pub container_port: i32,
}

/// An ECS service. `status` is `ACTIVE`, `DRAINING` or `INACTIVE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EcsService {
    pub arn: String,
    pub name: String,
    pub cluster_arn: String,
    pub status: String,
    pub task_definition: String,
    pub launch_type: Option<String>,
    pub desired_count: i32,
    pub running_count: i32,
    pub pending_count: i32,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub assign_public_ip: bool,
    pub load_balancers: Vec<ServiceLoadBalancer>,
    pub tags: BTreeMap<String, String>,
}

impl EcsService {
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("ACTIVE")
    }
}

/// A VPC endpoint service this account provides (PrivateLink's producer side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointService {
    pub id: String,
    /// What consumers pass to CreateVpcEndpoint: `com.amazonaws.vpce.<region>.vpce-svc-...`.
    pub service_name: String,
    /// Lower case: `available`, `pending`, `deleting`, `deleted`, `failed`.
    pub state: String,
    pub acceptance_required: bool,
    pub load_balancer_arns: Vec<String>,
    pub tags: BTreeMap<String, String>,
}

/// A Lambda function's VPC attachment (pattern 2's caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LambdaVpc {
    pub function_name: String,
    pub function_arn: String,
    /// `None` when the function is not attached to a VPC.
    pub vpc_id: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// A consumer's endpoint connected (or asking to connect) to an endpoint service.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointConnection {
    pub vpce_id: String,
    /// The consumer's account.
    pub owner: String,
    /// `pendingAcceptance`, `pending`, `available`, `rejected`...
    pub state: String,
}

impl EndpointConnection {
    pub fn is_pending_acceptance(&self) -> bool {
        self.state.eq_ignore_ascii_case("pendingAcceptance")
    }
}

impl EndpointService {
    pub fn is_live(&self) -> bool {
        !["deleting", "deleted", "failed"]
            .iter()
            .any(|s| self.state.eq_ignore_ascii_case(s))
    }
}

/// The principal that admits a whole account to an endpoint service.
pub fn account_root_principal(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// An account of the organization as ListAccounts lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// The account's `State` (`ACTIVE`, `SUSPENDED`, `PENDING_ACTIVATION`,
    /// `PENDING_CLOSURE`, `CLOSED`), else its retired `Status`; `None` when
    /// Organizations sent neither.
    pub state: Option<String>,
}

/// The lifecycle state of an account: Organizations retired `Status` on
/// 2026-09-09 in favour of `State`, so `State` wins and `Status` only stands
/// in for an answer without it.
pub fn account_state(state: Option<&str>, status: Option<&str>) -> Option<String> {
    state
        .or(status)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_uppercase)
}

/// A private custom domain name as an audit reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainRecord {
    /// `arn:...:/domainnames/{name}+{id}`.
    pub arn: String,
    pub name: String,
    /// The execute-api policy, as API Gateway returns it.
    pub policy: Option<String>,
    /// `null` when the mappings could not be read (an `unreadable` entry says why).
    pub mappings: Option<Vec<BasePathMapping>>,
    /// One of the account's AWS RAM shares holds it.
    pub shared: bool,
    /// Every access association with it: other accounts' and the owner's own.
    pub associations: Vec<AccessAssociation>,
}

/// A REST API as GetRestApis lists it, with what the scan read about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ApiRecord {
    pub id: String,
    pub name: String,
    /// `PRIVATE`, `REGIONAL` or `EDGE`.
    pub endpoint_types: Vec<String>,
    pub vpc_endpoint_ids: Vec<String>,
    /// The resource policy as API Gateway returns it.
    pub policy: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// Private APIs only: their stages and what each one's deployment says.
    #[serde(default)]
    pub stages: Vec<StageRecord>,
    /// Front doors made by xapi only: every method's authorization.
    #[serde(default)]
    pub methods: Option<Vec<MethodAuth>>,
}

impl ApiRecord {
    pub fn is_private(&self) -> bool {
        self.endpoint_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("PRIVATE"))
    }

    /// The `xapi:stack` tag of a Regional or edge API: a front door xapi made.
    pub fn front_stack(&self) -> Option<&str> {
        if self.is_private() {
            return None;
        }
        self.tags.get(STACK_TAG).map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct StageRecord {
    pub name: String,
    pub deployment_id: Option<String>,
    pub deployment_description: Option<String>,
    /// What the stage's export (with API Gateway extensions) says its
    /// deployment carries, read only when the deployment has no xapi marker
    /// (see [`export_wanted`]); absent when not read.
    #[serde(default)]
    pub export: Option<StageExport>,
}

/// A stage's OpenAPI export, as far as audit reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct StageExport {
    /// `x-amazon-apigateway-policy` as the export carries it; `None` when it
    /// carries none (the emulator's export never does).
    pub policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct MethodAuth {
    pub path: String,
    pub method: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`.
    pub authorization_type: String,
    pub api_key_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointRecord {
    pub id: String,
    pub vpc_id: String,
    pub owner_id: String,
    /// Lower case as EC2 sends it.
    pub state: String,
}

impl EndpointRecord {
    /// Whether the endpoint can still carry traffic (or will, once accepted).
    pub fn is_live(&self) -> bool {
        !["deleted", "deleting", "failed", "rejected", "expired"]
            .iter()
            .any(|s| self.state.eq_ignore_ascii_case(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draining_target_is_no_longer_registered_but_every_other_state_is() {
        let health = |ip: &str, state: &str| TargetHealth {
            target: Target {
                ip: ip.into(),
                port: 443,
                availability_zone: None,
            },
            state: state.into(),
            reason: None,
            description: None,
        };
        let got = registered_targets(vec![
            health("10.0.0.1", "healthy"),
            health("10.0.0.2", "draining"),
            health("10.0.0.3", "initial"),
            health("10.0.0.4", "unhealthy"),
            health("10.0.0.5", "unused"),
        ]);
        let ips: Vec<&str> = got.iter().map(|t| t.ip.as_str()).collect();
        assert_eq!(ips, ["10.0.0.1", "10.0.0.3", "10.0.0.4", "10.0.0.5"]);
    }

    fn rule(protocol: &str, from: Option<i32>, to: Option<i32>) -> IngressRule {
        IngressRule {
            protocol: protocol.into(),
            from_port: from,
            to_port: to,
            cidrs: vec!["10.0.0.0/16".into()],
            ipv6_cidrs: vec![],
            source_groups: vec![],
            prefix_lists: vec![],
        }
    }

    #[test]
    fn tcp_443_admission() {
        assert!(rule("tcp", Some(443), Some(443)).admits_tcp_443());
        assert!(rule("tcp", Some(0), Some(65535)).admits_tcp_443());
        assert!(rule("-1", None, None).admits_tcp_443());
        assert!(!rule("tcp", Some(80), Some(80)).admits_tcp_443());
        assert!(!rule("udp", Some(443), Some(443)).admits_tcp_443());
    }
}
