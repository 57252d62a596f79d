//! Each resource kind's waits and observations against answers moto never
//! gives (a group still in use, a load balancer or link still going away,
//! targets draining), replayed in process: the SDK's own clients talk to an
//! HTTP client that answers each request with the first canned AWS answer
//! left for it (matched on a part of the request, so requests sent side by
//! side may come in any order) and records what was asked. The answers are
//! shaped as AWS sends them (EC2's and ELB's XML, API Gateway v2's JSON with
//! `x-amzn-ErrorType`, ECS's and Secrets Manager's JSON 1.1).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use clap::Parser;
use xapi::aws::{config::Loaded, Aws};
use xapi::context::Context;
use xapi::error::Error;
use xapi::infra::{self, Patience};
use xapi::model::LinkVersion;

/// One canned answer for the first request left that contains `to`
/// (in `METHOD path-and-query [x-amz-target] body`): status, headers, body.
#[derive(Debug, Clone)]
struct Answer {
    to: &'static str,
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
}

fn xml(to: &'static str, status: u16, body: &str) -> Answer {
    Answer {
        to,
        status,
        headers: vec![("content-type", "text/xml")],
        body: body.to_owned(),
    }
}

fn json(to: &'static str, status: u16, error_type: Option<&'static str>, body: &str) -> Answer {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(t) = error_type {
        headers.push(("x-amzn-errortype", t));
    }
    Answer {
        to,
        status,
        headers,
        body: body.to_owned(),
    }
}

#[derive(Clone, Default, Debug)]
struct Replay {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    /// Each request as `METHOD path-and-query [x-amz-target] body`.
    asked: Arc<Mutex<Vec<String>>>,
    /// Each request as sent, signature included.
    sent: Arc<Mutex<Vec<HttpRequest>>>,
}

impl HttpConnector for Replay {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = request
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        let path = request.uri().to_owned();
        let path = path
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or(path);
        // JSON protocols (ECS, Secrets Manager) name the operation in a header.
        let target = request
            .headers()
            .get("x-amz-target")
            .map(|t| format!("{t} "))
            .unwrap_or_default();
        let line = format!("{} {path} {target}{body}", request.method());
        self.asked.lock().unwrap().push(line.clone());
        self.sent.lock().unwrap().push(
            request
                .try_clone()
                .expect("a request with its body in memory"),
        );
        let next = {
            let mut answers = self.answers.lock().unwrap();
            let at = answers.iter().position(|a| line.contains(a.to));
            at.and_then(|i| answers.remove(i))
        };
        let Some(answer) = next else {
            panic!("no canned answer left for {line}");
        };
        let mut response = Response::new(
            StatusCode::try_from(answer.status).unwrap(),
            SdkBody::from(answer.body),
        );
        for (name, value) in answer.headers {
            response.headers_mut().insert(name, value);
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Replay {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl Replay {
    /// An account whose every request gets the next of `answers`, SDK
    /// retries off (each answer is one attempt's).
    fn account(answers: Vec<Answer>) -> (Aws, Replay) {
        Self::account_retrying(answers, RetryConfig::disabled())
    }

    /// [`Replay::account`] with the SDK retrying as `retry` says.
    fn account_retrying(answers: Vec<Answer>, retry: RetryConfig) -> (Aws, Replay) {
        let replay = Replay::default();
        replay.answers.lock().unwrap().extend(answers);
        let config = aws_config::SdkConfig::builder()
            .http_client(SharedHttpClient::new(replay.clone()))
            .region(aws_types::region::Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "AKIDREPLAY",
                "secret",
                None,
                None,
                "replay",
            )))
            .endpoint_url("http://replay.invalid")
            .retry_config(retry)
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let aws = Aws::new(
            Loaded {
                config,
                assumed: None,
            },
            "us-east-1".into(),
        );
        (aws, replay)
    }

    /// What was asked, one line a request: the operation and its resource.
    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }

    fn all_answered(&self) -> bool {
        self.answers.lock().unwrap().is_empty()
    }
}

async fn context() -> Context {
    let cli = xapi::cli::Cli::try_parse_from(["xapi", "--region", "us-east-1", "whoami"]).unwrap();
    Context::new(&cli.global).await.unwrap()
}

fn patience(ctx: &Context, timeout: Duration) -> Patience<'_> {
    Patience {
        ctx,
        timeout,
        hint: "re-run teardown to finish",
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

const EC2_IN_USE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>DependencyViolation</Code><Message>resource sg-0123456789abcdef0 has a dependent object</Message></Error></Errors><RequestID>r1</RequestID></Response>"#;
const EC2_DELETED: &str = r#"<DeleteSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId><return>true</return><groupId>sg-0123456789abcdef0</groupId></DeleteSecurityGroupResponse>"#;
const EC2_NO_GROUP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>InvalidGroup.NotFound</Code><Message>The security group 'sg-0123456789abcdef0' does not exist</Message></Error></Errors><RequestID>r3</RequestID></Response>"#;

/// The query action (EC2, ELB) of each request asked.
fn actions(asked: &[String]) -> Vec<&str> {
    asked
        .iter()
        .map(|a| {
            a.split("Action=")
                .nth(1)
                .and_then(|r| r.split('&').next())
                .unwrap_or(a)
        })
        .collect()
}

#[test]
fn a_group_in_use_is_deleted_once_released_and_never_claimed_gone_before() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![
            xml("DeleteSecurityGroup", 400, EC2_IN_USE),
            xml("DeleteSecurityGroup", 200, EC2_DELETED),
        ]);
        infra::security_group::delete(
            &aws,
            "sg-0123456789abcdef0",
            &patience(&ctx, Duration::from_secs(30)),
        )
        .await
        .unwrap();
        let asked = replay.asked();
        assert_eq!(asked.len(), 2, "{asked:#?}");
        assert!(
            asked
                .iter()
                .all(|a| a.contains("Action=DeleteSecurityGroup")
                    && a.contains("GroupId=sg-0123456789abcdef0")),
            "{asked:#?}"
        );
        assert!(replay.all_answered());
    });
}

#[test]
fn a_group_held_past_the_timeout_fails_naming_it_its_state_and_what_to_do() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![xml("DeleteSecurityGroup", 400, EC2_IN_USE)]);
        let err = infra::security_group::delete(
            &aws,
            "sg-0123456789abcdef0",
            &patience(&ctx, Duration::ZERO),
        )
        .await
        .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(
            text.contains("security group sg-0123456789abcdef0")
                && text.contains("DependencyViolation")
                && text.contains("re-run teardown to finish"),
            "{text}"
        );
        assert_eq!(replay.asked().len(), 1);
    });
}

#[test]
fn a_group_already_gone_counts_as_deleted_with_one_request() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![xml("DeleteSecurityGroup", 400, EC2_NO_GROUP)]);
        infra::security_group::delete(
            &aws,
            "sg-0123456789abcdef0",
            &patience(&ctx, Duration::ZERO),
        )
        .await
        .unwrap();
        assert_eq!(replay.asked().len(), 1);
    });
}

#[test]
fn a_group_refused_for_another_reason_fails_at_once_with_aws_words() {
    rt().block_on(async {
        let ctx = context().await;
        let denied = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r4</RequestID></Response>"#;
        let (aws, replay) = Replay::account(vec![xml("DeleteSecurityGroup", 403, denied)]);
        let err = infra::security_group::delete(&aws, "sg-0123456789abcdef0", &patience(&ctx, Duration::from_secs(30)))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Denied { .. }), "{err:?}");
        assert!(err.to_string().contains("ec2:DeleteSecurityGroup"), "{err}");
        assert_eq!(replay.asked().len(), 1, "a refusal is not waited out");
    });
}

const LB_ARN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/s-nlb/0123456789abcdef";

fn lb_described(state: &str) -> String {
    format!(
        r#"<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeLoadBalancersResult><LoadBalancers><member><LoadBalancerArn>{LB_ARN}</LoadBalancerArn><LoadBalancerName>s-nlb</LoadBalancerName><DNSName>s-nlb.elb.amazonaws.com</DNSName><Scheme>internal</Scheme><Type>network</Type><VpcId>vpc-0123456789abcdef0</VpcId><State><Code>{state}</Code></State><AvailabilityZones/></member></LoadBalancers></DescribeLoadBalancersResult><ResponseMetadata><RequestId>r5</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>"#
    )
}

#[test]
fn a_load_balancer_is_waited_for_until_aws_no_longer_knows_it() {
    rt().block_on(async {
        let ctx = context().await;
        let deleted = r#"<DeleteLoadBalancerResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DeleteLoadBalancerResult/><ResponseMetadata><RequestId>r6</RequestId></ResponseMetadata></DeleteLoadBalancerResponse>"#;
        let not_found = r#"<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message>One or more load balancers not found</Message></Error><RequestId>r7</RequestId></ErrorResponse>"#;
        let (aws, replay) = Replay::account(vec![
            xml("DeleteLoadBalancer", 200, deleted),
            xml("DescribeLoadBalancers", 200, &lb_described("active")),
            xml("DescribeLoadBalancers", 400, not_found),
        ]);
        infra::load_balancer::delete(&aws, LB_ARN, "s-nlb", &patience(&ctx, Duration::from_secs(30)))
            .await
            .unwrap();
        let asked = replay.asked();
        assert_eq!(
            actions(&asked),
            ["DeleteLoadBalancer", "DescribeLoadBalancers", "DescribeLoadBalancers"],
            "{asked:#?}"
        );
    });
}

#[test]
fn a_load_balancer_still_there_at_the_deadline_is_named_with_its_state() {
    rt().block_on(async {
        let ctx = context().await;
        let deleted = r#"<DeleteLoadBalancerResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DeleteLoadBalancerResult/><ResponseMetadata><RequestId>r8</RequestId></ResponseMetadata></DeleteLoadBalancerResponse>"#;
        let (aws, _) = Replay::account(vec![
            xml("DeleteLoadBalancer", 200, deleted),
            xml("DescribeLoadBalancers", 200, &lb_described("active")),
        ]);
        let err = infra::load_balancer::delete(&aws, LB_ARN, "s-nlb", &patience(&ctx, Duration::ZERO))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("load balancer s-nlb to be deleted") && text.contains("active"),
            "{text}"
        );
    });
}

#[test]
fn a_v2_link_is_waited_for_through_deleting_until_not_found() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![
            json("DELETE /v2/vpclinks/abc123", 202, None, "{}"),
            v2_link_read("DELETING", ""),
            json(
                "GET /v2/vpclinks/abc123",
                404,
                Some("NotFoundException"),
                r#"{"message":"VpcLink not found"}"#,
            ),
        ]);
        infra::vpc_link::delete(
            &aws,
            "abc123",
            LinkVersion::V2,
            &patience(&ctx, Duration::from_secs(30)),
        )
        .await
        .unwrap();
        let asked = replay.asked();
        let calls: Vec<String> = asked
            .iter()
            .map(|a| a.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            calls,
            [
                "DELETE /v2/vpclinks/abc123",
                "GET /v2/vpclinks/abc123",
                "GET /v2/vpclinks/abc123"
            ],
            "{asked:#?}"
        );
    });
}

#[test]
fn draining_targets_are_not_observed_as_registered() {
    rt().block_on(async {
        let tg_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/s-tg/0123456789abcdef";
        let group = format!(
            r#"<DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetGroupsResult><TargetGroups><member><TargetGroupArn>{tg_arn}</TargetGroupArn><TargetGroupName>s-tg</TargetGroupName><Protocol>TCP</Protocol><Port>443</Port><VpcId>vpc-0123456789abcdef0</VpcId><TargetType>ip</TargetType><HealthCheckProtocol>TCP</HealthCheckProtocol><HealthCheckPort>traffic-port</HealthCheckPort><LoadBalancerArns><member>{LB_ARN}</member></LoadBalancerArns></member></TargetGroups></DescribeTargetGroupsResult><ResponseMetadata><RequestId>r9</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>"#
        );
        let tags = format!(
            r#"<DescribeTagsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTagsResult><TagDescriptions><member><ResourceArn>{tg_arn}</ResourceArn><Tags><member><Key>xapi:stack</Key><Value>s</Value></member></Tags></member></TagDescriptions></DescribeTagsResult><ResponseMetadata><RequestId>r10</RequestId></ResponseMetadata></DescribeTagsResponse>"#
        );
        let health = r#"<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult><TargetHealthDescriptions><member><Target><Id>10.0.1.10</Id><Port>443</Port><AvailabilityZone>us-east-1a</AvailabilityZone></Target><TargetHealth><State>healthy</State></TargetHealth></member><member><Target><Id>10.0.2.20</Id><Port>443</Port><AvailabilityZone>us-east-1b</AvailabilityZone></Target><TargetHealth><State>draining</State><Reason>Target.DeregistrationInProgress</Reason></TargetHealth></member></TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>r11</RequestId></ResponseMetadata></DescribeTargetHealthResponse>"#;
        let (aws, replay) = Replay::account(vec![
            xml("DescribeTargetGroups", 200, &group),
            xml("DescribeTags", 200, &tags),
            xml("DescribeTargetHealth", 200, health),
        ]);
        let observed = infra::target_group::observe(&aws, "s-tg")
            .await
            .unwrap()
            .expect("the group is there");
        let ips: Vec<&str> = observed.targets.iter().map(|t| t.ip.as_str()).collect();
        assert_eq!(ips, ["10.0.1.10"], "a draining target is on its way out");
        assert_eq!(observed.tags.get("xapi:stack").map(String::as_str), Some("s"));
        assert!(replay.all_answered(), "{:#?}", replay.asked());
    });
}

fn v2_link(status: &str, message: &str) -> String {
    format!(
        r#"{{"vpcLinkId":"abc123","name":"s-link","vpcLinkStatus":"{status}","vpcLinkStatusMessage":"{message}","vpcLinkVersion":"V2","subnetIds":["subnet-0123456789abcdef0"],"securityGroupIds":["sg-0123456789abcdef0"],"tags":{{}}}}"#
    )
}

/// GetVpcLink's answer for the link `abc123` in `status`.
fn v2_link_read(status: &str, message: &str) -> Answer {
    json(
        "GET /v2/vpclinks/abc123",
        200,
        None,
        &v2_link(status, message),
    )
}

fn pending_link() -> xapi::model::VpcLink {
    xapi::model::VpcLink {
        id: "abc123".into(),
        name: "s-link".into(),
        version: LinkVersion::V2,
        target_arns: Vec::new(),
        subnet_ids: vec!["subnet-0123456789abcdef0".into()],
        security_group_ids: vec!["sg-0123456789abcdef0".into()],
        status: "PENDING".into(),
        status_message: None,
        tags: std::collections::BTreeMap::default(),
    }
}

#[test]
fn a_v2_link_that_fails_while_pending_says_what_aws_said_and_what_to_do() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![v2_link_read(
            "FAILED",
            "Insufficient free IP addresses in subnet-0123456789abcdef0",
        )]);
        let err =
            xapi::wait::vpc_link_available(&ctx, &aws, pending_link(), Duration::from_secs(30))
                .await
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("Insufficient free IP addresses in subnet-0123456789abcdef0")
                && err.contains("aws apigatewayv2 delete-vpc-link --vpc-link-id abc123")
                && err.contains("free addresses"),
            "{err}"
        );
        assert_eq!(
            replay.asked().len(),
            1,
            "the link as created is not read again"
        );
    });
}

#[test]
fn an_inactive_v2_link_counts_as_ready_and_a_pending_one_times_out_naming_its_state() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) =
            Replay::account(vec![v2_link_read("INACTIVE", "no traffic for 60 days")]);
        let link =
            xapi::wait::vpc_link_available(&ctx, &aws, pending_link(), Duration::from_secs(30))
                .await
                .unwrap();
        assert_eq!(link.status, "INACTIVE");
        assert_eq!(replay.asked().len(), 1);

        let (aws, replay) = Replay::account(vec![v2_link_read("PENDING", "")]);
        let err = xapi::wait::vpc_link_available(&ctx, &aws, pending_link(), Duration::ZERO)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(err.to_string().contains("last state: PENDING"), "{err}");
        assert!(
            replay.asked().is_empty(),
            "the deadline passed before a second look"
        );
    });
}

const CLUSTER: &str = "s-cluster";
const SERVICE: &str = "s-proxy";

fn ecs_service(status: &str) -> Answer {
    json(
        "DescribeServices",
        200,
        None,
        &format!(
            r#"{{"services":[{{"serviceArn":"arn:aws:ecs:us-east-1:111111111111:service/{CLUSTER}/{SERVICE}","serviceName":"{SERVICE}","clusterArn":"arn:aws:ecs:us-east-1:111111111111:cluster/{CLUSTER}","status":"{status}","desiredCount":0,"runningCount":1,"pendingCount":0}}],"failures":[]}}"#
        ),
    )
}

fn ecs_ok(op: &'static str) -> Answer {
    json(
        op,
        200,
        None,
        r#"{"service":{"serviceName":"s-proxy","status":"DRAINING"}}"#,
    )
}

/// The JSON 1.1 operation of each request asked (its `x-amz-target`).
fn operations(asked: &[String]) -> Vec<String> {
    asked
        .iter()
        .filter_map(|a| {
            a.split_whitespace()
                .nth(2)
                .and_then(|t| t.rsplit('.').next())
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn an_ecs_service_is_scaled_to_zero_deleted_and_waited_for_through_draining() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![
            ecs_ok("UpdateService"),
            ecs_ok("DeleteService"),
            ecs_service("DRAINING"),
            ecs_service("INACTIVE"),
        ]);
        infra::ecs::delete_service(
            &aws,
            CLUSTER,
            SERVICE,
            SERVICE,
            &patience(&ctx, Duration::from_secs(30)),
        )
        .await
        .unwrap();
        let asked = replay.asked();
        assert_eq!(
            operations(&asked),
            [
                "UpdateService",
                "DeleteService",
                "DescribeServices",
                "DescribeServices"
            ],
            "{asked:#?}"
        );
        assert!(asked[0].contains(r#""desiredCount":0"#), "{}", asked[0]);
        assert!(asked[1].contains(r#""force":true"#), "{}", asked[1]);
        assert!(replay.all_answered());
    });
}

#[test]
fn an_ecs_service_still_draining_at_the_deadline_is_named_with_its_state() {
    rt().block_on(async {
        let ctx = context().await;
        let (aws, _) = Replay::account(vec![
            ecs_ok("UpdateService"),
            ecs_ok("DeleteService"),
            ecs_service("DRAINING"),
        ]);
        let err = infra::ecs::delete_service(
            &aws,
            CLUSTER,
            SERVICE,
            SERVICE,
            &patience(&ctx, Duration::ZERO),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains(&format!("ECS service {SERVICE} to be deleted"))
                && text.contains("last state: DRAINING")
                && text.contains("re-run teardown to finish"),
            "{text}"
        );
    });
}

const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:111111111111:secret:s-certs-AbCdEf";

fn secret_described(deleted: bool) -> Answer {
    let deleted_date = if deleted {
        r#","DeletedDate":1796000000.0"#
    } else {
        ""
    };
    json(
        "DescribeSecret",
        200,
        None,
        &format!(r#"{{"ARN":"{SECRET_ARN}","Name":"s-certs"{deleted_date}}}"#),
    )
}

fn secret_ok(op: &'static str) -> Answer {
    json(
        op,
        200,
        None,
        &format!(r#"{{"ARN":"{SECRET_ARN}","Name":"s-certs","VersionId":"v2"}}"#),
    )
}

#[test]
fn a_secret_a_teardown_scheduled_for_deletion_is_restored_before_new_certificates_go_in() {
    rt().block_on(async {
        let (aws, replay) = Replay::account(vec![
            secret_described(true),
            secret_ok("RestoreSecret"),
            secret_ok("PutSecretValue"),
        ]);
        infra::secret::put(&aws, "s-certs", SECRET_ARN, "{\"ca\":\"pem\"}")
            .await
            .unwrap();
        let asked = replay.asked();
        assert_eq!(
            operations(&asked),
            ["DescribeSecret", "RestoreSecret", "PutSecretValue"],
            "{asked:#?}"
        );

        // A live secret is only given its new value.
        let (aws, replay) =
            Replay::account(vec![secret_described(false), secret_ok("PutSecretValue")]);
        infra::secret::put(&aws, "s-certs", SECRET_ARN, "{}")
            .await
            .unwrap();
        assert_eq!(
            operations(&replay.asked()),
            ["DescribeSecret", "PutSecretValue"]
        );
    });
}

#[test]
fn a_secret_is_deleted_restorably_unless_asked_otherwise() {
    use xapi::plan::teardown::SecretDeletion;
    rt().block_on(async {
        let (aws, replay) = Replay::account(vec![secret_ok("DeleteSecret")]);
        infra::secret::delete(&aws, SECRET_ARN, SecretDeletion::Recoverable(7))
            .await
            .unwrap();
        let asked = replay.asked();
        assert!(
            asked[0].contains(r#""RecoveryWindowInDays":7"#)
                && !asked[0].contains("ForceDeleteWithoutRecovery"),
            "{asked:#?}"
        );

        let (aws, replay) = Replay::account(vec![secret_ok("DeleteSecret")]);
        infra::secret::delete(&aws, SECRET_ARN, SecretDeletion::Immediate)
            .await
            .unwrap();
        let asked = replay.asked();
        assert!(
            asked[0].contains(r#""ForceDeleteWithoutRecovery":true"#)
                && !asked[0].contains("RecoveryWindowInDays"),
            "{asked:#?}"
        );
    });
}

const SERVICE_ID: &str = "vpce-svc-0123456789abcdef0";
const CONNECTED: &str = "vpce-0aaaaaaaaaaaaaaaa";

#[test]
fn an_endpoint_service_whose_connections_cannot_all_be_rejected_is_left_and_named() {
    rt().block_on(async {
        let refused = format!(
            r#"<RejectVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r9</requestId><unsuccessful><item><error><code>InvalidState</code><message>The connection is pending deletion</message></error><resourceId>{CONNECTED}</resourceId></item></unsuccessful></RejectVpcEndpointConnectionsResponse>"#
        );
        let (aws, replay) =
            Replay::account(vec![xml("RejectVpcEndpointConnections", 200, &refused)]);
        let err = infra::endpoint_service::delete(&aws, SERVICE_ID, &[CONNECTED.to_owned()])
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("{CONNECTED} (The connection is pending deletion)"))
                && text.contains(&format!("--service-id {SERVICE_ID}")),
            "{text}"
        );
        let asked = replay.asked();
        assert_eq!(asked.len(), 1, "the service is not deleted: {asked:#?}");
    });
}

#[test]
fn an_endpoint_service_whose_deletion_fails_in_the_answers_body_is_not_claimed_gone() {
    rt().block_on(async {
        let rejected = r#"<RejectVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r10</requestId><unsuccessful/></RejectVpcEndpointConnectionsResponse>"#;
        // AWS answers 200 and names the service it could not delete in the body.
        let failed = format!(
            r#"<DeleteVpcEndpointServiceConfigurationsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r11</requestId><unsuccessful><item><error><code>ExistingVpcEndpointConnections</code><message>Service has existing active VPC Endpoint connections</message></error><resourceId>{SERVICE_ID}</resourceId></item></unsuccessful></DeleteVpcEndpointServiceConfigurationsResponse>"#
        );
        let (aws, replay) = Replay::account(vec![
            xml("RejectVpcEndpointConnections", 200, rejected),
            xml("DeleteVpcEndpointServiceConfigurations", 200, &failed),
        ]);
        let err = infra::endpoint_service::delete(&aws, SERVICE_ID, &[CONNECTED.to_owned()])
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("ExistingVpcEndpointConnections") && text.contains(SERVICE_ID),
            "{text}"
        );
        assert!(replay.all_answered());
        assert!(replay.asked()[0].contains(&format!("VpcEndpointId.1={CONNECTED}")));
    });
}

const DOMAIN_ARN: &str =
    "arn:aws:apigateway:us-east-1:111111111111:/domainnames/api.example.com+abc123";

fn domain_read(status: &str) -> Answer {
    json(
        "GET /domainnames/api.example.com?domainNameId=abc123",
        200,
        None,
        &format!(
            r#"{{"domainName":"api.example.com","domainNameId":"abc123","domainNameArn":"{DOMAIN_ARN}","domainNameStatus":"{status}","endpointConfiguration":{{"types":["PRIVATE"]}}}}"#
        ),
    )
}

fn domain_gone(method: &'static str) -> Answer {
    json(
        method,
        404,
        Some("NotFoundException"),
        r#"{"message":"Invalid domain name identifier specified"}"#,
    )
}

#[test]
fn a_domain_is_waited_for_until_aws_no_longer_knows_it_and_one_already_gone_counts() {
    rt().block_on(async {
        let ctx = context().await;
        let arn: xapi::ids::DomainArn = DOMAIN_ARN.parse().unwrap();
        let (aws, replay) = Replay::account(vec![
            json("DELETE /domainnames/api.example.com", 202, None, ""),
            domain_read("UPDATING"),
            domain_gone("GET /domainnames/api.example.com"),
        ]);
        infra::domain::delete(
            &aws,
            &arn,
            "api.example.com",
            &patience(&ctx, Duration::from_secs(30)),
        )
        .await
        .unwrap();
        let asked = replay.asked();
        assert_eq!(asked.len(), 3, "{asked:#?}");
        assert!(
            asked.iter().all(|a| a.contains("domainNameId=abc123")),
            "{asked:#?}"
        );

        // Deleted by someone else first: gone is gone, after one look.
        let (aws, replay) = Replay::account(vec![
            domain_gone("DELETE /domainnames/api.example.com"),
            domain_gone("GET /domainnames/api.example.com"),
        ]);
        infra::domain::delete(
            &aws,
            &arn,
            "api.example.com",
            &patience(&ctx, Duration::ZERO),
        )
        .await
        .unwrap();
        assert!(replay.all_answered());
    });
}

#[test]
fn a_domain_still_there_at_the_deadline_is_named_with_its_state() {
    rt().block_on(async {
        let ctx = context().await;
        let arn: xapi::ids::DomainArn = DOMAIN_ARN.parse().unwrap();
        let (aws, _) = Replay::account(vec![
            json("DELETE /domainnames/api.example.com", 202, None, ""),
            domain_read("AVAILABLE"),
        ]);
        let err = infra::domain::delete(
            &aws,
            &arn,
            "api.example.com",
            &patience(&ctx, Duration::ZERO),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("domain api.example.com to be deleted")
                && text.contains("last state: AVAILABLE"),
            "{text}"
        );
    });
}

fn ec2_ok(action: &'static str, body: &str) -> Answer {
    xml(
        action,
        200,
        &format!(
            r#"<{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r20</requestId><return>true</return>{body}</{action}Response>"#
        ),
    )
}

fn applier<'a>(ctx: &'a Context, aws: &'a Aws) -> infra::apply::Applier<'a> {
    infra::apply::Applier {
        ctx,
        aws,
        tags: vec![("xapi:stack".into(), "s".into())],
        timeout: Duration::from_secs(30),
        hint: "re-run to finish",
        secret_value: None,
        made: infra::apply::Made::default(),
    }
}

#[test]
fn the_applier_threads_a_group_it_made_into_the_rule_that_follows() {
    use xapi::plan::step::Step;
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![
            ec2_ok(
                "CreateSecurityGroup",
                "<groupId>sg-0fresh000000000001</groupId>",
            ),
            ec2_ok("AuthorizeSecurityGroupIngress", ""),
        ]);
        applier(&ctx, &aws)
            .apply_all([
                Step::CreateSecurityGroup {
                    name: "s-proxy".into(),
                    vpc_id: "vpc-0123456789abcdef0".into(),
                },
                Step::AuthorizeIngress {
                    port: 443,
                    cidrs: vec!["10.0.1.0/24".into()],
                },
            ])
            .await
            .unwrap();
        let asked = replay.asked();
        assert_eq!(
            actions(&asked),
            ["CreateSecurityGroup", "AuthorizeSecurityGroupIngress"]
        );
        assert!(
            asked[1].contains("GroupId=sg-0fresh000000000001"),
            "{}",
            asked[1]
        );

        // A rule planned with no group made or observed is a bug reported, not a call.
        let (aws, replay) = Replay::account(vec![]);
        let err = applier(&ctx, &aws)
            .apply(Step::AuthorizeIngress {
                port: 443,
                cidrs: vec!["10.0.1.0/24".into()],
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Unverified(m) if m.contains("before the security group existed")),
            "{err:?}"
        );
        assert!(replay.asked().is_empty());
    });
}

#[test]
fn the_applier_puts_a_v2_link_under_the_group_it_made_just_before() {
    use xapi::plan::step::Step;
    use xapi::plan::vpc_link::GroupSteps;
    rt().block_on(async {
        let ctx = context().await;
        let (aws, replay) = Replay::account(vec![
            ec2_ok(
                "CreateSecurityGroup",
                "<groupId>sg-0link0000000000001</groupId>",
            ),
            ec2_ok("AuthorizeSecurityGroupEgress", ""),
            ec2_ok("RevokeSecurityGroupEgress", ""),
            json("POST /v2/vpclinks", 201, None, &v2_link("PENDING", "")),
        ]);
        let mut run = applier(&ctx, &aws);
        run.apply_all([
            Step::LinkGroup(GroupSteps {
                create: Some(("vpc-0123456789abcdef0".into(), "s-link".into())),
                existing: None,
                egress: vec!["10.0.1.0/24".into()],
                revoke_open_egress: true,
            }),
            Step::CreateVpcLinkV2 {
                name: "s-link".into(),
                subnet_ids: vec!["subnet-0aaaaaaaaaaaaaaaa".into()],
            },
        ])
        .await
        .unwrap();
        let asked = replay.asked();
        assert_eq!(asked.len(), 4, "{asked:#?}");
        // Out TCP 443 first, then the open rule goes: never a group with no way out.
        assert!(
            asked[1].contains("AuthorizeSecurityGroupEgress")
                && asked[1].contains("GroupId=sg-0link0000000000001")
        );
        assert!(asked[2].contains("RevokeSecurityGroupEgress"));
        assert!(
            asked[3].contains(r#""securityGroupIds":["sg-0link0000000000001"]"#),
            "{}",
            asked[3]
        );
        assert_eq!(
            run.made.link_group.as_deref(),
            Some("sg-0link0000000000001")
        );
        assert!(
            run.made.link.is_some(),
            "the link is kept for the steps after it"
        );
    });
}

/// SSM is spoken to without its SDK crate (xapi's JSON 1.1 caller): a
/// throttled read is retried as the SDK retries, each AWS error code keeps
/// its meaning (absent, taken, denied), and every request is signed for SSM
/// in the region with the account's credentials, over exactly the bytes sent.
#[test]
fn the_lease_s_parameter_calls_retry_classify_and_sign_as_the_sdk_does() {
    let answers = vec![
        json(
            "AmazonSSM.GetParameter",
            400,
            None,
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        ),
        json(
            "AmazonSSM.GetParameter",
            200,
            None,
            r#"{"Parameter":{"Name":"/xapi/lease/a1","Type":"String","Value":"{\"token\":\"t\"}","Version":7}}"#,
        ),
        json(
            "AmazonSSM.GetParameter",
            400,
            None,
            r#"{"__type":"com.amazonaws.ssm#ParameterNotFound"}"#,
        ),
        json(
            "AmazonSSM.PutParameter",
            400,
            Some("ParameterAlreadyExists:http://internal.amazon.com/coral/com.amazonaws.ssm/"),
            r#"{"message":"The parameter already exists."}"#,
        ),
        json(
            "AmazonSSM.PutParameter",
            200,
            None,
            r#"{"Tier":"Standard","Version":8}"#,
        ),
        json(
            "AmazonSSM.DeleteParameter",
            400,
            None,
            r#"{"__type":"AccessDeniedException","Message":"User: arn:aws:sts::111111111111:assumed-role/ops/s is not authorized to perform: ssm:DeleteParameter on resource: arn:aws:ssm:us-east-1:111111111111:parameter/xapi/lease/a1"}"#,
        ),
    ];
    let retry = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1));
    let (aws, replay) = Replay::account_retrying(answers, retry);
    let name = "/xapi/lease/a1";
    rt().block_on(async {
        let read = aws.parameter(name).await.unwrap().unwrap();
        assert_eq!((read.value.as_str(), read.version), (r#"{"token":"t"}"#, 7));
        assert_eq!(aws.parameter(name).await.unwrap(), None);
        assert_eq!(aws.create_parameter(name, "v").await.unwrap(), None);
        assert_eq!(aws.overwrite_parameter(name, "v").await.unwrap(), 8);
        match aws.delete_parameter(name).await {
            Err(Error::Denied { action, .. }) => assert_eq!(action, "ssm:DeleteParameter"),
            other => panic!("a denied delete was {other:?}"),
        }
    });
    assert!(replay.all_answered(), "{:?}", replay.asked());
    let targets: Vec<String> = replay
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.headers().get("x-amz-target").unwrap_or("-").to_owned())
        .collect();
    assert_eq!(
        targets,
        [
            "AmazonSSM.GetParameter",
            "AmazonSSM.GetParameter",
            "AmazonSSM.GetParameter",
            "AmazonSSM.PutParameter",
            "AmazonSSM.PutParameter",
            "AmazonSSM.DeleteParameter"
        ]
    );
    let asked = replay.asked();
    assert!(asked[3].contains(r#""Overwrite":false"#), "{}", asked[3]);
    assert!(asked[4].contains(r#""Overwrite":true"#), "{}", asked[4]);
    for request in replay.sent.lock().unwrap().iter() {
        assert_signed_for_ssm(request);
    }
}

/// The request's SigV4 signature is the one computed afresh over what was
/// sent: method, URL, every signed header and the body, for SSM in us-east-1.
fn assert_signed_for_ssm(request: &HttpRequest) {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};

    let headers = request.headers();
    let authorization = headers.get("authorization").expect("a signed request");
    let date = headers.get("x-amz-date").expect("a signing time");
    let scope = format!(
        "Credential=AKIDREPLAY/{}/us-east-1/ssm/aws4_request",
        &date[..8]
    );
    assert!(authorization.contains(&scope), "{authorization}");
    let signed: Vec<&str> = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .expect("signed headers")
        .split(';')
        .collect();
    for needed in ["content-type", "host", "x-amz-date", "x-amz-target"] {
        assert!(
            signed.contains(&needed),
            "{needed} unsigned: {authorization}"
        );
    }
    let field = |at: std::ops::Range<usize>| date[at].parse::<u8>().expect("x-amz-date");
    let year: i32 = date[..4].parse().expect("x-amz-date");
    let day = time::Date::from_calendar_date(
        year,
        time::Month::try_from(field(4..6)).unwrap(),
        field(6..8),
    )
    .unwrap();
    let time = day
        .with_hms(field(9..11), field(11..13), field(13..15))
        .unwrap()
        .assume_utc();
    let identity = Credentials::new("AKIDREPLAY", "secret", None, None, "replay").into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("ssm")
        .time(time.into())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let body = request.body().bytes().expect("a body in memory");
    let signable = SignableRequest::new(
        request.method(),
        request.uri(),
        headers
            .iter()
            .filter(|(k, _)| signed.contains(k) && *k != "host"),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (_, expected) = sign(signable, &params).unwrap().into_parts();
    assert!(
        authorization.ends_with(&format!("Signature={expected}")),
        "{authorization} is not signed over what was sent (expected {expected})"
    );
}
