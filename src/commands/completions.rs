use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{exit, Error, Result};
use crate::output::write_stdout;

pub fn completions(args: &CompletionsArgs) -> Result<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "xapi", &mut buf);
    write_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}

pub fn man() -> Result<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|source| Error::Io {
            what: "rendering the man page".into(),
            source,
        })?;
    write_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}
