//! Private custom domain names: made once (no idempotency token, names not
//! unique, one create per 30 s per account), waited for, and deleted only
//! when they carry the stack's tag. Planned by [`crate::plan::domain`].

use std::time::Duration;

use crate::aws::domain::{DomainOwner, NewPrivateDomain};
use crate::aws::Aws;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::DomainArn;
use crate::model::DomainName;
use crate::output;
use crate::plan::domain::stack_domains;
use crate::poll::{poll_until, Poll, Wait};

/// API Gateway takes one CreateDomainName (and one DeleteDomainName) per 30
/// seconds per account.
const CREATE_PACE: Duration = Duration::from_secs(30);
const CREATE_ATTEMPTS: u32 = 4;
/// A server error on a create is retried after this, once nothing was made.
const SERVER_ERROR_PAUSE: Duration = Duration::from_millis(500);

/// The stack's private domains named `name`, read from this account's listing.
pub async fn stack_domain(aws: &Aws, name: &str, stack: &str) -> Result<Vec<DomainName>> {
    let mine = aws.domain_names(DomainOwner::Mine).await?;
    let same: Vec<DomainName> = mine.into_iter().filter(|d| d.name == name).collect();
    Ok(stack_domains(&same, stack).into_iter().cloned().collect())
}

/// Create the domain. After any failure the listing is read first: a create
/// whose answer was lost may have made it, and a second call would make a
/// second domain of the same name.
pub async fn create(aws: &Aws, spec: &NewPrivateDomain, stack: &str) -> Result<DomainName> {
    output::note(&format!("creating private domain name {}", spec.name));
    let mut attempt = 0;
    loop {
        attempt += 1;
        let err = match aws.create_private_domain(spec).await {
            Ok(d) => return Ok(d),
            Err(e) => e,
        };
        if let Some(made) = stack_domain(aws, &spec.name, stack)
            .await?
            .into_iter()
            .next()
        {
            return Ok(made);
        }
        let pause = match &err {
            Error::Throttled { .. } => CREATE_PACE,
            Error::Aws { code, .. } if worth_another_try(code) => SERVER_ERROR_PAUSE,
            _ => return Err(err),
        };
        if attempt >= CREATE_ATTEMPTS {
            return Err(err);
        }
        tracing::debug!(
            attempt,
            ?pause,
            "CreateDomainName refused for now; trying again"
        );
        tokio::time::sleep(pause).await;
    }
}

/// Server errors and lost answers: the create may be tried again once the
/// listing shows it made nothing.
/// Delete the domain (and with it its mappings), waiting out the shared
/// 1-per-30-s rate of CreateDomainName and DeleteDomainName when throttled.
pub async fn delete(aws: &Aws, arn: &DomainArn) -> Result<()> {
    output::note(&format!("deleting domain {arn}"));
    let mut attempt = 0;
    loop {
        attempt += 1;
        match aws.delete_domain_name(arn).await {
            Err(Error::Throttled { .. }) if attempt < CREATE_ATTEMPTS => {
                tokio::time::sleep(CREATE_PACE).await;
            }
            Ok(()) | Err(Error::NotFound { .. }) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

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
