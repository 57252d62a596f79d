use std::collections::BTreeSet;

use serde::Serialize;

use super::EndpointView;
use crate::aws::ec2::NewEndpoint;
use crate::cli::EndpointCreateArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::model::{CallerIdentity, Endpoint, SecurityGroup, Subnet, VpcDns};
use crate::output::{self, Report, Style};
use crate::plan::{Action, Plan, Verb};

/// What `create` read before deciding.
pub struct Observed {
    pub identity: CallerIdentity,
    pub subnets: Vec<Subnet>,
    pub groups: Vec<SecurityGroup>,
    pub existing: Vec<Endpoint>,
    pub dns: Option<VpcDns>,
}

#[derive(Debug, PartialEq)]
pub enum Decision {
    Reuse(Endpoint),
    Create(NewEndpoint),
}

/// Decide, without I/O, whether to reuse an endpoint or create one; refuse bad input.
pub fn plan(
    args: &EndpointCreateArgs,
    service_name: &str,
    seen: &Observed,
    client_token: String,
) -> Result<(Plan, Decision)> {
    let vpc = args.vpc_id.as_str();
    for s in &seen.subnets {
        if s.vpc_id != vpc {
            return Err(Error::BadInput(format!(
                "subnet {} is in {}, not in {vpc}: pass subnets of {vpc}",
                s.id, s.vpc_id
            )));
        }
    }
    let mut zones = BTreeSet::new();
    for s in &seen.subnets {
        if !zones.insert(&s.availability_zone) {
            return Err(Error::BadInput(format!(
                "subnet {} is a second subnet in {}: an endpoint takes one subnet per Availability Zone",
                s.id, s.availability_zone
            )));
        }
    }
    for g in &seen.groups {
        if g.vpc_id != vpc {
            return Err(Error::BadInput(format!(
                "security group {} is in {}, not in {vpc}: pass groups of {vpc}",
                g.id, g.vpc_id
            )));
        }
    }
    let mut plan = Plan {
        identity: seen.identity.arn.clone(),
        ..Plan::default()
    };
    if let Some(found) = seen.existing.iter().find(|e| e.is_live()) {
        let mut details = vec![format!(
            "state {}, private DNS {}",
            found.state,
            on_off(found.private_dns_enabled)
        )];
        let wanted: BTreeSet<&str> = args.subnet_ids.iter().map(|s| s.as_str()).collect();
        let has: BTreeSet<&str> = found.subnet_ids.iter().map(String::as_str).collect();
        if wanted != has {
            plan.warnings.push(format!(
                "{} is in subnets {} (asked for {}); xapi does not move an existing endpoint: change it with `aws ec2 modify-vpc-endpoint --vpc-endpoint-id {}`",
                found.id,
                join(&has),
                join(&wanted),
                found.id
            ));
        }
        if found.private_dns_enabled != args.private_dns() {
            plan.warnings.push(format!(
                "{} has private DNS {} (asked for {})",
                found.id,
                on_off(found.private_dns_enabled),
                on_off(args.private_dns())
            ));
        }
        if seen.existing.iter().filter(|e| e.is_live()).count() > 1 {
            details.push(format!(
                "the VPC has more than one endpoint to {service_name}; reusing the first"
            ));
        }
        plan.actions.push(Action {
            verb: Verb::Reuse,
            resource: "vpc-endpoint".into(),
            target: found.id.clone(),
            details,
        });
        return Ok((plan, Decision::Reuse(found.clone())));
    }
    if args.private_dns() {
        if let Some(dns) = seen.dns {
            if !(dns.support && dns.hostnames) {
                return Err(Error::BadInput(format!(
                    "private DNS needs DNS support and DNS hostnames on {vpc} (support {}, hostnames {}): run `aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dns-hostnames` (and --enable-dns-support), or pass --no-private-dns",
                    on_off(dns.support),
                    on_off(dns.hostnames)
                )));
            }
        }
    }
    let spec = NewEndpoint {
        vpc_id: args.vpc_id.clone(),
        service_name: service_name.to_owned(),
        subnet_ids: args.subnet_ids.clone(),
        security_group_ids: args.security_group_ids.clone(),
        private_dns: args.private_dns(),
        tags: args.tags.clone(),
        client_token,
    };
    let groups = if spec.security_group_ids.is_empty() {
        "the VPC's default security group".to_owned()
    } else {
        join(&spec.security_group_ids.iter().map(|g| g.as_str()).collect())
    };
    let mut details = vec![
        format!("service {service_name}"),
        format!(
            "subnets {}",
            seen.subnets
                .iter()
                .map(|s| format!("{} ({})", s.id, s.availability_zone))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!("security groups {groups}"),
        format!("private DNS {}", on_off(spec.private_dns)),
    ];
    if !spec.tags.is_empty() {
        details.push(format!(
            "tags {}",
            spec.tags
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    plan.actions.push(Action {
        verb: Verb::Create,
        resource: "vpc-endpoint".into(),
        target: format!(
            "{} in {vpc}",
            service_name.rsplit('.').next().unwrap_or(service_name)
        ),
        details,
    });
    Ok((plan, Decision::Create(spec)))
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn join(set: &BTreeSet<&str>) -> String {
    set.iter().copied().collect::<Vec<_>>().join(", ")
}

#[derive(Debug, Serialize)]
pub struct CreateReport {
    /// `planned` (dry run), `created` or `reused`.
    pub action: &'static str,
    pub plan: Plan,
    pub endpoint: Option<EndpointView>,
}

impl Report for CreateReport {
    fn table(&self, style: &Style) -> String {
        let mut out = String::new();
        if self.action == "planned" {
            out.push_str(&self.plan.render(style));
            out.push_str("Dry run: nothing was changed.\n");
        }
        if let Some(e) = &self.endpoint {
            let mut t = style.table(&[
                "ENDPOINT",
                "VPC",
                "STATE",
                "PRIVATE DNS",
                "AZ",
                "PRIVATE IP",
            ]);
            for n in &e.network_interfaces {
                t.add_row(vec![
                    e.id.as_str(),
                    &e.vpc_id,
                    &e.state,
                    on_off(e.private_dns_enabled),
                    &n.availability_zone,
                    &n.private_ip,
                ]);
            }
            out.push_str(&format!("{} {}\n{t}\n", self.action, e.id));
        }
        out
    }
}

pub async fn run(ctx: &Context, args: &EndpointCreateArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let service = match &args.service_name {
        Some(name) => name.to_string(),
        None => aws.execute_api_service_name(),
    };
    let group_ids: Vec<String> = args
        .security_group_ids
        .iter()
        .map(|g| g.to_string())
        .collect();
    let (identity, _vpc, subnets, groups, existing, dns) = tokio::try_join!(
        aws.caller_identity(),
        aws.vpc(&args.vpc_id),
        aws.subnets(&args.subnet_ids),
        aws.security_groups(&group_ids),
        aws.interface_endpoints(&service, Some(&args.vpc_id)),
        async {
            if args.private_dns() {
                aws.vpc_dns(&args.vpc_id).await.map(Some)
            } else {
                Ok(None)
            }
        },
    )?;
    let seen = Observed {
        identity,
        subnets,
        groups,
        existing,
        dns,
    };
    let (plan, decision) = plan(args, &service, &seen, crate::aws::client_token())?;
    let style = ctx.stderr_style();
    if args.dry_run {
        output::emit(
            ctx,
            &CreateReport {
                action: "planned",
                plan,
                endpoint: None,
            },
        )?;
        return Ok(exit::OK);
    }
    output::note(plan.render(&style).trim_end());
    let (action, endpoint) = match decision {
        Decision::Reuse(found) => ("reused", found),
        Decision::Create(spec) => {
            let created = aws.create_endpoint(&spec).await?;
            output::note(&format!("created {}", created.id));
            let ready = crate::aws::wait::endpoint_available(
                ctx,
                &aws,
                created,
                std::time::Duration::from_secs(args.wait_timeout),
            )
            .await?;
            verify(&spec, &ready)?;
            ("created", ready)
        }
    };
    let enis = aws
        .network_interfaces(&endpoint.network_interface_ids)
        .await?;
    output::emit(
        ctx,
        &CreateReport {
            action,
            plan,
            endpoint: Some(EndpointView::new(&endpoint, &enis)),
        },
    )?;
    Ok(exit::OK)
}

/// The endpoint AWS reports must be the one we asked for.
fn verify(spec: &NewEndpoint, got: &Endpoint) -> Result<()> {
    let wanted: BTreeSet<&str> = spec.subnet_ids.iter().map(|s| s.as_str()).collect();
    let has: BTreeSet<&str> = got.subnet_ids.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    if got.vpc_id != spec.vpc_id.as_str() {
        problems.push(format!("VPC {} (asked {})", got.vpc_id, spec.vpc_id));
    }
    if got.service_name != spec.service_name {
        problems.push(format!("service {}", got.service_name));
    }
    if wanted != has {
        problems.push(format!("subnets {} (asked {})", join(&has), join(&wanted)));
    }
    if got.private_dns_enabled != spec.private_dns {
        problems.push(format!("private DNS {}", on_off(got.private_dns_enabled)));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Unverified(format!(
            "created {} but it does not match the request: {}; inspect it with `xapi endpoint show {}`",
            got.id,
            problems.join("; "),
            got.id
        )))
    }
}
