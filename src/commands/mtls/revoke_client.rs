//! `xapi mtls revoke-client`: put one client certificate on the CA's CRL.
//! Local files only; `xapi mtls deploy --certs DIR` then ships the new CRL.

use serde::Serialize;

use super::certs::{mtls_error, read_arg};
use crate::cli::{GlobalArgs, MtlsRevokeClientArgs};
use crate::context::output_settings;
use crate::error::{exit, Result};
use crate::mtls::{revoke_client, CrlInfo, RevokeTarget};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize)]
pub struct RevokeClientReport {
    pub crl: String,
    pub serial: String,
    pub changed: bool,
    pub crls: Vec<CrlInfo>,
}

impl Report for RevokeClientReport {
    fn table(&self, style: &Style) -> String {
        let head = if self.changed {
            format!("Revoked serial {} in {}.", self.serial, self.crl)
        } else {
            format!(
                "Serial {} was already revoked in {}.",
                self.serial, self.crl
            )
        };
        format!(
            "{head}\n{}The proxy enforces it after `xapi mtls deploy --certs DIR` (or an NGINX \
             reload where the files are mounted).\n",
            crl_table(style, &self.crls)
        )
    }
}

/// The CRLs with their revoked serials and when each must be re-issued.
pub fn crl_table(style: &Style, crls: &[CrlInfo]) -> String {
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

pub fn run(global: &GlobalArgs, args: &MtlsRevokeClientArgs) -> Result<u8> {
    let target = match (&args.client, &args.serial) {
        (Some(name), _) => RevokeTarget::Client(name.clone()),
        (None, Some(serial)) => RevokeTarget::Serial(serial.clone()),
        (None, None) => unreachable!("clap requires --client or --serial"),
    };
    let key = args.ca_key.as_deref().map(read_arg).transpose()?;
    let outcome = revoke_client(&args.certs, &target, key.as_deref()).map_err(mtls_error)?;
    let report = RevokeClientReport {
        crl: outcome.crl.display().to_string(),
        serial: outcome.serial,
        changed: outcome.changed,
        crls: outcome.crls,
    };
    let (format, color) = output_settings(global);
    output::emit_as(format, color, &report)?;
    Ok(exit::OK)
}
