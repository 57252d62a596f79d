//! `xapi --help` and every subcommand's `--help`, as snapshots under
//! `tests/it/snapshots/`, so any change to the interface shows up in review.
//!
//! The tree is walked from `Cli::command()`, so a new subcommand gets a
//! snapshot without touching this file. A changed or missing snapshot fails
//! the test (insta writes a `.snap.new` beside it outside CI); accept it with
//! `cargo insta review`, or `INSTA_UPDATE=always cargo test --test it -- help::`.

use clap::CommandFactory;
use xapi::cli::Cli;

/// Wide enough for the option descriptions, fixed so the terminal running the
/// tests does not matter.
const WIDTH: usize = 100;

/// Every subcommand path below `cmd`, depth first, in declaration order.
fn paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_owned());
        out.push(path.clone());
        paths(sub, &path, out);
    }
}

/// What `xapi <path> --help` prints, through clap's own parsing as a user runs it.
fn help(path: &[String]) -> String {
    let args = std::iter::once("xapi".to_owned())
        .chain(path.iter().cloned())
        .chain(std::iter::once("--help".to_owned()));
    let err = Cli::command()
        .term_width(WIDTH)
        .max_term_width(WIDTH)
        .try_get_matches_from(args)
        .expect_err("--help stops parsing");
    assert_eq!(
        err.kind(),
        clap::error::ErrorKind::DisplayHelp,
        "{path:?}: {err}"
    );
    err.render().to_string()
}

#[test]
fn help_of_every_command_matches_its_snapshot() {
    let mut all = vec![Vec::new()];
    paths(&Cli::command(), &[], &mut all);
    // The tree walk is what keeps new subcommands covered; make sure it walks.
    assert!(
        all.iter().any(|p| p.len() >= 2),
        "no nested subcommand found: {all:?}"
    );
    for path in &all {
        let text = help(path);
        let name = if path.is_empty() {
            "xapi".to_owned()
        } else {
            format!("xapi-{}", path.join("-"))
        };
        insta::assert_snapshot!(name, text);
    }
}
