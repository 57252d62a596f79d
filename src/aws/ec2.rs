use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    Filter, ResourceType, TagSpecification, VpcAttributeName, VpcEndpointType,
};

use super::error::{classify, ec2};
use super::Aws;
use crate::error::Result;
use crate::ids::{SecurityGroupId, SubnetId, Tag, VpcId, VpceId};
use crate::model::{
    Endpoint, IngressRule, NetworkInterface, SecurityGroup, Subnet, Vpc, VpcDns, VpcInterface,
    ANYWHERE_V4, HTTPS_PORT,
};

/// An ingress rule found by its tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedRule {
    pub group: String,
    pub id: String,
    /// The IPv4 range it admits (xapi's rules have one).
    pub cidr: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// What `CreateVpcEndpoint` is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEndpoint {
    pub vpc_id: VpcId,
    pub service_name: String,
    pub subnet_ids: Vec<SubnetId>,
    pub security_group_ids: Vec<SecurityGroupId>,
    pub private_dns: bool,
    pub tags: Vec<Tag>,
    /// Makes a retried create return the first endpoint instead of a second one.
    pub client_token: String,
}

fn filter(name: &str, values: &[&str]) -> Filter {
    let mut f = Filter::builder().name(name);
    for v in values {
        f = f.values(*v);
    }
    f.build()
}

fn endpoint_from(v: &aws_sdk_ec2::types::VpcEndpoint) -> Endpoint {
    Endpoint {
        id: v.vpc_endpoint_id().unwrap_or_default().to_owned(),
        vpc_id: v.vpc_id().unwrap_or_default().to_owned(),
        service_name: v.service_name().unwrap_or_default().to_owned(),
        endpoint_type: v
            .vpc_endpoint_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        state: v
            .state()
            .map(|s| s.as_str().to_ascii_lowercase())
            .unwrap_or_default(),
        private_dns_enabled: v.private_dns_enabled().unwrap_or(false),
        subnet_ids: v.subnet_ids().to_vec(),
        security_group_ids: v
            .groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_owned))
            .collect(),
        network_interface_ids: v.network_interface_ids().to_vec(),
        dns_names: v
            .dns_entries()
            .iter()
            .filter_map(|d| d.dns_name().map(str::to_owned))
            .collect(),
        dns_entries: v
            .dns_entries()
            .iter()
            .filter_map(|d| {
                Some(crate::model::DnsEntry {
                    dns_name: d.dns_name()?.to_owned(),
                    hosted_zone_id: d.hosted_zone_id()?.to_owned(),
                })
            })
            .collect(),
        ip_address_type: v.ip_address_type().map(|t| t.as_str().to_owned()),
        policy_document: v.policy_document().map(str::to_owned),
        owner_id: v.owner_id().unwrap_or_default().to_owned(),
        tags: v
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                ))
            })
            .collect::<BTreeMap<_, _>>(),
    }
}

fn rules_from(perms: &[aws_sdk_ec2::types::IpPermission]) -> Vec<IngressRule> {
    perms
        .iter()
        .map(|p| IngressRule {
            protocol: p.ip_protocol().unwrap_or("-1").to_owned(),
            from_port: p.from_port(),
            to_port: p.to_port(),
            cidrs: p
                .ip_ranges()
                .iter()
                .filter_map(|r| r.cidr_ip().map(str::to_owned))
                .collect(),
            ipv6_cidrs: p
                .ipv6_ranges()
                .iter()
                .filter_map(|r| r.cidr_ipv6().map(str::to_owned))
                .collect(),
            source_groups: p
                .user_id_group_pairs()
                .iter()
                .filter_map(|r| r.group_id().map(str::to_owned))
                .collect(),
            prefix_lists: p
                .prefix_list_ids()
                .iter()
                .filter_map(|r| r.prefix_list_id().map(str::to_owned))
                .collect(),
        })
        .collect()
}

fn group_from(g: &aws_sdk_ec2::types::SecurityGroup) -> SecurityGroup {
    SecurityGroup {
        id: g.group_id().unwrap_or_default().to_owned(),
        name: g.group_name().unwrap_or_default().to_owned(),
        vpc_id: g.vpc_id().unwrap_or_default().to_owned(),
        ingress: rules_from(g.ip_permissions()),
        egress: rules_from(g.ip_permissions_egress()),
        tags: g
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                ))
            })
            .collect(),
    }
}

/// TCP `port` to or from each CIDR, each range described.
fn tcp_ranges(port: i32, cidrs: &[String], description: &str) -> aws_sdk_ec2::types::IpPermission {
    use aws_sdk_ec2::types::{IpPermission, IpRange};
    let mut perm = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port);
    for c in cidrs {
        perm = perm.ip_ranges(
            IpRange::builder()
                .cidr_ip(c)
                .description(description)
                .build(),
        );
    }
    perm.build()
}

fn tag_spec(kind: ResourceType, pairs: &[(String, String)]) -> TagSpecification {
    let mut tags = TagSpecification::builder().resource_type(kind);
    for (k, v) in pairs {
        tags = tags.tags(aws_sdk_ec2::types::Tag::builder().key(k).value(v).build());
    }
    tags.build()
}

impl Aws {
    pub fn execute_api_service_name(&self) -> String {
        crate::ids::execute_api_service(self.region())
    }

    pub async fn vpc(&self, id: &VpcId) -> Result<Vpc> {
        let out = self
            .ec2()
            .describe_vpcs()
            .vpc_ids(id.as_str())
            .send()
            .await
            .map_err(|e| classify(ec2::DescribeVpcs, id.as_str(), e))?;
        let vpc = out
            .vpcs()
            .first()
            .ok_or_else(|| crate::error::Error::not_found(id.as_str(), ""))?;
        Ok(Vpc {
            id: id.to_string(),
            cidr_blocks: vpc
                .cidr_block_association_set()
                .iter()
                .filter_map(|a| a.cidr_block().map(str::to_owned))
                .collect(),
        })
    }

    /// DNS support and DNS hostnames: both must be on for private DNS.
    pub async fn vpc_dns(&self, id: &VpcId) -> Result<VpcDns> {
        let attr = |name: VpcAttributeName| {
            self.ec2()
                .describe_vpc_attribute()
                .vpc_id(id.as_str())
                .attribute(name)
                .send()
        };
        let (support, hostnames) = tokio::try_join!(
            async {
                attr(VpcAttributeName::EnableDnsSupport)
                    .await
                    .map_err(|e| classify(ec2::DescribeVpcAttribute, id.as_str(), e))
            },
            async {
                attr(VpcAttributeName::EnableDnsHostnames)
                    .await
                    .map_err(|e| classify(ec2::DescribeVpcAttribute, id.as_str(), e))
            },
        )?;
        Ok(VpcDns {
            support: support
                .enable_dns_support()
                .and_then(|a| a.value())
                .unwrap_or(false),
            hostnames: hostnames
                .enable_dns_hostnames()
                .and_then(|a| a.value())
                .unwrap_or(false),
        })
    }

    pub async fn subnets(&self, ids: &[SubnetId]) -> Result<Vec<Subnet>> {
        let out = self
            .ec2()
            .describe_subnets()
            .set_subnet_ids(Some(ids.iter().map(|s| s.to_string()).collect()))
            .send()
            .await
            .map_err(|e| classify(ec2::DescribeSubnets, join(ids), e))?;
        Ok(out
            .subnets()
            .iter()
            .map(|s| Subnet {
                id: s.subnet_id().unwrap_or_default().to_owned(),
                vpc_id: s.vpc_id().unwrap_or_default().to_owned(),
                availability_zone: s.availability_zone().unwrap_or_default().to_owned(),
                availability_zone_id: s.availability_zone_id().unwrap_or_default().to_owned(),
                cidr_block: s.cidr_block().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    pub async fn security_groups(&self, ids: &[String]) -> Result<Vec<SecurityGroup>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let out = self
            .ec2()
            .describe_security_groups()
            .set_group_ids(Some(ids.to_vec()))
            .send()
            .await
            .map_err(|e| classify(ec2::DescribeSecurityGroups, ids.join(","), e))?;
        Ok(out.security_groups().iter().map(group_from).collect())
    }

    /// Interface endpoints for execute-api in this region, optionally in one VPC.
    pub async fn execute_api_endpoints(&self, vpc: Option<&VpcId>) -> Result<Vec<Endpoint>> {
        self.interface_endpoints(&self.execute_api_service_name(), vpc)
            .await
    }

    /// Interface endpoints to `service`, optionally in one VPC, sorted by id.
    pub async fn interface_endpoints(
        &self,
        service: &str,
        vpc: Option<&VpcId>,
    ) -> Result<Vec<Endpoint>> {
        let service = service.to_owned();
        let mut req = self
            .ec2()
            .describe_vpc_endpoints()
            .filters(filter("service-name", &[&service]))
            .filters(filter("vpc-endpoint-type", &["Interface"]));
        if let Some(vpc) = vpc {
            req = req.filters(filter("vpc-id", &[vpc.as_str()]));
        }
        let pages: Vec<_> = req
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ec2::DescribeVpcEndpoints, service.as_str(), e))?;
        let mut endpoints: Vec<Endpoint> = pages
            .iter()
            .flat_map(|p| p.vpc_endpoints())
            .map(endpoint_from)
            .filter(|e| e.service_name == service)
            .collect();
        endpoints.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(endpoints)
    }

    pub async fn endpoint(&self, id: &VpceId) -> Result<Endpoint> {
        let out = self
            .ec2()
            .describe_vpc_endpoints()
            .vpc_endpoint_ids(id.as_str())
            .send()
            .await
            .map_err(|e| classify(ec2::DescribeVpcEndpoints, id.as_str(), e))?;
        out.vpc_endpoints()
            .first()
            .map(endpoint_from)
            .ok_or_else(|| crate::error::Error::not_found(id.as_str(), ""))
    }

    /// One call for any number of interfaces.
    pub async fn network_interfaces(&self, ids: &[String]) -> Result<Vec<NetworkInterface>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let out = self
            .ec2()
            .describe_network_interfaces()
            .set_network_interface_ids(Some(ids.to_vec()))
            .send()
            .await
            .map_err(|e| classify(ec2::DescribeNetworkInterfaces, ids.join(","), e))?;
        let mut enis: Vec<NetworkInterface> = out
            .network_interfaces()
            .iter()
            .map(|n| NetworkInterface {
                id: n.network_interface_id().unwrap_or_default().to_owned(),
                subnet_id: n.subnet_id().unwrap_or_default().to_owned(),
                availability_zone: n.availability_zone().unwrap_or_default().to_owned(),
                private_ip: n.private_ip_address().unwrap_or_default().to_owned(),
            })
            .collect();
        enis.sort_by(|a, b| (&a.availability_zone, &a.id).cmp(&(&b.availability_zone, &b.id)));
        Ok(enis)
    }

    /// Every network interface in `vpc`, sorted by id.
    pub async fn vpc_interfaces(&self, vpc: &VpcId) -> Result<Vec<VpcInterface>> {
        let pages: Vec<_> = self
            .ec2()
            .describe_network_interfaces()
            .filters(filter("vpc-id", &[vpc.as_str()]))
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ec2::DescribeNetworkInterfaces, format!("vpc-id {vpc}"), e))?;
        let mut out: Vec<VpcInterface> = pages
            .iter()
            .flat_map(|p| p.network_interfaces())
            .map(|n| VpcInterface {
                id: n.network_interface_id().unwrap_or_default().to_owned(),
                interface_type: n
                    .interface_type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                description: n.description().unwrap_or_default().to_owned(),
                instance_id: n
                    .attachment()
                    .and_then(|a| a.instance_id())
                    .map(str::to_owned),
                group_ids: n
                    .groups()
                    .iter()
                    .filter_map(|g| g.group_id().map(str::to_owned))
                    .collect(),
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Ids of the security groups in `vpc` that carry the tag key `key`.
    pub async fn groups_tagged_with_key(&self, vpc: &VpcId, key: &str) -> Result<Vec<String>> {
        let pages: Vec<_> = self
            .ec2()
            .describe_security_groups()
            .filters(filter("vpc-id", &[vpc.as_str()]))
            .filters(filter("tag-key", &[key]))
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ec2::DescribeSecurityGroups, format!("vpc-id {vpc}"), e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.security_groups())
            .filter_map(|g| g.group_id().map(str::to_owned))
            .collect())
    }

    pub async fn create_endpoint(&self, spec: &NewEndpoint) -> Result<Endpoint> {
        let mut req = self
            .ec2()
            .create_vpc_endpoint()
            .vpc_endpoint_type(VpcEndpointType::Interface)
            .vpc_id(spec.vpc_id.as_str())
            .service_name(&spec.service_name)
            .private_dns_enabled(spec.private_dns)
            .client_token(&spec.client_token)
            .set_subnet_ids(Some(
                spec.subnet_ids.iter().map(|s| s.to_string()).collect(),
            ));
        if !spec.security_group_ids.is_empty() {
            req = req.set_security_group_ids(Some(
                spec.security_group_ids
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ));
        }
        if !spec.tags.is_empty() {
            let mut tags = TagSpecification::builder().resource_type(ResourceType::VpcEndpoint);
            for t in &spec.tags {
                tags = tags.tags(
                    aws_sdk_ec2::types::Tag::builder()
                        .key(&t.key)
                        .value(&t.value)
                        .build(),
                );
            }
            req = req.tag_specifications(tags.build());
        }
        let out = req
            .send()
            .await
            .map_err(|e| classify(ec2::CreateVpcEndpoint, spec.vpc_id.as_str(), e))?;
        out.vpc_endpoint()
            .map(endpoint_from)
            .ok_or_else(|| crate::error::Error::Aws {
                operation: "CreateVpcEndpoint",
                resource: spec.vpc_id.to_string(),
                code: "EmptyResponse".into(),
                message: "the response named no endpoint".into(),
            })
    }
}

fn join<T: AsRef<str>>(ids: &[T]) -> String {
    ids.iter().map(|i| i.as_ref()).collect::<Vec<_>>().join(",")
}

impl Aws {
    /// Allow TCP 443 into `group_id` from each CIDR, tagging the rules with the
    /// stack so teardown can find and revoke exactly these rules.
    pub async fn authorize_https_from(
        &self,
        group_id: &str,
        cidrs: &[String],
        tag_pairs: &[(String, String)],
    ) -> Result<()> {
        self.authorize_tcp_from(
            group_id,
            HTTPS_PORT,
            cidrs,
            "xapi: TCP 443 from the NLB subnets",
            tag_pairs,
        )
        .await
    }

    /// Ingress rules carrying `key=value`.
    pub async fn tagged_ingress_rules(&self, key: &str, value: &str) -> Result<Vec<TaggedRule>> {
        let pages: Vec<_> = self
            .ec2()
            .describe_security_group_rules()
            .filters(filter(&format!("tag:{key}"), &[value]))
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| {
                classify(
                    ec2::DescribeSecurityGroupRules,
                    format!("tag {key}={value}"),
                    e,
                )
            })?;
        Ok(pages
            .iter()
            .flat_map(|p| p.security_group_rules())
            .filter(|r| r.is_egress() != Some(true))
            .filter(|r| {
                r.tags()
                    .iter()
                    .any(|t| t.key() == Some(key) && t.value() == Some(value))
            })
            .filter_map(|r| {
                Some(TaggedRule {
                    group: r.group_id()?.to_owned(),
                    id: r.security_group_rule_id()?.to_owned(),
                    cidr: r.cidr_ipv4().map(str::to_owned),
                    tags: r
                        .tags()
                        .iter()
                        .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
                        .collect(),
                })
            })
            .collect())
    }

    pub async fn revoke_ingress_rules(&self, group_id: &str, rule_ids: &[String]) -> Result<()> {
        self.ec2()
            .revoke_security_group_ingress()
            .group_id(group_id)
            .set_security_group_rule_ids(Some(rule_ids.to_vec()))
            .send()
            .await
            .map_err(|e| classify(ec2::RevokeSecurityGroupIngress, group_id, e))?;
        Ok(())
    }
}

impl Aws {
    /// The group named `name` in `vpc`, if any.
    pub async fn security_group_by_name(
        &self,
        vpc: &VpcId,
        name: &str,
    ) -> Result<Option<SecurityGroup>> {
        let out = self
            .ec2()
            .describe_security_groups()
            .filters(filter("vpc-id", &[vpc.as_str()]))
            .filters(filter("group-name", &[name]))
            .send()
            .await
            .map_err(|e| classify(ec2::DescribeSecurityGroups, name, e))?;
        Ok(out
            .security_groups()
            .iter()
            .map(group_from)
            .find(|g| g.name == name && g.vpc_id == vpc.as_str()))
    }

    /// Groups carrying `key=value`.
    pub async fn tagged_security_groups(
        &self,
        key: &str,
        value: &str,
    ) -> Result<Vec<SecurityGroup>> {
        let pages: Vec<_> = self
            .ec2()
            .describe_security_groups()
            .filters(filter(&format!("tag:{key}"), &[value]))
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ec2::DescribeSecurityGroups, format!("tag {key}={value}"), e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.security_groups())
            .map(group_from)
            .filter(|g| g.tags.get(key).map(String::as_str) == Some(value))
            .collect())
    }

    /// A new group, tagged at creation; returns its id.
    pub async fn create_security_group(
        &self,
        vpc: &VpcId,
        name: &str,
        description: &str,
        tag_pairs: &[(String, String)],
    ) -> Result<String> {
        let out = self
            .ec2()
            .create_security_group()
            .vpc_id(vpc.as_str())
            .group_name(name)
            .description(description)
            .tag_specifications(tag_spec(ResourceType::SecurityGroup, tag_pairs))
            .send()
            .await
            .map_err(|e| classify(ec2::CreateSecurityGroup, name, e))?;
        out.group_id()
            .map(str::to_owned)
            .ok_or_else(|| crate::error::Error::Aws {
                operation: "CreateSecurityGroup",
                resource: name.to_owned(),
                code: "EmptyResponse".into(),
                message: "the response named no group".into(),
            })
    }

    /// Allow TCP `port` into `group_id` from each CIDR, tagging the rules.
    pub async fn authorize_tcp_from(
        &self,
        group_id: &str,
        port: i32,
        cidrs: &[String],
        description: &str,
        tag_pairs: &[(String, String)],
    ) -> Result<()> {
        self.ec2()
            .authorize_security_group_ingress()
            .group_id(group_id)
            .ip_permissions(tcp_ranges(port, cidrs, description))
            .tag_specifications(tag_spec(ResourceType::SecurityGroupRule, tag_pairs))
            .send()
            .await
            .map_err(|e| classify(ec2::AuthorizeSecurityGroupIngress, group_id, e))?;
        Ok(())
    }

    /// Allow TCP `port` out of `group_id` to each CIDR, tagging the rules.
    pub async fn authorize_tcp_egress_to(
        &self,
        group_id: &str,
        port: i32,
        cidrs: &[String],
        description: &str,
        tag_pairs: &[(String, String)],
    ) -> Result<()> {
        self.ec2()
            .authorize_security_group_egress()
            .group_id(group_id)
            .ip_permissions(tcp_ranges(port, cidrs, description))
            .tag_specifications(tag_spec(ResourceType::SecurityGroupRule, tag_pairs))
            .send()
            .await
            .map_err(|e| classify(ec2::AuthorizeSecurityGroupEgress, group_id, e))?;
        Ok(())
    }

    /// Remove the all-traffic-to-anywhere rule every new group starts with.
    pub async fn revoke_open_egress(&self, group_id: &str) -> Result<()> {
        use aws_sdk_ec2::types::{IpPermission, IpRange};
        self.ec2()
            .revoke_security_group_egress()
            .group_id(group_id)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("-1")
                    .ip_ranges(IpRange::builder().cidr_ip(ANYWHERE_V4).build())
                    .build(),
            )
            .send()
            .await
            .map_err(|e| classify(ec2::RevokeSecurityGroupEgress, group_id, e))?;
        Ok(())
    }

    pub async fn delete_security_group(&self, group_id: &str) -> Result<()> {
        self.ec2()
            .delete_security_group()
            .group_id(group_id)
            .send()
            .await
            .map_err(|e| classify(ec2::DeleteSecurityGroup, group_id, e))?;
        Ok(())
    }
}
