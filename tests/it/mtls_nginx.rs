//! Real NGINX, real certificates, real curl: the rendered proxy enforces mTLS
//! and forwards to the private API the way API Gateway needs.
//!
//! Needs the Debian packages `nginx-light` (or `nginx`), `curl`, `python3` and
//! `openssl` (plus `coreutils` for `timeout`). Missing tools FAIL the test: a silent pass
//! would claim a proof that never ran.
//!
//! Everything listens on 127.0.0.1 only. The "private API" is a small Python
//! HTTPS server with a certificate for the real private-API hostname (issued
//! by a throwaway CA that NGINX is told to trust); it records the Host header,
//! the SNI name and the client-subject header of each request it receives.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use xapi::mtls::{render, write_certs, CertRequest, RenderRequest, CLIENT_SUBJECT_HEADER};

const API_ID: &str = "a1b2c3d4e5";
const REGION: &str = "us-east-1";
const STAGE: &str = "prod";
const API_HOST: &str = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
const PROXY_NAME: &str = "mtls.example.internal";
const INSTALL_HINT: &str =
    "install them with: apt-get update && apt-get install -y nginx-light curl python3 openssl";

/// Upstream stand-in for the private API. Single-threaded on purpose: the
/// TLS handshake (and so the SNI callback) and the request it belongs to run
/// back to back, so the SNI stored on the socket is this request's.
const UPSTREAM_PY: &str = r#"
import os, ssl, sys, threading
from http.server import HTTPServer, BaseHTTPRequestHandler

cert, key, log_path, header = sys.argv[1:5]
# Never outlive a test that was killed before its guard could run.
threading.Timer(60, lambda: os._exit(0)).start()

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain(cert, key)
def on_sni(sock, name, _ctx):
    sock.xapi_sni = name
ctx.sni_callback = on_sni

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        fields = [
            self.command,
            self.path,
            "|".join(self.headers.get_all("Host") or []),
            getattr(self.connection, "xapi_sni", None) or "-",
            "|".join(self.headers.get_all(header) or []),
            self.connection.version() or "-",
            "|".join(self.headers.get_all("X-Forwarded-For") or []),
            "|".join(self.headers.get_all("x-apigw-api-id") or []),
        ]
        line = "\t".join(fields)
        with open(log_path, "a") as f:
            f.write(line + "\n")
        body = (line + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_DELETE = handle_any
    def log_message(self, *args):
        pass

srv = HTTPServer(("127.0.0.1", 0), Handler)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
"#;

/// One request as the upstream saw it.
#[derive(Debug, PartialEq)]
struct Seen {
    method: String,
    path: String,
    host: String,
    sni: String,
    subject: String,
    tls: String,
    xff: String,
    /// Every `x-apigw-api-id` the API received, joined by `|`.
    api_id: String,
}

impl Seen {
    fn parse(line: &str) -> Seen {
        // Only the line end: an absent header is an empty last field.
        let f: Vec<&str> = line.trim_end_matches(['\n', '\r']).split('\t').collect();
        assert_eq!(f.len(), 8, "bad upstream record {line:?}");
        Seen {
            method: f[0].into(),
            path: f[1].into(),
            host: f[2].into(),
            sni: f[3].into(),
            subject: f[4].into(),
            tls: f[5].into(),
            xff: f[6].into(),
            api_id: f[7].into(),
        }
    }
}

/// Stops its child on drop, including when an assertion unwinds.
struct Guard {
    child: Child,
    /// A graceful stop to try first: `nginx -s stop` lets the master take
    /// its workers down, where SIGKILL would orphan them on the ports.
    stop: Option<Command>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.as_mut() {
            let _ = stop.stdout(Stdio::null()).stderr(Stdio::null()).status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    // nginx lives in sbin, which a non-root PATH often lacks.
    dirs.extend(["/usr/sbin", "/sbin", "/usr/bin"].map(PathBuf::from));
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` not found on PATH or in /usr/sbin; {INSTALL_HINT}"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn issue(dir: &Path, server_name: &str, clients: &[&str], ca: Option<(String, String)>) {
    issue_chain(dir, server_name, clients, ca, None);
}

fn issue_chain(
    dir: &Path,
    server_name: &str,
    clients: &[&str],
    ca: Option<(String, String)>,
    chain_crls: Option<String>,
) {
    write_certs(
        dir,
        &CertRequest {
            server_name: server_name.into(),
            clients: clients.iter().map(|c| c.to_string()).collect(),
            days: 2,
            ca,
            chain_crls,
            rotate_ca: false,
        },
        false,
    )
    .unwrap();
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

struct Proxy {
    _nginx: Guard,
    _upstream: Guard,
    https: u16,
    health: u16,
    certs: PathBuf,
    upstream_log: PathBuf,
    nginx_err: PathBuf,
    curl: PathBuf,
}

impl Proxy {
    fn seen(&self) -> Vec<Seen> {
        fs::read_to_string(&self.upstream_log)
            .unwrap_or_default()
            .lines()
            .map(Seen::parse)
            .collect()
    }

    fn nginx_log(&self) -> String {
        fs::read_to_string(&self.nginx_err).unwrap_or_default()
    }

    /// curl against the proxy's TLS port by its DNS name, pinned to loopback.
    /// `-q` (must come first) ignores a ~/.curlrc; `--noproxy` ignores proxy
    /// variables, so only loopback is ever dialled.
    fn curl<S: AsRef<OsStr>>(&self, args: &[S], path: &str) -> Output {
        let url = format!("https://{PROXY_NAME}:{}{path}", self.https);
        let resolve = format!("{PROXY_NAME}:{}:127.0.0.1", self.https);
        let ca = self.certs.join("ca.pem");
        Command::new(&self.curl)
            .args(["-q", "-sS", "--noproxy", "*", "--max-time", "5"])
            .args(["--resolve", &resolve, "--cacert"])
            .arg(&ca)
            .args(["-w", "\n%{http_code}"])
            .args(args)
            .arg(url)
            .output()
            .unwrap()
    }
}

/// curl's arguments to present client `name`'s certificate and key from `dir`.
fn with_client(dir: &Path, name: &str) -> Vec<String> {
    vec![
        "--cert".into(),
        dir.join(format!("client-{name}.pem")).display().to_string(),
        "--key".into(),
        dir.join(format!("client-{name}.key")).display().to_string(),
    ]
}

/// Splits curl's `-w "\n%{http_code}"` output into (status, body).
fn status_body(out: &Output) -> (String, String) {
    let stdout = text(&out.stdout);
    let (body, status) = stdout.rsplit_once('\n').unwrap_or(("", &stdout));
    (status.to_string(), body.to_string())
}

fn start(root: &Path) -> Proxy {
    start_with(root, |certs| issue(certs, PROXY_NAME, &["alice"], None))
}

/// Starts the upstream and NGINX; `make_certs` fills the proxy's certificate
/// directory first.
fn start_with(root: &Path, make_certs: impl FnOnce(&Path)) -> Proxy {
    let nginx = find_tool("nginx");
    let curl = find_tool("curl");
    let python = find_tool("python3");
    let timeout = find_tool("timeout");

    let certs_dir = root.join("certs");
    let upstream_certs = root.join("upstream");
    let runtime = root.join("run");
    fs::create_dir_all(&runtime).unwrap();
    make_certs(&certs_dir);
    issue(&upstream_certs, API_HOST, &[], None);

    // Upstream: the private API stand-in.
    let script = root.join("upstream.py");
    fs::write(&script, UPSTREAM_PY).unwrap();
    let upstream_log = root.join("upstream.log");
    let mut child = Command::new(&python)
        .arg(&script)
        .arg(upstream_certs.join("server.pem"))
        .arg(upstream_certs.join("server.key"))
        .arg(&upstream_log)
        .arg(CLIENT_SUBJECT_HEADER)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            fs::File::create(root.join("upstream.err")).unwrap(),
        ))
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let upstream = Guard { child, stop: None };
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let upstream_port: u16 = first.trim().parse().unwrap_or_else(|_| {
        panic!(
            "upstream did not start: {:?} {}",
            first,
            fs::read_to_string(root.join("upstream.err")).unwrap_or_default()
        )
    });

    let https = free_port();
    let mut health = free_port();
    while health == https {
        health = free_port();
    }
    let mut req = RenderRequest::new(API_ID, REGION, STAGE);
    req.server_name = Some(PROXY_NAME.into());
    req.upstream_override = Some(format!("127.0.0.1:{upstream_port}"));
    req.cert_dir = certs_dir.display().to_string();
    req.listen_address = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
    req.listen_https = https;
    req.listen_health = health;
    req.resolver = IpAddr::V4(Ipv4Addr::LOCALHOST);
    req.upstream_ca_file = upstream_certs.join("ca.pem").display().to_string();
    req.runtime_dir = Some(runtime.display().to_string());
    let conf = root.join("nginx.conf");
    fs::write(&conf, render(&req).unwrap().nginx_conf).unwrap();

    // `-e stderr`: a non-root NGINX can't open the packaged error log.
    let check = Command::new(&nginx)
        .args(["-e", "stderr", "-t", "-c"])
        .arg(&conf)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "nginx -t rejected the rendered config:\n{}",
        text(&check.stderr)
    );

    let nginx_err = root.join("nginx.err");
    // `timeout` bounds NGINX's life even if this process dies before the guard runs.
    let child = Command::new(&timeout)
        .arg("60")
        .arg(&nginx)
        .args(["-e", "stderr", "-c"])
        .arg(&conf)
        .args(["-g", "daemon off;"])
        .stdout(Stdio::from(
            fs::File::create(root.join("nginx.out")).unwrap(),
        ))
        .stderr(Stdio::from(fs::File::create(&nginx_err).unwrap()))
        .spawn()
        .unwrap();
    let mut stop = Command::new(&nginx);
    stop.args(["-e", "stderr", "-c"])
        .arg(&conf)
        .args(["-s", "stop"]);
    let mut nginx_guard = Guard {
        child,
        stop: Some(stop),
    };

    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let up = [https, health]
            .iter()
            .all(|p| TcpStream::connect(("127.0.0.1", *p)).is_ok());
        if up {
            break;
        }
        if let Ok(Some(status)) = nginx_guard.child.try_wait() {
            panic!(
                "nginx exited ({status}):\n{}",
                fs::read_to_string(&nginx_err).unwrap_or_default()
            );
        }
        assert!(Instant::now() < deadline, "nginx did not start listening");
        sleep(Duration::from_millis(20));
    }

    Proxy {
        _nginx: nginx_guard,
        _upstream: upstream,
        https,
        health,
        certs: certs_dir,
        upstream_log,
        nginx_err,
        curl,
    }
}

#[test]
fn nginx_enforces_mtls_and_forwards_like_the_private_api_needs() {
    let root = tempfile::tempdir().unwrap();
    let p = start(root.path());
    let certs = p.certs.clone();

    // (1) A valid client certificate is proxied; the upstream sees the real
    // private-API hostname as Host and SNI, and the verified subject.
    let out = p.curl(&with_client(&certs, "alice"), "/pets?limit=2");
    let (status, body) = status_body(&out);
    assert_eq!(
        status,
        "200",
        "body {body}\ncurl {}\nnginx {}",
        text(&out.stderr),
        p.nginx_log()
    );
    let seen = p.seen();
    assert_eq!(
        seen,
        vec![Seen {
            method: "GET".into(),
            path: "/prod/pets?limit=2".into(),
            host: API_HOST.into(),
            sni: API_HOST.into(),
            subject: "CN=alice".into(),
            tls: "TLSv1.3".into(),
            xff: "127.0.0.1".into(),
            api_id: API_ID.into(),
        }]
    );
    assert_eq!(Seen::parse(&body), seen[0], "response is the upstream's");

    // (2) No client certificate: NGINX completes the TLS handshake (it asks
    // for a certificate but does not make it mandatory at the TLS layer) and
    // then answers 400 itself; nothing reaches the API.
    let out = p.curl::<&str>(&[], "/pets");
    let (status, body) = status_body(&out);
    assert_eq!(status, "400", "curl {}", text(&out.stderr));
    assert!(
        body.contains("No required SSL certificate was sent"),
        "{body}"
    );
    assert_eq!(p.seen().len(), 1, "refused request reached the upstream");

    // (3) A certificate from a foreign CA: same shape, "SSL certificate error".
    let foreign = root.path().join("foreign");
    issue(&foreign, "foreign.example", &["mallory"], None);
    let args = with_client(&foreign, "mallory");
    let out = p.curl(&args, "/pets");
    let (status, body) = status_body(&out);
    assert_eq!(status, "400", "curl {}", text(&out.stderr));
    assert!(body.contains("The SSL certificate error"), "{body}");
    // NGINX logs a request after answering it, so the line may lag curl.
    let deadline = Instant::now() + Duration::from_secs(3);
    let access = loop {
        let log = fs::read_to_string(root.path().join("nginx.out")).unwrap();
        if log.contains("client_verify=FAILED:") || Instant::now() > deadline {
            break log;
        }
        sleep(Duration::from_millis(20));
    };
    assert!(
        access.contains("client_verify=FAILED:"),
        "audit log:\n{access}"
    );
    assert_eq!(p.seen().len(), 1, "foreign client reached the upstream");

    // (3b) Our own server certificate, same CA but serverAuth only, is not a
    // client certificate.
    let out = p.curl(
        &[
            "--cert",
            &certs.join("server.pem").display().to_string(),
            "--key",
            &certs.join("server.key").display().to_string(),
        ],
        "/pets",
    );
    let (status, _) = status_body(&out);
    assert_eq!(status, "400", "server cert accepted as client cert");
    assert_eq!(p.seen().len(), 1);

    // (3c) A client issued later from the same CA (supplied, not generated) is admitted.
    let later = root.path().join("later");
    let ca = (
        fs::read_to_string(certs.join("ca.pem")).unwrap(),
        fs::read_to_string(certs.join("ca.key")).unwrap(),
    );
    issue(&later, PROXY_NAME, &["bob"], Some(ca));
    let args = with_client(&later, "bob");
    let out = p.curl(&args, "/orders");
    let (status, body) = status_body(&out);
    assert_eq!(status, "200", "{body} {}", text(&out.stderr));
    assert_eq!(p.seen()[1].subject, "CN=bob");

    // (4) A client-sent subject header, in any case and repeated, is replaced.
    let mut args = with_client(&certs, "alice");
    args.extend([
        "-H".into(),
        format!("{CLIENT_SUBJECT_HEADER}: CN=admin"),
        "-H".into(),
        format!("{}: CN=root", CLIENT_SUBJECT_HEADER.to_ascii_lowercase()),
        "-X".into(),
        "POST".into(),
        "--data".into(),
        "x=1".into(),
    ]);
    let out = p.curl(&args, "/pets");
    let (status, _) = status_body(&out);
    assert_eq!(status, "200");
    let last = p.seen().pop().unwrap();
    assert_eq!(
        (last.method.as_str(), last.subject.as_str()),
        ("POST", "CN=alice")
    );

    // (5) TLS 1.1 is refused by the server. SECLEVEL=0 makes curl's OpenSSL 3
    // actually offer TLS 1.1; without it curl would give up before sending
    // anything and prove nothing about NGINX.
    let mut args = with_client(&certs, "alice");
    args.extend(
        [
            "--tlsv1.1",
            "--tls-max",
            "1.1",
            "--ciphers",
            "DEFAULT@SECLEVEL=0",
        ]
        .map(String::from),
    );
    let out = p.curl(&args, "/pets");
    assert_eq!(
        out.status.code(),
        Some(35),
        "TLS 1.1 handshake succeeded? {}",
        text(&out.stderr)
    );
    let err = text(&out.stderr).to_ascii_lowercase();
    assert!(
        err.contains("protocol version") || err.contains("unsupported protocol"),
        "{err}"
    );

    // (5b) So is a TLS 1.2 client offering only a CBC suite that NGINX's own
    // OpenSSL would accept by default, which shows the cipher list is what
    // refuses it. (Debian's OpenSSL 3 cannot even offer 3DES any more.)
    let mut args = with_client(&certs, "alice");
    args.extend(["--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-SHA"].map(String::from));
    let out = p.curl(&args, "/pets");
    assert_eq!(
        out.status.code(),
        Some(35),
        "CBC suite accepted? {}",
        text(&out.stderr)
    );
    // TLS 1.2 itself, the private API's version, works.
    let mut args = with_client(&certs, "alice");
    args.extend(["--tlsv1.2", "--tls-max", "1.2"].map(String::from));
    let out = p.curl(&args, "/pets");
    assert_eq!(status_body(&out).0, "200", "{}", text(&out.stderr));

    // (6) Plain-HTTP health check for the load balancer; nothing else there.
    let health = |path: &str| {
        Command::new(&p.curl)
            .args([
                "-q",
                "-sS",
                "--noproxy",
                "*",
                "--max-time",
                "5",
                "-w",
                "\n%{http_code}",
            ])
            .arg(format!("http://127.0.0.1:{}{path}", p.health))
            .output()
            .unwrap()
    };
    let out = health("/health");
    assert_eq!(status_body(&out), ("200".into(), "ok".into()));
    assert_eq!(status_body(&health("/pets")).0, "404");

    assert_eq!(
        p.seen().len(),
        4,
        "exactly the admitted requests reached the upstream"
    );
}

/// The production render (ports 443/8080, /etc/ssl CA bundle, VPC resolver,
/// the image's own temp paths) passes `nginx -t` once certificates exist, and
/// does so without DNS: the API host is only resolved at request time.
///
/// `nginx -t` binds the listen ports, so the exact production config can only
/// be checked as root; a private network namespace (when `unshare` works)
/// keeps a busy 443/8080 on the machine from failing the test. A non-root run
/// checks the same render with only ports and runtime paths moved.
#[test]
fn nginx_accepts_the_default_rendered_config() {
    let nginx = find_tool("nginx");
    let root = tempfile::tempdir().unwrap();
    let certs_dir = root.path().join("certs");
    issue(&certs_dir, PROXY_NAME, &["alice"], None);
    let mut req = RenderRequest::new(API_ID, REGION, STAGE);
    // Only where the certificates are; /etc/xapi-mtls is the container's mount point.
    req.cert_dir = certs_dir.display().to_string();
    let is_root = Command::new(find_tool("id"))
        .arg("-u")
        .output()
        .is_ok_and(|o| text(&o.stdout).trim() == "0");
    if !is_root {
        eprintln!("not root: checking the default render with ports/runtime paths moved");
        req.listen_https = free_port();
        req.listen_health = free_port();
        req.listen_address = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
        req.runtime_dir = Some(root.path().join("run").display().to_string());
        fs::create_dir_all(root.path().join("run")).unwrap();
    }
    let rendered = render(&req).unwrap();
    let conf = root.path().join("nginx.conf");
    fs::write(&conf, &rendered.nginx_conf).unwrap();

    // The production config leaves the pid file to the image; -t would
    // otherwise open the host's /run/nginx.pid.
    let pid = format!("pid {};", root.path().join("nginx.pid").display());
    let mut args: Vec<String> = vec!["-e".into(), "stderr".into(), "-t".into(), "-c".into()];
    args.push(conf.display().to_string());
    if req.runtime_dir.is_none() {
        args.extend(["-g".into(), pid]);
    }
    let isolated = is_root
        .then(|| {
            Command::new("unshare")
                .arg("-n")
                .arg(&nginx)
                .args(&args)
                .output()
                .ok()
        })
        .flatten()
        .filter(|o| !text(&o.stderr).contains("unshare failed"));
    let out = match isolated {
        Some(out) => out,
        None => Command::new(&nginx).args(&args).output().unwrap(),
    };
    let log = text(&out.stderr);
    assert!(
        out.status.success(),
        "nginx -t failed:\n{log}\n{}",
        rendered.nginx_conf
    );
    assert!(log.contains("test is successful"), "{log}");
}

fn xapi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xapi"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .args(["--region", REGION, "--output", "json"]);
    c
}

/// What a user runs: `xapi mtls certs` and `xapi mtls render`. Keys stay in
/// 0600 files and out of the output, nothing is overwritten without --force,
/// and NGINX accepts the rendered config with the issued certificates.
#[test]
fn cli_certs_and_render_pass_nginx_t() {
    use std::os::unix::fs::PermissionsExt;
    let nginx = find_tool("nginx");
    let root = tempfile::tempdir().unwrap();
    let certs = root.path().join("certs");
    let certs_arg = certs.display().to_string();
    let issue = |extra: &[&str]| {
        let mut c = xapi();
        c.args([
            "mtls",
            "certs",
            "--out",
            &certs_arg,
            "--server-name",
            PROXY_NAME,
        ])
        .args(["--client", "alice", "--client", "bob", "--days", "30"])
        .args(extra);
        c.output().unwrap()
    };
    let out = issue(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("PRIVATE KEY"),
        "a key was printed:\n{stdout}"
    );
    assert!(!text(&out.stderr).contains("PRIVATE KEY"));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["ca"], "generated");
    let files = report["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        10,
        "ca, server and two clients, cert + key each; the CRL and the issuer pin"
    );
    for f in files {
        let path = PathBuf::from(f["path"].as_str().unwrap());
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        if f["kind"] == "private-key" {
            assert_eq!(mode, 0o600, "{}", path.display());
        } else {
            assert_eq!(f["kind"], "certificate");
        }
    }
    let before = fs::read(certs.join("server.key")).unwrap();
    let again = issue(&[]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("server.key") || text(&again.stderr).contains("ca.pem"));
    assert_eq!(
        fs::read(certs.join("server.key")).unwrap(),
        before,
        "overwrote without --force"
    );
    // --force alone never replaces the CA: exit 2, naming the way out, and
    // the directory as it was.
    let ca_key = fs::read(certs.join("ca.key")).unwrap();
    let forced = issue(&["--force"]);
    assert_eq!(forced.status.code(), Some(2), "{}", text(&forced.stderr));
    let why = text(&forced.stderr);
    assert!(
        why.contains("--rotate-ca") && why.contains("ca.key"),
        "{why}"
    );
    assert_eq!(fs::read(certs.join("ca.key")).unwrap(), ca_key);
    assert_eq!(fs::read(certs.join("server.key")).unwrap(), before);
    // --rotate-ca without --force is a usage error.
    assert_eq!(issue(&["--rotate-ca"]).status.code(), Some(2));

    let rotated = issue(&["--force", "--rotate-ca"]);
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    assert_ne!(fs::read(certs.join("server.key")).unwrap(), before);
    assert_ne!(fs::read(certs.join("ca.key")).unwrap(), ca_key);
    let report: serde_json::Value = serde_json::from_str(&text(&rotated.stdout)).unwrap();
    let retired: Vec<&serde_json::Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "retired-private-key")
        .collect();
    assert_eq!(retired.len(), 1, "{report}");
    assert_eq!(
        fs::read(retired[0]["path"].as_str().unwrap()).unwrap(),
        ca_key,
        "the old CA key is kept"
    );

    // Bad input is refused before anything is written.
    let bad = xapi()
        .args(["mtls", "certs", "--out"])
        .arg(root.path().join("bad"))
        .args(["--server-name", "not a name"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(!root.path().join("bad").exists());

    let rendered = root.path().join("proxy");
    let out = xapi()
        .args(["mtls", "render", "--api-id", API_ID, "--stage", STAGE])
        .args(["--server-name", PROXY_NAME, "--out"])
        .arg(&rendered)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["upstream"], format!("https://{API_HOST}/{STAGE}/"));
    let dockerfile = fs::read_to_string(rendered.join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("VOLUME [\"/etc/xapi-mtls\"]"),
        "{dockerfile}"
    );
    let refused = xapi()
        .args([
            "mtls", "render", "--api-id", API_ID, "--stage", STAGE, "--out",
        ])
        .arg(&rendered)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));

    assert!(
        dockerfile.contains("ENTRYPOINT [\"/usr/local/bin/xapi-mtls-entrypoint\"]"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("COPY xapi-mtls-entrypoint.sh "),
        "{dockerfile}"
    );

    // On ECS the certificates arrive as secrets in the environment: the
    // rendered entrypoint writes them where nginx.conf reads them, keys 0600,
    // and takes them out of the environment NGINX inherits.
    let injected = root.path().join("injected");
    let injected_arg = injected.display().to_string();
    let script = fs::read_to_string(rendered.join("xapi-mtls-entrypoint.sh")).unwrap();
    assert_eq!(
        fs::metadata(rendered.join("xapi-mtls-entrypoint.sh"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o755
    );
    let script_path = root.path().join("entrypoint.sh");
    fs::write(
        &script_path,
        script.replace("/etc/xapi-mtls", &injected_arg),
    )
    .unwrap();
    let pem = |f: &str| fs::read_to_string(certs.join(f)).unwrap();
    let started = Command::new(find_tool("sh"))
        .arg(&script_path)
        .args(["env"])
        .env("XAPI_MTLS_SERVER_CERT", pem("server.pem").trim_end())
        .env("XAPI_MTLS_SERVER_KEY", pem("server.key").trim_end())
        .env("XAPI_MTLS_CLIENT_CA", pem("ca.pem").trim_end())
        .env("XAPI_MTLS_CRL", pem("crl.pem").trim_end())
        .env("XAPI_MTLS_ISSUER_PIN", pem("issuer-pin.conf").trim_end())
        .output()
        .unwrap();
    assert!(started.status.success(), "{}", text(&started.stderr));
    assert!(
        !text(&started.stdout).contains("XAPI_MTLS_"),
        "the PEMs leaked into NGINX's environment"
    );
    for f in [
        "server.pem",
        "server.key",
        "ca.pem",
        "crl.pem",
        "issuer-pin.conf",
    ] {
        assert_eq!(fs::read_to_string(injected.join(f)).unwrap(), pem(f), "{f}");
    }
    assert_eq!(
        fs::metadata(injected.join("server.key"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    // Without the secrets it only runs the command (certificates mounted instead).
    let mounted = Command::new(find_tool("sh"))
        .arg(&script_path)
        .arg("true")
        .output()
        .unwrap();
    assert!(mounted.status.success(), "{}", text(&mounted.stderr));

    // Only the mount point moves to where the entrypoint wrote the
    // certificates; as a non-root user the privileged ports move too.
    let mut conf = fs::read_to_string(rendered.join("nginx.conf"))
        .unwrap()
        .replace("/etc/xapi-mtls", &injected_arg);
    let is_root = Command::new(find_tool("id"))
        .arg("-u")
        .output()
        .is_ok_and(|o| text(&o.stdout).trim() == "0");
    if !is_root {
        let run = root.path().join("run");
        fs::create_dir_all(&run).unwrap();
        conf = conf
            .replace(
                "listen 443 ssl;",
                &format!("listen 127.0.0.1:{} ssl;", free_port()),
            )
            .replace(
                "listen 8080;",
                &format!("listen 127.0.0.1:{};", free_port()),
            );
        conf = conf.replacen(
            "events {",
            &format!("pid {}/nginx.pid;\nevents {{", run.display()),
            1,
        );
    }
    let conf_path = root.path().join("nginx.conf");
    fs::write(&conf_path, &conf).unwrap();
    let pid = format!("pid {};", root.path().join("nginx.pid").display());
    let mut args: Vec<String> = vec!["-e".into(), "stderr".into(), "-t".into(), "-c".into()];
    args.push(conf_path.display().to_string());
    if is_root {
        args.extend(["-g".into(), pid]);
    }
    let isolated = is_root
        .then(|| {
            Command::new("unshare")
                .arg("-n")
                .arg(&nginx)
                .args(&args)
                .output()
                .ok()
        })
        .flatten()
        .filter(|o| !text(&o.stderr).contains("unshare failed"));
    let out = match isolated {
        Some(out) => out,
        None => Command::new(&nginx).args(&args).output().unwrap(),
    };
    assert!(
        out.status.success(),
        "nginx -t failed:\n{}\n{conf}",
        text(&out.stderr)
    );
}

/// A CA for building a corporate hierarchy in tests.
pub(crate) struct TestCa {
    pub(crate) params: rcgen::CertificateParams,
    pub(crate) key: rcgen::KeyPair,
    pub(crate) pem: String,
}

pub(crate) fn test_ca(cn: &str, parent: Option<&TestCa>, pathlen: Option<u8>) -> TestCa {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Corp");
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::Ca(match pathlen {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let key = KeyPair::generate().unwrap();
    let cert = match parent {
        None => params.self_signed(&key).unwrap(),
        Some(p) => params
            .signed_by(&key, &Issuer::from_params(&p.params, &p.key))
            .unwrap(),
    };
    TestCa {
        params,
        key,
        pem: cert.pem(),
    }
}

/// `CN=<cn>` client certificate and key from `ca`, the file holding the
/// certificate followed by `chain` (what a client sends).
fn test_client(dir: &Path, name: &str, cn: &str, ca: &TestCa, chain: &[&TestCa]) {
    use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair};
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::ExplicitNoCa;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    // With the issuer's key id, OpenSSL builds the chain through the CA that
    // really signed it (not a trusted namesake), as a careful attacker would.
    params.use_authority_key_identifier_extension = true;
    let key = KeyPair::generate().unwrap();
    let cert = params
        .signed_by(&key, &Issuer::from_params(&ca.params, &ca.key))
        .unwrap();
    fs::create_dir_all(dir).unwrap();
    let mut pem = cert.pem();
    for c in chain {
        pem.push_str(&c.pem);
    }
    fs::write(dir.join(format!("client-{name}.pem")), pem).unwrap();
    fs::write(dir.join(format!("client-{name}.key")), key.serialize_pem()).unwrap();
}

fn empty_crl(ca: &TestCa) -> String {
    crl_until(ca, time::Duration::days(7))
}

/// An empty CRL from `ca` whose next update is `left` from now (negative: lapsed).
pub(crate) fn crl_until(ca: &TestCa, left: time::Duration) -> String {
    crl_of_issuer_until(&rcgen::Issuer::from_params(&ca.params, &ca.key), left)
}

/// The same from any issuer (a CA read back from files, say).
pub(crate) fn crl_of_issuer_until(
    issuer: &rcgen::Issuer<'_, impl rcgen::SigningKey>,
    left: time::Duration,
) -> String {
    use rcgen::{CertificateRevocationListParams, KeyIdMethod, SerialNumber};
    let now = time::OffsetDateTime::now_utc();
    CertificateRevocationListParams {
        this_update: now - time::Duration::days(30),
        next_update: now + left,
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: vec![],
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(issuer)
    .unwrap()
    .pem()
    .unwrap()
}

/// Issue #1 of the fronts review: a supplied issuing CA under a corporate
/// root. The trust file must carry the root, yet only the issuing CA's
/// clients get in: a sibling intermediate's `CN=alice`, a namesake of the
/// issuing CA minted under that sibling, and a self-made namesake root are
/// all refused, by the issuer pin even when the CRL file (edited by hand)
/// would let them verify; a revoked client of the issuing CA is refused too.
#[test]
fn nginx_admits_only_the_pinned_issuer_under_a_shared_root() {
    let root = tempfile::tempdir().unwrap();
    let corp = test_ca("Corp Root", None, None);
    let team_a = test_ca("Team A Issuing", Some(&corp), Some(0));
    // Unconstrained, so it can mint a sub-CA with Team A's exact DN.
    let team_b = test_ca("Team B Issuing", Some(&corp), None);
    let fake_a = test_ca("Team A Issuing", Some(&team_b), Some(0));
    let chain = format!("{}{}", team_a.pem, corp.pem);
    let a_key = team_a.key.serialize_pem();

    // Without the root's CRL every client would fail in NGINX: refused up front.
    let refused = write_certs(
        &root.path().join("no-crl"),
        &CertRequest {
            server_name: PROXY_NAME.into(),
            clients: vec!["alice".into()],
            days: 2,
            ca: Some((chain.clone(), a_key.clone())),
            chain_crls: None,
            rotate_ca: false,
        },
        false,
    )
    .unwrap_err();
    assert!(refused.to_string().contains("--chain-crl"), "{refused}");

    // A corporate bundle with Team B's CRL: refused, since a CRL is what
    // makes NGINX accept a CA's chains.
    let foreign = write_certs(
        &root.path().join("foreign-crl"),
        &CertRequest {
            server_name: PROXY_NAME.into(),
            clients: vec!["alice".into()],
            days: 2,
            ca: Some((chain.clone(), a_key.clone())),
            chain_crls: Some(empty_crl(&corp) + &empty_crl(&team_b)),
            rotate_ca: false,
        },
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(foreign.contains("CN=Team B Issuing"), "{foreign}");

    let p = start_with(root.path(), |certs| {
        issue_chain(
            certs,
            PROXY_NAME,
            &["alice", "carol"],
            Some((chain.clone(), a_key.clone())),
            Some(empty_crl(&corp)),
        );
        // The CRLs alone would keep Team B's clients and the namesake out
        // (the cousin test shows that). Added here by hand, so the test
        // reaches the pin behind them: the issuer DN, and the depth for the
        // namesake.
        let mut crl = fs::read_to_string(certs.join("crl.pem")).unwrap();
        crl.push_str(&(empty_crl(&team_b) + &empty_crl(&fake_a)));
        fs::write(certs.join("crl.pem"), crl).unwrap();
        let out = xapi::mtls::revoke_client(
            certs,
            &xapi::mtls::RevokeTarget::Client("carol".into()),
            Some(&a_key),
        )
        .unwrap();
        assert!(out.changed);
        assert_eq!(
            out.crls.len(),
            4,
            "ours, the root's, B's, the namesake's: {:?}",
            out.crls
        );
    });
    let certs = p.certs.clone();

    let out = p.curl(&with_client(&certs, "alice"), "/pets");
    assert_eq!(
        status_body(&out).0,
        "200",
        "{}\n{}",
        text(&out.stderr),
        p.nginx_log()
    );
    assert_eq!(p.seen()[0].subject, "CN=alice");

    let attacks = root.path().join("attacks");
    // Same root, other issuing CA, same CN.
    test_client(&attacks, "sibling", "alice", &team_b, &[&team_b]);
    // A CA named exactly like Team A, minted by Team B: verifies to the root,
    // issuer DN matches, but it sits one level deeper.
    test_client(&attacks, "namesake", "alice", &fake_a, &[&fake_a, &team_b]);
    // A self-made root with Team A's DN.
    let own = test_ca("Team A Issuing", None, Some(0));
    test_client(&attacks, "selfmade", "alice", &own, &[&own]);
    // Each is refused. The sibling's chain verifies and only the issuer DN
    // check stops it (403). The namesake's chain verifies and its issuer DN
    // matches: only the pinned depth stops it (with `ssl_verify_depth 2`
    // this very request gets 200; OpenSSL then reports the CRL lookup of the
    // truncated chain as the last error). The self-made root never verifies.
    for (name, want, verify) in [
        ("sibling", "403", "SUCCESS"),
        ("namesake", "400", "FAILED:"),
        ("selfmade", "400", "FAILED:"),
    ] {
        let out = p.curl(&with_client(&attacks, name), &format!("/{name}"));
        let (status, body) = status_body(&out);
        assert_eq!(status, want, "{name}: {body} {}", text(&out.stderr));
        let line = access_line(root.path(), &format!("/{name}"));
        assert!(
            line.contains(&format!("client_verify={verify}")),
            "{name}: {line}"
        );
    }
    let out = p.curl(&with_client(&certs, "carol"), "/carol");
    let (status, body) = status_body(&out);
    assert_eq!(status, "400", "revoked carol: {body}");
    assert!(body.contains("The SSL certificate error"), "{body}");
    assert_eq!(p.seen().len(), 1, "only alice reached the upstream");
    let line = access_line(root.path(), "/carol");
    assert!(
        line.contains("client_verify=FAILED:certificate revoked"),
        "{line}"
    );
}

/// The access-log line of the request for `path` (NGINX writes it just after
/// answering, so it may lag curl a little).
fn access_line(root: &Path, path: &str) -> String {
    let needle = format!(" {path} HTTP");
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let log = fs::read_to_string(root.join("nginx.out")).unwrap_or_default();
        if let Some(line) = log.lines().find(|l| l.contains(&needle)) {
            return line.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "no access log line for {path}:\n{log}"
        );
        sleep(Duration::from_millis(20));
    }
}

/// A revoked client of a generated CA is refused, the others still get in,
/// and the upstream's X-Forwarded-For is the address NGINX saw and its
/// x-apigw-api-id the proxy's API, never the client's claims.
#[test]
fn nginx_refuses_revoked_clients_and_spoofed_forwarding_headers() {
    let root = tempfile::tempdir().unwrap();
    let p = start_with(root.path(), |certs| {
        issue(certs, PROXY_NAME, &["alice", "bob", "dave"], None);
        for name in ["bob", "bob"] {
            xapi::mtls::revoke_client(certs, &xapi::mtls::RevokeTarget::Client(name.into()), None)
                .unwrap();
        }
    });
    let certs = p.certs.clone();
    let crls = xapi::mtls::read_crls(&fs::read_to_string(certs.join("crl.pem")).unwrap()).unwrap();
    assert_eq!(crls.len(), 1);
    assert_eq!(crls[0].revoked.len(), 1, "revoking twice lists bob once");

    let mut args = with_client(&certs, "alice");
    args.extend(["-H".into(), "X-Forwarded-For: 203.0.113.9, 10.0.0.1".into()]);
    let out = p.curl(&args, "/pets");
    assert_eq!(status_body(&out).0, "200", "{}", p.nginx_log());
    assert_eq!(
        p.seen()[0].xff,
        "127.0.0.1",
        "the client's claim reached the API"
    );

    // Through an execute-api endpoint API Gateway routes by x-apigw-api-id:
    // a client naming another API, in any case and any number of times,
    // still reaches only this proxy's API.
    let mut args = with_client(&certs, "alice");
    for h in [
        "x-apigw-api-id: zzzzzzzzzz",
        "X-APIGW-API-ID: yyyyyyyyyy",
        "X-Apigw-Api-Id: a1b2c3d4e5, zzzzzzzzzz",
    ] {
        args.extend(["-H".into(), h.into()]);
    }
    let out = p.curl(&args, "/other-api");
    assert_eq!(status_body(&out).0, "200", "{}", p.nginx_log());
    let seen = p.seen();
    assert_eq!(seen[1].path, format!("/{STAGE}/other-api"));
    assert_eq!(
        seen[1].api_id, API_ID,
        "a client's x-apigw-api-id reached the API"
    );
    assert_eq!(
        seen[0].api_id, API_ID,
        "the proxy names its API on every request"
    );

    let out = p.curl(&with_client(&certs, "dave"), "/pets");
    assert_eq!(status_body(&out).0, "200");
    let out = p.curl(&with_client(&certs, "bob"), "/pets");
    let (status, body) = status_body(&out);
    assert_eq!(status, "400", "revoked bob: {body}");
    assert_eq!(p.seen().len(), 3, "bob never reached the upstream");
}

/// The CRLs are the pin: root -> policy CA A -> issuing CA "X", and root ->
/// policy CA B -> a cousin issuing CA with X's exact name at X's exact
/// depth. Its client passes the depth and issuer-DN checks, yet is refused:
/// NGINX finds X's CRL by the cousin's name and X's key did not sign it,
/// and B has no CRL. xapi refuses a chain CRL bundle carrying B's CRL;
/// the last part shows that, carried anyway, it would let the cousin in.
#[test]
fn nginx_refuses_a_cousin_issuing_ca_with_the_same_name_and_depth() {
    let root = tempfile::tempdir().unwrap();
    let corp = test_ca("Corp Root", None, None);
    let policy_a = test_ca("Policy A", Some(&corp), Some(1));
    let policy_b = test_ca("Policy B", Some(&corp), Some(1));
    let x = test_ca("Issuing X", Some(&policy_a), Some(0));
    let cousin = test_ca("Issuing X", Some(&policy_b), Some(0));
    let chain = format!("{}{}{}", x.pem, policy_a.pem, corp.pem);
    let x_key = x.key.serialize_pem();

    let bundle_with_b = empty_crl(&corp) + &empty_crl(&policy_a) + &empty_crl(&policy_b);
    let refused = write_certs(
        &root.path().join("with-b"),
        &CertRequest {
            server_name: PROXY_NAME.into(),
            clients: vec![],
            days: 2,
            ca: Some((chain.clone(), x_key.clone())),
            chain_crls: Some(bundle_with_b),
            rotate_ca: false,
        },
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(
        refused.contains("CN=Policy B") && refused.contains("outside"),
        "{refused}"
    );

    let p = start_with(&root.path().join("proxy"), |certs| {
        issue_chain(
            certs,
            PROXY_NAME,
            &["alice"],
            Some((chain.clone(), x_key.clone())),
            Some(empty_crl(&corp) + &empty_crl(&policy_a)),
        );
    });
    let pin = fs::read_to_string(p.certs.join("issuer-pin.conf")).unwrap();
    assert!(pin.contains("ssl_verify_depth 2;"), "{pin}");
    let attacks = root.path().join("attacks");
    test_client(&attacks, "cousin", "alice", &cousin, &[&cousin, &policy_b]);

    let out = p.curl(&with_client(&p.certs, "alice"), "/alice");
    assert_eq!(status_body(&out).0, "200", "{}", p.nginx_log());
    let out = p.curl(&with_client(&attacks, "cousin"), "/cousin");
    let (status, body) = status_body(&out);
    assert_eq!(status, "400", "the cousin got in: {body}");
    let line = access_line(&root.path().join("proxy"), "/cousin");
    assert!(line.contains("client_verify=FAILED:"), "{line}");
    // Same issuer DN as the pin: only the CRLs stood in the way.
    assert!(
        pin.contains(r#"!= "O=Corp,CN=Issuing X""#)
            && line.contains(r#"client_issuer="O=Corp,CN=Issuing X""#),
        "{pin}\n{line}"
    );
    assert_eq!(p.seen().len(), 1, "only alice reached the upstream");
    drop(p);

    // What the refusal prevents: with B's and the cousin's CRLs in the file
    // (by hand; xapi writes no such file), the cousin passes every check.
    let p = start_with(&root.path().join("hand-edited"), |certs| {
        issue_chain(
            certs,
            PROXY_NAME,
            &["alice"],
            Some((chain.clone(), x_key.clone())),
            Some(empty_crl(&corp) + &empty_crl(&policy_a)),
        );
        let mut crl = fs::read_to_string(certs.join("crl.pem")).unwrap();
        crl.push_str(&(empty_crl(&policy_b) + &empty_crl(&cousin)));
        fs::write(certs.join("crl.pem"), crl).unwrap();
    });
    let out = p.curl(&with_client(&attacks, "cousin"), "/cousin");
    assert_eq!(status_body(&out).0, "200", "{}", p.nginx_log());
    // And deploy would not ship such a file.
    let err = xapi::mtls::secret_payload(&p.certs)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("CN=Policy B") || err.contains("CN=Issuing X"),
        "{err}"
    );
}

/// Runs `openssl` in `dir`; panics with its output when it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new(find_tool("openssl"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// An issuing CA whose subject has a multi-valued RDN (`OU=Ops+CN=Team`),
/// built with openssl as rcgen cannot: NGINX prints its
/// `$ssl_client_i_dn` as OpenSSL does, parts last to first, and the pin
/// xapi derives from `ca.pem` matches it byte for byte, so its clients get
/// in (with the parts in DER order the pin refused every one of them).
#[test]
fn the_issuer_pin_matches_nginx_for_a_multi_valued_rdn() {
    let root = tempfile::tempdir().unwrap();
    let p = start_with(root.path(), |certs| {
        fs::create_dir_all(certs).unwrap();
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ];
        let mut ca = vec!["req", "-x509"];
        ca.extend(ec);
        ca.extend([
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/O=Corp/OU=Ops+CN=Team",
            "-multivalue-rdn",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(certs, &ca);
        fs::write(
            certs.join("ext.cnf"),
            format!(
                "[srv]\nsubjectAltName=DNS:{PROXY_NAME}\nextendedKeyUsage=serverAuth\n\
                 [cli]\nextendedKeyUsage=clientAuth\n"
            ),
        )
        .unwrap();
        for (name, file, ext, serial) in [
            (PROXY_NAME, "server", "srv", "2"),
            ("alice", "client-alice", "cli", "3"),
        ] {
            let (key, csr, pem) = (
                format!("{file}.key"),
                format!("{file}.csr"),
                format!("{file}.pem"),
            );
            let subj = format!("/CN={name}");
            let mut req = vec!["req"];
            req.extend(ec);
            req.extend(["-keyout", &key, "-out", &csr, "-subj", &subj]);
            openssl(certs, &req);
            openssl(
                certs,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-set_serial",
                    serial,
                    "-days",
                    "2",
                    "-out",
                    &pem,
                    "-extfile",
                    "ext.cnf",
                    "-extensions",
                    ext,
                ],
            );
        }
        fs::write(certs.join("index.txt"), "").unwrap();
        fs::write(certs.join("crlnumber"), "01\n").unwrap();
        let dir = certs.display();
        fs::write(
            certs.join("ca.cnf"),
            format!(
                "[ca]\ndefault_ca=d\n[d]\ndatabase={dir}/index.txt\ncrlnumber={dir}/crlnumber\n\
                 default_md=sha256\ndefault_crl_days=2\n"
            ),
        )
        .unwrap();
        openssl(
            certs,
            &[
                "ca", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", "crl.pem",
                "-config", "ca.cnf",
            ],
        );
        let ca_pem = fs::read_to_string(certs.join("ca.pem")).unwrap();
        fs::write(
            certs.join("issuer-pin.conf"),
            xapi::mtls::issuer_pin_conf(&ca_pem).unwrap(),
        )
        .unwrap();
    });
    let out = p.curl(&with_client(&p.certs, "alice"), "/pets");
    let (status, body) = status_body(&out);
    let line = access_line(root.path(), "/pets");
    // What NGINX itself printed for the issuer.
    assert!(
        line.contains(r#"client_issuer="CN=Team+OU=Ops,O=Corp""#),
        "{line}"
    );
    let pin = fs::read_to_string(p.certs.join("issuer-pin.conf")).unwrap();
    assert_eq!(status, "200", "{body}\n{line}\n{pin}\n{}", p.nginx_log());
    // xapi cannot sign under such a CA (rcgen splits the RDN): it says so
    // rather than issue clients that never verify; deploy ships this directory.
    let err = write_certs(
        &root.path().join("from-multi"),
        &CertRequest {
            server_name: PROXY_NAME.into(),
            clients: vec!["bob".into()],
            days: 1,
            ca: Some((
                fs::read_to_string(p.certs.join("ca.pem")).unwrap(),
                fs::read_to_string(p.certs.join("ca.key")).unwrap(),
            )),
            chain_crls: None,
            rotate_ca: false,
        },
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("multi-valued RDN"), "{err}");
    let payload = xapi::mtls::secret_payload(&p.certs).unwrap();
    assert!(payload.contains("CN=Team+OU=Ops,O=Corp"), "{payload}");
    assert!(pin.contains(r#"!= "CN=Team+OU=Ops,O=Corp""#), "{pin}");
    assert_eq!(p.seen()[0].subject, "CN=alice");
}

/// The subject of a CA whose CN, OU and O are `values`, as `openssl x509
/// -nameopt RFC2253` prints it: the flags NGINX's `$ssl_client_i_dn` uses.
fn openssl_rfc2253(dir: &Path, pem: &str) -> String {
    let path = dir.join("ca.pem");
    fs::write(&path, pem).unwrap();
    let out = Command::new(find_tool("openssl"))
        .args(["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    line.trim_end_matches('\n')
        .strip_prefix("subject=")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// For any printable-ASCII subject xapi agrees to pin (RFC 2253's
    /// specials, leading `#` and spaces, trailing spaces included), the pin
    /// holds exactly what OpenSSL prints; what it cannot reproduce it refuses.
    #[test]
    fn the_pin_is_the_dn_openssl_prints(
        values in proptest::collection::vec("[ -~]{1,12}", 1..4),
    ) {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let mut params = CertificateParams::default();
        for (t, v) in [DnType::CommonName, DnType::OrganizationalUnitName, DnType::OrganizationName]
            .into_iter()
            .zip(&values)
        {
            params.distinguished_name.push(t, v.as_str());
        }
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let pem = params.self_signed(&KeyPair::generate().unwrap()).unwrap().pem();
        let dir = tempfile::tempdir().unwrap();
        match xapi::mtls::issuer_pin_conf(&pem) {
            Ok(conf) => {
                let want = openssl_rfc2253(dir.path(), &pem);
                let quoted = want.replace('\\', "\\\\").replace('"', "\\\"");
                let line = format!("if ($ssl_client_i_dn != \"{quoted}\") {{");
                proptest::prop_assert!(conf.contains(&line), "{}\n{}", want, conf);
            }
            Err(e) => proptest::prop_assert!(
                values.iter().any(|v| v.contains('$')),
                "refused {:?}: {}", values, e
            ),
        }
    }
}
