//! Interface VPC endpoints (a consumer's `execute-api` endpoint): how one is
//! observed, alone or with the network interfaces that carry its addresses,
//! and how one is made (then waited for until it is available). Planned by
//! [`crate::plan::endpoint`].

use std::time::Duration;

use crate::aws::ec2::NewEndpoint;
use crate::aws::Aws;
use crate::context::Context;
use crate::error::Result;
use crate::ids::{VpcId, VpceId};
use crate::model::{Endpoint, NetworkInterface};

/// The endpoint `vpce`.
pub async fn observe(aws: &Aws, vpce: &VpceId) -> Result<Endpoint> {
    aws.endpoint(vpce).await
}

/// The endpoint `vpce`, then the network interfaces that carry its addresses.
pub async fn with_interfaces(
    aws: &Aws,
    vpce: &VpceId,
) -> Result<(Endpoint, Vec<NetworkInterface>)> {
    let endpoint = observe(aws, vpce).await?;
    let enis = aws
        .network_interfaces(&endpoint.network_interface_ids)
        .await?;
    Ok((endpoint, enis))
}

/// The interface endpoints for `service` (in `vpc`, when given).
pub async fn for_service(aws: &Aws, service: &str, vpc: Option<&VpcId>) -> Result<Vec<Endpoint>> {
    aws.interface_endpoints(service, vpc).await
}

/// Make the endpoint `spec` describes and wait until it is available.
pub async fn create(
    ctx: &Context,
    aws: &Aws,
    spec: &NewEndpoint,
    timeout: Duration,
) -> Result<Endpoint> {
    let created = aws.create_endpoint(spec).await?;
    crate::wait::endpoint_available(ctx, aws, created, timeout).await
}
