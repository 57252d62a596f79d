//! xapi: wire and diagnose cross-account access to private API Gateway REST
//! APIs over PrivateLink.

pub mod access;
pub mod audit;
pub mod aws;
pub mod backup;
pub mod cidr;
pub mod cli;
pub mod commands;
pub mod context;
pub mod doctor;
pub mod error;
pub mod ids;
pub mod infra;
pub mod interrupt;
pub mod lease;
pub mod model;
pub mod mtls;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod poll;
pub mod private_file;
pub mod region;
pub mod stack;
pub mod targets;
pub mod wait;
pub mod wire;

use cli::{
    Cli, Command, DomainCommand, EndpointCommand, MtlsCommand, PolicyCommand, TargetsCommand,
    VpcLinkCommand,
};
use context::Context;
use error::Result;

/// Run a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> Result<u8> {
    match &cli.command {
        Command::Completions(args) => return commands::completions::completions(args),
        Command::Man => return commands::completions::man(),
        _ if cli.global.output == cli::OutputArg::Csv
            && !matches!(cli.command, Command::Audit(_)) =>
        {
            return Err(error::Error::BadInput(
                "--output csv: only xapi audit writes CSV; use table or json".into(),
            ));
        }
        Command::Audit(args) if args.from_snapshot.is_some() => {
            let path = args
                .from_snapshot
                .as_deref()
                .unwrap_or(std::path::Path::new(""));
            return commands::audit::from_snapshot(&cli.global, args, path);
        }
        Command::Doctor(args) if args.from_snapshot.is_some() => {
            return commands::doctor::from_snapshot(&cli.global, args);
        }
        // Issuing certificates needs neither a region nor credentials.
        Command::Mtls(MtlsCommand::Certs(args)) => {
            return commands::mtls::certs::run(&cli.global, args)
        }
        Command::Mtls(MtlsCommand::RevokeClient(args)) => {
            return commands::mtls::revoke_client::run(&cli.global, args)
        }
        _ => {}
    }
    let ctx = Context::new(&cli.global).await?;
    match &cli.command {
        Command::Whoami(args) => commands::whoami::run(&ctx, args).await,
        Command::Endpoint(EndpointCommand::Create(args)) => {
            commands::endpoint::create::run(&ctx, args).await
        }
        Command::Endpoint(EndpointCommand::List(args)) => {
            commands::endpoint::list::run(&ctx, args).await
        }
        Command::Endpoint(EndpointCommand::Show(args)) => {
            commands::endpoint::show::run(&ctx, args).await
        }
        Command::Policy(PolicyCommand::Show(args)) => commands::policy::show(&ctx, args).await,
        Command::Policy(PolicyCommand::Restore(args)) => {
            commands::policy::restore(&ctx, args).await
        }
        Command::GrantVpce(args) => commands::vpce_access::grant(&ctx, args).await,
        Command::RevokeVpce(args) => commands::vpce_access::revoke(&ctx, args).await,
        Command::Targets(TargetsCommand::Sync(args)) => commands::targets::sync(&ctx, args).await,
        Command::VpcLink(VpcLinkCommand::Create(args)) => {
            commands::vpc_link::create(&ctx, args).await
        }
        Command::VpcLink(VpcLinkCommand::List) => commands::vpc_link::list(&ctx).await,
        Command::WireRegionalFront(args) => commands::wire_regional_front::run(&ctx, args).await,
        Command::Domain(DomainCommand::Create(args)) => commands::domain::create(&ctx, args).await,
        Command::Domain(DomainCommand::Show(args)) => commands::domain::show(&ctx, args).await,
        Command::Domain(DomainCommand::Associate(args)) => {
            commands::domain::associate(&ctx, args).await
        }
        Command::Domain(DomainCommand::Share(args)) => commands::domain::share(&ctx, args).await,
        Command::Domain(DomainCommand::Unshare(args)) => {
            commands::domain::unshare(&ctx, args).await
        }
        Command::Doctor(args) => commands::doctor::run(&ctx, args).await,
        Command::Mtls(MtlsCommand::Render(args)) => commands::mtls::render::run(&ctx, args),
        Command::Mtls(MtlsCommand::Deploy(args)) => commands::mtls::deploy::run(&ctx, args).await,
        Command::Mtls(MtlsCommand::Allow(args)) => commands::mtls::allow::run(&ctx, args).await,
        Command::Mtls(MtlsCommand::Show(args)) => commands::mtls::show::run(&ctx, args).await,
        Command::Mtls(MtlsCommand::Accept(args)) => commands::mtls::accept::run(&ctx, args).await,
        Command::Teardown(args) => commands::teardown::run(&ctx, args).await,
        Command::Audit(args) => commands::audit::run(&ctx, &cli.global, args).await,
        Command::Completions(_)
        | Command::Man
        | Command::Mtls(MtlsCommand::Certs(_) | MtlsCommand::RevokeClient(_)) => {
            unreachable!("handled before the context is built")
        }
    }
}

/// Logs go to stderr: -v shows xapi's steps, -vv adds the SDK's own.
pub fn init_tracing(verbosity: u8) {
    let filter = match verbosity {
        0 => "xapi=warn",
        1 => "xapi=debug",
        _ => "xapi=trace,aws_config=debug,aws_smithy_runtime=debug,aws_sdk_ec2=debug,aws_sdk_sts=debug,aws_sdk_apigateway=debug,aws_sdk_apigatewayv2=debug,aws_sdk_elasticloadbalancingv2=debug",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_target(verbosity > 1)
        .try_init();
}
