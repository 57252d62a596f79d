//! `xapi mtls certs`: the CA, the proxy's server certificate and client
//! certificates, written as PEM files. Keys go to files only, never to output.

use std::path::PathBuf;

use serde::Serialize;

use super::{mtls_error, read};
use crate::cli::{GlobalArgs, MtlsCertsArgs};
use crate::context::output_settings;
use crate::error::{exit, Result};
use crate::mtls::{write_certs, CertRequest};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize)]
pub struct CertsReport {
    pub out: PathBuf,
    pub server_name: String,
    pub clients: Vec<String>,
    pub ca: &'static str,
    pub files: Vec<CertFile>,
}

#[derive(Debug, Serialize)]
pub struct CertFile {
    pub path: PathBuf,
    /// `certificate` or `private-key` (mode 0600); with `--rotate-ca`, the
    /// old CA's files moved aside are `retired-certificate`/`retired-private-key`.
    pub kind: &'static str,
}

impl Report for CertsReport {
    fn table(&self, style: &Style) -> String {
        let mut t = style.table(&["FILE", "KIND"]);
        for f in &self.files {
            t.add_row(vec![f.path.display().to_string(), f.kind.to_owned()]);
        }
        format!(
            "Issued for {} ({} CA, {} client(s)) in {}:\n{t}\n",
            self.server_name,
            self.ca,
            self.clients.len(),
            self.out.display()
        )
    }
}

pub fn run(global: &GlobalArgs, args: &MtlsCertsArgs) -> Result<u8> {
    let ca = match (&args.ca_cert, &args.ca_key) {
        (Some(cert), Some(key)) => Some((read(cert)?, read(key)?)),
        _ => None,
    };
    let req = CertRequest {
        server_name: args.server_name.clone(),
        clients: args.clients.clone(),
        days: args.days,
        ca,
        chain_crls: args.chain_crl.as_deref().map(read).transpose()?,
        rotate_ca: args.rotate_ca,
    };
    let supplied = req.ca.is_some();
    let issued = write_certs(&args.out, &req, args.force).map_err(mtls_error)?;
    let report = CertsReport {
        out: args.out.clone(),
        server_name: args.server_name.clone(),
        clients: args.clients.clone(),
        ca: if supplied { "supplied" } else { "generated" },
        files: issued
            .into_iter()
            .map(|f| CertFile {
                path: f.path,
                kind: match (f.retired, f.private) {
                    (false, true) => "private-key",
                    (false, false) => "certificate",
                    (true, true) => "retired-private-key",
                    (true, false) => "retired-certificate",
                },
            })
            .collect(),
    };
    let (format, color) = output_settings(global);
    output::emit_as(format, color, &report)?;
    Ok(exit::OK)
}
