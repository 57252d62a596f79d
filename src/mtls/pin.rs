//! Pinning admitted clients to the CA that `xapi mtls certs` issued them from.
//!
//! NGINX trusts every CA in `ssl_client_certificate`, and OpenSSL only accepts
//! a chain that ends at a self-signed root. When the issuing CA is an
//! intermediate, the trust file must therefore carry its root, and then every
//! other CA under that root (a sibling team's issuing CA, say) could issue a
//! `CN=alice` that NGINX admits. Refusing such chains would rule out the usual
//! corporate PKI, so the proxy pins the issuer instead, with two checks that
//! run after OpenSSL has verified the chain to the trust file:
//!
//! * `ssl_verify_depth` is exactly the length of the supplied chain, so the
//!   client's issuer sits at the issuing CA's place: directly under the CA
//!   above it in `ca.pem` (for a generated CA: the CA itself, a self-signed root).
//! * `$ssl_client_i_dn` (the leaf's issuer DN, RFC 2253) must equal the
//!   issuing CA's exact subject DN, compared case-sensitively.
//!
//! Anyone can mint a CA with the same subject DN. A self-made root fails
//! verification; one minted under a sibling intermediate sits one level
//! deeper and fails the depth check. A cousin with the same name at the same
//! depth (under a sibling policy CA) passes both, and `crl.pem` stops it:
//! NGINX checks a CRL for every certificate of the chain, finds it by the
//! issuer's name and checks its signature, and the only CRL under the issuing
//! CA's name is the one the real CA signed (see `crl::check_chain_crls`,
//! which admits no CRL from outside the chain). So the CRL file is part of
//! the pin, and it must never lapse.

use x509_parser::pem::Pem;
use x509_parser::x509::X509Name;

use super::MtlsError;

/// The chain in `ca.pem`: issuing CA first, then each CA above it, ending at a
/// self-signed root (the only order NGINX can verify).
pub(super) fn parse_chain(ca_pem: &str) -> Result<Vec<Pem>, MtlsError> {
    let bad = |msg: String| MtlsError::Cert(msg);
    let mut pems = Vec::new();
    for pem in Pem::iter_from_buffer(ca_pem.as_bytes()) {
        let pem = pem.map_err(|e| bad(format!("CA certificate is not PEM: {e}")))?;
        if pem.label == "CERTIFICATE" {
            pems.push(pem);
        }
    }
    if pems.is_empty() {
        return Err(bad("CA certificate PEM holds no certificate".into()));
    }
    for (i, pem) in pems.iter().enumerate() {
        let cert = pem
            .parse_x509()
            .map_err(|e| bad(format!("CA certificate {} does not parse: {e}", i + 1)))?;
        let last = i + 1 == pems.len();
        if last {
            if cert.subject() != cert.issuer() || cert.verify_signature(None).is_err() {
                return Err(bad(format!(
                    "the CA chain must end at a self-signed root, but its last certificate ({}) \
                     is issued by {}; append the root certificate",
                    cert.subject(),
                    cert.issuer()
                )));
            }
        } else {
            let next = pems[i + 1]
                .parse_x509()
                .map_err(|e| bad(format!("CA certificate {} does not parse: {e}", i + 2)))?;
            if cert.issuer() != next.subject()
                || cert.verify_signature(Some(next.public_key())).is_err()
            {
                return Err(bad(format!(
                    "CA certificate {} ({}) is not issued by the next one ({}); list the \
                     issuing CA first, then each CA above it up to the root",
                    i + 1,
                    cert.subject(),
                    next.subject()
                )));
            }
        }
    }
    Ok(pems)
}

/// The contents of [`super::ISSUER_PIN_FILE`] for a trust file `ca_pem`
/// (issuing CA first): the exact chain depth and the issuer DN check.
pub fn issuer_pin_conf(ca_pem: &str) -> Result<String, MtlsError> {
    let chain = parse_chain(ca_pem)?;
    let issuing = chain[0]
        .parse_x509()
        .map_err(|e| MtlsError::Cert(format!("CA certificate does not parse: {e}")))?;
    let dn = rfc2253(issuing.subject())?;
    // OpenSSL's depth counts the CAs between the client and the root: 0 for
    // a generated CA (a root itself), 1 for an intermediate under a root.
    // One more and a namesake minted by a sibling CA gets in (the real-NGINX
    // test shows both).
    let depth = chain.len() - 1;
    Ok(format!(
        "# Written by xapi from ca.pem: admit only clients issued by this CA (see the README,\n\
         # pattern 3). ssl_verify_depth keeps the issuer directly under the CA above it;\n\
         # the DN check refuses other CAs that chain to the same root.\n\
         ssl_verify_depth {depth};\n\
         if ($ssl_client_i_dn != \"{}\") {{\n    return 403;\n}}\n",
        nginx_quote(&dn)
    ))
}

/// Inside an NGINX double-quoted string only `\` and `"` need escaping;
/// `$` would start a variable, which [`rfc2253`] already refuses.
fn nginx_quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The DN as NGINX prints `$ssl_client_i_dn` (OpenSSL `XN_FLAG_RFC2253`):
/// RDNs last to first joined by `,`, multi-valued RDNs by `+`, OpenSSL short
/// names, RFC 2253 escapes. `XN_FLAG_DN_REV` reverses the flat list of
/// attributes, not the list of RDNs, so the parts of a multi-valued RDN come
/// out last to first as well: a subject encoded `O=Corp, OU=Ops+CN=Team`
/// prints `CN=Team+OU=Ops,O=Corp` (the real-NGINX test checks this). Only what this module can reproduce byte for byte
/// is accepted: printable ASCII values of common attribute types.
pub(super) fn rfc2253(name: &X509Name<'_>) -> Result<String, MtlsError> {
    let unsupported = |why: &str| {
        MtlsError::Cert(format!(
            "cannot pin the issuing CA's subject {name:?} ({why}); use a CA whose subject uses \
             CN, O, OU, C, L, ST, DC, serialNumber or emailAddress with printable ASCII values \
             and no '$'"
        ))
    };
    let mut rdns = Vec::new();
    for rdn in name.iter_rdn() {
        let mut parts = Vec::new();
        for atv in rdn.iter() {
            let short = match atv.attr_type().to_id_string().as_str() {
                "2.5.4.3" => "CN",
                "2.5.4.6" => "C",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                "2.5.4.5" => "serialNumber",
                "0.9.2342.19200300.100.1.25" => "DC",
                "1.2.840.113549.1.9.1" => "emailAddress",
                other => return Err(unsupported(&format!("attribute {other}"))),
            };
            let value = atv
                .as_str()
                .map_err(|_| unsupported("a value that is not a string"))?;
            if value.is_empty() || !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                return Err(unsupported("a value that is not printable ASCII"));
            }
            if value.contains('$') {
                return Err(unsupported("a '$', which NGINX reads as a variable"));
            }
            parts.push(format!("{short}={}", escape_value(value)));
        }
        parts.reverse();
        rdns.push(parts.join("+"));
    }
    if rdns.is_empty() {
        return Err(unsupported("an empty subject"));
    }
    rdns.reverse();
    Ok(rdns.join(","))
}

/// OpenSSL's `ASN1_STRFLGS_ESC_2253`: `,+"\<>;` anywhere, `#` or space
/// first, space last. OpenSSL judges the last character's flags in place of
/// the first's, so a one-character `#` stays bare (it prints `CN=#`).
fn escape_value(value: &str) -> String {
    let last = value.len() - 1;
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.char_indices() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && i != last && (c == '#' || c == ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

    fn ca(dn: &[(DnType, &str)]) -> String {
        let mut params = CertificateParams::default();
        for (t, v) in dn {
            params.distinguished_name.push(t.clone(), *v);
        }
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .self_signed(&KeyPair::generate().unwrap())
            .unwrap()
            .pem()
    }

    fn subject(pem: &str) -> Result<String, MtlsError> {
        let chain = parse_chain(pem)?;
        let cert = chain[0].parse_x509().unwrap();
        rfc2253(cert.subject())
    }

    #[test]
    fn formats_like_openssl_rfc2253() {
        let pem = ca(&[
            (DnType::CountryName, "US"),
            (DnType::OrganizationName, "Corp, Inc."),
            (DnType::CommonName, "Team A Issuing"),
        ]);
        // rcgen encodes this subject as CN, C, O; RFC 2253 prints it last RDN first.
        assert_eq!(
            subject(&pem).unwrap(),
            "O=Corp\\, Inc.,C=US,CN=Team A Issuing"
        );
        assert_eq!(escape_value(" #a;b "), "\\ #a\\;b\\ ");
        assert_eq!(escape_value("#x"), "\\#x");
        // One character is OpenSSL's "last", never its "first" (`openssl x509
        // -nameopt RFC2253` prints `CN=#`, `CN=\ `, `CN=\##`).
        assert_eq!(escape_value("#"), "#");
        assert_eq!(escape_value(" "), "\\ ");
        assert_eq!(escape_value("##"), "\\##");
    }

    #[test]
    fn the_pin_quotes_safely_and_refuses_what_it_cannot_reproduce() {
        let pem = ca(&[(DnType::CommonName, "a \"quoted\" \\ name")]);
        let conf = issuer_pin_conf(&pem).unwrap();
        assert!(
            conf.contains(r#"if ($ssl_client_i_dn != "CN=a \\\"quoted\\\" \\\\ name") {"#),
            "{conf}"
        );
        assert!(conf.contains("ssl_verify_depth 0;"), "{conf}");
        for bad in ["CN with $var", "caf\u{e9}", "tab\there"] {
            let pem = ca(&[(DnType::CommonName, bad)]);
            assert!(
                matches!(issuer_pin_conf(&pem), Err(MtlsError::Cert(m)) if m.contains("cannot pin")),
                "{bad}"
            );
        }
    }

    /// `openssl req -x509 -multivalue-rdn -subj "/O=Corp/OU=Ops+CN=Team"`: DER
    /// sorts the SET as OU, CN and `openssl x509 -nameopt RFC2253` (as NGINX's
    /// `$ssl_client_i_dn`) prints `CN=Team+OU=Ops,O=Corp`.
    const MULTI_VALUED_RDN_CA: &str = "\
-----BEGIN CERTIFICATE-----
MIIBqTCCAU+gAwIBAgIUIn34fXIzlvSmcFbUdCOesffyvRYwCgYIKoZIzj0EAwIw
KjENMAsGA1UECgwEQ29ycDEZMAoGA1UECwwDT3BzMAsGA1UEAwwEVGVhbTAeFw0y
NjEyMDQxNjQ2MzNaFw0yNjEyMDYxNjQ2MzNaMCoxDTALBgNVBAoMBENvcnAxGTAK
BgNVBAsMA09wczALBgNVBAMMBFRlYW0wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AAToHk13Qn7p4RpnYVBumP8h+cjkr+WBJuFownnJAWT7B7QJsG65AOyQgEHgxGHN
Lmk43w0fsMKSm0NLUOwsSgdao1MwUTAdBgNVHQ4EFgQUXCnOL4CtsuRktz9f2m8I
HUPuBo8wHwYDVR0jBBgwFoAUXCnOL4CtsuRktz9f2m8IHUPuBo8wDwYDVR0TAQH/
BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA8VVnrqL73P9t03C2O76Q/BOD5rO+
fTRSkE6blVus/V0CIC1Wiy/weLxla1HZ2lg17yhgTlMev8ydYO3p1teOPuE8
-----END CERTIFICATE-----
";

    #[test]
    fn multi_valued_rdns_print_their_parts_last_to_first_like_openssl() {
        let conf = issuer_pin_conf(MULTI_VALUED_RDN_CA).unwrap();
        assert!(
            conf.contains(r#"if ($ssl_client_i_dn != "CN=Team+OU=Ops,O=Corp") {"#),
            "{conf}"
        );
    }

    #[test]
    fn chains_must_be_in_order_and_end_at_a_root() {
        let a = ca(&[(DnType::CommonName, "A")]);
        let b = ca(&[(DnType::CommonName, "B")]);
        let err = parse_chain(&(a.clone() + &b)).unwrap_err().to_string();
        assert!(err.contains("is not issued by the next one"), "{err}");
        assert!(matches!(parse_chain("junk"), Err(MtlsError::Cert(_))));
    }
}
