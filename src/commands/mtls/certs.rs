//! `xapi mtls certs`: the CA, the proxy's server certificate and client
//! certificates, written as PEM files. Keys go to files only, never to output.

use std::path::PathBuf;

use serde::Serialize;

use super::{mtls_error, read};
use crate::cli::{GlobalArgs, MtlsCertsArgs};
use crate::context::output_settings;
use crate::error::{exit, Error, Result};
use crate::mtls::{refresh_chain_crls, write_certs, CertRequest, CrlState, RefreshOutcome};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CertsReport {
    pub out: PathBuf,
    pub server_name: String,
    pub clients: Vec<String>,
    pub ca: &'static str,
    pub files: Vec<CertFile>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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

/// `--refresh-chain-crl`: the new CRLs and whether each CA is covered.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RefreshReport {
    pub out: PathBuf,
    #[serde(flatten)]
    pub outcome: RefreshOutcome,
}

impl Report for RefreshReport {
    fn table(&self, style: &Style) -> String {
        let head = if self.outcome.changed {
            format!(
                "Replaced the chain CRLs in {}:\n",
                self.outcome.crl.display()
            )
        } else {
            format!(
                "{} already holds these chain CRLs; nothing written:\n",
                self.outcome.crl.display()
            )
        };
        let mut out = head + &super::crl_table(style, &self.outcome.crls);
        for c in &self.outcome.coverage {
            if c.state != CrlState::Current {
                out.push_str(&style.warning_line(&c.describe()));
            }
        }
        out.push_str(&format!(
            "The proxy enforces them after `xapi mtls deploy --certs {}`.\n",
            self.out.display()
        ));
        out
    }
}

fn refresh(global: &GlobalArgs, args: &MtlsCertsArgs) -> Result<u8> {
    let mut pem = String::new();
    for file in &args.refresh_chain_crl {
        let text = read(file)?;
        pem.push_str(&text);
        if !text.ends_with('\n') {
            pem.push('\n');
        }
    }
    let outcome = refresh_chain_crls(&args.out, &pem).map_err(mtls_error)?;
    let (format, color) = output_settings(global);
    output::emit_as(
        format,
        color,
        &RefreshReport {
            out: args.out.clone(),
            outcome,
        },
    )?;
    Ok(exit::OK)
}

pub fn run(global: &GlobalArgs, args: &MtlsCertsArgs) -> Result<u8> {
    if !args.refresh_chain_crl.is_empty() {
        return refresh(global, args);
    }
    let Some(server_name) = args.server_name.clone() else {
        return Err(Error::BadInput(
            "mtls certs needs --server-name (or --refresh-chain-crl FILE...)".into(),
        ));
    };
    let ca = match (&args.ca_cert, &args.ca_key) {
        (Some(cert), Some(key)) => Some((read(cert)?, read(key)?)),
        _ => None,
    };
    let req = CertRequest {
        server_name: server_name.clone(),
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
        server_name,
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
