//! The `--output json` documents as README.md ("### Output") documents them,
//! written out independently of xapi's own types, so that a renamed, retyped
//! or dropped field fails the test that reads it instead of reading as null.
//!
//! Fields are only ever added, so unknown fields are accepted. A field is an
//! `Option` exactly where xapi can print `null` for it; everything else must
//! be present with its type.

use std::collections::BTreeMap;

use serde::Deserialize;

/// What a mutating command did (every mutating command's `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Planned,
    Unchanged,
    Applied,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verb {
    Create,
    Reuse,
    Change,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Plan {
    pub identity: String,
    pub actions: Vec<Action>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Action {
    pub verb: Verb,
    pub resource: String,
    pub target: String,
    pub details: Vec<String>,
}

/// `whoami`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Whoami {
    pub schema_version: u32,
    pub identities: Vec<Identity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Identity {
    pub side: String,
    pub account: String,
    pub arn: String,
    pub region: String,
}

/// What `endpoint create` and `vpc-link create` did with the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Made {
    Planned,
    Created,
    Reused,
}

/// `endpoint create`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EndpointCreate {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub action: Made,
    pub plan: Plan,
    /// `null` in a dry run.
    pub endpoint: Option<Endpoint>,
}

/// `endpoint list`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EndpointList {
    pub schema_version: u32,
    pub region: String,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub vpc_id: String,
    pub state: String,
    pub private_dns_enabled: bool,
    pub subnet_ids: Vec<String>,
    pub network_interfaces: Vec<NetworkInterface>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NetworkInterface {
    pub id: String,
    pub subnet_id: String,
    pub availability_zone: String,
    pub private_ip: String,
}

/// `endpoint show`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EndpointShow {
    pub schema_version: u32,
    pub id: String,
    pub service_name: String,
    pub endpoint_type: String,
    pub vpc_id: String,
    pub owner_id: String,
    pub state: String,
    pub private_dns_enabled: bool,
    pub dns_names: Vec<String>,
    pub security_groups: Vec<SecurityGroup>,
    pub policy: EndpointPolicy,
    pub network_interfaces: Vec<NetworkInterface>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub tcp_443_from: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EndpointPolicy {
    pub kind: PolicyKind,
    /// `null` when the endpoint has no policy document that reads as JSON.
    pub document: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    Default,
    Custom,
}

/// `grant-vpce` and `revoke-vpce`. The same document, without
/// `schema_version`, is `wire-regional-front`'s `producer`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Grant {
    pub schema_version: u32,
    #[serde(flatten)]
    pub access: Access,
}

impl std::ops::Deref for Grant {
    type Target = Access;
    fn deref(&self) -> &Access {
        &self.access
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Access {
    pub outcome: Outcome,
    pub api_id: String,
    pub mode: Mode,
    pub dry_run: bool,
    pub changed: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: Vec<String>,
    pub stages: Vec<StageDeployment>,
    pub associated: Vec<String>,
    pub disassociated: Vec<String>,
    pub backup: Option<String>,
    pub policy_sha256: Option<String>,
    pub invoke_urls: Vec<String>,
    pub diff: Option<String>,
    pub warnings: Vec<String>,
    pub references: Vec<Reference>,
    pub still_admitted: Vec<StillAdmitted>,
    pub plan: Plan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Grant,
    Revoke,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StageDeployment {
    pub stage: String,
    /// `null` in a dry run.
    pub deployment_id: Option<String>,
}

/// A granted endpoint and the admitted one it now behaves exactly like.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Reference {
    pub vpce: String,
    pub like: Like,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Like {
    Endpoint(String),
    Matching(String),
    AnyEndpointIn(String),
    AnyEndpoint,
    Nothing,
    NewAllow(Vec<String>),
}

/// An endpoint a statement that does not name it still admits after a revoke.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StillAdmitted {
    pub vpce: String,
    pub statements: Vec<String>,
    pub resources: Vec<String>,
    pub example: Option<String>,
    pub only_from_vpcs: Vec<String>,
    pub approximated: bool,
}

/// `wire-regional-front`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Wire {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub stack: String,
    /// The stack's `xapi:stack-id`.
    pub stack_id: String,
    pub dry_run: bool,
    pub changed: bool,
    pub plan: Plan,
    /// `null` in a dry run.
    pub resources: Option<FrontResources>,
    /// `null` without producer credentials.
    pub producer: Option<Access>,
    /// `null` with producer credentials.
    pub producer_command: Option<String>,
    pub invoke_url: Option<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FrontResources {
    pub load_balancer_arn: Option<String>,
    pub load_balancer_dns: Option<String>,
    pub target_group_arn: Option<String>,
    pub vpc_link_id: Option<String>,
    /// `V1` or `V2`.
    pub vpc_link_version: Option<String>,
    /// The group on a v2 link's interfaces.
    pub link_security_group_id: Option<String>,
    pub front_api_id: Option<String>,
    pub front_stage: String,
    pub targets: Vec<String>,
}

/// `targets sync`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TargetsSync {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub target_group_arn: String,
    pub vpce: String,
    pub dry_run: bool,
    pub changed: bool,
    pub register: Vec<Target>,
    pub deregister: Vec<Target>,
    pub stale: Vec<Target>,
    pub unchanged: Vec<Target>,
    pub plan: Plan,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Target {
    pub ip: String,
    pub port: i32,
    pub availability_zone: Option<String>,
}

/// `vpc-link create`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VpcLinkCreate {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub action: Made,
    /// `null` in a dry run.
    pub link: Option<VpcLink>,
    pub plan: Plan,
}

/// `vpc-link list`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VpcLinkList {
    pub schema_version: u32,
    pub links: Vec<VpcLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VpcLink {
    pub id: String,
    pub name: String,
    /// `V1` or `V2`.
    pub version: String,
    pub target_arns: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub status: String,
    pub status_message: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// `policy show`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PolicyShow {
    pub schema_version: u32,
    pub api_id: String,
    pub name: String,
    pub endpoint_types: Vec<String>,
    pub associated_vpces: Vec<String>,
    /// `null` when the API has no resource policy.
    pub policy: Option<serde_json::Value>,
    pub summary: Option<AccessSummary>,
    pub lease: Lease,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccessSummary {
    pub admitted_vpces: Vec<String>,
    pub admitted_vpcs: Vec<String>,
    pub open_to_any_endpoint: bool,
    pub restricted_resources: Vec<String>,
    pub statement_count: usize,
    pub approximated: Vec<String>,
    pub size: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Lease {
    Free,
    Held {
        holder: LeaseHolder,
        expires_in_secs: u64,
    },
    Expired {
        holder: LeaseHolder,
    },
    Unreadable {
        error: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LeaseHolder {
    pub arn: String,
    pub host: String,
    pub pid: u32,
}

/// `policy restore`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PolicyRestore {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub api_id: String,
    pub dry_run: bool,
    pub changed: bool,
    pub restored_from: String,
    pub backup: Option<String>,
    pub stages: Vec<StageDeployment>,
    pub policy_sha256: Option<String>,
    pub diff: Option<String>,
    pub plan: Plan,
}

/// `doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Doctor {
    pub schema_version: u32,
    pub findings: Vec<Finding>,
    pub summary: DoctorSummary,
}

impl Doctor {
    /// The finding of `check`; there is one for every check that ran.
    pub fn finding(&self, check: &str) -> &Finding {
        self.findings
            .iter()
            .find(|f| f.check == check)
            .unwrap_or_else(|| panic!("no {check} finding: {self:#?}"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Finding {
    pub check: String,
    pub status: Status,
    pub resource: String,
    pub message: String,
    pub fix: Option<String>,
    pub blocked_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DoctorSummary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

/// `mtls deploy`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MtlsDeploy {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub name: String,
    /// The stack's `xapi:stack-id`.
    pub stack_id: String,
    pub dry_run: bool,
    pub changed: bool,
    pub plan: Plan,
    pub stack: MtlsStack,
}

/// Each id is `null` while (in a dry run) the resource does not exist yet.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MtlsStack {
    pub security_group_id: Option<String>,
    pub target_group_arn: Option<String>,
    pub load_balancer_arn: Option<String>,
    pub load_balancer_dns_name: Option<String>,
    pub listener_arn: Option<String>,
    pub cluster_arn: Option<String>,
    pub task_definition_arn: Option<String>,
    pub service_arn: Option<String>,
    pub endpoint_service_id: Option<String>,
    pub endpoint_service_name: Option<String>,
    pub allowed_principals: Vec<String>,
}

/// `mtls allow`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MtlsAllow {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub name: String,
    pub endpoint_service_id: String,
    pub principal: String,
    pub mode: AllowMode,
    pub dry_run: bool,
    pub changed: bool,
    pub allowed_principals: Vec<String>,
    pub cut: Vec<Connection>,
    pub still_admitted_by: Vec<String>,
    pub plan: Plan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AllowMode {
    Allow,
    Revoke,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Connection {
    pub vpce_id: String,
    pub owner: String,
    pub state: String,
}

/// `mtls accept`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MtlsAccept {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub name: String,
    pub endpoint_service_id: String,
    pub dry_run: bool,
    pub accepted: Vec<Connection>,
    pub not_allowed: Vec<Connection>,
    pub connections: Vec<Connection>,
    pub plan: Plan,
}

/// `mtls show`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MtlsShow {
    pub schema_version: u32,
    pub name: String,
    pub endpoint_service: EndpointService,
    pub load_balancer: Option<String>,
    pub target_group: Option<String>,
    pub targets: Vec<TargetHealth>,
    /// `null` when the ECS service is missing.
    pub tasks: Option<Tasks>,
    pub revocation: Revocation,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EndpointService {
    pub id: String,
    pub service_name: String,
    pub state: String,
    pub acceptance_required: bool,
    pub load_balancer_arns: Vec<String>,
    pub allowed_principals: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TargetHealth {
    pub target: Target,
    pub state: String,
    pub reason: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Tasks {
    pub cluster: String,
    pub service: String,
    pub status: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub task_definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Revocation {
    pub secret: String,
    pub crls: Vec<Crl>,
    /// Why `crls` is empty, when it is.
    pub problem: Option<String>,
    pub coverage: Vec<CrlCoverage>,
}

/// One CA of the deployed chain and its CRL.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CrlCoverage {
    pub ca: String,
    pub depth: usize,
    pub next_update: Option<String>,
    /// `current`, `expiring`, `lapsed` or `missing`.
    pub state: String,
}

/// `mtls certs --refresh-chain-crl`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MtlsRefresh {
    pub schema_version: u32,
    pub out: String,
    pub crl: String,
    pub changed: bool,
    pub crls: Vec<Crl>,
    pub coverage: Vec<CrlCoverage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Crl {
    pub issuer: String,
    pub this_update: String,
    pub next_update: Option<String>,
    pub revoked: Vec<Revoked>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Revoked {
    pub serial: String,
    pub revoked_at: String,
}

/// `mtls revoke-client`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MtlsRevokeClient {
    pub schema_version: u32,
    pub crl: String,
    pub serial: String,
    pub changed: bool,
    pub crls: Vec<Crl>,
}

/// `teardown`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Teardown {
    pub schema_version: u32,
    pub outcome: Outcome,
    pub stack: String,
    /// `null` for a stack made before stack ids.
    pub stack_id: Option<String>,
    pub dry_run: bool,
    pub deleted: Vec<StackResource>,
    pub not_deleted: Vec<NotDeleted>,
    /// `null` with `--force-delete-secrets`.
    pub secret_recovery_days: Option<i64>,
    pub plan: Plan,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StackResource {
    pub kind: String,
    pub id: String,
    pub name: String,
    /// Absent (never `null`) for a resource with no parent.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NotDeleted {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    /// Why teardown leaves it.
    pub reason: String,
}

/// `audit`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Audit {
    pub schema_version: u32,
    pub summary: AuditSummary,
    pub findings: Vec<AuditFinding>,
    pub access_map: Vec<AccessEdge>,
    pub inventory: Inventory,
    /// `null` when judging a snapshot.
    pub stats: Option<Stats>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditSummary {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub accounts: usize,
    pub regions: usize,
    pub apis: usize,
    pub private_apis: usize,
    pub endpoints: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditFinding {
    pub check: String,
    pub severity: Severity,
    pub account: String,
    pub region: Option<String>,
    pub resource: String,
    pub message: String,
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    /// As `--output csv` and JSON spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccessEdge {
    pub consumer_account: String,
    pub region: String,
    pub vpc_id: String,
    pub vpce_id: String,
    pub producer_account: String,
    pub api_id: String,
    pub api_name: String,
    pub stages: Vec<String>,
    pub open_to_any_endpoint: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Stats {
    pub requests: u64,
    pub seconds: f64,
    pub max_concurrency: usize,
}

/// What `audit --snapshot-out` writes and `audit --from-snapshot` reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Inventory {
    pub schema_version: u32,
    pub accounts: Vec<String>,
    pub org: bool,
    pub excluded_accounts: Vec<String>,
    /// Every account of the organization not scanned, and why.
    pub excluded: Vec<ExcludedAccount>,
    pub targets: Vec<ScanTarget>,
    pub unreadable: Vec<Unreadable>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExcludedAccount {
    pub account: String,
    pub name: String,
    /// Its State in AWS Organizations (else its retired Status); `null` when neither was sent.
    pub state: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ScanTarget {
    pub account: String,
    pub region: String,
    pub apis: Vec<ApiRecord>,
    pub endpoints: Vec<EndpointRecord>,
    /// False when the endpoint listing failed (an `unreadable` entry says why).
    pub endpoints_read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiRecord {
    pub id: String,
    pub name: String,
    pub endpoint_types: Vec<String>,
    pub vpc_endpoint_ids: Vec<String>,
    /// The resource policy as API Gateway returns it; `null` when there is none.
    pub policy: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub stages: Vec<StageRecord>,
    /// Front doors made by xapi only; `null` for every other API.
    pub methods: Option<Vec<MethodAuth>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StageRecord {
    pub name: String,
    pub deployment_id: Option<String>,
    pub deployment_description: Option<String>,
    /// `null` when the export was not read.
    pub export: Option<StageExport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StageExport {
    /// `null` when the export carries no policy.
    pub policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MethodAuth {
    pub path: String,
    pub method: String,
    pub authorization_type: String,
    pub api_key_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EndpointRecord {
    pub id: String,
    pub vpc_id: String,
    pub owner_id: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Unreadable {
    pub account: String,
    pub region: Option<String>,
    pub resource: String,
    pub error: String,
    pub needs: String,
}
