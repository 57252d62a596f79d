//! `xapi mtls render`: the proxy's nginx.conf and Dockerfile for one private API and stage.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::mtls_error;
use crate::cli::MtlsRenderArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::mtls::{render, RenderRequest, CLIENT_SUBJECT_HEADER};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RenderReport {
    pub api_id: String,
    pub stage: String,
    pub region: String,
    pub upstream: String,
    pub client_subject_header: &'static str,
    pub files: Vec<PathBuf>,
}

impl Report for RenderReport {
    fn table(&self, _style: &Style) -> String {
        let files: Vec<String> = self.files.iter().map(|f| f.display().to_string()).collect();
        format!(
            "Wrote {}\nThe proxy forwards to {} with the client's subject in {}.\n",
            files.join(", "),
            self.upstream,
            self.client_subject_header
        )
    }
}

fn write(path: &Path, contents: &str, force: bool) -> Result<()> {
    let io = |source| Error::Io {
        what: path.display().to_string(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if force {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    let mut file = opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::BadInput(format!(
                "refusing to overwrite existing {}; pass --force",
                path.display()
            ))
        } else {
            io(e)
        }
    })?;
    file.write_all(contents.as_bytes()).map_err(io)
}

pub fn run(ctx: &Context, args: &MtlsRenderArgs) -> Result<u8> {
    let mut req = RenderRequest::new(args.api_id.as_str(), &ctx.region, args.stage.as_str());
    req.server_name = args.server_name.clone();
    let rendered = render(&req).map_err(mtls_error)?;
    let files = [
        (args.out.join("nginx.conf"), rendered.nginx_conf.as_str()),
        (args.out.join("Dockerfile"), rendered.dockerfile.as_str()),
        (
            args.out.join(crate::mtls::ENTRYPOINT_FILE),
            rendered.entrypoint.as_str(),
        ),
    ];
    // Check both first, so a refusal leaves the directory as it was.
    if !args.force {
        if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
            return Err(Error::BadInput(format!(
                "refusing to overwrite existing {}; pass --force",
                path.display()
            )));
        }
    }
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Io {
        what: args.out.display().to_string(),
        source,
    })?;
    for (path, contents) in &files {
        write(path, contents, args.force)?;
    }
    // The Dockerfile also sets the mode, but a checkout or `docker run -v` uses it as it is.
    {
        use std::os::unix::fs::PermissionsExt;
        let entrypoint = args.out.join(crate::mtls::ENTRYPOINT_FILE);
        std::fs::set_permissions(&entrypoint, std::fs::Permissions::from_mode(0o755)).map_err(
            |source| Error::Io {
                what: entrypoint.display().to_string(),
                source,
            },
        )?;
    }
    output::emit(
        ctx,
        &RenderReport {
            api_id: args.api_id.to_string(),
            stage: args.stage.to_string(),
            region: ctx.region.clone(),
            upstream: format!("https://{}/{}/", req.api_host(), args.stage),
            client_subject_header: CLIENT_SUBJECT_HEADER,
            files: files.into_iter().map(|(p, _)| p).collect(),
        },
    )?;
    Ok(exit::OK)
}
