//! ECS: clusters, Fargate task definitions and services, in ECS's JSON 1.1
//! protocol (`src/aws/json_rpc.rs`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::error::{classify, ecs};
use super::json_rpc::{self, int, text, texts, JsonError, ECS};
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

/// ECS's tags: `{"key", "value"}` pairs.
fn tags(pairs: &[(String, String)]) -> Value {
    pairs
        .iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect()
}

fn tag_map(tags: Option<&Value>) -> BTreeMap<String, String> {
    tags.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| Some((text(t, "key")?, text(t, "value").unwrap_or_default())))
        .collect()
}

fn empty_response(operation: &'static str, resource: &str, what: &str) -> Error {
    Error::Aws {
        operation,
        resource: resource.to_owned(),
        code: "EmptyResponse".into(),
        message: format!("the response named no {what}"),
    }
}

fn cluster_from(c: &Value) -> EcsCluster {
    EcsCluster {
        arn: text(c, "clusterArn").unwrap_or_default(),
        name: text(c, "clusterName").unwrap_or_default(),
        status: text(c, "status").unwrap_or_default(),
        tags: tag_map(c.get("tags")),
    }
}

fn container_from(c: &Value) -> ContainerSpec {
    let log = c.get("logConfiguration");
    ContainerSpec {
        name: text(c, "name").unwrap_or_default(),
        image: text(c, "image").unwrap_or_default(),
        memory: int(c, "memory"),
        port_mappings: list(c, "portMappings")
            .map(|p| PortMapping {
                container_port: int(p, "containerPort").unwrap_or_default(),
                protocol: text(p, "protocol").unwrap_or_else(|| "tcp".into()),
            })
            .collect(),
        log_driver: log.and_then(|l| text(l, "logDriver")),
        log_options: log
            .and_then(|l| l.get("options"))
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
        secrets: list(c, "secrets")
            .filter_map(|s| Some((text(s, "name")?, text(s, "valueFrom")?)))
            .collect(),
    }
}

fn task_definition_from(t: &Value, tags: Option<&Value>) -> TaskDefinition {
    TaskDefinition {
        arn: text(t, "taskDefinitionArn").unwrap_or_default(),
        family: text(t, "family").unwrap_or_default(),
        revision: int(t, "revision").unwrap_or_default(),
        network_mode: text(t, "networkMode").unwrap_or_default(),
        requires_compatibilities: texts(t, "requiresCompatibilities"),
        cpu: text(t, "cpu").unwrap_or_default(),
        memory: text(t, "memory").unwrap_or_default(),
        execution_role_arn: text(t, "executionRoleArn"),
        containers: list(t, "containerDefinitions")
            .map(container_from)
            .collect(),
        tags: tag_map(tags),
    }
}

fn service_from(s: &Value) -> EcsService {
    let vpc = s
        .get("networkConfiguration")
        .and_then(|n| n.get("awsvpcConfiguration"));
    EcsService {
        arn: text(s, "serviceArn").unwrap_or_default(),
        name: text(s, "serviceName").unwrap_or_default(),
        cluster_arn: text(s, "clusterArn").unwrap_or_default(),
        status: text(s, "status").unwrap_or_default(),
        task_definition: text(s, "taskDefinition").unwrap_or_default(),
        launch_type: text(s, "launchType"),
        desired_count: int(s, "desiredCount").unwrap_or_default(),
        running_count: int(s, "runningCount").unwrap_or_default(),
        pending_count: int(s, "pendingCount").unwrap_or_default(),
        subnet_ids: vpc.map(|v| texts(v, "subnets")).unwrap_or_default(),
        security_group_ids: vpc.map(|v| texts(v, "securityGroups")).unwrap_or_default(),
        assign_public_ip: vpc.and_then(|v| text(v, "assignPublicIp")).as_deref() == Some("ENABLED"),
        load_balancers: list(s, "loadBalancers")
            .map(|l| ServiceLoadBalancer {
                target_group_arn: text(l, "targetGroupArn").unwrap_or_default(),
                container_name: text(l, "containerName").unwrap_or_default(),
                container_port: int(l, "containerPort").unwrap_or_default(),
            })
            .collect(),
        tags: tag_map(s.get("tags")),
    }
}

/// The objects of an array field (none: no objects).
fn list<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// One container as RegisterTaskDefinition takes it.
fn container_definition(c: &ContainerSpec) -> Value {
    let mut def = Map::new();
    def.insert("name".into(), json!(c.name));
    def.insert("image".into(), json!(c.image));
    def.insert("essential".into(), json!(true));
    if let Some(memory) = c.memory {
        def.insert("memory".into(), json!(memory));
    }
    def.insert(
        "portMappings".into(),
        c.port_mappings
            .iter()
            .map(|p| json!({"containerPort": p.container_port, "protocol": p.protocol}))
            .collect(),
    );
    if let Some(driver) = &c.log_driver {
        def.insert(
            "logConfiguration".into(),
            json!({"logDriver": driver, "options": c.log_options}),
        );
    }
    def.insert(
        "secrets".into(),
        c.secrets
            .iter()
            .map(|(name, value_from)| json!({"name": name, "valueFrom": value_from}))
            .collect(),
    );
    Value::Object(def)
}

impl Aws {
    async fn ecs(
        &self,
        operation: &'static str,
        input: Value,
    ) -> std::result::Result<Value, JsonError> {
        json_rpc::call(&self.config, ECS, operation, input).await
    }

    /// A cluster by name or ARN, whatever its status; `None` when ECS has never heard of it.
    pub async fn ecs_cluster(&self, name: &str) -> Result<Option<EcsCluster>> {
        let out = self
            .ecs(
                "DescribeClusters",
                json!({"clusters": [name], "include": ["TAGS"]}),
            )
            .await
            .map_err(|e| classify(ecs::DescribeClusters, name, e))?;
        let found = list(&out, "clusters").next().map(cluster_from);
        Ok(found)
    }

    pub async fn create_ecs_cluster(
        &self,
        name: &str,
        tag_pairs: &[(String, String)],
    ) -> Result<EcsCluster> {
        let out = self
            .ecs(
                "CreateCluster",
                json!({"clusterName": name, "tags": tags(tag_pairs)}),
            )
            .await
            .map_err(|e| classify(ecs::CreateCluster, name, e))?;
        out.get("cluster")
            .map(cluster_from)
            .ok_or_else(|| empty_response("CreateCluster", name, "cluster"))
    }

    /// Every cluster in the account and region, with tags.
    pub async fn all_ecs_clusters(&self) -> Result<Vec<EcsCluster>> {
        let arns: Vec<String> = json_rpc::call_paged(
            &self.config,
            ECS,
            "ListClusters",
            json!({}),
            "nextToken",
            "clusterArns",
        )
        .await
        .map_err(|e| classify(ecs::ListClusters, "all", e))?
        .iter()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
        let mut clusters = Vec::new();
        // DescribeClusters takes at most 100 clusters a call.
        for chunk in arns.chunks(100) {
            let out = self
                .ecs(
                    "DescribeClusters",
                    json!({"clusters": chunk, "include": ["TAGS"]}),
                )
                .await
                .map_err(|e| classify(ecs::DescribeClusters, chunk.join(","), e))?;
            clusters.extend(list(&out, "clusters").map(cluster_from));
        }
        Ok(clusters)
    }

    pub async fn delete_ecs_cluster(&self, cluster: &str) -> Result<()> {
        self.ecs("DeleteCluster", json!({"cluster": cluster}))
            .await
            .map_err(|e| classify(ecs::DeleteCluster, cluster, e))?;
        Ok(())
    }

    /// Active revisions of task definition `family`, newest first.
    pub async fn task_definition_arns(&self, family: &str) -> Result<Vec<String>> {
        // Despite its name, ECS matches the whole family name.
        let input = json!({"familyPrefix": family, "status": "ACTIVE", "sort": "DESC"});
        let arns = json_rpc::call_paged(
            &self.config,
            ECS,
            "ListTaskDefinitions",
            input,
            "nextToken",
            "taskDefinitionArns",
        )
        .await
        .map_err(|e| classify(ecs::ListTaskDefinitions, family, e))?;
        Ok(arns
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect())
    }

    pub async fn task_definition(&self, arn: &str) -> Result<TaskDefinition> {
        let out = self
            .ecs(
                "DescribeTaskDefinition",
                json!({"taskDefinition": arn, "include": ["TAGS"]}),
            )
            .await
            .map_err(|e| classify(ecs::DescribeTaskDefinition, arn, e))?;
        out.get("taskDefinition")
            .map(|t| task_definition_from(t, out.get("tags")))
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
        let mut input = json!({
            "family": spec.family,
            "networkMode": spec.network_mode,
            "requiresCompatibilities": spec.requires_compatibilities,
            "cpu": spec.cpu,
            "memory": spec.memory,
            "tags": tags(tag_pairs),
            "containerDefinitions": spec.containers.iter().map(container_definition).collect::<Vec<_>>(),
        });
        if let Some(role) = &spec.execution_role_arn {
            input["executionRoleArn"] = json!(role);
        }
        let out = self
            .ecs("RegisterTaskDefinition", input)
            .await
            .map_err(|e| classify(ecs::RegisterTaskDefinition, spec.family.as_str(), e))?;
        out.get("taskDefinition")
            .map(|t| task_definition_from(t, out.get("tags")))
            .ok_or_else(|| {
                empty_response("RegisterTaskDefinition", &spec.family, "task definition")
            })
    }

    pub async fn deregister_task_definition(&self, arn: &str) -> Result<()> {
        self.ecs("DeregisterTaskDefinition", json!({"taskDefinition": arn}))
            .await
            .map_err(|e| classify(ecs::DeregisterTaskDefinition, arn, e))?;
        Ok(())
    }

    /// A service by name in `cluster`, whatever its status; `None` when there is none.
    pub async fn ecs_service(&self, cluster: &str, name: &str) -> Result<Option<EcsService>> {
        let input = json!({"cluster": cluster, "services": [name], "include": ["TAGS"]});
        match self.ecs("DescribeServices", input).await {
            Ok(out) => {
                let found = list(&out, "services").next().map(service_from);
                Ok(found)
            }
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
        let arns: Vec<String> = json_rpc::call_paged(
            &self.config,
            ECS,
            "ListServices",
            json!({"cluster": cluster}),
            "nextToken",
            "serviceArns",
        )
        .await
        .map_err(|e| classify(ecs::ListServices, cluster, e))?
        .iter()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
        let mut services = Vec::new();
        // DescribeServices takes at most 10 services a call.
        for chunk in arns.chunks(10) {
            let input = json!({"cluster": cluster, "services": chunk, "include": ["TAGS"]});
            let out = self
                .ecs("DescribeServices", input)
                .await
                .map_err(|e| classify(ecs::DescribeServices, cluster, e))?;
            services.extend(list(&out, "services").map(service_from));
        }
        Ok(services)
    }

    pub async fn create_ecs_service(&self, spec: &NewService) -> Result<EcsService> {
        let input = json!({
            "cluster": spec.cluster,
            "serviceName": spec.name,
            "taskDefinition": spec.task_definition_arn,
            "desiredCount": spec.desired_count,
            "launchType": "FARGATE",
            "networkConfiguration": {"awsvpcConfiguration": {
                "subnets": spec.subnet_ids,
                "securityGroups": spec.security_group_ids,
                // Private subnets: the proxy is reached only through the NLB.
                "assignPublicIp": "DISABLED",
            }},
            "loadBalancers": [{
                "targetGroupArn": spec.load_balancer.target_group_arn,
                "containerName": spec.load_balancer.container_name,
                "containerPort": spec.load_balancer.container_port,
            }],
            "healthCheckGracePeriodSeconds": spec.health_check_grace_seconds,
            "propagateTags": "SERVICE",
            "tags": tags(&spec.tags),
        });
        let out = self
            .ecs("CreateService", input)
            .await
            .map_err(|e| classify(ecs::CreateService, spec.name.as_str(), e))?;
        out.get("service")
            .map(service_from)
            .ok_or_else(|| empty_response("CreateService", &spec.name, "service"))
    }

    /// Point a service at another task definition revision (a rolling deployment).
    pub async fn update_service_task_definition(
        &self,
        cluster: &str,
        service: &str,
        task_definition_arn: &str,
    ) -> Result<()> {
        self.update_service(
            cluster,
            service,
            json!({"taskDefinition": task_definition_arn}),
        )
        .await
    }

    /// Start new tasks with the same task definition, so they read secrets afresh.
    pub async fn force_new_deployment(&self, cluster: &str, service: &str) -> Result<()> {
        self.update_service(cluster, service, json!({"forceNewDeployment": true}))
            .await
    }

    /// Scale to zero, then delete even if tasks are still draining.
    pub async fn delete_ecs_service(&self, cluster: &str, service: &str) -> Result<()> {
        self.update_service(cluster, service, json!({"desiredCount": 0}))
            .await?;
        self.ecs(
            "DeleteService",
            json!({"cluster": cluster, "service": service, "force": true}),
        )
        .await
        .map_err(|e| classify(ecs::DeleteService, service, e))?;
        Ok(())
    }

    /// UpdateService with `change` (its fields beside the cluster and service).
    async fn update_service(&self, cluster: &str, service: &str, mut change: Value) -> Result<()> {
        change["cluster"] = json!(cluster);
        change["service"] = json!(service);
        self.ecs("UpdateService", change)
            .await
            .map_err(|e| classify(ecs::UpdateService, service, e))?;
        Ok(())
    }
}
