//! What `doctor --domain` reads: the domain's side from its owner and, with
//! `--vpce`, the endpoint's side. Its own module so the producer's and the
//! consumer's checks both read it without importing each other.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Read;
use crate::model::{
    AccessAssociation, AliasRecord, BasePathMapping, Certificate, DomainName, Endpoint, HostedZone,
    RestApi, ShareInvitation, Stage, VpcDns,
};

/// Everything read about one domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainEvidence {
    pub arn: String,
    pub domain: Read<DomainName>,
    pub certificate: Read<Certificate>,
    pub mappings: Read<Vec<BasePathMapping>>,
    /// Each mapped API and its stages, by API id.
    pub apis: BTreeMap<String, Read<RestApi>>,
    pub stages: BTreeMap<String, Read<Vec<Stage>>>,
    /// The endpoint asked about (`--vpce`).
    pub vpce: Option<String>,
    /// The endpoint's side, read with the base credentials (the consumer's
    /// when `--producer-*` names the domain's owner); not asked without `--vpce`.
    #[serde(default)]
    pub consumer: Read<ConsumerEvidence>,
}

/// What the endpoint's account sees of the domain and its way to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ConsumerEvidence {
    pub account: String,
    /// Domains other accounts share with this one (not asked when the domain is its own).
    pub shared: Read<Vec<DomainName>>,
    /// This account's AWS RAM invitations (asked while the domain is not shared with it).
    pub invitations: Read<Vec<ShareInvitation>>,
    pub endpoint: Read<Endpoint>,
    pub vpc_dns: Read<VpcDns>,
    /// The access associations this account made.
    pub associations: Read<Vec<AccessAssociation>>,
    /// The private zones of the endpoint's VPC, and the alias records of the
    /// domain's name in the most specific zone for it.
    pub zones: Read<Vec<HostedZone>>,
    pub records: Read<Vec<AliasRecord>>,
}
