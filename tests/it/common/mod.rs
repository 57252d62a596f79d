//! Shared harness for the moto-backed tests.
//!
//! `scripts/test.sh` starts real moto servers and exports their URLs as
//! `XAPI_TEST_AWS_ENDPOINT`. Every test takes fresh account ids, so tests run
//! in parallel against a server without seeing each other's resources, and
//! reaches them exactly as a user would: static keys plus STS AssumeRole.
#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod domains;
pub mod json;
pub mod proxy;
pub mod schema;
pub mod seed;

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicU32, Ordering};

pub const REGION: &str = "us-east-1";

/// The URL of this test's moto server; fails loudly rather than skipping when
/// none is set. `scripts/test.sh` starts one server per core (a moto server
/// answers one request at a time) and lists them all: each test process keeps
/// to one of them, chosen by its process id, so a test's accounts and
/// resources are all on one server.
pub fn moto_url() -> String {
    let listed = std::env::var("XAPI_TEST_AWS_ENDPOINT").unwrap_or_else(|_| {
        panic!("XAPI_TEST_AWS_ENDPOINT is not set: run the suite with scripts/test.sh, which starts the local AWS")
    });
    let servers: Vec<&str> = listed.split_whitespace().collect();
    assert!(
        !servers.is_empty(),
        "XAPI_TEST_AWS_ENDPOINT is empty: it lists the moto servers' URLs, separated by spaces"
    );
    servers[std::process::id() as usize % servers.len()].to_owned()
}

/// A 12-digit account id no other test on these moto servers uses: a
/// 7-digit prefix this process reserved (see [`reserved_prefix`]) and a
/// counter within the process.
pub fn fresh_account() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    format!("{:07}{:05}", reserved_prefix(), n % 100_000)
}

/// A random 7-digit prefix that no other test process has taken for these
/// servers, reserved by creating a file named after it. Not the process id:
/// with a pid_max of 32768 a run's processes and threads wrap the ids, and a
/// later test would share an account (and its APIs and VPCs) with an earlier
/// one on the same server, which keeps every account's resources.
fn reserved_prefix() -> u32 {
    static PREFIX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let servers = std::env::var("XAPI_TEST_AWS_ENDPOINT").unwrap_or_default();
        let key: String = servers
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let dir = std::env::temp_dir().join("xapi-test-accounts").join(key);
        std::fs::create_dir_all(&dir).expect("the account reservation directory");
        loop {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(std::process::id());
            let candidate = (h.finish() % 10_000_000) as u32;
            match std::fs::File::create_new(dir.join(candidate.to_string())) {
                Ok(_) => return candidate,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => panic!("reserving an account prefix in {}: {e}", dir.display()),
            }
        }
    })
}

pub fn role_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/xapi-test")
}

/// An execute-api endpoint in `vpc`, made by xapi itself as the consumer would; returns its id.
pub fn xapi_endpoint(account: &str, vpc: &seed::ConsumerVpc) -> String {
    let created = Xapi::as_account(&moto_url(), account)
        .run([
            "endpoint",
            "create",
            "--vpc-id",
            &vpc.vpc_id,
            "--subnet-id",
            &vpc.subnet_ids[0],
            "--subnet-id",
            &vpc.subnet_ids[1],
            "--security-group-id",
            &vpc.sg_id,
            "--output",
            "json",
        ])
        .ok()
        .parse::<json::EndpointCreate>();
    created.endpoint.expect("endpoint id").id
}

/// xapi runs aimed at moto itself go through one shared [`proxy::Proxy`]
/// that forwards everything and answers only what moto has not implemented,
/// as AWS would (see `proxy::emulator_gap`). A test's own proxy does the same.
fn through_gap_filler(endpoint: &str) -> String {
    static GAP_FILLER: std::sync::OnceLock<proxy::Proxy> = std::sync::OnceLock::new();
    if endpoint.trim_end_matches('/') != moto_url().trim_end_matches('/') {
        return endpoint.to_owned();
    }
    GAP_FILLER
        .get_or_init(|| proxy::Proxy::start(endpoint))
        .url
        .clone()
}

/// The xapi binary with a clean AWS environment pointed at `endpoint`.
pub struct Xapi {
    cmd: std::process::Command,
    home: tempfile::TempDir,
}

impl Xapi {
    pub fn new(endpoint: &str) -> Self {
        let home = tempfile::tempdir().expect("temp home");
        // XAPI_TEST_BIN runs another build of xapi (say, a release binary, or
        // one copied out of a target directory other checkouts also build into).
        let bin =
            std::env::var_os("XAPI_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_xapi").into());
        let mut cmd = std::process::Command::new(bin);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("AWS_CONFIG_FILE", home.path().join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                home.path().join("credentials"),
            )
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("AWS_ENDPOINT_URL", through_gap_filler(endpoint))
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", REGION)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(std::process::Stdio::null());
        Xapi { cmd, home }
    }

    /// As the given account, via `--role-arn`.
    pub fn as_account(endpoint: &str, account: &str) -> Self {
        let mut x = Self::new(endpoint);
        x.cmd.arg("--role-arn").arg(role_arn(account));
        x
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    /// Start xapi without waiting for it (stdout and stderr piped).
    pub fn spawn<I, S>(mut self, args: I) -> (std::process::Child, tempfile::TempDir)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let child = self
            .cmd
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start xapi");
        (child, self.home)
    }

    pub fn run<I, S>(mut self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let args: Vec<String> = args
            .into_iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        let output = self.cmd.args(&args).output().expect("run xapi");
        Run(output, args)
    }
}

/// A finished xapi run, with its arguments (which say which published
/// schema its JSON must meet; none for a run started elsewhere).
pub struct Run(pub Output, pub Vec<String>);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// stdout as raw JSON, for where a typed read ([`Run::parse`]) would
    /// drop fields it does not know: comparing or handing on whole documents.
    /// Either way, the document must meet its command's schema in docs/schema.
    pub fn json(&self) -> serde_json::Value {
        let doc = serde_json::from_slice(&self.0.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            )
        });
        schema::check(&self.1, &doc);
        doc
    }
    /// stdout read as the documented document `T` (see [`json`]).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.json()).unwrap_or_else(|e| {
            panic!(
                "stdout is not a {} document ({e}):\n{}\nstderr:\n{}",
                std::any::type_name::<T>(),
                self.stdout(),
                self.stderr()
            )
        })
    }
    /// Assert the exit code, showing both streams when it differs.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code(),
            code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    pub fn ok(self) -> Self {
        self.expect_code(0)
    }
    /// A usage/input refusal: exit 2 with a one-line `xapi:` message naming `value`.
    pub fn refused_naming(self, value: &str) -> Self {
        let run = self.expect_code(2);
        let err = run.stderr();
        assert!(err.contains(value), "stderr should name {value:?}:\n{err}");
        assert!(
            run.stdout().is_empty(),
            "nothing on stdout for a refusal: {}",
            run.stdout()
        );
        run
    }
}

/// `text` with what differs from run to run replaced by stable placeholders,
/// so a plan or report can be a snapshot: AWS resource ids (`vpce-<id>`),
/// 12-digit account ids, ARNs' random suffixes, and each `(value, placeholder)`
/// in `known` (API ids, names with a random part...), applied first.
pub fn redact(text: &str, known: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (value, placeholder) in known {
        if !value.is_empty() {
            out = out.replace(value, placeholder);
        }
    }
    let ids = regex_lite::Regex::new(
        r"\b(vpce-svc|vpce|vpc|subnet|sg|eni|sgr|igw|rtb|tg|lb)-[0-9a-f]{8,17}\b",
    )
    .expect("id pattern");
    let out = ids.replace_all(&out, "$1-<id>");
    let accounts = regex_lite::Regex::new(r"\b[0-9]{12}\b").expect("account pattern");
    let out = accounts.replace_all(&out, "<account>");
    let elb = regex_lite::Regex::new(r"/([A-Za-z0-9-]+)/[0-9a-f]{16}\b").expect("elb arn pattern");
    let out = elb.replace_all(&out, "/$1/<id>");
    // A listener's ARN carries a second id after its load balancer's.
    let listener = regex_lite::Regex::new(r"/<id>/[0-9a-f]{16}\b").expect("listener arn pattern");
    listener.replace_all(&out, "/<id>/<id>").into_owned()
}

/// `teardown --stack STACK --yes` as JSON, and the kinds it deleted, in order.
pub fn teardown_kinds(x: Xapi, stack: &str) -> (serde_json::Value, Vec<String>) {
    let down = x
        .run(["teardown", "--stack", stack, "--yes", "--output", "json"])
        .ok()
        .json();
    let kinds = down["deleted"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|d| d["kind"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    (down, kinds)
}
