use serde::Serialize;

use super::EndpointView;
use crate::cli::EndpointListArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointList {
    pub region: String,
    pub endpoints: Vec<EndpointView>,
}

impl Report for EndpointList {
    fn table(&self, style: &Style) -> String {
        if self.endpoints.is_empty() {
            return format!("No execute-api interface endpoints in {}.\n", self.region);
        }
        let mut t = style.table(&[
            "ENDPOINT",
            "VPC",
            "STATE",
            "PRIVATE DNS",
            "SUBNETS",
            "AZS",
            "IPS",
        ]);
        for e in &self.endpoints {
            t.add_row(vec![
                comfy_table::Cell::new(&e.id),
                comfy_table::Cell::new(&e.vpc_id),
                style.status_cell(&e.state, e.state == "available"),
                comfy_table::Cell::new(if e.private_dns_enabled { "on" } else { "off" }),
                comfy_table::Cell::new(e.subnet_ids.join(", ")),
                comfy_table::Cell::new(e.azs()),
                comfy_table::Cell::new(e.ips()),
            ]);
        }
        format!("{t}\n")
    }
}

pub async fn run(ctx: &Context, args: &EndpointListArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let endpoints = aws.execute_api_endpoints(args.vpc_id.as_ref()).await?;
    // One batched describe for every endpoint's interfaces, not one per endpoint.
    let eni_ids: Vec<String> = endpoints
        .iter()
        .flat_map(|e| e.network_interface_ids.clone())
        .collect();
    let enis = aws.network_interfaces(&eni_ids).await?;
    let report = EndpointList {
        region: ctx.region.clone(),
        endpoints: endpoints
            .iter()
            .map(|e| EndpointView::new(e, &enis))
            .collect(),
    };
    output::emit(ctx, &report)?;
    Ok(exit::OK)
}
