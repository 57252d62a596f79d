//! `xapi endpoint create|list|show`.

pub mod create;
pub mod list;
pub mod show;

use serde::{Deserialize, Serialize};

use crate::model::{Endpoint, NetworkInterface};

/// An endpoint with its network interfaces, as `list` and `create` print it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointView {
    pub id: String,
    pub vpc_id: String,
    pub state: String,
    pub private_dns_enabled: bool,
    pub subnet_ids: Vec<String>,
    pub network_interfaces: Vec<NetworkInterface>,
}

impl EndpointView {
    pub fn new(e: &Endpoint, enis: &[NetworkInterface]) -> Self {
        EndpointView {
            id: e.id.clone(),
            vpc_id: e.vpc_id.clone(),
            state: e.state.clone(),
            private_dns_enabled: e.private_dns_enabled,
            subnet_ids: e.subnet_ids.clone(),
            network_interfaces: enis
                .iter()
                .filter(|n| e.network_interface_ids.contains(&n.id))
                .cloned()
                .collect(),
        }
    }

    fn azs(&self) -> String {
        let mut azs: Vec<&str> = self
            .network_interfaces
            .iter()
            .map(|n| n.availability_zone.as_str())
            .collect();
        azs.sort_unstable();
        azs.dedup();
        azs.join(", ")
    }

    fn ips(&self) -> String {
        self.network_interfaces
            .iter()
            .map(|n| n.private_ip.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
