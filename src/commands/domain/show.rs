//! `xapi domain show`: one private custom domain from either side. Its
//! owner sees the domain, its mappings and policy, the RAM shares holding it
//! and every account's access association (each judged against the domain
//! policy); a consumer sees whether the domain reaches it (or the owner's
//! invitation) and its own associations. Both see, for their own
//! associations, the name the endpoint's VPC gives the domain.

use serde::Serialize;

use super::DomainView;
use crate::aws::domain::DomainOwner;
use crate::aws::Aws;
use crate::cli::DomainShowArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::ids::{DomainArn, VpcId, VpceId};
use crate::infra;
use crate::model::{AccessAssociation, AliasRecord, HostedZone, ShareInvitation, ShareMember};
use crate::output::{self, Report, Style};
use crate::plan::association::answering_zone;
use crate::plan::domain::policy_ref;
use crate::policy::{self, PolicyDocument};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DomainShow {
    pub arn: String,
    /// `owner` or `consumer`: whose view this is.
    pub side: &'static str,
    /// The domain as its owner reads it; absent on a consumer's side, which
    /// cannot read another account's domain.
    pub domain: Option<DomainView>,
    /// Consumer: whether the domain is shared with this account.
    pub shared_with_me: Option<bool>,
    /// Consumer, while the domain is not shared with it: the owner's invitations.
    pub invitations: Vec<ShareInvitation>,
    /// Owner: the AWS RAM shares that hold the domain, with their principals.
    pub shares: Vec<ShareView>,
    /// This account's access associations with the domain, each with the
    /// name its endpoint's VPC gives the domain.
    pub associations: Vec<AssociationView>,
    /// Owner: other accounts' associations with the domain, each judged
    /// against the domain policy.
    pub offered: Vec<OfferedView>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ShareView {
    pub arn: String,
    pub name: String,
    pub status: String,
    pub principals: Vec<ShareMember>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AssociationView {
    pub association: AccessAssociation,
    pub vpc_id: Option<String>,
    /// The most specific private zone for the name in the endpoint's VPC.
    pub zone: Option<HostedZone>,
    pub records: Vec<AliasRecord>,
    /// Why the endpoint or its VPC's zones could not be read.
    pub dns_error: Option<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct OfferedView {
    pub association: AccessAssociation,
    /// Whether the domain policy admits the association's endpoint, by
    /// evaluation; absent when there is no policy to evaluate.
    pub admitted: Option<bool>,
    /// The evaluation ran out of budget: `admitted` is unproven.
    pub approximated: bool,
}

impl Report for DomainShow {
    fn table(&self, style: &Style) -> String {
        let mut out = match &self.domain {
            Some(d) => d.table(style),
            None => format!(
                "{}\nonly the domain's owner, account {}, can read its status, mappings and policy\n",
                self.arn,
                self.arn.split(':').nth(4).unwrap_or_default()
            ),
        };
        match self.shared_with_me {
            Some(true) => out.push_str("shared with this account\n"),
            Some(false) => {
                out.push_str(&style.warning_line("not shared with this account"));
                for i in &self.invitations {
                    out.push_str(&format!(
                        "invitation {} to share {}: {}\n",
                        i.arn, i.share_name, i.status
                    ));
                }
            }
            None => {}
        }
        if !self.shares.is_empty() {
            let mut t = style.table(&["SHARE", "STATUS", "PRINCIPAL", "PRINCIPAL STATUS"]);
            for s in &self.shares {
                let principals: Vec<&ShareMember> = s
                    .principals
                    .iter()
                    .filter(|m| m.kind == "PRINCIPAL")
                    .collect();
                if principals.is_empty() {
                    t.add_row(vec![s.name.as_str(), s.status.as_str(), "-", "-"]);
                }
                for m in principals {
                    t.add_row(vec![
                        s.name.as_str(),
                        s.status.as_str(),
                        m.entity.as_str(),
                        m.status.as_str(),
                    ]);
                }
            }
            out.push_str(&format!("{t}\n"));
        }
        if !self.associations.is_empty() {
            let mut t = style.table(&["ENDPOINT", "ASSOCIATION", "ZONE", "ALIASES"]);
            for a in &self.associations {
                let aliases = match &a.dns_error {
                    Some(e) => format!("unread: {e}"),
                    None if a.records.is_empty() => "-".into(),
                    None => a
                        .records
                        .iter()
                        .map(|r| format!("{} {}", r.record_type, r.target))
                        .collect::<Vec<_>>()
                        .join("\n"),
                };
                t.add_row(vec![
                    a.association.source.clone(),
                    a.association.arn.clone(),
                    a.zone
                        .as_ref()
                        .map_or("-".into(), |z| format!("{} ({})", z.id, z.name)),
                    aliases,
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        if !self.offered.is_empty() {
            let mut t = style.table(&["ACCOUNT", "ENDPOINT", "POLICY"]);
            for o in &self.offered {
                let verdict = match (o.admitted, o.approximated) {
                    (Some(_), true) => "approximated".to_owned(),
                    (Some(true), false) => "admitted".to_owned(),
                    (Some(false), false) => "NOT admitted".to_owned(),
                    (None, _) => "-".to_owned(),
                };
                t.add_row(vec![
                    comfy_table::Cell::new(o.association.account()),
                    comfy_table::Cell::new(&o.association.source),
                    style.status_cell(&verdict, o.admitted == Some(true) && !o.approximated),
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        out
    }
}

/// Each of this account's associations with the name its endpoint's VPC
/// gives the domain, read concurrently; a failed read is reported, not fatal.
async fn with_dns(
    aws: &Aws,
    arn: &DomainArn,
    mine: Vec<AccessAssociation>,
) -> Vec<AssociationView> {
    let name = arn.name().to_ascii_lowercase();
    let views = mine.into_iter().map(|association| {
        let name = &name;
        async move {
            let dns = async {
                let vpce: VpceId = association.source.parse().map_err(Error::BadInput)?;
                let endpoint = infra::endpoint::observe(aws, &vpce).await?;
                let vpc: VpcId = endpoint.vpc_id.parse().map_err(Error::BadInput)?;
                let zones = aws.private_zones_of_vpc(vpc.as_str()).await?;
                let zone = answering_zone(&zones, name).cloned();
                let records = match &zone {
                    Some(z) => aws.alias_records(&z.id, name).await?,
                    None => Vec::new(),
                };
                Ok::<_, Error>((vpc.to_string(), zone, records))
            };
            match dns.await {
                Ok((vpc, zone, records)) => AssociationView {
                    association,
                    vpc_id: Some(vpc),
                    zone,
                    records,
                    dns_error: None,
                },
                Err(e) => AssociationView {
                    association,
                    vpc_id: None,
                    zone: None,
                    records: Vec::new(),
                    dns_error: Some(e.to_string()),
                },
            }
        }
    });
    futures::future::join_all(views).await
}

/// The owner's shares that hold the domain, each with its principals.
async fn shares_of(aws: &Aws, arn: &DomainArn) -> Result<Vec<ShareView>> {
    let shares = aws.shares_owned().await?;
    let members =
        futures::future::try_join_all(shares.iter().map(|s| aws.share_members(&s.arn))).await?;
    Ok(shares
        .into_iter()
        .zip(members)
        .filter(|(_, m)| m.iter().any(|m| m.kind == "RESOURCE" && arn.is(&m.entity)))
        .map(|(s, members)| ShareView {
            arn: s.arn,
            name: s.name,
            status: s.status,
            principals: members
                .into_iter()
                .filter(|m| m.kind == "PRINCIPAL")
                .collect(),
        })
        .collect())
}

/// Other accounts' associations with the domain, judged against its policy.
pub fn judge_offered(
    arn: &DomainArn,
    policy: Option<&str>,
    offered: Vec<AccessAssociation>,
) -> Vec<OfferedView> {
    let doc = policy.and_then(|p| PolicyDocument::parse(p).ok());
    let api = policy_ref(arn);
    offered
        .into_iter()
        .filter(|a| arn.is(&a.domain_arn))
        .map(|association| {
            let verdict = doc
                .as_ref()
                .and_then(|d| policy::admission(d, &api, &association.source, None).ok());
            OfferedView {
                admitted: verdict.as_ref().map(|v| v.admitted),
                approximated: verdict.is_some_and(|v| v.approximated),
                association,
            }
        })
        .collect()
}

pub async fn show(ctx: &Context, args: &DomainShowArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let arn = &args.domain;
    arn.check_region(aws.region()).map_err(Error::BadInput)?;
    let (identity, mine) = tokio::try_join!(
        aws.caller_identity(),
        aws.access_associations_offered(DomainOwner::Mine)
    )?;
    let mine: Vec<AccessAssociation> = mine
        .unwrap_or_default()
        .into_iter()
        .filter(|a| arn.is(&a.domain_arn))
        .collect();
    let report = if identity.account == arn.account() {
        let (d, mappings, offered, shares, associations) = tokio::try_join!(
            aws.domain_name(arn),
            aws.base_path_mappings(arn),
            aws.access_associations_offered(DomainOwner::Shared),
            shares_of(&aws, arn),
            async { Ok(with_dns(&aws, arn, mine).await) },
        )?;
        DomainShow {
            arn: arn.to_string(),
            side: "owner",
            offered: judge_offered(arn, d.policy.as_deref(), offered.unwrap_or_default()),
            domain: Some(DomainView::of(&d, arn, mappings)),
            shared_with_me: None,
            invitations: Vec::new(),
            shares,
            associations,
        }
    } else {
        let (shared, associations) = tokio::join!(
            aws.domain_names(DomainOwner::Shared),
            with_dns(&aws, arn, mine)
        );
        let visible = shared?.iter().any(|d| arn.is(&d.arn));
        let invitations = if visible {
            Vec::new()
        } else {
            aws.share_invitations()
                .await?
                .into_iter()
                .filter(|i| i.sender_account == arn.account())
                .collect()
        };
        DomainShow {
            arn: arn.to_string(),
            side: "consumer",
            domain: None,
            shared_with_me: Some(visible),
            invitations,
            shares: Vec::new(),
            associations,
            offered: Vec::new(),
        }
    };
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
