//! Seeding moto accounts through the AWS SDK, as the account's own user would.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

use super::{moto_url, role_arn, REGION};

/// SDK config for `account`, reached through STS AssumeRole like xapi does.
pub async fn account_config(account: &str) -> SdkConfig {
    let base = aws_config::defaults(BehaviorVersion::latest())
        .http_client(xapi::aws::config::http_client(Some(&moto_url())))
        .region(Region::new(REGION))
        .endpoint_url(moto_url())
        .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await;
    let creds = aws_sdk_sts::Client::new(&base)
        .assume_role()
        .role_arn(role_arn(account))
        .role_session_name("xapi-test-seed")
        .send()
        .await
        .expect("AssumeRole")
        .credentials
        .expect("credentials");
    let cfg = base
        .into_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                creds.access_key_id,
                creds.secret_access_key,
                Some(creds.session_token),
                None,
                "assumed",
            )),
        )
        .build();
    let who = aws_sdk_sts::Client::new(&cfg)
        .get_caller_identity()
        .send()
        .await
        .expect("whoami");
    assert_eq!(
        who.account(),
        Some(account),
        "seeding landed in the wrong account"
    );
    cfg
}

pub struct ConsumerVpc {
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub sg_id: String,
}

/// A VPC with DNS on, two subnets in two AZs and an endpoint security group.
pub async fn consumer_vpc(cfg: &SdkConfig, second_octet: u8, dns: bool) -> ConsumerVpc {
    use aws_sdk_ec2::types::AttributeBooleanValue;
    let ec2 = aws_sdk_ec2::Client::new(cfg);
    let vpc_id = ec2
        .create_vpc()
        .cidr_block(format!("10.{second_octet}.0.0/16"))
        .send()
        .await
        .expect("CreateVpc")
        .vpc
        .and_then(|v| v.vpc_id)
        .expect("vpc id");
    if dns {
        ec2.modify_vpc_attribute()
            .vpc_id(&vpc_id)
            .enable_dns_hostnames(AttributeBooleanValue::builder().value(true).build())
            .send()
            .await
            .expect("ModifyVpcAttribute");
    }
    let mut subnet_ids = Vec::new();
    for (i, az) in ["a", "b"].iter().enumerate() {
        let id = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("10.{second_octet}.{}.0/24", i + 1))
            .availability_zone(format!("{REGION}{az}"))
            .send()
            .await
            .expect("CreateSubnet")
            .subnet
            .and_then(|s| s.subnet_id)
            .expect("subnet id");
        subnet_ids.push(id);
    }
    let sg_id = ec2
        .create_security_group()
        .group_name("endpoint")
        .description("execute-api endpoint")
        .vpc_id(&vpc_id)
        .send()
        .await
        .expect("CreateSecurityGroup")
        .group_id
        .expect("sg id");
    ConsumerVpc {
        vpc_id,
        subnet_ids,
        sg_id,
    }
}

/// A PRIVATE REST API with GET /hello, deployed to `stage`; returns its id.
pub async fn private_api(cfg: &SdkConfig, stage: &str, policy: Option<&str>) -> String {
    use aws_sdk_apigateway::types::{EndpointConfiguration, EndpointType, IntegrationType};
    let apigw = aws_sdk_apigateway::Client::new(cfg);
    let mut create = apigw
        .create_rest_api()
        .name("orders-private")
        .endpoint_configuration(
            EndpointConfiguration::builder()
                .types(EndpointType::Private)
                .build(),
        );
    if let Some(p) = policy {
        create = create.policy(p);
    }
    let (api_id, root) = send_create_rest_api(&apigw, create).await;
    let hello = apigw
        .create_resource()
        .rest_api_id(&api_id)
        .parent_id(root)
        .path_part("hello")
        .send()
        .await
        .expect("CreateResource")
        .id
        .expect("resource id");
    apigw
        .put_method()
        .rest_api_id(&api_id)
        .resource_id(&hello)
        .http_method("GET")
        .authorization_type("NONE")
        .send()
        .await
        .expect("PutMethod");
    apigw
        .put_integration()
        .rest_api_id(&api_id)
        .resource_id(&hello)
        .http_method("GET")
        .r#type(IntegrationType::Mock)
        .send()
        .await
        .expect("PutIntegration");
    apigw
        .create_deployment()
        .rest_api_id(&api_id)
        .stage_name(stage)
        .send()
        .await
        .expect("CreateDeployment");
    api_id
}

/// Replace an API's resource policy, as a human would in the console.
pub async fn put_policy(cfg: &SdkConfig, api_id: &str, policy: &str) {
    use aws_sdk_apigateway::types::{Op, PatchOperation};
    aws_sdk_apigateway::Client::new(cfg)
        .update_rest_api()
        .rest_api_id(api_id)
        .patch_operations(
            PatchOperation::builder()
                .op(Op::Replace)
                .path("/policy")
                .value(policy)
                .build(),
        )
        .send()
        .await
        .expect("UpdateRestApi policy");
}

/// [`account_config`] in another region of the same account.
pub async fn account_config_in(account: &str, region: &str) -> SdkConfig {
    account_config(account)
        .await
        .into_builder()
        .region(Region::new(region.to_owned()))
        .build()
}

/// An execute-api interface endpoint in the VPC's first subnet, made directly with EC2.
pub async fn execute_api_endpoint(cfg: &SdkConfig, vpc: &ConsumerVpc) -> String {
    let region = cfg.region().expect("region").to_string();
    aws_sdk_ec2::Client::new(cfg)
        .create_vpc_endpoint()
        .vpc_id(&vpc.vpc_id)
        .vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Interface)
        .service_name(format!("com.amazonaws.{region}.execute-api"))
        .subnet_ids(&vpc.subnet_ids[0])
        .security_group_ids(&vpc.sg_id)
        .send()
        .await
        .expect("CreateVpcEndpoint")
        .vpc_endpoint
        .and_then(|e| e.vpc_endpoint_id)
        .expect("vpce id")
}

/// A Regional REST API with `ANY /` (authorization `auth`, a MOCK integration) deployed to `prod`.
pub async fn regional_api(
    cfg: &SdkConfig,
    name: &str,
    tags: &[(&str, &str)],
    auth: &str,
) -> String {
    use aws_sdk_apigateway::types::{EndpointConfiguration, EndpointType, IntegrationType};
    let apigw = aws_sdk_apigateway::Client::new(cfg);
    let mut create = apigw.create_rest_api().name(name).endpoint_configuration(
        EndpointConfiguration::builder()
            .types(EndpointType::Regional)
            .build(),
    );
    for (k, v) in tags {
        create = create.tags(*k, *v);
    }
    let (api_id, root) = send_create_rest_api(&apigw, create).await;
    apigw
        .put_method()
        .rest_api_id(&api_id)
        .resource_id(&root)
        .http_method("ANY")
        .authorization_type(auth)
        .send()
        .await
        .expect("PutMethod");
    apigw
        .put_integration()
        .rest_api_id(&api_id)
        .resource_id(&root)
        .http_method("ANY")
        .r#type(IntegrationType::Mock)
        .send()
        .await
        .expect("PutIntegration");
    apigw
        .create_deployment()
        .rest_api_id(&api_id)
        .stage_name("prod")
        .send()
        .await
        .expect("CreateDeployment");
    api_id
}

/// Deploy `api_id` to `stage` again with `description` (e.g. an xapi policy marker).
pub async fn deploy_with_description(
    cfg: &SdkConfig,
    api_id: &str,
    stage: &str,
    description: &str,
) {
    aws_sdk_apigateway::Client::new(cfg)
        .create_deployment()
        .rest_api_id(api_id)
        .stage_name(stage)
        .description(description)
        .send()
        .await
        .expect("CreateDeployment");
}

/// IAM `CreateRole` in the account `cfg` reaches, returning the role's ARN.
/// It is the only IAM call the tests make (moto's Lambda wants a function's
/// role to exist), so it is one hand-signed query request rather than the
/// whole IAM SDK, which would add about a minute to every clean build.
pub async fn create_role(cfg: &SdkConfig, name: &str, trust_policy: &str) -> String {
    use aws_credential_types::provider::ProvideCredentials;
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use http_body_util::{BodyExt, Full};

    let credentials = cfg
        .credentials_provider()
        .expect("credentials provider")
        .provide_credentials()
        .await
        .expect("credentials");
    let identity = credentials.into();
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName={}&AssumeRolePolicyDocument={}",
        percent_encode(name),
        percent_encode(trust_policy)
    );
    let url = format!("{}/", moto_url().trim_end_matches('/'));
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("iam")
        .time(std::time::SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let signable = SignableRequest::new(
        "POST",
        &url,
        [("content-type", content_type)].into_iter(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable request");
    let (instructions, _) = sign(signable, &params)
        .expect("signed request")
        .into_parts();
    let mut request = hyper::Request::post(&url)
        .header("content-type", content_type)
        .body(Full::new(bytes::Bytes::from(body)))
        .expect("request");
    instructions.apply_to_request_http1x(&mut request);
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let response = client.request(request).await.expect("IAM answered");
    let status = response.status();
    let text = String::from_utf8_lossy(
        &response
            .into_body()
            .collect()
            .await
            .expect("IAM response body")
            .to_bytes(),
    )
    .into_owned();
    assert!(status.is_success(), "CreateRole {name}: {status}\n{text}");
    text.split_once("<Arn>")
        .and_then(|(_, rest)| rest.split_once("</Arn>"))
        .map(|(arn, _)| arn.to_owned())
        .unwrap_or_else(|| panic!("CreateRole {name} answered without an ARN:\n{text}"))
}

/// `application/x-www-form-urlencoded` value encoding (RFC 3986 unreserved kept).
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Send a prepared CreateRestApi and find the new API's root resource: its id and the root's.
async fn send_create_rest_api(
    apigw: &aws_sdk_apigateway::Client,
    create: aws_sdk_apigateway::operation::create_rest_api::builders::CreateRestApiFluentBuilder,
) -> (String, String) {
    let api_id = create
        .send()
        .await
        .expect("CreateRestApi")
        .id
        .expect("api id");
    let root = apigw
        .get_resources()
        .rest_api_id(&api_id)
        .send()
        .await
        .expect("GetResources")
        .items
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.path.as_deref() == Some("/"))
        .and_then(|r| r.id)
        .expect("root resource");
    (api_id, root)
}

/// A self-signed certificate for `names`, imported into ACM (moto makes an
/// imported certificate ISSUED).
pub async fn import_certificate(cfg: &SdkConfig, names: &[&str]) -> String {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256)
        .or_else(|_| rcgen::KeyPair::generate())
        .expect("key");
    let params =
        rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .expect("params");
    let cert = params.self_signed(&key).expect("self-signed");
    let input = serde_json::json!({
        "Certificate": aws_smithy_types::base64::encode(cert.pem()),
        "PrivateKey": aws_smithy_types::base64::encode(key.serialize_pem()),
    });
    xapi::aws::json_rpc::call(cfg, xapi::aws::json_rpc::ACM, "ImportCertificate", input)
        .await
        .expect("ImportCertificate")["CertificateArn"]
        .as_str()
        .expect("certificate ARN")
        .to_owned()
}

/// One SSM call as another process makes it (a lease planted, read or
/// removed behind xapi's back), through xapi's own JSON 1.1 caller: xapi
/// carries no SSM SDK crate.
pub async fn ssm(
    cfg: &SdkConfig,
    operation: &'static str,
    input: serde_json::Value,
) -> Result<serde_json::Value, xapi::aws::json_rpc::JsonError> {
    xapi::aws::json_rpc::call(cfg, xapi::aws::json_rpc::SSM, operation, input).await
}

/// One Secrets Manager call, as the account's owner makes it by hand.
pub async fn secrets(
    cfg: &SdkConfig,
    operation: &'static str,
    input: serde_json::Value,
) -> Result<serde_json::Value, xapi::aws::json_rpc::JsonError> {
    xapi::aws::json_rpc::call(cfg, xapi::aws::json_rpc::SECRETS_MANAGER, operation, input).await
}

/// Edit a JSON secret's value in place, as a hand edit (or time) would.
pub async fn edit_secret_json(
    cfg: &SdkConfig,
    id: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) {
    let read = secrets(cfg, "GetSecretValue", serde_json::json!({"SecretId": id}))
        .await
        .expect("GetSecretValue");
    let mut value: serde_json::Value =
        serde_json::from_str(read["SecretString"].as_str().expect("a string secret"))
            .expect("a JSON secret");
    edit(&mut value);
    let input = serde_json::json!({
        "SecretId": id,
        "SecretString": value.to_string(),
        "ClientRequestToken": xapi::aws::client_token(),
    });
    secrets(cfg, "PutSecretValue", input)
        .await
        .expect("PutSecretValue");
}
