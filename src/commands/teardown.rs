//! `xapi teardown --stack NAME`: delete what xapi created for a stack, in
//! dependency order (planned by [`crate::plan::teardown`]).
//!
//! It never touches the private API (another account, never tagged) nor an
//! endpoint xapi did not create. It deletes only after confirmation (a
//! terminal prompt, or `--yes`), and secrets stay restorable for a recovery
//! window unless `--force-delete-secrets`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aws::domain::DomainOwner;
use crate::aws::ec2::TaggedRule;
use crate::aws::Aws;
use crate::cli::TeardownArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{DomainArn, SubnetId, VpcId};
use crate::infra;
use crate::model::STACK_TAG;
use crate::model::{LinkVersion, LoadBalancer, TargetGroup, STACK_ID_TAG};
use crate::output::{self, Report, Style};
use crate::pipeline::{self, Mutation, Outcome, Run};
use crate::plan::step::Step;
use crate::plan::teardown::{
    self as planner, Desired, Kind, NotDeleted, Observed, Peer, RuleUse, SecretDeletion,
    StackResource, Tagged,
};
use crate::plan::Assessed;
use crate::stack::StackNames;

/// Every live resource tagged `xapi:stack=<stack>`, with what tells xapi's
/// own from a namesake, and the consumer connections of its endpoint services.
async fn observe(aws: &Aws, stack: &str) -> Result<Observed> {
    let tagged = |tags: &BTreeMap<String, String>| crate::stack::carries_stack(tags, stack);
    let (identity, domains, apis, links, lbs, tgs, rules) = tokio::try_join!(
        aws.caller_identity(),
        aws.domain_names(DomainOwner::Mine),
        aws.rest_apis(),
        infra::vpc_link::observe_all(aws),
        aws.all_load_balancers(),
        aws.all_target_groups(),
        aws.tagged_ingress_rules(STACK_TAG, stack),
    )?;
    let task_family = StackNames::of(stack).task_family;
    let (endpoint_services, clusters, groups, task_arns, secrets) = tokio::try_join!(
        aws.tagged_endpoint_services(STACK_TAG, stack),
        aws.all_ecs_clusters(),
        aws.tagged_security_groups(STACK_TAG, stack),
        aws.task_definition_arns(&task_family),
        aws.tagged_secrets(STACK_TAG, stack),
    )?;
    // Pattern 4: the consumer's associations and zones, the producer's share.
    let (associations, zones, shares) = tokio::try_join!(
        aws.access_associations(DomainOwner::Mine),
        aws.private_zones(),
        aws.shares_owned(),
    )?;
    let clusters: Vec<_> = clusters
        .into_iter()
        .filter(|c| c.is_active() && tagged(&c.tags))
        .collect();
    let mut services = Vec::new();
    for c in &clusters {
        services.extend(
            aws.ecs_services(&c.arn)
                .await?
                .into_iter()
                .filter(|s| s.is_active() && tagged(&s.tags)),
        );
    }
    let mut task_definitions = Vec::new();
    for arn in &task_arns {
        let td = aws.task_definition(arn).await?;
        if tagged(&td.tags) {
            task_definitions.push(td);
        }
    }
    let elb_arns: Vec<String> = lbs
        .iter()
        .map(|l| l.arn.clone())
        .chain(tgs.iter().map(|t| t.arn.clone()))
        .collect();
    let elb_tags = if elb_arns.is_empty() {
        std::collections::BTreeMap::new()
    } else {
        aws.elb_tags(&elb_arns).await?
    };
    let elb_tagged = |arn: &str| elb_tags.get(arn).is_some_and(&tagged);
    let plain = |kind: Kind,
                 id: &str,
                 name: &str,
                 parent: Option<&str>,
                 tags: &BTreeMap<String, String>| Tagged {
        resource: StackResource {
            kind,
            id: id.to_owned(),
            name: name.to_owned(),
            parent: parent.map(str::to_owned),
        },
        markers: Vec::new(),
        stack_id: tags.get(STACK_ID_TAG).cloned(),
    };
    let no_tags = BTreeMap::new();
    let elb = |arn: &str| elb_tags.get(arn).unwrap_or(&no_tags);

    let mut found: Vec<Tagged> = Vec::new();
    // A domain is named by its ARN: nothing is ever deleted by name alone,
    // which would reach the public domain of the same name.
    // One with no ARN (a public domain) is listed and never counts as xapi's.
    for d in domains.iter().filter(|d| tagged(&d.tags)) {
        found.push(match d.arn.parse::<DomainArn>() {
            Ok(arn) => {
                let mut t = plain(Kind::DomainName, &arn.to_string(), &d.name, None, &d.tags);
                t.markers.extend(d.endpoint_types.first().cloned());
                t
            }
            Err(_) => plain(Kind::DomainName, &d.name, &d.name, None, &d.tags),
        });
    }
    found.extend(associations.iter().filter(|a| tagged(&a.tags)).map(|a| {
        let name = format!("{} to {}", a.source, a.domain_arn);
        plain(Kind::AccessAssociation, &a.arn, &name, None, &a.tags)
    }));
    let comment = StackNames::of(stack).zone_comment;
    for (z, said) in zones.iter().filter(|(_, said)| *said == comment) {
        let mut t = plain(Kind::HostedZone, &z.id, &z.name, None, &no_tags);
        t.markers.push(said.clone());
        found.push(t);
    }
    found.extend(
        shares
            .iter()
            .filter(|s| tagged(&s.tags) && !matches!(s.status.as_str(), "DELETING" | "DELETED"))
            .map(|s| plain(Kind::ResourceShare, &s.arn, &s.name, None, &s.tags)),
    );
    for a in apis.iter().filter(|a| tagged(&a.tags)) {
        let mut t = plain(Kind::RestApi, &a.id, &a.name, None, &a.tags);
        t.markers.extend(aws.rest_api_description(&a.id).await?);
        found.push(t);
    }
    found.extend(links.iter().filter(|l| tagged(&l.tags)).map(|l| {
        let kind = match l.version {
            LinkVersion::V1 => Kind::VpcLink,
            LinkVersion::V2 => Kind::VpcLinkV2,
        };
        plain(kind, &l.id, &l.name, None, &l.tags)
    }));
    found.extend(
        lbs.iter()
            .filter(|l| elb_tagged(&l.arn))
            .map(|l| plain(Kind::LoadBalancer, &l.arn, &l.name, None, elb(&l.arn))),
    );
    found.extend(
        tgs.iter()
            .filter(|t| elb_tagged(&t.arn))
            .map(|t| plain(Kind::TargetGroup, &t.arn, &t.name, None, elb(&t.arn))),
    );
    found.extend(rules.iter().map(|r| {
        plain(
            Kind::SecurityGroupRule,
            &r.id,
            &format!("ingress rule on {}", r.group),
            Some(&r.group),
            &r.tags,
        )
    }));
    let mut connections = BTreeMap::new();
    for e in endpoint_services.iter().filter(|e| e.is_live()) {
        let mut t = plain(Kind::EndpointService, &e.id, &e.service_name, None, &e.tags);
        t.markers.extend(
            e.load_balancer_arns
                .iter()
                .filter_map(|a| planner::elb_name(a))
                .map(str::to_owned),
        );
        found.push(t);
        let listed = aws
            .endpoint_connections(&e.id)
            .await
            .map_err(|err| err.to_string());
        connections.insert(e.id.clone(), listed);
    }
    found.extend(services.iter().map(|s| {
        plain(
            Kind::EcsService,
            &s.arn,
            &s.name,
            Some(s.cluster_arn.as_str()),
            &s.tags,
        )
    }));
    found.extend(
        clusters
            .iter()
            .map(|c| plain(Kind::EcsCluster, &c.arn, &c.name, None, &c.tags)),
    );
    found.extend(task_definitions.iter().map(|t| {
        plain(
            Kind::TaskDefinition,
            &t.arn,
            &format!("{}:{}", t.family, t.revision),
            None,
            &t.tags,
        )
    }));
    found.extend(
        groups
            .iter()
            .map(|g| plain(Kind::SecurityGroup, &g.id, &g.name, None, &g.tags)),
    );
    found.extend(
        secrets
            .iter()
            .map(|(arn, name, tags)| plain(Kind::Secret, arn, name, None, tags)),
    );
    let (peers, rule_uses) = if rules.is_empty() {
        (Vec::new(), BTreeMap::new())
    } else {
        rule_evidence(aws, &rules, &lbs, &tgs, &elb_tags).await?
    };
    Ok(Observed {
        identity: identity.arn,
        tagged: found,
        connections,
        peers,
        rules: rule_uses,
    })
}

/// What tells whether another stack relies on one of the stack's ingress rules:
/// every xapi stack's load balancers (their subnets' ranges and their stack's
/// targets) and, per rule, its range and the addresses of the execute-api
/// endpoints that use its group.
async fn rule_evidence(
    aws: &Aws,
    rules: &[TaggedRule],
    lbs: &[LoadBalancer],
    tgs: &[TargetGroup],
    elb_tags: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<(Vec<Peer>, BTreeMap<String, RuleUse>)> {
    let stack_of = |arn: &str| {
        let tags = elb_tags.get(arn)?;
        Some((
            tags.get(STACK_TAG)?.clone(),
            tags.get(STACK_ID_TAG).cloned(),
        ))
    };
    let mut targets: BTreeMap<(String, Option<String>), Vec<String>> = BTreeMap::new();
    for tg in tgs {
        if let Some(key) = stack_of(&tg.arn) {
            let ips = infra::target_group::health(aws, &tg.arn).await?;
            targets
                .entry(key)
                .or_default()
                .extend(ips.into_iter().map(|h| h.target.ip));
        }
    }
    let mut peers = Vec::new();
    for lb in lbs {
        let Some((stack, stack_id)) = stack_of(&lb.arn) else {
            continue;
        };
        let subnet_ids: Vec<SubnetId> = lb
            .subnet_ids
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        let subnets = aws.subnets(&subnet_ids).await?;
        peers.push(Peer {
            target_ips: targets
                .get(&(stack.clone(), stack_id.clone()))
                .cloned()
                .unwrap_or_default(),
            stack,
            stack_id,
            load_balancer: lb.name.clone(),
            subnet_cidrs: subnets.into_iter().map(|s| s.cidr_block).collect(),
        });
    }
    // The rules xapi adds guard execute-api endpoints: each group's addresses are those
    // of the endpoints in its VPC that use it.
    let groups: Vec<String> = rules
        .iter()
        .map(|r| r.group.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut addresses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in aws.security_groups(&groups).await? {
        let vpc: VpcId = g
            .vpc_id
            .parse()
            .map_err(|e: String| Error::internal(format!("reading the VPC of {}", g.id), e))?;
        for e in aws.execute_api_endpoints(Some(&vpc)).await? {
            if e.security_group_ids.contains(&g.id) {
                let enis = aws.network_interfaces(&e.network_interface_ids).await?;
                addresses
                    .entry(g.id.clone())
                    .or_default()
                    .extend(enis.into_iter().map(|n| n.private_ip));
            }
        }
    }
    let uses = rules
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                RuleUse {
                    cidr: r.cidr.clone(),
                    group_addresses: addresses.get(r.group.as_str()).cloned().unwrap_or_default(),
                },
            )
        })
        .collect();
    Ok((peers, uses))
}

/// `teardown` for the pipeline.
struct Teardown<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    args: &'a TeardownArgs,
    want: Desired,
    /// The stack id chosen on the first observation: after a teardown nothing may carry it.
    chosen: std::sync::OnceLock<Option<String>>,
}

impl Mutation for Teardown<'_> {
    type Observed = Observed;
    type Step = Step;
    /// What carries the stack's tag but is not deleted, and why.
    type Facts = Vec<NotDeleted>;
    /// What was deleted, in order.
    type Applied = Vec<StackResource>;

    fn subject(&self) -> String {
        format!("stack {}", self.want.stack)
    }

    async fn observe(&self) -> Result<Observed> {
        observe(self.aws, &self.want.stack).await
    }

    fn plan(&self, seen: &Observed) -> Result<Assessed<Step, Vec<NotDeleted>>> {
        let assessed = planner::plan(seen, &self.want)?;
        if self.chosen.get().is_none() {
            let _ = self.chosen.set(planner::chosen_id(seen, &self.want)?);
        }
        Ok(assessed)
    }

    async fn apply(
        &self,
        _seen: &Observed,
        _left: &Vec<NotDeleted>,
        steps: Vec<Step>,
    ) -> Result<Vec<StackResource>> {
        self.confirmed(steps.len())?;
        // Each step is its kind's deletion, with the wait that kind needs
        // before what it holds can go.
        let mut applier = infra::apply::Applier {
            ctx: self.ctx,
            aws: self.aws,
            tags: Vec::new(),
            timeout: self.args.wait_timeout,
            hint: "re-run teardown to finish; it deletes only what is left",
            secret_value: None,
            made: infra::apply::Made::default(),
        };
        let mut deleted = Vec::new();
        for step in steps {
            let r = step.deleted().cloned().ok_or_else(|| Error::Internal {
                what: "teardown planned a step that deletes nothing".into(),
                cause: format!("{step:?}"),
            })?;
            output::note(&format!("deleting {} {}", r.kind.label(), r.name));
            applier.apply(step).await?;
            deleted.push(r);
        }
        Ok(deleted)
    }

    fn inspect_hint(&self) -> String {
        format!("xapi teardown --stack {} --dry-run", self.want.stack)
    }
}

impl Teardown<'_> {
    /// Deleting needs a yes: `--yes`, or an answer on the terminal.
    fn confirmed(&self, count: usize) -> Result<()> {
        let stack = &self.want.stack;
        if self.args.yes {
            return Ok(());
        }
        match output::confirm(&format!(
            "Delete these {count} resource(s) of stack {stack}?"
        )) {
            Some(true) => Ok(()),
            Some(false) => Err(Error::BadInput(format!(
                "teardown of stack {stack} not confirmed: nothing was deleted"
            ))),
            None => Err(Error::BadInput(format!(
                "teardown of stack {stack} would delete {count} resource(s) and there is no terminal to \
                 confirm on: pass --yes (or --dry-run to list them); nothing was deleted"
            ))),
        }
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TeardownReport {
    pub stack: String,
    /// The `xapi:stack-id` whose resources were (or would be) deleted; `None` for a
    /// stack made before stack ids.
    pub stack_id: Option<String>,
    #[serde(flatten)]
    pub run: Run,
    pub deleted: Vec<StackResource>,
    /// Tagged with the stack but left alone, each with the reason.
    pub not_deleted: Vec<NotDeleted>,
    /// Days the deleted secrets stay restorable; `None` with `--force-delete-secrets`.
    pub secret_recovery_days: Option<i64>,
}

impl Report for TeardownReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if self.run.outcome != Outcome::Planned {
            if !self.deleted.is_empty() {
                let mut t = style.table(&["DELETED", "NAME", "ID"]);
                for r in &self.deleted {
                    t.add_row(vec![r.kind.label(), &r.name, &r.id]);
                }
                out.push_str(&format!("{t}\n"));
            }
            // A dry run's plan lists these among its warnings.
            for r in &self.not_deleted {
                out.push_str(&format!("{}\n", r.line()));
            }
        }
        if self.run.outcome == Outcome::Unchanged {
            out.push_str(&format!(
                "Nothing xapi made carries {STACK_TAG}={}.\n",
                self.stack
            ));
        }
        self.run
            .frame(&format!("stack {}", self.stack), style, &out)
    }
}

pub async fn run(ctx: &Context, args: &TeardownArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let secrets = if args.force_delete_secrets {
        SecretDeletion::Immediate
    } else {
        SecretDeletion::Recoverable(args.recovery_days)
    };
    let mutation = Teardown {
        ctx,
        aws: &aws,
        args,
        want: Desired {
            stack: args.stack.to_string(),
            stack_id: args.stack_id.clone(),
            secrets,
        },
        chosen: std::sync::OnceLock::new(),
    };
    let ran = pipeline::run(ctx, &mutation, args.dry_run).await?;
    let not_deleted = ran.facts;
    let stack_id = match mutation.chosen.get() {
        Some(id) => id.clone(),
        None => planner::chosen_id(&ran.observed, &mutation.want)?,
    };
    output::emit(
        ctx,
        &TeardownReport {
            stack: mutation.want.stack.clone(),
            stack_id,
            run: Run::new(ran.outcome, ran.plan),
            deleted: ran.applied,
            not_deleted,
            secret_recovery_days: match secrets {
                SecretDeletion::Recoverable(d) => Some(d),
                SecretDeletion::Immediate => None,
            },
        },
    )?;
    Ok(exit::OK)
}
