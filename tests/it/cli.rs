//! The command line as a contract: completions, man page, help, usage errors,
//! broken pipes. No AWS needed.

use std::io::Read;
use std::process::{Command, Stdio};

fn xapi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xapi"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c
}

#[test]
fn checked_in_completions_are_current() {
    for (shell, file) in [
        ("bash", "xapi.bash"),
        ("zsh", "_xapi"),
        ("fish", "xapi.fish"),
        ("elvish", "xapi.elv"),
        ("powershell", "_xapi.ps1"),
    ] {
        let out = xapi().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("completions")
            .join(file);
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == String::from_utf8_lossy(&out.stdout),
            "{} is stale: run scripts/gen-completions.sh and commit the result",
            path.display()
        );
    }
}

#[test]
fn man_page_is_roff() {
    let out = xapi().arg("man").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(".ie") || text.contains(".TH xapi"),
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(text.contains("endpoint"));
}

#[test]
fn help_documents_commands_and_exit_codes() {
    let out = xapi().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "whoami",
        "endpoint",
        "completions",
        "--role-arn",
        "--endpoint-url",
        "--output",
        "Exit codes:",
        "4  a write could not be verified",
        "6  local file or directory error",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}:\n{help}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = xapi().args(["endpoint", "frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = xapi()
        .args(["--output", "yaml", "whoami"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("yaml"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = xapi()
        .args(["completions", "zsh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
}
