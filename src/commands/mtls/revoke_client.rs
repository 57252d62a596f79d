//! `xapi mtls revoke-client`: put one client certificate on the CA's CRL.
//! Local files only; `xapi mtls deploy --certs DIR` then ships the new CRL.

use serde::Serialize;

use super::{crl_table, mtls_error, read};
use crate::cli::{GlobalArgs, MtlsRevokeClientArgs};
use crate::context::output_settings;
use crate::error::{exit, Result};
use crate::mtls::{revoke_client, CrlInfo, RevokeTarget};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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

pub fn run(global: &GlobalArgs, args: &MtlsRevokeClientArgs) -> Result<u8> {
    let target = match (&args.client, &args.serial) {
        (Some(name), _) => RevokeTarget::Client(name.clone()),
        (None, Some(serial)) => RevokeTarget::Serial(serial.clone()),
        (None, None) => unreachable!("clap requires --client or --serial"),
    };
    let key = args.ca_key.as_deref().map(read).transpose()?;
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
