//! VPC links v2 (the apigatewayv2 `VpcLink`): REST APIs reach them since late
//! 2025, an integration naming the load balancer in `integrationTarget`.

use super::error::{apigatewayv2, classify};
use super::Aws;
use crate::error::Result;
use crate::model::{LinkVersion, VpcLink};

/// The generated list item and the get and create outputs share these
/// accessors but no trait.
macro_rules! vpc_link_v2_of {
    ($l:expr, $fallback_id:expr) => {
        VpcLink {
            id: $l.vpc_link_id().unwrap_or($fallback_id).to_owned(),
            name: $l.name().unwrap_or_default().to_owned(),
            version: LinkVersion::V2,
            target_arns: Vec::new(),
            subnet_ids: $l.subnet_ids().to_vec(),
            security_group_ids: $l.security_group_ids().to_vec(),
            status: $l
                .vpc_link_status()
                .map(|s| s.as_str().to_ascii_uppercase())
                .unwrap_or_default(),
            status_message: $l
                .vpc_link_status_message()
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            tags: super::tag_map($l.tags()),
        }
    };
}

/// What a new v2 link is made of: it cannot change after creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVpcLinkV2 {
    pub name: String,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub tags: Vec<(String, String)>,
}

impl Aws {
    fn apigwv2(&self) -> &aws_sdk_apigatewayv2::Client {
        self.apigwv2
            .get_or_init(|| aws_sdk_apigatewayv2::Client::new(&self.config))
    }

    /// Every v2 link, page by page (the SDK generates no paginator for it).
    pub(super) async fn vpc_links_v2(&self) -> Result<Vec<VpcLink>> {
        let mut links = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let out = self
                .apigwv2()
                .get_vpc_links()
                .set_next_token(next.take())
                .send()
                .await
                .map_err(|e| classify(apigatewayv2::GetVpcLinks, "all", e))?;
            links.extend(out.items().iter().map(|l| vpc_link_v2_of!(l, "")));
            match out.next_token() {
                Some(t) if !t.is_empty() => next = Some(t.to_owned()),
                _ => return Ok(links),
            }
        }
    }

    pub(super) async fn vpc_link_v2(&self, id: &str) -> Result<VpcLink> {
        let out = self
            .apigwv2()
            .get_vpc_link()
            .vpc_link_id(id)
            .send()
            .await
            .map_err(|e| classify(apigatewayv2::GetVpcLink, id, e))?;
        Ok(vpc_link_v2_of!(out, id))
    }

    pub async fn create_vpc_link_v2(&self, spec: &NewVpcLinkV2) -> Result<VpcLink> {
        let out = self
            .apigwv2()
            .create_vpc_link()
            .name(&spec.name)
            .set_subnet_ids(Some(spec.subnet_ids.clone()))
            .set_security_group_ids(Some(spec.security_group_ids.clone()))
            .set_tags(Some(spec.tags.iter().cloned().collect()))
            .send()
            .await
            .map_err(|e| classify(apigatewayv2::CreateVpcLink, &spec.name, e))?;
        Ok(vpc_link_v2_of!(out, ""))
    }

    pub(super) async fn delete_vpc_link_v2(&self, id: &str) -> Result<()> {
        self.apigwv2()
            .delete_vpc_link()
            .vpc_link_id(id)
            .send()
            .await
            .map_err(|e| classify(apigatewayv2::DeleteVpcLink, id, e))?;
        Ok(())
    }
}
