//! Private custom domain names: made once (no idempotency token, names not
//! unique, one create per 30 s per account), waited for, and deleted only
//! when they carry the stack's tag. Planned by [`crate::plan::domain`].

use std::time::Duration;

use super::Patience;
use crate::aws::domain::{DomainOwner, NewPrivateDomain};
use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::DomainArn;
use crate::model::DomainName;
use crate::output;
use crate::plan::domain::{arn_of, stack_domains};
use crate::poll::{poll_until, Poll, Wait};

/// API Gateway takes one CreateDomainName (and one DeleteDomainName) per 30
/// seconds per account.
const PACE: Duration = Duration::from_secs(30);
/// Calls of either, in all, before giving up.
const ATTEMPTS: u32 = 4;
/// A server error on a create is retried after this, once nothing was made.
const SERVER_ERROR_PAUSE: Duration = Duration::from_millis(500);

/// This account's domains named `name`, public and private.
pub async fn same_name(aws: &Aws, name: &str) -> Result<Vec<DomainName>> {
    let mine = aws.domain_names(DomainOwner::Mine).await?;
    Ok(mine.into_iter().filter(|d| d.name == name).collect())
}

/// The domain's ARN in this account and Region; `None` for a domain with no
/// id (a public one). The caller's identity is read once per run.
pub async fn arn(aws: &Aws, d: &DomainName) -> Result<Option<DomainArn>> {
    let region = aws.region();
    let partition = crate::region::partition(region).unwrap_or("aws");
    let account = aws.caller_identity().await?.account;
    Ok(arn_of(d, partition, region, &account))
}

/// Create the domain and give its ARN. After any failure the listing is read
/// first: a create whose answer was lost may have made it, and a second call
/// would make a second domain of the same name.
pub async fn create(aws: &Aws, spec: &NewPrivateDomain, stack: &str) -> Result<DomainArn> {
    output::note(&format!("creating private domain name {}", spec.name));
    let mut attempt = 0;
    let made = loop {
        attempt += 1;
        let err = match aws.create_private_domain(spec).await {
            Ok(d) => break d,
            Err(e) => e,
        };
        let listed = same_name(aws, &spec.name).await?;
        if let Some(made) = stack_domains(&listed, stack).into_iter().next() {
            break made.clone();
        }
        let pause = match &err {
            Error::Throttled { .. } => PACE,
            Error::Aws { code, .. } if worth_another_try(code) => SERVER_ERROR_PAUSE,
            _ => return Err(err),
        };
        if attempt >= ATTEMPTS {
            return Err(err);
        }
        tracing::debug!(
            attempt,
            ?pause,
            "CreateDomainName refused for now; trying again"
        );
        tokio::time::sleep(pause).await;
    };
    arn(aws, &made).await?.ok_or_else(|| {
        Error::Unverified(format!(
            "CreateDomainName answered with no domainNameId for {}; find it with \
             `aws apigateway get-domain-names --resource-owner SELF`",
            spec.name
        ))
    })
}

/// Delete the domain (and with it its mappings), waiting out the shared
/// 1-per-30-s rate of CreateDomainName and DeleteDomainName when throttled,
/// then until it is gone.
pub async fn delete(aws: &Aws, arn: &DomainArn, name: &str, patience: &Patience<'_>) -> Result<()> {
    output::note(&format!("deleting domain {arn}"));
    let mut attempt = 0;
    loop {
        attempt += 1;
        match aws.delete_domain_name(arn).await {
            Err(Error::Throttled { .. }) if attempt < ATTEMPTS => {
                tokio::time::sleep(PACE).await;
            }
            Ok(()) | Err(Error::NotFound { .. }) => break,
            Err(e) => return Err(e),
        }
    }
    poll_until(
        patience.wait(format!("domain {name} to be deleted")),
        || async {
            match aws.domain_name(arn).await {
                Ok(d) => Ok(Poll::Pending(d.status.unwrap_or_default())),
                Err(Error::NotFound { .. }) => Ok(Poll::Ready(())),
                Err(e) => Err(e),
            }
        },
    )
    .await
}

/// Server errors and lost answers: the create may be tried again once the
/// listing shows it made nothing.
fn worth_another_try(code: &str) -> bool {
    matches!(
        code,
        "InternalFailure"
            | "InternalServerError"
            | "ServiceUnavailable"
            | "ServiceUnavailableException"
            | "Timeout"
            | "DispatchFailure"
    )
}

/// Wait until the domain is AVAILABLE; FAILED and the certificate states
/// carry AWS's message.
pub async fn await_available(
    ctx: &Context,
    aws: &Aws,
    arn: &DomainArn,
    timeout: Duration,
) -> Result<DomainName> {
    let wait = Wait {
        what: format!("domain {} to become AVAILABLE", arn.name()),
        timeout,
        hint: format!(
            "a private domain takes about 15 minutes on AWS: re-run later (the domain is \
             reused) or watch `xapi domain show --domain {arn}`"
        ),
        ctx: Some(ctx),
    };
    poll_until(wait, || async {
        let d = aws.domain_name(arn).await?;
        match d.status.as_deref() {
            Some("AVAILABLE") => Ok(Poll::Ready(d)),
            Some(s @ ("PENDING" | "UPDATING")) => Ok(Poll::Pending(s.to_owned())),
            other => Err(Error::Aws {
                operation: "CreateDomainName",
                resource: arn.to_string(),
                code: "DomainNameFailed".into(),
                message: format!(
                    "the domain is {}{}; fix the certificate or delete the domain \
                     (`xapi teardown --stack <stack>`) and re-run",
                    other.unwrap_or("of unknown status"),
                    d.status_message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
            }),
        }
    })
    .await
}
