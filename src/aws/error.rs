//! Classifying SDK errors by type and code, never by message text.

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::Error;

/// Convert an SDK error from `operation` on `resource` into our error.
pub fn classify<E, R>(
    operation: &'static str,
    resource: impl Into<String>,
    err: SdkError<E, R>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let resource = resource.into();
    if let SdkError::ServiceError(service) = &err {
        let code = service.err().code().unwrap_or("Unknown").to_owned();
        let message = service.err().message().unwrap_or("no message").to_owned();
        if is_not_found_code(&code) {
            return Error::not_found(resource, format!("{code}: {message}"));
        }
        return Error::Aws {
            operation,
            resource,
            code,
            message,
        };
    }
    if let Some(cred) = find_source::<CredentialsError>(&err) {
        return Error::NoCredentials(match cred {
            CredentialsError::CredentialsNotLoaded(_) => {
                "none found in the environment, the profile, web identity, ECS or instance metadata"
                    .to_owned()
            }
            other => one_line(other),
        });
    }
    let timed_out = match &err {
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
                one_line(&err)
            ),
        };
    }
    let kind = match &err {
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
        message: one_line(&err),
    }
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

fn find_source<'a, T: std::error::Error + 'static>(
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
}
