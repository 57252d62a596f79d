//! Issuing the proxy's CA, server and client certificates.

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, PKCS_ECDSA_P256_SHA256,
};
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::ca::load_ca;
use super::crl::{check_chain_crls, previous, sign_crl};
use super::pin::{issuer_pin_conf, parse_chain};
use super::{
    client_cert_file, client_key_file, MtlsError, CA_CERT_FILE, CA_KEY_FILE, CRL_FILE,
    ISSUER_PIN_FILE, SERVER_CERT_FILE, SERVER_KEY_FILE,
};

const MIN_DAYS: u32 = 1;
const MAX_DAYS: u32 = 3650;
/// X.509's upper bound for a CommonName (RFC 5280 ub-common-name).
const MAX_CN_LEN: usize = 64;
/// Certificates start slightly in the past so a proxy or client whose clock
/// runs a little behind the issuer's does not reject a fresh certificate.
const BACKDATE: Duration = Duration::minutes(5);

/// What [`write_certs`] should issue.
#[derive(Clone, PartialEq, Eq)]
pub struct CertRequest {
    /// DNS name consumers use to reach the proxy (SAN of `server.pem`).
    pub server_name: String,
    /// One client certificate per name (CN = name).
    pub clients: Vec<String>,
    /// Lifetime of every issued certificate, 1..=3650; with a supplied CA,
    /// capped at that CA's own expiry.
    pub days: u32,
    /// Existing CA as (certificate PEM, unencrypted PKCS#8 key PEM); `None`
    /// generates a new CA and writes its key to `ca.key`. The first
    /// certificate in the PEM is the issuer; any further ones (its chain up to
    /// a root) are copied into `ca.pem` and so trusted by NGINX as well.
    pub ca: Option<(String, String)>,
    /// PEM CRLs of the CAs above a supplied issuing CA (required when the
    /// supplied PEM carries a chain: NGINX checks a CRL for each CA in it).
    pub chain_crls: Option<String>,
    /// With `force` and no supplied CA: replace a CA whose key is in the
    /// directory. The old `ca.key` and `ca.pem` are moved aside, never deleted.
    pub rotate_ca: bool,
}

// Hand-written so a CA private key never ends up in logs or error reports.
impl fmt::Debug for CertRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertRequest")
            .field("server_name", &self.server_name)
            .field("clients", &self.clients)
            .field("days", &self.days)
            .field("chain_crls", &self.chain_crls.is_some())
            .field("rotate_ca", &self.rotate_ca)
            .field(
                "ca",
                &self.ca.as_ref().map(|_| "<supplied CA, key redacted>"),
            )
            .finish()
    }
}

/// A file written by [`write_certs`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct IssuedFile {
    pub path: PathBuf,
    /// A private key (created with mode 0600).
    pub private: bool,
    /// The replaced CA's file, moved here by a CA rotation (not issued).
    pub retired: bool,
}

struct Planned {
    path: PathBuf,
    private: bool,
    contents: String,
}

/// Issues certificates into `out_dir` (created with mode 0700 if missing).
///
/// Writes `ca.pem` (+ `ca.key` when the CA is generated here), `crl.pem`
/// (no revocations yet), `issuer-pin.conf`, `server.pem`, `server.key`, and
/// `client-<name>.pem`/`.key` per client. Every target is
/// checked before anything is written, so a refusal leaves the directory as it
/// was. With `force`, existing targets are removed and recreated, which also
/// gives old key files the 0600 mode they would not get from a truncating open.
pub fn write_certs(
    out_dir: &Path,
    req: &CertRequest,
    force: bool,
) -> Result<Vec<IssuedFile>, MtlsError> {
    validate_dns_name(&req.server_name)?;
    validate_client_names(&req.clients)?;
    if !(MIN_DAYS..=MAX_DAYS).contains(&req.days) {
        return Err(MtlsError::BadDays(req.days));
    }

    // Re-issuing from the same supplied CA (say, --force to add a client)
    // must not un-revoke anyone: its existing CRL entries carry over.
    let existing_crl = match fs::read_to_string(out_dir.join(CRL_FILE)) {
        Ok(text) if req.ca.is_some() => Some(text),
        _ => None,
    };
    // Issued in memory first: a signing failure or a refusal writes nothing.
    let planned: Vec<Planned> = issue_all(req, existing_crl.as_deref())?
        .into_iter()
        .map(|(name, private, contents)| Planned {
            path: out_dir.join(name),
            private,
            contents,
        })
        .collect();
    for file in &planned {
        check_target(&file.path, force)?;
    }
    // A generated CA replaces ca.key. That key is the only way to revoke or
    // add clients of the old CA, so it is moved aside on an explicit
    // rotation and otherwise never touched.
    let ca_key = out_dir.join(CA_KEY_FILE);
    let old_ca = req.ca.is_none() && exists(&ca_key)?;
    if old_ca && !req.rotate_ca {
        return Err(MtlsError::CaKeyExists(ca_key));
    }

    ensure_dir(out_dir)?;
    let retired = if old_ca {
        retire_ca(out_dir)?
    } else {
        Vec::new()
    };
    let mut written: Vec<IssuedFile> = Vec::with_capacity(planned.len());
    for file in &planned {
        if let Err(err) = write_one(file, force) {
            // Don't leave a half-issued set behind (e.g. a key without its cert).
            for done in &written {
                let _ = fs::remove_file(&done.path);
            }
            // Nor a directory without its CA: the rotation is undone.
            for (from, to) in &retired {
                let _ = fs::rename(to, from);
            }
            return Err(err);
        }
        written.push(IssuedFile {
            path: file.path.clone(),
            private: file.private,
            retired: false,
        });
    }
    written.extend(retired.into_iter().map(|(from, to)| IssuedFile {
        private: from.ends_with(CA_KEY_FILE),
        path: to,
        retired: true,
    }));
    Ok(written)
}

fn exists(path: &Path) -> Result<bool, MtlsError> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(MtlsError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Moves `ca.key` and `ca.pem` to `ca.key.retired-<UTC time>` and the like,
/// never over an existing file. Returns (from, to) for each file moved.
fn retire_ca(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, MtlsError> {
    let t = OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let mut moved = Vec::new();
    for name in [CA_KEY_FILE, CA_CERT_FILE] {
        let from = dir.join(name);
        if !exists(&from)? {
            continue;
        }
        let mut to = dir.join(format!("{name}.retired-{stamp}"));
        let mut n = 1;
        while exists(&to)? {
            n += 1;
            to = dir.join(format!("{name}.retired-{stamp}-{n}"));
        }
        if let Err(source) = fs::rename(&from, &to) {
            for (f, t) in &moved {
                let _ = fs::rename(t, f);
            }
            return Err(MtlsError::Io { path: from, source });
        }
        moved.push((from, to));
    }
    Ok(moved)
}

/// (file name, is a private key, PEM) for every file to write, in order.
fn issue_all(
    req: &CertRequest,
    existing_crl: Option<&str>,
) -> Result<Vec<(String, bool, String)>, MtlsError> {
    let now = OffsetDateTime::now_utc();
    let not_before = now
        .checked_sub(BACKDATE)
        .ok_or_else(|| MtlsError::Cert("system clock out of range".into()))?;
    let mut not_after = now
        .checked_add(Duration::days(i64::from(req.days)))
        .ok_or_else(|| MtlsError::Cert("system clock out of range".into()))?;

    let mut out = Vec::new();
    let (issuer, ca_pem, ca_not_after, chain_crls) = match &req.ca {
        Some((ca_pem, ca_key_pem)) => {
            let (issuer, ca_not_after) = load_ca(ca_pem, ca_key_pem)?;
            let chain_crls = supplied_chain_crls(ca_pem, req.chain_crls.as_deref(), now)?;
            // No certificate verifies past its CA's expiry, so capping leaves
            // there loses nothing and keeps "add a client to an existing CA"
            // working with the same --days the CA was made with.
            not_after = not_after.min(ca_not_after);
            let ca_pem = ensure_trailing_newline(ca_pem);
            out.push((CA_CERT_FILE.into(), false, ca_pem.clone()));
            (issuer, ca_pem, ca_not_after, chain_crls)
        }
        None => {
            let key = new_key()?;
            let mut params = CertificateParams::default();
            params.not_before = not_before;
            params.not_after = not_after;
            params.distinguished_name = dn(&ca_common_name(&key));
            // pathlen 0: this CA signs leaves only, so a leaked leaf key can't mint certificates.
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::CrlSign,
                KeyUsagePurpose::DigitalSignature,
            ];
            let cert = params.self_signed(&key).map_err(cert_err)?;
            out.push((CA_CERT_FILE.into(), false, cert.pem()));
            out.push((CA_KEY_FILE.into(), true, key.serialize_pem()));
            (
                Issuer::new(params, key),
                cert.pem(),
                not_after,
                String::new(),
            )
        }
    };
    let (revoked, number) = match existing_crl {
        Some(text) => {
            let chain = parse_chain(&ca_pem)?;
            let ca = chain[0]
                .parse_x509()
                .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;
            let prev = previous(text, &ca)?;
            (prev.revoked, prev.number)
        }
        None => (Vec::new(), 0),
    };
    // Backdated like the certificates: a CRL "not yet valid" fails every client.
    let mut crl = sign_crl(&issuer, &revoked, number + 1, not_before, ca_not_after)?;
    crl.push_str(&chain_crls);
    out.push((CRL_FILE.into(), false, crl));
    out.push((ISSUER_PIN_FILE.into(), false, issuer_pin_conf(&ca_pem)?));

    let mut server = leaf_params(not_before, not_after, ExtendedKeyUsagePurpose::ServerAuth);
    let dns = req
        .server_name
        .clone()
        .try_into()
        .map_err(|_| MtlsError::BadName(req.server_name.clone()))?;
    server.subject_alt_names = vec![SanType::DnsName(dns)];
    // Modern clients match on the SAN only; the CN is for humans reading the cert.
    server.distinguished_name = if req.server_name.len() <= MAX_CN_LEN {
        dn(&req.server_name)
    } else {
        DistinguishedName::new()
    };
    let (pem, key) = sign_leaf(&server, &issuer)?;
    out.push((SERVER_CERT_FILE.into(), false, pem));
    out.push((SERVER_KEY_FILE.into(), true, key));

    for name in &req.clients {
        let mut client = leaf_params(not_before, not_after, ExtendedKeyUsagePurpose::ClientAuth);
        client.distinguished_name = dn(name);
        let (pem, key) = sign_leaf(&client, &issuer)?;
        out.push((client_cert_file(name), false, pem));
        out.push((client_key_file(name), true, key));
    }
    Ok(out)
}

/// The CRLs of the CAs above a supplied issuing CA, checked to be complete
/// and current (NGINX refuses every client otherwise); empty for a root.
fn supplied_chain_crls(
    ca_pem: &str,
    chain_crls: Option<&str>,
    now: OffsetDateTime,
) -> Result<String, MtlsError> {
    let pems = parse_chain(ca_pem)?;
    if pems.len() == 1 {
        return Ok(String::new());
    }
    let chain: Vec<_> = pems
        .iter()
        .map(|p| p.parse_x509())
        .collect::<Result<_, _>>()
        .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;
    let Some(crls) = chain_crls else {
        return Err(MtlsError::Cert(format!(
            "the supplied CA comes with {} CA(s) above it, and NGINX checks a CRL for each: \
             pass their current CRLs (PEM) with --chain-crl",
            chain.len() - 1
        )));
    };
    check_chain_crls(&chain, crls, now)?;
    Ok(ensure_trailing_newline(crls))
}

fn leaf_params(
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    eku: ExtendedKeyUsagePurpose,
) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.not_before = not_before;
    params.not_after = not_after;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    // One EKU per leaf: NGINX/OpenSSL then refuse the server cert as a client
    // cert (and vice versa) even though one CA signs both.
    params.extended_key_usages = vec![eku];
    params.use_authority_key_identifier_extension = true;
    params
}

fn sign_leaf(
    params: &CertificateParams,
    issuer: &Issuer<'_, KeyPair>,
) -> Result<(String, String), MtlsError> {
    let key = new_key()?;
    let cert = params.signed_by(&key, issuer).map_err(cert_err)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn new_key() -> Result<KeyPair, MtlsError> {
    KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(cert_err)
}

fn dn(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn
}

/// A per-CA suffix keeps two xapi CAs from sharing a subject, so a client
/// cert from one is never even matched as a candidate issuer by the other.
fn ca_common_name(key: &KeyPair) -> String {
    // Byte 0 of the raw P-256 point is the 0x04 "uncompressed" tag, not random.
    let tag: String = key
        .public_key_raw()
        .iter()
        .skip(1)
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("xapi mTLS CA {tag}")
}

fn cert_err(err: rcgen::Error) -> MtlsError {
    MtlsError::Cert(err.to_string())
}

fn ensure_trailing_newline(s: &str) -> String {
    let mut s = s.to_string();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn check_target(path: &Path, force: bool) -> Result<(), MtlsError> {
    // symlink_metadata: a dangling symlink is still "something in the way".
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(MtlsError::Io {
            path: path.to_path_buf(),
            source: io::Error::new(io::ErrorKind::AlreadyExists, "is a directory"),
        }),
        Ok(_) if force => Ok(()),
        Ok(_) => Err(MtlsError::Exists(path.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(MtlsError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn ensure_dir(dir: &Path) -> Result<(), MtlsError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        // It will hold private keys.
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| MtlsError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

fn write_one(file: &Planned, force: bool) -> Result<(), MtlsError> {
    let io_err = |source| MtlsError::Io {
        path: file.path.clone(),
        source,
    };
    if force {
        // Unlinking (not truncating) means a symlink is replaced rather than
        // followed, and the new file gets our mode rather than the old one's.
        match fs::remove_file(&file.path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(e)),
        }
    }
    let mut handle = open_new(&file.path, file.private).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            // Created by someone else since check_target looked.
            MtlsError::Exists(file.path.clone())
        } else {
            io_err(e)
        }
    })?;
    handle
        .write_all(file.contents.as_bytes())
        .and_then(|()| handle.sync_all())
        .map_err(io_err)
}

fn open_new(path: &Path, private: bool) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    // create_new = O_EXCL: never follows a symlink planted at the target.
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Set at creation so a key is never readable by others, not even briefly.
        opts.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    opts.open(path)
}

/// DNS name for the proxy's certificate: LDH labels, optionally one leading
/// `*` label; IPv4 literals are refused because the SAN is written as a DNS name.
pub(super) fn validate_dns_name(name: &str) -> Result<(), MtlsError> {
    let bad = || MtlsError::BadName(name.to_string());
    if name.is_empty() || name.len() > 253 || name.parse::<Ipv4Addr>().is_ok() {
        return Err(bad());
    }
    let rest = name.strip_prefix("*.").unwrap_or(name);
    for label in rest.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err(bad());
        }
    }
    Ok(())
}

/// Client names become both a CN and part of a file name, so only a
/// conservative set is allowed; a leading letter/digit rules out `.`/`..`,
/// hidden files and names that look like command-line options.
fn validate_client_name(name: &str) -> Result<(), MtlsError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_CN_LEN
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(MtlsError::BadName(name.to_string()))
    }
}

fn validate_client_names(names: &[String]) -> Result<(), MtlsError> {
    let mut seen = HashSet::new();
    for name in names {
        validate_client_name(name)?;
        // Case-insensitive: on macOS/Windows `Alice` and `alice` are one file.
        if !seen.insert(name.to_ascii_lowercase()) {
            return Err(MtlsError::BadName(name.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use x509_parser::extensions::GeneralName;
    use x509_parser::prelude::{parse_x509_pem, X509Certificate};

    fn req(clients: &[&str]) -> CertRequest {
        CertRequest {
            server_name: "mtls.example.internal".into(),
            clients: clients.iter().map(|s| s.to_string()).collect(),
            days: 30,
            ca: None,
            chain_crls: None,
            rotate_ca: false,
        }
    }

    fn read(dir: &Path, name: &str) -> String {
        fs::read_to_string(dir.join(name)).unwrap()
    }

    fn with_cert<T>(pem: &str, f: impl FnOnce(&X509Certificate<'_>) -> T) -> T {
        let (_, pem) = parse_x509_pem(pem.as_bytes()).unwrap();
        let cert = pem.parse_x509().unwrap();
        f(&cert)
    }

    fn ekus(cert: &X509Certificate<'_>) -> (bool, bool) {
        let eku = cert.extended_key_usage().unwrap().unwrap().value;
        (eku.server_auth, eku.client_auth)
    }

    fn is_p256(cert: &X509Certificate<'_>) -> bool {
        let spki = cert.public_key();
        // id-ecPublicKey with namedCurve prime256v1
        spki.algorithm.algorithm.to_id_string() == "1.2.840.10045.2.1"
            && spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string())
                == Some("1.2.840.10045.3.1.7".to_string())
    }

    #[test]
    fn issues_certs_with_expected_properties() {
        let dir = tempfile::tempdir().unwrap();
        let files = write_certs(dir.path(), &req(&["alice", "bob.svc"]), false).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "ca.pem",
                "ca.key",
                "crl.pem",
                "issuer-pin.conf",
                "server.pem",
                "server.key",
                "client-alice.pem",
                "client-alice.key",
                "client-bob.svc.pem",
                "client-bob.svc.key"
            ]
        );
        assert!(files
            .iter()
            .all(|f| f.private == f.path.extension().is_some_and(|e| e == "key")));
        let crls = crate::mtls::read_crls(&read(dir.path(), "crl.pem")).unwrap();
        assert_eq!(crls.len(), 1);
        assert!(crls[0].revoked.is_empty());
        assert!(crls[0].issuer.starts_with("CN=xapi mTLS CA "));

        let ca_pem = read(dir.path(), "ca.pem");
        let (_, ca_block) = parse_x509_pem(ca_pem.as_bytes()).unwrap();
        let ca = ca_block.parse_x509().unwrap();
        let bc = ca.basic_constraints().unwrap().unwrap().value;
        assert!(bc.ca);
        assert_eq!(bc.path_len_constraint, Some(0));
        let ku = ca.key_usage().unwrap().unwrap().value;
        assert!(ku.key_cert_sign());
        assert!(is_p256(&ca));
        assert!(ca.verify_signature(None).is_ok(), "CA is self-signed");

        with_cert(&read(dir.path(), "server.pem"), |server| {
            assert!(is_p256(server));
            let san = server.subject_alternative_name().unwrap().unwrap().value;
            assert_eq!(
                san.general_names,
                vec![GeneralName::DNSName("mtls.example.internal")]
            );
            assert_eq!(ekus(server), (true, false));
            assert!(!server.basic_constraints().unwrap().unwrap().value.ca);
            assert_eq!(server.issuer(), ca.subject());
            assert!(server.verify_signature(Some(ca.public_key())).is_ok());
            let days = (server.validity().not_after.to_datetime() - OffsetDateTime::now_utc())
                .whole_hours();
            assert!((30 * 24 - 1..=30 * 24).contains(&days), "{days} hours");
        });

        for name in ["alice", "bob.svc"] {
            with_cert(&read(dir.path(), &client_cert_file(name)), |client| {
                assert!(is_p256(client));
                assert_eq!(client.subject().to_string(), format!("CN={name}"));
                assert_eq!(ekus(client), (false, true));
                assert!(client.verify_signature(Some(ca.public_key())).is_ok());
            });
            // The key on disk is the one certified.
            let key = KeyPair::from_pem(&read(dir.path(), &client_key_file(name))).unwrap();
            with_cert(&read(dir.path(), &client_cert_file(name)), |client| {
                assert_eq!(
                    client.public_key().subject_public_key.data.as_ref(),
                    key.public_key_raw()
                );
            });
        }
    }

    #[cfg(unix)]
    #[test]
    fn keys_are_0600_certs_0644_dir_0700() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("new/certs");
        for f in write_certs(&dir, &req(&["alice"]), false).unwrap() {
            let mode = fs::metadata(&f.path).unwrap().permissions().mode() & 0o777;
            // Certs depend on the umask; keys must never be group/other-accessible.
            if f.private {
                assert_eq!(mode, 0o600, "{}", f.path.display());
            } else {
                assert_eq!(mode & 0o077 & !0o044, 0, "{}", f.path.display());
            }
        }
        let mode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0);
    }

    #[test]
    fn refuses_overwrite_and_writes_nothing_when_any_target_exists() {
        let dir = tempfile::tempdir().unwrap();
        // Only the last target exists.
        fs::write(dir.path().join("client-bob.key"), "old").unwrap();
        let err = write_certs(dir.path(), &req(&["alice", "bob"]), false).unwrap_err();
        match err {
            MtlsError::Exists(p) => assert_eq!(p, dir.path().join("client-bob.key")),
            other => panic!("{other:?}"),
        }
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "nothing else written");
        assert_eq!(read(dir.path(), "client-bob.key"), "old");

        // A dangling symlink also counts as in the way.
        #[cfg(unix)]
        {
            let d2 = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink("/nonexistent/x", d2.path().join("server.key")).unwrap();
            assert!(matches!(
                write_certs(d2.path(), &req(&[]), false),
                Err(MtlsError::Exists(_))
            ));
        }
    }

    #[cfg(unix)]
    #[test]
    fn force_replaces_files_with_fresh_modes() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let first = write_certs(dir.path(), &req(&["alice"]), false).unwrap();
        let key_path = dir.path().join("server.key");
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o644)).unwrap();
        let old_key = read(dir.path(), "server.key");
        let mut from_own_ca = req(&["alice"]);
        from_own_ca.ca = Some((read(dir.path(), "ca.pem"), read(dir.path(), "ca.key")));
        let second = write_certs(dir.path(), &from_own_ca, true).unwrap();
        let names = |v: &[IssuedFile]| -> Vec<PathBuf> {
            v.iter()
                .filter(|f| !f.path.ends_with(CA_KEY_FILE))
                .map(|f| f.path.clone())
                .collect()
        };
        assert_eq!(names(&first), names(&second));
        assert_ne!(read(dir.path(), "server.key"), old_key);
        let mode = fs::metadata(&key_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    /// `--force` never deletes the CA's key: without `rotate_ca` it refuses
    /// and writes nothing; with it the old key and certificate are moved
    /// aside byte for byte, and a failed rotation puts them back.
    #[test]
    fn force_never_deletes_the_ca_key() {
        let dir = tempfile::tempdir().unwrap();
        write_certs(dir.path(), &req(&["alice"]), false).unwrap();
        let old_key = read(dir.path(), CA_KEY_FILE);
        let old_ca = read(dir.path(), CA_CERT_FILE);
        let snapshot = || {
            let mut v: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| {
                    let p = e.unwrap().path();
                    let bytes = fs::read(&p).unwrap();
                    (p, bytes)
                })
                .collect();
            v.sort();
            v
        };
        let before = snapshot();

        let err = write_certs(dir.path(), &req(&["alice", "bob"]), true).unwrap_err();
        assert!(
            matches!(&err, MtlsError::CaKeyExists(p) if p.ends_with(CA_KEY_FILE)),
            "{err}"
        );
        let msg = err.to_string();
        for want in ["--rotate-ca", "every client", "--ca-key", "revocations"] {
            assert!(msg.contains(want), "{want}: {msg}");
        }
        assert_eq!(
            snapshot(),
            before,
            "a refused --force changed the directory"
        );

        // A rotation that fails half way (a directory where a client key goes)
        // restores the old CA.
        fs::create_dir(dir.path().join("client-bob.key")).unwrap();
        let mut rotate = req(&["alice", "bob"]);
        rotate.rotate_ca = true;
        assert!(write_certs(dir.path(), &rotate, true).is_err());
        assert_eq!(read(dir.path(), CA_KEY_FILE), old_key);
        fs::remove_dir(dir.path().join("client-bob.key")).unwrap();

        let files = write_certs(dir.path(), &rotate, true).unwrap();
        let retired: Vec<&IssuedFile> = files.iter().filter(|f| f.retired).collect();
        assert_eq!(retired.len(), 2, "{files:?}");
        let key = retired.iter().find(|f| f.private).unwrap();
        let cert = retired.iter().find(|f| !f.private).unwrap();
        assert_eq!(fs::read_to_string(&key.path).unwrap(), old_key);
        assert_eq!(fs::read_to_string(&cert.path).unwrap(), old_ca);
        assert!(key
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("ca.key.retired-"));
        assert_ne!(read(dir.path(), CA_KEY_FILE), old_key, "a new CA");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&key.path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the retired key keeps its mode");
        }
        // A second rotation in the same second never overwrites the first.
        let again = write_certs(dir.path(), &rotate, true).unwrap();
        let paths: Vec<&PathBuf> = again
            .iter()
            .filter(|f| f.retired)
            .map(|f| &f.path)
            .collect();
        assert!(!paths.contains(&&key.path), "{paths:?}");
        assert_eq!(fs::read_to_string(&key.path).unwrap(), old_key);
    }

    #[test]
    fn rejects_bad_names_and_days() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "",
            "a b",
            "../x",
            "x/y",
            ".",
            "..",
            ".hidden",
            "-rf",
            "a\\b",
            "ü",
            &"a".repeat(65),
        ] {
            let err = write_certs(dir.path(), &req(&[bad]), false).unwrap_err();
            assert!(
                matches!(&err, MtlsError::BadName(v) if v == bad),
                "{bad:?}: {err}"
            );
        }
        let err = write_certs(dir.path(), &req(&["alice", "Alice"]), false).unwrap_err();
        assert!(matches!(err, MtlsError::BadName(v) if v == "Alice"));

        for bad in [
            "",
            "a b.example",
            "../etc",
            "x/y",
            "-a.example",
            "a-.example",
            "a..b",
            "a.",
            "10.0.0.1",
            "a.*.example",
        ] {
            let mut r = req(&[]);
            r.server_name = bad.into();
            let err = write_certs(dir.path(), &r, false).unwrap_err();
            assert!(
                matches!(&err, MtlsError::BadName(v) if v == bad),
                "{bad:?}: {err}"
            );
        }
        for good in [
            "localhost",
            "*.vpce-svc-0123.us-east-1.vpce.amazonaws.com",
            "A-1.b",
        ] {
            assert!(validate_dns_name(good).is_ok(), "{good}");
        }

        for days in [0, 3651, u32::MAX] {
            let mut r = req(&["alice"]);
            r.days = days;
            assert!(matches!(
                write_certs(dir.path(), &r, false),
                Err(MtlsError::BadDays(d)) if d == days
            ));
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn issues_from_a_supplied_ca_without_writing_its_key() {
        let ca_dir = tempfile::tempdir().unwrap();
        write_certs(ca_dir.path(), &req(&[]), false).unwrap();
        let ca_pem = read(ca_dir.path(), "ca.pem");
        let ca_key = read(ca_dir.path(), "ca.key");

        let dir = tempfile::tempdir().unwrap();
        let mut r = req(&["carol"]);
        r.ca = Some((ca_pem.clone(), ca_key.clone()));
        let files = write_certs(dir.path(), &r, false).unwrap();
        assert!(!files.iter().any(|f| f.path.ends_with("ca.key")));
        assert!(!dir.path().join("ca.key").exists());
        assert_eq!(read(dir.path(), "ca.pem"), ca_pem);
        with_cert(&ca_pem, |ca| {
            with_cert(&read(dir.path(), "client-carol.pem"), |c| {
                assert_eq!(c.issuer(), ca.subject());
                assert!(c.verify_signature(Some(ca.public_key())).is_ok());
            });
        });
        assert!(
            !format!("{r:?}").contains("PRIVATE KEY"),
            "Debug redacts the key"
        );
    }

    #[test]
    fn rejects_unusable_supplied_cas() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_certs(a.path(), &req(&["alice"]), false).unwrap();
        write_certs(b.path(), &req(&[]), false).unwrap();
        let cases = [
            // key of another CA
            (
                read(a.path(), "ca.pem"),
                read(b.path(), "ca.key"),
                "does not belong",
            ),
            // a leaf, not a CA
            (
                read(a.path(), "client-alice.pem"),
                read(a.path(), "client-alice.key"),
                "not a CA",
            ),
            (read(a.path(), "ca.pem"), "garbage".to_string(), "PKCS#8"),
            // cert and key bundled into the certificate argument
            (
                read(a.path(), "ca.pem") + &read(a.path(), "ca.key"),
                read(a.path(), "ca.key"),
                "also contains a private key",
            ),
            ("garbage".to_string(), read(a.path(), "ca.key"), "PEM"),
        ];
        for (cert, key, want) in cases {
            let out = tempfile::tempdir().unwrap();
            let mut r = req(&["x"]);
            r.ca = Some((cert, key));
            match write_certs(out.path(), &r, false) {
                Err(MtlsError::Cert(msg)) => assert!(msg.contains(want), "{msg}"),
                other => panic!("{other:?}"),
            }
            assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
        }
    }

    #[test]
    fn re_issuing_from_a_supplied_ca_keeps_its_revocations() {
        let ca_dir = tempfile::tempdir().unwrap();
        write_certs(ca_dir.path(), &req(&[]), false).unwrap();
        let ca = (read(ca_dir.path(), "ca.pem"), read(ca_dir.path(), "ca.key"));
        let dir = tempfile::tempdir().unwrap();
        let mut r = req(&["alice", "bob"]);
        r.ca = Some(ca.clone());
        write_certs(dir.path(), &r, false).unwrap();
        let out = crate::mtls::revoke_client(
            dir.path(),
            &crate::mtls::RevokeTarget::Client("bob".into()),
            Some(&ca.1),
        )
        .unwrap();
        r.clients.push("carol".into());
        write_certs(dir.path(), &r, true).unwrap();
        let crls = crate::mtls::read_crls(&read(dir.path(), "crl.pem")).unwrap();
        assert_eq!(crls.len(), 1);
        let serials: Vec<&str> = crls[0].revoked.iter().map(|e| e.serial.as_str()).collect();
        assert_eq!(serials, [out.serial.as_str()], "--force un-revoked bob");
    }

    #[test]
    fn leaves_from_a_supplied_ca_never_outlive_it() {
        let a = tempfile::tempdir().unwrap();
        write_certs(a.path(), &req(&[]), false).unwrap();
        let mut r = req(&["x"]);
        r.ca = Some((read(a.path(), "ca.pem"), read(a.path(), "ca.key")));
        r.days = 365;
        let out = tempfile::tempdir().unwrap();
        write_certs(out.path(), &r, false).unwrap();
        let ca_end = with_cert(&read(a.path(), "ca.pem"), |c| c.validity().not_after);
        let leaf_end = with_cert(&read(out.path(), "client-x.pem"), |c| {
            c.validity().not_after
        });
        assert_eq!(ca_end, leaf_end);
    }

    #[test]
    fn distinct_cas_have_distinct_subjects() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_certs(a.path(), &req(&[]), false).unwrap();
        write_certs(b.path(), &req(&[]), false).unwrap();
        let sa = with_cert(&read(a.path(), "ca.pem"), |c| c.subject().to_string());
        let sb = with_cert(&read(b.path(), "ca.pem"), |c| c.subject().to_string());
        assert!(sa.starts_with("CN=xapi mTLS CA "));
        assert_ne!(sa, sb);
    }
}
