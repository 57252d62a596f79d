use std::collections::BTreeMap;

use serde::Serialize;

use crate::cli::EndpointShowArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::infra;
use crate::model::{NetworkInterface, SecurityGroup};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointDetail {
    pub id: String,
    pub service_name: String,
    pub endpoint_type: String,
    pub vpc_id: String,
    pub owner_id: String,
    pub state: String,
    pub private_dns_enabled: bool,
    pub dns_names: Vec<String>,
    pub security_groups: Vec<GroupView>,
    pub policy: EndpointPolicy,
    pub network_interfaces: Vec<NetworkInterface>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct GroupView {
    pub id: String,
    pub name: String,
    /// Sources from which the group admits TCP 443; empty means callers cannot connect.
    pub tcp_443_from: Vec<String>,
}

impl GroupView {
    fn new(g: &SecurityGroup) -> Self {
        let mut from: Vec<String> = g
            .ingress
            .iter()
            .filter(|r| r.admits_tcp_443())
            .flat_map(|r| r.sources())
            .collect();
        from.sort();
        from.dedup();
        GroupView {
            id: g.id.clone(),
            name: g.name.clone(),
            tcp_443_from: from,
        }
    }
}

#[derive(Debug, Serialize, PartialEq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointPolicy {
    /// `default` (full access, what AWS attaches when none is given) or `custom`.
    pub kind: &'static str,
    pub document: serde_json::Value,
}

/// The endpoint policy as a document, classified default or custom.
pub fn classify_policy(raw: Option<&str>) -> EndpointPolicy {
    EndpointPolicy {
        kind: if crate::model::is_default_endpoint_policy(raw) {
            "default"
        } else {
            "custom"
        },
        document: raw
            .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
            .unwrap_or(serde_json::Value::Null),
    }
}

impl Report for EndpointDetail {
    fn table(&self, style: &Style) -> String {
        let mut t = style.table(&["FIELD", "VALUE"]);
        let rows: Vec<(&str, String)> = vec![
            ("Endpoint", self.id.clone()),
            ("Service", self.service_name.clone()),
            ("Type", self.endpoint_type.clone()),
            ("VPC", self.vpc_id.clone()),
            ("Owner", self.owner_id.clone()),
            ("State", self.state.clone()),
            (
                "Private DNS",
                if self.private_dns_enabled {
                    "on".into()
                } else {
                    "off".into()
                },
            ),
            ("DNS names", self.dns_names.join("\n")),
            (
                "Security groups",
                self.security_groups
                    .iter()
                    .map(|g| {
                        let from = if g.tcp_443_from.is_empty() {
                            "admits no TCP 443".to_owned()
                        } else {
                            format!("TCP 443 from {}", g.tcp_443_from.join(", "))
                        };
                        format!("{} ({}): {from}", g.id, g.name)
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            ("Endpoint policy", self.policy.kind.to_owned()),
        ];
        for (k, v) in rows {
            t.add_row(vec![k.to_owned(), v]);
        }
        let mut enis = style.table(&["INTERFACE", "SUBNET", "AZ", "PRIVATE IP"]);
        for n in &self.network_interfaces {
            enis.add_row(vec![
                &n.id,
                &n.subnet_id,
                &n.availability_zone,
                &n.private_ip,
            ]);
        }
        let mut out = format!("{t}\n{enis}\n");
        if self.policy.kind == "custom" {
            out.push_str("Endpoint policy document:\n");
            out.push_str(&serde_json::to_string_pretty(&self.policy.document).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

pub async fn run(ctx: &Context, args: &EndpointShowArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let endpoint = infra::endpoint::observe(&aws, &args.vpce_id).await?;
    if !endpoint.endpoint_type.eq_ignore_ascii_case("Interface") {
        return Err(Error::BadInput(format!(
            "{} is a {} endpoint for {}: xapi works with interface endpoints",
            endpoint.id, endpoint.endpoint_type, endpoint.service_name
        )));
    }
    let (enis, groups) = tokio::try_join!(
        aws.network_interfaces(&endpoint.network_interface_ids),
        aws.security_groups(&endpoint.security_group_ids)
    )?;
    let report = EndpointDetail {
        policy: classify_policy(endpoint.policy_document.as_deref()),
        security_groups: groups.iter().map(GroupView::new).collect(),
        network_interfaces: enis,
        id: endpoint.id,
        service_name: endpoint.service_name,
        endpoint_type: endpoint.endpoint_type,
        vpc_id: endpoint.vpc_id,
        owner_id: endpoint.owner_id,
        state: endpoint.state,
        private_dns_enabled: endpoint.private_dns_enabled,
        dns_names: endpoint.dns_names,
        tags: endpoint.tags,
    };
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_custom_endpoint_policies() {
        assert_eq!(classify_policy(None).kind, "default");
        let full =
            r#"{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}"#;
        assert_eq!(classify_policy(Some(full)).kind, "default");
        let scoped = r#"{"Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Principal":"*","Resource":"arn:aws:execute-api:us-east-1:111111111111:abc/*"}]}"#;
        assert_eq!(classify_policy(Some(scoped)).kind, "custom");
    }
}
