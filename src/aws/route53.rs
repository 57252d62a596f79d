//! Route 53 private hosted zones: the consumer's name for a shared private
//! domain, an alias to its execute-api endpoint.

use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecordSet, RrType,
    Vpc, VpcRegion,
};

use super::error::{classify, route53};
use super::Aws;
use crate::error::{Error, Result};
use crate::model::{AliasRecord, HostedZone};

/// Route 53 names end with a dot and may differ in case; xapi compares them without.
pub fn bare_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Route 53 answers zone ids as `/hostedzone/Z123`; calls take `Z123`.
fn bare_zone_id(id: &str) -> String {
    id.trim_start_matches("/hostedzone/").to_owned()
}

fn built<T>(what: &str, r: std::result::Result<T, impl std::fmt::Display>) -> Result<T> {
    r.map_err(|e| Error::internal(format!("building {what}"), e))
}

impl Aws {
    fn route53(&self) -> &aws_sdk_route53::Client {
        self.route53
            .get_or_init(|| aws_sdk_route53::Client::new(&self.config))
    }

    /// The private hosted zones attached to `vpc_id` (in this Region), all pages.
    pub async fn private_zones_of_vpc(&self, vpc_id: &str) -> Result<Vec<HostedZone>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .route53()
                .list_hosted_zones_by_vpc()
                .vpc_id(vpc_id)
                .vpc_region(VpcRegion::from(self.region()))
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| classify(route53::ListHostedZonesByVPC, vpc_id, e))?;
            out.extend(page.hosted_zone_summaries().iter().map(|z| HostedZone {
                id: bare_zone_id(z.hosted_zone_id()),
                name: bare_name(z.name()),
            }));
            token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// The alias records named `name` in the zone.
    pub async fn alias_records(&self, zone_id: &str, name: &str) -> Result<Vec<AliasRecord>> {
        let out = self
            .route53()
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .start_record_name(name)
            .max_items(10)
            .send()
            .await
            .map_err(|e| classify(route53::ListResourceRecordSets, zone_id, e))?;
        let wanted = bare_name(name);
        Ok(out
            .resource_record_sets()
            .iter()
            .filter(|r| bare_name(r.name()) == wanted)
            .filter_map(|r| {
                let alias = r.alias_target()?;
                Some(AliasRecord {
                    name: wanted.clone(),
                    record_type: r.r#type().as_str().to_owned(),
                    target: bare_name(alias.dns_name()),
                    target_zone: alias.hosted_zone_id().to_owned(),
                })
            })
            .collect())
    }

    /// A private zone for `name`, attached to `vpc_id` in this Region;
    /// `caller_reference` is unique to this request, `comment` says whose it is.
    pub async fn create_private_zone(
        &self,
        name: &str,
        vpc_id: &str,
        caller_reference: &str,
        comment: &str,
    ) -> Result<HostedZone> {
        let out = self
            .route53()
            .create_hosted_zone()
            .name(name)
            .caller_reference(caller_reference)
            .hosted_zone_config(
                HostedZoneConfig::builder()
                    .private_zone(true)
                    .comment(comment)
                    .build(),
            )
            .vpc(
                Vpc::builder()
                    .vpc_id(vpc_id)
                    .vpc_region(VpcRegion::from(self.region()))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| classify(route53::CreateHostedZone, name, e))?;
        let zone = out.hosted_zone().ok_or_else(|| {
            Error::Unverified(format!(
                "CreateHostedZone for {name} answered with no zone; look with `aws route53 \
                 list-hosted-zones-by-vpc --vpc-id {vpc_id} --vpc-region {}`",
                self.region()
            ))
        })?;
        Ok(HostedZone {
            id: bare_zone_id(zone.id()),
            name: bare_name(zone.name()),
        })
    }

    /// Create or replace the alias records in one change batch.
    pub async fn upsert_aliases(&self, zone_id: &str, records: &[AliasRecord]) -> Result<()> {
        let mut changes = Vec::new();
        for r in records {
            let alias = built(
                "an alias target",
                AliasTarget::builder()
                    .hosted_zone_id(&r.target_zone)
                    .dns_name(&r.target)
                    .evaluate_target_health(false)
                    .build(),
            )?;
            let set = built(
                "a record set",
                ResourceRecordSet::builder()
                    .name(&r.name)
                    .r#type(RrType::from(r.record_type.as_str()))
                    .alias_target(alias)
                    .build(),
            )?;
            changes.push(built(
                "a change",
                Change::builder()
                    .action(ChangeAction::Upsert)
                    .resource_record_set(set)
                    .build(),
            )?);
        }
        self.change_records(zone_id, changes).await
    }

    /// One change batch on the zone.
    async fn change_records(&self, zone_id: &str, changes: Vec<Change>) -> Result<()> {
        let batch = built(
            "a change batch",
            ChangeBatch::builder().set_changes(Some(changes)).build(),
        )?;
        self.route53()
            .change_resource_record_sets()
            .hosted_zone_id(zone_id)
            .change_batch(batch)
            .send()
            .await
            .map_err(|e| classify(route53::ChangeResourceRecordSets, zone_id, e))?;
        Ok(())
    }

    /// This account's private zones and their comments, all pages.
    pub async fn private_zones(&self) -> Result<Vec<(HostedZone, String)>> {
        let pages: Vec<_> = self
            .route53()
            .list_hosted_zones()
            .into_paginator()
            .send()
            .collect::<std::result::Result<_, _>>()
            .await
            .map_err(|e| classify(route53::ListHostedZones, "all", e))?;
        Ok(pages
            .iter()
            .flat_map(|p| p.hosted_zones())
            .filter(|z| z.config().is_some_and(|c| c.private_zone()))
            .map(|z| {
                (
                    HostedZone {
                        id: bare_zone_id(z.id()),
                        name: bare_name(z.name()),
                    },
                    z.config()
                        .and_then(|c| c.comment())
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect())
    }

    /// Delete the zone: first every record but its own SOA and NS (Route 53
    /// deletes no zone that holds others), then the zone.
    pub async fn delete_zone(&self, zone_id: &str) -> Result<()> {
        let sets = self
            .route53()
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .send()
            .await
            .map_err(|e| classify(route53::ListResourceRecordSets, zone_id, e))?;
        let mut changes = Vec::new();
        for r in sets
            .resource_record_sets()
            .iter()
            .filter(|r| !matches!(r.r#type(), RrType::Soa | RrType::Ns))
        {
            changes.push(built(
                "a change",
                Change::builder()
                    .action(ChangeAction::Delete)
                    .resource_record_set(r.clone())
                    .build(),
            )?);
        }
        if !changes.is_empty() {
            self.change_records(zone_id, changes).await?;
        }
        self.route53()
            .delete_hosted_zone()
            .id(zone_id)
            .send()
            .await
            .map_err(|e| classify(route53::DeleteHostedZone, zone_id, e))?;
        Ok(())
    }
}
