//! Pattern 3: an mTLS front door for a private REST API.
//!
//! Private REST APIs cannot require client certificates, so the producer runs
//! NGINX in front of the API: it terminates mutual TLS, admits only clients
//! whose certificate chains to our CA, and forwards them over TLS to
//! `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/` through the
//! proxy VPC's own execute-api endpoint.
//!
//! * [`write_certs`] issues the CA, server and client certificates (ECDSA P-256).
//! * [`render`] produces the `nginx.conf`, `Dockerfile` and entrypoint for the proxy.
//! * [`secret_payload`] packs the certificates for a container without volumes.
//! * [`revoke_client`] puts a client on the CRL the proxy enforces (`ssl_crl`);
//!   [`refresh_chain_crls`] replaces the CRLs of the CAs above the issuing one;
//!   [`crl_coverage`] says whether every CA of the chain has a current CRL.
//! * [`issuer_pin_conf`] admits only the issuing CA's clients when `ca.pem`
//!   must carry a root shared with other CAs (see the module for why it holds).
//!
//! The proxy tells the API who the caller is in [`CLIENT_SUBJECT_HEADER`]
//! (the verified client certificate's subject DN in RFC 2253 form, e.g.
//! `CN=alice`). NGINX replaces any header of that name sent by the client, so
//! the API may trust it as long as the API is reachable only through the proxy.
//!
//! This module is a self-contained unit: it uses only `self::`/`super::`
//! paths so it builds both as `crate::mtls` and as a crate root.

mod ca;
mod certs;
mod crl;
mod pin;
mod render;
mod secret;

use std::path::PathBuf;

pub use self::certs::{write_certs, CertRequest, IssuedFile};
pub use self::crl::{
    crl_coverage, read_crls, refresh_chain_crls, revoke_client, CrlCoverage, CrlInfo, CrlState,
    RefreshOutcome, RevokeOutcome, RevokeTarget, RevokedEntry, CRL_WARNING,
};
pub use self::pin::issuer_pin_conf;
pub use self::render::{
    render, RenderRequest, Rendered, DEFAULT_CERT_DIR, DEFAULT_HEALTH_PORT, DEFAULT_HTTPS_PORT,
};
pub use self::secret::{secret_payload, SecretField, SECRET_FIELDS};

/// Request header carrying the verified client certificate's subject DN
/// (NGINX `$ssl_client_s_dn`, RFC 2253, e.g. `CN=alice`) to the private API.
pub const CLIENT_SUBJECT_HEADER: &str = "X-Client-Cert-Subject";

/// CA certificate: the trust anchor NGINX checks client certificates against,
/// and the one clients use to verify the proxy.
pub const CA_CERT_FILE: &str = "ca.pem";
/// CA private key, written only when [`write_certs`] generated the CA.
pub const CA_KEY_FILE: &str = "ca.key";
/// Proxy server certificate.
pub const SERVER_CERT_FILE: &str = "server.pem";
/// Proxy server private key.
pub const SERVER_KEY_FILE: &str = "server.key";
/// The CRL NGINX checks every client chain against (`ssl_crl`): one CRL
/// signed by the issuing CA, plus the CRLs of the CAs above it when the CA
/// was supplied with a chain.
pub const CRL_FILE: &str = "crl.pem";
/// NGINX directives pinning admitted clients to the issuing CA (included
/// into the TLS server block). Derived from `ca.pem`; see [`issuer_pin_conf`].
pub const ISSUER_PIN_FILE: &str = "issuer-pin.conf";
/// The rendered container entrypoint.
pub const ENTRYPOINT_FILE: &str = "xapi-mtls-entrypoint.sh";

/// File name of client `name`'s certificate.
pub fn client_cert_file(name: &str) -> String {
    format!("client-{name}.pem")
}

/// File name of client `name`'s private key.
pub fn client_key_file(name: &str) -> String {
    format!("client-{name}.key")
}

/// Everything that can go wrong issuing certificates or rendering the proxy.
#[derive(thiserror::Error, Debug)]
pub enum MtlsError {
    /// A target file already exists and `force` was not given. Nothing was written.
    #[error("refusing to overwrite existing {}", .0.display())]
    Exists(PathBuf),
    /// `--force` would generate a new CA over the one whose key is here.
    #[error(
        "{} holds the CA's private key, and replacing the CA invalidates every client \
         certificate it issued, the server certificate consumers verify with the old ca.pem, and \
         the revocations on its CRL: to add certificates from this CA pass --ca-cert {} --ca-key {}; \
         to replace it add --rotate-ca (the old key and certificate are kept as \
         ca.key.retired-TIME and ca.pem.retired-TIME)",
        .0.display(),
        .0.with_file_name(CA_CERT_FILE).display(),
        .0.display()
    )]
    CaKeyExists(PathBuf),
    /// A server DNS name or client name that is not allowed.
    #[error(
        "invalid name {0:?}: server names must be DNS names; client names 1-64 of A-Z a-z 0-9 . _ - \
         starting with a letter or digit, no duplicates"
    )]
    BadName(String),
    /// Certificate lifetime outside 1..=3650 days.
    #[error("invalid validity of {0} days: must be between 1 and 3650")]
    BadDays(u32),
    /// Filesystem failure on `path`.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Certificate generation failed, or a supplied CA is unusable.
    #[error("certificate error: {0}")]
    Cert(String),
    /// An API id, region, stage or other rendering input that is malformed or
    /// cannot be placed into nginx.conf safely.
    #[error(
        "invalid value {0:?}: api id is 10 lowercase letters/digits, region like us-east-1, \
         stage letters/digits/-/_, paths absolute without spaces or nginx syntax, ports non-zero and distinct"
    )]
    BadId(String),
}
