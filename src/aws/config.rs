//! Building one `SdkConfig` per account: region, credentials, endpoint, TLS.

use aws_config::meta::region::ProvideRegion;
use aws_config::sts::AssumeRoleProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use crate::error::{Error, Result};
use crate::region;

/// Whose credentials a side of the command uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Identity {
    pub profile: Option<String>,
    pub role_arn: Option<String>,
}

/// The one HTTP client every SDK client shares. The SDK's default client is
/// compiled out (it pulls a C crypto build), so this must be set explicitly
/// or loading the config panics.
pub fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// Region from the flag, then `AWS_REGION`/`AWS_DEFAULT_REGION`, then the
/// profile. Never from instance metadata and never a default: a wrong guess
/// would silently point the command at another region's resources.
pub async fn resolve_region(flag: Option<&str>, profile: Option<&str>) -> Result<String> {
    let found = match flag {
        Some(r) => Some(r.to_owned()),
        None => {
            let env = aws_config::environment::region::EnvironmentVariableRegionProvider::new();
            match env.region().await {
                Some(r) => Some(r.to_string()),
                None => {
                    let mut builder = aws_config::profile::ProfileFileRegionProvider::builder();
                    if let Some(p) = profile {
                        builder = builder.profile_name(p);
                    }
                    builder.build().region().await.map(|r| r.to_string())
                }
            }
        }
    };
    let Some(region) = found else {
        return Err(Error::BadInput(
            "no region: pass --region, set AWS_REGION, or set region in the profile".into(),
        ));
    };
    if region::partition(&region).is_none() {
        return Err(Error::BadInput(format!(
            "unknown region '{region}': pass a region such as us-east-1 or eu-west-1"
        )));
    }
    Ok(region)
}

pub async fn load(
    identity: &Identity,
    region: &str,
    endpoint_url: Option<&str>,
    http: SharedHttpClient,
) -> Result<SdkConfig> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new(region.to_owned()));
    if let Some(profile) = &identity.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let base = loader.load().await;
    if base.credentials_provider().is_none() {
        return Err(Error::NoCredentials(
            "no credential provider is configured".into(),
        ));
    }
    let Some(role_arn) = &identity.role_arn else {
        return Ok(base);
    };
    // The STS client behind the provider is built from `base`, so it uses the
    // same endpoint URL: with a local emulator, AssumeRole never reaches real STS.
    let provider = AssumeRoleProvider::builder(role_arn)
        .session_name("xapi")
        .configure(&base)
        .build()
        .await;
    Ok(base
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build())
}
