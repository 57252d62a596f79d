//! `xapi mtls certs|render|deploy|allow|accept|show|revoke-client`: pattern 3,
//! an mTLS front door for a private API (see [`crate::mtls`] for the proxy
//! itself), and what the commands share.

use std::path::Path;

use crate::error::{Error, Result};
use crate::mtls::{crl_coverage, CrlCoverage, CrlInfo, MtlsError, CA_CERT_FILE, CRL_FILE};
use crate::output::Style;

pub mod accept;
pub mod allow;
pub mod certs;
pub mod deploy;
pub mod render;
pub mod revoke_client;
pub mod show;

pub fn mtls_error(e: MtlsError) -> Error {
    match e {
        MtlsError::Io { path, source } => Error::Io {
            what: path.display().to_string(),
            source,
        },
        MtlsError::Cert(msg) => Error::BadInput(format!("certificate error: {msg}")),
        other => Error::BadInput(other.to_string()),
    }
}

/// A file named on the command line (a CA, a key, a CRL).
fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::BadInput(format!("cannot read {}: {e}", path.display())))
}

/// Whether every CA of `dir/ca.pem` has a current CRL in `dir/crl.pem`.
fn dir_crl_coverage(dir: &Path) -> Result<Vec<CrlCoverage>> {
    let (ca, crl) = (read(&dir.join(CA_CERT_FILE))?, read(&dir.join(CRL_FILE))?);
    crl_coverage(&ca, &crl, time::OffsetDateTime::now_utc()).map_err(mtls_error)
}

/// The CRLs with their revoked serials and when each must be re-issued.
fn crl_table(style: &Style, crls: &[CrlInfo]) -> String {
    let mut t = style.table(&["CRL ISSUER", "NEXT UPDATE", "REVOKED SERIALS"]);
    for c in crls {
        let serials: Vec<&str> = c.revoked.iter().map(|r| r.serial.as_str()).collect();
        t.add_row(vec![
            c.issuer.clone(),
            c.next_update.clone().unwrap_or_else(|| "-".into()),
            if serials.is_empty() {
                "none".into()
            } else {
                serials.join(", ")
            },
        ]);
    }
    format!("{t}\n")
}
