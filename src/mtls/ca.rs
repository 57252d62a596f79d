//! A supplied CA, checked before anything is signed with it: certificate
//! issuance and CRL signing both start here.

use rcgen::{Issuer, KeyPair};
use time::OffsetDateTime;

use super::pin::parse_chain;
use super::MtlsError;

/// Checks a supplied CA before anything is signed with it: a mismatched key
/// or a non-CA certificate would otherwise yield clients NGINX rejects with
/// an opaque "SSL certificate error".
/// Returns the issuer and the CA's expiry.
pub(super) fn load_ca(
    ca_pem: &str,
    ca_key_pem: &str,
) -> Result<(Issuer<'static, KeyPair>, OffsetDateTime), MtlsError> {
    // ca.pem is written world-readable, so a cert+key bundle must not pass through.
    if ca_pem.contains("PRIVATE KEY") {
        return Err(MtlsError::Cert(
            "CA certificate PEM also contains a private key; pass the certificate alone".into(),
        ));
    }
    let key = KeyPair::from_pem(ca_key_pem).map_err(|_| {
        MtlsError::Cert(
            "CA key is not an unencrypted PKCS#8 PEM ('BEGIN PRIVATE KEY'); convert it with \
             `openssl pkcs8 -topk8 -nocrypt -in KEY`"
                .into(),
        )
    })?;
    let (_, pem) = x509_parser::pem::parse_x509_pem(ca_pem.as_bytes())
        .map_err(|e| MtlsError::Cert(format!("CA certificate is not PEM: {e}")))?;
    let cert = pem
        .parse_x509()
        .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;

    let is_ca = matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca);
    if !is_ca {
        return Err(MtlsError::Cert(
            "supplied CA certificate is not a CA (basicConstraints CA:TRUE missing)".into(),
        ));
    }
    if let Ok(Some(ku)) = cert.key_usage() {
        if !ku.value.key_cert_sign() {
            return Err(MtlsError::Cert(
                "supplied CA certificate's keyUsage lacks keyCertSign".into(),
            ));
        }
        // Revoking a client needs a CRL signed by this CA.
        if !ku.value.crl_sign() {
            return Err(MtlsError::Cert(
                "supplied CA certificate's keyUsage lacks cRLSign, so it cannot sign the CRL \
                 that revokes clients; use a CA that may sign CRLs"
                    .into(),
            ));
        }
    }
    if cert.public_key().subject_public_key.data.as_ref() != key.public_key_raw() {
        return Err(MtlsError::Cert(
            "CA key does not belong to the CA certificate".into(),
        ));
    }
    let validity = cert.validity();
    let now = OffsetDateTime::now_utc();
    if validity.not_after.to_datetime() <= now || validity.not_before.to_datetime() > now {
        return Err(MtlsError::Cert(format!(
            "supplied CA certificate is not currently valid (valid {} to {})",
            validity.not_before, validity.not_after
        )));
    }
    parse_chain(ca_pem)?;
    // rcgen writes each attribute as its own RDN, so the issuer name of what
    // it signed would not match such a CA's subject and no client would verify.
    if cert.subject().iter_rdn().any(|rdn| rdn.iter().count() > 1) {
        return Err(MtlsError::Cert(format!(
            "the CA's subject {} has a multi-valued RDN, which xapi cannot sign under; issue the \
             server and client certificates and the CRL with your PKI and put them in the \
             directory as `mtls certs` names them (`mtls deploy` derives the issuer pin), or use \
             a CA without one",
            cert.subject()
        )));
    }
    let issuer =
        Issuer::from_ca_cert_pem(ca_pem, key).map_err(|e| MtlsError::Cert(e.to_string()))?;
    Ok((issuer, validity.not_after.to_datetime()))
}
