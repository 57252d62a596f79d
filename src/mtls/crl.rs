//! Client revocation: the CRL NGINX checks (`ssl_crl`).
//!
//! NGINX turns on CRL checking for every CA in a client's chain, so
//! `crl.pem` must hold a CRL from each issuing CA: ours (signed with the CA's
//! key, here) and, for a supplied CA under a root, the CRLs of the CAs above
//! it (from the user's PKI). An expired CRL fails every client, so ours runs
//! until the CA itself expires: the file is delivered by xapi with the
//! certificates rather than fetched, so a short `nextUpdate` would buy no
//! freshness and only risk an outage; a new CRL reaches NGINX on the next
//! `mtls deploy`. The CRLs of the CAs above come from the user's PKI and run
//! out on its schedule: [`crl_coverage`] says when, and
//! [`refresh_chain_crls`] replaces them.

use std::fs;
use std::path::{Path, PathBuf};

use rcgen::{
    CertificateRevocationListParams, Issuer, KeyIdMethod, KeyPair, RevocationReason,
    RevokedCertParams, SerialNumber,
};
use serde::Serialize;
use time::OffsetDateTime;
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::revocation_list::CertificateRevocationList;

use super::{client_cert_file, MtlsError, CA_CERT_FILE, CA_KEY_FILE, CRL_FILE};

/// One CRL in `crl.pem`, as `mtls show` and `mtls revoke-client` report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CrlInfo {
    /// The issuing CA's subject DN.
    pub issuer: String,
    pub this_update: String,
    /// After this time NGINX refuses every client whose chain the CRL covers.
    pub next_update: Option<String>,
    pub revoked: Vec<RevokedEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RevokedEntry {
    /// Lowercase hex, as `openssl x509 -serial` prints it (case aside).
    pub serial: String,
    pub revoked_at: String,
}

/// Which certificate `revoke_client` revokes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeTarget {
    /// `client-NAME.pem` in the certificate directory.
    Client(String),
    /// A serial number in hex (`:` separators and a `0x` prefix allowed).
    Serial(String),
}

/// What `revoke_client` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RevokeOutcome {
    pub crl: PathBuf,
    pub serial: String,
    /// False when the serial was already on the CRL (nothing written).
    pub changed: bool,
    pub crls: Vec<CrlInfo>,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

fn hex(bytes: &[u8]) -> String {
    let trimmed: &[u8] = match bytes.iter().position(|b| *b != 0) {
        Some(i) => &bytes[i..],
        None => &[0],
    };
    trimmed.iter().map(|b| format!("{b:02x}")).collect()
}

fn crl_blocks(pem: &str) -> Result<Vec<Pem>, MtlsError> {
    let mut out = Vec::new();
    for block in Pem::iter_from_buffer(pem.as_bytes()) {
        let block = block.map_err(|e| MtlsError::Cert(format!("CRL file is not PEM: {e}")))?;
        if block.label != "X509 CRL" {
            return Err(MtlsError::Cert(format!(
                "CRL file holds a {} block; only X509 CRL blocks belong there",
                block.label
            )));
        }
        out.push(block);
    }
    Ok(out)
}

fn parse_crl(block: &Pem) -> Result<CertificateRevocationList<'_>, MtlsError> {
    CertificateRevocationList::from_der(&block.contents)
        .map(|(_, crl)| crl)
        .map_err(|e| MtlsError::Cert(format!("CRL does not parse: {e}")))
}

fn info(crl: &CertificateRevocationList<'_>) -> CrlInfo {
    CrlInfo {
        issuer: crl.issuer().to_string(),
        this_update: rfc3339(crl.last_update().to_datetime()),
        next_update: crl.next_update().map(|t| rfc3339(t.to_datetime())),
        revoked: crl
            .iter_revoked_certificates()
            .map(|r| RevokedEntry {
                serial: hex(r.raw_serial()),
                revoked_at: rfc3339(r.revocation_date.to_datetime()),
            })
            .collect(),
    }
}

/// Every CRL in a PEM file (as `crl.pem` or the secret carries it).
pub fn read_crls(pem: &str) -> Result<Vec<CrlInfo>, MtlsError> {
    crl_blocks(pem)?
        .iter()
        .map(|b| parse_crl(b).map(|c| info(&c)))
        .collect()
}

/// A CRL from `issuer` listing `revoked` (serial bytes, time), valid until
/// `next_update`.
pub(super) fn sign_crl(
    issuer: &Issuer<'_, KeyPair>,
    revoked: &[(Vec<u8>, OffsetDateTime)],
    number: u64,
    now: OffsetDateTime,
    next_update: OffsetDateTime,
) -> Result<String, MtlsError> {
    let params = CertificateRevocationListParams {
        this_update: now,
        next_update,
        crl_number: SerialNumber::from(number),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|(serial, at)| RevokedCertParams {
                serial_number: SerialNumber::from_slice(serial),
                revocation_time: *at,
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    params
        .signed_by(issuer)
        .map(|c| c.pem().map_err(|e| MtlsError::Cert(e.to_string())))
        .map_err(|e| MtlsError::Cert(format!("cannot sign the CRL: {e}")))?
}

/// Warn this long before a CRL's next update: after it NGINX refuses every
/// client whose chain the CRL covers.
pub const CRL_WARNING: time::Duration = time::Duration::days(14);

/// Where one CA of the trust chain stands with its CRL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CrlState {
    /// Current for longer than [`CRL_WARNING`] (or without a next update).
    Current,
    /// Its next update comes within [`CRL_WARNING`].
    Expiring,
    /// Its next update has passed: NGINX refuses every client.
    Lapsed,
    /// No CRL signed by this CA: NGINX refuses every client.
    Missing,
}

/// One CA of `ca.pem` and the CRL that covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CrlCoverage {
    /// The CA's subject DN.
    pub ca: String,
    /// The CA's place in the chain: 0 is the issuing CA.
    pub depth: usize,
    pub next_update: Option<String>,
    /// Unix seconds of `next_update`.
    #[serde(skip)]
    pub next_update_unix: Option<i64>,
    pub state: CrlState,
}

impl CrlCoverage {
    /// One line saying what is wrong and when, for warnings and errors.
    pub fn describe(&self) -> String {
        let next = self.next_update.as_deref().unwrap_or("-");
        match self.state {
            CrlState::Current => format!("the CRL of {} is current until {next}", self.ca),
            CrlState::Expiring => format!(
                "the CRL of {} lapses at {next}, and then NGINX refuses every client",
                self.ca
            ),
            CrlState::Lapsed => format!(
                "the CRL of {} lapsed at {next}: NGINX refuses every client",
                self.ca
            ),
            CrlState::Missing => format!(
                "no CRL signed by {} (NGINX checks one for every CA in the chain and \
                 refuses every client without it)",
                self.ca
            ),
        }
    }

    /// What to run to renew it: the issuing CA's own CRL is re-signed by
    /// `mtls revoke-client`/`mtls certs`; the CAs above it publish theirs.
    pub fn fix(&self, dir: &str) -> String {
        if self.depth == 0 {
            format!(
                "re-issue the issuing CA's CRL with `xapi mtls certs --out {dir} ... --force` (or \
                 `xapi mtls revoke-client --certs {dir} ...`), then `xapi mtls deploy`"
            )
        } else {
            format!(
                "get the current CRL of {} and run `xapi mtls certs --out {dir} \
                 --refresh-chain-crl FILE...`, then `xapi mtls deploy`",
                self.ca
            )
        }
    }
}

/// For every CA in the trust file `ca_pem` (issuing CA first), the CRL in
/// `crl_pem` that NGINX would use for it and whether it is current at `now`.
pub fn crl_coverage(
    ca_pem: &str,
    crl_pem: &str,
    now: OffsetDateTime,
) -> Result<Vec<CrlCoverage>, MtlsError> {
    let pems = super::pin::parse_chain(ca_pem)?;
    let chain: Vec<X509Certificate<'_>> = pems
        .iter()
        .map(|p| p.parse_x509())
        .collect::<Result<_, _>>()
        .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;
    let blocks = crl_blocks(crl_pem)?;
    let crls: Vec<CertificateRevocationList<'_>> =
        blocks.iter().map(parse_crl).collect::<Result<_, _>>()?;
    Ok(chain
        .iter()
        .enumerate()
        .map(|(depth, ca)| {
            let found = crls
                .iter()
                .filter(|c| signed_by(c, ca))
                // With several, the one that runs longest (absent = forever).
                .max_by_key(|c| c.next_update().map(|t| t.timestamp()).unwrap_or(i64::MAX));
            let next = found.and_then(|c| c.next_update()).map(|t| t.to_datetime());
            let state = match (found, next) {
                (None, _) => CrlState::Missing,
                (Some(_), None) => CrlState::Current,
                (Some(_), Some(t)) if t <= now => CrlState::Lapsed,
                (Some(_), Some(t)) if t - now <= CRL_WARNING => CrlState::Expiring,
                (Some(_), Some(_)) => CrlState::Current,
            };
            CrlCoverage {
                ca: ca.subject().to_string(),
                depth,
                next_update: next.map(rfc3339),
                next_update_unix: next.map(|t| t.unix_timestamp()),
                state,
            }
        })
        .collect())
}

/// Refuses a CRL file holding a CRL that no CA of the trust file `ca_pem`
/// signed: NGINX would accept chains through its issuer (see
/// [`check_chain_crls`]), so such a file must never reach the proxy.
pub(super) fn check_crls_belong(ca_pem: &str, crl_pem: &str) -> Result<(), MtlsError> {
    let pems = super::pin::parse_chain(ca_pem)?;
    let chain: Vec<X509Certificate<'_>> = pems
        .iter()
        .map(|p| p.parse_x509())
        .collect::<Result<_, _>>()
        .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;
    for block in crl_blocks(crl_pem)? {
        let crl = parse_crl(&block)?;
        if !chain.iter().any(|ca| signed_by(&crl, ca)) {
            return Err(MtlsError::Cert(format!(
                "{CRL_FILE} holds a CRL issued by {} that no CA in {CA_CERT_FILE} signed: NGINX \
                 would admit chains through that CA; remove it (`xapi mtls certs \
                 --refresh-chain-crl` writes only the chain's CRLs)",
                crl.issuer()
            )));
        }
    }
    Ok(())
}

fn signed_by(crl: &CertificateRevocationList<'_>, ca: &X509Certificate<'_>) -> bool {
    crl.issuer() == ca.subject() && crl.verify_signature(ca.public_key()).is_ok()
}

/// Checks that `crl_pem` holds a current CRL from each CA above the issuing
/// one in `chain` (`chain[1..]`), as NGINX needs, and nothing else.
///
/// The CRLs are what really pins the chain: NGINX checks a CRL for every
/// certificate of a client's chain and finds it by issuer name, then checks
/// its signature. A namesake of a chain CA (a cousin issuing CA with the same
/// DN under a sibling policy CA, say) finds only the real CA's CRL, which its
/// key did not sign, and is refused. A CRL from any other CA would let that
/// CA's chains through, so none is accepted.
pub(super) fn check_chain_crls(
    chain: &[X509Certificate<'_>],
    crl_pem: &str,
    now: OffsetDateTime,
) -> Result<(), MtlsError> {
    let blocks = crl_blocks(crl_pem)?;
    let crls: Vec<CertificateRevocationList<'_>> =
        blocks.iter().map(parse_crl).collect::<Result<_, _>>()?;
    for crl in &crls {
        let above = chain.iter().skip(1).any(|ca| signed_by(crl, ca));
        if !above {
            let whose = if chain.first().is_some_and(|ca| signed_by(crl, ca)) {
                "the issuing CA itself (xapi signs that one)".to_owned()
            } else {
                "a CA outside ca.pem's chain (NGINX would then admit chains through it)".to_owned()
            };
            return Err(MtlsError::Cert(format!(
                "the chain CRLs hold one issued by {} and signed by {whose}; keep only the CRLs \
                 of {}",
                crl.issuer(),
                chain
                    .iter()
                    .skip(1)
                    .map(|c| c.subject().to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
    }
    for ca in chain.iter().skip(1) {
        let found = crls.iter().find(|c| signed_by(c, ca));
        match found {
            None => {
                return Err(MtlsError::Cert(format!(
                    "NGINX checks a CRL for every CA in the chain, and the chain CRLs have \
                     none signed by {}; add that CA's current CRL (PEM)",
                    ca.subject()
                )))
            }
            Some(c) if c.next_update().is_some_and(|t| t.to_datetime() <= now) => {
                return Err(MtlsError::Cert(format!(
                    "the CRL from {} expired at {}; NGINX would refuse every client: get a \
                     current one from that CA",
                    ca.subject(),
                    c.next_update().map(|t| t.to_string()).unwrap_or_default()
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// What `refresh_chain_crls` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RefreshOutcome {
    pub crl: PathBuf,
    /// False when the file already held exactly these CRLs.
    pub changed: bool,
    pub crls: Vec<CrlInfo>,
    pub coverage: Vec<CrlCoverage>,
}

/// Replaces the CRLs of the CAs above the issuing CA in `dir/crl.pem` with
/// `chain_crls` (checked as `mtls certs --chain-crl` checks them), keeping
/// the issuing CA's own CRL byte for byte. No key is read or made.
pub fn refresh_chain_crls(dir: &Path, chain_crls: &str) -> Result<RefreshOutcome, MtlsError> {
    let now = OffsetDateTime::now_utc();
    let ca_pem = read(&dir.join(CA_CERT_FILE))?;
    let pems = super::pin::parse_chain(&ca_pem)?;
    let chain: Vec<X509Certificate<'_>> = pems
        .iter()
        .map(|p| p.parse_x509())
        .collect::<Result<_, _>>()
        .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;
    if chain.len() == 1 {
        return Err(MtlsError::Cert(format!(
            "{} holds only the issuing CA ({}), so there are no chain CRLs to refresh: its own \
             CRL is re-signed by `xapi mtls revoke-client` or `xapi mtls certs`",
            dir.join(CA_CERT_FILE).display(),
            chain[0].subject()
        )));
    }
    check_chain_crls(&chain, chain_crls, now)?;
    let crl_path = dir.join(CRL_FILE);
    let existing = read(&crl_path)?;
    let blocks = crl_blocks(&existing)?;
    let texts = block_texts(&existing);
    let mut pem = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if signed_by(&parse_crl(block)?, &chain[0]) {
            pem.push_str(texts.get(i).map_or("", String::as_str));
        }
    }
    if pem.is_empty() {
        return Err(MtlsError::Cert(format!(
            "{} holds no CRL of the issuing CA {}; re-issue the directory with `xapi mtls certs`",
            crl_path.display(),
            chain[0].subject()
        )));
    }
    for text in block_texts(chain_crls) {
        pem.push_str(&text);
    }
    let changed = pem != existing;
    if changed {
        write_atomically(&crl_path, &pem)?;
    }
    Ok(RefreshOutcome {
        crls: read_crls(&pem)?,
        coverage: crl_coverage(&ca_pem, &pem, now)?,
        crl: crl_path,
        changed,
    })
}

fn read(path: &Path) -> Result<String, MtlsError> {
    fs::read_to_string(path).map_err(|source| MtlsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_serial(text: &str) -> Result<Vec<u8>, MtlsError> {
    let bad = || MtlsError::BadId(text.to_string());
    let digits: String = text
        .trim()
        .trim_start_matches("0x")
        .chars()
        .filter(|c| *c != ':')
        .collect();
    if digits.is_empty() || digits.len() > 40 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits
    };
    let bytes: Vec<u8> = (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len() - 1);
    Ok(bytes[start..].to_vec())
}

/// Adds a certificate to the CA's CRL in `dir/crl.pem`, re-signed with the
/// CA's key (`dir/ca.key`, or `ca_key_pem` for a supplied CA). CRLs of other
/// CAs in the file are kept as they are. Idempotent: an already revoked
/// serial writes nothing.
pub fn revoke_client(
    dir: &Path,
    target: &RevokeTarget,
    ca_key_pem: Option<&str>,
) -> Result<RevokeOutcome, MtlsError> {
    let now = OffsetDateTime::now_utc();
    let ca_pem = read(&dir.join(CA_CERT_FILE))?;
    let key_pem = match ca_key_pem {
        Some(k) => k.to_string(),
        None => {
            let path = dir.join(CA_KEY_FILE);
            if !path.exists() {
                return Err(MtlsError::Cert(format!(
                    "{} is missing: the CA was supplied, so pass its key with --ca-key",
                    path.display()
                )));
            }
            read(&path)?
        }
    };
    let (issuer, ca_not_after) = super::ca::load_ca(&ca_pem, &key_pem)?;
    let chain = super::pin::parse_chain(&ca_pem)?;
    let ca = chain[0]
        .parse_x509()
        .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;

    let serial = match target {
        RevokeTarget::Serial(text) => parse_serial(text)?,
        RevokeTarget::Client(name) => {
            let path = dir.join(client_cert_file(name));
            if !path.exists() {
                return Err(MtlsError::BadName(name.clone()));
            }
            let pem = read(&path)?;
            let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
                .map_err(|e| MtlsError::Cert(format!("{}: {e}", path.display())))?;
            let cert = block
                .parse_x509()
                .map_err(|e| MtlsError::Cert(format!("{}: {e}", path.display())))?;
            if cert.issuer() != ca.subject()
                || cert.verify_signature(Some(ca.public_key())).is_err()
            {
                return Err(MtlsError::Cert(format!(
                    "{} was not issued by the CA in {}; its CRL cannot revoke it",
                    path.display(),
                    CA_CERT_FILE
                )));
            }
            parse_serial(&hex(cert.raw_serial()))?
        }
    };

    let crl_path = dir.join(CRL_FILE);
    let existing = if crl_path.exists() {
        read(&crl_path)?
    } else {
        String::new()
    };
    let Previous {
        mut revoked,
        number,
        others,
    } = previous(&existing, &ca)?;
    let serial_hex = hex(&serial);
    let changed = !revoked.iter().any(|(s, _)| *s == serial);
    if changed {
        revoked.push((serial, now));
        // Backdated as `mtls certs` does: a proxy whose clock runs behind
        // must not see a CRL that is not yet valid (that fails every client).
        let this_update = now - time::Duration::minutes(5);
        let mut pem = sign_crl(&issuer, &revoked, number + 1, this_update, ca_not_after)?;
        for other in &others {
            pem.push_str(other);
        }
        write_atomically(&crl_path, &pem)?;
    }
    let crls = read_crls(&read(&crl_path)?)?;
    Ok(RevokeOutcome {
        crl: crl_path,
        serial: serial_hex,
        changed,
        crls,
    })
}

/// What an existing `crl.pem` holds for the CA `ca`.
pub(super) struct Previous {
    /// (serial, revocation time) from the CA's own CRL.
    pub revoked: Vec<(Vec<u8>, OffsetDateTime)>,
    /// The highest CRL number the CA used.
    pub number: u64,
    /// The other CAs' CRLs, as they were written.
    pub others: Vec<String>,
}

pub(super) fn previous(existing: &str, ca: &X509Certificate<'_>) -> Result<Previous, MtlsError> {
    let blocks = crl_blocks(existing)?;
    let texts = block_texts(existing);
    let mut out = Previous {
        revoked: Vec::new(),
        number: 0,
        others: Vec::new(),
    };
    for (i, block) in blocks.iter().enumerate() {
        let crl = parse_crl(block)?;
        let ours = crl.issuer() == ca.subject() && crl.verify_signature(ca.public_key()).is_ok();
        if !ours {
            out.others.push(texts.get(i).cloned().unwrap_or_default());
            continue;
        }
        out.number = crl
            .crl_number()
            .and_then(|n| u64::try_from(n.clone()).ok())
            .unwrap_or(0)
            .max(out.number);
        for r in crl.iter_revoked_certificates() {
            out.revoked.push((
                parse_serial(&hex(r.raw_serial()))?,
                r.revocation_date.to_datetime(),
            ));
        }
    }
    Ok(out)
}

/// The text of each `X509 CRL` block, so CRLs of other CAs are written
/// back exactly as they were.
fn block_texts(pem: &str) -> Vec<String> {
    const END: &str = "-----END X509 CRL-----";
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN X509 CRL-----") {
        let Some(len) = rest[start..].find(END) else {
            break;
        };
        let end = start + len + END.len();
        out.push(format!("{}\n", &rest[start..end]));
        rest = &rest[end..];
    }
    out
}

/// A reader (NGINX on reload, `mtls deploy`) never sees half a CRL.
fn write_atomically(path: &Path, contents: &str) -> Result<(), MtlsError> {
    let io = |source| MtlsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("pem.tmp");
    let _ = fs::remove_file(&tmp);
    fs::write(&tmp, contents).map_err(io)?;
    fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn serials_parse_in_the_usual_spellings() {
        assert_eq!(parse_serial("0x01:AB").unwrap(), vec![0x01, 0xab]);
        assert_eq!(parse_serial("00ab").unwrap(), vec![0xab]);
        assert_eq!(parse_serial("abc").unwrap(), vec![0x0a, 0xbc]);
        for bad in ["", "xyz", "0x", &"a".repeat(41)] {
            assert!(
                matches!(parse_serial(bad), Err(MtlsError::BadId(_))),
                "{bad}"
            );
        }
        assert_eq!(hex(&[0, 0, 0x1f]), "1f");
    }

    type TestCa = (rcgen::CertificateParams, KeyPair, String);

    fn ca(cn: &str, parent: Option<&TestCa>) -> TestCa {
        let mut params = rcgen::CertificateParams::default();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let key = KeyPair::generate().unwrap();
        let pem = match parent {
            None => params.self_signed(&key).unwrap().pem(),
            Some((p, k, _)) => params
                .signed_by(&key, &Issuer::from_params(p, k))
                .unwrap()
                .pem(),
        };
        (params, key, pem)
    }

    fn crl(ca: &TestCa, now: OffsetDateTime, left: time::Duration) -> String {
        let key = KeyPair::from_pem(&ca.1.serialize_pem()).unwrap();
        let issuer = Issuer::new(ca.0.clone(), key);
        sign_crl(&issuer, &[], 1, now - time::Duration::days(30), now + left).unwrap()
    }

    /// Every CA of the chain is looked up by its signature, not its name: a
    /// namesake's CRL covers nothing; the 14-day edge is `expiring`.
    #[test]
    fn coverage_finds_each_cas_own_crl_and_its_state() {
        let now = OffsetDateTime::now_utc();
        let root = ca("Root", None);
        let issuing = ca("Issuing", Some(&root));
        let namesake = ca("Root", None);
        let chain = format!("{}{}", issuing.2, root.2);
        let states = |crls: &str| -> Vec<CrlState> {
            crl_coverage(&chain, crls, now)
                .unwrap()
                .into_iter()
                .map(|c| c.state)
                .collect()
        };
        let days = time::Duration::days;
        let ours = crl(&issuing, now, days(365));
        assert_eq!(states(&ours), [CrlState::Current, CrlState::Missing]);
        assert_eq!(
            states(&(ours.clone() + &crl(&namesake, now, days(365)))),
            [CrlState::Current, CrlState::Missing],
            "a namesake's CRL covers the root"
        );
        assert_eq!(
            states(&(ours.clone() + &crl(&root, now, days(15)))),
            [CrlState::Current, CrlState::Current]
        );
        assert_eq!(
            states(&(ours.clone() + &crl(&root, now, days(14)))),
            [CrlState::Current, CrlState::Expiring]
        );
        assert_eq!(
            states(&(ours.clone() + &crl(&root, now, time::Duration::seconds(-1)))),
            [CrlState::Current, CrlState::Lapsed]
        );
        // A lapsed and a current CRL of the same CA: the current one counts.
        assert_eq!(
            states(&(ours + &crl(&root, now, days(-1)) + &crl(&root, now, days(30)))),
            [CrlState::Current, CrlState::Current]
        );
    }

    #[test]
    fn a_generated_ca_has_no_chain_crls_to_refresh() {
        let dir = tempfile::tempdir().unwrap();
        super::super::write_certs(
            dir.path(),
            &super::super::CertRequest {
                server_name: "proxy.example".into(),
                clients: vec![],
                days: 2,
                ca: None,
                chain_crls: None,
                rotate_ca: false,
            },
            false,
        )
        .unwrap();
        let before = fs::read_to_string(dir.path().join(CRL_FILE)).unwrap();
        let err = refresh_chain_crls(dir.path(), &before)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no chain CRLs to refresh"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join(CRL_FILE)).unwrap(),
            before
        );
    }
}
