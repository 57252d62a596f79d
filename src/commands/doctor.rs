//! `xapi doctor`: observe (concurrent reads into one snapshot), judge (pure
//! checks), render. A resource it cannot read becomes a skipped finding that
//! says what access would enable the check, never a crash; one the command
//! line names fails its check instead, and a run that skipped every check
//! exits 1: a diagnosis of nothing is never a pass.

use std::collections::BTreeMap;
use std::future::Future;

use serde::Serialize;

use crate::aws::domain::DomainOwner;
use crate::aws::Aws;
use crate::cli::{DoctorArgs, GlobalArgs};
use crate::context::Context;
use crate::doctor::checks::{self, parse_private_uri};
use crate::doctor::domain::{ConsumerEvidence, DomainEvidence};
use crate::doctor::mtls::{summarize_secret, MtlsEvidence, TasksEvidence};
use crate::doctor::{
    DeployedPolicy, FailKind, Finding, FrontEvidence, LinkNetwork, Read, Snapshot, Status, Summary,
    SNAPSHOT_VERSION,
};
use crate::error::{exit, Error, Result};
use crate::ids::{ApiId, DomainArn, StackName, VpcId, VpceId};
use crate::infra;
use crate::model::{
    Endpoint, LinkVersion, Listener, LoadBalancer, TargetGroup, VpcLink, STACK_TAG,
};
use crate::output::{self, Report, Style};
use crate::plan::association::answering_zone;
use crate::plan::nlb::ObservedNlb;
use crate::region;
use crate::stack::StackNames;

/// A read that stands on an earlier one: asked only when that one gave a value,
/// otherwise `not_asked` with `missing` as the reason.
async fn read_from<'a, P, T, F>(
    prior: Option<&'a P>,
    missing: &str,
    needs: impl Into<String>,
    f: impl FnOnce(&'a P) -> F,
) -> Read<T>
where
    F: Future<Output = Result<T>>,
{
    match prior {
        Some(value) => read(needs, f(value)).await,
        None => Read::not_asked(missing),
    }
}

/// Turn a read's result into evidence; `needs` says what access the read takes.
async fn read<T>(needs: impl Into<String>, f: impl Future<Output = Result<T>>) -> Read<T> {
    match f.await {
        Ok(value) => Read::Ok { value },
        Err(e) => {
            let kind = match &e {
                Error::NotFound { .. } => FailKind::NotFound,
                Error::Denied { .. } | Error::NoCredentials(_) => FailKind::Denied,
                _ => FailKind::Error,
            };
            Read::Failed {
                kind,
                error: e.to_string(),
                needs: needs.into(),
                required: false,
            }
        }
    }
}

/// `r`, marked required when the command line named its resource.
fn named<T>(on_command_line: bool, r: Read<T>) -> Read<T> {
    if on_command_line {
        r.required()
    } else {
        r
    }
}

fn found<T>(value: Option<T>, what: &str) -> Result<T> {
    value.ok_or_else(|| Error::not_found(what.to_owned(), ""))
}

async fn front_evidence(aws: &Aws, id: &ApiId) -> Result<FrontEvidence> {
    let front = infra::front_api::observe(aws, id).await?;
    Ok(FrontEvidence {
        api_id: id.to_string(),
        tags: front.api.tags,
        integrations: front.integrations,
        authorization: front.authorization,
        policy: front.api.policy,
    })
}

/// The link the front door uses: named by its integration, else the one
/// carrying the same `xapi:stack` tag (API Gateway implementations that do not
/// report connection ids still let an xapi-made chain be followed).
fn link_id_from(front: &FrontEvidence, links: &[VpcLink]) -> Option<String> {
    front
        .integrations
        .values()
        .flatten()
        .find_map(|i| i.connection_id.clone())
        .or_else(|| {
            let stack = front.tags.get(STACK_TAG)?;
            links
                .iter()
                .find(|l| l.tags.get(STACK_TAG) == Some(stack))
                .map(|l| l.id.clone())
        })
}

/// The subnets `ids` names, as EC2 describes them (a text that is no subnet id is left out).
async fn subnets_named(aws: &Aws, ids: &[String]) -> Result<Vec<crate::model::Subnet>> {
    let ids: Vec<crate::ids::SubnetId> = ids.iter().filter_map(|s| s.parse().ok()).collect();
    aws.subnets(&ids).await
}

/// A v2 link's subnets and groups, and its load balancer's groups, read side by side.
async fn link_network(aws: &Aws, link: &VpcLink, lb: &LoadBalancer) -> Result<LinkNetwork> {
    let (subnets, groups, load_balancer_groups) = tokio::try_join!(
        subnets_named(aws, &link.subnet_ids),
        aws.security_groups(&link.security_group_ids),
        async {
            if lb.security_groups.is_empty() {
                Ok(Vec::new())
            } else {
                aws.security_groups(&lb.security_groups).await
            }
        },
    )?;
    Ok(LinkNetwork {
        subnets,
        groups,
        load_balancer_groups,
    })
}

/// The load balancer `arn_or_name` as `wire-regional-front` and `mtls
/// deploy` observe it (its listeners and cross-zone setting beside it).
async fn observe_nlb(aws: &Aws, arn_or_name: &str) -> Result<ObservedNlb> {
    found(
        infra::load_balancer::observe(aws, arn_or_name).await?,
        &format!("load balancer {arn_or_name}"),
    )
}

/// The load balancer, its listeners and its cross-zone setting as three
/// pieces of evidence, each failing or missing as the one read did.
fn nlb_evidence(nlb: &Read<ObservedNlb>) -> (Read<LoadBalancer>, Read<Vec<Listener>>, Read<bool>) {
    (
        nlb.map(|n| n.lb.clone()),
        nlb.map(|n| n.listeners.clone()),
        nlb.map(|n| n.cross_zone),
    )
}

/// Behind a v2 link, the load balancer the front's integrations name, else
/// (API Gateway implementations that do not report `integrationTarget`) the
/// one named after the front's stack.
fn nlb_of_v2_front(front: &FrontEvidence, link: &VpcLink) -> Option<String> {
    if link.version != LinkVersion::V2 {
        return None;
    }
    front
        .integrations
        .values()
        .flatten()
        .find_map(|i| i.integration_target.clone())
        .or_else(|| {
            let stack = front.tags.get(STACK_TAG)?;
            Some(StackNames::of(stack).load_balancer)
        })
}

fn api_id_from(front: &FrontEvidence, region: &str, suffix: &str) -> Option<ApiId> {
    front
        .integrations
        .values()
        .flatten()
        .filter_map(|i| i.uri.as_deref())
        .find_map(|u| parse_private_uri(u, region, suffix))
        .and_then(|(api, _, _)| api.parse().ok())
}

const CONSUMER: &str = "read access in the consumer account (--profile/--role-arn)";
const PRODUCER: &str =
    "read access in the producer account (--producer-profile/--producer-role-arn)";

async fn gather(ctx: &Context, args: &DoctorArgs) -> Result<Snapshot> {
    let consumer = ctx.aws().await?;
    let producer_given = ctx.producer(&args.producer).await?;
    let cross_account = producer_given.is_some();
    let producer = producer_given.unwrap_or_else(|| consumer.clone());
    // Without producer credentials the private API is read with the consumer's:
    // "not found" then most likely means "in the other account", not "missing".
    let producer_read = |r: Read<crate::model::RestApi>| match r {
        Read::Failed {
            kind: FailKind::NotFound,
            error,
            ..
        } if !cross_account => Read::Failed {
            kind: FailKind::Denied,
            error,
            needs: format!("{PRODUCER}: it is not in this account"),
            required: false,
        },
        other => other,
    };
    let suffix = region::dns_suffix(&ctx.region).to_owned();

    // Level 1: whatever was named, plus identities, all at once.
    let (consumer_id, producer_id, front, links, given_tg, given_endpoint, lambda) = tokio::join!(
        read(CONSUMER, consumer.caller_identity()),
        read(PRODUCER, producer.caller_identity()),
        async {
            match &args.front_api_id {
                Some(id) => read(CONSUMER, front_evidence(&consumer, id))
                    .await
                    .required(),
                None => Read::not_asked("no front API given (--front-api-id)"),
            }
        },
        read(CONSUMER, infra::vpc_link::observe_all(&consumer)),
        async {
            match &args.target_group_arn {
                Some(arn) => read(CONSUMER, async {
                    found(
                        infra::target_group::find(&consumer, arn).await?,
                        &format!("target group {arn}"),
                    )
                })
                .await
                .required(),
                None => Read::not_asked("no target group given or discovered"),
            }
        },
        async {
            match &args.vpce {
                Some(v) => read(CONSUMER, infra::endpoint::observe(&consumer, v))
                    .await
                    .required(),
                None => Read::not_asked("no VPC endpoint given or discovered"),
            }
        },
        async {
            match &args.lambda {
                Some(f) => read(CONSUMER, consumer.function_vpc(f)).await.required(),
                None => Read::not_asked("no function given (--lambda)"),
            }
        },
    );

    // Level 2: the link and the private API, named or discovered from the front door.
    let link_id = args.vpc_link_id.clone().or_else(|| {
        let front = front.ok()?;
        link_id_from(front, links.ok()?)
    });
    let api_id = args
        .api_id
        .clone()
        .or_else(|| api_id_from(front.ok()?, &ctx.region, &suffix));
    let (link, api, mut stages, lambda_subnets) = tokio::join!(
        async {
            match &link_id {
                Some(id) => named(
                    args.vpc_link_id.is_some(),
                    read(CONSUMER, infra::vpc_link::observe(&consumer, id)).await,
                ),
                None if front.ok().is_some() => Read::not_asked(
                    "the front API's integrations name no VPC link; pass --vpc-link-id",
                ),
                None => Read::not_asked("no VPC link given or discovered"),
            }
        },
        async {
            match &api_id {
                Some(id) => named(
                    args.api_id.is_some(),
                    producer_read(read(PRODUCER, producer.rest_api(id)).await),
                ),
                None => Read::not_asked("no private API given (--api-id) or discovered"),
            }
        },
        async {
            match &api_id {
                Some(id) => read(PRODUCER, producer.stages(id)).await,
                None => Read::not_asked("no private API"),
            }
        },
        async {
            match lambda.ok().filter(|f| !f.subnet_ids.is_empty()) {
                Some(f) => read(CONSUMER, subnets_named(&consumer, &f.subnet_ids)).await,
                None => Read::not_asked("no VPC-attached function"),
            }
        },
    );

    if api.ok().is_none() {
        stages = Read::not_asked("the private API could not be read");
    }

    // Level 3: the NLB behind the link (or behind the given target group), its
    // listeners, target group and targets, and the stages' deployments.
    let nlb_ref: Option<String> = link
        .ok()
        .and_then(|l| l.target_arns.first().cloned())
        .or_else(|| nlb_of_v2_front(front.ok()?, link.ok()?))
        .or_else(|| {
            given_tg
                .ok()
                .and_then(|t| t.load_balancer_arns.first().cloned())
        });
    let nlb: Read<ObservedNlb> = match &nlb_ref {
        Some(arn) => read(CONSUMER, observe_nlb(&consumer, arn)).await,
        None => Read::not_asked("no load balancer: no VPC link or target group leads to one"),
    };
    let (load_balancer, listeners, cross_zone) = nlb_evidence(&nlb);
    let forwarded = nlb
        .ok()
        .and_then(ObservedNlb::listener)
        .and_then(|l| l.forward_target_group_arns.first().cloned());
    let target_group: Read<TargetGroup> = match (&given_tg, forwarded) {
        (Read::NotAsked { .. }, Some(arn)) => {
            read(CONSUMER, async {
                found(
                    infra::target_group::find(&consumer, &arn).await?,
                    &format!("target group {arn}"),
                )
            })
            .await
        }
        _ => given_tg,
    };
    let checked_stages: Vec<String> = stages
        .ok()
        .map(|ss| {
            ss.iter()
                .filter(|s| {
                    args.stage
                        .as_ref()
                        .is_none_or(|want| want.as_str() == s.name)
                })
                .filter_map(|s| s.deployment_id.clone())
                .collect()
        })
        .unwrap_or_default();
    let (targets, deployments, deployed_policies, link_network, nlb_subnets) = tokio::join!(
        read_from(target_group.ok(), "no target group", CONSUMER, |tg| {
            infra::target_group::health(&consumer, &tg.arn)
        }),
        async {
            match &api_id {
                Some(id) if stages.ok().is_some() => {
                    read(
                        PRODUCER,
                        futures::future::try_join_all(
                            checked_stages.iter().map(|d| producer.deployment(id, d)),
                        ),
                    )
                    .await
                }
                _ => Read::not_asked("no stages"),
            }
        },
        async {
            match (&api_id, stages.ok()) {
                (Some(id), Some(ss)) => {
                    let producer = &producer;
                    let names: Vec<&str> = ss
                        .iter()
                        .filter(|s| {
                            args.stage
                                .as_ref()
                                .is_none_or(|want| want.as_str() == s.name)
                        })
                        .map(|s| s.name.as_str())
                        .collect();
                    read(
                        format!("apigateway:GET on the stages' exports, {PRODUCER}"),
                        futures::future::try_join_all(names.into_iter().map(|stage| async move {
                            Ok::<_, Error>(DeployedPolicy {
                                stage: stage.to_owned(),
                                policy: producer.deployed_policy(id, stage).await?,
                            })
                        })),
                    )
                    .await
                }
                _ => Read::not_asked("no stages"),
            }
        },
        async {
            match (link.ok(), load_balancer.ok()) {
                (Some(l), Some(lb)) if l.version == LinkVersion::V2 => {
                    read(CONSUMER, link_network(&consumer, l, lb)).await
                }
                (Some(l), _) if l.version == LinkVersion::V2 => Read::not_asked("no load balancer"),
                _ => Read::not_asked("no VPC link v2"),
            }
        },
        async {
            match load_balancer.ok() {
                Some(lb) => read(CONSUMER, subnets_named(&consumer, &lb.subnet_ids)).await,
                None => Read::not_asked("no load balancer"),
            }
        },
    );

    // Level 4: the endpoint: named, or the execute-api endpoint whose addresses are the targets.
    let target_ips: Option<Vec<String>> = targets
        .ok()
        .map(|ts| ts.iter().map(|t| t.target.ip.clone()).collect());
    let function_vpc = checks::function_vpc(lambda.ok(), lambda_subnets.ok());
    let endpoint: Read<Endpoint> = match (&given_endpoint, target_ips, function_vpc) {
        (Read::NotAsked { .. }, Some(ips), _) if !ips.is_empty() => {
            read(CONSUMER, endpoint_by_ips(&consumer, &ips)).await
        }
        (Read::NotAsked { .. }, _, Some(vpc)) => {
            read(CONSUMER, endpoint_in_vpc(&consumer, &vpc)).await
        }
        _ => given_endpoint,
    };
    let (interfaces, security_groups, vpc_dns) = tokio::join!(
        read_from(endpoint.ok(), "no VPC endpoint", CONSUMER, |e| {
            consumer.network_interfaces(&e.network_interface_ids)
        }),
        read_from(endpoint.ok(), "no VPC endpoint", CONSUMER, |e| {
            consumer.security_groups(&e.security_group_ids)
        }),
        async {
            match endpoint
                .ok()
                .and_then(|e| e.vpc_id.parse::<crate::ids::VpcId>().ok())
            {
                Some(vpc) => read(CONSUMER, consumer.vpc_dns(&vpc)).await,
                None => Read::not_asked("no VPC endpoint"),
            }
        },
    );
    Ok(Snapshot {
        schema_version: SNAPSHOT_VERSION,
        region: ctx.region.clone(),
        dns_suffix: suffix,
        consumer_account: consumer_id.ok().map(|i| i.account.clone()),
        producer_account: producer_id.ok().map(|i| i.account.clone()),
        stage: args.stage.as_ref().map(|s| s.to_string()),
        front,
        link,
        load_balancer,
        listeners,
        cross_zone,
        nlb_subnets,
        target_group,
        targets,
        endpoint,
        interfaces,
        security_groups,
        vpc_dns,
        api,
        stages,
        deployments,
        lambda,
        lambda_subnets,
        deployed_policies,
        taken_at: Some(time::OffsetDateTime::now_utc().unix_timestamp()),
        mtls: Read::not_asked("no mTLS stack given (--mtls)"),
        link_network,
        domain: Read::not_asked("no domain given (--domain)"),
    })
}

/// Pattern 3: an mTLS stack found by the names `mtls deploy` derives, read
/// with the producer's credentials, level by level, each level concurrently.
async fn gather_mtls(ctx: &Context, args: &DoctorArgs, stack: &StackName) -> Result<Snapshot> {
    let base = ctx.aws().await?;
    let producer_given = ctx.producer(&args.producer).await?;
    let who = if producer_given.is_some() {
        "--producer-profile/--producer-role-arn"
    } else {
        "--profile/--role-arn"
    };
    let producer = producer_given.unwrap_or_else(|| base.clone());
    let p = |action: &str| format!("{action} in the producer account ({who})");
    let n = StackNames::new(stack);
    let suffix = region::dns_suffix(&ctx.region).to_owned();

    let (
        producer_id,
        consumer_id,
        service,
        nlb,
        target_group,
        tasks,
        latest,
        secret,
        consumer_endpoint,
        api,
    ) = tokio::join!(
        read(p("sts:GetCallerIdentity"), producer.caller_identity()),
        async {
            match &args.vpce {
                Some(_) => read(CONSUMER, base.caller_identity()).await,
                None => Read::not_asked("no consumer endpoint given (--vpce)"),
            }
        },
        async {
            read(p("ec2:DescribeVpcEndpointServiceConfigurations"), async {
                let services = producer
                    .tagged_endpoint_services(STACK_TAG, &n.stack)
                    .await?;
                crate::stack::the_endpoint_service(&n.stack, services)
            })
            .await
            .required()
        },
        async {
            read(
                p("elasticloadbalancing:DescribeLoadBalancers, DescribeTags, DescribeLoadBalancerAttributes and DescribeListeners"),
                observe_nlb(&producer, &n.load_balancer),
            )
            .await
            .required()
        },
        async {
            read(p("elasticloadbalancing:DescribeTargetGroups"), async {
                found(
                    infra::target_group::find(&producer, &n.target_group).await?,
                    &format!("target group {}", n.target_group),
                )
            })
            .await
            .required()
        },
        async {
            read(p("ecs:DescribeServices"), async {
                let svc = producer
                    .ecs_service(&n.cluster, &n.service)
                    .await?
                    .filter(|s| s.is_active());
                let s = found(
                    svc,
                    &format!("ECS service {} in cluster {}", n.service, n.cluster),
                )?;
                Ok(TasksEvidence {
                    service: s.name,
                    status: s.status,
                    desired: s.desired_count,
                    running: s.running_count,
                    pending: s.pending_count,
                    task_definition: s.task_definition,
                    subnet_ids: s.subnet_ids,
                    security_group_ids: s.security_group_ids,
                })
            })
            .await
            .required()
        },
        read(
            p("ecs:ListTaskDefinitions and ecs:DescribeTaskDefinition"),
            async {
                let td = producer.latest_task_definition(&n.task_family).await?;
                found(
                    td.map(|t| t.arn),
                    &format!("task definition family {}", n.task_family),
                )
            }
        ),
        async {
            read(
                p(&format!(
                    "secretsmanager:DescribeSecret and secretsmanager:GetSecretValue on {}",
                    n.secret
                )),
                async {
                    let value = producer.secret_string(&n.secret).await?;
                    Ok(summarize_secret(&n.secret, &value))
                },
            )
            .await
            .required()
        },
        async {
            match &args.vpce {
                Some(v) => read(
                    format!("ec2:DescribeVpcEndpoints {CONSUMER}"),
                    infra::endpoint::observe(&base, v),
                )
                .await
                .required(),
                None => Read::not_asked("no consumer endpoint given (--vpce)"),
            }
        },
        async {
            match &args.api_id {
                Some(id) => read(p("apigateway:GET on the private API"), producer.rest_api(id)).await.required(),
                None => Read::not_asked("no private API given (--api-id): pass it to check that it admits the proxy's endpoint"),
            }
        },
    );

    let (load_balancer, listeners, cross_zone) = nlb_evidence(&nlb);
    let (principals, connections, targets, task_subnets) = tokio::join!(
        read_from(
            service.ok(),
            "no endpoint service",
            p("ec2:DescribeVpcEndpointServicePermissions"),
            |svc| producer.allowed_principals(&svc.id)
        ),
        read_from(
            service.ok(),
            "no endpoint service",
            p("ec2:DescribeVpcEndpointConnections"),
            |svc| producer.endpoint_connections(&svc.id)
        ),
        read_from(
            target_group.ok(),
            "no target group",
            p("elasticloadbalancing:DescribeTargetHealth"),
            |tg| infra::target_group::health(&producer, &tg.arn)
        ),
        async {
            match tasks.ok() {
                Some(t) => {
                    read(
                        p("ec2:DescribeSubnets"),
                        subnets_named(&producer, &t.subnet_ids),
                    )
                    .await
                }
                None => Read::not_asked("no ECS service"),
            }
        },
    );

    // The proxy's VPC: its tasks' subnets', else its load balancer's.
    let proxy_vpc: Option<crate::ids::VpcId> = task_subnets
        .ok()
        .and_then(|v| v.first().map(|s| s.vpc_id.clone()))
        .or_else(|| load_balancer.ok().map(|lb| lb.vpc_id.clone()))
        .and_then(|v| v.parse().ok());
    let upstream_endpoint: Read<Endpoint> = match &proxy_vpc {
        Some(vpc) => read(p("ec2:DescribeVpcEndpoints"), async {
            let vpc_str = vpc.to_string();
            let live: Vec<Endpoint> = producer
                .execute_api_endpoints(Some(vpc))
                .await?
                .into_iter()
                .filter(|e| e.is_live())
                .collect();
            // Prefer the one the proxy's https://{api}.execute-api... resolves to.
            let pick = live
                .iter()
                .find(|e| e.private_dns_enabled)
                .or(live.first())
                .cloned();
            pick.ok_or_else(|| {
                Error::not_found(
                    format!("execute-api endpoint in {vpc_str}"),
                    format!("the proxy reaches the private API through one; create it with `xapi endpoint create --vpc-id {vpc_str} --subnet-id ...`"),
                )
            })
        })
        .await,
        None => Read::not_asked("the proxy's VPC is unknown (no ECS service or load balancer)"),
    };
    let upstream_security_groups = match upstream_endpoint.ok() {
        Some(e) => {
            read(
                p("ec2:DescribeSecurityGroups"),
                producer.security_groups(&e.security_group_ids),
            )
            .await
        }
        None => Read::not_asked("no execute-api endpoint in the proxy's VPC"),
    };
    const PATTERN3: &str = "pattern 3 (--mtls)";
    Ok(Snapshot {
        schema_version: SNAPSHOT_VERSION,
        region: ctx.region.clone(),
        dns_suffix: suffix,
        consumer_account: consumer_id.ok().map(|i| i.account.clone()),
        producer_account: producer_id.ok().map(|i| i.account.clone()),
        stage: args.stage.as_ref().map(|s| s.to_string()),
        front: Read::not_asked(PATTERN3),
        link: Read::not_asked(PATTERN3),
        load_balancer: Read::not_asked(PATTERN3),
        listeners: Read::not_asked(PATTERN3),
        cross_zone: Read::not_asked(PATTERN3),
        nlb_subnets: Read::not_asked(PATTERN3),
        target_group: Read::not_asked(PATTERN3),
        targets: Read::not_asked(PATTERN3),
        endpoint: Read::not_asked(PATTERN3),
        interfaces: Read::not_asked(PATTERN3),
        security_groups: Read::not_asked(PATTERN3),
        vpc_dns: Read::not_asked(PATTERN3),
        api,
        stages: Read::not_asked(PATTERN3),
        deployments: Read::not_asked(PATTERN3),
        lambda: Read::not_asked(PATTERN3),
        lambda_subnets: Read::not_asked(PATTERN3),
        deployed_policies: Read::not_asked(PATTERN3),
        taken_at: Some(time::OffsetDateTime::now_utc().unix_timestamp()),
        mtls: Read::Ok {
            value: MtlsEvidence {
                stack: n.stack.clone(),
                service,
                principals,
                connections,
                consumer_endpoint,
                load_balancer,
                listeners,
                cross_zone,
                target_group,
                targets,
                tasks,
                latest_task_definition: latest,
                secret,
                task_subnets,
                upstream_endpoint,
                upstream_security_groups,
            },
        },
        link_network: Read::not_asked(PATTERN3),
        domain: Read::not_asked(PATTERN3),
    })
}

/// Pattern 4: a private custom domain, its certificate, its mappings and
/// each mapped API, read with the domain owner's credentials (the base
/// ones, or the producer's with --producer-*), each level concurrently.
async fn gather_domain(ctx: &Context, args: &DoctorArgs, arn: &DomainArn) -> Result<Snapshot> {
    arn.check_region(&ctx.region).map_err(Error::BadInput)?;
    let base = ctx.aws().await?;
    let owner = ctx
        .producer(&args.producer)
        .await?
        .unwrap_or_else(|| base.clone());
    let needs = |action: &str| format!("{action} in the domain's account ({})", arn.account());
    let consumer = async {
        match &args.vpce {
            Some(v) => gather_domain_consumer(&base, arn, v).await,
            None => Read::not_asked("no --vpce given"),
        }
    };
    let (identity, domain, mappings, consumer) = tokio::join!(
        read(needs("sts:GetCallerIdentity"), owner.caller_identity()),
        read(needs("apigateway:GET"), owner.domain_name(arn)),
        read(needs("apigateway:GET"), owner.base_path_mappings(arn)),
        consumer,
    );
    let certificate = match domain.ok().and_then(|d| d.certificate_arn.as_deref()) {
        Some(c) => match c.parse::<crate::ids::CertificateArn>() {
            Ok(c) => read(needs("acm:DescribeCertificate"), owner.certificate(&c)).await,
            Err(e) => Read::Failed {
                kind: FailKind::Error,
                error: e,
                needs: needs("acm:DescribeCertificate"),
                required: false,
            },
        },
        None => Read::not_asked("the domain reports no certificate"),
    };
    let api_ids: Vec<String> = mappings
        .ok()
        .map(|ms| ms.iter().map(|m| m.api_id.clone()).collect())
        .unwrap_or_default();
    let reads = api_ids.iter().map(|id| {
        let owner = &owner;
        let needs = &needs;
        async move {
            let Ok(api_id) = id.parse::<ApiId>() else {
                fn bad<T>(id: &str) -> Read<T> {
                    Read::Failed {
                        kind: FailKind::Error,
                        error: format!("the mapping names {id}, which is not an API id"),
                        needs: String::new(),
                        required: false,
                    }
                }
                return (id.clone(), bad(id), bad(id));
            };
            let (api, stages) = tokio::join!(
                read(needs("apigateway:GET"), owner.rest_api(&api_id)),
                read(needs("apigateway:GET"), owner.stages(&api_id)),
            );
            (id.clone(), api, stages)
        }
    });
    let mut apis = BTreeMap::new();
    let mut stages = BTreeMap::new();
    for (id, api, st) in futures::future::join_all(reads).await {
        apis.insert(id.clone(), api);
        stages.insert(id, st);
    }
    const PATTERN4: &str = "pattern 4 (--domain)";
    Ok(Snapshot {
        schema_version: SNAPSHOT_VERSION,
        region: ctx.region.clone(),
        dns_suffix: region::dns_suffix(&ctx.region).to_owned(),
        consumer_account: None,
        producer_account: identity.ok().map(|i| i.account.clone()),
        stage: args.stage.as_ref().map(|s| s.to_string()),
        front: Read::not_asked(PATTERN4),
        link: Read::not_asked(PATTERN4),
        load_balancer: Read::not_asked(PATTERN4),
        listeners: Read::not_asked(PATTERN4),
        cross_zone: Read::not_asked(PATTERN4),
        nlb_subnets: Read::not_asked(PATTERN4),
        target_group: Read::not_asked(PATTERN4),
        targets: Read::not_asked(PATTERN4),
        endpoint: Read::not_asked(PATTERN4),
        interfaces: Read::not_asked(PATTERN4),
        security_groups: Read::not_asked(PATTERN4),
        vpc_dns: Read::not_asked(PATTERN4),
        api: Read::not_asked(PATTERN4),
        stages: Read::not_asked(PATTERN4),
        deployments: Read::not_asked(PATTERN4),
        lambda: Read::not_asked(PATTERN4),
        lambda_subnets: Read::not_asked(PATTERN4),
        deployed_policies: Read::not_asked(PATTERN4),
        taken_at: Some(time::OffsetDateTime::now_utc().unix_timestamp()),
        mtls: Read::not_asked(PATTERN4),
        link_network: Read::not_asked(PATTERN4),
        domain: Read::Ok {
            value: DomainEvidence {
                arn: arn.to_string(),
                domain: domain.required(),
                certificate,
                mappings,
                apis,
                stages,
                vpce: args.vpce.as_ref().map(ToString::to_string),
                consumer,
            },
        },
    })
}

/// The endpoint's side of pattern 4, read with the base credentials: the
/// share, its associations, its VPC's DNS and its zone for the domain's name.
async fn gather_domain_consumer(
    aws: &Aws,
    arn: &DomainArn,
    vpce: &VpceId,
) -> Read<ConsumerEvidence> {
    let (identity, endpoint, associations) = tokio::join!(
        aws.caller_identity(),
        read(
            "ec2:DescribeVpcEndpoints",
            infra::endpoint::observe(aws, vpce)
        ),
        read("apigateway:GET", aws.access_associations(DomainOwner::Mine)),
    );
    let account = match identity {
        Ok(i) => i.account,
        Err(e) => {
            return Read::Failed {
                kind: FailKind::Denied,
                error: e.to_string(),
                needs: "sts:GetCallerIdentity with the endpoint's account's credentials".into(),
                required: true,
            }
        }
    };
    let own = account == arn.account();
    if own
        && matches!(
            endpoint,
            Read::Failed {
                kind: FailKind::NotFound,
                ..
            }
        )
    {
        return Read::not_asked(format!(
            "{vpce} is not in account {account}, the domain's: the endpoint's side is read \
             with its account's credentials (run doctor as that account, with \
             --producer-profile or --producer-role-arn for account {account})"
        ));
    }
    let endpoint = if own { endpoint } else { endpoint.required() };
    let shared = async {
        if own {
            Read::not_asked("the domain is this account's own")
        } else {
            read("apigateway:GET", aws.domain_names(DomainOwner::Shared)).await
        }
    };
    let vpc: Option<VpcId> = endpoint.ok().and_then(|e| e.vpc_id.parse().ok());
    let missing = "the endpoint was not read";
    let (shared, vpc_dns, zones) = tokio::join!(
        shared,
        read_from(vpc.as_ref(), missing, "ec2:DescribeVpcAttribute", |v| aws
            .vpc_dns(v)),
        read_from(vpc.as_ref(), missing, "route53:ListHostedZonesByVPC", |v| {
            aws.private_zones_of_vpc(v.as_str())
        }),
    );
    let visible = own
        || shared
            .ok()
            .is_some_and(|s| s.iter().any(|d| arn.is(&d.arn)));
    let name = arn.name().to_ascii_lowercase();
    let zone = zones.ok().and_then(|z| answering_zone(z, &name));
    let (invitations, records) = tokio::join!(
        async {
            if visible {
                Read::not_asked("the domain is visible to this account")
            } else {
                read("ram:GetResourceShareInvitations", aws.share_invitations()).await
            }
        },
        read_from(
            zone,
            "no zone for the name",
            "route53:ListResourceRecordSets",
            |z| { aws.alias_records(&z.id, &name) }
        ),
    );
    Read::Ok {
        value: ConsumerEvidence {
            account,
            shared,
            invitations,
            endpoint,
            vpc_dns,
            associations,
            zones,
            records,
        },
    }
}

/// The execute-api endpoint a function's VPC would use.
async fn endpoint_in_vpc(aws: &Aws, vpc: &str) -> Result<Endpoint> {
    let vpc_id: crate::ids::VpcId = vpc
        .parse()
        .map_err(|e: String| Error::BadInput(format!("the function's VPC: {e}")))?;
    aws.execute_api_endpoints(Some(&vpc_id))
        .await?
        .into_iter()
        .find(|e| e.is_live())
        .ok_or_else(|| {
            Error::not_found(
                "execute-api endpoint",
                format!("{vpc} has none: the function cannot reach a private API; create one with `xapi endpoint create --vpc-id {vpc} --subnet-id ...`"),
            )
        })
}

/// The execute-api endpoint whose interface addresses are these targets: one
/// describe of the account's endpoints and one batched describe of their interfaces.
async fn endpoint_by_ips(aws: &Aws, ips: &[String]) -> Result<Endpoint> {
    let endpoints = aws.execute_api_endpoints(None).await?;
    let eni_ids: Vec<String> = endpoints
        .iter()
        .flat_map(|e| e.network_interface_ids.clone())
        .collect();
    let enis = aws.network_interfaces(&eni_ids).await?;
    endpoints
        .into_iter()
        .find(|e| {
            enis.iter()
                .any(|n| e.network_interface_ids.contains(&n.id) && ips.contains(&n.private_ip))
        })
        .ok_or_else(|| {
            Error::not_found(
                "execute-api endpoint",
                format!(
                    "no endpoint in this account has the targets' addresses {}; pass --vpce",
                    ips.join(", ")
                ),
            )
        })
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DoctorReport {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Report for DoctorReport {
    fn table(&self, style: &Style) -> String {
        let mut t = style.table(&["CHECK", "STATUS", "RESOURCE", "FINDING"]);
        for f in &self.findings {
            let (label, good) = match f.status {
                Status::Pass => ("pass", true),
                Status::Warn => ("warn", false),
                Status::Fail => ("FAIL", false),
                Status::Skip => ("skip", true),
            };
            let mut message = f.message.clone();
            if let Some(fix) = &f.fix {
                message.push_str(&format!("\nfix: {fix}"));
            }
            let cell = if f.status == Status::Warn && style.color {
                comfy_table::Cell::new(label).fg(comfy_table::Color::Yellow)
            } else {
                style.status_cell(label, good)
            };
            t.add_row(vec![
                comfy_table::Cell::new(&f.check),
                cell,
                comfy_table::Cell::new(&f.resource),
                comfy_table::Cell::new(message),
            ]);
        }
        let s = &self.summary;
        format!(
            "{t}\n{} pass, {} warn, {} fail, {} skip\n",
            s.pass, s.warn, s.fail, s.skip
        )
    }
}

fn judge(snapshot: &Snapshot) -> (DoctorReport, u8) {
    let findings = crate::doctor::run(snapshot);
    let summary = Summary::of(&findings);
    let code = if summary.fail > 0 {
        exit::CHECK_FAILED
    } else {
        exit::OK
    };
    (DoctorReport { findings, summary }, code)
}

/// The exit code of a printed report: a run in which every check was skipped
/// read nothing it could judge, and must not pass for a healthy chain.
fn verdict(report: &DoctorReport, code: u8) -> Result<u8> {
    let s = &report.summary;
    if s.pass + s.warn + s.fail == 0 {
        return Err(Error::NothingRead(format!(
            "doctor checked nothing: all {} checks were skipped, so the chain's state is unknown; each finding says what it needed",
            s.skip
        )));
    }
    Ok(code)
}

pub async fn run(ctx: &Context, args: &DoctorArgs) -> Result<u8> {
    if args.api_id.is_none()
        && args.vpce.is_none()
        && args.front_api_id.is_none()
        && args.target_group_arn.is_none()
        && args.vpc_link_id.is_none()
        && args.lambda.is_none()
        && args.mtls.is_none()
        && args.domain.is_none()
    {
        return Err(Error::BadInput(
            "nothing to diagnose: pass --front-api-id, --vpc-link-id, --target-group-arn, --vpce, --lambda, --mtls, --domain or --api-id".into(),
        ));
    }
    let spinner = output::spinner(ctx, "reading the chain".into());
    let snapshot = match (&args.domain, &args.mtls) {
        (Some(arn), _) => gather_domain(ctx, args, arn).await,
        (None, Some(stack)) => gather_mtls(ctx, args, stack).await,
        (None, None) => gather(ctx, args).await,
    };
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let snapshot = snapshot?;
    if let Some(path) = &args.snapshot_out {
        let text = serde_json::to_string_pretty(&snapshot)
            .map_err(|e| Error::internal("serialising the snapshot", e))?;
        // The evidence names accounts, endpoints and policies: only its owner may read it.
        crate::private_file::write_private(path, text.as_bytes()).map_err(|source| Error::Io {
            what: format!("writing the snapshot to {}", path.display()),
            source,
        })?;
        output::note(&format!("evidence written to {}", path.display()));
    }
    let (report, code) = judge(&snapshot);
    output::emit(ctx, &report)?;
    verdict(&report, code)
}

/// Checks over saved evidence: no credentials, no region lookup, no AWS call.
pub fn from_snapshot(global: &GlobalArgs, args: &DoctorArgs) -> Result<u8> {
    let path = args
        .from_snapshot
        .as_deref()
        .unwrap_or(std::path::Path::new(""));
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::BadInput(format!("cannot read snapshot {}: {e}", path.display())))?;
    let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| {
        Error::BadInput(format!(
            "{} is not an xapi doctor snapshot: {e}",
            path.display()
        ))
    })?;
    if snapshot.schema_version != SNAPSHOT_VERSION {
        return Err(Error::BadInput(format!(
            "{} is a version {} snapshot; this xapi reads version {SNAPSHOT_VERSION}",
            path.display(),
            snapshot.schema_version
        )));
    }
    let (report, code) = judge(&snapshot);
    let (format, color) = crate::context::output_settings(global);
    output::emit_as(format, color, &report)?;
    verdict(&report, code)
}
