//! Command-line definition (clap derive). Parsing only: no I/O happens here.

use clap::{Args, Parser, Subcommand, ValueEnum};

use std::path::PathBuf;

use crate::ids::{
    parse_domain_name, AccountId, ApiId, CertificateArn, DomainArn, ImageRef, SecurityGroupId,
    ServiceName, StackName, StageName, SubnetId, Tag, VpcId, VpceId,
};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a diagnosis found a failing check, or read nothing it was asked about; mtls show: a
     deployed CRL is missing, lapsed or unreadable
  2  bad input: usage, malformed id, resource not found, wrong kind of resource; a change that
     needs a yes (--yes) did not get one
  3  AWS refused or failed: credentials, throttling past retries, service error, timeout
  4  a write could not be verified afterwards, or another writer's change made the planned
     change impossible to apply as planned
  5  revoke-vpce: a statement that does not name the endpoint still admits it;
     mtls allow --revoke: a * principal still admits the account
  6  local file or directory error: a path could not be read or written
  70  a bug in xapi (the message says what broke; please report it)
  130  interrupted (Ctrl-C) while taking, holding or releasing the write lease, which was given back";

#[derive(Debug, Parser)]
#[command(
    name = "xapi",
    version,
    about = "Wire and diagnose cross-account access to private API Gateway REST APIs over PrivateLink",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, following the AWS CLI's conventions.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile's region)
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Assume this IAM role for the command's account, on top of the base credentials
    #[arg(long, global = true, value_name = "ARN", value_parser = parse_role_arn)]
    pub role_arn: Option<String>,

    /// Output format: auto is a table on a terminal and JSON otherwise; csv only for audit's findings
    #[arg(long, global = true, value_enum, default_value_t = OutputArg::Auto)]
    pub output: OutputArg,

    /// Never draw progress spinners
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// Colour: auto honours NO_COLOR and colours only a terminal
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Log to stderr: -v for xapi's steps, -vv adds the AWS SDK's own logs
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)
    #[arg(long, global = true, value_name = "TIME", env = "XAPI_CONNECT_TIMEOUT", default_value = "5", value_parser = parse_timeout)]
    pub connect_timeout: std::time::Duration,

    /// How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)
    #[arg(long, global = true, value_name = "TIME", env = "XAPI_READ_TIMEOUT", default_value = "30", value_parser = parse_timeout)]
    pub read_timeout: std::time::Duration,
}

/// Credentials for the producer account (the one that owns the private API),
/// for commands that touch both accounts.
#[derive(Debug, Clone, Default, Args)]
pub struct ProducerArgs {
    /// Profile for the producer account
    #[arg(long, value_name = "NAME", conflicts_with = "producer_role_arn")]
    pub producer_profile: Option<String>,

    /// Role to assume in the producer account, on top of the base credentials
    #[arg(long, value_name = "ARN", value_parser = parse_role_arn)]
    pub producer_role_arn: Option<String>,
}

impl ProducerArgs {
    pub fn is_set(&self) -> bool {
        self.producer_profile.is_some() || self.producer_role_arn.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    Auto,
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the account, caller ARN and region of each configured side (STS GetCallerIdentity; with --role-arn, the AssumeRole answer)
    Whoami(WhoamiArgs),

    /// Create and inspect execute-api interface VPC endpoints
    #[command(subcommand)]
    Endpoint(EndpointCommand),

    /// Show and restore a private API's resource policy
    #[command(subcommand)]
    Policy(PolicyCommand),

    /// Let VPC endpoints call a private API: edit its resource policy, then redeploy
    GrantVpce(GrantArgs),

    /// Take VPC endpoints' access away again: edit the resource policy, then redeploy
    RevokeVpce(RevokeArgs),

    /// Reconcile NLB IP targets with a VPC endpoint's interface addresses
    #[command(subcommand)]
    Targets(TargetsCommand),

    /// Create and list REST API VPC links
    #[command(subcommand)]
    VpcLink(VpcLinkCommand),

    /// Pattern 1 in one command: NLB, targets, VPC link and a Regional API in front of a private API
    WireRegionalFront(WireArgs),

    /// Pattern 4: private custom domain names for private APIs
    #[command(subcommand)]
    Domain(DomainCommand),

    /// Walk a chain end to end and say exactly what is broken and how to fix it
    Doctor(DoctorArgs),

    /// Pattern 3: an NGINX proxy that requires client certificates in front of a private API,
    /// on ECS Fargate behind an internal NLB, offered to consumers as a VPC endpoint service
    #[command(subcommand)]
    Mtls(MtlsCommand),

    /// Delete what xapi created for a stack (only what carries its xapi:stack tag)
    Teardown(TeardownArgs),

    /// Every private API across accounts and regions: who can reach it, and what is wrong
    Audit(AuditArgs),

    /// Print a shell completion script to stdout
    Completions(CompletionsArgs),

    /// Print the xapi(1) man page (roff) to stdout
    Man,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    #[command(flatten)]
    pub producer: ProducerArgs,
}

#[derive(Debug, Subcommand)]
pub enum EndpointCommand {
    /// Create an interface endpoint for execute-api in a VPC, or reuse the one it has
    Create(EndpointCreateArgs),
    /// List execute-api interface endpoints
    List(EndpointListArgs),
    /// Show one endpoint: DNS, security groups, policy and network interfaces
    Show(EndpointShowArgs),
}

#[derive(Debug, Args)]
pub struct EndpointCreateArgs {
    /// VPC to put the endpoint in
    #[arg(long, value_name = "VPC_ID")]
    pub vpc_id: VpcId,

    /// Endpoint service to connect to, e.g. an mTLS proxy's com.amazonaws.vpce.<region>.vpce-svc-... (default: execute-api; private DNS then defaults to off)
    #[arg(long, value_name = "NAME")]
    pub service_name: Option<ServiceName>,

    /// Subnet for one of the endpoint's network interfaces (one per Availability Zone)
    #[arg(long = "subnet-id", value_name = "SUBNET_ID", required = true)]
    pub subnet_ids: Vec<SubnetId>,

    /// Security group for the endpoint's network interfaces (default: the VPC's default group)
    #[arg(long = "security-group-id", value_name = "SG_ID")]
    pub security_group_ids: Vec<SecurityGroupId>,

    /// Enable private DNS, so https://{api-id}.execute-api.{region}.amazonaws.com resolves to the endpoint (default)
    #[arg(long, overrides_with = "no_private_dns")]
    pub private_dns: bool,

    /// Disable private DNS; callers then use https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com
    #[arg(long)]
    pub no_private_dns: bool,

    /// Tag to put on a new endpoint, KEY=VALUE (repeatable)
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<Tag>,

    /// How long to wait for the endpoint to become available (e.g. 90s, 10m; a bare number counts as seconds)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub wait_timeout: std::time::Duration,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

impl EndpointCreateArgs {
    /// On by default for execute-api; for another service only when asked
    /// for, since a custom endpoint service rarely has a private DNS name.
    pub fn private_dns(&self) -> bool {
        if self.no_private_dns {
            return false;
        }
        self.service_name.is_none() || self.private_dns
    }
}

#[derive(Debug, Args)]
pub struct EndpointListArgs {
    /// Only endpoints in this VPC
    #[arg(long, value_name = "VPC_ID")]
    pub vpc_id: Option<VpcId>,
}

#[derive(Debug, Args)]
pub struct EndpointShowArgs {
    /// The endpoint's id
    #[arg(value_name = "VPCE_ID")]
    pub vpce_id: VpceId,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// The policy, pretty-printed, and who it admits (by evaluating it)
    Show(PolicyShowArgs),
    /// Put back a policy saved before an earlier write, then redeploy
    Restore(PolicyRestoreArgs),
}

#[derive(Debug, Args)]
pub struct PolicyShowArgs {
    /// The private REST API's id
    #[arg(long, value_name = "ID")]
    pub api_id: ApiId,
}

#[derive(Debug, Args)]
pub struct PolicyRestoreArgs {
    /// The private REST API's id
    #[arg(long, value_name = "ID")]
    pub api_id: ApiId,

    /// Backup file to restore (default: the newest backup of this API)
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// How long to wait for another xapi process's write lease on this API before giving up (exit 3), e.g. 30s, 5m
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub lease_wait: std::time::Duration,

    #[command(flatten)]
    pub deploy: DeployArgs,
}

/// Which stages to redeploy, and whether to only print the plan.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)
    #[arg(long = "stage", value_name = "NAME")]
    pub stages: Vec<StageName>,

    /// Print the plan and the policy diff, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("policy_holder").required(true).args(["api_id", "domain"])))]
pub struct GrantArgs {
    /// The private REST API's id (in the account of --profile / --role-arn)
    #[arg(long, value_name = "ID")]
    pub api_id: Option<ApiId>,

    /// A private custom domain name instead, by its ARN with the domainNameId: its policy, then each mapped API's policy on the mapped stages only
    #[arg(long, value_name = "ARN", conflicts_with_all = ["associate", "resources", "stages"])]
    pub domain: Option<DomainArn>,

    /// VPC endpoint to admit (repeatable)
    #[arg(long = "vpce", value_name = "VPCE_ID", required = true)]
    pub vpces: Vec<VpceId>,

    /// Also associate the endpoints with the API, for https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com URLs
    #[arg(long)]
    pub associate: bool,

    /// Admit the endpoints exactly like this one, which the policy must already admit (default: the admitted endpoint needing the smallest edit)
    #[arg(long, value_name = "VPCE_ID")]
    pub like: Option<VpceId>,

    /// When the policy admits no endpoint at all, the new Allow admits the endpoints on these resources only, e.g. execute-api:/prod/GET/* (repeatable; default: execute-api:/*)
    #[arg(long = "resource", value_name = "PATTERN")]
    pub resources: Vec<String>,

    /// How long to wait for another xapi process's write lease on this API before giving up (exit 3), e.g. 30s, 5m
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub lease_wait: std::time::Duration,

    #[command(flatten)]
    pub deploy: DeployArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("policy_holder").required(true).args(["api_id", "domain"])))]
pub struct RevokeArgs {
    /// The private REST API's id (in the account of --profile / --role-arn)
    #[arg(long, value_name = "ID")]
    pub api_id: Option<ApiId>,

    /// A private custom domain name instead, by its ARN with the domainNameId: reject the endpoints' access associations, then remove them from the domain policy
    #[arg(long, value_name = "ARN", conflicts_with_all = ["disassociate", "stages"])]
    pub domain: Option<DomainArn>,

    /// With --domain: also remove the endpoints from each mapped API's policy (on the mapped stages); without it, their direct grants on the APIs stay
    #[arg(long, requires = "domain")]
    pub also_apis: bool,

    /// VPC endpoint to remove (repeatable)
    #[arg(long = "vpce", value_name = "VPCE_ID", required = true)]
    pub vpces: Vec<VpceId>,

    /// Also remove the endpoints' association with the API
    #[arg(long)]
    pub disassociate: bool,

    /// How long to wait for another xapi process's write lease on this API before giving up (exit 3), e.g. 30s, 5m
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub lease_wait: std::time::Duration,

    #[command(flatten)]
    pub deploy: DeployArgs,
}

#[derive(Debug, Subcommand)]
pub enum TargetsCommand {
    /// Make an IP target group's targets equal the endpoint's current interface IPs on port 443
    Sync(TargetsSyncArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target_group_ref").required(true).args(["target_group_arn", "target_group"])))]
pub struct TargetsSyncArgs {
    /// The execute-api endpoint whose interface addresses are the targets
    #[arg(long, value_name = "VPCE_ID")]
    pub vpce: VpceId,

    /// The target group, by ARN
    #[arg(long, value_name = "ARN")]
    pub target_group_arn: Option<String>,

    /// The target group, by name
    #[arg(long, value_name = "NAME")]
    pub target_group: Option<String>,

    /// Deregister targets that are not current interface addresses (otherwise they are listed as stale)
    #[arg(long)]
    pub prune: bool,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// Create a private custom domain name (or reuse the stack's), wait until it is
    /// AVAILABLE, admit endpoints in its policy and map a private API's stage to it
    Create(DomainCreateArgs),
    /// A domain's status, certificate, mappings and which endpoints its policy admits
    Show(DomainShowArgs),
    /// Consumer side: associate a VPC endpoint with a domain another account shares
    /// (accepting its AWS RAM invitation when asked) and, with --dns, give the
    /// endpoint's VPC a private hosted zone for the name
    Associate(DomainAssociateArgs),
    /// Producer side: share a private domain with accounts or an organization through
    /// AWS RAM (one share per stack), waiting until each principal is associated
    Share(DomainShareArgs),
    /// Producer side: stop sharing with accounts, in AWS's order: remove them from the
    /// share, reject their access associations, remove their endpoints from the domain policy
    Unshare(DomainUnshareArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("principals").required(true).multiple(true).args(["accounts", "org_arns"])))]
pub struct DomainShareArgs {
    /// The domain's ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)
    #[arg(long, value_name = "ARN")]
    pub domain: DomainArn,

    /// Consumer account to share with (repeatable); outside the organization it gets an invitation to accept within 12 hours
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<AccountId>,

    /// Organization or organizational unit to share with (repeatable), e.g. arn:aws:organizations::111111111111:organization/o-abc123
    #[arg(long = "org-arn", value_name = "ARN", value_parser = parse_org_arn)]
    pub org_arns: Vec<String>,

    /// Stack name: the share is xapi-STACK-domain [default: the domain's xapi:stack tag, else its name with dots as hyphens]
    #[arg(long, value_name = "NAME")]
    pub stack: Option<StackName>,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DomainUnshareArgs {
    /// The domain's ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)
    #[arg(long, value_name = "ARN")]
    pub domain: DomainArn,

    /// Consumer account to stop sharing with (repeatable)
    #[arg(long = "account", value_name = "ID", required = true)]
    pub accounts: Vec<AccountId>,

    /// Stack name: the share is xapi-STACK-domain [default: the domain's xapi:stack tag, else its name with dots as hyphens]
    #[arg(long, value_name = "NAME")]
    pub stack: Option<StackName>,

    /// How long to wait for another xapi process's write lease on the domain policy before giving up (exit 3), e.g. 30s, 5m
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub lease_wait: std::time::Duration,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// An AWS Organizations organization or OU ARN, as AWS RAM takes a principal.
pub fn parse_org_arn(s: &str) -> Result<String, String> {
    let ok = s.starts_with("arn:")
        && s.split(':').nth(2) == Some("organizations")
        && (s.contains(":organization/o-") || s.contains(":ou/o-"))
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'-' | b'_'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "malformed organization ARN '{s}': expected arn:aws:organizations::ACCOUNT:organization/o-ID or .../ou/o-ID/ou-ID"
        ))
    }
}

#[derive(Debug, Args)]
pub struct DomainAssociateArgs {
    /// The shared domain's ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)
    #[arg(long, value_name = "ARN")]
    pub domain: DomainArn,

    /// This account's execute-api endpoint to reach the domain through
    #[arg(long, value_name = "VPCE_ID")]
    pub vpce: VpceId,

    /// Accept the domain owner's pending AWS RAM invitation (AWS keeps it open for 12 hours)
    #[arg(long)]
    pub accept_invitation: bool,

    /// Also create (or reuse) a private hosted zone for the name, attached to the endpoint's
    /// VPC, with alias records to the endpoint's Regional DNS name (A, and AAAA when dualstack)
    #[arg(long)]
    pub dns: bool,

    /// Stack name: the xapi:stack tag of what this makes
    /// [default: the domain name with dots as hyphens, cut to 28 characters]
    #[arg(long, value_name = "NAME")]
    pub stack: Option<StackName>,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DomainCreateArgs {
    /// The domain name, e.g. private.example.com (no wildcard)
    #[arg(long, value_name = "NAME", value_parser = parse_domain_name)]
    pub name: String,

    /// ACM certificate covering the name, in the domain's Region (RSA 2048, ECDSA P-256 or P-384)
    #[arg(long, value_name = "ARN")]
    pub certificate_arn: CertificateArn,

    /// Stack name: the domain's xapi:stack tag, by which it is reused and torn down
    /// [default: the domain name with dots as hyphens, cut to 28 characters]
    #[arg(long, value_name = "NAME")]
    pub stack: Option<StackName>,

    /// VPC endpoint the domain policy admits (repeatable); the mapped API's own policy
    /// must admit it too (`xapi grant-vpce`)
    #[arg(long = "allow-vpce", value_name = "VPCE_ID")]
    pub allow_vpces: Vec<VpceId>,

    /// Private REST API to map to the domain
    #[arg(long, value_name = "ID", requires = "stage")]
    pub api_id: Option<ApiId>,

    /// The API's stage to map
    #[arg(long, value_name = "STAGE", requires = "api_id")]
    pub stage: Option<StageName>,

    /// Base path (one level) under which the stage is served [default: none, the root]
    #[arg(long, value_name = "PATH", requires = "api_id", value_parser = parse_base_path)]
    pub base_path: Option<String>,

    /// How long to wait for the domain to become AVAILABLE (about 15 minutes on AWS)
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    pub wait_timeout: std::time::Duration,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DomainShowArgs {
    /// The domain's ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)
    #[arg(long, value_name = "ARN")]
    pub domain: DomainArn,
}

/// A base path: one level of letters, digits and `-._~` (multi-level paths
/// need routing rules, which xapi does not make).
pub fn parse_base_path(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "malformed base path '{s}': expected one level of letters, digits and -._~ (no '/')"
        ))
    }
}

#[derive(Debug, Subcommand)]
pub enum VpcLinkCommand {
    /// Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets
    /// it), or with --v2 in subnets (reusing the one of that name)
    Create(VpcLinkCreateArgs),
    /// List REST API VPC links, v1 and v2, with their status and targets or subnets
    List,
}

#[derive(Debug, Args)]
pub struct VpcLinkCreateArgs {
    /// The network load balancer of a v1 link, by ARN or name
    #[arg(
        long,
        value_name = "NLB_ARN_OR_NAME",
        required_unless_present = "v2",
        conflicts_with = "v2"
    )]
    pub nlb: Option<String>,

    /// Name for a new link (v2: also its xapi:stack tag, so `xapi teardown --stack NAME`
    /// deletes it and the group made for it)
    #[arg(long, value_name = "NAME")]
    pub name: String,

    /// A VPC link v2 (apigatewayv2): interfaces in --subnet-id, bound to no load balancer; each
    /// integration names its own
    #[arg(long)]
    pub v2: bool,

    /// Subnet for a v2 link's interfaces (repeatable, one VPC, at most 10; the link cannot
    /// change later)
    #[arg(
        long = "subnet-id",
        value_name = "SUBNET_ID",
        requires = "v2",
        required_if_eq("v2", "true")
    )]
    pub subnet_ids: Vec<SubnetId>,

    /// Security group for a v2 link's interfaces (repeatable) [default: a new group NAME-link
    /// letting only TCP 443 out, to the VPC's ranges]
    #[arg(long = "security-group-id", value_name = "SG_ID", requires = "v2")]
    pub security_group_ids: Vec<SecurityGroupId>,

    /// How long to wait for the link to become AVAILABLE (e.g. 90s, 15m)
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub wait_timeout: std::time::Duration,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct WireArgs {
    /// The private REST API (in the producer account)
    #[arg(long, value_name = "ID")]
    pub private_api_id: ApiId,

    /// The private API's stage the front door forwards to
    #[arg(long, value_name = "NAME")]
    pub stage: StageName,

    /// The consumer's execute-api endpoint whose interface addresses the NLB targets
    #[arg(long, value_name = "VPCE_ID")]
    pub vpce: VpceId,

    /// Subnet for the internal NLB (repeatable; in the endpoint's VPC)
    #[arg(long = "subnet-id", value_name = "SUBNET_ID", required = true)]
    pub subnet_ids: Vec<SubnetId>,

    /// Stack name: tags every resource (xapi:stack=NAME) and prefixes their names [default: front-<private-api-id>]
    #[arg(long, value_name = "NAME")]
    pub name: Option<StackName>,

    /// Use this existing Regional API as the front door
    #[arg(long, value_name = "ID", conflicts_with = "front_api_name")]
    pub front_api_id: Option<ApiId>,

    /// Name of the front-door Regional API to find or create [default: the stack name]
    #[arg(long, value_name = "NAME")]
    pub front_api_name: Option<String>,

    /// Stage of the front-door API [default: the private API's stage]
    #[arg(long, value_name = "NAME")]
    pub front_stage: Option<StageName>,

    #[command(flatten)]
    pub producer: ProducerArgs,

    /// Add the missing TCP 443 rule to the endpoint's security group instead of warning
    #[arg(long)]
    pub fix_security_group: bool,

    /// How long to wait for the NLB to become active and the VPC link available
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub wait_timeout: std::time::Duration,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Redeploy the private API's stage even when its deployment differs from the draft, publishing those draft changes too (required when not on a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Authorization on the front's ANY / and ANY /{proxy+}: iam requires SigV4-signed callers
    /// allowed execute-api:Invoke (default: keep what is there; new fronts get none)
    #[arg(long, value_enum, value_name = "KIND")]
    pub authorization: Option<FrontAuthorization>,

    /// Admit only these source ranges, through a resource policy on the front (repeatable)
    #[arg(long = "allow-cidr", value_name = "CIDR", num_args = 1.., value_parser = crate::cidr::parse_cidr)]
    pub allow_cidrs: Vec<String>,

    /// Accept --allow-cidr ranges wider than /8 (0.0.0.0/0, ::/0, ...), which admit a large
    /// part of the internet; refused without it
    #[arg(long, requires = "allow_cidrs")]
    pub allow_public: bool,

    /// Kind of VPC link: v2 (apigatewayv2, the integration names the NLB) or v1 (bound to the
    /// NLB) [default: v2 for a new stack; an existing stack keeps its kind]
    #[arg(long, value_enum, value_name = "VERSION")]
    pub vpc_link: Option<LinkVersionArg>,

    /// Move a stack on a v1 link to a v2 link: create it, point both integrations at it,
    /// redeploy, and only then delete the v1 link (a failure leaves the front on v1; re-run)
    #[arg(long, conflicts_with = "vpc_link")]
    pub migrate_to_v2: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LinkVersionArg {
    /// apigateway VPC link bound to one network load balancer
    V1,
    /// apigatewayv2 VPC link: interfaces in the stack's subnets, under its own security group
    V2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FrontAuthorization {
    /// No authorization: anyone who reaches the front may call it
    None,
    /// AWS_IAM: callers sign requests with SigV4
    Iam,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The private REST API (found from the front API's integration when not given)
    #[arg(long, value_name = "ID")]
    pub api_id: Option<ApiId>,

    /// Only check this stage of the private API
    #[arg(long, value_name = "NAME")]
    pub stage: Option<StageName>,

    /// The consumer's execute-api endpoint (found from the NLB's targets when not given)
    #[arg(long, value_name = "VPCE_ID")]
    pub vpce: Option<VpceId>,

    /// The Regional front-door API (pattern 1)
    #[arg(long, value_name = "ID")]
    pub front_api_id: Option<ApiId>,

    /// The NLB's target group (found from the VPC link's NLB when not given)
    #[arg(long, value_name = "ARN")]
    pub target_group_arn: Option<String>,

    /// The VPC link (found from the front API's integration when not given)
    #[arg(long, value_name = "ID")]
    pub vpc_link_id: Option<String>,

    /// A VPC-attached Lambda function that calls the private API (pattern 2)
    #[arg(long, value_name = "FUNCTION")]
    pub lambda: Option<String>,

    #[command(flatten)]
    pub producer: ProducerArgs,

    /// Also write the evidence (everything read) to FILE, for support tickets
    #[arg(long, value_name = "FILE", conflicts_with = "from_snapshot")]
    pub snapshot_out: Option<PathBuf>,

    /// Re-run the checks on saved evidence, with no AWS call at all
    #[arg(long, value_name = "FILE")]
    pub from_snapshot: Option<PathBuf>,

    /// An mTLS stack (pattern 3) made by `xapi mtls deploy`, read with the producer's credentials; with --vpce, also the consumer's endpoint to it (consumer credentials, the producer's with --producer-*)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["front_api_id", "vpc_link_id", "target_group_arn", "lambda"])]
    pub mtls: Option<StackName>,

    /// A private custom domain name (pattern 4), by its ARN with the domainNameId, read with the producer's credentials (the base ones, or --producer-*); with --vpce, whether its policy and each mapped API's policy admit that endpoint
    #[arg(long, value_name = "ARN", conflicts_with_all = ["front_api_id", "vpc_link_id", "target_group_arn", "lambda", "mtls", "api_id"])]
    pub domain: Option<DomainArn>,
}

#[derive(Debug, Args)]
pub struct TeardownArgs {
    /// The stack whose resources to delete
    #[arg(long, value_name = "NAME")]
    pub stack: StackName,

    /// Which stack of that name (its xapi:stack-id, as deploys report it); needed only
    /// when two stacks share the name
    #[arg(long, value_name = "ID", value_parser = parse_stack_id)]
    pub stack_id: Option<String>,

    /// How long to wait for each deletion AWS finishes in the background
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub wait_timeout: std::time::Duration,

    /// Print what would be deleted and delete nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Delete without asking (required when not on a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Days Secrets Manager keeps a deleted secret restorable (7-30)
    #[arg(long, value_name = "DAYS", default_value_t = 7, value_parser = clap::value_parser!(i64).range(7..=30))]
    pub recovery_days: i64,

    /// Delete the stack's secrets at once, with no recovery window
    #[arg(long, conflicts_with = "recovery_days")]
    pub force_delete_secrets: bool,
}

#[derive(Debug, Subcommand)]
pub enum MtlsCommand {
    /// Issue a CA (or use yours), the proxy's server certificate and client certificates (ECDSA P-256)
    Certs(MtlsCertsArgs),
    /// Write the proxy's nginx.conf and Dockerfile for a private API and stage
    Render(MtlsRenderArgs),
    /// Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)
    Deploy(MtlsDeployArgs),
    /// Add an account as an allowed principal of the stack's endpoint service, or with --revoke remove every principal of it
    Allow(MtlsAllowArgs),
    /// The stack's endpoint service, allowed principals, target health and task counts
    Show(MtlsShowArgs),
    /// Accept consumers' endpoint connections that wait for acceptance, from allowed accounts only
    Accept(MtlsAcceptArgs),
    /// Revoke one client certificate: add it to the CA's CRL (DIR/crl.pem) that the proxy enforces
    RevokeClient(MtlsRevokeClientArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["client", "serial"])))]
pub struct MtlsRevokeClientArgs {
    /// Directory `xapi mtls certs` wrote (ca.pem, crl.pem, client-NAME.pem)
    #[arg(long, value_name = "DIR")]
    pub certs: PathBuf,

    /// Revoke client-NAME.pem from DIR
    #[arg(long, value_name = "NAME")]
    pub client: Option<String>,

    /// Revoke the certificate with this serial number (hex)
    #[arg(long, value_name = "HEX")]
    pub serial: Option<String>,

    /// The CA's private key, when the CA was supplied (a generated CA's key is DIR/ca.key)
    #[arg(long, value_name = "FILE")]
    pub ca_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MtlsAcceptArgs {
    /// The stack (as given to `xapi mtls deploy --name`)
    #[arg(long, value_name = "NAME")]
    pub name: StackName,

    /// Print what would be accepted and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct MtlsCertsArgs {
    /// Directory to write the PEM files into (created with mode 0700)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// DNS name consumers use to reach the proxy (the server certificate's SAN)
    #[arg(
        long,
        value_name = "NAME",
        required_unless_present = "refresh_chain_crl"
    )]
    pub server_name: Option<String>,

    /// Issue a client certificate with this common name (repeatable)
    #[arg(long = "client", value_name = "NAME")]
    pub clients: Vec<String>,

    /// Sign with this CA certificate instead of generating a CA
    #[arg(long, value_name = "FILE", requires = "ca_key")]
    pub ca_cert: Option<PathBuf>,

    /// The CA's private key (unencrypted PKCS#8 PEM)
    #[arg(long, value_name = "FILE", requires = "ca_cert")]
    pub ca_key: Option<PathBuf>,

    /// Validity of every issued certificate, in days (1-3650)
    #[arg(long, value_name = "N", default_value_t = 365)]
    pub days: u32,

    /// Current CRLs (PEM) of the CAs above a supplied issuing CA; NGINX checks one for each
    #[arg(long, value_name = "FILE", requires = "ca_cert")]
    pub chain_crl: Option<PathBuf>,

    /// Replace existing files (never a generated CA's ca.key: see --rotate-ca)
    #[arg(long)]
    pub force: bool,

    /// With --force: replace the CA whose key is DIR/ca.key, invalidating every certificate it issued (the old key is kept as ca.key.retired-TIME)
    #[arg(long, requires = "force", conflicts_with = "ca_cert")]
    pub rotate_ca: bool,

    /// Replace the CRLs of the CAs above the issuing CA in DIR/crl.pem with these (PEM), issuing and re-keying nothing
    #[arg(
        long,
        value_name = "FILE",
        num_args = 1..,
        conflicts_with_all = ["server_name", "clients", "ca_cert", "ca_key", "chain_crl", "force", "rotate_ca", "days"]
    )]
    pub refresh_chain_crl: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MtlsRenderArgs {
    /// The private REST API's id
    #[arg(long, value_name = "ID")]
    pub api_id: ApiId,

    /// Stage the proxy forwards to
    #[arg(long, value_name = "NAME")]
    pub stage: StageName,

    /// NGINX server_name for the TLS server (default: any name)
    #[arg(long, value_name = "NAME")]
    pub server_name: Option<String>,

    /// Directory to write nginx.conf and Dockerfile into
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Replace existing files
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct MtlsDeployArgs {
    /// Stack name: tags every resource (xapi:stack=NAME) and prefixes their names
    #[arg(long, value_name = "NAME")]
    pub name: StackName,

    /// VPC to run the proxy in (it needs an execute-api endpoint with private DNS)
    #[arg(long, value_name = "VPC_ID")]
    pub vpc_id: VpcId,

    /// Subnet for the proxy tasks and the load balancer (repeatable; one per Availability Zone)
    #[arg(long = "subnet-id", value_name = "SUBNET_ID", required = true)]
    pub subnet_ids: Vec<SubnetId>,

    /// The proxy image built from `xapi mtls render`'s Dockerfile
    /// Directory with server.pem, server.key and ca.pem (as `xapi mtls certs` writes
    /// them): stored as the Secrets Manager secret xapi/mtls/NAME and injected into
    /// the task at start; ca.key is never read
    #[arg(long, value_name = "DIR")]
    pub certs: PathBuf,

    #[arg(long, value_name = "IMAGE")]
    pub image: ImageRef,

    /// Account to admit as an allowed principal of the endpoint service (repeatable)
    #[arg(long = "allow-account", value_name = "ACCOUNT")]
    pub allow_accounts: Vec<AccountId>,

    /// Task execution role, for pulling the image and writing logs (default: this account's ecsTaskExecutionRole)
    #[arg(long, value_name = "ARN", value_parser = parse_role_arn)]
    pub execution_role_arn: Option<String>,

    /// Number of proxy tasks to keep running
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(i32).range(1..=50))]
    pub desired_count: i32,

    /// How long to wait for the load balancer to become active
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub wait_timeout: std::time::Duration,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct MtlsAllowArgs {
    /// The stack `xapi mtls deploy` created
    #[arg(long, value_name = "NAME")]
    pub name: StackName,

    /// Account to admit (its arn:aws:iam::ACCOUNT:root principal)
    #[arg(long, value_name = "ACCOUNT")]
    pub account: AccountId,

    /// Remove every principal of the account instead (root, roles, users) and reject its connections; exit 5 if a * still admits it
    #[arg(long)]
    pub revoke: bool,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct MtlsShowArgs {
    /// The stack `xapi mtls deploy` created
    #[arg(long, value_name = "NAME")]
    pub name: StackName,
}

/// Requests in flight per account and region unless `--max-concurrency` says otherwise.
pub const AUDIT_DEFAULT_CONCURRENCY: usize = 4;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Scan these accounts (assuming --role-name in each) instead of the current one
    #[arg(long = "account", value_name = "ID", num_args = 1.., requires = "role_name", conflicts_with = "org")]
    pub accounts: Vec<AccountId>,

    /// Scan every active account of the AWS Organization (assuming --role-name in each)
    #[arg(long, requires = "role_name")]
    pub org: bool,

    /// Leave these accounts out of an --org scan
    #[arg(long = "exclude-account", value_name = "ID", num_args = 1.., requires = "org")]
    pub exclude_accounts: Vec<AccountId>,

    /// The role to assume in each scanned account: arn:aws:iam::<ID>:role/<NAME>
    #[arg(long, value_name = "NAME", value_parser = parse_role_name)]
    pub role_name: Option<String>,

    /// Scan these regions (default: the command's region, see --region)
    #[arg(long = "regions", value_name = "REGION", num_args = 1.., value_delimiter = ',', conflicts_with = "all_regions")]
    pub regions: Vec<String>,

    /// Scan every region enabled in each account
    #[arg(long)]
    pub all_regions: bool,

    /// Requests in flight at once per account and region
    #[arg(long, value_name = "N", default_value_t = AUDIT_DEFAULT_CONCURRENCY, value_parser = parse_concurrency)]
    pub max_concurrency: usize,

    /// Exit 1 when a finding is at or above this severity
    #[arg(long, value_enum, default_value_t = FailOnArg::High)]
    pub fail_on: FailOnArg,

    /// Also write the access map as a graph: Graphviz for .dot/.gv, Mermaid for .mmd/.mermaid
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,

    /// Also write everything read to FILE, to judge it again offline
    #[arg(long, value_name = "FILE", conflicts_with = "from_snapshot")]
    pub snapshot_out: Option<PathBuf>,

    /// Judge a saved scan again, with no AWS call at all
    #[arg(long, value_name = "FILE", conflicts_with_all = ["accounts", "org", "regions", "all_regions"])]
    pub from_snapshot: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    High,
    Medium,
    Low,
}

fn parse_concurrency(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (1..=64).contains(&n) => Ok(n),
        _ => Err(format!(
            "malformed --max-concurrency '{s}': expected 1 to 64"
        )),
    }
}

/// IAM role names: 1-64 of letters, digits and `+=,.@_-` (an optional path before a `/`).
fn parse_role_name(s: &str) -> Result<String, String> {
    let name = s.rsplit('/').next().unwrap_or_default();
    let ok_char = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
    let ok = !name.is_empty()
        && name.len() <= 64
        && s.len() <= 512
        && !s.starts_with('/')
        && s.bytes().all(|b| ok_char(b) || b == b'/');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "malformed role name '{s}': expected 1-64 letters, digits or +=,.@_- (e.g. OrganizationAccountAccessRole)"
        ))
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// A stack id as xapi writes it: 16 lowercase hex digits.
pub fn parse_stack_id(s: &str) -> Result<String, String> {
    if s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "invalid stack id '{s}': expected the 16 lowercase hex digits of a stack's xapi:stack-id tag"
        ))
    }
}

/// The longest wait a flag takes (`--wait-timeout`, `--lease-wait`): past
/// any real wait, and far enough from `u64` seconds that no deadline xapi
/// computes from it can overflow.
const MAX_WAIT_SECS: u64 = 7 * 24 * 3600;

/// The longest connect or read timeout: four attempts' worth bound the whole call.
const MAX_TIMEOUT_SECS: u64 = 3600;

/// `90s`, `15m`, `1h` or plain seconds, at most a week.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    parse_seconds(s, MAX_WAIT_SECS).map(std::time::Duration::from_secs)
}

/// `--connect-timeout`/`--read-timeout`: as [`parse_duration`], 1 s to 1 h.
fn parse_timeout(s: &str) -> Result<std::time::Duration, String> {
    match parse_seconds(s, MAX_TIMEOUT_SECS)? {
        0 => Err(format!(
            "timeout '{s}' is zero: every AWS call would fail at once; give at least 1s"
        )),
        secs => Ok(std::time::Duration::from_secs(secs)),
    }
}

/// Whole seconds in `s` (digits with an optional `s`, `m` or `h`), refusing
/// signs, fractions, exponents and anything over `max` without overflowing.
fn parse_seconds(s: &str, max: u64) -> Result<u64, String> {
    let malformed = || format!("malformed duration '{s}': expected e.g. 90s, 15m or 1h");
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let per = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => return Err(malformed()),
    };
    if digits.is_empty() {
        return Err(malformed());
    }
    let too_long = || format!("duration '{s}' is too long: at most {}", human(max));
    // Only digits are left, so the one way parsing fails is a number past u64.
    let n: u64 = digits.parse().map_err(|_| too_long())?;
    n.checked_mul(per)
        .filter(|secs| *secs <= max)
        .ok_or_else(too_long)
}

/// `3600` as `1h`, `604800` as `168h`: how the limits are said.
fn human(secs: u64) -> String {
    if secs.is_multiple_of(3600) {
        format!("{}h", secs / 3600)
    } else {
        format!("{secs}s")
    }
}

fn parse_role_arn(s: &str) -> Result<String, String> {
    let ok = s
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":iam::"))
        .filter(|(partition, _)| matches!(*partition, "aws" | "aws-cn" | "aws-us-gov"))
        .and_then(|(_, rest)| rest.split_once(":role/"))
        .is_some_and(|(account, name)| {
            account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
        });
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "malformed role ARN '{s}': expected arn:aws:iam::<12-digit account>:role/<name>"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("90s"),
            Ok(std::time::Duration::from_secs(90))
        );
        assert_eq!(
            parse_duration("15m"),
            Ok(std::time::Duration::from_secs(900))
        );
        assert_eq!(
            parse_duration("1h"),
            Ok(std::time::Duration::from_secs(3600))
        );
        assert_eq!(parse_duration("30"), Ok(std::time::Duration::from_secs(30)));
        assert!(parse_duration("m").unwrap_err().contains("'m'"));
        assert!(parse_duration("5d").is_err());
    }

    #[test]
    fn endpoint_create_wait_timeout_is_a_duration_or_bare_seconds() {
        let timeout = |extra: &[&str]| {
            let mut argv = vec![
                "xapi",
                "endpoint",
                "create",
                "--vpc-id",
                "vpc-0123456789abcdef0",
                "--subnet-id",
                "subnet-0123456789abcdef0",
            ];
            argv.extend(extra);
            match Cli::try_parse_from(argv).map(|c| c.command) {
                Ok(Command::Endpoint(EndpointCommand::Create(a))) => Ok(a.wait_timeout),
                Ok(other) => panic!("parsed as {other:?}"),
                Err(e) => Err(e.to_string()),
            }
        };
        let secs = std::time::Duration::from_secs;
        assert_eq!(timeout(&[]), Ok(secs(600)));
        assert_eq!(timeout(&["--wait-timeout", "600"]), Ok(secs(600)));
        assert_eq!(timeout(&["--wait-timeout", "90s"]), Ok(secs(90)));
        assert_eq!(timeout(&["--wait-timeout", "15m"]), Ok(secs(900)));
        assert!(timeout(&["--wait-timeout", "ten"])
            .unwrap_err()
            .contains("malformed duration 'ten'"));
    }

    #[test]
    fn huge_negative_and_fractional_durations_are_refused_naming_the_value() {
        for (arg, says) in [
            ("99999999999999999s", "too long"),
            ("99999999999999999999999", "too long"),
            ("18446744073709551615h", "too long"),
            ("5124095576030431h", "too long"),
            ("169h", "too long: at most 168h"),
            ("1e30", "malformed"),
            ("-5s", "malformed"),
            ("1.5h", "malformed"),
            ("", "malformed"),
            ("s", "malformed"),
            (" 5s", "malformed"),
        ] {
            let err = parse_duration(arg).unwrap_err();
            assert!(
                err.contains(&format!("'{arg}'")) && err.contains(says),
                "{arg}: {err}"
            );
            assert!(!err.contains('\n'), "one line: {err}");
        }
        assert_eq!(
            parse_duration("168h"),
            Ok(std::time::Duration::from_secs(604_800))
        );
        assert_eq!(parse_duration("0"), Ok(std::time::Duration::ZERO));
        assert_eq!(
            parse_timeout("1h"),
            Ok(std::time::Duration::from_secs(3600))
        );
        assert!(parse_timeout("3601").unwrap_err().contains("at most 1h"));
        assert!(parse_timeout("0s").unwrap_err().contains("'0s' is zero"));
    }

    proptest::proptest! {
        /// Whatever is typed, parsing neither panics nor overflows, and what it
        /// accepts is exactly digits with an optional unit, within the limit.
        #[test]
        fn any_duration_text_parses_within_the_limit_or_is_refused(s in "[0-9a-z.+-]{0,24}") {
            match parse_duration(&s) {
                Ok(d) => {
                    proptest::prop_assert!(d.as_secs() <= MAX_WAIT_SECS);
                    let digits = s.trim_end_matches(['s', 'm', 'h']);
                    proptest::prop_assert!(!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
                    proptest::prop_assert!(s.len() - digits.len() <= 1);
                }
                Err(e) => {
                    let quoted = format!("'{s}'");
                    proptest::prop_assert!(e.contains(&quoted), "{}", e);
                }
            }
        }

        #[test]
        fn big_numbers_in_any_unit_never_overflow(n: u64, unit in "[smh]?") {
            let text = format!("{n}{unit}");
            let per = match unit.as_str() { "m" => 60, "h" => 3600, _ => 1 };
            let want = n.checked_mul(per).filter(|s| *s <= MAX_WAIT_SECS);
            proptest::prop_assert_eq!(parse_duration(&text).ok().map(|d| d.as_secs()), want);
        }
    }

    #[test]
    fn timeouts_take_durations_and_refuse_values_that_would_overflow() {
        let parse = |extra: &[&str]| {
            let mut argv = vec!["xapi"];
            argv.extend(extra);
            argv.push("whoami");
            Cli::try_parse_from(argv)
                .map(|c| (c.global.connect_timeout, c.global.read_timeout))
                .map_err(|e| e.to_string())
        };
        let secs = std::time::Duration::from_secs;
        assert_eq!(parse(&[]), Ok((secs(5), secs(30))));
        assert_eq!(
            parse(&["--read-timeout", "2m", "--connect-timeout", "3"]),
            Ok((secs(3), secs(120)))
        );
        for bad in ["99999999999999999s", "18446744073709551615", "-1", "0"] {
            let err = parse(&["--read-timeout", bad]).unwrap_err();
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn role_arns_are_checked() {
        assert!(parse_role_arn("arn:aws:iam::111111111111:role/xapi").is_ok());
        assert!(parse_role_arn("arn:aws:iam::111111111111:role/path/xapi").is_ok());
        assert!(parse_role_arn("arn:aws:iam::11111111111:role/xapi").is_err());
        assert!(parse_role_arn("arn:aws:iam::111111111111:user/xapi").is_err());
        assert!(parse_role_arn("arn:aws:sts::111111111111:role/xapi").is_err());
    }
}
