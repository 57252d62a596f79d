//! AWS's JSON 1.1 protocol (one `POST /`, the operation named in
//! `X-Amz-Target`), for the services whose SDK crates would cost every build
//! far more than the few calls xapi makes (SSM's alone took about 60 s of CPU
//! to compile, for three operations): SSM, ACM, Organizations, ECS and
//! Secrets Manager. The calls run on the SDK's own
//! orchestrator with everything the shared config gives an SDK client: the
//! HTTP client, the credentials and their cache, SigV4 signing on every
//! attempt, the retry strategy and classifiers, timeouts, clock-skew
//! correction, and the endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL_<ID>`,
//! FIPS and dual-stack) chosen as the SDK chooses it.

use std::borrow::Cow;

use aws_config::SdkConfig;
use aws_runtime::auth::sigv4::SigV4AuthScheme;
use aws_runtime::auth::{SigV4OperationSigningConfig, SigningOptions};
use aws_runtime::invocation_id::InvocationIdInterceptor;
use aws_runtime::request_info::RequestInfoInterceptor;
use aws_runtime::retries::classifiers::AwsErrorCodeClassifier;
use aws_runtime::service_clock_skew::{ServiceClockSkewClassifier, ServiceClockSkewInterceptor};
use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime::client::retries::classifiers::{
    HttpStatusCodeClassifier, TransientErrorClassifier,
};
use aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
use aws_smithy_runtime_api::client::auth::{
    AuthSchemeOptionResolverParams, SharedAuthScheme, SharedAuthSchemeOptionResolver,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::StaticRuntimePlugin;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::Layer;
use aws_smithy_types::error::ErrorMetadata;
use aws_types::region::SigningRegion;
use aws_types::service_config::ServiceConfigKey;
use aws_types::SigningName;
use serde_json::Value;

/// A service spoken to in JSON 1.1, named as its SDK crate names it.
#[derive(Debug, Clone, Copy)]
pub struct JsonService {
    /// The SDK's service id: `AWS_ENDPOINT_URL_<ID>` and the profile's
    /// `services` section key on it.
    pub service_id: &'static str,
    /// The first label of the service's hostname, and the name it signs with.
    pub endpoint_prefix: &'static str,
    /// `X-Amz-Target` is `<target_prefix>.<operation>`.
    pub target_prefix: &'static str,
    /// A global service has one endpoint a partition, in the partition's
    /// home region, which it signs for whatever the configured region.
    pub global: bool,
}

pub const SSM: JsonService = JsonService {
    service_id: "SSM",
    endpoint_prefix: "ssm",
    target_prefix: "AmazonSSM",
    global: false,
};

pub const ACM: JsonService = JsonService {
    service_id: "ACM",
    endpoint_prefix: "acm",
    target_prefix: "CertificateManager",
    global: false,
};

pub const ECS: JsonService = JsonService {
    service_id: "ECS",
    endpoint_prefix: "ecs",
    target_prefix: "AmazonEC2ContainerServiceV20141113",
    global: false,
};

pub const SECRETS_MANAGER: JsonService = JsonService {
    service_id: "Secrets Manager",
    endpoint_prefix: "secretsmanager",
    target_prefix: "secretsmanager",
    global: false,
};

pub const ORGANIZATIONS: JsonService = JsonService {
    service_id: "Organizations",
    endpoint_prefix: "organizations",
    target_prefix: "AWSOrganizationsV20161128",
    global: true,
};

/// A JSON 1.1 timestamp (seconds since the epoch, maybe with a fraction) as
/// whole seconds.
pub fn epoch_seconds(value: &Value) -> Option<i64> {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "seconds since 1970 fit an i64 for any date AWS gives"
    )]
    value.as_f64().map(|s| s.floor() as i64)
}

/// A failed call, shaped as the SDK shapes them: a service error carries
/// AWS's error code and message.
pub type JsonError = SdkError<ErrorMetadata, HttpResponse>;

/// Call `operation` with `input`; its JSON answer.
pub async fn call(
    config: &SdkConfig,
    service: JsonService,
    operation: &'static str,
    input: Value,
) -> Result<Value, JsonError> {
    let endpoint = endpoint(config, service);
    let mut builder = Operation::builder()
        .service_name(service.service_id)
        .operation_name(operation)
        .endpoint_url(&endpoint)
        .retry_classifier(HttpStatusCodeClassifier::default())
        .retry_classifier(TransientErrorClassifier::<ErrorMetadata>::new())
        .retry_classifier(AwsErrorCodeClassifier::<ErrorMetadata>::new())
        .retry_classifier(ServiceClockSkewClassifier::<ErrorMetadata>::new())
        .interceptor(ServiceClockSkewInterceptor::new())
        .interceptor(RequestInfoInterceptor::new())
        .interceptor(InvocationIdInterceptor::new())
        .runtime_plugin(signing(config, service));
    if let Some(client) = config.http_client() {
        builder = builder.http_client(client);
    }
    if let Some(retry) = config.retry_config() {
        builder = builder.standard_retry(retry);
    }
    if let Some(timeouts) = config.timeout_config() {
        builder = builder.timeout_config(timeouts.clone());
    }
    if let Some(sleep) = config.sleep_impl() {
        builder = builder.sleep_impl(sleep);
    }
    if let Some(time) = config.time_source() {
        builder = builder.time_source(time);
    }
    if let Some(version) = config.behavior_version() {
        builder = builder.behavior_version(version);
    }
    if let Some(stall) = config.stalled_stream_protection() {
        builder = builder.stalled_stream_protection(stall);
    }
    let target = format!("{}.{operation}", service.target_prefix);
    builder
        .serializer(move |input: Value| request(&target, &input))
        .deserializer(answer)
        .build()
        .invoke(input)
        .await
}

/// Every page of a listing: `operation` called again with the page's
/// `token` field until a page names none; each page's `items` array, joined.
pub async fn call_paged(
    config: &SdkConfig,
    service: JsonService,
    operation: &'static str,
    input: Value,
    token: &str,
    items: &str,
) -> Result<Vec<Value>, JsonError> {
    let mut all = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut page_input = input.clone();
        if let (Some(t), Some(fields)) = (&next, page_input.as_object_mut()) {
            fields.insert(token.to_owned(), Value::String(t.clone()));
        }
        let mut page = call(config, service, operation, page_input).await?;
        if let Some(Value::Array(found)) = page.get_mut(items).map(Value::take) {
            all.extend(found);
        }
        next = text(&page, token).filter(|t| !t.is_empty());
        if next.is_none() {
            return Ok(all);
        }
    }
}

/// A string field of a JSON answer.
pub fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// An array of strings in a JSON answer (none: empty).
pub fn texts(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// An integer field of a JSON answer that fits an `i32` (counts, ports, MiB).
pub fn int(value: &Value, key: &str) -> Option<i32> {
    value
        .get(key)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

/// SigV4 with the config's credentials, through its identity cache, as an
/// SDK client of the service signs.
fn signing(config: &SdkConfig, service: JsonService) -> StaticRuntimePlugin {
    let mut layer = Layer::new("xapi json 1.1");
    layer.store_put(AuthSchemeOptionResolverParams::new(()));
    let mut signing_options = SigningOptions::default();
    signing_options.double_uri_encode = true;
    signing_options.content_sha256_header = false;
    signing_options.normalize_uri_path = true;
    layer.store_put(SigV4OperationSigningConfig {
        region: home_region(config, service)
            .map(|home| SigningRegion::from(aws_types::region::Region::new(home))),
        region_set: None,
        name: Some(SigningName::from_static(service.endpoint_prefix)),
        signing_options,
    });
    let mut components = RuntimeComponentsBuilder::new("xapi json 1.1")
        .with_auth_scheme_option_resolver(Some(SharedAuthSchemeOptionResolver::new(
            StaticAuthSchemeOptionResolver::new(vec![aws_runtime::auth::sigv4::SCHEME_ID]),
        )))
        .with_auth_scheme(SharedAuthScheme::new(SigV4AuthScheme::new()));
    if let Some(credentials) = config.credentials_provider() {
        components =
            components.with_identity_resolver(aws_runtime::auth::sigv4::SCHEME_ID, credentials);
    }
    if let Some(cache) = config.identity_cache() {
        components = components.with_identity_cache(Some(cache));
    }
    StaticRuntimePlugin::new()
        .with_config(layer.freeze())
        .with_runtime_components(components)
}

/// Where the SDK client of `service` would send its calls: the service's own
/// endpoint URL (`AWS_ENDPOINT_URL_<ID>`, the profile's `services`), else the
/// config's (`--endpoint-url`, `AWS_ENDPOINT_URL`), else the service's
/// regional endpoint in the region's partition.
fn endpoint(config: &SdkConfig, service: JsonService) -> String {
    let configured = if config.get_origin("endpoint_url").is_client_config() {
        config.endpoint_url().map(str::to_owned)
    } else {
        config
            .service_config()
            .and_then(|c| {
                c.load_config(
                    ServiceConfigKey::builder()
                        .service_id(service.service_id)
                        .env("AWS_ENDPOINT_URL")
                        .profile("endpoint_url")
                        .build()
                        .expect("every field is set"),
                )
            })
            .or_else(|| config.endpoint_url().map(str::to_owned))
    };
    configured.unwrap_or_else(|| {
        let home = home_region(config, service).unwrap_or_default();
        // AWS GovCloud's one endpoint of a global service is FIPS-validated
        // already: the SDK sends FIPS requests to it too.
        let fips = config.use_fips().unwrap_or(false)
            && !(service.global && crate::region::partition(&home) == Some("aws-us-gov"));
        crate::region::service_endpoint(
            service.endpoint_prefix,
            &home,
            fips,
            config.use_dual_stack().unwrap_or(false),
        )
    })
}

/// The region the service's calls go to and are signed for: the
/// configured one, or a global service's partition home.
fn home_region(config: &SdkConfig, service: JsonService) -> Option<String> {
    let region = config.region()?.as_ref();
    Some(if service.global {
        crate::region::partition_home(region).to_owned()
    } else {
        region.to_owned()
    })
}

fn request(
    target: &str,
    input: &Value,
) -> Result<HttpRequest, aws_smithy_runtime_api::box_error::BoxError> {
    let mut request = HttpRequest::new(SdkBody::from(serde_json::to_vec(input)?));
    request.set_method("POST")?;
    request.set_uri("/")?;
    let headers = request.headers_mut();
    headers.insert("content-type", "application/x-amz-json-1.1");
    headers.insert("x-amz-target", Cow::Owned(target.to_owned()));
    Ok(request)
}

/// A 2xx answer's JSON, or the error AWS named: `__type` (or the
/// `x-amzn-errortype` header) without its namespace or URI, and `message`.
fn answer(response: &HttpResponse) -> Result<Value, OrchestratorError<ErrorMetadata>> {
    let body = response.body().bytes().unwrap_or_default();
    if response.status().is_success() {
        if body.is_empty() {
            return Ok(Value::Object(serde_json::Map::new()));
        }
        return serde_json::from_slice(body).map_err(OrchestratorError::other);
    }
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let text = |key: &str| parsed.get(key).and_then(Value::as_str);
    let code = response
        .headers()
        .get("x-amzn-errortype")
        .or_else(|| text("__type"))
        .or_else(|| text("code"))
        .map(error_code);
    let message = text("message").or_else(|| text("Message"));
    let mut error = ErrorMetadata::builder();
    if let Some(code) = code {
        error = error.code(code);
    }
    if let Some(message) = message {
        error = error.message(message);
    }
    Err(OrchestratorError::operation(error.build()))
}

/// `com.amazonaws.ssm#ParameterNotFound` or `ParameterNotFound:http://...`
/// as the bare code.
fn error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    code.rsplit('#').next().unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::http::StatusCode;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut r = HttpResponse::new(
            StatusCode::try_from(status).unwrap(),
            SdkBody::from(body.to_owned()),
        );
        for (k, v) in headers {
            r.headers_mut().insert(k.to_string(), v.to_string());
        }
        r
    }

    fn code_and_message(r: &HttpResponse) -> (Option<String>, Option<String>) {
        match answer(r) {
            Err(e) => {
                let e = e.as_operation_error().expect("an operation error").clone();
                (e.code().map(str::to_owned), e.message().map(str::to_owned))
            }
            Ok(v) => panic!("an error was taken for an answer: {v}"),
        }
    }

    #[test]
    fn calls_go_where_the_sdk_client_would_send_them() {
        let region = aws_types::region::Region::new("eu-west-1");
        let plain = SdkConfig::builder().region(region.clone()).build();
        assert_eq!(endpoint(&plain, SSM), "https://ssm.eu-west-1.amazonaws.com");
        let fips = SdkConfig::builder()
            .region(region.clone())
            .use_fips(true)
            .build();
        assert_eq!(
            endpoint(&fips, SSM),
            "https://ssm-fips.eu-west-1.amazonaws.com"
        );
        let local = SdkConfig::builder()
            .region(region)
            .use_fips(true)
            .endpoint_url("http://127.0.0.1:4566")
            .build();
        assert_eq!(endpoint(&local, SSM), "http://127.0.0.1:4566");
    }

    /// The SDK's own endpoint rule tests for Organizations, and a region
    /// that is not the partition's home.
    #[test]
    fn a_global_service_answers_in_its_partition_s_home() {
        let at = |region: &'static str, fips: bool, dual: bool| {
            let config = SdkConfig::builder()
                .region(aws_types::region::Region::new(region))
                .use_fips(fips)
                .use_dual_stack(dual)
                .build();
            (
                endpoint(&config, ORGANIZATIONS),
                home_region(&config, ORGANIZATIONS).unwrap(),
            )
        };
        let want = |url: &str, signs: &str| (url.to_owned(), signs.to_owned());
        let aws = "https://organizations.us-east-1.amazonaws.com";
        assert_eq!(at("us-east-1", false, false), want(aws, "us-east-1"));
        assert_eq!(at("eu-west-1", false, false), want(aws, "us-east-1"));
        assert_eq!(
            at("us-east-1", true, false),
            want(
                "https://organizations-fips.us-east-1.amazonaws.com",
                "us-east-1"
            )
        );
        assert_eq!(
            at("us-east-1", false, true),
            want("https://organizations.us-east-1.api.aws", "us-east-1")
        );
        assert_eq!(
            at("cn-north-1", false, false),
            want(
                "https://organizations.cn-northwest-1.amazonaws.com.cn",
                "cn-northwest-1"
            )
        );
        assert_eq!(
            at("cn-northwest-1", true, true),
            want(
                "https://organizations-fips.cn-northwest-1.api.amazonwebservices.com.cn",
                "cn-northwest-1"
            )
        );
        let gov = "https://organizations.us-gov-west-1.amazonaws.com";
        assert_eq!(at("us-gov-west-1", true, false), want(gov, "us-gov-west-1"));
        assert_eq!(
            at("us-gov-east-1", false, false),
            want(gov, "us-gov-west-1")
        );
        assert_eq!(
            at("us-gov-west-1", true, true),
            want(
                "https://organizations.us-gov-west-1.api.aws",
                "us-gov-west-1"
            )
        );
    }

    #[test]
    fn fields_are_read_by_type_and_anything_else_is_absent() {
        let v = serde_json::json!({"a": "x", "n": 7, "big": 3_000_000_000_i64, "l": ["p", 1, "q"]});
        assert_eq!(text(&v, "a").as_deref(), Some("x"));
        assert_eq!(text(&v, "n"), None);
        assert_eq!(int(&v, "n"), Some(7));
        assert_eq!(int(&v, "big"), None);
        assert_eq!(int(&v, "a"), None);
        assert_eq!(texts(&v, "l"), ["p", "q"]);
        assert!(texts(&v, "missing").is_empty());
    }

    #[test]
    fn timestamps_are_whole_seconds_since_the_epoch() {
        assert_eq!(
            epoch_seconds(&serde_json::json!(1_767_225_600)),
            Some(1_767_225_600)
        );
        assert_eq!(
            epoch_seconds(&serde_json::json!(1_767_225_600.75)),
            Some(1_767_225_600)
        );
        assert_eq!(epoch_seconds(&serde_json::json!("2026-01-01")), None);
        assert_eq!(epoch_seconds(&Value::Null), None);
    }

    #[test]
    fn error_codes_lose_their_namespace_and_uri() {
        assert_eq!(
            error_code("com.amazonaws.ssm#ParameterNotFound"),
            "ParameterNotFound"
        );
        assert_eq!(
            error_code(
                "ParameterAlreadyExists:http://internal.amazon.com/coral/com.amazonaws.ssm/"
            ),
            "ParameterAlreadyExists"
        );
        assert_eq!(error_code("ThrottlingException"), "ThrottlingException");
    }

    #[test]
    fn an_error_is_named_by_its_header_before_its_body() {
        let r = response(
            400,
            &[("x-amzn-errortype", "ParameterNotFound:http://x/")],
            r#"{"__type":"com.amazonaws.ssm#Other","message":"Parameter /a not found."}"#,
        );
        assert_eq!(
            code_and_message(&r),
            (
                Some("ParameterNotFound".into()),
                Some("Parameter /a not found.".into())
            )
        );
        let r = response(
            400,
            &[],
            r#"{"__type":"com.amazonaws.ssm#ParameterAlreadyExists","Message":"exists"}"#,
        );
        assert_eq!(
            code_and_message(&r),
            (Some("ParameterAlreadyExists".into()), Some("exists".into()))
        );
    }

    #[test]
    fn an_error_without_a_json_body_is_still_an_error() {
        assert_eq!(
            code_and_message(&response(503, &[], "<html>Service Unavailable</html>")),
            (None, None)
        );
    }

    #[test]
    fn a_success_is_its_json_and_an_empty_one_is_an_empty_object() {
        let ok = answer(&response(200, &[], r#"{"Version":3}"#)).unwrap();
        assert_eq!(ok["Version"], 3);
        assert_eq!(
            answer(&response(200, &[], "")).unwrap(),
            serde_json::json!({})
        );
        assert!(answer(&response(200, &[], "{not json")).is_err());
    }

    #[test]
    fn a_request_names_its_operation_and_protocol() {
        let r = request("AmazonSSM.GetParameter", &serde_json::json!({"Name": "/a"})).unwrap();
        assert_eq!(r.method(), "POST");
        assert_eq!(
            r.headers().get("x-amz-target"),
            Some("AmazonSSM.GetParameter")
        );
        assert_eq!(
            r.headers().get("content-type"),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(r.body().bytes(), Some(&br#"{"Name":"/a"}"#[..]));
    }
}
