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

/// Huge, negative or fractional durations and timeouts are refused before
/// anything runs: exit 2, one line naming the value, never a panic.
#[test]
fn absurd_durations_and_timeouts_are_refused_naming_the_value() {
    let cases: [&[&str]; 8] = [
        &["--read-timeout", "99999999999999999s", "whoami"],
        &["--read-timeout", "18446744073709551615", "whoami"],
        &["--connect-timeout", "18446744073709551615", "whoami"],
        &["--read-timeout=-1", "whoami"],
        &[
            "grant-vpce",
            "--api-id",
            "a1b2c3d4e5",
            "--vpce",
            "vpce-0123456789abcdef0",
            "--lease-wait",
            "1e30",
        ],
        &[
            "grant-vpce",
            "--api-id",
            "a1b2c3d4e5",
            "--vpce",
            "vpce-0123456789abcdef0",
            "--lease-wait=-5s",
        ],
        &[
            "grant-vpce",
            "--api-id",
            "a1b2c3d4e5",
            "--vpce",
            "vpce-0123456789abcdef0",
            "--lease-wait",
            "99999999999999999999m",
        ],
        &[
            "vpc-link",
            "create",
            "--nlb",
            "n",
            "--name",
            "l",
            "--wait-timeout",
            "307445734561825861m",
        ],
    ];
    for args in cases {
        let value = args
            .iter()
            .rev()
            .find(|a| a.chars().next().is_some_and(|c| c.is_ascii_digit()) || a.contains('='))
            .map(|a| a.rsplit('=').next().unwrap_or(a))
            .unwrap();
        let out = xapi().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(value), "{args:?} should name {value}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // The environment's timeout is checked the same way.
    let out = xapi()
        .env("XAPI_READ_TIMEOUT", "18446744073709551615")
        .arg("whoami")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("18446744073709551615"));
}
