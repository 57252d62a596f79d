//! ECS: clusters, Fargate task definitions and services.

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, ClusterField, Compatibility, ContainerDefinition,
    LaunchType, LogConfiguration, LogDriver, NetworkConfiguration, NetworkMode, PropagateTags,
    ServiceField, Tag, TaskDefinitionField, TaskDefinitionStatus, TransportProtocol,
};

use super::error::{classify, ecs};
use super::Aws;
use crate::error::{Error, Result};
use crate::model::{
    ContainerSpec, EcsCluster, EcsService, PortMapping, ServiceLoadBalancer, TaskDefinition,
};

/// What CreateService is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewService {
    pub cluster: String,
    pub name: String,
    pub task_definition_arn: String,
    pub desired_count: i32,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub load_balancer: ServiceLoadBalancer,
    pub health_check_grace_seconds: i32,
    pub tags: Vec<(String, String)>,
}

fn tags(pairs: &[(String, String)]) -> Vec<Tag> {
    pairs
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_owned(),
                t.value().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

fn build_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Aws {
        operation: "BuildRequest",
        resource: what.to_owned(),
        code: "InvalidRequest".into(),
        message: e.to_string(),
    }
}

fn cluster_from(c: &aws_sdk_ecs::types::Cluster) -> EcsCluster {
    EcsCluster {
        arn: c.cluster_arn().unwrap_or_default().to_owned(),
        name: c.cluster_name().unwrap_or_default().to_owned(),
        status: c.status().unwrap_or_default().to_owned(),
        tags: tag_map(c.tags()),
    }
}

fn task_definition_from(t: &aws_sdk_ecs::types::TaskDefinition, tags: &[Tag]) -> TaskDefinition {
    TaskDefinition {
        arn: t.task_definition_arn().unwrap_or_default().to_owned(),
        family: t.family().unwrap_or_default().to_owned(),
        revision: t.revision(),
        network_mode: t
            .network_mode()
            .map(|m| m.as_str().to_owned())
            .unwrap_or_default(),
        requires_compatibilities: t
            .requires_compatibilities()
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        cpu: t.cpu().unwrap_or_default().to_owned(),
        memory: t.memory().unwrap_or_default().to_owned(),
        execution_role_arn: t.execution_role_arn().map(str::to_owned),
        containers: t
            .container_definitions()
            .iter()
            .map(|c| ContainerSpec {
                name: c.name().unwrap_or_default().to_owned(),
                image: c.image().unwrap_or_default().to_owned(),
                memory: c.memory(),
                port_mappings: c
                    .port_mappings()
                    .iter()
                    .map(|p| PortMapping {
                        container_port: p.container_port().unwrap_or_default(),
                        protocol: p
                            .protocol()
                            .map(|p| p.as_str().to_owned())
                            .unwrap_or_else(|| "tcp".into()),
                    })
                    .collect(),
                log_driver: c
                    .log_configuration()
                    .map(|l| l.log_driver().as_str().to_owned()),
                log_options: c
                    .log_configuration()
                    .and_then(|l| l.options())
                    .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
                secrets: c
                    .secrets()
                    .iter()
                    .map(|s| (s.name().to_owned(), s.value_from().to_owned()))
                    .collect(),
            })
            .collect(),
        tags: tag_map(tags),
    }
}

fn service_from(s: &aws_sdk_ecs::types::Service) -> EcsService {
    let vpc = s
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration());
    EcsService {
        arn: s.service_arn().unwrap_or_default().to_owned(),
        name: s.service_name().unwrap_or_default().to_owned(),
        cluster_arn: s.cluster_arn().unwrap_or_default().to_owned(),
        status: s.status().unwrap_or_default().to_owned(),
        task_definition: s.task_definition().unwrap_or_default().to_owned(),
        launch_type: s.launch_type().map(|l| l.as_str().to_owned()),
        desired_count: s.desired_count(),
        running_count: s.running_count(),
        pending_count: s.pending_count(),
        subnet_ids: vpc.map(|v| v.subnets().to_vec()).unwrap_or_default(),
        security_group_ids: vpc
            .map(|v| v.security_groups().to_vec())
            .unwrap_or_default(),
        assign_public_ip: vpc
            .and_then(|v| v.assign_public_ip())
            .is_some_and(|a| *a == AssignPublicIp::Enabled),
        load_balancers: s
            .load_balancers()
            .iter()
            .map(|l| ServiceLoadBalancer {
                target_group_arn: l.target_group_arn().unwrap_or_default().to_owned(),
                container_name: l.container_name().unwrap_or_default().to_owned(),
                container_port: l.container_port().unwrap_or_default(),
            })
            .collect(),
        tags: tag_map(s.tags()),
    }
}

impl Aws {
    fn ecs(&self) -> &aws_sdk_ecs::Client {
        self.ecs
            .get_or_init(|| aws_sdk_ecs::Client::new(&self.config))
    }

    /// A cluster by name or ARN, whatever its status; `None` when ECS has never heard of it.
    pub async fn ecs_cluster(&self, name: &str) -> Result<Option<EcsCluster>> {
        let out = self
            .ecs()
            .describe_clusters()
            .clusters(name)
            .include(ClusterField::Tags)
            .send()
            .await
            .map_err(|e| classify(ecs::DescribeClusters, name, e))?;
        Ok(out.clusters().first().map(cluster_from))
    }

    pub async fn create_ecs_cluster(
        &self,
        name: &str,
        tag_pairs: &[(String, String)],
    ) -> Result<EcsCluster> {
        let out = self
            .ecs()
            .create_cluster()
            .cluster_name(name)
            .set_tags(Some(tags(tag_pairs)))
            .send()
            .await
            .map_err(|e| classify(ecs::CreateCluster, name, e))?;
        out.cluster().map(cluster_from).ok_or_else(|| Error::Aws {
            operation: "CreateCluster",
            resource: name.to_owned(),
            code: "EmptyResponse".into(),
            message: "the response named no cluster".into(),
        })
    }

    /// Every cluster in the account and region, with tags.
    pub async fn all_ecs_clusters(&self) -> Result<Vec<EcsCluster>> {
        let pages: Vec<_> = self
            .ecs()
            .list_clusters()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ecs::ListClusters, "all", e))?;
        let arns: Vec<String> = pages
            .iter()
            .flat_map(|p| p.cluster_arns())
            .cloned()
            .collect();
        let mut clusters = Vec::new();
        // DescribeClusters takes at most 100 clusters a call.
        for chunk in arns.chunks(100) {
            let out = self
                .ecs()
                .describe_clusters()
                .set_clusters(Some(chunk.to_vec()))
                .include(ClusterField::Tags)
                .send()
                .await
                .map_err(|e| classify(ecs::DescribeClusters, chunk.join(","), e))?;
            clusters.extend(out.clusters().iter().map(cluster_from));
        }
        Ok(clusters)
    }

    pub async fn delete_ecs_cluster(&self, cluster: &str) -> Result<()> {
        self.ecs()
            .delete_cluster()
            .cluster(cluster)
            .send()
            .await
            .map_err(|e| classify(ecs::DeleteCluster, cluster, e))?;
        Ok(())
    }

    /// Active revisions of task definition `family`, newest first.
    pub async fn task_definition_arns(&self, family: &str) -> Result<Vec<String>> {
        let pages: Vec<_> = self
            .ecs()
            .list_task_definitions()
            // Despite its name, ECS matches the whole family name.
            .family_prefix(family)
            .status(TaskDefinitionStatus::Active)
            .sort(aws_sdk_ecs::types::SortOrder::Desc)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ecs::ListTaskDefinitions, family, e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.task_definition_arns())
            .cloned()
            .collect())
    }

    pub async fn task_definition(&self, arn: &str) -> Result<TaskDefinition> {
        let out = self
            .ecs()
            .describe_task_definition()
            .task_definition(arn)
            .include(TaskDefinitionField::Tags)
            .send()
            .await
            .map_err(|e| classify(ecs::DescribeTaskDefinition, arn, e))?;
        out.task_definition()
            .map(|t| task_definition_from(t, out.tags()))
            .ok_or_else(|| Error::not_found(arn, ""))
    }

    /// The newest active revision of exactly `family`, if any.
    pub async fn latest_task_definition(&self, family: &str) -> Result<Option<TaskDefinition>> {
        // By the revision in the ARN (`...:task-definition/family:7`), not
        // the listing's order, which not every implementation sorts.
        let newest = self
            .task_definition_arns(family)
            .await?
            .into_iter()
            .filter(|arn| {
                arn.rsplit_once(":task-definition/")
                    .and_then(|(_, rest)| rest.rsplit_once(':'))
                    .is_some_and(|(f, _)| f == family)
            })
            .max_by_key(|arn| {
                arn.rsplit(':')
                    .next()
                    .and_then(|r| r.parse::<u32>().ok())
                    .unwrap_or(0)
            });
        match newest {
            Some(arn) => self.task_definition(&arn).await.map(Some),
            None => Ok(None),
        }
    }

    pub async fn register_task_definition(
        &self,
        spec: &TaskDefinition,
        tag_pairs: &[(String, String)],
    ) -> Result<TaskDefinition> {
        let mut req = self
            .ecs()
            .register_task_definition()
            .family(&spec.family)
            .network_mode(NetworkMode::from(spec.network_mode.as_str()))
            .set_requires_compatibilities(Some(
                spec.requires_compatibilities
                    .iter()
                    .map(|c| Compatibility::from(c.as_str()))
                    .collect(),
            ))
            .cpu(&spec.cpu)
            .memory(&spec.memory)
            .set_execution_role_arn(spec.execution_role_arn.clone())
            .set_tags(Some(tags(tag_pairs)));
        for c in &spec.containers {
            let mut def = ContainerDefinition::builder()
                .name(&c.name)
                .image(&c.image)
                .essential(true)
                .set_memory(c.memory);
            for p in &c.port_mappings {
                def = def.port_mappings(
                    aws_sdk_ecs::types::PortMapping::builder()
                        .container_port(p.container_port)
                        .protocol(TransportProtocol::from(p.protocol.as_str()))
                        .build(),
                );
            }
            if let Some(driver) = &c.log_driver {
                let log = LogConfiguration::builder()
                    .log_driver(LogDriver::from(driver.as_str()))
                    .set_options(Some(c.log_options.clone().into_iter().collect()))
                    .build()
                    .map_err(|e| build_err(&spec.family, e))?;
                def = def.log_configuration(log);
            }
            for (name, value_from) in &c.secrets {
                def = def.secrets(
                    aws_sdk_ecs::types::Secret::builder()
                        .name(name)
                        .value_from(value_from)
                        .build()
                        .map_err(|e| build_err(&spec.family, e))?,
                );
            }
            req = req.container_definitions(def.build());
        }
        let out = req
            .send()
            .await
            .map_err(|e| classify(ecs::RegisterTaskDefinition, spec.family.as_str(), e))?;
        out.task_definition()
            .map(|t| task_definition_from(t, out.tags()))
            .ok_or_else(|| Error::Aws {
                operation: "RegisterTaskDefinition",
                resource: spec.family.clone(),
                code: "EmptyResponse".into(),
                message: "the response named no task definition".into(),
            })
    }

    pub async fn deregister_task_definition(&self, arn: &str) -> Result<()> {
        self.ecs()
            .deregister_task_definition()
            .task_definition(arn)
            .send()
            .await
            .map_err(|e| classify(ecs::DeregisterTaskDefinition, arn, e))?;
        Ok(())
    }

    /// A service by name in `cluster`, whatever its status; `None` when there is none.
    pub async fn ecs_service(&self, cluster: &str, name: &str) -> Result<Option<EcsService>> {
        let sent = self
            .ecs()
            .describe_services()
            .cluster(cluster)
            .services(name)
            .include(ServiceField::Tags)
            .send()
            .await;
        match sent {
            Ok(out) => Ok(out.services().first().map(service_from)),
            Err(e) => match classify(ecs::DescribeServices, name, e) {
                // No cluster, no service.
                Error::Aws { code, .. } if code == "ClusterNotFoundException" => Ok(None),
                Error::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// Every service in `cluster`, with tags.
    pub async fn ecs_services(&self, cluster: &str) -> Result<Vec<EcsService>> {
        let pages: Vec<_> = self
            .ecs()
            .list_services()
            .cluster(cluster)
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(ecs::ListServices, cluster, e))?;
        let arns: Vec<String> = pages
            .iter()
            .flat_map(|p| p.service_arns())
            .cloned()
            .collect();
        let mut services = Vec::new();
        // DescribeServices takes at most 10 services a call.
        for chunk in arns.chunks(10) {
            let out = self
                .ecs()
                .describe_services()
                .cluster(cluster)
                .set_services(Some(chunk.to_vec()))
                .include(ServiceField::Tags)
                .send()
                .await
                .map_err(|e| classify(ecs::DescribeServices, cluster, e))?;
            services.extend(out.services().iter().map(service_from));
        }
        Ok(services)
    }

    pub async fn create_ecs_service(&self, spec: &NewService) -> Result<EcsService> {
        let vpc = AwsVpcConfiguration::builder()
            .set_subnets(Some(spec.subnet_ids.clone()))
            .set_security_groups(Some(spec.security_group_ids.clone()))
            // Private subnets: the proxy is reached only through the NLB.
            .assign_public_ip(AssignPublicIp::Disabled)
            .build()
            .map_err(|e| build_err(&spec.name, e))?;
        let out = self
            .ecs()
            .create_service()
            .cluster(&spec.cluster)
            .service_name(&spec.name)
            .task_definition(&spec.task_definition_arn)
            .desired_count(spec.desired_count)
            .launch_type(LaunchType::Fargate)
            .network_configuration(
                NetworkConfiguration::builder()
                    .awsvpc_configuration(vpc)
                    .build(),
            )
            .load_balancers(
                aws_sdk_ecs::types::LoadBalancer::builder()
                    .target_group_arn(&spec.load_balancer.target_group_arn)
                    .container_name(&spec.load_balancer.container_name)
                    .container_port(spec.load_balancer.container_port)
                    .build(),
            )
            .health_check_grace_period_seconds(spec.health_check_grace_seconds)
            .propagate_tags(PropagateTags::Service)
            .set_tags(Some(tags(&spec.tags)))
            .send()
            .await
            .map_err(|e| classify(ecs::CreateService, spec.name.as_str(), e))?;
        out.service().map(service_from).ok_or_else(|| Error::Aws {
            operation: "CreateService",
            resource: spec.name.clone(),
            code: "EmptyResponse".into(),
            message: "the response named no service".into(),
        })
    }

    /// Point a service at another task definition revision (a rolling deployment).
    pub async fn update_service_task_definition(
        &self,
        cluster: &str,
        service: &str,
        task_definition_arn: &str,
    ) -> Result<()> {
        self.ecs()
            .update_service()
            .cluster(cluster)
            .service(service)
            .task_definition(task_definition_arn)
            .send()
            .await
            .map_err(|e| classify(ecs::UpdateService, service, e))?;
        Ok(())
    }

    /// Start new tasks with the same task definition, so they read secrets afresh.
    pub async fn force_new_deployment(&self, cluster: &str, service: &str) -> Result<()> {
        self.ecs()
            .update_service()
            .cluster(cluster)
            .service(service)
            .force_new_deployment(true)
            .send()
            .await
            .map_err(|e| classify(ecs::UpdateService, service, e))?;
        Ok(())
    }

    /// Scale to zero, then delete even if tasks are still draining.
    pub async fn delete_ecs_service(&self, cluster: &str, service: &str) -> Result<()> {
        self.ecs()
            .update_service()
            .cluster(cluster)
            .service(service)
            .desired_count(0)
            .send()
            .await
            .map_err(|e| classify(ecs::UpdateService, service, e))?;
        self.ecs()
            .delete_service()
            .cluster(cluster)
            .service(service)
            .force(true)
            .send()
            .await
            .map_err(|e| classify(ecs::DeleteService, service, e))?;
        Ok(())
    }
}
