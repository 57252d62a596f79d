//! Classifying SDK errors by type and code, never by message text.

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::Error;

/// One AWS operation xapi calls: its name, as errors show it, and the IAM
/// action a denial of it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub service: &'static str,
    pub name: &'static str,
    pub action: &'static str,
}

impl Operation {
    /// The same call, shown under a more precise name (`UpdateRestApi /policy`).
    #[must_use]
    pub const fn labelled(self, name: &'static str) -> Self {
        Self { name, ..self }
    }
}

/// Builds one module per service, one `Operation` per call in it, and
/// [`ALL`]. Without an explicit action the IAM action is
/// `{service}:{operation}`; API Gateway's (v1 and v2 alike) are HTTP verbs,
/// so each is written out.
macro_rules! operations {
    ($($service:ident { $($name:ident $(=> $action:literal)?,)* })*) => {
        $(
            #[allow(non_upper_case_globals)]
            pub mod $service {
                use super::Operation;
                $(pub const $name: Operation = Operation {
                    service: stringify!($service),
                    name: stringify!($name),
                    action: operations!(@action $service $name $($action)?),
                };)*
            }
        )*
        /// Every operation xapi calls; adapters name them from here, so a
        /// call without an IAM action does not compile.
        pub const ALL: &[Operation] = &[$($($service::$name,)*)*];
    };
    (@action $service:ident $name:ident $action:literal) => { $action };
    (@action $service:ident $name:ident) => {
        concat!(stringify!($service), ":", stringify!($name))
    };
}

operations! {
    acm {
        DescribeCertificate,
    }
    apigateway {
        CreateBasePathMapping => "apigateway:POST",
        CreateDeployment => "apigateway:POST",
        CreateDomainName => "apigateway:POST",
        CreateDomainNameAccessAssociation => "apigateway:POST",
        CreateResource => "apigateway:POST",
        CreateRestApi => "apigateway:POST",
        CreateVpcLink => "apigateway:POST",
        DeleteDomainName => "apigateway:DELETE",
        DeleteDomainNameAccessAssociation => "apigateway:DELETE",
        DeleteRestApi => "apigateway:DELETE",
        DeleteVpcLink => "apigateway:DELETE",
        GetBasePathMappings => "apigateway:GET",
        GetDeployment => "apigateway:GET",
        GetDeployments => "apigateway:GET",
        GetDomainName => "apigateway:GET",
        GetDomainNameAccessAssociations => "apigateway:GET",
        GetDomainNames => "apigateway:GET",
        GetExport => "apigateway:GET",
        GetIntegration => "apigateway:GET",
        GetMethod => "apigateway:GET",
        GetResources => "apigateway:GET",
        GetRestApi => "apigateway:GET",
        GetRestApis => "apigateway:GET",
        GetStages => "apigateway:GET",
        GetVpcLink => "apigateway:GET",
        GetVpcLinks => "apigateway:GET",
        PutIntegration => "apigateway:PUT",
        PutMethod => "apigateway:PUT",
        RejectDomainNameAccessAssociation => "apigateway:POST",
        UpdateDomainName => "apigateway:PATCH",
        UpdateMethod => "apigateway:PATCH",
        UpdateRestApi => "apigateway:PATCH",
    }
    apigatewayv2 {
        CreateVpcLink => "apigateway:POST",
        DeleteVpcLink => "apigateway:DELETE",
        GetVpcLink => "apigateway:GET",
        GetVpcLinks => "apigateway:GET",
    }
    ec2 {
        AcceptVpcEndpointConnections,
        AuthorizeSecurityGroupEgress,
        AuthorizeSecurityGroupIngress,
        CreateSecurityGroup,
        CreateVpcEndpoint,
        CreateVpcEndpointServiceConfiguration,
        DeleteSecurityGroup,
        DeleteVpcEndpointServiceConfigurations,
        DescribeNetworkInterfaces,
        DescribeRegions,
        DescribeSecurityGroupRules,
        DescribeSecurityGroups,
        DescribeSubnets,
        DescribeVpcAttribute,
        DescribeVpcEndpointConnections,
        DescribeVpcEndpointServiceConfigurations,
        DescribeVpcEndpointServicePermissions,
        DescribeVpcEndpoints,
        DescribeVpcs,
        ModifyVpcEndpointServicePermissions,
        RejectVpcEndpointConnections,
        RevokeSecurityGroupEgress,
        RevokeSecurityGroupIngress,
    }
    ecs {
        CreateCluster,
        CreateService,
        DeleteCluster,
        DeleteService,
        DeregisterTaskDefinition,
        DescribeClusters,
        DescribeServices,
        DescribeTaskDefinition,
        ListClusters,
        ListServices,
        ListTaskDefinitions,
        RegisterTaskDefinition,
        UpdateService,
    }
    elasticloadbalancing {
        CreateListener,
        CreateLoadBalancer,
        CreateTargetGroup,
        DeleteLoadBalancer,
        DeleteTargetGroup,
        DeregisterTargets,
        DescribeListeners,
        DescribeLoadBalancerAttributes,
        DescribeLoadBalancers,
        DescribeTags,
        DescribeTargetGroups,
        DescribeTargetHealth,
        ModifyLoadBalancerAttributes,
        ModifyTargetGroup,
        RegisterTargets,
    }
    lambda {
        GetFunctionConfiguration,
    }
    organizations {
        ListAccounts,
    }
    ram {
        AcceptResourceShareInvitation,
        AssociateResourceShare,
        CreateResourceShare,
        DeleteResourceShare,
        DisassociateResourceShare,
        GetResourceShareAssociations,
        GetResourceShareInvitations,
        GetResourceShares,
    }
    route53 {
        ChangeResourceRecordSets,
        CreateHostedZone,
        DeleteHostedZone,
        ListHostedZones,
        ListHostedZonesByVPC,
        ListResourceRecordSets,
    }
    secretsmanager {
        CreateSecret,
        DeleteSecret,
        DescribeSecret,
        GetSecretValue,
        ListSecrets,
        PutSecretValue,
        RestoreSecret,
    }
    ssm {
        DeleteParameter,
        GetParameter,
        PutParameter,
    }
    sts {
        AssumeRole,
        GetCallerIdentity,
    }
}

/// A 404 that names no error: the endpoint has no such operation at all (an
/// emulator's unimplemented route), which AWS never answers to a call it offers.
pub fn is_unoffered<E>(
    err: &SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> bool
where
    E: ProvideErrorMetadata,
{
    matches!(err, SdkError::ServiceError(s) if s.raw().status().as_u16() == 404 && s.err().code().is_none())
}

/// Convert an SDK error from `operation` on `resource` into our error.
pub fn classify<E, R>(call: Operation, resource: impl Into<String>, err: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    classify_ref(call, resource, &err)
}

/// [`classify`] for an SDK error only borrowed: one inside a credentials
/// provider's error, say.
pub fn classify_ref<E, R>(
    call: Operation,
    resource: impl Into<String>,
    err: &SdkError<E, R>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let resource = resource.into();
    let operation = call.name;
    if let SdkError::ServiceError(service) = err {
        let code = service.err().code().unwrap_or("Unknown").to_owned();
        let message = service.err().message().unwrap_or("no message").to_owned();
        if is_not_found_code(&code) {
            return Error::not_found(resource, format!("{code}: {message}"));
        }
        if is_denied_code(&code) {
            let (named_identity, named_action) = parse_denial(&message);
            return Error::Denied {
                action: named_action.unwrap_or_else(|| call.action.to_owned()),
                identity: named_identity.unwrap_or_else(|| {
                    "the identity xapi runs as (`aws sts get-caller-identity` shows it)".to_owned()
                }),
                operation,
                resource,
                aws_said: format!("{code}: {message}"),
            };
        }
        if is_throttling_code(&code) {
            return Error::Throttled {
                operation,
                resource,
                code,
                message,
                attempts: super::retry::max_attempts(),
            };
        }
        return Error::Aws {
            operation,
            resource,
            code,
            message,
        };
    }
    if let Some(cred) = find_source::<CredentialsError>(err) {
        return no_credentials(cred);
    }
    let timed_out = match err {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(d) => d.is_timeout(),
        _ => false,
    };
    if timed_out {
        return Error::Aws {
            operation,
            resource,
            code: "Timeout".into(),
            message: format!(
                "{}; AWS did not answer in time on any attempt: check the network path to AWS, or raise --read-timeout / --connect-timeout and AWS_MAX_ATTEMPTS",
                one_line(err)
            ),
        };
    }
    let kind = match err {
        SdkError::TimeoutError(_) => "Timeout",
        SdkError::DispatchFailure(_) => "DispatchFailure",
        SdkError::ResponseError(_) => "ResponseError",
        SdkError::ConstructionFailure(_) => "ConstructionFailure",
        _ => "RequestFailed",
    };
    Error::Aws {
        operation,
        resource,
        code: kind.into(),
        message: one_line(err),
    }
}

/// Credentials that could not be had, however the request learnt it.
pub(crate) fn no_credentials(cred: &CredentialsError) -> Error {
    Error::NoCredentials(match cred {
        CredentialsError::CredentialsNotLoaded(_) => {
            "none found in the environment, the profile, web identity, ECS or instance metadata"
                .to_owned()
        }
        other => one_line(other),
    })
}

/// The error and its causes on one line, each said once.
fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string().replace('\n', " ");
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// AWS spells "not found" as `InvalidVpcID.NotFound`, `NotFoundException`,
/// `TargetGroupNotFound`, `LoadBalancerNotFound`, `ResourceNotFoundException`...
fn is_not_found_code(code: &str) -> bool {
    code.ends_with("NotFound")
        || code.ends_with("NotFoundException")
        || code.ends_with(".Malformed")
}

/// AWS spells "not allowed" per service: `AccessDenied` (IAM, S3, STS),
/// `AccessDeniedException` (most JSON services), `UnauthorizedOperation` (EC2),
/// `AuthorizationError` (SNS), `UnauthorizedException` / `ForbiddenException`
/// (API Gateway, Lambda).
fn is_denied_code(code: &str) -> bool {
    matches!(
        code,
        "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "AuthorizationError"
            | "AuthorizationErrorException"
            | "UnauthorizedException"
            | "Forbidden"
            | "ForbiddenException"
    )
}

/// The codes the SDK's retry policy treats as throttling; seeing one here
/// means every retry was throttled too.
fn is_throttling_code(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "RequestThrottled"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "RequestLimitExceeded"
            | "BandwidthLimitExceeded"
            | "LimitExceededException"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "EC2ThrottledException"
    )
}

/// AWS usually names the caller and the action it refused:
/// "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: ec2:DescribeVpcs ...".
fn parse_denial(message: &str) -> (Option<String>, Option<String>) {
    let word_after = |marker: &str| {
        message.find(marker).and_then(|at| {
            message[at + marker.len()..]
                .split_whitespace()
                .next()
                .map(|w| w.trim_end_matches([',', '.', ';']).to_owned())
                .filter(|w| !w.is_empty())
        })
    };
    let identity = word_after("User: ").filter(|w| w.starts_with("arn:"));
    let action = word_after("to perform: ").filter(|w| w.contains(':'));
    (identity, action)
}

pub(super) fn find_source<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_codes() {
        for code in [
            "InvalidVpcID.NotFound",
            "InvalidSubnetID.NotFound",
            "NotFoundException",
            "TargetGroupNotFound",
            "InvalidVpcEndpointId.NotFound",
            "ResourceNotFoundException",
            "ClusterNotFoundException",
        ] {
            assert!(is_not_found_code(code), "{code}");
        }
        for code in [
            "UnauthorizedOperation",
            "TooManyRequestsException",
            "Throttling",
        ] {
            assert!(!is_not_found_code(code), "{code}");
        }
    }

    #[test]
    fn denied_and_throttling_codes_do_not_overlap() {
        for code in [
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "AuthorizationError",
        ] {
            assert!(is_denied_code(code), "{code}");
            assert!(!is_throttling_code(code), "{code}");
            assert!(!is_not_found_code(code), "{code}");
        }
        for code in [
            "Throttling",
            "ThrottlingException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
        ] {
            assert!(is_throttling_code(code), "{code}");
            assert!(!is_denied_code(code), "{code}");
        }
        // Near misses are not classified: an unknown code stays a plain AWS error.
        for code in [
            "AuthFailure",
            "InvalidParameterValue",
            "AccessDeniedish",
            "",
        ] {
            assert!(!is_denied_code(code), "{code}");
            assert!(!is_throttling_code(code), "{code}");
        }
    }

    #[test]
    fn denial_names_identity_and_action_when_aws_does() {
        let (who, what) = parse_denial(
            "User: arn:aws:sts::111122223333:assumed-role/ops/me is not authorized to perform: ec2:DescribeVpcEndpoints because no identity-based policy allows it",
        );
        assert_eq!(
            who.as_deref(),
            Some("arn:aws:sts::111122223333:assumed-role/ops/me")
        );
        assert_eq!(what.as_deref(), Some("ec2:DescribeVpcEndpoints"));
        assert_eq!(
            parse_denial("You are not authorized to perform this operation."),
            (None, None)
        );
        assert_eq!(parse_denial("User: anonymous is not"), (None, None));
    }

    #[test]
    fn the_iam_action_comes_from_the_table() {
        assert_eq!(ec2::DescribeVpcs.action, "ec2:DescribeVpcs");
        assert_eq!(
            elasticloadbalancing::DescribeLoadBalancers.action,
            "elasticloadbalancing:DescribeLoadBalancers"
        );
        assert_eq!(apigateway::UpdateRestApi.action, "apigateway:PATCH");
        assert_eq!(apigateway::GetRestApi.action, "apigateway:GET");
        assert_eq!(apigateway::CreateDeployment.action, "apigateway:POST");
        // A v2 link is an apigatewayv2 call, but IAM knows only `apigateway:`.
        assert_eq!(apigatewayv2::CreateVpcLink.action, "apigateway:POST");
        assert_eq!(apigatewayv2::GetVpcLinks.action, "apigateway:GET");
        let policy = apigateway::UpdateRestApi.labelled("UpdateRestApi /policy");
        assert_eq!(
            (policy.name, policy.action),
            ("UpdateRestApi /policy", "apigateway:PATCH")
        );
    }

    /// API Gateway's IAM actions are the HTTP verb of the call, whatever the
    /// SDK crate (an apigatewayv2 `CreateApi` is `apigateway:POST` too); every
    /// other service's is `{service}:{operation}`.
    #[test]
    fn every_operation_has_its_services_action() {
        let mut seen = std::collections::BTreeSet::new();
        for op in ALL {
            assert!(seen.insert((op.service, op.name)), "{op:?} listed twice");
            if op.service.starts_with("apigateway") {
                let verb = [
                    ("Get", "GET"),
                    ("Create", "POST"),
                    ("Put", "PUT"),
                    ("Update", "PATCH"),
                    ("Delete", "DELETE"),
                    // POST /rejectdomainnameaccessassociations
                    ("Reject", "POST"),
                ]
                .iter()
                .find(|(prefix, _)| op.name.starts_with(prefix))
                .map(|(_, verb)| *verb);
                assert_eq!(
                    Some(op.action),
                    verb.map(|v| format!("apigateway:{v}")).as_deref(),
                    "{op:?}"
                );
            } else {
                assert_eq!(op.action, format!("{}:{}", op.service, op.name), "{op:?}");
            }
        }
    }

    #[test]
    fn messages_say_what_to_allow_and_what_to_raise() {
        let denied = Error::Denied {
            operation: "UpdateRestApi",
            resource: "abc123".into(),
            aws_said: "AccessDeniedException: nope".into(),
            action: "apigateway:PATCH".into(),
            identity: "arn:aws:iam::1:user/u".into(),
        }
        .to_string();
        assert!(denied.contains("UpdateRestApi on abc123"), "{denied}");
        assert!(
            denied.contains("allow apigateway:PATCH for arn:aws:iam::1:user/u"),
            "{denied}"
        );
        let throttled = Error::Throttled {
            operation: "GetRestApis",
            resource: "us-east-1".into(),
            code: "TooManyRequestsException".into(),
            message: "slow down".into(),
            attempts: 8,
        };
        assert_eq!(throttled.exit_code(), crate::error::exit::AWS);
        let throttled = throttled.to_string();
        assert!(throttled.contains("all 8 attempts"), "{throttled}");
        assert!(throttled.contains("AWS_MAX_ATTEMPTS"), "{throttled}");
    }
}
