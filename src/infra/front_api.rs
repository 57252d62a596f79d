//! The front door's REST API (pattern 1): how it is observed, once, for
//! `wire-regional-front`'s plan and doctor's checks alike. Its planner is
//! [`crate::plan::front`].

use std::collections::BTreeMap;

use crate::aws::Aws;
use crate::error::Result;
use crate::ids::ApiId;
use crate::model::FRONT_METHOD;
use crate::model::{ApiResource, Integration, RestApi};
use crate::plan::front::{PROXY_PATH, ROOT_PATH};

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
