//! The front door's REST API (pattern 1): how it is observed, once, for
//! `wire-regional-front`'s plan and doctor's checks alike, and how the
//! planned steps make it. Its planner is [`crate::plan::front`].

use std::collections::BTreeMap;

use crate::aws::apigw::NewProxyIntegration;
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::ids::ApiId;
use crate::model::FRONT_METHOD;
use crate::model::{ApiResource, Integration, RestApi};
use crate::output;
use crate::plan::front::{self, PROXY_PATH, ROOT_PATH};
use crate::plan::step::FrontWork;

/// The front API, its resources and what `ANY` does on `/` and `/{proxy+}`.
pub struct FrontApi {
    pub api: RestApi,
    pub resources: Vec<ApiResource>,
    /// The `ANY` integration on each of the two paths, `None` where the path
    /// or its `ANY` method is missing.
    pub integrations: BTreeMap<String, Option<Integration>>,
    /// The `ANY` methods' authorization types (`NONE`, `AWS_IAM`, ...) by path.
    pub authorization: BTreeMap<String, String>,
}

/// The API and its resources, then both paths' methods and integrations,
/// each read side by side.
pub async fn observe(aws: &Aws, id: &ApiId) -> Result<FrontApi> {
    let (api, resources) = tokio::try_join!(aws.rest_api(id), aws.resources(id))?;
    let methods = [ROOT_PATH, PROXY_PATH].map(|path| {
        let with_any = resources
            .iter()
            .find(|r| r.path == path && r.methods.iter().any(|m| m == FRONT_METHOD));
        async move {
            let Some(r) = with_any else {
                return Ok((path, None, None));
            };
            let (integration, authorization) = tokio::try_join!(
                aws.integration(id, &r.id, FRONT_METHOD),
                aws.method_authorization(id, &r.id, FRONT_METHOD)
            )?;
            Ok::<_, crate::error::Error>((path, integration, authorization))
        }
    });
    let mut integrations = BTreeMap::new();
    let mut authorization = BTreeMap::new();
    for (path, integration, auth) in futures::future::try_join_all(methods).await? {
        if let Some(auth) = auth {
            authorization.insert(path.to_owned(), auth);
        }
        integrations.insert(path.to_owned(), integration);
    }
    Ok(FrontApi {
        api,
        resources,
        integrations,
        authorization,
    })
}

/// Make the front API as `steps` says: the API itself, the `{proxy+}`
/// resource, the `ANY` methods and their authorization, the resource
/// policy, the integrations through the link `link_id` (a v2 link's naming
/// the load balancer `target`), and the deployment that serves them.
/// `observed` is the front API's id as observed, if there is one; the id
/// of the front API, made or observed.
pub async fn apply(
    aws: &Aws,
    observed: Option<&str>,
    steps: &FrontWork,
    link_id: &str,
    target: Option<&str>,
    tags: &[(String, String)],
) -> Result<String> {
    let want = &steps.want;
    let front_id = if steps.create_front {
        output::note(&format!("creating Regional API {}", want.front_api_name));
        aws.create_regional_api(&want.front_api_name, tags).await?
    } else {
        super::observed(observed.map(str::to_owned), "front API")?
    };
    let front_id: ApiId = front_id
        .parse()
        .map_err(|e: String| Error::Unverified(format!("front API: {e}")))?;
    let mut resources = aws.resources(&front_id).await?;
    if steps.create_proxy_resource {
        let root = resources
            .iter()
            .find(|r| r.path == ROOT_PATH)
            .map(|r| r.id.clone())
            .ok_or_else(|| {
                Error::Unverified(format!("front API {front_id} has no root resource"))
            })?;
        aws.create_resource(&front_id, &root, "{proxy+}").await?;
        resources = aws.resources(&front_id).await?;
    }
    let resource_id = |path: &str| {
        resources
            .iter()
            .find(|r| r.path == path)
            .map(|r| r.id.clone())
            .ok_or_else(|| {
                Error::Unverified(format!("front API {front_id} has no {path} resource"))
            })
    };
    let auth = want.authorization.as_deref().unwrap_or(front::AUTH_NONE);
    for path in &steps.put_methods {
        let param = (path == PROXY_PATH).then_some("proxy");
        aws.put_any_method_authorized(&front_id, &resource_id(path)?, param, auth)
            .await?;
    }
    for path in &steps.set_auth {
        aws.set_method_authorization(&front_id, &resource_id(path)?, FRONT_METHOD, auth)
            .await?;
    }
    if let Some(policy) = &steps.put_front_policy {
        aws.put_policy(&front_id, policy).await?;
    }
    for path in &steps.put_integrations {
        aws.put_proxy_integration(
            &front_id,
            &resource_id(path)?,
            &NewProxyIntegration {
                uri: want.integration_uri(path),
                connection_id: link_id.to_owned(),
                integration_target: target.map(str::to_owned),
                request_parameters: want.integration_params(path).into_iter().collect(),
            },
        )
        .await?;
    }
    if steps.deploy_front {
        output::note(&format!("deploying front stage {}", want.front_stage));
        aws.create_deployment(
            &front_id,
            &want.front_stage,
            &want.front_marker(link_id, target),
        )
        .await?;
    }
    Ok(front_id.to_string())
}
