//! Rendering the proxy's nginx.conf and Dockerfile.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use super::certs::validate_dns_name;
use super::{
    MtlsError, CA_CERT_FILE, CLIENT_SUBJECT_HEADER, CRL_FILE, ISSUER_PIN_FILE, SERVER_CERT_FILE,
    SERVER_KEY_FILE,
};

const NGINX_TEMPLATE: &str = include_str!("nginx.conf.tmpl");
const DOCKERFILE_TEMPLATE: &str = include_str!("Dockerfile.tmpl");
const ENTRYPOINT_TEMPLATE: &str = include_str!("entrypoint.sh.tmpl");

/// Where the Dockerfile expects the certificates to be mounted.
pub const DEFAULT_CERT_DIR: &str = "/etc/xapi-mtls";
/// TLS port the consumers' load balancer forwards to.
pub const DEFAULT_HTTPS_PORT: u16 = 443;
/// Plain-HTTP port answering `GET /health` for load balancer health checks.
pub const DEFAULT_HEALTH_PORT: u16 = 8080;
/// The Amazon-provided VPC DNS resolver, reachable at this link-local address
/// from every subnet; it answers the execute-api endpoint's private DNS names.
pub const DEFAULT_RESOLVER: IpAddr = IpAddr::V4(Ipv4Addr::new(169, 254, 169, 253));
/// CA bundle of the Debian-based NGINX image, used to verify the private
/// API's Amazon-issued certificate.
pub const DEFAULT_UPSTREAM_CA_FILE: &str = "/etc/ssl/certs/ca-certificates.crt";
/// Base image: the official NGINX image from ECR Public, so pulls from a
/// private subnet need only the ECR endpoints, not Docker Hub.
pub const NGINX_IMAGE: &str = "public.ecr.aws/nginx/nginx:stable";

/// What [`render`] should produce. Build it with [`RenderRequest::new`] and
/// override fields as needed; every field beyond `api_id`/`region`/`stage`
/// has a production default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RenderRequest {
    /// REST API id: 10 lowercase letters/digits.
    pub api_id: String,
    /// AWS region, e.g. `us-east-1`.
    pub region: String,
    /// Stage the proxy forwards to; every request path is prefixed with it.
    pub stage: String,
    /// NGINX `server_name` for the TLS server; `None` renders `_` (any).
    pub server_name: Option<String>,
    /// Test-only `host:port` to dial instead of the API hostname. Host header,
    /// SNI and certificate check still use the real private-API hostname.
    pub upstream_override: Option<String>,
    /// Where server.pem, server.key and ca.pem are mounted at run time.
    pub cert_dir: String,
    /// Address to listen on; `None` listens on all (needed in a container).
    pub listen_address: Option<IpAddr>,
    /// TLS (mTLS) listener port.
    pub listen_https: u16,
    /// Plain-HTTP health check port.
    pub listen_health: u16,
    /// DNS resolver NGINX uses to look up the API hostname at run time.
    pub resolver: IpAddr,
    /// CA bundle that must verify the private API's certificate.
    pub upstream_ca_file: String,
    /// Directory for the pid file and temp files, for running outside the
    /// image as a non-root user (tests); `None` keeps the image's defaults.
    pub runtime_dir: Option<String>,
}

impl RenderRequest {
    /// A request with the production defaults: certificates in
    /// [`DEFAULT_CERT_DIR`], ports 443/8080 on all addresses, the VPC resolver
    /// and the image's CA bundle.
    pub fn new(
        api_id: impl Into<String>,
        region: impl Into<String>,
        stage: impl Into<String>,
    ) -> Self {
        Self {
            api_id: api_id.into(),
            region: region.into(),
            stage: stage.into(),
            server_name: None,
            upstream_override: None,
            cert_dir: DEFAULT_CERT_DIR.to_string(),
            listen_address: None,
            listen_https: DEFAULT_HTTPS_PORT,
            listen_health: DEFAULT_HEALTH_PORT,
            resolver: DEFAULT_RESOLVER,
            upstream_ca_file: DEFAULT_UPSTREAM_CA_FILE.to_string(),
            runtime_dir: None,
        }
    }

    /// The private API's hostname: what the proxy sends as Host and SNI.
    /// Built here, not by the crate's `ExecuteApiHost`, because this unit
    /// builds on its own; a test beside `ExecuteApiHost` holds the two to
    /// the same answer in every partition.
    pub fn api_host(&self) -> String {
        // China regions live under a different partition domain.
        let domain = if self.region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("{}.execute-api.{}.{domain}", self.api_id, self.region)
    }
}

/// The files a producer builds the proxy image from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Rendered {
    pub nginx_conf: String,
    pub dockerfile: String,
    /// Shell script: writes certificates injected as environment variables, then runs NGINX.
    pub entrypoint: String,
}

/// Renders nginx.conf and the Dockerfile. Every input is validated against a
/// strict character set first, so nothing a caller passes can inject NGINX
/// directives.
pub fn render(req: &RenderRequest) -> Result<Rendered, MtlsError> {
    validate(req)?;
    let api_host = req.api_host();
    let cert_dir = req.cert_dir.trim_end_matches('/');
    let upstream = match &req.upstream_override {
        Some(hostport) => hostport.clone(),
        None => format!("{api_host}:443"),
    };
    let listen = |port: u16| match req.listen_address {
        None => port.to_string(),
        Some(IpAddr::V4(ip)) => format!("{ip}:{port}"),
        Some(IpAddr::V6(ip)) => format!("[{ip}]:{port}"),
    };
    let resolver = match req.resolver {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    let (runtime_main, runtime_http) = match &req.runtime_dir {
        None => (String::new(), String::new()),
        Some(dir) => {
            let dir = dir.trim_end_matches('/');
            // Every temp path a stock build registers, or a non-root NGINX
            // fails at start-up trying to create the packaged defaults.
            let temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
                .iter()
                .map(|kind| format!("    {kind}_temp_path {dir}/{kind}_temp;\n"))
                .collect::<String>();
            (format!("pid {dir}/nginx.pid;\n"), temps)
        }
    };

    // Certificate file names live in mod.rs; the template spells them out for
    // readability, so keep the two in step here.
    let nginx_conf = NGINX_TEMPLATE
        .replace(
            "{{CERT_DIR}}/server.pem",
            &format!("{cert_dir}/{SERVER_CERT_FILE}"),
        )
        .replace(
            "{{CERT_DIR}}/server.key",
            &format!("{cert_dir}/{SERVER_KEY_FILE}"),
        )
        .replace("{{CERT_DIR}}/ca.pem", &format!("{cert_dir}/{CA_CERT_FILE}"))
        .replace("{{CERT_DIR}}/crl.pem", &format!("{cert_dir}/{CRL_FILE}"))
        .replace(
            "{{CERT_DIR}}/issuer-pin.conf",
            &format!("{cert_dir}/{ISSUER_PIN_FILE}"),
        )
        .replace("{{CERT_DIR}}", cert_dir)
        // Whole lines, so the production render has no stray blank lines.
        .replace("{{RUNTIME_MAIN}}\n", &runtime_main)
        .replace("{{RUNTIME_HTTP}}\n", &runtime_http)
        .replace("{{RESOLVER}}", &resolver)
        .replace("{{HTTPS_LISTEN}}", &listen(req.listen_https))
        .replace("{{HEALTH_LISTEN}}", &listen(req.listen_health))
        .replace("{{SERVER_NAME}}", req.server_name.as_deref().unwrap_or("_"))
        .replace("{{UPSTREAM}}", &upstream)
        .replace("{{UPSTREAM_CA_FILE}}", &req.upstream_ca_file)
        .replace("{{API_HOST}}", &api_host)
        .replace("{{API_ID}}", &req.api_id)
        .replace("{{STAGE}}", &req.stage)
        .replace("{{SUBJECT_HEADER}}", CLIENT_SUBJECT_HEADER);

    let dockerfile = DOCKERFILE_TEMPLATE
        .replace("{{IMAGE}}", NGINX_IMAGE)
        .replace("{{CERT_DIR}}", cert_dir)
        .replace("{{HTTPS_PORT}}", &req.listen_https.to_string())
        .replace("{{HEALTH_PORT}}", &req.listen_health.to_string())
        .replace("{{API_HOST}}", &api_host)
        .replace("{{STAGE}}", &req.stage);

    let [server_cert, server_key, client_ca, crl, pin] = &super::SECRET_FIELDS;
    let entrypoint = ENTRYPOINT_TEMPLATE
        .replace("{{ENV_SERVER_CERT}}", server_cert.env)
        .replace("{{ENV_SERVER_KEY}}", server_key.env)
        .replace("{{ENV_CLIENT_CA}}", client_ca.env)
        .replace("{{ENV_CRL}}", crl.env)
        .replace("{{ENV_ISSUER_PIN}}", pin.env)
        .replace("{{SERVER_CERT_FILE}}", server_cert.file)
        .replace("{{SERVER_KEY_FILE}}", server_key.file)
        .replace("{{CA_CERT_FILE}}", client_ca.file)
        .replace("{{CRL_FILE}}", crl.file)
        .replace("{{ISSUER_PIN_FILE}}", pin.file)
        .replace("{{CERT_DIR}}", cert_dir);

    Ok(Rendered {
        nginx_conf,
        dockerfile,
        entrypoint,
    })
}

fn validate(req: &RenderRequest) -> Result<(), MtlsError> {
    let bad = |v: &str| Err(MtlsError::BadId(v.to_string()));
    if !is_api_id(&req.api_id) {
        return bad(&req.api_id);
    }
    if !is_region(&req.region) {
        return bad(&req.region);
    }
    if !is_stage(&req.stage) {
        return bad(&req.stage);
    }
    if let Some(name) = &req.server_name {
        validate_dns_name(name)?;
    }
    if let Some(hostport) = &req.upstream_override {
        if !is_host_port(hostport) {
            return bad(hostport);
        }
    }
    for path in [
        Some(&req.cert_dir),
        Some(&req.upstream_ca_file),
        req.runtime_dir.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if !is_safe_path(path) {
            return bad(path);
        }
    }
    for port in [req.listen_https, req.listen_health] {
        if port == 0 {
            return bad(&port.to_string());
        }
    }
    if req.listen_https == req.listen_health {
        return bad(&req.listen_health.to_string());
    }
    Ok(())
}

fn is_api_id(s: &str) -> bool {
    s.len() == 10
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `us-east-1`, `us-gov-west-1`, `ap-southeast-2`, `cn-north-1`, ...
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    s.len() <= 32
        && words.len() >= 2
        && words[0].len() == 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// API Gateway's own rule for stage names.
fn is_stage(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_host_port(s: &str) -> bool {
    let Some((host, port)) = s.rsplit_once(':') else {
        return false;
    };
    let port_ok = !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|p| p != 0);
    let host_ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        v6.parse::<Ipv6Addr>().is_ok()
    } else {
        host.parse::<Ipv4Addr>().is_ok() || validate_dns_name(host).is_ok() && !host.contains('*')
    };
    port_ok && host_ok
}

/// Absolute, and free of whitespace, quotes, `;`, `{`, `}`, `$`, `#` and `\`,
/// which NGINX would read as syntax or variables.
fn is_safe_path(s: &str) -> bool {
    s.starts_with('/')
        && s.len() <= 1024
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'/' | b'.' | b'_' | b'-' | b'+' | b'@' | b'=' | b',')
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn base() -> RenderRequest {
        RenderRequest::new("a1b2c3d4e5", "us-east-1", "prod")
    }

    /// Directive lines, without comments, for assertions that must not be
    /// satisfied by prose in a comment.
    fn directives(conf: &str) -> Vec<String> {
        conf.lines()
            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    }

    fn has(conf: &str, line: &str) -> bool {
        directives(conf).iter().any(|l| l == line)
    }

    #[test]
    fn default_render_has_the_required_directives() {
        let r = render(&base()).unwrap();
        let c = &r.nginx_conf;
        let host = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
        for line in [
            "listen 443 ssl;",
            "listen 8080;",
            "ssl_protocols TLSv1.2 TLSv1.3;",
            "ssl_verify_client on;",
            "ssl_client_certificate /etc/xapi-mtls/ca.pem;",
            "ssl_certificate     /etc/xapi-mtls/server.pem;",
            "ssl_certificate_key /etc/xapi-mtls/server.key;",
            "ssl_crl /etc/xapi-mtls/crl.pem;",
            "include /etc/xapi-mtls/issuer-pin.conf;",
            "proxy_set_header X-Forwarded-For $remote_addr;",
            &format!("set $xapi_upstream \"{host}:443\";"),
            "proxy_pass https://$xapi_upstream/prod$request_uri;",
            "proxy_ssl_server_name on;",
            &format!("proxy_ssl_name {host};"),
            &format!("proxy_set_header Host {host};"),
            "proxy_ssl_protocols TLSv1.2 TLSv1.3;",
            "proxy_ssl_verify on;",
            "proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;",
            "proxy_set_header X-Client-Cert-Subject $ssl_client_s_dn;",
            "location = /health {",
            "return 200 \"ok\";",
            "resolver 169.254.169.253 valid=30s ipv6=off;",
            "error_log stderr warn;",
            "server_name _;",
        ] {
            assert!(has(c, line), "missing {line:?} in\n{c}");
        }
        // Foreground is the Dockerfile's job; repeating it here would make
        // `nginx -g 'daemon off;'` fail with "directive is duplicate".
        assert!(!directives(c).iter().any(|l| l.starts_with("daemon")));
        assert!(!directives(c).iter().any(|l| l.starts_with("pid ")));
        assert!(!c.contains("{{"), "unreplaced placeholder");
        assert!(!r.dockerfile.contains("{{"), "unreplaced placeholder");
    }

    #[test]
    fn ciphers_are_modern_only() {
        let c = render(&base()).unwrap().nginx_conf;
        let ciphers = directives(&c)
            .into_iter()
            .find_map(|l| {
                l.strip_prefix("ssl_ciphers ")
                    .map(|s| s.trim_end_matches(';').to_string())
            })
            .unwrap();
        for suite in ciphers.split(':') {
            assert!(suite.starts_with("ECDHE-"), "{suite}");
            assert!(
                suite.contains("-GCM-") || suite.ends_with("CHACHA20-POLY1305"),
                "{suite}"
            );
        }
        let upper = directives(&c).join("\n").to_ascii_uppercase();
        for banned in [
            "3DES", "DES-CBC3", "RC4", "TLSV1.1", "TLSV1 ", "SSLV3", "MD5", "CBC",
        ] {
            assert!(!upper.contains(banned), "{banned} in\n{c}");
        }
    }

    #[test]
    fn dockerfile_mounts_certs_and_runs_in_foreground() {
        let d = render(&base()).unwrap().dockerfile;
        let lines = directives(&d);
        assert_eq!(lines[0], "FROM public.ecr.aws/nginx/nginx:stable");
        assert!(lines.contains(&"COPY nginx.conf /etc/nginx/nginx.conf".to_string()));
        assert!(lines.contains(&"VOLUME [\"/etc/xapi-mtls\"]".to_string()));
        assert!(lines.contains(&"EXPOSE 443 8080".to_string()));
        assert!(lines.contains(&"CMD [\"nginx\", \"-g\", \"daemon off;\"]".to_string()));
        assert!(!lines
            .iter()
            .any(|l| l.starts_with("COPY") && l.contains(".key")));
        assert!(!lines
            .iter()
            .any(|l| l.starts_with("COPY") && l.contains(".pem")));
    }

    #[test]
    fn overrides_change_only_what_they_should() {
        let mut r = base();
        r.upstream_override = Some("127.0.0.1:9443".into());
        r.cert_dir = "/tmp/.tmpAb12/certs/".into();
        r.listen_address = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
        r.listen_https = 18443;
        r.listen_health = 18080;
        r.runtime_dir = Some("/tmp/rt".into());
        r.server_name = Some("mtls.example.internal".into());
        r.upstream_ca_file = "/tmp/up/ca.pem".into();
        let out = render(&r).unwrap();
        let c = &out.nginx_conf;
        let host = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
        for line in [
            "set $xapi_upstream \"127.0.0.1:9443\";",
            &format!("proxy_ssl_name {host};"),
            &format!("proxy_set_header Host {host};"),
            "listen 127.0.0.1:18443 ssl;",
            "listen 127.0.0.1:18080;",
            "ssl_client_certificate /tmp/.tmpAb12/certs/ca.pem;",
            "pid /tmp/rt/nginx.pid;",
            "proxy_temp_path /tmp/rt/proxy_temp;",
            "client_body_temp_path /tmp/rt/client_body_temp;",
            "server_name mtls.example.internal;",
            "proxy_ssl_trusted_certificate /tmp/up/ca.pem;",
        ] {
            assert!(has(c, line), "missing {line:?} in\n{c}");
        }
        assert!(out.dockerfile.contains("EXPOSE 18443 18080"));

        let mut v6 = base();
        v6.listen_address = Some(IpAddr::V6(Ipv6Addr::LOCALHOST));
        v6.resolver = IpAddr::V6(Ipv6Addr::LOCALHOST);
        v6.upstream_override = Some("[::1]:9443".into());
        let c = render(&v6).unwrap().nginx_conf;
        assert!(has(&c, "listen [::1]:443 ssl;"));
        assert!(has(&c, "resolver [::1] valid=30s ipv6=off;"));
        assert!(has(&c, "set $xapi_upstream \"[::1]:9443\";"));
    }

    #[test]
    fn china_regions_use_their_partition_domain() {
        let r = RenderRequest::new("a1b2c3d4e5", "cn-north-1", "prod");
        assert_eq!(
            r.api_host(),
            "a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn"
        );
        assert!(render(&r).is_ok());
    }

    fn expect_bad_id(want: &str, edit: impl FnOnce(&mut RenderRequest)) {
        let mut r = base();
        edit(&mut r);
        match render(&r) {
            Err(MtlsError::BadId(v)) => assert_eq!(v, want),
            other => panic!("{want:?}: {other:?}"),
        }
    }

    #[test]
    fn rejects_bad_ids_naming_the_value() {
        for id in ["A1B2C3D4E5", "a1b2c3d4e", "a1b2c3d4e5f", "a1b2c3d4e;", ""] {
            expect_bad_id(id, |r| r.api_id = id.into());
        }
        for region in [
            "us-east",
            "US-EAST-1",
            "us-east-1;",
            "useast1",
            "u-east-1",
            "us-east-123",
        ] {
            expect_bad_id(region, |r| r.region = region.into());
        }
        for stage in ["pr od", "prod/..", "", "$host", "a;b", &"s".repeat(129)] {
            expect_bad_id(stage, |r| r.stage = stage.into());
        }
        for hp in [
            "127.0.0.1",
            "h:0",
            "h:1; evil",
            "[::1:1",
            "h:65536",
            "*.x:1",
            ":443",
        ] {
            expect_bad_id(hp, |r| r.upstream_override = Some(hp.into()));
        }
        for dir in [
            "relative/dir",
            "/etc/x; include /y",
            "/etc/{x}",
            "/a b",
            "/x\"y",
            "/$x",
        ] {
            expect_bad_id(dir, |r| r.cert_dir = dir.into());
            expect_bad_id(dir, |r| r.runtime_dir = Some(dir.into()));
            expect_bad_id(dir, |r| r.upstream_ca_file = dir.into());
        }
        expect_bad_id("0", |r| r.listen_https = 0);
        expect_bad_id("443", |r| r.listen_health = 443);

        let mut r = base();
        r.server_name = Some("bad name".into());
        assert!(matches!(render(&r), Err(MtlsError::BadName(v)) if v == "bad name"));
    }

    #[test]
    fn accepts_real_region_and_stage_shapes() {
        for region in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-2",
            "eu-central-1",
            "il-central-1",
        ] {
            assert!(is_region(region), "{region}");
        }
        for stage in ["prod", "v1", "dev_2", "Stage-X"] {
            assert!(is_stage(stage), "{stage}");
        }
        for hp in [
            "127.0.0.1:1",
            "localhost:65535",
            "[::1]:443",
            "x.example:8443",
        ] {
            assert!(is_host_port(hp), "{hp}");
        }
    }
}
