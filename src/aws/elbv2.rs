use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerTypeEnum,
    Matcher, ProtocolEnum, Tag, TargetDescription, TargetTypeEnum,
};

use super::error::{classify, elasticloadbalancing};
use super::Aws;
use crate::error::{Error, Result};
use crate::model::{HealthCheck, Listener, LoadBalancer, Target, TargetGroup, TargetHealth};

/// What a new IP target group is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTargetGroup {
    pub name: String,
    pub vpc_id: String,
    pub port: i32,
    /// `HTTPS` to execute-api's `/ping`, or `HTTP` to a proxy's `/health`.
    pub health: HealthCheck,
    pub tags: Vec<(String, String)>,
}

fn matcher(health: &HealthCheck) -> Option<Matcher> {
    health
        .matcher
        .as_ref()
        .map(|codes| Matcher::builder().http_code(codes).build())
}

fn tags(pairs: &[(String, String)]) -> Vec<Tag> {
    pairs
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

fn lb_from(lb: &aws_sdk_elasticloadbalancingv2::types::LoadBalancer) -> LoadBalancer {
    LoadBalancer {
        security_groups: lb.security_groups().to_vec(),
        arn: lb.load_balancer_arn().unwrap_or_default().to_owned(),
        name: lb.load_balancer_name().unwrap_or_default().to_owned(),
        dns_name: lb.dns_name().unwrap_or_default().to_owned(),
        scheme: lb
            .scheme()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        lb_type: lb
            .r#type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        state: lb
            .state()
            .and_then(|s| s.code())
            .map(|c| c.as_str().to_ascii_lowercase())
            .unwrap_or_default(),
        vpc_id: lb.vpc_id().unwrap_or_default().to_owned(),
        availability_zones: lb
            .availability_zones()
            .iter()
            .filter_map(|z| z.zone_name().map(str::to_owned))
            .collect(),
        subnet_ids: lb
            .availability_zones()
            .iter()
            .filter_map(|az| az.subnet_id().map(str::to_owned))
            .collect(),
    }
}

fn tg_from(tg: &aws_sdk_elasticloadbalancingv2::types::TargetGroup) -> TargetGroup {
    TargetGroup {
        arn: tg.target_group_arn().unwrap_or_default().to_owned(),
        name: tg.target_group_name().unwrap_or_default().to_owned(),
        protocol: tg
            .protocol()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        port: tg.port().unwrap_or_default(),
        target_type: tg
            .target_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        vpc_id: tg.vpc_id().unwrap_or_default().to_owned(),
        health_check: HealthCheck {
            protocol: tg
                .health_check_protocol()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            port: tg.health_check_port().unwrap_or("traffic-port").to_owned(),
            path: tg.health_check_path().map(str::to_owned),
            matcher: tg.matcher().and_then(|m| m.http_code()).map(str::to_owned),
        },
        load_balancer_arns: tg.load_balancer_arns().to_vec(),
    }
}

impl Aws {
    fn elb(&self) -> &aws_sdk_elasticloadbalancingv2::Client {
        self.elb
            .get_or_init(|| aws_sdk_elasticloadbalancingv2::Client::new(&self.config))
    }

    /// A load balancer by ARN or name; `None` when there is none.
    pub async fn load_balancer(&self, arn_or_name: &str) -> Result<Option<LoadBalancer>> {
        let mut req = self.elb().describe_load_balancers();
        req = if arn_or_name.starts_with("arn:") {
            req.load_balancer_arns(arn_or_name)
        } else {
            req.names(arn_or_name)
        };
        match req.send().await {
            Ok(out) => Ok(out.load_balancers().first().map(lb_from)),
            Err(e) => match classify(elasticloadbalancing::DescribeLoadBalancers, arn_or_name, e) {
                Error::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// The network load balancer a REST API VPC link may target; anything else is refused.
    pub async fn network_load_balancer(&self, arn_or_name: &str) -> Result<LoadBalancer> {
        let lb = self
            .load_balancer(arn_or_name)
            .await?
            .ok_or_else(|| Error::not_found(format!("load balancer {arn_or_name}"), ""))?;
        if !lb.lb_type.eq_ignore_ascii_case("network") {
            return Err(Error::BadInput(format!(
                "{} is an {} load balancer: REST API VPC links need a network load balancer",
                lb.name, lb.lb_type
            )));
        }
        Ok(lb)
    }

    pub async fn create_internal_nlb(
        &self,
        name: &str,
        subnet_ids: &[String],
        tag_pairs: &[(String, String)],
    ) -> Result<LoadBalancer> {
        let out = self
            .elb()
            .create_load_balancer()
            .name(name)
            .r#type(LoadBalancerTypeEnum::Network)
            .scheme(LoadBalancerSchemeEnum::Internal)
            .set_subnets(Some(subnet_ids.to_vec()))
            .set_tags(Some(tags(tag_pairs)))
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::CreateLoadBalancer, name, e))?;
        out.load_balancers()
            .first()
            .map(lb_from)
            .ok_or_else(|| Error::Aws {
                operation: "CreateLoadBalancer",
                resource: name.to_owned(),
                code: "EmptyResponse".into(),
                message: "the response named no load balancer".into(),
            })
    }

    pub async fn cross_zone_enabled(&self, arn: &str) -> Result<bool> {
        let out = self
            .elb()
            .describe_load_balancer_attributes()
            .load_balancer_arn(arn)
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::DescribeLoadBalancerAttributes, arn, e))?;
        Ok(out.attributes().iter().any(|a| {
            a.key() == Some("load_balancing.cross_zone.enabled") && a.value() == Some("true")
        }))
    }

    pub async fn enable_cross_zone(&self, arn: &str) -> Result<()> {
        self.elb()
            .modify_load_balancer_attributes()
            .load_balancer_arn(arn)
            .attributes(
                LoadBalancerAttribute::builder()
                    .key("load_balancing.cross_zone.enabled")
                    .value("true")
                    .build(),
            )
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::ModifyLoadBalancerAttributes, arn, e))?;
        Ok(())
    }

    /// A target group by ARN or name; `None` when there is none.
    pub async fn target_group(&self, arn_or_name: &str) -> Result<Option<TargetGroup>> {
        let mut req = self.elb().describe_target_groups();
        req = if arn_or_name.starts_with("arn:") {
            req.target_group_arns(arn_or_name)
        } else {
            req.names(arn_or_name)
        };
        match req.send().await {
            Ok(out) => Ok(out.target_groups().first().map(tg_from)),
            Err(e) => match classify(elasticloadbalancing::DescribeTargetGroups, arn_or_name, e) {
                Error::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    pub async fn create_ip_target_group(&self, spec: &NewTargetGroup) -> Result<TargetGroup> {
        let out = self
            .elb()
            .create_target_group()
            .name(&spec.name)
            .protocol(ProtocolEnum::Tcp)
            .port(spec.port)
            .vpc_id(&spec.vpc_id)
            .target_type(TargetTypeEnum::Ip)
            .health_check_enabled(true)
            .health_check_protocol(ProtocolEnum::from(spec.health.protocol.as_str()))
            .health_check_port(&spec.health.port)
            .set_health_check_path(spec.health.path.clone())
            .set_matcher(matcher(&spec.health))
            .set_tags(Some(tags(&spec.tags)))
            .send()
            .await
            .map_err(|e| {
                classify(
                    elasticloadbalancing::CreateTargetGroup,
                    spec.name.as_str(),
                    e,
                )
            })?;
        out.target_groups()
            .first()
            .map(tg_from)
            .ok_or_else(|| Error::Aws {
                operation: "CreateTargetGroup",
                resource: spec.name.clone(),
                code: "EmptyResponse".into(),
                message: "the response named no target group".into(),
            })
    }

    pub async fn target_health(&self, tg_arn: &str) -> Result<Vec<TargetHealth>> {
        let out = self
            .elb()
            .describe_target_health()
            .target_group_arn(tg_arn)
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::DescribeTargetHealth, tg_arn, e))?;
        let mut health: Vec<TargetHealth> = out
            .target_health_descriptions()
            .iter()
            .filter_map(|d| {
                let t = d.target()?;
                let h = d.target_health();
                Some(TargetHealth {
                    target: Target {
                        ip: t.id()?.to_owned(),
                        port: t.port().unwrap_or_default(),
                        availability_zone: t.availability_zone().map(str::to_owned),
                    },
                    state: h
                        .and_then(|h| h.state())
                        .map(|s| s.as_str().to_ascii_lowercase())
                        .unwrap_or_default(),
                    reason: h.and_then(|h| h.reason()).map(|r| r.as_str().to_owned()),
                    description: h.and_then(|h| h.description()).map(str::to_owned),
                })
            })
            .collect();
        health.sort_by(|a, b| a.target.cmp(&b.target));
        Ok(health)
    }

    pub async fn register_targets(&self, tg_arn: &str, targets: &[Target]) -> Result<()> {
        if targets.is_empty() {
            return Ok(());
        }
        self.elb()
            .register_targets()
            .target_group_arn(tg_arn)
            .set_targets(Some(targets.iter().map(describe_target).collect()))
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::RegisterTargets, tg_arn, e))?;
        Ok(())
    }

    pub async fn deregister_targets(&self, tg_arn: &str, targets: &[Target]) -> Result<()> {
        if targets.is_empty() {
            return Ok(());
        }
        self.elb()
            .deregister_targets()
            .target_group_arn(tg_arn)
            .set_targets(Some(targets.iter().map(describe_target).collect()))
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::DeregisterTargets, tg_arn, e))?;
        Ok(())
    }

    pub async fn listeners(&self, lb_arn: &str) -> Result<Vec<Listener>> {
        let out = self
            .elb()
            .describe_listeners()
            .load_balancer_arn(lb_arn)
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::DescribeListeners, lb_arn, e))?;
        Ok(out
            .listeners()
            .iter()
            .map(|l| Listener {
                arn: l.listener_arn().unwrap_or_default().to_owned(),
                port: l.port().unwrap_or_default(),
                protocol: l
                    .protocol()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
                forward_target_group_arns: l
                    .default_actions()
                    .iter()
                    .filter(|a| a.r#type() == Some(&ActionTypeEnum::Forward))
                    .flat_map(|a| {
                        let mut arns: Vec<String> = a
                            .target_group_arn()
                            .map(str::to_owned)
                            .into_iter()
                            .collect();
                        if let Some(fc) = a.forward_config() {
                            arns.extend(
                                fc.target_groups()
                                    .iter()
                                    .filter_map(|t| t.target_group_arn().map(str::to_owned)),
                            );
                        }
                        arns
                    })
                    .collect(),
            })
            .collect())
    }

    pub async fn create_tcp_listener(
        &self,
        lb_arn: &str,
        port: i32,
        tg_arn: &str,
        tag_pairs: &[(String, String)],
    ) -> Result<Listener> {
        let out = self
            .elb()
            .create_listener()
            .load_balancer_arn(lb_arn)
            .protocol(ProtocolEnum::Tcp)
            .port(port)
            .default_actions(
                Action::builder()
                    .r#type(ActionTypeEnum::Forward)
                    .target_group_arn(tg_arn)
                    .build(),
            )
            .set_tags(Some(tags(tag_pairs)))
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::CreateListener, lb_arn, e))?;
        let l = out.listeners().first();
        Ok(Listener {
            arn: l
                .and_then(|l| l.listener_arn())
                .unwrap_or_default()
                .to_owned(),
            port,
            protocol: "TCP".into(),
            forward_target_group_arns: vec![tg_arn.to_owned()],
        })
    }

    /// Tags of up to any number of ELB resources (batched 20 per call, the API's limit).
    pub async fn elb_tags(
        &self,
        arns: &[String],
    ) -> Result<BTreeMap<String, BTreeMap<String, String>>> {
        let mut all = BTreeMap::new();
        for chunk in arns.chunks(20) {
            let out = self
                .elb()
                .describe_tags()
                .set_resource_arns(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| classify(elasticloadbalancing::DescribeTags, chunk.join(","), e))?;
            for d in out.tag_descriptions() {
                let tags = d
                    .tags()
                    .iter()
                    .filter_map(|t| {
                        Some((
                            t.key()?.to_owned(),
                            t.value().unwrap_or_default().to_owned(),
                        ))
                    })
                    .collect();
                all.insert(d.resource_arn().unwrap_or_default().to_owned(), tags);
            }
        }
        Ok(all)
    }

    /// Every load balancer in the account and region.
    pub async fn all_load_balancers(&self) -> Result<Vec<LoadBalancer>> {
        let pages: Vec<_> = self
            .elb()
            .describe_load_balancers()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(elasticloadbalancing::DescribeLoadBalancers, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.load_balancers())
            .map(lb_from)
            .collect())
    }

    /// Every target group in the account and region.
    pub async fn all_target_groups(&self) -> Result<Vec<TargetGroup>> {
        let pages: Vec<_> = self
            .elb()
            .describe_target_groups()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(elasticloadbalancing::DescribeTargetGroups, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.target_groups())
            .map(tg_from)
            .collect())
    }

    pub async fn delete_load_balancer(&self, arn: &str) -> Result<()> {
        self.elb()
            .delete_load_balancer()
            .load_balancer_arn(arn)
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::DeleteLoadBalancer, arn, e))?;
        Ok(())
    }

    pub async fn delete_target_group(&self, arn: &str) -> Result<()> {
        self.elb()
            .delete_target_group()
            .target_group_arn(arn)
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::DeleteTargetGroup, arn, e))?;
        Ok(())
    }
}

fn describe_target(t: &Target) -> TargetDescription {
    TargetDescription::builder()
        .id(&t.ip)
        .port(t.port)
        .set_availability_zone(t.availability_zone.clone())
        .build()
}

impl Aws {
    pub async fn set_health_check(&self, tg_arn: &str, health: &HealthCheck) -> Result<()> {
        self.elb()
            .modify_target_group()
            .target_group_arn(tg_arn)
            .health_check_protocol(ProtocolEnum::from(health.protocol.as_str()))
            .health_check_port(&health.port)
            .set_health_check_path(health.path.clone())
            .set_matcher(matcher(health))
            .send()
            .await
            .map_err(|e| classify(elasticloadbalancing::ModifyTargetGroup, tg_arn, e))?;
        Ok(())
    }
}
