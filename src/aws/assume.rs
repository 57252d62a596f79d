//! `--role-arn`: the role's credentials, and who they are. AWS names the
//! session in AssumeRole's own answer (`AssumedRoleUser.Arn`, the ARN
//! GetCallerIdentity would give), so a command that assumed a role never asks
//! STS who it is: one request fewer per command, on the path of every write.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials};
use aws_credential_types::Credentials;
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use tokio::sync::Mutex;

use super::error::{classify_ref, find_source, no_credentials, sts};
use crate::error::Error;
use crate::model::CallerIdentity;

/// What AssumeRole answered, kept until shortly before it expires.
#[derive(Debug, Clone)]
struct Session {
    credentials: Credentials,
    identity: CallerIdentity,
}

/// Credentials renewed this long before they expire, so that no request is
/// signed with credentials that lapse in flight.
const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// The assumed role of one command (or of one account of an audit): one
/// AssumeRole however many clients and concurrent requests ask, until the
/// session nears its expiry.
#[derive(Debug)]
pub struct AssumedRole {
    sts: aws_sdk_sts::Client,
    role_arn: String,
    session_name: &'static str,
    session: Mutex<Option<Session>>,
}

impl AssumedRole {
    /// AssumeRole is called with `base`'s credentials, endpoint URL, retries
    /// and timeouts: with a local emulator it never reaches real STS.
    pub fn new(base: &SdkConfig, role_arn: &str, session_name: &'static str) -> Arc<Self> {
        Arc::new(AssumedRole {
            sts: aws_sdk_sts::Client::new(base),
            role_arn: role_arn.to_owned(),
            session_name,
            session: Mutex::new(None),
        })
    }

    /// Who the role's session is: what AssumeRole answered (assuming the
    /// role now if no request has yet). A refusal is classified as any
    /// other call's: a denied AssumeRole names `sts:AssumeRole` and the role.
    pub async fn identity(&self) -> Result<CallerIdentity, Error> {
        self.session().await.map(|s| s.identity).map_err(|e| {
            match find_source::<SdkError<AssumeRoleError, HttpResponse>>(&e) {
                Some(refused) => classify_ref(sts::AssumeRole, &self.role_arn, refused),
                None => no_credentials(&e),
            }
        })
    }

    async fn session(&self) -> Result<Session, CredentialsError> {
        let mut held = self.session.lock().await;
        if let Some(s) = held
            .as_ref()
            .filter(|s| !renew_due(&s.credentials, SystemTime::now()))
        {
            return Ok(s.clone());
        }
        let out = self
            .sts
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(self.session_name)
            .send()
            .await
            .map_err(CredentialsError::provider_error)?;
        let (Some(c), Some(user)) = (out.credentials(), out.assumed_role_user()) else {
            return Err(CredentialsError::unhandled(format!(
                "STS answered AssumeRole on {} without credentials or the assumed role's ARN",
                self.role_arn
            )));
        };
        let expiry = SystemTime::try_from(c.expiration).map_err(CredentialsError::unhandled)?;
        let session = Session {
            credentials: Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token().to_owned()),
                Some(expiry),
                "xapi-assume-role",
            ),
            identity: identity_of(user.arn())?,
        };
        *held = Some(session.clone());
        Ok(session)
    }
}

fn renew_due(credentials: &Credentials, now: SystemTime) -> bool {
    credentials
        .expiry()
        .is_some_and(|expiry| expiry <= now + RENEW_BEFORE)
}

/// `arn:aws:sts::<account>:assumed-role/<role>/<session>`: the account is
/// the ARN's fifth field.
fn identity_of(arn: &str) -> Result<CallerIdentity, CredentialsError> {
    match arn.split(':').nth(4) {
        Some(account) if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(CallerIdentity {
                account: account.to_owned(),
                arn: arn.to_owned(),
            })
        }
        _ => Err(CredentialsError::unhandled(format!(
            "STS named the assumed role '{arn}', which is not an assumed-role ARN with an account id"
        ))),
    }
}

/// The SDK's clients ask through this (behind their own identity cache).
#[derive(Debug, Clone)]
pub struct AssumedRoleCredentials(pub Arc<AssumedRole>);

impl ProvideCredentials for AssumedRoleCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(
            async move { self.0.session().await.map(|s| s.credentials) },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_read_from_the_assumed_role_arn() {
        let id = identity_of("arn:aws:sts::111122223333:assumed-role/deployer/xapi").unwrap();
        assert_eq!(id.account, "111122223333");
        assert_eq!(
            id.arn,
            "arn:aws:sts::111122223333:assumed-role/deployer/xapi"
        );
        assert_eq!(
            identity_of("arn:aws-cn:sts::111122223333:assumed-role/r/xapi")
                .unwrap()
                .account,
            "111122223333"
        );
    }

    #[test]
    fn an_arn_without_an_account_id_is_refused_and_named() {
        for bad in [
            "",
            "arn:aws:sts:::assumed-role/r/xapi",
            "arn:aws:sts::11112222333:assumed-role/r/xapi",
            "arn:aws:sts::11112222333x:assumed-role/r/xapi",
        ] {
            let e = identity_of(bad).unwrap_err();
            assert!(format!("{e:?}").contains(bad), "{e:?}");
        }
    }

    #[test]
    fn credentials_are_renewed_five_minutes_before_they_expire() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let expiring =
            |secs| Credentials::new("a", "s", None, Some(now + Duration::from_secs(secs)), "t");
        assert!(!renew_due(&expiring(301), now));
        assert!(renew_due(&expiring(300), now));
        assert!(renew_due(&expiring(0), now));
        assert!(!renew_due(
            &Credentials::new("a", "s", None, None, "t"),
            now
        ));
    }
}
