use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match xapi::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and --version exit 0; usage errors exit 2, as documented.
        Err(e) => e.exit(),
    };
    xapi::init_tracing(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("xapi: cannot start the async runtime: {e}");
            return ExitCode::from(xapi::error::exit::AWS);
        }
    };
    match runtime.block_on(xapi::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("xapi: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
